// SPDX-License-Identifier: GPL-2.0
/*
 * Injected faults, on debug kernels (CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_USERCOPY, debugfs mounted): an allocation failure
 * at any point of loading the module (with and without the boot session of
 * enable=1) fails the load cleanly, one at any point of a session's first
 * enable (where its buffers are made) fails that enable cleanly, and a
 * failed user copy in the probe sets a fault bit without disturbing the
 * call or corrupting a record. With hook=entry, a kretprobe that cannot be
 * registered refuses the load with one clear line. Leaks are judged by
 * kmemleak after the module is unloaded (tools/vm/guest-init), reports by
 * tools/vm/run-guest.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/recvmmsg_trace.h>

#include "kselftest_harness.h"
#include "rmt_helpers.h"

#define DEBUGFS		"/sys/kernel/debug/"

/* Quiet injection (no stack traces in the log), on sleeping allocations too. */
static int setup_injection(void)
{
	return write_file(DEBUGFS "failslab/ignore-gfp-wait", "N") ||
	       write_file(DEBUGFS "failslab/verbose", "0") ||
	       write_file(DEBUGFS "fail_usercopy/verbose", "0");
}

#define LOADED		0
#define NOT_REACHED	200	/* the load ended before the @nth point */

/* This thread's fail-nth, open for reading and writing; -1 on error. */
static int open_fail_nth(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", (int)gettid());
	return open(path, O_RDWR);
}

/* Make the @nth injection point this thread reaches fail; 0 or -1. */
static int arm_fail_nth(int fd, int nth)
{
	char val[16];
	int len = snprintf(val, sizeof(val), "%d", nth);

	return pwrite(fd, val, len, 0) == len ? 0 : -1;
}

/* Whether the injection is still counting down: no point was reached. */
static int fail_nth_pending(int fd)
{
	char left[16] = "";

	return pread(fd, left, sizeof(left) - 1, 0) > 0 && atoi(left) != 0;
}

/*
 * finit_module() with @params and the @nth injection point failing:
 * LOADED, NOT_REACHED (loaded too: no fault was injected) or the load's
 * errno.
 */
static int load_failing_at(int ko, const char *params, int nth)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open_fail_nth(), err = 0;

		if (fd < 0 || arm_fail_nth(fd, nth))
			_exit(255);
		if (syscall(SYS_finit_module, ko, params, 0))
			err = errno;
		/* Still counting down: the load never reached the point. */
		if (fail_nth_pending(fd))
			_exit(err ? 254 : NOT_REACHED);
		_exit(err ? err : LOADED);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

FIXTURE(faults) {
	int unused;
};

FIXTURE_SETUP(faults)
{
}

FIXTURE_TEARDOWN(faults)
{
}

/*
 * Load the module with @params, the 1st, 2nd, ... injection point failing
 * in turn until a load reaches none: each failed load must fail with
 * ENOMEM (EFAULT once: the loader copies the parameters from user space
 * first) and leave nothing loaded. The last try leaves it loaded.
 */
static void load_failing_everywhere(struct __test_metadata *_metadata, const char *params)
{
	int nth, err = 0, enomem = 0, efault = 0, tolerated = 0, ko;
	char path[256];
	struct utsname u;

	ASSERT_EQ(0, setup_injection());
	ASSERT_EQ(0, system("modprobe -r recvmmsg_trace"));
	ASSERT_EQ(0, uname(&u));
	snprintf(path, sizeof(path), "/lib/modules/%s/updates/dkms/recvmmsg_trace.ko",
		 u.release);
	ko = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ko) TH_LOG("%s: %s", path, strerror(errno));

	for (nth = 1; nth < 5000; nth++) {
		err = load_failing_at(ko, params, nth);
		if (err == NOT_REACHED)
			break;
		if (err == LOADED) {
			/* A failure the kernel tolerates (or one before the load). */
			tolerated++;
			ASSERT_EQ(0, system("modprobe -r recvmmsg_trace"));
			continue;
		}
		ASSERT_TRUE(err == ENOMEM || err == EFAULT)
			TH_LOG("injection point %d: load failed with %d (%s)", nth, err,
			       strerror(err));
		enomem += err == ENOMEM;
		efault += err == EFAULT;
		ASSERT_NE(0, access("/sys/module/recvmmsg_trace", F_OK))
			TH_LOG("injection point %d: module left loaded", nth);
	}
	close(ko);
	ASSERT_EQ(NOT_REACHED, err) TH_LOG("still failing after %d points", nth);
	EXPECT_LT(0, enomem);
	EXPECT_LE(efault, 1);
	TH_LOG("\"%s\": %d injection points: ENOMEM %d, EFAULT %d, tolerated %d", params,
	       nth - 1, enomem, efault, tolerated);
}

