#!/bin/bash
# Prove the DKMS packaging and produce the modules the VMs load.
#
# In a private DKMS tree (the host's DKMS state is left alone): "dkms add"
# from dkms.conf, "dkms install" for the first bookworm kernel of the
# matrix, then a kernel upgrade as a host sees it: "dkms autoinstall" for
# each further kernel. Each installed module is checked with modinfo and
# copied to OUTDIR/NAME/ for that kernel's VM. Prints PASS/FAIL lines.
#
# usage: dkms-check.sh OUTDIR
set -uo pipefail

out=$1
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/tools/lib.sh"
version=$(cat "$src/VERSION")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dkms=(dkms --dkmstree "$work/tree" --sourcetree "$work/source"
      --installtree "$work/installed")
rm -rf "$out"

pkgdir=$work/source/recvmmsg-trace-$version
mkdir -p "$pkgdir" "$work/tree"
cp -r "$src/Kbuild" "$src/VERSION" "$src/module" "$src/uapi" "$pkgdir/"
sed "s/#MODULE_VERSION#/$version/" "$src/dkms.conf.in" >"$pkgdir/dkms.conf"
if ! "${dkms[@]}" add "$pkgdir" >"$work/add.log" 2>&1; then
	echo "FAIL dkms/add $(tail -n1 "$work/add.log")"
	exit 1
fi
# dkms.conf says VERSION's version: DKMS must see it.
if "${dkms[@]}" status | grep -q "^recvmmsg-trace/$version: added"; then
	echo "PASS dkms/add-as-recvmmsg-trace-$version"
else
	echo "FAIL dkms/add-as-recvmmsg-trace-$version: $("${dkms[@]}" status)"
fi

# modinfo of a built module: license, description, author, the version,
# and a description for every parameter.
check_modinfo() {	# NAME KO
	local name=$1 ko=$2 problems=""
	[ "$(modinfo -F license "$ko")" = GPL ] || problems+=" license"
	[ -n "$(modinfo -F description "$ko")" ] || problems+=" description"
	[ -n "$(modinfo -F author "$ko")" ] || problems+=" author"
	[ "$(modinfo -F version "$ko")" = "$version" ] || problems+=" version"
	for p in buffer_size snaplen time64 max_sessions; do
		modinfo -F parm "$ko" | grep -Eq "^$p:[^(]+\\(" || problems+=" parm:$p"
	done
	if [ -z "$problems" ]; then
		echo "PASS dkms/modinfo-$name"
	else
		echo "FAIL dkms/modinfo-$name missing or wrong:$problems"
	fi
}

# A kernel configured without IA32 emulation is refused, with DKMS's
# BUILD_EXCLUSIVE message (its .config is a matrix kernel's, minus IA32).
refuse_without_ia32() {
	local kdir=$1 fake=9.9.9-rmt-no-ia32
	mkdir -p "$work/no-ia32"
	grep -v '^CONFIG_IA32_EMULATION=' "$kdir/.config" >"$work/no-ia32/.config"
	if ! "${dkms[@]}" build -m recvmmsg-trace -v "$version" -k "$fake" \
		--kernelsourcedir "$work/no-ia32" >"$work/no-ia32.log" 2>&1 &&
		grep -q BUILD_EXCLUSIVE "$work/no-ia32.log"; then
		echo "PASS dkms/refuses-kernel-without-ia32-emulation"
	else
		echo "FAIL dkms/refuses-kernel-without-ia32-emulation: $(tail -n 2 "$work/no-ia32.log")"
	fi
}

status=0 first=1
while read -r name headers where; do
	[ "$where" = host ] || continue
	kver=$(rmt_kver_of "$headers")
	if [ -z "$kver" ]; then
		echo "FAIL dkms/build-$name headers $headers not installed"
		status=1
		continue
	fi
	# The kernel's own module directory, as its image package leaves it.
	mkdir -p "$work/installed/$kver"
	cp "$src"/build/kernels/"$kver"/modules.builtin* "$work/installed/$kver/" 2>/dev/null
	if [ "$first" = 1 ]; then
		step=(install -m recvmmsg-trace -v "$version" -k "$kver") label=install
	else
		step=(autoinstall -k "$kver") label=autoinstall-on-upgrade
	fi
	[ "$first" = 1 ] && refuse_without_ia32 "/usr/src/linux-headers-$kver"
	first=0
	if "${dkms[@]}" "${step[@]}" >"$work/$name.log" 2>&1 &&
		ko=$(ls "$work/installed/$kver/updates/dkms/"recvmmsg_trace.ko* 2>/dev/null) &&
		[ -n "$ko" ]; then
		echo "PASS dkms/$label-$name ($kver)"
		mkdir -p "$out/$name"
		cp "$ko" "$out/$name/"
		check_modinfo "$name" "$ko"
	else
		echo "FAIL dkms/$label-$name ($kver): $(tail -n3 "$work/$name.log" | tr '\n' ' ')"
		status=1
	fi
done < <(rmt_matrix)
exit $status
