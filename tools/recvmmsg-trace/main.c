// SPDX-License-Identifier: GPL-2.0
/*
 * recvmmsg-trace: read /dev/recvmmsg_trace and print one line per call.
 *
 * This file holds the command line and the run on the device: open (a
 * capture session of its own), set the session up and enable it, read
 * records until stopped, then disable, drain and close.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <limits.h>
#include <stdint.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include "calls.h"
#include "capfile.h"
#include "capwriter.h"
#include "journal.h"
#include "containers.h"
#include "device.h"
#include "order.h"
#include "output.h"
#include "records.h"
#include "summary.h"
#include "toctou.h"
#include "walk.h"

#ifndef RMT_VERSION
#error "RMT_VERSION must be defined by the build"
#endif

#define RMT_READ_BYTES	(1 << 20)

struct rmt_opts {
	const char *device;
	unsigned long long max_calls;	/* 0: no limit */
	bool json;
	bool none;			/* -o none: print nothing, -w saves */
	bool journal;			/* -o journal: to the systemd journal */
	bool stats;			/* print the session's counters at the end */
	bool summary;			/* per-process table instead of calls */
	bool toctou_only;		/* only calls whose vector changed */
	double duration;		/* -d: stop after this many seconds; 0: no */
	const char *write_path;		/* -w: also save the raw records */
	uint64_t file_bytes;		/* --file-size: rotate -w's file at this size */
	unsigned int file_seconds;	/* --file-seconds: rotate it at this age */
	unsigned int file_count;	/* -W: a ring of this many files */
	const char *read_path;		/* -r: decode a capture file instead */
	struct rmt_session_opts session;
	bool status;			/* --status: show the other sessions */
};

/* Is there room for another call before -n's count? */
static bool rmt_want_more(const struct rmt_opts *opts, unsigned long long calls)
{
	return !opts->max_calls || calls < opts->max_calls;
}

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
		"  -o, --output=FORMAT  text (strace-like, the default), json (JSON Lines\n"
		"                       with Tracee's event keys), journal (an entry in\n"
		"                       the systemd journal per call, values as RMT_*\n"
		"                       fields) or none (with -w: only\n"
		"                       save the records, undecoded, for -r later: the\n"
		"                       reader's least work per record)\n"
		"      --json           the same as -o json\n"
		"      --toctou-only    only calls whose message vector another thread\n"
		"                       changed while they ran (see TOCTOU in the manual)\n"
		"  -D, --device=PATH    read PATH instead of %s\n"
		"  -w, --write=FILE     also save the raw records to capture file FILE\n"
		"      --file-size=MB   rotate -w's file before it passes MB million bytes:\n"
		"                       FILE0, FILE1, ... each a capture file of its own\n"
		"      --file-seconds=S rotate it once it has been written for S seconds\n"
		"  -W, --file-count=N   with either: reuse N files in turn, FILE0 to FILE<N-1>\n"
		"  -r, --read=FILE      decode capture file FILE (no device, no module)\n"
		"\n"
		"Filter and capture (for this reader's own session only; the filter runs\n"
		"in the kernel, and all given must match):\n"
		"  -p, --pid=PID        only process PID (host id); repeat for up to %d\n"
		"  -u, --uid=UID        only calls by real uid UID\n"
		"  -G, --cgroup=PATH    only processes in cgroup v2 directory PATH or below\n"
		"  -C, --container=ID   only the container whose id starts with ID (12 or\n"
		"                       more hex digits): docker, containerd, CRI-O, podman\n"
		"  -f, --fd=FD          only calls on file descriptor FD\n"
		"  -c, --comm=NAME      only processes whose command name is exactly NAME\n"
		"  -s, --snaplen=N      capture the first N message headers of each call (1-%d)\n"
		"      --no-exit        record calls at entry only (no results, less load)\n"
		"      --wakeup=BYTES   wake up to read once a CPU has BYTES of records\n"
		"                       queued (0: for every record; default a quarter of\n"
		"                       the buffer); fewer remain queued at most 0.1 s\n"
		"      --boot           take over the session the module started at load\n"
		"                       (enable=1): print the calls captured since then,\n"
		"                       then go on; filter and capture options apply from\n"
		"                       then on\n"
		"      --stats          at the end, print this session's counters per CPU\n"
		"\n"
		"Module:\n"
		"      --status         show the module and every other capture session (the\n"
		"                       boot session too): owner, filter, config, counters\n"
		"\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Stop with Ctrl-C (SIGINT), SIGTERM or SIGHUP, or by closing the output\n"
		"(| head): the session stops capturing, what it had queued is printed,\n"
		"and a summary of calls and lost records goes to standard error. Other\n"
		"readers' sessions are never touched.\n",
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

