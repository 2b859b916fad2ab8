// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"
#include "messages.h"

int rmt_dev_open(const char *path, uint32_t *nr_cpus)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		int err = errno;

		fprintf(stderr, "recvmmsg-trace: cannot open %s: %s\n", path,
			strerror(err));
		if (err == ENOENT)
			fprintf(stderr, "recvmmsg-trace: is the module loaded? Load it with: modprobe recvmmsg_trace\n");
		else if (err == EACCES || err == EPERM)
			fprintf(stderr, "recvmmsg-trace: run as root (CAP_SYS_ADMIN or CAP_PERFMON)\n");
		return -1;
	}
	if (ioctl(fd, RMT_IOC_GET_INFO, &info) < 0) {
		int err = errno;

		/* Modules of ABI 3 and before answer only the old number. */
		if (err == ENOTTY && !ioctl(fd, RMT_IOC_GET_INFO_OLD, &info)) {
			fprintf(stderr, "recvmmsg-trace: module speaks ABI %u, this reader ABI %d: install matching versions\n",
				info.abi_version, RMT_ABI_VERSION);
		} else {
			fprintf(stderr, "recvmmsg-trace: %s is not a recvmmsg_trace device: %s\n",
				path, strerror(err));
		}
		close(fd);
		return -1;
	}
	if (info.abi_version != RMT_ABI_VERSION) {
		fprintf(stderr, "recvmmsg-trace: module speaks ABI %u, this reader ABI %d: install matching versions\n",
			info.abi_version, RMT_ABI_VERSION);
		close(fd);
		return -1;
	}
	*nr_cpus = info.nr_cpus;
	return fd;
}

/*
 * The config the session wants, from the one it has: worked out and checked
 * before anything changes. -1 with a message.
 */
static int rmt_session_config(int fd, const struct rmt_session_opts *o,
			      struct rmt_config *c)
{
	struct rmt_info info = { .size = sizeof(info) };

	c->size = sizeof(*c);
	if (ioctl(fd, RMT_IOC_GET_INFO, &info) || ioctl(fd, RMT_IOC_GET_CONFIG, c)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the config: %s\n",
			strerror(errno));
		return -1;
	}
	c->size = sizeof(*c);
	/* 0 keeps the buffers: a new size would empty an adopted boot session's. */
	c->buffer_bytes = 0;
	if (o->snaplen)
		c->snaplen = o->snaplen;
	/* Set either way: the pairing of records depends on it. */
	c->flags &= ~RMT_CONFIG_NO_EXIT;
	if (o->no_exit)
		c->flags |= RMT_CONFIG_NO_EXIT;
	if (o->wakeup_bytes == RMT_WAKEUP_DEFAULT) {
		c->wakeup_bytes = info.buffer_bytes / RMT_WAKEUP_SHARE;
	} else if (o->wakeup_bytes > info.buffer_bytes) {
		fprintf(stderr, "recvmmsg-trace: wake-up threshold %lld is more than the buffer of a CPU (%u bytes)\n",
			o->wakeup_bytes, info.buffer_bytes);
		return -1;
	} else {
		c->wakeup_bytes = (__u32)o->wakeup_bytes;
	}
	return 0;
}

/* The filter in words: "pid 1,2, uid 0, comm \"x\"", or "none". */
static void rmt_print_filter(FILE *out, const struct rmt_filter *f)
{
	char comm[RMT_ESCAPED_SIZE(RMT_COMM_LEN)];
	const char *sep = "";
	unsigned int i;

	if (f->flags & RMT_FILTER_TGIDS) {
		fputs("pid", out);
		for (i = 0; i < f->nr_tgids && i < RMT_FILTER_MAX_TGIDS; i++)
			fprintf(out, "%s%u", i ? "," : " ", f->tgids[i]);
		sep = ", ";
	}
	if (f->flags & RMT_FILTER_UID) {
		fprintf(out, "%suid %u", sep, f->uid);
		sep = ", ";
	}
	if (f->flags & RMT_FILTER_GID) {
		fprintf(out, "%sgid %u", sep, f->gid);
		sep = ", ";
	}
	if (f->flags & RMT_FILTER_CGROUP) {
		fprintf(out, "%scgroup id %llu%s", sep, (unsigned long long)f->cgroup_id,
			f->flags & RMT_FILTER_CGROUP_TREE ? " and below" : "");
		sep = ", ";
	}
	if (f->flags & RMT_FILTER_FD) {
		fprintf(out, "%sfd %d", sep, f->fd);
		sep = ", ";
	}
	if (f->flags & RMT_FILTER_COMM)
		fprintf(out, "%scomm \"%s\"", sep,
			rmt_escape(comm, (const uint8_t *)f->comm,
				   strnlen(f->comm, sizeof(f->comm))));
	if (!f->flags)
		fputs("none", out);
}

