// SPDX-License-Identifier: GPL-2.0
/*
 * The device itself: its node, the info ioctl, and read(), poll() and
 * blocking as a reader sees them.
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
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

TEST(device_is_char_device_mode_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(RMT_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST(info_reports_abi_and_layout)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(RMT_ABI_VERSION, info.abi_version);
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_CONF), info.nr_cpus);
	EXPECT_EQ(256 * 1024, info.buffer_bytes);
	EXPECT_EQ(sizeof(struct rmt_enter_record), info.enter_size);
	EXPECT_EQ(sizeof(struct rmt_exit_record), info.exit_size);
	EXPECT_EQ(sizeof(struct rmt_lost_record), info.lost_size);
	EXPECT_EQ(RMT_RECORD_MAX_SIZE, info.max_record_size);
	EXPECT_EQ(0, info.reserved);
	/* One version everywhere: the module reports the one we were built with. */
	EXPECT_STREQ(RMT_VERSION, info.version);
	/* This file is the only session; eight may have buffers by default. */
	EXPECT_EQ(1, info.nr_sessions);
	EXPECT_EQ(8, info.max_sessions);
	EXPECT_EQ(0, info.flags);
	close(fd);
}

/*
 * Readers of ABI 3 and before ask with the old number (type 0xBA): they
 * learn the ABI the module speaks, so they can say so in one line.
 */
TEST(old_info_number_still_names_the_abi)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO_OLD, &info));
	EXPECT_EQ(RMT_ABI_VERSION, info.abi_version);
	/* Every other number of the old type is unknown now. */
	EXPECT_EQ(-1, ioctl(fd, _IOR(0xBA, 0x05, struct rmt_filter), &info));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

/*
 * The gets read the struct's size from the caller: they are _IOWR, and
 * the module takes them only so (a read-only number is unknown).
 */
TEST(get_ioctls_are_iowr_of_our_own_type)
{
	unsigned int gets[] = { RMT_IOC_GET_INFO, RMT_IOC_GET_FILTER,
				RMT_IOC_GET_CONFIG, RMT_IOC_GET_STATS,
				RMT_IOC_GET_SESSIONS };
	char arg[512] __attribute__((aligned(8))) = { 0 };
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);
	unsigned int i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(gets) / sizeof(gets[0]); i++) {
		EXPECT_EQ(_IOC_READ | _IOC_WRITE, _IOC_DIR(gets[i]));
		EXPECT_EQ(0xBC, _IOC_TYPE(gets[i]));
		*(__u32 *)arg = _IOC_SIZE(gets[i]);
		EXPECT_EQ(0, ioctl(fd, gets[i], arg)) TH_LOG("get %u", i);
		EXPECT_EQ(-1, ioctl(fd, _IOC(_IOC_READ, 0xBC, _IOC_NR(gets[i]),
					     _IOC_SIZE(gets[i])), arg));
		EXPECT_EQ(ENOTTY, errno);
	}
	close(fd);
}

TEST(info_rejects_too_small_size)
{
	struct rmt_info info = { .size = 4 };
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_GET_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST(unknown_ioctl_is_enotty)
{
	int fd = open(RMT_DEVICE_PATH, O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, _IO(RMT_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_ENABLE, 2));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(dev, empty_nonblocking_read_is_eagain)
{
	char buf[RMT_RECORD_MAX_SIZE];
	int nb = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, nb);
	EXPECT_EQ(-1, read(nb, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	close(nb);
}

TEST_F(dev, short_buffer_is_einval_and_loses_nothing)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	char small[sizeof(struct rmt_record_header)];
	struct client_report rep;

	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, rec.n_exit);
	EXPECT_EQ(rep.pid, E(0)->task.tgid);
}

TEST_F(dev, read_into_bad_address_is_efault_and_loses_nothing)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	long page = sysconf(_SC_PAGESIZE);
	struct client_report rep;
	void *hole;

	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, hole, page));
	EXPECT_EQ(EFAULT, errno);
	munmap(hole, page);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, rec.n_exit);
}

