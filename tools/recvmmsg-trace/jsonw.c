// SPDX-License-Identifier: GPL-2.0
#include "jsonw.h"

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t rmt_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void rmt_jw_str(struct rmt_outbuf *w, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	rmt_ob_lit(w, "\"");
	while (i < n) {
		unsigned char c = s[i];
		/* The longest thing one step writes: \u00XX. */
		char *p = rmt_ob_room(w, 6);
		size_t seq;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*p = (char)c;
			w->len++;
			i++;
			continue;
		}
		if (c >= 0x80 && (seq = rmt_utf8_len(s + i, n - i))) {
			memcpy(p, s + i, seq);
			w->len += seq;
			i += seq;
			continue;
		}
		p[0] = '\\';
		switch (c) {
		case '"':
		case '\\':
			p[1] = (char)c;
			w->len += 2;
			break;
		case '\n':
			p[1] = 'n';
			w->len += 2;
			break;
		case '\t':
			p[1] = 't';
			w->len += 2;
			break;
		case '\r':
			p[1] = 'r';
			w->len += 2;
			break;
		default:
			memcpy(p + 1, "u00", 3);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			w->len += 6;
			break;
		}
		i++;
	}
	rmt_ob_lit(w, "\"");
}
