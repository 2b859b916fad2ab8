// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the calling task and of the user memory a call points to.
 * Runs in the syscall probes: no locks, no allocation, and no sleep unless
 * the caller says the probe may fault.
 */
#include <linux/bits.h>
#include <linux/cgroup.h>
#include <linux/compat.h>
#include <linux/cred.h>
#include <linux/fault-inject-usercopy.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/minmax.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/time32.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <net/compat.h>
#include <asm/syscall.h>

#include "snapshot.h"

/* Read @len bytes of the task's memory at 32-bit address @uaddr. */
static bool rmt_read_user(void *dst, u64 uaddr, size_t len, bool may_fault)
{
	const void __user *src = (const void __user *)(unsigned long)uaddr;

	if (!uaddr || uaddr + len > U32_MAX + 1ULL)
		return false;
	if (may_fault)
		return !copy_from_user(dst, src, len);
	/*
	 * Unlike copy_from_user(), the nofault copy is no fail_usercopy
	 * injection point: ask here, so that injected faults reach the
	 * probe's fault paths on debug kernels (a constant false elsewhere).
	 */
	if (should_fail_usercopy())
		return false;
	return !copy_from_user_nofault(dst, src, len);
}

/*
 * struct mnt_namespace is private to fs/. On every kernel we support its
 * first member is its struct ns_common (the selftests compare the result
 * with /proc/self/ns/mnt on each); a randomized layout breaks that, so we
 * report 0 there.
 */
static u32 rmt_mnt_ns_inum(const struct nsproxy *nsp)
{
	if (IS_ENABLED(CONFIG_RANDSTRUCT) || !nsp || !nsp->mnt_ns)
		return 0;
	return ((const struct ns_common *)(const void *)nsp->mnt_ns)->inum;
}

/*
 * The executable's inode, for the reader to check a path against. Under
 * RCU the file is not freed, but since 6.7 it may be freed and reused for
 * another file at once (the file cache is SLAB_TYPESAFE_BY_RCU), its inode
 * cleared or another's: read it once, and keep it only if the mm still
 * has that file afterwards. An inode and its superblock are RCU-freed.
 */
static void rmt_snap_exe(struct rmt_task *task, struct mm_struct *mm)
{
	struct inode *inode;
	struct file *exe;

	exe = mm ? rcu_dereference(mm->exe_file) : NULL;
	if (!exe)
		return;
	inode = READ_ONCE(exe->f_inode);
	if (!inode)
		return;
	task->exe_ino = inode->i_ino;
	task->exe_dev_major = MAJOR(inode->i_sb->s_dev);
	task->exe_dev_minor = MINOR(inode->i_sb->s_dev);
	/* The reads above before the check below. */
	smp_rmb();
	if (rcu_access_pointer(mm->exe_file) != exe || READ_ONCE(exe->f_inode) != inode) {
		task->exe_ino = 0;
		task->exe_dev_major = 0;
		task->exe_dev_minor = 0;
	}
}

void rmt_snap_task(struct rmt_task *task)
{
	struct task_struct *tsk = current;
	struct pid_namespace *pid_ns;
	struct task_struct *parent;
	struct nsproxy *nsp;

	task->tgid = task_tgid_nr(tsk);
	task->tid = task_pid_nr(tsk);
	task->ns_tgid = task_tgid_vnr(tsk);
	task->ns_tid = task_pid_vnr(tsk);
	task->uid = from_kuid_munged(&init_user_ns, current_uid());
	task->gid = from_kgid_munged(&init_user_ns, current_gid());

	task->start_time_ns = tsk->start_time;

	rcu_read_lock();
	parent = rcu_dereference(tsk->real_parent);
	task->ppid = task_tgid_nr(parent);
	pid_ns = task_active_pid_ns(tsk);
	task->pid_ns = pid_ns ? pid_ns->ns.inum : 0;
	task->ns_ppid = pid_ns ? task_tgid_nr_ns(parent, pid_ns) : 0;
	/* Our own task's: only it replaces its nsproxy, and it is here. */
	nsp = tsk->nsproxy;
	task->mnt_ns = rmt_mnt_ns_inum(nsp);
	/* sethostname() may be writing it: a torn name, never an overrun. */
	static_assert(sizeof(nsp->uts_ns->name.nodename) <= sizeof(task->nodename));
	if (nsp && nsp->uts_ns)
		strscpy_pad(task->nodename, nsp->uts_ns->name.nodename,
			    sizeof(task->nodename));
	rmt_snap_exe(task, tsk->mm);
#ifdef CONFIG_CGROUPS
	task->cgroup_id = cgroup_id(task_dfl_cgroup(tsk));
#endif
	rcu_read_unlock();

	/* current->comm of our own task: no lock needed to read it. */
	strscpy_pad(task->comm, tsk->comm, sizeof(task->comm));
}

