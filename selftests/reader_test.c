// SPDX-License-Identifier: GPL-2.0
/*
 * The reader (recvmmsg-trace, next to the tests) against the real module:
 * it captures in a session of its own, with its own filter and config,
 * never touching another session's; the session ends however the reader
 * is stopped (Ctrl-C, a hang-up, its output closing as with
 * recvmmsg-trace | head, SIGKILL); --boot takes over the boot session of
 * enable=1; --status lists the other sessions.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"
#include "rmt_fixture.h"

#define READER	"./recvmmsg-trace"

#define SKIP_WITHOUT_READER() do {						\
	if (access(READER, X_OK))						\
		SKIP(return, "the reader is not in the current directory");	\
} while (0)

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
 * Start the reader with @args (NULL-terminated, at most 8), its standard
 * output on @out_fd and its standard error on @err_fd (-1: /dev/null).
 */
static pid_t spawn_reader_err(int out_fd, int err_fd, const char *const args[])
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
		dup2(err_fd >= 0 ? err_fd : null, STDERR_FILENO);
		execv(READER, argv);
		_exit(127);
	}
	return pid;
}

static pid_t spawn_reader(int out_fd, const char *const args[])
{
	return spawn_reader_err(out_fd, -1, args);
}

/* A file for a reader's output, read back with slurp(). */
static int scratch(const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/tmp/reader_test.%s", name);
	return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

/* What was written to @fd, NUL-terminated, into @buf of @len bytes. */
static void slurp(int fd, char *buf, size_t len)
{
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
}

/* The reader's session is over: gone from the list, and the probes with it. */
static void expect_session_gone(struct __test_metadata *_metadata, int fd, pid_t reader)
{
	EXPECT_EQ(-1, find_session(fd, 0, reader, NULL)) TH_LOG("reader %d", reader);
	EXPECT_FALSE(info_flags(fd) & RMT_INFO_ATTACHED);
}

/*
 * The reader puts its -s and --wakeup in force in its own session and
 * leaves every other session's config alone; it refuses a threshold larger
 * than a CPU's buffer.
 */
TEST_F(dev, reader_config_is_its_own_sessions)
{
	struct rmt_config before = { .size = sizeof(before), .snaplen = 3 };
	const char *args[] = { "-d", "3", "-s", "5", "--wakeup=4096", "-o", "json", NULL };
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_filter filter = { .size = sizeof(filter) };
	struct rmt_session_info s = { 0 };
	int null = open("/dev/null", O_WRONLY), status;
	char too_big[32];
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, null);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &before));
	before = config_now(self->fd);

	pid = spawn_reader(null, args);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, wait_until_enabled(pid));
	EXPECT_EQ(0, find_session(self->fd, RMT_SESSION_ENABLED, pid, &s));
	EXPECT_TRUE(config_is(self->fd, &before));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(5, s.config.snaplen);
	EXPECT_EQ(4096, s.config.wakeup_bytes);
	EXPECT_TRUE(config_is(self->fd, &before));

	snprintf(too_big, sizeof(too_big), "--wakeup=%u", info.buffer_bytes + 1);
	pid = spawn_reader(null, (const char *const[]){ "-d", "1", "-c", "x", too_big, NULL });
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	EXPECT_TRUE(config_is(self->fd, &before));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &filter));
	EXPECT_EQ(0, filter.flags);
	close(null);
}

/*
 * Like recvmmsg-trace | head -n 1: once the reading end is closed, the
 * reader's next write fails; it must end its session by itself and exit 0.
 */
TEST_F(dev, reader_whose_output_closes_ends_its_session)
{
	char *client[] = { "rmt_client32", "recv", NULL };
	const char *args[] = { "-s", "5", NULL };
	struct client_report rep;
	char line[8192];
	int pipefd[2], status = 0, i;
	pid_t pid, done = 0;
	FILE *in;

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	/* Close-on-exec: the reader must hold no reading end of its own. */
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	pid = spawn_reader(pipefd[1], args);
	ASSERT_LT(0, pid);
	close(pipefd[1]);
	ASSERT_EQ(0, wait_until_enabled(pid));

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
	expect_session_gone(_metadata, self->fd, pid);
}

/*
 * Start the reader with @args, its output discarded; once its session is
 * enabled, send it @sig. Its pid into *@pid; its wait status, or -1 when
 * its session never came (it is killed then).
 */
