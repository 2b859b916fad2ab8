// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions: every open file of the device captures for itself. Its filter,
 * config, buffers and counters are its own, two of them never split a
 * stream or see each other's settings, closing the file (SIGKILL too) ends
 * it, at most max_sessions have buffers at once, and the boot session of
 * enable=1 is taken over with RMT_IOC_ADOPT_BOOT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

/* Calls each client makes, one after the other, one message each. */
#define CALLS		3
#define STATE_BITS	(RMT_INFO_ENABLED | RMT_INFO_ATTACHED | RMT_INFO_BOOT)

/* What the sessions of a test drained; too large for the stack. */
static struct records got[2];

static int set_tgid_filter(int fd, pid_t pid)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_TGIDS,
				.nr_tgids = 1, .tgids = { (__u32)pid } };

	return ioctl(fd, RMT_IOC_SET_FILTER, &f);
}

static int set_uid_filter(int fd, __u32 uid)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_UID, .uid = uid };

	return ioctl(fd, RMT_IOC_SET_FILTER, &f);
}

static int get_config(int fd, struct rmt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return ioctl(fd, RMT_IOC_GET_CONFIG, c);
}

static int get_info(int fd, struct rmt_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, RMT_IOC_GET_INFO, info);
}

static unsigned int nr_sessions(int fd)
{
	unsigned int total = 0;

	return get_sessions(fd, NULL, 0, &total) ? ~0U : total;
}

/*
 * @r holds exactly @calls calls of the one thread of process @pid and
 * nothing else: in time order, each enter is followed by its own exit.
 */
static void expect_calls_of(struct __test_metadata *_metadata,
			    const struct records *r, pid_t pid, int calls)
{
	const struct rmt_record_header *order[2 * MAX_KEPT];
	int n = 0, i, j;

	ASSERT_EQ(calls, r->n_enter);
	ASSERT_EQ(calls, r->n_exit);
	ASSERT_GE(MAX_KEPT, calls);
	EXPECT_EQ(0, r->n_lost + r->n_other);
	/* Enters first, so that a tie in time keeps the enter ahead. */
	for (i = 0; i < calls; i++)
		order[n++] = &r->enter[i].r.hdr;
	for (i = 0; i < calls; i++)
		order[n++] = &r->exit[i].r.hdr;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && order[j - 1]->time_ns > order[j]->time_ns; j--) {
			const struct rmt_record_header *t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (i = 0; i < n; i += 2) {
		const struct rmt_enter_record *e = (const void *)order[i];
		const struct rmt_exit_record *x = (const void *)order[i + 1];

		ASSERT_EQ(RMT_REC_ENTER, e->hdr.type) TH_LOG("record %d", i);
		ASSERT_EQ(RMT_REC_EXIT, x->hdr.type) TH_LOG("record %d", i + 1);
		EXPECT_EQ(pid, e->task.tgid);
		EXPECT_EQ(pid, x->task.tgid);
		EXPECT_EQ(e->task.tid, x->task.tid);
		EXPECT_EQ(e->call.args[RMT_ARG_MMSG], x->call.args[RMT_ARG_MMSG]);
		EXPECT_EQ(1, x->call.ret);
	}
}

/*
 * A child that opens the device, enables its session and waits to be
 * killed; its pid once its session is enabled, or -1.
 */
static pid_t start_session_child(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd;

		/* Should the test die first, so does this child (and its session). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
			_exit(1);
		close(ready[0]);
		fd = open(RMT_DEVICE_PATH, O_RDONLY);
		if (fd < 0 || ioctl(fd, RMT_IOC_ENABLE, 0) || write(ready[1], "s", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/* SIGKILL gives it no say: the kernel closes its files as it dies. */
static int kill_and_reap(pid_t pid)
{
	return kill(pid, SIGKILL) || waitpid(pid, NULL, 0) != pid ? -1 : 0;
}

/* Two sessions of this process, neither enabled yet. */
FIXTURE(two) {
	int fd[2];
};

FIXTURE_SETUP(two)
{
	self->fd[0] = open_session(0);
	self->fd[1] = open_session(0);
	ASSERT_LE(0, self->fd[0]);
	ASSERT_LE(0, self->fd[1]);
}

FIXTURE_TEARDOWN(two)
{
	close(self->fd[0]);
	if (self->fd[1] >= 0)
		close(self->fd[1]);
}

TEST_F(two, sessions_with_tgid_filters_each_get_only_their_process_calls_paired)
{
	char *argv[] = { "rmt_client32", "recv", "calls=3", NULL };
	struct client_report reps[MAX_REPORTS];
	int *fd = self->fd, i;
	struct client c[2];
	struct gate g;

	/* Both clients exist before either calls: each session filters on one. */
	ASSERT_EQ(0, gate_make(&g));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, client_start(&c[i], argv, gate_wait, &g, 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, set_tgid_filter(fd[i], c[i].pid));
		ASSERT_EQ(0, ioctl(fd[i], RMT_IOC_ENABLE, 0));
	}
	gate_open(&g);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(1, client_wait(&c[i], reps));
		ASSERT_EQ(c[i].pid, reps[0].pid);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, drain(fd[i], &got[i]));
		expect_calls_of(_metadata, &got[i], c[i].pid, CALLS);
	}
}

