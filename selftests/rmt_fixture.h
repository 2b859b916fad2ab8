/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture most selftests run in: a descriptor on the device, capture
 * on, nothing queued, no filter, the default config and zeroed stats; and
 * the conservation check of calls drained under load. Include after
 * kselftest_harness.h.
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

/*
 * After @calls calls drained by @d with capture stopped: every one was
 * seen, none filtered, each written or dropped, what was read is what was
 * written, and LOST records account for every drop.
 */
static inline void expect_conserved(struct __test_metadata *_metadata,
				    unsigned long long calls,
				    const struct drainer *d,
				    const struct rmt_cpu_stats *t)
{
	EXPECT_EQ(0, d->torn);
	EXPECT_EQ(calls, t->enter.seen);
	EXPECT_EQ(calls, t->exit.seen);
	EXPECT_EQ(0, t->enter.filtered + t->exit.filtered);
	EXPECT_EQ(calls, t->enter.written + t->enter.dropped);
	EXPECT_EQ(calls, t->exit.written + t->exit.dropped);
	EXPECT_EQ(t->enter.written, d->enter);
	EXPECT_EQ(t->exit.written, d->exit);
	EXPECT_EQ(t->enter.dropped + t->exit.dropped, d->lost);
}

#endif /* RMT_FIXTURE_H */