static int reader_stopped_by(int sig, const char *const args[], pid_t *pid)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC), status = -1, enabled;

	*pid = null < 0 ? -1 : spawn_reader(null, args);
	if (null >= 0)
		close(null);
	if (*pid <= 0)
		return -1;
	enabled = !wait_until_enabled(*pid);
	kill(*pid, enabled ? sig : SIGKILL);
	if (waitpid(*pid, &status, 0) != *pid || !enabled)
		return -1;
	return status;
}

/* A hang-up (the terminal or ssh session went away) ends it like Ctrl-C. */
TEST_F(dev, reader_hung_up_ends_its_session)
{
	const char *args[] = { "-s", "5", NULL };
	int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	int status, sig;
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	for (sig = 0; sig < 3; sig++) {
		status = reader_stopped_by(sigs[sig], args, &pid);
		ASSERT_NE(-1, status) TH_LOG("signal %d: no session", sigs[sig]);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("signal %d: status %#x", sigs[sig], status);
		expect_session_gone(_metadata, self->fd, pid);
	}
}

/* SIGKILL (the OOM killer) gives the reader no say: its session ends all the same. */
TEST_F(dev, reader_killed_outright_leaves_no_session_behind)
{
	const char *args[] = { NULL };
	int status;
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	status = reader_stopped_by(SIGKILL, args, &pid);
	ASSERT_NE(-1, status) TH_LOG("no session");
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	expect_session_gone(_metadata, self->fd, pid);
}

/* Another session (this test's) stays enabled through a reader's whole run. */
TEST_F(dev, reader_leaves_other_sessions_enabled)
{
	const char *args[] = { NULL };
	int status;
	pid_t pid;

	SKIP_WITHOUT_READER();
	status = reader_stopped_by(SIGINT, args, &pid);
	ASSERT_NE(-1, status) TH_LOG("no session");
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(RMT_INFO_ENABLED | RMT_INFO_ATTACHED,
		  info_flags(self->fd) & (RMT_INFO_ENABLED | RMT_INFO_ATTACHED));
}

/*
 * Run the reader with "-n 1" and @arg, @arg2 for one call of the client;
 * its standard output and error land in @out and @err. 0 when it printed a
 * call and exited 0, else -1.
 */
static int reader_one_call_of(char *const client[], const char *arg, const char *arg2,
			      char *out, size_t out_len, char *err, size_t err_len)
{
	const char *args[] = { "-n", "1", arg, arg2, NULL };
	int o = scratch("out"), e = scratch("err");
	struct client_report rep;
	int status = -1, i;
	pid_t pid = -1, done = 0;

	if (o < 0 || e < 0)
		goto out;
	pid = spawn_reader_err(o, e, args);
	if (pid < 0 || wait_until_enabled(pid))
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
	slurp(o, out, out_len);
	slurp(e, err, err_len);
	if (o >= 0)
		close(o);
	if (e >= 0)
		close(e);
	return done && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * An exit without its enter (here a call seccomp denied, which skips
 * sys_enter) is printed as strace prints a resumed call.
 */
TEST_F(dev, reader_prints_an_exit_without_enter_as_resumed)
{
	char *client[] = { "rmt_client32", "recv", "seccomp=errno", NULL };
	char out[8192], err[4096];

	SKIP_WITHOUT_READER();
	REQUIRE_HOOK(RMT_HOOK_TRACEPOINT,
		     "a call seccomp denies never reaches the function the entry hook probes");
	EXPECT_EQ(0, reader_one_call_of(client, NULL, NULL, out, sizeof(out),
					err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(out, " rmt_client32 <... recvmmsg_time32 resumed>) = -1 EPERM (Operation not permitted)\n"))
		TH_LOG("%s", out);
}

/*
 * Another session's config and filter are not the reader's: with this
 * test's session entry-only and filtering everything out, the reader still
 * pairs every call with its result, and this session keeps both.
 */
TEST_F(dev, reader_ignores_the_filter_and_config_of_other_sessions)
{
	struct rmt_config c = { .size = sizeof(c), .snaplen = 8, .flags = RMT_CONFIG_NO_EXIT };
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_COMM,
				.comm = "nobody" };
	char *client[] = { "rmt_client32", "recv", NULL };
	struct rmt_filter after = { .size = sizeof(after) };
	char out[8192], err[4096];

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	c = config_now(self->fd);
	EXPECT_EQ(0, reader_one_call_of(client, NULL, NULL, out, sizeof(out),
					err, sizeof(err))) TH_LOG("out: %s err: %s", out, err);
	EXPECT_NE(NULL, strstr(out, " rmt_client32 recvmmsg_time32(")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ") = 1 <")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(err, "note:")) TH_LOG("%s", err);
	EXPECT_TRUE(config_is(self->fd, &c));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_FILTER, &after));
	EXPECT_EQ(RMT_FILTER_COMM, after.flags);
	EXPECT_STREQ("nobody", after.comm);
}

