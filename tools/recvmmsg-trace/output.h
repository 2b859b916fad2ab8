/* SPDX-License-Identifier: GPL-2.0 */
/* The two printers of calls: strace-like text and Tracee-style JSON Lines. */
#ifndef RMT_OUTPUT_H
#define RMT_OUTPUT_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "calls.h"
#include "containers.h"
#include "exes.h"
#include "outbuf.h"

struct rmt_output {
	FILE *out;
	int64_t epoch_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int enter_only;			/* calls recorded at entry only */
	/* This system's cgroups, to name containers; NULL: not named. */
	struct rmt_cgroups *cgroups;
	/* Paths of executables (a file's table, or this system's /proc); NULL: none. */
	struct rmt_exes *exes;
	struct rmt_outbuf buf;		/* printed, not yet handed to @out */
	int journal_err;		/* -o journal: the first send's errno */
};

/* ,"container":{...} and ,"kubernetes":{...} of @c (nothing for NULL). */
void rmt_json_container(struct rmt_outbuf *w, const struct rmt_container *c);

void rmt_text_sink(struct rmt_sink *sink, struct rmt_output *o);
void rmt_json_sink(struct rmt_sink *sink, struct rmt_output *o);
/*
 * Everything printed so far reaches the FILE's descriptor. -1 (errno set
 * by the write that failed) once the FILE has had a write error.
 */
static inline int rmt_output_flush(struct rmt_output *o)
{
	if (o->journal_err) {
		errno = o->journal_err;
		return -1;
	}
	rmt_ob_flush(&o->buf);
	return fflush(o->out) || ferror(o->out) ? -1 : 0;
}

#endif /* RMT_OUTPUT_H */
