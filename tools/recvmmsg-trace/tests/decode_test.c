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
#include <sys/un.h>

#include <json-c/json.h>

#include "../calls.h"
#include "../containers.h"
#include "../output.h"
#include "../records.h"
#include "../summary.h"
#include "../toctou.h"

#include "kselftest_harness.h"

#define SEC 1000000000ULL

struct stream {
	unsigned char buf[1 << 17] __attribute__((aligned(8)));
	size_t len;
	/* Each thread's (by tid % 64) last enter time: its exit names it. */
	__u64 enter_time[64];
};

static void put(struct stream *s, const void *rec, size_t size)
{
	if (size > sizeof(s->buf) - s->len)
		abort();
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
	task->ns_ppid = 7;
	task->start_time_ns = 3 * 1000000000ULL;
	strncpy(task->comm, comm, sizeof(task->comm) - 1);
	strcpy(task->nodename, "web-1\"x");
}

static void fill_exit_task(struct rmt_exit_task *task, __u32 tid, const char *comm)
{
	task->tgid = task->tid = tid;
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
	s->enter_time[tid % 64] = t;
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

/* Message @i's pointers at exit: as put_enter() passed them. */
static struct rmt_msg_ptrs exit_ptrs(unsigned int i)
{
	return (struct rmt_msg_ptrs){ .name = 0x804d000 + 32 * i,
				      .iov = 0x804e000 + 8 * i, .iovlen = 1 };
}

/*
 * An exit record; each received message came from 127.0.0.1:5000 + i. With
 * @left_nsec >= 0 the kernel left {0, left_nsec} of a timeout.
 */
static void put_exit_left(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
			  const char *comm, __s64 ret, unsigned int nr, long left_nsec)
{
	union {
		struct rmt_exit_record x;
		unsigned char space[RMT_RECORD_MAX_SIZE];
	} u = { 0 };
	struct rmt_exit_record *x = &u.x;
	unsigned int i;

	x->hdr = (struct rmt_record_header){ RMT_REC_EXIT,
		sizeof(*x) + nr * sizeof(x->msgs[0]), cpu, t };
	fill_exit_task(&x->task, tid, comm);
	x->task.enter_time_ns = s->enter_time[tid % 64];
	x->call.syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	x->call.nr_msgs = nr;
	x->call.ret = ret;
	if (left_nsec >= 0) {
		x->call.flags = RMT_CALL_TIMEOUT;
		x->call.timeout_nsec = left_nsec;
	}
	for (i = 0; i < nr; i++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET,
			.sin_port = htons(5000 + i),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		};

		x->msgs[i].len = 100 + i;
		x->msgs[i].ptrs = exit_ptrs(i);
		/* The iovec as put_enter() has it. */
		x->msgs[i].nr_iov = 1;
		x->msgs[i].iov_snap[0].base = 0x8050000 + 1500 * i;
		x->msgs[i].iov_snap[0].len = 1500;
		x->msgs[i].namelen = sizeof(sin);
		x->msgs[i].name_bytes = sizeof(sin);
		memcpy(x->msgs[i].name, &sin, sizeof(sin));
	}
	put(s, x, x->hdr.size);
}

static void put_exit(struct stream *s, unsigned int cpu, __u64 t, __u32 tid,
		     const char *comm, __s64 ret, unsigned int nr)
{
	put_exit_left(s, cpu, t, tid, comm, ret, nr, -1);
}

static void put_lost(struct stream *s, unsigned int cpu, __u64 t, __u64 count)
{
	struct rmt_lost_record l = {
		.hdr = { RMT_REC_LOST, sizeof(l), cpu, t },
		.count = count,
	};

	put(s, &l, sizeof(l));
}

/* How render_upto() prints: as JSON, and only the calls --toctou-only keeps. */
#define RENDER_JSON		1
#define RENDER_TOCTOU_ONLY	2

/*
 * Decode @s as one read() and print it as @how says, the calls still running
 * at the end up to @limit calls in all (0: all); returns the output.
 */
static char *render_upto(const struct stream *s, int how, long *nrec,
			 struct rmt_tracker *t, unsigned long long limit)
{
	struct rmt_record recs[256];
	struct rmt_output o = { .epoch_offset_ns = 0 };
	size_t skipped = 0, bad = 0, len = 0, i;
	struct rmt_sink sink[2], *printer = &sink[how & RENDER_TOCTOU_ONLY ? 1 : 0];
	char *text = NULL;

	o.out = open_memstream(&text, &len);
	if (how & RENDER_JSON)
		rmt_json_sink(printer, &o);
	else
		rmt_text_sink(printer, &o);
	if (how & RENDER_TOCTOU_ONLY)
		rmt_toctou_only_sink(&sink[0], printer);
	rmt_tracker_init(t, &sink[0]);
	*nrec = rmt_records_decode(s->buf, s->len, recs, 256, &skipped, &bad);
	if (*nrec > 0) {
		rmt_records_sort(recs, (size_t)*nrec);
		for (i = 0; i < (size_t)*nrec; i++)
			rmt_tracker_feed(t, &recs[i]);
	}
	rmt_tracker_finish(t, limit);
	rmt_output_flush(&o);
	fclose(o.out);
	return text;
}

