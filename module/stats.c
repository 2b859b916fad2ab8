// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: definition and reset. */
#include <linux/build_bug.h>
#include <linux/cpumask.h>

#include "stats.h"

DEFINE_PER_CPU(struct rmt_cpu_stats, rmt_cpu_stats);

/* The counters are read and written as an array of u64. */
static_assert(sizeof(struct rmt_cpu_stats) % sizeof(u64) == 0);
static_assert(sizeof(struct rmt_counts) == (RMT_COUNT_DROPPED + 1) * sizeof(u64));

void rmt_stats_zero(void)
{
	int cpu;
	size_t i;

	for_each_possible_cpu(cpu) {
		u64 *p = (u64 *)per_cpu_ptr(&rmt_cpu_stats, cpu);

		/* GET_STATS may be reading them. */
		for (i = 0; i < RMT_NR_STATS; i++)
			WRITE_ONCE(p[i], 0);
	}
}
