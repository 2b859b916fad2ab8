/* SPDX-License-Identifier: GPL-2.0 */
/* Pairing enter and exit records of one thread into calls. */
#ifndef RMT_CALLS_H
#define RMT_CALLS_H

#include <stdbool.h>

#include "records.h"

/*
 * A call as far as it is known: an unfinished call has no exit, a call
 * already running when capture started has no enter.
 */
struct rmt_pair {
	const struct rmt_enter_record *enter;	/* NULL or a whole record */
	const struct rmt_exit_record *exit;	/* NULL or a whole record */
};

/* Where decoded calls and LOST reports go: the text or JSON printer. */
struct rmt_sink {
	/* Returns whether the call was shown: what -n COUNT counts. */
	bool (*call)(void *ctx, const struct rmt_pair *pair);
	void (*lost)(void *ctx, const struct rmt_lost_record *lost);
	void *ctx;
};

struct rmt_tracker {
	void *pending;			/* tsearch tree of struct rmt_waiting by tid */
	struct rmt_sink sink;
	unsigned long long calls;	/* calls the sink showed */
	unsigned long long lost;	/* records the kernel reported lost */
	bool enter_only;		/* no exit records come: emit at enter */
};

void rmt_tracker_init(struct rmt_tracker *t, const struct rmt_sink *sink);
/*
 * Feed records in time order (see rmt_records_sort). An enter record is
 * kept by reference while its call waits for the exit: call
 * rmt_tracker_keep() before the buffer the records are in is reused.
 */
void rmt_tracker_feed(struct rmt_tracker *t, const struct rmt_record *rec);
/* Copy the enter records still waiting out of the buffer they were fed from. */
void rmt_tracker_keep(struct rmt_tracker *t);
/*
 * Hand every call still waiting for its exit to the sink, oldest first,
 * until @limit calls were shown in all (0: no limit); let go of the rest.
 */
void rmt_tracker_finish(struct rmt_tracker *t, unsigned long long limit);

#endif /* RMT_CALLS_H */
