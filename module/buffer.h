/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU record buffers: the probe side pushes whole records, the device
 * side drains them. One writer per CPU (the probe, with the CPU pinned) and
 * one reader at a time (rmt_buffer_lock_readers()), which is the kfifo
 * lock-free rule.
 */
#ifndef RMT_BUFFER_H
#define RMT_BUFFER_H

#include <linux/poll.h>
#include <linux/types.h>
#include <linux/recvmmsg_trace.h>

#define RMT_BUFFER_MIN_BYTES	8192U
#define RMT_BUFFER_MAX_BYTES	(64U << 20)

int rmt_buffer_init(unsigned int bytes_per_cpu);
void rmt_buffer_exit(void);
unsigned int rmt_buffer_bytes(void);

/*
 * Probe side: may run preemptible; never sleeps, locks or allocates.
 * Returns false when the record did not fit (it is counted as lost).
 */
bool rmt_buffer_push(struct rmt_record_header *hdr);

/* Control side, only while no probe can run. */
void rmt_buffer_flush_lost(void);	/* emit pending LOST records */
void rmt_buffer_reset(void);		/* empty every buffer, a new generation */
void rmt_buffer_poll_start(void);	/* wake readers every 100 ms ... */
void rmt_buffer_poll_stop(void);	/* ... until this */

/*
 * Reader side. Taking records needs the readers' lock, held only while
 * records move to kernel memory; with @nonblock it is never waited for
 * (-EAGAIN).
 */
int rmt_buffer_lock_readers(bool nonblock);
void rmt_buffer_unlock_readers(void);
size_t rmt_buffer_take(void *dst, size_t room, bool *too_small, unsigned long *gen);
bool rmt_buffer_has_data(void);
/* Records taken before the last reset are of an older generation. */
unsigned long rmt_buffer_generation(void);
/* Records found with an impossible header (their CPU's buffer emptied). */
u64 rmt_buffer_bad_records(void);
/* Records a file took but never delivered: it was closed first. */
void rmt_buffer_discarded(unsigned int records);
u64 rmt_buffer_discarded_records(void);
int rmt_buffer_wait(void);
void rmt_buffer_poll_wait(struct file *file, poll_table *pt);

#endif /* RMT_BUFFER_H */
