// SPDX-License-Identifier: GPL-2.0
/*
 * Soak: rounds of abuse until RMT_SOAK_SECONDS (environment, default 20)
 * have passed; every round
 *  1. reloads the module, by name, as an operator would;
 *  2. churns: 8 client threads on the direct path and 8 through
 *     socketcall keep calling while this process opens and closes
 *     sessions, swaps their filters and configs, resizes, enables,
 *     disables, resets and drains them at random, and the real reader is
 *     started and killed with SIGKILL;
 *  3. accounts: 8 + 8 threads make a known number of calls, each
 *     receiving a datagram, while three new sessions (one of the smallest
 *     buffers) are each drained by a thread of their own, and every call
 *     is conserved in each: written + dropped == calls made, what was read
 *     == written, LOST == dropped; the real reader's --summary of the same
 *     calls flags no vector as rewritten (TOCTOU): none was.
 * Meant for debug kernels (KASAN, lockdep, kmemleak watch it) and, shorter,
 * for every kernel of the matrix. The seed is printed; RMT_SOAK_SEED replays.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

#define CHURN_SECONDS	3
#define CALLS_EACH	200
#define PATHS		2	/* direct and socketcall */
#define THREADS		8

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 8 threads of @calls calls each; @queued: datagrams waiting for each call. */
static pid_t start_client(const char *via, int calls, int queued)
{
	char via_arg[32], calls_arg[32], queued_arg[32];
	char *argv[] = { "rmt_client32", "recv", via_arg, "threads=8", calls_arg,
			 "flags=0x40", queued_arg, NULL };

	snprintf(via_arg, sizeof(via_arg), "via=%s", via);
	snprintf(calls_arg, sizeof(calls_arg), "calls=%d", calls);
	snprintf(queued_arg, sizeof(queued_arg), "queued=%d", queued);
	return spawn_client(argv);
}

/* The real reader with @argv, its output on @out (-1: nowhere). */
static pid_t start_reader_with(char *const argv[], int out)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(out >= 0 ? out : null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv("./recvmmsg-trace", argv);
		_exit(127);
	}
	return pid;
}

static pid_t start_reader(void)
{
	char *const argv[] = { "recvmmsg-trace", "-o", "json", NULL };

	return start_reader_with(argv, -1);
}

/* Sessions churn keeps open at once (the module lets 8 have buffers). */
#define POOL		6

/* One random operation on one of the sessions of @pool; the module must take any. */
static void random_control(int *pool, pid_t client)
{
	static char buf[1 << 16] __attribute__((aligned(8)));
	struct rmt_filter f = { .size = sizeof(f) };
	struct rmt_config c = { .size = sizeof(c) };
	struct rmt_stats st = { .size = sizeof(st) };
	int slot = rand() % POOL, fd = pool[slot];

	if (fd < 0) {
		pool[slot] = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		return;
	}
	switch (rand() % 11) {
	case 0:
		switch (rand() % 4) {
		case 0:
			f.flags = RMT_FILTER_COMM;
			strcpy(f.comm, rand() % 2 ? "rmt_client32" : "nobody");
			break;
		case 1:
			f.flags = RMT_FILTER_FD;
			f.fd = rand() % 8;
			break;
		case 2:
			f.flags = RMT_FILTER_TGIDS;
			f.nr_tgids = 1;
			f.tgids[0] = client;
			break;
		}
		ioctl(fd, RMT_IOC_SET_FILTER, &f);
		break;
	case 1:
		c.snaplen = 1 + rand() % RMT_SNAPLEN_MAX;
		c.flags = rand() % 2 ? RMT_CONFIG_NO_EXIT : 0;
		ioctl(fd, RMT_IOC_SET_CONFIG, &c);
		break;
	case 2:
	case 3:
		/* Past the cap of sessions with buffers: EBUSY, fine. */
		ioctl(fd, RMT_IOC_ENABLE, 0);
		break;
	case 4:
		ioctl(fd, RMT_IOC_DISABLE, 0);
		break;
	case 5:
		ioctl(fd, RMT_IOC_RESET, 0);
		break;
	case 6:
		ioctl(fd, RMT_IOC_GET_STATS, &st);
		break;
	case 7:
		/* Only while disabled: the buffers go, new ones come at enable. */
		set_buffer_bytes(fd, RMT_BUFFER_MIN_BYTES << rand() % 6);
		break;
	case 8:
		/* The session ends, whatever it held. */
		close(fd);
		pool[slot] = -1;
		break;
	default:
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		break;
	}
}

static void reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

