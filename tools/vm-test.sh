#!/bin/bash
# make vm-test K=KERNEL T=SUITE[/TEST]: one selftest suite, or one test of
# it, on one kernel of the matrix (tools/vm/matrix), in a VM: the inner loop
# while changing the module or a test. Builds only what that needs (the
# kernel is cached in build/kernels after its first run); HOOK=entry loads
# the module with hook=entry. Ends with the counted result line.
#
# usage: vm-test.sh KERNEL SUITE[/TEST] [HOOK]
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/lib.sh

k=${1:-} t=${2:-} hook=${3:-}
if [ -z "$k" ] || [ -z "$t" ]; then
	echo "usage: make vm-test K=KERNEL T=SUITE[/TEST] [HOOK=entry]" >&2
	echo "kernels: $(rmt_matrix | cut -d' ' -f1 | tr '\n' ' ')" >&2
	exit 2
fi
B=build
mkdir -p "$B/results" "$B/ko"
read -r kver vmlinuz kdir root <<<"$(tools/vm/kernel.sh "$k" "$B/kernels")"
if [ "$root" = / ]; then
	out=$PWD/$B/ko/$k
	ko=$out/recvmmsg_trace.ko
else
	out=/rmt-build/$k
	ko=$root$out/recvmmsg_trace.ko
fi
if ! tools/build-module.sh "$kdir" "$out" "$root" >"$B/ko/$k.log" 2>&1; then
	tail -n 20 "$B/ko/$k.log" >&2
	echo "FAIL $k/module-build see $B/ko/$k.log" | tee "$B/results/vm-test.txt"
	exit 1
fi
RMT_VM_APPEND="RMT_SUITES=$t${hook:+ RMT_HOOK=$hook}" tools/vm/run-guest.sh \
	"$k${hook:+-$hook}" "$vmlinuz" "$kver" "$ko" "$B/guest-bin" selftests \
	"$B/vm/vm-test-$k" | tee "$B/results/vm-test.txt"
tools/summary.sh "$B/results/vm-test.txt"
