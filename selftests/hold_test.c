// SPDX-License-Identifier: GPL-2.0
/*
 * Who keeps capture on: a standing enable (RMT_IOC_ENABLE with 0) lasts
 * until a disable; a hold (RMT_CAPTURE_HOLD) lasts while the open file that
 * took it does, so that a reader killed outright does not leave every
 * system call of the machine paying for capture.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"

#define STATE_BITS	(RMT_INFO_ENABLED | RMT_INFO_STANDING | RMT_INFO_HELD)
#define ON_HELD		(RMT_INFO_ENABLED | RMT_INFO_HELD)
#define ON_STANDING	(RMT_INFO_ENABLED | RMT_INFO_STANDING)

/* The capture bits of RMT_IOC_GET_INFO, or ~0 when it fails. */
static unsigned int state(int fd)
{
	struct rmt_info info = { .size = sizeof(info) };

	if (ioctl(fd, RMT_IOC_GET_INFO, &info))
		return ~0U;
	return info.flags & STATE_BITS;
}

static int open_dev(void)
{
	return open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
}

/* The descriptor the tests look through: capture off, nothing queued. */
FIXTURE(hold) {
	int fd;
};

FIXTURE_SETUP(hold)
{
	self->fd = open_dev();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", RMT_DEVICE_PATH, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, restore_defaults(self->fd));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, state(self->fd));
}

FIXTURE_TEARDOWN(hold)
{
	ioctl(self->fd, RMT_IOC_DISABLE, 0);
	close(self->fd);
}

TEST_F(hold, hold_captures_and_ends_when_its_file_is_closed)
{
	char *client[] = { "rmt_client32", "recv", NULL };
	struct client_report rep;
	int a = open_dev();

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	EXPECT_EQ(ON_HELD, state(self->fd));
	RUN_ONE_CALL(client, rep, 1);
	close(a);
	EXPECT_EQ(0, state(self->fd));
	ASSERT_EQ(0, run_client(client, &rep));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit);
}

/* SIGKILL gives a process no say: the kernel closing its files ends the hold. */
TEST_F(hold, hold_ends_when_its_process_is_killed)
{
	int ready[2], status;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open_dev();

		if (fd < 0 || ioctl(fd, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD))
			_exit(1);
		if (write(ready[1], "h", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	EXPECT_EQ(ON_HELD, state(self->fd));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, state(self->fd));
}

/* A descriptor shared by fork holds until its last copy is closed. */
TEST_F(hold, hold_lasts_until_the_last_copy_of_the_file_is_closed)
{
	int a = open_dev(), copy;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	copy = dup(a);
	ASSERT_LE(0, copy);
	close(a);
	EXPECT_EQ(ON_HELD, state(self->fd));
	close(copy);
	EXPECT_EQ(0, state(self->fd));
}

TEST_F(hold, capture_stays_on_until_the_last_hold_goes)
{
	int a = open_dev(), b = open_dev();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	close(a);
	EXPECT_EQ(ON_HELD, state(self->fd));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_DISABLE, RMT_CAPTURE_HOLD));
	EXPECT_EQ(0, state(self->fd));
	close(b);
}

TEST_F(hold, holding_twice_is_one_hold)
{
	int a = open_dev();

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_DISABLE, RMT_CAPTURE_HOLD));
	EXPECT_EQ(0, state(self->fd));
	/* Dropping it again, or closing, takes nobody else's hold. */
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_DISABLE, RMT_CAPTURE_HOLD));
	close(a);
	EXPECT_EQ(ON_HELD, state(self->fd));
}

TEST_F(hold, standing_enable_outlives_every_hold)
{
	int a = open_dev();

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
	EXPECT_EQ(ON_STANDING | RMT_INFO_HELD, state(self->fd));
	close(a);
	EXPECT_EQ(ON_STANDING, state(self->fd));

	/* And a hold taken while capture stands ends without stopping it. */
	a = open_dev();
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	close(a);
	EXPECT_EQ(ON_STANDING, state(self->fd));
}

/*
 * A disable with 0 stops capture for everyone. The holds it voided stay
 * void: closing their files later takes nothing from holds taken since.
 */
TEST_F(hold, disable_for_all_voids_every_hold)
{
	int a = open_dev(), b = open_dev();

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(b, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	EXPECT_EQ(0, state(self->fd));

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	close(a);
	ASSERT_EQ(0, ioctl(b, RMT_IOC_DISABLE, RMT_CAPTURE_HOLD));
	close(b);
	EXPECT_EQ(ON_HELD, state(self->fd));

	/* A file whose hold was voided can hold again. */
	a = open_dev();
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	EXPECT_EQ(ON_HELD, state(self->fd));
	close(a);
	EXPECT_EQ(0, state(self->fd));
}

/* Emptying the buffers detaches for a moment; the holds stay. */
TEST_F(hold, reset_keeps_the_holds)
{
	int a = open_dev();

	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	EXPECT_EQ(ON_HELD, state(self->fd));
	close(a);
	EXPECT_EQ(0, state(self->fd));
}

TEST_F(hold, unknown_arguments_are_einval_and_change_nothing)
{
	unsigned long bad[] = { 2, RMT_CAPTURE_HOLD | 2, 1UL << 31, ~0UL };
	size_t i;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_ENABLE, bad[i]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, ioctl(self->fd, RMT_IOC_DISABLE, bad[i]));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(ON_HELD, state(self->fd)) TH_LOG("argument %#lx", bad[i]);
	}
}

TEST_HARNESS_MAIN
