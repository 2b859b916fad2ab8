#!/bin/bash
# Prove that "make install" then "make uninstall" leaves the file system as
# it was: compare the lists of files (and links) before and after, and check
# what install put in place. Runs as root on the host, for a bookworm kernel
# of the matrix whose module indexes (modules.dep...) already exist, as on
# any host that runs that kernel: depmod rewrites them, never adds them.
# Prints PASS/FAIL lines.
set -uo pipefail
cd "$(dirname "$0")/.."
. tools/lib.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(cat VERSION)

kver=
while read -r name headers where; do
	k=$(rmt_kver_of "$headers")
	[ "$where" = host ] && [ -n "$k" ] && [ -e "/lib/modules/$k/modules.dep" ] &&
		{ kver=$k; break; }
done < <(rmt_matrix)
if [ -z "$kver" ]; then
	echo "SKIP install/install-uninstall no matrix kernel image is installed here"
	exit 0
fi

# Everything outside scratch places. Left out: DKMS's own signing key,
# made once on first use and shared by every DKMS package.
snapshot() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \
		-o -path /tmp -o -path /var/tmp -o -path /var/log -o -path /var/cache \
		-o -path /root -o -path /work -o -path "$PWD" \) -prune \
		-o \( -type f -o -type l \) -print |
		grep -v '^/var/lib/dkms/mok\.' | sort
}

snapshot >"$work/before"
if make -s install KVER="$kver" >"$work/install.log" 2>&1; then
	echo "PASS install/make-install ($kver)"
else
	echo "FAIL install/make-install ($kver): $(tail -n 3 "$work/install.log" | tr '\n' ' ')"
fi
missing=""
for f in /usr/local/sbin/recvmmsg-trace /usr/local/share/man/man8/recvmmsg-trace.8 \
	/usr/local/include/linux/recvmmsg_trace.h "/usr/src/recvmmsg-trace-$version/dkms.conf"; do
	[ -e "$f" ] || missing+=" $f"
done
ls /lib/modules/"$kver"/updates/dkms/recvmmsg_trace.ko* >/dev/null 2>&1 ||
	missing+=" /lib/modules/$kver/updates/dkms/recvmmsg_trace.ko*"
modinfo -k "$kver" recvmmsg_trace >/dev/null 2>&1 || missing+=" modinfo-by-name"
if [ -z "$missing" ]; then
	echo "PASS install/everything-in-place"
else
	echo "FAIL install/everything-in-place missing:$missing"
fi
if /usr/local/sbin/recvmmsg-trace --version | grep -q "^recvmmsg-trace $version "; then
	echo "PASS install/installed-reader-version"
else
	echo "FAIL install/installed-reader-version"
fi

make -s uninstall >"$work/uninstall.log" 2>&1 ||
	echo "FAIL install/make-uninstall: $(tail -n 3 "$work/uninstall.log" | tr '\n' ' ')"
snapshot >"$work/after"
if diff "$work/before" "$work/after" >"$work/diff"; then
	echo "PASS install/uninstall-leaves-no-file"
else
	echo "FAIL install/uninstall-leaves-no-file: $(head -n 5 "$work/diff" | tr '\n' ' ')"
fi
