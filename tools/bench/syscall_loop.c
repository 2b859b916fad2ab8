// SPDX-License-Identifier: GPL-2.0
/*
 * The workloads `make bench` times in the guest, built 64-bit and 32-bit.
 *
 *   syscall_loop getpid N    N getpid system calls; prints ns per call
 *   syscall_loop recv M N    (32-bit only) N rounds of: M datagrams sent to
 *                            a loopback UDP socket, then one recvmmsg_time32
 *                            (i386 syscall 337) receiving them; prints the
 *                            mean ns of the recvmmsg calls alone
 *   syscall_loop flood T N [RATE]
 *                            (32-bit only) T threads, each N recvmmsg_time32
 *                            calls on its own empty socket (EAGAIN at once),
 *                            at full speed or paced to RATE calls/s in all;
 *                            prints calls per second over all threads
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_MSGS	8

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bench_getpid(long n)
{
	double start = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	printf("%.1f\n", (now_ns() - start) / n);
	return 0;
}

#ifdef __i386__
static int bench_recv(int m, long n)
{
	struct sockaddr_in addr = { .sin_family = AF_INET,
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static char bufs[MAX_MSGS][64];
	struct iovec iov[MAX_MSGS];
	struct mmsghdr msgs[MAX_MSGS];
	socklen_t len = sizeof(addr);
	double spent = 0;
	int s = socket(AF_INET, SOCK_DGRAM, 0), i;
	long r;

	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)) ||
	    getsockname(s, (struct sockaddr *)&addr, &len)) {
		perror("socket");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < m; i++) {
		iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	for (r = 0; r < n; r++) {
		double t;
		long got;

		for (i = 0; i < m; i++)
			sendto(s, "datagram", 8, 0, (struct sockaddr *)&addr, sizeof(addr));
		t = now_ns();
		got = syscall(337, s, msgs, m, MSG_DONTWAIT, NULL);
		spent += now_ns() - t;
		if (got != m) {
			fprintf(stderr, "recvmmsg_time32: got %ld of %d\n", got, m);
			return 1;
		}
	}
	printf("%.1f\n", spent / n);
	return 0;
}
#endif

#ifdef __i386__
static long flood_calls;
static double flood_interval_ns;	/* per thread; 0: full speed */

/* Sleep only when more than this ahead, so that pacing costs few syscalls. */
#define PACE_SLACK_NS	1e6

static void pace(double start, long i)
{
	double ahead = start + i * flood_interval_ns - now_ns();
	struct timespec ts;

	if (ahead < PACE_SLACK_NS)
		return;
	ts.tv_sec = (time_t)(ahead / 1e9);
	ts.tv_nsec = (long)(ahead - ts.tv_sec * 1e9);
	nanosleep(&ts, NULL);
}

static void *flood_thread(void *arg)
{
	struct mmsghdr msg = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	double start = now_ns();
	long i;

	(void)arg;
	for (i = 0; i < flood_calls; i++) {
		if (flood_interval_ns)
			pace(start, i);
		syscall(337, s, &msg, 1, MSG_DONTWAIT, NULL);
	}
	return NULL;
}

static int bench_flood(int threads, long n, double rate)
{
	pthread_t th[16];
	double start = now_ns();
	int i;

	flood_calls = n;
	flood_interval_ns = rate > 0 ? threads * 1e9 / rate : 0;
	for (i = 0; i < threads; i++)
		if (pthread_create(&th[i], NULL, flood_thread, NULL))
			return 1;
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	printf("%.0f\n", threads * n / ((now_ns() - start) / 1e9));
	return 0;
}
#endif

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "getpid"))
		return bench_getpid(atol(argv[2]));
#ifdef __i386__
	if (argc == 4 && !strcmp(argv[1], "recv") && atoi(argv[2]) > 0 &&
	    atoi(argv[2]) <= MAX_MSGS)
		return bench_recv(atoi(argv[2]), atol(argv[3]));
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "flood") &&
	    atoi(argv[2]) > 0 && atoi(argv[2]) <= 16)
		return bench_flood(atoi(argv[2]), atol(argv[3]),
				   argc == 5 ? atof(argv[4]) : 0);
#endif
	fprintf(stderr, "usage: see the comment at the top of syscall_loop.c\n");
	return 2;
}
