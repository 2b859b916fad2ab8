// SPDX-License-Identifier: GPL-2.0
/*
 * Write a synthetic capture file for the decoding benchmark: CALLS calls of
 * four threads of a UDP server, each call an enter and an exit record with
 * two messages from an IPv4 source, on alternating CPUs, in blocks the size
 * the reader reads from the device.
 *
 * usage: make_capture CALLS FILE
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/recvmmsg_trace.h>

#include "../capfile.h"
#include "../records.h"

#define MSGS		2
#define THREADS		4

struct enter_rec {
	struct rmt_enter_record r;
	struct rmt_msg_enter msgs[MSGS];
};

struct exit_rec {
	struct rmt_exit_record r;
	struct rmt_msg_exit msgs[MSGS];
};

static void fill_task(struct rmt_task *t, __u32 tid)
{
	t->tgid = 4000;
	t->tid = tid;
	t->ns_tgid = 4000;
	t->ns_tid = tid;
	t->uid = 1000;
	t->gid = 1000;
	t->cgroup_id = 4242;
	memcpy(t->comm, "udpd\"bench\\", 11);
}

static void fill_exit_task(struct rmt_exit_task *t, __u32 tid)
{
	t->tgid = 4000;
	t->tid = tid;
	memcpy(t->comm, "udpd\"bench\\", 11);
}

static void fill_call(struct rmt_call *c, __s64 ret)
{
	c->syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	c->via = RMT_VIA_SYSCALL;
	c->flags = RMT_CALL_TIMEOUT;
	c->nr_msgs = MSGS;
	c->args[RMT_ARG_FD] = 5;
	c->args[RMT_ARG_MMSG] = 0x804c000;
	c->args[RMT_ARG_VLEN] = 8;
	c->args[RMT_ARG_FLAGS] = 0x10000;
	c->args[RMT_ARG_TIMEOUT] = 0xffd0a000;
	c->timeout_sec = 1;
	c->ret = ret;
}

int main(int argc, char **argv)
{
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5353) };
	static struct enter_rec e;
	static struct exit_rec x;
	struct rmt_record_header round = { .type = RMT_REC_ROUND, .size = sizeof(round) };
	unsigned long long calls, i;
	__u64 t = 1000000000ULL;
	FILE *f;
	int m;

	if (argc != 3 || !(calls = strtoull(argv[1], NULL, 10))) {
		fprintf(stderr, "usage: make_capture CALLS FILE\n");
		return 2;
	}
	f = fopen(argv[2], "wb");
	if (!f || rmt_capfile_write_header(f, 2, 1700000000LL * 1000000000)) {
		perror(argv[2]);
		return 1;
	}
	src.sin_addr.s_addr = htonl(0x0a000001);
	e.r.hdr.type = RMT_REC_ENTER;
	e.r.hdr.size = sizeof(e);
	x.r.hdr.type = RMT_REC_EXIT;
	x.r.hdr.size = sizeof(x);
	fill_call(&e.r.call, 0);
	fill_call(&x.r.call, MSGS);
	x.r.call.timeout_nsec = 0;
	for (m = 0; m < MSGS; m++) {
		e.msgs[m] = (struct rmt_msg_enter){
			.name = 0x804d000 + 32 * m, .namelen = sizeof(src),
			.iov = 0x804e000 + 8 * m, .iovlen = 1, .nr_iov = 1,
			.iov_snap[0] = { .base = 0x8050000 + 2048 * m, .len = 2048 },
		};
		x.msgs[m].len = 100 + m;
		x.msgs[m].namelen = sizeof(src);
		x.msgs[m].name_bytes = sizeof(src);
		memcpy(x.msgs[m].name, &src, sizeof(src));
	}
	for (i = 0; i < calls; i++) {
		__u32 tid = 4000 + (__u32)(i % THREADS), cpu = (__u32)(i % 2);

		fill_task(&e.r.task, tid);
		fill_exit_task(&x.r.task, tid);
		e.r.hdr.cpu = cpu;
		e.r.hdr.time_ns = t;
		x.r.hdr.cpu = cpu;
		x.r.hdr.time_ns = t + 3000;
		t += 1000;
		if (fwrite(&e, sizeof(e), 1, f) != 1 || fwrite(&x, sizeof(x), 1, f) != 1) {
			perror(argv[2]);
			return 1;
		}
		/* As the reader writes them: every record older than t is in. */
		round.time_ns = t;
		if (i % 64 == 63 && fwrite(&round, sizeof(round), 1, f) != 1) {
			perror(argv[2]);
			return 1;
		}
	}
	if (fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
