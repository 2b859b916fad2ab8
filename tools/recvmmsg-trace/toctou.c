// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>

#include "toctou.h"

/*
 * Did both records read the same vector of the same call? Socketcall's
 * arguments are read again from user memory at exit, and the calls of a
 * pair made across lost records may be two (the exit names its enter's
 * time: the tracker pairs no other; 0 when the module could not follow
 * the call, every place of its table of calls in flight being taken):
 * fields compared then would differ and mean nothing.
 */
static bool rmt_same_vector(const struct rmt_pair *pair)
{
	const struct rmt_call *in = &pair->enter->call, *out = &pair->exit->call;
	__u64 enter_time = pair->exit->task.enter_time_ns;

	return (!enter_time || enter_time == pair->enter->hdr.time_ns) &&
	       !((in->faults | out->faults) & RMT_FAULT_ARGS) && in->via == out->via &&
	       in->syscall_nr == out->syscall_nr &&
	       in->args[RMT_ARG_FD] == out->args[RMT_ARG_FD] &&
	       in->args[RMT_ARG_MMSG] == out->args[RMT_ARG_MMSG] &&
	       in->args[RMT_ARG_VLEN] == out->args[RMT_ARG_VLEN] &&
	       in->args[RMT_ARG_FLAGS] == out->args[RMT_ARG_FLAGS];
}

static const char *const rmt_iov_fields[RMT_MAX_IOV][2] = {
	{ "msg_iov[0].iov_base", "msg_iov[0].iov_len" },
	{ "msg_iov[1].iov_base", "msg_iov[1].iov_len" },
	{ "msg_iov[2].iov_base", "msg_iov[2].iov_len" },
	{ "msg_iov[3].iov_base", "msg_iov[3].iov_len" },
};

/*
 * Message @i's changed fields into @fields, which has room for all: the
 * iovecs only when the array itself did not move (if it did, that is the
 * change to report, not what another array holds).
 */
static size_t rmt_msg_toctou(__u32 i, const struct rmt_msg_enter *in,
			     const struct rmt_msg_exit *at_exit, struct rmt_toctou *fields)
{
	const struct rmt_msg_ptrs *p = &at_exit->ptrs;
	const struct rmt_toctou hdr[RMT_TOCTOU_HDR_FIELDS] = {
		{ i, "msg_name", in->name, p->name },
		{ i, "msg_iov", in->iov, p->iov },
		{ i, "msg_iovlen", in->iovlen, p->iovlen },
		{ i, "msg_control", in->control, p->control },
	};
	size_t n = 0;
	__u32 f, j, nr_iov;

	for (f = 0; f < RMT_TOCTOU_HDR_FIELDS; f++)
		if (hdr[f].enter != hdr[f].exit)
			fields[n++] = hdr[f];
	if (in->iov != p->iov)
		return n;
	nr_iov = in->nr_iov < at_exit->nr_iov ? in->nr_iov : at_exit->nr_iov;
	for (j = 0; j < nr_iov && j < RMT_MAX_IOV; j++) {
		const struct rmt_iovec *a = &in->iov_snap[j], *b = &at_exit->iov_snap[j];

		if (a->base != b->base)
			fields[n++] = (struct rmt_toctou){ i, rmt_iov_fields[j][0], a->base, b->base };
		if (a->len != b->len)
			fields[n++] = (struct rmt_toctou){ i, rmt_iov_fields[j][1], a->len, b->len };
	}
	return n;
}

size_t rmt_pair_toctou(const struct rmt_pair *pair, struct rmt_toctou *out, size_t max)
{
	struct rmt_toctou fields[RMT_TOCTOU_FIELDS];
	size_t found = 0, nf, f;
	__u32 n, i;

	/* Only received messages are read again at exit. */
	if (!pair->enter || !pair->exit || !rmt_same_vector(pair))
		return 0;
	n = pair->enter->call.nr_msgs;
	if (pair->exit->call.nr_msgs < n)
		n = pair->exit->call.nr_msgs;
	for (i = 0; i < n; i++) {
		nf = rmt_msg_toctou(i, &pair->enter->msgs[i], &pair->exit->msgs[i], fields);
		for (f = 0; f < nf; f++, found++)
			if (found < max)
				out[found] = fields[f];
	}
	return found;
}

static bool rmt_toctou_only_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_sink *inner = ctx;

	return rmt_pair_toctou(pair, NULL, 0) && inner->call(inner->ctx, pair);
}

static void rmt_toctou_only_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_sink *inner = ctx;

	inner->lost(inner->ctx, lost);
}

void rmt_toctou_only_sink(struct rmt_sink *wrap, struct rmt_sink *inner)
{
	wrap->call = rmt_toctou_only_call;
	wrap->lost = rmt_toctou_only_lost;
	wrap->ctx = inner;
}
