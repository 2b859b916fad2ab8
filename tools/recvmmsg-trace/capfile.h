/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture files (-w, -r): the raw record stream as read from the device,
 * after a small header, so that a capture made on one host is decoded
 * later, anywhere, without the module.
 *
 * Layout (little-endian, as the records themselves):
 *   struct rmt_capfile_header, then records exactly as read() returned them
 *   (struct rmt_record_header first in each, sizes multiples of 8).
 * Version 2 adds, when the writer ended cleanly, the cgroup table: the
 * cgroups the records name, so that -r on another machine or boot still
 * names containers (cgroup ids mean nothing outside their boot):
 *   struct rmt_capfile_cgroup, then path_len bytes of its path below the
 *   cgroup2 mount, zero-padded to 8, for each cgroup; then
 *   struct rmt_capfile_footer. A file without the footer (its writer was
 *   killed, or is still writing) is records to its end. Version 1 files
 *   are read as before.
 * Version 3 adds, after the cgroups, the executables the records name:
 *   struct rmt_capfile_exe and its path, padded the same way, for each,
 *   counted by the footer's nr_exes (zero in version 2).
 */
#ifndef RMT_CAPFILE_H
#define RMT_CAPFILE_H

#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>

#include "containers.h"
#include "exes.h"

#define RMT_CAPFILE_MAGIC	"RMTCAP\r\n"	/* 8 bytes, no NUL */
#define RMT_CAPFILE_VERSION	3
#define RMT_CAPFILE_FOOTER_MAGIC	"RMTCGRP\n"	/* 8 bytes, no NUL */

struct rmt_capfile_header {
	char magic[8];		/* RMT_CAPFILE_MAGIC */
	__u32 version;		/* RMT_CAPFILE_VERSION */
	__u32 header_size;	/* bytes before the first record (32) */
	__u32 abi_version;	/* RMT_ABI_VERSION of the records */
	__u32 nr_cpus;		/* CPU numbers in records are below this */
	__s64 epoch_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC at capture */
};

/* One cgroup of the table. */
struct rmt_capfile_cgroup {
	__u64 cgroup_id;
	__u32 path_len;		/* RMT_CAPFILE_GONE: removed before it was read */
	__u32 reserved;		/* zero */
};

#define RMT_CAPFILE_GONE	0xffffffffU

/* One executable of the table (version 3): a thread's file and its path. */
struct rmt_capfile_exe {
	__u64 start_time_ns;	/* the thread's, as in its records */
	__u64 ino;
	__u32 tid;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 path_len;
};

/* The file's last bytes, when it has the table. */
struct rmt_capfile_footer {
	char magic[8];		/* RMT_CAPFILE_FOOTER_MAGIC */
	__u64 table_offset;	/* where the records end and the table starts */
	__u32 nr_cgroups;
	__u32 nr_exes;		/* version 3; zero before */
};

/*
 * Files written by earlier versions must still read: the on-disk structs
 * keep their sizes (the tests build their inputs from these very structs).
 */
_Static_assert(sizeof(struct rmt_capfile_header) == 32, "capture file header layout");
_Static_assert(sizeof(struct rmt_capfile_cgroup) == 16, "cgroup table entry layout");
_Static_assert(sizeof(struct rmt_capfile_exe) == 32, "executable table entry layout");
_Static_assert(sizeof(struct rmt_capfile_footer) == 24, "table footer layout");

int rmt_capfile_write_header(FILE *f, uint32_t nr_cpus, int64_t epoch_offset_ns);
/* After the last record: the cgroups' and executables' table (either may be NULL). */
int rmt_capfile_write_table(FILE *f, struct rmt_cgroups *cg, struct rmt_exes *exes);
/* The bytes that table would take, footer included. */
uint64_t rmt_capfile_table_size(struct rmt_cgroups *cg, struct rmt_exes *exes);

/* Reading: blocks of whole records, in constant memory. */
struct rmt_capfile {
	FILE *f;
	const char *path;
	struct rmt_capfile_header hdr;
	char *buf;		/* 8-byte aligned */
	size_t size, len;	/* capacity, bytes held */
	uint64_t offset;	/* file offset of buf[0] */
	size_t consumed;	/* bytes of buf handed out by the last next() */
	uint64_t end;		/* where the records end (the table, or EOF) */
	struct rmt_cgroups *cgroups;	/* the table; NULL: the file has none */
	struct rmt_exes *exes;		/* the same, of executables */
};

/* Open and check @path; a message and -1 when it is not a capture file. */
int rmt_capfile_open(struct rmt_capfile *c, const char *path);
/*
 * The next block of whole records: their bytes, 0 at the end, -1 with a
 * message naming the byte offset when the file is truncated or corrupt.
 * *@records and *@offset say where the block is.
 */
long rmt_capfile_next(struct rmt_capfile *c, const void **records, uint64_t *offset);
void rmt_capfile_close(struct rmt_capfile *c);

#endif /* RMT_CAPFILE_H */
