/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader's side of /dev/recvmmsg_trace's control: opening and checking
 * the device, setting up the reader's own capture session (every open file
 * is one: its filter, config, buffers and counters are its alone), and
 * showing the counters and the other sessions.
 */
#ifndef RMT_DEVICE_H
#define RMT_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/recvmmsg_trace.h>

/* What the command line asks of the module for this session. */
struct rmt_session_opts {
	bool boot;			/* take over the boot session (enable=1) */
	struct rmt_filter filter;	/* flags 0: every call */
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

/* Open and check the device, a new session; -1 with a message on stderr. */
int rmt_dev_open(const char *path, uint32_t *nr_cpus);
/*
 * Set up the session as @o asks (adopting the boot session first when
 * asked), without enabling it; -1 with a message.
 */
int rmt_dev_apply(int fd, const struct rmt_session_opts *o);
/* Start and stop the session's capture; -1 with a message. */
int rmt_dev_enable(int fd);
int rmt_dev_disable(int fd);
/* The session's counters, total and per CPU, as a table; -1 on error. */
int rmt_dev_print_stats(int fd, FILE *out);
/*
 * The module (version, CPUs, session cap, whether anything captures), then
 * every session but the caller's: owner, filter, config, counters. -1 on
 * error.
 */
int rmt_dev_print_status(int fd, FILE *out);

#endif /* RMT_DEVICE_H */
