// SPDX-License-Identifier: GPL-2.0
/*
 * Capture: the hooks' way into the sessions, and the default hook, probes
 * on the raw syscall tracepoints (the other, hook=entry, is hook_entry.c).
 *
 * sys_enter and sys_exit fire for every system call of every task once a
 * probe is attached, so each probe first rejects, as cheaply as it can,
 * everything that is not recvmmsg from a compat task: compares of the
 * syscall number, then the compat check. A call that matches is offered
 * to every enabled session (under RCU); when any of their filters keeps
 * it, its record is built once, in a per-CPU scratch area, and pushed into
 * the buffer of each session that keeps it.
 *
 * The probes are attached only while a session is enabled. Removing a
 * session waits for every probe that may still see it (synchronize_rcu(),
 * or tracepoint_synchronize_unregister() with the last one), so nothing a
 * probe uses is freed under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compat.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <asm/syscall.h>

#include "buffer.h"
#include "capture.h"
#include "filter.h"
#include "hook_entry.h"
#include "inflight.h"
#include "params.h"
#include "session.h"
#include "snapshot.h"
#include "stats.h"

static struct tracepoint *rmt_tp_enter;
static struct tracepoint *rmt_tp_exit;

/*
 * The enabled sessions, which the probes walk under RCU. Changed only
 * under the lock, which also covers attaching and detaching: the probes
 * are attached while the list is not empty.
 */
static DEFINE_MUTEX(rmt_capture_lock);
static LIST_HEAD(rmt_active);
/* Read without the lock by GET_INFO, which never waits behind an attach. */
static bool rmt_attached;
/*
 * Detaches whose wait for the probes still running is not over (see
 * rmt_capture_quiesce()); until then an attach leaves the table of calls
 * in flight as it is, since an old probe may still be using it.
 */
static atomic_t rmt_unquiesced = ATOMIC_INIT(0);

/*
 * Open (non-zero) only while both probes are attached. Attaching or
 * detaching one probe takes long (code patching on every CPU), and a call
 * made between the two would get one record of its pair; with the gate
 * only the calls still running when it opens or closes do. Its value is
 * the attach that opened it, never the same twice in a row: a call the
 * entry hook armed belongs to one attach, in one read of the gate.
 */
static u32 rmt_gate;
static u32 rmt_last_attach;	/* the capture lock */

/* Which hook the probes are (main.c's parameter hook). */
static enum rmt_hook rmt_hook;

/* Wakes readers of what stays below their wake-up threshold. */
static struct delayed_work rmt_poll_work;
#define RMT_POLL_INTERVAL	msecs_to_jiffies(100)

/* A session that keeps the call being recorded, as the first walk saw it. */
struct rmt_taker {
	struct rmt_session *s;
	struct rmt_ring *ring;
	unsigned int snaplen;
};

/*
 * Records are assembled in a per-CPU scratch area, too large for the stack,
 * with preemption disabled, before any kfifo is touched; the sessions that
 * keep the call are listed there too.
 */
struct rmt_scratch {
	u64 data[RMT_RECORD_MAX_SIZE / sizeof(u64)];
	struct rmt_taker takers[RMT_MAX_SESSIONS];
};

static struct rmt_scratch __percpu *rmt_scratch;

/* The scratch area holds the largest record of either type. */
static_assert(RMT_ENTER_MAX_SIZE <= RMT_RECORD_MAX_SIZE);
/* The smallest buffer holds the largest record and a LOST record before it. */
static_assert(RMT_RECORD_MAX_SIZE + sizeof(struct rmt_lost_record) <= RMT_BUFFER_MIN_BYTES);
static_assert(RMT_RECORD_MAX_SIZE % sizeof(u64) == 0);
/*
 * Is this call ours, and how was it made? @regs and the compat check are
 * looked at only once the number matched: this runs for every syscall.
 */
static __always_inline bool rmt_classify(struct pt_regs *regs, long nr,
					 struct rmt_call *call)
{
	unsigned long args[6];

	if (likely(nr != RMT_NR_IA32_RECVMMSG_TIME32 &&
		   nr != RMT_NR_IA32_SOCKETCALL &&
		   nr != RMT_NR_IA32_RECVMMSG_TIME64))
		return false;
	if (!in_compat_syscall())
		return false;
	switch (nr) {
	case RMT_NR_IA32_RECVMMSG_TIME64:
		if (!READ_ONCE(rmt_time64))
			return false;
		fallthrough;
	case RMT_NR_IA32_RECVMMSG_TIME32:
		call->syscall_nr = nr;
		call->via = RMT_VIA_SYSCALL;
		return true;
	default:
		syscall_get_arguments(current, regs, args);
		if ((u32)args[0] != RMT_SOCKETCALL_RECVMMSG)
			return false;
		/* compat socketcall runs the time32 variant */
		call->syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
		call->via = RMT_VIA_SOCKETCALL;
		return true;
	}
}

