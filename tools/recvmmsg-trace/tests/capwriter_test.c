// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of -w's writer: one file, rings rotated by size and by time,
 * their names, the tables each file carries, and a write that does not fit
 * (a file size limit stands in for a full disk). Every file written is read
 * back with the reader's own capture-file code.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../capfile.h"
#include "../capwriter.h"
#include "../containers.h"

#include "kselftest_harness.h"

/* A LOST record is 24 bytes: a file's size tells how many it holds. */
#define REC	sizeof(struct rmt_lost_record)
#define HDR	sizeof(struct rmt_capfile_header)

/* @n LOST records, numbered from @first by their count and time. */
static void records(struct rmt_lost_record *r, unsigned int n, unsigned int first)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		r[i] = (struct rmt_lost_record){
			.hdr = { .type = RMT_REC_LOST, .size = REC, .time_ns = first + i },
			.count = first + i,
		};
}

static char *name(const char *dir, const char *file)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, file) < 0)
		abort();
	return p;
}

static off_t size_of(const char *dir, const char *file)
{
	char *p = name(dir, file);
	struct stat st;
	off_t size = stat(p, &st) ? -1 : st.st_size;

	free(p);
	return size;
}

/*
 * Read @file back: -1 when the reader refuses it, else its record count;
 * *@first the count of its first record, *@table whether it has a table.
 */
static long read_back(const char *dir, const char *file, unsigned long long *first, bool *table)
{
	char *p = name(dir, file);
	struct rmt_capfile c;
	const void *block;
	uint64_t offset;
	long n, total = 0;

	if (rmt_capfile_open(&c, p)) {
		free(p);
		return -1;
	}
	while ((n = rmt_capfile_next(&c, &block, &offset)) > 0) {
		if (!total && first)
			*first = ((const struct rmt_lost_record *)block)->count;
		total += n / (long)REC;
	}
	if (table)
		*table = c.cgroups != NULL;
	rmt_capfile_close(&c);
	free(p);
	return n < 0 ? -1 : total;
}

FIXTURE(dir) {
	char path[64];
	struct rmt_capwriter_opts o;
	struct rmt_lost_record recs[64];
};

