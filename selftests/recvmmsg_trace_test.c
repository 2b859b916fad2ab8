// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the recvmmsg_trace module, run in a guest with the module
 * loaded. Each test drives the real module through /dev/recvmmsg_trace and
 * a real 32-bit client (rmt_client32, found next to this binary), and
 * compares the records with what the client did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"

#define MAX_RECORDS	64

/* What rmt_client32 reports about the call it made. */
struct client_report {
	int pid;
	int tid;
	unsigned long mmsg;
	unsigned long timeout;
	long ret;
	int err;
};

struct records {
	int n_enter, n_exit, n_lost, n_other;
	struct rmt_enter_record enter;	/* the first of each */
	struct rmt_exit_record exit;
};

static char client_path[PATH_MAX + 16];

static void find_client(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		n = 0;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';
	snprintf(client_path, sizeof(client_path), "%srmt_client32", self);
}

/* Run rmt_client32 with @argv and parse its one-line report. */
static int run_client(char *const argv[], struct client_report *rep)
{
	int pipefd[2], status;
	char line[256];
	FILE *f;
	pid_t pid;
	int got;

	if (!client_path[0])
		find_client();
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(client_path, argv);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	memset(rep, 0, sizeof(*rep));
	got = f && fgets(line, sizeof(line), f) &&
	      sscanf(line, "pid=%d tid=%d mmsg=%lx timeout=%lx ret=%ld errno=%d",
		     &rep->pid, &rep->tid, &rep->mmsg, &rep->timeout, &rep->ret,
		     &rep->err) == 6;
	if (f)
		fclose(f);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return got ? 0 : -1;
}

/* Drain every queued record without blocking and sort them by type. */
static int drain(int fd, struct records *r)
{
	static char buf[MAX_RECORDS * RMT_RECORD_MAX_SIZE];
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	memset(r, 0, sizeof(*r));
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < n) {
			struct rmt_record_header *h = (void *)(buf + off);

			if (h->size < sizeof(*h) || off + h->size > n)
				return -1;
			if (h->type == RMT_REC_ENTER && h->size == sizeof(r->enter)) {
				if (!r->n_enter++)
					memcpy(&r->enter, h, sizeof(r->enter));
			} else if (h->type == RMT_REC_EXIT &&
				   h->size == sizeof(r->exit)) {
				if (!r->n_exit++)
					memcpy(&r->exit, h, sizeof(r->exit));
			} else if (h->type == RMT_REC_LOST) {
				r->n_lost++;
			} else {
				r->n_other++;
			}
			off += h->size;
		}
	}
	fcntl(fd, F_SETFL, flags);
	return n < 0 && errno != EAGAIN ? -1 : 0;
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	struct records r;

	self->fd = open(RMT_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", RMT_DEVICE_PATH, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, drain(self->fd, &r));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
}

FIXTURE_TEARDOWN(dev)
{
	ioctl(self->fd, RMT_IOC_DISABLE, 0);
	close(self->fd);
}

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
	EXPECT_NE(0, info.version[0]);
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
	EXPECT_EQ(-1, ioctl(fd, RMT_IOC_ENABLE, 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(dev, direct_call_gives_one_enter_and_one_exit)
{
	char *argv[] = { "rmt_client32", "direct", "7", "4", "0x10000" /* MSG_WAITFORONE */,
			 "2", "1", "500000000", NULL };
	struct client_report rep;
	struct records r;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(2, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &r));
	ASSERT_EQ(1, r.n_enter);
	ASSERT_EQ(1, r.n_exit);
	EXPECT_EQ(0, r.n_lost);
	EXPECT_EQ(0, r.n_other);

	EXPECT_EQ(rep.pid, r.enter.task.tgid);
	EXPECT_EQ(rep.tid, r.enter.task.tid);
	EXPECT_EQ(getuid(), r.enter.task.uid);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, r.enter.task.syscall_nr);
	EXPECT_STREQ("rmt_client32", r.enter.task.comm);
	EXPECT_EQ(7, r.enter.args[RMT_ARG_FD]);
	EXPECT_EQ(rep.mmsg, r.enter.args[RMT_ARG_MMSG]);
	EXPECT_EQ(4, r.enter.args[RMT_ARG_VLEN]);
	EXPECT_EQ(MSG_WAITFORONE, r.enter.args[RMT_ARG_FLAGS]);
	EXPECT_EQ(rep.timeout, r.enter.args[RMT_ARG_TIMEOUT]);
	EXPECT_NE(0, rep.timeout);

	EXPECT_EQ(rep.pid, r.exit.task.tgid);
	EXPECT_EQ(rep.tid, r.exit.task.tid);
	EXPECT_STREQ("rmt_client32", r.exit.task.comm);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, r.exit.task.syscall_nr);
	EXPECT_EQ(2, r.exit.ret);
	EXPECT_LE(r.enter.hdr.time_ns, r.exit.hdr.time_ns);
	EXPECT_GT(sysconf(_SC_NPROCESSORS_CONF), r.enter.hdr.cpu);
}

