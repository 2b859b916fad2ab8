// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU record buffers of a session.
 *
 * Each CPU owns a byte kfifo. The probe is the only writer of its CPU's
 * kfifo, with preemption disabled around the push, so a probe that runs
 * preemptible (faultable syscall tracepoints) cannot migrate or be
 * interleaved with another task's push on the same CPU. Syscall tracepoints
 * never fire in interrupt context, so nothing else writes there. The
 * session's reader is the only one to take records out, so each kfifo has
 * one reader and one writer and needs no lock.
 *
 * A record is pushed whole or not at all. When it does not fit it is
 * counted in @lost, and the next push that has room for both first writes a
 * LOST record carrying that count.
 */
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/kfifo.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "buffer.h"
#include "stats.h"

struct rmt_cpu_buffer {
	struct kfifo fifo;
	void *data;
	u64 lost;		/* dropped since the last LOST record */
};

bool rmt_ring_size_ok(unsigned int bytes)
{
	return bytes >= RMT_BUFFER_MIN_BYTES && bytes <= RMT_BUFFER_MAX_BYTES &&
	       is_power_of_2(bytes);
}

void rmt_ring_free(struct rmt_ring *ring)
{
	int cpu;

	if (!ring)
		return;
	if (ring->cpus)
		for_each_possible_cpu(cpu)
			kvfree(per_cpu_ptr(ring->cpus, cpu)->data);
	free_percpu(ring->cpus);
	free_percpu(ring->stats);
	kfree(ring);
}

struct rmt_ring *rmt_ring_new(unsigned int bytes)
{
	struct rmt_ring *ring;
	int cpu;

	if (WARN_ON_ONCE(!rmt_ring_size_ok(bytes)))
		return NULL;
	/* Charged to the opener's memory cgroup; a failure is an ENOMEM. */
	ring = kzalloc(sizeof(*ring), GFP_KERNEL_ACCOUNT);
	if (!ring)
		return NULL;
	ring->bytes = bytes;
	atomic64_set(&ring->bad_records, 0);
	ring->cpus = alloc_percpu_gfp(struct rmt_cpu_buffer, GFP_KERNEL_ACCOUNT);
	ring->stats = alloc_percpu_gfp(struct rmt_cpu_stats, GFP_KERNEL_ACCOUNT);
	if (!ring->cpus || !ring->stats)
		goto fail;
	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(ring->cpus, cpu);

		b->data = kvmalloc_node(bytes, GFP_KERNEL_ACCOUNT | __GFP_NOWARN,
					cpu_to_node(cpu));
		if (!b->data)
			goto fail;
		/* @bytes is a power of two, so nothing is rounded off. */
		if (kfifo_init(&b->fifo, b->data, bytes))
			goto fail;
	}
	ring->drain_start = cpumask_first(cpu_possible_mask);
	return ring;
fail:
	rmt_ring_free(ring);
	return NULL;
}

/*
 * Caller is @cpu's only writer: its probe with the CPU pinned, or the
 * control path while no probe writes. The LOST record takes @time_ns, the
 * time of the record it precedes, so that each CPU's records stay in time
 * order.
 */
static bool rmt_push_lost(struct rmt_ring *ring, struct rmt_cpu_buffer *b, int cpu,
			  unsigned int room, u64 time_ns)
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
	rmt_stat_inc(ring->stats, cpu, RMT_STAT_LOST_RECORDS);
	return true;
}

unsigned int rmt_ring_push(struct rmt_ring *ring, struct rmt_record_header *hdr)
{
	struct rmt_cpu_buffer *b;
	int cpu;

	lockdep_assert_preemption_disabled();
	cpu = smp_processor_id();
	b = this_cpu_ptr(ring->cpus);
	hdr->cpu = cpu;

	if (unlikely(b->lost) && !rmt_push_lost(ring, b, cpu, hdr->size, hdr->time_ns)) {
		b->lost++;
		return 0;
	}
	if (unlikely(kfifo_avail(&b->fifo) < hdr->size)) {
		b->lost++;
		return 0;
	}
	kfifo_in(&b->fifo, hdr, hdr->size);
	/* Never 0: the reader may have taken the record already. */
	return max_t(unsigned int, kfifo_len(&b->fifo), hdr->size);
}

void rmt_ring_flush_lost(struct rmt_ring *ring)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(ring->cpus, cpu);

		/* After every record of that CPU: none is being made. */
		if (b->lost)
			rmt_push_lost(ring, b, cpu, 0, ktime_get_ns());
	}
}

void rmt_ring_reset(struct rmt_ring *ring)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rmt_cpu_buffer *b = per_cpu_ptr(ring->cpus, cpu);

		kfifo_reset(&b->fifo);
		b->lost = 0;
	}
	rmt_stats_zero(ring->stats);
	atomic64_set(&ring->bad_records, 0);
}

bool rmt_ring_has_data(struct rmt_ring *ring)
{
	int cpu;

	for_each_possible_cpu(cpu)
		if (!kfifo_is_empty(&per_cpu_ptr(ring->cpus, cpu)->fifo))
			return true;
	return false;
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
 * records waiting until they overflow. Returns the bytes moved; 0 with
 * *@too_small when records are queued but the first of each CPU is larger
 * than @room.
 */
size_t rmt_ring_take(struct rmt_ring *ring, void *dst, size_t room, bool *too_small)
{
	unsigned int start, cpu, i, n = nr_cpu_ids;
	size_t done = 0;

	*too_small = false;
	start = ring->drain_start;
	ring->drain_start = cpumask_next(start, cpu_possible_mask);
	if (ring->drain_start >= n)
		ring->drain_start = cpumask_first(cpu_possible_mask);

	for (i = 0, cpu = start; i < n; i++, cpu = (cpu + 1) % n) {
		struct kfifo *fifo;
		struct rmt_record_header hdr;

		if (!cpu_possible(cpu))
			continue;
		fifo = &per_cpu_ptr(ring->cpus, cpu)->fifo;
		while (kfifo_out_peek(fifo, &hdr, sizeof(hdr)) == sizeof(hdr)) {
			if (WARN_ON_ONCE(!rmt_header_sane(&hdr, cpu, kfifo_len(fifo)))) {
				/* The reader's end only: the probe may be writing. */
				kfifo_reset_out(fifo);
				atomic64_inc(&ring->bad_records);
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