/* The reader with @args (a shell word list): its stdout into @out, its exit status. */
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

/* Times @needle occurs in @hay. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * --status names the module and lists every other session (its own left
 * out): owner, whether it captures, its buffer, filter, config, counters.
 */
TEST_F(dev, reader_status_lists_another_session_with_its_filter_and_config)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_UID | RMT_FILTER_COMM,
				.uid = 0, .comm = "udp\nd" };
	struct rmt_config c = { .size = sizeof(c), .snaplen = 5,
				.flags = RMT_CONFIG_NO_EXIT };
	struct rmt_info info = { .size = sizeof(info) };
	struct rmt_session_info s;
	char out[8192], want[256], comm[RMT_COMM_LEN];

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_CONFIG, &c));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	ASSERT_EQ(0, find_session(self->fd, RMT_SESSION_SELF, -1, &s));
	own_comm(comm);
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));

	snprintf(want, sizeof(want), "module   recvmmsg_trace %s, ABI %d, ", RMT_VERSION,
		 RMT_ABI_VERSION);
	EXPECT_EQ(0, strncmp(out, want, strlen(want))) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ", at most 8 sessions with buffers\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\ncapture  on: 1 session")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\n\nsession  %u, pid %d (%s), enabled, %u bytes of buffer per CPU\n",
		 s.id, getpid(), comm, info.buffer_bytes);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s\nwanted: %s", out, want);
	EXPECT_EQ(1, occurrences(out, "\nsession  ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nfilter   uid 0, comm \"udp\\nd\"\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nconfig   snaplen 5, entry records only, reader woken for every record\n"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\ntotal ")) TH_LOG("%s", out);
}

/* A session that was never enabled has no buffers yet; with none enabled, capture is off. */
TEST_F(dev, reader_status_says_capture_is_off_when_no_session_is_enabled)
{
	struct rmt_session_info s;
	char out[8192], want[256], comm[RMT_COMM_LEN];
	int idle = open_session(0);

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, idle);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, find_session(idle, RMT_SESSION_SELF, -1, &s));
	own_comm(comm);
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\ncapture  off: no session enabled\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ", not enabled, 262144 bytes of buffer per CPU\n")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\nsession  %u, pid %d (%s), not enabled, no buffers yet\n",
		 s.id, getpid(), comm);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s\nwanted: %s", out, want);
	EXPECT_EQ(2, occurrences(out, "\nsession  ")) TH_LOG("%s", out);
	close(idle);
}

/* --all and --disable lived with the shared state, and went with it. */
TEST(reader_refuses_the_removed_all_and_disable_options)
{
	char out[256];
	int status;

	SKIP_WITHOUT_READER();
	status = reader_output("--all -d 1", out, sizeof(out));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) TH_LOG("status %#x", status);
	status = reader_output("--disable", out, sizeof(out));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) TH_LOG("status %#x", status);
}

/* Process id and thread id of a line of text output; -1 when it is no call. */
static pid_t pid_of_line(const char *line)
{
	int pid, tid;

	if (!strstr(line, " recvmmsg_time32(") ||
	    sscanf(line, "%*s cpu%*u %d/%d ", &pid, &tid) != 2)
		return -1;
	return pid;
}

/* -n: the call that makes the count ends the reader; it waits for no other. */
/*
 * A call whose thread moved to another CPU while it blocked: its enter is
 * on CPU 0, its exit on CPU 1, in two CPUs' buffers that reads take in
 * turn. The reader shows it once, whole: in JSON, which leaves out a call
 * seen without its enter, with the enter's CPU and the result.
 */
