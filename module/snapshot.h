/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Filling a record from the calling task: who it is, its arguments, and the
 * user memory they point to. Every read of user memory goes through one
 * primitive, chosen by @may_fault: a faulting copy where the probe may
 * sleep, a non-faulting one where it may not. A part that cannot be read
 * sets its RMT_FAULT_* bit and is left zeroed. With @msgs NULL the
 * message functions only read (to make the memory resident) and keep
 * nothing.
 */
#ifndef RMT_SNAPSHOT_H
#define RMT_SNAPSHOT_H

#include <linux/ptrace.h>
#include <linux/recvmmsg_trace.h>

#include "inflight.h"

void rmt_snap_task(struct rmt_task *task);
/*
 * What an exit record says of its task: ids and comm, cheap to read, and
 * the time of its enter (@room: what the enter left, or NULL).
 */
void rmt_snap_exit_task(struct rmt_exit_task *task, const struct rmt_name_room *room);
void rmt_snap_args(struct rmt_call *call, struct pt_regs *regs, bool may_fault);
void rmt_snap_timeout(struct rmt_call *call, bool may_fault);
/*
 * Which messages had a part that could not be read: bit i for message i,
 * below 64, of those whose iovecs, or source address (exit), failed.
 */
struct rmt_msg_faults {
	u64 iov;
	u64 name;
};

/* @mf, when not NULL, gets the messages with a fault added. */
unsigned int rmt_snap_enter_msgs(struct rmt_call *call,
				 struct rmt_msg_enter *msgs,
				 unsigned int snaplen, struct rmt_msg_faults *mf,
				 bool may_fault);
/* @room: what the enter saw of each address buffer, or NULL: read none. */
unsigned int rmt_snap_exit_msgs(struct rmt_call *call,
				struct rmt_msg_exit *msgs,
				const struct rmt_name_room *room,
				unsigned int snaplen, struct rmt_msg_faults *mf,
				bool may_fault);

#endif /* RMT_SNAPSHOT_H */