static char *render(const struct stream *s, int json, long *nrec,
		    struct rmt_tracker *t)
{
	return render_upto(s, json, nrec, t, 0);
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
		     "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=28 => 16, "
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

/*
 * The module gives a LOST record the time of the record it precedes: the
 * reader prints it there, between the other CPU's earlier and later calls.
 */
TEST_F(utc, lost_record_is_printed_just_before_the_record_it_precedes)
{
	char *out, *lost, *a, *b, *c;

	put_lost(&self->s, 0, 5 * SEC, 4);
	put_enter(&self->s, 0, 5 * SEC, 50, "a", 3, 0, 0, 0, 0);
	put_exit(&self->s, 0, 5 * SEC + 10, 50, "a", 0, 0);
	put_enter(&self->s, 1, 4 * SEC, 51, "b", 3, 0, 0, 0, 0);
	put_exit(&self->s, 1, 4 * SEC + 10, 51, "b", 0, 0);
	put_enter(&self->s, 1, 6 * SEC, 52, "c", 3, 0, 0, 0, 0);
	put_exit(&self->s, 1, 6 * SEC + 10, 52, "c", 0, 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	lost = strstr(out, "+++ lost 4 records on cpu 0 +++");
	a = strstr(out, " 50/50 a ");
	b = strstr(out, " 51/51 b ");
	c = strstr(out, " 52/52 c ");
	ASSERT_TRUE(lost && a && b && c) TH_LOG("%s", out);
	EXPECT_TRUE(b < lost && lost < a && a < c) TH_LOG("%s", out);
	free(out);
}

TEST_F(utc, json_has_tracee_keys_and_escapes_comm)
{
	char *out;

	put_enter(&self->s, 1, 5 * SEC, 42, "a\"b\\c\n", 3, 8, MSG_WAITFORONE, 0, 2);
	put_exit(&self->s, 1, 5 * SEC + 500, 42, "a\"b\\c\n", 2, 2);
	put_lost(&self->s, 1, 6 * SEC, 9);
	out = render(&self->s, 1, &self->nrec, &self->t);
	EXPECT_STREQ("{\"timestamp\":5000000000,\"threadStartTime\":3000000000,"
		     "\"processorId\":1,\"processId\":2,\"threadId\":2,\"parentProcessId\":7,"
		     "\"hostProcessId\":42,\"hostThreadId\":42,\"hostParentProcessId\":1,"
		     "\"userId\":1000,\"mountNamespace\":4026531841,"
		     "\"pidNamespace\":4026531836,\"cgroupId\":7777,"
		     "\"processName\":\"a\\\"b\\\\c\\n\",\"hostName\":\"web-1\\\"x\","
		     "\"containerId\":\"\",\"eventId\":\"299\","
		     "\"eventName\":\"recvmmsg_time32\",\"syscall\":\"recvmmsg_time32\","
		     "\"argsNum\":5,\"returnValue\":2,"
		     "\"contextFlags\":{\"containerStarted\":false,\"isCompat\":true},"
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

/* A call whose enter and exit come in two reads into the same buffer. */
TEST_F(utc, a_call_waiting_across_reads_survives_buffer_reuse)
{
	struct rmt_output o = { .epoch_offset_ns = 0 };
	size_t skipped = 0, bad = 0, len = 0;
	struct rmt_record recs[4];
	struct rmt_sink sink;
	char *text = NULL;
	long n;

	o.out = open_memstream(&text, &len);
	rmt_text_sink(&sink, &o);
	rmt_tracker_init(&self->t, &sink);
	put_enter(&self->s, 0, 7 * SEC, 42, "udpd", 3, 1, 0, 0, 1);
	n = rmt_records_decode(self->s.buf, self->s.len, recs, 4, &skipped, &bad);
	ASSERT_EQ(1, n);
	rmt_tracker_feed(&self->t, &recs[0]);
	rmt_tracker_keep(&self->t);
	/* The next read() overwrites the buffer. */
	memset(self->s.buf, 0xa5, self->s.len);
	self->s.len = 0;
	put_exit(&self->s, 0, 7 * SEC + 2000, 42, "udpd", 1, 1);
	n = rmt_records_decode(self->s.buf, self->s.len, recs, 4, &skipped, &bad);
	ASSERT_EQ(1, n);
	rmt_tracker_feed(&self->t, &recs[0]);
	rmt_tracker_finish(&self->t, 0);
	rmt_output_flush(&o);
	fclose(o.out);
	EXPECT_STREQ("00:00:07.000000 cpu0 42/42 udpd recvmmsg_time32(3, [{msg_hdr={"
		     "msg_name={sa_family=AF_INET, sin_port=htons(5000), "
		     "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=28 => 16, "
		     "msg_iov=[{iov_base=0x8050000, iov_len=1500}], msg_iovlen=1, "
		     "msg_controllen=0, msg_flags=0}, msg_len=100}], 1, 0, NULL) = 1 <0.000002>\n",
		     text);
	free(text);
}

/* A message that claims more iovecs than a record holds (a fuzzer find). */
TEST(too_many_iovecs_is_malformed)
{
	struct stream *s = calloc(1, sizeof(*s));
	struct rmt_enter_record *e = (void *)s->buf;
	size_t skipped = 0, bad = 0;
	struct rmt_record recs[4];

	ASSERT_NE(NULL, s);
	put_enter(s, 0, 1, 42, "a", 3, 1, 0, 0, 1);
	e->msgs[0].nr_iov = RMT_MAX_IOV + 1;
	EXPECT_EQ(-1, rmt_records_decode(s->buf, s->len, recs, 4, &skipped, &bad));
	e->msgs[0].nr_iov = RMT_MAX_IOV;
	EXPECT_EQ(1, rmt_records_decode(s->buf, s->len, recs, 4, &skipped, &bad));
	free(s);
}

/*
 * A one-message call whose source is @name, of which @name_bytes were read;
 * @faults set on its exit.
 */
static void put_call_read(struct stream *s, __u64 t, __u32 tid, const char *comm,
			  const void *name, __u32 namelen, __u32 name_bytes,
			  __u32 faults)
{
	union {
		struct rmt_exit_record x;
		unsigned char space[RMT_RECORD_MAX_SIZE];
	} u = { 0 };
	struct rmt_exit_record *x = &u.x;

	put_enter(s, 0, t, tid, comm, 3, 1, 0, 0, 1);
	x->hdr = (struct rmt_record_header){ RMT_REC_EXIT,
		sizeof(*x) + sizeof(x->msgs[0]), 0, t + 1000 };
	fill_exit_task(&x->task, tid, comm);
	x->call.syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	x->call.nr_msgs = 1;
	x->call.ret = 1;
	x->call.faults = faults;
	x->msgs[0].len = 7;
	x->msgs[0].ptrs = exit_ptrs(0);
	x->msgs[0].namelen = namelen;
	x->msgs[0].name_bytes = name_bytes;
	memcpy(x->msgs[0].name, name, name_bytes);
	put(s, x, x->hdr.size);
}

/* The same, with as much of the address read as the record can hold. */
static void put_call_from(struct stream *s, __u64 t, __u32 tid, const char *comm,
			  const void *name, __u32 namelen, __u32 faults)
{
	put_call_read(s, t, tid, comm, name, namelen,
		      namelen < RMT_NAME_BYTES ? namelen : RMT_NAME_BYTES, faults);
}

/* The value at @key of a parsed line, as a string ("" when absent). */
static const char *jget(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) ? json_object_get_string(v) : "";
}

/* Times @needle occurs in @hay. */
static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

/*
 * Lines as strace 6.1 wrote them for the same calls of rmt_client32, apart
 * from the iov_base bytes (ours are addresses), the name (ours says which of
 * the two calls) and strace's padding before " = ": a value the kernel
 * changed is "passed => returned", the address of a buffer that got no name,
 * a failed call's vector as its address, no "left" after a failure, a call
 * that received nothing "[]" and "(Timeout)", an interrupted one "?".
 */
TEST_F(utc, text_reads_as_strace_writes_it)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char *out;

	/* A socketpair: no name came back. */
	put_call_read(&self->s, 1 * SEC, 40, "a", &sin, 0, 0, 0);
	put_enter(&self->s, 0, 2 * SEC, 41, "b", 5, 0, 0, 0xffd0, 0);
	put_exit(&self->s, 0, 2 * SEC + 1000, 41, "b", 0, 0);
	put_enter(&self->s, 0, 3 * SEC, 42, "c", 5, 1, MSG_DONTWAIT, 0xffd0, 1);
	put_exit_left(&self->s, 0, 3 * SEC + 1000, 42, "c", -11, 0, 5);
	put_enter(&self->s, 0, 4 * SEC, 43, "d", 5, 2, MSG_WAITFORONE, 0xffd0, 2);
	put_exit_left(&self->s, 0, 4 * SEC + 1000, 43, "d", 1, 1, 5);
	put_enter(&self->s, 0, 5 * SEC, 44, "e", 5, 1, 0, 0, 1);
	put_exit(&self->s, 0, 5 * SEC + 1000, 44, "e", -512, 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_STREQ("00:00:01.000000 cpu0 40/40 a recvmmsg_time32(3, [{msg_hdr={"
		     "msg_name=0x804d000, msg_namelen=28 => 0, "
		     "msg_iov=[{iov_base=0x8050000, iov_len=1500}], msg_iovlen=1, "
		     "msg_controllen=0, msg_flags=0}, msg_len=7}], 1, 0, NULL) = 1 <0.000001>\n"
		     "00:00:02.000000 cpu0 41/41 b recvmmsg_time32(5, [], 0, 0, "
		     "{tv_sec=1, tv_nsec=0}) = 0 (Timeout) <0.000001>\n"
		     "00:00:03.000000 cpu0 42/42 c recvmmsg_time32(5, 0x804c000, 1, MSG_DONTWAIT, "
		     "{tv_sec=1, tv_nsec=0}) = -1 EAGAIN (Resource temporarily unavailable) <0.000001>\n"
		     "00:00:04.000000 cpu0 43/43 d recvmmsg_time32(5, [{msg_hdr={"
		     "msg_name={sa_family=AF_INET, sin_port=htons(5000), "
		     "sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=28 => 16, "
		     "msg_iov=[{iov_base=0x8050000, iov_len=1500}], msg_iovlen=1, "
		     "msg_controllen=0, msg_flags=0}, msg_len=100}], 2, MSG_WAITFORONE, "
		     "{tv_sec=1, tv_nsec=0}) = 1 (left {tv_sec=0, tv_nsec=5}) <0.000001>\n"
		     "00:00:05.000000 cpu0 44/44 e recvmmsg_time32(5, 0x804c000, 1, 0, NULL)"
		     " = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <0.000001>\n", out);
	free(out);
}

/*
 * An address the module did not read (its call's enter was not seen), or
 * read only as far as the caller's smaller buffer: never made up.
 */
TEST_F(utc, source_addresses_show_only_the_bytes_read)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(53),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	char *out;

	put_call_read(&self->s, 1 * SEC, 42, "a", &sin, sizeof(sin), 0, 0);
	put_call_read(&self->s, 2 * SEC, 43, "b", &sin, sizeof(sin), 8, 0);
	/* A record claiming more bytes than the address has: shown no further. */
	put_call_read(&self->s, 3 * SEC, 44, "c", &sin, 8, sizeof(sin), 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, " 42/42 a recvmmsg_time32(3, [{msg_hdr={msg_name=0x804d000, msg_namelen=28 => 16, "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " 43/43 b recvmmsg_time32(3, [{msg_hdr={msg_name={sa_family=AF_INET, ...}, msg_namelen=28 => 16, "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " 44/44 c recvmmsg_time32(3, [{msg_hdr={msg_name={sa_family=AF_INET, ...}, msg_namelen=28 => 8, "))
		TH_LOG("%s", out);
	free(out);
	out = render(&self->s, 1, &self->nrec, &self->t);
	EXPECT_EQ(NULL, strstr(out, "127.0.0.1")) TH_LOG("%s", out);
	EXPECT_EQ(3, count_of(out, "\"source\":null")) TH_LOG("%s", out);
	free(out);
}

TEST_F(utc, json_lines_parse_with_json_c_for_every_family_fault_and_comm_byte)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(53),
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_un path = { .sun_family = AF_UNIX, .sun_path = "/run/s\"q" };
	struct sockaddr_un abstract = { .sun_family = AF_UNIX, .sun_path = "\0abs" };
	__u16 unknown_family = 4242;
	/* Invalid UTF-8 (0xff, a lone continuation byte), a control, valid UTF-8. */
	const char *comm = "\xff\x80\x01\xc3\xa9z";
	const char *want_names[] = {
		"[::1]:53", "/run/s\"q", "@abs", NULL,
	};
	char *out, *line, *save = NULL;
	int n = 0;

