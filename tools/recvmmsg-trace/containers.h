/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which container made a call: the cgroup v2 id in every record, resolved
 * to its cgroup's path on the running system, and the path read by the
 * container runtimes' naming conventions.
 */
#ifndef RMT_CONTAINERS_H
#define RMT_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calls.h"

#define RMT_CONTAINER_ID_LEN	64	/* hex digits of a full container id */
#define RMT_CONTAINER_SHORT	12	/* as docker ps shows it */
#define RMT_POD_UID_LEN		36

enum rmt_cgroup_kind {
	RMT_CGROUP_HOST,	/* resolved: no container, no pod */
	RMT_CGROUP_CONTAINER,	/* resolved: a container, a pod, or both */
	RMT_CGROUP_UNKNOWN,	/* gone before it was resolved: never guessed */
};

struct rmt_container {
	enum rmt_cgroup_kind kind;
	char id[RMT_CONTAINER_ID_LEN + 1];	/* "" when only a pod was found */
	const char *runtime;	/* docker, containerd, crio, podman, cri; NULL */
	char pod_uid[RMT_POD_UID_LEN + 1];	/* "" when not in a pod */
};

/*
 * Read a cgroup path ('/'-separated, from the cgroup2 mount's root) by the
 * runtimes' conventions: docker-ID.scope and /docker/ID (docker),
 * cri-containerd-ID.scope (containerd), crio-ID.scope (CRI-O),
 * libpod-ID.scope and libpod-ID (podman), a bare ID under kubepods (a CRI
 * runtime, cgroupfs driver), kubepods-...-podUID.slice (UID with _ for -)
 * and podUID under kubepods. The innermost container wins. Sets @c->kind
 * to HOST or CONTAINER.
 */
void rmt_container_from_path(const char *path, struct rmt_container *c);

/* The running system's cgroups, resolved by id once each (cached). */
struct rmt_cgroups;

/*
 * NULL (and a reason in @why, when given) if ids cannot be resolved here:
 * no cgroup2 mount, or no right to open its directories by handle.
 */
struct rmt_cgroups *rmt_cgroups_open(const char **why);
/* Holding only what rmt_cgroups_add() gives it: a capture file's table. */
struct rmt_cgroups *rmt_cgroups_table(void);
/*
 * The container of cgroup @id; NULL only for an id a table does not hold.
 * The answer lives as long as @cg.
 */
const struct rmt_container *rmt_cgroups_lookup(struct rmt_cgroups *cg, uint64_t id);
/* Into a table: cgroup @id had @path (NULL: it was gone, unknown). */
void rmt_cgroups_add(struct rmt_cgroups *cg, uint64_t id, const char *path);
/* Every id looked up or added, with its path (NULL: unknown), in id order. */
void rmt_cgroups_each(struct rmt_cgroups *cg,
		      void (*fn)(void *ctx, uint64_t id, const char *path), void *ctx);
void rmt_cgroups_close(struct rmt_cgroups *cg);

/* The container of a call's cgroup; NULL when there is none to name. */
const struct rmt_container *rmt_call_container(struct rmt_cgroups *cg,
					       const struct rmt_pair *pair);

/*
 * -C: the cgroup directory of the one container whose id starts with
 * @prefix (at least 12 hex digits), into @path. 0 when found; -1 with a
 * message when none or several match.
 */
int rmt_container_dir(const char *prefix, char *path, size_t len);

#endif /* RMT_CONTAINERS_H */
