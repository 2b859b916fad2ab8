// SPDX-License-Identifier: GPL-2.0
/*
 * Under load and abuse: exact counts while many 32-bit threads call and a
 * reader drains (three sessions at once too), control changes hammered
 * during capture, a seeded random fuzzer of the device's calls, and
 * load/unload under load. The guest's kernel log is checked for warnings
 * after the run (tools/vm/run-guest.sh).
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
#include "rmt_fixture.h"

#define THREADS		"threads=8"
#define CALLS_EACH	1500
#define CALLS_TOTAL	(8ULL * CALLS_EACH)

/*
 * 8 threads x CALLS_EACH calls while each of the @n enabled sessions @fds
 * is drained by a thread of its own: every count of each adds up.
 */
static void check_exact_under_load(struct __test_metadata *_metadata,
				   const int *fds, int n)
{
	char calls[32];
	char *argv[] = { "rmt_client32", "recv", THREADS, calls, "flags=0x40",
			 "queued=0", NULL };
	struct client_report reps[MAX_REPORTS];
	struct drainer d[3] = { 0 };
	pthread_t th[3];
	int i;

	ASSERT_GE(3, n);
	snprintf(calls, sizeof(calls), "calls=%d", CALLS_EACH);
	for (i = 0; i < n; i++) {
		d[i].fd = fds[i];
		ASSERT_EQ(0, start_drainer(&d[i], &th[i]));
	}
	ASSERT_EQ(8, run_client_in(argv, reps, NULL, NULL, 0));
	finish_and_expect_each_conserved(_metadata, CALLS_TOTAL, d, th, n);
}

TEST_F(dev, stats_exact_under_load_default_buffer)
{
	check_exact_under_load(_metadata, &self->fd, 1);
}

/*
 * Three sessions at once: this one, one of the smallest buffers (it drops)
 * and one of 64 KiB; each gets every call, written or dropped.
 */
