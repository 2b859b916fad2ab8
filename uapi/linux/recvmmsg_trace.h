/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * recvmmsg_trace: the interface between the recvmmsg_trace module and the
 * programs that read /dev/recvmmsg_trace. This header is the only place the
 * ABI is defined; the module and the tools both include it.
 *
 * Every open file of the device is its own capture session: its filter,
 * its config, its per-CPU record buffers and its counters belong to it
 * alone, so that two readers never see each other's settings or split a
 * stream between them. A session captures while it is enabled
 * (RMT_IOC_ENABLE); the probes are attached while any session is enabled,
 * and a call that several sessions keep is recorded once and copied into
 * each. Closing the file (exit, SIGKILL, the OOM killer) ends its session
 * and frees its memory. A session gets its buffers at its first enable and
 * keeps them, and its place among max_sessions (module parameter, default
 * 8), until it is closed: RMT_IOC_ENABLE of one more gets EBUSY. Buffers
 * are charged to the memory cgroup of the task that enabled the session.
 *
 * A session serves a stream of records. Every record starts with a
 * struct rmt_record_header whose size field covers the whole record, so a
 * reader skips record types it does not know. read() returns whole records
 * only: as many as fit in the caller's buffer, at most RMT_READ_MAX_BYTES
 * (a read that returns RMT_RECORD_MAX_SIZE bytes less than that, or
 * fewer, left no CPU's records behind for want of room). A buffer too
 * small for the next record gets EINVAL and the record stays queued. A
 * buffer that faults part way gets the whole records copied before the
 * fault (or EFAULT when there are none); the records that did not arrive
 * whole stay first in line for the next read (RMT_IOC_RESET and a new
 * buffer size drop them). read() of 0 bytes returns 0 at once.
 *
 * Records are kept per CPU. Within one CPU they are in time order (a LOST
 * record carries the time of the record it precedes); the reader merges
 * the CPUs by rmt_record_header.time_ns. Each read() starts draining one
 * CPU further than the last, so that no CPU waits behind a busy one.
 *
 * With the module parameter enable=1, a session made at load captures
 * from then on, before any reader: the boot session. It has no file; the
 * first file to call RMT_IOC_ADOPT_BOOT takes it over, records, counters
 * and all, and from then on it is that file's session like any other.
 */
#ifndef _UAPI_LINUX_RECVMMSG_TRACE_H
#define _UAPI_LINUX_RECVMMSG_TRACE_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Changes whenever a record or ioctl layout changes incompatibly.
 * 4: ioctl type 0xBC (0xBA is the Live Update Orchestrator's upstream),
 *    the gets are _IOWR, struct rmt_stats gives the size of each per-CPU
 *    entry and counts records with an impossible header, and
 *    rmt_msg_exit.name_bytes says how much of a source address was read.
 * 5: a session per open file: filter, config, buffers and stats are the
 *    file's; RMT_IOC_ENABLE/DISABLE take 0 only (capture holds are gone);
 *    RMT_INFO_ENABLED is the caller's session's, RMT_INFO_ATTACHED and
 *    RMT_INFO_BOOT the module's; struct rmt_info counts the sessions;
 *    struct rmt_config sets the session's buffer size;
 *    RMT_IOC_GET_SESSIONS lists the sessions, RMT_IOC_ADOPT_BOOT takes
 *    over the boot session of enable=1; the exit record names its task
 *    with struct rmt_exit_task instead of a second struct rmt_task, and
 *    each of its messages carries the msg_hdr pointers found at exit.
 * 6: struct rmt_task gives the parent's pid in the task's own pid
 *    namespace, the thread's start time, the executable's inode and the
 *    UTS nodename; struct rmt_exit_task the time of its enter record;
 *    each message of an exit record carries its first iovecs as found
 *    at exit, so exit records may now be the larger.
 */
#define RMT_ABI_VERSION		6

#define RMT_DEVICE_NAME		"recvmmsg_trace"
#define RMT_DEVICE_PATH		"/dev/" RMT_DEVICE_NAME

/* Syscall numbers of 32-bit tasks on x86_64 (IA32 emulation). */
#define RMT_NR_IA32_SOCKETCALL		102
#define RMT_NR_IA32_RECVMMSG_TIME32	337
#define RMT_NR_IA32_RECVMMSG_TIME64	417	/* opt-in: parameter time64 */
/* socketcall()'s call number for recvmmsg; its arguments are 5 u32. */
#define RMT_SOCKETCALL_RECVMMSG		19

enum rmt_record_type {
	RMT_REC_ENTER	= 1,	/* struct rmt_enter_record */
	RMT_REC_EXIT	= 2,	/* struct rmt_exit_record */
	RMT_REC_LOST	= 3,	/* struct rmt_lost_record */
};

struct rmt_record_header {
	__u16 type;		/* enum rmt_record_type */
	__u16 size;		/* bytes in the record, this header included */
	__u32 cpu;		/* CPU that made the record */
	__u64 time_ns;		/* CLOCK_MONOTONIC, nanoseconds */
};

#define RMT_COMM_LEN		16
/* A UTS nodename: the kernel's 64 bytes and a NUL, rounded up to 8. */
#define RMT_NODENAME_LEN	72

/*
 * The calling thread. "Host" ids are as seen from the initial pid and user
 * namespaces; ns_tgid, ns_tid and ns_ppid as the task sees itself
 * (getpid(), gettid(), getppid()) in its own pid namespace.
 */
struct rmt_task {
	__u32 tgid;		/* host process id */
	__u32 tid;		/* host thread id */
	__u32 ns_tgid;		/* process id in the task's pid namespace */
	__u32 ns_tid;		/* thread id in the task's pid namespace */
	__u32 ppid;		/* host process id of the parent */
	__u32 uid;		/* real uid, initial user namespace */
	__u32 gid;		/* real gid, initial user namespace */
	__u32 pid_ns;		/* pid namespace inode (/proc/PID/ns/pid) */
	__u32 mnt_ns;		/* mount namespace inode (/proc/PID/ns/mnt) */
	/* parent's process id in the task's pid namespace; 0: outside it */
	__u32 ns_ppid;
	__u64 cgroup_id;	/* cgroup v2 id: inode of its directory */
	char comm[RMT_COMM_LEN];	/* NUL-terminated, NUL-padded */
	/* when the thread started: CLOCK_MONOTONIC, as time_ns */
	__u64 start_time_ns;
	/*
	 * The file the process runs (/proc/PID/exe): its inode, and the
	 * device of its filesystem as the kernel's superblock has it (stat()
	 * reports another on btrfs and on some overlayfs mounts), so that a
	 * path found later can be checked to be that file; all 0 when none.
	 */
	__u64 exe_ino;
	__u32 exe_dev_major;
	__u32 exe_dev_minor;
	/* UTS nodename (uname -n) of the task's namespace, NUL-padded */
	char nodename[RMT_NODENAME_LEN];
};

/* Argument slots of recvmmsg in rmt_call.args. */
enum rmt_arg {
	RMT_ARG_FD	= 0,	/* int */
	RMT_ARG_MMSG	= 1,	/* struct compat_mmsghdr *, user address */
	RMT_ARG_VLEN	= 2,	/* unsigned int */
	RMT_ARG_FLAGS	= 3,	/* unsigned int, MSG_* */
	/* struct old_timespec32 *, or struct __kernel_timespec * (time64) */
	RMT_ARG_TIMEOUT	= 4,
	RMT_NR_ARGS	= 5,
};

enum rmt_via {
	RMT_VIA_SYSCALL		= 0,	/* the recvmmsg syscall itself */
	RMT_VIA_SOCKETCALL	= 1,	/* socketcall(SYS_RECVMMSG, args) */
};

/* rmt_call.flags */
#define RMT_CALL_TIMEOUT	_BITUL(0)	/* timeout_sec/nsec were read */
#define RMT_CALL_TRUNCATED	_BITUL(1)	/* more messages than captured */

/* rmt_call.faults: parts of user memory that could not be read */
#define RMT_FAULT_ARGS		_BITUL(0)	/* socketcall argument block */
#define RMT_FAULT_MMSG		_BITUL(1)	/* an mmsghdr of the vector */
#define RMT_FAULT_IOV		_BITUL(2)	/* an iovec array */
#define RMT_FAULT_TIMEOUT	_BITUL(3)	/* the timeout */
#define RMT_FAULT_NAME		_BITUL(4)	/* a source address (exit) */

/* What enter and exit records both carry about the call. */
struct rmt_call {
	__u32 syscall_nr;	/* RMT_NR_IA32_RECVMMSG_TIME32 or _TIME64 */
	__u16 via;		/* enum rmt_via */
	__u16 flags;		/* RMT_CALL_* */
	__u32 faults;		/* RMT_FAULT_* */
	__u32 nr_msgs;		/* message entries after this struct */
	__u64 args[RMT_NR_ARGS];	/* 32-bit values, zero-extended */
	/* *timeout: at enter as passed, at exit as the kernel left it */
	__s64 timeout_sec;
	__s64 timeout_nsec;
	__s64 ret;		/* exit: messages received or -errno; enter: 0 */
};

/* At most this many iovecs of each message are captured. */
#define RMT_MAX_IOV		4

struct rmt_iovec {
	__u32 base;		/* user address */
	__u32 len;
};

/* One struct compat_mmsghdr as read at enter, with its first iovecs. */
struct rmt_msg_enter {
	__u32 name;		/* msg_name, user address */
	__u32 namelen;		/* msg_namelen */
	__u32 iov;		/* msg_iov, user address */
	__u32 iovlen;		/* msg_iovlen */
	__u32 control;		/* msg_control, user address */
	__u32 controllen;	/* msg_controllen */
	__u32 flags;		/* msg_flags */
	__u32 len;		/* msg_len */
	__u32 nr_iov;		/* entries of iov_snap that were read */
	__u32 reserved;		/* zero */
	struct rmt_iovec iov_snap[RMT_MAX_IOV];
};

/* Bytes of each source address kept: a sockaddr_in6, a short unix path. */
#define RMT_NAME_BYTES		32

/*
 * The pointer and length fields of a compat_mmsghdr's msg_hdr. The kernel
 * writes none of them but msg_controllen (the control bytes it wrote), so
 * at exit the others are as the caller passed them unless something
 * changed them while the call ran: compare them with the enter record.
 */
struct rmt_msg_ptrs {
	__u32 name;		/* msg_name, user address */
	__u32 iov;		/* msg_iov, user address */
	__u32 iovlen;		/* msg_iovlen */
	__u32 control;		/* msg_control, user address */
	__u32 controllen;	/* msg_controllen */
	__u32 reserved;		/* zero */
};

/*
 * One received message, as the kernel left its compat_mmsghdr at exit. The
 * kernel sets msg_namelen to the real length of the source address but
 * writes only as much of it as the caller's buffer held (msg_namelen as
 * passed), so name_bytes is at most that: the enter of the same call must
 * have been seen, else it is 0 and no address was read.
 */
struct rmt_msg_exit {
	__u32 len;		/* msg_len: bytes received */
	__u32 flags;		/* msg_flags, MSG_* */
	__u32 namelen;		/* msg_namelen: real source address length */
	__u32 name_bytes;	/* bytes of name[] read, at most 32 */
	struct rmt_msg_ptrs ptrs;	/* as found at exit */
	__u8 name[RMT_NAME_BYTES];	/* the source address, zero-padded */
	/*
	 * The first iovecs of ptrs.iov, as found at exit (the kernel writes
	 * none of them): nr_iov entries were read.
	 */
	__u32 nr_iov;
	__u32 reserved;		/* zero */
	struct rmt_iovec iov_snap[RMT_MAX_IOV];
};

/*
 * Made at sys_enter: the arguments as the task passed them and the first
 * call.nr_msgs = min(vlen, snaplen) entries of the message vector.
 */
struct rmt_enter_record {
	struct rmt_record_header hdr;
	struct rmt_task task;
	struct rmt_call call;
	struct rmt_msg_enter msgs[];
};

/*
 * Who made the call, as much as an exit record needs: the thread and the
 * time of the enter record to pair it with, which has the rest, and a name
 * for a call whose enter was not seen.
 */
struct rmt_exit_task {
	__u32 tgid;		/* host process id */
	__u32 tid;		/* host thread id */
	char comm[RMT_COMM_LEN];	/* NUL-terminated, NUL-padded */
	/*
	 * hdr.time_ns of this call's enter record: an enter of the thread
	 * with another time is an earlier call, whose exit was lost. 0 when
	 * the module did not follow the call from its enter.
	 */
	__u64 enter_time_ns;
};

/*
 * Made at sys_exit of a call that matched at enter: the return value, the
 * timeout as the kernel left it and, for the first call.nr_msgs =
 * min(ret, snaplen) messages, what was received. The arguments are read
 * again from the saved user registers.
 */
struct rmt_exit_record {
	struct rmt_record_header hdr;
	struct rmt_exit_task task;
	struct rmt_call call;
	struct rmt_msg_exit msgs[];
};

/*
 * Records that did not fit in a CPU's buffer are dropped whole and counted.
 * The next record that fits on that CPU is preceded by one of these.
 */
struct rmt_lost_record {
	struct rmt_record_header hdr;
	__u64 count;		/* records dropped since the previous record */
};

/* Bounds of the snaplen module parameter: messages captured per call. */
#define RMT_SNAPLEN_MIN		1
#define RMT_SNAPLEN_MAX		64

/*
 * The largest records of each type, and the bound of rmt_record_header.size
 * for every type of this ABI: an exit record of RMT_SNAPLEN_MAX messages,
 * larger than any enter record (the module checks it when built).
 */
#define RMT_ENTER_MAX_SIZE	(sizeof(struct rmt_enter_record) + \
				 RMT_SNAPLEN_MAX * sizeof(struct rmt_msg_enter))
#define RMT_EXIT_MAX_SIZE	(sizeof(struct rmt_exit_record) + \
				 RMT_SNAPLEN_MAX * sizeof(struct rmt_msg_exit))
