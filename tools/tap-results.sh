#!/bin/bash
# Turn kselftest TAP on stdin ("ok N test", "not ok N test", "... # SKIP
# why") into result lines "PASS|FAIL|SKIP PREFIX/test [why]".
#
# usage: tap-results.sh PREFIX <tap
set -euo pipefail

prefix=$1
sed -n 's/^\(not ok\|ok\) [0-9]* \(.*\)$/\1|\2/p' |
	while IFS='|' read -r verdict rest; do
		test=${rest%% # *}
		if [[ $rest == *"# SKIP"* ]]; then
			echo "SKIP $prefix/$test ${rest#*# SKIP}"
		elif [ "$verdict" = ok ]; then
			echo "PASS $prefix/$test"
		else
			echo "FAIL $prefix/$test"
		fi
	done
