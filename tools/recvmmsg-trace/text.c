// SPDX-License-Identifier: GPL-2.0
/* strace-like text: one line per call. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "messages.h"
#include "output.h"
#include "toctou.h"

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

static void rmt_print_flags(struct rmt_outbuf *w, unsigned int flags)
{
	const char *sep = "";
	size_t i;

	if (!flags) {
		rmt_ob_lit(w, "0");
		return;
	}
	for (i = 0; i < sizeof(rmt_msg_flags) / sizeof(rmt_msg_flags[0]); i++) {
		if (flags & rmt_msg_flags[i].bit) {
			rmt_ob_str(w, sep);
			rmt_ob_str(w, rmt_msg_flags[i].name);
			flags &= ~rmt_msg_flags[i].bit;
			sep = "|";
		}
	}
	if (flags) {
		rmt_ob_str(w, sep);
		rmt_ob_hex(w, flags);
	}
}

static void rmt_print_ptr(struct rmt_outbuf *w, uint64_t p)
{
	if (p)
		rmt_ob_hex(w, p);
	else
		rmt_ob_lit(w, "NULL");
}

/*
 * Kernel-internal restart codes: a call a signal interrupted, seen before
 * the kernel turned the code into a restart or EINTR. Named and explained
 * as strace does, which writes "?" for their return value.
 */
static const struct {
	int err;
	const char *name, *text;
} rmt_restart_codes[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
};

/* " = -1 ENAME (text)" as strace writes a failed call's result. */
static void rmt_print_error(struct rmt_outbuf *w, uint64_t err)
{
	const char *name = err <= INT_MAX ? strerrorname_np((int)err) : NULL;
	size_t i;

	for (i = 0; i < sizeof(rmt_restart_codes) / sizeof(rmt_restart_codes[0]); i++) {
		if (err == (uint64_t)rmt_restart_codes[i].err) {
			rmt_ob_lit(w, " = ? ");
			rmt_ob_str(w, rmt_restart_codes[i].name);
			rmt_ob_lit(w, " (");
			rmt_ob_str(w, rmt_restart_codes[i].text);
			rmt_ob_lit(w, ")");
			return;
		}
	}
	rmt_ob_lit(w, " = -1 ");
	if (name) {
		rmt_ob_str(w, name);
		rmt_ob_lit(w, " (");
		rmt_ob_str(w, strerror((int)err));
		rmt_ob_lit(w, ")");
	} else {
		rmt_ob_lit(w, "errno ");
		rmt_ob_u64(w, err);
	}
}

