// SPDX-License-Identifier: GPL-2.0
/*
 * rmt_client32: a 32-bit program that makes one known system call so the
 * selftests can compare what the module recorded with what was done.
 * Built with gcc -m32 -static.
 *
 *   rmt_client32 direct FD VLEN FLAGS QUEUED [SEC NSEC]
 *	queue QUEUED datagrams on a loopback UDP socket numbered FD, then call
 *	recvmmsg_time32 (337) with VLEN, FLAGS and a timeout of SEC.NSEC
 *	(NULL when SEC NSEC are absent)
 *   rmt_client32 time64 FD	the same with recvmmsg_time64 (417)
 *   rmt_client32 other FD	other socket system calls, no recvmmsg
 *   rmt_client32 serve PORT COUNT
 *	receive COUNT datagrams on 127.0.0.1:PORT with recvmmsg_time32
 *   rmt_client32 send PORT COUNT
 *	send COUNT datagrams to 127.0.0.1:PORT, two at a time
 *
 * direct, time64 and other print one line: pid=P tid=T mmsg=ADDR timeout=ADDR ret=R errno=E
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_RECVMMSG_TIME32	337
#define NR_RECVMMSG_TIME64	417
#define MAX_VLEN		64

#if !defined(__i386__)
#error "rmt_client32 must be built for i386 (gcc -m32)"
#endif

/* The 32-bit layouts the kernel reads, spelled out. */
struct ts32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

struct ts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

static struct mmsghdr msgs[MAX_VLEN];
static struct iovec iovs[MAX_VLEN];
static char bufs[MAX_VLEN][256];
static struct sockaddr_in addrs[MAX_VLEN];

static int udp_socket_at(int want_fd, struct sockaddr_in *bound)
{
	socklen_t len = sizeof(*bound);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		return -1;
	memset(bound, 0, sizeof(*bound));
	bound->sin_family = AF_INET;
	bound->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)bound, sizeof(*bound)) ||
	    getsockname(s, (struct sockaddr *)bound, &len))
		return -1;
	if (want_fd >= 0 && want_fd != s) {
		if (dup2(s, want_fd) < 0)
			return -1;
		close(s);
		s = want_fd;
	}
	return s;
}

static int queue_datagrams(int s, const struct sockaddr_in *to, int n)
{
	char payload[64];
	int i;

	for (i = 0; i < n; i++) {
		int len = snprintf(payload, sizeof(payload), "datagram %d", i);

		if (sendto(s, payload, len, 0, (const struct sockaddr *)to,
			   sizeof(*to)) != len)
			return -1;
	}
	return 0;
}

static void prepare_msgs(unsigned int vlen)
{
	unsigned int i;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < vlen && i < MAX_VLEN; i++) {
		iovs[i].iov_base = bufs[i];
		iovs[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_iov = &iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &addrs[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(addrs[i]);
	}
}

static void report(long ret, int err, const void *tsp)
{
	printf("pid=%d tid=%d mmsg=%#lx timeout=%#lx ret=%ld errno=%d\n",
	       getpid(), gettid(), (unsigned long)(uintptr_t)msgs,
	       (unsigned long)(uintptr_t)tsp, ret, err);
	fflush(stdout);
}

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of rmt_client32.c\n");
	return 2;
}

static int cmd_direct(int argc, char **argv)
{
	static struct ts32 ts;
	struct sockaddr_in self;
	unsigned int vlen, flags;
	struct ts32 *tsp = NULL;
	int fd, s, queued;
	long ret;

	if (argc != 6 && argc != 8)
		return usage();
	fd = atoi(argv[2]);
	vlen = strtoul(argv[3], NULL, 0);
	flags = strtoul(argv[4], NULL, 0);
	queued = atoi(argv[5]);
	if (argc == 8) {
		ts.tv_sec = atoi(argv[6]);
		ts.tv_nsec = atoi(argv[7]);
		tsp = &ts;
	}
	s = udp_socket_at(fd, &self);
	if (s < 0 || queue_datagrams(s, &self, queued)) {
		perror("rmt_client32: socket setup");
		return 1;
	}
	prepare_msgs(vlen);
	ret = syscall(NR_RECVMMSG_TIME32, s, msgs, vlen, flags, tsp);
	report(ret, ret < 0 ? errno : 0, tsp);
	return 0;
}

static int cmd_time64(int argc, char **argv)
{
	static struct ts64 ts = { .tv_sec = 1 };
	struct sockaddr_in self;
	long ret;
	int s;

	if (argc != 3)
		return usage();
	s = udp_socket_at(atoi(argv[2]), &self);
	if (s < 0 || queue_datagrams(s, &self, 1)) {
		perror("rmt_client32: socket setup");
		return 1;
	}
	prepare_msgs(1);
	ret = syscall(NR_RECVMMSG_TIME64, s, msgs, 1, 0, &ts);
	report(ret, ret < 0 ? errno : 0, &ts);
	return 0;
}

static int cmd_other(int argc, char **argv)
{
	struct sockaddr_in self;
	struct msghdr mh = { 0 };
	long ret;
	int s;

	if (argc != 3)
		return usage();
	s = udp_socket_at(atoi(argv[2]), &self);
	if (s < 0 || queue_datagrams(s, &self, 2)) {
		perror("rmt_client32: socket setup");
		return 1;
	}
	prepare_msgs(1);
	mh = msgs[0].msg_hdr;
	ret = recvmsg(s, &mh, 0);
	if (ret >= 0)
		ret = recv(s, bufs[0], sizeof(bufs[0]), MSG_DONTWAIT);
	report(ret, ret < 0 ? errno : 0, NULL);
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int s, count, got = 0;

	if (argc != 4)
		return usage();
	count = atoi(argv[3]);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(atoi(argv[2]));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("rmt_client32: bind");
		return 1;
	}
	printf("rmt_client32: pid %d receiving on 127.0.0.1:%s fd %d\n",
	       getpid(), argv[2], s);
	fflush(stdout);
	while (got < count) {
		struct ts32 ts = { .tv_sec = 5 };
		long ret;

		prepare_msgs(8);
		ret = syscall(NR_RECVMMSG_TIME32, s, msgs, 8, MSG_WAITFORONE, &ts);
		if (ret < 0 && errno != EAGAIN && errno != EINTR) {
			perror("rmt_client32: recvmmsg_time32");
			return 1;
		}
		if (ret > 0)
			got += ret;
	}
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int s, i, count;

	if (argc != 4)
		return usage();
	count = atoi(argv[3]);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(atoi(argv[2]));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		perror("rmt_client32: socket");
		return 1;
	}
	for (i = 0; i < count; i += 2) {
		if (queue_datagrams(s, &to, count - i < 2 ? count - i : 2)) {
			perror("rmt_client32: sendto");
			return 1;
		}
		usleep(200000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "direct"))
		return cmd_direct(argc, argv);
	if (!strcmp(argv[1], "time64"))
		return cmd_time64(argc, argv);
	if (!strcmp(argv[1], "other"))
		return cmd_other(argc, argv);
	if (!strcmp(argv[1], "serve"))
		return cmd_serve(argc, argv);
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc, argv);
	return usage();
}
