// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "records.h"

const char *rmt_syscall_name(unsigned int nr)
{
	return nr == RMT_NR_IA32_RECVMMSG_TIME32 ? "recvmmsg_time32" : "syscall";
}

static size_t rmt_min_size(unsigned int type)
{
	switch (type) {
	case RMT_REC_ENTER:
		return sizeof(struct rmt_enter_record);
	case RMT_REC_EXIT:
		return sizeof(struct rmt_exit_record);
	case RMT_REC_LOST:
		return sizeof(struct rmt_lost_record);
	default:
		return 0;
	}
}

long rmt_records_decode(const void *buf, size_t len, struct rmt_record *out,
			size_t max, size_t *skipped, size_t *bad_offset)
{
	const unsigned char *p = buf;
	size_t off = 0;
	long n = 0;

	while (off < len) {
		struct rmt_record_header hdr;
		size_t need;

		if (len - off < sizeof(hdr))
			goto bad;
		memcpy(&hdr, p + off, sizeof(hdr));
		if (hdr.size < sizeof(hdr) || hdr.size > len - off)
			goto bad;
		need = rmt_min_size(hdr.type);
		if (!need) {
			(*skipped)++;
		} else if (hdr.size < need) {
			goto bad;
		} else if ((size_t)n < max) {
			/* Newer, longer records keep their known prefix. */
			out[n].type = hdr.type;
			out[n].seq = (size_t)n;
			memcpy(&out[n].u, p + off, need);
			n++;
		}
		off += hdr.size;
	}
	return n;
bad:
	*bad_offset = off;
	return -1;
}

static int rmt_record_cmp(const void *a, const void *b)
{
	const struct rmt_record *ra = a, *rb = b;
	const struct rmt_record_header *x = &ra->u.hdr, *y = &rb->u.hdr;

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
