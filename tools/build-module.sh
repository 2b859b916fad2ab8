#!/bin/bash
# Build recvmmsg_trace.ko against one kernel's headers, in a copy of the
# sources so that builds for several kernels do not mix.
#
# usage: build-module.sh KDIR OUTDIR [ROOT [MAKEARGS...]]
#   ROOT   a chroot that holds KDIR and its compiler (default /)
# Leaves OUTDIR/recvmmsg_trace.ko; the build log goes to stdout.
set -euo pipefail

kdir=$1 out=$2 root=${3:-/}
shift $(($# < 3 ? $# : 3))
src=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$root/$out"
mkdir -p "$root/$out"
cp -r "$src/Kbuild" "$src/VERSION" "$src/module" "$src/uapi" "$root/$out/"
if [ "$root" = / ]; then
	make -C "$kdir" M="$out" "$@" modules
else
	# The kernel's objtool reads /proc inside the chroot.
	if ! mountpoint -q "$root/proc"; then
		mount -t proc proc "$root/proc"
		trap 'umount "$root/proc"' EXIT
	fi
	chroot "$root" env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		make -C "$kdir" M="$out" "$@" modules
fi
