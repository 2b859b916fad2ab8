/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capture filter. A new filter replaces the old one with one RCU
 * pointer swap: a probe reads the pointer once and decides with that whole
 * filter, without taking a lock.
 */
#ifndef RMT_FILTER_H
#define RMT_FILTER_H

#include <linux/recvmmsg_trace.h>

struct rmt_kfilter;

/* Check and install @f (from user space); -EINVAL when it is malformed. */
int rmt_filter_set(const struct rmt_filter *f);
/* The filter in force (flags 0 when there is none). */
void rmt_filter_get(struct rmt_filter *f);
void rmt_filter_exit(void);

/* Probe side, under rcu_read_lock(): the filter in force, or NULL. */
const struct rmt_kfilter *rmt_filter_current(void);
/* Does the current task pass @kf (every field but fd)? */
bool rmt_filter_task(const struct rmt_kfilter *kf);
/* Does a call on @fd pass @kf? */
bool rmt_filter_fd(const struct rmt_kfilter *kf, u32 fd);

#endif /* RMT_FILTER_H */
