#!/bin/bash
# Make one kernel of the matrix ready: headers to build against and a
# vmlinuz to boot, with the kernel's modules.builtin* files beside it.
# Prints "KVER VMLINUZ KDIR ROOT", where ROOT is / for a host kernel and the
# chroot for the sid kernel.
#
# usage: kernel.sh NAME CACHEDIR
set -euo pipefail

name=$1 cache=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
read -r _ headers where < <(rmt_matrix | awk -v n="$name" '$1 == n')
[ -n "${where:-}" ] || { echo "kernel.sh: $name is not in the matrix" >&2; exit 2; }

mkdir -p "$cache"
if [ "$where" = sid-chroot ]; then
	root=$(cd "$cache" && pwd)/sid
	kver=$("$here/sid-chroot.sh" "$root")
	echo "$kver $root/boot-image/vmlinuz-$kver /usr/src/linux-headers-$kver $root"
	exit 0
fi

kver=$(rmt_kver_of "$headers")
[ -n "$kver" ] || { echo "kernel.sh: $headers is not installed (tools/deps.sh)" >&2; exit 1; }
vmlinuz=$(cd "$cache" && pwd)/$kver/vmlinuz
# The image package also gives modules.builtin*, which depmod reads.
if [ ! -s "$vmlinuz" ] || [ ! -e "$(dirname "$vmlinuz")/modules.builtin" ]; then
	tmp=$(mktemp -d)
	rmt_apt_download / "$tmp" "linux-image-$kver"
	dpkg -x "$tmp"/linux-image-*.deb "$tmp/x"
	mkdir -p "$(dirname "$vmlinuz")"
	cp "$tmp/x/boot/vmlinuz-$kver" "$vmlinuz"
	cp "$tmp"/x/lib/modules/"$kver"/modules.builtin* "$(dirname "$vmlinuz")/"
	rm -rf "$tmp"
fi
echo "$kver $vmlinuz /usr/src/linux-headers-$kver /"
