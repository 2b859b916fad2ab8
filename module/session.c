// SPDX-License-Identifier: GPL-2.0
/*
 * Capture sessions: one per open file, and the boot session of enable=1.
 *
 * A session gets its ring (per-CPU buffers and counters) at its first
 * enable: at most max_sessions sessions hold one, which bounds the
 * module's memory. The probes reach a session only through the capture
 * list (capture.c), under RCU; a session leaves the list (or is paused in
 * it), and every probe that saw it has finished, before its ring is
 * emptied, replaced or freed.
 *
 * Locks, in this order: a session's @lock; then rmt_session_lock (the list
 * of every session, the ring count, the boot session), the capture lock
 * or rmt_filter_lock (filter.c); rmt_config_lock innermost. None of them
 * is held across a copy to or from user space, and only a session's own
 * @lock across a wait for the probes.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "capture.h"
#include "params.h"
#include "session.h"
#include "stats.h"

static DEFINE_MUTEX(rmt_session_lock);
static LIST_HEAD(rmt_sessions);
static unsigned int rmt_nr_sessions;
static unsigned int rmt_nr_rings;	/* sessions holding a ring */
static struct rmt_session *rmt_boot;	/* not adopted yet */
static u32 rmt_next_id = 1;

/* Load-time parameters (main.c). */
static unsigned int rmt_max;
static unsigned int rmt_default_bytes;

/*
 * Config fields change together under this, for a get to see them whole;
 * so do the counts of missed calls.
 */
static DEFINE_SPINLOCK(rmt_config_lock);

static void rmt_wake_fn(struct irq_work *work)
{
	struct rmt_session *s = container_of(work, struct rmt_session, wake_work);

	wake_up_interruptible(&s->readers);
}

/*
 * Waking a reader takes the wait queue's lock, which is a sleeping lock on
 * PREEMPT_RT and must not be taken from the probe: an irq_work does it,
 * and only when a reader sleeps, so that a reader busy draining costs the
 * probe no interrupt. wq_has_sleeper()'s barrier pairs with the one in
 * prepare_to_wait() and in the device's poll: a reader going to sleep
 * either sees the record or is seen here.
 */
void rmt_session_wake(struct rmt_session *s, unsigned int queued)
{
	unsigned int threshold = READ_ONCE(s->wakeup_bytes);

	if ((!threshold || queued >= threshold) && wq_has_sleeper(&s->readers))
		irq_work_queue(&s->wake_work);
}

bool rmt_session_has_data(struct rmt_session *s)
{
	struct rmt_ring *ring;
	bool data;

	rcu_read_lock();
	ring = rcu_dereference(s->ring);
	data = ring && rmt_ring_has_data(ring);
	rcu_read_unlock();
	return data;
}

void rmt_session_poll(struct rmt_session *s)
{
	if (rmt_session_has_data(s))
		wake_up_interruptible(&s->readers);
}

/*
 * The entry hook's misses since @s->missed_from, as far as the kernel's
 * counters, bumped without atomics, may have stepped back: never below 0.
 */
static u32 rmt_session_missed_since(struct rmt_session *s)
{
	s32 d = (s32)(rmt_capture_missed() - s->missed_from);

	lockdep_assert_held(&rmt_config_lock);
	return s->missed_counting && d > 0 ? d : 0;
}

/* Count the entry hook's misses for @s from now on, or stop. */
static void rmt_session_count_missed(struct rmt_session *s, bool on)
{
	u32 d;

	spin_lock(&rmt_config_lock);
	d = rmt_session_missed_since(s);
	s->missed += d;
	s->missed_from += d;
	if (on && !s->missed_counting)
		s->missed_from = rmt_capture_missed();
	s->missed_counting = on;
	spin_unlock(&rmt_config_lock);
}

static u64 rmt_session_missed(struct rmt_session *s)
{
	u64 missed;

	spin_lock(&rmt_config_lock);
	missed = s->missed + rmt_session_missed_since(s);
	spin_unlock(&rmt_config_lock);
	return missed;
}

/* With the counters: they start again from zero. */
static void rmt_session_zero_missed(struct rmt_session *s)
{
	spin_lock(&rmt_config_lock);
	s->missed = 0;
	s->missed_from = rmt_capture_missed();
	spin_unlock(&rmt_config_lock);
}

void rmt_session_add_missed(struct rmt_cpu_stats *total, u64 missed)
{
	total->missed = missed;
	total->enter.seen += missed;
	total->enter.dropped += missed;
}

