// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: reset, reading and summing. */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/string.h>

#include "stats.h"

/* The counters are read and written as an array of u64. */
static_assert(sizeof(struct rmt_cpu_stats) % sizeof(u64) == 0);
static_assert(sizeof(struct rmt_counts) == (RMT_COUNT_DROPPED + 1) * sizeof(u64));

void rmt_stats_zero(struct rmt_cpu_stats __percpu *st)
{
	int cpu;
	size_t i;

	for_each_possible_cpu(cpu) {
		u64 *p = (u64 *)per_cpu_ptr(st, cpu);

		/* GET_STATS may be reading them. */
		for (i = 0; i < RMT_NR_STATS; i++)
			WRITE_ONCE(p[i], 0);
	}
}

void rmt_stats_read(struct rmt_cpu_stats __percpu *st, int cpu, struct rmt_cpu_stats *out)
{
	const u64 *src = (const u64 *)per_cpu_ptr(st, cpu);
	u64 *dst = (u64 *)out;
	size_t i;

	for (i = 0; i < RMT_NR_STATS; i++)
		dst[i] = READ_ONCE(src[i]);
}

void rmt_stats_add(struct rmt_cpu_stats *sum, const struct rmt_cpu_stats *one)
{
	u64 *dst = (u64 *)sum;
	const u64 *src = (const u64 *)one;
	size_t i;

	for (i = 0; i < RMT_NR_STATS; i++)
		dst[i] += src[i];
}

void rmt_stats_total(struct rmt_cpu_stats __percpu *st, struct rmt_cpu_stats *total)
{
	struct rmt_cpu_stats one;
	int cpu;

	memset(total, 0, sizeof(*total));
	for_each_possible_cpu(cpu) {
		rmt_stats_read(st, cpu, &one);
		rmt_stats_add(total, &one);
	}
}