TEST_F(two, sessions_without_filters_each_get_every_call)
{
	char *argv[] = { "rmt_client32", "recv", "calls=3", NULL };
	struct client_report rep;
	int i;

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, ioctl(self->fd[i], RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, drain(self->fd[i], &got[i]));
		expect_calls_of(_metadata, &got[i], rep.pid, CALLS);
	}
}

/* Only sessions enabled when a call is made get it, never one enabled later. */
TEST_F(two, a_session_gets_only_the_calls_made_while_it_is_enabled)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_cpu_stats t, zero = { 0 };
	int on = self->fd[0], off = self->fd[1];
	struct client_report rep;

	ASSERT_EQ(0, ioctl(on, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(off, &got[1]));
	EXPECT_EQ(0, got[1].n_enter + got[1].n_exit + got[1].n_lost + got[1].n_other);
	ASSERT_EQ(0, get_total(off, &t));
	EXPECT_EQ(0, memcmp(&zero, &t, sizeof(t)));
	ASSERT_EQ(0, ioctl(off, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, drain(off, &got[1]));
	EXPECT_EQ(0, got[1].n_enter + got[1].n_exit + got[1].n_lost + got[1].n_other);
	ASSERT_EQ(0, drain(on, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);
}

TEST_F(two, filter_and_config_belong_to_their_session)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 3,
				.flags = RMT_CONFIG_NO_EXIT, .wakeup_bytes = 4096 };
	struct rmt_filter f = { .size = sizeof(f) };
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct client_report rep;
	int a = self->fd[0], b = self->fd[1];
	struct rmt_config other;

	ASSERT_EQ(0, set_uid_filter(a, 4242));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_GET_FILTER, &f));
	EXPECT_EQ(0, f.flags);
	ASSERT_EQ(0, get_config(b, &other));
	EXPECT_EQ(8, other.snaplen);
	EXPECT_EQ(0, other.flags);
	EXPECT_EQ(0, other.wakeup_bytes);

	/* Each session keeps the calls its own filter keeps. */
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(a, &got[0]));
	EXPECT_EQ(0, got[0].n_enter + got[0].n_exit);
	ASSERT_EQ(0, drain(b, &got[1]));
	expect_calls_of(_metadata, &got[1], rep.pid, 1);
}

/* A descriptor dup()ed or inherited is the same file: the same session. */
TEST(a_duplicated_descriptor_is_the_same_session_until_its_last_copy_closes)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_session_info before, after;
	struct client_report rep;
	int a = open_session(1), copy;
	unsigned int total;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, find_session(a, RMT_SESSION_SELF, -1, &before));
	total = nr_sessions(a);
	copy = dup(a);
	ASSERT_LE(0, copy);
	close(a);
	EXPECT_EQ(total, nr_sessions(copy));
	ASSERT_EQ(0, find_session(copy, RMT_SESSION_SELF, -1, &after));
	EXPECT_EQ(before.id, after.id);
	EXPECT_TRUE(after.flags & RMT_SESSION_ENABLED);
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(copy, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);
	close(copy);
}

TEST(session_of_a_killed_process_leaves_the_list)
{
	int fd = open_session(0);
	unsigned int before;
	pid_t child;

	ASSERT_LE(0, fd);
	before = nr_sessions(fd);
	ASSERT_NE(~0U, before);
	child = start_session_child();
	ASSERT_LT(0, child);
	EXPECT_EQ(before + 1, nr_sessions(fd));
	EXPECT_EQ(0, find_session(fd, RMT_SESSION_ENABLED, child, NULL));
	ASSERT_EQ(0, kill_and_reap(child));
	EXPECT_EQ(before, nr_sessions(fd));
	EXPECT_EQ(-1, find_session(fd, 0, child, NULL));
	close(fd);
}

