// SPDX-License-Identifier: GPL-2.0
/*
 * Capture-file bytes for capfile_test.py, laid out by the structs the
 * reader reads them with, so that the tests never re-encode the ABI. Reads
 * one item a line from standard input, "KIND key=value ...", and writes its
 * bytes to standard output:
 *
 *   header [abi=N] [version=N] [magic=TEXT]      struct rmt_capfile_header
 *   enter cpu= t= tid= [comm=] [nr_msgs=]        an enter record, no messages
 *   exit cpu= t= tid= [ret=] [comm=]             an exit record, no messages
 *   lost cpu= t= count=
 *   round t=                                     the reader's round marker
 *   record type= size= [cpu=] [t=]               a header and size-16 zeros
 *   cgroup id= (path=P | gone | path_len=N)      an entry of the cgroup table
 *   exe tid= start= major= minor= ino= path=     an entry of the exe table
 *   footer offset= cgroups= exes=
 *
 * Every task is thread TID of process TID, uid and gid 0, parent 1, pid
 * and mount namespaces 1, cgroup 1, started at 0, running inode 4242 of
 * device 8:1 on host "host"; every call is recvmmsg_time32(3, 0x804c000,
 * 0, 0, NULL). `capfile_gen --abi` prints RMT_ABI_VERSION.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/recvmmsg_trace.h>

#include "../capfile.h"
#include "../records.h"

#define MAX_FIELDS	8

struct item {
	const char *key[MAX_FIELDS];
	const char *val[MAX_FIELDS];
	int n;
	unsigned int line;
};

static const char *get(const struct item *it, const char *key)
{
	int i;

	for (i = 0; i < it->n; i++)
		if (!strcmp(it->key[i], key))
			return it->val[i] ? it->val[i] : "";
	return NULL;
}

static uint64_t num(const struct item *it, const char *key, int required, uint64_t dflt)
{
	const char *v = get(it, key);
	char *end;
	uint64_t n;

	if (!v) {
		if (!required)
			return dflt;
		fprintf(stderr, "capfile_gen: line %u: %s= missing\n", it->line, key);
		exit(2);
	}
	n = strtoull(v, &end, 0);
	if (!*v || *end) {
		fprintf(stderr, "capfile_gen: line %u: %s=%s is not a number\n", it->line, key, v);
		exit(2);
	}
	return n;
}

static void out(const void *p, size_t len)
{
	if (len && fwrite(p, len, 1, stdout) != 1) {
		perror("capfile_gen");
		exit(1);
	}
}

/* @s, then zeros to the next multiple of 8, as the tables store paths. */
static void out_padded(const char *s)
{
	static const char zeros[8];
	size_t len = strlen(s);

	out(s, len);
	out(zeros, -len % 8);
}

static void header(const struct item *it)
{
	struct rmt_capfile_header h = {
		.version = (uint32_t)num(it, "version", 0, RMT_CAPFILE_VERSION),
		.header_size = sizeof(h),
		.abi_version = (uint32_t)num(it, "abi", 0, RMT_ABI_VERSION),
		.nr_cpus = 2,
	};
	const char *magic = get(it, "magic");

	if (!magic)
		magic = RMT_CAPFILE_MAGIC;
	memcpy(h.magic, magic, strnlen(magic, sizeof(h.magic)));
	out(&h, sizeof(h));
}

static void record_header(struct rmt_record_header *h, const struct item *it,
			  uint16_t type, size_t size)
{
	h->type = type;
	h->size = (uint16_t)size;
	h->cpu = (uint32_t)num(it, "cpu", type != RMT_REC_ROUND, 0);
	h->time_ns = num(it, "t", 1, 0);
}

static void comm(char dst[RMT_COMM_LEN], const struct item *it)
{
	const char *c = get(it, "comm");

	strncpy(dst, c ? c : "udpd", RMT_COMM_LEN - 1);
}

static void call(struct rmt_call *c, const struct item *it)
{
	c->syscall_nr = RMT_NR_IA32_RECVMMSG_TIME32;
	c->nr_msgs = (uint32_t)num(it, "nr_msgs", 0, 0);
	c->args[RMT_ARG_FD] = 3;
	c->args[RMT_ARG_MMSG] = 0x804c000;
	c->ret = (int64_t)num(it, "ret", 0, 0);
}

static void enter(const struct item *it)
{
	struct rmt_enter_record r = { 0 };
	uint32_t tid = (uint32_t)num(it, "tid", 1, 0);

	record_header(&r.hdr, it, RMT_REC_ENTER, sizeof(r));
	r.task = (struct rmt_task){
		.tgid = tid, .tid = tid, .ns_tgid = tid, .ns_tid = tid,
		.ppid = 1, .pid_ns = 1, .mnt_ns = 1, .cgroup_id = 1,
		.exe_ino = 4242, .exe_dev_major = 8, .exe_dev_minor = 1,
		.nodename = "host",
	};
	comm(r.task.comm, it);
	call(&r.call, it);
	out(&r, sizeof(r));
}

