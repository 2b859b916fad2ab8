// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <inttypes.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "messages.h"
#include "output.h"
#include "summary.h"
#include "toctou.h"

struct rmt_proc_stats {
	uint32_t tgid;
	char comm[RMT_COMM_LEN];	/* of its first call */
	uint64_t calls, messages, bytes, errors, timed;
	uint64_t toctou;		/* calls whose vector changed as they ran */
	/* Of its first call that named one; NULL: none (cgroups' cache). */
	const struct rmt_container *container;
	uint64_t hist[RMT_HIST_SLOTS];
};

unsigned int rmt_hist_slot(uint64_t ns)
{
	unsigned int octave;

	if (ns < RMT_HIST_SUB)
		return (unsigned int)ns;
	octave = 63 - (unsigned int)__builtin_clzll(ns);	/* 4..63 */
	return RMT_HIST_SUB * (octave - 3) +
	       (unsigned int)((ns >> (octave - 4)) & (RMT_HIST_SUB - 1));
}

/* The middle of the slot's range of durations. */
uint64_t rmt_hist_value(unsigned int slot)
{
	unsigned int octave, sub;
	uint64_t low;

	if (slot < RMT_HIST_SUB)
		return slot;
	octave = slot / RMT_HIST_SUB + 3;
	sub = slot % RMT_HIST_SUB;
	low = (uint64_t)(RMT_HIST_SUB + sub) << (octave - 4);
	return low + ((uint64_t)1 << (octave - 4)) / 2;
}

static int rmt_proc_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct rmt_proc_stats *)a)->tgid;
	uint32_t y = ((const struct rmt_proc_stats *)b)->tgid;

	return x < y ? -1 : x > y;
}

static struct rmt_proc_stats *rmt_proc_get(struct rmt_summary *s,
					   const struct rmt_who *task)
{
	struct rmt_proc_stats key = { .tgid = task->tgid }, *p, **found;

	found = tfind(&key, &s->procs, rmt_proc_cmp);
	if (found)
		return *found;
	p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->tgid = task->tgid;
	memcpy(p->comm, task->comm, sizeof(p->comm));
	if (!tsearch(p, &s->procs, rmt_proc_cmp))
		abort();
	return p;
}

static bool rmt_summary_call(void *ctx, const struct rmt_pair *pair)
{
	struct rmt_summary *s = ctx;
	struct rmt_who task;
	struct rmt_proc_stats *p;

	rmt_pair_header(pair, &task);
	p = rmt_proc_get(s, &task);
	p->calls++;
	if (pair->exit) {
		const struct rmt_exit_record *x = pair->exit;
		__u32 i;

		if (x->call.ret < 0)
			p->errors++;
		else
			p->messages += (uint64_t)x->call.ret;
		for (i = 0; i < x->call.nr_msgs; i++)
			p->bytes += x->msgs[i].len;
	}
	if (rmt_pair_toctou(pair, NULL, 0))
		p->toctou++;
	if (!p->container)
		p->container = rmt_call_container(s->cgroups, pair);
	if (pair->enter && pair->exit) {
		p->hist[rmt_hist_slot(pair->exit->hdr.time_ns - pair->enter->hdr.time_ns)]++;
		p->timed++;
	}
	return true;
}

static void rmt_summary_lost(void *ctx, const struct rmt_lost_record *lost)
{
	((struct rmt_summary *)ctx)->lost += lost->count;
}

void rmt_summary_sink(struct rmt_sink *sink, struct rmt_summary *s)
{
	memset(s, 0, sizeof(*s));
	sink->call = rmt_summary_call;
	sink->lost = rmt_summary_lost;
	sink->ctx = s;
}

/* The smallest duration with at least @pct percent of the timed calls at or below. */
static uint64_t rmt_percentile(const struct rmt_proc_stats *p, unsigned int pct)
{
	uint64_t want = (p->timed * pct + 99) / 100, seen = 0;
	unsigned int slot;

	for (slot = 0; slot < RMT_HIST_SLOTS; slot++) {
		seen += p->hist[slot];
		if (seen && seen >= want)
			return rmt_hist_value(slot);
	}
	return 0;
}

struct rmt_proc_list {
	struct rmt_proc_stats **procs;
	size_t n, cap;
};

static void rmt_collect_proc(const void *node, VISIT which, void *ctx)
{
	struct rmt_proc_list *l = ctx;

	if (which != postorder && which != leaf)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->procs = realloc(l->procs, l->cap * sizeof(*l->procs));
		if (!l->procs)
			abort();
	}
	l->procs[l->n++] = *(struct rmt_proc_stats * const *)node;
}

/* Busiest first, then by pid. */
static int rmt_busiest_first(const void *a, const void *b)
{
	const struct rmt_proc_stats *x = *(struct rmt_proc_stats * const *)a;
	const struct rmt_proc_stats *y = *(struct rmt_proc_stats * const *)b;

	if (x->calls != y->calls)
		return x->calls > y->calls ? -1 : 1;
	return rmt_proc_cmp(x, y);
}

