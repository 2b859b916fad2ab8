#!/bin/bash
# Make the disk image of the systemd guest (tools/vm/systemd-check.sh): a
# Debian 12 system made with debootstrap, systemd as init, the bookworm
# kernel with its initramfs, and what installing the packages offline needs
# already there (DKMS, the compiler, the kernel's headers), so the guest
# needs no network. Its apt has no source: anything missing fails there.
# At boot it runs the job on its second disk (rmt-job.service) and powers
# off. Made once; made again when $format below changes.
#
# usage: systemd-image.sh DIR    prints "KVER VMLINUZ INITRD IMAGE", all in DIR
set -euo pipefail

dir=$(mkdir -p "$1" && cd "$1" && pwd)
mirror=${RMT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
root=$dir/root image=$dir/disk.img
# Raise it with any change to what the image holds.
format=3

kernel_of() {
	rmt_kver_of linux-headers-amd64 "$root"
}

if [ ! -s "$image" ] || [ "$(cat "$dir/format" 2>/dev/null)" != "$format" ]; then
	# What a killed run left mounted in the old tree goes first.
	findmnt -rn -o TARGET | { grep -F "$root/" || true; } | sort -r | xargs -r -n1 umount -l
	rm -rf --one-file-system "$root" "$image" "$dir/format"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
	rmt_mount_proc "$root"
	in_root() {
		rmt_in_root "$root" "$@"
	}
	cat >"$root/etc/apt/sources.list" <<-EOF
		deb $mirror bookworm main
		deb $mirror bookworm-updates main
	EOF
	in_root apt-get -q update >&2
	in_root apt-get -q -y --no-install-recommends install \
		systemd-sysv udev kmod initramfs-tools linux-image-amd64 \
		linux-headers-amd64 dkms >&2
	kver=$(kernel_of)
	# INITRD=No (rmt_in_root) keeps the kernel's hook from making it,
	# though initramfs-tools' trigger may have.
	[ -e "$root/boot/initrd.img-$kver" ] || in_root update-initramfs -c -k "$kver" >&2
	in_root apt-get clean
	# No source: the guest is offline, and what it installs must be here.
	: >"$root/etc/apt/sources.list"
	rm -rf "$root"/var/lib/apt/lists/*
	echo rmt-systemd >"$root/etc/hostname"
	echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$root/etc/fstab"
	# apt's daily jobs would look for the network and hold its lock.
	in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer >&2
	# The job has 20 minutes; whatever happened, what it left goes back
	# and the guest powers off.
	cat >"$root/etc/systemd/system/rmt-job.service" <<-'EOF'
		[Unit]
		Description=Run the test job of the second disk, then power off
		After=multi-user.target
		[Service]
		Type=oneshot
		ExecStart=/usr/local/sbin/rmt-job
		ExecStopPost=/usr/local/sbin/rmt-job-end
		TimeoutStartSec=1200
		StandardOutput=journal+console
		StandardError=journal+console
		[Install]
		WantedBy=default.target
	EOF
	# The job's files come as a tar on /dev/vdb, into a file system of
	# their own (/run is noexec); what it leaves in out/ goes back as a
	# tar on /dev/vdc. Its output is on the console too, as it goes.
	cat >"$root/usr/local/sbin/rmt-job" <<-'EOF'
		#!/bin/bash
		mkdir -p /opt/rmt
		mount -t tmpfs -o mode=755 rmt /opt/rmt
		mkdir /opt/rmt/out
		tar -xf /dev/vdb -C /opt/rmt
		cd /opt/rmt || exit 1
		./job 2>&1 | tee out/job.log
		echo "rmt-job: exit status ${PIPESTATUS[0]}" | tee -a out/job.log
	EOF
	cat >"$root/usr/local/sbin/rmt-job-end" <<-'EOF'
		#!/bin/sh
		tar -cf /dev/vdc -C /opt/rmt/out .
		sync
		systemctl --no-block poweroff
	EOF
	chmod 755 "$root/usr/local/sbin/rmt-job" "$root/usr/local/sbin/rmt-job-end"
	in_root systemctl enable rmt-job.service >&2
	# Lazily: a process of the packages' scripts may still be leaving.
	umount -l "$root/proc"
	trap - EXIT
	# Room for the packages, the module's builds and the journal.
	size=$(($(du -sm "$root" | cut -f1) + 1024))
	mkfs.ext4 -q -F -L rmt-root -d "$root" "$image" "${size}M" >&2
	# Only the image is kept, and what boots it.
	kver=$(kernel_of)
	cp "$root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$dir/initrd.img"
	echo "$kver" >"$dir/kver"
	rm -rf --one-file-system "$root"
	echo "$format" >"$dir/format"
fi

echo "$(cat "$dir/kver") $dir/vmlinuz $dir/initrd.img $image"
