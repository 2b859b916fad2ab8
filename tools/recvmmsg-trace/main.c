// SPDX-License-Identifier: GPL-2.0
/*
 * recvmmsg-trace: read /dev/recvmmsg_trace and print one line per call.
 *
 * This file holds the command line and the device session: open, check the
 * ABI, enable capture, read records until stopped, disable, drain.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <limits.h>
#include <stdint.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "calls.h"
#include "capfile.h"
#include "device.h"
#include "output.h"
#include "records.h"
#include "summary.h"

#ifndef RMT_VERSION
#error "RMT_VERSION must be defined by the build"
#endif

#define RMT_READ_BYTES	(1 << 20)

struct rmt_opts {
	const char *device;
	unsigned long long max_calls;	/* 0: no limit */
	bool json;
	bool stats;			/* print the module's counters at the end */
	bool summary;			/* per-process table instead of calls */
	double duration;		/* -d: stop after this many seconds; 0: no */
	const char *write_path;		/* -w: also save the raw records */
	const char *read_path;		/* -r: decode a capture file instead */
	struct rmt_session_opts session;
	bool status;			/* --status: show the module's state */
	bool disable;			/* --disable: capture off for everyone */
	unsigned int session_args;	/* options other than -D and those two */
};

static volatile sig_atomic_t rmt_stop;

static void rmt_on_signal(int sig)
{
	(void)sig;
	rmt_stop = 1;
}

static void rmt_usage(FILE *f)
{
	fprintf(f,
		"Usage: recvmmsg-trace [OPTION]...\n"
		"Print the recvmmsg_time32 system calls of 32-bit processes, one per line,\n"
		"as recorded by the recvmmsg_trace kernel module.\n"
		"\n"
		"  -n, --count=COUNT    stop after COUNT calls\n"
		"  -d, --duration=SECS  stop after SECS seconds (fractions allowed)\n"
		"      --summary        instead of one line per call, print a table per\n"
		"                       process at the end: calls, messages, bytes, errors,\n"
		"                       median and 99th percentile duration (like strace -c)\n"
		"  -o, --output=FORMAT  text (strace-like, the default) or json (JSON Lines\n"
		"                       with Tracee's event keys)\n"
		"      --json           the same as -o json\n"
		"  -D, --device=PATH    read PATH instead of %s\n"
		"  -w, --write=FILE     also save the raw records to capture file FILE\n"
		"  -r, --read=FILE      decode capture file FILE (no device, no module)\n"
		"\n"
		"Filter (in the kernel; all given must match; the previous filter and\n"
		"config come back when the reader ends):\n"
		"  -p, --pid=PID        only process PID (host id); repeat for up to %d\n"
		"  -u, --uid=UID        only calls by real uid UID\n"
		"  -G, --cgroup=PATH    only processes in cgroup v2 directory PATH or below\n"
		"  -f, --fd=FD          only calls on file descriptor FD\n"
		"  -c, --comm=NAME      only processes whose command name is exactly NAME\n"
		"      --all            no filter: every call, even with a filter in force\n"
		"                       that this session did not set\n"
		"  -s, --snaplen=N      capture the first N message headers of each call (1-%d)\n"
		"      --no-exit        record calls at entry only (no results, less load)\n"
		"      --wakeup=BYTES   wake up to read once a CPU has BYTES of records\n"
		"                       queued (0: for every record; default a quarter of\n"
		"                       the buffer); fewer remain queued at most 0.1 s\n"
		"      --stats          at the end, print the module's counters per CPU\n"
		"\n"
		"Module:\n"
		"      --status         show the module's version, whether capture is on and\n"
		"                       why, the filter and config in force, the counters\n"
		"      --disable        turn capture off for everyone, whoever turned it on\n"
		"                       (the module's enable=1, readers still running)\n"
		"\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Stop with Ctrl-C (SIGINT), SIGTERM or SIGHUP, or by closing the output\n"
		"(| head): capture stops unless something else keeps it on, and a summary\n"
		"of calls and lost records goes to standard error.\n",
		RMT_DEVICE_PATH, RMT_FILTER_MAX_TGIDS, RMT_SNAPLEN_MAX);
}

/* A decimal number in [min, max]; false (and a message) otherwise. */
static bool rmt_parse_num(const char *what, const char *arg, unsigned long long min,
			  unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(arg, &end, 10);
	if (errno || *end || !*arg || arg[0] == '-' || *out < min || *out > max) {
		fprintf(stderr, "recvmmsg-trace: bad %s '%s'\n", what, arg);
		return false;
	}
	return true;
}