bool rmt_capture_classify(struct pt_regs *regs, long nr, struct rmt_call *call)
{
	return rmt_classify(regs, nr, call);
}

/* Does @s take records of @type? Sessions without exits see none of them. */
static bool rmt_takes(const struct rmt_session *s, u16 type)
{
	return type == RMT_REC_ENTER || !READ_ONCE(s->no_exit);
}

/* What the sessions made of a call, from the first walk over them. */
struct rmt_offer {
	struct rmt_taker *takers;	/* this CPU's scratch list */
	unsigned int nr_takers;
	unsigned int snaplen;		/* the largest of theirs */
	bool exit_wanted;		/* one of them will want the exit too */
};

/*
 * The record as the session with the largest snaplen gets it, and which
 * of its messages had a part that could not be read: the others get the
 * first messages of it, with their own flags and faults.
 */
struct rmt_built {
	u16 flags;
	u32 faults;
	u32 nr_msgs;
	struct rmt_msg_faults mf;
};

/*
 * Where the probe may sleep (faultable syscall tracepoints), first walk the
 * call's user memory with faulting reads so that it is resident: the record
 * is then built, like everywhere else, with preemption off and non-faulting
 * copies. Nothing of this walk is kept.
 */
static void rmt_prefault(struct pt_regs *regs, const struct rmt_call *what,
			 u16 type, long ret, const struct rmt_name_room *room)
{
	unsigned int snaplen = 0;
	struct rmt_session *s;
	struct rmt_call call = {
		.syscall_nr = what->syscall_nr,
		.via = what->via,
		.ret = ret,
	};

	/* Only as far as the sessions that may keep the call will look. */
	rcu_read_lock();
	list_for_each_entry_rcu(s, &rmt_active, active)
		if (rmt_takes(s, type) && !READ_ONCE(s->paused) &&
		    rmt_filter_task(rcu_dereference(s->filter)))
			snaplen = max(snaplen, READ_ONCE(s->snaplen));
	rcu_read_unlock();
	if (!snaplen)
		return;
	rmt_snap_args(&call, regs, true);
	rmt_snap_timeout(&call, true);
	if (type == RMT_REC_ENTER)
		rmt_snap_enter_msgs(&call, NULL, snaplen, NULL, true);
	else
		rmt_snap_exit_msgs(&call, NULL, room, snaplen, NULL, true);
}

/*
 * First walk: count the call as seen by every session that takes its type,
 * and as filtered by those whose filter (each read once) leaves it out;
 * list the others, with their snaplen as read now, in @o->takers. The
 * record goes to those alone, even if one is disabled meanwhile: it was
 * counted as seen, it is counted as written or dropped. The arguments are
 * read, into @call, only once a session needs the fd.
 */
static void rmt_offer(struct rmt_call *call, struct pt_regs *regs, u16 type,
		      struct rmt_offer *o)
{
	const struct rmt_kfilter *kf;
	struct rmt_session *s;
	bool have_args = false, pass;

	o->nr_takers = 0;
	o->snaplen = 0;
	o->exit_wanted = false;
	list_for_each_entry_rcu(s, &rmt_active, active) {
		struct rmt_ring *ring = rcu_dereference(s->ring);
		struct rmt_taker *t;

		/* A session being emptied (RESET) sees nothing meanwhile. */
		if (!rmt_takes(s, type) || READ_ONCE(s->paused))
			continue;
		rmt_count_inc(ring->stats, type, RMT_COUNT_SEEN);
		kf = rcu_dereference(s->filter);
		pass = rmt_filter_task(kf);
		if (pass && !have_args) {
			rmt_snap_args(call, regs, false);
			have_args = true;
		}
		/* Never more than fit: the list holds fewer than that. */
		if (!pass || !rmt_filter_fd(kf, call->args[RMT_ARG_FD]) ||
		    WARN_ON_ONCE(o->nr_takers == RMT_MAX_SESSIONS)) {
			rmt_count_inc(ring->stats, type, RMT_COUNT_FILTERED);
			continue;
		}
		t = &o->takers[o->nr_takers++];
		t->s = s;
		t->ring = ring;
		t->snaplen = READ_ONCE(s->snaplen);
		o->snaplen = max(o->snaplen, t->snaplen);
		if (!READ_ONCE(s->no_exit))
			o->exit_wanted = true;
	}
}

