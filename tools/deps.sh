#!/bin/bash
# Install the Debian packages that building and testing need. As root it
# installs what is missing (non-interactive); otherwise it names them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	build-essential gcc-multilib libjson-c-dev python3 xz-utils
	qemu-system-x86 busybox-static cpio kmod debootstrap dkms sparse
	linux-source-6.12
	# the debug kernel (tools/debug-kernel)
	flex bison bc libelf-dev libssl-dev
	# the reader's fuzz target (libFuzzer) and the benchmarks' strace
	clang libclang-rt-14-dev strace
	# -o journal (libsystemd); the Debian packages (make deb)
	libsystemd-dev debhelper dh-dkms lintian dpkg-dev
	# the benchmarks' BPF program and its loader, linked statically
	libbpf-dev zlib1g-dev libzstd-dev
	# a Go program the guest traces (golang.org/x/net/ipv4)
	golang-go golang-golang-x-net-dev
)
# Headers of the bookworm kernels of the matrix, by metapackage.
while read -r name headers where; do
	[ "$where" = host ] && pkgs+=("$headers")
done < <(rmt_matrix)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "missing packages: ${missing[*]}" >&2
	echo "install them as root: apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "installing: ${missing[*]}" >&2
# The 6.12 headers pull in their kernel image; building its initramfs on
# this host would take minutes and is never used: INITRD=No skips it.
export DEBIAN_FRONTEND=noninteractive INITRD=No
apt-get -q update >&2
apt-get -q -y --no-install-recommends install "${missing[@]}" >&2
