// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU record buffers.
 *
 * Each CPU owns a byte kfifo. The probe is the only writer of its CPU's
 * kfifo: it disables preemption around the push, so a probe that runs
 * preemptible (faultable syscall tracepoints) cannot migrate or be
 * interleaved with another task's push on the same CPU. Syscall tracepoints
 * never fire in interrupt context, so nothing else writes there. Readers
 * take @rmt_drain_lock, so each kfifo has one reader and one writer and
 * needs no other lock. The lock is held only to move records into kernel
 * memory: copying them to user space, which may fault or block for as long
 * as the user likes (userfaultfd, FUSE), is done by the device without it.
 *
 * A record is pushed whole or not at all. When it does not fit it is
 * counted in @lost, and the next push that has room for both first writes a
 * LOST record carrying that count.
 *
 * Waking a reader takes the wait queue's lock, which is a sleeping lock on
 * PREEMPT_RT and must not be taken from the probe. The probe queues an
 * irq_work instead, and the irq_work does the wake-up; only when a reader
 * sleeps, so that a reader busy draining costs the probe no interrupt.
 * With a wake-up threshold the probe wakes readers only past it, and a
 * poller run every 100 ms while capture is on delivers what stays below.
 */
#include <linux/irq_work.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/kfifo.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "buffer.h"
#include "params.h"
#include "stats.h"

struct rmt_cpu_buffer {
	struct kfifo fifo;
	void *data;
	u64 lost;		/* dropped since the last LOST record */
};

static DEFINE_PER_CPU(struct rmt_cpu_buffer, rmt_buffers);
static unsigned int rmt_bytes_per_cpu;
static DECLARE_WAIT_QUEUE_HEAD(rmt_readers);
static struct irq_work rmt_wake_work;
static struct delayed_work rmt_wake_poll;
static bool rmt_polling;	/* changed only by the capture control path */
/* One drainer at a time: each kfifo has one reader (kfifo's lock-free rule). */
static DEFINE_MUTEX(rmt_drain_lock);
static unsigned int rmt_drain_start;	/* CPU the next take starts at */
static unsigned long rmt_drain_gen;	/* resets so far; under the lock */
static bool rmt_drain_contended;	/* a reader found the lock taken */
static atomic64_t rmt_bad_records = ATOMIC64_INIT(0);
static atomic64_t rmt_discarded_records = ATOMIC64_INIT(0);

#define RMT_WAKE_POLL_INTERVAL	(HZ / 10)

static void rmt_wake_readers(struct irq_work *work)
{
	wake_up_interruptible(&rmt_readers);
}

static void rmt_wake_poll_fn(struct work_struct *work)
{
	if (rmt_buffer_has_data())
		wake_up_interruptible(&rmt_readers);
	if (READ_ONCE(rmt_polling))
		schedule_delayed_work(&rmt_wake_poll, RMT_WAKE_POLL_INTERVAL);
}

void rmt_buffer_poll_start(void)
{
	WRITE_ONCE(rmt_polling, true);
	schedule_delayed_work(&rmt_wake_poll, RMT_WAKE_POLL_INTERVAL);
}

void rmt_buffer_poll_stop(void)
{
	WRITE_ONCE(rmt_polling, false);
	cancel_delayed_work_sync(&rmt_wake_poll);
}

unsigned int rmt_buffer_bytes(void)
{
	return rmt_bytes_per_cpu;
}

static void rmt_buffer_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(&rmt_buffers, cpu);

		vfree(b->data);
		b->data = NULL;
	}
}

int rmt_buffer_init(unsigned int bytes_per_cpu)
{
	int cpu;

	init_irq_work(&rmt_wake_work, rmt_wake_readers);
	INIT_DELAYED_WORK(&rmt_wake_poll, rmt_wake_poll_fn);
	rmt_bytes_per_cpu = bytes_per_cpu;
	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(&rmt_buffers, cpu);

		b->data = vmalloc_node(bytes_per_cpu, cpu_to_node(cpu));
		if (!b->data) {
			rmt_buffer_free();
			return -ENOMEM;
		}
		/* bytes_per_cpu is a power of two, so nothing is rounded off. */
		if (kfifo_init(&b->fifo, b->data, bytes_per_cpu)) {
			rmt_buffer_free();
			return -EINVAL;
		}
		b->lost = 0;
	}
	return 0;
}