/* The reader's three ways of running, and so where each option applies. */
enum rmt_mode {
	RMT_MODE_CAPTURE	= 1 << 0,	/* read the device (the default) */
	RMT_MODE_READ		= 1 << 1,	/* -r: decode a capture file */
	RMT_MODE_STATUS		= 1 << 2,	/* --status: show the sessions */
};
#define RMT_MODES_DECODE	(RMT_MODE_CAPTURE | RMT_MODE_READ)
#define RMT_MODES_ALL		(RMT_MODES_DECODE | RMT_MODE_STATUS)

enum {
	OPT_JSON = 256, OPT_NO_EXIT, OPT_STATS, OPT_SUMMARY, OPT_WAKEUP,
	OPT_STATUS, OPT_BOOT, OPT_TOCTOU_ONLY, OPT_FILE_SIZE, OPT_FILE_SECONDS,
};

/*
 * Every option, once: getopt's tables are made from this one, and an
 * option given where it does not apply is refused from its modes.
 */
static const struct rmt_optdef {
	const char *name;
	int has_arg;
	int code;		/* its short letter, or an OPT_* */
	unsigned int modes;	/* enum rmt_mode: where it may be given */
} rmt_optdefs[] = {
	{ "count", required_argument, 'n', RMT_MODES_DECODE },
	{ "duration", required_argument, 'd', RMT_MODE_CAPTURE },
	{ "summary", no_argument, OPT_SUMMARY, RMT_MODES_DECODE },
	{ "output", required_argument, 'o', RMT_MODES_DECODE },
	{ "json", no_argument, OPT_JSON, RMT_MODES_DECODE },
	{ "toctou-only", no_argument, OPT_TOCTOU_ONLY, RMT_MODES_DECODE },
	/* -r has always let it pass unused. */
	{ "device", required_argument, 'D', RMT_MODES_ALL },
	{ "write", required_argument, 'w', RMT_MODE_CAPTURE },
	{ "file-size", required_argument, OPT_FILE_SIZE, RMT_MODE_CAPTURE },
	{ "file-seconds", required_argument, OPT_FILE_SECONDS, RMT_MODE_CAPTURE },
	{ "file-count", required_argument, 'W', RMT_MODE_CAPTURE },
	{ "read", required_argument, 'r', RMT_MODE_READ },
	{ "pid", required_argument, 'p', RMT_MODE_CAPTURE },
	{ "uid", required_argument, 'u', RMT_MODE_CAPTURE },
	{ "cgroup", required_argument, 'G', RMT_MODE_CAPTURE },
	{ "container", required_argument, 'C', RMT_MODE_CAPTURE },
	{ "fd", required_argument, 'f', RMT_MODE_CAPTURE },
	{ "comm", required_argument, 'c', RMT_MODE_CAPTURE },
	{ "snaplen", required_argument, 's', RMT_MODE_CAPTURE },
	{ "no-exit", no_argument, OPT_NO_EXIT, RMT_MODE_CAPTURE },
	{ "wakeup", required_argument, OPT_WAKEUP, RMT_MODE_CAPTURE },
	{ "boot", no_argument, OPT_BOOT, RMT_MODE_CAPTURE },
	{ "stats", no_argument, OPT_STATS, RMT_MODE_CAPTURE },
	{ "status", no_argument, OPT_STATUS, RMT_MODE_STATUS },
	{ "help", no_argument, 'h', RMT_MODES_ALL },
	{ "version", no_argument, 'V', RMT_MODES_ALL },
};

#define RMT_NR_OPTS	(sizeof(rmt_optdefs) / sizeof(rmt_optdefs[0]))

/* getopt_long()'s two tables, from rmt_optdefs. */
static void rmt_getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i;

	for (i = 0; i < RMT_NR_OPTS; i++) {
		const struct rmt_optdef *d = &rmt_optdefs[i];

		longopts[i] = (struct option){ d->name, d->has_arg, NULL, d->code };
		if (d->code < 256) {
			*shortopts++ = (char)d->code;
			if (d->has_arg == required_argument)
				*shortopts++ = ':';
		}
	}
	longopts[RMT_NR_OPTS] = (struct option){ NULL, 0, NULL, 0 };
	*shortopts = '\0';
}

