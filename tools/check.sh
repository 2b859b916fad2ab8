#!/bin/bash
# make check: build everything, run the selftests in a VM on every kernel of
# the matrix (tools/vm/matrix), check DKMS, run tools/check-debug.sh (the
# debug kernel), and end with the counted "N passed, N failed, N skipped"
# line. RMT_KERNELS="6.1 sid debug systemd" narrows the kernels (debug: the
# debug kernels; systemd: the packages on a systemd guest). Result lines are
# kept in build/results/check.txt and check-debug.txt.
set -uo pipefail
cd "$(dirname "$0")/.."

. tools/lib.sh
rmt_begin check

stage "host build and host tests"
if make -s reader selftests host-tests >"$out/build.log" 2>&1; then
	echo "PASS host/build" | record
	tools/host-check.sh | record
else
	echo "FAIL host/build see $out/build.log" | record
	tail -n 20 "$out/build.log" >&2
fi

# Kernel images first: the DKMS check copies their modules.builtin files.
kernels=$(rmt_matrix | cut -d' ' -f1)
if [ -n "${RMT_KERNELS:-}" ]; then
	kernels=$(for k in $RMT_KERNELS; do case $k in debug | systemd) ;; *) echo "$k" ;; esac; done)
fi
declare -A info
for k in $kernels; do
	stage "kernel $k: headers and image"
	if info[$k]=$(tools/vm/kernel.sh "$k" "$B/kernels" 2>"$out/kernel-$k.log"); then
		:
	else
		echo "FAIL $k/prepare see $out/kernel-$k.log" | record
		tail -n 5 "$out/kernel-$k.log" >&2
		unset "info[$k]"
	fi
done

# The modules the VMs load are the ones DKMS builds (bookworm kernels).
stage "dkms: add, install, autoinstall on upgrade, modinfo"
tools/dkms-check.sh "$B/dkms" | record
stage "make install, then make uninstall"
tools/install-check.sh | record
stage "Debian packages (make deb), lintian, the systemd unit"
tools/deb.sh | record
# The packages on a systemd guest ("systemd" in RMT_KERNELS, and by
# default), in the background from here on: its disk image (debootstrap,
# 3 to 4 minutes of downloading and unpacking) is made while the
# matrix's guests run, then the guest (about 10 minutes, two DKMS builds
# under TCG, one host thread) runs beside what comes then.
systemd_guest() {
	if timeout 2400 tools/vm/systemd-image.sh "$B/systemd" >/dev/null 2>"$out/systemd-image.log"; then
		tools/vm/systemd-check.sh "$B/guest-bin" "$B/vm/systemd"
	else
		echo "FAIL systemd/image $(tail -n 2 "$out/systemd-image.log" | tr '\n' ' ') (log: $out/systemd-image.log)"
	fi
}
systemd_pid=
if [ -z "${RMT_KERNELS:-}" ] || [[ " $RMT_KERNELS " == *" systemd "* ]]; then
	stage "the packages on a systemd guest: install, journal, upgrade, purge (in the background)"
	systemd_guest >"$out/systemd.txt" &
	systemd_pid=$!
fi

for k in $kernels; do
	[ -n "${info[$k]:-}" ] || continue
	read -r kver vmlinuz kdir root <<<"${info[$k]}"
	stage "kernel $k: selftests in a VM"
	if [ "$root" = / ]; then
		ko=$(ls "$B/dkms/$k/"recvmmsg_trace.ko* 2>/dev/null)
		[ -n "$ko" ] || { echo "FAIL $k/module no DKMS build to load" | record; continue; }
	else
		# No DKMS across the chroot: the sid kernel's module is built
		# with its own headers and compiler inside the chroot.
		kobuild=/rmt-build/$k
		if tools/build-module.sh "$kdir" "$kobuild" "$root" >"$out/module-$k.log" 2>&1; then
			echo "PASS $k/module-build-in-chroot ($kver)" | record
		else
			echo "FAIL $k/module-build-in-chroot ($kver) see $out/module-$k.log" | record
			tail -n 20 "$out/module-$k.log" >&2
			continue
		fi
		ko=$root$kobuild/recvmmsg_trace.ko
	fi
	[ -e "$B/guest-bin/control_test" ] || continue
	# The whole suite twice, the second time with every load of the
	# module on hook=entry (results "$k-entry/..."). Each guest runs on
	# one host thread (single-threaded TCG), so the two run side by side.
	stage "kernel $k: selftests in two VMs side by side, hook=tracepoint and hook=entry"
	soak="RMT_SOAK_SECONDS=${RMT_SOAK_SECONDS:-20} RMT_DEVFUZZ_SECONDS=${RMT_DEVFUZZ_SECONDS:-15}"
	guest_tracepoint() {
		RMT_VM_APPEND="$soak" tools/vm/run-guest.sh "$k" "$vmlinuz" "$kver" "$ko" \
			"$B/guest-bin" selftests "$B/vm/$k"
	}
	guest_entry() {
		RMT_VM_APPEND="RMT_HOOK=entry $soak" tools/vm/run-guest.sh "$k-entry" \
			"$vmlinuz" "$kver" "$ko" "$B/guest-bin" selftests "$B/vm/$k-entry"
	}
	rmt_side_by_side guest_tracepoint guest_entry | record
done

# Reader and module of different ABIs (the real ones of ABI 5), both ways.
ko=$(ls "$B/dkms/6.12/"recvmmsg_trace.ko* 2>/dev/null)
if [ -n "${info[6.12]:-}" ] && [ -n "$ko" ]; then
	read -r kver vmlinuz kdir root <<<"${info[6.12]}"
	stage "abi: this reader and module against those of ABI 5"
	tools/abi-check.sh 6.12 "$vmlinuz" "$kver" "$kdir" "$ko" "$B/abi-old" | record
fi

# The debug kernel (KASAN, lockdep, kmemleak, fault injection): "debug" in
# RMT_KERNELS, and by default.
debug_results=()
if [ -z "${RMT_KERNELS:-}" ] || [[ " $RMT_KERNELS " == *" debug "* ]]; then
	stage "debug kernel (tools/check-debug.sh)"
	tools/check-debug.sh >&2
	debug_results=("$out/check-debug.txt")
fi

if [ -n "$systemd_pid" ]; then
	stage "the systemd guest: its results"
	wait "$systemd_pid"
	record <"$out/systemd.txt"
	grep -Eq '^(PASS|FAIL) ' "$out/systemd.txt" ||
		echo "FAIL systemd/runner no result line (see $out/systemd.txt)" | record
fi

tools/summary.sh "$RMT_RESULTS" "${debug_results[@]}"
