/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests share: running the 32-bit client (rmt_client32, next
 * to the test binary) and parsing its report, draining a session into
 * records, looking at the module's sessions, and reading the facts the
 * records are compared with. Every open file of the device is a session of
 * its own; the helpers open theirs close-on-exec, so that no client or
 * reader a test starts keeps one alive.
 */
#ifndef RMT_HELPERS_H
#define RMT_HELPERS_H

#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/recvmmsg_trace.h>

/* The rules for stepping through a read's records, shared with the reader. */
#include "../tools/recvmmsg-trace/walk.h"

#define MAX_KEPT	16
#define MAX_REPORTS	16
/* Room for every session a test makes (never-enabled ones have no cap). */
#define MAX_LISTED	128
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
	int ppid;	/* getppid() in the client's pid namespace */
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

/* A client started by client_start(), its reports still to be read. */
struct client {
	pid_t pid;
	int out;		/* the reading end of its standard output */
};

/*
 * Start rmt_client32 with @argv; @setup runs in the child before exec, with
 * @clone_flags (CLONE_NEWPID...) applied. 0 or -1.
 */
int client_start(struct client *c, char *const argv[], int (*setup)(void *),
		 void *arg, int clone_flags);
/*
 * Wait for the client to end; parse up to MAX_REPORTS lines of its report
 * into @reps. How many, or -1 when it failed.
 */
int client_wait(struct client *c, struct client_report *reps);
/* client_start() and client_wait() in one. */
int run_client_in(char *const argv[], struct client_report *reps,
		  int (*setup)(void *), void *arg, int clone_flags);

/*
 * Clients started with gate_wait as their setup (and the gate as its
 * argument) wait before exec until gate_open(): so that a test learns
 * their pids, and puts filters on them, before they make a call.
 */
struct gate {
	int rd, wr;
};

int gate_make(struct gate *g);
int gate_wait(void *gate);
void gate_open(struct gate *g);
/* One report expected: 0, else -1. */
int run_client(char *const argv[], struct client_report *rep);
/* Drain every queued record without blocking into @r; -1 on a bad one. */
int drain(int fd, struct records *r);
int write_file(const char *path, const char *value);
/* Inode of /proc/self/ns/@which. */
unsigned long long ns_inode(const char *which);
/* The cgroup v2 id of this process: the inode of its cgroup directory. */
unsigned long long own_cgroup_id(void);
/* The loaded module's hook: RMT_HOOK_TRACEPOINT or _ENTRY, -1 if unknown. */
int module_hook(void);
/*
 * Whether the probes may fault here: syscall tracepoints may since 7.x
 * kernels (upstream), the entry hook's kretprobes never.
 */
int probe_may_fault(void);
/*
 * For tests that hold for one hook only: skip, saying why, under the
 * other. Use in a TEST or TEST_F body.
 */
#define REQUIRE_HOOK(_hook, _why) do {					\
	if (module_hook() != (_hook))					\
		SKIP(return, "holds for hook=%s only: %s",		\
		     (_hook) == RMT_HOOK_ENTRY ? "entry" : "tracepoint", _why); \
} while (0)
/* Reload the module with @params, by name, as an operator would. */
int reload_module(const char *params);
/*
 * For teardowns: close every file but the standard ones (a test stopped
 * half way may have left sessions open, and an open file keeps the module
 * loaded), then reload the module as loaded by default.
 */
void restore_module(void);
/*
 * The session of @fd to no filter and the default config (snaplen 8, exit
 * records, woken for every record; its buffer size kept), and the module's
 * time64 parameter off; 0 or -1.
 */
int restore_defaults(int fd);
/* A new session, close-on-exec, enabled when @enable; its fd or -1. */
int open_session(int enable);
/* Give the session of @fd buffers of @bytes per CPU, its config else kept. */
int set_buffer_bytes(int fd, __u32 bytes);
/* The RMT_INFO_* flags GET_INFO gives on @fd, or ~0U when it fails. */
unsigned int info_flags(int fd);
/*
 * The module's sessions, oldest first: up to @room of them into @s (which
 * may be NULL when @room is 0), and in *@total how many exist. How many
 * were filled, or -1.
 */
int get_sessions(int fd, struct rmt_session_info *s, unsigned int room,
		 unsigned int *total);
/*
 * Into *@out (may be NULL), the first session with every RMT_SESSION_* bit
 * of @flags set and, unless @owner is -1, owned by process @owner. 0 when
 * there is one, else -1.
 */
int find_session(int fd, unsigned int flags, pid_t owner,
		 struct rmt_session_info *out);
/* This process's comm, as the kernel keeps it: the name of the test. */
void own_comm(char comm[RMT_COMM_LEN]);
/* Wait up to @seconds for @pid to end: its wait status, or -1 (then killed). */
int reap_within(pid_t pid, int seconds);
/* Wait (up to 20 s) until process @pid is inside system call @nr; 0 or -1. */
int wait_in_syscall(pid_t pid, long nr);
/* Start rmt_client32 with @argv in the background, output discarded. */
int spawn_client(char *const argv[]);
/* A datagram to 127.0.0.1:@port (a "serve" client's), from this process; 0 or -1. */
int ping_port(int port);
/* A client setup hook: move the child into cgroup directory @dir. */
int join_cgroup(void *dir);
/* The client's executable file; 0 or -1. */
int client_exe(struct stat *st);
/* Does @t name the file the client runs? 1 or 0. */
int task_runs_client(const struct rmt_task *t);
/* This process's UTS nodename (uname -n), "" if it cannot be had. */
const char *own_nodename(void);

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

/*
 * A reader thread: drains one session until told to stop, checking every
 * record. Several may run at once, each with a buffer of its own.
 */
struct drainer {
	int fd;
	volatile int stop;
	int torn;
	unsigned long long enter, exit, lost;
	char *buf;		/* start_drainer() to finish_drainer() */
};

/* Read every record queued now, counting them into @d. */
void drain_into(struct drainer *d);
/* Start draining @d->fd (made non-blocking) in thread @th. */
int start_drainer(struct drainer *d, pthread_t *th);
/*
 * Stop the drainer, disable its session (pending drops become LOST
 * records), drain what is left.
 */
void finish_drainer(struct drainer *d, pthread_t th);
/* The stats summed over CPUs. */
int get_total(int fd, struct rmt_cpu_stats *total);
/*
 * Wait (up to 20 s) until process @owner (a reader we started) has a
 * session that is enabled; 0 or -1.
 */
int wait_until_enabled(pid_t owner);

#endif /* RMT_HELPERS_H */
