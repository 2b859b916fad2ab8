// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"

static int rmt_call_cmp(const void *a, const void *b)
{
	__u32 x = ((const struct rmt_call *)a)->enter.task.tid;
	__u32 y = ((const struct rmt_call *)b)->enter.task.tid;

	return x < y ? -1 : x > y;
}

void rmt_tracker_init(struct rmt_tracker *t, const struct rmt_sink *sink)
{
	memset(t, 0, sizeof(*t));
	t->sink = *sink;
}

static void rmt_emit(struct rmt_tracker *t, const struct rmt_call *call)
{
	t->calls++;
	t->sink.call(t->sink.ctx, call);
}

static struct rmt_call *rmt_pending_take(struct rmt_tracker *t, __u32 tid)
{
	struct rmt_call key = { .enter.task.tid = tid };
	struct rmt_call **found, *call;

	found = tfind(&key, &t->pending, rmt_call_cmp);
	if (!found)
		return NULL;
	call = *found;
	tdelete(call, &t->pending, rmt_call_cmp);
	return call;
}

static void rmt_on_enter(struct rmt_tracker *t, const struct rmt_enter_record *e)
{
	struct rmt_call *call = rmt_pending_take(t, e->task.tid);

	/* A thread's earlier call whose exit never came (it was lost). */
	if (call) {
		rmt_emit(t, call);
		free(call);
	}
	call = calloc(1, sizeof(*call));
	if (!call)
		abort();
	call->has_enter = true;
	call->enter = *e;
	if (!tsearch(call, &t->pending, rmt_call_cmp))
		abort();
}

static void rmt_on_exit(struct rmt_tracker *t, const struct rmt_exit_record *x)
{
	struct rmt_call *call = rmt_pending_take(t, x->task.tid);
	struct rmt_call orphan = { 0 };

	if (!call)
		call = &orphan;
	call->has_exit = true;
	call->exit = *x;
	rmt_emit(t, call);
	if (call != &orphan)
		free(call);
}

void rmt_tracker_feed(struct rmt_tracker *t, const struct rmt_record *rec)
{
	switch (rec->type) {
	case RMT_REC_ENTER:
		rmt_on_enter(t, &rec->u.enter);
		break;
	case RMT_REC_EXIT:
		rmt_on_exit(t, &rec->u.exit);
		break;
	case RMT_REC_LOST:
		t->lost += rec->u.lost.count;
		t->sink.lost(t->sink.ctx, &rec->u.lost);
		break;
	}
}

struct rmt_collect {
	struct rmt_call **calls;
	size_t n;
};

static void rmt_collect_one(const void *node, VISIT which, void *ctx)
{
	struct rmt_collect *c = ctx;

	if (which == postorder || which == leaf)
		c->calls[c->n++] = *(struct rmt_call * const *)node;
}

static int rmt_call_time_cmp(const void *a, const void *b)
{
	const struct rmt_call *x = *(struct rmt_call * const *)a;
	const struct rmt_call *y = *(struct rmt_call * const *)b;

	if (x->enter.hdr.time_ns != y->enter.hdr.time_ns)
		return x->enter.hdr.time_ns < y->enter.hdr.time_ns ? -1 : 1;
	return rmt_call_cmp(x, y);
}

static void rmt_count_one(const void *node, VISIT which, void *ctx)
{
	(void)node;
	if (which == postorder || which == leaf)
		(*(size_t *)ctx)++;
}

void rmt_tracker_finish(struct rmt_tracker *t)
{
	struct rmt_collect c = { 0 };
	size_t n = 0, i;

	twalk_r(t->pending, rmt_count_one, &n);
	if (!n)
		return;
	c.calls = calloc(n, sizeof(*c.calls));
	if (!c.calls)
		abort();
	twalk_r(t->pending, rmt_collect_one, &c);
	qsort(c.calls, c.n, sizeof(*c.calls), rmt_call_time_cmp);
	for (i = 0; i < c.n; i++) {
		tdelete(c.calls[i], &t->pending, rmt_call_cmp);
		rmt_emit(t, c.calls[i]);
		free(c.calls[i]);
	}
	free(c.calls);
}
