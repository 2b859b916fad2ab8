#!/bin/bash
# make bench: what tracing costs the traced machine, side by side with the
# alternatives, in one guest of the matrix (RMT_BENCH_KERNEL, default 6.12;
# 2 vCPUs, TCG). RMT_BENCH_REPS rounds (default 9) alternate the modes in
# both orders; tools/bench/report.py prints medians, spreads and ratios, and
# writes build/bench/results.json. Absolute times under TCG are not those of
# real hardware; the ratios, measured side by side in one run, are the point.
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
	rm -rf "$root$oldbuild" && mkdir -p "$root$oldbuild"
	cp -r "$old"/{Kbuild,VERSION,module,uapi} "$root$oldbuild/"
	if [ "$root" = / ]; then
		make -C "$kdir" M="$oldbuild" modules >>"$B/bench/module.log" 2>&1
	else
		chroot "$root" env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			make -C "$kdir" M="$oldbuild" modules >>"$B/bench/module.log" 2>&1
	fi
	cp "$root$oldbuild/recvmmsg_trace.ko" "$bin/recvmmsg_trace-abi4.ko"
fi

echo "== benchmarking on $kver under QEMU TCG ($(date -u +%F))" >&2
status=0
# Multi-threaded TCG: the reader runs on the other vCPU in parallel, as on
# real hardware, instead of taking turns with the workload on one host thread.
RMT_TCG_OPTS= RMT_VM_TIMEOUT=${RMT_BENCH_TIMEOUT:-840} \
	RMT_VM_APPEND="RMT_BENCH_REPS=${RMT_BENCH_REPS:-9} RMT_BENCH_MODES=${RMT_BENCH_MODES:-} RMT_BENCH_FLOOD=${RMT_BENCH_FLOOD:-1}" \
	tools/vm/run-guest.sh "bench-$k" "$vmlinuz" "$kver" "$root$kobuild/recvmmsg_trace.ko" \
	"$bin" bench "$B/vm/bench-$k" >"$B/bench/guest.txt" || status=$?
grep -q '^BENCH-DONE' "$B/vm/bench-$k/console.log" ||
	{ cat "$B/bench/guest.txt" >&2; echo "bench: the guest did not finish" >&2; exit 1; }
tools/bench/report.py "$B/vm/bench-$k/console.log" "$kver" "$B/bench/results.json"
exit "$status"
