// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the reader's decoding: synthetic record streams go through
 * the same decode, sort, pairing and printers as a live capture, and the
 * output is compared exactly. No kernel involved.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../calls.h"
#include "../output.h"
#include "../records.h"

#include "kselftest_harness.h"

#define SEC 1000000000ULL

struct stream {
	unsigned char buf[16384] __attribute__((aligned(8)));
	size_t len;
};

static void put(struct stream *s, const void *rec, size_t size)
{
	memcpy(s->buf + s->len, rec, size);
	s->len += size;
}

static void fill_task(struct rmt_task *task, __u32 tid, const char *comm)
{
	task->tgid = task->tid = tid;
	task->ns_tgid = task->ns_tid = tid - 40;
	task->ppid = 1;
	task->uid = 1000;
	task->gid = 100;
	task->pid_ns = 4026531836U;
	task->mnt_ns = 4026531841U;
	task->cgroup_id = 7777;
	strncpy(task->comm, comm, sizeof(task->comm) - 1);
}

/* An enter record with @nr messages of one 1500-byte iovec each. */
static void put_enter(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
		      const char *comm, __u32 fd, __u32 vlen, __u32 flags,
		      __u32 timeout, unsigned int nr)
{
	union {
		struct rmt_enter_record e;
		unsigned char space[RMT_RECORD_MAX_SIZE];
	} u = { 0 };
	struct rmt_enter_record *e = &u.e;
	unsigned int i;

	e->hdr = (struct rmt_record_header){ RMT_REC_ENTER,
		sizeof(*e) + nr * sizeof(e->msgs[0]), cpu, t };
	fill_task(&e->task, tid, comm);
	e->call.syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	e->call.nr_msgs = nr;
	e->call.flags = (vlen > nr ? RMT_CALL_TRUNCATED : 0) |
			(timeout ? RMT_CALL_TIMEOUT : 0);
	e->call.timeout_sec = timeout ? 1 : 0;
	memcpy(e->call.args, (__u64[]){ fd, 0x804c000, vlen, flags, timeout },
	       sizeof(e->call.args));
	for (i = 0; i < nr; i++) {
		e->msgs[i].name = 0x804d000 + 32 * i;
		e->msgs[i].namelen = 28;
		e->msgs[i].iov = 0x804e000 + 8 * i;
		e->msgs[i].iovlen = 1;
		e->msgs[i].nr_iov = 1;
		e->msgs[i].iov_snap[0].base = 0x8050000 + 1500 * i;
		e->msgs[i].iov_snap[0].len = 1500;
	}
	put(s, e, e->hdr.size);
}

/* An exit record; each received message came from 127.0.0.1:5000 + i. */
static void put_exit(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
		     const char *comm, __s64 ret, unsigned int nr)
{
	union {
		struct rmt_exit_record x;
		unsigned char space[RMT_RECORD_MAX_SIZE];
	} u = { 0 };
	struct rmt_exit_record *x = &u.x;
	unsigned int i;

	x->hdr = (struct rmt_record_header){ RMT_REC_EXIT,
		sizeof(*x) + nr * sizeof(x->msgs[0]), cpu, t };
	fill_task(&x->task, tid, comm);
	x->call.syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	x->call.nr_msgs = nr;
	x->call.ret = ret;
	for (i = 0; i < nr; i++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(5000 + i),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		};

		x->msgs[i].len = 100 + i;
		x->msgs[i].namelen = sizeof(sin);
		memcpy(x->msgs[i].name, &sin, sizeof(sin));
	}
	put(s, x, x->hdr.size);
}

static void put_lost(struct stream *s, unsigned int cpu, __u64 t, __u64 count)
{
	struct rmt_lost_record l = {
		.hdr = { RMT_REC_LOST, sizeof(l), cpu, t },
		.count = count,
	};

	put(s, &l, sizeof(l));
}

/* Decode @s as one read() and print it with @json; returns the output. */
static char *render(const struct stream *s, int json, long *nrec,
		    struct rmt_tracker *t)
{
	struct rmt_record recs[64];
	struct rmt_output o = { .epoch_offset_ns = 0 };
	size_t skipped = 0, bad = 0, len = 0, i;
	struct rmt_sink sink;
	char *text = NULL;

