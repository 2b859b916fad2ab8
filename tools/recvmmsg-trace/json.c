// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines: one object per call, with the keys of Tracee's event schema
 * (so Tracee consumers read it) plus our own durationNs and via. Written
 * token by token (jsonw.h says why), keys in a fixed order.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <string.h>

#include "jsonw.h"
#include "messages.h"
#include "toctou.h"
#include "output.h"

/*
 * Tracee's id of its recvmmsg event: the x86_64 syscall number, which it
 * also gives the calls of 32-bit tasks (its events table maps them).
 */
#define RMT_TRACEE_EVENT_ID	"299"

static void rmt_arg(struct rmt_outbuf *w, const char *head, uint64_t value, int is_signed)
{
	rmt_ob_raw(w, head, strlen(head));
	if (is_signed)
		rmt_ob_i64(w, (int32_t)value);
	else
		rmt_ob_u64(w, value);
	rmt_ob_lit(w, "}");
}

static void rmt_args(struct rmt_outbuf *w, const struct rmt_call *call)
{
	const __u64 *a = call->args;

	rmt_arg(w, "\"args\":[{\"name\":\"fd\",\"type\":\"int\",\"value\":",
		a[RMT_ARG_FD], 1);
	rmt_arg(w, ",{\"name\":\"mmsg\",\"type\":\"struct mmsghdr*\",\"value\":",
		a[RMT_ARG_MMSG], 0);
	rmt_arg(w, ",{\"name\":\"vlen\",\"type\":\"unsigned int\",\"value\":",
		a[RMT_ARG_VLEN], 0);
	rmt_arg(w, ",{\"name\":\"flags\",\"type\":\"unsigned int\",\"value\":",
		a[RMT_ARG_FLAGS], 0);
	rmt_arg(w, call->syscall_nr == RMT_NR_IA32_RECVMMSG_TIME64 ?
		",{\"name\":\"timeout\",\"type\":\"struct __kernel_timespec*\",\"value\":" :
		",{\"name\":\"timeout\",\"type\":\"struct old_timespec32*\",\"value\":",
		a[RMT_ARG_TIMEOUT], 0);
	rmt_ob_lit(w, "]");
}

/* ,"KEY":{"tv_sec":S,"tv_nsec":N} or ,"KEY":null */
static void rmt_timespec(struct rmt_outbuf *w, const char *key, const struct rmt_call *call)
{
	rmt_ob_raw(w, key, strlen(key));
	if (!call || !(call->flags & RMT_CALL_TIMEOUT)) {
		rmt_ob_lit(w, "null");
		return;
	}
	rmt_ob_lit(w, "{\"tv_sec\":");
	rmt_ob_i64(w, call->timeout_sec);
	rmt_ob_lit(w, ",\"tv_nsec\":");
	rmt_ob_i64(w, call->timeout_nsec);
	rmt_ob_lit(w, "}");
}

static void rmt_message(struct rmt_outbuf *w, const struct rmt_msg_view *v)
{
	const struct rmt_msg_enter *in = v->in;
	const struct rmt_msg_exit *out = v->out;
	char source[128];
	__u32 j;

	rmt_ob_lit(w, "{\"msg_namelen\":");
	rmt_ob_u64(w, out ? out->namelen : in->namelen);
	rmt_ob_lit(w, ",\"msg_iovlen\":");
	if (in)
		rmt_ob_u64(w, in->iovlen);
	else
		rmt_ob_lit(w, "null");
	rmt_ob_lit(w, ",\"msg_controllen\":");
	if (in)
		rmt_ob_u64(w, in->controllen);
	else
		rmt_ob_lit(w, "null");
	rmt_ob_lit(w, ",\"msg_flags\":");
	rmt_ob_u64(w, out ? out->flags : in->flags);
	rmt_ob_lit(w, ",\"msg_len\":");
	rmt_ob_u64(w, out ? out->len : in->len);
	rmt_ob_lit(w, ",\"iov\":");
	if (in) {
		rmt_ob_lit(w, "[");
		for (j = 0; j < in->nr_iov; j++) {
			if (j)
				rmt_ob_lit(w, ",");
			rmt_ob_lit(w, "{\"iov_base\":");
			rmt_ob_u64(w, in->iov_snap[j].base);
			rmt_ob_lit(w, ",\"iov_len\":");
			rmt_ob_u64(w, in->iov_snap[j].len);
			rmt_ob_lit(w, "}");
		}
		rmt_ob_lit(w, "]");
	} else {
		rmt_ob_lit(w, "null");
	}
	rmt_ob_lit(w, ",\"source\":");
	if (out && rmt_format_source(source, sizeof(source), out->name,
				     rmt_name_have(out->namelen, out->name_bytes)))
		rmt_jw_str(w, source, strlen(source));
	else
		rmt_ob_lit(w, "null");
	rmt_ob_lit(w, "}");
}

