/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of one session, behind RMT_IOC_GET_STATS. Each CPU's
 * counters have one writer at a time: that CPU's probe, with preemption
 * off, or the control path while no probe writes to the session. Every
 * change goes through rmt_stat_inc(), a marked store that readers on other
 * CPUs pair with READ_ONCE(), so the probes count without locks or
 * atomics. Every call a session is offered bumps "seen" and exactly one of
 * "filtered", "written" and "dropped".
 */
#ifndef RMT_STATS_H
#define RMT_STATS_H

#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/stddef.h>
#include <linux/recvmmsg_trace.h>

/* A counter of struct rmt_cpu_stats, as its index in u64s. */
#define RMT_STAT(field)		(offsetof(struct rmt_cpu_stats, field) / sizeof(u64))
#define RMT_STAT_FAULTS		RMT_STAT(faults)
#define RMT_STAT_LOST_RECORDS	RMT_STAT(lost_records)
#define RMT_NR_STATS		(sizeof(struct rmt_cpu_stats) / sizeof(u64))

/* What became of a call, in the order of struct rmt_counts. */
enum rmt_count {
	RMT_COUNT_SEEN,
	RMT_COUNT_FILTERED,
	RMT_COUNT_WRITTEN,
	RMT_COUNT_DROPPED,
};

/* The one way a counter changes; the caller is @cpu's only writer. */
static __always_inline void rmt_stat_inc(struct rmt_cpu_stats __percpu *st, int cpu,
					 unsigned int stat)
{
	u64 *p = (u64 *)per_cpu_ptr(st, cpu) + stat;

	WRITE_ONCE(*p, *p + 1);
}

/* Count a call of record @type (enter or exit), from its probe. */
static __always_inline void rmt_count_inc(struct rmt_cpu_stats __percpu *st, u16 type,
					  enum rmt_count what)
{
	unsigned int base = type == RMT_REC_ENTER ? RMT_STAT(enter) : RMT_STAT(exit);

	lockdep_assert_preemption_disabled();
	rmt_stat_inc(st, smp_processor_id(), base + what);
}

/* Only while no probe writes to them. */
void rmt_stats_zero(struct rmt_cpu_stats __percpu *st);

/*
 * One CPU's counters, read while they may still move (each 64-bit load is
 * whole on the 64-bit kernels we run on).
 */
void rmt_stats_read(struct rmt_cpu_stats __percpu *st, int cpu, struct rmt_cpu_stats *out);
/* @sum += @one, counter by counter. */
void rmt_stats_add(struct rmt_cpu_stats *sum, const struct rmt_cpu_stats *one);
/* Every possible CPU's counters summed into @total. */
void rmt_stats_total(struct rmt_cpu_stats __percpu *st, struct rmt_cpu_stats *total);

#endif /* RMT_STATS_H */