	o.out = open_memstream(&text, &len);
	if (json)
		rmt_json_sink(&sink, &o);
	else
		rmt_text_sink(&sink, &o);
	rmt_tracker_init(t, &sink);
	*nrec = rmt_records_decode(s->buf, s->len, recs, 64, &skipped, &bad);
	if (*nrec > 0) {
		rmt_records_sort(recs, (size_t)*nrec);
		for (i = 0; i < (size_t)*nrec; i++)
			rmt_tracker_feed(t, &recs[i]);
	}
	rmt_tracker_finish(t);
	fclose(o.out);
	return text;
}

FIXTURE(utc) {
	struct stream s;
	struct rmt_tracker t;
	long nrec;
};

FIXTURE_SETUP(utc)
{
	setenv("TZ", "UTC", 1);
	memset(&self->s, 0, sizeof(self->s));
}

FIXTURE_TEARDOWN(utc)
{
}

TEST_F(utc, enter_and_exit_on_two_cpus_pair_in_time_order)
{
	char *out;

	/* CPU 0's buffer is drained before CPU 1's: the exit comes first. */
	put_exit(&self->s, 0, 2 * SEC + 120000, 42, "udpd", 1, 1);
	put_enter(&self->s, 1, 2 * SEC, 42, "udpd", 3, 8,
		  MSG_WAITFORONE | MSG_DONTWAIT, 0, 8);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_EQ(2, self->nrec);
	EXPECT_STREQ("00:00:02.000000 cpu1 42/42 udpd recvmmsg_time32(3, [{msg_hdr={"
		     "msg_name={sa_family=AF_INET, sin_port=htons(5000), "
		     "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=16, "
		     "msg_iov=[{iov_base=0x8050000, iov_len=1500}], msg_iovlen=1, "
		     "msg_controllen=0, msg_flags=0}, msg_len=100}], 8, "
		     "MSG_DONTWAIT|MSG_WAITFORONE, NULL) = 1 <0.000120>\n", out);
	EXPECT_EQ(1, self->t.calls);
	free(out);
}

TEST_F(utc, errors_null_timeout_unknown_flags_lost_and_unfinished)
{
	char *out;

	put_lost(&self->s, 0, 1 * SEC, 3);
	put_enter(&self->s, 0, 1 * SEC + 1000, 47, "a", 5, 0, 0x80000000, 0, 0);
	put_exit(&self->s, 0, 1 * SEC + 3000, 47, "a", -11, 0);
	put_exit(&self->s, 0, 1 * SEC + 4000, 48, "b", -4, 0);
	put_enter(&self->s, 0, 1 * SEC + 5000, 49, "c", 6, 2, 0, 0xffd0, 1);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_STREQ("+++ lost 3 records on cpu 0 +++\n"
		     "00:00:01.000001 cpu0 47/47 a recvmmsg_time32(5, 0x804c000, 0, 0x80000000, NULL)"
		     " = -1 EAGAIN (Resource temporarily unavailable) <0.000002>\n"
		     "00:00:01.000004 cpu0 48/48 b <... recvmmsg_time32 resumed>)"
		     " = -1 EINTR (Interrupted system call)\n"
		     "00:00:01.000005 cpu0 49/49 c recvmmsg_time32(6, [{msg_hdr={msg_name=0x804d000, "
		     "msg_namelen=28, msg_iov=[{iov_base=0x8050000, iov_len=1500}], msg_iovlen=1, "
		     "msg_controllen=0, msg_flags=0}, msg_len=0}, ...], 2, 0, "
		     "{tv_sec=1, tv_nsec=0} <unfinished ...>\n", out);
	EXPECT_EQ(3, self->t.lost);
	EXPECT_EQ(3, self->t.calls);
	free(out);
}

