// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/recvmmsg_trace.h>

#include "capfile.h"
#include "walk.h"

#define RMT_CAPFILE_BLOCK	(1 << 20)

int rmt_capfile_write_header(FILE *f, uint32_t nr_cpus, int64_t epoch_offset_ns)
{
	struct rmt_capfile_header h = {
		.version = RMT_CAPFILE_VERSION,
		.header_size = sizeof(h),
		.abi_version = RMT_ABI_VERSION,
		.nr_cpus = nr_cpus,
		.epoch_offset_ns = epoch_offset_ns,
	};

	memcpy(h.magic, RMT_CAPFILE_MAGIC, sizeof(h.magic));
	return fwrite(&h, sizeof(h), 1, f) == 1 ? 0 : -1;
}

int rmt_capfile_open(struct rmt_capfile *c, const char *path)
{
	struct rmt_capfile_header *h = &c->hdr;
	size_t got;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->f = fopen(path, "rb");
	if (!c->f) {
		fprintf(stderr, "recvmmsg-trace: %s: %s\n", path, strerror(errno));
		return -1;
	}
	got = fread(h, 1, sizeof(*h), c->f);
	if (got < sizeof(h->magic) || memcmp(h->magic, RMT_CAPFILE_MAGIC, sizeof(h->magic))) {
		fprintf(stderr, "recvmmsg-trace: %s: not a recvmmsg-trace capture file (byte offset 0)\n",
			path);
		return -1;
	}
	if (got < sizeof(*h)) {
		fprintf(stderr, "recvmmsg-trace: %s: truncated file header at byte offset %zu\n",
			path, got);
		return -1;
	}
	if (h->version != RMT_CAPFILE_VERSION || h->header_size != sizeof(*h)) {
		fprintf(stderr, "recvmmsg-trace: %s: capture file version %u is not %d (byte offset 8)\n",
			path, h->version, RMT_CAPFILE_VERSION);
		return -1;
	}
	if (h->abi_version != RMT_ABI_VERSION) {
		fprintf(stderr, "recvmmsg-trace: %s: records of ABI %u, this reader reads ABI %d (byte offset 16)\n",
			path, h->abi_version, RMT_ABI_VERSION);
		return -1;
	}
	c->size = RMT_CAPFILE_BLOCK;
	c->buf = aligned_alloc(8, c->size);
	if (!c->buf) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		return -1;
	}
	c->offset = sizeof(*h);
	return 0;
}

long rmt_capfile_next(struct rmt_capfile *c, const void **records, uint64_t *offset)
{
	const struct rmt_record_header *h;
	enum rmt_step step;
	size_t whole = 0;

	/* Drop what the last call handed out; keep a record cut in two. */
	memmove(c->buf, c->buf + c->consumed, c->len - c->consumed);
	c->len -= c->consumed;
	c->offset += c->consumed;
	c->consumed = 0;
	c->len += fread(c->buf + c->len, 1, c->size - c->len, c->f);
	if (ferror(c->f)) {
		fprintf(stderr, "recvmmsg-trace: %s: read error at byte offset %llu\n",
			c->path, (unsigned long long)(c->offset + c->len));
		return -1;
	}

	while ((step = rmt_step(c->buf, c->len, whole, &h)) == RMT_STEP_RECORD)
		whole += h->size;
	if (step == RMT_STEP_BAD) {
		h = (const void *)(c->buf + whole);
		fprintf(stderr, "recvmmsg-trace: %s: corrupt record (size %u) at byte offset %llu\n",
			c->path, h->size, (unsigned long long)(c->offset + whole));
		return -1;
	}
	if (!whole && c->len) {
		fprintf(stderr, "recvmmsg-trace: %s: truncated record at byte offset %llu\n",
			c->path, (unsigned long long)c->offset);
		return -1;
	}
	*records = c->buf;
	*offset = c->offset;
	c->consumed = whole;
	return (long)whole;
}

void rmt_capfile_close(struct rmt_capfile *c)
{
	if (c->f)
		fclose(c->f);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
