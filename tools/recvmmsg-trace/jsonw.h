/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON text writer for the reader's fixed event schema.
 *
 * Why not json-c (which the tests use to parse what this writes): json-c
 * builds a tree of heap objects per event, measured at about 20 us per
 * call here, and the reader has to decode a capture file at a million
 * calls a second. Writing tokens straight into a line buffer costs
 * neither allocations nor a tree walk.
 */
#ifndef RMT_JSONW_H
#define RMT_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RMT_JW_BUF	65536

struct rmt_jw {
	FILE *out;
	size_t len;
	char buf[RMT_JW_BUF];
};

void rmt_jw_init(struct rmt_jw *w, FILE *out);
/* Hand what is buffered to the FILE. */
void rmt_jw_flush(struct rmt_jw *w);
void rmt_jw_raw_slow(struct rmt_jw *w, const char *s, size_t n);

/* Bytes as they are: punctuation, keys, literals. Inline: the hot path. */
static inline void rmt_jw_raw(struct rmt_jw *w, const char *s, size_t n)
{
	if (n <= RMT_JW_BUF - w->len) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		return;
	}
	rmt_jw_raw_slow(w, s, n);
}
#define rmt_jw_lit(w, s)	rmt_jw_raw((w), (s), sizeof(s) - 1)
void rmt_jw_u64(struct rmt_jw *w, uint64_t v);
void rmt_jw_i64(struct rmt_jw *w, int64_t v);
/*
 * A quoted string from @n bytes that may be anything: valid UTF-8 is kept,
 * control characters, quote and backslash are escaped, and each byte that
 * is not part of a valid UTF-8 sequence becomes \u00XX (its Latin-1
 * reading), so that every line is valid JSON in valid UTF-8.
 */
void rmt_jw_str(struct rmt_jw *w, const char *s, size_t n);

#endif /* RMT_JSONW_H */
