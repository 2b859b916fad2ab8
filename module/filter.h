/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session's capture filter. A new filter replaces the old one with one
 * RCU pointer swap: a probe reads the pointer once and decides with that
 * whole filter, without taking a lock.
 */
#ifndef RMT_FILTER_H
#define RMT_FILTER_H

#include <linux/recvmmsg_trace.h>

struct rmt_kfilter;

/*
 * Check and install @f (from user space) in @cur, a session's filter
 * pointer; -EINVAL when it is malformed.
 */
int rmt_filter_set(struct rmt_kfilter __rcu **cur, const struct rmt_filter *f);
/* The filter in force (flags 0 when there is none). */
void rmt_filter_get(struct rmt_kfilter __rcu **cur, struct rmt_filter *f);
void rmt_filter_free(struct rmt_kfilter __rcu **cur);
void rmt_filter_move(struct rmt_kfilter __rcu **to, struct rmt_kfilter __rcu **from);

/* Does the current task pass @kf (every field but fd)? NULL passes all. */
bool rmt_filter_task(const struct rmt_kfilter *kf);
/* Does a call on @fd pass @kf? */
bool rmt_filter_fd(const struct rmt_kfilter *kf, u32 fd);

#endif /* RMT_FILTER_H */
