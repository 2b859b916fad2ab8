#!/bin/bash
# Build recvmmsg_trace.ko against one kernel's headers, in a copy of the
# sources so that builds for several kernels do not mix.
#
# usage: build-module.sh [--src TREE] KDIR OUTDIR [ROOT [MAKEARGS...]]
#   TREE   another tree's sources (the benchmarks' older ABI); default this
#   ROOT   a chroot that holds KDIR and its compiler (default /); OUTDIR
#          is a path inside it
# Leaves OUTDIR/recvmmsg_trace.ko; the build log goes to stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
src=$here/..
if [ "${1:-}" = --src ]; then
	src=$2
	shift 2
fi
kdir=$1 out=$2 root=${3:-/}
shift $(($# < 3 ? $# : 3))

rm -rf "$root/$out"
mkdir -p "$root/$out"
cp -r "$src/Kbuild" "$src/VERSION" "$src/module" "$src/uapi" "$root/$out/"
[ "$root" = / ] || rmt_mount_proc "$root"
rmt_in_root "$root" make -C "$kdir" M="$out" "$@" modules