/* The entry of rmt_optdefs for getopt's @code, or -1. */
static int rmt_optdef_index(int code)
{
	size_t i;

	for (i = 0; i < RMT_NR_OPTS; i++)
		if (rmt_optdefs[i].code == code)
			return (int)i;
	return -1;
}

/* Each option given must apply to the way the reader runs; 2 with a message if not. */
static int rmt_check_modes(const struct rmt_opts *o, const bool *given)
{
	unsigned int mode = o->status ? RMT_MODE_STATUS :
			    o->read_path ? RMT_MODE_READ : RMT_MODE_CAPTURE;
	size_t i;

	for (i = 0; i < RMT_NR_OPTS; i++) {
		if (!given[i] || (rmt_optdefs[i].modes & mode))
			continue;
		if (mode == RMT_MODE_STATUS)
			fprintf(stderr, "recvmmsg-trace: --status takes no other option but -D (given --%s)\n",
				rmt_optdefs[i].name);
		else
			fprintf(stderr, "recvmmsg-trace: -r decodes a file: capture options do not apply (given --%s)\n",
				rmt_optdefs[i].name);
		return 2;
	}
	if ((o->file_bytes || o->file_seconds || o->file_count) && !o->write_path) {
		fprintf(stderr, "recvmmsg-trace: --file-size, --file-seconds and -W rotate the capture file: they need -w FILE\n");
		return 2;
	}
	if (o->file_count && !o->file_bytes && !o->file_seconds) {
		fprintf(stderr, "recvmmsg-trace: -W needs --file-size or --file-seconds to rotate by\n");
		return 2;
	}
	if (o->journal && o->summary) {
		fprintf(stderr, "recvmmsg-trace: -o journal sends calls, one entry each: it takes no --summary\n");
		return 2;
	}
	/* Nothing printed and nothing kept would be a run for nothing. */
	if (o->none && (mode != RMT_MODE_CAPTURE || !o->write_path || o->summary ||
			o->toctou_only)) {
		fprintf(stderr, "recvmmsg-trace: -o none only saves: it needs -w FILE, and takes neither -r, --summary nor --toctou-only\n");
		return 2;
	}
	return 0;
}

