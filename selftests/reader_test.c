// SPDX-License-Identifier: GPL-2.0
/*
 * The reader (recvmmsg-trace, next to the tests) against the real module:
 * what it puts in force for its session, and that the session ends with
 * everything put back however the reader is stopped: Ctrl-C, a hang-up,
 * its output closing (recvmmsg-trace | head); killed outright, at least
 * capture goes off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

#define READER	"./recvmmsg-trace"

/* The config in force, or snaplen 0 when it cannot be read. */
static struct rmt_config config_now(int fd)
{
	struct rmt_config c = { .size = sizeof(c) };

	if (ioctl(fd, RMT_IOC_GET_CONFIG, &c))
		c.snaplen = 0;
	return c;
}

static bool config_is(int fd, const struct rmt_config *want)
{
	struct rmt_config c = config_now(fd);

	return !memcmp(&c, want, sizeof(c));
}

/*
 * The reader puts its -s and --wakeup in force for its session only, and
 * refuses a threshold larger than a CPU's buffer before touching anything.
 */
TEST_F(dev, reader_session_config_is_in_force_then_put_back)
{
	struct rmt_config before = { .size = sizeof(before), .snaplen = 3 };
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_config during = { 0 };
	struct rmt_filter filter;
	char too_big[32];
	int status, i;
	pid_t pid;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &before));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl(READER, "recvmmsg-trace", "-d", "3", "-s", "5",
		      "--wakeup=4096", "-o", "json", NULL);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		during = config_now(self->fd);
		if (during.snaplen == 5)
			break;
		usleep(10000);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(5, during.snaplen);
	EXPECT_EQ(4096, during.wakeup_bytes);
	EXPECT_TRUE(config_is(self->fd, &before));

	/* The default threshold, a quarter of the buffer, goes away as well. */
	EXPECT_EQ(0, system(READER " -d 0.2 >/dev/null 2>&1"));
	EXPECT_TRUE(config_is(self->fd, &before));

	snprintf(too_big, sizeof(too_big), "--wakeup=%u", info.buffer_bytes + 1);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDERR_FILENO);
		execl(READER, "recvmmsg-trace", "-d", "1", "-c", "x", too_big,
		      NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	EXPECT_TRUE(config_is(self->fd, &before));
	filter.size = sizeof(filter);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &filter));
	EXPECT_EQ(0, filter.flags);
}

/*
 * Start the reader with @args (NULL-terminated, at most 8), its standard
 * output on @out_fd and its standard error on /dev/null.
 */
static pid_t spawn_reader(int out_fd, const char *const args[])
{
	char *argv[10] = { "recvmmsg-trace" };
	pid_t pid;
	int i;

	for (i = 0; i < 8 && args[i]; i++)
		argv[i + 1] = (char *)args[i];
	argv[i + 1] = NULL;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(out_fd, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execv(READER, argv);
		_exit(127);
	}
	return pid;
}

static bool capture_on(int fd)
{
	struct rmt_info info = { .size = sizeof(info) };

	return !ioctl(fd, RMT_IOC_GET_INFO, &info) && (info.flags & RMT_INFO_ENABLED);
}

/*
 * Like recvmmsg-trace | head -n 1: once the reading end is closed, the
 * reader's next write fails; it must end its session by itself, exit 0
 * and leave capture off and the config as it found them.
 */
TEST_F(dev, reader_whose_output_closes_ends_its_session)
{
	char *client[] = { "rmt_client32", "recv", NULL };
	const char *args[] = { "-s", "5", NULL };
	struct rmt_config before = { .size = sizeof(before), .snaplen = 3 };
	struct client_report rep;
	char line[8192];
	int pipefd[2], status = 0, i;
	pid_t pid, done = 0;
	FILE *in;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &before));
	/* Close-on-exec: the reader must hold no reading end of its own. */
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	pid = spawn_reader(pipefd[1], args);
	ASSERT_LT(0, pid);
	close(pipefd[1]);
	ASSERT_EQ(0, wait_until_enabled());

	in = fdopen(pipefd[0], "r");
	ASSERT_NE(NULL, in);
	ASSERT_EQ(0, run_client(client, &rep));
	ASSERT_NE(NULL, fgets(line, sizeof(line), in));
	EXPECT_NE(NULL, strstr(line, " rmt_client32 recvmmsg_time32(")) TH_LOG("%s", line);
	fclose(in);

	/* More calls to print: the first write after the close fails. */
	for (i = 0; i < 100 && !done; i++) {
		run_client(client, &rep);
		usleep(100000);
		done = waitpid(pid, &status, WNOHANG);
	}
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	ASSERT_EQ(pid, done) TH_LOG("the reader went on writing to a closed pipe");
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x", status);
	EXPECT_FALSE(capture_on(self->fd));
	EXPECT_TRUE(config_is(self->fd, &before));
}

