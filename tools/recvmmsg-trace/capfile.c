// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
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

struct rmt_table_writer {
	FILE *f;
	uint32_t n;
	int err;
};

/* @len bytes of @path (none for NULL), zero-padded to 8. */
static void rmt_write_path(struct rmt_table_writer *w, const char *path, size_t len)
{
	static const char zeros[8];
	size_t pad = (8 - len % 8) % 8;

	if (fwrite(path ? path : "", 1, len, w->f) != len || fwrite(zeros, 1, pad, w->f) != pad)
		w->err = -1;
	w->n++;
}

static void rmt_write_cgroup(void *ctx, uint64_t id, const char *path)
{
	struct rmt_table_writer *w = ctx;
	size_t len = path ? strlen(path) : 0;
	struct rmt_capfile_cgroup e = {
		.cgroup_id = id,
		.path_len = path ? (__u32)len : RMT_CAPFILE_GONE,
	};

	if (fwrite(&e, sizeof(e), 1, w->f) != 1)
		w->err = -1;
	rmt_write_path(w, path, len);
}

static void rmt_write_exe(void *ctx, const struct rmt_exe_key *key, const char *path)
{
	struct rmt_table_writer *w = ctx;
	size_t len = strlen(path);
	struct rmt_capfile_exe e = {
		.start_time_ns = key->start_time_ns, .ino = key->ino, .tid = key->tid,
		.dev_major = key->major, .dev_minor = key->minor, .path_len = (__u32)len,
	};

	if (fwrite(&e, sizeof(e), 1, w->f) != 1)
		w->err = -1;
	rmt_write_path(w, path, len);
}

int rmt_capfile_write_table(FILE *f, struct rmt_cgroups *cg, struct rmt_exes *exes)
{
	struct rmt_table_writer cgroups = { .f = f }, files = { .f = f };
	struct rmt_capfile_footer foot = { .nr_cgroups = 0 };
	long at = ftell(f);

	/* Into a pipe: no offset to point at, the records alone. */
	if (at < 0)
		return errno == ESPIPE ? 0 : -1;
	if (cg)
		rmt_cgroups_each(cg, rmt_write_cgroup, &cgroups);
	if (exes)
		rmt_exes_each(exes, rmt_write_exe, &files);
	memcpy(foot.magic, RMT_CAPFILE_FOOTER_MAGIC, sizeof(foot.magic));
	foot.table_offset = (__u64)at;
	foot.nr_cgroups = cgroups.n;
	foot.nr_exes = files.n;
	if (cgroups.err || files.err || fwrite(&foot, sizeof(foot), 1, f) != 1)
		return -1;
	return 0;
}

static uint64_t rmt_padded(const char *path)
{
	return path ? (strlen(path) + 7) & ~(uint64_t)7 : 0;
}

static void rmt_size_cgroup(void *ctx, uint64_t id, const char *path)
{
	(void)id;
	*(uint64_t *)ctx += sizeof(struct rmt_capfile_cgroup) + rmt_padded(path);
}

static void rmt_size_exe(void *ctx, const struct rmt_exe_key *key, const char *path)
{
	(void)key;
	*(uint64_t *)ctx += sizeof(struct rmt_capfile_exe) + rmt_padded(path);
}

uint64_t rmt_capfile_table_size(struct rmt_cgroups *cg, struct rmt_exes *exes)
{
	uint64_t size = sizeof(struct rmt_capfile_footer);

	if (cg)
		rmt_cgroups_each(cg, rmt_size_cgroup, &size);
	if (exes)
		rmt_exes_each(exes, rmt_size_exe, &size);
	return size;
}

/* A table entry's path of @len bytes and its padding, into @path; 0 or -1. */
static int rmt_read_path(FILE *f, uint32_t len, char *path, size_t room)
{
	uint32_t padded = (len + 7) & ~7U;

	if (len >= room || fread(path, 1, padded, f) != padded || memchr(path, '\0', len))
		return -1;
	path[len] = '\0';
	return 0;
}

/*
 * Version 3's executables, from *@at: true when read whole, else false
 * with *@at where the damaged entry starts.
 */
static bool rmt_capfile_read_exes(struct rmt_capfile *c, uint32_t nr, uint64_t *at)
{
	struct rmt_capfile_exe e;
	char path[PATH_MAX];
	uint32_t i;

	c->exes = rmt_exes_table();
	for (i = 0; i < nr; i++) {
		struct rmt_exe_key key;

		if (fread(&e, sizeof(e), 1, c->f) != 1 ||
		    rmt_read_path(c->f, e.path_len, path, sizeof(path)))
			return false;
		key = (struct rmt_exe_key){
			.start_time_ns = e.start_time_ns, .ino = e.ino, .tid = e.tid,
			.major = e.dev_major, .minor = e.dev_minor,
		};
		rmt_exes_add(c->exes, &key, path);
		*at += sizeof(e) + ((e.path_len + 7) & ~7U);
	}
	return true;
}

