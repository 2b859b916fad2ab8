// SPDX-License-Identifier: GPL-2.0
/*
 * Calls in flight: a fixed open-addressed table keyed by thread id, made at
 * load, so that the probes never allocate. A thread has at most one system
 * call running, so its id names the call. The enter claims a free slot with
 * cmpxchg; the exit of the same thread reads it and frees it with a release
 * store. A slot left behind by an exit that was never seen (capture turned
 * off during the call, the call no longer ours at exit) is freed by the
 * thread's next enter, and the whole table is cleared whenever the probes
 * attach; a thread id reused meanwhile finds a room for another vector,
 * which the exit does not trust.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "inflight.h"

#define RMT_INFLIGHT_SLOTS	512	/* calls blocked at once, roughly */
#define RMT_INFLIGHT_PROBES	8	/* slots looked at per call */

struct rmt_inflight_slot {
	u32 tid;			/* 0: free */
	struct rmt_name_room room;
};

static struct rmt_inflight_slot *rmt_slots;

int rmt_inflight_init(void)
{
	rmt_slots = kvcalloc(RMT_INFLIGHT_SLOTS, sizeof(*rmt_slots), GFP_KERNEL);
	return rmt_slots ? 0 : -ENOMEM;
}

void rmt_inflight_exit(void)
{
	kvfree(rmt_slots);
	rmt_slots = NULL;
}

void rmt_inflight_clear(void)
{
	memset(rmt_slots, 0, RMT_INFLIGHT_SLOTS * sizeof(*rmt_slots));
}

static struct rmt_inflight_slot *rmt_slot(u32 tid, unsigned int i)
{
	u32 h = hash_32(tid, ilog2(RMT_INFLIGHT_SLOTS));

	return &rmt_slots[(h + i) % RMT_INFLIGHT_SLOTS];
}

static struct rmt_inflight_slot *rmt_find(u32 tid)
{
	unsigned int i;

	for (i = 0; i < RMT_INFLIGHT_PROBES; i++)
		if (READ_ONCE(rmt_slot(tid, i)->tid) == tid)
			return rmt_slot(tid, i);
	return NULL;
}

void rmt_inflight_forget(u32 tid)
{
	struct rmt_inflight_slot *s = rmt_find(tid);

	if (!s)
		return;
	/* As at an exit: no read of the room may follow the slot's release. */
	smp_store_release(&s->tid, 0);
}

void rmt_inflight_start(u32 tid, u64 time_ns, const struct rmt_call *call,
			const struct rmt_msg_enter *msgs)
{
	struct rmt_inflight_slot *s = NULL;
	unsigned int i;

	for (i = 0; !s && i < RMT_INFLIGHT_PROBES; i++)
		if (!cmpxchg(&rmt_slot(tid, i)->tid, 0, tid))
			s = rmt_slot(tid, i);
	if (!s)
		return;
	/* Only this thread reads the room, at its exit. */
	s->room.time_ns = time_ns;
	s->room.mmsg = call->args[RMT_ARG_MMSG];
	s->room.nr = min_t(u32, call->nr_msgs, RMT_SNAPLEN_MAX);
	for (i = 0; i < s->room.nr; i++) {
		s->room.name[i] = msgs[i].name;
		/* Without a buffer the kernel writes no address. */
		s->room.bytes[i] = msgs[i].name ?
				   min_t(u32, msgs[i].namelen, RMT_NAME_BYTES) : 0;
	}
}

bool rmt_inflight_finish(u32 tid, struct rmt_name_room *room)
{
	struct rmt_inflight_slot *s = rmt_find(tid);
	unsigned int i;

	if (!s)
		return false;
	/* Only the messages noted: the rest of the slot is stale. */
	room->time_ns = s->room.time_ns;
	room->mmsg = s->room.mmsg;
	room->nr = s->room.nr;
	for (i = 0; i < room->nr; i++) {
		room->name[i] = s->room.name[i];
		room->bytes[i] = s->room.bytes[i];
	}
	/* The room is read before another thread may claim the slot. */
	smp_store_release(&s->tid, 0);
	return true;
}