	put_call_from(&self->s, 1 * SEC, 42, comm, &sin6, sizeof(sin6), 0);
	put_call_from(&self->s, 2 * SEC, 42, comm, &path, sizeof(sa_family_t) + 9, 0);
	put_call_from(&self->s, 3 * SEC, 42, comm, &abstract, sizeof(sa_family_t) + 4, 0);
	put_call_from(&self->s, 4 * SEC, 42, comm, &unknown_family, sizeof(unknown_family),
		      RMT_FAULT_ARGS | RMT_FAULT_MMSG | RMT_FAULT_IOV | RMT_FAULT_TIMEOUT |
		      RMT_FAULT_NAME | 0x80000000U);
	put_lost(&self->s, 0, 5 * SEC, 7);
	out = render(&self->s, 1, &self->nrec, &self->t);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		json_object *obj = json_tokener_parse(line), *msgs, *src;

		ASSERT_NE(NULL, obj) TH_LOG("not JSON: %s", line);
		if (n == 4) {
			EXPECT_STREQ("lost", jget(obj, "eventName"));
			EXPECT_STREQ("7", jget(obj, "count"));
			json_object_put(obj);
			continue;
		}
		/* Bytes that are not UTF-8 come back as their Latin-1 reading. */
		EXPECT_STREQ("\xc3\xbf\xc2\x80\x01\xc3\xa9z", jget(obj, "processName"));
		EXPECT_STREQ("1", jget(obj, "returnValue"));
		ASSERT_TRUE(json_object_object_get_ex(obj, "messages", &msgs));
		ASSERT_EQ(1, json_object_array_length(msgs));
		ASSERT_TRUE(json_object_object_get_ex(json_object_array_get_idx(msgs, 0),
						      "source", &src));
		if (want_names[n]) {
			EXPECT_STREQ(want_names[n], json_object_get_string(src));
		} else {
			EXPECT_EQ(NULL, src);
		}
		if (n == 3)
			EXPECT_STREQ("[\"args\",\"mmsg\",\"iov\",\"timeout\",\"name\",\"unknown\"]",
				     json_object_to_json_string_ext(
					json_object_object_get(obj, "faults"),
					JSON_C_TO_STRING_PLAIN));
		json_object_put(obj);
	}
	EXPECT_EQ(5, n);
	free(out);
}

