// SPDX-License-Identifier: GPL-2.0
/*
 * -o journal: each call one entry in the systemd journal, sent through
 * libsystemd, so that a log shipper reading journald has the call's values
 * as fields and parses nothing: MESSAGE is the text line, the RMT_* fields
 * the values (the man page lists them). Records lost make an entry of
 * PRIORITY 4. Built only where libsystemd is linked (RMT_JOURNAL); the
 * static reader the guests run has none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "journal.h"
#include "messages.h"
#include "records.h"
#include "toctou.h"

#ifdef RMT_JOURNAL
#include <systemd/sd-journal.h>

/* Room for every field but MESSAGE: 64 sources of up to 110 bytes fit. */
#define RMT_FIELDS_SIZE		16384
#define RMT_MAX_FIELDS		40

struct rmt_fields {
	char pool[RMT_FIELDS_SIZE];
	size_t used;
	struct iovec iov[RMT_MAX_FIELDS];
	int n;
};

static struct rmt_journal {
	struct rmt_output *o;		/* the run's: its tables, clock, errors */
	struct rmt_output text;		/* the text printer's, into @mem */
	struct rmt_sink line;		/* the text printer */
	char *mem;
	size_t mem_len;
	struct rmt_fields f;
} rmt_journal;

/* One "NAME=value" field; left out when the pool is full (never cut). */
static void __attribute__((format(printf, 2, 3)))
rmt_field(struct rmt_fields *f, const char *fmt, ...)
{
	size_t room = RMT_FIELDS_SIZE - f->used;
	va_list ap;
	int n;

	if (f->n == RMT_MAX_FIELDS)
		return;
	va_start(ap, fmt);
	n = vsnprintf(f->pool + f->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return;
	f->iov[f->n++] = (struct iovec){ f->pool + f->used, (size_t)n };
	f->used += (size_t)n + 1;
}

/* A comma-separated list, for one field; items that do not fit are left out. */
struct rmt_list {
	char buf[RMT_SNAPLEN_MAX * 128];
	size_t len;
};

static void rmt_list_add(struct rmt_list *l, const char *item)
{
	size_t len = strlen(item);

	if (l->len + len + 2 > sizeof(l->buf))
		return;
	if (l->len)
		l->buf[l->len++] = ',';
	memcpy(l->buf + l->len, item, len + 1);
	l->len += len;
}

static int rmt_send(struct rmt_journal *j)
{
	int err = sd_journal_sendv(j->f.iov, j->f.n);

	if (err < 0 && !j->o->journal_err)
		j->o->journal_err = -err;
	return err;
}

/* "MESSAGE=" and the text printer's line for @pair, no newline: its length. */
static size_t rmt_text_line(struct rmt_journal *j, const struct rmt_pair *pair)
{
	static const size_t prefix = sizeof("MESSAGE=") - 1;

	/* What the run has set up since the sink was made. */
	j->text.epoch_offset_ns = j->o->epoch_offset_ns;
	j->text.enter_only = j->o->enter_only;
	j->text.cgroups = j->o->cgroups;
	j->text.exes = j->o->exes;
	/* Over the last line: the stream's size is where it was flushed. */
	fseeko(j->text.out, (off_t)prefix, SEEK_SET);
	j->line.call(j->line.ctx, pair);
	rmt_ob_flush(&j->text.buf);
	if (fflush(j->text.out) || j->mem_len <= prefix + 1)
		return 0;
	return j->mem_len - 1;
}

static void rmt_sources(struct rmt_fields *f, const struct rmt_pair *pair)
{
	struct rmt_msg_view views[RMT_SNAPLEN_MAX];
	unsigned long long bytes = 0;
	struct rmt_list sources = { .len = 0 };
	char source[128];
	int more = 0;
	size_t n, i;

	if (!pair->exit || pair->exit->call.ret <= 0)
		return;
	n = rmt_pair_messages(pair, views, &more);
	for (i = 0; i < n; i++) {
		const struct rmt_msg_exit *out = views[i].out;

		if (!out)
			continue;
		bytes += out->len;
		if (rmt_format_source(source, sizeof(source), out->name,
				      rmt_name_have(out->namelen, out->name_bytes)))
			rmt_list_add(&sources, source);
	}
	rmt_field(f, "RMT_MESSAGES=%zu", n);
	rmt_field(f, "RMT_BYTES=%llu", bytes);
	if (sources.len)
		rmt_field(f, "RMT_SOURCES=%s", sources.buf);
	if (more)
		rmt_field(f, "RMT_TRUNCATED=1");
}

static void rmt_problems(struct rmt_fields *f, const struct rmt_pair *pair)
{
	uint32_t faults = (pair->enter ? pair->enter->call.faults : 0) |
			  (pair->exit ? pair->exit->call.faults : 0);
	struct rmt_toctou found[RMT_TOCTOU_MAX];
	struct rmt_list l = { .len = 0 };
	const char *names[32];
	char field[64];
	size_t n, i;

	n = rmt_fault_names(faults, names);
	for (i = 0; i < n; i++)
		rmt_list_add(&l, names[i]);
	if (l.len)
		rmt_field(f, "RMT_FAULTS=%s", l.buf);
	l.len = 0;
	n = rmt_pair_toctou(pair, found, RMT_TOCTOU_MAX);
	for (i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "msg[%u].%s", found[i].msg, found[i].field);
		rmt_list_add(&l, field);
	}
	if (l.len)
		rmt_field(f, "RMT_TOCTOU=%s", l.buf);
}

