/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls between their enter and their exit: what the exit needs to know of
 * the enter. The kernel overwrites each msg_namelen with the real length of
 * the source address, but writes only as many bytes of it as the caller's
 * buffer had room for; the rest of what the exit would read at msg_name is
 * the traced process's own memory. So the enter notes each buffer's room,
 * and the exit reads no more than that.
 */
#ifndef RMT_INFLIGHT_H
#define RMT_INFLIGHT_H

#include <linux/types.h>
#include <linux/recvmmsg_trace.h>

/*
 * What the enter saw of each message's address buffer. The exit trusts a
 * room only for the same vector and the same msg_name: a call whose
 * pointers changed under it (another thread, a socketcall argument block
 * rewritten) gets none.
 */
struct rmt_name_room {
	u64 time_ns;			/* the enter record's time */
	u32 mmsg;			/* the vector, user address */
	u32 nr;				/* messages noted; past them, no room */
	u32 name[RMT_SNAPLEN_MAX];	/* each msg_name */
	u8 bytes[RMT_SNAPLEN_MAX];	/* min(msg_namelen, 32); 0 without msg_name */
};

int rmt_inflight_init(void);
void rmt_inflight_exit(void);
/* Forget every call; only while no probe runs. */
void rmt_inflight_clear(void);

/*
 * Probe side: no locks, no sleep, any context. Every enter first forgets
 * what its thread left behind (an exit that was never seen), then notes
 * its call when an exit record will follow. A call whose enter found no
 * free slot (or was never seen) has no room at exit: no address bytes are
 * read for it.
 */
void rmt_inflight_forget(u32 tid);
void rmt_inflight_start(u32 tid, u64 time_ns, const struct rmt_call *call,
			const struct rmt_msg_enter *msgs);
bool rmt_inflight_finish(u32 tid, struct rmt_name_room *room);

#endif /* RMT_INFLIGHT_H */
