#!/bin/bash
# Prepare a Debian sid chroot that holds the newest Debian kernel: its headers
# (with the compiler that built it) and its image. The host stays on bookworm;
# sid packages are only ever installed inside the chroot.
#
# usage: sid-chroot.sh DIR      prints the kernel version on stdout
set -euo pipefail

root=$1
mirror=${RMT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
. "$(dirname "$0")/../lib.sh"

in_root() {
	rmt_in_root "$root" "$@"
}

if [ ! -e "$root/.rmt-base" ]; then
	rm -rf "$root"
	debootstrap --variant=minbase sid "$root" "$mirror" >&2
	touch "$root/.rmt-base"
fi

rmt_mount_proc "$root"

if [ ! -e "$root/.rmt-kernel" ]; then
	in_root apt-get -q -o Acquire::Check-Valid-Until=false update >&2
	in_root apt-get -q -y --no-install-recommends install \
		linux-headers-amd64 make >&2
	touch "$root/.rmt-kernel"
fi

# Resolve the ABI version through the metapackage, never by name.
kver=$(rmt_kver_of linux-headers-amd64 "$root")
[ -n "$kver" ] || { echo "sid-chroot: no kernel version found" >&2; exit 1; }

if [ ! -e "$root/boot-image/vmlinuz-$kver" ]; then
	mkdir -p "$root/boot-image"
	rm -rf "$root/tmp/rmt-deb"
	# The image is in linux-binary-KVER (older: linux-image-KVER), and
	# modules.builtin* in linux-base-KVER where that exists.
	rmt_apt_download "$root" /tmp/rmt-deb "linux-binary-$kver" ||
		rmt_apt_download "$root" /tmp/rmt-deb "linux-image-$kver"
	rmt_apt_download "$root" /tmp/rmt-deb "linux-base-$kver" || true
	rm -rf "$root/tmp/rmt-x"
	for deb in "$root"/tmp/rmt-deb/*.deb; do
		dpkg -x "$deb" "$root/tmp/rmt-x"
	done
	img=$(find "$root/tmp/rmt-x" -name "vmlinuz-$kver" -o -name vmlinuz -path "*$kver*" | head -n1)
	[ -n "$img" ] || { echo "sid-chroot: no vmlinuz in the $kver packages" >&2; exit 1; }
	find "$root/tmp/rmt-x" -name 'modules.builtin*' -path "*/$kver/*" \
		-exec cp {} "$root/boot-image/" \;
	cp "$img" "$root/boot-image/vmlinuz-$kver"
	rm -rf "$root/tmp/rmt-x" "$root/tmp/rmt-deb"
fi

echo "$kver"
