// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's BPF comparison: what a BPF program pays to record the same
 * calls as the module, the same way, written as a BPF tool would be on
 * these kernels (BTF tracepoints, direct loads, task storage). On the
 * sys_enter/sys_exit tracepoints (which fire for compat tasks), for compat
 * calls of i386 syscall 337 (recvmmsg_time32), it builds the module's own
 * records (struct rmt_enter_record, rmt_exit_record, the uapi header's)
 * with the same task snapshot, arguments, timeout, up to SNAPLEN messages
 * with their first iovecs and source addresses, keeps the call in flight
 * per thread as the module does, and queues each record in a ring buffer.
 * Not a tool: no socketcall, no filters or sessions, a vector read whole
 * or not at all, no exit record for a call whose enter it did not see, and
 * no faulting-in of user memory (which the module does on kernels whose
 * syscall tracepoints may fault: compare on the bookworm kernels).
 * Kernel structures are read with CO-RE (relocated against the running
 * kernel's BTF at load), declared below with the fields used only.
 */
#include <linux/bpf.h>
#include <linux/recvmmsg_trace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define SNAPLEN		8	/* the module's default */
#define NR_RECVMMSG	337	/* i386 recvmmsg_time32 */
#define TS_COMPAT	0x0002	/* thread_info.status: a compat syscall runs */

#define CORE __attribute__((preserve_access_index))

struct ns_common { unsigned int inum; } CORE;
struct pid_namespace { struct ns_common ns; } CORE;
struct upid { int nr; struct pid_namespace *ns; } CORE;
struct pid { unsigned int level; struct upid numbers[1]; } CORE;
struct mnt_namespace { struct ns_common ns; } CORE;
struct new_utsname { char nodename[65]; } CORE;
struct uts_namespace { struct new_utsname name; } CORE;
struct nsproxy { struct uts_namespace *uts_ns; struct mnt_namespace *mnt_ns; } CORE;
struct super_block { __u32 s_dev; } CORE;
struct inode { unsigned long i_ino; struct super_block *i_sb; } CORE;
struct file { struct inode *f_inode; } CORE;
struct mm_struct { struct file *exe_file; } CORE;
struct thread_info { __u32 status; } CORE;
struct task_struct {
	struct thread_info thread_info;
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	struct pid *thread_pid;
	__u64 start_time;
	struct nsproxy *nsproxy;
	struct mm_struct *mm;
} CORE;
struct pt_regs { unsigned long bx, cx, dx, si, di, orig_ax; } CORE;

/* struct compat_mmsghdr */
struct mmsghdr32 {
	__u32 name, namelen, iov, iovlen, control, controllen, flags, len;
};

struct enter_rec {
	struct rmt_enter_record r;
	struct rmt_msg_enter msgs[SNAPLEN];
};

struct exit_rec {
	struct rmt_exit_record r;
	struct rmt_msg_exit msgs[SNAPLEN];
};

/* A call between its enter and its exit, as the module's in-flight slot. */
struct inflight {
	__u64 enter_time_ns;	/* 0: none */
	__u32 namelen[SNAPLEN];
};

struct scratch {
	union {
		struct enter_rec enter;
		struct exit_rec exit;
	};
	struct mmsghdr32 vec[SNAPLEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);	/* the loader may set another */
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* Kept with the thread, made at its first call, reused after. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Records that found the ring buffer full. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline void queue(void *rec, __u64 size)
{
	__u32 zero = 0;
	__u64 *n;

	if (bpf_ringbuf_output(&records, rec, size, 0)) {
		n = bpf_map_lookup_elem(&lost, &zero);
		if (n)
			*n += 1;
	}
}

/* Ours: i386 syscall 337 made by a compat task (in_compat_syscall()). */
static __always_inline struct task_struct *ours(long nr)
{
	struct task_struct *tsk;

	if (nr != NR_RECVMMSG)
		return NULL;
	tsk = bpf_get_current_task_btf();
	return tsk->thread_info.status & TS_COMPAT ? tsk : NULL;
}

/* @pid's id at @level (a variable index: a read, not a load). */
static __always_inline void upid_at(struct upid *up, struct pid *pid, unsigned int level)
{
	bpf_core_read(up, sizeof(*up), &pid->numbers[level & 31]);
}

/* The process id of @pid (a thread's or a leader's) in @ns, or 0. */
static __always_inline __u32 pid_in(struct pid *pid, unsigned int level,
				    struct pid_namespace *ns)
{
	struct upid up;

	if (!pid || pid->level < level)
		return 0;
	upid_at(&up, pid, level);
	return up.ns == ns ? (__u32)up.nr : 0;
}

static __always_inline void snap_task(struct rmt_task *t, struct task_struct *tsk)
{
	struct task_struct *parent = tsk->real_parent;
	struct pid *pid = tsk->thread_pid;
	unsigned int level = pid->level;
	struct pid_namespace *ns;
	struct upid up;
	__u64 ug = bpf_get_current_uid_gid();
	struct nsproxy *nsp = tsk->nsproxy;
	struct inode *exe = NULL;
	__u32 dev;

	upid_at(&up, pid, level);
	ns = up.ns;
	t->tgid = tsk->tgid;
	t->tid = bpf_get_current_pid_tgid();
	t->ns_tid = up.nr;
	t->ns_tgid = pid_in(tsk->group_leader->thread_pid, level, ns);
	t->ppid = parent->tgid;
	t->ns_ppid = pid_in(parent->group_leader->thread_pid, level, ns);
	t->uid = (__u32)ug;
	t->gid = ug >> 32;
	/* Found through a variable index: a number, read, not loaded. */
	bpf_core_read(&t->pid_ns, sizeof(t->pid_ns), &ns->ns.inum);
	t->mnt_ns = nsp->mnt_ns->ns.inum;
	t->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->start_time_ns = tsk->start_time;
	if (tsk->mm && tsk->mm->exe_file)
		exe = tsk->mm->exe_file->f_inode;
	if (exe) {
		t->exe_ino = exe->i_ino;
		dev = exe->i_sb->s_dev;
		t->exe_dev_major = dev >> 20;
		t->exe_dev_minor = dev & 0xfffff;
	}
	bpf_probe_read_kernel_str(t->nodename, sizeof(t->nodename),
				  nsp->uts_ns->name.nodename);
}

/* The arguments, from the saved user registers (i386: bx, cx, dx, si, di). */
static __always_inline void snap_args(struct rmt_call *c, struct pt_regs *regs)
{
	c->syscall_nr = NR_RECVMMSG;
	c->via = RMT_VIA_SYSCALL;
	c->args[RMT_ARG_FD] = (__u32)regs->bx;
	c->args[RMT_ARG_MMSG] = (__u32)regs->cx;
	c->args[RMT_ARG_VLEN] = (__u32)regs->dx;
	c->args[RMT_ARG_FLAGS] = (__u32)regs->si;
	c->args[RMT_ARG_TIMEOUT] = (__u32)regs->di;
}

static __always_inline void snap_timeout(struct rmt_call *c)
{
	__s32 ts[2];

	if (!c->args[RMT_ARG_TIMEOUT])
		return;
	if (bpf_probe_read_user(ts, sizeof(ts), (void *)c->args[RMT_ARG_TIMEOUT])) {
		c->faults |= RMT_FAULT_TIMEOUT;
		return;
	}
	c->flags |= RMT_CALL_TIMEOUT;
	c->timeout_sec = ts[0];
	c->timeout_nsec = ts[1];
}

/* @n (0 to SNAPLEN) in terms the verifier can bound: 0, or 1 to SNAPLEN. */
#define BOUNDED(n)	((n) ? (((n) - 1) & (SNAPLEN - 1)) + 1 : 0)

/* The first @n headers of the vector, in one copy; false when unreadable. */
static __always_inline int read_vec(struct scratch *s, struct rmt_call *c, __u32 n)
{
	n = BOUNDED(n);
	if (!n)
		return 0;
	if (bpf_probe_read_user(s->vec, n * sizeof(struct mmsghdr32),
				(void *)c->args[RMT_ARG_MMSG])) {
		c->faults |= RMT_FAULT_MMSG;
		return 0;
	}
	return 1;
}

static __always_inline __u32 read_iov(struct rmt_iovec *snap, __u32 iov, __u32 iovlen,
				      struct rmt_call *c)
{
	__u32 nr = iovlen < RMT_MAX_IOV ? iovlen : RMT_MAX_IOV;

	if (!nr)
		return 0;
	if (bpf_probe_read_user(snap, (nr & 7) * sizeof(*snap), (void *)(unsigned long)iov)) {
		c->faults |= RMT_FAULT_IOV;
		return 0;
	}
	return nr;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_enter, struct pt_regs *regs, long id)
{
	struct task_struct *tsk = ours(id);
	struct rmt_enter_record *r;
	struct inflight *fl;
	struct scratch *s;
	__u32 zero = 0, n, i;

	if (!tsk)
		return 0;
	s = bpf_map_lookup_elem(&scratch, &zero);
	fl = bpf_task_storage_get(&inflight, tsk, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s || !fl)
		return 0;
	r = &s->enter.r;
	/* The fixed part; each message is zeroed as it is filled. */
	__builtin_memset(r, 0, sizeof(*r));
	r->hdr.type = RMT_REC_ENTER;
	r->hdr.cpu = bpf_get_smp_processor_id();
	r->hdr.time_ns = bpf_ktime_get_ns();
	snap_task(&r->task, tsk);
	snap_args(&r->call, regs);
	snap_timeout(&r->call);
	n = r->call.args[RMT_ARG_VLEN];
	if (n > SNAPLEN) {
		n = SNAPLEN;
		r->call.flags |= RMT_CALL_TRUNCATED;
	}
	if (!read_vec(s, &r->call, n))
		n = 0;
	for (i = 0; i < SNAPLEN && i < n; i++) {
		struct rmt_msg_enter *m = &s->enter.msgs[i];
		struct mmsghdr32 *h = &s->vec[i];

		__builtin_memset(m, 0, sizeof(*m));
		m->name = h->name;
		m->namelen = h->namelen;
		m->iov = h->iov;
		m->iovlen = h->iovlen;
		m->control = h->control;
		m->controllen = h->controllen;
		m->flags = h->flags;
		m->len = h->len;
		m->nr_iov = read_iov(m->iov_snap, h->iov, h->iovlen, &r->call);
		fl->namelen[i] = h->name ? h->namelen : 0;
	}
	n = BOUNDED(n);
	r->call.nr_msgs = n;
	r->hdr.size = sizeof(*r) + n * sizeof(struct rmt_msg_enter);
	fl->enter_time_ns = r->hdr.time_ns;
	queue(r, sizeof(*r) + n * sizeof(struct rmt_msg_enter));
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *tsk = ours(regs->orig_ax);
	struct rmt_exit_record *r;
	struct inflight *fl;
	struct scratch *s;
	__u32 zero = 0, n = 0, i;

	if (!tsk)
		return 0;
	fl = bpf_task_storage_get(&inflight, tsk, NULL, 0);
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!fl || !fl->enter_time_ns || !s)
		return 0;
	r = &s->exit.r;
	__builtin_memset(r, 0, sizeof(*r));
	r->hdr.type = RMT_REC_EXIT;
	r->hdr.cpu = bpf_get_smp_processor_id();
	r->hdr.time_ns = bpf_ktime_get_ns();
	r->task.tgid = tsk->tgid;
	r->task.tid = bpf_get_current_pid_tgid();
	bpf_get_current_comm(r->task.comm, sizeof(r->task.comm));
	r->task.enter_time_ns = fl->enter_time_ns;
	fl->enter_time_ns = 0;
	snap_args(&r->call, regs);
	snap_timeout(&r->call);
	r->call.ret = ret;
	if (ret > 0) {
		n = ret < SNAPLEN ? ret : SNAPLEN;
		if (ret > SNAPLEN)
			r->call.flags |= RMT_CALL_TRUNCATED;
	}
	if (!read_vec(s, &r->call, n))
		n = 0;
	for (i = 0; i < SNAPLEN && i < n; i++) {
		struct rmt_msg_exit *m = &s->exit.msgs[i];
		struct mmsghdr32 *h = &s->vec[i];
		__u32 bytes = fl->namelen[i];

		__builtin_memset(m, 0, sizeof(*m));
		m->len = h->len;
		m->flags = h->flags;
		m->namelen = h->namelen;
		m->ptrs.name = h->name;
		m->ptrs.iov = h->iov;
		m->ptrs.iovlen = h->iovlen;
		m->ptrs.control = h->control;
		m->ptrs.controllen = h->controllen;
		if (bytes > h->namelen)
			bytes = h->namelen;
		if (bytes > RMT_NAME_BYTES)
			bytes = RMT_NAME_BYTES;
		if (h->name && bytes) {
			if (bpf_probe_read_user(m->name, bytes & 63,
						(void *)(unsigned long)h->name))
				r->call.faults |= RMT_FAULT_NAME;
			else
				m->name_bytes = bytes;
		}
		m->nr_iov = read_iov(m->iov_snap, h->iov, h->iovlen, &r->call);
	}
	n = BOUNDED(n);
	r->call.nr_msgs = n;
	r->hdr.size = sizeof(*r) + n * sizeof(struct rmt_msg_exit);
	queue(r, sizeof(*r) + n * sizeof(struct rmt_msg_exit));
	return 0;
}
