// SPDX-License-Identifier: GPL-2.0
/*
 * Capture: probes on the raw syscall tracepoints.
 *
 * sys_enter and sys_exit fire for every system call of every task once a
 * probe is attached, so each probe first rejects, as cheaply as it can,
 * everything that is not recvmmsg from a compat task: compares of the
 * syscall number, then the compat check. Only calls that match and pass the
 * filter build a record, in a per-CPU scratch area, and hand it to the
 * per-CPU buffer.
 *
 * The probes are attached only while capture is enabled. Detaching waits
 * for every running probe to finish (tracepoint_synchronize_unregister), so
 * nothing a probe uses is freed under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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
#include <asm/syscall.h>

#include "buffer.h"
#include "capture.h"
#include "filter.h"
#include "inflight.h"
#include "params.h"
#include "snapshot.h"
#include "stats.h"

static struct tracepoint *rmt_tp_enter;
static struct tracepoint *rmt_tp_exit;

/*
 * Who wants capture on. Capture is on while it was enabled without a hold
 * (@rmt_standing) or any open file holds it (@rmt_holds). A hold is the
 * generation it was taken in; a full disable starts a new generation, so
 * that the holds it cancelled are not counted off a second time when their
 * files close. All of it, and @rmt_enabled, changes only under the lock;
 * rmt_capture_info() reads what was last published (@rmt_info_flags)
 * without it, so that asking never waits behind an attach or a detach.
 */
static DEFINE_MUTEX(rmt_capture_lock);
static bool rmt_enabled;
static bool rmt_standing;
static unsigned int rmt_holds;
static u64 rmt_hold_gen = 1;
/* RMT_INFO_* of the state above, published whole once each change is done. */
static u32 rmt_info_flags;

/*
 * Open only while both probes are attached. Attaching or detaching one
 * probe takes long (code patching on every CPU), and a call made between
 * the two would get one record of its pair; with the gate only the calls
 * still running when it opens or closes do.
 */
static bool rmt_gate_open;

/*
 * Records are assembled in a per-CPU scratch area, too large for the stack,
 * with preemption disabled, before the kfifo is touched.
 */
struct rmt_scratch {
	u64 data[RMT_RECORD_MAX_SIZE / sizeof(u64)];
};

static struct rmt_scratch __percpu *rmt_scratch;

/* Enter and exit records share their layout up to the messages. */
static_assert(offsetof(struct rmt_exit_record, call) ==
	      offsetof(struct rmt_enter_record, call));
static_assert(sizeof(struct rmt_exit_record) == sizeof(struct rmt_enter_record));

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

/*
 * Fill @buf with the whole record, its size included. Returns false, with
 * the record half made, when the call's fd does not pass filter @kf.
 */
static bool rmt_build(void *buf, struct pt_regs *regs, const struct rmt_call *what,
		      u16 type, long ret, const struct rmt_name_room *room,
		      const struct rmt_kfilter *kf)
{
	struct rmt_enter_record *rec = buf;
	struct rmt_call *call = &rec->call;
	unsigned int snaplen = READ_ONCE(rmt_snaplen);
	unsigned int n;

	/* @buf is this CPU's scratch area: no other task may use it now. */
	lockdep_assert_preemption_disabled();
	memset(rec, 0, sizeof(*rec));
	rec->hdr.type = type;
	call->syscall_nr = what->syscall_nr;
	call->via = what->via;
	rmt_snap_args(call, regs, false);
	if (!rmt_filter_fd(kf, call->args[RMT_ARG_FD]))
		return false;
	rmt_snap_task(&rec->task);
	rmt_snap_timeout(call, false);
	if (type == RMT_REC_ENTER) {
		n = rmt_snap_enter_msgs(call, rec->msgs, snaplen, false);
		rec->hdr.size = struct_size(rec, msgs, n);
	} else {
		struct rmt_exit_record *x = buf;

		call->ret = ret;
		n = rmt_snap_exit_msgs(call, x->msgs, room, snaplen, false);
		rec->hdr.size = struct_size(x, msgs, n);
	}
	return true;
}

/*
 * Where the probe may sleep (faultable syscall tracepoints), first walk the
 * call's user memory with faulting reads so that it is resident: the record
 * is then built, like everywhere else, with preemption off and non-faulting
 * copies. Nothing of this walk is kept.
 */
