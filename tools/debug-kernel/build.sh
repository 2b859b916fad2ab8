#!/bin/bash
# Build a debug kernel (KASAN, lockdep, RCU and atomic-sleep checking,
# kmemleak, fault injection) from Debian's kernel source: allnoconfig, then
# debug.config merged on top. The tree in DIR is reused while the source
# package is unchanged; a changed fragment only reconfigures, and kbuild
# rebuilds what the change touches. A full `make` (not bzImage alone) so
# that modpost finds Module.symvers when the module is built.
# Prints "KVER VMLINUZ KDIR" on success; VMLINUZ has modules.builtin* beside it.
#
# usage: build.sh DIR 6.12            linux-source-6.12, installed on the host
#        build.sh DIR sid SIDROOT     the newest linux-source of sid, fetched
#                                     in the sid chroot SIDROOT (sid-chroot.sh)
#                                     and never installed; built on the host
set -euo pipefail

dir=$1 series=$2
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
config_key=$(sha256sum <"$fragment" | cut -c1-16)

case $series in
6.12)
	pkg=linux-source-6.12
	version=$(dpkg-query -W -f='${Version}' "$pkg")
	unpack() {
		tar -xJf "$(dpkg -L "$pkg" | grep '\.tar\.xz$' | head -n1)" \
			-C "$dir/src" --strip-components=1
	}
	;;
sid)
	root=$3
	"$here/../vm/sid-chroot.sh" "$root" >/dev/null
	. "$here/../lib.sh"
	in_root() {
		rmt_in_root "$root" "$@"
	}
	# The series through the metapackage, never by name.
	pkg=$(in_root apt-cache depends linux-source |
		sed -n 's/^ *Depends: \(linux-source-[0-9.]*\)$/\1/p' | head -n1)
	[ -n "$pkg" ] || { echo "debug kernel: no linux-source in $root" >&2; exit 1; }
	version=$(in_root apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
	unpack() {
		rm -rf "$root/tmp/rmt-src"
		rmt_apt_download "$root" /tmp/rmt-src "$pkg"
		dpkg-deb --fsys-tarfile "$root"/tmp/rmt-src/"$pkg"_*.deb |
			tar -xO "./usr/src/$pkg.tar.xz" |
			tar -xJ -C "$dir/src" --strip-components=1
		rm -rf "$root/tmp/rmt-src"
	}
	;;
*)
	echo "usage: build.sh DIR 6.12 | build.sh DIR sid SIDROOT" >&2
	exit 2
	;;
esac

if [ "$(cat "$dir/.source" 2>/dev/null)" != "$pkg $version" ]; then
	rm -rf "$dir/src" "$dir/obj" "$dir/.source" "$dir/.built"
	mkdir -p "$dir/src" "$dir/obj"
	unpack
	echo "$pkg $version" >"$dir/.source"
fi

if [ "$(cat "$dir/.built" 2>/dev/null)" != "$config_key" ]; then
	make -s -C "$dir/src" O="$dir/obj" allnoconfig >&2
	"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/obj" \
		"$dir/obj/.config" "$fragment" >&2
	make -s -C "$dir/src" O="$dir/obj" olddefconfig >&2
	# Every line of the fragment must have survived olddefconfig: a
	# dependency that silently drops a checker would void the run.
	missing=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF "$line" "$dir/obj/.config" || {
			echo "debug kernel: $line did not survive olddefconfig" >&2
			missing=1
		} ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			! grep -q "^$opt=" "$dir/obj/.config" || {
				echo "debug kernel: $opt is set against the fragment" >&2
				missing=1
			} ;;
		esac
	done <"$fragment"
	[ "$missing" = 0 ] || exit 1
	make -s -C "$dir/src" O="$dir/obj" -j"$(nproc)" >&2
	echo "$config_key" >"$dir/.built"
fi

kver=$(cat "$dir/obj/include/config/kernel.release")
# The image with the modules.builtin* files depmod reads, as for the others.
mkdir -p "$dir/image"
cp "$dir/obj/arch/x86/boot/bzImage" "$dir/image/vmlinuz"
cp "$dir"/obj/modules.builtin* "$dir/image/"
echo "$kver $dir/image/vmlinuz $dir/obj"
