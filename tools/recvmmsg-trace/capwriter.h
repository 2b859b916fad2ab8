/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capture files -w writes: one file, or a ring of files rotated by size
 * or by time, as tcpdump's -C, -W and -G do. Each file is a capture file of
 * its own (capfile.h): its header, whole records, and, when it is closed
 * cleanly, the table of the cgroups and executables seen so far. A write
 * that fails (a full disk) leaves the file ending after its last whole
 * record, and the writer refuses every write after it.
 */
#ifndef RMT_CAPWRITER_H
#define RMT_CAPWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "containers.h"
#include "exes.h"

struct rmt_capwriter_opts {
	const char *path;	/* -w FILE */
	/* Rotation: a new file before one would pass max_bytes (0: never)... */
	uint64_t max_bytes;
	/* ...or once one has been open this long (0: never). */
	unsigned int seconds;
	/* With rotation: FILE0 to FILE<N-1> reused in turn (0: FILE0, FILE1, ... on). */
	unsigned int nr_files;
	uint32_t nr_cpus;
	int64_t epoch_offset_ns;
	/* What the tables name (either may be NULL); the caller keeps them. */
	struct rmt_cgroups *cgroups;
	struct rmt_exes *exes;
};

struct rmt_capwriter;

/*
 * The first file open at @now_s (seconds, the clock rmt_capwriter_write()
 * is given), its header written; NULL with a message on stderr.
 */
struct rmt_capwriter *rmt_capwriter_open(const struct rmt_capwriter_opts *o, double now_s);
/*
 * Whole records (@len bytes of them; a round marker too), rotating between
 * two of them where a file is full or old enough. @now_s is the time to
 * judge age by (CLOCK_MONOTONIC seconds). -1 with a message on stderr.
 */
int rmt_capwriter_write(struct rmt_capwriter *w, const void *records, size_t len, double now_s);
/*
 * Close the current file: with @table, its table first (a file whose
 * writer did not end cleanly is records to its end). -1 with a message;
 * @w is freed either way.
 */
int rmt_capwriter_close(struct rmt_capwriter *w, bool table);
/* The file being written now (for messages and tests). */
const char *rmt_capwriter_path(const struct rmt_capwriter *w);

#endif /* RMT_CAPWRITER_H */