/* A number of seconds, more than 0 and at most a year. */
static bool rmt_parse_seconds(const char *arg, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || *end || end == arg || !(*out > 0) || *out > 366 * 86400.0) {
		fprintf(stderr, "recvmmsg-trace: bad duration '%s' (seconds, e.g. 10 or 0.5)\n",
			arg);
		return false;
	}
	return true;
}

static int rmt_parse_opts(int argc, char **argv, struct rmt_opts *o)
{
	enum {
		OPT_JSON = 256, OPT_NO_EXIT, OPT_STATS, OPT_SUMMARY, OPT_WAKEUP, OPT_ALL,
		OPT_STATUS, OPT_DISABLE,
	};
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "device", required_argument, NULL, 'D' },
		{ "write", required_argument, NULL, 'w' },
		{ "read", required_argument, NULL, 'r' },
		{ "pid", required_argument, NULL, 'p' },
		{ "uid", required_argument, NULL, 'u' },
		{ "cgroup", required_argument, NULL, 'G' },
		{ "fd", required_argument, NULL, 'f' },
		{ "comm", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "snaplen", required_argument, NULL, 's' },
		{ "no-exit", no_argument, NULL, OPT_NO_EXIT },
		{ "wakeup", required_argument, NULL, OPT_WAKEUP },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "disable", no_argument, NULL, OPT_DISABLE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rmt_filter *f = &o->session.filter;
	unsigned long long v;
	struct stat st;
	int c;

	o->device = RMT_DEVICE_PATH;
	o->session.wakeup_bytes = RMT_WAKEUP_DEFAULT;
	while ((c = getopt_long(argc, argv, "n:d:o:D:w:r:p:u:G:f:c:s:hV", longopts, NULL)) != -1) {
		if (c != 'D' && c != OPT_STATUS && c != OPT_DISABLE)
			o->session_args++;
		switch (c) {
		case 'n':
			if (!rmt_parse_num("count", optarg, 1, ULLONG_MAX, &o->max_calls))
				return 2;
			break;
		case 'd':
			if (!rmt_parse_seconds(optarg, &o->duration))
				return 2;
			break;
		case OPT_SUMMARY:
			o->summary = true;
			break;
		case 'o':
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				fprintf(stderr, "recvmmsg-trace: bad output format '%s' (text or json)\n",
					optarg);
				return 2;
			}
			o->json = !strcmp(optarg, "json");
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case 'D':
			o->device = optarg;
			break;
		case 'w':
			o->write_path = optarg;
			break;
		case 'r':
			o->read_path = optarg;
			break;
		case 'p':
			if (!rmt_parse_num("pid", optarg, 1, INT32_MAX, &v))
				return 2;
			if (f->nr_tgids == RMT_FILTER_MAX_TGIDS) {
				fprintf(stderr, "recvmmsg-trace: at most %d pids\n",
					RMT_FILTER_MAX_TGIDS);
				return 2;
			}
			f->flags |= RMT_FILTER_TGIDS;
			f->tgids[f->nr_tgids++] = (__u32)v;
			break;
		case 'u':
			if (!rmt_parse_num("uid", optarg, 0, UINT32_MAX - 1, &v))
				return 2;
			f->flags |= RMT_FILTER_UID;
			f->uid = (__u32)v;
			break;
		case 'G':
			if (stat(optarg, &st) || !S_ISDIR(st.st_mode)) {
				fprintf(stderr, "recvmmsg-trace: bad cgroup directory '%s'\n", optarg);
				return 2;
			}
			/* A cgroup v2 id is the inode number of its directory. */
			f->flags |= RMT_FILTER_CGROUP | RMT_FILTER_CGROUP_TREE;
			f->cgroup_id = st.st_ino;
			break;
		case 'f':
			if (!rmt_parse_num("fd", optarg, 0, INT32_MAX, &v))
				return 2;
			f->flags |= RMT_FILTER_FD;
			f->fd = (__s32)v;
			break;
		case 'c':
			if (!*optarg || strlen(optarg) >= sizeof(f->comm)) {
				fprintf(stderr, "recvmmsg-trace: bad comm '%s' (1 to %zu bytes)\n",
					optarg, sizeof(f->comm) - 1);
				return 2;
			}
			f->flags |= RMT_FILTER_COMM;
			strncpy(f->comm, optarg, sizeof(f->comm) - 1);
			break;
		case OPT_ALL:
			o->session.all = true;
			break;
		case OPT_STATUS:
			o->status = true;
			break;
		case OPT_DISABLE:
			o->disable = true;
			break;
		case 's':
			if (!rmt_parse_num("snaplen", optarg, RMT_SNAPLEN_MIN,
					   RMT_SNAPLEN_MAX, &v))
				return 2;
			o->session.snaplen = (unsigned int)v;
			break;
		case OPT_NO_EXIT:
			o->session.no_exit = true;
			break;
		case OPT_WAKEUP:
			if (!rmt_parse_num("wake-up threshold", optarg, 0, UINT32_MAX, &v))
				return 2;
			o->session.wakeup_bytes = (long long)v;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case 'h':
			rmt_usage(stdout);
			exit(0);
		case 'V':
			printf("recvmmsg-trace %s (ABI %d)\n", RMT_VERSION,
			       RMT_ABI_VERSION);
			exit(0);
		default:
			rmt_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "recvmmsg-trace: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	if ((o->status || o->disable) && (o->session_args || (o->status && o->disable))) {
		fprintf(stderr, "recvmmsg-trace: --status and --disable take no other option but -D\n");
		return 2;
	}
	if (o->session.all && f->flags) {
		fprintf(stderr, "recvmmsg-trace: --all and a filter option contradict each other\n");
		return 2;
	}
	if (o->read_path && (o->write_path || f->flags || o->session.all ||
			     o->session.snaplen || o->session.no_exit || o->stats ||
			     o->duration || o->session.wakeup_bytes != RMT_WAKEUP_DEFAULT)) {
		fprintf(stderr, "recvmmsg-trace: -r decodes a file: capture options do not apply\n");
		return 2;
	}
	return 0;
}

