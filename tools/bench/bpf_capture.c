// SPDX-License-Identifier: GPL-2.0
/*
 * Loader of bpf_capture.bpf.c for make bench: loads it, attaches it to the
 * raw syscall tracepoints and, until SIGINT or SIGTERM, either leaves its
 * records queued ("hold": the cost of recording alone, as the module's
 * boot session with nobody reading) or takes them as they come ("drain").
 * Then it takes what is queued and prints, on standard error,
 * "bpf_capture: N calls, N records lost, N messages, N address bytes" (calls:
 * exit records; messages and the bytes of their source addresses: theirs).
 *
 * usage: bpf_capture OBJECT hold|drain [RINGBUF_BYTES]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/recvmmsg_trace.h>

static volatile sig_atomic_t stop;
static unsigned long long enters, exits, msgs, name_bytes;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int count(void *ctx, void *data, size_t size)
{
	const struct rmt_record_header *h = data;

	(void)ctx;
	if (size < sizeof(*h) || h->size != size)
		return -EINVAL;
	if (h->type == RMT_REC_ENTER)
		enters++;
	if (h->type == RMT_REC_EXIT) {
		const struct rmt_exit_record *x = data;
		__u32 i;

		if (size != sizeof(*x) + x->call.nr_msgs * sizeof(x->msgs[0]))
			return -EINVAL;
		exits++;
		msgs += x->call.nr_msgs;
		for (i = 0; i < x->call.nr_msgs; i++)
			name_bytes += x->msgs[i].name_bytes;
	}
	return 0;
}

/* The sum over CPUs of the program's count of records the ring refused. */
static unsigned long long lost(struct bpf_object *obj)
{
	int fd = bpf_object__find_map_fd_by_name(obj, "lost");
	int cpus = libbpf_num_possible_cpus(), i;
	unsigned long long sum = 0, *per_cpu;
	unsigned int zero = 0;

	if (fd < 0 || cpus <= 0)
		return 0;
	per_cpu = calloc((size_t)cpus, sizeof(*per_cpu));
	if (!per_cpu)
		return 0;
	if (!bpf_map_lookup_elem(fd, &zero, per_cpu))
		for (i = 0; i < cpus; i++)
			sum += per_cpu[i];
	free(per_cpu);
	return sum;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct bpf_program *prog;
	sigset_t stops, others;
	struct ring_buffer *rb;
	struct bpf_object *obj;
	int hold, err;

	/*
	 * Caught from the start (a background job of a shell starts with
	 * SIGINT ignored), and let through only while waiting.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &others);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (argc < 3 || argc > 4 || (strcmp(argv[2], "hold") && strcmp(argv[2], "drain"))) {
		fprintf(stderr, "usage: bpf_capture OBJECT hold|drain [RINGBUF_BYTES]\n");
		return 2;
	}
	hold = !strcmp(argv[2], "hold");
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "bpf_capture: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (argc == 4 &&
	    bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "records"),
				     (__u32)strtoul(argv[3], NULL, 0))) {
		fprintf(stderr, "bpf_capture: ring buffer size %s refused\n", argv[3]);
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "bpf_capture: load: %s\n", strerror(-err));
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "bpf_capture: attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			return 1;
		}
	}
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "records"), count, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "bpf_capture: ring buffer: %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "bpf_capture: attached\n");
	if (hold) {
		while (!stop)
			sigsuspend(&others);
	} else {
		/* Polls of 0.1 s: a stop waits for the next at most. */
		sigprocmask(SIG_SETMASK, &others, NULL);
		while (!stop)
			if (ring_buffer__poll(rb, 100) < 0 && errno != EINTR)
				break;
		sigprocmask(SIG_BLOCK, &stops, NULL);
	}
	err = ring_buffer__consume(rb);
	fprintf(stderr,
		"bpf_capture: %llu calls, %llu records lost, %llu messages, %llu address bytes%s\n",
		exits, lost(obj), msgs, name_bytes,
		err < 0 || enters != exits ? " (enter and exit records differ)" : "");
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