/* Clients, random control and a reader killed mid-flight, for CHURN_SECONDS. */
static void churn(struct __test_metadata *_metadata)
{
	pid_t clients[PATHS] = { 0 }, reader = 0;
	double end = now() + CHURN_SECONDS, next_reader = 0;
	int pool[POOL], i, ops = 0, kills = 0;

	for (i = 0; i < POOL; i++)
		pool[i] = -1;
	while (now() < end) {
		for (i = 0; i < PATHS; i++) {
			if (clients[i] > 0 && waitpid(clients[i], NULL, WNOHANG) == clients[i])
				clients[i] = 0;
			if (!clients[i])
				clients[i] = start_client(i ? "socketcall" : "syscall",
							  CALLS_EACH, 0);
		}
		if (now() >= next_reader) {
			if (reader) {
				reap(&reader);
				kills++;
			} else {
				reader = start_reader();
			}
			next_reader = now() + 0.05 + (rand() % 400) / 1000.0;
		}
		random_control(pool, clients[0]);
		ops++;
		usleep(rand() % 2000);
	}
	reap(&reader);
	for (i = 0; i < PATHS; i++)
		reap(&clients[i]);
	for (i = 0; i < POOL; i++)
		if (pool[i] >= 0)
			close(pool[i]);
	TH_LOG("churn: %d control operations, reader killed %d times", ops, kills);
}

/* Sessions account() drains at once. */
#define ACCOUNTED	3

/*
 * Sum the calls, messages and TOCTOU-flagged calls of the rows of a
 * --summary table (pid comm calls msgs bytes errors toctou ...).
 */
static int summary_totals(int fd, unsigned long long *calls,
			  unsigned long long *msgs, unsigned long long *toctou)
{
	unsigned long long c, m, b, e, t;
	char line[512], comm[64];
	int pid, rows = 0;
	FILE *f = fdopen(dup(fd), "r");

	if (!f)
		return -1;
	*calls = *msgs = *toctou = 0;
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %63s %llu %llu %llu %llu %llu", &pid, comm,
			   &c, &m, &b, &e, &t) == 7) {
			*calls += c;
			*msgs += m;
			*toctou += t;
			rows++;
		}
	fclose(f);
	return rows;
}

/* 8 + 8 threads of known calls: each new session accounts for every one. */
static void account(struct __test_metadata *_metadata)
{
	const unsigned long long calls = (unsigned long long)PATHS * THREADS * CALLS_EACH;
	struct drainer d[ACCOUNTED] = { 0 };
	char *const summary[] = { "recvmmsg-trace", "--summary", "-c", "rmt_client32", NULL };
	unsigned long long seen = 0, msgs = 0, toctou = 0;
	pthread_t th[ACCOUNTED];
	pid_t clients[PATHS], reader;
	int i, status, out;

	for (i = 0; i < ACCOUNTED; i++) {
		d[i].fd = open_session(0);
		ASSERT_LE(0, d[i].fd);
	}
	/* One of them of the smallest buffers: it drops, and says so. */
	ASSERT_EQ(0, set_buffer_bytes(d[0].fd, RMT_BUFFER_MIN_BYTES));
	for (i = 0; i < ACCOUNTED; i++) {
		ASSERT_EQ(0, ioctl(d[i].fd, RMT_IOC_ENABLE, 0));
		ASSERT_EQ(0, start_drainer(&d[i], &th[i]));
	}
	out = open("/tmp/soak_summary", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, out);
	reader = start_reader_with(summary, out);
	ASSERT_EQ(0, wait_until_enabled(reader));
	for (i = 0; i < PATHS; i++)
		clients[i] = start_client(i ? "socketcall" : "syscall", CALLS_EACH, 1);
	for (i = 0; i < PATHS; i++) {
		ASSERT_EQ(clients[i], waitpid(clients[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	finish_and_expect_each_conserved(_metadata, calls, d, th, ACCOUNTED);
	for (i = 0; i < ACCOUNTED; i++)
		close(d[i].fd);
	/* The reader's table: vectors read at entry and exit, none flagged. */
	ASSERT_EQ(0, kill(reader, SIGINT));
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_LT(0, summary_totals(out, &seen, &msgs, &toctou));
	close(out);
	TH_LOG("reader: %llu calls, %llu messages, %llu flagged", seen, msgs, toctou);
	EXPECT_LT(0, msgs) TH_LOG("%llu calls received nothing", seen);
	EXPECT_EQ(0, toctou) TH_LOG("%llu of %llu calls flagged", toctou, seen);
}

FIXTURE(soak) {
	int unused;
};

FIXTURE_SETUP(soak)
{
}

FIXTURE_TEARDOWN(soak)
{
	restore_module();
}

TEST_F_TIMEOUT(soak, rounds_of_churn_then_exact_accounting, 3600)
{
	const char *env = getenv("RMT_SOAK_SECONDS");
	const char *seed_env = getenv("RMT_SOAK_SEED");
	double seconds = env ? atof(env) : 20, start = now();
	unsigned int seed = seed_env ? (unsigned int)atoi(seed_env) : (unsigned int)time(NULL);
	int rounds = 0;

	TH_LOG("seed %u, %.0f s", seed, seconds);
	srand(seed);
	do {
		ASSERT_EQ(0, reload_module(""));
		churn(_metadata);
		ASSERT_EQ(0, reload_module(""));
		account(_metadata);
		rounds++;
	} while (now() - start < seconds);
	TH_LOG("%d rounds in %.0f s", rounds, now() - start);
}

TEST_HARNESS_MAIN
