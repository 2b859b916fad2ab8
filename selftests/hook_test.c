// SPDX-License-Identifier: GPL-2.0
/*
 * The module's two hooks. Each test loads the module with the hook it is
 * about, named on the command line (it wins over modprobe.d), so the suite
 * holds the same whichever hook the rest of the run uses: GET_INFO and the
 * parameters name the hook, bad values are refused at load, and the entry
 * hook counts the calls past maxactive as missed, makes no exit-only
 * records and leaves other socket calls alone.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"

/* Calls the entry hook can follow at once in these tests. */
#define MAXACTIVE	2
#define FIRST_PORT	40791

/* The first line of parameter @name, newline and all, into @buf. */
static int read_param(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	return ok ? 0 : -1;
}

/*
 * A server blocked in recvmmsg_time32 on @port until ping_port(@port): its
 * pid, or -1 (then nothing is left running).
 */
static pid_t blocked_server(int port)
{
	char portname[16];
	char *argv[] = { "rmt_client32", "serve", portname, "1", NULL };
	pid_t pid;

	snprintf(portname, sizeof(portname), "%d", port);
	pid = spawn_client(argv);
	if (pid <= 0)
		return -1;
	if (wait_in_syscall(pid, RMT_NR_IA32_RECVMMSG_TIME32)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Let a blocked_server() go: 0 once it has received and ended well. */
static int release_server(pid_t pid, int port)
{
	int status;

	if (ping_port(port)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	status = reap_within(pid, 20);
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * @n servers blocked in their calls at once, then let go: how many were
 * started and ended well (@n when all went right).
 */
static int blocked_servers(int n)
{
	pid_t servers[MAXACTIVE + 2];
	int i, started = 0, released = 0;

	for (i = 0; i < n && i < MAXACTIVE + 2; i++) {
		servers[i] = blocked_server(FIRST_PORT + i);
		if (servers[i] < 0)
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		released += !release_server(servers[i], FIRST_PORT + i);
	return released;
}

/*
 * The session of @fd disabled and enabled again while a server blocks in
 * its call, then the server let go: its pid, or -1 when a step failed.
 */
static pid_t restart_around_a_call(int fd)
{
	pid_t server = blocked_server(FIRST_PORT);
	int restarted;

	if (server < 0)
		return -1;
	restarted = !ioctl(fd, RMT_IOC_DISABLE, 0) && !ioctl(fd, RMT_IOC_ENABLE, 0);
	if (release_server(server, FIRST_PORT) || !restarted)
		return -1;
	return server;
}

FIXTURE(entry) {
	int fd;
};

FIXTURE_SETUP(entry)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "hook=entry maxactive=%d", MAXACTIVE);
	ASSERT_EQ(0, reload_module(cmd));
	self->fd = open_session(1);
	ASSERT_LE(0, self->fd) TH_LOG("open_session: %s", strerror(errno));
}

FIXTURE_TEARDOWN(entry)
{
	restore_module();
}

TEST_F(entry, info_and_parameters_name_the_hook)
{
	struct rmt_info info = { .size = sizeof(info) };
	char buf[32];

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(RMT_HOOK_ENTRY, info.hook);
	EXPECT_EQ(MAXACTIVE, info.maxactive);
	EXPECT_EQ(RMT_HOOK_ENTRY, module_hook());
	ASSERT_EQ(0, read_param("maxactive", buf, sizeof(buf)));
	EXPECT_STREQ("2\n", buf);
}

/*
 * MAXACTIVE servers blocked in their calls take every place; the calls of
 * two more are missed, and counted: seen and dropped at entry in the total,
 * on no CPU, so that every counter still adds up.
 */
TEST_F(entry, calls_past_maxactive_are_counted_missed)
{
	struct rmt_stats st = { .size = sizeof(st) };
	struct rmt_cpu_stats cpus[64], sum;
	unsigned int cpu;

	ASSERT_EQ(MAXACTIVE + 2, blocked_servers(MAXACTIVE + 2));
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(MAXACTIVE, rec.n_enter);
	EXPECT_EQ(MAXACTIVE, rec.n_exit);

	memset(cpus, 0, sizeof(cpus));
	st.nr_cpus = 64;
	st.cpus = (unsigned long)cpus;
	st.cpu_size = sizeof(cpus[0]);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_GET_STATS, &st));
	EXPECT_EQ(sizeof(cpus[0]), st.cpu_size);
	EXPECT_EQ(2, st.total.missed);
	EXPECT_EQ(MAXACTIVE + 2, st.total.enter.seen);
	EXPECT_EQ(MAXACTIVE, st.total.enter.written);
	EXPECT_EQ(2, st.total.enter.dropped);
	EXPECT_EQ(0, st.total.enter.filtered);
	EXPECT_EQ(MAXACTIVE, st.total.exit.seen);
	EXPECT_EQ(MAXACTIVE, st.total.exit.written);
	/* The misses belong to no CPU: the CPUs add up to the rest. */
	memset(&sum, 0, sizeof(sum));
	for (cpu = 0; cpu < st.nr_cpus; cpu++) {
		EXPECT_EQ(0, cpus[cpu].missed);
		sum.enter.seen += cpus[cpu].enter.seen;
		sum.enter.dropped += cpus[cpu].enter.dropped;
	}
	EXPECT_EQ(st.total.enter.seen, sum.enter.seen + st.total.missed);
	EXPECT_EQ(st.total.enter.dropped, sum.enter.dropped + st.total.missed);
	/* The drops are no buffer's: no LOST record tells of them. */
	EXPECT_EQ(0, rec.n_lost);
}

/* A session's count of misses starts again with RESET. */
TEST_F(entry, reset_zeroes_the_missed_calls)
{
	struct rmt_cpu_stats total;

	ASSERT_EQ(MAXACTIVE + 1, blocked_servers(MAXACTIVE + 1));
	ASSERT_EQ(0, get_total(self->fd, &total));
	EXPECT_EQ(1, total.missed);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, get_total(self->fd, &total));
	EXPECT_EQ(0, total.missed);
	EXPECT_EQ(0, total.enter.seen);
}