/*
 * A record of either type being made in the scratch area: enter and exit
 * records differ in what comes before their struct rmt_call.
 */
union rmt_rec {
	struct rmt_record_header hdr;
	struct rmt_enter_record enter;
	struct rmt_exit_record exit;
};

static struct rmt_call *rmt_rec_call(union rmt_rec *rec, u16 type)
{
	return type == RMT_REC_ENTER ? &rec->enter.call : &rec->exit.call;
}

/* The rest of the record, for sessions of up to @snaplen messages. */
static void rmt_build(union rmt_rec *rec, u16 type, long ret,
		      const struct rmt_name_room *room, unsigned int snaplen,
		      struct rmt_built *b)
{
	struct rmt_call *call = rmt_rec_call(rec, type);

	rmt_snap_timeout(call, false);
	b->mf.iov = 0;
	b->mf.name = 0;
	if (type == RMT_REC_ENTER) {
		rmt_snap_task(&rec->enter.task);
		rmt_snap_enter_msgs(call, rec->enter.msgs, snaplen, &b->mf, false);
	} else {
		/* The enter record has the rest of the task. */
		rmt_snap_exit_task(&rec->exit.task, room);
		call->ret = ret;
		rmt_snap_exit_msgs(call, rec->exit.msgs, room, snaplen, &b->mf, false);
	}
	b->flags = call->flags;
	b->faults = call->faults;
	b->nr_msgs = call->nr_msgs;
}

/* Cut the record down to what a session of @snaplen messages keeps. */
static void rmt_fit(union rmt_rec *rec, u16 type, const struct rmt_built *b,
		    unsigned int snaplen)
{
	struct rmt_call *call = rmt_rec_call(rec, type);
	u64 count = type == RMT_REC_ENTER ? call->args[RMT_ARG_VLEN] : max(call->ret, 0LL);
	unsigned int n = min(b->nr_msgs, snaplen);
	u64 first_n = n >= 64 ? ~0ULL : BIT_ULL(n) - 1;

	call->nr_msgs = n;
	call->flags = b->flags & ~RMT_CALL_TRUNCATED;
	if (count > snaplen)
		call->flags |= RMT_CALL_TRUNCATED;
	call->faults = b->faults & ~(RMT_FAULT_MMSG | RMT_FAULT_IOV | RMT_FAULT_NAME);
	/* A vector that could not be read stopped the walk at nr_msgs. */
	if ((b->faults & RMT_FAULT_MMSG) && b->nr_msgs < snaplen)
		call->faults |= RMT_FAULT_MMSG;
	if (b->mf.iov & first_n)
		call->faults |= RMT_FAULT_IOV;
	if (b->mf.name & first_n)
		call->faults |= RMT_FAULT_NAME;
	if (type == RMT_REC_ENTER)
		rec->hdr.size = struct_size(&rec->enter, msgs, n);
	else
		rec->hdr.size = struct_size(&rec->exit, msgs, n);
}

/*
 * Offer the call to every enabled session; build its record once, in this
 * CPU's scratch area, for those that keep it, and push it into each of
 * their buffers: every session counts it as filtered, written or dropped.
 * Of an entry: will a session want its exit?
 */
static bool rmt_capture(struct pt_regs *regs, const struct rmt_call *what,
			u16 type, long ret, const struct rmt_name_room *room)
{
	struct rmt_offer o;
	struct rmt_built b;
	union rmt_rec *rec;
	struct rmt_call *call;
	unsigned int i;
	u64 now;

	if (preemptible())
		rmt_prefault(regs, what, type, ret, room);

	preempt_disable();
	rcu_read_lock();
	/* This CPU's scratch area: no other task may use it now. */
	rec = (void *)this_cpu_ptr(rmt_scratch)->data;
	/* The fixed part: each message is written whole as it is read. */
	memset(rec, 0, type == RMT_REC_ENTER ? sizeof(rec->enter) : sizeof(rec->exit));
	rec->hdr.type = type;
	call = rmt_rec_call(rec, type);
	call->syscall_nr = what->syscall_nr;
	call->via = what->via;
	o.takers = this_cpu_ptr(rmt_scratch)->takers;
	rmt_offer(call, regs, type, &o);
	if (!o.nr_takers)
		goto out;
	rmt_build(rec, type, ret, room, o.snaplen, &b);
	now = ktime_get_ns();
	/* The exit will need the room of each address buffer, and the time. */
	if (type == RMT_REC_ENTER && o.exit_wanted)
		rmt_inflight_start(current->pid, now, call, rec->enter.msgs);
	for (i = 0; i < o.nr_takers; i++) {
		struct rmt_taker *t = &o.takers[i];
		unsigned int queued;

		rmt_fit(rec, type, &b, t->snaplen);
		rec->hdr.time_ns = now;
		if (call->faults)
			rmt_stat_inc(t->ring->stats, smp_processor_id(), RMT_STAT_FAULTS);
		queued = rmt_ring_push(t->ring, &rec->hdr);
		if (queued) {
			rmt_count_inc(t->ring->stats, type, RMT_COUNT_WRITTEN);
			rmt_session_wake(t->s, queued);
		} else {
			rmt_count_inc(t->ring->stats, type, RMT_COUNT_DROPPED);
		}
	}
out:
	rcu_read_unlock();
	preempt_enable();
	return o.exit_wanted;
}

