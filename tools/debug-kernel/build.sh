#!/bin/bash
# Build the debug kernel (KASAN, lockdep, RCU and atomic-sleep checking,
# kmemleak, fault injection) from Debian's linux-source-6.12: allnoconfig,
# then debug.config merged on top. The build in DIR is reused while the
# fragment and the source package are unchanged. A full `make` (not bzImage
# alone) so that modpost finds Module.symvers when the module is built.
# Prints "KVER VMLINUZ KDIR" on success.
#
# usage: build.sh DIR
set -euo pipefail

dir=$1
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
pkg=linux-source-6.12
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
key="$(dpkg-query -W -f='${Version}' "$pkg") $(sha256sum <"$fragment" | cut -c1-16)"

if [ "$(cat "$dir/.key" 2>/dev/null)" != "$key" ]; then
	rm -rf "$dir/src" "$dir/obj" "$dir/.key"
	mkdir -p "$dir/src" "$dir/obj"
	tarball=$(dpkg -L "$pkg" | grep '\.tar\.xz$' | head -n1)
	tar -xJf "$tarball" -C "$dir/src" --strip-components=1
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
	echo "$key" >"$dir/.key.pending"
fi

if [ -e "$dir/.key.pending" ] || [ ! -e "$dir/.key" ]; then
	make -s -C "$dir/src" O="$dir/obj" -j"$(nproc)" >&2
	mv "$dir/.key.pending" "$dir/.key" 2>/dev/null || echo "$key" >"$dir/.key"
fi
kver=$(cat "$dir/obj/include/config/kernel.release")
echo "$kver $dir/obj/arch/x86/boot/bzImage $dir/obj"
