#!/bin/bash
# Prove that dkms.conf works: "dkms add" then "dkms build" for every
# installed bookworm kernel of the matrix, in a private DKMS tree so that
# the host's DKMS state is left alone. Prints PASS/FAIL lines.
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/tools/lib.sh"
version=$(cat "$src/VERSION")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dkms=(dkms --dkmstree "$work/tree" --sourcetree "$work/source")

conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
if [ "$conf_version" = "$version" ]; then
	echo "PASS dkms/version-matches-VERSION"
else
	echo "FAIL dkms/version-matches-VERSION dkms.conf says $conf_version, VERSION $version"
fi

pkgdir=$work/source/recvmmsg-trace-$version
mkdir -p "$pkgdir" "$work/tree"
cp -r "$src/Kbuild" "$src/VERSION" "$src/dkms.conf" "$src/module" "$src/uapi" "$pkgdir/"
if ! "${dkms[@]}" add -m recvmmsg-trace -v "$version" >"$work/add.log" 2>&1; then
	echo "FAIL dkms/add $(tail -n1 "$work/add.log")"
	exit 1
fi
echo "PASS dkms/add"

status=0
while read -r name headers where; do
	[ "$where" = host ] || continue
	kver=$(rmt_kver_of "$headers")
	if [ -z "$kver" ]; then
		echo "FAIL dkms/build-$name headers $headers not installed"
		status=1
		continue
	fi
	if "${dkms[@]}" build -m recvmmsg-trace -v "$version" -k "$kver" \
		>"$work/build.log" 2>&1 &&
		compgen -G "$work/tree/recvmmsg-trace/$version/$kver/x86_64/module/recvmmsg_trace.ko*" >/dev/null; then
		echo "PASS dkms/build-$name ($kver)"
	else
		echo "FAIL dkms/build-$name ($kver): $(tail -n3 "$work/build.log" | tr '\n' ' ')"
		status=1
	fi
done < <(grep -v '^#' "$src/tools/vm/matrix")
exit $status
