// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"

/* Pending calls are copies of their enter records, keyed by thread. */
static int rmt_enter_cmp(const void *a, const void *b)
{
	__u32 x = ((const struct rmt_enter_record *)a)->task.tid;
	__u32 y = ((const struct rmt_enter_record *)b)->task.tid;

	return x < y ? -1 : x > y;
}

void rmt_tracker_init(struct rmt_tracker *t, const struct rmt_sink *sink)
{
	memset(t, 0, sizeof(*t));
	t->sink = *sink;
}

static void rmt_emit(struct rmt_tracker *t, const struct rmt_enter_record *enter,
		     const struct rmt_exit_record *exit)
{
	struct rmt_pair pair = { .enter = enter, .exit = exit };

	t->calls++;
	t->sink.call(t->sink.ctx, &pair);
}

static struct rmt_enter_record *rmt_pending_take(struct rmt_tracker *t, __u32 tid)
{
	struct rmt_enter_record key = { .task.tid = tid };
	struct rmt_enter_record **found, *enter;

	found = tfind(&key, &t->pending, rmt_enter_cmp);
	if (!found)
		return NULL;
	enter = *found;
	tdelete(enter, &t->pending, rmt_enter_cmp);
	return enter;
}

static void rmt_on_enter(struct rmt_tracker *t, const struct rmt_enter_record *e)
{
	struct rmt_enter_record *copy;

	if (t->enter_only) {
		rmt_emit(t, e, NULL);
		return;
	}
	copy = rmt_pending_take(t, e->task.tid);

	/* A thread's earlier call whose exit never came (it was lost). */
	if (copy) {
		rmt_emit(t, copy, NULL);
		free(copy);
	}
	copy = malloc(e->hdr.size);
	if (!copy)
		abort();
	memcpy(copy, e, e->hdr.size);
	if (!tsearch(copy, &t->pending, rmt_enter_cmp))
		abort();
}

static void rmt_on_exit(struct rmt_tracker *t, const struct rmt_exit_record *x)
{
	struct rmt_enter_record *enter = rmt_pending_take(t, x->task.tid);

	rmt_emit(t, enter, x);
	free(enter);
}

void rmt_tracker_feed(struct rmt_tracker *t, const struct rmt_record *rec)
{
	switch (rec->type) {
	case RMT_REC_ENTER:
		rmt_on_enter(t, rec->u.enter);
		break;
	case RMT_REC_EXIT:
		rmt_on_exit(t, rec->u.exit);
		break;
	case RMT_REC_LOST:
		t->lost += rec->u.lost->count;
		t->sink.lost(t->sink.ctx, rec->u.lost);
		break;
	}
}

struct rmt_collect {
	struct rmt_enter_record **enters;
	size_t n;
};

static void rmt_collect_one(const void *node, VISIT which, void *ctx)
{
	struct rmt_collect *c = ctx;

	if (which == postorder || which == leaf)
		c->enters[c->n++] = *(struct rmt_enter_record * const *)node;
}

static void rmt_count_one(const void *node, VISIT which, void *ctx)
{
	(void)node;
	if (which == postorder || which == leaf)
		(*(size_t *)ctx)++;
}

static int rmt_enter_time_cmp(const void *a, const void *b)
{
	const struct rmt_enter_record *x = *(struct rmt_enter_record * const *)a;
	const struct rmt_enter_record *y = *(struct rmt_enter_record * const *)b;

	if (x->hdr.time_ns != y->hdr.time_ns)
		return x->hdr.time_ns < y->hdr.time_ns ? -1 : 1;
	return rmt_enter_cmp(x, y);
}

void rmt_tracker_finish(struct rmt_tracker *t)
{
	struct rmt_collect c = { 0 };
	size_t n = 0, i;

	twalk_r(t->pending, rmt_count_one, &n);
	if (!n)
		return;
	c.enters = calloc(n, sizeof(*c.enters));
	if (!c.enters)
		abort();
	twalk_r(t->pending, rmt_collect_one, &c);
	qsort(c.enters, c.n, sizeof(*c.enters), rmt_enter_time_cmp);
	for (i = 0; i < c.n; i++) {
		tdelete(c.enters[i], &t->pending, rmt_enter_cmp);
		rmt_emit(t, c.enters[i], NULL);
		free(c.enters[i]);
	}
	free(c.enters);
}