static struct rmt_session *rmt_session_alloc(bool boot)
{
	struct rmt_session *s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);

	if (!s)
		return NULL;
	INIT_LIST_HEAD(&s->active);
	init_waitqueue_head(&s->readers);
	init_irq_work(&s->wake_work, rmt_wake_fn);
	mutex_init(&s->lock);
	mutex_init(&s->read_lock);
	s->snaplen = READ_ONCE(rmt_snaplen);
	s->buffer_bytes = rmt_default_bytes;
	s->boot = boot;
	if (!boot) {
		s->owner_tgid = task_tgid_nr(current);
		get_task_comm(s->owner_comm, current);
	}
	mutex_lock(&rmt_session_lock);
	s->id = rmt_next_id++;
	list_add_tail(&s->node, &rmt_sessions);
	WRITE_ONCE(rmt_nr_sessions, rmt_nr_sessions + 1);
	mutex_unlock(&rmt_session_lock);
	return s;
}

/* The ring of @s, to one who holds its lock or is its last user. */
static struct rmt_ring *rmt_session_ring(struct rmt_session *s)
{
	return rcu_dereference_protected(s->ring, lockdep_is_held(&s->lock));
}

/*
 * Free @ring and its place among max_sessions, once no probe can reach it:
 * after a grace period, for GET_STATS and GET_SESSIONS, which read the
 * counters without a lock.
 */
static void rmt_ring_release(struct rmt_ring *ring)
{
	if (!ring)
		return;
	synchronize_rcu();
	rmt_ring_free(ring);
	mutex_lock(&rmt_session_lock);
	rmt_nr_rings--;
	mutex_unlock(&rmt_session_lock);
}

/*
 * Once @s is out of the capture list and nobody else can reach it: its
 * file is gone, or it is the boot session taken out of rmt_boot.
 */
static void rmt_session_free(struct rmt_session *s)
{
	/* The last user: no lock to hold. */
	struct rmt_ring *ring = rcu_dereference_protected(s->ring, true);

	mutex_lock(&rmt_session_lock);
	list_del(&s->node);
	WRITE_ONCE(rmt_nr_sessions, rmt_nr_sessions - 1);
	mutex_unlock(&rmt_session_lock);
	RCU_INIT_POINTER(s->ring, NULL);
	rmt_ring_release(ring);
	irq_work_sync(&s->wake_work);
	rmt_filter_free(&s->filter);
	kvfree(s->pending);
	mutex_destroy(&s->read_lock);
	mutex_destroy(&s->lock);
	kfree(s);
}

struct rmt_session *rmt_session_new(void)
{
	return rmt_session_alloc(false);
}

/* The first enable: a place among max_sessions, if one is free, and the ring. */
static int rmt_session_make_ring(struct rmt_session *s)
{
	struct rmt_ring *ring;
	bool room;

	lockdep_assert_held(&s->lock);
	mutex_lock(&rmt_session_lock);
	room = rmt_nr_rings < rmt_max;
	if (room)
		rmt_nr_rings++;
	mutex_unlock(&rmt_session_lock);
	if (!room)
		return -EBUSY;
	ring = rmt_ring_new(s->buffer_bytes);
	if (!ring) {
		mutex_lock(&rmt_session_lock);
		rmt_nr_rings--;
		mutex_unlock(&rmt_session_lock);
		return -ENOMEM;
	}
	rcu_assign_pointer(s->ring, ring);
	return 0;
}

static int rmt_session_enable_locked(struct rmt_session *s)
{
	bool made = false;
	int err;

	lockdep_assert_held(&s->lock);
	if (s->enabled)
		return 0;
	if (!rmt_session_ring(s)) {
		err = rmt_session_make_ring(s);
		if (err)
			return err;
		made = true;
	}
	err = rmt_capture_add(s);
	if (err) {
		/* As it was: no ring taken by a failed call. */
		if (made) {
			struct rmt_ring *ring = rmt_session_ring(s);

			RCU_INIT_POINTER(s->ring, NULL);
			rmt_ring_release(ring);
		}
		return err;
	}
	WRITE_ONCE(s->enabled, true);
	rmt_session_count_missed(s, true);
	return 0;
}

int rmt_session_enable(struct rmt_session *s)
{
	int err;

	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	err = rmt_session_enable_locked(s);
	mutex_unlock(&s->lock);
	return err;
}

/* The caller owes a rmt_capture_quiesce() once it lets go of the lock. */
static void rmt_session_disable_locked(struct rmt_session *s)
{
	lockdep_assert_held(&s->lock);
	if (!s->enabled)
		return;
	rmt_capture_remove(s);
	WRITE_ONCE(s->enabled, false);
	rmt_session_count_missed(s, false);
	/* No probe writes to it any more: drops still uncounted get a record. */
	rmt_ring_flush_lost(rmt_session_ring(s));
	wake_up_interruptible(&s->readers);
}

int rmt_session_disable(struct rmt_session *s)
{
	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	rmt_session_disable_locked(s);
	mutex_unlock(&s->lock);
	rmt_capture_quiesce();
	return 0;
}

