// SPDX-License-Identifier: GPL-2.0
/*
 * What a record holds: run a real 32-bit client (rmt_client32) against the
 * real module and compare the enter and exit records field by field with
 * what the client did and who it is.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

/* The task fields every record of a client started by run_client has. */
#define EXPECT_TASK(_task, _rep) do {						\
	EXPECT_EQ((_rep).pid, (_task).tgid);					\
	EXPECT_EQ((_rep).tid, (_task).tid);					\
	EXPECT_EQ((_rep).pid, (_task).ns_tgid);					\
	EXPECT_EQ((_rep).tid, (_task).ns_tid);					\
	EXPECT_EQ(getpid(), (_task).ppid);					\
	EXPECT_EQ(getuid(), (_task).uid);					\
	EXPECT_EQ(getgid(), (_task).gid);					\
	EXPECT_EQ(ns_inode("pid"), (_task).pid_ns);				\
	EXPECT_EQ(ns_inode("mnt"), (_task).mnt_ns);				\
	EXPECT_EQ(own_cgroup_id(), (_task).cgroup_id);				\
	EXPECT_EQ((_rep).ppid, (_task).ns_ppid);				\
	EXPECT_STREQ("rmt_client32", (_task).comm);				\
	EXPECT_STREQ(own_nodename(), (_task).nodename);				\
	EXPECT_TRUE(task_runs_client(&(_task)));				\
} while (0)

/* An exit record names its thread only: the enter record has the rest. */
#define EXPECT_EXIT_TASK(_task, _rep) do {					\
	EXPECT_EQ((_rep).pid, (_task).tgid);					\
	EXPECT_EQ((_rep).tid, (_task).tid);					\
	EXPECT_STREQ("rmt_client32", (_task).comm);				\
} while (0)