bool rmt_capture_on_enter(struct pt_regs *regs, const struct rmt_call *what)
{
	/* What this thread's last call left behind is of no use now. */
	rmt_inflight_forget(current->pid);
	return rmt_capture(regs, what, RMT_REC_ENTER, 0, NULL);
}

void rmt_capture_on_exit(struct pt_regs *regs, const struct rmt_call *what, long ret)
{
	/* Filled up to room.nr: no need to zero the rest at every exit. */
	struct rmt_name_room room __uninitialized;
	bool known;

	/* Whatever becomes of the exit, the call is no longer in flight. */
	known = rmt_inflight_finish(current->pid, &room);
	rmt_capture(regs, what, RMT_REC_EXIT, ret, known ? &room : NULL);
}

u32 rmt_capture_gate(void)
{
	return READ_ONCE(rmt_gate);
}

static void rmt_probe_enter(void *data, struct pt_regs *regs, long id)
{
	struct rmt_call what;

	if (likely(!rmt_classify(regs, id, &what)))
		return;
	if (READ_ONCE(rmt_gate))
		rmt_capture_on_enter(regs, &what);
}

static void rmt_probe_exit(void *data, struct pt_regs *regs, long ret)
{
	struct rmt_call what;

	if (likely(!rmt_classify(regs, syscall_get_nr(current, regs), &what)))
		return;
	if (READ_ONCE(rmt_gate))
		rmt_capture_on_exit(regs, &what, ret);
}

static void rmt_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		rmt_tp_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		rmt_tp_exit = tp;
}

static void rmt_poll_fn(struct work_struct *work)
{
	struct rmt_session *s;

	rcu_read_lock();
	list_for_each_entry_rcu(s, &rmt_active, active)
		rmt_session_poll(s);
	rcu_read_unlock();
	if (READ_ONCE(rmt_attached))
		schedule_delayed_work(&rmt_poll_work, RMT_POLL_INTERVAL);
}

/*
 * The hook's attach points: the syscall tracepoints, which are not
 * exported to modules (look them up), or the entry hook's kretprobes.
 */
int rmt_capture_init(enum rmt_hook hook, unsigned int maxactive)
{
	int err;

	rmt_hook = hook;
	if (hook == RMT_HOOK_ENTRY) {
		err = rmt_entry_init(maxactive);
		if (err)
			return err;
	} else {
		for_each_kernel_tracepoint(rmt_find_tracepoint, NULL);
		if (!rmt_tp_enter || !rmt_tp_exit) {
			pr_err("kernel has no sys_enter/sys_exit tracepoints (CONFIG_HAVE_SYSCALL_TRACEPOINTS)\n");
			return -ENODEV;
		}
	}
	INIT_DELAYED_WORK(&rmt_poll_work, rmt_poll_fn);
	err = -ENOMEM;
	rmt_scratch = alloc_percpu(struct rmt_scratch);
	if (!rmt_scratch)
		goto out_entry;
	if (rmt_inflight_init())
		goto out_scratch;
	return 0;

out_scratch:
	free_percpu(rmt_scratch);
	rmt_scratch = NULL;
out_entry:
	rmt_entry_exit();
	return err;
}

enum rmt_hook rmt_capture_hook(void)
{
	return rmt_hook;
}

unsigned int rmt_capture_maxactive(void)
{
	return rmt_entry_maxactive();
}

u32 rmt_capture_missed(void)
{
	return rmt_entry_missed();
}

