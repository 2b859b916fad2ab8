#!/bin/bash
# Build the debug kernel (KASAN, lockdep, RCU and atomic-sleep checking,
# kmemleak, fault injection) from Debian's linux-source-6.12: allnoconfig,
# then debug.config merged on top. The tree in DIR is reused while the
# source package is unchanged; a changed fragment only reconfigures, and
# kbuild rebuilds what the change touches. A full `make` (not bzImage
# alone) so that modpost finds Module.symvers when the module is built.
# Prints "KVER VMLINUZ KDIR" on success; VMLINUZ has modules.builtin* beside it.
#
# usage: build.sh DIR
set -euo pipefail

dir=$1
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
pkg=linux-source-6.12
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
version=$(dpkg-query -W -f='${Version}' "$pkg")
config_key=$(sha256sum <"$fragment" | cut -c1-16)

if [ "$(cat "$dir/.source" 2>/dev/null)" != "$version" ]; then
	rm -rf "$dir/src" "$dir/obj" "$dir/.source" "$dir/.built"
	mkdir -p "$dir/src" "$dir/obj"
	tarball=$(dpkg -L "$pkg" | grep '\.tar\.xz$' | head -n1)
	tar -xJf "$tarball" -C "$dir/src" --strip-components=1
	echo "$version" >"$dir/.source"
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
