/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ordering records across CPUs before they are paired into calls, as
 * perf's ordered events do. Each CPU's records come in that CPU's time
 * order, but one read() may take a CPU's records before another CPU's
 * older ones (the read was full, or a record was still being written): a
 * call whose task moved between CPUs could then show its exit before its
 * enter. Records wait here until every CPU has passed their time, and
 * leave in time order. A CPU has passed a time when a later record of it
 * came, or when a read that drained every CPU (a "round") came after it.
 */
#ifndef RMT_ORDER_H
#define RMT_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "calls.h"
#include "records.h"

struct rmt_order_block;

struct rmt_order_entry {
	struct rmt_record rec;		/* points into @block */
	struct rmt_order_block *block;
	uint64_t time;			/* the header's, at hand for sorting */
	uint32_t cpu;
};

/* q[head, n) wait, in time order; spare is room for merging. */
struct rmt_order {
	struct rmt_order_entry *q, *spare;
	size_t head, n, cap;
	size_t seq;			/* records queued so far */
	uint64_t *last;			/* each CPU's latest record time */
	uint32_t nr_cpus;
	uint64_t round;			/* every CPU passed this */
};

/* For records of CPUs below @nr_cpus; -1 when out of memory. */
int rmt_order_init(struct rmt_order *o, uint32_t nr_cpus);
/* Every CPU has passed @time (a round). */
void rmt_order_round(struct rmt_order *o, uint64_t time);
/* What every CPU has passed: records older than this may leave. */
uint64_t rmt_order_passed(const struct rmt_order *o);
/*
 * Queue the @n records of @recs, decoded from one buffer in stream order;
 * their bytes are copied, so that the caller may reuse the buffer. Rounds
 * are not queued. -1 when out of memory.
 */
int rmt_order_add(struct rmt_order *o, const struct rmt_record *recs, size_t n);
/*
 * Feed @t every queued record older than @upto (UINT64_MAX: all), in time
 * order, until @limit calls were shown (0: no limit); the records fed are
 * released.
 */
void rmt_order_flush(struct rmt_order *o, uint64_t upto, struct rmt_tracker *t,
		     unsigned long long limit);
/* Records waiting. */
size_t rmt_order_queued(const struct rmt_order *o);
void rmt_order_free(struct rmt_order *o);

#endif /* RMT_ORDER_H */
