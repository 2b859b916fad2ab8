// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "order.h"

/* A copy of one read()'s bytes, freed once its last queued record leaves. */
struct rmt_order_block {
	size_t live;
	_Alignas(8) unsigned char data[];
};

void rmt_order_init(struct rmt_order *o)
{
	memset(o, 0, sizeof(*o));
}

int rmt_order_add(struct rmt_order *o, const struct rmt_record *recs, size_t n)
{
	const unsigned char *first, *end;
	struct rmt_order_block *b;
	size_t i, want = 0;

	for (i = 0; i < n; i++)
		want += recs[i].type != RMT_REC_ROUND;
	if (!want)
		return 0;
	/* The records lie in stream order, one after the other. */
	first = (const unsigned char *)recs[0].u.hdr;
	end = (const unsigned char *)recs[n - 1].u.hdr + recs[n - 1].u.hdr->size;
	if (o->n + want > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		struct rmt_order_entry *q;

		while (cap < o->n + want)
			cap *= 2;
		q = realloc(o->q, cap * sizeof(*q));
		if (!q)
			return -1;
		o->q = q;
		o->cap = cap;
	}
	b = malloc(sizeof(*b) + (size_t)(end - first));
	if (!b)
		return -1;
	memcpy(b->data, first, (size_t)(end - first));
	b->live = want;
	for (i = 0; i < n; i++) {
		struct rmt_order_entry *e;

		if (recs[i].type == RMT_REC_ROUND)
			continue;
		e = &o->q[o->n++];
		e->rec = recs[i];
		e->rec.seq = o->seq++;
		e->rec.u.hdr = (const void *)(b->data +
					      ((const unsigned char *)recs[i].u.hdr - first));
		e->block = b;
	}
	return 0;
}

/* Time, then CPU, then the order records were read in (each CPU's own). */
static int rmt_order_cmp(const void *a, const void *b)
{
	const struct rmt_order_entry *x = a, *y = b;
	const struct rmt_record_header *hx = x->rec.u.hdr, *hy = y->rec.u.hdr;

	if (hx->time_ns != hy->time_ns)
		return hx->time_ns < hy->time_ns ? -1 : 1;
	if (hx->cpu != hy->cpu)
		return hx->cpu < hy->cpu ? -1 : 1;
	return x->rec.seq < y->rec.seq ? -1 : x->rec.seq > y->rec.seq;
}

void rmt_order_flush(struct rmt_order *o, uint64_t upto, struct rmt_tracker *t,
		     unsigned long long limit)
{
	size_t i, done;

	if (!o->n)
		return;
	qsort(o->q, o->n, sizeof(*o->q), rmt_order_cmp);
	for (done = 0; done < o->n && o->q[done].rec.u.hdr->time_ns < upto; done++)
		if (!limit || t->calls < limit)
			rmt_tracker_feed(t, &o->q[done].rec);
	/* Enter records still waiting for their exit leave the blocks first. */
	rmt_tracker_keep(t);
	for (i = 0; i < done; i++)
		if (!--o->q[i].block->live)
			free(o->q[i].block);
	memmove(o->q, o->q + done, (o->n - done) * sizeof(*o->q));
	o->n -= done;
}

size_t rmt_order_queued(const struct rmt_order *o)
{
	return o->n;
}

void rmt_order_free(struct rmt_order *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (!--o->q[i].block->live)
			free(o->q[i].block);
	free(o->q);
	rmt_order_init(o);
}
