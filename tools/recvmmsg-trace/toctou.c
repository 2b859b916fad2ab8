// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>

#include "toctou.h"

/*
 * Did both records read the same vector? Socketcall's arguments are read
 * again from user memory at exit, and a pair made across lost records is
 * two calls: fields compared then would all differ, and mean nothing.
 */
static bool rmt_same_vector(const struct rmt_pair *pair)
{
	const struct rmt_call *in = &pair->enter->call, *out = &pair->exit->call;

	return !((in->faults | out->faults) & RMT_FAULT_ARGS) && in->via == out->via &&
	       in->syscall_nr == out->syscall_nr &&
	       in->args[RMT_ARG_FD] == out->args[RMT_ARG_FD] &&
	       in->args[RMT_ARG_MMSG] == out->args[RMT_ARG_MMSG] &&
	       in->args[RMT_ARG_VLEN] == out->args[RMT_ARG_VLEN] &&
	       in->args[RMT_ARG_FLAGS] == out->args[RMT_ARG_FLAGS];
}

size_t rmt_pair_toctou(const struct rmt_pair *pair, struct rmt_toctou *out, size_t max)
{
	size_t found = 0;
	__u32 n, i, f;

	/* Only received messages are read again at exit. */
	if (!pair->enter || !pair->exit || !rmt_same_vector(pair))
		return 0;
	n = pair->enter->call.nr_msgs;
	if (pair->exit->call.nr_msgs < n)
		n = pair->exit->call.nr_msgs;
	for (i = 0; i < n; i++) {
		const struct rmt_msg_enter *in = &pair->enter->msgs[i];
		const struct rmt_msg_ptrs *at_exit = &pair->exit->msgs[i].ptrs;
		const struct rmt_toctou fields[RMT_TOCTOU_FIELDS] = {
			{ i, "msg_name", in->name, at_exit->name },
			{ i, "msg_iov", in->iov, at_exit->iov },
			{ i, "msg_iovlen", in->iovlen, at_exit->iovlen },
			{ i, "msg_control", in->control, at_exit->control },
		};

		for (f = 0; f < RMT_TOCTOU_FIELDS; f++) {
			if (fields[f].enter == fields[f].exit)
				continue;
			if (found < max)
				out[found] = fields[f];
			found++;
		}
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