/* A call both sessions took stays with the living one, counted once. */
TEST(killed_session_leaves_the_other_capturing_with_its_counts)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_cpu_stats before, after;
	struct client_report rep;
	int fd = open_session(1);
	pid_t child;

	ASSERT_LE(0, fd);
	child = start_session_child();
	ASSERT_LT(0, child);
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(fd, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);
	ASSERT_EQ(0, get_total(fd, &before));
	ASSERT_EQ(0, kill_and_reap(child));
	ASSERT_EQ(0, get_total(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_ATTACHED, info_flags(fd) & STATE_BITS);

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(fd, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);
	ASSERT_EQ(0, get_total(fd, &after));
	EXPECT_EQ(2, after.enter.written);
	EXPECT_EQ(2, after.exit.written);
	close(fd);
}

TEST(killing_the_only_enabled_session_detaches_the_probes)
{
	int fd = open_session(0);
	pid_t child;

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, info_flags(fd) & STATE_BITS);
	child = start_session_child();
	ASSERT_LT(0, child);
	EXPECT_EQ(RMT_INFO_ATTACHED, info_flags(fd) & STATE_BITS);
	ASSERT_EQ(0, kill_and_reap(child));
	EXPECT_EQ(0, info_flags(fd) & STATE_BITS);
	close(fd);
}

TEST_F(two, each_session_counts_seen_as_filtered_plus_written_plus_dropped)
{
	char *argv[] = { "rmt_client32", "recv", "calls=5", NULL };
	int keep = self->fd[0], skip = self->fd[1];
	struct rmt_cpu_stats keep_t, skip_t;
	struct client_report rep;

	ASSERT_EQ(0, ioctl(keep, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, set_uid_filter(skip, 4242));	/* not the client's */
	ASSERT_EQ(0, ioctl(skip, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, get_total(keep, &keep_t));
	ASSERT_EQ(0, get_total(skip, &skip_t));

	expect_counts_add_up(_metadata, &keep_t);
	EXPECT_EQ(5, keep_t.enter.seen);
	EXPECT_EQ(0, keep_t.enter.filtered);
	EXPECT_EQ(5, keep_t.enter.written);
	EXPECT_EQ(5, keep_t.exit.seen);
	EXPECT_EQ(0, keep_t.exit.filtered);
	EXPECT_EQ(5, keep_t.exit.written);

	expect_counts_add_up(_metadata, &skip_t);
	EXPECT_EQ(5, skip_t.enter.seen);
	EXPECT_EQ(5, skip_t.enter.filtered);
	EXPECT_EQ(0, skip_t.enter.written + skip_t.enter.dropped);
	EXPECT_EQ(5, skip_t.exit.seen);
	EXPECT_EQ(5, skip_t.exit.filtered);
	EXPECT_EQ(0, skip_t.exit.written + skip_t.exit.dropped);

	ASSERT_EQ(0, drain(skip, &got[1]));
	EXPECT_EQ(0, got[1].n_enter + got[1].n_exit + got[1].n_lost);
	ASSERT_EQ(0, drain(keep, &got[0]));
	EXPECT_EQ(5, got[0].n_enter);
	EXPECT_EQ(5, got[0].n_exit);
}

TEST_F(two, reset_empties_and_zeroes_only_the_callers_session)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_cpu_stats t, zero = { 0 };
	int a = self->fd[0], b = self->fd[1];
	struct client_report rep;

	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, get_total(a, &t));
	EXPECT_EQ(0, memcmp(&zero, &t, sizeof(t)));
	ASSERT_EQ(0, drain(a, &got[0]));
	EXPECT_EQ(0, got[0].n_enter + got[0].n_exit + got[0].n_lost);

	ASSERT_EQ(0, get_total(b, &t));
	EXPECT_EQ(1, t.enter.written);
	EXPECT_EQ(1, t.exit.written);
	ASSERT_EQ(0, drain(b, &got[1]));
	expect_calls_of(_metadata, &got[1], rep.pid, 1);
}

