// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "messages.h"

const struct rmt_call *rmt_pair_call(const struct rmt_pair *pair)
{
	return pair->enter ? &pair->enter->call : &pair->exit->call;
}

const struct rmt_record_header *rmt_pair_header(const struct rmt_pair *pair,
						struct rmt_who *who)
{
	if (pair->enter) {
		const struct rmt_task *t = &pair->enter->task;

		*who = (struct rmt_who){ .tgid = t->tgid, .tid = t->tid, .comm = t->comm };
		return &pair->enter->hdr;
	}
	*who = (struct rmt_who){
		.tgid = pair->exit->task.tgid,
		.tid = pair->exit->task.tid,
		.comm = pair->exit->task.comm,
	};
	return &pair->exit->hdr;
}

size_t rmt_pair_messages(const struct rmt_pair *pair, struct rmt_msg_view *views,
			 int *more)
{
	const struct rmt_call *in = pair->enter ? &pair->enter->call : NULL;
	size_t n, i;

	if (pair->exit && pair->exit->call.ret > 0) {
		const struct rmt_call *out = &pair->exit->call;

		n = out->nr_msgs;
		for (i = 0; i < n; i++) {
			views[i].out = &pair->exit->msgs[i];
			views[i].in = in && i < in->nr_msgs ? &pair->enter->msgs[i] : NULL;
		}
		*more = out->ret > (__s64)n;
		return n;
	}
	if (!in)
		return *more = 0;
	n = in->nr_msgs;
	for (i = 0; i < n; i++) {
		views[i].in = &pair->enter->msgs[i];
		views[i].out = NULL;
	}
	*more = in->args[RMT_ARG_VLEN] > n;
	return n;
}

size_t rmt_fault_names(uint32_t faults, const char **names)
{
	static const char *const bit_names[] = {
		"args", "mmsg", "iov", "timeout", "name",
	};
	size_t n = 0, bit;

	for (bit = 0; bit < 32; bit++) {
		if (!(faults & (1U << bit)))
			continue;
		names[n++] = bit < sizeof(bit_names) / sizeof(bit_names[0]) ?
			     bit_names[bit] : "unknown";
	}
	return n;
}

/* @v in decimal at @p; returns the end. */
static char *rmt_put_dec(char *p, unsigned int v)
{
	char tmp[10], *t = tmp + sizeof(tmp);
	size_t n;

	do {
		*--t = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - t);
	memcpy(p, t, n);
	return p + n;
}

int rmt_format_source(char *buf, size_t len, const uint8_t *name, uint32_t have)
{
	char addr[INET6_ADDRSTRLEN];
	sa_family_t family;

	if (have < sizeof(family))
		return 0;
	memcpy(&family, name, sizeof(family));
	if (family == AF_INET && have >= sizeof(struct sockaddr_in) && len >= 22) {
		struct sockaddr_in sin;
		const uint8_t *a;
		char *p = buf;

		/* Without printf: the JSON printer calls this for every message. */
		memcpy(&sin, name, sizeof(sin));
		a = (const uint8_t *)&sin.sin_addr;
		p = rmt_put_dec(p, a[0]);
		*p++ = '.';
		p = rmt_put_dec(p, a[1]);
		*p++ = '.';
		p = rmt_put_dec(p, a[2]);
		*p++ = '.';
		p = rmt_put_dec(p, a[3]);
		*p++ = ':';
		p = rmt_put_dec(p, ntohs(sin.sin_port));
		*p = '\0';
		return 1;
	}
	if (family == AF_INET6 && have >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, name, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, addr, sizeof(addr));
		snprintf(buf, len, "[%s]:%u", addr, ntohs(sin6.sin6_port));
		return 1;
	}
	if (family == AF_UNIX && have > sizeof(family)) {
		const char *path = (const char *)name + sizeof(family);
		size_t plen = have - sizeof(family);

		/* An abstract name starts with a NUL byte and is not terminated. */
		if (path[0] == '\0')
			snprintf(buf, len, "@%.*s", (int)plen - 1, path + 1);
		else
			snprintf(buf, len, "%.*s", (int)strnlen(path, plen), path);
		return 1;
	}
	return 0;
}

/* The letter of C's escape for @c, or 0 when it has none. */
static char rmt_escape_letter(uint8_t c)
{
	switch (c) {
	case '\\': return '\\';
	case '"': return '"';
	case '\a': return 'a';
	case '\b': return 'b';
	case '\t': return 't';
	case '\n': return 'n';
	case '\v': return 'v';
	case '\f': return 'f';
	case '\r': return 'r';
	default: return 0;
	}
}

char *rmt_escape(char *dst, const uint8_t *src, size_t len)
{
	char *p = dst;
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = src[i];
		char letter = rmt_escape_letter(c);

		if (letter) {
			*p++ = '\\';
			*p++ = letter;
		} else if (c < 0x20 || c >= 0x7f) {
			*p++ = '\\';
			*p++ = (char)('0' + (c >> 6));
			*p++ = (char)('0' + ((c >> 3) & 7));
			*p++ = (char)('0' + (c & 7));
		} else {
			*p++ = (char)c;
		}
	}
	*p = '\0';
	return dst;
}
