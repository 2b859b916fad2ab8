#!/bin/bash
# Extract what we use from Debian's linux-source package: the kselftest
# harness and checkpatch.pl. Kept in DIR and reused while the package
# version is unchanged.
#
# usage: linux-source.sh DIR
set -euo pipefail

dir=$1
pkg=linux-source-6.12
version=$(dpkg-query -W -f='${Version}' "$pkg")
[ "$(cat "$dir/.version" 2>/dev/null)" = "$version" ] && exit 0

tarball=$(dpkg -L "$pkg" | grep '\.tar\.xz$' | head -n1)
top=$(basename "$tarball" .tar.xz)
rm -rf "$dir"
mkdir -p "$dir"
tar -xJf "$tarball" -C "$dir" --strip-components=1 \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
echo "$version" >"$dir/.version"