/* One option's value into @o; 2 with a message when it is bad. */
static int rmt_parse_opt(int c, const char *arg, struct rmt_opts *o)
{
	struct rmt_filter *f = &o->session.filter;
	unsigned long long v;
	char dir[PATH_MAX];
	struct stat st;

	switch (c) {
	case 'n':
		if (!rmt_parse_num("count", arg, 1, ULLONG_MAX, &o->max_calls))
			return 2;
		break;
	case 'd':
		if (!rmt_parse_seconds(arg, &o->duration))
			return 2;
		break;
	case OPT_SUMMARY:
		o->summary = true;
		break;
	case OPT_TOCTOU_ONLY:
		o->toctou_only = true;
		break;
	case 'o':
		if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "none") &&
		    strcmp(arg, "journal")) {
			fprintf(stderr, "recvmmsg-trace: bad output format '%s' (text, json, journal or none)\n",
				arg);
			return 2;
		}
		if (!strcmp(arg, "journal") && !rmt_journal_available()) {
			fprintf(stderr, "recvmmsg-trace: -o journal: this build has no journal support (it was built without libsystemd)\n");
			return 2;
		}
		o->json = !strcmp(arg, "json");
		o->none = !strcmp(arg, "none");
		o->journal = !strcmp(arg, "journal");
		break;
	case OPT_JSON:
		o->json = true;
		o->none = false;
		o->journal = false;
		break;
	case 'D':
		o->device = arg;
		break;
	case 'w':
		o->write_path = arg;
		break;
	case 'r':
		o->read_path = arg;
		break;
	case OPT_FILE_SIZE:
		/* Million bytes, as tcpdump's -C: room for a header and a record. */
		if (!rmt_parse_num("file size (MB)", arg, 1, 1000000, &v))
			return 2;
		o->file_bytes = v * 1000000;
		break;
	case OPT_FILE_SECONDS:
		if (!rmt_parse_num("file seconds", arg, 1, UINT32_MAX, &v))
			return 2;
		o->file_seconds = (unsigned int)v;
		break;
	case 'W':
		if (!rmt_parse_num("file count", arg, 1, 1000000, &v))
			return 2;
		o->file_count = (unsigned int)v;
		break;
	case 'p':
		if (!rmt_parse_num("pid", arg, 1, INT32_MAX, &v))
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
		if (!rmt_parse_num("uid", arg, 0, UINT32_MAX - 1, &v))
			return 2;
		f->flags |= RMT_FILTER_UID;
		f->uid = (__u32)v;
		break;
	case 'C':
	case 'G':
		if (f->flags & RMT_FILTER_CGROUP) {
			fprintf(stderr, "recvmmsg-trace: one cgroup filter only (-G or -C, once)\n");
			return 2;
		}
		/* A container: its cgroup's subtree. */
		if (c == 'C') {
			if (rmt_container_dir(arg, dir, sizeof(dir)))
				return 2;
			arg = dir;
		}
		if (stat(arg, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "recvmmsg-trace: bad cgroup directory '%s'\n", arg);
			return 2;
		}
		/* A cgroup v2 id is the inode number of its directory. */
		f->flags |= RMT_FILTER_CGROUP | RMT_FILTER_CGROUP_TREE;
		f->cgroup_id = st.st_ino;
		break;
	case 'f':
		if (!rmt_parse_num("fd", arg, 0, INT32_MAX, &v))
			return 2;
		f->flags |= RMT_FILTER_FD;
		f->fd = (__s32)v;
		break;
	case 'c':
		if (!*arg || strlen(arg) >= sizeof(f->comm)) {
			fprintf(stderr, "recvmmsg-trace: bad comm '%s' (1 to %zu bytes)\n",
				arg, sizeof(f->comm) - 1);
			return 2;
		}
		f->flags |= RMT_FILTER_COMM;
		strncpy(f->comm, arg, sizeof(f->comm) - 1);
		break;
	case 's':
		if (!rmt_parse_num("snaplen", arg, RMT_SNAPLEN_MIN, RMT_SNAPLEN_MAX, &v))
			return 2;
		o->session.snaplen = (unsigned int)v;
		break;
	case OPT_NO_EXIT:
		o->session.no_exit = true;
		break;
	case OPT_WAKEUP:
		if (!rmt_parse_num("wake-up threshold", arg, 0, UINT32_MAX, &v))
			return 2;
		o->session.wakeup_bytes = (long long)v;
		break;
	case OPT_BOOT:
		o->session.boot = true;
		break;
	case OPT_STATS:
		o->stats = true;
		break;
	case OPT_STATUS:
		o->status = true;
		break;
	case 'h':
		rmt_usage(stdout);
		exit(0);
	case 'V':
		printf("recvmmsg-trace %s (ABI %d)\n", RMT_VERSION, RMT_ABI_VERSION);
		exit(0);
	default:
		rmt_usage(stderr);
		return 2;
	}
	return 0;
}

