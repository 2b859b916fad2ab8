// SPDX-License-Identifier: GPL-2.0
/*
 * recvmmsg_trace: records the recvmmsg_time32 system calls of 32-bit tasks
 * on a 64-bit kernel, which the kernel's own syscall trace events skip, and
 * serves them on /dev/recvmmsg_trace.
 *
 * This file holds the module's parameters and its load and unload order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "buffer.h"
#include "capture.h"
#include "device.h"
#include "hook_entry.h"
#include "params.h"
#include "session.h"

static unsigned int buffer_size = 256 * 1024;
module_param(buffer_size, uint, 0444);
MODULE_PARM_DESC(buffer_size,
		 "Record buffer bytes per CPU of each session: a power of two from 8192 to 67108864 (default 262144)");

static unsigned int max_sessions = 8;

static int rmt_set_max_sessions(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, RMT_MAX_SESSIONS);
}

static const struct kernel_param_ops rmt_max_sessions_ops = {
	.set = rmt_set_max_sessions,
	.get = param_get_uint,
};

module_param_cb(max_sessions, &rmt_max_sessions_ops, &max_sessions, 0444);
MODULE_PARM_DESC(max_sessions,
		 "Sessions (readers) with buffers at once, 1 to 64 (default 8)");

unsigned int rmt_snaplen = 8;

static int rmt_set_snaplen(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, RMT_SNAPLEN_MIN, RMT_SNAPLEN_MAX);
}

static const struct kernel_param_ops rmt_snaplen_ops = {
	.set = rmt_set_snaplen,
	.get = param_get_uint,
};

module_param_cb(snaplen, &rmt_snaplen_ops, &rmt_snaplen, 0644);
MODULE_PARM_DESC(snaplen, "Messages captured per call by new sessions, 1 to 64 (default 8)");

bool rmt_time64;
module_param_named(time64, rmt_time64, bool, 0644);
MODULE_PARM_DESC(time64,
		 "Also capture recvmmsg_time64 (syscall 417) of 32-bit tasks (default off)");

static bool enable;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable,
		 "Capture from load, before any reader, in a boot session that recvmmsg-trace --boot takes over (default off)");

static enum rmt_hook hook = RMT_HOOK_TRACEPOINT;

static const char * const rmt_hook_names[] = {
	[RMT_HOOK_TRACEPOINT] = "tracepoint",
	[RMT_HOOK_ENTRY] = "entry",
};

static int rmt_set_hook(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(rmt_hook_names, val);

	if (i < 0)
		return -EINVAL;
	*(enum rmt_hook *)kp->arg = i;
	return 0;
}

static int rmt_get_hook(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", rmt_hook_names[*(enum rmt_hook *)kp->arg]);
}

static const struct kernel_param_ops rmt_hook_ops = {
	.set = rmt_set_hook,
	.get = rmt_get_hook,
};

module_param_cb(hook, &rmt_hook_ops, &hook, 0444);
MODULE_PARM_DESC(hook,
		 "Where calls are caught: tracepoint (raw syscall tracepoints, the default) or entry (kretprobes on the compat entry points: no cost to other system calls)");

static unsigned int maxactive;

static int rmt_set_maxactive(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, RMT_MAXACTIVE_MAX);
}

static const struct kernel_param_ops rmt_maxactive_ops = {
	.set = rmt_set_maxactive,
	.get = param_get_uint,
};

module_param_cb(maxactive, &rmt_maxactive_ops, &maxactive, 0444);
MODULE_PARM_DESC(maxactive,
		 "hook=entry: calls it can follow at once, 1 to 16384; 0 (default): 8 per possible CPU, from 256 to 4096");

static int __init rmt_init(void)
{
	int err;

	if (!rmt_ring_size_ok(buffer_size)) {
		pr_err("buffer_size=%u is not a power of two from %u to %u\n",
		       buffer_size, RMT_BUFFER_MIN_BYTES, RMT_BUFFER_MAX_BYTES);
		return -EINVAL;
	}

	err = rmt_capture_init(hook, maxactive);
	if (err)
		return err;
	err = rmt_session_init(max_sessions, buffer_size, enable);
	if (err) {
		pr_err("enable=1: cannot start the boot session (%d)\n", err);
		goto out_capture;
	}
	/* Last: once the device is there, anyone may use all of the above. */
	err = rmt_device_init();
	if (err)
		goto out_session;
	return 0;

out_session:
	rmt_session_exit();
out_capture:
	rmt_capture_exit();
	return err;
}

static void __exit rmt_exit(void)
{
	/* No descriptor is open (the device holds a module reference). */
	rmt_device_exit();
	rmt_session_exit();
	rmt_capture_exit();
}

module_init(rmt_init);
module_exit(rmt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("recvmmsg_trace developers");
MODULE_DESCRIPTION("Trace recvmmsg_time32 system calls of 32-bit tasks");
MODULE_VERSION(RMT_VERSION);