TEST_F(utc, text_names_every_flag_and_family)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(53),
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_un path = { .sun_family = AF_UNIX, .sun_path = "/run/dns" };
	struct sockaddr_un abstract = { .sun_family = AF_UNIX, .sun_path = "\0abs" };
	__u16 unknown_family = 4242;
	char *out;

	put_enter(&self->s, 0, 1 * SEC, 41, "f", 3, 0, 0xffffffff, 0, 0);
	put_call_from(&self->s, 2 * SEC, 42, "a", &sin6, sizeof(sin6), 0);
	put_call_from(&self->s, 3 * SEC, 42, "a", &path, sizeof(sa_family_t) + 9, 0);
	put_call_from(&self->s, 4 * SEC, 42, "a", &abstract, sizeof(sa_family_t) + 4, 0);
	put_call_from(&self->s, 5 * SEC, 42, "a", &unknown_family, sizeof(unknown_family), 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, ", 0, MSG_OOB|MSG_PEEK|MSG_DONTROUTE|MSG_CTRUNC|MSG_PROXY|"
				    "MSG_TRUNC|MSG_DONTWAIT|MSG_EOR|MSG_WAITALL|MSG_FIN|MSG_SYN|"
				    "MSG_CONFIRM|MSG_RST|MSG_ERRQUEUE|MSG_NOSIGNAL|MSG_MORE|"
				    "MSG_WAITFORONE|MSG_FASTOPEN|MSG_CMSG_CLOEXEC|0x9ffe0000, NULL"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "msg_name={sa_family=AF_INET6, sin6_port=htons(53), "
				    "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", "
				    "&sin6_addr), sin6_scope_id=0}"));
	EXPECT_NE(NULL, strstr(out, "msg_name={sa_family=AF_UNIX, sun_path=\"/run/dns\"}"));
	EXPECT_NE(NULL, strstr(out, "msg_name={sa_family=AF_UNIX, sun_path=\"@abs\"}"));
	EXPECT_NE(NULL, strstr(out, "msg_name={sa_family=4242}"));
	EXPECT_EQ(5, self->t.calls);
	free(out);
}