TEST_F(dev, nothing_recorded_after_disable)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct client_report rep;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost + rec.n_other);
}

TEST_F(dev, blocked_reader_wakes_when_a_record_arrives)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	static struct blocked_read b;
	struct client_report rep;
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct timespec deadline;
	pthread_t th;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	b.fd = self->fd;
	b.ret = -2;
	ASSERT_EQ(0, pthread_create(&th, NULL, read_blocking, &b));
	usleep(200000);
	ASSERT_EQ(-2, b.ret);	/* still blocked: nothing to read yet */

	ASSERT_EQ(0, run_client(argv, &rep));
	/* A generous bound: this checks the wake-up, not its latency. */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	ASSERT_EQ(0, pthread_timedjoin_np(th, NULL, &deadline));
	ASSERT_LT(0, b.ret);
	EXPECT_EQ(RMT_REC_ENTER, ((struct rmt_record_header *)b.buf)->type);
	EXPECT_EQ(rep.pid, ((struct rmt_enter_record *)b.buf)->task.tgid);
}

TEST_F(dev, poll_reports_readable_when_records_are_queued)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct client_report rep;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_TRUE(pfd.revents & POLLIN);
}

TEST_F(dev, read_of_zero_bytes_returns_zero_and_loses_nothing)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct client_report rep;
	char buf[8];

	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(0, read(self->fd, buf, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, rec.n_exit);
}

/* Run this process, and the clients it starts, on @cpu only; 0 or -1. */
static int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/*
 * A read()'s buffer that faults: the read starts @back bytes before a
 * page with protection @prot, and asks for @count bytes (0: a page).
 */
struct fault_case {
	const char *what;
	int prot;
	long back;		/* bytes before the bad page; <0: see below */
	size_t count;
};

/* Sizes of the two records of one client call with one message. */
#define ENTER1	(sizeof(struct rmt_enter_record) + sizeof(struct rmt_msg_enter))
#define EXIT1	(sizeof(struct rmt_exit_record) + sizeof(struct rmt_msg_exit))

TEST_F(dev, buffers_that_fault_anywhere_lose_and_corrupt_nothing)
{
	static const struct fault_case cases[] = {
		{ "first byte unmapped", PROT_NONE, 0, 0 },
		{ "first byte read-only", PROT_READ, 0, 0 },
		{ "mid-record", PROT_NONE, 100, 0 },
		{ "last byte of the first record", PROT_NONE, ENTER1 - 1, 0 },
		{ "page boundary inside the second record", PROT_NONE, ENTER1 + 50, 0 },
		{ "read-only inside the second record", PROT_READ, ENTER1 + 8, 0 },
		{ "last byte of the buffer", PROT_NONE, ENTER1 + EXIT1 - 1, ENTER1 + EXIT1 },
	};
	char *argv[] = { "rmt_client32", "recv", NULL };
	long page = sysconf(_SC_PAGESIZE);
	struct client_report rep;
	unsigned int i;
	char *map;

	/* One CPU: the records of each call are enter, exit, in that order. */
	ASSERT_EQ(0, pin_to_cpu(0));
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fault_case *c = &cases[i];
		size_t count = c->count ? c->count : (size_t)page;
		char *buf = map + page - c->back;
		long whole = c->back >= (long)(ENTER1 + EXIT1) ? 2 :
			     c->back >= (long)ENTER1 ? 1 : 0;
		long want = whole == 2 ? ENTER1 + EXIT1 : whole ? ENTER1 : -1;
		int calls, got;
		ssize_t n;

		ASSERT_EQ(0, mprotect(map + page, page, PROT_READ | PROT_WRITE));
		memset(map, 0, 2 * page);
		ASSERT_EQ(0, mprotect(map + page, page, c->prot));
		for (calls = 0; calls < 2; calls++) {
			ASSERT_EQ(0, run_client(argv, &rep));
			ASSERT_EQ(1, rep.ret);
		}
		n = read(self->fd, buf, count);
		EXPECT_EQ(want, n) TH_LOG("%s: read returned %zd (%s)", c->what, n,
					  n < 0 ? strerror(errno) : "records");
		if (n < 0)
			EXPECT_EQ(EFAULT, errno) TH_LOG("%s", c->what);
		got = 0;
		if (n > 0) {
			const struct rmt_record_header *h = (const void *)buf;

			EXPECT_EQ(RMT_REC_ENTER, h->type) TH_LOG("%s", c->what);
			EXPECT_EQ(ENTER1, h->size) TH_LOG("%s", c->what);
			got = whole;
		}
		/* A good read then gets every other record, whole, in order. */
		ASSERT_EQ(0, drain(self->fd, &rec)) TH_LOG("%s: a torn record", c->what);
		EXPECT_EQ(2 * calls, got + rec.n_enter + rec.n_exit) TH_LOG("%s", c->what);
		EXPECT_EQ(0, rec.n_lost + rec.n_other) TH_LOG("%s", c->what);
		if (whole == 0) {
			EXPECT_EQ(rep.pid, X(1)->task.tgid) TH_LOG("%s", c->what);
			EXPECT_EQ(1, X(1)->call.ret) TH_LOG("%s", c->what);
		}
	}
	munmap(map, 2 * page);
}