TEST_F(dev, ipv4_message_every_field)
{
	char *argv[] = { "rmt_client32", "recv", "fd=7", "vlen=4", "flags=0x10000",
			 "queued=2", "timeout=1.500000000", NULL };
	const struct rmt_enter_record *e;
	const struct rmt_exit_record *x;
	struct client_report rep;
	struct timespec before;
	int i;

	ASSERT_EQ(0, clock_gettime(CLOCK_MONOTONIC, &before));
	RUN_ONE_CALL(argv, rep, 2);
	EXPECT_EQ(0, rec.n_lost + rec.n_other);
	e = E(0);
	x = X(0);
	/* The client's thread started after this test looked at the clock. */
	EXPECT_LE(before.tv_sec * 1000000000ULL + before.tv_nsec, e->task.start_time_ns);
	EXPECT_LT(e->task.start_time_ns, e->hdr.time_ns);

	EXPECT_TASK(e->task, rep);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, e->call.syscall_nr);
	EXPECT_EQ(RMT_VIA_SYSCALL, e->call.via);
	EXPECT_EQ(RMT_CALL_TIMEOUT, e->call.flags);
	EXPECT_EQ(0, e->call.faults);
	EXPECT_EQ(7, e->call.args[RMT_ARG_FD]);
	EXPECT_EQ(rep.mmsg, e->call.args[RMT_ARG_MMSG]);
	EXPECT_EQ(4, e->call.args[RMT_ARG_VLEN]);
	EXPECT_EQ(MSG_WAITFORONE, e->call.args[RMT_ARG_FLAGS]);
	EXPECT_EQ(rep.timeout, e->call.args[RMT_ARG_TIMEOUT]);
	EXPECT_EQ(1, e->call.timeout_sec);
	EXPECT_EQ(500000000, e->call.timeout_nsec);
	EXPECT_EQ(0, e->call.ret);
	ASSERT_EQ(4, e->call.nr_msgs);
	EXPECT_EQ(sizeof(*e) + 4 * sizeof(e->msgs[0]), e->hdr.size);
	for (i = 0; i < 4; i++) {
		EXPECT_NE(0, e->msgs[i].name);
		EXPECT_EQ(128, e->msgs[i].namelen);	/* sockaddr_storage */
		EXPECT_EQ(1, e->msgs[i].iovlen);
		EXPECT_EQ(1, e->msgs[i].nr_iov);
		EXPECT_NE(0, e->msgs[i].iov_snap[0].base);
		EXPECT_EQ(256, e->msgs[i].iov_snap[0].len);
		EXPECT_EQ(0, e->msgs[i].control);
		EXPECT_EQ(0, e->msgs[i].len);
	}

	EXPECT_EXIT_TASK(x->task, rep);
	/* The exit names its enter. */
	EXPECT_EQ(e->hdr.time_ns, x->task.enter_time_ns);
	EXPECT_EQ(2, x->call.ret);
	EXPECT_EQ(e->call.args[RMT_ARG_MMSG], x->call.args[RMT_ARG_MMSG]);
	EXPECT_EQ(RMT_CALL_TIMEOUT, x->call.flags);
	EXPECT_EQ(0, x->call.faults);
	/* The time left, written back by the kernel. */
	EXPECT_GT(1500000000LL, x->call.timeout_sec * 1000000000LL + x->call.timeout_nsec);
	ASSERT_EQ(2, x->call.nr_msgs);
	for (i = 0; i < 2; i++) {
		struct sockaddr_in sin;

		EXPECT_EQ(strlen("datagram 0"), x->msgs[i].len);
		EXPECT_EQ(0, x->msgs[i].flags);
		EXPECT_EQ(sizeof(sin), x->msgs[i].namelen);
		memcpy(&sin, x->msgs[i].name, sizeof(sin));
		EXPECT_EQ(AF_INET, sin.sin_family);
		EXPECT_EQ(rep.port, ntohs(sin.sin_port));
		EXPECT_EQ(htonl(INADDR_LOOPBACK), sin.sin_addr.s_addr);
		/* The msg_hdr pointers, unchanged since enter; no control bytes. */
		EXPECT_EQ(e->msgs[i].name, x->msgs[i].ptrs.name);
		EXPECT_EQ(e->msgs[i].iov, x->msgs[i].ptrs.iov);
		EXPECT_EQ(e->msgs[i].iovlen, x->msgs[i].ptrs.iovlen);
		EXPECT_EQ(e->msgs[i].control, x->msgs[i].ptrs.control);
		EXPECT_EQ(0, x->msgs[i].ptrs.controllen);
		EXPECT_EQ(0, x->msgs[i].ptrs.reserved);
		/* ... and so are the iovecs the array holds. */
		EXPECT_EQ(1, x->msgs[i].nr_iov);
		EXPECT_EQ(e->msgs[i].iov_snap[0].base, x->msgs[i].iov_snap[0].base);
		EXPECT_EQ(256, x->msgs[i].iov_snap[0].len);
		EXPECT_EQ(0, x->msgs[i].reserved);
	}
	EXPECT_LE(e->hdr.time_ns, x->hdr.time_ns);
	EXPECT_GT(sysconf(_SC_NPROCESSORS_CONF), e->hdr.cpu);
}

TEST_F(dev, ipv6_source_address)
{
	char *argv[] = { "rmt_client32", "recv", "family=inet6", "vlen=1", NULL };
	struct client_report rep;
	struct sockaddr_in6 sin6;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_exit);
	ASSERT_EQ(1, X(0)->call.nr_msgs);
	EXPECT_EQ(sizeof(sin6), X(0)->msgs[0].namelen);
	memcpy(&sin6, X(0)->msgs[0].name, sizeof(sin6));
	EXPECT_EQ(AF_INET6, sin6.sin6_family);
	EXPECT_EQ(rep.port, ntohs(sin6.sin6_port));
	EXPECT_EQ(0, memcmp(&sin6.sin6_addr, &in6addr_loopback, sizeof(in6addr_loopback)));
	EXPECT_EQ(strlen("datagram 0"), X(0)->msgs[0].len);
}

