#!/bin/bash
# make lint: checkpatch.pl --strict (from Debian's linux-source) on module/
# and uapi/, sparse (C=2) and a W=1 build against each bookworm kernel of
# the matrix. Any message fails. Result lines go to build/results/lint.txt.
set -uo pipefail
cd "$(dirname "$0")/.."

. tools/lib.sh
rmt_begin lint

tools/linux-source.sh "$B/linux-source" || exit 1

files=(module/*.c module/*.h uapi/linux/*.h)
if "$B/linux-source/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--terse --show-types -f "${files[@]}" >"$out/checkpatch.log" 2>&1 &&
	! grep -v '^total: 0 errors, 0 warnings, 0 checks' "$out/checkpatch.log"; then
	echo "PASS lint/checkpatch-strict" | record
else
	echo "FAIL lint/checkpatch-strict" | record
	cat "$out/checkpatch.log" >&2
fi

# Messages about our files only: the kernel's own headers are not ours.
ours='(module|uapi)/[^ :]*:[0-9]+'
while read -r name headers where; do
	[ "$where" = host ] || continue
	kver=$(rmt_kver_of "$headers")
	kdir=/usr/src/linux-headers-$kver
	for check in sparse w1; do
		case $check in
		sparse) args=(C=2 CHECK=sparse) ;;
		w1) args=(W=1) ;;
		esac
		log=$out/lint-$check-$name.log
		if tools/build-module.sh "$kdir" "$PWD/$B/lint/$check-$name" / \
			"${args[@]}" >"$log" 2>&1 &&
			! grep -Eq "$ours: (warning|error)|$ours:[0-9]+: (warning|error)" "$log"; then
			echo "PASS lint/$check-$name" | record
		else
			echo "FAIL lint/$check-$name see $log" | record
			grep -E "warning|error" "$log" | head -n 20 >&2
		fi
	done
done < <(rmt_matrix)

tools/summary.sh "$RMT_RESULTS"
