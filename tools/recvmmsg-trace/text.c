// SPDX-License-Identifier: GPL-2.0
/* strace-like text: one line per call. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "messages.h"
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
	char comm[RMT_ESCAPED_SIZE(RMT_COMM_LEN)];
	time_t sec = ns / 1000000000;
	struct tm tm;
	char hms[16];

	localtime_r(&sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	/* A task names itself: it must not be able to break the line. */
	rmt_escape(comm, (const uint8_t *)task->comm, strnlen(task->comm, RMT_COMM_LEN));
	fprintf(f, "%s.%06ld cpu%u %u/%u %s ", hms,
		(long)(ns % 1000000000 / 1000), hdr->cpu, task->tgid, task->tid, comm);
}

static void rmt_print_timespec(FILE *f, const struct rmt_call *call)
{
	fprintf(f, "{tv_sec=%" PRId64 ", tv_nsec=%" PRId64 "}",
		(int64_t)call->timeout_sec, (int64_t)call->timeout_nsec);
}

/* strace's notation for the address families we decode. */
static void rmt_print_sockaddr(FILE *f, const uint8_t *name, uint32_t namelen)
{
	uint32_t have = namelen < RMT_NAME_BYTES ? namelen : RMT_NAME_BYTES;
	char addr[INET6_ADDRSTRLEN], path[RMT_ESCAPED_SIZE(RMT_NAME_BYTES)];
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	sa_family_t family;

	memcpy(&family, name, sizeof(family));
	if (family == AF_INET && have >= sizeof(sin)) {
		memcpy(&sin, name, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, addr, sizeof(addr));
		fprintf(f, "{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"%s\")}",
			ntohs(sin.sin_port), addr);
	} else if (family == AF_INET6 && have >= sizeof(sin6)) {
		memcpy(&sin6, name, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, addr, sizeof(addr));
		fprintf(f, "{sa_family=AF_INET6, sin6_port=htons(%u), sin6_flowinfo=htonl(%u), "
			"inet_pton(AF_INET6, \"%s\", &sin6_addr), sin6_scope_id=%u}",
			ntohs(sin6.sin6_port), ntohl(sin6.sin6_flowinfo), addr,
			sin6.sin6_scope_id);
	} else if (family == AF_UNIX && have > sizeof(family)) {
		const uint8_t *p = name + sizeof(family);
		size_t len = have - sizeof(family);
		/* An abstract name starts with a NUL byte and is not terminated. */
		int abstract = p[0] == '\0';

		if (abstract)
			rmt_escape(path, p + 1, len - 1);
		else
			rmt_escape(path, p, strnlen((const char *)p, len));
		fprintf(f, "{sa_family=AF_UNIX, sun_path=\"%s%s\"%s}", abstract ? "@" : "",
			path, namelen > RMT_NAME_BYTES ? "..." : "");
	} else if (family == AF_UNIX) {
		fputs("{sa_family=AF_UNIX}", f);
	} else {
		fprintf(f, "{sa_family=%u}", family);
	}
}

static void rmt_print_iov(FILE *f, const struct rmt_msg_enter *in)
{
	__u32 j;

	fputc('[', f);
	for (j = 0; j < in->nr_iov; j++)
		fprintf(f, "%s{iov_base=%#x, iov_len=%u}", j ? ", " : "",
			in->iov_snap[j].base, in->iov_snap[j].len);
	if (in->iovlen > in->nr_iov)
		fputs(in->nr_iov ? ", ..." : "...", f);
	fputc(']', f);
}