TEST(histogram_slots_are_ordered_and_within_three_percent)
{
	uint64_t v, prev_slot = 0;

	for (v = 1; v < (1ULL << 40); v += v / 7 + 1) {
		unsigned int slot = rmt_hist_slot(v);
		uint64_t mid = rmt_hist_value(slot);

		ASSERT_LT(slot, RMT_HIST_SLOTS);
		ASSERT_GE(slot, prev_slot);
		ASSERT_LE(mid > v ? mid - v : v - mid, v / 32) TH_LOG("%llu -> %llu",
			(unsigned long long)v, (unsigned long long)mid);
		prev_slot = slot;
	}
	EXPECT_EQ(RMT_HIST_SLOTS - 1, rmt_hist_slot(UINT64_MAX));
}

/* Decode @s as one read() into the --summary table; returns the table. */
static char *render_summary(const struct stream *s, int json)
{
	struct rmt_record recs[256];
	struct rmt_summary sum;
	struct rmt_tracker t;
	size_t skipped = 0, bad = 0, len = 0, i;
	struct rmt_sink sink;
	char *text = NULL;
	FILE *f = open_memstream(&text, &len);
	long n;

	rmt_summary_sink(&sink, &sum);
	rmt_tracker_init(&t, &sink);
	n = rmt_records_decode(s->buf, s->len, recs, 256, &skipped, &bad);
	rmt_records_sort(recs, n > 0 ? (size_t)n : 0);
	for (i = 0; n > 0 && i < (size_t)n; i++)
		rmt_tracker_feed(&t, &recs[i]);
	rmt_tracker_finish(&t, 0);
	rmt_summary_finish(&sum, f, json);
	fclose(f);
	return text;
}

TEST_F(utc, summary_counts_per_process_with_percentiles)
{
	char *out;
	int i;

	/* Process 42: 100 calls of 2 messages, 1 to 100 us; one EAGAIN. */
	for (i = 1; i <= 100; i++) {
		put_enter(&self->s, 0, i * SEC, 42, "udpd", 3, 8, 0, 0, 2);
		if (i == 100)
			put_exit(&self->s, 0, i * SEC + 16, 42, "udpd", -11, 0);
		else
			put_exit(&self->s, 0, i * SEC + i * 1024, 42, "udpd", 2, 2);
	}
	/* Process 50: one call still blocked, one LOST record. */
	put_enter(&self->s, 1, 3 * SEC, 50, "dns", 4, 1, 0, 0, 1);
	put_lost(&self->s, 1, 4 * SEC, 2);
	out = render_summary(&self->s, 0);
	/*
	 * 99 pairs of messages of 100 and 101 bytes. Durations 16 ns, then
	 * 1024 ns to 99 * 1024: the 50th is 49 * 1024 and the 99th 98 * 1024,
	 * both the middle of their histogram slot.
	 */
	EXPECT_STREQ("     pid comm                  calls   messages          bytes   errors"
		     "   toctou    p50 usec    p99 usec container\n"
		     "      42 udpd                    100        198          19899        1"
		     "        0      50.176     100.352 -\n"
		     "      50 dns                       1          0              0        0"
		     "        0           -           - -\n"
		     "         total                   101        198          19899        1"
		     "        0\n"
		     "2 records lost: these totals are short\n", out);
	free(out);
	out = render_summary(&self->s, 1);
	EXPECT_STREQ("{\"eventName\":\"summary\",\"hostProcessId\":42,\"processName\":\"udpd\","
		     "\"calls\":100,\"messages\":198,\"bytes\":19899,\"errors\":1,\"toctou\":0,"
		     "\"p50Ns\":50176,\"p99Ns\":100352}\n"
		     "{\"eventName\":\"summary\",\"hostProcessId\":50,\"processName\":\"dns\","
		     "\"calls\":1,\"messages\":0,\"bytes\":0,\"errors\":0,\"toctou\":0,"
		     "\"p50Ns\":null,\"p99Ns\":null}\n"
		     "{\"eventName\":\"lost\",\"count\":2}\n", out);
	free(out);
}

/*
 * Bytes a task controls (its comm, a unix socket path) cannot break a text
 * line or a summary row: they come out as strace's C escapes.
 */