/* Called once every session is gone (module unload). */
void rmt_capture_exit(void)
{
	WARN_ON_ONCE(!list_empty(&rmt_active));
	/* No probe may still run the module's code or use its memory. */
	rmt_entry_exit();
	tracepoint_synchronize_unregister();
	cancel_delayed_work_sync(&rmt_poll_work);
	rmt_inflight_exit();
	free_percpu(rmt_scratch);
	rmt_scratch = NULL;
}

static int rmt_attach(void)
{
	int err;

	lockdep_assert_held(&rmt_capture_lock);
	/*
	 * Calls still in flight from before are forgotten, unless a probe
	 * of the last attach may still run and use the table.
	 */
	if (!atomic_read(&rmt_unquiesced))
		rmt_inflight_clear();
	if (rmt_hook == RMT_HOOK_ENTRY) {
		err = rmt_entry_attach();
		if (err)
			return err;
	} else {
		err = tracepoint_probe_register(rmt_tp_enter, rmt_probe_enter, NULL);
		if (err)
			return err;
		err = tracepoint_probe_register(rmt_tp_exit, rmt_probe_exit, NULL);
		if (err) {
			tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
			atomic_inc(&rmt_unquiesced);
			return err;
		}
	}
	WRITE_ONCE(rmt_attached, true);
	schedule_delayed_work(&rmt_poll_work, RMT_POLL_INTERVAL);
	/* A new value, and never 0 (closed). */
	rmt_last_attach = rmt_last_attach + 1 ?: 1;
	WRITE_ONCE(rmt_gate, rmt_last_attach);
	return 0;
}

/*
 * No new probe runs once this returns; one already running may go on (on
 * 7.x kernels a probe may wait for a page of its task's memory as long as
 * a FUSE server or a userfaultfd likes): rmt_capture_quiesce() waits for
 * those, with no lock held.
 */
static void rmt_detach(void)
{
	lockdep_assert_held(&rmt_capture_lock);
	WRITE_ONCE(rmt_gate, 0);
	if (rmt_hook == RMT_HOOK_ENTRY) {
		rmt_entry_detach();
	} else {
		tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
		tracepoint_probe_unregister(rmt_tp_exit, rmt_probe_exit, NULL);
	}
	WRITE_ONCE(rmt_attached, false);
	atomic_inc(&rmt_unquiesced);
}

/* Offer calls to @s from now on; the first session attaches the probes. */
int rmt_capture_add(struct rmt_session *s)
{
	int err = 0;

	if (mutex_lock_killable(&rmt_capture_lock))
		return -EINTR;
	if (!rmt_attached)
		err = rmt_attach();
	if (!err)
		list_add_tail_rcu(&s->active, &rmt_active);
	mutex_unlock(&rmt_capture_lock);
	return err;
}

/*
 * Offer no more calls to @s: when this returns, no probe is using it (they
 * use sessions inside RCU read sections only). The last session detaches
 * the probes: the caller then owes a rmt_capture_quiesce(), once it holds
 * no lock.
 */
void rmt_capture_remove(struct rmt_session *s)
{
	mutex_lock(&rmt_capture_lock);
	list_del_rcu(&s->active);
	if (list_empty(&rmt_active) && rmt_attached)
		rmt_detach();
	mutex_unlock(&rmt_capture_lock);
	synchronize_rcu();
}

/*
 * Wait for the probes of every detach so far that may still run. May wait
 * long on 7.x (see rmt_detach()): only the caller waits, with no lock of
 * the module held.
 */
void rmt_capture_quiesce(void)
{
	int seen = atomic_read(&rmt_unquiesced);

	if (!seen)
		return;
	/* The entry hook's handlers run with preemption off, always. */
	if (rmt_hook == RMT_HOOK_ENTRY)
		synchronize_rcu();
	else
		tracepoint_synchronize_unregister();
	atomic_sub(seen, &rmt_unquiesced);
}

/*
 * @to takes @from's place, @from's ring already its own: a probe sees one
 * or the other, never both and never neither, so no call is missed. When
 * this returns, no probe is using @from.
 */
void rmt_capture_replace(struct rmt_session *from, struct rmt_session *to)
{
	mutex_lock(&rmt_capture_lock);
	list_replace_rcu(&from->active, &to->active);
	mutex_unlock(&rmt_capture_lock);
	synchronize_rcu();
}

/* Are the probes attached? Without the lock, which an attach holds long. */
bool rmt_capture_attached(void)
{
	return READ_ONCE(rmt_attached);
}
