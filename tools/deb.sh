#!/bin/bash
# make deb: the Debian packages recvmmsg-trace and recvmmsg-trace-dkms,
# built by dpkg-buildpackage from a copy of this tree with debian/changelog
# written for VERSION, then held to lintian, systemd-analyze verify and
# their file lists. Prints result lines; the packages are left in
# build/deb/. Exit status 1 when any failed.
#
# usage: deb.sh                      build and check
#        deb.sh --build-only VER DIR  only build, as version VER, into DIR
#                                     (the systemd check's upgrade)
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
result() {	# VERDICT NAME [WHY]
	echo "$1 deb/$2${3:+ $3}"
	[ "$1" = PASS ] || status=1
}

version=$(cat VERSION) out=build/deb build_only=
if [ "${1:-}" = --build-only ]; then
	build_only=yes version=$2 out=$3
fi
src=$out/recvmmsg-trace-$version
rm -rf "$out"
mkdir -p "$src"
# The tree as it is (committed or not), without what builds leave.
tar -c --exclude=./build --exclude=./.git . | tar -x -C "$src"
echo "$version" >"$src/VERSION"
cat >"$src/debian/changelog" <<CHANGES
recvmmsg-trace ($version) unstable; urgency=medium

  * Built by make deb from $(git rev-parse --short HEAD 2>/dev/null || echo "a tree without history").

 -- recvmmsg_trace developers <recvmmsg-trace@lists.example.org>  $(date -R)
CHANGES

if (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	result PASS build "($version)"
else
	result FAIL build "$(tail -n 3 "$out/build.log" | tr '\n' ' ') (log: $out/build.log)"
	exit 1
fi
[ -z "$build_only" ] || exit 0

if lintian --fail-on error,warning "$out"/*.changes >"$out/lintian.log" 2>&1; then
	result PASS lintian-clean
else
	result FAIL lintian-clean "$(grep -E '^[EW]:' "$out/lintian.log" | head -n 3 | tr '\n' ' ') (log: $out/lintian.log)"
fi

# What each package holds, against what it must.
files() {	# PACKAGE
	dpkg-deb -c "$out/$1_${version}_"*.deb | awk '{ print $6 }' | sed 's|^\./|/|'
}
missing=
for f in /usr/sbin/recvmmsg-trace /usr/share/man/man8/recvmmsg-trace.8.gz \
	/usr/include/linux/recvmmsg_trace.h /lib/systemd/system/recvmmsg-trace.service \
	/etc/default/recvmmsg-trace; do
	files recvmmsg-trace | grep -qxF "$f" || missing+=" $f"
done
for f in "/usr/src/recvmmsg-trace-$version/dkms.conf" "/usr/src/recvmmsg-trace-$version/Kbuild" \
	"/usr/src/recvmmsg-trace-$version/module/main.c"; do
	files recvmmsg-trace-dkms | grep -qxF "$f" || missing+=" $f"
done
if [ -z "$missing" ]; then
	result PASS files-in-place
else
	result FAIL files-in-place "missing$missing"
fi
# The module's package needs DKMS; the reader's needs neither it nor its scripts.
reader_deb=$out/recvmmsg-trace_${version}_amd64.deb dkms_deb=$out/recvmmsg-trace-dkms_${version}_all.deb
if dpkg-deb -f "$dkms_deb" Depends | grep -q '\bdkms\b' &&
	[ "$(dpkg-deb -f "$dkms_deb" Recommends)" = linux-headers-amd64 ] &&
	! dpkg-deb -f "$reader_deb" Depends | grep -q dkms &&
	! dpkg-deb -I "$reader_deb" postinst | grep -q dkms; then
	result PASS dependencies
else
	result FAIL dependencies "dkms package: $(dpkg-deb -f "$dkms_deb" Depends), reader: $(dpkg-deb -f "$reader_deb" Depends)"
fi
# DKMS must read the version as a literal.
conf=$(dpkg-deb --fsys-tarfile "$out/recvmmsg-trace-dkms_${version}_all.deb" |
	tar -xO "./usr/src/recvmmsg-trace-$version/dkms.conf")
if grep -qx "PACKAGE_VERSION=\"$version\"" <<<"$conf"; then
	result PASS dkms-conf-version-literal
else
	result FAIL dkms-conf-version-literal "$(grep PACKAGE_VERSION <<<"$conf")"
fi

# The unit, in a root of the package's files and this host's units and
# modprobe (the man page is checked above, not by man).
root=$out/root
mkdir -p "$root/sbin" "$root/lib/systemd/system"
dpkg-deb -x "$out/recvmmsg-trace_${version}_amd64.deb" "$root"
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
cp /usr/bin/kmod "$root/sbin/modprobe"
if systemd-analyze verify --man=no --root="$root" recvmmsg-trace.service \
	>"$out/verify.log" 2>&1 && ! grep -q . "$out/verify.log"; then
	result PASS systemd-analyze-verify
else
	result FAIL systemd-analyze-verify "$(head -n 3 "$out/verify.log" | tr '\n' ' ')"
fi
systemd-analyze security --offline=true --root="$root" recvmmsg-trace.service \
	>"$out/security.log" 2>&1
echo "deb: systemd-analyze security: $(grep 'Overall exposure' "$out/security.log")" >&2
exit $status
