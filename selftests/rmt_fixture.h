/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture most selftests run in: a descriptor on the device, capture
 * on, nothing queued, no filter, the default config and zeroed stats.
 * Include after kselftest_harness.h.
 */
#ifndef RMT_FIXTURE_H
#define RMT_FIXTURE_H

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(RMT_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", RMT_DEVICE_PATH, strerror(errno));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, restore_defaults(self->fd));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
}

FIXTURE_TEARDOWN(dev)
{
	ioctl(self->fd, RMT_IOC_DISABLE, 0);
	close(self->fd);
}

#endif /* RMT_FIXTURE_H */