static void rmt_faults(struct rmt_outbuf *w, const struct rmt_pair *pair)
{
	uint32_t faults = (pair->enter ? pair->enter->call.faults : 0) |
			  (pair->exit ? pair->exit->call.faults : 0);
	const char *names[32];
	size_t n = rmt_fault_names(faults, names), i;

	rmt_ob_lit(w, ",\"faults\":[");
	for (i = 0; i < n; i++) {
		if (i)
			rmt_ob_lit(w, ",");
		rmt_jw_str(w, names[i], strlen(names[i]));
	}
	rmt_ob_lit(w, "]");
}

/* "toctou": the fields changed as the call ran; left out when none was. */
static void rmt_toctou(struct rmt_outbuf *w, const struct rmt_pair *pair)
{
	struct rmt_toctou found[RMT_TOCTOU_MAX];
	size_t n = rmt_pair_toctou(pair, found, RMT_TOCTOU_MAX), i;

	if (!n)
		return;
	rmt_ob_lit(w, ",\"toctou\":[");
	for (i = 0; i < n; i++) {
		rmt_ob_str(w, i ? ",{\"msg\":" : "{\"msg\":");
		rmt_ob_u64(w, found[i].msg);
		rmt_ob_lit(w, ",\"field\":");
		rmt_jw_str(w, found[i].field, strlen(found[i].field));
		rmt_ob_lit(w, ",\"enter\":");
		rmt_ob_u64(w, found[i].enter);
		rmt_ob_lit(w, ",\"exit\":");
		rmt_ob_u64(w, found[i].exit);
		rmt_ob_lit(w, "}");
	}
	rmt_ob_lit(w, "]");
}

/*
 * Tracee's "container" {"id"} and "kubernetes" {"podUID"}, with our
 * "runtime"; {"runtime": "unknown"} for a cgroup gone before it was named.
 */
void rmt_json_container(struct rmt_outbuf *w, const struct rmt_container *c)
{
	if (!c)
		return;
	if (c->kind == RMT_CGROUP_UNKNOWN) {
		rmt_ob_lit(w, ",\"container\":{\"runtime\":\"unknown\"}");
		return;
	}
	if (c->id[0]) {
		rmt_ob_lit(w, ",\"container\":{\"id\":\"");
		rmt_ob_raw(w, c->id, RMT_CONTAINER_ID_LEN);
		rmt_ob_lit(w, "\",\"runtime\":\"");
		rmt_ob_str(w, c->runtime);
		rmt_ob_lit(w, "\"}");
	}
	if (c->pod_uid[0]) {
		rmt_ob_lit(w, ",\"kubernetes\":{\"podUID\":\"");
		rmt_ob_str(w, c->pod_uid);
		rmt_ob_lit(w, "\"}");
	}
}