#define RMT_RECORD_MAX_SIZE	RMT_EXIT_MAX_SIZE

/* Bytes one read() returns at most. */
#define RMT_READ_MAX_BYTES	(64 * 1024)

/*
 * ioctls. Each struct argument begins with its size in bytes, which the
 * caller sets to sizeof() as it knows it; the size bits of the ioctl number
 * are ignored so that the struct can grow without changing the number.
 * The module accepts any size from the first version of a struct on; bytes
 * it does not know must be zero (E2BIG otherwise), reserved fields and
 * unknown flags too (EINVAL). A failed call changes nothing.
 *
 * Opening the device and every ioctl that changes state need CAP_SYS_ADMIN
 * or CAP_PERFMON (EPERM otherwise); the device is also mode 0600.
 */
#define RMT_IOC_MAGIC		0xBC

#define RMT_INFO_ENABLED	_BITUL(0)	/* the caller's session captures */
#define RMT_INFO_ATTACHED	_BITUL(1)	/* the probes are attached */
#define RMT_INFO_BOOT		_BITUL(2)	/* a boot session waits (enable=1) */

/* Where the module hooks the calls: its load-time parameter hook. */
enum rmt_hook {
	RMT_HOOK_TRACEPOINT	= 0,	/* raw syscall tracepoints sys_enter/exit */
	RMT_HOOK_ENTRY		= 1,	/* kretprobes on the compat entry points */
};

