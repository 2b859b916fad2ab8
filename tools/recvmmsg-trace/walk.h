/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stepping through a stream of records, as read() returns them and capture
 * files keep them: the one copy of the rules, shared by the reader, the
 * capture-file code and the selftests. Every record starts with a struct
 * rmt_record_header whose size covers the whole record, is a multiple of 8
 * (so that the next header stays aligned) and at most RMT_RECORD_MAX_SIZE.
 */
#ifndef RMT_WALK_H
#define RMT_WALK_H

#include <stddef.h>
#include <linux/recvmmsg_trace.h>

enum rmt_step {
	RMT_STEP_RECORD,	/* *hdr is a whole record */
	RMT_STEP_END,		/* no byte left */
	RMT_STEP_CUT,		/* the bytes left are the start of a record */
	RMT_STEP_BAD,		/* a header whose size cannot be right */
};

/* The record at byte @off of buf[0..len); @buf is 8-byte aligned. */
static inline enum rmt_step rmt_step(const void *buf, size_t len, size_t off,
				     const struct rmt_record_header **hdr)
{
	const struct rmt_record_header *h;

	if (off >= len)
		return RMT_STEP_END;
	if (len - off < sizeof(*h))
		return RMT_STEP_CUT;
	h = (const struct rmt_record_header *)((const char *)buf + off);
	if (h->size < sizeof(*h) || h->size % 8 || h->size > RMT_RECORD_MAX_SIZE)
		return RMT_STEP_BAD;
	if (h->size > len - off)
		return RMT_STEP_CUT;
	*hdr = h;
	return RMT_STEP_RECORD;
}

#endif /* RMT_WALK_H */