/* A call already running when capture starts is not seen at all. */
TEST_F(entry, a_call_running_before_capture_starts_has_no_record)
{
	struct rmt_cpu_stats total;
	pid_t server;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	server = blocked_server(FIRST_PORT);
	ASSERT_LT(0, server);
	EXPECT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
	ASSERT_EQ(0, release_server(server, FIRST_PORT));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter);
	EXPECT_EQ(0, rec.n_exit);
	ASSERT_EQ(0, get_total(self->fd, &total));
	EXPECT_EQ(0, total.exit.seen);
	EXPECT_EQ(0, total.missed);
}

/*
 * Capture stopped and started again while a call blocks: its entry was
 * recorded, its exit belongs to capture that ended and is not recorded by
 * the next.
 */
TEST_F(entry, an_exit_after_capture_restarted_is_not_kept)
{
	pid_t server = restart_around_a_call(self->fd);

	ASSERT_LT(0, server);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	EXPECT_EQ(server, E(0)->task.tgid);
	EXPECT_EQ(0, rec.n_exit);
}

/* The control of the above: capture kept on by another session, it is. */
TEST_F(entry, an_exit_is_kept_while_another_session_keeps_capture_on)
{
	int other = open_session(1);
	pid_t server;

	ASSERT_LE(0, other);
	server = restart_around_a_call(self->fd);
	ASSERT_LT(0, server);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(server, X(0)->task.tgid);
	EXPECT_EQ(1, X(0)->call.ret);
	close(other);
}

/*
 * Calls every session leaves out are declined at entry: however many
 * block at once, they hold none of the maxactive places, and none is
 * missed.
 */
TEST_F(entry, calls_no_session_keeps_hold_no_place)
{
	struct rmt_filter f = { .size = sizeof(f), .flags = RMT_FILTER_COMM,
				.comm = "nobody" };
	struct rmt_cpu_stats total;

	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_SET_FILTER, &f));
	ASSERT_EQ(MAXACTIVE + 2, blocked_servers(MAXACTIVE + 2));
	ASSERT_EQ(0, get_total(self->fd, &total));
	EXPECT_EQ(0, total.missed);
	EXPECT_EQ(MAXACTIVE + 2, total.enter.seen);
	EXPECT_EQ(MAXACTIVE + 2, total.enter.filtered);
	/* Not armed: their exits reach no session. */
	EXPECT_EQ(0, total.exit.seen);
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit);
}

/*
 * With every kprobe disarmed (debugfs kprobes/enabled), enabling capture
 * fails, and says so, instead of capturing nothing; armed again, it works.
 */
TEST_F(entry, enable_fails_while_kprobes_are_disarmed)
{
	static const char knob[] = "/sys/kernel/debug/kprobes/enabled";
	char *argv[] = { "rmt_client32", "recv", NULL };
	struct client_report rep;
	int err;

	if (access(knob, W_OK))
		SKIP(return, "no %s (debugfs not mounted)", knob);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_DISABLE, 0));
	ASSERT_EQ(0, write_file(knob, "0"));
	err = ioctl(self->fd, RMT_IOC_ENABLE, 0) ? errno : 0;
	ASSERT_EQ(0, write_file(knob, "1"));
	EXPECT_EQ(EBUSY, err);
	ASSERT_EQ(0, ioctl(self->fd, RMT_IOC_ENABLE, 0));
	RUN_ONE_CALL(argv, rep, 1);
}