struct rmt_info {
	__u32 size;		/* in: caller's sizeof; out: bytes written */
	__u32 abi_version;	/* RMT_ABI_VERSION of the module */
	__u32 nr_cpus;		/* CPU numbers in records are below this */
	/* Each CPU's buffer of this session: its size, or the one its first
	 * enable will give it.
	 */
	__u32 buffer_bytes;
	__u16 enter_size;	/* sizeof(struct rmt_enter_record), no msgs */
	__u16 exit_size;	/* sizeof(struct rmt_exit_record), no msgs */
	__u16 lost_size;	/* sizeof(struct rmt_lost_record) */
	__u16 max_record_size;	/* RMT_RECORD_MAX_SIZE */
	__u32 flags;		/* RMT_INFO_* */
	__u32 reserved;		/* zero */
	char version[32];	/* module version, NUL-terminated */
	/* Since ABI 5. */
	__u32 nr_sessions;	/* sessions that exist now, the boot one too */
	__u32 max_sessions;	/* sessions that may have buffers at once */
	/*
	 * Added later in ABI 5: a module that writes no more than the above
	 * has only the tracepoint hook.
	 */
	__u32 hook;		/* enum rmt_hook: parameter hook */
	/*
	 * RMT_HOOK_ENTRY: how many calls it can follow at once (parameter
	 * maxactive, or the size it chose); 0 with the tracepoint hook.
	 */
	__u32 maxactive;
};

