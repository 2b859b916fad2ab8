// SPDX-License-Identifier: GPL-2.0
/*
 * The capture filter: validation of what user space asks for, and the
 * lock-free match the probes run.
 */
#include <linux/bsearch.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "filter.h"

struct rmt_kfilter {
	struct rcu_head rcu;
	struct rmt_filter f;		/* validated; tgids[] sorted */
};

/* Serializes the writers of every session's filter pointer. */
static DEFINE_MUTEX(rmt_filter_lock);

static int rmt_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Fields whose flag is not set must be zero, like reserved fields. */
static int rmt_filter_check(const struct rmt_filter *f)
{
	static const char zero[RMT_COMM_LEN];

	if (f->flags & ~RMT_FILTER_ALL)
		return -EINVAL;
	if ((f->flags & RMT_FILTER_CGROUP_TREE) && !(f->flags & RMT_FILTER_CGROUP))
		return -EINVAL;
	if (f->flags & RMT_FILTER_TGIDS) {
		if (!f->nr_tgids || f->nr_tgids > RMT_FILTER_MAX_TGIDS)
			return -EINVAL;
	} else if (f->nr_tgids) {
		return -EINVAL;
	}
	/* Entries past those used are unused fields too. */
	if (memchr_inv(f->tgids + f->nr_tgids, 0,
		       (RMT_FILTER_MAX_TGIDS - f->nr_tgids) * sizeof(f->tgids[0])))
		return -EINVAL;
	if (!(f->flags & RMT_FILTER_UID) && f->uid)
		return -EINVAL;
	if (!(f->flags & RMT_FILTER_GID) && f->gid)
		return -EINVAL;
	if (!(f->flags & RMT_FILTER_CGROUP) && f->cgroup_id)
		return -EINVAL;
	if ((f->flags & RMT_FILTER_FD) ? f->fd < 0 : f->fd != 0)
		return -EINVAL;
	if (f->flags & RMT_FILTER_COMM) {
		const char *nul = memchr(f->comm, '\0', sizeof(f->comm));

		/* NUL-terminated, and NUL-padded: the tail is unused. */
		if (!f->comm[0] || !nul ||
		    memchr_inv(nul, 0, f->comm + sizeof(f->comm) - nul))
			return -EINVAL;
	} else if (memcmp(f->comm, zero, sizeof(zero))) {
		return -EINVAL;
	}
	return 0;
}

int rmt_filter_set(struct rmt_kfilter __rcu **cur, const struct rmt_filter *f)
{
	struct rmt_kfilter *kf = NULL, *old;
	int err = rmt_filter_check(f);

	if (err)
		return err;
	if (f->flags) {
		kf = kzalloc(sizeof(*kf), GFP_KERNEL);
		if (!kf)
			return -ENOMEM;
		kf->f = *f;
		kf->f.size = sizeof(kf->f);
		sort(kf->f.tgids, kf->f.nr_tgids, sizeof(u32), rmt_u32_cmp, NULL);
	}
	mutex_lock(&rmt_filter_lock);
	old = rcu_replace_pointer(*cur, kf, lockdep_is_held(&rmt_filter_lock));
	mutex_unlock(&rmt_filter_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

void rmt_filter_get(struct rmt_kfilter __rcu **cur, struct rmt_filter *f)
{
	const struct rmt_kfilter *kf;

	memset(f, 0, sizeof(*f));
	rcu_read_lock();
	kf = rcu_dereference(*cur);
	if (kf)
		*f = kf->f;
	rcu_read_unlock();
	f->size = sizeof(*f);
}

/* Once no probe can see @cur any more. */
void rmt_filter_free(struct rmt_kfilter __rcu **cur)
{
	kfree(rcu_replace_pointer(*cur, NULL, true));
}

/* Take over @from's filter; the caller keeps probes from both. */
void rmt_filter_move(struct rmt_kfilter __rcu **to, struct rmt_kfilter __rcu **from)
{
	struct rmt_kfilter *kf;

	mutex_lock(&rmt_filter_lock);
	kf = rcu_replace_pointer(*from, NULL, lockdep_is_held(&rmt_filter_lock));
	kf = rcu_replace_pointer(*to, kf, lockdep_is_held(&rmt_filter_lock));
	mutex_unlock(&rmt_filter_lock);
	if (kf)
		kfree_rcu(kf, rcu);
}

/* Is the task's cgroup @id, or (with @tree) below the cgroup @id? */
static bool rmt_cgroup_match(u64 id, bool tree)
{
#ifdef CONFIG_CGROUPS
	struct cgroup *cgrp = task_dfl_cgroup(current);

	for (; cgrp; cgrp = tree ? cgroup_parent(cgrp) : NULL)
		if (cgroup_id(cgrp) == id)
			return true;
	return false;
#else
	return false;
#endif
}

bool rmt_filter_task(const struct rmt_kfilter *kf)
{
	const struct rmt_filter *f;
	u32 tgid;

	if (!kf)
		return true;
	f = &kf->f;
	if (f->flags & RMT_FILTER_TGIDS) {
		tgid = task_tgid_nr(current);
		if (!bsearch(&tgid, f->tgids, f->nr_tgids, sizeof(u32), rmt_u32_cmp))
			return false;
	}
	if ((f->flags & RMT_FILTER_UID) &&
	    from_kuid_munged(&init_user_ns, current_uid()) != f->uid)
		return false;
	if ((f->flags & RMT_FILTER_GID) &&
	    from_kgid_munged(&init_user_ns, current_gid()) != f->gid)
		return false;
	if ((f->flags & RMT_FILTER_COMM) &&
	    strncmp(current->comm, f->comm, sizeof(f->comm)))
		return false;
	if ((f->flags & RMT_FILTER_CGROUP) &&
	    !rmt_cgroup_match(f->cgroup_id, f->flags & RMT_FILTER_CGROUP_TREE))
		return false;
	return true;
}

bool rmt_filter_fd(const struct rmt_kfilter *kf, u32 fd)
{
	return !kf || !(kf->f.flags & RMT_FILTER_FD) || fd == (u32)kf->f.fd;
}
