// SPDX-License-Identifier: GPL-2.0
/*
 * rmt_client32: a 32-bit program that makes known recvmmsg calls so the
 * selftests can compare what the module recorded with what was done.
 * Built with gcc -m32 -static.
 *
 *   rmt_client32 recv [KEY=VALUE]...
 *	queue datagrams on a socket it sends to itself, then receive them with
 *	one recvmmsg call. Keys (defaults in brackets):
 *	  via=syscall|socketcall|time64|glibc   how to call [syscall]:
 *	      syscall 337, socketcall(SYS_RECVMMSG), syscall 417, or libc's
 *	      recvmmsg() (which uses 417 on current kernels)
 *	  family=inet|inet6|unix   socket [inet]; unix is a socketpair
 *	  fd=N vlen=N flags=N queued=N   [5, 1, 0, 1]
 *	  timeout=SEC.NSEC   [NULL]
 *	  bad=mmsg|timeout   pass an unmapped address instead
 *	  bad=tail   only the first `queued` entries of the vector are
 *	             readable: the next ones are on an unmapped page
 *	  bad=stuck  the vector is on a userfaultfd page that nobody serves:
 *	             whoever reads it waits until the client is killed
 *	  lazy=1   the mmsghdr vector lives in a fresh file mapping that no one
 *	           has touched before the call (pages not yet mapped)
 *	  threads=N   N threads, each with its own socket, one call each
 *	  calls=N   repeat the call N times (for floods) [1]
 *	  failnth=N  before each call, make the Nth fault injection point that
 *	            thread reaches fail (debug kernels: /proc/.../fail-nth)
 *	  namelen=N   msg_namelen passed for each message [the buffer's size,
 *	            128]; the buffer is filled with 0xaa beforehand
 *	  seccomp=errno   a seccomp filter denies syscall 337 with EPERM, as a
 *	            container runtime's profile would: the kernel skips sys_enter
 *	            for it but not sys_exit
 *	  flip=name|iov|iovlen|iovbase   (vlen=2 queued=0, inet) once the
 *	            call waits for message 0, a second thread points message
 *	            1's msg_name, msg_iov or its first iov_base elsewhere, or
 *	            makes its msg_iovlen 2, then sends the two datagrams;
 *	            prints "flip msg=1 field=FIELD enter=V exit=V" (the value
 *	            before and after)
 *	  alarm=MS   a SIGALRM, caught by a handler without SA_RESTART, comes
 *	            MS milliseconds after the start: a call still blocked then
 *	            fails with EINTR
 *	  linger=MS   (one thread) stay MS milliseconds after the call, its
 *	            report written: a reader still finds /proc/PID then
 *	prints one line per thread:
 *	  pid=P tid=T mmsg=ADDR timeout=ADDR port=PORT ret=R errno=E ppid=PP
 *	(PP: getppid(), as the client's pid namespace sees its parent)
 *   rmt_client32 other FD
 *	other socket calls (recvmsg, recv, socketcall(SYS_RECVMSG)), no recvmmsg
 *   rmt_client32 serve PORT COUNT   receive COUNT datagrams on 127.0.0.1:PORT
 *   rmt_client32 send PORT COUNT    send COUNT datagrams there, two at a time
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#define NR_SOCKETCALL		102
#define NR_RECVMMSG_TIME32	337
#define NR_RECVMMSG_TIME64	417
#define SYS_RECVMSG_CALL	17
#define SYS_RECVMMSG_CALL	19
#define MAX_VLEN		64
#define MAX_THREADS		16

#if !defined(__i386__)
#error "rmt_client32 must be built for i386 (gcc -m32)"
#endif

/* The layouts the kernel reads for each variant, spelled out. */
struct ts32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

struct ts64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct opts {
	const char *via, *family, *bad, *seccomp, *flip;
	int fd, queued, lazy, threads, calls, failnth, namelen, alarm_ms, linger_ms;
	unsigned int vlen, flags;
	int has_timeout;
	long sec, nsec;
};

/* What one thread passes to the kernel. */
struct call {
	struct mmsghdr *msgs;
	struct iovec iovs[MAX_VLEN];
	char bufs[MAX_VLEN][256];
	struct sockaddr_storage addrs[MAX_VLEN];
	struct ts32 ts32;
	struct ts64 ts64;
	struct timespec ts;
	int sock, port;
	long ret;
	int err;
	pid_t tid;
};

