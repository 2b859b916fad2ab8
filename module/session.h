/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture sessions: one per open file of the device (and the boot session
 * of enable=1). Each owns its filter, its config, its per-CPU buffers and
 * counters (a ring, made at its first enable) and its readers' wait queue.
 */
#ifndef RMT_SESSION_H
#define RMT_SESSION_H

#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/recvmmsg_trace.h>

#include "buffer.h"
#include "filter.h"

/* Upper bound of the max_sessions parameter. */
#define RMT_MAX_SESSIONS	64

struct rmt_session {
	/* Every session, oldest first (rmt_session_lock). */
	struct list_head node;
	/* The enabled ones, walked by the probes (capture.c). */
	struct list_head active;
	struct rmt_ring __rcu *ring;		/* NULL until the first enable */
	struct rmt_kfilter __rcu *filter;	/* NULL: keep everything */
	/* Config, read by the probes with READ_ONCE(). */
	unsigned int snaplen;
	bool no_exit;
	unsigned int wakeup_bytes;
	unsigned int buffer_bytes;	/* size of the next ring */
	bool enabled;
	bool paused;			/* probes pass it by (RESET) */
	bool boot;			/* enable=1's, no file */
	u32 id;
	u32 owner_tgid;
	char owner_comm[RMT_COMM_LEN];

	/*
	 * Calls the entry hook missed while it was enabled: so far, and
	 * from which count of rmt_capture_missed() on while it is
	 * (rmt_config_lock).
	 */
	u64 missed;
	u32 missed_from;
	bool missed_counting;

	wait_queue_head_t readers;
	struct irq_work wake_work;
	/*
	 * Serializes taking records out of the ring (it has one reader) and
	 * every change of the session's state: the ring is emptied, replaced
	 * or freed only under it. Never held across a copy to user space.
	 */
	struct mutex lock;
	/* Resets and resizes so far: records taken before are stale. */
	unsigned long generation;
	/*
	 * The readers of the file: records taken, not yet delivered, and
	 * their copy to user space (device.c), which may block for as long
	 * as the user likes; the state above does not wait for it.
	 */
	struct mutex read_lock;
	char *pending;
	size_t pending_off;
	size_t pending_len;
	unsigned long pending_gen;
};

/* With @boot, the boot session is made and enabled. */
int rmt_session_init(unsigned int max_sessions, unsigned int buffer_bytes, bool boot);
void rmt_session_exit(void);

/* A session for an open file, not enabled, with no ring yet. */
struct rmt_session *rmt_session_new(void);
/* Disable it and free it (the file is gone). */
void rmt_session_release(struct rmt_session *s);

/* The ioctls, on the caller's session. */
int rmt_session_enable(struct rmt_session *s);
int rmt_session_disable(struct rmt_session *s);
int rmt_session_reset(struct rmt_session *s);
int rmt_session_set_filter(struct rmt_session *s, const struct rmt_filter *f);
void rmt_session_get_filter(struct rmt_session *s, struct rmt_filter *f);
int rmt_session_set_config(struct rmt_session *s, const struct rmt_config *c);
void rmt_session_get_config(struct rmt_session *s, struct rmt_config *c);
int rmt_session_adopt_boot(struct rmt_session *s);
/* RMT_INFO_* of @s and of the module. */
u32 rmt_session_info_flags(struct rmt_session *s);
unsigned int rmt_session_count(void);
unsigned int rmt_session_max(void);
/* Its ring's size, or the one its first enable will make. */
unsigned int rmt_session_buffer_bytes(struct rmt_session *s);
/*
 * Its counters of every CPU, into nr_cpu_ids entries of @cpus (zeros
 * without a ring), its records found with an impossible header, and the
 * calls the entry hook missed while it was enabled.
 */
void rmt_session_stats(struct rmt_session *s, struct rmt_cpu_stats *cpus, u64 *bad_records,
		       u64 *missed);
/* Count @missed calls in @total, which has every CPU's counters. */
void rmt_session_add_missed(struct rmt_cpu_stats *total, u64 missed);
/*
 * Up to @room entries for RMT_IOC_GET_SESSIONS into @out (kernel memory),
 * @s flagged as the caller's; returns how many, and in *@total how many
 * sessions exist.
 */
unsigned int rmt_session_list(struct rmt_session *s, struct rmt_session_info *out,
			      unsigned int room, u32 *total);

/* Records queued (for a read or poll that may wait for them)? */
bool rmt_session_has_data(struct rmt_session *s);
/* Probe side: wake the readers if @queued bytes warrant it. */
void rmt_session_wake(struct rmt_session *s, unsigned int queued);
/* Capture side: wake the readers of a session with records (100 ms poll). */
void rmt_session_poll(struct rmt_session *s);

#endif /* RMT_SESSION_H */
