#!/bin/bash
# Turn kselftest TAP on stdin ("ok N test", "not ok N test", "... # SKIP
# why") into result lines "PASS|FAIL|SKIP PREFIX/test [why]". A FAIL says
# why: the harness's first failed assertion of that test (file:line and
# expected/actual), and where the whole output is (LOG, when given).
#
# usage: tap-results.sh PREFIX [LOG] <tap
set -euo pipefail

prefix=$1
log=${2:-}
reason=
while IFS= read -r line; do
	case $line in
	"#  RUN "*)
		reason= ;;
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
			echo "FAIL $prefix/$test ${reason:-no assertion printed}${log:+ (log: $log)}"
		fi
		reason= ;;
	esac
done
