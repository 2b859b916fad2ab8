// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/recvmmsg_trace: a misc device that serves the record stream and takes
 * the control ioctls. Readers are serialized by @rmt_read_lock so that two
 * readers never split or duplicate records.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "buffer.h"
#include "capture.h"
#include "device.h"

/* The smallest struct rmt_info a caller may pass. */
#define RMT_INFO_SIZE_VER0	offsetofend(struct rmt_info, version)

static DEFINE_MUTEX(rmt_read_lock);

static ssize_t rmt_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	ssize_t ret;

	for (;;) {
		if (mutex_lock_interruptible(&rmt_read_lock))
			return -ERESTARTSYS;
		ret = rmt_buffer_read(buf, count);
		mutex_unlock(&rmt_read_lock);
		if (ret)
			return ret;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = rmt_buffer_wait();
		if (ret)
			return ret;
	}
}

static __poll_t rmt_poll(struct file *file, poll_table *pt)
{
	rmt_buffer_poll_wait(file, pt);
	return rmt_buffer_has_data() ? EPOLLIN | EPOLLRDNORM : 0;
}

static long rmt_ioctl_get_info(void __user *uarg)
{
	struct rmt_info info;
	u32 usize;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < RMT_INFO_SIZE_VER0)
		return -EINVAL;

	memset(&info, 0, sizeof(info));
	info.size = min_t(u32, usize, sizeof(info));
	info.abi_version = RMT_ABI_VERSION;
	info.nr_cpus = nr_cpu_ids;
	info.buffer_bytes = rmt_buffer_bytes();
	info.enter_size = sizeof(struct rmt_enter_record);
	info.exit_size = sizeof(struct rmt_exit_record);
	info.lost_size = sizeof(struct rmt_lost_record);
	info.max_record_size = RMT_RECORD_MAX_SIZE;
	info.flags = rmt_capture_enabled() ? RMT_INFO_ENABLED : 0;
	strscpy(info.version, RMT_VERSION, sizeof(info.version));

	if (copy_to_user(uarg, &info, info.size))
		return -EFAULT;
	return 0;
}

/* The size bits of our ioctl numbers are not part of the match. */
#define RMT_IOC_SIZE_BITS	(_IOC_SIZEMASK << _IOC_SIZESHIFT)

static long rmt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd & ~RMT_IOC_SIZE_BITS) {
	case RMT_IOC_GET_INFO & ~RMT_IOC_SIZE_BITS:
		return rmt_ioctl_get_info(uarg);
	case RMT_IOC_ENABLE:
		if (arg)
			return -EINVAL;
		return rmt_capture_enable();
	case RMT_IOC_DISABLE:
		if (arg)
			return -EINVAL;
		rmt_capture_disable();
		return 0;
	default:
		return -ENOTTY;
	}
}

static int rmt_open(struct inode *inode, struct file *file)
{
	return nonseekable_open(inode, file);
}

static const struct file_operations rmt_fops = {
	.owner		= THIS_MODULE,
	.open		= rmt_open,
	.read		= rmt_read,
	.poll		= rmt_poll,
	.unlocked_ioctl	= rmt_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice rmt_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= RMT_DEVICE_NAME,
	.fops	= &rmt_fops,
	.mode	= 0600,
};

int rmt_device_init(void)
{
	return misc_register(&rmt_miscdev);
}

void rmt_device_exit(void)
{
	misc_deregister(&rmt_miscdev);
}
