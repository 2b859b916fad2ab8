// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <mntent.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "containers.h"

/* Does @s hold @n lowercase hex digits (and, with @dash, '-' or '_')? */
static bool rmt_all_hex(const char *s, size_t n, bool dash)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      (dash && (ch == '-' || ch == '_'))))
			return false;
	}
	return true;
}

/* Is @comp (of @len bytes) exactly @prefix, 64 hex digits, @suffix? */
static bool rmt_names_id(const char *comp, size_t len, const char *prefix,
			 const char *suffix, char *id)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (len != p + RMT_CONTAINER_ID_LEN + s || strncmp(comp, prefix, p) ||
	    strncmp(comp + len - s, suffix, s) ||
	    !rmt_all_hex(comp + p, RMT_CONTAINER_ID_LEN, false))
		return false;
	memcpy(id, comp + p, RMT_CONTAINER_ID_LEN);
	id[RMT_CONTAINER_ID_LEN] = '\0';
	return true;
}

/* A pod's UID from "kubepods-...-podUID.slice" or "podUID", '_' as '-'. */
static bool rmt_names_pod(const char *comp, size_t len, bool cgroupfs, char *uid)
{
	static const char slice[] = ".slice";
	const char *at;
	size_t i;

	if (cgroupfs) {
		if (len != 3 + RMT_POD_UID_LEN || strncmp(comp, "pod", 3))
			return false;
		at = comp + 3;
	} else {
		size_t tail = 4 + RMT_POD_UID_LEN + sizeof(slice) - 1;

		if (len <= tail || strncmp(comp, "kubepods", 8) ||
		    strncmp(comp + len - tail, "-pod", 4) ||
		    strncmp(comp + len - sizeof(slice) + 1, slice, sizeof(slice) - 1))
			return false;
		at = comp + len - tail + 4;
	}
	if (!rmt_all_hex(at, RMT_POD_UID_LEN, true))
		return false;
	for (i = 0; i < RMT_POD_UID_LEN; i++)
		uid[i] = at[i] == '_' ? '-' : at[i];
	uid[RMT_POD_UID_LEN] = '\0';
	return true;
}

void rmt_container_from_path(const char *path, struct rmt_container *c)
{
	static const struct {
		const char *prefix, *suffix, *runtime;
	} scopes[] = {
		{ "docker-", ".scope", "docker" },
		{ "cri-containerd-", ".scope", "containerd" },
		{ "crio-", ".scope", "crio" },
		{ "libpod-", ".scope", "podman" },
		{ "libpod-", "", "podman" },
	};
	const char *comp = path, *prev = "", *end;
	size_t prev_len = 0, len, i;
	bool kubepods = false;

	memset(c, 0, sizeof(*c));
	for (; *comp; comp = *end ? end + 1 : end) {
		end = strchrnul(comp, '/');
		len = (size_t)(end - comp);
		if (!len)
			continue;
		for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
			if (rmt_names_id(comp, len, scopes[i].prefix, scopes[i].suffix, c->id)) {
				c->runtime = scopes[i].runtime;
				break;
			}
		}
		/* cgroupfs drivers: /docker/ID, /kubepods/CLASS/podUID/ID. */
		if (i == sizeof(scopes) / sizeof(scopes[0]) &&
		    (kubepods || (prev_len == 6 && !strncmp(prev, "docker", 6))) &&
		    rmt_names_id(comp, len, "", "", c->id))
			c->runtime = kubepods ? "cri" : "docker";
		if (!strncmp(comp, "kubepods", 8))
			kubepods = true;
		if (kubepods)
			rmt_names_pod(comp, len, !strncmp(comp, "pod", 3), c->pod_uid);
		prev = comp;
		prev_len = len;
	}
	c->kind = c->id[0] || c->pod_uid[0] ? RMT_CGROUP_CONTAINER : RMT_CGROUP_HOST;
}

struct rmt_cgroup_entry {
	uint64_t id;
	char *path;		/* below the mount; NULL: unknown */
	struct rmt_container c;
};

struct rmt_cgroups {
	int mount_fd;		/* -1: a table, nothing resolved */
	int handle_type;
	char mount[PATH_MAX];
	void *cache;			/* tsearch tree of struct rmt_cgroup_entry */
	struct rmt_cgroup_entry *last;	/* the last id looked up */
};

/* The cgroup2 mount point, from /proc/self/mounts; false when none. */
static bool rmt_cgroup2_mount(char *path, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	bool found = false;

	if (!f)
		return false;
	while (!found && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2") && strlen(m->mnt_dir) < len) {
			strcpy(path, m->mnt_dir);
			found = true;
		}
	}
	endmntent(f);
	return found;
}