FIXTURE_SETUP(dir)
{
	strcpy(self->path, "/tmp/rmt-capwriter-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	self->o = (struct rmt_capwriter_opts){ .nr_cpus = 2 };
	self->o.path = name(self->path, "cap");
}

FIXTURE_TEARDOWN(dir)
{
	char *cmd;

	free((char *)self->o.path);
	if (asprintf(&cmd, "rm -rf '%s'", self->path) > 0 && system(cmd))
		TH_LOG("could not remove %s", self->path);
	free(cmd);
}

TEST_F(dir, no_rotation_writes_the_one_file_named)
{
	struct rmt_capwriter *w = rmt_capwriter_open(&self->o, 0);
	bool table = false;

	ASSERT_NE(NULL, w);
	records(self->recs, 10, 1);
	ASSERT_EQ(0, rmt_capwriter_write(w, self->recs, 10 * REC, 1e6));
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(10, read_back(self->path, "cap", NULL, &table));
	EXPECT_TRUE(table);
	EXPECT_EQ(-1, size_of(self->path, "cap0"));
}

TEST_F(dir, size_rotation_keeps_a_ring_of_whole_files)
{
	/* Room for a header, a table with no entry and 10 records. */
	uint64_t room = HDR + sizeof(struct rmt_capfile_footer) + 10 * REC;
	unsigned long long first[3];
	struct rmt_capwriter *w;
	long n[3];
	int i;

	self->o.max_bytes = room;
	self->o.nr_files = 3;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	/* 45 records in blocks of 7: files of 10, 10, 10, 10, 5 on a ring of 3. */
	for (i = 0; i < 45; i += 7) {
		records(self->recs, i + 7 <= 45 ? 7 : 45 - i, (unsigned int)i + 1);
		ASSERT_EQ(0, rmt_capwriter_write(w, self->recs,
						 (i + 7 <= 45 ? 7 : 45 - (size_t)i) * REC, 0));
	}
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	for (i = 0; i < 3; i++) {
		char file[8];
		bool table = false;

		snprintf(file, sizeof(file), "cap%d", i);
		EXPECT_GE((off_t)room, size_of(self->path, file));
		n[i] = read_back(self->path, file, &first[i], &table);
		EXPECT_TRUE(table);
	}
	/* Files 3 and 4 took the places of 0 and 1: records 31-45 and 21-30. */
	EXPECT_EQ(10, n[0]);
	EXPECT_EQ(31, first[0]);
	EXPECT_EQ(5, n[1]);
	EXPECT_EQ(41, first[1]);
	EXPECT_EQ(10, n[2]);
	EXPECT_EQ(21, first[2]);
	EXPECT_EQ(-1, size_of(self->path, "cap3"));
}

TEST_F(dir, without_a_count_files_are_numbered_on)
{
	struct rmt_capwriter *w;

	self->o.max_bytes = HDR + sizeof(struct rmt_capfile_footer) + 4 * REC;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	records(self->recs, 12, 1);
	ASSERT_EQ(0, rmt_capwriter_write(w, self->recs, 12 * REC, 0));
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(4, read_back(self->path, "cap0", NULL, NULL));
	EXPECT_EQ(4, read_back(self->path, "cap1", NULL, NULL));
	EXPECT_EQ(4, read_back(self->path, "cap2", NULL, NULL));
	EXPECT_EQ(-1, size_of(self->path, "cap3"));
	EXPECT_EQ(-1, size_of(self->path, "cap"));
}

/* A service restarted goes on after what it wrote before, never over it. */
TEST_F(dir, a_writer_started_again_goes_on_after_the_newest_file)
{
	struct rmt_capwriter *w;
	unsigned long long first;
	int run;

	self->o.max_bytes = HDR + sizeof(struct rmt_capfile_footer) + 2 * REC;
	self->o.nr_files = 3;
	/* Two runs of 4 records: files 0 and 1, then 2 and 0 again. */
	for (run = 0; run < 2; run++) {
		w = rmt_capwriter_open(&self->o, 0);
		ASSERT_NE(NULL, w);
		records(self->recs, 4, 1 + 4 * (unsigned int)run);
		ASSERT_EQ(0, rmt_capwriter_write(w, self->recs, 4 * REC, 0));
		ASSERT_EQ(0, rmt_capwriter_close(w, true));
	}
	EXPECT_EQ(2, read_back(self->path, "cap1", &first, NULL));
	EXPECT_EQ(3, first);
	EXPECT_EQ(2, read_back(self->path, "cap2", &first, NULL));
	EXPECT_EQ(5, first);
	EXPECT_EQ(2, read_back(self->path, "cap0", &first, NULL));
	EXPECT_EQ(7, first);
	/* Numbered on: after the last there is. */
	self->o.nr_files = 0;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	EXPECT_STREQ(strrchr(rmt_capwriter_path(w), '/'), "/cap3");
	EXPECT_EQ(0, rmt_capwriter_close(w, true));
}

TEST_F(dir, ring_numbers_are_zero_padded_to_sort)
{
	struct rmt_capwriter *w;

	self->o.max_bytes = 1000000;
	self->o.nr_files = 11;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	EXPECT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(0, read_back(self->path, "cap00", NULL, NULL));
}

TEST_F(dir, a_record_larger_than_the_size_still_gets_a_file)
{
	struct rmt_capwriter *w;

	self->o.max_bytes = 1;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	records(self->recs, 3, 1);
	ASSERT_EQ(0, rmt_capwriter_write(w, self->recs, 3 * REC, 0));
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(1, read_back(self->path, "cap0", NULL, NULL));
	EXPECT_EQ(1, read_back(self->path, "cap1", NULL, NULL));
	EXPECT_EQ(1, read_back(self->path, "cap2", NULL, NULL));
}

TEST_F(dir, time_rotation_starts_a_file_once_one_is_old_enough)
{
	struct rmt_capwriter *w;

	self->o.seconds = 10;
	w = rmt_capwriter_open(&self->o, 100);
	ASSERT_NE(NULL, w);
	records(self->recs, 3, 1);
	ASSERT_EQ(0, rmt_capwriter_write(w, &self->recs[0], REC, 101));
	ASSERT_EQ(0, rmt_capwriter_write(w, &self->recs[1], REC, 109.9));
	ASSERT_EQ(0, rmt_capwriter_write(w, &self->recs[2], REC, 110));
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(2, read_back(self->path, "cap0", NULL, NULL));
	EXPECT_EQ(1, read_back(self->path, "cap1", NULL, NULL));
}

TEST_F(dir, the_tables_go_in_every_file)
{
	struct rmt_cgroups *cg = rmt_cgroups_table();
	unsigned long long first;
	struct rmt_capwriter *w;
	bool table = false;

	ASSERT_NE(NULL, cg);
	rmt_cgroups_add(cg, 42, "/system.slice/a-rather-long-unit-name.service");
	self->o.cgroups = cg;
	/* The table's entry takes room of its own: 2 records a file. */
	self->o.max_bytes = HDR + rmt_capfile_table_size(cg, NULL) + 2 * REC;
	w = rmt_capwriter_open(&self->o, 0);
	ASSERT_NE(NULL, w);
	records(self->recs, 4, 1);
	ASSERT_EQ(0, rmt_capwriter_write(w, self->recs, 4 * REC, 0));
	ASSERT_EQ(0, rmt_capwriter_close(w, true));
	EXPECT_EQ(2, read_back(self->path, "cap0", &first, &table));
	EXPECT_TRUE(table);
	EXPECT_EQ(2, read_back(self->path, "cap1", &first, &table));
	EXPECT_TRUE(table);
	EXPECT_EQ(3, first);
	EXPECT_EQ((off_t)self->o.max_bytes, size_of(self->path, "cap1"));
	rmt_cgroups_close(cg);
}

/*
 * A file size limit makes write() stop short, then fail, as a full disk
 * does: the file must end after its last whole record, every later write
 * must fail, and what is there must read back.
 */
TEST_F(dir, a_write_that_does_not_fit_leaves_whole_records_only)
{
	struct rlimit lim = { .rlim_cur = HDR + 10 * REC + 5, .rlim_max = RLIM_INFINITY };
	struct rmt_capwriter *w;
	pid_t pid;
	int status;

	records(self->recs, 16, 1);
	/* In a child: the limit must not outlive the test. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		signal(SIGXFSZ, SIG_IGN);
		if (getrlimit(RLIMIT_FSIZE, &lim) == 0)
			lim.rlim_cur = HDR + 10 * REC + 5;
		if (setrlimit(RLIMIT_FSIZE, &lim))
			_exit(10);
		w = rmt_capwriter_open(&self->o, 0);
		if (!w)
			_exit(11);
		if (rmt_capwriter_write(w, self->recs, 8 * REC, 0))
			_exit(12);
		if (rmt_capwriter_write(w, &self->recs[8], 8 * REC, 0) != -1)
			_exit(13);
		if (rmt_capwriter_write(w, &self->recs[8], REC, 0) != -1)
			_exit(14);
		_exit(rmt_capwriter_close(w, true) == -1 ? 0 : 15);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ((off_t)(HDR + 10 * REC), size_of(self->path, "cap"));
	EXPECT_EQ(10, read_back(self->path, "cap", NULL, NULL));
}

TEST_F(dir, a_file_that_cannot_be_created_is_an_error)
{
	free((char *)self->o.path);
	self->o.path = name(self->path, "no-such-dir/cap");
	EXPECT_EQ(NULL, rmt_capwriter_open(&self->o, 0));
}

TEST_HARNESS_MAIN
