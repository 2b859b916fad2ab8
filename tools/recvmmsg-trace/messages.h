/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both printers show of a call: its arguments, its messages (enter
 * snapshot merged with what exit found), fault names, source addresses.
 */
#ifndef RMT_MESSAGES_H
#define RMT_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "calls.h"

/* One message: what the task passed, and what it received. */
struct rmt_msg_view {
	const struct rmt_msg_enter *in;		/* NULL: not captured at enter */
	const struct rmt_msg_exit *out;		/* NULL: nothing received */
};

/* The call's arguments: from the enter record, else from the exit. */
const struct rmt_call *rmt_pair_call(const struct rmt_pair *pair);
/* Who made a call, as both record types name it. */
struct rmt_who {
	uint32_t tgid;
	uint32_t tid;
	const char *comm;	/* RMT_COMM_LEN bytes, NUL-padded */
};

/* The record that names the task: the enter record, else the exit. */
const struct rmt_record_header *rmt_pair_header(const struct rmt_pair *pair,
						struct rmt_who *who);

/*
 * The messages to show: the received ones when the call returned more than
 * 0, else the ones captured at enter. Fills @views (RMT_SNAPLEN_MAX entries)
 * and returns how many; *more is set when the call had more than these.
 */
size_t rmt_pair_messages(const struct rmt_pair *pair, struct rmt_msg_view *views,
			 int *more);

/* Names of RMT_FAULT_* bits, in bit order; returns how many (at most 32). */
size_t rmt_fault_names(uint32_t faults, const char **names);

/*
 * Bytes of a source address that can be shown: what was read, never more
 * than the address is long or the record holds.
 */
static inline uint32_t rmt_name_have(uint32_t namelen, uint32_t name_bytes)
{
	uint32_t have = name_bytes < namelen ? name_bytes : namelen;

	return have < RMT_NAME_BYTES ? have : RMT_NAME_BYTES;
}

/*
 * A source address as one string: "127.0.0.1:5000", "[::1]:5000", a unix
 * path, "@name" for an abstract unix name, from the @have bytes of it that
 * were read. Returns 0 when there is none (unnamed socket, not read, too
 * short for its family, unknown family).
 */
int rmt_format_source(char *buf, size_t len, const uint8_t *name, uint32_t have);

/*
 * @len bytes as text safe for one line of a terminal or a log: a backslash,
 * a double quote, control bytes and bytes from 0x7f on become C escapes
 * (\\, \", \a, \b, \t, \n, \v, \f, \r, else three octal digits), as
 * strace writes strings. @dst needs room for 4 * @len + 1 bytes; returns @dst.
 */
#define RMT_ESCAPED_SIZE(len)	(4 * (len) + 1)
char *rmt_escape(char *dst, const uint8_t *src, size_t len);

#endif /* RMT_MESSAGES_H */
