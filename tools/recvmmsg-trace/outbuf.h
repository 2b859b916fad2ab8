/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The printers' output buffer: text lines and JSON Lines are assembled here
 * and handed to the FILE in large blocks.
 *
 * Why not fprintf: parsing a format for every field of every call cost the
 * text printer more than half of its time; the reader has to keep up with
 * the module at tens of thousands of calls a second, and decode capture
 * files at a million.
 */
#ifndef RMT_OUTBUF_H
#define RMT_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RMT_OUTBUF_SIZE	65536

struct rmt_outbuf {
	FILE *out;
	size_t len;
	char buf[RMT_OUTBUF_SIZE];
};

void rmt_ob_init(struct rmt_outbuf *w, FILE *out);
/* Hand what is buffered to the FILE. */
void rmt_ob_flush(struct rmt_outbuf *w);
void rmt_ob_raw_slow(struct rmt_outbuf *w, const char *s, size_t n);

/* Room for @n more bytes (at most RMT_OUTBUF_SIZE); the caller adds to len. */
static inline char *rmt_ob_room(struct rmt_outbuf *w, size_t n)
{
	if (RMT_OUTBUF_SIZE - w->len < n)
		rmt_ob_flush(w);
	return w->buf + w->len;
}

/* Bytes as they are. Inline: the hot path. */
static inline void rmt_ob_raw(struct rmt_outbuf *w, const char *s, size_t n)
{
	if (n <= RMT_OUTBUF_SIZE - w->len) {
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		return;
	}
	rmt_ob_raw_slow(w, s, n);
}
/* A string literal only: "" s does not compile for a pointer, whose sizeof lies. */
#define rmt_ob_lit(w, s)	rmt_ob_raw((w), "" s, sizeof(s) - 1)

static inline void rmt_ob_str(struct rmt_outbuf *w, const char *s)
{
	rmt_ob_raw(w, s, strlen(s));
}

/* Decimal, at least @width digits (zeros in front). */
void rmt_ob_u64_width(struct rmt_outbuf *w, uint64_t v, unsigned int width);
static inline void rmt_ob_u64(struct rmt_outbuf *w, uint64_t v)
{
	rmt_ob_u64_width(w, v, 1);
}
void rmt_ob_i64(struct rmt_outbuf *w, int64_t v);
/* As printf's %#x: 0x and lower-case hex digits, but a plain 0 for 0. */
void rmt_ob_hex(struct rmt_outbuf *w, uint64_t v);

#endif /* RMT_OUTBUF_H */
