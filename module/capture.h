/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attaching the hook (the syscall tracepoints, or the entry hook's
 * kretprobes), offering each call to the enabled sessions and turning it
 * into records.
 */
#ifndef RMT_CAPTURE_H
#define RMT_CAPTURE_H

#include <linux/types.h>
#include <linux/recvmmsg_trace.h>

struct pt_regs;
struct rmt_session;

int rmt_capture_init(enum rmt_hook hook, unsigned int maxactive);
void rmt_capture_exit(void);
/* @s must have its ring. */
int rmt_capture_add(struct rmt_session *s);
void rmt_capture_remove(struct rmt_session *s);
void rmt_capture_quiesce(void);
void rmt_capture_replace(struct rmt_session *from, struct rmt_session *to);
bool rmt_capture_attached(void);
enum rmt_hook rmt_capture_hook(void);
/* The entry hook's: calls it can follow at once, calls it missed (mod 2^32). */
unsigned int rmt_capture_maxactive(void);
u32 rmt_capture_missed(void);

/*
 * For the hooks, in the task that makes the call, with its user registers
 * @regs: is syscall @nr one of ours (into @call)? Is capture on (the gate:
 * non-zero, the attach that opened it)? Then record its entry (true: a
 * session wants its exit) and its exit.
 */
bool rmt_capture_classify(struct pt_regs *regs, long nr, struct rmt_call *call);
u32 rmt_capture_gate(void);
bool rmt_capture_on_enter(struct pt_regs *regs, const struct rmt_call *what);
void rmt_capture_on_exit(struct pt_regs *regs, const struct rmt_call *what, long ret);

#endif /* RMT_CAPTURE_H */
