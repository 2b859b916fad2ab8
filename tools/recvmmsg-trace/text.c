// SPDX-License-Identifier: GPL-2.0
/* strace-like text: one line per call. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "output.h"

static const struct {
	unsigned int bit;
	const char *name;
} rmt_msg_flags[] = {
	{ MSG_OOB, "MSG_OOB" },
	{ MSG_PEEK, "MSG_PEEK" },
	{ MSG_DONTROUTE, "MSG_DONTROUTE" },
	{ MSG_CTRUNC, "MSG_CTRUNC" },
	{ MSG_PROXY, "MSG_PROXY" },
	{ MSG_TRUNC, "MSG_TRUNC" },
	{ MSG_DONTWAIT, "MSG_DONTWAIT" },
	{ MSG_EOR, "MSG_EOR" },
	{ MSG_WAITALL, "MSG_WAITALL" },
	{ MSG_FIN, "MSG_FIN" },
	{ MSG_SYN, "MSG_SYN" },
	{ MSG_CONFIRM, "MSG_CONFIRM" },
	{ MSG_RST, "MSG_RST" },
	{ MSG_ERRQUEUE, "MSG_ERRQUEUE" },
	{ MSG_NOSIGNAL, "MSG_NOSIGNAL" },
	{ MSG_MORE, "MSG_MORE" },
	{ MSG_WAITFORONE, "MSG_WAITFORONE" },
	{ MSG_FASTOPEN, "MSG_FASTOPEN" },
	{ MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC" },
};

static void rmt_print_flags(FILE *f, unsigned int flags)
{
	const char *sep = "";
	size_t i;

	if (!flags) {
		fputc('0', f);
		return;
	}
	for (i = 0; i < sizeof(rmt_msg_flags) / sizeof(rmt_msg_flags[0]); i++) {
		if (flags & rmt_msg_flags[i].bit) {
			fprintf(f, "%s%s", sep, rmt_msg_flags[i].name);
			flags &= ~rmt_msg_flags[i].bit;
			sep = "|";
		}
	}
	if (flags)
		fprintf(f, "%s%#x", sep, flags);
}

static void rmt_print_ptr(FILE *f, uint64_t p)
{
	if (p)
		fprintf(f, "%#" PRIx64, p);
	else
		fputs("NULL", f);
}

/* Kernel-internal restart codes that libc has no names for. */
static const char *rmt_errno_name(int err)
{
	switch (err) {
	case 512: return "ERESTARTSYS";
	case 513: return "ERESTARTNOINTR";
	case 514: return "ERESTARTNOHAND";
	case 516: return "ERESTART_RESTARTBLOCK";
	default: return strerrorname_np(err);
	}
}

static void rmt_print_prefix(FILE *f, const struct rmt_output *o,
			     const struct rmt_record_header *hdr,
			     const struct rmt_task *task)
{
	int64_t ns = (int64_t)hdr->time_ns + o->epoch_offset_ns;
	time_t sec = ns / 1000000000;
	struct tm tm;
	char hms[16];

	localtime_r(&sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	fprintf(f, "%s.%06ld cpu%u %u/%u %.*s ", hms,
		(long)(ns % 1000000000 / 1000), hdr->cpu, task->tgid, task->tid,
		RMT_COMM_LEN, task->comm);
}

static void rmt_print_return(FILE *f, const struct rmt_exit_record *x)
{
	if (x->ret >= 0) {
		fprintf(f, " = %" PRId64, (int64_t)x->ret);
	} else {
		int err = (int)-x->ret;
		const char *name = rmt_errno_name(err);

		if (name)
			fprintf(f, " = -1 %s (%s)", name, strerror(err));
		else
			fprintf(f, " = -1 errno %d", err);
	}
}

static void rmt_text_call(void *ctx, const struct rmt_call *call)
{
	struct rmt_output *o = ctx;
	FILE *f = o->out;
	const char *name;

	if (!call->has_enter) {
		name = rmt_syscall_name(call->exit.task.syscall_nr);
		rmt_print_prefix(f, o, &call->exit.hdr, &call->exit.task);
		fprintf(f, "<... %s resumed>)", name);
		rmt_print_return(f, &call->exit);
		fputc('\n', f);
		return;
	}

	const struct rmt_enter_record *e = &call->enter;

	name = rmt_syscall_name(e->task.syscall_nr);
	rmt_print_prefix(f, o, &e->hdr, &e->task);
	fprintf(f, "%s(%d, ", name, (int32_t)e->args[RMT_ARG_FD]);
	rmt_print_ptr(f, e->args[RMT_ARG_MMSG]);
	fprintf(f, ", %u, ", (unsigned int)e->args[RMT_ARG_VLEN]);
	rmt_print_flags(f, (unsigned int)e->args[RMT_ARG_FLAGS]);
	fputs(", ", f);
	rmt_print_ptr(f, e->args[RMT_ARG_TIMEOUT]);
	if (!call->has_exit) {
		fputs(" <unfinished ...>\n", f);
		return;
	}
	fputc(')', f);
	rmt_print_return(f, &call->exit);
	uint64_t dur = call->exit.hdr.time_ns - e->hdr.time_ns;

	fprintf(f, " <%" PRIu64 ".%06" PRIu64 ">\n", dur / 1000000000,
		dur % 1000000000 / 1000);
}

static void rmt_text_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_output *o = ctx;

	fprintf(o->out, "+++ lost %" PRIu64 " records on cpu %u +++\n",
		(uint64_t)lost->count, lost->hdr.cpu);
}

void rmt_text_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	sink->call = rmt_text_call;
	sink->lost = rmt_text_lost;
	sink->ctx = o;
}
