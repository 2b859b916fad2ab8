// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane of a session: filters, config, stats, reset,
 * permissions; the module parameters and unload; and a clear errno for
 * every bad request with nothing changed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

static int set_filter(int fd, struct rmt_filter *f)
{
	f->size = sizeof(*f);
	return ioctl(fd, RMT_IOC_SET_FILTER, f);
}

static int get_stats(int fd, struct rmt_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, RMT_IOC_GET_STATS, st);
}

/* The stats with @n per-CPU entries of @each bytes at @cpus. */
static int get_stats_per_cpu(int fd, struct rmt_stats *st, void *cpus, __u32 n,
			     __u32 each)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->nr_cpus = n;
	st->cpus = (unsigned long)cpus;
	st->cpu_size = each;
	return ioctl(fd, RMT_IOC_GET_STATS, st);
}

/* Run the client once (up to two extra KEY=VALUE); enter records left? */
static int enters_after_client2(int fd, char *extra, char *extra2)
{
	char *argv[] = { "rmt_client32", "recv", extra, extra2, NULL };
	struct client_report rep;

	if (run_client(argv, &rep) || drain(fd, &rec))
		return -1;
	return rec.n_enter;
}

static int enters_after_client(int fd, char *extra)
{
	return enters_after_client2(fd, extra, NULL);
}

TEST_F(dev, filter_on_comm_uid_gid_keeps_matching_calls_only)
{
	struct rmt_filter f = { .flags = RMT_FILTER_COMM | RMT_FILTER_UID | RMT_FILTER_GID,
				.comm = "rmt_client32", .uid = 0, .gid = 0 };

	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(1, enters_after_client(self->fd, "vlen=1"));
	/* Exact match only (NUL-padded: bytes past the NUL must be zero). */
	strncpy(f.comm, "rmt_client", sizeof(f.comm));
	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(0, enters_after_client(self->fd, "vlen=1"));
	strcpy(f.comm, "rmt_client32");
	f.uid = 12345;			/* every field must match */
	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(0, enters_after_client(self->fd, "vlen=1"));
	f.uid = 0;
	f.gid = 54321;
	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(0, enters_after_client(self->fd, "vlen=1"));
}

TEST_F(dev, filter_on_fd_works_on_both_paths)
{
	char *argv[] = { "rmt_client32", "recv", "via=socketcall", "fd=7", NULL };
	struct rmt_filter f = { .flags = RMT_FILTER_FD, .fd = 7 };
	struct client_report rep;

	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(1, enters_after_client(self->fd, "fd=7"));
	EXPECT_EQ(1, rec.n_exit);
	EXPECT_EQ(0, enters_after_client(self->fd, "fd=6"));
	EXPECT_EQ(0, rec.n_exit);
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(RMT_VIA_SOCKETCALL, E(0)->call.via);
}

struct tgid_arg {
	int fd;
	int extra_pid;
};

/* In the client's child, before exec: filter on its own tgid. */
static int filter_on_self(void *arg)
{
	struct tgid_arg *a = arg;
	struct rmt_filter f = { .flags = RMT_FILTER_TGIDS, .nr_tgids = 3,
				.tgids = { 999999, (__u32)getpid(), (__u32)a->extra_pid } };

	return set_filter(a->fd, &f);
}

TEST_F(dev, filter_on_tgids_and_get_returns_them_sorted)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct tgid_arg a = { .fd = self->fd, .extra_pid = 1 };
	struct rmt_filter got = { .size = sizeof(got) };
	struct client_report rep;

	ASSERT_EQ(1, run_client_in(argv, &rep, filter_on_self, &a, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(rep.pid, E(0)->task.tgid);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &got));
	EXPECT_EQ(sizeof(got), got.size);
	EXPECT_EQ(RMT_FILTER_TGIDS, got.flags);
	ASSERT_EQ(3, got.nr_tgids);
	EXPECT_EQ(1, got.tgids[0]);
	EXPECT_EQ(rep.pid, got.tgids[1]);
	EXPECT_EQ(999999, got.tgids[2]);
	/* Another process of the same program is left out. */
	EXPECT_EQ(0, enters_after_client(self->fd, "vlen=1"));
}