TEST(reader_pairs_a_call_whose_thread_moved_to_another_cpu)
{
	char *server[] = { "rmt_client32", "serve", "40779", "1", NULL };
	const char *args[] = { "--json", "-n", "1", "-c", "rmt_client32", NULL };
	int o = scratch("out"), status;
	cpu_set_t cpu0, cpu1, all;
	pid_t reader, pid;
	bool in_call;
	char out[8192], want[64];

	SKIP_WITHOUT_READER();
	if (get_nprocs() < 2)
		SKIP(return, "one CPU: there is nowhere to move to");
	ASSERT_LE(0, o);
	reader = spawn_reader(o, args);
	ASSERT_LT(0, reader);
	ASSERT_EQ(0, wait_until_enabled(reader));
	/* The server starts on CPU 0 (inherited), and enters its call there. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	CPU_ZERO(&cpu1);
	CPU_SET(1, &cpu1);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(all), &all));
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	pid = spawn_client(server);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(all), &all));
	ASSERT_LT(0, pid);
	in_call = !wait_in_syscall(pid, RMT_NR_IA32_RECVMMSG_TIME32);
	/* Blocked on CPU 0; it wakes up on CPU 1. */
	EXPECT_EQ(0, sched_setaffinity(pid, sizeof(cpu1), &cpu1));
	EXPECT_EQ(0, ping_port(40779));
	if (!in_call)
		kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(in_call) TH_LOG("the server never reached its call");
	status = reap_within(reader, 10);
	slurp(o, out, sizeof(out));
	close(o);
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x: %s", status, out);
	EXPECT_EQ(1, occurrences(out, "\n")) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"hostProcessId\":%d,", pid);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"processorId\":0,")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"returnValue\":1,")) TH_LOG("%s", out);
}

TEST(reader_ends_at_its_nth_call_without_waiting_for_another)
{
	char *client[] = { "rmt_client32", "recv", NULL };
	const char *args[] = { "-n", "1", NULL };
	struct client_report rep;
	int o = scratch("out"), status;
	char out[8192];
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, o);
	pid = spawn_reader(o, args);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, wait_until_enabled(pid));
	ASSERT_EQ(0, run_client(client, &rep));
	status = reap_within(pid, 10);
	slurp(o, out, sizeof(out));
	close(o);
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x: %s", status, out);
	EXPECT_EQ(rep.pid, pid_of_line(out)) TH_LOG("%s", out);
}

/*
 * -n not reached when a signal (or -d) ends the run: what was queued and
 * the call still running are printed, as without -n.
 */
TEST(reader_stopped_before_its_nth_call_prints_the_call_in_flight)
{
	char *server[] = { "rmt_client32", "serve", "40781", "1", NULL };
	const char *args[] = { "-n", "5", "-c", "rmt_client32", NULL };
	int o = scratch("out"), status;
	pid_t reader, pid;
	bool in_call;
	char out[8192];

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, o);
	reader = spawn_reader(o, args);
	ASSERT_LT(0, reader);
	ASSERT_EQ(0, wait_until_enabled(reader));
	pid = spawn_client(server);
	ASSERT_LT(0, pid);
	in_call = !wait_in_syscall(pid, RMT_NR_IA32_RECVMMSG_TIME32);
	/* The reader stops while the server still waits for its datagram. */
	kill(reader, SIGINT);
	status = reap_within(reader, 10);
	EXPECT_EQ(0, ping_port(40781));
	if (!in_call)
		kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(in_call) TH_LOG("the server never reached its call");
	slurp(o, out, sizeof(out));
	close(o);
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x: %s", status, out);
	EXPECT_EQ(1, occurrences(out, "\n")) TH_LOG("%s", out);
	EXPECT_EQ(pid, pid_of_line(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, " <unfinished ...>")) TH_LOG("%s", out);
}

