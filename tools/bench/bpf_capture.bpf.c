// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's BPF comparison: what a BPF tool pays to record the same
 * calls as the module, the same way. On the raw sys_enter/sys_exit
 * tracepoints (which fire for compat tasks), for i386 syscall 337
 * (recvmmsg_time32: no x86_64 syscall has that number), it builds the
 * module's own records (struct rmt_enter_record, rmt_exit_record, the
 * uapi header's) with the same task snapshot, arguments, timeout, up to
 * SNAPLEN messages with their first iovecs and source addresses, keeps the
 * call in flight per thread as the module does, and queues each record in
 * a ring buffer. Not a tool: no socketcall, no filters, no sessions.
 * Kernel structures are read with CO-RE (relocated against the running
 * kernel's BTF at load), declared below with the fields used only.
 */
#include <linux/bpf.h>
#include <linux/recvmmsg_trace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define SNAPLEN		8	/* the module's default */
#define NR_RECVMMSG	337	/* i386 recvmmsg_time32 */

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
struct task_struct {
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
	__u64 enter_time_ns;
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
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

/* The process id of @pid (a thread's or a leader's) in @ns, or 0. */
static __always_inline __u32 pid_in(struct pid *pid, unsigned int level,
				    struct pid_namespace *ns)
{
	struct upid up;

	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.ns == ns ? (__u32)up.nr : 0;
}

static __always_inline void snap_task(struct rmt_task *t)
{
	struct task_struct *tsk = (void *)bpf_get_current_task();
	struct task_struct *parent = BPF_CORE_READ(tsk, real_parent);
	struct pid *pid = BPF_CORE_READ(tsk, thread_pid);
	struct pid *leader = BPF_CORE_READ(tsk, group_leader, thread_pid);
	struct pid *ppid = BPF_CORE_READ(parent, group_leader, thread_pid);
	__u64 id = bpf_get_current_pid_tgid(), ug = bpf_get_current_uid_gid();
	unsigned int level = BPF_CORE_READ(pid, level);
	struct pid_namespace *ns;
	struct upid up;
	struct inode *exe;
	__u32 dev;

	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	ns = up.ns;
	t->tgid = id >> 32;
	t->tid = (__u32)id;
	t->ns_tid = up.nr;
	t->ns_tgid = pid_in(leader, level, ns);
	t->ppid = BPF_CORE_READ(parent, tgid);
	t->ns_ppid = pid_in(ppid, level, ns);
	t->uid = (__u32)ug;
	t->gid = ug >> 32;
	t->pid_ns = BPF_CORE_READ(ns, ns.inum);
	t->mnt_ns = BPF_CORE_READ(tsk, nsproxy, mnt_ns, ns.inum);
	t->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->start_time_ns = BPF_CORE_READ(tsk, start_time);
	exe = BPF_CORE_READ(tsk, mm, exe_file, f_inode);
	t->exe_ino = BPF_CORE_READ(exe, i_ino);
	dev = BPF_CORE_READ(exe, i_sb, s_dev);
	t->exe_dev_major = dev >> 20;
	t->exe_dev_minor = dev & 0xfffff;
	bpf_probe_read_kernel_str(t->nodename, sizeof(t->nodename),
				  BPF_CORE_READ(tsk, nsproxy, uts_ns, name.nodename));
}

/* The arguments, from the saved user registers (i386: bx, cx, dx, si, di). */
static __always_inline void snap_args(struct rmt_call *c, struct pt_regs *regs)
{
	c->syscall_nr = NR_RECVMMSG;
	c->via = RMT_VIA_SYSCALL;
	c->args[RMT_ARG_FD] = (__u32)BPF_CORE_READ(regs, bx);
	c->args[RMT_ARG_MMSG] = (__u32)BPF_CORE_READ(regs, cx);
	c->args[RMT_ARG_VLEN] = (__u32)BPF_CORE_READ(regs, dx);
	c->args[RMT_ARG_FLAGS] = (__u32)BPF_CORE_READ(regs, si);
	c->args[RMT_ARG_TIMEOUT] = (__u32)BPF_CORE_READ(regs, di);
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

/* The first @n headers of the vector, in one copy; false when unreadable. */
static __always_inline int read_vec(struct scratch *s, struct rmt_call *c, __u32 n)
{
	if (!n)
		return 0;
	/* 1 to SNAPLEN headers, in terms the verifier can bound. */
	n = ((n - 1) & (SNAPLEN - 1)) + 1;
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

SEC("raw_tracepoint/sys_enter")
int on_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	struct inflight fl = { .enter_time_ns = bpf_ktime_get_ns() };
	__u32 zero = 0, tid, n, i;
	struct rmt_enter_record *r;
	struct scratch *s;

	if (ctx->args[1] != NR_RECVMMSG)
		return 0;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	r = &s->enter.r;
	__builtin_memset(r, 0, sizeof(s->enter));
	r->hdr.type = RMT_REC_ENTER;
	r->hdr.cpu = bpf_get_smp_processor_id();
	r->hdr.time_ns = fl.enter_time_ns;
	snap_task(&r->task);
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

		m->name = h->name;
		m->namelen = h->namelen;
		m->iov = h->iov;
		m->iovlen = h->iovlen;
		m->control = h->control;
		m->controllen = h->controllen;
		m->flags = h->flags;
		m->len = h->len;
		m->nr_iov = read_iov(m->iov_snap, h->iov, h->iovlen, &r->call);
		fl.namelen[i] = h->namelen;
	}
	r->call.nr_msgs = n;
	r->hdr.size = sizeof(*r) + (n & 15) * sizeof(struct rmt_msg_enter);
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&inflight, &tid, &fl, BPF_ANY);
	queue(r, r->hdr.size <= sizeof(s->enter) ? r->hdr.size : sizeof(s->enter));
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int on_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (void *)ctx->args[0];
	__u64 id = bpf_get_current_pid_tgid();
	__u32 zero = 0, tid = (__u32)id, n = 0, i;
	struct rmt_exit_record *r;
	struct inflight *fl;
	struct scratch *s;

	if (BPF_CORE_READ(regs, orig_ax) != NR_RECVMMSG)
		return 0;
	fl = bpf_map_lookup_elem(&inflight, &tid);
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!fl || !s)
		return 0;
	r = &s->exit.r;
	__builtin_memset(r, 0, sizeof(s->exit));
	r->hdr.type = RMT_REC_EXIT;
	r->hdr.cpu = bpf_get_smp_processor_id();
	r->hdr.time_ns = bpf_ktime_get_ns();
	r->task.tgid = id >> 32;
	r->task.tid = tid;
	bpf_get_current_comm(r->task.comm, sizeof(r->task.comm));
	r->task.enter_time_ns = fl->enter_time_ns;
	snap_args(&r->call, regs);
	snap_timeout(&r->call);
	r->call.ret = (long)ctx->args[1];
	if (r->call.ret > 0)
		n = r->call.ret < SNAPLEN ? r->call.ret : SNAPLEN;
	if (!read_vec(s, &r->call, n))
		n = 0;
	for (i = 0; i < SNAPLEN && i < n; i++) {
		struct rmt_msg_exit *m = &s->exit.msgs[i];
		struct mmsghdr32 *h = &s->vec[i];
		__u32 bytes = fl->namelen[i];

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
	bpf_map_delete_elem(&inflight, &tid);
	r->call.nr_msgs = n;
	r->hdr.size = sizeof(*r) + (n & 15) * sizeof(struct rmt_msg_exit);
	queue(r, r->hdr.size <= sizeof(s->exit) ? r->hdr.size : sizeof(s->exit));
	return 0;
}