/* Under KASAN and TCG each load takes a while: a generous timeout. */
TEST_F_TIMEOUT(faults, failslab_at_every_point_of_the_load_fails_it_cleanly, 1800)
{
	if (access(DEBUGFS "failslab", F_OK))
		SKIP(return, "no failslab here (not a debug kernel)");
	load_failing_everywhere(_metadata, "");
}

/* The boot session's buffers are made at load: their failures too. */
TEST_F_TIMEOUT(faults, failslab_at_every_point_of_a_load_with_enable_fails_it_cleanly, 1800)
{
	if (access(DEBUGFS "failslab", F_OK))
		SKIP(return, "no failslab here (not a debug kernel)");
	load_failing_everywhere(_metadata, "enable=1");
	/* As loaded by default again for the tests after this one. */
	ASSERT_EQ(0, system("modprobe -r recvmmsg_trace && modprobe recvmmsg_trace"));
}

/*
 * hook=entry registers its kretprobes at load: a failure there refuses the
 * load with the one line that names the hook, and the default hook loads
 * and captures as before.
 */
TEST_F_TIMEOUT(faults, failslab_at_every_point_of_a_load_with_hook_entry_fails_it_cleanly, 1800)
{
	static const char * const entry_points[] = {
		"__ia32_compat_sys_recvmmsg_time32",
		"__ia32_compat_sys_recvmmsg_time64",
		"__ia32_compat_sys_socketcall",
	};
	char cmd[256];
	size_t i;

	if (access(DEBUGFS "failslab", F_OK))
		SKIP(return, "no failslab here (not a debug kernel)");
	load_failing_everywhere(_metadata, "hook=entry");
	/* No earlier load of this boot had hook=entry: these lines are this test's. */
	for (i = 0; i < sizeof(entry_points) / sizeof(entry_points[0]); i++) {
		snprintf(cmd, sizeof(cmd),
			 "dmesg | grep -q 'hook=entry: cannot probe %s (-12); hook=tracepoint works without it'",
			 entry_points[i]);
		EXPECT_EQ(0, system(cmd)) TH_LOG("no refusal naming %s", entry_points[i]);
	}
	ASSERT_EQ(0, system("modprobe -r recvmmsg_trace && modprobe recvmmsg_trace"));
	ASSERT_EQ(0, system("grep -qx tracepoint /sys/module/recvmmsg_trace/parameters/hook"));
}

#define ENABLED		0
#define CHILD_BROKE	250	/* the session was left wrong */
#define UNPROVOKED	128	/* + errno: failed before the point */

/*
 * In a child, a new session's first RMT_IOC_ENABLE with the @nth injection
 * point failing: ENABLED, NOT_REACHED (enabled too: no fault was
 * injected), CHILD_BROKE, UNPROVOKED + errno, or the enable's errno. A
 * failed enable must leave the session disabled, and enabling it again
 * must work.
 */
