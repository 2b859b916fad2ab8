/* SPDX-License-Identifier: GPL-2.0 */
/* -o journal: calls as systemd journal entries (journal.c). */
#ifndef RMT_JOURNAL_H
#define RMT_JOURNAL_H

#include <stdbool.h>

#include "calls.h"
#include "output.h"

/* Whether this build sends to the journal (it links libsystemd). */
bool rmt_journal_available(void);
/* The sink that does; -1 (errno set) when it cannot be made. */
int rmt_journal_sink(struct rmt_sink *sink, struct rmt_output *o);

#endif /* RMT_JOURNAL_H */
