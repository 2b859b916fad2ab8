# SPDX-License-Identifier: GPL-2.0
# recvmmsg_trace: module, reader, selftests and the test/demo entry points.
# The kernel build itself is described in Kbuild.

VERSION := $(shell cat VERSION)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
B := build

CC ?= gcc
USER_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Iuapi \
	       -DRMT_VERSION='"$(VERSION)"'
# The kselftest harness needs GNU C and trips these -Wextra warnings itself.
TEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	       -Wno-sign-compare -Wno-clobbered -Iuapi -DRMT_VERSION='"$(VERSION)"' \
	       -I$(B)/linux-source/tools/testing/selftests

READER_SRCS := $(wildcard tools/recvmmsg-trace/*.c)
READER_HDRS := $(wildcard tools/recvmmsg-trace/*.h) uapi/linux/recvmmsg_trace.h
READER_LIB_SRCS := $(filter-out tools/recvmmsg-trace/main.c,$(READER_SRCS))
# -o journal: the installed reader sends through libsystemd; the static
# guest binary, with no journal to send to, is built without.
JOURNAL := -DRMT_JOURNAL -lsystemd
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
HOST_TESTS := $(B)/host-tests/decode_test $(B)/host-tests/decode_test-san \
	      $(B)/host-tests/recvmmsg-trace-san $(B)/host-tests/fuzz_decode \
	      $(B)/host-tests/capfile_gen $(B)/host-tests/capwriter_test-san \
	      $(B)/bench/make_capture
# The suites the guests' selftests job runs, in this order (it reads them
# from the list written beside the programs); fault_test is the debug
# kernels' own job's.
SUITES := device_test capture_test control_test session_test hook_test reader_test stress_test soak_test devfuzz_test
SELFTESTS := $(SUITES) fault_test
SELFTEST_HELPERS := selftests/rmt_helpers.c selftests/rmt_helpers.h \
		    selftests/rmt_fixture.h tools/recvmmsg-trace/walk.h
GUEST_BINS := $(B)/guest-bin/recvmmsg-trace $(B)/guest-bin/rmt_client32 \
	      $(B)/guest-bin/strace $(B)/guest-bin/rmt_gobatch $(B)/guest-bin/rmt_glibc32 \
	      $(addprefix $(B)/guest-bin/,$(SELFTESTS)) $(B)/guest-bin/suites

PREFIX ?= /usr/local
SBINDIR := $(PREFIX)/sbin
MAN8DIR := $(PREFIX)/share/man/man8
INCDIR := $(PREFIX)/include/linux
DKMS_SRC := /usr/src/recvmmsg-trace-$(VERSION)

.PHONY: all module reader selftests host-tests host-check vm-test check lint demo clean deps deb systemd-check \
	install uninstall bench-reader check-debug bench

all: module reader selftests

# The module for KVER/KDIR; skipped with a note when no headers are there.
module:
	@if [ -d "$(KDIR)" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; \
	else \
		echo "note: no kernel headers at $(KDIR): module not built" \
		     "(install linux-headers-$(KVER) or pass KDIR=)"; \
	fi

reader: $(B)/recvmmsg-trace

$(B)/recvmmsg-trace: $(READER_SRCS) $(READER_HDRS) VERSION
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(READER_SRCS) $(LDFLAGS) $(JOURNAL) -o $@

selftests: $(GUEST_BINS)

# Guest binaries are static: the guest has busybox and nothing else.
$(B)/guest-bin/recvmmsg-trace: $(READER_SRCS) $(READER_HDRS) VERSION
	@mkdir -p $(@D)
	$(CC) -static $(USER_CFLAGS) $(READER_SRCS) -o $@

$(B)/linux-source/.version:
	tools/linux-source.sh $(B)/linux-source

$(B)/guest-bin/%_test: selftests/%_test.c $(SELFTEST_HELPERS) \
		uapi/linux/recvmmsg_trace.h $(B)/linux-source/.version VERSION
	@mkdir -p $(@D)
	$(CC) -static $(TEST_CFLAGS) $< selftests/rmt_helpers.c -lpthread -o $@

$(B)/guest-bin/rmt_client32: selftests/rmt_client32.c
	@mkdir -p $(@D)
	$(CC) -m32 -static -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

# Programs whose recvmmsg this project did not write: Go's x/net (Debian's
# golang-golang-x-net-dev, no network), and glibc's, linked dynamically (the
# guest gets the i386 libc and loader with it).
$(B)/guest-bin/rmt_gobatch: selftests/programs/gobatch.go
	@mkdir -p $(@D) $(B)/go-cache
	GOCACHE=$(abspath $(B)/go-cache) GO111MODULE=off GOPATH=/usr/share/gocode \
		GOARCH=386 CGO_ENABLED=0 go build -o $@ $<

$(B)/guest-bin/rmt_glibc32: selftests/programs/glibc32.c
	@mkdir -p $(@D)
	$(CC) -m32 -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

$(B)/guest-bin/suites: Makefile
	@mkdir -p $(@D)
	echo $(SUITES) >$@

# Debian's strace: the guest holds the reader's lines against its own.
$(B)/guest-bin/strace: /usr/bin/strace
	@mkdir -p $(@D)
	cp $< $@

# Host tests of the reader: plain, and under ASan and UBSan.
host-tests: $(HOST_TESTS)

$(B)/host-tests/decode_test: tools/recvmmsg-trace/tests/decode_test.c \
		$(READER_LIB_SRCS) $(READER_HDRS) $(B)/linux-source/.version
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $< $(READER_LIB_SRCS) -ljson-c -o $@

$(B)/host-tests/decode_test-san: tools/recvmmsg-trace/tests/decode_test.c \
		$(READER_LIB_SRCS) $(READER_HDRS) $(B)/linux-source/.version
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SANITIZE) $< $(READER_LIB_SRCS) -ljson-c -o $@

# -w's writer: rotation, rings, a full disk (under ASan and UBSan).
$(B)/host-tests/capwriter_test-san: tools/recvmmsg-trace/tests/capwriter_test.c \
		$(READER_LIB_SRCS) $(READER_HDRS) $(B)/linux-source/.version
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(SANITIZE) $< $(READER_LIB_SRCS) -o $@

$(B)/host-tests/recvmmsg-trace-san: $(READER_SRCS) $(READER_HDRS) VERSION
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SANITIZE) $(READER_SRCS) $(JOURNAL) -o $@

# The capture-file test inputs, laid out by the reader's own structs.
$(B)/host-tests/capfile_gen: tools/recvmmsg-trace/tests/capfile_gen.c $(READER_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(SANITIZE) -D_DEFAULT_SOURCE $< -o $@

# libFuzzer (clang) over the decoder, pairing, printers and capture files.
$(B)/host-tests/fuzz_decode: tools/recvmmsg-trace/tests/fuzz_decode.c \
		$(READER_LIB_SRCS) $(READER_HDRS)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -Iuapi \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$< $(READER_LIB_SRCS) -o $@

# Synthetic capture files for the fuzzer's seeds and the decoding benchmark.
CAPFILE_SRCS := tools/recvmmsg-trace/capfile.c tools/recvmmsg-trace/containers.c \
		tools/recvmmsg-trace/exes.c
$(B)/bench/make_capture: tools/recvmmsg-trace/bench/make_capture.c $(CAPFILE_SRCS) $(READER_HDRS)
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -D_DEFAULT_SOURCE $< $(CAPFILE_SRCS) -o $@

# Decoding a capture file of 1,000,000 calls to JSON: calls/s and peak memory.
bench-reader: reader $(B)/bench/make_capture
	tools/recvmmsg-trace/bench/decode_bench.sh $(B)/recvmmsg-trace \
		$(B)/bench/make_capture $(B)/bench

# What tracing costs, side by side with strace and ftrace, in a VM (not a test).
bench: deps
	tools/bench/bench.sh

deps:
	tools/deps.sh

# Every test on every kernel of the matrix; ends with "N passed, N failed".
check: deps
	tools/check.sh

# One suite, or one of its tests, on one kernel, in a VM:
# make vm-test K=6.12 T=capture_test[/ipv4_message_every_field] [HOOK=entry]
vm-test: reader selftests
	tools/vm-test.sh "$(K)" "$(T)" "$(HOOK)"

# The Debian packages, in build/deb/, held to lintian and systemd-analyze.
deb: deps
	tools/deb.sh

# The packages on a systemd guest: installed, traced into the journal,
# upgraded and purged (tools/vm/systemd-check.sh; about 14 minutes the first
# time, the image made with debootstrap, then about 10).
systemd-check: deb selftests
	tools/vm/systemd-check.sh $(B)/guest-bin $(B)/vm/systemd

# The reader's host tests alone: no root, no apt, no VM (RMT_FUZZ_SECONDS=60).
host-check: reader host-tests
	tools/host-check.sh --summary

lint: deps
	tools/lint.sh

# The selftests, a longer soak and fault injection on the debug kernels
# (KASAN, lockdep, RCU checking, kmemleak) built from linux-source-6.12 and sid's newest.
check-debug: deps
	tools/check-debug.sh

# Boot a throwaway VM and show the reader tracing a 32-bit UDP server.
demo: deps
	tools/demo.sh

# As root: the module through DKMS for KVER (rebuilt on kernel upgrades),
# the reader, its man page and the uapi header.
install: reader
	@[ "$$(id -u)" = 0 ] || { echo "make install: run as root" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r Kbuild VERSION module uapi $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf.in >$(DKMS_SRC)/dkms.conf
	dkms status recvmmsg-trace/$(VERSION) | grep -q . || \
		dkms add recvmmsg-trace/$(VERSION)
	dkms install recvmmsg-trace/$(VERSION) -k $(KVER)
	install -D -m 0755 $(B)/recvmmsg-trace $(SBINDIR)/recvmmsg-trace
	install -D -m 0644 tools/recvmmsg-trace.8 $(MAN8DIR)/recvmmsg-trace.8
	install -D -m 0644 uapi/linux/recvmmsg_trace.h $(INCDIR)/recvmmsg_trace.h

# Removes everything install added, the module for every kernel included.
uninstall:
	@[ "$$(id -u)" = 0 ] || { echo "make uninstall: run as root" >&2; exit 1; }
	if dkms status recvmmsg-trace/$(VERSION) | grep -q .; then \
		dkms remove recvmmsg-trace/$(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	rm -f $(SBINDIR)/recvmmsg-trace $(MAN8DIR)/recvmmsg-trace.8 \
	      $(INCDIR)/recvmmsg_trace.h

clean:
	@for p in $(B)/kernels/sid/proc $(B)/systemd/root/proc; do \
		! mountpoint -q $$p || umount $$p; done
	rm -rf $(B)
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	rm -f module/*.o module/.*.cmd
