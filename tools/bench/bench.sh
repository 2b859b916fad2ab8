#!/bin/bash
# make bench: what tracing costs the traced machine, side by side with the
# alternatives, in a kernel of the matrix (RMT_BENCH_KERNEL, default 6.12;
# 2 vCPUs, TCG), in two guests (below). RMT_BENCH_REPS rounds (default 9)
# alternate the modes in both orders; tools/bench/report.py prints medians,
# spreads and ratios, and writes build/bench/results-GUEST.json. Absolute
# times under TCG are not those of real hardware; the ratios, measured side
# by side in one run, are the point.
set -euo pipefail
cd "$(dirname "$0")/../.."

B=build
k=${RMT_BENCH_KERNEL:-6.12}
make -s reader selftests
bin=$B/bench-guest
mkdir -p "$bin" "$B/bench"
cp "$B/guest-bin/recvmmsg-trace" "$bin/"
gcc -static -O2 -std=c11 -Wall -Wextra -Werror tools/bench/syscall_loop.c -o "$bin/loop64"
gcc -m32 -static -O2 -std=c11 -Wall -Wextra -Werror tools/bench/syscall_loop.c -lpthread -o "$bin/loop32"
cp "$(command -v strace)" "$bin/strace"
# The BPF program that records as the module does, and its loader.
clang -O2 -g -Wall -Werror -Wno-gnu-variable-sized-type-not-at-end -target bpf -D__TARGET_ARCH_x86 \
	-Iuapi -I/usr/include/x86_64-linux-gnu -c tools/bench/bpf_capture.bpf.c \
	-o "$bin/bpf_capture.bpf.o"
gcc -static -O2 -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Iuapi tools/bench/bpf_capture.c \
	-lbpf -lelf -lz -lzstd -o "$bin/bpf_capture"

read -r kver vmlinuz kdir root <<<"$(tools/vm/kernel.sh "$k" "$B/kernels")"
if [ "$root" = / ]; then kobuild=$PWD/$B/ko/bench-$k; else kobuild=/rmt-build/bench-$k; fi
tools/build-module.sh "$kdir" "$kobuild" "$root" >"$B/bench/module.log" 2>&1 ||
	{ tail -n 20 "$B/bench/module.log" >&2; exit 1; }

# Mode "abi4": the module and reader of ABI 4 (one module-wide capture,
# the exit record with a second task snapshot), built from the history, to
# show what this version changed side by side. Skipped without the history.
abi4=eb2717e86bc7f0fd61be40032e0a7d4379ac635e
rm -f "$bin/recvmmsg_trace-abi4.ko" "$bin/recvmmsg-trace-abi4"
if git cat-file -e "$abi4^{commit}" 2>/dev/null; then
	old=$B/bench/abi4-src
	rm -rf "$old" && mkdir -p "$old"
	git archive "$abi4" tools/recvmmsg-trace Kbuild VERSION module uapi | tar -x -C "$old"
	gcc -static -std=c11 -O2 -I"$old/uapi" -DRMT_VERSION='"abi4"' \
		"$old"/tools/recvmmsg-trace/*.c -o "$bin/recvmmsg-trace-abi4"
	if [ "$root" = / ]; then oldbuild=$PWD/$B/ko/bench-abi4-$k; else oldbuild=/rmt-build/bench-abi4-$k; fi
	tools/build-module.sh --src "$old" "$kdir" "$oldbuild" "$root" \
		>>"$B/bench/module.log" 2>&1
	cp "$root$oldbuild/recvmmsg_trace.ko" "$bin/recvmmsg_trace-abi4.ko"
fi

# Two guests. "instructions": QEMU counts the instructions the guest runs
# (-icount shift=0, one per nanosecond of its clock; single-threaded TCG,
# as icount requires), so the times of the recording modes are instruction
# counts the host's load cannot move. "time": multi-threaded TCG, the
# reader on the other vCPU in parallel as on real hardware, for the modes
# with a reader and the throughput runs; its times move with the host.
# RMT_BENCH_GUESTS picks them (default "instructions time").
status=0
for guest in ${RMT_BENCH_GUESTS:-instructions time}; do
	echo "== benchmarking on $kver under QEMU TCG, guest \"$guest\" ($(date -u +%F))" >&2
	# Both without ERMS/FSRM: TCG runs a "rep movsb" a byte per step
	# (and icount counts each step), so copies weigh far more against
	# other work than on hardware; without them the kernel and libc copy
	# 8 or more bytes per step.
	clock= qemu= tcg= cpu=${RMT_BENCH_CPU:-max,-erms,-fsrm}
	if [ "$guest" = instructions ]; then
		clock=icount qemu="-icount shift=0,sleep=off" tcg=,thread=single
	fi
	work=$B/vm/bench-$k-$guest
	RMT_TCG_OPTS=$tcg RMT_VM_QEMU_OPTS=$qemu RMT_VM_CPU=$cpu RMT_VM_TIMEOUT=${RMT_BENCH_TIMEOUT:-840} \
		RMT_VM_APPEND="RMT_BENCH_REPS=${RMT_BENCH_REPS:-9} RMT_BENCH_MODES=${RMT_BENCH_MODES:-} RMT_BENCH_FLOOD=${RMT_BENCH_FLOOD:-1} RMT_BENCH_FORMATS=${RMT_BENCH_FORMATS:-} RMT_BENCH_CLOCK=$clock" \
		tools/vm/run-guest.sh "bench-$k-$guest" "$vmlinuz" "$kver" "$root$kobuild/recvmmsg_trace.ko" \
		"$bin" bench "$work" >"$B/bench/guest-$guest.txt" || status=$?
	grep -q '^BENCH-DONE' "$work/console.log" ||
		{ cat "$B/bench/guest-$guest.txt" >&2; echo "bench: the $guest guest did not finish" >&2; exit 1; }
	tools/bench/report.py "$work/console.log" "$kver" "$guest" "$B/bench/results-$guest.json" ||
		status=1
done
exit "$status"