TEST_F(utc, text_escapes_comm_and_unix_paths)
{
	struct sockaddr_un path = { .sun_family = AF_UNIX, .sun_path = "/r\"q\\\n\t\xc3" };
	struct sockaddr_un abstract = { .sun_family = AF_UNIX, .sun_path = "\0a\0b" };
	char *out, *line;
	int lines = 0;

	put_call_from(&self->s, 1 * SEC, 42, "x\ny\033z", &path, sizeof(sa_family_t) + 8, 0);
	put_call_from(&self->s, 2 * SEC, 43, "a b", &abstract, sizeof(sa_family_t) + 4, 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, " 42/42 x\\ny\\033z recvmmsg_time32(")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "sun_path=\"/r\\\"q\\\\\\n\\t\\303\"}")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " 43/43 a b recvmmsg_time32(")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "sun_path=\"@a\\000b\"}")) TH_LOG("%s", out);
	for (line = out; (line = strchr(line, '\n')); line++)
		lines++;
	EXPECT_EQ(2, lines);
	free(out);

	out = render_summary(&self->s, 0);
	EXPECT_NE(NULL, strstr(out, "\n      42 x\\ny\\033z " "                1 ")) TH_LOG("%s", out);
	free(out);
}

/* The output buffer's number formats, as printf would write them. */
TEST(outbuf_numbers_match_printf_and_survive_a_full_buffer)
{
	static struct rmt_outbuf w;
	static const uint64_t values[] = { 0, 1, 9, 10, 99, 100, 12345, 0x7fffffff,
					   0xffffffffULL, UINT64_MAX };
	char *text = NULL, want[128];
	size_t len = 0, i, off = 0;
	FILE *f = open_memstream(&text, &len);

	ASSERT_NE(NULL, f);
	rmt_ob_init(&w, f);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		rmt_ob_u64(&w, values[i]);
		rmt_ob_lit(&w, " ");
		rmt_ob_u64_width(&w, values[i], 6);
		rmt_ob_lit(&w, " ");
		rmt_ob_hex(&w, values[i]);
		rmt_ob_lit(&w, " ");
		rmt_ob_i64(&w, -(int64_t)(values[i] >> 1) - 1);
		rmt_ob_lit(&w, "\n");
	}
	/* Past the buffer's size: what is buffered goes out in order. */
	for (i = 0; i < RMT_OUTBUF_SIZE / 8 + 3; i++)
		rmt_ob_lit(&w, "abcdefg\n");
	rmt_ob_flush(&w);
	fclose(f);
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int n = snprintf(want, sizeof(want), "%llu %06llu %#llx %lld\n",
				 (unsigned long long)values[i], (unsigned long long)values[i],
				 (unsigned long long)values[i],
				 (long long)(-(int64_t)(values[i] >> 1) - 1));

		ASSERT_EQ(0, strncmp(text + off, want, n)) TH_LOG("want %s got %.*s", want, n,
								  text + off);
		off += n;
	}
	EXPECT_EQ(off + 8 * (RMT_OUTBUF_SIZE / 8 + 3), len);
	EXPECT_EQ(0, memcmp(text + len - 8, "abcdefg\n", 8));
	free(text);
}

/*
 * A call already running when capture started has only its exit record:
 * text shows it resumed and counts it, JSON (no arguments to report) shows
 * nothing and does not count it, so that -n COUNT counts what is printed.
 */
TEST_F(utc, calls_without_enter_count_only_where_printed)
{
	char *out;

	put_exit(&self->s, 0, 1 * SEC, 48, "b", 2, 2);
	put_enter(&self->s, 0, 2 * SEC, 49, "c", 6, 2, 0, 0, 1);
	put_exit(&self->s, 0, 2 * SEC + 1000, 49, "c", 1, 1);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, " 48/48 b <... recvmmsg_time32 resumed>) = 2\n")) TH_LOG("%s", out);
	EXPECT_EQ(2, self->t.calls);
	free(out);

	out = render(&self->s, 1, &self->nrec, &self->t);
	EXPECT_EQ(NULL, strstr(out, "\"hostThreadId\":48")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"hostThreadId\":49")) TH_LOG("%s", out);
	EXPECT_EQ(1, self->t.calls);
	free(out);
}

