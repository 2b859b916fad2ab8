#!/bin/bash
# Module and reader of different ABIs, both ways: each pairing must end in
# one line that names both versions (exit status 1), never in garbage. The
# older side is the real one, built from the last commit of ABI 3 in this
# repository's history; each pairing runs in a VM of the given kernel.
#
# usage: abi-check.sh NAME VMLINUZ KVER KDIR KO WORKDIR
#   KO   this tree's module for that kernel
# Prints result lines "PASS|FAIL|SKIP NAME-abi3-.../...".
set -uo pipefail

name=$1 vmlinuz=$2 kver=$3 kdir=$4 ko=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# The last commit whose module and reader speak ABI 3.
abi3=e5ead97027c013be63c80f7d6943810658f5ecf3

if ! git -C "$top" cat-file -e "$abi3^{commit}" 2>/dev/null; then
	echo "SKIP $name-abi3/pairings the ABI 3 commit is not in this clone's history"
	exit 0
fi
rm -rf "$work"
mkdir -p "$work/src" "$work/old-reader-bin" "$work/new-reader-bin"
git -C "$top" archive "$abi3" Kbuild VERSION module uapi tools/recvmmsg-trace |
	tar -x -C "$work/src"
if ! make -C "$kdir" M="$(cd "$work/src" && pwd)" modules >"$work/build.log" 2>&1; then
	echo "FAIL $name-abi3/module-build see $work/build.log"
	exit 1
fi
if ! gcc -static -std=c11 -O2 -I"$work/src/uapi" -DRMT_VERSION='"abi3"' \
	"$work/src"/tools/recvmmsg-trace/*.c -o "$work/old-reader-bin/recvmmsg-trace" \
	>>"$work/build.log" 2>&1; then
	echo "FAIL $name-abi3/reader-build see $work/build.log"
	exit 1
fi
if ! cp "$top/build/guest-bin/recvmmsg-trace" "$work/new-reader-bin/"; then
	echo "FAIL $name-abi3/reader-copy this tree's guest reader is not built"
	exit 1
fi

status=0
# This reader, the module of ABI 3.
"$here/vm/run-guest.sh" "$name-abi3-module" "$vmlinuz" "$kver" \
	"$work/src/recvmmsg_trace.ko" "$work/new-reader-bin" abi "$work/vm-old-module" ||
	status=1
# The reader of ABI 3, this module.
"$here/vm/run-guest.sh" "$name-abi3-reader" "$vmlinuz" "$kver" "$ko" \
	"$work/old-reader-bin" abi "$work/vm-old-reader" || status=1
exit $status
