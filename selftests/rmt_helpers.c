// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the selftests; see rmt_helpers.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rmt_helpers.h"

struct records rec;
static char client_path[PATH_MAX + 16];

static void find_client(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		n = 0;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';
	snprintf(client_path, sizeof(client_path), "%srmt_client32", self);
}

/*
 * Run rmt_client32 with @argv; @setup runs in the child before exec, with
 * @clone_flags (CLONE_NEWPID...) applied. Parses up to MAX_REPORTS lines
 * into @reps and returns how many, or -1 when the client failed.
 */
int run_client_in(char *const argv[], struct client_report *reps,
			 int (*setup)(void *), void *arg, int clone_flags)
{
	int pipefd[2], status, n = 0;
	char line[256];
	FILE *f;
	pid_t pid;

	if (!client_path[0])
		find_client();
	if (pipe(pipefd))
		return -1;
	pid = syscall(SYS_clone, SIGCHLD | clone_flags, NULL, NULL, NULL, NULL);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (setup && setup(arg))
			_exit(126);
		execv(client_path, argv);
		_exit(127);
	}
	close(pipefd[1]);
	f = fdopen(pipefd[0], "r");
	while (f && n < MAX_REPORTS && fgets(line, sizeof(line), f)) {
		struct client_report *r = &reps[n];

		if (sscanf(line, "pid=%d tid=%d mmsg=%lx timeout=%lx port=%d ret=%ld errno=%d",
			   &r->pid, &r->tid, &r->mmsg, &r->timeout, &r->port,
			   &r->ret, &r->err) == 7)
			n++;
	}
	if (f)
		fclose(f);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return n;
}

int run_client(char *const argv[], struct client_report *rep)
{
	return run_client_in(argv, rep, NULL, NULL, 0) == 1 ? 0 : -1;
}

/* Drain every queued record without blocking into @r. */
int drain(int fd, struct records *r)
{
	static char buf[256 * 1024] __attribute__((aligned(8)));
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	memset(r, 0, sizeof(*r));
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < n) {
			struct rmt_record_header *h = (void *)(buf + off);

			if (h->size < sizeof(*h) || off + h->size > n ||
			    h->size > RMT_RECORD_MAX_SIZE || h->size % 8)
				return -1;
			if (h->type == RMT_REC_ENTER) {
				if (r->n_enter < MAX_KEPT)
					memcpy(&r->enter[r->n_enter], h, h->size);
				r->n_enter++;
			} else if (h->type == RMT_REC_EXIT) {
				if (r->n_exit < MAX_KEPT)
					memcpy(&r->exit[r->n_exit], h, h->size);
				r->n_exit++;
			} else if (h->type == RMT_REC_LOST) {
				r->n_lost++;
				r->lost_count += ((struct rmt_lost_record *)h)->count;
			} else {
				r->n_other++;
			}
			off += h->size;
		}
	}
	fcntl(fd, F_SETFL, flags);
	return n < 0 && errno != EAGAIN ? -1 : 0;
}

int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

unsigned long long ns_inode(const char *which)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", which);
	return stat(path, &st) ? 0 : st.st_ino;
}

/* The cgroup v2 id of this process: the inode of its cgroup directory. */
unsigned long long own_cgroup_id(void)
{
	char line[PATH_MAX], path[PATH_MAX + 32];
	struct stat st;
	FILE *f = fopen("/proc/self/cgroup", "r");
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
			found = 1;
		}
	if (f)
		fclose(f);
	return found && !stat(path, &st) ? st.st_ino : 0;
}

/* Whether syscall tracepoints may fault here: upstream since 7.x kernels. */
int probe_may_fault(void)
{
	struct utsname u;

	return !uname(&u) && atoi(u.release) >= 7;
}

/* Reload the module with @params, by name, as an operator would. */
int reload_module(const char *params)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "modprobe -r recvmmsg_trace && modprobe recvmmsg_trace %s", params);
	return system(cmd) == 0 ? 0 : -1;
}


int restore_defaults(int fd)
{
	struct rmt_filter f = { .size = sizeof(f) };
	struct rmt_config c = { .size = sizeof(c), .snaplen = 8 };

	if (ioctl(fd, RMT_IOC_SET_FILTER, &f) || ioctl(fd, RMT_IOC_SET_CONFIG, &c))
		return -1;
	return write_file(PARAMS "time64", "0");
}

int join_cgroup(void *dir)
{
	char path[PATH_MAX + 32], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", (char *)dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return write_file(path, pid);
}

void *read_blocking(void *arg)
{
	struct blocked_read *b = arg;

	b->ret = read(b->fd, b->buf, sizeof(b->buf));
	return NULL;
}

int wait_in_syscall(pid_t pid, long nr)
{
	char path[64], line[256];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		char *got = f ? fgets(line, sizeof(line), f) : NULL;

		if (f)
			fclose(f);
		if (got && strtol(line, NULL, 10) == nr && line[0] != '-')
			return 0;
		usleep(100000);
	}
	return -1;
}

int spawn_client(char *const argv[])
{
	pid_t pid;

	if (!client_path[0])
		find_client();
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		execv(client_path, argv);
		_exit(127);
	}
	return pid;
}

void drain_into(struct drainer *d)
{
	static char buf[1 << 20] __attribute__((aligned(8)));
	ssize_t n, off;

	while ((n = read(d->fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; ) {
			struct rmt_record_header *h = (void *)(buf + off);
			const struct rmt_enter_record *e = (void *)h;

			if (h->size < sizeof(*h) || h->size % 8 || off + h->size > n) {
				d->torn++;
				return;
			}
			if (h->type == RMT_REC_ENTER)
				d->enter++;
			else if (h->type == RMT_REC_EXIT)
				d->exit++;
			else if (h->type == RMT_REC_LOST)
				d->lost += ((struct rmt_lost_record *)h)->count;
			else
				d->torn++;
			if (h->type != RMT_REC_LOST && (e->task.reserved ||
			    e->call.nr_msgs > RMT_SNAPLEN_MAX))
				d->torn++;
			off += h->size;
		}
	}
}

static void *drainer_run(void *arg)
{
	struct drainer *d = arg;
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN };

	while (!d->stop) {
		poll(&pfd, 1, 50);
		drain_into(d);
	}
	return NULL;
}

int start_drainer(struct drainer *d, pthread_t *th)
{
	int flags = fcntl(d->fd, F_GETFL);

	fcntl(d->fd, F_SETFL, flags | O_NONBLOCK);
	return pthread_create(th, NULL, drainer_run, d);
}

void finish_drainer(struct drainer *d, pthread_t th)
{
	d->stop = 1;
	pthread_join(th, NULL);
	ioctl(d->fd, RMT_IOC_DISABLE, 0);
	drain_into(d);
}

int get_total(int fd, struct rmt_cpu_stats *total)
{
	struct rmt_stats st = { .size = sizeof(st) };
	int err = ioctl(fd, RMT_IOC_GET_STATS, &st);

	*total = st.total;
	return err;
}

int wait_until_enabled(void)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd = open(RMT_DEVICE_PATH, O_RDONLY), i;

	for (i = 0; fd >= 0 && i < 400; i++) {
		if (!ioctl(fd, RMT_IOC_GET_INFO, &info) && (info.flags & RMT_INFO_ENABLED))
			break;
		usleep(50000);
	}
	if (fd >= 0)
		close(fd);
	return info.flags & RMT_INFO_ENABLED ? 0 : -1;
}