TEST_F(dev, unix_socketpair_message)
{
	char *argv[] = { "rmt_client32", "recv", "family=unix", "vlen=2",
			 "flags=0x40", "queued=2", NULL };
	struct client_report rep;

	RUN_ONE_CALL(argv, rep, 2);
	EXPECT_EQ(MSG_DONTWAIT, E(0)->call.args[RMT_ARG_FLAGS]);
	ASSERT_EQ(2, X(0)->call.nr_msgs);
	/* An unnamed peer: the kernel reports no source address. */
	EXPECT_EQ(0, X(0)->msgs[0].namelen);
	EXPECT_EQ(strlen("datagram 1"), X(0)->msgs[1].len);
	EXPECT_EQ(0, X(0)->call.faults);
}

/*
 * An enabled session opened while the snaplen parameter is @snaplen, the
 * parameter then back to 8; -1 on failure.
 */
static int session_with_snaplen(const char *snaplen)
{
	int fd;

	if (write_file(PARAMS "snaplen", snaplen))
		return -1;
	fd = open_session(1);
	if (write_file(PARAMS "snaplen", "8") && fd >= 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Run the client; drain what @fd's session got of it into rec, and close. */
#define RUN_ONE_CALL_ON(_fd, _argv, _rep, _want) do {			\
	ASSERT_LE(0, _fd);						\
	ASSERT_EQ(0, run_client(_argv, &(_rep)));			\
	ASSERT_EQ(_want, (_rep).ret);					\
	ASSERT_EQ(0, drain(_fd, &rec));					\
	close(_fd);							\
} while (0)

/* The parameter sets the snaplen of the sessions opened while it is 4. */
TEST_F(dev, snaplen_4_with_vlen_8_keeps_4_and_says_truncated)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=8", "queued=8", NULL };
	struct client_report rep;
	int fd = session_with_snaplen("4");

	RUN_ONE_CALL_ON(fd, argv, rep, 8);
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_EQ(4, E(0)->call.nr_msgs);
	EXPECT_TRUE(E(0)->call.flags & RMT_CALL_TRUNCATED);
	EXPECT_EQ(sizeof(*E(0)) + 4 * sizeof(E(0)->msgs[0]), E(0)->hdr.size);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(4, X(0)->call.nr_msgs);
	EXPECT_TRUE(X(0)->call.flags & RMT_CALL_TRUNCATED);
	EXPECT_EQ(8, X(0)->call.ret);
}

TEST(snaplen_out_of_range_is_refused)
{
	EXPECT_EQ(-1, write_file(PARAMS "snaplen", "0"));
	EXPECT_EQ(-1, write_file(PARAMS "snaplen", "65"));
	EXPECT_EQ(0, write_file(PARAMS "snaplen", "8"));
}

TEST_F(dev, vlen_0_has_no_messages)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=0", NULL };
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(0, E(0)->call.args[RMT_ARG_VLEN]);
	EXPECT_EQ(0, E(0)->call.nr_msgs);
	EXPECT_EQ(0, E(0)->call.flags & RMT_CALL_TRUNCATED);
	EXPECT_EQ(sizeof(*E(0)), E(0)->hdr.size);
	EXPECT_EQ(rep.ret, X(0)->call.ret);
	EXPECT_EQ(0, X(0)->call.nr_msgs);
}

TEST_F(dev, null_timeout_and_error_return)
{
	char *argv[] = { "rmt_client32", "recv", "fd=9", "flags=0x40", "queued=0", NULL };
	struct client_report rep;

	RUN_ONE_CALL(argv, rep, -1);
	ASSERT_EQ(EAGAIN, rep.err);
	EXPECT_EQ(9, E(0)->call.args[RMT_ARG_FD]);
	EXPECT_EQ(0, E(0)->call.args[RMT_ARG_TIMEOUT]);
	EXPECT_EQ(0, E(0)->call.flags & RMT_CALL_TIMEOUT);
	EXPECT_EQ(0, E(0)->call.timeout_sec);
	EXPECT_EQ(-EAGAIN, X(0)->call.ret);
	EXPECT_EQ(0, X(0)->call.nr_msgs);
	EXPECT_EQ(0, X(0)->call.faults);
}

