#!/bin/bash
# Module and reader of different ABIs, both ways: each pairing must end in
# one line that names both versions (exit status 1), never in garbage. The
# older side is the real one, built from the last commit of the previous ABI
# in this repository's history; each pairing runs in a VM of the given kernel.
#
# usage: abi-check.sh NAME VMLINUZ KVER KDIR KO WORKDIR
#   KO   this tree's module for that kernel
# Prints result lines "PASS|FAIL|SKIP NAME-abiN-.../...".
set -uo pipefail

name=$1 vmlinuz=$2 kver=$3 kdir=$4 ko=$5 work=$6
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# The last commit whose module and reader speak the previous ABI.
old_abi=5
old_commit=8749c8baf40ab0427d1b8fb490d615a362784c9a
tag=$name-abi$old_abi

if ! git -C "$top" cat-file -e "$old_commit^{commit}" 2>/dev/null; then
	echo "SKIP $tag/pairings the ABI $old_abi commit is not in this clone's history"
	exit 0
fi
rm -rf "$work"
mkdir -p "$work/src" "$work/old-reader-bin" "$work/new-reader-bin"
git -C "$top" archive "$old_commit" Kbuild VERSION module uapi tools/recvmmsg-trace |
	tar -x -C "$work/src"
if ! make -C "$kdir" M="$(cd "$work/src" && pwd)" modules >"$work/build.log" 2>&1; then
	echo "FAIL $tag/module-build see $work/build.log"
	exit 1
fi
if ! gcc -static -std=c11 -O2 -I"$work/src/uapi" -DRMT_VERSION='"abi'$old_abi'"' \
	"$work/src"/tools/recvmmsg-trace/*.c -o "$work/old-reader-bin/recvmmsg-trace" \
	>>"$work/build.log" 2>&1; then
	echo "FAIL $tag/reader-build see $work/build.log"
	exit 1
fi
if ! cp "$top/build/guest-bin/recvmmsg-trace" "$work/new-reader-bin/"; then
	echo "FAIL $tag/reader-copy this tree's guest reader is not built"
	exit 1
fi

status=0
# This reader, the module of the previous ABI.
"$here/vm/run-guest.sh" "$tag-module" "$vmlinuz" "$kver" \
	"$work/src/recvmmsg_trace.ko" "$work/new-reader-bin" abi "$work/vm-old-module" ||
	status=1
# The reader of the previous ABI, this module.
"$here/vm/run-guest.sh" "$tag-reader" "$vmlinuz" "$kver" "$ko" \
	"$work/old-reader-bin" abi "$work/vm-old-reader" || status=1
exit $status