void rmt_snap_exit_task(struct rmt_exit_task *task, const struct rmt_name_room *room)
{
	task->tgid = task_tgid_nr(current);
	task->tid = task_pid_nr(current);
	strscpy_pad(task->comm, current->comm, sizeof(task->comm));
	task->enter_time_ns = room ? room->time_ns : 0;
}

/* From the saved user registers, or the block socketcall points to. */
void rmt_snap_args(struct rmt_call *call, struct pt_regs *regs, bool may_fault)
{
	unsigned long regs_args[6];
	u32 block[RMT_NR_ARGS];
	int i;

	syscall_get_arguments(current, regs, regs_args);
	if (call->via != RMT_VIA_SOCKETCALL) {
		for (i = 0; i < RMT_NR_ARGS; i++)
			call->args[i] = (u32)regs_args[i];
		return;
	}
	if (!rmt_read_user(block, (u32)regs_args[1], sizeof(block), may_fault)) {
		call->faults |= RMT_FAULT_ARGS;
		return;
	}
	for (i = 0; i < RMT_NR_ARGS; i++)
		call->args[i] = block[i];
}

void rmt_snap_timeout(struct rmt_call *call, bool may_fault)
{
	u64 uaddr = call->args[RMT_ARG_TIMEOUT];
	struct __kernel_timespec ts64;
	struct old_timespec32 ts32;
	bool ok;

	if (!uaddr)
		return;
	if (call->syscall_nr == RMT_NR_IA32_RECVMMSG_TIME64) {
		ok = rmt_read_user(&ts64, uaddr, sizeof(ts64), may_fault);
		call->timeout_sec = ts64.tv_sec;
		call->timeout_nsec = ts64.tv_nsec;
	} else {
		ok = rmt_read_user(&ts32, uaddr, sizeof(ts32), may_fault);
		call->timeout_sec = ts32.tv_sec;
		call->timeout_nsec = ts32.tv_nsec;
	}
	if (ok) {
		call->flags |= RMT_CALL_TIMEOUT;
	} else {
		call->faults |= RMT_FAULT_TIMEOUT;
		call->timeout_sec = 0;
		call->timeout_nsec = 0;
	}
}

/* Note that a part of message @i could not be read. */
static void rmt_fault_at(u64 *which, unsigned int i)
{
	if (i < 64)
		*which |= BIT_ULL(i);
}

/* Read up to RMT_MAX_IOV iovecs of message @i into @snap (may be NULL). */
static u32 rmt_snap_iov(struct rmt_call *call, u32 uaddr, u32 iovlen,
			struct rmt_iovec *snap, struct rmt_msg_faults *mf,
			unsigned int i, bool may_fault)
{
	struct compat_iovec iov[RMT_MAX_IOV];
	u32 nr_iov = min_t(u32, iovlen, RMT_MAX_IOV), j;

	if (!nr_iov)
		return 0;
	if (!rmt_read_user(iov, uaddr, nr_iov * sizeof(iov[0]), may_fault)) {
		call->faults |= RMT_FAULT_IOV;
		if (mf)
			rmt_fault_at(&mf->iov, i);
		return 0;
	}
	if (!snap)
		return 0;
	for (j = 0; j < nr_iov; j++) {
		snap[j].base = iov[j].iov_base;
		snap[j].len = iov[j].iov_len;
	}
	return nr_iov;
}

/*
 * The message vector is read a window of headers at a time: each user copy
 * costs far more to set up than to move 32 bytes. A window that cannot be
 * read whole is read one header at a time, so that a fault is found at the
 * message it is at. A window on the stack is left uninitialized (no zeroing
 * at every call where the kernel zeroes the stack): only headers a copy
 * wrote are ever read.
 */
#define RMT_MMSG_WINDOW	8

struct rmt_mmsg_window {
	struct compat_mmsghdr mh[RMT_MMSG_WINDOW];
	unsigned int first, nr;		/* the headers held */
	unsigned int single_until;	/* one at a time below: a window failed */
};

/* Empty; its headers are written by a copy before any is read. */
static void rmt_mmsg_window_init(struct rmt_mmsg_window *w)
{
	w->first = 0;
	w->nr = 0;
	w->single_until = 0;
}

/* Header @i of the @n wanted, or NULL when it cannot be read. */
static const struct compat_mmsghdr *rmt_mmsghdr(struct rmt_mmsg_window *w,
						const struct rmt_call *call,
						unsigned int i, unsigned int n,
						bool may_fault)
{
	u64 uaddr = call->args[RMT_ARG_MMSG] + (u64)i * sizeof(w->mh[0]);

	if (i >= w->first && i - w->first < w->nr)
		return &w->mh[i - w->first];
	w->first = i;
	w->nr = min_t(unsigned int, n - i, RMT_MMSG_WINDOW);
	if (w->nr > 1 && i >= w->single_until) {
		if (rmt_read_user(w->mh, uaddr, w->nr * sizeof(w->mh[0]), may_fault))
			return &w->mh[0];
		w->single_until = i + w->nr;
	}
	w->nr = 1;
	if (rmt_read_user(w->mh, uaddr, sizeof(w->mh[0]), may_fault))
		return &w->mh[0];
	w->nr = 0;
	return NULL;
}