static int64_t rmt_epoch_offset(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((int64_t)rt.tv_sec - mono.tv_sec) * 1000000000 +
	       (rt.tv_nsec - mono.tv_nsec);
}

/*
 * Records queued while capture was off belong to an earlier session: drop
 * them so that this session prints only what it captured. (While capture is
 * on, another reader's session is running and nothing is dropped.)
 */
static void rmt_discard_stale(int fd, char *buf, size_t len,
			      struct rmt_record *recs, size_t max)
{
	int flags = fcntl(fd, F_GETFL);
	size_t skipped = 0, bad;
	long records = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while ((n = read(fd, buf, len)) > 0)
		records += rmt_records_decode(buf, (size_t)n, recs, max,
					      &skipped, &bad);
	fcntl(fd, F_SETFL, flags);
	if (records > 0)
		fprintf(stderr, "recvmmsg-trace: dropped %ld records left from an earlier capture\n",
			records);
}

/*
 * Decode one read()'s (or one file block's) worth of records, in time
 * order, into the tracker. @where names the source in messages; @base is
 * the stream offset of @buf.
 */
static int rmt_consume(struct rmt_tracker *t, const void *buf, size_t len,
		       struct rmt_record *recs, size_t max, unsigned long long limit,
		       const char *where, unsigned long long base)
{
	size_t skipped = 0, bad = 0, i;
	long n = rmt_records_decode(buf, len, recs, max, &skipped, &bad);

	if (n < 0) {
		fprintf(stderr, "recvmmsg-trace: %s: malformed record at byte offset %llu\n",
			where, base + bad);
		return -1;
	}
	if (skipped)
		fprintf(stderr, "recvmmsg-trace: %s: skipped %zu record(s) of a type this reader does not know\n",
			where, skipped);
	rmt_records_sort(recs, (size_t)n);
	for (i = 0; i < (size_t)n && (!limit || t->calls < limit); i++)
		rmt_tracker_feed(t, &recs[i]);
	rmt_tracker_keep(t);
	return 0;
}

/* Where calls go: the per-process table, JSON Lines or text. */
static void rmt_pick_sink(const struct rmt_opts *opts, struct rmt_sink *sink,
			  struct rmt_output *out, struct rmt_summary *summary)
{
	if (opts->summary)
		rmt_summary_sink(sink, summary);
	else if (opts->json)
		rmt_json_sink(sink, out);
	else
		rmt_text_sink(sink, out);
}

static double rmt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ppoll()'s timeout until @deadline (NULL: none); false once it has passed. */
static bool rmt_time_left(double deadline, struct timespec *left, struct timespec **arg)
{
	double rest;

	*arg = NULL;
	if (!deadline)
		return true;
	rest = deadline - rmt_now();
	if (rest <= 0)
		return false;
	left->tv_sec = (time_t)rest;
	left->tv_nsec = (long)((rest - (double)left->tv_sec) * 1e9);
	*arg = left;
	return true;
}

