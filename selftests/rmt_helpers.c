// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the selftests; see rmt_helpers.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
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

/* The client's inode, as /proc/PID/exe of a client names it. */
int client_exe(struct stat *st)
{
	if (!client_path[0])
		find_client();
	return stat(client_path, st);
}

/* Does @t name the file the client runs, by inode and device? */
int task_runs_client(const struct rmt_task *t)
{
	struct stat st;

	return !client_exe(&st) && t->exe_ino == st.st_ino &&
	       t->exe_dev_major == major(st.st_dev) && t->exe_dev_minor == minor(st.st_dev);
}

/* This process's UTS nodename (uname -n). */
const char *own_nodename(void)
{
	static struct utsname u;

	return uname(&u) ? "" : u.nodename;
}

int client_start(struct client *c, char *const argv[], int (*setup)(void *),
		 void *arg, int clone_flags)
{
	int pipefd[2];

	if (!client_path[0])
		find_client();
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	c->pid = syscall(SYS_clone, SIGCHLD | clone_flags, NULL, NULL, NULL, NULL);
	if (c->pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	if (c->pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		if (setup && setup(arg))
			_exit(126);
		execv(client_path, argv);
		_exit(127);
	}
	close(pipefd[1]);
	c->out = pipefd[0];
	return 0;
}

int client_wait(struct client *c, struct client_report *reps)
{
	FILE *f = fdopen(c->out, "r");
	char line[256];
	int status, n = 0;

	while (f && n < MAX_REPORTS && fgets(line, sizeof(line), f)) {
		struct client_report *r = &reps[n];

		if (sscanf(line, "pid=%d tid=%d mmsg=%lx timeout=%lx port=%d ret=%ld errno=%d ppid=%d",
			   &r->pid, &r->tid, &r->mmsg, &r->timeout, &r->port,
			   &r->ret, &r->err, &r->ppid) == 8)
			n++;
	}
	if (f)
		fclose(f);
	else
		close(c->out);
	if (waitpid(c->pid, &status, 0) != c->pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return n;
}

int run_client_in(char *const argv[], struct client_report *reps,
		  int (*setup)(void *), void *arg, int clone_flags)
{
	struct client c;

	if (client_start(&c, argv, setup, arg, clone_flags))
		return -1;
	return client_wait(&c, reps);
}

int gate_make(struct gate *g)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC))
		return -1;
	g->rd = fds[0];
	g->wr = fds[1];
	return 0;
}

/* In the child: the gate opens when every writing end is closed. */
int gate_wait(void *gate)
{
	struct gate *g = gate;
	char c;
	ssize_t n;

	close(g->wr);
	while ((n = read(g->rd, &c, 1)) > 0 || (n < 0 && errno == EINTR))
		;
	return n == 0 ? 0 : -1;
}

void gate_open(struct gate *g)
{
	close(g->wr);
	close(g->rd);
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
		const struct rmt_record_header *h;
		enum rmt_step step;
		size_t off = 0;

		while ((step = rmt_step(buf, n, off, &h)) == RMT_STEP_RECORD) {
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
				r->lost_count += ((const struct rmt_lost_record *)h)->count;
			} else {
				r->n_other++;
			}
			off += h->size;
		}
		/* A read returns whole records only. */
		if (step != RMT_STEP_END)
			return -1;
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

int module_hook(void)
{
	char buf[32] = "";
	FILE *f = fopen(PARAMS "hook", "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (!strcmp(buf, "tracepoint\n"))
		return RMT_HOOK_TRACEPOINT;
	if (!strcmp(buf, "entry\n"))
		return RMT_HOOK_ENTRY;
	return -1;
}

int probe_may_fault(void)
{
	struct utsname u;

	/* The entry hook's handlers never may. */
	return module_hook() == RMT_HOOK_TRACEPOINT && !uname(&u) && atoi(u.release) >= 7;
}

/* Reload the module with @params, by name, as an operator would. */
int reload_module(const char *params)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "modprobe -r recvmmsg_trace && modprobe recvmmsg_trace %s", params);
	return system(cmd) == 0 ? 0 : -1;
}

void restore_module(void)
{
	close_range(3, ~0U, 0);
	reload_module("");
}

int restore_defaults(int fd)
{
	struct rmt_filter f = { .size = sizeof(f) };
	struct rmt_config c = { .size = sizeof(c), .snaplen = 8 };

	if (ioctl(fd, RMT_IOC_SET_FILTER, &f) || ioctl(fd, RMT_IOC_SET_CONFIG, &c))
		return -1;
	return write_file(PARAMS "time64", "0");
}

