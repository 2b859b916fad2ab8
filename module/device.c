// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/recvmmsg_trace: a misc device whose every open file is a capture
 * session (session.c). read() serves the session's records, the ioctls
 * its filter, config and counters.
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
#include "params.h"
#include "session.h"
#include "stats.h"

/*
 * The first (smallest) size of each ioctl struct a caller may pass. Any
 * later version only grows at the end.
 */
#define RMT_INFO_SIZE_VER0	offsetofend(struct rmt_info, version)
#define RMT_FILTER_SIZE_VER0	offsetofend(struct rmt_filter, tgids)
#define RMT_CONFIG_SIZE_VER0	offsetofend(struct rmt_config, wakeup_bytes)
#define RMT_STATS_SIZE_VER0	(offsetof(struct rmt_stats, total) + RMT_CPU_STATS_SIZE_VER0)
#define RMT_SESSIONS_SIZE_VER0	offsetofend(struct rmt_sessions, total)
/* Sizes past this are refused outright rather than scanned for zeros. */
#define RMT_IOC_SIZE_MAX	PAGE_SIZE

/* The first size of each ends with the first struct rmt_cpu_stats. */
static_assert(offsetof(struct rmt_session_info, total) + RMT_CPU_STATS_SIZE_VER0 ==
	      RMT_SESSION_INFO_SIZE_VER0);
static_assert(offsetofend(struct rmt_cpu_stats, lost_records) == RMT_CPU_STATS_SIZE_VER0);

/*
 * A read moves records from the session's per-CPU buffers into its bounce
 * buffer, kernel memory, with the session's lock held, then copies them to
 * user space with only the readers' lock: a buffer that faults, or blocks
 * for as long as its owner likes (userfaultfd, FUSE), holds up no ioctl.
 * Records that could not be copied stay pending, in order, for the next
 * read, unless a RESET or a resize came in between.
 */
#define RMT_READ_CHUNK		RMT_READ_MAX_BYTES
static_assert(RMT_READ_CHUNK >= RMT_RECORD_MAX_SIZE);

/*
 * Copy the whole pending records that fit in @count to @buf. Only records
 * that arrived whole count as delivered; the rest stay pending.
 */