TEST_F(utc, json_has_tracee_keys_and_escapes_comm)
{
	char *out;

	put_enter(&self->s, 1, 5 * SEC, 42, "a\"b\\c\n", 3, 8, MSG_WAITFORONE, 0, 2);
	put_exit(&self->s, 1, 5 * SEC + 500, 42, "a\"b\\c\n", 2, 2);
	put_lost(&self->s, 1, 6 * SEC, 9);
	out = render(&self->s, 1, &self->nrec, &self->t);
	EXPECT_STREQ("{\"timestamp\":5000000000,\"processorId\":1,\"processId\":2,"
		     "\"threadId\":2,\"hostProcessId\":42,\"hostThreadId\":42,"
		     "\"userId\":1000,\"cgroupId\":7777,"
		     "\"processName\":\"a\\\"b\\\\c\\n\","
		     "\"eventName\":\"recvmmsg_time32\",\"syscall\":\"recvmmsg_time32\","
		     "\"argsNum\":5,\"returnValue\":2,\"contextFlags\":{\"isCompat\":true},"
		     "\"args\":[{\"name\":\"fd\",\"type\":\"int\",\"value\":3},"
		     "{\"name\":\"mmsg\",\"type\":\"struct mmsghdr*\",\"value\":134529024},"
		     "{\"name\":\"vlen\",\"type\":\"unsigned int\",\"value\":8},"
		     "{\"name\":\"flags\",\"type\":\"unsigned int\",\"value\":65536},"
		     "{\"name\":\"timeout\",\"type\":\"struct old_timespec32*\",\"value\":0}],"
		     "\"durationNs\":500,\"via\":\"syscall\",\"timeout\":null,\"timeoutAfter\":null,"
		     "\"messages\":[{\"msg_namelen\":16,\"msg_iovlen\":1,\"msg_controllen\":0,"
		     "\"msg_flags\":0,\"msg_len\":100,\"iov\":[{\"iov_base\":134545408,\"iov_len\":1500}],"
		     "\"source\":\"127.0.0.1:5000\"},"
		     "{\"msg_namelen\":16,\"msg_iovlen\":1,\"msg_controllen\":0,"
		     "\"msg_flags\":0,\"msg_len\":101,\"iov\":[{\"iov_base\":134546908,\"iov_len\":1500}],"
		     "\"source\":\"127.0.0.1:5001\"}],\"truncated\":false,\"faults\":[]}\n"
		     "{\"timestamp\":6000000000,\"processorId\":1,\"eventName\":\"lost\",\"count\":9}\n",
		     out);
	free(out);
}

TEST(unknown_record_types_are_skipped)
{
	struct rmt_record_header future = { 99, 40, 0, 1 };
	unsigned char buf[128] __attribute__((aligned(8))) = { 0 };
	struct rmt_lost_record l = { { RMT_REC_LOST, sizeof(l), 0, 2 }, 1 };
	struct rmt_record recs[4];
	size_t skipped = 0, bad = 0;

	memcpy(buf, &future, sizeof(future));
	memcpy(buf + 40, &l, sizeof(l));
	EXPECT_EQ(1, rmt_records_decode(buf, 40 + sizeof(l), recs, 4, &skipped, &bad));
	EXPECT_EQ(1, skipped);
	EXPECT_EQ(RMT_REC_LOST, recs[0].type);
}

TEST(malformed_streams_name_the_bad_offset)
{
	struct rmt_lost_record l = { { RMT_REC_LOST, sizeof(l), 0, 2 }, 1 };
	struct rmt_record_header zero = { RMT_REC_LOST, 0, 0, 0 };
	struct rmt_record_header shorty = { RMT_REC_ENTER, sizeof(zero) + 8, 0, 0 };
	unsigned char buf[256] __attribute__((aligned(8))) = { 0 };
	struct rmt_record recs[4];
	size_t skipped = 0, bad = 0;

	memcpy(buf, &l, sizeof(l));
	memcpy(buf + sizeof(l), &zero, sizeof(zero));
	EXPECT_EQ(-1, rmt_records_decode(buf, sizeof(l) + sizeof(zero), recs, 4,
					 &skipped, &bad));
	EXPECT_EQ(sizeof(l), bad);

	/* A record that claims more bytes than there are. */
	EXPECT_EQ(-1, rmt_records_decode(buf, sizeof(l) - 1, recs, 4, &skipped, &bad));
	EXPECT_EQ(0, bad);

	/* An enter record shorter than this ABI's enter record. */
	memcpy(buf, &shorty, sizeof(shorty));
	EXPECT_EQ(-1, rmt_records_decode(buf, shorty.size, recs, 4, &skipped, &bad));
	EXPECT_EQ(0, bad);
}

TEST_HARNESS_MAIN