static bool rmt_json_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_output *o = ctx;
	const struct rmt_enter_record *e = pair->enter;
	const struct rmt_exit_record *x = pair->exit;
	struct rmt_msg_view views[RMT_SNAPLEN_MAX];
	struct rmt_outbuf *w = &o->buf;
	const struct rmt_container *c;
	const char *name, *exe;
	bool started;
	size_t n, i;
	int more;

	/*
	 * Without its enter record (it was running when capture started) a
	 * call has no arguments to report: no event, and it does not count.
	 */
	if (!e)
		return false;

	name = rmt_syscall_name(e->call.syscall_nr);
	c = rmt_call_container(o->cgroups, pair);
	started = c && c->kind != RMT_CGROUP_UNKNOWN && c->id[0];
	rmt_ob_lit(w, "{\"timestamp\":");
	rmt_ob_i64(w, (int64_t)e->hdr.time_ns + o->epoch_offset_ns);
	rmt_ob_lit(w, ",\"threadStartTime\":");
	rmt_ob_i64(w, (int64_t)e->task.start_time_ns + o->epoch_offset_ns);
	rmt_ob_lit(w, ",\"processorId\":");
	rmt_ob_u64(w, e->hdr.cpu);
	rmt_ob_lit(w, ",\"processId\":");
	rmt_ob_u64(w, e->task.ns_tgid);
	rmt_ob_lit(w, ",\"threadId\":");
	rmt_ob_u64(w, e->task.ns_tid);
	rmt_ob_lit(w, ",\"parentProcessId\":");
	rmt_ob_u64(w, e->task.ns_ppid);
	rmt_ob_lit(w, ",\"hostProcessId\":");
	rmt_ob_u64(w, e->task.tgid);
	rmt_ob_lit(w, ",\"hostThreadId\":");
	rmt_ob_u64(w, e->task.tid);
	rmt_ob_lit(w, ",\"hostParentProcessId\":");
	rmt_ob_u64(w, e->task.ppid);
	rmt_ob_lit(w, ",\"userId\":");
	rmt_ob_u64(w, e->task.uid);
	rmt_ob_lit(w, ",\"mountNamespace\":");
	rmt_ob_u64(w, e->task.mnt_ns);
	rmt_ob_lit(w, ",\"pidNamespace\":");
	rmt_ob_u64(w, e->task.pid_ns);
	rmt_ob_lit(w, ",\"cgroupId\":");
	rmt_ob_u64(w, e->task.cgroup_id);
	rmt_ob_lit(w, ",\"processName\":");
	rmt_jw_str(w, e->task.comm, strnlen(e->task.comm, RMT_COMM_LEN));
	exe = rmt_exe_path(o->exes, &e->task);
	if (exe) {
		rmt_ob_lit(w, ",\"executable\":{\"path\":");
		rmt_jw_str(w, exe, strlen(exe));
		rmt_ob_lit(w, "}");
	}
	rmt_ob_lit(w, ",\"hostName\":");
	rmt_jw_str(w, e->task.nodename, strnlen(e->task.nodename, RMT_NODENAME_LEN));
	/* Tracee's flat id, "" outside a container; the full one is below. */
	rmt_ob_lit(w, ",\"containerId\":\"");
	if (started)
		rmt_ob_raw(w, c->id, RMT_CONTAINER_ID_LEN);
	rmt_ob_lit(w, "\",\"eventId\":\"" RMT_TRACEE_EVENT_ID "\"");
	rmt_ob_lit(w, ",\"eventName\":");
	rmt_jw_str(w, name, strlen(name));
	rmt_ob_lit(w, ",\"syscall\":");
	rmt_jw_str(w, name, strlen(name));
	rmt_ob_lit(w, ",\"argsNum\":");
	rmt_ob_u64(w, RMT_NR_ARGS);
	rmt_ob_lit(w, ",\"returnValue\":");
	if (x)
		rmt_ob_i64(w, x->call.ret);
	else
		rmt_ob_lit(w, "null");
	if (started)
		rmt_ob_lit(w, ",\"contextFlags\":{\"containerStarted\":true,\"isCompat\":true},");
	else
		rmt_ob_lit(w, ",\"contextFlags\":{\"containerStarted\":false,\"isCompat\":true},");
	rmt_args(w, &e->call);
	rmt_ob_lit(w, ",\"durationNs\":");
	if (x)
		rmt_ob_i64(w, (int64_t)(x->hdr.time_ns - e->hdr.time_ns));
	else
		rmt_ob_lit(w, "null");
	if (e->call.via == RMT_VIA_SOCKETCALL)
		rmt_ob_lit(w, ",\"via\":\"socketcall\"");
	else
		rmt_ob_lit(w, ",\"via\":\"syscall\"");
	rmt_timespec(w, ",\"timeout\":", &e->call);
	rmt_timespec(w, ",\"timeoutAfter\":", x ? &x->call : NULL);
	rmt_ob_lit(w, ",\"messages\":[");
	n = rmt_pair_messages(pair, views, &more);
	for (i = 0; i < n; i++) {
		if (i)
			rmt_ob_lit(w, ",");
		rmt_message(w, &views[i]);
	}
	rmt_ob_lit(w, "]");
	if (more)
		rmt_ob_lit(w, ",\"truncated\":true");
	else
		rmt_ob_lit(w, ",\"truncated\":false");
	rmt_faults(w, pair);
	rmt_toctou(w, pair);
	rmt_json_container(w, c);
	rmt_ob_lit(w, "}\n");
	return true;
}

static void rmt_json_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_output *o = ctx;
	struct rmt_outbuf *w = &o->buf;

	rmt_ob_lit(w, "{\"timestamp\":");
	rmt_ob_i64(w, (int64_t)lost->hdr.time_ns + o->epoch_offset_ns);
	rmt_ob_lit(w, ",\"processorId\":");
	rmt_ob_u64(w, lost->hdr.cpu);
	rmt_ob_lit(w, ",\"eventName\":\"lost\",\"count\":");
	rmt_ob_u64(w, lost->count);
	rmt_ob_lit(w, "}\n");
}

void rmt_json_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	sink->call = rmt_json_call;
	sink->lost = rmt_json_lost;
	sink->ctx = o;
	rmt_ob_init(&o->buf, o->out);
}