static int rmt_parse_opts(int argc, char **argv, struct rmt_opts *o)
{
	struct option longopts[RMT_NR_OPTS + 1];
	char shortopts[2 * RMT_NR_OPTS + 1];
	bool given[RMT_NR_OPTS] = { false };
	int c, i, err;

	rmt_getopt_tables(longopts, shortopts);
	o->device = RMT_DEVICE_PATH;
	o->session.wakeup_bytes = RMT_WAKEUP_DEFAULT;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		err = rmt_parse_opt(c, optarg, o);
		if (err)
			return err;
		i = rmt_optdef_index(c);
		if (i >= 0)
			given[i] = true;
	}
	if (optind < argc) {
		fprintf(stderr, "recvmmsg-trace: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	return rmt_check_modes(o, given);
}

static int64_t rmt_epoch_offset(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((int64_t)rt.tv_sec - mono.tv_sec) * 1000000000 +
	       (rt.tv_nsec - mono.tv_nsec);
}

/* Waiting records past this are fed at once, ordered or not (overload). */
#define RMT_ORDER_MAX_QUEUED	(1U << 16)

/*
 * Decode one read()'s (or one file block's) worth of records into the
 * ordering queue; at each round (capture files) feed the tracker what it
 * covers. @where names the source in messages; @base is the stream offset
 * of @buf.
 */
static int rmt_consume(struct rmt_order *o, struct rmt_tracker *t, const void *buf,
		       size_t len, struct rmt_record *recs, size_t max,
		       unsigned long long limit, const char *where,
		       unsigned long long base)
{
	size_t skipped = 0, bad = 0, start = 0, i;
	long n = rmt_records_decode(buf, len, recs, max, &skipped, &bad);

	if (n < 0) {
		fprintf(stderr, "recvmmsg-trace: %s: malformed record at byte offset %llu\n",
			where, base + bad);
		return -1;
	}
	if (skipped)
		fprintf(stderr, "recvmmsg-trace: %s: skipped %zu record(s) of a type this reader does not know\n",
			where, skipped);
	for (i = 0; i <= (size_t)n; i++) {
		if (i < (size_t)n && recs[i].type != RMT_REC_ROUND)
			continue;
		if (rmt_order_add(o, recs + start, i - start)) {
			fprintf(stderr, "recvmmsg-trace: out of memory\n");
			return -1;
		}
		if (i < (size_t)n)
			rmt_order_round(o, recs[i].u.hdr->time_ns);
		rmt_order_flush(o, rmt_order_passed(o), t, limit);
		start = i + 1;
	}
	if (rmt_order_queued(o) > RMT_ORDER_MAX_QUEUED)
		rmt_order_flush(o, UINT64_MAX, t, limit);
	return 0;
}

/*
 * Where calls go: the per-process table, JSON Lines or text, into @sink[0];
 * with --toctou-only that is a filter, and the printer is in @sink[1].
 */
static int rmt_pick_sink(const struct rmt_opts *opts, struct rmt_sink sink[2],
			 struct rmt_output *out, struct rmt_summary *summary)
{
	struct rmt_sink *printer = opts->toctou_only ? &sink[1] : &sink[0];

	if (opts->summary) {
		rmt_summary_sink(printer, summary);
	} else if (opts->journal) {
		/* It says why itself. */
		if (rmt_journal_sink(printer, out))
			return -1;
	} else if (opts->json) {
		rmt_json_sink(printer, out);
	} else {
		rmt_text_sink(printer, out);
	}
	if (opts->toctou_only)
		rmt_toctou_only_sink(&sink[0], printer);
	return 0;
}

static double rmt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CLOCK_MONOTONIC in nanoseconds, the records' clock. */
static uint64_t rmt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
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
	if (out->journal_err) {
		fprintf(stderr, "recvmmsg-trace: journal: %s\n", strerror(out->journal_err));
		*status = 1;
	} else if (errno != EPIPE) {
		fprintf(stderr, "recvmmsg-trace: standard output: %s\n", strerror(errno));
		*status = 1;
	}
	return false;
}

/* A run on the device: all it holds, so that one function lets go of it all. */
struct rmt_run {
	const struct rmt_opts *opts;
	int fd;				/* the device, our session; -1: not open */
	struct rmt_capwriter *capture;	/* -w's files, or NULL */
	char *buf;			/* one read()'s worth of records */
	struct rmt_record *recs;	/* the records decoded from buf */
	size_t max_recs;
	sigset_t wait_mask;		/* what ppoll() lets through: stop signals */
	struct rmt_output out;
	struct rmt_summary summary;
	struct rmt_order order;
	/* Start of the last read that drained every CPU, 0 before the first. */
	uint64_t round;
	struct rmt_tracker tracker;
	/* Where calls go ([0]); under --toctou-only the printer is [1]. */
	struct rmt_sink sink[2];
	bool capturing;			/* enabled: disable, drain, report at the end */
	bool output_gone;		/* standard output's reader went away */
	int status;			/* the exit status so far */
};

/*
 * SIGINT, SIGTERM and SIGHUP (the terminal or ssh session went away) end
 * the run: capture off, what was queued printed. They are blocked except
 * while waiting in ppoll(): a signal ends the wait, and never cuts a write
 * to stdout short. SIGPIPE is ignored: the failed write ends the run
 * instead, with the same clean end.
 */
