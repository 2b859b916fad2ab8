/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A session's per-CPU record buffers and counters (a "ring"): the probe
 * side pushes whole records, the session's reader drains them. One writer
 * per CPU (the probe, with the CPU pinned) and one reader at a time (the
 * session's lock), which is the kfifo lock-free rule.
 */
#ifndef RMT_BUFFER_H
#define RMT_BUFFER_H

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/recvmmsg_trace.h>

struct rmt_cpu_buffer;

struct rmt_ring {
	struct rcu_head rcu;
	unsigned int bytes;			/* of each CPU's buffer */
	struct rmt_cpu_buffer __percpu *cpus;
	struct rmt_cpu_stats __percpu *stats;	/* stats.h */
	atomic64_t bad_records;			/* see rmt_ring_take() */
	unsigned int drain_start;		/* CPU the next take starts at */
};

/* A power of two from RMT_BUFFER_MIN_BYTES to RMT_BUFFER_MAX_BYTES? */
bool rmt_ring_size_ok(unsigned int bytes);
/* Zeroed counters and empty buffers of @bytes per CPU; NULL on ENOMEM. */
struct rmt_ring *rmt_ring_new(unsigned int bytes);
/* Once no probe or reader can reach @ring any more. */
void rmt_ring_free(struct rmt_ring *ring);

/*
 * Probe side, preemption off: never sleeps, locks or allocates. Returns
 * the bytes now queued on this CPU (at least the record's), or 0 when the
 * record did not fit (it is counted as lost). The caller has set
 * hdr->time_ns.
 */
unsigned int rmt_ring_push(struct rmt_ring *ring, struct rmt_record_header *hdr);

/* Control side, only while no probe writes to @ring. */
void rmt_ring_flush_lost(struct rmt_ring *ring);	/* emit pending LOST records */
void rmt_ring_reset(struct rmt_ring *ring);		/* and no reader either */

/* Reader side, one reader at a time. */
bool rmt_ring_has_data(struct rmt_ring *ring);
size_t rmt_ring_take(struct rmt_ring *ring, void *dst, size_t room, bool *too_small);

#endif /* RMT_BUFFER_H */