TEST_F(dev, filter_on_cgroup_with_and_without_descendants)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	char dir[] = "/sys/fs/cgroup/rmt-filter";
	struct rmt_filter f = { .flags = RMT_FILTER_CGROUP };
	struct client_report rep;
	struct stat st, root;
	int kept[3];

	if (mkdir(dir, 0755) && errno != EEXIST)
		SKIP(return, "no cgroup v2 hierarchy at /sys/fs/cgroup: %s", strerror(errno));
	ASSERT_EQ(0, stat(dir, &st));
	ASSERT_EQ(0, stat("/sys/fs/cgroup", &root));

	f.cgroup_id = root.st_ino;		/* the parent only */
	ASSERT_EQ(0, set_filter(self->fd, &f));
	ASSERT_EQ(1, run_client_in(argv, &rep, join_cgroup, dir, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	kept[0] = rec.n_enter;
	f.flags |= RMT_FILTER_CGROUP_TREE;	/* the parent and below */
	ASSERT_EQ(0, set_filter(self->fd, &f));
	ASSERT_EQ(1, run_client_in(argv, &rep, join_cgroup, dir, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	kept[1] = rec.n_enter;
	f.flags = RMT_FILTER_CGROUP;		/* the child itself */
	f.cgroup_id = st.st_ino;
	ASSERT_EQ(0, set_filter(self->fd, &f));
	ASSERT_EQ(1, run_client_in(argv, &rep, join_cgroup, dir, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	kept[2] = rec.n_enter;
	rmdir(dir);
	EXPECT_EQ(0, kept[0]);
	EXPECT_EQ(1, kept[1]);
	EXPECT_EQ(1, kept[2]);
}

/* Each bad filter is refused with @err and the filter in force stays. */
#define EXPECT_FILTER_REFUSED(_fd, _f, _err) do {				\
	struct rmt_filter _before = { .size = sizeof(_before) };		\
	struct rmt_filter _after = { .size = sizeof(_after) };			\
	ASSERT_EQ(0, ioctl(_fd, RMT_IOC_GET_FILTER, &_before));			\
	EXPECT_EQ(-1, ioctl(_fd, RMT_IOC_SET_FILTER, _f));			\
	EXPECT_EQ(_err, errno);							\
	ASSERT_EQ(0, ioctl(_fd, RMT_IOC_GET_FILTER, &_after));			\
	EXPECT_EQ(0, memcmp(&_before, &_after, sizeof(_before)));		\
} while (0)

TEST_F(dev, bad_filters_are_refused_and_change_nothing)
{
	struct rmt_filter good = { .size = sizeof(good), .flags = RMT_FILTER_UID, .uid = 7 };
	struct rmt_filter f;
	struct {
		struct rmt_filter f;
		char tail[16];
	} big;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &good));

	f = good, f.flags = 1U << 20;
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags = RMT_FILTER_CGROUP_TREE;
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags = RMT_FILTER_TGIDS, f.nr_tgids = RMT_FILTER_MAX_TGIDS + 1;
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags = RMT_FILTER_TGIDS, f.nr_tgids = 0;
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags = RMT_FILTER_FD, f.fd = -1;
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags = RMT_FILTER_COMM;
	memset(f.comm, 'x', sizeof(f.comm));	/* no terminating NUL */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.gid = 5;			/* a field whose flag is unset */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags |= RMT_FILTER_TGIDS, f.nr_tgids = 2;
	f.tgids[0] = 1, f.tgids[1] = 2, f.tgids[2] = 3;	/* past nr_tgids */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.tgids[RMT_FILTER_MAX_TGIDS - 1] = 9;	/* no tgids at all */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.flags |= RMT_FILTER_COMM;
	strcpy(f.comm, "udpd");
	f.comm[10] = 'x';			/* past the terminating NUL */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.size = 8;			/* smaller than any version */
	EXPECT_FILTER_REFUSED(self->fd, &f, EINVAL);
	f = good, f.size = 1 << 20;		/* far larger than a page */
	EXPECT_FILTER_REFUSED(self->fd, &f, E2BIG);

	memset(&big, 0, sizeof(big));
	big.f = good;
	big.f.size = sizeof(big);
	big.tail[3] = 1;			/* a newer field we do not know */
	EXPECT_FILTER_REFUSED(self->fd, &big, E2BIG);
	EXPECT_FILTER_REFUSED(self->fd, NULL, EFAULT);
	EXPECT_FILTER_REFUSED(self->fd, (void *)8, EFAULT);

	big.tail[3] = 0;			/* newer but all zero: fine */
	big.f.uid = 8;
	EXPECT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &big));
	f.size = sizeof(f);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &f));
	EXPECT_EQ(8, f.uid);
}

