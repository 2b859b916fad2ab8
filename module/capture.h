/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching to the syscall tracepoints, offering each call to the enabled
 * sessions and turning it into records.
 */
#ifndef RMT_CAPTURE_H
#define RMT_CAPTURE_H

#include <linux/types.h>

struct rmt_session;

int rmt_capture_init(void);
void rmt_capture_exit(void);
/* @s must have its ring. */
int rmt_capture_add(struct rmt_session *s);
void rmt_capture_remove(struct rmt_session *s);
void rmt_capture_quiesce(void);
void rmt_capture_replace(struct rmt_session *from, struct rmt_session *to);
bool rmt_capture_attached(void);

#endif /* RMT_CAPTURE_H */