/*
 * Records a faulting read left first in line go with a reset of the
 * session, and nothing is counted as discarded any more.
 */
TEST_F(dev, records_a_faulting_read_left_go_with_a_reset)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct rmt_stats st = { .size = sizeof(st) };
	long page = sysconf(_SC_PAGESIZE);
	struct client_report rep;
	void *ro;

	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, ro, page));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit + rec.n_lost);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(0, st.discarded_records);
	EXPECT_EQ(0, st.bad_records);
	munmap(ro, page);
}

/* Read everything queued; the CPU of the first record, or -1. */
static int first_cpu_of_a_read(int fd)
{
	static char buf[1 << 16] __attribute__((aligned(8)));
	ssize_t n = read(fd, buf, sizeof(buf));

	return n > 0 ? (int)((struct rmt_record_header *)buf)->cpu : -1;
}

TEST_F(dev, each_read_starts_one_cpu_further)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct rmt_info info = { .size = sizeof(info) };
	struct client_report rep;
	cpu_set_t all;
	int round, cpu, first[4];

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	/* Reads rotate over the possible CPUs: all of them must be in use. */
	if (info.nr_cpus != 2 || sysconf(_SC_NPROCESSORS_ONLN) != 2)
		SKIP(return, "needs exactly two CPUs, possible and online (%u here)",
		     info.nr_cpus);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	for (round = 0; round < 4; round++) {
		/* A call on each of CPUs 0 and 1, then one read takes them all. */
		for (cpu = 0; cpu < 2; cpu++) {
			ASSERT_EQ(0, pin_to_cpu(cpu));
			ASSERT_EQ(0, run_client(argv, &rep));
		}
		first[round] = first_cpu_of_a_read(self->fd);
		ASSERT_LE(0, first[round]);
		ASSERT_EQ(0, poll(&pfd, 1, 0));		/* it took them all */
	}
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(all), &all));
	/* Each read started one CPU further than the one before. */
	for (round = 1; round < 4; round++)
		EXPECT_NE(first[round - 1], first[round]) TH_LOG("round %d", round);
}

/* A page whose first touch blocks until the test fills it. */
struct stuck_page {
	int uffd;
	char *addr;
	long size;
};

static int stuck_page_make(struct stuck_page *sp)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	sp->size = sysconf(_SC_PAGESIZE);
	sp->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (sp->uffd < 0)
		return -1;
	sp->addr = mmap(NULL, sp->size, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (sp->addr == MAP_FAILED || ioctl(sp->uffd, UFFDIO_API, &api))
		return -1;
	reg.range.start = (unsigned long)sp->addr;
	reg.range.len = sp->size;
	return ioctl(sp->uffd, UFFDIO_REGISTER, &reg);
}

