/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * recvmmsg_trace: the interface between the recvmmsg_trace module and the
 * programs that read /dev/recvmmsg_trace. This header is the only place the
 * ABI is defined; the module and the tools both include it.
 *
 * The device serves a stream of records. Every record starts with a
 * struct rmt_record_header whose size field covers the whole record, so a
 * reader skips record types it does not know. read() returns whole records
 * only: as many as fit in the caller's buffer. A buffer too small for the
 * next record gets EINVAL and the record stays queued.
 *
 * Records are kept per CPU. Within one CPU they are in time order; across
 * CPUs the reader orders them by rmt_record_header.time_ns.
 */
#ifndef _UAPI_LINUX_RECVMMSG_TRACE_H
#define _UAPI_LINUX_RECVMMSG_TRACE_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* Changes whenever a record or ioctl layout changes incompatibly. */
#define RMT_ABI_VERSION		1

#define RMT_DEVICE_NAME		"recvmmsg_trace"
#define RMT_DEVICE_PATH		"/dev/" RMT_DEVICE_NAME

/* Syscall numbers as they appear in rmt_call.syscall_nr. */
#define RMT_NR_IA32_RECVMMSG_TIME32	337	/* x86_64 with IA32 emulation */

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

/* The calling thread. Ids are as seen from the initial namespaces. */
struct rmt_task {
	__u32 tgid;		/* process id */
	__u32 tid;		/* thread id */
	__u32 uid;		/* real uid */
	__u32 syscall_nr;	/* RMT_NR_* */
	char comm[RMT_COMM_LEN];	/* NUL-terminated, NUL-padded */
};

/* Argument slots of recvmmsg_time32 in rmt_enter_record.args. */
enum rmt_arg {
	RMT_ARG_FD	= 0,	/* int */
	RMT_ARG_MMSG	= 1,	/* struct compat_mmsghdr *, user address */
	RMT_ARG_VLEN	= 2,	/* unsigned int */
	RMT_ARG_FLAGS	= 3,	/* unsigned int, MSG_* */
	RMT_ARG_TIMEOUT	= 4,	/* struct old_timespec32 *, user address */
	RMT_NR_ARGS	= 5,
};

/* Made at sys_enter: the arguments as the task passed them. */
struct rmt_enter_record {
	struct rmt_record_header hdr;
	struct rmt_task task;
	__u64 args[RMT_NR_ARGS];	/* 32-bit registers, zero-extended */
};

/* Made at sys_exit of a call that matched at enter. */
struct rmt_exit_record {
	struct rmt_record_header hdr;
	struct rmt_task task;
	__s64 ret;		/* messages received, or -errno */
};

/*
 * Records that did not fit in a CPU's buffer are dropped whole and counted.
 * The next record that fits on that CPU is preceded by one of these.
 */
struct rmt_lost_record {
	struct rmt_record_header hdr;
	__u64 count;		/* records dropped since the previous record */
};

/* Upper bound of rmt_record_header.size for every type of this ABI. */
#define RMT_RECORD_MAX_SIZE	256

/*
 * ioctls. Each struct argument begins with its size in bytes, which the
 * caller sets to sizeof() as it knows it; the size bits of the ioctl number
 * are ignored so that the struct can grow without changing the number.
 */
#define RMT_IOC_MAGIC		0xBA

#define RMT_INFO_ENABLED	_BITUL(0)	/* capture is on */

struct rmt_info {
	__u32 size;		/* in: caller's sizeof; out: bytes written */
	__u32 abi_version;	/* RMT_ABI_VERSION of the module */
	__u32 nr_cpus;		/* CPU numbers in records are below this */
	__u32 buffer_bytes;	/* buffer size of each CPU */
	__u16 enter_size;	/* sizeof(struct rmt_enter_record) */
	__u16 exit_size;	/* sizeof(struct rmt_exit_record) */
	__u16 lost_size;	/* sizeof(struct rmt_lost_record) */
	__u16 max_record_size;	/* RMT_RECORD_MAX_SIZE */
	__u32 flags;		/* RMT_INFO_* */
	__u32 reserved;		/* zero */
	char version[32];	/* module version, NUL-terminated */
};

/* Fill a struct rmt_info. */
#define RMT_IOC_GET_INFO	_IOR(RMT_IOC_MAGIC, 0x01, struct rmt_info)
/* Start capture (argument must be 0); no-op when already on. */
#define RMT_IOC_ENABLE		_IO(RMT_IOC_MAGIC, 0x02)
/* Stop capture (argument must be 0); queued records stay readable. */
#define RMT_IOC_DISABLE		_IO(RMT_IOC_MAGIC, 0x03)

#endif /* _UAPI_LINUX_RECVMMSG_TRACE_H */
