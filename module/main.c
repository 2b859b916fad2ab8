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

#include "buffer.h"
#include "capture.h"
#include "device.h"

static unsigned int buffer_size = 256 * 1024;
module_param(buffer_size, uint, 0444);
MODULE_PARM_DESC(buffer_size,
		 "Record buffer bytes per CPU: a power of two from 4096 to 67108864 (default 262144)");

static int __init rmt_init(void)
{
	int err;

	if (buffer_size < RMT_BUFFER_MIN_BYTES ||
	    buffer_size > RMT_BUFFER_MAX_BYTES ||
	    !is_power_of_2(buffer_size)) {
		pr_err("buffer_size=%u is not a power of two from %u to %u\n",
		       buffer_size, RMT_BUFFER_MIN_BYTES, RMT_BUFFER_MAX_BYTES);
		return -EINVAL;
	}

	err = rmt_capture_init();
	if (err)
		return err;
	err = rmt_buffer_init(buffer_size);
	if (err)
		return err;
	err = rmt_device_init();
	if (err) {
		rmt_buffer_exit();
		return err;
	}
	return 0;
}

static void __exit rmt_exit(void)
{
	/* No descriptor is open (the device holds a module reference). */
	rmt_device_exit();
	rmt_capture_disable();
	rmt_buffer_exit();
}

module_init(rmt_init);
module_exit(rmt_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("recvmmsg_trace developers");
MODULE_DESCRIPTION("Trace recvmmsg_time32 system calls of 32-bit tasks");
MODULE_VERSION(RMT_VERSION);
