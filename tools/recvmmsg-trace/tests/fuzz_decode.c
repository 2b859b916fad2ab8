// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over everything that reads untrusted bytes: the record
 * decoder, the pairing of calls, the text, JSON and summary printers, and
 * the capture file reader. The first input byte picks the path: even, the
 * rest is a record stream as read() returns it; odd, a capture file.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../calls.h"
#include "../capfile.h"
#include "../output.h"
#include "../records.h"
#include "../summary.h"

#define MAX_RECS	4096

static FILE *devnull;
static struct rmt_record recs[MAX_RECS];

static void decode_block(const void *buf, size_t len, struct rmt_tracker *t)
{
	size_t skipped = 0, bad = 0, i;
	long n = rmt_records_decode(buf, len, recs, MAX_RECS, &skipped, &bad);

	if (n < 0) {
		if (bad >= len)
			abort();	/* the offset of a bad record lies inside */
		return;
	}
	rmt_records_sort(recs, (size_t)n);
	for (i = 0; i < (size_t)n; i++)
		rmt_tracker_feed(t, &recs[i]);
	rmt_tracker_keep(t);
}

static void decode_stream(const uint8_t *data, size_t size, int printer)
{
	/* Records are read into 8-byte aligned buffers. */
	uint64_t *copy = malloc(size + 8);
	struct rmt_output o = { .out = devnull, .epoch_offset_ns = 1 };
	struct rmt_summary sum;
	struct rmt_tracker t;
	struct rmt_sink sink;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	if (printer == 0)
		rmt_text_sink(&sink, &o);
	else if (printer == 1)
		rmt_json_sink(&sink, &o);
	else
		rmt_summary_sink(&sink, &sum);
	rmt_tracker_init(&t, &sink);
	t.enter_only = printer == 3;
	o.enter_only = t.enter_only;
	decode_block(copy, size, &t);
	rmt_tracker_finish(&t, 0);
	rmt_output_flush(&o);
	if (printer >= 2)
		rmt_summary_finish(&sum, devnull, printer == 3);
	free(copy);
}

static void decode_capfile(const uint8_t *data, size_t size)
{
	struct rmt_output o = { .out = devnull };
	int fd = memfd_create("capfile", 0);
	struct rmt_tracker t;
	struct rmt_capfile c;
	struct rmt_sink sink;
	const void *block;
	uint64_t offset;
	char path[64];
	long n;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rmt_json_sink(&sink, &o);
	rmt_tracker_init(&t, &sink);
	if (rmt_capfile_open(&c, path) == 0) {
		/* Calls name containers from the file's cgroup table, if any. */
		o.cgroups = c.cgroups;
		while ((n = rmt_capfile_next(&c, &block, &offset)) > 0)
			decode_block(block, (size_t)n, &t);
	}
	/* The calls still open are printed with the table: close it after. */
	rmt_tracker_finish(&t, 0);
	rmt_output_flush(&o);
	rmt_capfile_close(&c);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Run with -close_fd_mask=2: bad inputs get messages on stderr. */
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	if (size < 1)
		return 0;
	if (data[0] & 1)
		decode_capfile(data + 1, size - 1);
	else
		decode_stream(data + 1, size - 1, (data[0] >> 1) & 3);
	return 0;
}
