// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/recvmmsg_trace: a misc device that serves the record stream and takes
 * the control ioctls. Records leave the per-CPU buffers under the readers'
 * lock (buffer.c), so that two readers never split or duplicate records.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "buffer.h"
#include "capture.h"
#include "device.h"
#include "filter.h"
#include "params.h"
#include "stats.h"

/*
 * The first (smallest) size of each ioctl struct a caller may pass. Any
 * later version only grows at the end.
 */
#define RMT_INFO_SIZE_VER0	offsetofend(struct rmt_info, version)
#define RMT_FILTER_SIZE_VER0	offsetofend(struct rmt_filter, tgids)
#define RMT_CONFIG_SIZE_VER0	offsetofend(struct rmt_config, wakeup_bytes)
#define RMT_STATS_SIZE_VER0	(offsetof(struct rmt_stats, total) + RMT_CPU_STATS_SIZE_VER0)
/* Sizes past this are refused outright rather than scanned for zeros. */
#define RMT_IOC_SIZE_MAX	PAGE_SIZE

/*
 * A read moves records from the per-CPU buffers into its file's bounce
 * buffer with the readers' lock held, then copies them to user space with
 * only the file's own lock: a buffer that faults, or blocks for as long as
 * its owner likes (userfaultfd, FUSE), holds up no other file's readers.
 * Records that could not be copied stay pending in the file, in order, for
 * its next read.
 */
#define RMT_READ_CHUNK		(64 * 1024)
static_assert(RMT_READ_CHUNK >= RMT_RECORD_MAX_SIZE);

/* What the device keeps for each open file. */
struct rmt_file {
	u64 hold;		/* capture hold (capture.c), 0 for none */
	struct mutex read_lock;	/* this file's readers, and what follows */
	char *pending;		/* RMT_READ_CHUNK bytes, from the first read */
	size_t pending_off;	/* first record not yet delivered */
	size_t pending_len;	/* bytes of whole records from there */
	unsigned long pending_gen;	/* buffer generation they came from */
};

/* Serializes the set ioctls, so that a get sees one whole config. */
static DEFINE_MUTEX(rmt_config_lock);

/*
 * Copy the whole pending records that fit in @count to @buf. Only records
 * that arrived whole count as delivered; the rest stay pending.
 */
static ssize_t rmt_deliver(struct rmt_file *rf, char __user *buf, size_t count)
{
	const char *p = rf->pending + rf->pending_off;
	const struct rmt_record_header *h;
	size_t len = 0, done = 0, arrived;

	lockdep_assert_held(&rf->read_lock);
	while (len < rf->pending_len) {
		h = (const void *)(p + len);
		if (h->size > count - len || h->size > rf->pending_len - len)
			break;
		len += h->size;
	}
	if (!len)
		return -EINVAL;
	arrived = len - copy_to_user(buf, p, len);
	while (done < arrived) {
		h = (const void *)(p + done);
		if (h->size > arrived - done)
			break;
		done += h->size;
	}
	rf->pending_off += done;
	WRITE_ONCE(rf->pending_len, rf->pending_len - done);
	return done ? done : -EFAULT;
}

/* One attempt: pending records first, else what the buffers hold now. */
static ssize_t rmt_read_once(struct rmt_file *rf, char __user *buf, size_t count,
			     bool nonblock)
{
	bool too_small;
	size_t taken;
	int err;

	lockdep_assert_held(&rf->read_lock);
	if (!rf->pending) {
		rf->pending = kvmalloc(RMT_READ_CHUNK, GFP_KERNEL);
		if (!rf->pending)
			return -ENOMEM;
	}
	/* A reset since they were taken: they go, like the buffers' records. */
	if (rf->pending_len && rf->pending_gen != rmt_buffer_generation())
		WRITE_ONCE(rf->pending_len, 0);
	if (!rf->pending_len) {
		err = rmt_buffer_lock_readers(nonblock);
		if (err)
			return err;
		taken = rmt_buffer_take(rf->pending, min_t(size_t, count, RMT_READ_CHUNK),
					&too_small, &rf->pending_gen);
		rmt_buffer_unlock_readers();
		if (!taken)
			return too_small ? -EINVAL : 0;
		rf->pending_off = 0;
		WRITE_ONCE(rf->pending_len, taken);
	}
	return rmt_deliver(rf, buf, count);
}

