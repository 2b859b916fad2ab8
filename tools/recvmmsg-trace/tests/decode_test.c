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
#include <sys/socket.h>

#include "../calls.h"
#include "../output.h"
#include "../records.h"

#include "kselftest_harness.h"

#define SEC 1000000000ULL

struct stream {
	unsigned char buf[4096];
	size_t len;
};

static void put(struct stream *s, const void *rec, size_t size)
{
	memcpy(s->buf + s->len, rec, size);
	s->len += size;
}

static void put_enter(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
		      const char *comm, __u32 fd, __u32 vlen, __u32 flags,
		      __u32 timeout)
{
	struct rmt_enter_record e = {
		.hdr = { RMT_REC_ENTER, sizeof(e), cpu, t },
		.task = { .tgid = tid, .tid = tid, .uid = 1000,
			  .syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32 },
		.args = { fd, 0x804c000, vlen, flags, timeout },
	};

	strncpy(e.task.comm, comm, sizeof(e.task.comm) - 1);
	put(s, &e, sizeof(e));
}

static void put_exit(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
		     const char *comm, __s64 ret)
{
	struct rmt_exit_record x = {
		.hdr = { RMT_REC_EXIT, sizeof(x), cpu, t },
		.task = { .tgid = tid, .tid = tid, .uid = 1000,
			  .syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32 },
		.ret = ret,
	};

	strncpy(x.task.comm, comm, sizeof(x.task.comm) - 1);
	put(s, &x, sizeof(x));
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
	put_exit(&self->s, 0, 2 * SEC + 120000, 42, "udpd", 1);
	put_enter(&self->s, 1, 2 * SEC, 42, "udpd", 3, 8,
		  MSG_WAITFORONE | MSG_DONTWAIT, 0xffd0c0a8);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_EQ(2, self->nrec);
	EXPECT_STREQ("00:00:02.000000 cpu1 42/42 udpd recvmmsg_time32(3, 0x804c000, 8, "
		     "MSG_DONTWAIT|MSG_WAITFORONE, 0xffd0c0a8) = 1 <0.000120>\n", out);
	EXPECT_EQ(1, self->t.calls);
	free(out);
}

TEST_F(utc, errors_null_timeout_unknown_flags_lost_and_unfinished)
{
	char *out;

	put_lost(&self->s, 0, 1 * SEC, 3);
	put_enter(&self->s, 0, 1 * SEC + 1000, 7, "a", 5, 1, 0x80000000, 0);
	put_exit(&self->s, 0, 1 * SEC + 3000, 7, "a", -11);
	put_exit(&self->s, 0, 1 * SEC + 4000, 8, "b", -4);
	put_enter(&self->s, 0, 1 * SEC + 5000, 9, "c", 6, 2, 0, 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_STREQ("+++ lost 3 records on cpu 0 +++\n"
		     "00:00:01.000001 cpu0 7/7 a recvmmsg_time32(5, 0x804c000, 1, 0x80000000, NULL)"
		     " = -1 EAGAIN (Resource temporarily unavailable) <0.000002>\n"
		     "00:00:01.000004 cpu0 8/8 b <... recvmmsg_time32 resumed>)"
		     " = -1 EINTR (Interrupted system call)\n"
		     "00:00:01.000005 cpu0 9/9 c recvmmsg_time32(6, 0x804c000, 2, 0, NULL"
		     " <unfinished ...>\n", out);
	EXPECT_EQ(3, self->t.lost);
	EXPECT_EQ(3, self->t.calls);
	free(out);
}

TEST_F(utc, json_has_tracee_keys_and_escapes_comm)
{
	char *out;

	put_enter(&self->s, 1, 5 * SEC, 42, "a\"b\\c\n", 3, 8, MSG_WAITFORONE, 0);
	put_exit(&self->s, 1, 5 * SEC + 500, 42, "a\"b\\c\n", 2);
	put_lost(&self->s, 1, 6 * SEC, 9);
	out = render(&self->s, 1, &self->nrec, &self->t);
	EXPECT_STREQ("{\"timestamp\":5000000000,\"processorId\":1,\"hostProcessId\":42,"
		     "\"hostThreadId\":42,\"userId\":1000,\"processName\":\"a\\\"b\\\\c\\n\","
		     "\"eventName\":\"recvmmsg_time32\",\"syscall\":\"recvmmsg_time32\","
		     "\"argsNum\":5,\"returnValue\":2,\"contextFlags\":{\"isCompat\":true},"
		     "\"args\":[{\"name\":\"fd\",\"type\":\"int\",\"value\":3},"
		     "{\"name\":\"mmsg\",\"type\":\"struct mmsghdr*\",\"value\":134529024},"
		     "{\"name\":\"vlen\",\"type\":\"unsigned int\",\"value\":8},"
		     "{\"name\":\"flags\",\"type\":\"unsigned int\",\"value\":65536},"
		     "{\"name\":\"timeout\",\"type\":\"struct old_timespec32*\",\"value\":0}],"
		     "\"durationNs\":500,\"via\":\"syscall\"}\n"
		     "{\"timestamp\":6000000000,\"processorId\":1,\"eventName\":\"lost\",\"count\":9}\n",
		     out);
	free(out);
}

TEST(unknown_record_types_are_skipped)
{
	struct rmt_record_header future = { 99, 40, 0, 1 };
	unsigned char buf[128] = { 0 };
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
	unsigned char buf[128] = { 0 };
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