TEST_F(dev, expired_timeout_is_written_back)
{
	/* One ns: it has run out once the first datagram is in. */
	char *argv[] = { "rmt_client32", "recv", "vlen=2", "queued=2",
			 "timeout=0.1", NULL };
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(0, E(0)->call.timeout_sec);
	EXPECT_EQ(1, E(0)->call.timeout_nsec);
	EXPECT_TRUE(X(0)->call.flags & RMT_CALL_TIMEOUT);
	EXPECT_EQ(0, X(0)->call.timeout_sec);
	EXPECT_EQ(0, X(0)->call.timeout_nsec);
	EXPECT_EQ(1, X(0)->call.nr_msgs);
}

TEST_F(dev, unmapped_mmsg_faults_at_enter_and_efault_at_exit)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=2", "bad=mmsg", NULL };
	struct client_report rep;

	RUN_ONE_CALL(argv, rep, -1);
	ASSERT_EQ(EFAULT, rep.err);
	EXPECT_EQ(rep.mmsg, E(0)->call.args[RMT_ARG_MMSG]);
	EXPECT_EQ(RMT_FAULT_MMSG, E(0)->call.faults);
	EXPECT_EQ(0, E(0)->call.nr_msgs);
	EXPECT_EQ(-EFAULT, X(0)->call.ret);
}

/*
 * A vector readable for its first two entries only: the kernel receives
 * two datagrams and stops at the third entry; the enter record has the two
 * readable headers and the fault, the exit record both messages.
 */
TEST_F(dev, vector_readable_in_part_is_recorded_up_to_the_fault)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=4", "queued=2", "bad=tail",
			 NULL };
	struct client_report rep;
	unsigned int i;

	RUN_ONE_CALL(argv, rep, 2);
	EXPECT_EQ(rep.mmsg, E(0)->call.args[RMT_ARG_MMSG]);
	EXPECT_EQ(RMT_FAULT_MMSG, E(0)->call.faults);
	ASSERT_EQ(2, E(0)->call.nr_msgs);
	EXPECT_EQ(sizeof(*E(0)) + 2 * sizeof(E(0)->msgs[0]), E(0)->hdr.size);
	ASSERT_EQ(2, X(0)->call.nr_msgs);
	EXPECT_EQ(0, X(0)->call.faults);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(1, E(0)->msgs[i].iovlen);
		EXPECT_EQ(1, E(0)->msgs[i].nr_iov);
		EXPECT_NE(0, E(0)->msgs[i].iov_snap[0].base);
		EXPECT_EQ(sizeof(struct sockaddr_in), X(0)->msgs[i].namelen);
		EXPECT_EQ(AF_INET, ((struct sockaddr_in *)X(0)->msgs[i].name)->sin_family);
	}
}

/*
 * The probe reads the vector several headers at once: a fault in a later
 * block is still found at its message, and the exit reads every message.
 */
TEST_F(dev, vector_faulting_after_eight_headers_is_recorded_up_to_the_fault)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=12", "queued=10", "bad=tail",
			 NULL };
	struct client_report rep;
	int fd = session_with_snaplen("16");
	unsigned int i;

	RUN_ONE_CALL_ON(fd, argv, rep, 10);
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_EQ(RMT_FAULT_MMSG, E(0)->call.faults);
	ASSERT_EQ(10, E(0)->call.nr_msgs);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(0, X(0)->call.faults);
	ASSERT_EQ(10, X(0)->call.nr_msgs);
	for (i = 0; i < 10; i++) {
		EXPECT_EQ(1, E(0)->msgs[i].nr_iov);
		EXPECT_EQ(E(0)->msgs[i].name, X(0)->msgs[i].ptrs.name);
		EXPECT_EQ(AF_INET, ((struct sockaddr_in *)X(0)->msgs[i].name)->sin_family);
	}
}

