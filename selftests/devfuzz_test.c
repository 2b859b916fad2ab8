// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the device itself. For RMT_DEVFUZZ_SECONDS (environment,
 * default 15) several threads do random things to /dev/recvmmsg_trace while
 * 32-bit clients keep calling: open and close descriptors (sessions), read()
 * with random sizes into buffers that start anywhere in a mapping of a
 * good, an unmapped and a read-only page (or at NULL, or a kernel address),
 * poll(), and every ioctl with random and boundary sizes, flags, fields and
 * pointers. The module is loaded with enable=1 so that one of them may
 * adopt the boot session, and more sessions are opened than may have
 * buffers. Every answer must be one the ABI allows, and every record read
 * whole and well formed. Afterwards a new session must get every record of
 * a known workload (conservation); the guest's kernel log is judged by the
 * runner (KASAN, lockdep, a WARN, a soft lockup all fail the run). The seed
 * is printed; RMT_DEVFUZZ_SEED replays a run's choices.
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"

#define FUZZERS		4
#define FDS_EACH	4
#define CHECK_CALLS	40

struct fuzzer {
	unsigned int seed;
	double until;
	char *map;		/* good page, unmapped page, read-only page */
	long page;
	int fds[FDS_EACH];
	unsigned long ops, records, refused;
	/* What must never happen: a wrong errno, a torn or unknown record. */
	int bad;
	char why[160];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned int pick(struct fuzzer *z, unsigned int n)
{
	return (unsigned int)rand_r(&z->seed) % n;
}

static void complain(struct fuzzer *z, const char *op, long ret, int err)
{
	if (!z->bad++)
		snprintf(z->why, sizeof(z->why), "%s returned %ld (%s)", op, ret,
			 strerror(err));
}

/* Somewhere a buffer may start: mostly in the mapping, sometimes nowhere. */
static void *somewhere(struct fuzzer *z, size_t len)
{
	switch (pick(z, 16)) {
	case 0:
		return NULL;
	case 1:
		return (void *)0xffffffff81000000UL;	/* the kernel's */
	case 2:	/* ending just before the unmapped page */
		return z->map + z->page - (len < (size_t)z->page ? len : (size_t)z->page);
	default:
		return z->map + pick(z, 3 * z->page);
	}
}

/* Every record of a read: whole, of a known type, a sane size. */
static void check_records(struct fuzzer *z, const char *buf, ssize_t n)
{
	const struct rmt_record_header *h;
	enum rmt_step step;
	size_t off = 0;

	while ((step = rmt_step(buf, n, off, &h)) == RMT_STEP_RECORD) {
		if (h->type < RMT_REC_ENTER || h->type > RMT_REC_LOST)
			break;
		z->records++;
		off += h->size;
	}
	if (step != RMT_STEP_END)
		complain(z, "read (a torn record)", n, 0);
}

static void fuzz_read(struct fuzzer *z, int fd)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 24, 200, 4096, 65536, 1 << 20 };
	size_t len = pick(z, 2) ? sizes[pick(z, 9)] : pick(z, 3 * z->page);
	char *buf = somewhere(z, len);
	/* Reads that reach past the mapping could land on anything: keep in. */
	size_t room = buf >= z->map && buf < z->map + 3 * z->page ?
		      (size_t)(z->map + 3 * z->page - buf) : len;
	ssize_t n = read(fd, buf, len < room ? len : room);

	if (n > 0) {
		/* Only the good page can take records. */
		if (buf < z->map || buf >= z->map + z->page)
			complain(z, "read into a bad buffer", n, 0);
		else
			check_records(z, buf, n);
		return;
	}
	if (n == 0 && len != 0 && room != 0)
		complain(z, "read", n, 0);
	if (n < 0 && errno != EAGAIN && errno != EFAULT && errno != EINVAL)
		complain(z, "read", n, errno);
	if (n < 0)
		z->refused++;
}