static void rmt_catch_stop_signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = rmt_on_signal };
	static const int stop[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t stop_signals;
	size_t i;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop_signals);
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++) {
		sigaction(stop[i], &sa, NULL);
		sigaddset(&stop_signals, stop[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_BLOCK, &stop_signals, wait_mask);
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		sigdelset(wait_mask, stop[i]);
}

/*
 * Open the device (a session of our own), the capture file and buffers,
 * set the session up and enable it. -1 with a message; rmt_run_close()
 * then lets go of whatever was taken.
 */
static int rmt_run_open(struct rmt_run *r, const struct rmt_opts *opts)
{
	const char *why;
	uint32_t nr_cpus;

	memset(r, 0, sizeof(*r));
	r->opts = opts;
	r->out = (struct rmt_output){ .out = stdout, .epoch_offset_ns = rmt_epoch_offset() };
	r->max_recs = RMT_READ_BYTES / sizeof(struct rmt_record_header);
	r->fd = rmt_dev_open(opts->device, &nr_cpus);
	if (r->fd < 0)
		return -1;
	r->buf = malloc(RMT_READ_BYTES);
	r->recs = calloc(r->max_recs, sizeof(*r->recs));
	if (!r->buf || !r->recs) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		return -1;
	}
	if (rmt_pick_sink(opts, r->sink, &r->out, &r->summary))
		return -1;
	rmt_tracker_init(&r->tracker, &r->sink[0]);
	/* Live only: a capture file's ids are another boot's cgroups. */
	r->out.cgroups = rmt_cgroups_open(&why);
	if (!r->out.cgroups)
		fprintf(stderr, "recvmmsg-trace: containers are not named: %s\n", why);
	r->summary.cgroups = r->out.cgroups;
	r->out.exes = rmt_exes_live();
	if (opts->write_path) {
		struct rmt_capwriter_opts w = {
			.path = opts->write_path, .max_bytes = opts->file_bytes,
			.seconds = opts->file_seconds, .nr_files = opts->file_count,
			.nr_cpus = nr_cpus, .epoch_offset_ns = r->out.epoch_offset_ns,
			.cgroups = r->out.cgroups, .exes = r->out.exes,
		};

		r->capture = rmt_capwriter_open(&w, rmt_now());
		if (!r->capture)
			return -1;
	}
	if (rmt_order_init(&r->order, nr_cpus)) {
		fprintf(stderr, "recvmmsg-trace: out of memory\n");
		return -1;
	}
	r->tracker.enter_only = opts->session.no_exit;
	r->out.enter_only = opts->session.no_exit;
	rmt_catch_stop_signals(&r->wait_mask);
	fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK);
	if (rmt_dev_apply(r->fd, &opts->session) || rmt_dev_enable(r->fd))
		return -1;
	r->capturing = true;
	return 0;
}

/*
 * -o none: the records are saved, not decoded; only the calls (enter
 * records) and the records lost are counted, for -n and the last line.
 */
static int rmt_run_count(struct rmt_run *r, size_t n)
{
	const struct rmt_record_header *hdr;
	enum rmt_step step;
	size_t off = 0;

	while ((step = rmt_step(r->buf, n, off, &hdr)) == RMT_STEP_RECORD) {
		if (hdr->type == RMT_REC_ENTER)
			r->tracker.calls++;
		else if (hdr->type == RMT_REC_LOST && hdr->size == sizeof(struct rmt_lost_record))
			r->tracker.lost += ((const struct rmt_lost_record *)hdr)->count;
		off += hdr->size;
	}
	if (step == RMT_STEP_END)
		return 0;
	fprintf(stderr, "recvmmsg-trace: %s: malformed record at byte offset %zu\n",
		r->opts->device, off);
	return -1;
}

/*
 * The executables of the records read, and the cgroups of those saved,
 * resolved now, while they exist, for the lines printed after the records
 * are ordered, and for the capture file's table that names them for -r.
 */
static void rmt_note_tables(struct rmt_run *r, size_t n)
{
	const struct rmt_record_header *hdr;
	const struct rmt_task *task;
	size_t off = 0;

	while (rmt_step(r->buf, n, off, &hdr) == RMT_STEP_RECORD) {
		if (hdr->type == RMT_REC_ENTER && hdr->size >= sizeof(struct rmt_enter_record)) {
			task = &((const struct rmt_enter_record *)hdr)->task;
			if (r->capture && r->out.cgroups)
				rmt_cgroups_lookup(r->out.cgroups, task->cgroup_id);
			rmt_exe_path(r->out.exes, task);
		}
		off += hdr->size;
	}
}