TEST_F(dev, three_sessions_each_conserve_every_call_under_load)
{
	int fds[3] = { self->fd, open_session(0), open_session(0) };

	ASSERT_LE(0, fds[1]);
	ASSERT_LE(0, fds[2]);
	ASSERT_EQ(0, set_buffer_bytes(fds[1], RMT_BUFFER_MIN_BYTES));
	ASSERT_EQ(0, set_buffer_bytes(fds[2], 64 * 1024));
	ASSERT_EQ(0, ioctl(fds[1], RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, ioctl(fds[2], RMT_IOC_ENABLE, 0));
	check_exact_under_load(_metadata, fds, 3);
	close(fds[1]);
	close(fds[2]);
}

/* Run the real reader, entry only, while the client floods; count its lines. */
static void check_reader_accounts_for_every_call(struct __test_metadata *_metadata)
{
	char calls[32];
	char *argv[] = { "rmt_client32", "recv", THREADS, calls, "flags=0x40",
			 "queued=0", NULL };
	struct client_report reps[MAX_REPORTS];
	unsigned long long printed = 0, lost = 0, n;
	int odd = 0;
	char line[8192];
	int out[2], status;
	pid_t reader;
	FILE *f;

	snprintf(calls, sizeof(calls), "calls=%d", CALLS_EACH);
	ASSERT_EQ(0, pipe(out));
	reader = fork();
	ASSERT_LE(0, reader);
	if (reader == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		execl("./recvmmsg-trace", "recvmmsg-trace", "--no-exit", "-c",
		      "rmt_client32", NULL);
		_exit(127);
	}
	close(out[1]);
	ASSERT_EQ(0, wait_until_enabled(reader));
	ASSERT_EQ(8, run_client_in(argv, reps, NULL, NULL, 0));
	kill(reader, SIGINT);
	f = fdopen(out[0], "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " recvmmsg_time32("))
			printed++;
		else if (sscanf(line, "+++ lost %llu records", &n) == 1)
			lost += n;
		else if (odd++ < 3)
			TH_LOG("unexpected line: %.200s", line);
	}
	fclose(f);
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(CALLS_TOTAL, printed + lost);
	TH_LOG("printed %llu, reported lost %llu", printed, lost);
}

TEST(reader_no_exit_accounts_for_every_call)
{
	check_reader_accounts_for_every_call(_metadata);
}

struct hammer {
	int fd;
	volatile int stop;
	unsigned int seed;
	int errors;
};

/* Swap filters, flip capture, reset, change config, as fast as it can. */
static void *hammer_run(void *arg)
{
	struct hammer *h = arg;

	while (!h->stop) {
		struct rmt_filter f = { .size = sizeof(f) };
		struct rmt_config c = { .size = sizeof(c), .snaplen = 1 };
		int op = rand_r(&h->seed) % 6;

		switch (op) {
		case 0:
			f.flags = RMT_FILTER_UID;
			f.uid = rand_r(&h->seed) % 2 ? 0 : 4242;
			h->errors += !!ioctl(h->fd, RMT_IOC_SET_FILTER, &f);
			break;
		case 1:
			h->errors += !!ioctl(h->fd, RMT_IOC_SET_FILTER, &f);
			break;
		case 2:
			h->errors += !!ioctl(h->fd, RMT_IOC_DISABLE, 0);
			h->errors += !!ioctl(h->fd, RMT_IOC_ENABLE, 0);
			break;
		case 3:
			h->errors += !!ioctl(h->fd, RMT_IOC_RESET, 0);
			break;
		case 4:
			c.snaplen += rand_r(&h->seed) % RMT_SNAPLEN_MAX;
			c.flags = rand_r(&h->seed) % 2 ? RMT_CONFIG_NO_EXIT : 0;
			h->errors += !!ioctl(h->fd, RMT_IOC_SET_CONFIG, &c);
			break;
		default:
			usleep(1000);
		}
	}
	return NULL;
}

TEST_F(dev, control_hammered_during_capture_tears_nothing)
{
	char *argv[] = { "rmt_client32", "recv", THREADS, "calls=2000", "flags=0x40",
			 "queued=0", "vlen=3", NULL };
	struct client_report reps[MAX_REPORTS];
	struct hammer h = { .fd = self->fd, .seed = (unsigned int)time(NULL) };
	struct drainer d = { .fd = self->fd };
	struct rmt_cpu_stats t;
	pthread_t dth, hth;

	TH_LOG("seed %u", h.seed);
	ASSERT_EQ(0, start_drainer(&d, &dth));
	ASSERT_EQ(0, pthread_create(&hth, NULL, hammer_run, &h));
	EXPECT_EQ(8, run_client_in(argv, reps, NULL, NULL, 0));
	h.stop = 1;
	pthread_join(hth, NULL);
	finish_drainer(&d, dth);

	EXPECT_EQ(0, h.errors);
	EXPECT_EQ(0, d.torn);
	ASSERT_EQ(0, get_total(self->fd, &t));
	/* Since the last reset every call was counted exactly once. */
	expect_counts_add_up(_metadata, &t);
}

/* Pointers a fuzzer passes: valid, NULL, small, unmapped, kernel. */
static void *fuzz_pointer(unsigned int *seed, void *valid, void *hole)
{
	switch (rand_r(seed) % 6) {
	case 0:
		return NULL;
	case 1:
		return (void *)(unsigned long)(rand_r(seed) % 4096);
	case 2:
		return hole;
	case 3:
		return (void *)0xffffffff81000000UL;
	default:
		return valid;
	}
}

TEST_F(dev, seeded_random_fuzz_then_still_traces)
{
	static char valid[8192] __attribute__((aligned(8)));
	unsigned int seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	char *argv[] = { "rmt_client32", "recv", NULL };
	void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct client_report rep;
	struct timespec start, now;
	int fds[4] = { -1, -1, -1, -1 };
	unsigned long ops = 0;
	int i;

	ASSERT_NE(MAP_FAILED, hole);
	TH_LOG("seed %u", seed);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int slot = rand_r(&seed) % 4, op = rand_r(&seed) % 8;
		unsigned int nr, size, dir;
		void *p;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= 8)
			break;
		ops++;
		if (fds[slot] < 0) {
			fds[slot] = open(RMT_DEVICE_PATH, O_RDONLY |
					 (rand_r(&seed) % 2 ? O_NONBLOCK : 0));
			continue;
		}
		switch (op) {
		case 0:
			close(fds[slot]);
			fds[slot] = -1;
			break;
		case 1: {
			struct pollfd pfd = { .fd = fds[slot], .events = POLLIN };

			poll(&pfd, 1, 0);
			break;
		}
		case 2:
			/* A valid buffer only with a count that fits it. */
			p = fuzz_pointer(&seed, valid, hole);
			fcntl(fds[slot], F_SETFL, O_NONBLOCK);
			if (read(fds[slot], p, p == valid ? rand_r(&seed) % sizeof(valid) :
				 rand_r(&seed)) < 0 && errno == EINTR)
				break;
			break;
		default:
			for (i = 0; i < (int)sizeof(valid) / 4; i++)
				((unsigned int *)valid)[i] = rand_r(&seed) % 3 ? 0 : rand_r(&seed);
			((unsigned int *)valid)[0] = rand_r(&seed) % 512;
			/* Where a struct holds a user pointer (rmt_stats.cpus),
			 * never one into this process: the kernel would write there. */
			((unsigned long *)valid)[1] = rand_r(&seed) % 2 ? 0 : (unsigned long)hole;
			nr = rand_r(&seed) % 12;
			size = rand_r(&seed) % 600;
			dir = rand_r(&seed) % 4;
			p = fuzz_pointer(&seed, valid, hole);
			ioctl(fds[slot], _IOC(dir, rand_r(&seed) % 8 ? RMT_IOC_MAGIC :
					      rand_r(&seed) % 256, nr, size),
			      rand_r(&seed) % 5 ? p : (void *)(unsigned long)rand_r(&seed));
		}
	}
	for (i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	TH_LOG("%lu operations", ops);

	/* Back to a known state: the module still does its job. */
	ASSERT_EQ(0, restore_defaults(self->fd));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
	RUN_ONE_CALL(argv, rep, 1);
	EXPECT_EQ(rep.pid, E(0)->task.tgid);
}

/* Declared last so that it runs last: its tests reload the module. */
FIXTURE(reload) {
};

FIXTURE_SETUP(reload)
{
}

FIXTURE_TEARDOWN(reload)
{
	restore_module();
}

TEST_F(reload, stats_exact_under_load_tiny_buffer)
{
	int fd;

	ASSERT_EQ(0, reload_module("buffer_size=8192"));
	fd = open(RMT_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));
	check_exact_under_load(_metadata, &fd, 1);
	close(fd);
}

TEST_F(reload, reader_accounts_for_every_call_tiny_buffer)
{
	ASSERT_EQ(0, reload_module("buffer_size=8192"));
	check_reader_accounts_for_every_call(_metadata);
}

/* Debug kernels (KASAN, lockdep) take well over the default 30 s for this. */
TEST_F_TIMEOUT(reload, load_and_unload_20_times_under_load, 600)
{
	char *argv[] = { "rmt_client32", "recv", "threads=4", "calls=100000000",
			 "flags=0x40", "queued=0", NULL };
	pid_t load = spawn_client(argv);
	int i, failures = 0, status;

	ASSERT_LT(0, load);
	for (i = 0; i < 20; i++) {
		failures += system("modprobe -r recvmmsg_trace") != 0;
		failures += system("modprobe recvmmsg_trace enable=1") != 0;
		usleep(50000);
	}
	kill(load, SIGKILL);
	waitpid(load, &status, 0);
	EXPECT_EQ(0, failures);
}

TEST_HARNESS_MAIN