/*
 * Whether standard output still takes what is printed. When its reader went
 * away (recvmmsg-trace | head) the session ends as on Ctrl-C, quietly;
 * another write error is reported and fails the run.
 */
static bool rmt_output_ok(struct rmt_output *out, int *status)
{
	if (!rmt_output_flush(out))
		return true;
	if (errno != EPIPE) {
		fprintf(stderr, "recvmmsg-trace: standard output: %s\n", strerror(errno));
		*status = 1;
	}
	return false;
}

static int rmt_run(const struct rmt_opts *opts)
{
	struct rmt_output out = { .out = stdout, .epoch_offset_ns = rmt_epoch_offset() };
	size_t max_recs = RMT_READ_BYTES / sizeof(struct rmt_record_header);
	struct sigaction sa = { .sa_handler = rmt_on_signal };
	double deadline = opts->duration ? rmt_now() + opts->duration : 0;
	struct timespec left, *timeout;
	struct rmt_summary summary;
	struct rmt_tracker tracker;
	struct rmt_record *recs;
	sigset_t stop_signals, wait_mask;
	struct rmt_saved saved;
	struct rmt_sink sink;
	int fd, status = 0;
	FILE *capture = NULL;
	bool was_enabled, held, output_gone = false;
	uint32_t nr_cpus;
	char *buf;

	fd = rmt_dev_open(opts->device, &was_enabled, &nr_cpus);
	if (fd < 0)
		return 1;
	if (opts->write_path) {
		capture = fopen(opts->write_path, "wb");
		if (!capture || rmt_capfile_write_header(capture, nr_cpus,
							 out.epoch_offset_ns)) {
			fprintf(stderr, "recvmmsg-trace: %s: %s\n", opts->write_path,
				strerror(errno));
			return 1;
		}
	}
	buf = malloc(RMT_READ_BYTES);
	recs = calloc(max_recs, sizeof(*recs));
	if (!buf || !recs) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		return 1;
	}
	rmt_pick_sink(opts, &sink, &out, &summary);
	rmt_tracker_init(&tracker, &sink);
	tracker.enter_only = opts->session.no_exit;
	out.enter_only = opts->session.no_exit;
	if (!was_enabled)
		rmt_discard_stale(fd, buf, RMT_READ_BYTES, recs, max_recs);

	/*
	 * SIGINT, SIGTERM and SIGHUP (the terminal or ssh session went away)
	 * end the session: capture back off, filter and config put back. They
	 * are blocked except while waiting in ppoll(): a signal ends the wait,
	 * and never cuts a write to stdout short. SIGPIPE would kill the reader
	 * with capture left on: it is ignored, and the failed write ends the
	 * session instead.
	 */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGHUP);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

	if (rmt_dev_apply(fd, &opts->session, &saved)) {
		rmt_dev_restore(fd, &saved);
		return 1;
	}
	/*
	 * The session holds capture on: should the reader be killed outright,
	 * closing its descriptor ends the hold. A module without holds takes
	 * a standing enable, put back off at the end as before.
	 */
	held = !ioctl(fd, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD);
	if (!held && (errno != EINVAL || ioctl(fd, RMT_IOC_ENABLE, 0) < 0)) {
		fprintf(stderr, "recvmmsg-trace: cannot enable capture: %s\n",
			strerror(errno));
		rmt_dev_restore(fd, &saved);
		return 1;
	}
	while (!rmt_stop && (!opts->max_calls || tracker.calls < opts->max_calls) &&
	       rmt_time_left(deadline, &left, &timeout)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = read(fd, buf, RMT_READ_BYTES);

		if (n < 0 && errno == EAGAIN) {
			ppoll(&pfd, 1, timeout, &wait_mask);
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "recvmmsg-trace: read: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (capture && fwrite(buf, 1, (size_t)n, capture) != (size_t)n) {
			fprintf(stderr, "recvmmsg-trace: %s: %s\n", opts->write_path,
				strerror(errno));
			status = 1;
			break;
		}
		if (rmt_consume(&tracker, buf, (size_t)n, recs, max_recs,
				opts->max_calls, opts->device, 0)) {
			status = 1;
			break;
		}
		if (!rmt_output_ok(&out, &status)) {
			output_gone = true;
			break;
		}
	}

	/*
	 * Capture on before this session (enable=1, another reader) stays on:
	 * dropping the hold stops only what nobody else wants.
	 */
	if (held ? ioctl(fd, RMT_IOC_DISABLE, RMT_CAPTURE_HOLD) < 0 :
	    !was_enabled && ioctl(fd, RMT_IOC_DISABLE, 0) < 0) {
		fprintf(stderr, "recvmmsg-trace: cannot disable capture: %s\n",
			strerror(errno));
		status = 1;
	}
	/* What was queued before capture stopped still counts. */
	if (!opts->max_calls && !status && !output_gone) {
		ssize_t n;

		while ((n = read(fd, buf, RMT_READ_BYTES)) > 0) {
			if (capture && fwrite(buf, 1, (size_t)n, capture) != (size_t)n)
				status = 1;
			if (rmt_consume(&tracker, buf, (size_t)n, recs, max_recs, 0,
					opts->device, 0))
				break;
		}
		rmt_tracker_finish(&tracker);
	}
	if (opts->summary && !output_gone)
		rmt_summary_finish(&summary, stdout, opts->json);
	if (!output_gone)
		rmt_output_ok(&out, &status);
	rmt_dev_restore(fd, &saved);
	if (opts->stats && rmt_dev_print_stats(fd, stderr))
		status = 1;
	if (capture && fclose(capture)) {
		fprintf(stderr, "recvmmsg-trace: %s: %s\n", opts->write_path,
			strerror(errno));
		status = 1;
	}
	fprintf(stderr, "recvmmsg-trace: %llu calls, %llu records lost\n",
		tracker.calls, tracker.lost);
	close(fd);
	free(recs);
	free(buf);
	return status;
}