static int enable_failing_at(int nth)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct rmt_info info = { .size = sizeof(info) };
		int dev = open(RMT_DEVICE_PATH, O_RDONLY), fd = open_fail_nth(), err = 0;

		if (dev < 0 || fd < 0 || arm_fail_nth(fd, nth))
			_exit(255);
		if (ioctl(dev, RMT_IOC_ENABLE, 0))
			err = errno;
		/* Still counting down: the enable never reached the point. */
		if (fail_nth_pending(fd))
			_exit(err ? UNPROVOKED + err : NOT_REACHED);
		if (!err)
			_exit(ENABLED);
		if (ioctl(dev, RMT_IOC_GET_INFO, &info) || (info.flags & RMT_INFO_ENABLED) ||
		    ioctl(dev, RMT_IOC_ENABLE, 0))
			_exit(CHILD_BROKE);
		_exit(err);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(faults, failslab_at_every_point_of_a_first_enable_fails_it_cleanly, 1800)
{
	int nth, err = 0, enomem = 0, tolerated = 0, fd;

	if (access(DEBUGFS "failslab", F_OK))
		SKIP(return, "no failslab here (not a debug kernel)");
	ASSERT_EQ(0, setup_injection());
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	for (nth = 1; nth < 5000; nth++) {
		err = enable_failing_at(nth);
		if (err == NOT_REACHED)
			break;
		tolerated += err == ENABLED;
		if (err != ENABLED) {
			ASSERT_EQ(ENOMEM, err)
				TH_LOG("injection point %d: enable gave %d (%s)", nth, err,
				       err == CHILD_BROKE ? "session left wrong" :
				       err > UNPROVOKED && err < CHILD_BROKE ?
				       strerror(err - UNPROVOKED) : strerror(err));
			enomem++;
		}
		/* The child's session went with it, and the probes with that. */
		ASSERT_EQ(0, info_flags(fd) & RMT_INFO_ATTACHED)
			TH_LOG("injection point %d: probes left attached", nth);
	}
	close(fd);
	ASSERT_EQ(NOT_REACHED, err) TH_LOG("still failing after %d points", nth);
	EXPECT_LT(0, enomem);
	TH_LOG("%d injection points: ENOMEM %d, tolerated %d", nth - 1, enomem, tolerated);
}

TEST_F_TIMEOUT(faults, fail_usercopy_in_the_probe_sets_fault_bits_only, 600)
{
	char nth_arg[32];
	char *argv[] = { "rmt_client32", "recv", "fd=7", "vlen=2", "queued=2",
			 "timeout=1.500000000", nth_arg, NULL };
	int fd, nth, probe_faults = 0, call_faults = 0;
	struct client_report rep;

	if (access(DEBUGFS "fail_usercopy", F_OK))
		SKIP(return, "no fail_usercopy here (not a debug kernel)");
	ASSERT_EQ(0, setup_injection());
	fd = open(RMT_DEVICE_PATH, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, restore_defaults(fd));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_RESET, 0));
	ASSERT_EQ(0, ioctl(fd, RMT_IOC_ENABLE, 0));

	for (nth = 1; nth <= 20; nth++) {
		__u32 faults;

		snprintf(nth_arg, sizeof(nth_arg), "failnth=%d", nth);
		ASSERT_EQ(0, run_client(argv, &rep));
		/* Every record whole and well formed, whatever failed. */
		ASSERT_EQ(0, drain(fd, &rec)) TH_LOG("injection point %d", nth);
		ASSERT_EQ(1, rec.n_enter);
		ASSERT_EQ(1, rec.n_exit);
		ASSERT_EQ(0, rec.n_lost + rec.n_other);
		faults = rec.enter[0].r.call.faults | rec.exit[0].r.call.faults;
		EXPECT_EQ(7, rec.enter[0].r.call.args[RMT_ARG_FD]);
		EXPECT_EQ(rep.mmsg, rec.enter[0].r.call.args[RMT_ARG_MMSG]);
		EXPECT_EQ(rep.ret < 0 ? -rep.err : rep.ret, rec.exit[0].r.call.ret);
		if (faults && rep.ret == 2) {
			/* The probe's read failed; the call did not notice. */
			probe_faults++;
		} else if (!faults) {
			/* The call's own copy failed, or a point past both. */
			call_faults += rep.ret < 0 && rep.err == EFAULT;
		}
	}
	ioctl(fd, RMT_IOC_DISABLE, 0);
	close(fd);
	EXPECT_LT(0, probe_faults);
	EXPECT_LT(0, call_faults);
	TH_LOG("of 20 injection points: %d in the probe, %d in the call", probe_faults,
	       call_faults);
}

TEST_HARNESS_MAIN
