// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <search.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "exes.h"

/* A file, by device and inode, and the path it was found at. */
struct rmt_exe {
	uint32_t major, minor;
	uint64_t ino;
	char *path;
};

struct rmt_exes {
	bool live;	/* may look in /proc */
	void *tree;	/* tsearch tree of struct rmt_exe */
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

static int rmt_exe_cmp(const void *a, const void *b)
{
	const struct rmt_exe *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

void rmt_exes_add(struct rmt_exes *x, uint32_t major, uint32_t minor, uint64_t ino,
		  const char *path)
{
	struct rmt_exe *e = calloc(1, sizeof(*e)), **found;

	if (!e || !(e->path = strdup(path)))
		abort();
	e->major = major;
	e->minor = minor;
	e->ino = ino;
	found = tsearch(e, &x->tree, rmt_exe_cmp);
	if (!found)
		abort();
	if (*found != e) {
		/* Known already (a table naming a file twice): the first stays. */
		free(e->path);
		free(e);
	}
}

/*
 * /proc/PID/exe opened is the file itself: its inode says whether it is
 * the one the record names, and its path is then read from that same open
 * file, so that nothing can change between the two.
 */
static void rmt_exe_find(struct rmt_exes *x, const struct rmt_task *t)
{
	char link[64], path[PATH_MAX];
	struct stat st;
	ssize_t n = -1;
	int fd;

	snprintf(link, sizeof(link), "/proc/%u/exe", t->tgid);
	fd = open(link, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st) && st.st_ino == t->exe_ino && major(st.st_dev) == t->exe_dev_major &&
	    minor(st.st_dev) == t->exe_dev_minor) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
	}
	close(fd);
	if (n <= 0)
		return;
	path[n] = '\0';
	rmt_exes_add(x, t->exe_dev_major, t->exe_dev_minor, t->exe_ino, path);
}

const char *rmt_exe_path(struct rmt_exes *x, const struct rmt_task *t)
{
	struct rmt_exe key = {
		.major = t->exe_dev_major, .minor = t->exe_dev_minor, .ino = t->exe_ino,
	};
	struct rmt_exe **found;

	if (!x || !t->exe_ino)
		return NULL;
	found = tfind(&key, &x->tree, rmt_exe_cmp);
	/* Not found is not cached: another process may run the file later. */
	if (!found && x->live) {
		rmt_exe_find(x, t);
		found = tfind(&key, &x->tree, rmt_exe_cmp);
	}
	return found ? (*found)->path : NULL;
}

struct rmt_exes_walk {
	void (*fn)(void *ctx, uint32_t major, uint32_t minor, uint64_t ino, const char *path);
	void *ctx;
};

static void rmt_exe_visit(const void *node, VISIT which, void *ctx)
{
	const struct rmt_exe *e = *(struct rmt_exe * const *)node;
	struct rmt_exes_walk *w = ctx;

	if (which == postorder || which == leaf)
		w->fn(w->ctx, e->major, e->minor, e->ino, e->path);
}

void rmt_exes_each(struct rmt_exes *x,
		   void (*fn)(void *ctx, uint32_t major, uint32_t minor, uint64_t ino,
			      const char *path),
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
	free(x);
}
