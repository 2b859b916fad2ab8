/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --summary: per-process totals instead of one line per call, like
 * strace -c: calls, messages and bytes received, errors, and the median
 * and 99th percentile of call durations from a log-scale histogram.
 */
#ifndef RMT_SUMMARY_H
#define RMT_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "calls.h"
#include "containers.h"

/* Durations to 1/16 of a power of two: percentiles within about 3%. */
#define RMT_HIST_SUB	16
#define RMT_HIST_SLOTS	(RMT_HIST_SUB + 60 * RMT_HIST_SUB)

struct rmt_summary {
	void *procs;			/* tsearch tree of struct rmt_proc_stats */
	unsigned long long lost;	/* records the kernel reported lost */
	struct rmt_cgroups *cgroups;	/* to name containers; NULL: not named */
};

void rmt_summary_sink(struct rmt_sink *sink, struct rmt_summary *s);
/* The table (text) or one JSON object per process, then free everything. */
void rmt_summary_finish(struct rmt_summary *s, FILE *f, int json);

/* The histogram slot of a duration in ns, and the value a slot reports. */
unsigned int rmt_hist_slot(uint64_t ns);
uint64_t rmt_hist_value(unsigned int slot);

#endif /* RMT_SUMMARY_H */