TEST(enable_and_disable_take_zero_only)
{
	unsigned long bad[] = { 1, 2, 1UL << 31, ~0UL };
	int fd = open_session(0);
	unsigned int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(fd, RMT_IOC_ENABLE, bad[i]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, info_flags(fd) & RMT_INFO_ENABLED) TH_LOG("argument %#lx", bad[i]);
	}
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(fd, RMT_IOC_DISABLE, bad[i]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_TRUE(info_flags(fd) & RMT_INFO_ENABLED) TH_LOG("argument %#lx", bad[i]);
	}
	close(fd);
}

/* ENABLED is the caller's own session; ATTACHED is anyone's. */
TEST_F(two, info_flags_follow_enable_disable_and_close)
{
	int a = self->fd[0], b = self->fd[1];

	EXPECT_EQ(0, info_flags(a) & STATE_BITS);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, 0));
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_ATTACHED, info_flags(a) & STATE_BITS);
	EXPECT_EQ(RMT_INFO_ATTACHED, info_flags(b) & STATE_BITS);
	ASSERT_EQ(0, ioctl(b, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_DISABLE, 0));
	EXPECT_EQ(RMT_INFO_ATTACHED, info_flags(a) & STATE_BITS);
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_ATTACHED, info_flags(b) & STATE_BITS);
	close(b);
	self->fd[1] = -1;
	EXPECT_EQ(0, info_flags(a) & STATE_BITS);
}

TEST(enabling_twice_is_one_enable)
{
	struct rmt_session_info s;
	int fd = open_session(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(RMT_SESSION_SELF | RMT_SESSION_ENABLED, s.flags);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_DISABLE, 0));
	EXPECT_EQ(0, info_flags(fd) & STATE_BITS);
	close(fd);
}

TEST(idle_session_buffer_size_shows_in_info_and_config)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 8, .buffer_bytes = 16384 };
	struct rmt_session_info s;
	struct rmt_info info;
	int fd = open_session(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(16384, info.buffer_bytes);
	ASSERT_EQ(0, get_config(fd, &c));
	EXPECT_EQ(16384, c.buffer_bytes);
	/* 0 keeps the size it has. */
	c.buffer_bytes = 0;
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, get_config(fd, &c));
	EXPECT_EQ(16384, c.buffer_bytes);
	/* No buffers until the first enable, then buffers of that size. */
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(0, s.buffer_bytes);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(16384, s.buffer_bytes);
	close(fd);
}

/* Records go to buffers of the size set: a small one drops, a large one not. */
TEST_F(two, records_go_to_buffers_of_the_size_the_session_set)
{
	char *argv[] = { "rmt_client32", "recv", "flags=0x40", "queued=0",
			 "calls=300", NULL };
	int small = self->fd[0], large = self->fd[1];
	struct rmt_cpu_stats small_t, large_t;
	struct client_report rep;

	ASSERT_EQ(0, ioctl(large, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, set_buffer_bytes(small, RMT_BUFFER_MIN_BYTES));
	ASSERT_EQ(0, ioctl(small, RMT_IOC_ENABLE, 0));
	/* About 120 KB of records: more than 8 KiB, far less than 256 KiB. */
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, get_total(small, &small_t));
	ASSERT_EQ(0, get_total(large, &large_t));
	expect_counts_add_up(_metadata, &small_t);
	expect_counts_add_up(_metadata, &large_t);
	EXPECT_LT(0, small_t.enter.dropped + small_t.exit.dropped);
	EXPECT_EQ(0, large_t.enter.dropped + large_t.exit.dropped);
	EXPECT_EQ(300, large_t.enter.written);
	EXPECT_EQ(300, small_t.enter.seen);
}

TEST(resizing_empties_the_session_buffers)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct pollfd pfd = { .events = POLLIN };
	struct client_report rep;
	int fd = open_session(1);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_DISABLE, 0));
	pfd.fd = fd;
	ASSERT_EQ(1, poll(&pfd, 1, 10000));	/* the call is queued */
	ASSERT_EQ(0, set_buffer_bytes(fd, 16384));
	ASSERT_EQ(0, drain(fd, &got[0]));
	EXPECT_EQ(0, got[0].n_enter + got[0].n_exit + got[0].n_lost);
	/* And the new buffers take records. */
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(fd, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);
	close(fd);
}

