#!/bin/bash
# Turn kselftest TAP on stdin ("ok N test", "not ok N test", "... # SKIP
# why") into result lines "PASS|FAIL|SKIP PREFIX/test [why]". A FAIL says
# why: the harness's first failed assertion of that test (file:line and
# expected/actual), the first lines of a kernel problem report the console
# showed while it ran, and where the whole output is (LOG, when given).
#
# usage: tap-results.sh PREFIX [LOG] <tap
set -euo pipefail
. "$(dirname "$0")/lib.sh"

prefix=$1
log=${2:-}
reason=
kernel=()	# the kernel's console lines since the test began
while IFS= read -r line; do
	case $line in
	"#  RUN "*)
		reason=
		kernel=() ;;
	"["*"] "*)
		kernel+=("$line") ;;
	"# "*:[0-9]*:*:Expected*)
		# "# FILE:LINE:TEST:Expected ..." : the first one is the cause.
		if [ -z "$reason" ]; then
			reason=${line#\# }
			file_line=${reason%%:*}:$(cut -d: -f2 <<<"$reason")
			reason="$file_line: ${reason#*:*:*:}"
		fi ;;
	"ok "[0-9]*" "* | "not ok "[0-9]*" "*)
		verdict=${line%% [0-9]*}
		rest=${line#"$verdict" }
		rest=${rest#* }
		test=${rest%% # *}
		if [[ $rest == *"# SKIP"* ]]; then
			echo "SKIP $prefix/$test ${rest#*# SKIP}"
		elif [ "$verdict" = ok ]; then
			echo "PASS $prefix/$test"
		else
			splat=
			[ ${#kernel[@]} = 0 ] ||
				splat=$(printf '%s\n' "${kernel[@]}" | rmt_splat_summary)
			echo "FAIL $prefix/$test ${reason:-no assertion printed}${splat:+; kernel: $splat}${log:+ (log: $log)}"
		fi
		reason=
		kernel=() ;;
	esac
done