/* Wait (10 s at most) for someone to touch the page: 0 once they have. */
static int stuck_page_touched(struct stuck_page *sp)
{
	struct pollfd pfd = { .fd = sp->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, 10000) != 1 || read(sp->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -1;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -1;
}

/* Fill the page: whoever waits on it goes on. */
static int stuck_page_release(struct stuck_page *sp)
{
	static char zeros[1 << 16];
	struct uffdio_copy copy = {
		.dst = (unsigned long)sp->addr,
		.src = (unsigned long)zeros,
		.len = sp->size,
	};

	return ioctl(sp->uffd, UFFDIO_COPY, &copy);
}

/* A read() into a stuck page, in a thread. */
struct stuck_read {
	int fd;
	struct stuck_page *sp;
	ssize_t ret;
};

static void *read_into_stuck_page(void *arg)
{
	struct stuck_read *r = arg;

	r->ret = read(r->fd, r->sp->addr, r->sp->size);
	return NULL;
}

/* A read() in a thread, to be joined within 10 s. */
static void *read_once(void *arg)
{
	struct blocked_read *b = arg;

	b->ret = read(b->fd, b->buf, sizeof(b->buf));
	if (b->ret < 0)
		b->ret = -errno;
	return NULL;
}

static int join_within_10s(pthread_t th)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	return pthread_timedjoin_np(th, NULL, &deadline);
}