/* A cgroup v2 handle is its 64-bit id (kernfs): open its directory by it. */
static int rmt_open_cgroup(const struct rmt_cgroups *cg, uint64_t id)
{
	union {
		struct file_handle h;
		unsigned char space[sizeof(struct file_handle) + sizeof(uint64_t)];
	} u;

	u.h.handle_bytes = sizeof(id);
	u.h.handle_type = cg->handle_type;
	memcpy(u.h.f_handle, &id, sizeof(id));
	return open_by_handle_at(cg->mount_fd, &u.h, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

struct rmt_cgroups *rmt_cgroups_open(const char **why)
{
	const char *unused;
	union {
		struct file_handle h;
		unsigned char space[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} u = { .h.handle_bytes = MAX_HANDLE_SZ };
	struct rmt_cgroups *cg = calloc(1, sizeof(*cg));
	uint64_t root = 0;
	int mount_id, fd;

	if (!cg)
		abort();
	if (!why)
		why = &unused;
	cg->mount_fd = -1;
	if (!rmt_cgroup2_mount(cg->mount, sizeof(cg->mount))) {
		*why = "no cgroup2 file system is mounted";
		goto fail;
	}
	cg->mount_fd = open(cg->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->mount_fd < 0 ||
	    name_to_handle_at(cg->mount_fd, "", &u.h, &mount_id, AT_EMPTY_PATH) ||
	    u.h.handle_bytes != sizeof(root)) {
		*why = "the cgroup2 mount gives no 64-bit handles";
		goto fail;
	}
	cg->handle_type = u.h.handle_type;
	memcpy(&root, u.h.f_handle, sizeof(root));
	fd = rmt_open_cgroup(cg, root);
	if (fd < 0) {
		*why = errno == EPERM ? "opening cgroups by id needs CAP_DAC_READ_SEARCH" :
					"cgroups cannot be opened by id";
		goto fail;
	}
	close(fd);
	return cg;
fail:
	rmt_cgroups_close(cg);
	return NULL;
}

static int rmt_entry_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct rmt_cgroup_entry *)a)->id;
	uint64_t y = ((const struct rmt_cgroup_entry *)b)->id;

	return x < y ? -1 : x > y;
}

/* A new entry for @id: its path (NULL: unknown) read by the runtimes' rules. */
static struct rmt_cgroup_entry *rmt_entry_new(struct rmt_cgroups *cg, uint64_t id,
					      const char *path)
{
	struct rmt_cgroup_entry *e = calloc(1, sizeof(*e)), **found;

	if (!e || (path && !(e->path = strdup(path))))
		abort();
	e->id = id;
	if (path)
		rmt_container_from_path(path, &e->c);
	else
		e->c.kind = RMT_CGROUP_UNKNOWN;
	found = tsearch(e, &cg->cache, rmt_entry_cmp);
	if (!found)
		abort();
	if (*found != e) {
		/* Already there (a table naming an id twice): the first stays. */
		free(e->path);
		free(e);
	}
	return *found;
}

/*
 * The path of cgroup @id below the mount, read from its open directory,
 * into a new entry; NULL when this try failed for a reason that may pass
 * (no file descriptor free, no memory), so the next lookup tries again.
 */
static struct rmt_cgroup_entry *rmt_resolve(struct rmt_cgroups *cg, uint64_t id)
{
	static const char deleted[] = " (deleted)";
	char link[64], path[PATH_MAX];
	size_t mlen = strlen(cg->mount);
	int fd = rmt_open_cgroup(cg, id);
	ssize_t n = -1;

	if (fd < 0) {
		/* Removed since: unknown for good, never guessed. */
		if (errno == ESTALE || errno == ENOENT)
			return rmt_entry_new(cg, id, NULL);
		return NULL;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path));
	close(fd);
	if (n < 0 || (size_t)n == sizeof(path))
		return NULL;
	path[n] = '\0';
	/*
	 * Removed while it was open, or outside the mount as this reader
	 * sees it (a reader in a cgroup namespace): not named, not guessed.
	 */
	if ((size_t)n >= sizeof(deleted) - 1 && !strcmp(path + n - sizeof(deleted) + 1, deleted))
		return rmt_entry_new(cg, id, NULL);
	if ((size_t)n < mlen || strncmp(path, cg->mount, mlen) ||
	    (path[mlen] != '/' && path[mlen] != '\0'))
		return rmt_entry_new(cg, id, NULL);
	return rmt_entry_new(cg, id, path + mlen);
}

const struct rmt_container *rmt_cgroups_lookup(struct rmt_cgroups *cg, uint64_t id)
{
	struct rmt_cgroup_entry key = { .id = id }, *e, **found;
	if (cg->last && cg->last->id == id)
		return &cg->last->c;
	static const struct rmt_container unresolved = { .kind = RMT_CGROUP_UNKNOWN };

	found = tfind(&key, &cg->cache, rmt_entry_cmp);
	if (found)
		e = *found;
	else if (cg->mount_fd < 0)
		return NULL;	/* not in the table */
	else if (!(e = rmt_resolve(cg, id)))	/* ids are not reused in a boot */
		return &unresolved;
	cg->last = e;
	return &e->c;
}

struct rmt_cgroups *rmt_cgroups_table(void)
{
	struct rmt_cgroups *cg = calloc(1, sizeof(*cg));

