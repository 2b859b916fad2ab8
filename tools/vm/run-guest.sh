#!/bin/bash
# Boot one kernel under QEMU (TCG, 2 vCPUs) with a busybox initramfs that
# holds the module, kmod, the guest binaries and a job, run the job, and
# judge it.
#
# usage: run-guest.sh NAME VMLINUZ KVER KO BINDIR JOB WORKDIR
#   NAME     label for results, e.g. 6.12-rt
#   KVER     the kernel's release; KO is installed as a DKMS build would be,
#            under /lib/modules/KVER/updates/dkms/, and loaded by kmod's
#            modprobe after depmod. modules.builtin* next to VMLINUZ go along.
#   BINDIR   static binaries copied to /rmt in the guest
#   JOB      selftests | faults | abi | demo | bench (tools/vm/job-JOB)
# RMT_VM_MEM (MiB, default 1024), RMT_VM_APPEND (more kernel command line;
# NAME=VALUE words the kernel does not know reach /init as environment
# variables), RMT_VM_CPU (QEMU's -cpu, default max) and RMT_VM_QEMU_OPTS
# (more QEMU options) adapt the guest. The console goes to
# WORKDIR/console.log. For
# the selftests, faults and abi jobs, one line per result is printed:
# "PASS|FAIL|SKIP NAME/TEST [why]". Exit status 0 when the job passed, the
# guest ended by itself, and its kernel log is clean.
set -euo pipefail

name=$1 vmlinuz=$2 kver=$3 ko=$4 bindir=$5 job=$6 work=$7
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
limit=${RMT_VM_TIMEOUT:-300}