/* A hang-up (the terminal or ssh session went away) ends it like Ctrl-C. */
TEST_F(dev, reader_hung_up_ends_its_session)
{
	const char *args[] = { "-s", "5", NULL };
	struct rmt_config before = { .size = sizeof(before), .snaplen = 3 };
	int null = open("/dev/null", O_WRONLY), status, sig;
	int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	pid_t pid;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_LE(0, null);
	for (sig = 0; sig < 3; sig++) {
		ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
		ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &before));
		pid = spawn_reader(null, args);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, wait_until_enabled());
		ASSERT_EQ(0, kill(pid, sigs[sig]));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("signal %d: status %#x", sigs[sig], status);
		EXPECT_FALSE(capture_on(self->fd)) TH_LOG("signal %d", sigs[sig]);
		EXPECT_TRUE(config_is(self->fd, &before)) TH_LOG("signal %d", sigs[sig]);
	}
	close(null);
}

/* Wait (up to 20 s) until some session holds capture; false if none did. */
static bool wait_for_hold(int fd)
{
	struct rmt_info info = { .size = sizeof(info) };
	int i;

	for (i = 0; i < 400; i++) {
		if (!ioctl(fd, RMT_IOC_GET_INFO, &info) && (info.flags & RMT_INFO_HELD))
			return true;
		usleep(50000);
	}
	return false;
}

/*
 * Run the reader with "-n 1" and @args for one call of the client; its
 * standard output and error land in @out and @err. 0 when it printed a
 * call and exited 0, else -1.
 */
static int reader_one_call_of(int fd, char *const client[], const char *arg,
			      const char *arg2, char *out, size_t out_len,
			      char *err, size_t err_len)
{
	char *argv[] = { "recvmmsg-trace", "-n", "1", (char *)arg, (char *)arg2, NULL };
	int o = open("/tmp/reader_test.out", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int e = open("/tmp/reader_test.err", O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct client_report rep;
	int status = -1, i;
	pid_t pid = -1, done = 0;
	ssize_t n;

	if (o < 0 || e < 0)
		goto out;
	pid = fork();
	if (pid == 0) {
		dup2(o, STDOUT_FILENO);
		dup2(e, STDERR_FILENO);
		execv(READER, argv);
		_exit(127);
	}
	if (pid < 0 || !wait_for_hold(fd))
		goto out;
	for (i = 0; i < 50 && !done; i++) {
		run_client(client, &rep);
		usleep(100000);
		done = waitpid(pid, &status, WNOHANG);
	}
out:
	if (pid > 0 && !done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	n = o < 0 ? -1 : pread(o, out, out_len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = e < 0 ? -1 : pread(e, err, err_len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	if (o >= 0)
		close(o);
	if (e >= 0)
		close(e);
	return done && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int reader_one_call(int fd, const char *arg, const char *arg2,
			   char *out, size_t out_len, char *err, size_t err_len)
{
	char *client[] = { "rmt_client32", "recv", NULL };

	return reader_one_call_of(fd, client, arg, arg2, out, out_len, err, err_len);
}

/*
 * An exit without its enter (here a call seccomp denied, which skips
 * sys_enter) is printed as strace prints a resumed call.
 */
TEST_F(dev, reader_prints_an_exit_without_enter_as_resumed)
{
	char *client[] = { "rmt_client32", "recv", "seccomp=errno", NULL };
	char out[8192], err[4096];

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	EXPECT_EQ(0, reader_one_call_of(self->fd, client, NULL, NULL, out, sizeof(out),
					err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(out, " rmt_client32 <... recvmmsg_time32 resumed>) = -1 EPERM (Operation not permitted)\n"))
		TH_LOG("%s", out);
}

/*
 * A config left without exit records (by a reader killed outright) does
 * not carry over: a session without --no-exit pairs every call with its
 * result, and puts the config back when it ends.
 */
TEST_F(dev, reader_records_exits_even_when_a_config_left_them_off)
{
	struct rmt_config before = { .size = sizeof(before), .snaplen = 8,
				     .flags = RMT_CONFIG_NO_EXIT };
	char out[8192], err[4096];

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &before));
	EXPECT_EQ(0, reader_one_call(self->fd, NULL, NULL, out, sizeof(out),
				     err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(out, ") = 1 <")) TH_LOG("%s", out);
	EXPECT_TRUE(config_is(self->fd, &before));
}

/* A filter left in force is named on standard error, and kept. */
TEST_F(dev, reader_notes_a_filter_left_in_force)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_COMM,
				.comm = "rmt_client32" };
	struct rmt_filter after = { .size = sizeof(after) };
	char out[8192], err[4096];

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	EXPECT_EQ(0, reader_one_call(self->fd, NULL, NULL, out, sizeof(out),
				     err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(err, "a filter set before this session is in force: comm \"rmt_client32\"; --all"))
		TH_LOG("%s", err);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &after));
	EXPECT_EQ(RMT_FILTER_COMM, after.flags);
}

/* --all records what a filter left in force would hide, then puts it back. */
TEST_F(dev, reader_all_lifts_a_filter_left_in_force_for_its_session)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_COMM,
				.comm = "nobody" };
	struct rmt_filter after = { .size = sizeof(after) };
	char out[8192], err[4096];

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	EXPECT_EQ(0, reader_one_call(self->fd, "--all", NULL, out, sizeof(out),
				     err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(out, " rmt_client32 recvmmsg_time32(")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(err, "note:")) TH_LOG("%s", err);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &after));
	EXPECT_EQ(RMT_FILTER_COMM, after.flags);
	EXPECT_STREQ("nobody", after.comm);
}

