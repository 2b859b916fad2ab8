/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file a call's process runs, Tracee's "executable": each enter record
 * names it by inode and by the device of its filesystem's superblock, read
 * in the kernel at the call, and the reader looks for a path to it in
 * /proc/PID/exe. The path is taken only when the file there is that inode:
 * a process that has exited since (its pid perhaps reused) or run execve
 * gives no path, never another program's. Answers are kept per thread (its
 * id and start time, unique in a boot) and file: an inode number freed
 * and given to another program later is another key.
 */
#ifndef RMT_EXES_H
#define RMT_EXES_H

#include <stdint.h>
#include <linux/recvmmsg_trace.h>

/* Which thread ran which file: what a path is kept for. */
struct rmt_exe_key {
	uint64_t start_time_ns;		/* the thread's */
	uint64_t ino;
	uint32_t tid;
	uint32_t major, minor;		/* the superblock's device */
};

/* Paths found; the live ones may also look in /proc. */
struct rmt_exes;

/* Looks in /proc for threads it has not been asked of yet (live capture). */
struct rmt_exes *rmt_exes_live(void);
/* Holds only what rmt_exes_add() gives it: a capture file's table. */
struct rmt_exes *rmt_exes_table(void);
/*
 * The path of the file @task runs; NULL when the record names none or no
 * path to that very file is known. The answer lives as long as @x.
 */
const char *rmt_exe_path(struct rmt_exes *x, const struct rmt_task *task);
/* Into a table: @key's file is at @path. */
void rmt_exes_add(struct rmt_exes *x, const struct rmt_exe_key *key, const char *path);
/* Every key with a path, in key order. */
void rmt_exes_each(struct rmt_exes *x,
		   void (*fn)(void *ctx, const struct rmt_exe_key *key, const char *path),
		   void *ctx);
void rmt_exes_close(struct rmt_exes *x);

#endif /* RMT_EXES_H */