TEST_F(dev, reader_stuck_in_its_copy_out_stalls_no_other_reader)
{
	char *argv[] = { "rmt_client32", "recv", NULL };
	static struct blocked_read other, same;
	struct stuck_read stuck;
	struct client_report rep;
	struct stuck_page sp;
	pthread_t stuck_th, th;
	int other_fd;

	if (stuck_page_make(&sp))
		SKIP(return, "no userfaultfd here (%s)", strerror(errno));
	ASSERT_EQ(0, run_client(argv, &rep));

	/* This read takes both records and blocks copying them out. */
	stuck.fd = self->fd;
	stuck.sp = &sp;
	stuck.ret = -2;
	ASSERT_EQ(0, pthread_create(&stuck_th, NULL, read_into_stuck_page, &stuck));
	ASSERT_EQ(0, stuck_page_touched(&sp));

	/* Another session gets a new call's records meanwhile. */
	other_fd = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, other_fd);
	ASSERT_EQ(0, ioctl(other_fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	other.fd = other_fd;
	ASSERT_EQ(0, pthread_create(&th, NULL, read_once, &other));
	EXPECT_EQ(0, join_within_10s(th)) TH_LOG("the other file's read waited");
	EXPECT_EQ(ENTER1 + EXIT1, other.ret);

	/*
	 * A non-blocking read of the stuck file does not wait for it either,
	 * though that call's records are queued for it too.
	 */
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	same.fd = self->fd;
	ASSERT_EQ(0, pthread_create(&th, NULL, read_once, &same));
	EXPECT_EQ(0, join_within_10s(th)) TH_LOG("the non-blocking read waited");
	EXPECT_EQ(-EAGAIN, same.ret);

	/* Released, the stuck read delivers the first call's records, then the second's. */
	ASSERT_EQ(0, stuck_page_release(&sp));
	ASSERT_EQ(0, join_within_10s(stuck_th));
	EXPECT_EQ(ENTER1 + EXIT1, stuck.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(1, rec.n_enter);
	EXPECT_EQ(1, rec.n_exit);
	EXPECT_EQ(rep.pid, E(0)->task.tgid);
	close(other_fd);
	close(sp.uffd);
	munmap(sp.addr, sp.size);
}

/* An ioctl in a thread, to be joined within 10 s; fd -1: on a new session. */
struct ioctl_call {
	int fd;
	unsigned int cmd;
	void *arg;
	long ret;
	pid_t tid;
};

static void *ioctl_once(void *arg)
{
	struct ioctl_call *c = arg;

	__atomic_store_n(&c->tid, gettid(), __ATOMIC_SEQ_CST);
	if (c->fd < 0)
		c->fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	c->ret = c->fd < 0 ? -1 : ioctl(c->fd, c->cmd, c->arg);
	if (c->ret < 0)
		c->ret = -errno;
	return NULL;
}

/* The first line of /proc/@pid/task/@tid/@what, or "". */
static void proc_line(pid_t pid, pid_t tid, const char *what, char *buf, size_t len)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", pid, tid, what);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (f && !fgets(buf, len, f))
		buf[0] = '\0';
	if (f)
		fclose(f);
}

/* Whether the thread sleeps in a userfaultfd wait (its wchan says so). */
static int waits_on_userfault(pid_t pid)
{
	char wchan[128];

	proc_line(pid, pid, "wchan", wchan, sizeof(wchan));
	return strstr(wchan, "userfault") != NULL;
}

/* Whether thread @tid of ours sleeps uninterruptibly (state D). */
static int sleeps_uninterruptibly(pid_t tid)
{
	char stat[512], *state;

	proc_line(getpid(), tid, "stat", stat, sizeof(stat));
	state = strrchr(stat, ')');
	return state && state[1] == ' ' && state[2] == 'D';
}

/*
 * Where the probe may fault (7.x), a traced call can keep it waiting (here
 * on a userfaultfd page nobody serves), and a detach then waits for it
 * with the capture lock held. Opening a session and asking it GET_INFO
 * (what --status starts with) do not wait for that lock.
 */
TEST_F_TIMEOUT(dev, info_answers_while_a_detach_waits_for_a_stuck_probe, 120)
{
	char *argv[] = { "rmt_client32", "recv", "bad=stuck", NULL };
	struct rmt_info info_buf = { .size = sizeof(info_buf) };
	struct ioctl_call disable = { .fd = self->fd, .cmd = RMT_IOC_DISABLE };
	struct ioctl_call info = { .fd = -1, .cmd = RMT_IOC_GET_INFO, .arg = &info_buf };
	pthread_t disable_th, info_th;
	int i, stuck, started = 0, detaching = 0, asked = 0, answered = 0;
	pid_t client;

	if (!probe_may_fault())
		SKIP(return, "the probe cannot fault here (kernels before 7.x, hook=entry): nothing can make it wait");
	client = spawn_client(argv);
	ASSERT_LT(0, client);
	for (i = 0; i < 200 && !waits_on_userfault(client); i++)
		usleep(100000);
	stuck = waits_on_userfault(client);
	EXPECT_TRUE(stuck) TH_LOG("the client never waited on its page");

	/* The detach waits for the stuck probe, holding the capture lock. */
	if (stuck)
		started = !pthread_create(&disable_th, NULL, ioctl_once, &disable);
	if (started) {
		for (i = 0; i < 200 && !detaching; i++) {
			usleep(100000);
			detaching = __atomic_load_n(&disable.tid, __ATOMIC_SEQ_CST) &&
				    sleeps_uninterruptibly(disable.tid);
		}
		EXPECT_TRUE(detaching) TH_LOG("the detach did not wait");
	}
	if (detaching)
		asked = !pthread_create(&info_th, NULL, ioctl_once, &info);
	if (asked) {
		answered = !join_within_10s(info_th);
		EXPECT_TRUE(answered) TH_LOG("open or GET_INFO waited for the detach");
		EXPECT_LE(0, info.fd);
		EXPECT_EQ(0, info.ret);
		EXPECT_EQ(RMT_ABI_VERSION, info_buf.abi_version);
	}

	/* Killed, the client lets the probe go, and the detach ends. */
	kill(client, SIGKILL);
	waitpid(client, NULL, 0);
	if (started) {
		EXPECT_EQ(0, join_within_10s(disable_th));
		EXPECT_EQ(0, disable.ret);
	}
	if (asked && !answered)
		EXPECT_EQ(0, join_within_10s(info_th));
	if (info.fd >= 0)
		close(info.fd);
}

TEST_HARNESS_MAIN