/* Run the reader with @args (a shell word list); its stdout into @out. */
static int reader_output(const char *args, char *out, size_t len)
{
	char cmd[256];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", READER, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < len - 1 && !feof(p) && !ferror(p))
		n += fread(out + n, 1, len - 1 - n, p);
	out[n] = '\0';
	return pclose(p);
}

/* --status says whether capture is on and why, and what is in force. */
TEST_F(dev, reader_status_says_why_capture_is_on)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_UID | RMT_FILTER_COMM,
				.uid = 0, .comm = "udp\nd" };
	struct rmt_config c = { .size = sizeof(c), .snaplen = 5,
				.flags = RMT_CONFIG_NO_EXIT };
	char out[8192];
	int a;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\ncapture  on, until disabled (--disable)\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nfilter   uid 0, comm \"udp\\nd\"\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nconfig   snaplen 5, entry records only, reader woken for every record\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\ntotal ")) TH_LOG("%s", out);

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	a = open(RMT_DEVICE_PATH, O_RDONLY);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\ncapture  on while a reader holds it open\n")) TH_LOG("%s", out);
	close(a);
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\ncapture  off\n")) TH_LOG("%s", out);
}

/* --disable stops capture nobody's session started, and every session's. */
TEST_F(dev, reader_disable_turns_capture_off_for_everyone)
{
	char out[256];
	int a = open(RMT_DEVICE_PATH, O_RDONLY);

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_LE(0, a);
	ASSERT_EQ(0, ioctl(a, RMT_IOC_ENABLE, RMT_CAPTURE_HOLD));
	ASSERT_TRUE(capture_on(self->fd));
	EXPECT_EQ(0, reader_output("--disable", out, sizeof(out)));
	EXPECT_FALSE(capture_on(self->fd));
	close(a);
	EXPECT_FALSE(capture_on(self->fd));
}

/*
 * SIGKILL (the OOM killer) gives the reader no say; its session's hold on
 * capture goes with its descriptor, so capture does not stay on. (Its -s
 * stays in force: only the reader itself can put that back.)
 */
TEST_F(dev, reader_killed_outright_leaves_capture_off)
{
	int null = open("/dev/null", O_WRONLY), status;
	const char *args[] = { NULL };
	pid_t pid;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_LE(0, null);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	pid = spawn_reader(null, args);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_until_enabled());
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_FALSE(capture_on(self->fd));
	close(null);
}

/* Capture enabled before the reader started (enable=1) is left on. */
TEST_F(dev, reader_leaves_a_standing_enable_on)
{
	struct rmt_info info = { .size = sizeof(info) };
	int null = open("/dev/null", O_WRONLY), status, i;
	const char *args[] = { NULL };
	pid_t pid;

	if (access(READER, X_OK))
		SKIP(return, "the reader is not in the current directory");
	ASSERT_LE(0, null);
	pid = spawn_reader(null, args);
	ASSERT_LT(0, pid);
	/* Its session is under way once it holds capture too. */
	for (i = 0; i < 400 && !(info.flags & RMT_INFO_HELD); i++) {
		usleep(50000);
		ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	}
	EXPECT_TRUE(info.flags & RMT_INFO_HELD);
	ASSERT_EQ(0, kill(pid, SIGINT));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_STANDING, info.flags);
	close(null);
}

TEST_HARNESS_MAIN