/* The records of one read(): to the capture file, then to be ordered. */
static int rmt_run_take(struct rmt_run *r, size_t n)
{
	const struct rmt_opts *opts = r->opts;

	/* Text and --summary print no executable: no need to look. */
	if (r->capture || r->opts->journal || (r->opts->json && !r->opts->summary))
		rmt_note_tables(r, n);
	/* After the tables have them: a file rotated now names them. */
	if (r->capture && rmt_capwriter_write(r->capture, r->buf, n, rmt_now()))
		return -1;
	if (opts->none)
		return rmt_run_count(r, n);
	return rmt_consume(&r->order, &r->tracker, r->buf, n, r->recs, r->max_recs,
			   opts->max_calls, opts->device, 0);
}

/*
 * A read that started at @start drained every CPU: whatever is older than
 * the previous such read was read by now, however the CPUs' records
 * interleaved (a record is stamped a moment before it is queued, so the
 * round trails by one read). It lets out what waited for a CPU that had
 * nothing more to say. The capture file keeps the round for -r.
 */
static int rmt_run_round(struct rmt_run *r, uint64_t start)
{
	struct rmt_record_header round = {
		.type = RMT_REC_ROUND,
		.size = sizeof(round),
		.time_ns = r->round,
	};

	if (r->round) {
		rmt_order_round(&r->order, r->round);
		rmt_order_flush(&r->order, rmt_order_passed(&r->order), &r->tracker,
				r->opts->max_calls);
		if (r->capture &&
		    rmt_capwriter_write(r->capture, &round, sizeof(round), rmt_now()))
			return -1;
	}
	r->round = start;
	return 0;
}

/* Until then, a quiet session still lets its last records out. */
#define RMT_ROUND_INTERVAL_NS	100000000

/* Read, save and print records until a stop: a signal, -n, -d, an error. */
static void rmt_run_loop(struct rmt_run *r)
{
	const struct rmt_opts *opts = r->opts;
	double deadline = opts->duration ? rmt_now() + opts->duration : 0;
	struct timespec left, *timeout;

	while (!rmt_stop && rmt_want_more(opts, r->tracker.calls) &&
	       rmt_time_left(deadline, &left, &timeout)) {
		struct timespec round_wait = { 0, RMT_ROUND_INTERVAL_NS };
		struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
		uint64_t start = rmt_now_ns();
		ssize_t n = read(r->fd, r->buf, RMT_READ_BYTES);
		bool drained = n < 0 && errno == EAGAIN;

		if (n < 0 && !drained) {
			fprintf(stderr, "recvmmsg-trace: read: %s\n", strerror(errno));
			r->status = 1;
			return;
		}
		if (n > 0) {
			if (rmt_run_take(r, (size_t)n)) {
				r->status = 1;
				return;
			}
			drained = (size_t)n + RMT_RECORD_MAX_SIZE <= RMT_READ_MAX_BYTES;
		}
		if (drained && rmt_run_round(r, start)) {
			r->status = 1;
			return;
		}
		if (!rmt_output_ok(&r->out, &r->status)) {
			r->output_gone = true;
			return;
		}
		/* The round may have shown the last call -n asked for. */
		if (!rmt_want_more(opts, r->tracker.calls))
			return;
		if (n < 0) {
			/* Records still waiting to be ordered: come back for them. */
			if (rmt_order_queued(&r->order) &&
			    (!timeout || timeout->tv_sec > 0 ||
			     timeout->tv_nsec > round_wait.tv_nsec))
				timeout = &round_wait;
			ppoll(&pfd, 1, timeout, &r->wait_mask);
		}
	}
}

/*
 * Capture off, then what the session still holds: records queued before
 * it stopped, and the LOST records of what it had to drop.
 */
static void rmt_run_stop(struct rmt_run *r)
{
	const struct rmt_opts *opts = r->opts;
	ssize_t n;

	if (rmt_dev_disable(r->fd))
		r->status = 1;
	/*
	 * Stopped by a signal or -d (or -n's count reached, then nothing is
	 * read): what is still queued, up to -n's count, then the calls
	 * still running.
	 */
	if (!r->status && !r->output_gone) {
		while (rmt_want_more(opts, r->tracker.calls) &&
		       (n = read(r->fd, r->buf, RMT_READ_BYTES)) > 0)
			if (rmt_run_take(r, (size_t)n)) {
				r->status = 1;
				break;
			}
		/* Nothing more comes: every record is in. */
		rmt_order_flush(&r->order, UINT64_MAX, &r->tracker, opts->max_calls);
		rmt_tracker_finish(&r->tracker, opts->max_calls);
	}
	if (opts->summary && !r->output_gone)
		rmt_summary_finish(&r->summary, stdout, opts->json);
	if (!r->output_gone)
		rmt_output_ok(&r->out, &r->status);
	if (opts->stats && rmt_dev_print_stats(r->fd, stderr))
		r->status = 1;
}