TEST(resizing_an_enabled_session_is_ebusy_and_changes_nothing)
{
	struct rmt_config before, c, after;
	int fd = open_session(1);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_config(fd, &before));
	c = before;
	c.buffer_bytes = before.buffer_bytes * 2;
	c.snaplen = 3;
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, get_config(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	/* The size it has is no change: the config read back can be set again. */
	c.buffer_bytes = before.buffer_bytes;
	EXPECT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, get_config(fd, &after));
	EXPECT_EQ(3, after.snaplen);
	close(fd);
}

TEST(buffer_sizes_off_a_power_of_two_or_out_of_range_are_einval)
{
	__u32 bad[] = { 4096, RMT_BUFFER_MIN_BYTES - 1, 12288, 3 << 20,
			RMT_BUFFER_MAX_BYTES * 2, 1U << 31, ~0U };
	struct rmt_config before, c, after;
	int fd = open_session(0);
	unsigned int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_config(fd, &before));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = before;
		c.buffer_bytes = bad[i];
		EXPECT_EQ(-1, ioctl(fd, RMT_IOC_SET_CONFIG, &c)) TH_LOG("%u bytes", bad[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	/* The wake-up threshold must fit the new size. */
	c = before;
	c.buffer_bytes = RMT_BUFFER_MIN_BYTES;
	c.wakeup_bytes = 2 * RMT_BUFFER_MIN_BYTES;
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, get_config(fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));

	/* Both bounds are fine: nothing is allocated before an enable. */
	c = before;
	c.buffer_bytes = RMT_BUFFER_MAX_BYTES;
	EXPECT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	c.buffer_bytes = RMT_BUFFER_MIN_BYTES;
	EXPECT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, get_config(fd, &after));
	EXPECT_EQ(RMT_BUFFER_MIN_BYTES, after.buffer_bytes);
	close(fd);
}

/* A caller built before ABI 5 passes 16 bytes: the size is kept. */
TEST(config_of_the_first_size_is_still_accepted)
{
	struct {
		__u32 size, flags, snaplen, wakeup_bytes;
		__u32 beyond[2];
	} old = { .size = 16, .snaplen = 5 };
	struct rmt_config c;
	int fd = open_session(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_buffer_bytes(fd, 16384));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &old));
	ASSERT_EQ(0, get_config(fd, &c));
	EXPECT_EQ(5, c.snaplen);
	EXPECT_EQ(16384, c.buffer_bytes);
	/* Read back the same way, it gets 16 bytes and no more. */
	memset(&old, 0xff, sizeof(old));
	old.size = 16;
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_CONFIG, &old));
	EXPECT_EQ(16, old.size);
	EXPECT_EQ(5, old.snaplen);
	EXPECT_EQ(~0U, old.beyond[0]);
	EXPECT_EQ(~0U, old.beyond[1]);
	close(fd);
}

TEST(sessions_list_the_callers_own_with_its_owner_filter_and_config)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_UID | RMT_FILTER_COMM,
				.uid = 7, .comm = "udpd" };
	struct rmt_config c = { .size = sizeof(c), .snaplen = 5,
				.flags = RMT_CONFIG_NO_EXIT, .wakeup_bytes = 4096 };
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_filter f_now = { .size = sizeof(f_now) };
	struct rmt_config c_now;
	struct rmt_cpu_stats t;
	struct rmt_session_info s;
	struct client_report rep;
	struct rmt_info info;
	char comm[RMT_COMM_LEN];
	int fd = open_session(0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_FILTER, &f));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_FILTER, &f_now));
	ASSERT_EQ(0, get_config(fd, &c_now));
	ASSERT_EQ(0, get_info(fd, &info));
	own_comm(comm);

	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(getpid(), s.owner_tgid);
	EXPECT_STREQ(comm, s.owner_comm);
	EXPECT_EQ(RMT_SESSION_SELF, s.flags);
	EXPECT_EQ(0, s.buffer_bytes);		/* no buffers yet */
	/* What GET_FILTER and GET_CONFIG say, but for their size fields. */
	s.filter.size = f_now.size;
	s.config.size = c_now.size;
	EXPECT_EQ(0, memcmp(&f_now, &s.filter, sizeof(f_now)));
	EXPECT_EQ(0, memcmp(&c_now, &s.config, sizeof(c_now)));

	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(RMT_SESSION_SELF | RMT_SESSION_ENABLED, s.flags);
	EXPECT_EQ(info.buffer_bytes, s.buffer_bytes);
	ASSERT_EQ(0, get_total(fd, &t));
	EXPECT_EQ(1, t.enter.seen);
	EXPECT_EQ(0, memcmp(&t, &s.total, sizeof(t)));
	close(fd);
}