/* -n 2 stopped early: the calls still running, oldest first, up to 2. */
TEST_F(utc, calls_still_running_at_the_end_stop_at_the_count)
{
	char *out;

	put_enter(&self->s, 0, 3 * SEC, 50, "a", 6, 1, 0, 0, 1);
	put_enter(&self->s, 1, 1 * SEC, 51, "b", 6, 1, 0, 0, 1);
	put_enter(&self->s, 0, 2 * SEC, 52, "c", 6, 1, 0, 0, 1);
	out = render_upto(&self->s, 0, &self->nrec, &self->t, 2);
	EXPECT_EQ(3, self->nrec);
	EXPECT_EQ(2, self->t.calls);
	EXPECT_NE(NULL, strstr(out, " 51/51 b ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " 52/52 c ")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, " 50/50 a ")) TH_LOG("%s", out);
	free(out);
}

/* Found by the fuzzer: a damaged exit record with ret INT64_MIN (UBSan). */
TEST_F(utc, text_return_value_of_int64_min)
{
	char *out;

	put_exit(&self->s, 0, 1 * SEC, 48, "b", INT64_MIN, 0);
	put_exit(&self->s, 0, 2 * SEC, 48, "b", -99999, 0);
	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, "resumed>) = -1 errno 9223372036854775808\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "resumed>) = -1 errno 99999\n")) TH_LOG("%s", out);
	free(out);
}

/*
 * In the exit record put last (of @nr messages), message @i's pointer field
 * at @field (an offset in struct rmt_msg_ptrs) becomes @value: what a
 * second thread's write between enter and exit leaves.
 */
static void change_at_exit(struct stream *s, unsigned int nr, unsigned int i,
			   size_t field, __u32 value)
{
	size_t at = s->len - nr * sizeof(struct rmt_msg_exit) +
		    i * sizeof(struct rmt_msg_exit) +
		    offsetof(struct rmt_msg_exit, ptrs) + field;

	memcpy(s->buf + at, &value, sizeof(value));
}

/* In the exit record put last (of @nr), message @i's first iov_base was @base. */
static void change_iov_base_at_exit(struct stream *s, unsigned int nr, unsigned int i,
				    __u32 base)
{
	size_t at = s->len - nr * sizeof(struct rmt_msg_exit) +
		    i * sizeof(struct rmt_msg_exit) + offsetof(struct rmt_msg_exit, iov_snap);

	memcpy(s->buf + at, &base, sizeof(base));
}

/* The exit record put last (of @nr messages) read @args, as its enter did. */
static void exit_args(struct stream *s, unsigned int nr, const __u64 args[RMT_NR_ARGS])
{
	size_t at = s->len - nr * sizeof(struct rmt_msg_exit) -
		    sizeof(struct rmt_exit_record) + offsetof(struct rmt_exit_record, call.args);

	memcpy(s->buf + at, args, RMT_NR_ARGS * sizeof(__u64));
}

/*
 * A pointer of a received message that was not at exit what the task
 * passed is named, in text, JSON, the summary and --toctou-only; the
 * msg_controllen the kernel writes is not, nor is an untouched vector.
 */
TEST_F(utc, a_vector_changed_while_the_call_ran_is_flagged)
{
	json_object *obj, *list, *item, *v;
	char *out, *nl;

	static const __u64 args[RMT_NR_ARGS] = { 3, 0x804c000, 2, 0, 0 };
	static const __u64 other_vector[RMT_NR_ARGS] = { 3, 0x9000000, 2, 0, 0 };

	put_enter(&self->s, 0, 1 * SEC, 42, "a", 3, 2, 0, 0, 2);
	put_exit(&self->s, 0, 1 * SEC + 1000, 42, "a", 2, 2);
	exit_args(&self->s, 2, args);
	change_at_exit(&self->s, 2, 1, offsetof(struct rmt_msg_ptrs, name), 0x9000000);
	change_at_exit(&self->s, 2, 1, offsetof(struct rmt_msg_ptrs, iovlen), 3);
	put_enter(&self->s, 0, 2 * SEC, 43, "b", 3, 2, 0, 0, 2);
	put_exit(&self->s, 0, 2 * SEC + 1000, 43, "b", 2, 2);
	exit_args(&self->s, 2, args);
	change_at_exit(&self->s, 2, 0, offsetof(struct rmt_msg_ptrs, controllen), 24);
	/* Records of another vector (lost records between, socketcall's block rewritten). */
	put_enter(&self->s, 0, 3 * SEC, 44, "c", 3, 2, 0, 0, 2);
	put_exit(&self->s, 0, 3 * SEC + 1000, 44, "c", 2, 2);
	exit_args(&self->s, 2, other_vector);
	change_at_exit(&self->s, 2, 1, offsetof(struct rmt_msg_ptrs, iov), 0x9000000);

	out = render(&self->s, 0, &self->nrec, &self->t);
	nl = strchr(out, '\n');
	ASSERT_NE(NULL, nl);
	*nl = '\0';
	EXPECT_NE(NULL, strstr(out, " <0.000001> [TOCTOU msg[1].msg_name,msg[1].msg_iovlen]"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(nl + 1, "TOCTOU")) TH_LOG("%s", nl + 1);
	EXPECT_NE(NULL, strstr(nl + 1, " 44/44 c ")) TH_LOG("%s", nl + 1);
	free(out);

	out = render(&self->s, RENDER_JSON, &self->nrec, &self->t);
	nl = strchr(out, '\n');
	ASSERT_NE(NULL, nl);
	*nl = '\0';
	obj = json_tokener_parse(out);
	ASSERT_NE(NULL, obj) TH_LOG("%s", out);
	ASSERT_TRUE(json_object_object_get_ex(obj, "toctou", &list));
	ASSERT_EQ(2, json_object_array_length(list));
	item = json_object_array_get_idx(list, 0);
	EXPECT_STREQ("msg_name", jget(item, "field"));
	EXPECT_STREQ("1", jget(item, "msg"));
	ASSERT_TRUE(json_object_object_get_ex(item, "enter", &v));
	EXPECT_EQ(0x804d020, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(item, "exit", &v));
	EXPECT_EQ(0x9000000, json_object_get_int64(v));
	item = json_object_array_get_idx(list, 1);
	EXPECT_STREQ("msg_iovlen", jget(item, "field"));
	EXPECT_STREQ("1", jget(item, "enter"));
	EXPECT_STREQ("3", jget(item, "exit"));
	json_object_put(obj);
	EXPECT_EQ(NULL, strstr(nl + 1, "toctou")) TH_LOG("%s", nl + 1);
	free(out);

	out = render(&self->s, RENDER_TOCTOU_ONLY, &self->nrec, &self->t);
	EXPECT_EQ(1, self->t.calls);
	EXPECT_NE(NULL, strstr(out, " 42/42 a ")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, " 43/43 b ")) TH_LOG("%s", out);
	free(out);

	out = render_summary(&self->s, 0);
	EXPECT_NE(NULL, strstr(out, "      42 a                         1          2            201        0        1 "))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "      43 b                         1          2            201        0        0 "))
		TH_LOG("%s", out);
	free(out);
}