static ssize_t rmt_deliver(struct rmt_session *s, char __user *buf, size_t count)
{
	const char *p = s->pending + s->pending_off;
	const struct rmt_record_header *h;
	size_t len = 0, done = 0, arrived;

	lockdep_assert_held(&s->read_lock);
	while (len < s->pending_len) {
		h = (const void *)(p + len);
		if (h->size > count - len || h->size > s->pending_len - len)
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
	s->pending_off += done;
	WRITE_ONCE(s->pending_len, s->pending_len - done);
	return done ? done : -EFAULT;
}

/* Move what the buffers hold now into the bounce buffer. */
static ssize_t rmt_take(struct rmt_session *s, size_t count, bool nonblock)
{
	struct rmt_ring *ring;
	bool too_small;
	size_t taken;

	lockdep_assert_held(&s->read_lock);
	if (nonblock) {
		if (!mutex_trylock(&s->lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&s->lock)) {
		return -ERESTARTSYS;
	}
	ring = rcu_dereference_protected(s->ring, lockdep_is_held(&s->lock));
	taken = ring ? rmt_ring_take(ring, s->pending, min_t(size_t, count, RMT_READ_CHUNK),
				     &too_small) : 0;
	s->pending_gen = s->generation;
	mutex_unlock(&s->lock);
	if (!taken)
		return ring && too_small ? -EINVAL : 0;
	s->pending_off = 0;
	WRITE_ONCE(s->pending_len, taken);
	return taken;
}

/* One attempt: pending records first, else what the buffers hold now. */
static ssize_t rmt_read_once(struct rmt_session *s, char __user *buf, size_t count,
			     bool nonblock)
{
	ssize_t ret;

	lockdep_assert_held(&s->read_lock);
	if (!s->pending) {
		s->pending = kvmalloc(RMT_READ_CHUNK, GFP_KERNEL_ACCOUNT);
		if (!s->pending)
			return -ENOMEM;
	}
	/* Emptied (RESET) or resized since they were taken: they go too. */
	if (s->pending_len && s->pending_gen != READ_ONCE(s->generation))
		WRITE_ONCE(s->pending_len, 0);
	if (!s->pending_len) {
		ret = rmt_take(s, count, nonblock);
		if (ret <= 0)
			return ret;
	}
	return rmt_deliver(s, buf, count);
}

static ssize_t rmt_read(struct file *file, char __user *buf, size_t count,
			loff_t *ppos)
{
	struct rmt_session *s = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		if (nonblock) {
			if (!mutex_trylock(&s->read_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&s->read_lock)) {
			return -ERESTARTSYS;
		}
		ret = rmt_read_once(s, buf, count, nonblock);
		mutex_unlock(&s->read_lock);
		if (ret)
			return ret;
		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(s->readers, rmt_session_has_data(s));
		if (ret)
			return ret;
		/* Another thread reading the same file may have taken them. */
		if (signal_pending(current))
			return -ERESTARTSYS;
		cond_resched();
	}
}

static __poll_t rmt_poll(struct file *file, poll_table *pt)
{
	struct rmt_session *s = file->private_data;

	poll_wait(file, &s->readers, pt);
	/* Pairs with wq_has_sleeper() in the probe: see rmt_session_wake(). */
	smp_mb();
	if (READ_ONCE(s->pending_len) || rmt_session_has_data(s))
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

static long rmt_ioctl_get_info(struct rmt_session *s, void __user *uarg)
{
	struct rmt_info info;

	memset(&info, 0, sizeof(info));
	info.abi_version = RMT_ABI_VERSION;
	info.nr_cpus = nr_cpu_ids;
	info.buffer_bytes = rmt_session_buffer_bytes(s);
	info.enter_size = sizeof(struct rmt_enter_record);
	info.exit_size = sizeof(struct rmt_exit_record);
	info.lost_size = sizeof(struct rmt_lost_record);
	info.max_record_size = RMT_RECORD_MAX_SIZE;
	info.flags = rmt_session_info_flags(s);
	strscpy(info.version, RMT_VERSION, sizeof(info.version));
	info.nr_sessions = rmt_session_count();
	info.max_sessions = rmt_session_max();
	info.hook = rmt_capture_hook();
	info.maxactive = rmt_capture_maxactive();
	return rmt_copy_out(uarg, &info, sizeof(info), RMT_INFO_SIZE_VER0);
}

static long rmt_ioctl_set_filter(struct rmt_session *s, void __user *uarg)
{
	struct rmt_filter f;
	int err = rmt_copy_in(&f, sizeof(f), uarg, RMT_FILTER_SIZE_VER0);

	return err ? err : rmt_session_set_filter(s, &f);
}

static long rmt_ioctl_get_filter(struct rmt_session *s, void __user *uarg)
{
	struct rmt_filter f;

	rmt_session_get_filter(s, &f);
	return rmt_copy_out(uarg, &f, sizeof(f), RMT_FILTER_SIZE_VER0);
}

static long rmt_ioctl_set_config(struct rmt_session *s, void __user *uarg)
{
	struct rmt_config c;
	int err = rmt_copy_in(&c, sizeof(c), uarg, RMT_CONFIG_SIZE_VER0);

	if (err)
		return err;
	/* The sizes are checked against the session's buffers there. */
	if ((c.flags & ~RMT_CONFIG_ALL) || c.snaplen < RMT_SNAPLEN_MIN ||
	    c.snaplen > RMT_SNAPLEN_MAX || c.reserved)
		return -EINVAL;
	return rmt_session_set_config(s, &c);
}

static long rmt_ioctl_get_config(struct rmt_session *s, void __user *uarg)
{
	struct rmt_config c;

	rmt_session_get_config(s, &c);
	return rmt_copy_out(uarg, &c, sizeof(c), RMT_CONFIG_SIZE_VER0);
}

static long rmt_ioctl_get_stats(struct rmt_session *s, void __user *uarg)
{
	struct rmt_cpu_stats *cpus;
	void __user *ucpus;
	struct rmt_stats st;
	u32 room, each, filled = 0;
	u64 missed;
	int err, cpu;

	err = rmt_copy_in(&st, sizeof(st), uarg, RMT_STATS_SIZE_VER0);
	if (err)
		return err;
	room = st.nr_cpus;
	ucpus = u64_to_user_ptr(st.cpus);
	/* The counters are out only: a struct used before may be reused. */
	if (st.reserved)
		return -EINVAL;
	if (room && (!ucpus || st.cpu_size < RMT_CPU_STATS_SIZE_VER0 ||
		     st.cpu_size > RMT_IOC_SIZE_MAX))
		return -EINVAL;
	/* Read whole first: nothing waits on user memory meanwhile. */
	cpus = kvcalloc(nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	if (!cpus)
		return -ENOMEM;
	rmt_session_stats(s, cpus, &st.bad_records, &missed);
	/* A larger entry than ours: its tail is zeroed, as unknown counters. */
	each = min_t(u32, st.cpu_size, sizeof(*cpus));
	memset(&st.total, 0, sizeof(st.total));
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		/* A CPU that cannot exist has an entry of zeros. */
		rmt_stats_add(&st.total, &cpus[cpu]);
		if (cpu < room) {
			void __user *entry = ucpus + (size_t)cpu * st.cpu_size;

			if (copy_to_user(entry, &cpus[cpu], each) ||
			    clear_user(entry + each, st.cpu_size - each)) {
				kvfree(cpus);
				return -EFAULT;
			}
			filled = cpu + 1;
		}
	}
	kvfree(cpus);
	/* On no CPU: in the total alone. */
	rmt_session_add_missed(&st.total, missed);
	st.nr_cpus = filled;
	st.cpu_size = filled ? each : 0;
	st.discarded_records = 0;
	return rmt_copy_out(uarg, &st, sizeof(st), RMT_STATS_SIZE_VER0);
}

/*
 * The list is made in kernel memory first: user memory may fault or block
 * for as long as its owner likes, and no lock of the module waits on it.
 */
static long rmt_ioctl_get_sessions(struct rmt_session *s, void __user *uarg)
{
	struct rmt_session_info *infos = NULL;
	void __user *uentries;
	struct rmt_sessions sl;
	u32 room, each, n, i;
	long err;

	err = rmt_copy_in(&sl, sizeof(sl), uarg, RMT_SESSIONS_SIZE_VER0);
	if (err)
		return err;
	uentries = u64_to_user_ptr(sl.sessions);
	if (sl.nr_sessions && (!uentries || sl.session_size < RMT_SESSION_INFO_SIZE_VER0 ||
			       sl.session_size > RMT_IOC_SIZE_MAX))
		return -EINVAL;
	/* No more than exist; the list may grow meanwhile, and is then cut. */
	room = min(sl.nr_sessions, rmt_session_count());
	if (room) {
		infos = kvcalloc(room, sizeof(*infos), GFP_KERNEL);
		if (!infos)
			return -ENOMEM;
	}
	/* .total is out only: a struct used before may be reused. */
	n = rmt_session_list(s, infos, room, &sl.total);
	each = min_t(u32, sl.session_size, sizeof(*infos));
	for (i = 0; i < n; i++) {
		void __user *entry = uentries + (size_t)i * sl.session_size;

		if (copy_to_user(entry, &infos[i], each) ||
		    clear_user(entry + each, sl.session_size - each)) {
			err = -EFAULT;
			goto out;
		}
	}
	sl.nr_sessions = n;
	sl.session_size = n ? each : 0;
	err = rmt_copy_out(uarg, &sl, sizeof(sl), RMT_SESSIONS_SIZE_VER0);
out:
	kvfree(infos);
	return err;
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
	case RMT_IOC_MATCH(RMT_IOC_ADOPT_BOOT):
		return true;
	default:
		return false;
	}
}

static long rmt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct rmt_session *s = file->private_data;
	void __user *uarg = (void __user *)arg;

	/* Readers of older ABIs learn which one the module speaks. */
	if (cmd == RMT_IOC_GET_INFO_OLD)
		return rmt_ioctl_get_info(s, uarg);
	if (_IOC_TYPE(cmd) != RMT_IOC_MAGIC)
		return -ENOTTY;
	/* A descriptor passed on to an unprivileged process reads, no more. */
	if (rmt_ioctl_changes_state(cmd) && !perfmon_capable())
		return -EPERM;

	switch (RMT_IOC_MATCH(cmd)) {
	case RMT_IOC_MATCH(RMT_IOC_GET_INFO):
		return rmt_ioctl_get_info(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_ENABLE):
		return arg ? -EINVAL : rmt_session_enable(s);
	case RMT_IOC_MATCH(RMT_IOC_DISABLE):
		return arg ? -EINVAL : rmt_session_disable(s);
	case RMT_IOC_MATCH(RMT_IOC_SET_FILTER):
		return rmt_ioctl_set_filter(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_FILTER):
		return rmt_ioctl_get_filter(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_SET_CONFIG):
		return rmt_ioctl_set_config(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_CONFIG):
		return rmt_ioctl_get_config(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_GET_STATS):
		return rmt_ioctl_get_stats(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_RESET):
		return arg ? -EINVAL : rmt_session_reset(s);
	case RMT_IOC_MATCH(RMT_IOC_GET_SESSIONS):
		return rmt_ioctl_get_sessions(s, uarg);
	case RMT_IOC_MATCH(RMT_IOC_ADOPT_BOOT):
		return arg ? -EINVAL : rmt_session_adopt_boot(s);
	default:
		return -ENOTTY;
	}
}

static int rmt_open(struct inode *inode, struct file *file)
{
	struct rmt_session *s;
	int err;

	if (!perfmon_capable())
		return -EPERM;
	err = nonseekable_open(inode, file);
	if (err)
		return err;
	s = rmt_session_new();
	if (!s)
		return -ENOMEM;
	file->private_data = s;
	return 0;
}

/* The last reference to the file is gone: so is its session. */
static int rmt_release(struct inode *inode, struct file *file)
{
	rmt_session_release(file->private_data);
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