/* -r: decode a capture file, in blocks, with no device. Status 2 on bad input. */
static int rmt_replay(const struct rmt_opts *opts)
{
	size_t max_recs = (1 << 20) / sizeof(struct rmt_record_header);
	struct rmt_output out = { .out = stdout };
	struct rmt_summary summary;
	struct rmt_tracker tracker;
	struct rmt_capfile cap;
	struct rmt_record *recs;
	struct rmt_sink sink;
	const void *block;
	uint64_t offset;
	int status = 0;
	long n;

	if (rmt_capfile_open(&cap, opts->read_path)) {
		rmt_capfile_close(&cap);
		return 2;
	}
	recs = calloc(max_recs, sizeof(*recs));
	if (!recs) {
		rmt_capfile_close(&cap);
		return 1;
	}
	out.epoch_offset_ns = cap.hdr.epoch_offset_ns;
	rmt_pick_sink(opts, &sink, &out, &summary);
	rmt_tracker_init(&tracker, &sink);
	while ((n = rmt_capfile_next(&cap, &block, &offset)) > 0 &&
	       (!opts->max_calls || tracker.calls < opts->max_calls)) {
		if (rmt_consume(&tracker, block, (size_t)n, recs, max_recs,
				opts->max_calls, opts->read_path, offset)) {
			n = -1;
			break;
		}
	}
	if (n < 0)
		status = 2;
	else if (!opts->max_calls)
		rmt_tracker_finish(&tracker);
	if (opts->summary)
		rmt_summary_finish(&summary, stdout, opts->json);
	rmt_output_flush(&out);
	fprintf(stderr, "recvmmsg-trace: %llu calls, %llu records lost\n",
		tracker.calls, tracker.lost);
	free(recs);
	rmt_capfile_close(&cap);
	return status;
}

/* --status and --disable: the module's state, no session. */
static int rmt_module_command(const struct rmt_opts *opts)
{
	bool was_enabled;
	uint32_t nr_cpus;
	int fd = rmt_dev_open(opts->device, &was_enabled, &nr_cpus), status = 0;

	if (fd < 0)
		return 1;
	if (opts->status) {
		if (rmt_dev_print_status(fd, stdout) || fflush(stdout))
			status = 1;
	} else if (ioctl(fd, RMT_IOC_DISABLE, 0)) {
		fprintf(stderr, "recvmmsg-trace: cannot disable capture: %s\n",
			strerror(errno));
		status = 1;
	} else {
		fprintf(stderr, "recvmmsg-trace: capture is off%s\n",
			was_enabled ? "; running readers get no more calls" : " (it was)");
	}
	close(fd);
	return status;
}

int main(int argc, char **argv)
{
	struct rmt_opts opts = { 0 };
	int err;

	/* Whole blocks, even on a terminal: each batch of calls is flushed. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	err = rmt_parse_opts(argc, argv, &opts);

	if (err)
		return err;
	if (opts.status || opts.disable)
		return rmt_module_command(&opts);
	return opts.read_path ? rmt_replay(&opts) : rmt_run(&opts);
}