TEST_F(dev, unmapped_timeout_faults_at_enter_and_efault_at_exit)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=1", "bad=timeout", NULL };
	struct client_report rep;

	RUN_ONE_CALL(argv, rep, -1);
	ASSERT_EQ(EFAULT, rep.err);
	EXPECT_EQ(rep.timeout, E(0)->call.args[RMT_ARG_TIMEOUT]);
	EXPECT_EQ(RMT_FAULT_TIMEOUT, E(0)->call.faults);
	EXPECT_EQ(0, E(0)->call.flags & RMT_CALL_TIMEOUT);
	EXPECT_EQ(1, E(0)->call.nr_msgs);
	EXPECT_EQ(-EFAULT, X(0)->call.ret);
	EXPECT_EQ(RMT_FAULT_TIMEOUT, X(0)->call.faults);
}

TEST_F(dev, untouched_vector_is_read_where_the_probe_may_fault)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=1", "lazy=1", NULL };
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	if (probe_may_fault()) {
		EXPECT_EQ(0, E(0)->call.faults);
		ASSERT_EQ(1, E(0)->call.nr_msgs);
		EXPECT_EQ(1, E(0)->msgs[0].iovlen);
		EXPECT_EQ(256, E(0)->msgs[0].iov_snap[0].len);
	} else {
		/* Not resident, and the probe may not fault it in. */
		EXPECT_EQ(RMT_FAULT_MMSG, E(0)->call.faults);
		EXPECT_EQ(0, E(0)->call.nr_msgs);
	}
	/* The call itself touched the pages: exit reads them everywhere. */
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(0, X(0)->call.faults);
	EXPECT_EQ(1, X(0)->call.nr_msgs);
}

TEST_F(dev, socketcall_gives_the_same_fields)
{
	char *argv[] = { "rmt_client32", "recv", "via=socketcall", "fd=7", "vlen=4",
			 "flags=0x10000", "queued=2", "timeout=1.500000000", NULL };
	struct client_report rep;

	RUN_ONE_CALL(argv, rep, 2);
	EXPECT_TASK(E(0)->task, rep);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, E(0)->call.syscall_nr);
	EXPECT_EQ(RMT_VIA_SOCKETCALL, E(0)->call.via);
	EXPECT_EQ(0, E(0)->call.faults);
	EXPECT_EQ(7, E(0)->call.args[RMT_ARG_FD]);
	EXPECT_EQ(rep.mmsg, E(0)->call.args[RMT_ARG_MMSG]);
	EXPECT_EQ(4, E(0)->call.args[RMT_ARG_VLEN]);
	EXPECT_EQ(MSG_WAITFORONE, E(0)->call.args[RMT_ARG_FLAGS]);
	EXPECT_EQ(rep.timeout, E(0)->call.args[RMT_ARG_TIMEOUT]);
	EXPECT_EQ(1, E(0)->call.timeout_sec);
	EXPECT_EQ(500000000, E(0)->call.timeout_nsec);
	EXPECT_EQ(4, E(0)->call.nr_msgs);
	EXPECT_EQ(RMT_VIA_SOCKETCALL, X(0)->call.via);
	EXPECT_EQ(2, X(0)->call.ret);
	EXPECT_EQ(rep.mmsg, X(0)->call.args[RMT_ARG_MMSG]);
	ASSERT_EQ(2, X(0)->call.nr_msgs);
	EXPECT_EQ(strlen("datagram 1"), X(0)->msgs[1].len);
}

TEST_F(dev, native_64bit_recvmmsg_gives_no_record)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char payload[] = "x", buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
	int s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &len));
	ASSERT_EQ(1, sendto(s, payload, 1, 0, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(1, recvmmsg(s, &m, 1, MSG_DONTWAIT, NULL));
	close(s);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost + rec.n_other);
}

TEST_F(dev, time64_gives_no_record_unless_enabled)
{
	char *argv[] = { "rmt_client32", "recv", "via=glibc", "vlen=2", "queued=1",
			 "flags=0x10000", "timeout=2.250000000", NULL };
	struct client_report rep;
	int ok;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost + rec.n_other);

	ASSERT_EQ(0, write_file(PARAMS "time64", "1"));
	ok = run_client(argv, &rep);
	ASSERT_EQ(0, write_file(PARAMS "time64", "0"));
	ASSERT_EQ(0, ok);
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME64, E(0)->call.syscall_nr);
	EXPECT_EQ(RMT_VIA_SYSCALL, E(0)->call.via);
	EXPECT_EQ(2, E(0)->call.timeout_sec);
	EXPECT_EQ(250000000, E(0)->call.timeout_nsec);
	EXPECT_TRUE(E(0)->call.flags & RMT_CALL_TIMEOUT);
	EXPECT_EQ(2, E(0)->call.nr_msgs);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME64, X(0)->call.syscall_nr);
	EXPECT_EQ(1, X(0)->call.ret);
	EXPECT_EQ(1, X(0)->call.nr_msgs);
}