unsigned int rmt_snap_enter_msgs(struct rmt_call *call,
				 struct rmt_msg_enter *msgs,
				 unsigned int snaplen, struct rmt_msg_faults *mf,
				 bool may_fault)
{
	u32 vlen = call->args[RMT_ARG_VLEN];
	unsigned int n = min(vlen, snaplen), i;
	struct rmt_mmsg_window w __uninitialized;

	rmt_mmsg_window_init(&w);
	if (vlen > snaplen)
		call->flags |= RMT_CALL_TRUNCATED;
	for (i = 0; i < n; i++) {
		const struct compat_mmsghdr *mh = rmt_mmsghdr(&w, call, i, n, may_fault);
		struct rmt_msg_enter *m = msgs ? &msgs[i] : NULL;
		u32 nr_iov;

		if (!mh) {
			call->faults |= RMT_FAULT_MMSG;
			break;
		}
		if (m) {
			memset(m, 0, sizeof(*m));
			m->name = mh->msg_hdr.msg_name;
			m->namelen = mh->msg_hdr.msg_namelen;
			m->iov = mh->msg_hdr.msg_iov;
			m->iovlen = mh->msg_hdr.msg_iovlen;
			m->control = mh->msg_hdr.msg_control;
			m->controllen = mh->msg_hdr.msg_controllen;
			m->flags = mh->msg_hdr.msg_flags;
			m->len = mh->msg_len;
		}
		nr_iov = rmt_snap_iov(call, mh->msg_hdr.msg_iov, mh->msg_hdr.msg_iovlen,
				      m ? m->iov_snap : NULL, mf, i, may_fault);
		if (m)
			m->nr_iov = nr_iov;
	}
	call->nr_msgs = i;
	return i;
}

unsigned int rmt_snap_exit_msgs(struct rmt_call *call,
				struct rmt_msg_exit *msgs,
				const struct rmt_name_room *room,
				unsigned int snaplen, struct rmt_msg_faults *mf,
				bool may_fault)
{
	struct rmt_mmsg_window w __uninitialized;
	u8 name[RMT_NAME_BYTES];
	unsigned int n, i;
	u32 nr_iov;

	if (call->ret <= 0)
		return 0;
	rmt_mmsg_window_init(&w);
	n = min_t(s64, call->ret, snaplen);
	if (call->ret > snaplen)
		call->flags |= RMT_CALL_TRUNCATED;
	for (i = 0; i < n; i++) {
		struct rmt_msg_exit *m = msgs ? &msgs[i] : NULL;
		const struct compat_mmsghdr *mh = rmt_mmsghdr(&w, call, i, n, may_fault);
		u32 take = 0;

		if (!mh) {
			call->faults |= RMT_FAULT_MMSG;
			break;
		}
		/* No more than the kernel wrote: the room the enter saw. */
		if (mh->msg_hdr.msg_name && mh->msg_hdr.msg_namelen > 0 && room &&
		    i < room->nr && room->mmsg == call->args[RMT_ARG_MMSG] &&
		    room->name[i] == mh->msg_hdr.msg_name)
			take = min_t(u32, mh->msg_hdr.msg_namelen, room->bytes[i]);
		if (take && !rmt_read_user(name, mh->msg_hdr.msg_name, take, may_fault)) {
			call->faults |= RMT_FAULT_NAME;
			if (mf)
				rmt_fault_at(&mf->name, i);
			take = 0;
		}
		if (m)
			memset(m, 0, sizeof(*m));
		/* Read even when nothing is kept: it makes the iovecs resident. */
		nr_iov = rmt_snap_iov(call, mh->msg_hdr.msg_iov, mh->msg_hdr.msg_iovlen,
				      m ? m->iov_snap : NULL, mf, i, may_fault);
		if (!m)
			continue;
		m->nr_iov = nr_iov;
		memcpy(m->name, name, take);
		m->len = mh->msg_len;
		m->flags = mh->msg_hdr.msg_flags;
		m->namelen = mh->msg_hdr.msg_namelen;
		m->name_bytes = take;
		m->ptrs.name = mh->msg_hdr.msg_name;
		m->ptrs.iov = mh->msg_hdr.msg_iov;
		m->ptrs.iovlen = mh->msg_hdr.msg_iovlen;
		m->ptrs.control = mh->msg_hdr.msg_control;
		m->ptrs.controllen = mh->msg_hdr.msg_controllen;
	}
	call->nr_msgs = i;
	return i;
}