static bool rmt_journal_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_journal *j = ctx;
	struct rmt_fields *f = &j->f;
	const struct rmt_call *call = rmt_pair_call(pair);
	struct rmt_who who;
	const struct rmt_record_header *hdr = rmt_pair_header(pair, &who);
	const struct rmt_container *c = rmt_call_container(j->o->cgroups, pair);
	size_t line = rmt_text_line(j, pair);
	const char *exe;

	f->used = 0;
	f->n = 0;
	if (line)
		f->iov[f->n++] = (struct iovec){ j->mem, line };
	rmt_field(f, "PRIORITY=6");
	rmt_field(f, "SYSLOG_IDENTIFIER=recvmmsg-trace");
	rmt_field(f, "RMT_SYSCALL=%s", rmt_syscall_name(call->syscall_nr));
	rmt_field(f, "RMT_TIME_NS=%lld", (long long)hdr->time_ns + (long long)j->o->epoch_offset_ns);
	rmt_field(f, "RMT_CPU=%u", hdr->cpu);
	rmt_field(f, "RMT_PID=%u", who.tgid);
	rmt_field(f, "RMT_TID=%u", who.tid);
	rmt_field(f, "RMT_COMM=%.*s", (int)strnlen(who.comm, RMT_COMM_LEN), who.comm);
	if (pair->enter) {
		const struct rmt_task *t = &pair->enter->task;

		rmt_field(f, "RMT_PPID=%u", t->ppid);
		rmt_field(f, "RMT_UID=%u", t->uid);
		rmt_field(f, "RMT_GID=%u", t->gid);
		rmt_field(f, "RMT_CGROUP_ID=%llu", (unsigned long long)t->cgroup_id);
		exe = rmt_exe_path(j->o->exes, t);
		if (exe)
			rmt_field(f, "RMT_EXE=%s", exe);
	}
	rmt_field(f, "RMT_VIA=%s", call->via == RMT_VIA_SOCKETCALL ? "socketcall" : "syscall");
	rmt_field(f, "RMT_FD=%d", (int32_t)call->args[RMT_ARG_FD]);
	rmt_field(f, "RMT_VLEN=%u", (uint32_t)call->args[RMT_ARG_VLEN]);
	rmt_field(f, "RMT_FLAGS=%u", (uint32_t)call->args[RMT_ARG_FLAGS]);
	if (pair->exit) {
		long long ret = pair->exit->call.ret;

		rmt_field(f, "RMT_RET=%lld", ret);
		if (ret < 0 && strerrorname_np((int)-ret))
			rmt_field(f, "RMT_ERRNO=%s", strerrorname_np((int)-ret));
	}
	if (pair->enter && pair->exit)
		rmt_field(f, "RMT_DURATION_NS=%llu", (unsigned long long)
			  (pair->exit->hdr.time_ns - pair->enter->hdr.time_ns));
	rmt_sources(f, pair);
	rmt_problems(f, pair);
	if (c && c->id[0])
		rmt_field(f, "RMT_CONTAINER_ID=%s", c->id);
	if (c && c->runtime)
		rmt_field(f, "RMT_CONTAINER_RUNTIME=%s", c->runtime);
	if (c && c->pod_uid[0])
		rmt_field(f, "RMT_POD_UID=%s", c->pod_uid);
	rmt_send(j);
	return true;
}

static void rmt_journal_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_journal *j = ctx;
	struct rmt_fields *f = &j->f;

	f->used = 0;
	f->n = 0;
	rmt_field(f, "MESSAGE=+++ lost %llu records on cpu %u +++",
		  (unsigned long long)lost->count, lost->hdr.cpu);
	rmt_field(f, "PRIORITY=4");
	rmt_field(f, "SYSLOG_IDENTIFIER=recvmmsg-trace");
	rmt_field(f, "RMT_LOST=%llu", (unsigned long long)lost->count);
	rmt_field(f, "RMT_CPU=%u", lost->hdr.cpu);
	rmt_send(j);
}

bool rmt_journal_available(void)
{
	return true;
}

/* Where journald listens. */
#define RMT_JOURNAL_SOCKET	"/run/systemd/journal/socket"

int rmt_journal_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	struct rmt_journal *j = &rmt_journal;
	struct stat st;

	/* libsystemd drops entries silently where no journald runs: say so. */
	if (stat(RMT_JOURNAL_SOCKET, &st)) {
		fprintf(stderr, "recvmmsg-trace: no journal here: %s: %s\n",
			RMT_JOURNAL_SOCKET, strerror(errno));
		errno = ENOENT;
		return -1;
	}
	j->o = o;
	j->text = *o;
	j->text.out = open_memstream(&j->mem, &j->mem_len);
	if (!j->text.out) {
		fprintf(stderr, "recvmmsg-trace: journal: %s\n", strerror(errno));
		return -1;
	}
	/* MESSAGE= then the line: the printer writes after the name. */
	fputs("MESSAGE=", j->text.out);
	rmt_text_sink(&j->line, &j->text);
	sink->call = rmt_journal_call;
	sink->lost = rmt_journal_lost;
	sink->ctx = j;
	return 0;
}
#else
bool rmt_journal_available(void)
{
	return false;
}

int rmt_journal_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	(void)sink;
	(void)o;
	errno = ENOSYS;
	return -1;
}
#endif
