/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader's side of /dev/recvmmsg_trace's control: opening and checking
 * the device, putting the user's filter and config in force for the
 * session and restoring what was there before, and the stats.
 */
#ifndef RMT_DEVICE_H
#define RMT_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/recvmmsg_trace.h>

/* What the command line asks of the module for this session. */
struct rmt_session_opts {
	struct rmt_filter filter;	/* flags 0: no filter of our own */
	bool all;			/* no filter, whatever is in force */
	unsigned int snaplen;		/* 0: leave as it is */
	bool no_exit;
	/* Wake-up threshold in bytes; RMT_WAKEUP_DEFAULT: a share of the buffer. */
	long long wakeup_bytes;
};

#define RMT_WAKEUP_DEFAULT	(-1)
/*
 * By default the reader is woken once a CPU's buffer is a quarter full (or
 * by the module's 100 ms poll): a wake-up per record costs the traced call
 * an interrupt or two, several times the cost of recording it.
 */
#define RMT_WAKEUP_SHARE	4

/* The state a session replaced, to put back at its end. */
struct rmt_saved {
	bool filter_set, config_set;
	struct rmt_filter filter;
	struct rmt_config config;
};

/* Open and check the device; -1 with a message on stderr. */
int rmt_dev_open(const char *path, bool *was_enabled, uint32_t *nr_cpus);
/* Put @o in force, remembering what it replaced; -1 with a message. */
int rmt_dev_apply(int fd, const struct rmt_session_opts *o, struct rmt_saved *saved);
void rmt_dev_restore(int fd, const struct rmt_saved *saved);
/* The module's counters, total and per CPU, as a table; -1 on error. */
int rmt_dev_print_stats(int fd, FILE *out);
/* Version, capture state, filter, config, then the counters; -1 on error. */
int rmt_dev_print_status(int fd, FILE *out);

#endif /* RMT_DEVICE_H */