static void rmt_print_usec(FILE *f, const struct rmt_proc_stats *p, unsigned int pct)
{
	if (p->timed)
		fprintf(f, " %11.3f", rmt_percentile(p, pct) / 1000.0);
	else
		fprintf(f, " %11s", "-");
}

static void rmt_print_table(FILE *f, struct rmt_proc_stats **procs, size_t n,
			    unsigned long long lost)
{
	uint64_t calls = 0, messages = 0, bytes = 0, errors = 0, toctou = 0;
	size_t i;

	fprintf(f, "%8s %-16s %10s %10s %14s %8s %8s %11s %11s %s\n", "pid", "comm",
		"calls", "messages", "bytes", "errors", "toctou", "p50 usec", "p99 usec",
		"container");
	for (i = 0; i < n; i++) {
		const struct rmt_proc_stats *p = procs[i];
		char comm[RMT_ESCAPED_SIZE(RMT_COMM_LEN)];

		rmt_escape(comm, (const uint8_t *)p->comm, strnlen(p->comm, RMT_COMM_LEN));
		fprintf(f, "%8" PRIu32 " %-16s %10" PRIu64 " %10" PRIu64 " %14" PRIu64
			" %8" PRIu64 " %8" PRIu64, p->tgid, comm, p->calls, p->messages,
			p->bytes, p->errors, p->toctou);
		rmt_print_usec(f, p, 50);
		rmt_print_usec(f, p, 99);
		if (!p->container)
			fputs(" -\n", f);
		else if (p->container->kind == RMT_CGROUP_UNKNOWN)
			fputs(" unknown\n", f);
		else if (p->container->id[0])
			fprintf(f, " %.*s\n", RMT_CONTAINER_SHORT, p->container->id);
		else
			fprintf(f, " pod:%s\n", p->container->pod_uid);
		calls += p->calls;
		messages += p->messages;
		bytes += p->bytes;
		errors += p->errors;
		toctou += p->toctou;
	}
	fprintf(f, "%8s %-16s %10" PRIu64 " %10" PRIu64 " %14" PRIu64 " %8" PRIu64
		" %8" PRIu64 "\n", "", "total", calls, messages, bytes, errors, toctou);
	if (lost)
		fprintf(f, "%llu records lost: these totals are short\n", lost);
}

static void rmt_print_json(FILE *f, struct rmt_proc_stats **procs, size_t n,
			   unsigned long long lost)
{
	static const char *const keys[] = {
		",\"calls\":", ",\"messages\":", ",\"bytes\":", ",\"errors\":",
		",\"toctou\":",
	};
	struct rmt_outbuf w;
	size_t i, k;

	rmt_ob_init(&w, f);
	for (i = 0; i < n; i++) {
		const struct rmt_proc_stats *p = procs[i];
		const uint64_t vals[] = {
			p->calls, p->messages, p->bytes, p->errors, p->toctou,
		};

		rmt_ob_lit(&w, "{\"eventName\":\"summary\",\"hostProcessId\":");
		rmt_ob_u64(&w, p->tgid);
		rmt_ob_lit(&w, ",\"processName\":");
		rmt_jw_str(&w, p->comm, strnlen(p->comm, RMT_COMM_LEN));
		for (k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
			rmt_ob_raw(&w, keys[k], strlen(keys[k]));
			rmt_ob_u64(&w, vals[k]);
		}
		rmt_ob_lit(&w, ",\"p50Ns\":");
		if (p->timed)
			rmt_ob_u64(&w, rmt_percentile(p, 50));
		else
			rmt_ob_lit(&w, "null");
		rmt_ob_lit(&w, ",\"p99Ns\":");
		if (p->timed)
			rmt_ob_u64(&w, rmt_percentile(p, 99));
		else
			rmt_ob_lit(&w, "null");
		rmt_json_container(&w, p->container);
		rmt_ob_lit(&w, "}\n");
	}
	if (lost) {
		rmt_ob_lit(&w, "{\"eventName\":\"lost\",\"count\":");
		rmt_ob_u64(&w, lost);
		rmt_ob_lit(&w, "}\n");
	}
	rmt_ob_flush(&w);
}

static void rmt_free_proc(void *p)
{
	free(p);
}

void rmt_summary_finish(struct rmt_summary *s, FILE *f, int json)
{
	struct rmt_proc_list l = { 0 };

	twalk_r(s->procs, rmt_collect_proc, &l);
	if (l.n)
		qsort(l.procs, l.n, sizeof(*l.procs), rmt_busiest_first);
	if (json)
		rmt_print_json(f, l.procs, l.n, s->lost);
	else
		rmt_print_table(f, l.procs, l.n, s->lost);
	free(l.procs);
	tdestroy(s->procs, rmt_free_proc);
	s->procs = NULL;
}
