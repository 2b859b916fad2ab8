#!/bin/bash
# Count PASS/FAIL/SKIP lines of result files and print the closing line
# "N passed, N failed, N skipped". A missing result file counts as a
# failure. Exit status 1 when anything failed or nothing passed.
#
# usage: summary.sh RESULTS...
set -uo pipefail

for f in "$@"; do
	if [ -r "$f" ]; then
		cat "$f"
	else
		echo "FAIL $f missing: its stage did not run to the end"
	fi
done | awk '
	$1 == "PASS" { p++ }
	$1 == "FAIL" { f++; print "failed: " substr($0, 6) }
	$1 == "SKIP" { s++; print "skipped: " substr($0, 6) }
	END {
		printf "%d passed, %d failed, %d skipped\n", p, f, s
		exit (f > 0 || p == 0)
	}'