static ssize_t rmt_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	struct rmt_file *rf = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		if (nonblock) {
			if (!mutex_trylock(&rf->read_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&rf->read_lock)) {
			return -ERESTARTSYS;
		}
		ret = rmt_read_once(rf, buf, count, nonblock);
		mutex_unlock(&rf->read_lock);
		if (ret)
			return ret;
		if (nonblock)
			return -EAGAIN;
		ret = rmt_buffer_wait();
		if (ret)
			return ret;
		/* Another file's reader may have taken what woke us. */
		if (signal_pending(current))
			return -ERESTARTSYS;
		cond_resched();
	}
}

static __poll_t rmt_poll(struct file *file, poll_table *pt)
{
	struct rmt_file *rf = file->private_data;

	rmt_buffer_poll_wait(file, pt);
	if (READ_ONCE(rf->pending_len) || rmt_buffer_has_data())
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

/* The caller's size of an ioctl struct, checked against its first version. */
static int rmt_user_size(const void __user *uarg, u32 min, u32 *usize)
{
	if (get_user(*usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min)
		return -EINVAL;
	if (*usize > RMT_IOC_SIZE_MAX)
		return -E2BIG;
	return 0;
}

/* Copy in a struct of any accepted size: unknown bytes must be zero. */
static int rmt_copy_in(void *dst, size_t ksize, const void __user *uarg, u32 min)
{
	u32 usize;
	int err = rmt_user_size(uarg, min, &usize);

	if (err)
		return err;
	return copy_struct_from_user(dst, ksize, uarg, usize);
}

/* Copy out as much of @src as the caller has room for, and say how much. */
static int rmt_copy_out(void __user *uarg, void *src, size_t ksize, u32 min)
{
	u32 usize;
	int err = rmt_user_size(uarg, min, &usize);

	if (err)
		return err;
	*(u32 *)src = min_t(u32, usize, ksize);
	return copy_to_user(uarg, src, *(u32 *)src) ? -EFAULT : 0;
}

static long rmt_ioctl_get_info(void __user *uarg)
{
	struct rmt_info info;

	memset(&info, 0, sizeof(info));
	info.abi_version = RMT_ABI_VERSION;
	info.nr_cpus = nr_cpu_ids;
	info.buffer_bytes = rmt_buffer_bytes();
	info.enter_size = sizeof(struct rmt_enter_record);
	info.exit_size = sizeof(struct rmt_exit_record);
	info.lost_size = sizeof(struct rmt_lost_record);
	info.max_record_size = RMT_RECORD_MAX_SIZE;
	info.flags = rmt_capture_info();
	strscpy(info.version, RMT_VERSION, sizeof(info.version));
	return rmt_copy_out(uarg, &info, sizeof(info), RMT_INFO_SIZE_VER0);
}

static long rmt_ioctl_set_filter(void __user *uarg)
{
	struct rmt_filter f;
	int err = rmt_copy_in(&f, sizeof(f), uarg, RMT_FILTER_SIZE_VER0);

	return err ? err : rmt_filter_set(&f);
}

static long rmt_ioctl_get_filter(void __user *uarg)
{
	struct rmt_filter f;

	rmt_filter_get(&f);
	return rmt_copy_out(uarg, &f, sizeof(f), RMT_FILTER_SIZE_VER0);
}

static long rmt_ioctl_set_config(void __user *uarg)
{
	struct rmt_config c;
	int err = rmt_copy_in(&c, sizeof(c), uarg, RMT_CONFIG_SIZE_VER0);

	if (err)
		return err;
	if ((c.flags & ~RMT_CONFIG_ALL) || c.snaplen < RMT_SNAPLEN_MIN ||
	    c.snaplen > RMT_SNAPLEN_MAX || c.wakeup_bytes > rmt_buffer_bytes())
		return -EINVAL;
	mutex_lock(&rmt_config_lock);
	WRITE_ONCE(rmt_snaplen, c.snaplen);
	WRITE_ONCE(rmt_no_exit, !!(c.flags & RMT_CONFIG_NO_EXIT));
	WRITE_ONCE(rmt_wakeup_bytes, c.wakeup_bytes);
	mutex_unlock(&rmt_config_lock);
	return 0;
}

static long rmt_ioctl_get_config(void __user *uarg)
{
	struct rmt_config c;

	memset(&c, 0, sizeof(c));
	mutex_lock(&rmt_config_lock);
	c.snaplen = READ_ONCE(rmt_snaplen);
	c.flags = READ_ONCE(rmt_no_exit) ? RMT_CONFIG_NO_EXIT : 0;
	c.wakeup_bytes = READ_ONCE(rmt_wakeup_bytes);
	mutex_unlock(&rmt_config_lock);
	return rmt_copy_out(uarg, &c, sizeof(c), RMT_CONFIG_SIZE_VER0);
}

static void rmt_stats_add(struct rmt_cpu_stats *sum, const struct rmt_cpu_stats *one)
{
	u64 *dst = (u64 *)sum;
	const u64 *src = (const u64 *)one;
	size_t i;

	for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
		dst[i] += src[i];
}

static long rmt_ioctl_get_stats(void __user *uarg)
{
	void __user *ucpus;
	struct rmt_cpu_stats one;
	struct rmt_stats st;
	u32 room, each, filled = 0;
	int err, cpu;

	err = rmt_copy_in(&st, sizeof(st), uarg, RMT_STATS_SIZE_VER0);
	if (err)
		return err;
	room = st.nr_cpus;
	ucpus = u64_to_user_ptr(st.cpus);
	if (st.reserved || st.bad_records || st.discarded_records)
		return -EINVAL;
	if (room && (!ucpus || st.cpu_size < RMT_CPU_STATS_SIZE_VER0 ||
		     st.cpu_size > RMT_IOC_SIZE_MAX))
		return -EINVAL;
	/* A larger entry than ours: its tail is zeroed, as unknown counters. */
	each = min_t(u32, st.cpu_size, sizeof(one));
	memset(&st.total, 0, sizeof(st.total));
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		/* A CPU that cannot exist has an entry of zeros. */
		memset(&one, 0, sizeof(one));
		if (cpu_possible(cpu)) {
			rmt_stats_read(cpu, &one);
			rmt_stats_add(&st.total, &one);
		}
		if (cpu < room) {
			void __user *entry = ucpus + (size_t)cpu * st.cpu_size;

			if (copy_to_user(entry, &one, each) ||
			    clear_user(entry + each, st.cpu_size - each))
				return -EFAULT;
			filled = cpu + 1;
		}
	}
	st.nr_cpus = filled;
	st.cpu_size = filled ? each : 0;
	st.bad_records = rmt_buffer_bad_records();
	st.discarded_records = rmt_buffer_discarded_records();
	return rmt_copy_out(uarg, &st, sizeof(st), RMT_STATS_SIZE_VER0);
}

static long rmt_ioctl_enable(struct rmt_file *rf, unsigned long arg)
{
	switch (arg) {
	case 0:
		return rmt_capture_enable();
	case RMT_CAPTURE_HOLD:
		return rmt_capture_hold(&rf->hold);
	default:
		return -EINVAL;
	}
}

static long rmt_ioctl_disable(struct rmt_file *rf, unsigned long arg)
{
	switch (arg) {
	case 0:
		rmt_capture_disable();
		return 0;
	case RMT_CAPTURE_HOLD:
		rmt_capture_unhold(&rf->hold);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * The buffers are emptied with readers kept out only for that (buffer.c);
 * records that any file took and has not delivered are dropped at its next
 * read (a new buffer generation).
 */
static long rmt_ioctl_reset(void)
{
	return rmt_capture_reset();
}

/* The size bits of our ioctl numbers are not part of the match. */
#define RMT_IOC_SIZE_BITS	(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define RMT_IOC_MATCH(cmd)	((cmd) & ~RMT_IOC_SIZE_BITS)

static bool rmt_ioctl_changes_state(unsigned int cmd)
{
	switch (RMT_IOC_MATCH(cmd)) {
	case RMT_IOC_MATCH(RMT_IOC_ENABLE):
	case RMT_IOC_MATCH(RMT_IOC_DISABLE):
	case RMT_IOC_MATCH(RMT_IOC_SET_FILTER):
	case RMT_IOC_MATCH(RMT_IOC_SET_CONFIG):
	case RMT_IOC_MATCH(RMT_IOC_RESET):
		return true;
	default:
		return false;
	}
}

static long rmt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	/* Readers of older ABIs learn which one the module speaks. */
	if (cmd == RMT_IOC_GET_INFO_OLD)
		return rmt_ioctl_get_info(uarg);
	if (_IOC_TYPE(cmd) != RMT_IOC_MAGIC)
		return -ENOTTY;
	/* A descriptor passed on to an unprivileged process reads, no more. */
	if (rmt_ioctl_changes_state(cmd) && !perfmon_capable())
		return -EPERM;

	switch (RMT_IOC_MATCH(cmd)) {
	case RMT_IOC_MATCH(RMT_IOC_GET_INFO):
		return rmt_ioctl_get_info(uarg);
	case RMT_IOC_MATCH(RMT_IOC_ENABLE):
		return rmt_ioctl_enable(file->private_data, arg);
	case RMT_IOC_MATCH(RMT_IOC_DISABLE):
		return rmt_ioctl_disable(file->private_data, arg);
	case RMT_IOC_MATCH(RMT_IOC_SET_FILTER):
		return rmt_ioctl_set_filter(uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_FILTER):
		return rmt_ioctl_get_filter(uarg);
	case RMT_IOC_MATCH(RMT_IOC_SET_CONFIG):
		return rmt_ioctl_set_config(uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_CONFIG):
		return rmt_ioctl_get_config(uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_STATS):
		return rmt_ioctl_get_stats(uarg);
	case RMT_IOC_MATCH(RMT_IOC_RESET):
		return arg ? -EINVAL : rmt_ioctl_reset();
	default:
		return -ENOTTY;
	}
}

static int rmt_open(struct inode *inode, struct file *file)
{
	struct rmt_file *rf;
	int err;

	if (!perfmon_capable())
		return -EPERM;
	err = nonseekable_open(inode, file);
	if (err)
		return err;
	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf)
		return -ENOMEM;
	mutex_init(&rf->read_lock);
	file->private_data = rf;
	return 0;
}

/* Whole records in @len bytes at @p. */
static unsigned int rmt_count_records(const char *p, size_t len)
{
	unsigned int n = 0;
	size_t off = 0;

	/* Their sizes were checked when they were taken. */
	while (off < len) {
		off += ((const struct rmt_record_header *)(p + off))->size;
		n++;
	}
	return n;
}

/*
 * The last reference to the file is gone: so is its hold on capture, and
 * the records it took and never delivered, which are counted.
 */
static int rmt_release(struct inode *inode, struct file *file)
{
	struct rmt_file *rf = file->private_data;

	if (rf->pending_len && rf->pending_gen == rmt_buffer_generation()) {
		const char *left = rf->pending + rf->pending_off;

		rmt_buffer_discarded(rmt_count_records(left, rf->pending_len));
	}
	rmt_capture_unhold(&rf->hold);
	kvfree(rf->pending);
	mutex_destroy(&rf->read_lock);
	kfree(rf);
	return 0;
}

static const struct file_operations rmt_fops = {
	.owner		= THIS_MODULE,
	.open		= rmt_open,
	.release	= rmt_release,
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