/*
 * Which calls to keep. Each field is used only when its flag is set; a call
 * is kept when every field used matches. Flags 0: keep everything.
 */
#define RMT_FILTER_TGIDS	_BITUL(0)	/* host tgid is one of tgids[] */
#define RMT_FILTER_UID		_BITUL(1)	/* real uid (initial user ns) */
#define RMT_FILTER_GID		_BITUL(2)	/* real gid (initial user ns) */
#define RMT_FILTER_CGROUP	_BITUL(3)	/* cgroup v2 id is cgroup_id */
#define RMT_FILTER_CGROUP_TREE	_BITUL(4)	/* ... or a descendant of it */
#define RMT_FILTER_FD		_BITUL(5)	/* the call's fd argument */
#define RMT_FILTER_COMM		_BITUL(6)	/* comm, exactly */
#define RMT_FILTER_ALL		(RMT_FILTER_TGIDS | RMT_FILTER_UID | \
				 RMT_FILTER_GID | RMT_FILTER_CGROUP | \
				 RMT_FILTER_CGROUP_TREE | RMT_FILTER_FD | \
				 RMT_FILTER_COMM)
#define RMT_FILTER_MAX_TGIDS	64

struct rmt_filter {
	__u32 size;		/* in: caller's sizeof; out (get): bytes written */
	__u32 flags;		/* RMT_FILTER_*; CGROUP_TREE needs CGROUP */
	__u32 uid;
	__u32 gid;
	__u64 cgroup_id;	/* inode of the cgroup v2 directory */
	__s32 fd;
	__u32 nr_tgids;		/* entries of tgids[] used, 1..64 with TGIDS */
	char comm[RMT_COMM_LEN];	/* NUL-terminated */
	__u32 tgids[RMT_FILTER_MAX_TGIDS];
};