static void rmt_prefault(struct pt_regs *regs, const struct rmt_call *what,
			 u16 type, long ret, const struct rmt_name_room *room)
{
	unsigned int snaplen = READ_ONCE(rmt_snaplen);
	struct rmt_call call = {
		.syscall_nr = what->syscall_nr,
		.via = what->via,
		.ret = ret,
	};

	rmt_snap_args(&call, regs, true);
	rmt_snap_timeout(&call, true);
	if (type == RMT_REC_ENTER)
		rmt_snap_enter_msgs(&call, NULL, snaplen, true);
	else
		rmt_snap_exit_msgs(&call, NULL, room, snaplen, true);
}

static bool rmt_task_passes(void)
{
	bool pass;

	rcu_read_lock();
	pass = rmt_filter_task(rmt_filter_current());
	rcu_read_unlock();
	return pass;
}

/*
 * Count the call as seen, then as filtered, written or dropped: exactly one
 * of them, decided with one filter read once under RCU.
 */
static void rmt_capture(struct pt_regs *regs, const struct rmt_call *what,
			u16 type, long ret, const struct rmt_name_room *roomp)
{
	const struct rmt_kfilter *kf;
	struct rmt_enter_record *rec;

	if (preemptible()) {
		/* Skip the faulting walk for calls the filter leaves out. */
		if (!rmt_task_passes()) {
			/* Both on one CPU, so that each CPU's row adds up. */
			preempt_disable();
			rmt_count_inc(type, RMT_COUNT_SEEN);
			rmt_count_inc(type, RMT_COUNT_FILTERED);
			preempt_enable();
			return;
		}
		rmt_prefault(regs, what, type, ret, roomp);
	}

	preempt_disable();
	rcu_read_lock();
	rmt_count_inc(type, RMT_COUNT_SEEN);
	kf = rmt_filter_current();
	rec = (void *)this_cpu_ptr(rmt_scratch)->data;
	if (!rmt_filter_task(kf) || !rmt_build(rec, regs, what, type, ret, roomp, kf)) {
		rmt_count_inc(type, RMT_COUNT_FILTERED);
	} else {
		/* The exit will need the room of each address buffer. */
		if (type == RMT_REC_ENTER && !READ_ONCE(rmt_no_exit))
			rmt_inflight_start(current->pid, &rec->call, rec->msgs);
		if (rec->call.faults)
			rmt_stat_inc(smp_processor_id(), RMT_STAT_FAULTS);
		if (rmt_buffer_push(&rec->hdr))
			rmt_count_inc(type, RMT_COUNT_WRITTEN);
		else
			rmt_count_inc(type, RMT_COUNT_DROPPED);
	}
	rcu_read_unlock();
	preempt_enable();
}

static void rmt_probe_enter(void *data, struct pt_regs *regs, long id)
{
	struct rmt_call what;

	if (likely(!rmt_classify(regs, id, &what)))
		return;
	if (!READ_ONCE(rmt_gate_open))
		return;
	/* What this thread's last call left behind is of no use now. */
	rmt_inflight_forget(current->pid);
	rmt_capture(regs, &what, RMT_REC_ENTER, 0, NULL);
}

static void rmt_probe_exit(void *data, struct pt_regs *regs, long ret)
{
	struct rmt_name_room room;
	struct rmt_call what;
	bool known;

	if (likely(!rmt_classify(regs, syscall_get_nr(current, regs), &what)))
		return;
	if (!READ_ONCE(rmt_gate_open))
		return;
	/* Whatever becomes of the exit, the call is no longer in flight. */
	known = rmt_inflight_finish(current->pid, &room);
	if (READ_ONCE(rmt_no_exit))
		return;
	rmt_capture(regs, &what, RMT_REC_EXIT, ret, known ? &room : NULL);
}

static void rmt_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		rmt_tp_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		rmt_tp_exit = tp;
}

