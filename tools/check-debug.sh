#!/bin/bash
# make check-debug: debug kernels (tools/debug-kernel: KASAN, lockdep, RCU
# and atomic-sleep checking, kmemleak, fault injection) built from Debian's
# 6.12 source ("debug") and from sid's newest ("debug-sid": the kernels
# whose syscall probes run preemptible and may fault), the module built
# against each, then two VMs on each: the whole selftest suite with a longer
# soak (RMT_DEBUG_SOAK_SECONDS, default 120) and device fuzzing
# (RMT_DEBUG_DEVFUZZ_SECONDS, default 60), and fault injection, side by
# side. Any report in a guest's kernel log fails the run
# (tools/vm/run-guest.sh).
# RMT_DEBUG_KERNELS="6.12 sid" (the default) narrows the kernels. Result
# lines are kept in build/results/check-debug.txt.
set -uo pipefail
cd "$(dirname "$0")/.."

. tools/lib.sh
rmt_begin check-debug

finish() {
	tools/summary.sh "$RMT_RESULTS"
	exit
}

stage "host build"
if ! make -s reader selftests >"$out/debug-build.log" 2>&1; then
	echo "FAIL debug/host-build see $out/debug-build.log" | record
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
# 4-level paging: QEMU's -cpu max offers LA57, and 6.12's identify_cpu()
# clears the boot CPU's feature bits, LA57 among them, with interrupts on;
# an interrupt in that window made KASAN see the 5-level direct map as
# wild (a false "wild-memory-access in rcu_is_watching" at boot, about one
# boot in 17, before any module is loaded).
boot="acpi=off no5lvl $clock"

# One debug kernel: NAME (result prefix) DIR SERIES [SIDROOT].
debug_kernel() {
	local name=$1 dir=$2 start info kver vmlinuz kdir ko_dir
	shift 2

	stage "$name kernel: build, or reuse while its config and source are unchanged"
	start=$(date +%s)
	if info=$(tools/debug-kernel/build.sh "$dir" "$@" 2>"$out/$name-kernel.log"); then
		echo "PASS $name/kernel-build ($(($(date +%s) - start))s)" | record
	else
		echo "FAIL $name/kernel-build see $out/$name-kernel.log" | record
		tail -n 20 "$out/$name-kernel.log" >&2
		return
	fi
	read -r kver vmlinuz kdir <<<"$info"

	stage "$name kernel: module"
	ko_dir=$(pwd)/$dir/module
	if tools/build-module.sh "$kdir" "$ko_dir" >"$out/$name-module.log" 2>&1; then
		echo "PASS $name/module-build ($kver)" | record
	else
		echo "FAIL $name/module-build see $out/$name-module.log" | record
		tail -n 20 "$out/$name-module.log" >&2
		return
	fi

	# Each guest runs on one host thread: the two side by side.
	stage "$name kernel: selftests and soak, and fault injection, in two VMs side by side"
	guest_selftests() {
		RMT_VM_APPEND="$boot RMT_SOAK_SECONDS=${RMT_DEBUG_SOAK_SECONDS:-120} RMT_DEVFUZZ_SECONDS=${RMT_DEBUG_DEVFUZZ_SECONDS:-60}" \
			tools/vm/run-guest.sh "$name" "$vmlinuz" "$kver" "$ko_dir/recvmmsg_trace.ko" \
			"$B/guest-bin" selftests "$B/vm/$name"
	}
	guest_faults() {
		RMT_VM_APPEND="$boot" RMT_VM_ALLOC_FAILURES=1 \
			tools/vm/run-guest.sh "$name-faults" "$vmlinuz" "$kver" \
			"$ko_dir/recvmmsg_trace.ko" "$B/guest-bin" faults "$B/vm/$name-faults"
	}
	rmt_side_by_side guest_selftests guest_faults | record
}

for series in ${RMT_DEBUG_KERNELS:-6.12 sid}; do
	case $series in
	6.12) debug_kernel debug "$B/debug-kernel" 6.12 ;;
	sid) debug_kernel debug-sid "$B/debug-kernel-sid" sid "$(pwd)/$B/kernels/sid" ;;
	*) echo "FAIL debug/$series unknown debug kernel (6.12 or sid)" | record ;;
	esac
done
finish