TEST(sessions_are_listed_oldest_first)
{
	static struct rmt_session_info s[MAX_LISTED];
	int a = open_session(0), b, n, i, at_a = -1, at_child = -1, at_b = -1;
	unsigned int total;
	pid_t child;

	ASSERT_LE(0, a);
	child = start_session_child();
	ASSERT_LT(0, child);
	b = open_session(0);
	ASSERT_LE(0, b);
	n = get_sessions(a, s, MAX_LISTED, &total);
	ASSERT_EQ(0, kill_and_reap(child));
	ASSERT_LE(3, n);
	EXPECT_EQ(n, total);
	for (i = 0; i < n; i++) {
		if (s[i].flags & RMT_SESSION_SELF)
			at_a = i;
		else if (s[i].owner_tgid == (__u32)child)
			at_child = i;
		else if (s[i].owner_tgid == (__u32)getpid())
			at_b = i;
		if (i)
			EXPECT_NE(s[i - 1].id, s[i].id);
	}
	ASSERT_LE(0, at_a);
	ASSERT_LT(at_a, at_child);
	ASSERT_LT(at_child, at_b);
	EXPECT_EQ(RMT_SESSION_ENABLED, s[at_child].flags);
	EXPECT_EQ(0, s[at_b].flags);
	close(a);
	close(b);
}

TEST(sessions_entries_smaller_than_the_first_version_are_einval)
{
	static struct rmt_session_info s[4];
	struct rmt_sessions q = { .size = sizeof(q), .nr_sessions = 4,
				  .sessions = (unsigned long)s };
	__u32 sizes[] = { 0, 8, RMT_SESSION_INFO_SIZE_VER0 - 8 };
	int fd = open_session(0);
	unsigned int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		q.nr_sessions = 4;
		q.session_size = sizes[i];
		EXPECT_EQ(-1, ioctl(fd, RMT_IOC_GET_SESSIONS, &q)) TH_LOG("%u bytes", sizes[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	close(fd);
}

TEST(sessions_with_no_room_fill_the_total_only)
{
	struct rmt_sessions q = { .size = sizeof(q), .session_size = 3 };
	struct rmt_info info;
	int fd = open_session(0), other;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_SESSIONS, &q));
	EXPECT_EQ(sizeof(q), q.size);
	EXPECT_EQ(0, q.nr_sessions);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_LE(1, q.total);
	EXPECT_EQ(info.nr_sessions, q.total);
	other = open_session(0);
	ASSERT_LE(0, other);
	EXPECT_EQ(info.nr_sessions + 1, nr_sessions(fd));
	close(other);
	EXPECT_EQ(info.nr_sessions, nr_sessions(fd));
	close(fd);
}

TEST(sessions_beyond_the_room_are_counted_not_filled)
{
	static struct rmt_session_info s[2];
	int fd[3], i;
	unsigned int total;

	for (i = 0; i < 3; i++) {
		fd[i] = open_session(0);
		ASSERT_LE(0, fd[i]);
	}
	memset(s, 0xff, sizeof(s));
	ASSERT_EQ(1, get_sessions(fd[0], s, 1, &total));
	EXPECT_LE(3, total);
	EXPECT_EQ(RMT_SESSION_SELF, s[0].flags);	/* the oldest of the three */
	EXPECT_EQ(~0U, s[1].id);			/* past the room: untouched */
	for (i = 0; i < 3; i++)
		close(fd[i]);
}

