// SPDX-License-Identifier: GPL-2.0
#include "outbuf.h"

void rmt_ob_init(struct rmt_outbuf *w, FILE *out)
{
	w->out = out;
	w->len = 0;
}

void rmt_ob_flush(struct rmt_outbuf *w)
{
	if (w->len)
		fwrite(w->buf, 1, w->len, w->out);
	w->len = 0;
}

void rmt_ob_raw_slow(struct rmt_outbuf *w, const char *s, size_t n)
{
	while (n) {
		size_t chunk = n < RMT_OUTBUF_SIZE ? n : RMT_OUTBUF_SIZE;

		memcpy(rmt_ob_room(w, chunk), s, chunk);
		w->len += chunk;
		s += chunk;
		n -= chunk;
	}
}

void rmt_ob_u64_width(struct rmt_outbuf *w, uint64_t v, unsigned int width)
{
	/* Two digits per division: half the divisions of one at a time. */
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char tmp[20], *p = tmp + sizeof(tmp);
	size_t n;

	while (v >= 100) {
		p -= 2;
		memcpy(p, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	while (p > tmp && (size_t)(tmp + sizeof(tmp) - p) < width)
		*--p = '0';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(rmt_ob_room(w, n), p, n);
	w->len += n;
}

void rmt_ob_i64(struct rmt_outbuf *w, int64_t v)
{
	if (v < 0) {
		rmt_ob_lit(w, "-");
		/* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
		rmt_ob_u64(w, 0 - (uint64_t)v);
		return;
	}
	rmt_ob_u64(w, (uint64_t)v);
}

void rmt_ob_hex(struct rmt_outbuf *w, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[18], *p = tmp + sizeof(tmp);
	size_t n;

	if (!v) {
		rmt_ob_lit(w, "0");
		return;
	}
	while (v) {
		*--p = digits[v & 0xf];
		v >>= 4;
	}
	*--p = 'x';
	*--p = '0';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(rmt_ob_room(w, n), p, n);
	w->len += n;
}