/*
 * Other socket calls through socketcall are declined at entry (never
 * offered to a session); recvmmsg through socketcall is recorded as such.
 */
TEST_F(entry, socketcall_keeps_recvmmsg_only)
{
	char *other[] = { "rmt_client32", "other", "5", NULL };
	char *recv[] = { "rmt_client32", "recv", "via=socketcall", NULL };
	struct client_report rep;
	struct rmt_cpu_stats total;
	pid_t pid;
	int status;

	pid = spawn_client(other);
	ASSERT_LT(0, pid);
	status = reap_within(pid, 20);
	ASSERT_TRUE(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, get_total(self->fd, &total));
	EXPECT_EQ(0, total.enter.seen);
	EXPECT_EQ(0, total.missed);

	ASSERT_EQ(0, run_client(recv, &rep));
	ASSERT_EQ(1, rep.ret);
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(RMT_VIA_SOCKETCALL, E(0)->call.via);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME32, E(0)->call.syscall_nr);
	EXPECT_EQ(1, X(0)->call.ret);
	EXPECT_EQ(rep.pid, X(0)->task.tgid);
}

/* time64 calls only while the parameter says so, as with the tracepoints. */
TEST_F(entry, time64_follows_its_parameter)
{
	char *recv[] = { "rmt_client32", "recv", "via=time64", NULL };
	struct client_report rep;

	ASSERT_EQ(0, run_client(recv, &rep));
	ASSERT_EQ(0, drain(self->fd, &rec));
	EXPECT_EQ(0, rec.n_enter + rec.n_exit);
	ASSERT_EQ(0, write_file(PARAMS "time64", "1"));
	ASSERT_EQ(0, run_client(recv, &rep));
	ASSERT_EQ(0, drain(self->fd, &rec));
	ASSERT_EQ(1, rec.n_enter);
	ASSERT_EQ(1, rec.n_exit);
	EXPECT_EQ(RMT_NR_IA32_RECVMMSG_TIME64, E(0)->call.syscall_nr);
	EXPECT_EQ(rep.ret, X(0)->call.ret);
	EXPECT_EQ(0, write_file(PARAMS "time64", "0"));
}

/*
 * Unloaded while a call it armed still blocks: the call returns through
 * the kernel's trampoline, which calls nothing of the module any more (a
 * crash or a warning would fail the guest).
 */
TEST(unload_with_a_call_in_flight)
{
	pid_t server;
	int fd;

	ASSERT_EQ(0, reload_module("hook=entry"));
	fd = open_session(1);
	ASSERT_LE(0, fd);
	server = blocked_server(FIRST_PORT);
	ASSERT_LT(0, server);
	close(fd);
	EXPECT_EQ(0, system("modprobe -r recvmmsg_trace"));
	EXPECT_EQ(0, release_server(server, FIRST_PORT));
	EXPECT_EQ(0, system("modprobe recvmmsg_trace"));
	restore_module();
}

/* Loaded with the tracepoint hook, the module says so. */
TEST(tracepoint_hook_is_named)
{
	struct rmt_info info = { .size = sizeof(info) };
	int fd;

	ASSERT_EQ(0, reload_module("hook=tracepoint"));
	fd = open_session(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(fd, RMT_IOC_GET_INFO, &info));
	EXPECT_EQ(RMT_HOOK_TRACEPOINT, info.hook);
	EXPECT_EQ(0, info.maxactive);
	EXPECT_EQ(RMT_HOOK_TRACEPOINT, module_hook());
	close(fd);
	restore_module();
}

/* A hook or a maxactive the module does not know: the load fails. */
TEST(bad_hook_parameters_are_refused)
{
	static const char *const bad[] = {
		"hook=kprobe", "hook=", "hook=entry maxactive=65537",
		"hook=entry maxactive=-1",
	};
	char cmd[128];
	unsigned int i;

	ASSERT_EQ(0, system("modprobe -r recvmmsg_trace"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(cmd, sizeof(cmd), "modprobe recvmmsg_trace %s 2>/dev/null", bad[i]);
		EXPECT_NE(0, system(cmd)) TH_LOG("%s was taken", bad[i]);
		/* Unload what a wrongly taken value loaded (else a no-op). */
		if (system("modprobe -r recvmmsg_trace 2>/dev/null") == -1)
			TH_LOG("modprobe -r could not run");
	}
	EXPECT_EQ(0, system("modprobe recvmmsg_trace"));
}

TEST_HARNESS_MAIN