/* The one way out of a run, however far rmt_run_open() got. */
static int rmt_run_close(struct rmt_run *r)
{
	if (r->capturing)
		rmt_run_stop(r);
	/*
	 * The table ends the file, whatever else failed: the writer leaves
	 * it out only where its own write failed.
	 */
	if (rmt_capwriter_close(r->capture, true))
		r->status = 1;
	if (r->capturing)
		fprintf(stderr, "recvmmsg-trace: %llu calls, %llu records lost\n",
			r->tracker.calls, r->tracker.lost);
	/* Closing ends the session: its buffers go, nothing else is touched. */
	if (r->fd >= 0)
		close(r->fd);
	rmt_order_free(&r->order);
	rmt_cgroups_close(r->out.cgroups);
	rmt_exes_close(r->out.exes);
	free(r->recs);
	free(r->buf);
	return r->status;
}

static int rmt_run(const struct rmt_opts *opts)
{
	struct rmt_run r;

	if (rmt_run_open(&r, opts))
		r.status = 1;
	else
		rmt_run_loop(&r);
	return rmt_run_close(&r);
}

/* -r: decode a capture file, in blocks, with no device. Status 2 on bad input. */
static int rmt_replay(const struct rmt_opts *opts)
{
	size_t max_recs = (1 << 20) / sizeof(struct rmt_record_header);
	struct rmt_output out = { .out = stdout };
	struct rmt_summary summary;
	struct rmt_tracker tracker;
	struct rmt_order order;
	struct rmt_capfile cap;
	struct rmt_record *recs;
	struct rmt_sink sink[2];
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
	if (rmt_pick_sink(opts, sink, &out, &summary)) {
		free(recs);
		rmt_capfile_close(&cap);
		return 1;
	}
	rmt_tracker_init(&tracker, &sink[0]);
	/* The file's own table, never this system's cgroups. */
	out.cgroups = cap.cgroups;
	out.exes = cap.exes;
	summary.cgroups = cap.cgroups;
	if (rmt_order_init(&order, cap.hdr.nr_cpus)) {
		free(recs);
		rmt_capfile_close(&cap);
		return 1;
	}
	while ((n = rmt_capfile_next(&cap, &block, &offset)) > 0 &&
	       rmt_want_more(opts, tracker.calls)) {
		if (rmt_consume(&order, &tracker, block, (size_t)n, recs, max_recs,
				opts->max_calls, opts->read_path, offset)) {
			n = -1;
			break;
		}
	}
	/* Damage ends the file: what was read before it is still printed. */
	if (n < 0)
		status = 2;
	/* The end of the file is the last round. */
	rmt_order_flush(&order, UINT64_MAX, &tracker, opts->max_calls);
	rmt_tracker_finish(&tracker, opts->max_calls);
	rmt_order_free(&order);
	if (opts->summary)
		rmt_summary_finish(&summary, stdout, opts->json);
	if (rmt_output_flush(&out) && out.journal_err) {
		fprintf(stderr, "recvmmsg-trace: journal: %s\n", strerror(out.journal_err));
		status = 1;
	}
	fprintf(stderr, "recvmmsg-trace: %llu calls, %llu records lost\n",
		tracker.calls, tracker.lost);
	free(recs);
	rmt_capfile_close(&cap);
	return status;
}

/* --status: the module and the sessions; this one only looks. */
static int rmt_status(const struct rmt_opts *opts)
{
	uint32_t nr_cpus;
	int fd = rmt_dev_open(opts->device, &nr_cpus), status = 0;

	if (fd < 0)
		return 1;
	if (rmt_dev_print_status(fd, stdout) || fflush(stdout))
		status = 1;
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
	if (opts.status)
		return rmt_status(&opts);
	return opts.read_path ? rmt_replay(&opts) : rmt_run(&opts);
}
