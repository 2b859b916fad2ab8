// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"
#include "messages.h"

int rmt_dev_open(const char *path, bool *was_enabled, uint32_t *nr_cpus)
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
	*was_enabled = info.flags & RMT_INFO_ENABLED;
	*nr_cpus = info.nr_cpus;
	return fd;
}

/*
 * The config the session wants, from the one in force (saved in @old):
 * worked out and checked before anything changes. -1 with a message.
 */
static int rmt_session_config(int fd, const struct rmt_session_opts *o,
			      struct rmt_config *old, struct rmt_config *c)
{
	struct rmt_info info = { .size = sizeof(info) };

	old->size = sizeof(*old);
	if (ioctl(fd, RMT_IOC_GET_INFO, &info) || ioctl(fd, RMT_IOC_GET_CONFIG, old)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the config: %s\n",
			strerror(errno));
		return -1;
	}
	*c = *old;
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

int rmt_dev_apply(int fd, const struct rmt_session_opts *o, struct rmt_saved *saved)
{
	struct rmt_config c;

	memset(saved, 0, sizeof(*saved));
	if (rmt_session_config(fd, o, &saved->config, &c))
		return -1;
	saved->filter.size = sizeof(saved->filter);
	if (ioctl(fd, RMT_IOC_GET_FILTER, &saved->filter)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the filter: %s\n",
			strerror(errno));
		return -1;
	}
	if (o->filter.flags || o->all) {
		struct rmt_filter f = o->filter;

		f.size = sizeof(f);
		if (ioctl(fd, RMT_IOC_SET_FILTER, &f)) {
			fprintf(stderr, "recvmmsg-trace: cannot set the filter: %s\n",
				strerror(errno));
			return -1;
		}
		saved->filter_set = true;
	} else if (saved->filter.flags) {
		/* Left by another session (or one killed): say so, or calls just go missing. */
		fputs("recvmmsg-trace: note: a filter set before this session is in force: ",
		      stderr);
		rmt_print_filter(stderr, &saved->filter);
		fputs("; --all records every call instead\n", stderr);
	}
	if (ioctl(fd, RMT_IOC_SET_CONFIG, &c)) {
		fprintf(stderr, "recvmmsg-trace: cannot set the config: %s\n",
			strerror(errno));
		return -1;
	}
	saved->config_set = true;
	return 0;
}

void rmt_dev_restore(int fd, const struct rmt_saved *saved)
{
	struct rmt_filter f = saved->filter;
	struct rmt_config c = saved->config;

	if (saved->filter_set && ioctl(fd, RMT_IOC_SET_FILTER, &f))
		fprintf(stderr, "recvmmsg-trace: cannot restore the filter: %s\n",
			strerror(errno));
	if (saved->config_set && ioctl(fd, RMT_IOC_SET_CONFIG, &c))
		fprintf(stderr, "recvmmsg-trace: cannot restore the config: %s\n",
			strerror(errno));
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
	fprintf(out, "%-6s %10s %10s %10s %10s %10s %10s %10s %10s %8s %6s\n", "cpu",
		"enter", "filtered", "written", "dropped", "exit", "filtered",
		"written", "dropped", "faults", "lost");
	for (i = 0; i < st.nr_cpus; i++) {
		snprintf(label, sizeof(label), "%u", i);
		rmt_print_stats_row(out, label, &cpus[i]);
	}
	rmt_print_stats_row(out, "total", &st.total);
	if (st.bad_records)
		fprintf(out, "%llu records had a header that cannot be right: the rest of their CPU's buffer was dropped (a module bug: please report it)\n",
			(unsigned long long)st.bad_records);
	if (st.discarded_records)
		fprintf(out, "%llu records were taken by a read whose buffer faulted, and their file closed before another read\n",
			(unsigned long long)st.discarded_records);
	free(cpus);
	return 0;
}

/* What capture is doing and why, in the words of the reader's options. */
static const char *rmt_capture_words(__u32 flags)
{
	if (!(flags & RMT_INFO_ENABLED))
		return "off";
	if ((flags & RMT_INFO_STANDING) && (flags & RMT_INFO_HELD))
		return "on, until disabled (--disable), and held by an open reader";
	if (flags & RMT_INFO_STANDING)
		return "on, until disabled (--disable)";
	return "on while a reader holds it open";
}

int rmt_dev_print_status(int fd, FILE *out)
{
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_filter f = { .size = sizeof(f) };
	struct rmt_config c = { .size = sizeof(c) };

	if (ioctl(fd, RMT_IOC_GET_INFO, &info) || ioctl(fd, RMT_IOC_GET_FILTER, &f) ||
	    ioctl(fd, RMT_IOC_GET_CONFIG, &c)) {
		fprintf(stderr, "recvmmsg-trace: cannot read the module's state: %s\n",
			strerror(errno));
		return -1;
	}
	fprintf(out, "module   recvmmsg_trace %.*s, ABI %u, %u CPUs, %u bytes of buffer per CPU\n",
		(int)sizeof(info.version), info.version, info.abi_version, info.nr_cpus,
		info.buffer_bytes);
	fprintf(out, "capture  %s\n", rmt_capture_words(info.flags));
	fputs("filter   ", out);
	rmt_print_filter(out, &f);
	fprintf(out, "\nconfig   snaplen %u, %s, ", c.snaplen,
		c.flags & RMT_CONFIG_NO_EXIT ? "entry records only" : "entry and exit records");
	if (c.wakeup_bytes)
		fprintf(out, "reader woken at %u bytes queued\n\n", c.wakeup_bytes);
	else
		fputs("reader woken for every record\n\n", out);
	return rmt_dev_print_stats(fd, out);
}