void rmt_session_release(struct rmt_session *s)
{
	/* The file is gone: nobody else uses the session. */
	mutex_lock(&s->lock);
	rmt_session_disable_locked(s);
	mutex_unlock(&s->lock);
	rmt_capture_quiesce();
	rmt_session_free(s);
}

/*
 * Empty the buffers and zero the counters with no probe writing to them:
 * the probes pass the session by while it is paused, for one grace period
 * and the time it takes. Records a read took and has not delivered go too
 * (a new generation).
 */
int rmt_session_reset(struct rmt_session *s)
{
	struct rmt_ring *ring;

	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	ring = rmt_session_ring(s);
	if (ring) {
		WRITE_ONCE(s->paused, true);
		synchronize_rcu();
		rmt_ring_reset(ring);
		rmt_session_zero_missed(s);
		WRITE_ONCE(s->paused, false);
	}
	WRITE_ONCE(s->generation, s->generation + 1);
	mutex_unlock(&s->lock);
	return 0;
}

int rmt_session_set_filter(struct rmt_session *s, const struct rmt_filter *f)
{
	return rmt_filter_set(&s->filter, f);
}

void rmt_session_get_filter(struct rmt_session *s, struct rmt_filter *f)
{
	rmt_filter_get(&s->filter, f);
}

unsigned int rmt_session_buffer_bytes(struct rmt_session *s)
{
	return READ_ONCE(s->buffer_bytes);
}

/* A new size for the ring of a session that is not enabled. */
static int rmt_session_resize(struct rmt_session *s, unsigned int bytes)
{
	struct rmt_ring *old = rmt_session_ring(s), *ring;

	lockdep_assert_held(&s->lock);
	if (!old || old->bytes == bytes)
		return 0;
	if (s->enabled)
		return -EBUSY;
	ring = rmt_ring_new(bytes);
	if (!ring)
		return -ENOMEM;
	rcu_assign_pointer(s->ring, ring);
	WRITE_ONCE(s->generation, s->generation + 1);
	rmt_session_zero_missed(s);
	/* GET_STATS and GET_SESSIONS read the counters without the lock. */
	synchronize_rcu();
	rmt_ring_free(old);
	return 0;
}

/* @c has been checked but for its sizes, which depend on the session. */
int rmt_session_set_config(struct rmt_session *s, const struct rmt_config *c)
{
	unsigned int bytes;
	int err;

	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	bytes = c->buffer_bytes ? c->buffer_bytes : s->buffer_bytes;
	err = -EINVAL;
	if (!rmt_ring_size_ok(bytes) || c->wakeup_bytes > bytes)
		goto out;
	err = rmt_session_resize(s, bytes);
	if (err)
		goto out;
	spin_lock(&rmt_config_lock);
	WRITE_ONCE(s->buffer_bytes, bytes);
	WRITE_ONCE(s->snaplen, c->snaplen);
	WRITE_ONCE(s->no_exit, !!(c->flags & RMT_CONFIG_NO_EXIT));
	WRITE_ONCE(s->wakeup_bytes, c->wakeup_bytes);
	spin_unlock(&rmt_config_lock);
out:
	mutex_unlock(&s->lock);
	return err;
}

void rmt_session_get_config(struct rmt_session *s, struct rmt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	spin_lock(&rmt_config_lock);
	c->snaplen = s->snaplen;
	c->flags = s->no_exit ? RMT_CONFIG_NO_EXIT : 0;
	c->wakeup_bytes = s->wakeup_bytes;
	c->buffer_bytes = s->buffer_bytes;
	spin_unlock(&rmt_config_lock);
}

/*
 * Take over the boot session: its ring, filter and config become @s's,
 * and @s takes its place in the capture list, so that not one call is
 * missed on the way.
 */