TEST_F(dev, other_compat_socket_calls_give_no_record)
{
	char *argv[] = { "rmt_client32", "other", "5", NULL };
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_LT(0, rep.ret);	/* recvmsg, recv and socketcall(SYS_RECVMSG) ran */
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost + rec.n_other);
}

TEST_F(dev, four_threads_each_with_its_own_tid)
{
	char *argv[] = { "rmt_client32", "recv", "threads=4", "vlen=1", NULL };
	struct client_report reps[MAX_REPORTS];
	__u64 enter_time = 0;
	int i, j, found;

	ASSERT_EQ(4, run_client_in(argv, reps, NULL, NULL, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(4, rec.n_enter);
	ASSERT_EQ(4, rec.n_exit);
	for (i = 0; i < 4; i++) {
		found = 0;
		EXPECT_EQ(1, reps[i].ret);
		for (j = 0; j < 4; j++) {
			if (E(j)->task.tid != (__u32)reps[i].tid)
				continue;
			found++;
			EXPECT_EQ(reps[i].pid, E(j)->task.tgid);
			EXPECT_EQ(reps[i].mmsg, E(j)->call.args[RMT_ARG_MMSG]);
		}
		for (j = 0; j < 4; j++)
			if (X(j)->task.tid == (__u32)reps[i].tid) {
				found++;
				EXPECT_EQ(reps[i].pid, X(j)->task.tgid);
				EXPECT_EQ(1, X(j)->call.ret);
				enter_time = X(j)->task.enter_time_ns;
			}
		/* Each exit names its own thread's enter. */
		for (j = 0; j < 4; j++)
			if (E(j)->task.tid == (__u32)reps[i].tid)
				EXPECT_EQ(E(j)->hdr.time_ns, enter_time);
		EXPECT_EQ(2, found) TH_LOG("thread %d", reps[i].tid);
		EXPECT_EQ(reps[0].pid, reps[i].pid);
	}
}

TEST_F(dev, new_pid_namespace_ids_differ_from_host_ids)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=1", NULL };
	struct client_report rep;

	ASSERT_EQ(1, run_client_in(argv, &rep, NULL, NULL, CLONE_NEWPID));
	ASSERT_EQ(1, rep.pid);	/* as the client sees itself */
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, E(0)->task.ns_tgid);
	EXPECT_EQ(1, E(0)->task.ns_tid);
	EXPECT_NE(1, E(0)->task.tgid);
	EXPECT_EQ(E(0)->task.tgid, E(0)->task.tid);
	EXPECT_NE(ns_inode("pid"), E(0)->task.pid_ns);
	EXPECT_NE(0, E(0)->task.pid_ns);
	EXPECT_EQ(ns_inode("mnt"), E(0)->task.mnt_ns);
	/* Its parent, this test, is outside its pid namespace: getppid() is 0. */
	EXPECT_EQ(0, rep.ppid);
	EXPECT_EQ(rep.ppid, E(0)->task.ns_ppid);
	EXPECT_EQ(getpid(), E(0)->task.ppid);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(E(0)->task.tgid, X(0)->task.tgid);
	EXPECT_EQ(E(0)->task.tid, X(0)->task.tid);
}

static int set_nodename(void *name)
{
	return sethostname(name, strlen(name));
}