/*
 * An iovec's buffer moved inside an array that did not is named; an exit
 * that names another enter (its own was lost, and the earlier call's
 * exit) is no pair at all: two calls, neither flagged.
 */
TEST_F(utc, an_iov_base_changed_is_flagged_only_within_one_call)
{
	static const __u64 args[RMT_NR_ARGS] = { 3, 0x804c000, 2, 0, 0 };
	char *out;

	put_enter(&self->s, 0, 1 * SEC, 42, "a", 3, 2, 0, 0, 2);
	put_exit(&self->s, 0, 1 * SEC + 1000, 42, "a", 2, 2);
	exit_args(&self->s, 2, args);
	change_iov_base_at_exit(&self->s, 2, 1, 0x9100000);
	put_enter(&self->s, 0, 2 * SEC, 43, "b", 3, 2, 0, 0, 2);
	put_lost(&self->s, 0, 3 * SEC, 2);
	/* The exit of 43's next call, whose enter was among those lost. */
	self->s.enter_time[43] = 3 * SEC + 10;
	put_exit(&self->s, 0, 3 * SEC + 1000, 43, "b", 2, 2);
	exit_args(&self->s, 2, args);
	change_iov_base_at_exit(&self->s, 2, 0, 0x9200000);

	out = render(&self->s, 0, &self->nrec, &self->t);
	EXPECT_NE(NULL, strstr(out, " <0.000001> [TOCTOU msg[1].msg_iov[0].iov_base]\n"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(strstr(out, "\n") + 1, "TOCTOU")) TH_LOG("%s", out);
	/* 43's enter unfinished, and its later exit resumed: not one call. */
	EXPECT_NE(NULL, strstr(out, "msg_len=0}], 2, 0, NULL <unfinished ...>\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " 43/43 b <... recvmmsg_time32 resumed>")) TH_LOG("%s", out);
	EXPECT_EQ(3, self->t.calls);
	free(out);
}

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD_ "1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901"
#define POD "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901"

/* Each runtime's cgroup names, as their systemd and cgroupfs drivers make them. */
TEST(container_ids_read_from_the_runtimes_cgroup_names)
{
	static const struct {
		const char *path, *id, *runtime, *pod;
	} cases[] = {
		{ "/system.slice/docker-" ID64 ".scope", ID64, "docker", "" },
		{ "/docker/" ID64, ID64, "docker", "" },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_
		  ".slice/cri-containerd-" ID64 ".scope", ID64, "containerd", POD },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_
		  ".slice/crio-" ID64 ".scope", ID64, "crio", POD },
		/* CRI-O's and podman's monitors are not the container. */
		{ "/kubepods.slice/kubepods-pod" POD_ ".slice/crio-conmon-" ID64 ".scope",
		  "", NULL, POD },
		{ "/machine.slice/libpod-conmon-" ID64 ".scope", "", NULL, "" },
		{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64
		  ".scope/container", ID64, "podman", "" },
		{ "/libpod_parent/libpod-" ID64, ID64, "podman", "" },
		{ "/kubepods/besteffort/pod" POD "/" ID64, ID64, "cri", POD },
		{ "/kubepods/pod" POD, "", NULL, POD },
		/* The innermost container: docker in docker. */
		{ "/system.slice/docker-" ID64 ".scope/docker/fedcba9876543210fedcba9876543210"
		  "fedcba9876543210fedcba9876543210", "fedcba9876543210fedcba9876543210"
		  "fedcba9876543210fedcba9876543210", "docker", "" },
		/* Not containers: ordinary units, short or uppercase ids, bare ids elsewhere. */
		{ "/system.slice/ssh.service", "", NULL, "" },
		{ "", "", NULL, "" },
		{ "/", "", NULL, "" },
		{ "/docker-" ID64 "0.scope", "", NULL, "" },
		{ "/docker-0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef.scope",
		  "", NULL, "" },
		{ "/system.slice/" ID64, "", NULL, "" },
		{ "/kubepods.slice/kubepods-podXYZ.slice", "", NULL, "" },
	};
	struct rmt_container c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rmt_container_from_path(cases[i].path, &c);
		EXPECT_STREQ(cases[i].id, c.id) TH_LOG("%s", cases[i].path);
		EXPECT_STREQ(cases[i].pod, c.pod_uid) TH_LOG("%s", cases[i].path);
		EXPECT_STREQ(cases[i].runtime ? cases[i].runtime : "(none)",
			     c.runtime ? c.runtime : "(none)") TH_LOG("%s", cases[i].path);
		EXPECT_EQ(cases[i].id[0] || cases[i].pod[0] ? RMT_CGROUP_CONTAINER :
			  RMT_CGROUP_HOST, c.kind) TH_LOG("%s", cases[i].path);
	}
}

TEST_HARNESS_MAIN