TEST(session_entries_of_a_newer_size_are_zero_past_what_the_module_knows)
{
	/* A newer caller's entry: ours, then fields we do not know. */
	static struct newer {
		struct rmt_session_info known;
		__u64 unknown[3];
	} s[MAX_LISTED];
	struct rmt_sessions q = { .size = sizeof(q), .nr_sessions = MAX_LISTED,
				  .sessions = (unsigned long)s,
				  .session_size = sizeof(s[0]) };
	int fd = open_session(0);
	unsigned int i;

	ASSERT_LE(0, fd);
	memset(s, 0xff, sizeof(s));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_SESSIONS, &q));
	EXPECT_EQ(sizeof(struct rmt_session_info), q.session_size);
	ASSERT_LE(1, q.nr_sessions);
	ASSERT_GT(MAX_LISTED, q.nr_sessions);
	for (i = 0; i < q.nr_sessions; i++)
		EXPECT_EQ(0, s[i].unknown[0] | s[i].unknown[1] | s[i].unknown[2]);
	EXPECT_EQ(1, !!(s[q.nr_sessions - 1].known.flags & RMT_SESSION_SELF));
	EXPECT_EQ(~0U, s[q.nr_sessions].known.id);	/* not filled: left alone */
	close(fd);
}

TEST(adopting_without_a_boot_session_is_enoent)
{
	int fd = open_session(0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, info_flags(fd) & RMT_INFO_BOOT);
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
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

/* Two sessions with buffers, the cap of max_sessions=2 reached; 0 or -1. */
static int fill_two_sessions(int fd[2])
{
	if (reload_module("max_sessions=2"))
		return -1;
	fd[0] = open_session(1);
	fd[1] = open_session(1);
	return fd[0] < 0 || fd[1] < 0 ? -1 : 0;
}

TEST_F(reload, enable_beyond_max_sessions_is_ebusy)
{
	struct rmt_info info;
	int fd[2], third;

	ASSERT_EQ(0, fill_two_sessions(fd));
	third = open_session(0);
	ASSERT_LE(0, third);
	EXPECT_EQ(-1, ioctl(third, RMT_IOC_ENABLE, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(RMT_INFO_ATTACHED, info_flags(third) & STATE_BITS);
	ASSERT_EQ(0, get_info(third, &info));
	EXPECT_EQ(2, info.max_sessions);
	EXPECT_EQ(3, info.nr_sessions);
}

/* Opening for a look (--status) is always possible. */
TEST_F(reload, sessions_never_enabled_do_not_count_against_the_cap)
{
	int fd[2], more[4], i;
	unsigned int total;

	ASSERT_EQ(0, fill_two_sessions(fd));
	for (i = 0; i < 4; i++) {
		more[i] = open_session(0);
		ASSERT_LE(0, more[i]) TH_LOG("open %d: %s", i, strerror(errno));
	}
	EXPECT_EQ(0, get_sessions(more[3], NULL, 0, &total));
	EXPECT_EQ(6, total);
	EXPECT_EQ(RMT_INFO_ATTACHED, info_flags(more[3]) & STATE_BITS);
}

TEST_F(reload, closing_a_session_makes_room_for_another)
{
	int fd[2], third;

	ASSERT_EQ(0, fill_two_sessions(fd));
	third = open_session(0);
	ASSERT_LE(0, third);
	ASSERT_EQ(-1, ioctl(third, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(EBUSY, errno);
	close(fd[0]);
	EXPECT_EQ(0, ioctl(third, RMT_IOC_ENABLE, 0));
}

/* Disabled, a session keeps its buffers until it is closed: its place too. */
TEST_F(reload, a_disabled_session_keeps_its_place_under_the_cap)
{
	int fd[2], third;

	ASSERT_EQ(0, fill_two_sessions(fd));
	third = open_session(0);
	ASSERT_LE(0, third);
	ASSERT_EQ(0, ioctl(fd[0], RMT_IOC_DISABLE, 0));
	EXPECT_EQ(-1, ioctl(third, RMT_IOC_ENABLE, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, ioctl(fd[0], RMT_IOC_ENABLE, 0));
}

TEST_F(reload, max_sessions_cannot_change_after_load)
{
	struct rmt_info info;
	int fd;

	ASSERT_EQ(0, reload_module("max_sessions=2"));
	EXPECT_NE(0, write_file(PARAMS "max_sessions", "4"));
	fd = open_session(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(2, info.max_sessions);
	close(fd);
}

TEST_F(reload, enable_at_load_makes_a_boot_session_that_captures_before_any_reader)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_session_info boot;
	struct client_report rep;
	struct rmt_info info;
	int fd;

	ASSERT_EQ(0, reload_module("enable=1"));
	fd = open_session(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(RMT_INFO_BOOT | RMT_INFO_ATTACHED, info.flags & STATE_BITS);
	EXPECT_EQ(2, info.nr_sessions);		/* the boot session and this one */
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_BOOT, -1, &boot));
	EXPECT_EQ(RMT_SESSION_BOOT | RMT_SESSION_ENABLED, boot.flags);
	EXPECT_EQ(0, boot.owner_tgid);
	EXPECT_STREQ("", boot.owner_comm);
	EXPECT_EQ(0, boot.filter.flags);
	EXPECT_EQ(info.buffer_bytes, boot.buffer_bytes);

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_BOOT, -1, &boot));
	EXPECT_EQ(1, boot.total.enter.written);
	EXPECT_EQ(1, boot.total.exit.written);
	close(fd);
}

TEST_F(reload, adopting_the_boot_session_reads_calls_made_before_with_their_counts)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_session_info s;
	struct client_report rep;
	struct rmt_cpu_stats t;
	int fd;

	ASSERT_EQ(0, reload_module("enable=1"));
	ASSERT_EQ(0, run_client(argv, &rep));	/* before any reader */
	fd = open_session(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_ATTACHED, info_flags(fd) & STATE_BITS);
	ASSERT_EQ(0, get_total(fd, &t));
	EXPECT_EQ(1, t.enter.seen);
	EXPECT_EQ(1, t.enter.written);
	EXPECT_EQ(1, t.exit.seen);
	EXPECT_EQ(1, t.exit.written);
	ASSERT_EQ(0, drain(fd, &got[0]));
	expect_calls_of(_metadata, &got[0], rep.pid, 1);

	/* It is this file's session now, the only one. */
	EXPECT_EQ(1, nr_sessions(fd));
	ASSERT_EQ(0, find_session(fd, RMT_SESSION_SELF, -1, &s));
	EXPECT_EQ(RMT_SESSION_SELF | RMT_SESSION_ENABLED, s.flags);
	EXPECT_EQ(getpid(), s.owner_tgid);
	close(fd);
}

TEST_F(reload, adopting_replaces_the_callers_filter_and_config_with_the_boot_sessions)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 3,
				.flags = RMT_CONFIG_NO_EXIT };
	struct rmt_filter f = { .size = sizeof(f) };
	int fd;

	ASSERT_EQ(0, reload_module("enable=1"));
	fd = open_session(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_uid_filter(fd, 4242));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ADOPT_BOOT, 0));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_FILTER, &f));
	EXPECT_EQ(0, f.flags);
	ASSERT_EQ(0, get_config(fd, &c));
	EXPECT_EQ(8, c.snaplen);		/* the load-time parameter */
	EXPECT_EQ(0, c.flags);
	close(fd);
}