TEST_F(dev, nodename_is_the_callers_uts_namespace_one)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=1", NULL };
	char name[] = "rmt-uts-namespace-of-the-client";
	struct client_report rep;

	if (access("/proc/self/ns/uts", F_OK))
		SKIP(return, "this kernel has no UTS namespaces (CONFIG_UTS_NS)");
	ASSERT_STRNE(name, own_nodename());
	ASSERT_EQ(1, run_client_in(argv, &rep, set_nodename, name, CLONE_NEWUTS));
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_STREQ(name, E(0)->task.nodename);
	/* Padded with NULs to the end. */
	EXPECT_EQ(0, E(0)->task.nodename[RMT_NODENAME_LEN - 1]);
	/* The test's own namespace kept its name. */
	EXPECT_STRNE(name, own_nodename());
}

TEST_F(dev, child_cgroup_id_is_its_directory_inode)
{
	char *argv[] = { "rmt_client32", "recv", "vlen=1", NULL };
	char dir[] = "/sys/fs/cgroup/rmt-selftest";
	struct client_report rep;
	struct stat st;
	int n;

	if (mkdir(dir, 0755) && errno != EEXIST)
		SKIP(return, "no cgroup v2 hierarchy at /sys/fs/cgroup: %s", strerror(errno));
	ASSERT_EQ(0, stat(dir, &st));
	n = run_client_in(argv, &rep, join_cgroup, dir, 0);
	rmdir(dir);
	ASSERT_EQ(1, n);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_EQ(st.st_ino, E(0)->task.cgroup_id);
	EXPECT_NE(own_cgroup_id(), E(0)->task.cgroup_id);
	/* The exit has no cgroup of its own: it pairs with that enter. */
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(E(0)->task.tid, X(0)->task.tid);
}

/*
 * The caller's address buffer is smaller than the address: the kernel
 * writes what fits and sets msg_namelen to the whole length. The record
 * holds what the kernel wrote and not one byte of the caller's memory past
 * it (the client fills the buffer with 0xaa first).
 */
TEST_F(dev, exit_reads_no_more_of_an_address_than_the_caller_had_room_for)
{
	char *argv[] = { "rmt_client32", "recv", "namelen=8", NULL };
	struct client_report rep;
	struct sockaddr_in sin;
	unsigned int i;

	RUN_ONE_CALL(argv, rep, 1);
	EXPECT_EQ(8, E(0)->msgs[0].namelen);
	EXPECT_EQ(sizeof(sin), X(0)->msgs[0].namelen);
	EXPECT_EQ(8, X(0)->msgs[0].name_bytes);
	memcpy(&sin, X(0)->msgs[0].name, 8);
	EXPECT_EQ(AF_INET, sin.sin_family);
	EXPECT_EQ(rep.port, ntohs(sin.sin_port));
	for (i = 8; i < RMT_NAME_BYTES; i++)
		EXPECT_EQ(0, X(0)->msgs[0].name[i]) TH_LOG("byte %u", i);
}

/* Without its enter, the exit cannot know the room: it reads no address. */
TEST_F(dev, exit_without_its_enter_reads_no_address)
{
	char *argv[] = { "rmt_client32", "serve", "40777", "1", NULL };
	unsigned int i;
	pid_t server;
	bool in_call;

	REQUIRE_HOOK(RMT_HOOK_TRACEPOINT,
		     "the entry hook sees nothing of a call that started before it was armed");
	/* The server's call starts while capture is off and ends once it is on. */
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	server = spawn_client(argv);
	ASSERT_LT(0, server);
	in_call = !wait_in_syscall(server, RMT_NR_IA32_RECVMMSG_TIME32);
	EXPECT_TRUE(in_call) TH_LOG("the server never reached its call");
	EXPECT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
	EXPECT_EQ(0, ping_port(40777));
	/* Whatever went wrong, the server does not outlive the test. */
	if (!in_call)
		kill(server, SIGKILL);
	ASSERT_EQ(server, waitpid(server, NULL, 0));
	ASSERT_TRUE(in_call);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(0, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	ASSERT_EQ(1, X(0)->call.ret);
	EXPECT_EQ(sizeof(struct sockaddr_in), X(0)->msgs[0].namelen);
	EXPECT_EQ(4, X(0)->msgs[0].len);
	EXPECT_EQ(0, X(0)->msgs[0].name_bytes);
	for (i = 0; i < RMT_NAME_BYTES; i++)
		EXPECT_EQ(0, X(0)->msgs[0].name[i]) TH_LOG("byte %u", i);
}

/*
 * A call that seccomp denies with RET_ERRNO never reaches sys_enter, but
 * sys_exit still fires: an exit record alone, with the error.
 */
TEST_F(dev, call_denied_by_seccomp_has_an_exit_record_only)
{
	char *argv[] = { "rmt_client32", "recv", "seccomp=errno", NULL };
	struct client_report rep;

	REQUIRE_HOOK(RMT_HOOK_TRACEPOINT,
		     "a call seccomp denies never reaches the function the entry hook probes");

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(-1, rep.ret);
	ASSERT_EQ(EPERM, rep.err);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(rep.pid, X(0)->task.tgid);
	EXPECT_EQ(-EPERM, X(0)->call.ret);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, X(0)->call.syscall_nr);
	EXPECT_EQ(0, X(0)->call.nr_msgs);
}