int rmt_session_adopt_boot(struct rmt_session *s)
{
	struct rmt_session *boot;
	struct rmt_config c;
	int err = 0;

	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	if (rmt_session_ring(s)) {
		err = -EBUSY;
		goto out;
	}
	mutex_lock(&rmt_session_lock);
	boot = rmt_boot;
	WRITE_ONCE(rmt_boot, NULL);
	mutex_unlock(&rmt_session_lock);
	if (!boot) {
		err = -ENOENT;
		goto out;
	}
	/* Only this changes the boot session once it is made. */
	rmt_session_get_config(boot, &c);
	spin_lock(&rmt_config_lock);
	WRITE_ONCE(s->buffer_bytes, c.buffer_bytes);
	WRITE_ONCE(s->snaplen, c.snaplen);
	WRITE_ONCE(s->no_exit, !!(c.flags & RMT_CONFIG_NO_EXIT));
	WRITE_ONCE(s->wakeup_bytes, c.wakeup_bytes);
	s->missed = boot->missed;
	s->missed_from = boot->missed_from;
	s->missed_counting = boot->missed_counting;
	spin_unlock(&rmt_config_lock);
	rmt_filter_move(&s->filter, &boot->filter);
	/* Out of rmt_boot, the boot session is ours alone. */
	rcu_assign_pointer(s->ring, rcu_dereference_protected(boot->ring, true));
	rmt_capture_replace(boot, s);
	/* No probe sees the boot session any more: the ring is @s's alone. */
	RCU_INIT_POINTER(boot->ring, NULL);
	WRITE_ONCE(s->enabled, true);
	/* What it captured since load is there to read now. */
	wake_up_interruptible(&s->readers);
	/* The ring and its place among max_sessions are @s's now. */
	rmt_session_free(boot);
out:
	mutex_unlock(&s->lock);
	return err;
}

u32 rmt_session_info_flags(struct rmt_session *s)
{
	u32 flags = 0;

	if (READ_ONCE(s->enabled))
		flags |= RMT_INFO_ENABLED;
	if (rmt_capture_attached())
		flags |= RMT_INFO_ATTACHED;
	if (READ_ONCE(rmt_boot))
		flags |= RMT_INFO_BOOT;
	return flags;
}

unsigned int rmt_session_count(void)
{
	return READ_ONCE(rmt_nr_sessions);
}

unsigned int rmt_session_max(void)
{
	return rmt_max;
}

void rmt_session_stats(struct rmt_session *s, struct rmt_cpu_stats *cpus, u64 *bad_records,
		       u64 *missed)
{
	struct rmt_ring *ring;
	int cpu;

	memset(cpus, 0, nr_cpu_ids * sizeof(*cpus));
	*bad_records = 0;
	/* One ring for every CPU, even with a resize on another thread. */
	rcu_read_lock();
	ring = rcu_dereference(s->ring);
	if (ring) {
		for_each_possible_cpu(cpu)
			rmt_stats_read(ring->stats, cpu, &cpus[cpu]);
		*bad_records = atomic64_read(&ring->bad_records);
	}
	rcu_read_unlock();
	*missed = rmt_session_missed(s);
}

static void rmt_session_describe(struct rmt_session *s, struct rmt_session *self,
				 struct rmt_session_info *info)
{
	struct rmt_ring *ring;

	memset(info, 0, sizeof(*info));
	info->id = s->id;
	info->owner_tgid = s->owner_tgid;
	memcpy(info->owner_comm, s->owner_comm, sizeof(info->owner_comm));
	if (READ_ONCE(s->enabled))
		info->flags |= RMT_SESSION_ENABLED;
	if (s == self)
		info->flags |= RMT_SESSION_SELF;
	if (s->boot)
		info->flags |= RMT_SESSION_BOOT;
	rmt_session_get_config(s, &info->config);
	rmt_filter_get(&s->filter, &info->filter);
	rcu_read_lock();
	ring = rcu_dereference(s->ring);
	if (ring) {
		info->buffer_bytes = ring->bytes;
		rmt_stats_total(ring->stats, &info->total);
	}
	rcu_read_unlock();
	rmt_session_add_missed(&info->total, rmt_session_missed(s));
}

unsigned int rmt_session_list(struct rmt_session *self, struct rmt_session_info *out,
			      unsigned int room, u32 *total)
{
	struct rmt_session *s;
	unsigned int n = 0;

	mutex_lock(&rmt_session_lock);
	*total = rmt_nr_sessions;
	list_for_each_entry(s, &rmt_sessions, node) {
		if (n == room)
			break;
		rmt_session_describe(s, self, &out[n++]);
	}
	mutex_unlock(&rmt_session_lock);
	return n;
}

int rmt_session_init(unsigned int max_sessions, unsigned int buffer_bytes, bool boot)
{
	struct rmt_session *s;
	int err;

	rmt_max = max_sessions;
	rmt_default_bytes = buffer_bytes;
	if (!boot)
		return 0;
	s = rmt_session_alloc(true);
	if (!s)
		return -ENOMEM;
	mutex_lock(&s->lock);
	err = rmt_session_enable_locked(s);
	mutex_unlock(&s->lock);
	if (err) {
		rmt_session_free(s);
		return err;
	}
	WRITE_ONCE(rmt_boot, s);
	return 0;
}

/* At unload: no file is open, only the boot session may be left. */
void rmt_session_exit(void)
{
	struct rmt_session *boot = rmt_boot;

	WRITE_ONCE(rmt_boot, NULL);
	if (boot)
		rmt_session_release(boot);
	WARN_ON_ONCE(!list_empty(&rmt_sessions));
}
