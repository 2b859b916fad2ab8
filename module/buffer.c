// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU record buffers.
 *
 * Each CPU owns a byte kfifo. The probe is the only writer of its CPU's
 * kfifo: it disables preemption around the push, so a probe that runs
 * preemptible (faultable syscall tracepoints) cannot migrate or be
 * interleaved with another task's push on the same CPU. Syscall tracepoints
 * never fire in interrupt context, so nothing else writes there. The device
 * serializes readers, so each kfifo has one reader and one writer and needs
 * no lock.
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
#include <linux/kfifo.h>
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
 * control path while no probe runs.
 */
static bool rmt_push_lost(struct rmt_cpu_buffer *b, int cpu, unsigned int room)
{
	struct rmt_lost_record lost = {
		.hdr = {
			.type = RMT_REC_LOST,
			.size = sizeof(lost),
			.cpu = cpu,
			.time_ns = ktime_get_ns(),
		},
		.count = b->lost,
	};

	if (kfifo_avail(&b->fifo) < sizeof(lost) + room)
		return false;
	kfifo_in(&b->fifo, &lost, sizeof(lost));
	b->lost = 0;
	/* @cpu's counter: its probe (preemption off) or, with none running, us. */
	per_cpu_ptr(&rmt_cpu_stats, cpu)->lost_records++;
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

	if (unlikely(b->lost) && !rmt_push_lost(b, cpu, hdr->size)) {
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

		if (b->lost)
			rmt_push_lost(b, cpu, 0);
	}
	wake_up_interruptible(&rmt_readers);
}

void rmt_buffer_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(&rmt_buffers, cpu);

		kfifo_reset(&b->fifo);
		b->lost = 0;
	}
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
 * Copy as many whole records as fit into @buf, draining CPU after CPU.
 * Returns the bytes copied, 0 when every buffer is empty, -EINVAL when
 * records are queued but none fits in @count, -EFAULT when @buf faults
 * before anything was copied. A record that faults stays queued.
 */
ssize_t rmt_buffer_read(char __user *buf, size_t count)
{
	bool too_small = false;
	size_t done = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct kfifo *fifo = &per_cpu_ptr(&rmt_buffers, cpu)->fifo;
		struct rmt_record_header hdr;
		unsigned int copied;

		while (kfifo_out_peek(fifo, &hdr, sizeof(hdr)) == sizeof(hdr)) {
			if (hdr.size > count - done) {
				too_small = true;
				break;
			}
			if (kfifo_to_user(fifo, buf + done, hdr.size, &copied))
				return done ? done : -EFAULT;
			done += copied;
		}
	}
	if (!done && too_small)
		return -EINVAL;
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