static struct opts o = {
	.via = "syscall", .family = "inet", .fd = 5, .queued = 1,
	.threads = 1, .calls = 1, .vlen = 1, .namelen = -1,
};

static int usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of rmt_client32.c\n");
	return 2;
}

static int parse_opt(const char *arg)
{
	const char *v = strchr(arg, '=');

	if (!v)
		return -1;
	v++;
	if (!strncmp(arg, "via=", 4))
		o.via = v;
	else if (!strncmp(arg, "family=", 7))
		o.family = v;
	else if (!strncmp(arg, "bad=", 4))
		o.bad = v;
	else if (!strncmp(arg, "fd=", 3))
		o.fd = atoi(v);
	else if (!strncmp(arg, "vlen=", 5))
		o.vlen = strtoul(v, NULL, 0);
	else if (!strncmp(arg, "flags=", 6))
		o.flags = strtoul(v, NULL, 0);
	else if (!strncmp(arg, "queued=", 7))
		o.queued = atoi(v);
	else if (!strncmp(arg, "lazy=", 5))
		o.lazy = atoi(v);
	else if (!strncmp(arg, "threads=", 8))
		o.threads = atoi(v);
	else if (!strncmp(arg, "calls=", 6))
		o.calls = atoi(v);
	else if (!strncmp(arg, "failnth=", 8))
		o.failnth = atoi(v);
	else if (!strncmp(arg, "namelen=", 8))
		o.namelen = atoi(v);
	else if (!strncmp(arg, "flip=", 5))
		o.flip = v;
	else if (!strncmp(arg, "alarm=", 6))
		o.alarm_ms = atoi(v);
	else if (!strncmp(arg, "linger=", 7))
		o.linger_ms = atoi(v);
	else if (!strncmp(arg, "seccomp=", 8) && !strcmp(v, "errno"))
		o.seccomp = v;
	else if (!strncmp(arg, "timeout=", 8)) {
		o.has_timeout = 1;
		if (sscanf(v, "%ld.%ld", &o.sec, &o.nsec) < 1)
			return -1;
	} else {
		return -1;
	}
	return 0;
}

/* A socket that has @queued datagrams from itself waiting; -1 on error. */
static int make_socket(int want_fd, int queued, int *port)
{
	struct sockaddr_storage self = { 0 };
	socklen_t len = sizeof(self);
	int s, peer = -1, i;

	*port = 0;
	if (!strcmp(o.family, "unix")) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
			return -1;
		s = sv[0];
		peer = sv[1];
	} else {
		int inet6 = !strcmp(o.family, "inet6");

		s = socket(inet6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
		if (s < 0)
			return -1;
		if (inet6) {
			struct sockaddr_in6 *a = (struct sockaddr_in6 *)&self;

			a->sin6_family = AF_INET6;
			a->sin6_addr = in6addr_loopback;
			len = sizeof(*a);
		} else {
			struct sockaddr_in *a = (struct sockaddr_in *)&self;

			a->sin_family = AF_INET;
			a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			len = sizeof(*a);
		}
		if (bind(s, (struct sockaddr *)&self, len) ||
		    getsockname(s, (struct sockaddr *)&self, &len))
			return -1;
		*port = ntohs(((struct sockaddr_in *)&self)->sin_port);
	}
	for (i = 0; i < queued; i++) {
		char payload[32];
		int n = snprintf(payload, sizeof(payload), "datagram %d", i);

		if (peer >= 0 ? send(peer, payload, n, 0) != n :
		    sendto(s, payload, n, 0, (struct sockaddr *)&self, len) != n)
			return -1;
	}
	if (want_fd >= 0 && want_fd != s) {
		if (dup2(s, want_fd) < 0)
			return -1;
		close(s);
		s = want_fd;
	}
	return s;
}

/* An mmsghdr vector in pages that are not mapped until first touched. */
static struct mmsghdr *lazy_vector(const struct mmsghdr *init, size_t bytes)
{
	char path[] = "/tmp/rmt_client32.XXXXXX";
	int fd = mkstemp(path);
	void *p;

	if (fd < 0 || write(fd, init, bytes) != (ssize_t)bytes)
		return NULL;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	unlink(path);
	return p == MAP_FAILED ? NULL : p;
}

/* A page whose first touch waits for a userfaultfd that nobody serves. */
static void *stuck_page(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	void *p;

	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		return NULL;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	reg.range.start = (unsigned long)p;
	reg.range.len = 4096;
	return ioctl(uffd, UFFDIO_REGISTER, &reg) ? NULL : p;
}