#define RMT_CONFIG_NO_EXIT	_BITUL(0)	/* make no exit records */
#define RMT_CONFIG_ALL		RMT_CONFIG_NO_EXIT

/* Bounds of rmt_config.buffer_bytes and of the buffer_size parameter. */
#define RMT_BUFFER_MIN_BYTES	8192U
#define RMT_BUFFER_MAX_BYTES	(64U << 20)

struct rmt_config {
	__u32 size;		/* in: caller's sizeof; out (get): bytes written */
	__u32 flags;		/* RMT_CONFIG_* */
	__u32 snaplen;		/* RMT_SNAPLEN_MIN..RMT_SNAPLEN_MAX */
	/*
	 * Wake a blocked reader once a CPU's buffer holds this many bytes;
	 * 0 wakes it for every record. Records below the threshold are
	 * still delivered within 100 ms. At most the buffer size.
	 */
	__u32 wakeup_bytes;
	/*
	 * Since ABI 5. Bytes of each CPU's buffer of this session: a power
	 * of two from RMT_BUFFER_MIN_BYTES to RMT_BUFFER_MAX_BYTES; 0 (or a
	 * caller that does not know the field) keeps the size it has, which
	 * starts as the buffer_size parameter. A different size, once the
	 * session has buffers, gives it new ones: the records queued and
	 * not yet delivered go, the counters start from zero, and only a
	 * session that is not enabled may do it (EBUSY otherwise).
	 */
	__u32 buffer_bytes;
	__u32 reserved;		/* zero */
};