static void exit_(const struct item *it)
{
	struct rmt_exit_record r = { 0 };
	uint32_t tid = (uint32_t)num(it, "tid", 1, 0);

	record_header(&r.hdr, it, RMT_REC_EXIT, sizeof(r));
	/* enter_time_ns 0: paired with the thread's waiting enter. */
	r.task.tgid = tid;
	r.task.tid = tid;
	comm(r.task.comm, it);
	call(&r.call, it);
	out(&r, sizeof(r));
}

static void lost(const struct item *it)
{
	struct rmt_lost_record r = { 0 };

	record_header(&r.hdr, it, RMT_REC_LOST, sizeof(r));
	r.count = num(it, "count", 1, 0);
	out(&r, sizeof(r));
}

static void round_(const struct item *it)
{
	struct rmt_record_header h = { 0 };

	record_header(&h, it, RMT_REC_ROUND, sizeof(h));
	out(&h, sizeof(h));
}

/* Any type and size: what the reader must refuse or skip. */
static void raw_record(const struct item *it)
{
	static const char zeros[UINT16_MAX];
	uint64_t size = num(it, "size", 1, 0);
	struct rmt_record_header h = { 0 };

	if (size > UINT16_MAX) {
		fprintf(stderr, "capfile_gen: line %u: size above %u\n", it->line, UINT16_MAX);
		exit(2);
	}
	h.type = (uint16_t)num(it, "type", 1, 0);
	h.size = (uint16_t)size;
	h.cpu = (uint32_t)num(it, "cpu", 0, 0);
	h.time_ns = num(it, "t", 0, 0);
	out(&h, sizeof(h));
	if (size > sizeof(h))
		out(zeros, (size_t)size - sizeof(h));
}

static void cgroup(const struct item *it)
{
	struct rmt_capfile_cgroup c = { .cgroup_id = num(it, "id", 1, 0) };
	const char *path = get(it, "path");

	if (get(it, "gone"))
		c.path_len = RMT_CAPFILE_GONE;
	else if (path)
		c.path_len = (uint32_t)strlen(path);
	else
		c.path_len = (uint32_t)num(it, "path_len", 1, 0);
	out(&c, sizeof(c));
	if (path)
		out_padded(path);
}

static void exe(const struct item *it)
{
	struct rmt_capfile_exe e = {
		.start_time_ns = num(it, "start", 1, 0),
		.ino = num(it, "ino", 1, 0),
		.tid = (uint32_t)num(it, "tid", 1, 0),
		.dev_major = (uint32_t)num(it, "major", 1, 0),
		.dev_minor = (uint32_t)num(it, "minor", 1, 0),
	};
	const char *path = get(it, "path");

	if (!path) {
		fprintf(stderr, "capfile_gen: line %u: path= missing\n", it->line);
		exit(2);
	}
	e.path_len = (uint32_t)strlen(path);
	out(&e, sizeof(e));
	out_padded(path);
}

static void footer(const struct item *it)
{
	struct rmt_capfile_footer f = {
		.table_offset = num(it, "offset", 1, 0),
		.nr_cgroups = (uint32_t)num(it, "cgroups", 1, 0),
		.nr_exes = (uint32_t)num(it, "exes", 1, 0),
	};

	memcpy(f.magic, RMT_CAPFILE_FOOTER_MAGIC, sizeof(f.magic));
	out(&f, sizeof(f));
}

static const struct {
	const char *kind;
	void (*emit)(const struct item *it);
} kinds[] = {
	{ "header", header }, { "enter", enter }, { "exit", exit_ },
	{ "lost", lost }, { "round", round_ }, { "record", raw_record },
	{ "cgroup", cgroup }, { "exe", exe }, { "footer", footer },
};

int main(int argc, char **argv)
{
	char *line = NULL, *kind, *field, *save;
	struct item it = { 0 };
	size_t cap = 0, i;

	if (argc == 2 && !strcmp(argv[1], "--abi")) {
		printf("%d\n", RMT_ABI_VERSION);
		return 0;
	}
	while (getline(&line, &cap, stdin) > 0) {
		it.line++;
		it.n = 0;
		kind = strtok_r(line, " \t\n", &save);
		if (!kind)
			continue;
		while ((field = strtok_r(NULL, " \t\n", &save))) {
			char *eq = strchr(field, '=');

			if (it.n == MAX_FIELDS) {
				fprintf(stderr, "capfile_gen: line %u: too many fields\n", it.line);
				return 2;
			}
			if (eq)
				*eq++ = '\0';
			it.key[it.n] = field;
			it.val[it.n++] = eq;
		}
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(kinds[i].kind, kind))
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0])) {
			fprintf(stderr, "capfile_gen: line %u: unknown item %s\n", it.line, kind);
			return 2;
		}
		kinds[i].emit(&it);
	}
	free(line);
	if (fflush(stdout)) {
		perror("capfile_gen");
		return 1;
	}
	return 0;
}