void rmt_buffer_exit(void)
{
	irq_work_sync(&rmt_wake_work);
	rmt_buffer_free();
}

/*
 * Caller is @cpu's only writer: its probe with the CPU pinned, or the
 * control path while no probe runs. The LOST record takes @time_ns, the
 * time of the record it precedes, so that each CPU's records stay in time
 * order.
 */
static bool rmt_push_lost(struct rmt_cpu_buffer *b, int cpu, unsigned int room,
			  u64 time_ns)
{
	struct rmt_lost_record lost = {
		.hdr = {
			.type = RMT_REC_LOST,
			.size = sizeof(lost),
			.cpu = cpu,
			.time_ns = time_ns,
		},
		.count = b->lost,
	};

	if (kfifo_avail(&b->fifo) < sizeof(lost) + room)
		return false;
	kfifo_in(&b->fifo, &lost, sizeof(lost));
	b->lost = 0;
	rmt_stat_inc(cpu, RMT_STAT_LOST_RECORDS);
	return true;
}

bool rmt_buffer_push(struct rmt_record_header *hdr)
{
	unsigned int threshold = READ_ONCE(rmt_wakeup_bytes);
	struct rmt_cpu_buffer *b;
	bool written = false;
	int cpu;

	preempt_disable_notrace();
	cpu = smp_processor_id();
	b = this_cpu_ptr(&rmt_buffers);
	hdr->cpu = cpu;
	hdr->time_ns = ktime_get_ns();

	if (unlikely(b->lost) && !rmt_push_lost(b, cpu, hdr->size, hdr->time_ns)) {
		b->lost++;
	} else if (unlikely(kfifo_avail(&b->fifo) < hdr->size)) {
		b->lost++;
	} else {
		kfifo_in(&b->fifo, hdr, hdr->size);
		written = true;
		/*
		 * Only a reader asleep needs the irq_work: one that is
		 * draining will find this record without an interrupt.
		 * wq_has_sleeper()'s barrier pairs with the one in
		 * prepare_to_wait() and poll_wait(), so a reader going to
		 * sleep either sees this record or is seen here.
		 */
		if ((!threshold || kfifo_len(&b->fifo) >= threshold) &&
		    wq_has_sleeper(&rmt_readers))
			irq_work_queue(&rmt_wake_work);
	}
	preempt_enable_notrace();
	return written;
}

void rmt_buffer_flush_lost(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(&rmt_buffers, cpu);

		/* After every record of that CPU: none is being made. */
		if (b->lost)
			rmt_push_lost(b, cpu, 0, ktime_get_ns());
	}
	wake_up_interruptible(&rmt_readers);
}

/*
 * Empty every buffer, with no probe running. Records that readers took
 * before and have not delivered yet are of the old generation: the device
 * drops them instead of delivering them after the reset.
 */
void rmt_buffer_reset(void)
{
	int cpu;

	mutex_lock(&rmt_drain_lock);
	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(&rmt_buffers, cpu);

		kfifo_reset(&b->fifo);
		b->lost = 0;
	}
	WRITE_ONCE(rmt_drain_gen, rmt_drain_gen + 1);
	atomic64_set(&rmt_bad_records, 0);
	atomic64_set(&rmt_discarded_records, 0);
	mutex_unlock(&rmt_drain_lock);
}

unsigned long rmt_buffer_generation(void)
{
	return READ_ONCE(rmt_drain_gen);
}

bool rmt_buffer_has_data(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (!kfifo_is_empty(&per_cpu_ptr(&rmt_buffers, cpu)->fifo))
			return true;
	return false;
}

