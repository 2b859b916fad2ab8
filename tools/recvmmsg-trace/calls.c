// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <search.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"

/*
 * A call waiting for its exit: its enter record, by reference into the
 * caller's buffer until rmt_tracker_keep() makes it a copy of our own.
 * Copying every enter record costs a tenth of the decoding time.
 */
struct rmt_waiting {
	__u32 tid;
	bool owned;
	const struct rmt_enter_record *enter;
};

static int rmt_waiting_cmp(const void *a, const void *b)
{
	__u32 x = ((const struct rmt_waiting *)a)->tid;
	__u32 y = ((const struct rmt_waiting *)b)->tid;

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

	if (t->sink.call(t->sink.ctx, &pair))
		t->calls++;
}

static void rmt_waiting_free(struct rmt_waiting *w)
{
	if (w->owned)
		free((void *)w->enter);
	free(w);
}

static struct rmt_waiting *rmt_pending_take(struct rmt_tracker *t, __u32 tid)
{
	struct rmt_waiting key = { .tid = tid }, **found, *w;

	found = tfind(&key, &t->pending, rmt_waiting_cmp);
	if (!found)
		return NULL;
	w = *found;
	tdelete(w, &t->pending, rmt_waiting_cmp);
	return w;
}

static void rmt_on_enter(struct rmt_tracker *t, const struct rmt_enter_record *e)
{
	struct rmt_waiting *w;

	if (t->enter_only) {
		rmt_emit(t, e, NULL);
		return;
	}
	/* A thread's earlier call whose exit never came (it was lost). */
	w = rmt_pending_take(t, e->task.tid);
	if (w) {
		rmt_emit(t, w->enter, NULL);
		rmt_waiting_free(w);
	}
	w = malloc(sizeof(*w));
	if (!w)
		abort();
	*w = (struct rmt_waiting){ .tid = e->task.tid, .enter = e };
	if (!tsearch(w, &t->pending, rmt_waiting_cmp))
		abort();
}

static void rmt_on_exit(struct rmt_tracker *t, const struct rmt_exit_record *x)
{
	struct rmt_waiting *w = rmt_pending_take(t, x->task.tid);

	/*
	 * The exit names its enter by time: a waiting call of another time
	 * is an earlier one whose exit was lost, and this one's enter was.
	 */
	if (w && x->task.enter_time_ns && x->task.enter_time_ns != w->enter->hdr.time_ns) {
		rmt_emit(t, w->enter, NULL);
		rmt_waiting_free(w);
		w = NULL;
	}
	rmt_emit(t, w ? w->enter : NULL, x);
	if (w)
		rmt_waiting_free(w);
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

static void rmt_keep_one(const void *node, VISIT which, void *ctx)
{
	struct rmt_waiting *w = *(struct rmt_waiting * const *)node;
	struct rmt_enter_record *copy;

	(void)ctx;
	if ((which != postorder && which != leaf) || w->owned)
		return;
	copy = malloc(w->enter->hdr.size);
	if (!copy)
		abort();
	memcpy(copy, w->enter, w->enter->hdr.size);
	w->enter = copy;
	w->owned = true;
}

void rmt_tracker_keep(struct rmt_tracker *t)
{
	twalk_r(t->pending, rmt_keep_one, NULL);
}

struct rmt_collect {
	struct rmt_waiting **calls;
	size_t n;
};

static void rmt_collect_one(const void *node, VISIT which, void *ctx)
{
	struct rmt_collect *c = ctx;

	if (which == postorder || which == leaf)
		c->calls[c->n++] = *(struct rmt_waiting * const *)node;
}

static void rmt_count_one(const void *node, VISIT which, void *ctx)
{
	(void)node;
	if (which == postorder || which == leaf)
		(*(size_t *)ctx)++;
}

static int rmt_waiting_time_cmp(const void *a, const void *b)
{
	const struct rmt_waiting *x = *(struct rmt_waiting * const *)a;
	const struct rmt_waiting *y = *(struct rmt_waiting * const *)b;

	if (x->enter->hdr.time_ns != y->enter->hdr.time_ns)
		return x->enter->hdr.time_ns < y->enter->hdr.time_ns ? -1 : 1;
	return rmt_waiting_cmp(x, y);
}

void rmt_tracker_finish(struct rmt_tracker *t, unsigned long long limit)
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
	qsort(c.calls, c.n, sizeof(*c.calls), rmt_waiting_time_cmp);
	for (i = 0; i < c.n; i++) {
		tdelete(c.calls[i], &t->pending, rmt_waiting_cmp);
		if (!limit || t->calls < limit)
			rmt_emit(t, c.calls[i]->enter, NULL);
		rmt_waiting_free(c.calls[i]);
	}
	free(c.calls);
}