/* A struct of random bytes with a chosen size field, for any ioctl. */
static void fuzz_ioctl(struct fuzzer *z, int fd)
{
	static const unsigned int cmds[] = {
		RMT_IOC_GET_INFO, RMT_IOC_GET_INFO_OLD, RMT_IOC_ENABLE,
		RMT_IOC_DISABLE, RMT_IOC_SET_FILTER, RMT_IOC_GET_FILTER,
		RMT_IOC_SET_CONFIG, RMT_IOC_GET_CONFIG, RMT_IOC_GET_STATS,
		RMT_IOC_RESET, RMT_IOC_GET_SESSIONS, RMT_IOC_ADOPT_BOOT,
	};
	static const unsigned int sizes[] = { 0, 4, 8, 16, 24, 64, 79, 80, 96, 104,
					      184, 200, 352, 360, 440, 4096, 4097 };
	/* Valid sizes stay small: 16 sessions of 64 MiB per CPU would not fit. */
	static const __u32 buffer_bytes[] = { 0, 0, RMT_BUFFER_MIN_BYTES, 16384,
					      65536, 4096, 12288, 1U << 27, 1U << 31 };
	unsigned char arg[512] __attribute__((aligned(8)));
	unsigned int cmd = cmds[pick(z, 12)], i, size;
	unsigned long val;
	long ret;

	if (!pick(z, 20))
		cmd = _IOC(pick(z, 4), RMT_IOC_MAGIC, pick(z, 256), pick(z, 512));
	for (i = 0; i < sizeof(arg); i++)
		arg[i] = pick(z, 4) ? 0 : (unsigned char)pick(z, 256);
	size = pick(z, 2) ? sizes[pick(z, 17)] : pick(z, 600);
	memcpy(arg, &size, sizeof(size));
	/*
	 * The arrays the module fills are never at a random address, which
	 * could be this process's own memory: somewhere in the mapping, or
	 * nowhere.
	 */
	if (cmd == RMT_IOC_GET_STATS) {
		struct rmt_stats *st = (void *)arg;

		st->cpus = (unsigned long)somewhere(z, 512);
		st->nr_cpus = pick(z, 8);
		st->cpu_size = pick(z, 2) ? sizeof(struct rmt_cpu_stats) : pick(z, 200);
	}
	if (cmd == RMT_IOC_GET_SESSIONS) {
		struct rmt_sessions *q = (void *)arg;

		q->sessions = (unsigned long)somewhere(z, 2 * sizeof(struct rmt_session_info));
		q->nr_sessions = pick(z, 4);
		q->session_size = pick(z, 2) ? sizeof(struct rmt_session_info) : pick(z, 600);
	}
	if (cmd == RMT_IOC_SET_CONFIG)
		((struct rmt_config *)arg)->buffer_bytes = buffer_bytes[pick(z, 9)];
	switch (pick(z, 8)) {
	case 0:
		val = (unsigned long)somewhere(z, 512);
		break;
	case 1:
		val = pick(z, 4);	/* ENABLE/DISABLE/ADOPT arguments, or a bad pointer */
		break;
	default:
		val = (unsigned long)arg;
		if (cmd == RMT_IOC_ENABLE || cmd == RMT_IOC_DISABLE ||
		    cmd == RMT_IOC_RESET || cmd == RMT_IOC_ADOPT_BOOT)
			val = pick(z, 4) ? 0 : pick(z, 3);
		break;
	}
	ret = ioctl(fd, cmd, val);
	if (ret == 0)
		return;
	if (ret != -1) {
		complain(z, "ioctl", ret, 0);
		return;
	}
	z->refused++;
	switch (errno) {
	case EINVAL: case E2BIG: case EFAULT: case ENOTTY: case EINTR:
		break;
	case EBUSY:
		/* No room for more buffers, a resize or an adopt after an enable. */
		if (cmd != RMT_IOC_ENABLE && cmd != RMT_IOC_SET_CONFIG &&
		    cmd != RMT_IOC_ADOPT_BOOT)
			complain(z, "ioctl", ret, errno);
		break;
	case ENOENT:
		/* The boot session is someone's already. */
		if (cmd != RMT_IOC_ADOPT_BOOT)
			complain(z, "ioctl", ret, errno);
		break;
	default:
		complain(z, "ioctl", ret, errno);
	}
}

static void *fuzz_run(void *arg)
{
	struct fuzzer *z = arg;
	struct pollfd pfd = { .events = POLLIN };
	int slot, fd;

	while (now() < z->until) {
		slot = pick(z, FDS_EACH);
		fd = z->fds[slot];
		z->ops++;
		if (fd < 0 || !pick(z, 50)) {
			if (fd >= 0)
				close(fd);
			z->fds[slot] = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (z->fds[slot] < 0)
				complain(z, "open", -1, errno);
			continue;
		}
		switch (pick(z, 4)) {
		case 0:
			pfd.fd = fd;
			if (poll(&pfd, 1, pick(z, 10)) < 0)
				complain(z, "poll", -1, errno);
			break;
		case 1:
			fuzz_ioctl(z, fd);
			break;
		default:
			fuzz_read(z, fd);
			break;
		}
	}
	for (slot = 0; slot < FDS_EACH; slot++)
		if (z->fds[slot] >= 0)
			close(z->fds[slot]);
	return NULL;
}