/* The syscall tracepoints are not exported to modules: look them up. */
int rmt_capture_init(void)
{
	for_each_kernel_tracepoint(rmt_find_tracepoint, NULL);
	if (!rmt_tp_enter || !rmt_tp_exit) {
		pr_err("kernel has no sys_enter/sys_exit tracepoints (CONFIG_HAVE_SYSCALL_TRACEPOINTS)\n");
		return -ENODEV;
	}
	rmt_scratch = alloc_percpu(struct rmt_scratch);
	if (!rmt_scratch)
		return -ENOMEM;
	if (rmt_inflight_init()) {
		free_percpu(rmt_scratch);
		rmt_scratch = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Called once capture is disabled for good (module unload). */
void rmt_capture_exit(void)
{
	rmt_inflight_exit();
	free_percpu(rmt_scratch);
	rmt_scratch = NULL;
}

static int rmt_attach(void)
{
	int err;

	/* No probe runs: calls still in flight from before are forgotten. */
	rmt_inflight_clear();
	err = tracepoint_probe_register(rmt_tp_enter, rmt_probe_enter, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(rmt_tp_exit, rmt_probe_exit, NULL);
	if (err) {
		tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
		tracepoint_synchronize_unregister();
		return err;
	}
	rmt_buffer_poll_start();
	WRITE_ONCE(rmt_gate_open, true);
	return 0;
}

/* Returns once no probe runs any more. */
static void rmt_detach(void)
{
	WRITE_ONCE(rmt_gate_open, false);
	tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
	tracepoint_probe_unregister(rmt_tp_exit, rmt_probe_exit, NULL);
	tracepoint_synchronize_unregister();
	rmt_buffer_poll_stop();
}

/* Make the state that the lock now holds the one GET_INFO reports. */
static void rmt_publish(void)
{
	u32 flags = 0;

	lockdep_assert_held(&rmt_capture_lock);
	if (rmt_enabled)
		flags |= RMT_INFO_ENABLED;
	if (rmt_standing)
		flags |= RMT_INFO_STANDING;
	if (rmt_holds)
		flags |= RMT_INFO_HELD;
	WRITE_ONCE(rmt_info_flags, flags);
}

static int rmt_start(void)
{
	int err = 0;

	lockdep_assert_held(&rmt_capture_lock);
	if (!rmt_enabled) {
		err = rmt_attach();
		if (!err)
			WRITE_ONCE(rmt_enabled, true);
	}
	return err;
}

/* Nobody wants capture any more: every hold is void. */
static void rmt_stop(void)
{
	lockdep_assert_held(&rmt_capture_lock);
	rmt_standing = false;
	rmt_holds = 0;
	rmt_hold_gen++;
	if (rmt_enabled) {
		rmt_detach();
		WRITE_ONCE(rmt_enabled, false);
		/* No probe runs any more: drops still uncounted get a record. */
		rmt_buffer_flush_lost();
	}
}

/* On until rmt_capture_disable(), whoever holds it or not. */
int rmt_capture_enable(void)
{
	int err;

	mutex_lock(&rmt_capture_lock);
	err = rmt_start();
	if (!err)
		rmt_standing = true;
	rmt_publish();
	mutex_unlock(&rmt_capture_lock);
	return err;
}

/* On at least until @hold is dropped; taking a hold twice is one hold. */
int rmt_capture_hold(u64 *hold)
{
	int err = 0;

	mutex_lock(&rmt_capture_lock);
	if (*hold != rmt_hold_gen) {
		err = rmt_start();
		if (!err) {
			*hold = rmt_hold_gen;
			rmt_holds++;
		}
	}
	rmt_publish();
	mutex_unlock(&rmt_capture_lock);
	return err;
}

/* Capture stops with the last hold unless it was enabled standing. */
void rmt_capture_unhold(u64 *hold)
{
	mutex_lock(&rmt_capture_lock);
	if (*hold == rmt_hold_gen) {
		rmt_holds--;
		if (!rmt_holds && !rmt_standing)
			rmt_stop();
	}
	*hold = 0;
	rmt_publish();
	mutex_unlock(&rmt_capture_lock);
}

/* Off for everyone: the standing enable and every hold. */
void rmt_capture_disable(void)
{
	mutex_lock(&rmt_capture_lock);
	rmt_stop();
	rmt_publish();
	mutex_unlock(&rmt_capture_lock);
}

/*
 * Empty the buffers and zero the counters with no probe running: detach
 * for the time it takes when capture is on. Readers are kept out only
 * while the buffers are emptied (rmt_buffer_reset()).
 */
int rmt_capture_reset(void)
{
	int err = 0;

	mutex_lock(&rmt_capture_lock);
	if (rmt_enabled)
		rmt_detach();
	rmt_buffer_reset();
	rmt_stats_zero();
	if (rmt_enabled) {
		err = rmt_attach();
		if (err) {
			/* Off, as after a disable: nothing is attached. */
			WRITE_ONCE(rmt_enabled, false);
			rmt_stop();
		}
	}
	rmt_publish();
	mutex_unlock(&rmt_capture_lock);
	return err;
}

/*
 * RMT_INFO_* bits of the capture state, as last published: without the
 * lock, which an attach or a detach holds for long.
 */
u32 rmt_capture_info(void)
{
	return READ_ONCE(rmt_info_flags);
}
