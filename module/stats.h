/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters behind RMT_IOC_GET_STATS. Each is only ever incremented
 * on its own CPU with this_cpu_inc(), which is safe with preemption on, so
 * the probes count without locks; every call of ours bumps "seen" and
 * exactly one of "filtered", "written" and "dropped".
 */
#ifndef RMT_STATS_H
#define RMT_STATS_H

#include <linux/percpu.h>
#include <linux/recvmmsg_trace.h>

DECLARE_PER_CPU(struct rmt_cpu_stats, rmt_cpu_stats);

enum rmt_count {
	RMT_COUNT_SEEN,
	RMT_COUNT_FILTERED,
	RMT_COUNT_WRITTEN,
	RMT_COUNT_DROPPED,
};

/* Count a call of record @type (enter or exit) on this CPU. */
static __always_inline void rmt_count_inc(u16 type, enum rmt_count what)
{
	bool enter = type == RMT_REC_ENTER;

	switch (what) {
	case RMT_COUNT_SEEN:
		if (enter)
			this_cpu_inc(rmt_cpu_stats.enter.seen);
		else
			this_cpu_inc(rmt_cpu_stats.exit.seen);
		break;
	case RMT_COUNT_FILTERED:
		if (enter)
			this_cpu_inc(rmt_cpu_stats.enter.filtered);
		else
			this_cpu_inc(rmt_cpu_stats.exit.filtered);
		break;
	case RMT_COUNT_WRITTEN:
		if (enter)
			this_cpu_inc(rmt_cpu_stats.enter.written);
		else
			this_cpu_inc(rmt_cpu_stats.exit.written);
		break;
	case RMT_COUNT_DROPPED:
		if (enter)
			this_cpu_inc(rmt_cpu_stats.enter.dropped);
		else
			this_cpu_inc(rmt_cpu_stats.exit.dropped);
		break;
	}
}

/* Only while no probe runs (capture detached). */
void rmt_stats_zero(void);

/*
 * One CPU's counters, read while they may still move (each 64-bit load is
 * whole on the 64-bit kernels we run on).
 */
static inline void rmt_stats_read(int cpu, struct rmt_cpu_stats *out)
{
	const u64 *src = (const u64 *)per_cpu_ptr(&rmt_cpu_stats, cpu);
	u64 *dst = (u64 *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(u64); i++)
		dst[i] = READ_ONCE(src[i]);
}

#endif /* RMT_STATS_H */