/* Make the boot session ours: what it captured since load is read here. */
static int rmt_adopt_boot(int fd)
{
	if (!ioctl(fd, RMT_IOC_ADOPT_BOOT, 0))
		return 0;
	if (errno == ENOENT)
		fputs("recvmmsg-trace: no boot session to adopt (load the module with enable=1; another reader may have adopted it)\n",
		      stderr);
	else
		fprintf(stderr, "recvmmsg-trace: cannot adopt the boot session: %s\n",
			strerror(errno));
	return -1;
}

int rmt_dev_apply(int fd, const struct rmt_session_opts *o)
{
	struct rmt_filter f = o->filter;
	struct rmt_config c;

	/* First: adopting replaces the session's filter and config. */
	if (o->boot && rmt_adopt_boot(fd))
		return -1;
	if (rmt_session_config(fd, o, &c))
		return -1;
	f.size = sizeof(f);
	if (ioctl(fd, RMT_IOC_SET_FILTER, &f)) {
		fprintf(stderr, "recvmmsg-trace: cannot set the filter: %s\n",
			strerror(errno));
		return -1;
	}
	if (ioctl(fd, RMT_IOC_SET_CONFIG, &c)) {
		fprintf(stderr, "recvmmsg-trace: cannot set the config: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

int rmt_dev_enable(int fd)
{
	struct rmt_info info = { .size = sizeof(info) };
	int err;

	if (!ioctl(fd, RMT_IOC_ENABLE, 0))
		return 0;
	err = errno;
	/* A cap on sessions with buffers bounds memory: name it, and who holds them. */
	if (err == EBUSY && !ioctl(fd, RMT_IOC_GET_INFO, &info))
		fprintf(stderr, "recvmmsg-trace: cannot enable capture: all %u sessions the module allows are in use (max_sessions=%u); recvmmsg-trace --status lists them\n",
			info.max_sessions, info.max_sessions);
	else
		fprintf(stderr, "recvmmsg-trace: cannot enable capture: %s\n",
			strerror(err));
	return -1;
}

int rmt_dev_disable(int fd)
{
	if (!ioctl(fd, RMT_IOC_DISABLE, 0))
		return 0;
	fprintf(stderr, "recvmmsg-trace: cannot disable capture: %s\n", strerror(errno));
	return -1;
}

static void rmt_print_stats_row(FILE *out, const char *label,
				const struct rmt_cpu_stats *s)
{
	fprintf(out, "%-6s %10llu %10llu %10llu %10llu %10llu %10llu %10llu %10llu %8llu %6llu\n",
		label,
		(unsigned long long)s->enter.seen, (unsigned long long)s->enter.filtered,
		(unsigned long long)s->enter.written, (unsigned long long)s->enter.dropped,
		(unsigned long long)s->exit.seen, (unsigned long long)s->exit.filtered,
		(unsigned long long)s->exit.written, (unsigned long long)s->exit.dropped,
		(unsigned long long)s->faults, (unsigned long long)s->lost_records);
}

/* A module before the entry hook leaves it 0. */
static void rmt_print_missed(FILE *out, const struct rmt_cpu_stats *total)
{
	if (total->missed)
		fprintf(out, "%llu calls missed by the entry hook, more being in flight at once than its maxactive: counted in the total as seen and dropped at entry\n",
			(unsigned long long)total->missed);
}

static void rmt_print_stats_header(FILE *out)
{
	fprintf(out, "%-6s %10s %10s %10s %10s %10s %10s %10s %10s %8s %6s\n", "cpu",
		"enter", "filtered", "written", "dropped", "exit", "filtered",
		"written", "dropped", "faults", "lost");
}

int rmt_dev_print_stats(int fd, FILE *out)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	struct rmt_stats st = { .size = sizeof(st) };
	struct rmt_cpu_stats *cpus;
	char label[16];
	__u32 i;

	if (ncpu < 1)
		ncpu = 1;
	cpus = calloc((size_t)ncpu, sizeof(*cpus));
	if (!cpus)
		return -1;
	st.nr_cpus = (__u32)ncpu;
	st.cpus = (unsigned long)cpus;
	st.cpu_size = sizeof(*cpus);
	if (ioctl(fd, RMT_IOC_GET_STATS, &st)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the stats: %s\n",
			strerror(errno));
		free(cpus);
		return -1;
	}
	rmt_print_stats_header(out);
	for (i = 0; i < st.nr_cpus; i++) {
		snprintf(label, sizeof(label), "%u", i);
		rmt_print_stats_row(out, label, &cpus[i]);
	}
	rmt_print_stats_row(out, "total", &st.total);
	rmt_print_missed(out, &st.total);
	if (st.bad_records)
		fprintf(out, "%llu records had a header that cannot be right: the rest of their CPU's buffer was dropped (a module bug: please report it)\n",
			(unsigned long long)st.bad_records);
	free(cpus);
	return 0;
}

/* "snaplen 8, entry and exit records, reader woken at 65536 bytes queued" */
static void rmt_print_config(FILE *out, const struct rmt_config *c)
{
	fprintf(out, "snaplen %u, %s, ", c->snaplen,
		c->flags & RMT_CONFIG_NO_EXIT ? "entry records only" : "entry and exit records");
	if (c->wakeup_bytes)
		fprintf(out, "reader woken at %u bytes queued", c->wakeup_bytes);
	else
		fputs("reader woken for every record", out);
}

/*
 * Every session, oldest first: a calloc()ed array in *@list (free it) and
 * its length in *@n. -1 with errno set on failure.
 */
static int rmt_get_sessions(int fd, struct rmt_session_info **list, __u32 *n)
{
	struct rmt_session_info *s = NULL;
	__u32 room = 0;
	int tries;

	/* Readers may open between two asks: ask again until the room sufficed. */
	for (tries = 0; tries < 8; tries++) {
		struct rmt_sessions q = {
			.size = sizeof(q),
			.nr_sessions = room,
			.sessions = (unsigned long)s,
			.session_size = sizeof(*s),
		};

		if (ioctl(fd, RMT_IOC_GET_SESSIONS, &q))
			break;
		if (q.total <= room) {
			*list = s;
			*n = q.nr_sessions;
			return 0;
		}
		free(s);
		room = q.total + 4;
		s = calloc(room, sizeof(*s));
		if (!s)
			break;
	}
	if (tries == 8)
		errno = EAGAIN;
	free(s);
	return -1;
}

static const char *rmt_plural(unsigned int n)
{
	return n == 1 ? "" : "s";
}

/* One session of --status: who owns it, its filter, config and counters. */
static void rmt_print_session(FILE *out, const struct rmt_session_info *s)
{
	char comm[RMT_ESCAPED_SIZE(RMT_COMM_LEN)];
	bool boot = s->flags & RMT_SESSION_BOOT;

	fprintf(out, "session  %u, ", s->id);
	if (boot)
		fputs("boot session (enable=1), ", out);
	else
		fprintf(out, "pid %u (%s), ", s->owner_tgid,
			rmt_escape(comm, (const uint8_t *)s->owner_comm,
				   strnlen(s->owner_comm, sizeof(s->owner_comm))));
	fputs(s->flags & RMT_SESSION_ENABLED ? "enabled, " : "not enabled, ", out);
	if (s->buffer_bytes)
		fprintf(out, "%u bytes of buffer per CPU", s->buffer_bytes);
	else
		fputs("no buffers yet", out);
	fputs(boot ? "; recvmmsg-trace --boot reads it\nfilter   " : "\nfilter   ", out);
	rmt_print_filter(out, &s->filter);
	fputs("\nconfig   ", out);
	rmt_print_config(out, &s->config);
	fputc('\n', out);
	rmt_print_stats_header(out);
	rmt_print_stats_row(out, "total", &s->total);
	rmt_print_missed(out, &s->total);
}

int rmt_dev_print_status(int fd, FILE *out)
{
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_session_info *list = NULL;
	unsigned int enabled = 0;
	__u32 n = 0, i;

	if (ioctl(fd, RMT_IOC_GET_INFO, &info) || rmt_get_sessions(fd, &list, &n)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the module's state: %s\n",
			strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((list[i].flags & (RMT_SESSION_ENABLED | RMT_SESSION_SELF)) ==
		    RMT_SESSION_ENABLED)
			enabled++;
	fprintf(out, "module   recvmmsg_trace %.*s, ABI %u, %u CPUs, at most %u session%s with buffers\n",
		(int)sizeof(info.version), info.version, info.abi_version, info.nr_cpus,
		info.max_sessions, rmt_plural(info.max_sessions));
	/* A module that does not say has the tracepoint hook only. */
	if (info.size >= offsetof(struct rmt_info, maxactive) + sizeof(info.maxactive) &&
	    info.hook == RMT_HOOK_ENTRY)
		fprintf(out, "hook     entry: kretprobes on the compat entry points, up to %u calls in flight at once (maxactive)\n",
			info.maxactive);
	else
		fputs("hook     tracepoint: the raw syscall tracepoints sys_enter and sys_exit\n", out);
	if (enabled)
		fprintf(out, "capture  on: %u session%s enabled\n", enabled,
			rmt_plural(enabled));
	else
		fputs("capture  off: no session enabled\n", out);
	/* This --status's own session is no one's capture: left out. */
	for (i = 0; i < n; i++) {
		if (list[i].flags & RMT_SESSION_SELF)
			continue;
		fputc('\n', out);
		rmt_print_session(out, &list[i]);
	}
	free(list);
	return 0;
}