/* Declared last so that it runs last: its tests reload the module. */
FIXTURE(reload) {
};

FIXTURE_SETUP(reload)
{
}

/* Whatever a test did, the next suites find the module as loaded by default. */
FIXTURE_TEARDOWN(reload)
{
	restore_module();
}

/* Calls flood a tiny buffer that nobody drains. */
TEST_F(reload, tiny_buffer_flood_lost_counts_add_up)
{
	char *argv[] = { "rmt_client32", "recv", "flags=0x40", "queued=0",
			 "calls=3000", NULL };
	struct client_report rep;
	unsigned long long seen;
	struct records r1;
	int fd;

	ASSERT_EQ(0, reload_module("buffer_size=8192"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(EAGAIN, rep.err);
	/* Drain, then disable (which reports drops still pending), drain. */
	ASSERT_EQ(0, drain(fd, &rec));
	r1 = rec;
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, drain(fd, &rec));
	close(fd);

	seen = r1.n_enter + r1.n_exit + r1.lost_count +
	       rec.n_enter + rec.n_exit + rec.lost_count;
	EXPECT_EQ(2 * 3000ULL, seen);
	EXPECT_LT(0, r1.n_lost + rec.n_lost);
	EXPECT_EQ(0, r1.n_other + rec.n_other);
	EXPECT_EQ(0, reload_module(""));
}

/*
 * Drops pending on a CPU get their LOST record just before the next record
 * that fits there, with that record's time: each CPU's records, in the
 * order read, are in time order.
 */
TEST_F(reload, lost_records_keep_each_cpus_records_in_time_order)
{
	char *argv[] = { "rmt_client32", "recv", "flags=0x40", "queued=0",
			 "calls=3000", NULL };
	static char buf[1 << 16] __attribute__((aligned(8)));
	unsigned long long last[64] = { 0 };
	struct client_report rep;
	int fd, lost_then_more = 0, disorder = 0, lost_cpu = -1;
	enum rmt_step step;
	cpu_set_t one;
	size_t off;
	ssize_t n;

	ASSERT_EQ(0, reload_module("buffer_size=8192"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	/* One CPU: the second flood writes where the first left drops. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, run_client(argv, &rep));
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_DISABLE, 0));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const struct rmt_record_header *h;

		for (off = 0; (step = rmt_step(buf, n, off, &h)) == RMT_STEP_RECORD; ) {
			ASSERT_LT(h->cpu, 64);
			if (h->time_ns < last[h->cpu])
				disorder++;
			last[h->cpu] = h->time_ns;
			if (h->type != RMT_REC_LOST && (int)h->cpu == lost_cpu)
				lost_then_more++;
			lost_cpu = h->type == RMT_REC_LOST ? (int)h->cpu : -1;
			off += h->size;
		}
		ASSERT_EQ(RMT_STEP_END, step);
	}
	close(fd);
	/* A LOST record with a record after it on its CPU: the case at stake. */
	EXPECT_LT(0, lost_then_more);
	EXPECT_EQ(0, disorder);
	EXPECT_EQ(0, reload_module(""));
}

TEST_HARNESS_MAIN
