// SPDX-License-Identifier: GPL-2.0
/*
 * JSON Lines: one object per call, with the keys of Tracee's event schema
 * (so Tracee consumers read it) plus our own durationNs and via.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include <json-c/json.h>

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

static json_object *rmt_args(const struct rmt_enter_record *e)
{
	json_object *args = json_object_new_array();
	const __u64 *a = e->args;

	json_object_array_add(args, rmt_arg("fd", "int",
		json_object_new_int((int32_t)a[RMT_ARG_FD])));
	json_object_array_add(args, rmt_arg("mmsg", "struct mmsghdr*",
		json_object_new_uint64(a[RMT_ARG_MMSG])));
	json_object_array_add(args, rmt_arg("vlen", "unsigned int",
		json_object_new_uint64(a[RMT_ARG_VLEN])));
	json_object_array_add(args, rmt_arg("flags", "unsigned int",
		json_object_new_uint64(a[RMT_ARG_FLAGS])));
	json_object_array_add(args, rmt_arg("timeout", "struct old_timespec32*",
		json_object_new_uint64(a[RMT_ARG_TIMEOUT])));
	return args;
}

static void rmt_print(struct rmt_output *o, json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      o->out);
	fputc('\n', o->out);
	json_object_put(obj);
}

static void rmt_json_call(void *ctx, const struct rmt_call *call)
{
	struct rmt_output *o = ctx;
	const struct rmt_enter_record *e = &call->enter;
	const char *name;
	json_object *obj, *flags;

	/* Without its enter record a call has no arguments to report. */
	if (!call->has_enter)
		return;

	name = rmt_syscall_name(e->task.syscall_nr);
	obj = json_object_new_object();
	rmt_add(obj, "timestamp",
		json_object_new_int64((int64_t)e->hdr.time_ns + o->epoch_offset_ns));
	rmt_add(obj, "processorId", json_object_new_int(e->hdr.cpu));
	rmt_add(obj, "hostProcessId", json_object_new_int64(e->task.tgid));
	rmt_add(obj, "hostThreadId", json_object_new_int64(e->task.tid));
	rmt_add(obj, "userId", json_object_new_int64(e->task.uid));
	rmt_add(obj, "processName",
		json_object_new_string_len(e->task.comm,
					   strnlen(e->task.comm, RMT_COMM_LEN)));
	rmt_add(obj, "eventName", json_object_new_string(name));
	rmt_add(obj, "syscall", json_object_new_string(name));
	rmt_add(obj, "argsNum", json_object_new_int(RMT_NR_ARGS));
	rmt_add(obj, "returnValue", call->has_exit ?
		json_object_new_int64(call->exit.ret) : NULL);
	flags = json_object_new_object();
	rmt_add(flags, "isCompat", json_object_new_boolean(1));
	rmt_add(obj, "contextFlags", flags);
	rmt_add(obj, "args", rmt_args(e));
	rmt_add(obj, "durationNs", call->has_exit ?
		json_object_new_int64(call->exit.hdr.time_ns - e->hdr.time_ns) : NULL);
	rmt_add(obj, "via", json_object_new_string("syscall"));
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
