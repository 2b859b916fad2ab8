#!/bin/bash
# make demo: build the module for Debian's 6.1 kernel, boot it in a
# throwaway QEMU guest, start a 32-bit UDP server that receives with
# recvmmsg_time32, and show what the reader prints about it.
# RMT_DEMO_KERNEL picks another kernel of tools/vm/matrix.
set -euo pipefail
cd "$(dirname "$0")/.."

B=build
k=${RMT_DEMO_KERNEL:-6.1}
echo "== building the reader, the 32-bit client and the module for kernel $k" >&2
make -s reader selftests
read -r kver vmlinuz kdir root <<<"$(tools/vm/kernel.sh "$k" "$B/kernels")"
if [ "$root" = / ]; then kobuild=$PWD/$B/ko/$k; else kobuild=/rmt-build/$k; fi
tools/build-module.sh "$kdir" "$kobuild" "$root" >"$B/demo-module.log" 2>&1 ||
	{ tail -n 20 "$B/demo-module.log" >&2; exit 1; }

echo "== booting $kver under QEMU (about 15 s)" >&2
status=0
tools/vm/run-guest.sh "$k" "$vmlinuz" "$kver" "$root$kobuild/recvmmsg_trace.ko" \
	"$B/guest-bin" demo "$B/vm/demo-$k" >/dev/null || status=$?
echo "== inside the guest:" >&2
sed -n '/^RMT-DEMO-BEGIN$/,/^RMT-DEMO-END$/p' "$B/vm/demo-$k/console.log" |
	sed '1d;$d'
[ "$status" = 0 ] || echo "demo failed: see $B/vm/demo-$k/console.log" >&2
exit "$status"