/* "HH:MM:SS" of local time; the conversion is redone once a second. */
static void rmt_print_hms(struct rmt_outbuf *w, time_t sec)
{
	static time_t cached_sec = -1;
	static char hms[16];
	struct tm tm;

	if (sec != cached_sec) {
		localtime_r(&sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		cached_sec = sec;
	}
	rmt_ob_str(w, hms);
}

static void rmt_print_prefix(struct rmt_outbuf *w, const struct rmt_output *o,
			     const struct rmt_record_header *hdr,
			     const struct rmt_who *task)
{
	int64_t ns = (int64_t)hdr->time_ns + o->epoch_offset_ns;
	char comm[RMT_ESCAPED_SIZE(RMT_COMM_LEN)];

	rmt_print_hms(w, (time_t)(ns / 1000000000));
	rmt_ob_lit(w, ".");
	/* Before 1970 only in a damaged capture file: keep the sign. */
	if (ns < 0)
		rmt_ob_i64(w, ns % 1000000000 / 1000);
	else
		rmt_ob_u64_width(w, (uint64_t)(ns % 1000000000 / 1000), 6);
	rmt_ob_lit(w, " cpu");
	rmt_ob_u64(w, hdr->cpu);
	rmt_ob_lit(w, " ");
	rmt_ob_u64(w, task->tgid);
	rmt_ob_lit(w, "/");
	rmt_ob_u64(w, task->tid);
	rmt_ob_lit(w, " ");
	/* A task names itself: it must not be able to break the line. */
	rmt_ob_str(w, rmt_escape(comm, (const uint8_t *)task->comm,
				 strnlen(task->comm, RMT_COMM_LEN)));
	rmt_ob_lit(w, " ");
}

static void rmt_print_timespec(struct rmt_outbuf *w, const struct rmt_call *call)
{
	rmt_ob_lit(w, "{tv_sec=");
	rmt_ob_i64(w, call->timeout_sec);
	rmt_ob_lit(w, ", tv_nsec=");
	rmt_ob_i64(w, call->timeout_nsec);
	rmt_ob_lit(w, "}");
}

/* strace's notation for the address families we decode. */
/* @have bytes of the address were read; it is @namelen long. */
static void rmt_print_sockaddr(struct rmt_outbuf *w, const uint8_t *name,
			       uint32_t namelen, uint32_t have)
{
	char addr[INET6_ADDRSTRLEN], path[RMT_ESCAPED_SIZE(RMT_NAME_BYTES)];
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	sa_family_t family;

	memcpy(&family, name, sizeof(family));
	if (family == AF_INET && have >= sizeof(sin)) {
		memcpy(&sin, name, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, addr, sizeof(addr));
		rmt_ob_lit(w, "{sa_family=AF_INET, sin_port=htons(");
		rmt_ob_u64(w, ntohs(sin.sin_port));
		rmt_ob_lit(w, "), sin_addr=inet_addr(\"");
		rmt_ob_str(w, addr);
		rmt_ob_lit(w, "\")}");
	} else if (family == AF_INET6 && have >= sizeof(sin6)) {
		memcpy(&sin6, name, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, addr, sizeof(addr));
		rmt_ob_lit(w, "{sa_family=AF_INET6, sin6_port=htons(");
		rmt_ob_u64(w, ntohs(sin6.sin6_port));
		rmt_ob_lit(w, "), sin6_flowinfo=htonl(");
		rmt_ob_u64(w, ntohl(sin6.sin6_flowinfo));
		rmt_ob_lit(w, "), inet_pton(AF_INET6, \"");
		rmt_ob_str(w, addr);
		rmt_ob_lit(w, "\", &sin6_addr), sin6_scope_id=");
		rmt_ob_u64(w, sin6.sin6_scope_id);
		rmt_ob_lit(w, "}");
	} else if (family == AF_UNIX && have > sizeof(family)) {
		const uint8_t *p = name + sizeof(family);
		size_t len = have - sizeof(family);

		rmt_ob_lit(w, "{sa_family=AF_UNIX, sun_path=\"");
		/* An abstract name starts with a NUL byte and is not terminated. */
		if (p[0] == '\0') {
			rmt_ob_lit(w, "@");
			rmt_escape(path, p + 1, len - 1);
		} else {
			rmt_escape(path, p, strnlen((const char *)p, len));
		}
		rmt_ob_str(w, path);
		rmt_ob_lit(w, "\"");
		if (namelen > have)
			rmt_ob_lit(w, "...");
		rmt_ob_lit(w, "}");
	} else if (family == AF_UNIX) {
		rmt_ob_lit(w, "{sa_family=AF_UNIX}");
	} else if (family == AF_INET) {
		/* The caller's buffer was shorter than the address. */
		rmt_ob_lit(w, "{sa_family=AF_INET, ...}");
	} else if (family == AF_INET6) {
		rmt_ob_lit(w, "{sa_family=AF_INET6, ...}");
	} else {
		rmt_ob_lit(w, "{sa_family=");
		rmt_ob_u64(w, family);
		rmt_ob_lit(w, "}");
	}
}

static void rmt_print_iov(struct rmt_outbuf *w, const struct rmt_msg_enter *in)
{
	__u32 j;

	rmt_ob_lit(w, "[");
	for (j = 0; j < in->nr_iov; j++) {
		if (j)
			rmt_ob_lit(w, ", ");
		rmt_ob_lit(w, "{iov_base=");
		rmt_ob_hex(w, in->iov_snap[j].base);
		rmt_ob_lit(w, ", iov_len=");
		rmt_ob_u64(w, in->iov_snap[j].len);
		rmt_ob_lit(w, "}");
	}
	if (in->iovlen > in->nr_iov)
		rmt_ob_str(w, in->nr_iov ? ", ..." : "...");
	rmt_ob_lit(w, "]");
}

static void rmt_print_msg(struct rmt_outbuf *w, const struct rmt_msg_view *v)
{
	const struct rmt_msg_enter *in = v->in;
	const struct rmt_msg_exit *out = v->out;

	rmt_ob_lit(w, "{msg_hdr={");
	/*
	 * The address received, else the buffer's address as strace shows it:
	 * as found at exit, or as passed when the call is still running.
	 */
	if (out && out->namelen && out->name_bytes >= sizeof(sa_family_t)) {
		rmt_ob_lit(w, "msg_name=");
		rmt_print_sockaddr(w, out->name, out->namelen,
				   rmt_name_have(out->namelen, out->name_bytes));
		rmt_ob_lit(w, ", ");
	} else {
		rmt_ob_lit(w, "msg_name=");
		rmt_print_ptr(w, out ? out->ptrs.name : in->name);
		rmt_ob_lit(w, ", ");
	}
	/* strace's "passed => returned" when the kernel changed it. */
	rmt_ob_lit(w, "msg_namelen=");
	if (in && out && in->namelen != out->namelen) {
		rmt_ob_u64(w, in->namelen);
		rmt_ob_lit(w, " => ");
	}
	rmt_ob_u64(w, out ? out->namelen : in->namelen);
	rmt_ob_lit(w, ", ");
	if (in) {
		rmt_ob_lit(w, "msg_iov=");
		if (in->iovlen && !in->nr_iov)
			rmt_ob_hex(w, in->iov);
		else
			rmt_print_iov(w, in);
		rmt_ob_lit(w, ", msg_iovlen=");
		rmt_ob_u64(w, in->iovlen);
		rmt_ob_lit(w, ", msg_controllen=");
		/* At exit: the control bytes the kernel wrote. */
		rmt_ob_u64(w, out ? out->ptrs.controllen : in->controllen);
		rmt_ob_lit(w, ", ");
	}
	rmt_ob_lit(w, "msg_flags=");
	rmt_print_flags(w, out ? out->flags : in->flags);
	rmt_ob_lit(w, "}, msg_len=");
	rmt_ob_u64(w, out ? out->len : in->len);
	rmt_ob_lit(w, "}");
}

/* The vector as strace shows it, or its address when nothing was read. */
static void rmt_print_msgs(struct rmt_outbuf *w, const struct rmt_pair *pair,
			   const struct rmt_call *call)
{
	struct rmt_msg_view views[RMT_SNAPLEN_MAX];
	int more;
	size_t n, i;

	/* A failed call's vector is its address, a call that got none "[]". */
	if (pair->exit && pair->exit->call.ret < 0) {
		rmt_print_ptr(w, call->args[RMT_ARG_MMSG]);
		return;
	}
	if (pair->exit && !pair->exit->call.ret) {
		rmt_ob_lit(w, "[]");
		return;
	}
	n = rmt_pair_messages(pair, views, &more);
	if (!n) {
		rmt_print_ptr(w, call->args[RMT_ARG_MMSG]);
		return;
	}
	rmt_ob_lit(w, "[");
	for (i = 0; i < n; i++) {
		if (i)
			rmt_ob_lit(w, ", ");
		rmt_print_msg(w, &views[i]);
	}
	if (more)
		rmt_ob_lit(w, ", ...");
	rmt_ob_lit(w, "]");
}

/*
 * As strace: the count, "0 (Timeout)" (strace's word for every 0), or the
 * error; what the kernel left of the timeout only after messages came.
 */
static void rmt_print_return(struct rmt_outbuf *w, const struct rmt_exit_record *x)
{
	if (x->call.ret < 0) {
		/* Negated unsigned: a damaged record may hold INT64_MIN. */
		rmt_print_error(w, 0 - (uint64_t)x->call.ret);
		return;
	}
	rmt_ob_lit(w, " = ");
	rmt_ob_i64(w, x->call.ret);
	if (!x->call.ret) {
		rmt_ob_lit(w, " (Timeout)");
	} else if (x->call.flags & RMT_CALL_TIMEOUT) {
		rmt_ob_lit(w, " (left ");
		rmt_print_timespec(w, &x->call);
		rmt_ob_lit(w, ")");
	}
}

static void rmt_print_faults(struct rmt_outbuf *w, uint32_t faults)
{
	const char *names[32];
	size_t n = rmt_fault_names(faults, names), i;

	if (!n)
		return;
	rmt_ob_lit(w, " [unreadable:");
	for (i = 0; i < n; i++) {
		rmt_ob_str(w, i ? "," : " ");
		rmt_ob_str(w, names[i]);
	}
	rmt_ob_lit(w, "]");
}

/* " [TOCTOU msg[1].msg_iov,msg[1].msg_name]": fields changed as the call ran. */
static void rmt_print_toctou(struct rmt_outbuf *w, const struct rmt_pair *pair)
{
	struct rmt_toctou found[RMT_TOCTOU_MAX];
	size_t n = rmt_pair_toctou(pair, found, RMT_TOCTOU_MAX), i;

	if (!n)
		return;
	rmt_ob_lit(w, " [TOCTOU");
	for (i = 0; i < n; i++) {
		rmt_ob_str(w, i ? ",msg[" : " msg[");
		rmt_ob_u64(w, found[i].msg);
		rmt_ob_lit(w, "].");
		rmt_ob_str(w, found[i].field);
	}
	rmt_ob_lit(w, "]");
}

/* " [container 1a2b3c4d5e6f]", " [pod UID]", or " [container unknown]". */
static void rmt_print_container(struct rmt_outbuf *w, const struct rmt_container *c)
{
	if (!c)
		return;
	if (c->kind == RMT_CGROUP_UNKNOWN) {
		rmt_ob_lit(w, " [container unknown]");
	} else if (c->id[0]) {
		rmt_ob_lit(w, " [container ");
		rmt_ob_raw(w, c->id, RMT_CONTAINER_SHORT);
		rmt_ob_lit(w, "]");
	} else {
		rmt_ob_lit(w, " [pod ");
		rmt_ob_str(w, c->pod_uid);
		rmt_ob_lit(w, "]");
	}
}

static bool rmt_text_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_output *o = ctx;
	const struct rmt_call *call = rmt_pair_call(pair);
	struct rmt_who task;
	const struct rmt_record_header *hdr = rmt_pair_header(pair, &task);
	const char *name = rmt_syscall_name(call->syscall_nr);
	struct rmt_outbuf *w = &o->buf;

	rmt_print_prefix(w, o, hdr, &task);
	if (!pair->enter) {
		rmt_ob_lit(w, "<... ");
		rmt_ob_str(w, name);
		rmt_ob_lit(w, " resumed>");
	} else {
		rmt_ob_str(w, name);
		rmt_ob_lit(w, "(");
		rmt_ob_i64(w, (int32_t)call->args[RMT_ARG_FD]);
		rmt_ob_lit(w, ", ");
		rmt_print_msgs(w, pair, call);
		rmt_ob_lit(w, ", ");
		rmt_ob_u64(w, (uint32_t)call->args[RMT_ARG_VLEN]);
		rmt_ob_lit(w, ", ");
		rmt_print_flags(w, (unsigned int)call->args[RMT_ARG_FLAGS]);
		rmt_ob_lit(w, ", ");
		if (call->flags & RMT_CALL_TIMEOUT)
			rmt_print_timespec(w, call);
		else
			rmt_print_ptr(w, call->args[RMT_ARG_TIMEOUT]);
	}
	if (!pair->exit) {
		/* Entry-only capture never knows the result: strace's "= ?". */
		rmt_ob_str(w, o->enter_only ? ") = ?" : " <unfinished ...>");
	} else {
		rmt_ob_lit(w, ")");
		rmt_print_return(w, pair->exit);
	}
	if (pair->enter && pair->exit) {
		uint64_t dur = pair->exit->hdr.time_ns - pair->enter->hdr.time_ns;

		rmt_ob_lit(w, " <");
		rmt_ob_u64(w, dur / 1000000000);
		rmt_ob_lit(w, ".");
		rmt_ob_u64_width(w, dur % 1000000000 / 1000, 6);
		rmt_ob_lit(w, ">");
	}
	if (call->via == RMT_VIA_SOCKETCALL)
		rmt_ob_lit(w, " [via socketcall]");
	rmt_print_faults(w, (pair->enter ? pair->enter->call.faults : 0) |
			    (pair->exit ? pair->exit->call.faults : 0));
	rmt_print_toctou(w, pair);
	rmt_print_container(w, rmt_call_container(o->cgroups, pair));
	rmt_ob_lit(w, "\n");
	return true;
}

static void rmt_text_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_outbuf *w = &((struct rmt_output *)ctx)->buf;

	rmt_ob_lit(w, "+++ lost ");
	rmt_ob_u64(w, lost->count);
	rmt_ob_lit(w, " records on cpu ");
	rmt_ob_u64(w, lost->hdr.cpu);
	rmt_ob_lit(w, " +++\n");
}

void rmt_text_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	sink->call = rmt_text_call;
	sink->lost = rmt_text_lost;
	sink->ctx = o;
	rmt_ob_init(&o->buf, o->out);
}
