/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vectors rewritten while their call ran. The kernel reads each mmsghdr
 * only when it gets to that message, so a second thread can change a
 * message's pointers after the call started and before the kernel used
 * them: the enter record holds them as passed, the exit record as they
 * were at the end. A difference is reported, never explained away.
 */
#ifndef RMT_TOCTOU_H
#define RMT_TOCTOU_H

#include <stddef.h>
#include <stdint.h>

#include "calls.h"

/* One field of a received message that was not at exit what was passed. */
struct rmt_toctou {
	uint32_t msg;		/* the message's index in the vector */
	/* "msg_name", "msg_iov", "msg_iovlen", "msg_control", "msg_iov[J].iov_base" or "...iov_len" */
	const char *field;
	uint32_t enter, exit;	/* its value as passed, and at exit */
};

/*
 * Fields compared per message: four of the msg_hdr (not msg_controllen:
 * the kernel writes it) and both of each iovec captured.
 */
#define RMT_TOCTOU_HDR_FIELDS	4
#define RMT_TOCTOU_FIELDS	(RMT_TOCTOU_HDR_FIELDS + 2 * RMT_MAX_IOV)
#define RMT_TOCTOU_MAX		(RMT_SNAPLEN_MAX * RMT_TOCTOU_FIELDS)

/*
 * The changed fields of the messages both records hold, in vector order,
 * at most @max of them into @out (which may be NULL when @max is 0).
 * Returns how many there are in all.
 */
size_t rmt_pair_toctou(const struct rmt_pair *pair, struct rmt_toctou *out, size_t max);

/* --toctou-only: @wrap passes to @inner only the calls with a change. */
void rmt_toctou_only_sink(struct rmt_sink *wrap, struct rmt_sink *inner);

#endif /* RMT_TOCTOU_H */
