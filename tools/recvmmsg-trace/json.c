// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines: one object per call, with the keys of Tracee's event schema
 * (so Tracee consumers read it) plus our own durationNs and via.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include <json-c/json.h>

#include "messages.h"
#include "output.h"

static void rmt_add(json_object *obj, const char *key, json_object *val)
{
	json_object_object_add(obj, key, val);
}

static json_object *rmt_arg(const char *name, const char *type, json_object *val)
{
	json_object *arg = json_object_new_object();

	rmt_add(arg, "name", json_object_new_string(name));
	rmt_add(arg, "type", json_object_new_string(type));
	rmt_add(arg, "value", val);
	return arg;
}

static void rmt_print(struct rmt_output *o, json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      o->out);
	fputc('\n', o->out);
	json_object_put(obj);
}

static json_object *rmt_args(const struct rmt_call *call)
{
	const char *ts_type = call->syscall_nr == RMT_NR_IA32_RECVMMSG_TIME64 ?
			      "struct __kernel_timespec*" : "struct old_timespec32*";
	json_object *args = json_object_new_array();
	const __u64 *a = call->args;

	json_object_array_add(args, rmt_arg("fd", "int",
		json_object_new_int((int32_t)a[RMT_ARG_FD])));
	json_object_array_add(args, rmt_arg("mmsg", "struct mmsghdr*",
		json_object_new_uint64(a[RMT_ARG_MMSG])));
	json_object_array_add(args, rmt_arg("vlen", "unsigned int",
		json_object_new_uint64(a[RMT_ARG_VLEN])));
	json_object_array_add(args, rmt_arg("flags", "unsigned int",
		json_object_new_uint64(a[RMT_ARG_FLAGS])));
	json_object_array_add(args, rmt_arg("timeout", ts_type,
		json_object_new_uint64(a[RMT_ARG_TIMEOUT])));
	return args;
}

static json_object *rmt_timespec(const struct rmt_call *call)
{
	json_object *ts;

	if (!call || !(call->flags & RMT_CALL_TIMEOUT))
		return NULL;
	ts = json_object_new_object();
	rmt_add(ts, "tv_sec", json_object_new_int64(call->timeout_sec));
	rmt_add(ts, "tv_nsec", json_object_new_int64(call->timeout_nsec));
	return ts;
}

static json_object *rmt_message(const struct rmt_msg_view *v)
{
	const struct rmt_msg_enter *in = v->in;
	const struct rmt_msg_exit *out = v->out;
	json_object *msg = json_object_new_object(), *iov = NULL;
	char source[128];
	__u32 j;

	rmt_add(msg, "msg_namelen", json_object_new_int64(out ? out->namelen : in->namelen));
	rmt_add(msg, "msg_iovlen", in ? json_object_new_int64(in->iovlen) : NULL);
	rmt_add(msg, "msg_controllen", in ? json_object_new_int64(in->controllen) : NULL);
	rmt_add(msg, "msg_flags", json_object_new_int64(out ? out->flags : in->flags));
	rmt_add(msg, "msg_len", json_object_new_int64(out ? out->len : in->len));
	if (in) {
		iov = json_object_new_array();
		for (j = 0; j < in->nr_iov; j++) {
			json_object *one = json_object_new_object();

			rmt_add(one, "iov_base", json_object_new_int64(in->iov_snap[j].base));
			rmt_add(one, "iov_len", json_object_new_int64(in->iov_snap[j].len));
			json_object_array_add(iov, one);
		}
	}
	rmt_add(msg, "iov", iov);
	rmt_add(msg, "source", out && rmt_format_source(source, sizeof(source), out->name,
							  out->namelen) ?
		json_object_new_string(source) : NULL);
	return msg;
}