TEST(two_readers_with_different_pids_each_print_only_their_process)
{
	char *client[] = { "rmt_client32", "recv", "calls=2", NULL };
	struct client_report reps[MAX_REPORTS];
	char out[2][8192], pid_arg[2][16], *line, *save;
	int o[2], status, i, calls;
	struct client c[2];
	pid_t reader[2];
	struct gate g;

	SKIP_WITHOUT_READER();
	/* The clients exist, their pids known, but call only once both readers capture. */
	ASSERT_EQ(0, gate_make(&g));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, client_start(&c[i], client, gate_wait, &g, 0));
	for (i = 0; i < 2; i++) {
		char name[8];

		snprintf(name, sizeof(name), "out%d", i);
		snprintf(pid_arg[i], sizeof(pid_arg[i]), "%d", c[i].pid);
		o[i] = scratch(name);
		ASSERT_LE(0, o[i]);
		/* -d: a bound of its own, whatever -n does (tested apart). */
		reader[i] = spawn_reader(o[i], (const char *const[]){ "-p", pid_arg[i],
								       "-n", "2", "-d", "10",
								       NULL });
		ASSERT_LT(0, reader[i]);
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, wait_until_enabled(reader[i]));
	gate_open(&g);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(1, client_wait(&c[i], reps));
	for (i = 0; i < 2; i++) {
		status = reap_within(reader[i], 20);
		EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("reader %d: status %#x", i, status);
		slurp(o[i], out[i], sizeof(out[i]));
		close(o[i]);
	}
	for (i = 0; i < 2; i++) {
		calls = 0;
		for (line = strtok_r(out[i], "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			EXPECT_EQ(c[i].pid, pid_of_line(line)) TH_LOG("reader %d: %s", i, line);
			EXPECT_NE(NULL, strstr(line, ") = 1 <")) TH_LOG("reader %d: %s", i, line);
			calls++;
		}
		EXPECT_EQ(2, calls) TH_LOG("reader %d", i);
	}
}

TEST(reader_boot_without_a_boot_session_says_so)
{
	const char *args[] = { "--boot", "-d", "1", NULL };
	int null = open("/dev/null", O_WRONLY), e = scratch("err"), status;
	char err[4096];
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, null);
	ASSERT_LE(0, e);
	pid = spawn_reader_err(null, e, args);
	ASSERT_LT(0, pid);
	status = reap_within(pid, 20);
	slurp(e, err, sizeof(err));
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 1)
		TH_LOG("status %#x", status);
	EXPECT_NE(NULL, strstr(err, "recvmmsg-trace: no boot session to adopt (load the module with enable=1; another reader may have adopted it)\n"))
		TH_LOG("%s", err);
}

/* Declared last so that it runs last: its tests reload the module. */
FIXTURE(reload) {
};

FIXTURE_SETUP(reload)
{
}

/* Whatever a test did, the next suites find the module as loaded by default. */
FIXTURE_TEARDOWN(reload)
{
	restore_module();
}

/* --boot: the calls captured since load, before the reader started. */
TEST_F(reload, reader_boot_reads_calls_made_before_it_started)
{
	char *client[] = { "rmt_client32", "recv", NULL };
	const char *args[] = { "--boot", "-n", "1", "-d", "10", NULL };
	struct client_report rep;
	char out[8192];
	int o, status;
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, reload_module("enable=1"));
	ASSERT_EQ(0, run_client(client, &rep));
	o = scratch("out");
	ASSERT_LE(0, o);
	pid = spawn_reader(o, args);
	ASSERT_LT(0, pid);
	status = reap_within(pid, 20);
	slurp(o, out, sizeof(out));
	close(o);
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("status %#x: %s", status, out);
	EXPECT_EQ(rep.pid, pid_of_line(out)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ") = 1 <")) TH_LOG("%s", out);
}

TEST_F(reload, reader_status_lists_the_boot_session)
{
	char out[8192];

	SKIP_WITHOUT_READER();
	ASSERT_EQ(0, reload_module("enable=1"));
	ASSERT_EQ(0, reader_output("--status", out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "\ncapture  on: 1 session")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ", boot session (enable=1), enabled, ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "; recvmmsg-trace --boot reads it\nfilter   none\n"))
		TH_LOG("%s", out);
}

TEST_F(reload, reader_past_max_sessions_says_why_it_cannot_enable)
{
	const char *args[] = { "-d", "1", NULL };
	int null = open("/dev/null", O_WRONLY), e = scratch("err"), fd, status;
	char err[4096];
	pid_t pid;

	SKIP_WITHOUT_READER();
	ASSERT_LE(0, null);
	ASSERT_LE(0, e);
	ASSERT_EQ(0, reload_module("max_sessions=1"));
	fd = open_session(1);
	ASSERT_LE(0, fd);
	pid = spawn_reader_err(null, e, args);
	ASSERT_LT(0, pid);
	status = reap_within(pid, 20);
	slurp(e, err, sizeof(err));
	EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 1)
		TH_LOG("status %#x", status);
	EXPECT_NE(NULL, strstr(err, "recvmmsg-trace: cannot enable capture: all 1 sessions the module allows are in use (max_sessions=1); recvmmsg-trace --status lists them\n"))
		TH_LOG("%s", err);
	close(fd);
}

TEST_HARNESS_MAIN