TEST_F(dev, null_timeout_and_error_return_are_recorded)
{
	char *argv[] = { "rmt_client32", "direct", "9", "1", "0x40" /* MSG_DONTWAIT */,
			 "0", NULL };
	struct client_report rep;
	struct records r;

	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(-1, rep.ret);
	ASSERT_EQ(EAGAIN, rep.err);
	ASSERT_EQ(0, drain(self->fd, &r));
	ASSERT_EQ(1, r.n_enter);
	ASSERT_EQ(1, r.n_exit);
	EXPECT_EQ(9, r.enter.args[RMT_ARG_FD]);
	EXPECT_EQ(1, r.enter.args[RMT_ARG_VLEN]);
	EXPECT_EQ(MSG_DONTWAIT, r.enter.args[RMT_ARG_FLAGS]);
	EXPECT_EQ(0, r.enter.args[RMT_ARG_TIMEOUT]);
	EXPECT_EQ(-EAGAIN, r.exit.ret);
}

TEST_F(dev, native_64bit_recvmmsg_gives_no_record)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	char payload[] = "x", buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
	struct records r;
	int s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&a, &len));
	ASSERT_EQ(1, sendto(s, payload, 1, 0, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(1, recvmmsg(s, &m, 1, MSG_DONTWAIT, NULL));
	close(s);
	ASSERT_EQ(0, drain(self->fd, &r));
	EXPECT_EQ(0, r.n_enter + r.n_exit + r.n_lost + r.n_other);
}

/* Run a client mode that must succeed and leave no record behind. */
static int records_after_client(int fd, const char *mode, struct client_report *rep)
{
	char *argv[] = { "rmt_client32", (char *)mode, "5", NULL };
	struct records r;

	if (run_client(argv, rep) || rep->ret <= 0 || drain(fd, &r))
		return -1;
	return r.n_enter + r.n_exit + r.n_lost + r.n_other;
}

TEST_F(dev, compat_recvmmsg_time64_gives_no_record)
{
	struct client_report rep;

	EXPECT_EQ(0, records_after_client(self->fd, "time64", &rep));
	EXPECT_EQ(1, rep.ret);
}

TEST_F(dev, other_compat_syscalls_give_no_record)
{
	struct client_report rep;

	EXPECT_EQ(0, records_after_client(self->fd, "other", &rep));
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
	char *argv[] = { "rmt_client32", "direct", "6", "1", "0", "1", NULL };
	char small[sizeof(struct rmt_record_header)];
	struct client_report rep;
	struct records r;

	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, drain(self->fd, &r));
	EXPECT_EQ(1, r.n_enter);
	EXPECT_EQ(1, r.n_exit);
	EXPECT_EQ(rep.pid, r.enter.task.tgid);
}

TEST_F(dev, read_into_bad_address_is_efault_and_loses_nothing)
{
	char *argv[] = { "rmt_client32", "direct", "6", "1", "0", "1", NULL };
	long page = sysconf(_SC_PAGESIZE);
	struct client_report rep;
	struct records r;
	void *hole;

	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, run_client(argv, &rep));
	EXPECT_EQ(-1, read(self->fd, hole, page));
	EXPECT_EQ(EFAULT, errno);
	munmap(hole, page);
	ASSERT_EQ(0, drain(self->fd, &r));
	EXPECT_EQ(1, r.n_enter);
	EXPECT_EQ(1, r.n_exit);
}

TEST_F(dev, nothing_recorded_after_disable)
{
	char *argv[] = { "rmt_client32", "direct", "6", "1", "0", "1", NULL };
	struct client_report rep;
	struct records r;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &r));
	EXPECT_EQ(0, r.n_enter + r.n_exit + r.n_lost + r.n_other);
}

struct blocked_read {
	int fd;
	ssize_t ret;
	char buf[MAX_RECORDS * RMT_RECORD_MAX_SIZE];
};

static void *read_blocking(void *arg)
{
	struct blocked_read *b = arg;

	b->ret = read(b->fd, b->buf, sizeof(b->buf));
	return NULL;
}

TEST_F(dev, blocked_reader_wakes_when_a_record_arrives)
{
	char *argv[] = { "rmt_client32", "direct", "6", "1", "0", "1", NULL };
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
	char *argv[] = { "rmt_client32", "direct", "6", "1", "0", "1", NULL };
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct client_report rep;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	EXPECT_TRUE(pfd.revents & POLLIN);
}

TEST_HARNESS_MAIN
