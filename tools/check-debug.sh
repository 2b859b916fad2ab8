#!/bin/bash
# make check-debug: the debug kernel (tools/debug-kernel: KASAN, lockdep,
# RCU and atomic-sleep checking, kmemleak, fault injection), the module
# built against it, then two VMs on it: the whole selftest suite with a
# longer soak (RMT_DEBUG_SOAK_SECONDS, default 120), and fault injection.
# Any report in the guest's kernel log fails the run (tools/vm/run-guest.sh).
# Result lines are kept in build/results/check-debug.txt.
set -uo pipefail
cd "$(dirname "$0")/.."

. tools/lib.sh
B=build
out=$B/results
rmt_results_init "$out/check-debug.txt"
stage() { echo "== $* ($(date +%T))" >&2; }

finish() {
	tools/summary.sh "$RMT_RESULTS"
	exit
}

stage "host build"
if ! make -s reader selftests >"$out/debug-build.log" 2>&1; then
	echo "FAIL debug/host-build see $out/debug-build.log" | record
	finish
fi

stage "debug kernel: build, or reuse while its config and linux-source are unchanged"
start=$(date +%s)
if info=$(tools/debug-kernel/build.sh "$B/debug-kernel" 2>"$out/debug-kernel.log"); then
	echo "PASS debug/kernel-build ($(($(date +%s) - start))s)" | record
else
	echo "FAIL debug/kernel-build see $out/debug-kernel.log" | record
	tail -n 20 "$out/debug-kernel.log" >&2
	finish
fi
read -r kver vmlinuz kdir <<<"$info"

stage "debug kernel: module"
ko_dir=$(pwd)/$B/debug-kernel/module
if tools/build-module.sh "$kdir" "$ko_dir" >"$out/debug-module.log" 2>&1; then
	echo "PASS debug/module-build ($kver)" | record
else
	echo "FAIL debug/module-build see $out/debug-module.log" | record
	tail -n 20 "$out/debug-module.log" >&2
	finish
fi

# KASAN wants memory; without ACPI the guest boots in seconds instead of a
# minute (and powers off with reboot -f, as /init does). Without ACPI there
# is no HPET or PM timer to calibrate the TSC against and PIT calibration
# fails under TCG, leaving a jiffies clock (durations of 0): the guest's TSC
# is the host's under TCG, so its frequency is given.
export RMT_VM_MEM=2048 RMT_VM_TIMEOUT=${RMT_DEBUG_VM_TIMEOUT:-1800}
khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
clock=${khz:+tsc_early_khz=$khz tsc=reliable}
stage "debug kernel: selftests and soak in a VM"
RMT_VM_APPEND="acpi=off $clock RMT_SOAK_SECONDS=${RMT_DEBUG_SOAK_SECONDS:-120}" \
	tools/vm/run-guest.sh debug "$vmlinuz" "$kver" "$ko_dir/recvmmsg_trace.ko" \
	"$B/guest-bin" selftests "$B/vm/debug" | record
stage "debug kernel: fault injection in a VM"
RMT_VM_APPEND="acpi=off $clock" RMT_VM_ALLOC_FAILURES=1 \
	tools/vm/run-guest.sh debug-faults "$vmlinuz" "$kver" "$ko_dir/recvmmsg_trace.ko" \
	"$B/guest-bin" faults "$B/vm/debug-faults" | record
finish