TEST_F(dev, config_round_trip_and_bad_configs_change_nothing)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 5, .wakeup_bytes = 4096 };
	struct rmt_config got = { .size = sizeof(got) };
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_config bad, want;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_CONFIG, &got));
	/* buffer_bytes 0 kept the size the session has, which GET gives. */
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	want = c;
	want.buffer_bytes = info.buffer_bytes;
	EXPECT_EQ(0, memcmp(&want, &got, sizeof(want)));

	bad = c, bad.snaplen = 0;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = c, bad.snaplen = RMT_SNAPLEN_MAX + 1;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = c, bad.flags = 1U << 9;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = c, bad.wakeup_bytes = 1U << 30;	/* more than a buffer holds */
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = c, bad.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	bad = c, bad.size = 4;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, &bad));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_SET_CONFIG, NULL));
	EXPECT_EQ(EFAULT, errno);

	memset(&got, 0, sizeof(got));
	got.size = sizeof(got);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_CONFIG, &got));
	EXPECT_EQ(0, memcmp(&want, &got, sizeof(want)));
}

TEST_F(dev, config_snaplen_and_no_exit_shape_the_records)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 2,
				.flags = RMT_CONFIG_NO_EXIT };

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	EXPECT_EQ(1, enters_after_client2(self->fd, "vlen=6", "flags=0x40"));
	EXPECT_EQ(0, rec.n_exit);
	EXPECT_EQ(2, E(0)->call.nr_msgs);
	EXPECT_TRUE(E(0)->call.flags & RMT_CALL_TRUNCATED);
}

/* The snaplen parameter is where new sessions start; open ones keep theirs. */
TEST_F(dev, snaplen_parameter_sets_where_new_sessions_start)
{
	struct rmt_config fresh = { .size = sizeof(fresh) };
	struct rmt_config mine = { .size = sizeof(mine) };
	int fd, ok;

	ASSERT_EQ(0, write_file(PARAMS "snaplen", "5"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	ok = fd >= 0 && !ioctl(fd, RMT_IOC_GET_CONFIG, &fresh);
	ASSERT_EQ(0, write_file(PARAMS "snaplen", "8"));
	ASSERT_TRUE(ok);
	EXPECT_EQ(5, fresh.snaplen);
	close(fd);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_CONFIG, &mine));
	EXPECT_EQ(8, mine.snaplen);
}

/* Below the wake-up threshold a blocked reader is still woken, by the poller. */
TEST_F(dev, records_below_the_wakeup_threshold_still_reach_a_blocked_reader)
{
	struct rmt_info info = { .size = sizeof(info) };
	char *argv[] = { "rmt_client32", "recv", NULL };
	static struct blocked_read b;
	struct client_report rep;
	struct timespec deadline;
	struct rmt_config c;
	pthread_t th;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	c = (struct rmt_config){ .size = sizeof(c), .snaplen = 8,
				 .wakeup_bytes = info.buffer_bytes };
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	b.fd = self->fd;
	b.ret = -2;
	ASSERT_EQ(0, pthread_create(&th, NULL, read_blocking, &b));
	ASSERT_EQ(0, run_client(argv, &rep));	/* two records, far below */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	ASSERT_EQ(0, pthread_timedjoin_np(th, NULL, &deadline));
	ASSERT_LT(0, b.ret);
	EXPECT_EQ(rep.pid, ((struct rmt_enter_record *)b.buf)->task.tgid);
}