/*
 * The lock is held only to move records into kernel memory. A reader that
 * must not sleep and finds it taken gets -EAGAIN, and the holder wakes the
 * readers when it lets go, so that an edge-triggered poller whose data is
 * still there hears of it again.
 */
int rmt_buffer_lock_readers(bool nonblock)
{
	if (!nonblock)
		return mutex_lock_interruptible(&rmt_drain_lock) ? -ERESTARTSYS : 0;
	if (mutex_trylock(&rmt_drain_lock))
		return 0;
	WRITE_ONCE(rmt_drain_contended, true);
	return -EAGAIN;
}

void rmt_buffer_unlock_readers(void)
{
	mutex_unlock(&rmt_drain_lock);
	if (READ_ONCE(rmt_drain_contended) && xchg(&rmt_drain_contended, false) &&
	    rmt_buffer_has_data())
		wake_up_interruptible(&rmt_readers);
}

u64 rmt_buffer_bad_records(void)
{
	return atomic64_read(&rmt_bad_records);
}

void rmt_buffer_discarded(unsigned int records)
{
	atomic64_add(records, &rmt_discarded_records);
}

u64 rmt_buffer_discarded_records(void)
{
	return atomic64_read(&rmt_discarded_records);
}

/*
 * Only the probe writes records, so a header that cannot be right means
 * the kfifo's bytes are not what we think: nothing after it on this CPU
 * can be trusted either.
 */
static bool rmt_header_sane(const struct rmt_record_header *hdr, unsigned int cpu,
			    unsigned int queued)
{
	return hdr->size >= sizeof(*hdr) && hdr->size <= RMT_RECORD_MAX_SIZE &&
	       hdr->size <= queued && hdr->cpu == cpu &&
	       hdr->type >= RMT_REC_ENTER && hdr->type <= RMT_REC_LOST;
}

/*
 * Move as many whole records as fit in @room bytes into @dst, kernel
 * memory, so that nothing here can fault or block. Each call starts one
 * CPU further than the last, so that a busy CPU cannot keep the others'
 * records waiting until they overflow. Returns the bytes moved, and in
 * *@gen the generation they belong to; 0 with *@too_small when records
 * are queued but the first of each CPU is larger than @room.
 */
size_t rmt_buffer_take(void *dst, size_t room, bool *too_small, unsigned long *gen)
{
	unsigned int start, cpu, i, n = nr_cpu_ids;
	size_t done = 0;

	lockdep_assert_held(&rmt_drain_lock);
	*too_small = false;
	*gen = rmt_drain_gen;
	start = rmt_drain_start;
	rmt_drain_start = cpumask_next(start, cpu_possible_mask);
	if (rmt_drain_start >= n)
		rmt_drain_start = cpumask_first(cpu_possible_mask);

	for (i = 0, cpu = start; i < n; i++, cpu = (cpu + 1) % n) {
		struct kfifo *fifo;
		struct rmt_record_header hdr;

		if (!cpu_possible(cpu))
			continue;
		fifo = &per_cpu_ptr(&rmt_buffers, cpu)->fifo;
		while (kfifo_out_peek(fifo, &hdr, sizeof(hdr)) == sizeof(hdr)) {
			if (WARN_ON_ONCE(!rmt_header_sane(&hdr, cpu, kfifo_len(fifo)))) {
				/* The reader's end only: the probe may be writing. */
				kfifo_reset_out(fifo);
				atomic64_inc(&rmt_bad_records);
				break;
			}
			if (hdr.size > room - done) {
				*too_small = !done;
				break;
			}
			done += kfifo_out(fifo, (char *)dst + done, hdr.size);
		}
	}
	if (done)
		*too_small = false;
	return done;
}

int rmt_buffer_wait(void)
{
	return wait_event_interruptible(rmt_readers, rmt_buffer_has_data());
}

void rmt_buffer_poll_wait(struct file *file, poll_table *pt)
{
	poll_wait(file, &rmt_readers, pt);
	/* Pairs with wq_has_sleeper() in the probe: see rmt_buffer_push(). */
	smp_mb();
}