/* 32-bit clients calling until killed. */
static pid_t start_clients(void)
{
	char *argv[] = { "rmt_client32", "recv", "threads=4", "calls=1000000",
			 "flags=0x40", "queued=0", NULL };

	return spawn_client(argv);
}

FIXTURE(fuzz) {
	struct fuzzer z[FUZZERS];
	pid_t clients;
};

FIXTURE_SETUP(fuzz)
{
	self->clients = 0;
}

/*
 * Whatever failed, no client and no session of ours outlives the test, and
 * the module is loaded as by default again.
 */
FIXTURE_TEARDOWN(fuzz)
{
	if (self->clients > 0) {
		kill(self->clients, SIGKILL);
		waitpid(self->clients, NULL, 0);
	}
	restore_module();
}

TEST_F_TIMEOUT(fuzz, random_use_of_the_device_keeps_every_rule_and_record, 900)
{
	const char *env = getenv("RMT_DEVFUZZ_SECONDS");
	const char *seed_env = getenv("RMT_DEVFUZZ_SEED");
	double seconds = env ? atof(env) : 15;
	unsigned int seed = seed_env ? strtoul(seed_env, NULL, 0) : (unsigned int)time(NULL);
	char *argv[] = { "rmt_client32", "recv", "calls=40", NULL };
	long page = sysconf(_SC_PAGESIZE);
	struct rmt_cpu_stats total;
	struct client_report rep;
	pthread_t th[FUZZERS];
	char *map;
	int i, fd;

	TH_LOG("seed %u (RMT_DEVFUZZ_SEED replays), %.0f s", seed, seconds);
	ASSERT_EQ(0, reload_module("enable=1"));
	/* A session that stays enabled, whatever the fuzzers do to theirs. */
	fd = open_session(1);
	ASSERT_LE(0, fd);
	for (i = 0; i < FUZZERS; i++) {
		struct fuzzer *z = &self->z[i];

		memset(z, 0, sizeof(*z));
		z->seed = seed + i;
		z->until = now() + seconds;
		/* Each its own: good page, unmapped page, read-only page. */
		z->map = map = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, map);
		memset(map, 0, 3 * page);
		ASSERT_EQ(0, munmap(map + page, page));
		ASSERT_EQ(0, mprotect(map + 2 * page, page, PROT_READ));
		z->page = page;
		memset(z->fds, -1, sizeof(z->fds));
	}
	self->clients = start_clients();
	ASSERT_LT(0, self->clients);
	for (i = 0; i < FUZZERS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, fuzz_run, &self->z[i]));
	for (i = 0; i < FUZZERS; i++) {
		struct fuzzer *z = &self->z[i];

		pthread_join(th[i], NULL);
		munmap(z->map, page);
		munmap(z->map + 2 * page, page);
		TH_LOG("fuzzer %d: %lu operations, %lu records, %lu refused", i,
		       z->ops, z->records, z->refused);
		EXPECT_EQ(0, z->bad) TH_LOG("fuzzer %d: %s", i, z->why);
	}
	kill(self->clients, SIGKILL);
	waitpid(self->clients, NULL, 0);
	self->clients = 0;

	/* Conservation: a new session gets every record of known calls. */
	close(fd);
	fd = open_session(1);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, run_client(argv, &rep));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, drain(fd, &rec));
	EXPECT_EQ(CHECK_CALLS, rec.n_enter);
	EXPECT_EQ(CHECK_CALLS, rec.n_exit);
	EXPECT_EQ(0, rec.n_lost + rec.n_other);
	ASSERT_EQ(0, get_total(fd, &total));
	EXPECT_EQ(CHECK_CALLS, total.enter.written);
	EXPECT_EQ(CHECK_CALLS, total.exit.written);
	EXPECT_EQ(0, total.enter.dropped + total.exit.dropped);
	close(fd);
}

TEST_HARNESS_MAIN