TEST_F(dev, stats_count_every_call_exactly)
{
	struct rmt_filter f = { .flags = RMT_FILTER_UID, .uid = 4242 };
	struct rmt_cpu_stats cpus[64], sum;
	struct rmt_stats st;
	unsigned int i, j;

	EXPECT_EQ(1, enters_after_client(self->fd, "vlen=1"));
	EXPECT_EQ(1, enters_after_client(self->fd, "bad=mmsg"));
	ASSERT_EQ(0, set_filter(self->fd, &f));
	EXPECT_EQ(0, enters_after_client(self->fd, "vlen=1"));

	ASSERT_EQ(0, get_stats_per_cpu(self->fd, &st, cpus, 64, sizeof(cpus[0])));
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), st.nr_cpus);
	EXPECT_EQ(sizeof(cpus[0]), st.cpu_size);
	EXPECT_EQ(0, st.bad_records);
	EXPECT_EQ(0, st.discarded_records);	/* always, since ABI 5 */
	EXPECT_EQ(3, st.total.enter.seen);
	EXPECT_EQ(1, st.total.enter.filtered);
	EXPECT_EQ(2, st.total.enter.written);
	EXPECT_EQ(0, st.total.enter.dropped);
	if (module_hook() == RMT_HOOK_ENTRY) {
		/* It arms no return for a call that every session left out. */
		EXPECT_EQ(2, st.total.exit.seen);
		EXPECT_EQ(0, st.total.exit.filtered);
	} else {
		EXPECT_EQ(3, st.total.exit.seen);
		EXPECT_EQ(1, st.total.exit.filtered);
	}
	EXPECT_EQ(2, st.total.exit.written);
	EXPECT_EQ(1, st.total.faults);	/* the unmapped vector, at enter */
	EXPECT_EQ(0, st.total.lost_records);

	/* The per-CPU rows add up to the total. */
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < st.nr_cpus; i++)
		for (j = 0; j < sizeof(sum) / sizeof(__u64); j++)
			((__u64 *)&sum)[j] += ((__u64 *)&cpus[i])[j];
	EXPECT_EQ(0, memcmp(&sum, &st.total, sizeof(sum)));

	/* Less room than CPUs: that many rows, the total still whole. */
	st.nr_cpus = 1;
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(1, st.nr_cpus);
	EXPECT_EQ(3, st.total.enter.seen);
	st.nr_cpus = 2, st.cpus = 0;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.cpus = 8;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, stats_entries_of_another_size_are_laid_out_by_cpu_size)
{
	/* A newer caller's entry: ours, then counters we do not know. */
	struct newer {
		struct rmt_cpu_stats known;
		__u64 unknown[3];
	} cpus[64];
	struct rmt_stats st;
	__u64 seen = 0;
	int i;

	EXPECT_EQ(1, enters_after_client(self->fd, "vlen=1"));
	memset(cpus, 0xff, sizeof(cpus));
	ASSERT_EQ(0, get_stats_per_cpu(self->fd, &st, cpus, 64, sizeof(cpus[0])));
	EXPECT_EQ(sizeof(struct rmt_cpu_stats), st.cpu_size);
	ASSERT_EQ(sysconf(_SC_NPROCESSORS_CONF), st.nr_cpus);
	for (i = 0; i < (int)st.nr_cpus; i++) {
		seen += cpus[i].known.enter.seen;
		EXPECT_EQ(0, cpus[i].unknown[0] | cpus[i].unknown[1] | cpus[i].unknown[2]);
	}
	EXPECT_EQ(1, seen);
	/* Entries not filled are left alone. */
	EXPECT_EQ(~0ULL, cpus[st.nr_cpus].known.enter.seen);

	/* Smaller than the first version, or a reserved field set: EINVAL. */
	st.nr_cpus = 64;
	st.cpu_size = RMT_CPU_STATS_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
	st.cpu_size = sizeof(cpus[0]);
	st.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, reset_empties_buffers_and_zeroes_stats_under_a_blocked_reader)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	static struct blocked_read b;
	struct client_report rep;
	struct timespec deadline;
	struct rmt_stats st;
	pthread_t th;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(0, st.total.enter.seen + st.total.exit.seen);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost);

	b.fd = self->fd;
	b.ret = -2;
	ASSERT_EQ(0, pthread_create(&th, NULL, read_blocking, &b));
	usleep(100000);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	usleep(100000);
	EXPECT_EQ(-2, b.ret);		/* still waiting, nothing came */
	ASSERT_EQ(0, run_client(argv, &rep));
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	ASSERT_EQ(0, pthread_timedjoin_np(th, NULL, &deadline));
	ASSERT_LT(0, b.ret);
	EXPECT_EQ(rep.pid, ((struct rmt_enter_record *)b.buf)->task.tgid);
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(1, st.total.enter.written);
}

TEST_F(dev, read_into_null_is_efault_and_loses_nothing)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	void *volatile nowhere = NULL;	/* hidden from the compiler's checks */
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, nowhere, 4096));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, rec.n_exit);
}

/* In a child: drop every capability (uid stays 0), report through exit. */
static int drop_all_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { 0 };

	return syscall(SYS_capset, &hdr, data);
}

#define CHILD_ERRNO(_expr) ((_expr) < 0 ? errno : 0)

