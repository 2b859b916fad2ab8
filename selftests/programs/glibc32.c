// SPDX-License-Identifier: GPL-2.0
/*
 * rmt_glibc32: a dynamically linked i386 program that receives with glibc's
 * recvmmsg(), as 32-bit programs on a distribution do. glibc passes a
 * 64-bit timeout, so on current kernels this is recvmmsg_time64 (417): the
 * module records it only with its time64 parameter. Queues two datagrams
 * to itself, receives them with one call of vlen 4, MSG_WAITFORONE and a
 * two-second timeout, and prints what glibc returned.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define VLEN	4

int main(void)
{
	struct sockaddr_in self = { .sin_family = AF_INET };
	struct sockaddr_in from[VLEN];
	struct mmsghdr msgs[VLEN];
	struct iovec iov[VLEN];
	struct timespec timeout = { .tv_sec = 2 };
	socklen_t len = sizeof(self);
	char bufs[VLEN][256];
	int fd, i, n;

	self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&self, sizeof(self)) ||
	    getsockname(fd, (struct sockaddr *)&self, &len)) {
		perror("rmt_glibc32: socket");
		return 1;
	}
	for (i = 0; i < 2; i++)
		if (sendto(fd, "glibc datagram", 14, 0, (struct sockaddr *)&self, len) != 14) {
			perror("rmt_glibc32: sendto");
			return 1;
		}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < VLEN; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof(bufs[i]);
		msgs[i].msg_hdr.msg_name = &from[i];
		msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(fd, msgs, VLEN, MSG_WAITFORONE, &timeout);
	if (n < 0) {
		perror("rmt_glibc32: recvmmsg");
		return 1;
	}
	printf("glibc32 pid=%d fd=%d mmsg=%#lx vlen=%d ret=%d\n", (int)getpid(), fd,
	       (unsigned long)msgs, VLEN, n);
	for (i = 0; i < n; i++)
		printf("glibc32 msg=%d len=%u from=127.0.0.1:%d\n", i, msgs[i].msg_len,
		       ntohs(from[i].sin_port));
	return 0;
}