static void *unmapped_address(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, 4096);
	return p;
}

/*
 * The first @readable entries of @msgs copied to the end of a page whose
 * successor is inaccessible, so that entry @readable faults.
 */
static struct mmsghdr *tail_vector(const struct mmsghdr *msgs, unsigned int readable)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t bytes = readable * sizeof(*msgs);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || bytes > (size_t)page ||
	    mprotect(p + page, page, PROT_NONE))
		return NULL;
	memcpy(p + page - bytes, msgs, bytes);
	return (struct mmsghdr *)(p + page - bytes);
}

static int prepare(struct call *c, int fd)
{
	static struct mmsghdr vector[MAX_VLEN];
	struct mmsghdr *msgs = vector;
	unsigned int i;

	if (o.threads > 1)
		msgs = calloc(MAX_VLEN, sizeof(*msgs));
	c->sock = make_socket(fd, o.queued * o.calls, &c->port);
	if (c->sock < 0 || !msgs)
		return -1;
	for (i = 0; i < o.vlen && i < MAX_VLEN; i++) {
		c->iovs[i].iov_base = c->bufs[i];
		c->iovs[i].iov_len = sizeof(c->bufs[i]);
		msgs[i].msg_hdr.msg_iov = &c->iovs[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &c->addrs[i];
		msgs[i].msg_hdr.msg_namelen = o.namelen >= 0 ? o.namelen :
					      (int)sizeof(c->addrs[i]);
		/* What the kernel does not overwrite keeps this pattern. */
		memset(&c->addrs[i], 0xaa, sizeof(c->addrs[i]));
	}
	if (o.lazy) {
		msgs = lazy_vector(msgs, MAX_VLEN * sizeof(*msgs));
		if (!msgs)
			return -1;
	}
	if (o.bad && !strcmp(o.bad, "stuck")) {
		msgs = stuck_page();
		if (!msgs)
			return -1;
	}
	if (o.bad && !strcmp(o.bad, "tail")) {
		msgs = tail_vector(msgs, o.queued);
		if (!msgs)
			return -1;
	}
	c->msgs = msgs;
	c->ts32 = (struct ts32){ o.sec, o.nsec };
	c->ts64 = (struct ts64){ o.sec, o.nsec };
	c->ts = (struct timespec){ o.sec, o.nsec };
	return 0;
}

static const void *timeout_arg(struct call *c)
{
	if (o.bad && !strcmp(o.bad, "timeout"))
		return unmapped_address();
	if (!o.has_timeout)
		return NULL;
	if (!strcmp(o.via, "time64"))
		return &c->ts64;
	if (!strcmp(o.via, "glibc"))
		return &c->ts;
	return &c->ts32;
}

static long do_call(struct call *c, void *msgs, const void *tsp)
{
	if (!strcmp(o.via, "socketcall")) {
		unsigned long args[5] = { c->sock, (unsigned long)msgs, o.vlen,
					  o.flags, (unsigned long)tsp };

		return syscall(NR_SOCKETCALL, SYS_RECVMMSG_CALL, args);
	}
	if (!strcmp(o.via, "time64"))
		return syscall(NR_RECVMMSG_TIME64, c->sock, msgs, o.vlen, o.flags, tsp);
	if (!strcmp(o.via, "glibc"))
		return recvmmsg(c->sock, msgs, o.vlen, o.flags, (struct timespec *)tsp);
	return syscall(NR_RECVMMSG_TIME32, c->sock, msgs, o.vlen, o.flags, tsp);
}

/*
 * Fault injection (debug kernels): make the Nth injection point this
 * thread reaches next fail, once: a probe's read or the call's own.
 */
static int arm_fault(int nth)
{
	char path[64], val[16];
	int fd, len, ok;

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", (int)gettid());
	len = snprintf(val, sizeof(val), "%d", nth);
	fd = open(path, O_WRONLY);
	ok = fd >= 0 && write(fd, val, len) == len;
	if (fd >= 0)
		close(fd);
	if (!ok)
		perror(path);
	return ok ? 0 : -1;
}

/*
 * Disarm what the call did not reach, so that no later system call of the
 * client (its report) fails instead; nothing is armed after this write.
 */
static void disarm_fault(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", (int)gettid());
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return;
	/* EFAULT: the armed point was this write's own copy, now spent. */
	if (write(fd, "0", 1) < 0 && errno != EFAULT)
		perror(path);
	close(fd);
}

static void *run_call(void *arg)
{
	struct call *c = arg;
	void *msgs = o.bad && !strcmp(o.bad, "mmsg") ? unmapped_address() : c->msgs;
	const void *tsp = timeout_arg(c);
	int i;

	c->tid = gettid();
	for (i = 0; i < o.calls; i++) {
		if (o.failnth && arm_fault(o.failnth))
			exit(1);
		c->ret = do_call(c, msgs, tsp);
		c->err = c->ret < 0 ? errno : 0;
		if (o.failnth)
			disarm_fault();
	}
	printf("pid=%d tid=%d mmsg=%#lx timeout=%#lx port=%d ret=%ld errno=%d ppid=%d\n",
	       getpid(), c->tid, (unsigned long)(uintptr_t)msgs,
	       (unsigned long)(uintptr_t)tsp, c->port, c->ret, c->err, getppid());
	return NULL;
}

/* Deny recvmmsg_time32 (337) with EPERM from now on, everything else allowed. */
static int deny_recvmmsg_time32(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_RECVMMSG_TIME32, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(insns) / sizeof(insns[0]),
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* Is thread @tid blocked in recvmmsg_time32 (or socketcall)? */
static int in_the_call(pid_t tid)
{
	char path[64], line[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return atoi(line) == NR_RECVMMSG_TIME32 || atoi(line) == 102;
}

/* flip=: rewrite message 1 while the call waits for message 0, then feed it. */
static void *flipper(void *arg)
{
	static struct sockaddr_storage other_addr;
	static char other_buf[256];
	static struct iovec other_iov = { other_buf, sizeof(other_buf) };
	struct call *c = arg;
	struct msghdr *h = &c->msgs[1].msg_hdr;
	struct sockaddr_storage self;
	socklen_t len = sizeof(self);
	unsigned long before, after;
	const char *payload = "flipped";
	const char *field;
	int i;

	for (i = 0; i < 2000 && !(c->tid && in_the_call(c->tid)); i++)
		usleep(5000);
	if (i == 2000)
		fprintf(stderr, "rmt_client32: flip: the call never waited; flipping anyway\n");
	/* In the call: give its enter record time to be taken (it is by now). */
	usleep(100000);
	if (!strcmp(o.flip, "name")) {
		field = "msg_name";
		before = (unsigned long)(uintptr_t)h->msg_name;
		h->msg_name = &other_addr;
		after = (unsigned long)(uintptr_t)h->msg_name;
	} else if (!strcmp(o.flip, "iov")) {
		field = "msg_iov";
		before = (unsigned long)(uintptr_t)h->msg_iov;
		h->msg_iov = &other_iov;
		after = (unsigned long)(uintptr_t)h->msg_iov;
	} else if (!strcmp(o.flip, "iovbase")) {
		/* The iovec array stays where it was; its first buffer moves. */
		field = "msg_iov[0].iov_base";
		before = (unsigned long)(uintptr_t)h->msg_iov[0].iov_base;
		h->msg_iov[0].iov_base = other_buf;
		after = (unsigned long)(uintptr_t)h->msg_iov[0].iov_base;
	} else {
		field = "msg_iovlen";
		before = h->msg_iovlen;
		h->msg_iovlen = 2;
		after = h->msg_iovlen;
	}
	printf("flip msg=1 field=%s enter=%lu exit=%lu\n", field, before, after);
	if (getsockname(c->sock, (struct sockaddr *)&self, &len))
		return NULL;
	for (i = 0; i < 2; i++)
		sendto(c->sock, payload, strlen(payload), 0, (struct sockaddr *)&self, len);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* SIGALRM in @ms, caught without SA_RESTART: a blocked call fails with EINTR. */
static int arm_alarm(int ms)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_value = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 },
	};

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static int cmd_recv(int argc, char **argv)
{
	static struct call calls[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	int i;

	for (i = 2; i < argc; i++)
		if (parse_opt(argv[i]))
			return usage();
	if (o.threads < 1 || o.threads > MAX_THREADS || o.vlen > MAX_VLEN)
		return usage();
	/* The filter denies syscall 337 only. */
	if (o.seccomp && strcmp(o.via, "syscall"))
		return usage();
	for (i = 0; i < o.threads; i++) {
		if (prepare(&calls[i], o.threads == 1 ? o.fd : -1)) {
			perror("rmt_client32: setup");
			return 1;
		}
	}
	if (o.seccomp && deny_recvmmsg_time32()) {
		perror("rmt_client32: seccomp");
		return 1;
	}
	if (o.alarm_ms > 0 && arm_alarm(o.alarm_ms)) {
		perror("rmt_client32: alarm");
		return 1;
	}
	if (o.flip) {
		if (o.threads != 1 || o.vlen != 2 || o.queued || !strcmp(o.family, "unix"))
			return usage();
		calls[0].tid = gettid();
		if (pthread_create(&th[0], NULL, flipper, &calls[0]))
			return 1;
		run_call(&calls[0]);
		pthread_join(th[0], NULL);
		return 0;
	}
	if (o.threads == 1) {
		run_call(&calls[0]);
		if (o.linger_ms > 0) {
			fflush(stdout);
			usleep(o.linger_ms * 1000);
		}
		return 0;
	}
	for (i = 0; i < o.threads; i++)
		if (pthread_create(&th[i], NULL, run_call, &calls[i]))
			return 1;
	for (i = 0; i < o.threads; i++)
		pthread_join(th[i], NULL);
	return 0;
}

static int cmd_other(int argc, char **argv)
{
	static struct call c;
	struct msghdr mh = { 0 };
	unsigned long args[3];
	long ret;

	if (argc != 3)
		return usage();
	o.queued = 3;
	o.vlen = 1;
	if (prepare(&c, atoi(argv[2]))) {
		perror("rmt_client32: setup");
		return 1;
	}
	mh = c.msgs[0].msg_hdr;
	ret = recvmsg(c.sock, &mh, 0);
	if (ret >= 0)
		ret = recv(c.sock, c.bufs[0], sizeof(c.bufs[0]), MSG_DONTWAIT);
	if (ret >= 0) {
		mh = c.msgs[0].msg_hdr;
		args[0] = c.sock;
		args[1] = (unsigned long)&mh;
		args[2] = 0;
		ret = syscall(NR_SOCKETCALL, SYS_RECVMSG_CALL, args);
	}
	printf("pid=%d tid=%d mmsg=%#lx timeout=0 port=%d ret=%ld errno=%d ppid=%d\n",
	       getpid(), gettid(), (unsigned long)(uintptr_t)c.msgs, c.port, ret,
	       ret < 0 ? errno : 0, getppid());
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	static struct mmsghdr msgs[8];
	static struct iovec iovs[8];
	static char bufs[8][256];
	static struct sockaddr_in from[8];
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int s, count, got = 0, i;

	if (argc != 4)
		return usage();
	count = atoi(argv[3]);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(atoi(argv[2]));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("rmt_client32: bind");
		return 1;
	}
	printf("rmt_client32: pid %d receiving on 127.0.0.1:%s fd %d\n",
	       getpid(), argv[2], s);
	fflush(stdout);
	while (got < count) {
		struct ts32 ts = { .tv_sec = 5 };
		long ret;

		for (i = 0; i < 8; i++) {
			iovs[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
			msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &from[i], .msg_namelen = sizeof(from[i]),
				.msg_iov = &iovs[i], .msg_iovlen = 1,
			};
		}
		ret = syscall(NR_RECVMMSG_TIME32, s, msgs, 8, MSG_WAITFORONE, &ts);
		if (ret < 0 && errno != EAGAIN && errno != EINTR) {
			perror("rmt_client32: recvmmsg_time32");
			return 1;
		}
		if (ret > 0)
			got += ret;
	}
	return 0;
}

static int cmd_send(int argc, char **argv)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int s, i, count;

	if (argc != 4)
		return usage();
	count = atoi(argv[3]);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(atoi(argv[2]));
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		perror("rmt_client32: socket");
		return 1;
	}
	for (i = 0; i < count; i++) {
		char payload[32];
		int n = snprintf(payload, sizeof(payload), "datagram %d", i);

		if (sendto(s, payload, n, 0, (struct sockaddr *)&to, sizeof(to)) != n) {
			perror("rmt_client32: sendto");
			return 1;
		}
		if (i % 2)
			usleep(200000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "recv"))
		return cmd_recv(argc, argv);
	if (!strcmp(argv[1], "other"))
		return cmd_other(argc, argv);
	if (!strcmp(argv[1], "serve"))
		return cmd_serve(argc, argv);
	if (!strcmp(argv[1], "send"))
		return cmd_send(argc, argv);
	return usage();
}
