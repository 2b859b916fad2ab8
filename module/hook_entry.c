// SPDX-License-Identifier: GPL-2.0
/*
 * The entry hook (parameter hook=entry): kretprobes on the functions the
 * ia32 syscall table calls for our calls, instead of the raw syscall
 * tracepoints. A probe on those tracepoints sends every system call of
 * every task through the slow path; a kprobe on a function entry (ftrace
 * based on the kernels we support) costs only the calls of that function.
 *
 * What it cannot do: see a call already running when it is armed,
 * fault in user memory (its handlers run with
 * preemption off), or follow more calls at once than maxactive (the kernel
 * counts the others as missed; see struct rmt_cpu_stats.missed).
 *
 * The kretprobes are registered disabled at load, so that a kernel where
 * they cannot be is refused then, and armed only while capture is on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/recvmmsg_trace.h>

#include "capture.h"
#include "hook_entry.h"

/* What an armed call's return needs to know, kept in its instance. */
struct rmt_entry_data {
	u32 attach;		/* rmt_capture_gate() at entry */
	u32 syscall_nr;
	u16 via;
};

/*
 * Arm the return of a call of ours that a session wants the exit of;
 * decline (non-zero) everything else: socketcalls other than recvmmsg,
 * time64 while time64=0, any call while capture is off, and calls every
 * session leaves out, which then hold none of the maxactive places.
 */
static int rmt_entry_enter(struct kretprobe_instance *ri, long nr)
{
	struct rmt_entry_data *d = (struct rmt_entry_data *)ri->data;
	struct pt_regs *user = task_pt_regs(current);
	struct rmt_call what;

	if (!rmt_capture_classify(user, nr, &what))
		return 1;
	d->attach = rmt_capture_gate();
	if (!d->attach || !rmt_capture_on_enter(user, &what))
		return 1;
	d->syscall_nr = what.syscall_nr;
	d->via = what.via;
	return 0;
}

static int rmt_enter_time32(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return rmt_entry_enter(ri, RMT_NR_IA32_RECVMMSG_TIME32);
}

static int rmt_enter_time64(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return rmt_entry_enter(ri, RMT_NR_IA32_RECVMMSG_TIME64);
}

static int rmt_enter_socketcall(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return rmt_entry_enter(ri, RMT_NR_IA32_SOCKETCALL);
}

/* The entry points the ia32 syscall table calls, and their handlers. */
static const struct {
	const char *symbol;
	kretprobe_handler_t enter;
} rmt_entry_points[] = {
	{ "__ia32_compat_sys_recvmmsg_time32", rmt_enter_time32 },
	{ "__ia32_compat_sys_recvmmsg_time64", rmt_enter_time64 },
	{ "__ia32_compat_sys_socketcall", rmt_enter_socketcall },
};

#define RMT_NR_ENTRY_POINTS	ARRAY_SIZE(rmt_entry_points)

static struct kretprobe rmt_kretprobes[RMT_NR_ENTRY_POINTS];
static bool rmt_registered;
static unsigned int rmt_entry_max;

/* @regs are the function's at its return: they hold the return value. */
static int rmt_entry_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct rmt_entry_data *d = (const struct rmt_entry_data *)ri->data;
	struct rmt_call what = { .syscall_nr = d->syscall_nr, .via = d->via };

	/*
	 * Capture is off, or stopped and started again since the call was
	 * armed (its entry went to sessions that may be gone): no exit.
	 */
	if (rmt_capture_gate() != d->attach)
		return 0;
	rmt_capture_on_exit(task_pt_regs(current), &what, regs_return_value(regs));
	return 0;
}

/*
 * Enough for the calls a busy machine has blocked at once. Each place
 * costs an instance and, on kernels with objpool (6.7 on), a pointer per
 * possible CPU in each probe's pool: 4096 places on 256 CPUs are 8 MiB a
 * probe.
 */
static unsigned int rmt_entry_auto_max(void)
{
	return clamp(8 * num_possible_cpus(), 256U, 4096U);
}

int rmt_entry_init(unsigned int maxactive)
{
	unsigned int i;
	int err;

	rmt_entry_max = maxactive ? maxactive : rmt_entry_auto_max();
	for (i = 0; i < RMT_NR_ENTRY_POINTS; i++) {
		struct kretprobe *rp = &rmt_kretprobes[i];

		memset(rp, 0, sizeof(*rp));
		rp->kp.symbol_name = rmt_entry_points[i].symbol;
		/* Armed by rmt_entry_attach() only. */
		rp->kp.flags = KPROBE_FLAG_DISABLED;
		rp->entry_handler = rmt_entry_points[i].enter;
		rp->handler = rmt_entry_return;
		rp->data_size = sizeof(struct rmt_entry_data);
		rp->maxactive = rmt_entry_max;
		err = register_kretprobe(rp);
		if (err) {
			pr_err("hook=entry: cannot probe %s (%d); hook=tracepoint works without it\n",
			       rmt_entry_points[i].symbol, err);
			while (i--)
				unregister_kretprobe(&rmt_kretprobes[i]);
			/* A missing function, or any other reason it cannot be. */
			return err == -ENOENT || err == -ENOMEM ? err : -EINVAL;
		}
	}
	rmt_registered = true;
	return 0;
}

void rmt_entry_exit(void)
{
	struct kretprobe *rps[RMT_NR_ENTRY_POINTS];
	unsigned int i;

	if (!rmt_registered)
		return;
	for (i = 0; i < RMT_NR_ENTRY_POINTS; i++)
		rps[i] = &rmt_kretprobes[i];
	/* Waits for the handlers running; the later returns call none. */
	unregister_kretprobes(rps, RMT_NR_ENTRY_POINTS);
	rmt_registered = false;
}

int rmt_entry_attach(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < RMT_NR_ENTRY_POINTS; i++) {
		err = enable_kretprobe(&rmt_kretprobes[i]);
		/* Every kprobe disarmed (debugfs kprobes/enabled): it stays off. */
		if (!err && kprobe_disabled(&rmt_kretprobes[i].kp)) {
			pr_warn_ratelimited("hook=entry: kprobes are disarmed on this system (debugfs kprobes/enabled is 0)\n");
			err = -EBUSY;
		}
		if (err) {
			while (i--)
				disable_kretprobe(&rmt_kretprobes[i]);
			return err;
		}
	}
	return 0;
}

/*
 * No entry handler runs once the caller's next grace period is over; the
 * returns of calls armed before still run theirs (rmt_entry_return() lets
 * them go).
 */
void rmt_entry_detach(void)
{
	unsigned int i;

	for (i = 0; i < RMT_NR_ENTRY_POINTS; i++)
		disable_kretprobe(&rmt_kretprobes[i]);
}

u32 rmt_entry_missed(void)
{
	u32 missed = 0;
	unsigned int i;

	if (!rmt_registered)
		return 0;
	/* The kernel's counters, bumped without atomics: near enough. */
	for (i = 0; i < RMT_NR_ENTRY_POINTS; i++)
		missed += (u32)READ_ONCE(rmt_kretprobes[i].nmissed) +
			  (u32)READ_ONCE(rmt_kretprobes[i].kp.nmissed);
	return missed;
}

unsigned int rmt_entry_maxactive(void)
{
	return rmt_registered ? rmt_entry_max : 0;
}