int open_session(int enable)
{
	int fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && enable && ioctl(fd, RMT_IOC_ENABLE, 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

int set_buffer_bytes(int fd, __u32 bytes)
{
	struct rmt_config c = { .size = sizeof(c) };

	if (ioctl(fd, RMT_IOC_GET_CONFIG, &c))
		return -1;
	c.buffer_bytes = bytes;
	return ioctl(fd, RMT_IOC_SET_CONFIG, &c);
}

unsigned int info_flags(int fd)
{
	struct rmt_info info = { .size = sizeof(info) };

	return ioctl(fd, RMT_IOC_GET_INFO, &info) ? ~0U : info.flags;
}

int get_sessions(int fd, struct rmt_session_info *s, unsigned int room,
		 unsigned int *total)
{
	struct rmt_sessions q = {
		.size = sizeof(q),
		.nr_sessions = room,
		.sessions = (unsigned long)s,
		.session_size = sizeof(*s),
	};

	if (ioctl(fd, RMT_IOC_GET_SESSIONS, &q))
		return -1;
	*total = q.total;
	return q.nr_sessions;
}

int find_session(int fd, unsigned int flags, pid_t owner,
		 struct rmt_session_info *out)
{
	static struct rmt_session_info s[MAX_LISTED];
	unsigned int total;
	int n = get_sessions(fd, s, MAX_LISTED, &total), i;

	for (i = 0; i < n; i++) {
		if ((s[i].flags & flags) != flags ||
		    (owner != -1 && s[i].owner_tgid != (__u32)owner))
			continue;
		if (out)
			*out = s[i];
		return 0;
	}
	return -1;
}

void own_comm(char comm[RMT_COMM_LEN])
{
	FILE *f = fopen("/proc/self/comm", "r");

	memset(comm, 0, RMT_COMM_LEN);
	if (f && fgets(comm, RMT_COMM_LEN, f))
		comm[strcspn(comm, "\n")] = '\0';
	if (f)
		fclose(f);
}

int reap_within(pid_t pid, int seconds)
{
	int status, i;

	for (i = 0; i < seconds * 20; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
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

#define DRAINER_BYTES	(1 << 20)

void drain_into(struct drainer *d)
{
	char *buf = d->buf;
	ssize_t n;

	while ((n = read(d->fd, buf, DRAINER_BYTES)) > 0) {
		const struct rmt_record_header *h;
		enum rmt_step step;
		size_t off = 0;

		while ((step = rmt_step(buf, n, off, &h)) == RMT_STEP_RECORD) {
			const struct rmt_enter_record *e = (const void *)h;
			const struct rmt_exit_record *x = (const void *)h;

			if (h->type == RMT_REC_ENTER) {
				d->enter++;
				/* The nodename always ends in NUL padding. */
				d->torn += e->task.nodename[RMT_NODENAME_LEN - 1] ||
					   e->call.nr_msgs > RMT_SNAPLEN_MAX;
			} else if (h->type == RMT_REC_EXIT) {
				d->exit++;
				d->torn += x->call.nr_msgs > RMT_SNAPLEN_MAX;
			} else if (h->type == RMT_REC_LOST) {
				d->lost += ((const struct rmt_lost_record *)h)->count;
			} else {
				d->torn++;
			}
			off += h->size;
		}
		/* A read returns whole records only. */
		if (step != RMT_STEP_END) {
			d->torn++;
			return;
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

	/* malloc() aligns for any record header. */
	d->buf = malloc(DRAINER_BYTES);
	if (!d->buf)
		return -1;
	fcntl(d->fd, F_SETFL, flags | O_NONBLOCK);
	if (pthread_create(th, NULL, drainer_run, d)) {
		free(d->buf);
		d->buf = NULL;
		return -1;
	}
	return 0;
}

void finish_drainer(struct drainer *d, pthread_t th)
{
	d->stop = 1;
	pthread_join(th, NULL);
	ioctl(d->fd, RMT_IOC_DISABLE, 0);
	drain_into(d);
	free(d->buf);
	d->buf = NULL;
}

int get_total(int fd, struct rmt_cpu_stats *total)
{
	struct rmt_stats st = { .size = sizeof(st) };
	int err = ioctl(fd, RMT_IOC_GET_STATS, &st);

	*total = st.total;
	return err;
}

int wait_until_enabled(pid_t owner)
{
	int fd = open_session(0), i, found = -1;

	for (i = 0; fd >= 0 && i < 400 && found; i++) {
		found = find_session(fd, RMT_SESSION_ENABLED, owner, NULL);
		if (found)
			usleep(50000);
	}
	if (fd >= 0)
		close(fd);
	return found;
}

int ping_port(int port)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n;

	if (sock < 0)
		return -1;
	n = sendto(sock, "ping", 4, 0, (struct sockaddr *)&to, sizeof(to));
	close(sock);
	return n == 4 ? 0 : -1;
}
