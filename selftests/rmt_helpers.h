/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests share: running the 32-bit client (rmt_client32, next
 * to the test binary) and parsing its report, draining the device into
 * records, and reading the facts the records are compared with.
 */
#ifndef RMT_HELPERS_H
#define RMT_HELPERS_H

#include <limits.h>
#include <pthread.h>
#include <sys/types.h>
#include <linux/recvmmsg_trace.h>

#define MAX_KEPT	16
#define MAX_REPORTS	16
#define PARAMS		"/sys/module/recvmmsg_trace/parameters/"

/* What rmt_client32 reports about each call it made. */
struct client_report {
	int pid;
	int tid;
	unsigned long mmsg;
	unsigned long timeout;
	int port;
	long ret;
	int err;
};

/* Records drained from the device: the first MAX_KEPT of each type. */
struct records {
	int n_enter, n_exit, n_lost, n_other;
	unsigned long long lost_count;
	union {
		struct rmt_enter_record r;
		char space[RMT_RECORD_MAX_SIZE];
	} enter[MAX_KEPT];
	union {
		struct rmt_exit_record r;
		char space[RMT_RECORD_MAX_SIZE];
	} exit[MAX_KEPT];
};

/* The last drain(fd, &rec) of a test. */
extern struct records rec;

/*
 * Run rmt_client32 with @argv; @setup runs in the child before exec, with
 * @clone_flags (CLONE_NEWPID...) applied. Parses up to MAX_REPORTS lines
 * into @reps and returns how many, or -1 when the client failed.
 */
int run_client_in(char *const argv[], struct client_report *reps,
		  int (*setup)(void *), void *arg, int clone_flags);
/* One report expected: 0, else -1. */
int run_client(char *const argv[], struct client_report *rep);
/* Drain every queued record without blocking into @r; -1 on a bad one. */
int drain(int fd, struct records *r);
int write_file(const char *path, const char *value);
/* Inode of /proc/self/ns/@which. */
unsigned long long ns_inode(const char *which);
/* The cgroup v2 id of this process: the inode of its cgroup directory. */
unsigned long long own_cgroup_id(void);
/* Whether syscall tracepoints may fault here: upstream since 7.x kernels. */
int probe_may_fault(void);
/* Reload the module with @params, by name, as an operator would. */
int reload_module(const char *params);
/* No filter, the default config, time64 off; 0 or -1. */
int restore_defaults(int fd);
/* Wait (up to 20 s) until process @pid is inside system call @nr; 0 or -1. */
int wait_in_syscall(pid_t pid, long nr);
/* Start rmt_client32 with @argv in the background, output discarded. */
int spawn_client(char *const argv[]);
/* A client setup hook: move the child into cgroup directory @dir. */
int join_cgroup(void *dir);

/* A read() that blocks in its own thread: read_blocking(&b) as the start. */
struct blocked_read {
	int fd;
	long ret;
	char buf[RMT_RECORD_MAX_SIZE * 4] __attribute__((aligned(8)));
};

void *read_blocking(void *arg);

static inline const struct rmt_enter_record *E(int i)
{
	return &rec.enter[i].r;
}

static inline const struct rmt_exit_record *X(int i)
{
	return &rec.exit[i].r;
}

/* Run the client for one call returning @want; drain its two records. */
#define RUN_ONE_CALL(_argv, _rep, _want) do {				\
	ASSERT_EQ(0, run_client(_argv, &(_rep)));			\
	ASSERT_EQ(_want, (_rep).ret);					\
	ASSERT_EQ(0, drain(self->fd, &rec));				\
	ASSERT_EQ(1, rec.n_enter);					\
	ASSERT_EQ(1, rec.n_exit);					\
} while (0)

/* A reader thread: drains until told to stop, checking every record. */
struct drainer {
	int fd;
	volatile int stop;
	int torn;
	unsigned long long enter, exit, lost;
};

/* Read every record queued now, counting them into @d. */
void drain_into(struct drainer *d);
/* Start draining @d->fd (made non-blocking) in thread @th. */
int start_drainer(struct drainer *d, pthread_t *th);
/* Stop the drainer, stop capture (pending drops become LOST records), drain. */
void finish_drainer(struct drainer *d, pthread_t th);
/* The stats summed over CPUs. */
int get_total(int fd, struct rmt_cpu_stats *total);
/* Wait (up to 20 s) for a reader we started to turn capture on; 0 or -1. */
int wait_until_enabled(void);

#endif /* RMT_HELPERS_H */