TEST_F(dev, without_capabilities_open_and_state_changes_are_eperm)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rmt_info info = { .size = sizeof(info) };
		struct rmt_sessions list = { .size = sizeof(list) };
		struct rmt_filter f = { .size = sizeof(f) };
		struct rmt_config c = { .size = sizeof(c), .snaplen = 8 };
		int fails = 0;

		if (drop_all_capabilities())
			_exit(100);
		fails += CHILD_ERRNO(open(RMT_DEVICE_PATH, O_RDONLY)) != EPERM;
		/* A descriptor opened with privilege only reads. */
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_GET_INFO, &info)) != 0;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_GET_SESSIONS, &list)) != 0;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_ENABLE, 0)) != EPERM;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_DISABLE, 0)) != EPERM;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_SET_FILTER, &f)) != EPERM;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_SET_CONFIG, &c)) != EPERM;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_RESET, 0)) != EPERM;
		fails += CHILD_ERRNO(ioctl(self->fd, RMT_IOC_ADOPT_BOOT, 0)) != EPERM;
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Capture is still on: the refused DISABLE changed nothing. */
	EXPECT_EQ(1, enters_after_client(self->fd, "vlen=1"));
}

TEST(unprivileged_uid_cannot_open_or_change_state)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rmt_info info = { .size = sizeof(info) };
		int inherited = open(RMT_DEVICE_PATH, O_RDONLY), fails = 0;

		if (inherited < 0 || setgid(65534) || setuid(65534))
			_exit(100);
		/* Mode 0600 refuses it before the module is even asked. */
		fails += CHILD_ERRNO(open(RMT_DEVICE_PATH, O_RDONLY)) != EACCES;
		/* A descriptor from before the uid change only reads. */
		fails += CHILD_ERRNO(ioctl(inherited, RMT_IOC_GET_INFO, &info)) != 0;
		fails += CHILD_ERRNO(ioctl(inherited, RMT_IOC_ENABLE, 0)) != EPERM;
		fails += CHILD_ERRNO(ioctl(inherited, RMT_IOC_RESET, 0)) != EPERM;
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Declared last so that it runs last: its tests reload the module. */
FIXTURE(params) {
};

FIXTURE_SETUP(params)
{
}

FIXTURE_TEARDOWN(params)
{
	restore_module();
}

static int dmesg_has(const char *text)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "dmesg | grep -qF '%s'", text);
	return system(cmd) == 0;
}

TEST_F(params, bad_parameters_refuse_the_load_with_one_clear_line)
{
	struct stat st;

	EXPECT_NE(0, reload_module("buffer_size=1000"));
	EXPECT_NE(0, stat(RMT_DEVICE_PATH, &st));	/* not loaded */
	EXPECT_TRUE(dmesg_has("buffer_size=1000 is not a power of two"));
	EXPECT_NE(0, system("modprobe recvmmsg_trace snaplen=0 2>/dev/null"));
	EXPECT_TRUE(dmesg_has("invalid for parameter `snaplen"));
	EXPECT_NE(0, system("modprobe recvmmsg_trace snaplen=65 2>/dev/null"));
	EXPECT_NE(0, system("modprobe recvmmsg_trace max_sessions=0 2>/dev/null"));
	EXPECT_NE(0, system("modprobe recvmmsg_trace max_sessions=65 2>/dev/null"));
	EXPECT_EQ(0, system("modprobe recvmmsg_trace"));
	EXPECT_EQ(0, stat(RMT_DEVICE_PATH, &st));
}

TEST_F(params, buffer_size_parameter_is_the_size_of_every_new_session)
{
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_config c = { .size = sizeof(c) };
	int fd;

	ASSERT_EQ(0, reload_module("buffer_size=16384"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(16384, info.buffer_bytes);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_CONFIG, &c));
	EXPECT_EQ(16384, c.buffer_bytes);
	close(fd);
}

/* enable=1 captures from load in a boot session; a reader adopts it. */
TEST_F(params, enable_at_load_makes_a_boot_session_a_reader_adopts)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd;

	ASSERT_EQ(0, reload_module("enable=1"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_TRUE(info.flags & RMT_INFO_BOOT);
	EXPECT_TRUE(info.flags & RMT_INFO_ATTACHED);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ADOPT_BOOT, 0));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_TRUE(info.flags & RMT_INFO_ENABLED);
	EXPECT_FALSE(info.flags & RMT_INFO_BOOT);
	EXPECT_EQ(1, enters_after_client(fd, "vlen=1"));
	close(fd);
}

TEST_F(params, unload_is_refused_while_a_descriptor_is_open)
{
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	EXPECT_NE(0, system("modprobe -r recvmmsg_trace 2>/dev/null"));
	close(fd);
	/* Enabled, nobody reading: unload is clean once closed. */
	EXPECT_EQ(0, system("modprobe -r recvmmsg_trace"));
	EXPECT_EQ(0, system("modprobe recvmmsg_trace"));
}

TEST_HARNESS_MAIN
