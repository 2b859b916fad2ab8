#!/bin/bash
# The packages on a real systemd: a Debian 12 guest (tools/vm/systemd-image.sh)
# installs the packages of build/deb (version N) with apt-get, enables the
# service, traces a 32-bit client into the journal, takes version N+1 over
# them, then purges both (tools/vm/systemd-job). Prints result lines
# "PASS|FAIL systemd/NAME", those of the guest and those checked here: the
# journal entries' fields against what the clients did. Exit status 1 when
# any failed.
#
# usage: systemd-check.sh GUEST-BIN WORKDIR   (after tools/deb.sh)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 1
. tools/lib.sh

bindir=$1 work=$2
old=$(cat VERSION)
new=$old+upgrade1
fail() {
	echo "FAIL systemd/$1 $2"
	exit 1
}

[ -e build/deb/recvmmsg-trace_"${old}"_amd64.deb ] || fail packages "no build/deb/*_${old}_*.deb (tools/deb.sh)"
rm -rf "$work"
mkdir -p "$work/in/debs/old" "$work/in/versions" "$work/out"
if ! info=$(tools/vm/systemd-image.sh build/systemd 2>"$work/image.log"); then
	fail image "$(tail -n 3 "$work/image.log" | tr '\n' ' ') (log: $work/image.log)"
fi
read -r kver vmlinuz initrd image <<<"$info"
if ! tools/deb.sh --build-only "$new" "$work/deb-new" >"$work/deb-new.log"; then
	fail packages-upgrade "$(tail -n 3 "$work/deb-new.log" | tr '\n' ' ')"
fi

# The job's files, as a tar on the guest's second disk.
cp build/deb/recvmmsg-trace*_"$old"_*.deb "$work/in/debs/old/"
mkdir -p "$work/in/debs/new"
cp "$work/deb-new"/recvmmsg-trace*_"$new"_*.deb "$work/in/debs/new/"
echo "$old" >"$work/in/versions/old"
echo "$new" >"$work/in/versions/new"
cp tools/vm/systemd-job "$work/in/job"
cp "$bindir/rmt_client32" "$work/in/"
tar -cf "$work/in.tar" -C "$work/in" .
truncate -s 64M "$work/out.img"

# The image is never written: the guest's writes go to a temporary file.
start=$(date +%s)
limit=${RMT_SYSTEMD_TIMEOUT:-1500}
timeout --kill-after=10 "$limit" qemu-system-x86_64 \
	-accel tcg,thread=single -cpu max -smp 2 -m 2048 \
	-nographic -monitor none -no-reboot -nic none \
	-kernel "$vmlinuz" -initrd "$initrd" \
	-append "root=/dev/vda rw console=ttyS0 loglevel=5 panic=-1" \
	-drive "file=$image,if=virtio,format=raw,snapshot=on" \
	-drive "file=$work/in.tar,if=virtio,format=raw,readonly=on" \
	-drive "file=$work/out.img,if=virtio,format=raw" \
	</dev/null 2>&1 | tr -d '\r' >"$work/console.log"
qemu_rc=${PIPESTATUS[0]}
elapsed=$(($(date +%s) - start))
case $qemu_rc in
0) ended= ;;
124 | 137) ended="timed out after $limit s" ;;
*) ended="QEMU exit status $qemu_rc after $elapsed s" ;;
esac
# An all-zero disk is an empty tar: the job never wrote it.
tar -xf "$work/out.img" -C "$work/out" 2>/dev/null
[ -s "$work/out/results.txt" ] ||
	fail guest "no results${ended:+, }$ended (console: $work/console.log)"
cat "$work/out/results.txt"
status=0
if [ -n "$ended" ]; then
	echo "FAIL systemd/guest $ended (console: $work/console.log)"
	status=1
fi
grep -q '^FAIL' "$work/out/results.txt" && status=1
# Every check of the job said its word.
for name in install dkms-built installed-disabled enable-now module-loaded capture-file \
	upgrade upgrade-dkms-rebuilt upgrade-service-restarted upgrade-module-reloaded \
	purge purge-dpkg-forgets purge-dkms-forgets purge-module-unloaded purge-unit-gone \
	purge-no-file-left; do
	if ! grep -Eq "^(PASS|FAIL) systemd/$name( |$)" "$work/out/results.txt"; then
		echo "FAIL systemd/$name did not run (job: $work/out/job.log)"
		status=1
	fi
done
grep -q '^rmt-job: exit status 0' "$work/out/job.log" || {
	echo "FAIL systemd/job $(tail -n 1 "$work/out/job.log")"
	status=1
}
python3 tools/vm/systemd-journal.py "$work/out" || status=1
problems=$(rmt_splat_summary <"$work/console.log")
# journald puts the job's lines on the console as "rmt-job[PID]: ...".
if ! grep -aq 'rmt-job\[[0-9]*\]: rmt-job: exit status' "$work/console.log"; then
	echo "FAIL systemd/kernel-log the console does not show the job's end ($work/console.log)"
	status=1
elif [ -n "$problems" ]; then
	echo "FAIL systemd/kernel-log ($kver) $problems"
	status=1
else
	echo "PASS systemd/kernel-log ($kver, the guest ran $elapsed s)"
fi
exit $status
