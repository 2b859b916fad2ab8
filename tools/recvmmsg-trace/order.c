// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "order.h"

/* A copy of one read()'s bytes, freed once its last queued record leaves. */
struct rmt_order_block {
	size_t live;
	_Alignas(8) unsigned char data[];
};

int rmt_order_init(struct rmt_order *o, uint32_t nr_cpus)
{
	memset(o, 0, sizeof(*o));
	o->nr_cpus = nr_cpus;
	o->last = calloc(nr_cpus ? nr_cpus : 1, sizeof(*o->last));
	return o->last ? 0 : -1;
}

void rmt_order_round(struct rmt_order *o, uint64_t time)
{
	if (time > o->round)
		o->round = time;
}

uint64_t rmt_order_passed(const struct rmt_order *o)
{
	uint64_t passed = UINT64_MAX;
	uint32_t c;

	for (c = 0; c < o->nr_cpus; c++) {
		uint64_t t = o->last[c] > o->round ? o->last[c] : o->round;

		if (t < passed)
			passed = t;
	}
	return o->nr_cpus ? passed : o->round;
}

/* Time, then CPU, then the order records were read in (each CPU's own). */
static int rmt_order_cmp(const void *a, const void *b)
{
	const struct rmt_order_entry *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->rec.seq < y->rec.seq ? -1 : x->rec.seq > y->rec.seq;
}

/*
 * Room for @more entries after those that wait. What waits moves to the
 * front only when the end is full: moving it at every read would cost as
 * much as the queue is long, every time.
 */
static int rmt_order_room(struct rmt_order *o, size_t more)
{
	size_t waiting = o->n - o->head, cap = o->cap ? o->cap : 1024;
	struct rmt_order_entry *q, *spare;

	if (o->n + more <= o->cap)
		return 0;
	if (o->head) {
		memmove(o->q, o->q + o->head, waiting * sizeof(*o->q));
		o->n = waiting;
		o->head = 0;
	}
	if (waiting + more <= o->cap)
		return 0;
	while (cap < waiting + more)
		cap *= 2;
	q = realloc(o->q, cap * sizeof(*q));
	if (!q)
		return -1;
	o->q = q;
	spare = realloc(o->spare, cap * sizeof(*spare));
	if (!spare)
		return -1;
	o->spare = spare;
	o->cap = cap;
	return 0;
}

/*
 * The new entries at [@from, n) are sorted, then merged with those that
 * were waiting (sorted already) from the first one the new ones precede:
 * records of a later read mostly come after all that waits, and then
 * nothing moves.
 */
static void rmt_order_merge(struct rmt_order *o, size_t from)
{
	size_t a = o->head, hi = from, b = from, k = 0, start;

	qsort(o->q + from, o->n - from, sizeof(*o->q), rmt_order_cmp);
	if (a == from || rmt_order_cmp(&o->q[from - 1], &o->q[from]) <= 0)
		return;
	/* The first waiting entry that comes after the earliest new one. */
	while (a < hi) {
		size_t mid = a + (hi - a) / 2;

		if (rmt_order_cmp(&o->q[mid], &o->q[from]) <= 0)
			a = mid + 1;
		else
			hi = mid;
	}
	start = a;
	while (a < from && b < o->n)
		o->spare[k++] = rmt_order_cmp(&o->q[b], &o->q[a]) < 0 ? o->q[b++] : o->q[a++];
	while (a < from)
		o->spare[k++] = o->q[a++];
	while (b < o->n)
		o->spare[k++] = o->q[b++];
	memcpy(o->q + start, o->spare, k * sizeof(*o->q));
}

int rmt_order_add(struct rmt_order *o, const struct rmt_record *recs, size_t n)
{
	const unsigned char *first, *end;
	struct rmt_order_block *b;
	size_t i, want = 0, from;

	for (i = 0; i < n; i++)
		want += recs[i].type != RMT_REC_ROUND;
	if (!want)
		return 0;
	if (rmt_order_room(o, want))
		return -1;
	/* The records lie in stream order, one after the other. */
	first = (const unsigned char *)recs[0].u.hdr;
	end = (const unsigned char *)recs[n - 1].u.hdr + recs[n - 1].u.hdr->size;
	b = malloc(sizeof(*b) + (size_t)(end - first));
	if (!b)
		return -1;
	memcpy(b->data, first, (size_t)(end - first));
	b->live = want;
	from = o->n;
	for (i = 0; i < n; i++) {
		struct rmt_order_entry *e;

		if (recs[i].type == RMT_REC_ROUND)
			continue;
		e = &o->q[o->n++];
		e->rec = recs[i];
		e->rec.seq = o->seq++;
		e->rec.u.hdr = (const void *)(b->data +
					      ((const unsigned char *)recs[i].u.hdr - first));
		e->time = e->rec.u.hdr->time_ns;
		e->cpu = e->rec.u.hdr->cpu;
		e->block = b;
		/* Each CPU's records come in its time order. */
		if (e->cpu < o->nr_cpus && e->time > o->last[e->cpu])
			o->last[e->cpu] = e->time;
	}
	rmt_order_merge(o, from);
	return 0;
}

void rmt_order_flush(struct rmt_order *o, uint64_t upto, struct rmt_tracker *t,
		     unsigned long long limit)
{
	size_t i, end = o->head;

	while (end < o->n && o->q[end].time < upto) {
		if (!limit || t->calls < limit)
			rmt_tracker_feed(t, &o->q[end].rec);
		end++;
	}
	if (end == o->head)
		return;
	/* Enter records still waiting for their exit leave the blocks first. */
	rmt_tracker_keep(t);
	for (i = o->head; i < end; i++)
		if (!--o->q[i].block->live)
			free(o->q[i].block);
	o->head = end;
}

size_t rmt_order_queued(const struct rmt_order *o)
{
	return o->n - o->head;
}

void rmt_order_free(struct rmt_order *o)
{
	size_t i;

	for (i = o->head; i < o->n; i++)
		if (!--o->q[i].block->live)
			free(o->q[i].block);
	free(o->q);
	free(o->spare);
	free(o->last);
	memset(o, 0, sizeof(*o));
}
