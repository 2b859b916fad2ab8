// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "capfile.h"
#include "capwriter.h"
#include "walk.h"

struct rmt_capwriter {
	struct rmt_capwriter_opts o;
	FILE *f;		/* unbuffered: a failed write is seen at once */
	char *path;		/* the current file's name */
	uint64_t size;		/* bytes in it, all whole records after the header */
	double opened_s;	/* when it was opened */
	unsigned long long seq;	/* how many files came before it */
	int width;		/* digits of the ring's numbers */
	bool failed;		/* a write failed: no more */
};

static bool rmt_rotating(const struct rmt_capwriter_opts *o)
{
	return o->max_bytes || o->seconds;
}

static void rmt_capwriter_error(struct rmt_capwriter *w, int err, const char *what)
{
	fprintf(stderr, "recvmmsg-trace: %s: %s%s\n", w->path, strerror(err), what);
	w->failed = true;
}

/* The name of file number @seq (malloc'ed), NULL when out of memory. */
static char *rmt_capwriter_name(const struct rmt_capwriter *w, unsigned long long seq)
{
	const struct rmt_capwriter_opts *o = &w->o;
	char *path;

	if (!rmt_rotating(o))
		return strdup(o->path);
	if (asprintf(&path, "%s%0*llu", o->path, w->width,
		     o->nr_files ? seq % o->nr_files : seq) < 0)
		return NULL;
	return path;
}

/*
 * Where a writer started again (a service restarted) goes on: after the
 * newest file of a ring, after the last of a numbered run; never over
 * what the last run wrote.
 */
static unsigned long long rmt_capwriter_resume(const struct rmt_capwriter *w)
{
	unsigned long long seq = 0, i;
	struct timespec newest = { 0, 0 };
	struct stat st;
	char *path;

	for (i = 0; !w->o.nr_files || i < w->o.nr_files; i++) {
		path = rmt_capwriter_name(w, i);
		if (!path)
			break;
		if (stat(path, &st)) {
			free(path);
			if (!w->o.nr_files)
				return i;
			continue;
		}
		free(path);
		if (st.st_mtim.tv_sec > newest.tv_sec ||
		    (st.st_mtim.tv_sec == newest.tv_sec && st.st_mtim.tv_nsec >= newest.tv_nsec)) {
			newest = st.st_mtim;
			seq = i + 1;
		}
	}
	return seq;
}

/* Open the file of number w->seq and write its header. */
static int rmt_capwriter_next(struct rmt_capwriter *w, double now_s)
{
	int err;

	free(w->path);
	w->path = rmt_capwriter_name(w, w->seq);
	if (!w->path) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		w->failed = true;
		return -1;
	}
	w->f = fopen(w->path, "wb");
	if (!w->f) {
		rmt_capwriter_error(w, errno, "");
		return -1;
	}
	setvbuf(w->f, NULL, _IONBF, 0);
	if (rmt_capfile_write_header(w->f, w->o.nr_cpus, w->o.epoch_offset_ns)) {
		/* Not even a header: no file rather than a broken one. */
		err = errno;
		fclose(w->f);
		w->f = NULL;
		unlink(w->path);
		rmt_capwriter_error(w, err, " (removed: its header did not fit)");
		return -1;
	}
	w->size = sizeof(struct rmt_capfile_header);
	w->opened_s = now_s;
	return 0;
}

struct rmt_capwriter *rmt_capwriter_open(const struct rmt_capwriter_opts *o, double now_s)
{
	struct rmt_capwriter *w = calloc(1, sizeof(*w));
	unsigned int last;

	if (!w) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		return NULL;
	}
	w->o = *o;
	/* As tcpdump: zeros enough for the ring's last number, so they sort. */
	w->width = 1;
	for (last = o->nr_files ? o->nr_files - 1 : 0; last >= 10; last /= 10)
		w->width++;
	if (rmt_rotating(o))
		w->seq = rmt_capwriter_resume(w);
	if (rmt_capwriter_next(w, now_s)) {
		free(w->path);
		free(w);
		return NULL;
	}
	return w;
}

/*
 * @len bytes of whole records. When they do not all go in, the file is cut
 * back to the end of the last one that did.
 */
static int rmt_capwriter_put(struct rmt_capwriter *w, const char *records, size_t len)
{
	const struct rmt_record_header *h;
	size_t done, whole = 0;
	int err;

	if (!len)
		return 0;
	done = fwrite(records, 1, len, w->f);
	if (done == len) {
		w->size += len;
		return 0;
	}
	err = errno;
	while (rmt_step(records, len, whole, &h) == RMT_STEP_RECORD && whole + h->size <= done)
		whole += h->size;
	if (ftruncate(fileno(w->f), (off_t)(w->size + whole)))
		rmt_capwriter_error(w, err, ": stopped; its last record may be cut short");
	else
		rmt_capwriter_error(w, err, ": stopped; it ends after its last whole record");
	w->size += whole;
	return -1;
}

/* The current file's table (unless @table is false), and the file closed. */
static int rmt_capwriter_finish(struct rmt_capwriter *w, bool table)
{
	int ret = 0, err;

	if (!w->f)
		return 0;
	if (table && !w->failed &&
	    rmt_capfile_write_table(w->f, w->o.cgroups, w->o.exes)) {
		/* A torn table would hide the records: records to the end instead. */
		err = errno;
		if (ftruncate(fileno(w->f), (off_t)w->size))
			rmt_capwriter_error(w, err, ": its table is cut short");
		else
			rmt_capwriter_error(w, err, ": its table did not fit; it has none");
		ret = -1;
	}
	if (fclose(w->f) && !ret) {
		rmt_capwriter_error(w, errno, "");
		ret = -1;
	}
	w->f = NULL;
	return ret;
}

int rmt_capwriter_write(struct rmt_capwriter *w, const void *records, size_t len, double now_s)
{
	const struct rmt_capwriter_opts *o = &w->o;
	const struct rmt_record_header *h;
	const char *buf = records;
	size_t start = 0, off = 0;
	uint64_t table = 0;

	if (w->failed)
		return -1;
	/* A file that has a record and is old enough: the next ones go on. */
	if (o->seconds && w->size > sizeof(struct rmt_capfile_header) &&
	    now_s - w->opened_s >= o->seconds) {
		w->seq++;
		if (rmt_capwriter_finish(w, true) || rmt_capwriter_next(w, now_s))
			return -1;
	}
	if (o->max_bytes)
		table = rmt_capfile_table_size(o->cgroups, o->exes);
	while (o->max_bytes && rmt_step(buf, len, off, &h) == RMT_STEP_RECORD) {
		uint64_t size = w->size + (off - start);

		/* Full, with a record in it already: the rest in the next file. */
		if (size > sizeof(struct rmt_capfile_header) &&
		    size + h->size + table > o->max_bytes) {
			if (rmt_capwriter_put(w, buf + start, off - start))
				return -1;
			w->seq++;
			if (rmt_capwriter_finish(w, true) || rmt_capwriter_next(w, now_s))
				return -1;
			start = off;
		}
		off += h->size;
	}
	return rmt_capwriter_put(w, buf + start, len - start);
}

int rmt_capwriter_close(struct rmt_capwriter *w, bool table)
{
	int ret;

	if (!w)
		return 0;
	ret = rmt_capwriter_finish(w, table);
	if (w->failed)
		ret = -1;
	free(w->path);
	free(w);
	return ret;
}

const char *rmt_capwriter_path(const struct rmt_capwriter *w)
{
	return w->path;
}