static void rmt_print_msg(FILE *f, const struct rmt_msg_view *v)
{
	const struct rmt_msg_enter *in = v->in;
	const struct rmt_msg_exit *out = v->out;

	fputs("{msg_hdr={", f);
	if (out && out->namelen) {
		fputs("msg_name=", f);
		rmt_print_sockaddr(f, out->name, out->namelen);
		fputs(", ", f);
	} else if (in && in->name && !out) {
		fprintf(f, "msg_name=%#x, ", in->name);
	}
	fprintf(f, "msg_namelen=%u, ", out ? out->namelen : in->namelen);
	if (in) {
		fputs("msg_iov=", f);
		if (in->iovlen && !in->nr_iov)
			fprintf(f, "%#x", in->iov);
		else
			rmt_print_iov(f, in);
		fprintf(f, ", msg_iovlen=%u, msg_controllen=%u, ", in->iovlen,
			in->controllen);
	}
	fputs("msg_flags=", f);
	rmt_print_flags(f, out ? out->flags : in->flags);
	fprintf(f, "}, msg_len=%u}", out ? out->len : in->len);
}

/* The vector as strace shows it, or its address when nothing was read. */
static void rmt_print_msgs(FILE *f, const struct rmt_pair *pair,
			   const struct rmt_call *call)
{
	struct rmt_msg_view views[RMT_SNAPLEN_MAX];
	int more;
	size_t n = rmt_pair_messages(pair, views, &more), i;

	if (!n) {
		rmt_print_ptr(f, call->args[RMT_ARG_MMSG]);
		return;
	}
	fputc('[', f);
	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		rmt_print_msg(f, &views[i]);
	}
	if (more)
		fputs(", ...", f);
	fputc(']', f);
}

static void rmt_print_return(FILE *f, const struct rmt_exit_record *x)
{
	if (x->call.ret >= 0) {
		fprintf(f, " = %" PRId64, (int64_t)x->call.ret);
	} else {
		int err = (int)-x->call.ret;
		const char *name = rmt_errno_name(err);

		if (name)
			fprintf(f, " = -1 %s (%s)", name, strerror(err));
		else
			fprintf(f, " = -1 errno %d", err);
	}
	if (x->call.flags & RMT_CALL_TIMEOUT) {
		fputs(" (left ", f);
		rmt_print_timespec(f, &x->call);
		fputc(')', f);
	}
}

static void rmt_print_faults(FILE *f, uint32_t faults)
{
	const char *names[32];
	size_t n = rmt_fault_names(faults, names), i;

	if (!n)
		return;
	fputs(" [unreadable:", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : " ", names[i]);
	fputc(']', f);
}

static void rmt_text_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_output *o = ctx;
	const struct rmt_call *call = rmt_pair_call(pair);
	const struct rmt_task *task;
	const struct rmt_record_header *hdr = rmt_pair_header(pair, &task);
	const char *name = rmt_syscall_name(call->syscall_nr);
	FILE *f = o->out;

	rmt_print_prefix(f, o, hdr, task);
	if (!pair->enter) {
		fprintf(f, "<... %s resumed>", name);
	} else {
		fprintf(f, "%s(%d, ", name, (int32_t)call->args[RMT_ARG_FD]);
		rmt_print_msgs(f, pair, call);
		fprintf(f, ", %u, ", (unsigned int)call->args[RMT_ARG_VLEN]);
		rmt_print_flags(f, (unsigned int)call->args[RMT_ARG_FLAGS]);
		fputs(", ", f);
		if (call->flags & RMT_CALL_TIMEOUT)
			rmt_print_timespec(f, call);
		else
			rmt_print_ptr(f, call->args[RMT_ARG_TIMEOUT]);
	}
	if (!pair->exit) {
		/* Entry-only capture never knows the result: strace's "= ?". */
		fputs(o->enter_only ? ") = ?" : " <unfinished ...>", f);
	} else {
		fputc(')', f);
		rmt_print_return(f, pair->exit);
	}
	if (pair->enter && pair->exit) {
		uint64_t dur = pair->exit->hdr.time_ns - pair->enter->hdr.time_ns;

		fprintf(f, " <%" PRIu64 ".%06" PRIu64 ">", dur / 1000000000,
			dur % 1000000000 / 1000);
	}
	if (call->via == RMT_VIA_SOCKETCALL)
		fputs(" [via socketcall]", f);
	rmt_print_faults(f, (pair->enter ? pair->enter->call.faults : 0) |
			    (pair->exit ? pair->exit->call.faults : 0));
	fputc('\n', f);
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