TEST_F(reload, boot_session_is_adopted_once)
{
	int a, b;

	ASSERT_EQ(0, reload_module("enable=1"));
	a = open_session(0);
	b = open_session(0);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_EQ(0, info_flags(b) & RMT_INFO_BOOT);
	EXPECT_EQ(-1, ioctl(b, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_EQ(ENOENT, errno);
	/* The adopter has buffers now too: either reason holds for it. */
	EXPECT_EQ(-1, ioctl(a, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_TRUE(errno == ENOENT || errno == EBUSY) TH_LOG("errno %d", errno);
	EXPECT_TRUE(info_flags(a) & RMT_INFO_ENABLED);
	close(a);
	close(b);
}

TEST_F(reload, adopting_into_a_session_that_was_enabled_is_ebusy)
{
	int a, b;

	ASSERT_EQ(0, reload_module("enable=1"));
	a = open_session(1);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_DISABLE, 0));
	EXPECT_EQ(-1, ioctl(a, RMT_IOC_ADOPT_BOOT, 0));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_TRUE(info_flags(a) & RMT_INFO_BOOT);
	/* The boot session is still there for a fresh one. */
	b = open_session(0);
	ASSERT_LE(0, b);
	EXPECT_EQ(0, ioctl(b, RMT_IOC_ADOPT_BOOT, 0));
	close(a);
	close(b);
}

TEST_F(reload, adopt_takes_zero_only)
{
	unsigned long bad[] = { 1, 2, ~0UL };
	unsigned int i;
	int fd;

	ASSERT_EQ(0, reload_module("enable=1"));
	fd = open_session(0);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(fd, RMT_IOC_ADOPT_BOOT, bad[i]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_TRUE(info_flags(fd) & RMT_INFO_BOOT) TH_LOG("argument %#lx", bad[i]);
	}
	close(fd);
}

TEST_HARNESS_MAIN
