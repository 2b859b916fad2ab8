/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture most selftests run in: a session of their own (an open file
 * of the device, close-on-exec) with no filter, the default config, nothing
 * queued, zeroed stats, and capture on; and the checks of calls counted and
 * drained under load. Include after kselftest_harness.h.
 */
#ifndef RMT_FIXTURE_H
#define RMT_FIXTURE_H

FIXTURE(dev) {
	int fd;
};

/* A new session is empty and zeroed: nothing to put back but the defaults. */
FIXTURE_SETUP(dev)
{
	self->fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", RMT_DEVICE_PATH, strerror(errno));
	ASSERT_EQ(0, restore_defaults(self->fd));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
}

/* Closing the file ends the session (and detaches, were it the last). */
FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

/* Every call one counter saw was filtered, written or dropped. */
static inline void expect_counts_add_up(struct __test_metadata *_metadata,
					const struct rmt_cpu_stats *t)
{
	EXPECT_EQ(t->enter.seen, t->enter.filtered + t->enter.written + t->enter.dropped);
	EXPECT_EQ(t->exit.seen, t->exit.filtered + t->exit.written + t->exit.dropped);
}

/*
 * After @calls calls drained by @d with its session disabled: every one
 * was seen, none filtered, each written or dropped, what was read is what
 * was written, and LOST records account for every drop.
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

/*
 * @n sessions, each drained by its own drainer in @d (threads @th) while
 * @calls calls were made: stop them all, then each conserves every call.
 */
static inline void finish_and_expect_each_conserved(struct __test_metadata *_metadata,
						    unsigned long long calls,
						    struct drainer *d, pthread_t *th,
						    int n)
{
	struct rmt_cpu_stats t;
	int i;

	for (i = 0; i < n; i++)
		finish_drainer(&d[i], th[i]);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, get_total(d[i].fd, &t));
		TH_LOG("session %d: written %llu+%llu dropped %llu+%llu lost records %llu", i,
		       (unsigned long long)t.enter.written, (unsigned long long)t.exit.written,
		       (unsigned long long)t.enter.dropped, (unsigned long long)t.exit.dropped,
		       (unsigned long long)t.lost_records);
		expect_conserved(_metadata, calls, &d[i], &t);
	}
}

#endif /* RMT_FIXTURE_H */
