// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <search.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exes.h"

/* A thread's file, and its path; NULL: looked for, not found. */
struct rmt_exe {
	struct rmt_exe_key key;
	char *path;
};

/* A mount's id and the device of its superblock, from mountinfo. */
struct rmt_mount_dev {
	uint64_t id;
	uint32_t major, minor;
};

struct rmt_exes {
	bool live;			/* may look in /proc */
	void *tree;			/* tsearch tree of struct rmt_exe */
	struct rmt_mount_dev *mounts;	/* as the last mountinfo read said */
	size_t nr_mounts;
};

static struct rmt_exes *rmt_exes_new(bool live)
{
	struct rmt_exes *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	x->live = live;
	return x;
}

struct rmt_exes *rmt_exes_live(void)
{
	return rmt_exes_new(true);
}

struct rmt_exes *rmt_exes_table(void)
{
	return rmt_exes_new(false);
}

static int rmt_exe_cmp(const void *p, const void *q)
{
	const struct rmt_exe_key *x = &((const struct rmt_exe *)p)->key;
	const struct rmt_exe_key *y = &((const struct rmt_exe *)q)->key;
	const uint64_t a[] = { x->tid, x->start_time_ns, x->ino, x->major, x->minor };
	const uint64_t b[] = { y->tid, y->start_time_ns, y->ino, y->major, y->minor };
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* Keep @path (NULL: none) for @key; a key already held keeps its answer. */
static struct rmt_exe *rmt_exe_keep(struct rmt_exes *x, const struct rmt_exe_key *key,
				    const char *path)
{
	struct rmt_exe *e = calloc(1, sizeof(*e)), **found;

	if (!e || (path && !(e->path = strdup(path))))
		abort();
	e->key = *key;
	found = tsearch(e, &x->tree, rmt_exe_cmp);
	if (!found)
		abort();
	if (*found != e) {
		free(e->path);
		free(e);
	}
	return *found;
}

void rmt_exes_add(struct rmt_exes *x, const struct rmt_exe_key *key, const char *path)
{
	rmt_exe_keep(x, key, path);
}

/*
 * Read process @tgid's mountinfo: each mount's id and superblock device.
 * Its own, not the reader's: a process in a container, or a reader in a
 * service's mount namespace, sees mounts the other has not (mount ids are
 * one numbering for the whole system, so any list that has the id is right).
 */
static void rmt_read_mounts(struct rmt_exes *x, uint32_t tgid)
{
	struct rmt_mount_dev m;
	char *line = NULL;
	size_t room = 0;
	size_t len = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/mountinfo", tgid);
	f = fopen(path, "re");
	x->nr_mounts = 0;
	if (!f)
		return;
	while (getline(&line, &len, f) > 0) {
		if (sscanf(line, "%" SCNu64 " %*u %" SCNu32 ":%" SCNu32, &m.id, &m.major,
			   &m.minor) != 3)
			continue;
		if (x->nr_mounts == room) {
			room = room ? 2 * room : 64;
			x->mounts = realloc(x->mounts, room * sizeof(*x->mounts));
			if (!x->mounts)
				abort();
		}
		x->mounts[x->nr_mounts++] = m;
	}
	free(line);
	fclose(f);
}

/*
 * The device of the superblock under mount @id, as the kernel recorded it
 * (stat()'s st_dev is another on btrfs and some overlayfs mounts); false
 * when the mount is not known, even after reading @tgid's mountinfo again.
 */
static bool rmt_mount_dev(struct rmt_exes *x, uint64_t id, uint32_t tgid,
			  uint32_t *major, uint32_t *minor)
{
	size_t i;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < x->nr_mounts; i++)
			if (x->mounts[i].id == id) {
				*major = x->mounts[i].major;
				*minor = x->mounts[i].minor;
				return true;
			}
		if (!pass)
			rmt_read_mounts(x, tgid);
	}
	return false;
}

/*
 * /proc/PID/exe opened is the file itself: its inode and mount say whether
 * it is the one the record names, and its path is then read from that
 * same open file, so that nothing can change between the two. Paths are
 * as the reader's root and mounts see them.
 */
static bool rmt_exe_find(struct rmt_exes *x, const struct rmt_task *t, char *path, size_t room)
{
	char link[64];
	struct statx st;
	uint32_t major, minor;
	ssize_t n = -1;
	int fd;

	snprintf(link, sizeof(link), "/proc/%u/exe", t->tgid);
	fd = open(link, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (!statx(fd, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &st) && st.stx_ino == t->exe_ino) {
		if (st.stx_mask & STATX_MNT_ID) {
			if (!rmt_mount_dev(x, st.stx_mnt_id, t->tgid, &major, &minor))
				major = minor = UINT32_MAX;
		} else {
			/* Before 5.8: stat()'s device, right on most filesystems. */
			major = st.stx_dev_major;
			minor = st.stx_dev_minor;
		}
		if (major == t->exe_dev_major && minor == t->exe_dev_minor) {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
			n = readlink(link, path, room);
		}
	}
	close(fd);
	/* As long as the room: perhaps cut short, so not taken. */
	if (n <= 0 || (size_t)n >= room)
		return false;
	path[n] = '\0';
	return true;
}

const char *rmt_exe_path(struct rmt_exes *x, const struct rmt_task *t)
{
	struct rmt_exe key = { .key = {
		.start_time_ns = t->start_time_ns, .ino = t->exe_ino, .tid = t->tid,
		.major = t->exe_dev_major, .minor = t->exe_dev_minor,
	} };
	char path[PATH_MAX];
	struct rmt_exe **found;

	if (!x || !t->exe_ino)
		return NULL;
	found = tfind(&key, &x->tree, rmt_exe_cmp);
	if (found)
		return (*found)->path;
	if (!x->live)
		return NULL;
	/* Not found now is not found later: the thread and file are one call's. */
	return rmt_exe_keep(x, &key.key, rmt_exe_find(x, t, path, sizeof(path)) ? path : NULL)->path;
}

struct rmt_exes_walk {
	void (*fn)(void *ctx, const struct rmt_exe_key *key, const char *path);
	void *ctx;
};

static void rmt_exe_visit(const void *node, VISIT which, void *ctx)
{
	const struct rmt_exe *e = *(struct rmt_exe * const *)node;
	struct rmt_exes_walk *w = ctx;

	if ((which == postorder || which == leaf) && e->path)
		w->fn(w->ctx, &e->key, e->path);
}

void rmt_exes_each(struct rmt_exes *x,
		   void (*fn)(void *ctx, const struct rmt_exe_key *key, const char *path),
		   void *ctx)
{
	struct rmt_exes_walk w = { fn, ctx };

	twalk_r(x->tree, rmt_exe_visit, &w);
}

static void rmt_exe_free(void *p)
{
	struct rmt_exe *e = p;

	free(e->path);
	free(e);
}

void rmt_exes_close(struct rmt_exes *x)
{
	if (!x)
		return;
	tdestroy(x->tree, rmt_exe_free);
	free(x->mounts);
	free(x);
}
