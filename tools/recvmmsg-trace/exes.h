/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file a call's process runs, Tracee's "executable": each enter record
 * names it by inode and device, read in the kernel at the call, and the
 * reader looks for a path to it in /proc/PID/exe. The path is taken only
 * when the file there is that inode: a process that has exited since (its
 * pid perhaps reused) or run execve gives no path, never another program's.
 */
#ifndef RMT_EXES_H
#define RMT_EXES_H

#include <stdint.h>
#include <linux/recvmmsg_trace.h>

/* Paths found, by file; the live ones may also look in /proc. */
struct rmt_exes;

/* Looks in /proc for files it does not hold yet (live capture). */
struct rmt_exes *rmt_exes_live(void);
/* Holds only what rmt_exes_add() gives it: a capture file's table. */
struct rmt_exes *rmt_exes_table(void);
/*
 * The path of the file @task runs; NULL when the record names none or no
 * path to that very file is known. The answer lives as long as @x.
 */
const char *rmt_exe_path(struct rmt_exes *x, const struct rmt_task *task);
/* Into a table: the file of inode @ino on device @major:@minor is @path. */
void rmt_exes_add(struct rmt_exes *x, uint32_t major, uint32_t minor, uint64_t ino,
		  const char *path);
/* Every file with its path, in (device, inode) order. */
void rmt_exes_each(struct rmt_exes *x,
		   void (*fn)(void *ctx, uint32_t major, uint32_t minor, uint64_t ino,
			      const char *path),
		   void *ctx);
void rmt_exes_close(struct rmt_exes *x);

#endif /* RMT_EXES_H */
