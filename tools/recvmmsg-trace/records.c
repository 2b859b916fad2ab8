// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "walk.h"

const char *rmt_syscall_name(unsigned int nr)
{
	switch (nr) {
	case RMT_NR_IA32_RECVMMSG_TIME32:
		return "recvmmsg_time32";
	case RMT_NR_IA32_RECVMMSG_TIME64:
		return "recvmmsg_time64";
	default:
		return "syscall";
	}
}

/* The size a record of @type must have, or 0 when it is malformed. */
static size_t rmt_expected_size(const struct rmt_record_header *hdr)
{
	const struct rmt_enter_record *e = (const void *)hdr;
	const struct rmt_exit_record *x = (const void *)hdr;
	size_t size;
	__u32 i;

	switch (hdr->type) {
	case RMT_REC_ENTER:
		if (hdr->size < sizeof(*e) || e->call.nr_msgs > RMT_SNAPLEN_MAX)
			return 0;
		size = sizeof(*e) + e->call.nr_msgs * sizeof(struct rmt_msg_enter);
		if (hdr->size != size)
			return 0;
		/* The printers index iov_snap by nr_iov. */
		for (i = 0; i < e->call.nr_msgs; i++)
			if (e->msgs[i].nr_iov > RMT_MAX_IOV)
				return 0;
		return size;
	case RMT_REC_EXIT:
		if (hdr->size < sizeof(*x) || x->call.nr_msgs > RMT_SNAPLEN_MAX)
			return 0;
		size = sizeof(*x) + x->call.nr_msgs * sizeof(struct rmt_msg_exit);
		if (hdr->size != size)
			return 0;
		for (i = 0; i < x->call.nr_msgs; i++)
			if (x->msgs[i].nr_iov > RMT_MAX_IOV)
				return 0;
		return size;
	case RMT_REC_LOST:
		return sizeof(struct rmt_lost_record);
	case RMT_REC_ROUND:
		return sizeof(*hdr);
	default:
		return 0;
	}
}

static int rmt_known_type(unsigned int type)
{
	return type == RMT_REC_ENTER || type == RMT_REC_EXIT || type == RMT_REC_LOST ||
	       type == RMT_REC_ROUND;
}

long rmt_records_decode(const void *buf, size_t len, struct rmt_record *out,
			size_t max, size_t *skipped, size_t *bad_offset)
{
	const struct rmt_record_header *hdr;
	size_t off = 0;
	long n = 0;
	enum rmt_step step;

	while ((step = rmt_step(buf, len, off, &hdr)) == RMT_STEP_RECORD) {
		if (!rmt_known_type(hdr->type)) {
			(*skipped)++;
		} else if (rmt_expected_size(hdr) != hdr->size) {
			break;
		} else if ((size_t)n < max) {
			out[n].type = hdr->type;
			out[n].seq = (size_t)n;
			out[n].u.hdr = hdr;
			n++;
		}
		off += hdr->size;
	}
	if (step == RMT_STEP_END)
		return n;
	*bad_offset = off;
	return -1;
}

static int rmt_record_cmp(const void *a, const void *b)
{
	const struct rmt_record *ra = a, *rb = b;
	const struct rmt_record_header *x = ra->u.hdr, *y = rb->u.hdr;

	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	/* Same CPU, same time: keep the order the CPU wrote them in. */
	return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

void rmt_records_sort(struct rmt_record *recs, size_t n)
{
	qsort(recs, n, sizeof(*recs), rmt_record_cmp);
}
