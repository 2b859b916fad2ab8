// SPDX-License-Identifier: GPL-2.0
/*
 * Capture: probes on the raw syscall tracepoints.
 *
 * sys_enter and sys_exit fire for every system call of every task once a
 * probe is attached, so each probe first rejects, as cheaply as it can,
 * everything that is not recvmmsg_time32 from a compat task: one compare of
 * the syscall number, then the compat check. Only matching calls build a
 * record, on the stack, and hand it to the per-CPU buffer.
 *
 * The probes are attached only while capture is enabled. Detaching waits
 * for every running probe to finish (tracepoint_synchronize_unregister), so
 * nothing a probe uses is freed under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>
#include <asm/syscall.h>

#include "buffer.h"
#include "capture.h"

static struct tracepoint *rmt_tp_enter;
static struct tracepoint *rmt_tp_exit;

/* Serializes enable and disable; @rmt_enabled changes only under it. */
static DEFINE_MUTEX(rmt_capture_lock);
static bool rmt_enabled;

static __always_inline bool rmt_wanted(long nr)
{
	return nr == RMT_NR_IA32_RECVMMSG_TIME32 && in_compat_syscall();
}

static void rmt_fill_task(struct rmt_task *task, long nr)
{
	task->tgid = task_tgid_nr(current);
	task->tid = task_pid_nr(current);
	task->uid = from_kuid_munged(&init_user_ns, current_uid());
	task->syscall_nr = nr;
	/* current->comm of our own task: no lock needed to read it. */
	strscpy_pad(task->comm, current->comm, sizeof(task->comm));
}

static void rmt_probe_enter(void *data, struct pt_regs *regs, long id)
{
	struct rmt_enter_record rec;
	unsigned long args[6];
	int i;

	if (likely(!rmt_wanted(id)))
		return;

	memset(&rec, 0, sizeof(rec));
	rec.hdr.type = RMT_REC_ENTER;
	rec.hdr.size = sizeof(rec);
	rmt_fill_task(&rec.task, id);
	syscall_get_arguments(current, regs, args);
	for (i = 0; i < RMT_NR_ARGS; i++)
		rec.args[i] = (u32)args[i];
	rmt_buffer_push(&rec.hdr);
}

static void rmt_probe_exit(void *data, struct pt_regs *regs, long ret)
{
	struct rmt_exit_record rec;
	long nr = syscall_get_nr(current, regs);

	if (likely(!rmt_wanted(nr)))
		return;

	memset(&rec, 0, sizeof(rec));
	rec.hdr.type = RMT_REC_EXIT;
	rec.hdr.size = sizeof(rec);
	rmt_fill_task(&rec.task, nr);
	rec.ret = ret;
	rmt_buffer_push(&rec.hdr);
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
	return 0;
}

int rmt_capture_enable(void)
{
	int err = 0;

	mutex_lock(&rmt_capture_lock);
	if (rmt_enabled)
		goto out;
	err = tracepoint_probe_register(rmt_tp_enter, rmt_probe_enter, NULL);
	if (err)
		goto out;
	err = tracepoint_probe_register(rmt_tp_exit, rmt_probe_exit, NULL);
	if (err) {
		tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
		tracepoint_synchronize_unregister();
		goto out;
	}
	rmt_enabled = true;
out:
	mutex_unlock(&rmt_capture_lock);
	return err;
}

void rmt_capture_disable(void)
{
	mutex_lock(&rmt_capture_lock);
	if (rmt_enabled) {
		tracepoint_probe_unregister(rmt_tp_enter, rmt_probe_enter, NULL);
		tracepoint_probe_unregister(rmt_tp_exit, rmt_probe_exit, NULL);
		tracepoint_synchronize_unregister();
		rmt_enabled = false;
		/* No probe runs any more: drops still uncounted get a record. */
		rmt_buffer_flush_lost();
	}
	mutex_unlock(&rmt_capture_lock);
}

bool rmt_capture_enabled(void)
{
	return READ_ONCE(rmt_enabled);
}
