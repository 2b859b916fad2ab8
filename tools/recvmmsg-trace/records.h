/* SPDX-License-Identifier: GPL-2.0 */
/* Splitting a byte stream from /dev/recvmmsg_trace into checked records. */
#ifndef RMT_RECORDS_H
#define RMT_RECORDS_H

#include <stddef.h>
#include <linux/recvmmsg_trace.h>

/*
 * The reader's own record type, in capture files only (the module's types
 * stay below 0x8000): a round, struct rmt_record_header alone, whose
 * time_ns says that every record older than it was read before it.
 */
#define RMT_REC_ROUND		0x8001

/*
 * One record of a known type, size-checked, pointing into the buffer it
 * was decoded from (valid as long as that buffer is).
 */
struct rmt_record {
	unsigned int type;			/* enum rmt_record_type */
	size_t seq;				/* position in the stream */
	union {
		const struct rmt_record_header *hdr;
		const struct rmt_enter_record *enter;
		const struct rmt_exit_record *exit;
		const struct rmt_lost_record *lost;
	} u;
};

/*
 * Decode the records in buf[0..len); @buf must be 8-byte aligned. Known
 * types are appended to @out (at most @max), unknown types are skipped and
 * counted in @skipped. Returns the number of records stored, or -1 when the
 * stream is malformed, with the offset of the bad record in @bad_offset.
 */
long rmt_records_decode(const void *buf, size_t len, struct rmt_record *out,
			size_t max, size_t *skipped, size_t *bad_offset);

/* Sort records by time, then CPU, keeping each CPU's order. */
void rmt_records_sort(struct rmt_record *recs, size_t n);

/* Name of a syscall number found in records. */
const char *rmt_syscall_name(unsigned int nr);

#endif /* RMT_RECORDS_H */