rm -rf "$work/root"
mkdir -p "$work"/root/{bin,dev,proc,sys,rmt,tmp}
cp /bin/busybox "$work/root/bin/busybox"
cp "$here/guest-init" "$work/root/init"
chmod 755 "$work/root/init"
cp "$here/job-$job" "$work/root/rmt/job"
cp "$here/reader-ready" "$work/root/rmt/"
cp "$bindir"/* "$work/root/rmt/"
moddir=$work/root/lib/modules/$kver
mkdir -p "$moddir/updates/dkms" "$work/root/sbin"
cp "$ko" "$moddir/updates/dkms/"
cp "$(dirname "$vmlinuz")"/modules.builtin* "$moddir/" 2>/dev/null || true
# The shared libraries ELF file $1 needs, its program interpreter first,
# found as its loader would (i386 ones in the biarch directories), read from
# the headers: ldd would run the loader, and this host may not run i386
# programs. Nothing for a static program.
elf_libs() {
	local dirs lib d

	readelf -h "$1" >/dev/null 2>&1 || return 0
	dirs="/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64"
	readelf -h "$1" | grep -q 'Class: *ELF32' &&
		dirs="/lib32 /usr/lib32 /lib/i386-linux-gnu /usr/lib/i386-linux-gnu"
	readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p'
	for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		for d in $dirs; do
			[ -e "$d/$lib" ] || continue
			echo "$d/$lib"
			elf_libs "$d/$lib"
			continue 2
		done
		echo "run-guest: $1 needs $lib, not found in $dirs" >&2
	done
}
# kmod (modprobe, insmod, rmmod, depmod, modinfo), and the dynamic programs
# among the binaries (strace, the glibc program), get their libraries.
cp /usr/bin/kmod "$work/root/sbin/kmod"
for tool in modprobe depmod modinfo lsmod insmod rmmod; do
	ln -s kmod "$work/root/sbin/$tool"
done
for lib in $(for bin in /usr/bin/kmod "$bindir"/*; do elf_libs "$bin"; done | sort -u); do
	mkdir -p "$work/root$(dirname "$lib")"
	cp -L "$lib" "$work/root$lib"
done
# The kernel opens /dev/console before /init mounts devtmpfs.
mknod -m 600 "$work/root/dev/console" c 5 1
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) \
	>"$work/initramfs.cpio.gz"

# Single-threaded TCG still gives the guest 2 CPUs, interleaved. With one
# host thread per vCPU, the kernel's own code patching (enabling a
# tracepoint's static key) was once seen to end in an "Oops: int3" on 7.2:
# a vCPU ran a stale translation of the patched code. RMT_TCG_OPTS= (empty)
# brings multi-threaded TCG back.
tcg_opts=${RMT_TCG_OPTS-,thread=single}
# Warnings (lockdep, RCU, WARN) reach the console too, where they happen,
# between the lines of the test that caused them. Not in the faults job:
# every injected failure prints a stack, and the serial console is slow.
loglevel=5
[ "$job" = faults ] && loglevel=4
start=$(date +%s)
qemu_rc=0
timeout --kill-after=10 "$limit" qemu-system-x86_64 \
	-accel "tcg$tcg_opts" -cpu "${RMT_VM_CPU:-max}" -smp 2 -m "${RMT_VM_MEM:-1024}" ${RMT_VM_QEMU_OPTS:-} \
	-nographic -monitor none -no-reboot \
	-kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
	-append "console=ttyS0 loglevel=$loglevel panic=-1 oops=panic ${RMT_VM_APPEND:-}" \
	</dev/null 2>&1 | tr -d '\r' >"$work/console.log" || qemu_rc=$?
elapsed=$(($(date +%s) - start))
log=$work/console.log

fail() {
	echo "FAIL $name/$1 ${2:-}"
	status=1
}
status=0

if [ "$job" = selftests ] || [ "$job" = faults ] || [ "$job" = abi ]; then
	"$here/../tap-results.sh" "$name" "$log" <"$log"
	grep -q '^not ok ' "$log" && status=1
	grep -Eq '^(not )?ok ' "$log" || fail "$job" "no test result in $log"
fi
# RMT_SUITES (some suites only) leaves out the reader's end-to-end runs.
if [ "$job" = selftests ] && [[ "${RMT_VM_APPEND:-}" != *RMT_SUITES=* ]]; then
	"$here/check-reader.py" "$name" "$log" | tee "$work/reader.txt"
	grep -q '^FAIL' "$work/reader.txt" && status=1
fi

rc=$(sed -n 's/^RMT-RESULT \([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$rc" ]; then
	fail guest "no result after ${elapsed}s (qemu status $qemu_rc; hung or crashed): see $log"
elif [ "$rc" != 0 ]; then
	fail guest "job $job exited $rc: see $log"
fi

# Only the out-of-tree (O, 4096) and unsigned (E, 8192) taints are expected.
taint=$(sed -n 's/^RMT-TAINT \([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -n "$taint" ] && [ $((taint & ~(4096 | 8192))) -ne 0 ]; then
	fail kernel-taint "tainted=$taint"
fi
# RMT_VM_ALLOC_FAILURES=1: allocations made to fail on purpose (fault
# injection) print their stack; those stacks are expected, nothing else is.
expected_stacks() {
	if [ "${RMT_VM_ALLOC_FAILURES:-0}" = 1 ]; then
		awk '/vmalloc error:|page allocation failure:/ { skip = 1 }
		     skip && /<\/TASK>/ { skip = 0; next }
		     !skip'
	else
		cat
	fi
}
if expected_stacks <"$log" | grep -En "$rmt_kernel_problems" >"$work/kernel-problems.txt"; then
	# Before /init's first line the module was not loaded yet. awk reads
	# the whole log (an early exit would fail the pipeline, and set -e
	# would end this script before its verdict).
	first=$(head -n1 "$work/kernel-problems.txt")
	init=$(expected_stacks <"$log" | awk '!n && /RMT-GUEST kernel/ { n = NR } END { print n + 0 }')
	# Where the job ended: later come the unload, kmemleak's scan and the
	# whole kernel log again.
	end=$(expected_stacks <"$log" | awk '!n && /^RMT-GUEST job ended/ { n = NR } END { print n + 0 }')
	when=
	if [ "$init" = 0 ] || [ "${first%%:*}" -lt "$init" ]; then
		when=" (the kernel's, at boot: before the module was loaded)"
	elif [ "$end" != 0 ] && [ "${first%%:*}" -gt "$end" ]; then
		when=" (after the job: at unload, in kmemleak's scan or the closing kernel log)"
	else
		# The test that ran when it began, as the harness named it.
		test=$(expected_stacks <"$log" | awk -v n="${first%%:*}" '
			NR <= n && /^#  RUN / { t = $0 }
			END { sub(/^#  RUN +/, "", t); sub(/ \.\.\.$/, "", t); print t }')
		[ -z "$test" ] || when=" (during $test)"
	fi
	summary=$(expected_stacks <"$log" | awk -v n="${first%%:*}" 'NR >= n' | rmt_splat_summary)
	fail kernel-log "${summary:-${first#*:}}$when ($(wc -l <"$work/kernel-problems.txt") report lines in all; see $log)"
fi
[ "$status" = 0 ] && echo "PASS $name/guest-clean (${elapsed}s)"
exit "$status"
