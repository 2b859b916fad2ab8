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

TEST_HARNESS_MAIN