static void rmt_add_faults(json_object *obj, const struct rmt_pair *pair)
{
	uint32_t faults = (pair->enter ? pair->enter->call.faults : 0) |
			  (pair->exit ? pair->exit->call.faults : 0);
	json_object *list = json_object_new_array();
	const char *names[32];
	size_t n = rmt_fault_names(faults, names), i;

	for (i = 0; i < n; i++)
		json_object_array_add(list, json_object_new_string(names[i]));
	rmt_add(obj, "faults", list);
}

static void rmt_json_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_output *o = ctx;
	const struct rmt_enter_record *e = pair->enter;
	const struct rmt_exit_record *x = pair->exit;
	struct rmt_msg_view views[RMT_SNAPLEN_MAX];
	json_object *obj, *flags, *msgs;
	const char *name;
	size_t n, i;
	int more;

	/* Without its enter record a call has no arguments to report. */
	if (!e)
		return;

	name = rmt_syscall_name(e->call.syscall_nr);
	obj = json_object_new_object();
	rmt_add(obj, "timestamp",
		json_object_new_int64((int64_t)e->hdr.time_ns + o->epoch_offset_ns));
	rmt_add(obj, "processorId", json_object_new_int(e->hdr.cpu));
	rmt_add(obj, "processId", json_object_new_int64(e->task.ns_tgid));
	rmt_add(obj, "threadId", json_object_new_int64(e->task.ns_tid));
	rmt_add(obj, "hostProcessId", json_object_new_int64(e->task.tgid));
	rmt_add(obj, "hostThreadId", json_object_new_int64(e->task.tid));
	rmt_add(obj, "userId", json_object_new_int64(e->task.uid));
	rmt_add(obj, "cgroupId", json_object_new_uint64(e->task.cgroup_id));
	rmt_add(obj, "processName",
		json_object_new_string_len(e->task.comm,
					   strnlen(e->task.comm, RMT_COMM_LEN)));
	rmt_add(obj, "eventName", json_object_new_string(name));
	rmt_add(obj, "syscall", json_object_new_string(name));
	rmt_add(obj, "argsNum", json_object_new_int(RMT_NR_ARGS));
	rmt_add(obj, "returnValue", x ? json_object_new_int64(x->call.ret) : NULL);
	flags = json_object_new_object();
	rmt_add(flags, "isCompat", json_object_new_boolean(1));
	rmt_add(obj, "contextFlags", flags);
	rmt_add(obj, "args", rmt_args(&e->call));
	rmt_add(obj, "durationNs", x ?
		json_object_new_int64(x->hdr.time_ns - e->hdr.time_ns) : NULL);
	rmt_add(obj, "via", json_object_new_string(e->call.via == RMT_VIA_SOCKETCALL ?
						   "socketcall" : "syscall"));
	rmt_add(obj, "timeout", rmt_timespec(&e->call));
	rmt_add(obj, "timeoutAfter", rmt_timespec(x ? &x->call : NULL));
	n = rmt_pair_messages(pair, views, &more);
	msgs = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(msgs, rmt_message(&views[i]));
	rmt_add(obj, "messages", msgs);
	rmt_add(obj, "truncated", json_object_new_boolean(more));
	rmt_add_faults(obj, pair);
	rmt_print(o, obj);
}

static void rmt_json_lost(void *ctx, const struct rmt_lost_record *lost)
{
	struct rmt_output *o = ctx;
	json_object *obj = json_object_new_object();

	rmt_add(obj, "timestamp",
		json_object_new_int64((int64_t)lost->hdr.time_ns + o->epoch_offset_ns));
	rmt_add(obj, "processorId", json_object_new_int(lost->hdr.cpu));
	rmt_add(obj, "eventName", json_object_new_string("lost"));
	rmt_add(obj, "count", json_object_new_uint64(lost->count));
	rmt_print(o, obj);
}

void rmt_json_sink(struct rmt_sink *sink, struct rmt_output *o)
{
	sink->call = rmt_json_call;
	sink->lost = rmt_json_lost;
	sink->ctx = o;
}