/* Counts of one kind of record (enter or exit) on one CPU. */
struct rmt_counts {
	__u64 seen;		/* calls of ours that reached the probe */
	__u64 filtered;		/* ... that the filter left out */
	__u64 written;		/* ... whose record was written */
	__u64 dropped;		/* ... whose record did not fit */
};

/*
 * A session's counters: seen == filtered + written + dropped, for enter and
 * exit alike. A session sees the calls made while it is enabled, but for
 * the moment of a RESET; one with RMT_CONFIG_NO_EXIT sees no exits.
 */
struct rmt_cpu_stats {
	struct rmt_counts enter;
	struct rmt_counts exit;
	__u64 faults;		/* records with a part that could not be read */
	__u64 lost_records;	/* LOST records written */
	/*
	 * Added later in ABI 5 (a module that does not write it never
	 * misses a call this way). Calls the entry hook could not follow, every
	 * one of its maxactive places being taken by calls in flight: the
	 * kernel counts them, on no CPU, so they appear in a session's
	 * total alone, where they are counted in enter.seen and
	 * enter.dropped as well. On the socketcall entry point, other
	 * socket calls made meanwhile are among them. Always 0 per CPU.
	 */
	__u64 missed;
};

/* The first size of struct rmt_cpu_stats; later ones grow at the end. */
#define RMT_CPU_STATS_SIZE_VER0	80

struct rmt_stats {
	__u32 size;		/* in: caller's sizeof; out: bytes written */
	__u32 nr_cpus;		/* in: room in cpus; out: entries filled */
	__u64 cpus;		/* user address of nr_cpus entries, or 0 */
	/*
	 * in: bytes of each entry of cpus, the caller's
	 * sizeof(struct rmt_cpu_stats), at least RMT_CPU_STATS_SIZE_VER0
	 * (not looked at when nr_cpus is 0); out: bytes of counters the
	 * module knows in each entry, the rest of an entry being zeroed.
	 * Entry i is CPU i; a CPU that cannot exist has zeros.
	 */
	__u32 cpu_size;
	__u32 reserved;		/* zero */
	/*
	 * out (ignored in): records found with a header that cannot be
	 * right (a module bug): the rest of that CPU's buffer was dropped.
	 * Never expected.
	 */
	__u64 bad_records;
	/*
	 * out (ignored in): 0. Until ABI 4, records one file took from the buffers that
	 * all files shared and closed without delivering; a session's
	 * undelivered records now end with it.
	 */
	__u64 discarded_records;
	/* out: the sum over CPUs, and the calls missed (see above); last */
	struct rmt_cpu_stats total;
};

/* Fill a struct rmt_info. */
#define RMT_IOC_GET_INFO	_IOWR(RMT_IOC_MAGIC, 0x01, struct rmt_info)
/*
 * GET_INFO as readers of ABI 3 and before asked for it, still answered so
 * that they can say which ABI the module speaks instead of failing on an
 * unknown ioctl; struct rmt_info keeps its layout for them.
 */
#define RMT_IOC_GET_INFO_OLD	_IOR(0xBA, 0x01, struct rmt_info)
/*
 * RMT_IOC_ENABLE (argument 0) starts the caller's session capturing, and
 * attaches the probes if no other session had; enabling it again is no
 * change. RMT_IOC_DISABLE (argument 0) stops it, and detaches the probes
 * with the last session enabled; records already queued stay readable.
 * Closing the file disables its session.
 */