/*
 * The table, when the file ends with its footer: into c->cgroups, and
 * c->end set to where the records stop. A damaged table is left out with
 * a warning; -1 with a message when the footer itself is damaged.
 */
static int rmt_capfile_read_cgroups(struct rmt_capfile *c)
{
	struct rmt_capfile_footer foot;
	struct rmt_capfile_cgroup e;
	char path[PATH_MAX];
	long size;
	uint64_t at;	/* what is being read: the footer, then each entry */
	uint32_t i;

	if (fseek(c->f, 0, SEEK_END) || (size = ftell(c->f)) < 0)
		return 0;	/* not seekable: records to the end */
	if ((uint64_t)size < sizeof(c->hdr) + sizeof(foot) ||
	    fseek(c->f, size - (long)sizeof(foot), SEEK_SET) ||
	    fread(&foot, sizeof(foot), 1, c->f) != 1 ||
	    memcmp(foot.magic, RMT_CAPFILE_FOOTER_MAGIC, sizeof(foot.magic)))
		goto records_only;
	at = (uint64_t)size - sizeof(foot);
	if (foot.table_offset < sizeof(c->hdr) || foot.table_offset % 8 ||
	    foot.table_offset > at || fseek(c->f, (long)foot.table_offset, SEEK_SET)) {
		/* Where the records end is not known either. */
		fprintf(stderr, "recvmmsg-trace: %s: corrupt cgroup table footer at byte offset %llu\n",
			c->path, (unsigned long long)at);
		return -1;
	}
	at = foot.table_offset;
	c->end = foot.table_offset;
	c->cgroups = rmt_cgroups_table();
	for (i = 0; i < foot.nr_cgroups; i++) {
		uint32_t len;

		if (fread(&e, sizeof(e), 1, c->f) != 1)
			goto corrupt;
		len = e.path_len == RMT_CAPFILE_GONE ? 0 : e.path_len;
		if (rmt_read_path(c->f, len, path, sizeof(path)))
			goto corrupt;
		rmt_cgroups_add(c->cgroups, e.cgroup_id,
				e.path_len == RMT_CAPFILE_GONE ? NULL : path);
		at += sizeof(e) + ((len + 7) & ~7U);
	}
	/* Before version 3 the table ends here (nr_exes was reserved, 0). */
	if (c->hdr.version < 3) {
		if (at != (uint64_t)size - sizeof(foot))
			goto corrupt;
		return fseek(c->f, sizeof(c->hdr), SEEK_SET);
	}
	if (rmt_capfile_read_exes(c, foot.nr_exes, &at) && at == (uint64_t)size - sizeof(foot))
		return fseek(c->f, sizeof(c->hdr), SEEK_SET);
	/* The cgroups' entries were read whole: the containers stand. */
	fprintf(stderr, "recvmmsg-trace: %s: corrupt executable table at byte offset %llu: its calls name no executable\n",
		c->path, (unsigned long long)at);
	rmt_exes_close(c->exes);
	c->exes = NULL;
	return fseek(c->f, sizeof(c->hdr), SEEK_SET);
corrupt:
	/* Where the records end is known: they are still read, unnamed. */
	fprintf(stderr, "recvmmsg-trace: %s: corrupt cgroup table at byte offset %llu: its calls name no container\n",
		c->path, (unsigned long long)at);
	rmt_cgroups_close(c->cgroups);
	c->cgroups = NULL;
	rmt_exes_close(c->exes);
	c->exes = NULL;
	return fseek(c->f, sizeof(c->hdr), SEEK_SET);
records_only:
	return fseek(c->f, sizeof(c->hdr), SEEK_SET);
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
	/* Version 1 is version 2 without the table, 2 is 3 without executables. */
	if (h->version < 1 || h->version > RMT_CAPFILE_VERSION || h->header_size != sizeof(*h)) {
		fprintf(stderr, "recvmmsg-trace: %s: capture file version %u is not 1 to %d (byte offset 8)\n",
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
	c->end = UINT64_MAX;
	if (h->version >= 2 && rmt_capfile_read_cgroups(c))
		return -1;
	return 0;
}

long rmt_capfile_next(struct rmt_capfile *c, const void **records, uint64_t *offset)
{
	const struct rmt_record_header *h;
	enum rmt_step step;
	size_t whole = 0, room;

	/* Drop what the last call handed out; keep a record cut in two. */
	memmove(c->buf, c->buf + c->consumed, c->len - c->consumed);
	c->len -= c->consumed;
	c->offset += c->consumed;
	c->consumed = 0;
	room = c->size - c->len;
	/* Not into the cgroup table. */
	if (c->end != UINT64_MAX && c->end - (c->offset + c->len) < room)
		room = c->end - (c->offset + c->len);
	c->len += fread(c->buf + c->len, 1, room, c->f);
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
	rmt_cgroups_close(c->cgroups);
	rmt_exes_close(c->exes);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
