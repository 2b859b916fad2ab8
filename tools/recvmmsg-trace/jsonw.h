/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON strings for the reader's streaming JSON writer (json.c, which writes
 * the rest of its fixed event schema straight into the output buffer).
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

#include "outbuf.h"

/*
 * A quoted string from @n bytes that may be anything: valid UTF-8 is kept,
 * control characters, quote and backslash are escaped, and each byte that
 * is not part of a valid UTF-8 sequence becomes \u00XX (its Latin-1
 * reading), so that every line is valid JSON in valid UTF-8.
 */
void rmt_jw_str(struct rmt_outbuf *w, const char *s, size_t n);

#endif /* RMT_JSONW_H */