	if (!cg)
		abort();
	cg->mount_fd = -1;
	return cg;
}

void rmt_cgroups_add(struct rmt_cgroups *cg, uint64_t id, const char *path)
{
	rmt_entry_new(cg, id, path);
}

struct rmt_each_ctx {
	void (*fn)(void *ctx, uint64_t id, const char *path);
	void *ctx;
};

static void rmt_each_entry(const void *node, VISIT which, void *ctx)
{
	const struct rmt_cgroup_entry *e = *(struct rmt_cgroup_entry * const *)node;
	struct rmt_each_ctx *each = ctx;

	if (which == postorder || which == leaf)
		each->fn(each->ctx, e->id, e->path);
}

void rmt_cgroups_each(struct rmt_cgroups *cg,
		      void (*fn)(void *ctx, uint64_t id, const char *path), void *ctx)
{
	struct rmt_each_ctx each = { fn, ctx };

	twalk_r(cg->cache, rmt_each_entry, &each);
}

static void rmt_entry_free(void *p)
{
	struct rmt_cgroup_entry *e = p;

	free(e->path);
	free(e);
}

void rmt_cgroups_close(struct rmt_cgroups *cg)
{
	if (!cg)
		return;
	if (cg->mount_fd >= 0)
		close(cg->mount_fd);
	tdestroy(cg->cache, rmt_entry_free);
	free(cg);
}

/* nftw() has no context argument: -C's search keeps its state here. */
static struct {
	const char *prefix;
	size_t mount_len;
	char id[RMT_CONTAINER_ID_LEN + 1];
	char path[PATH_MAX];
	bool found, ambiguous;	/* one container has the prefix; another too */
} rmt_search;

static int rmt_search_dir(const char *path, const struct stat *st, int type,
			  struct FTW *ftw)
{
	struct rmt_container c;

	(void)st;
	(void)ftw;
	if (type != FTW_D || strlen(path) >= sizeof(rmt_search.path))
		return 0;
	rmt_container_from_path(path + rmt_search.mount_len, &c);
	if (!c.id[0] || strncmp(c.id, rmt_search.prefix, strlen(rmt_search.prefix)))
		return 0;
	/* The shallowest directory of a container holds all of it. */
	if (!rmt_search.found) {
		rmt_search.found = true;
		strcpy(rmt_search.id, c.id);
		strcpy(rmt_search.path, path);
	} else if (strcmp(c.id, rmt_search.id)) {
		rmt_search.ambiguous = true;
	} else if (strlen(path) < strlen(rmt_search.path)) {
		strcpy(rmt_search.path, path);
	}
	return 0;
}

int rmt_container_dir(const char *prefix, char *path, size_t len)
{
	char mount[PATH_MAX];
	size_t n = strlen(prefix);
	int tries, err = 0;

	if (n < RMT_CONTAINER_SHORT || n > RMT_CONTAINER_ID_LEN || !rmt_all_hex(prefix, n, false)) {
		fprintf(stderr, "recvmmsg-trace: bad container id '%s' (12 to 64 lowercase hex digits)\n",
			prefix);
		return -1;
	}
	if (!rmt_cgroup2_mount(mount, sizeof(mount))) {
		fprintf(stderr, "recvmmsg-trace: no cgroup2 file system is mounted: no container can be found\n");
		return -1;
	}
	/* A cgroup removed during the walk ends it: walk again. */
	for (tries = 0; tries < 3; tries++) {
		memset(&rmt_search, 0, sizeof(rmt_search));
		rmt_search.prefix = prefix;
		rmt_search.mount_len = strlen(mount);
		err = nftw(mount, rmt_search_dir, 32, FTW_PHYS | FTW_MOUNT) ? errno : 0;
		if (err != ENOENT)
			break;
	}
	if (err) {
		fprintf(stderr, "recvmmsg-trace: %s: %s\n", mount, strerror(err));
		return -1;
	}
	if (!rmt_search.found) {
		fprintf(stderr, "recvmmsg-trace: no container's id starts with '%s'\n", prefix);
		return -1;
	}
	if (rmt_search.ambiguous) {
		fprintf(stderr, "recvmmsg-trace: container id '%s' is ambiguous: more than one container's id starts with it\n",
			prefix);
		return -1;
	}
	if (strlen(rmt_search.path) >= len) {
		fprintf(stderr, "recvmmsg-trace: %s: path too long\n", rmt_search.path);
		return -1;
	}
	strcpy(path, rmt_search.path);
	return 0;
}

const struct rmt_container *rmt_call_container(struct rmt_cgroups *cg,
					       const struct rmt_pair *pair)
{
	const struct rmt_container *c;

	/* An exit record alone does not carry the cgroup. */
	if (!cg || !pair->enter)
		return NULL;
	c = rmt_cgroups_lookup(cg, pair->enter->task.cgroup_id);
	return !c || c->kind == RMT_CGROUP_HOST ? NULL : c;
}