#define RMT_IOC_ENABLE		_IO(RMT_IOC_MAGIC, 0x02)
#define RMT_IOC_DISABLE		_IO(RMT_IOC_MAGIC, 0x03)
/* Replace the filter, atomically for the probes. */
#define RMT_IOC_SET_FILTER	_IOW(RMT_IOC_MAGIC, 0x04, struct rmt_filter)
#define RMT_IOC_GET_FILTER	_IOWR(RMT_IOC_MAGIC, 0x05, struct rmt_filter)
#define RMT_IOC_SET_CONFIG	_IOW(RMT_IOC_MAGIC, 0x06, struct rmt_config)
#define RMT_IOC_GET_CONFIG	_IOWR(RMT_IOC_MAGIC, 0x07, struct rmt_config)
/* Fill a struct rmt_stats (and its per-CPU array). */
#define RMT_IOC_GET_STATS	_IOWR(RMT_IOC_MAGIC, 0x08, struct rmt_stats)
/* Empty this session's buffers and zero its stats (argument must be 0). */
#define RMT_IOC_RESET		_IO(RMT_IOC_MAGIC, 0x09)

/* What RMT_IOC_GET_SESSIONS tells of each session. */
#define RMT_SESSION_ENABLED	_BITUL(0)	/* it captures */
#define RMT_SESSION_SELF	_BITUL(1)	/* the caller's own */
#define RMT_SESSION_BOOT	_BITUL(2)	/* enable=1's, not adopted yet */

/*
 * The config, filter and counters in here are those structs as ABI 5 has
 * them (their size fields say so), fixed: should one of them grow, its new
 * fields come at the end of this struct instead.
 */
struct rmt_session_info {
	__u32 id;		/* unique since the module was loaded */
	__u32 owner_tgid;	/* host pid that opened the file; 0: boot */
	char owner_comm[RMT_COMM_LEN];	/* its comm then, NUL-terminated */
	__u32 flags;		/* RMT_SESSION_* */
	__u32 buffer_bytes;	/* each CPU's now; 0 while it has no buffers */
	struct rmt_config config;
	struct rmt_filter filter;
	/* its counters, summed over CPUs, and its missed calls; last */
	struct rmt_cpu_stats total;
};

/*
 * The first size of struct rmt_session_info; later ones grow at the end,
 * as struct rmt_cpu_stats entries do in struct rmt_stats.
 */
#define RMT_SESSION_INFO_SIZE_VER0	440

struct rmt_sessions {
	__u32 size;		/* in: caller's sizeof; out: bytes written */
	__u32 nr_sessions;	/* in: room in sessions; out: entries filled */
	__u64 sessions;		/* user address of nr_sessions entries, or 0 */
	/*
	 * in: bytes of each entry, the caller's sizeof(struct
	 * rmt_session_info), at least RMT_SESSION_INFO_SIZE_VER0 (not looked
	 * at when nr_sessions is 0); out: bytes the module filled in each,
	 * the rest of an entry being zeroed.
	 */
	__u32 session_size;
	__u32 total;		/* out only: sessions that exist (may exceed room) */
};

/* Every session, oldest first. */
#define RMT_IOC_GET_SESSIONS	_IOWR(RMT_IOC_MAGIC, 0x0A, struct rmt_sessions)
/*
 * Make the boot session (enable=1) the caller's: argument 0. ENOENT when
 * there is none (no enable=1, or already adopted); EBUSY when the caller's
 * own session has buffers (it was enabled): adopt first. The caller's
 * filter and config are replaced by the boot session's (no filter, the
 * load-time parameters); change them after as with any session.
 */
#define RMT_IOC_ADOPT_BOOT	_IO(RMT_IOC_MAGIC, 0x0B)

#endif /* _UAPI_LINUX_RECVMMSG_TRACE_H */
