#!/bin/bash
# Count PASS/FAIL/SKIP lines of result files and print the closing line
# "N passed, N failed, N skipped". Exit status 1 when anything failed or
# when nothing ran at all.
#
# usage: summary.sh RESULTS...
set -euo pipefail

cat "$@" | awk '
	$1 == "PASS" { p++ }
	$1 == "FAIL" { f++; print "failed: " substr($0, 6) }
	$1 == "SKIP" { s++; print "skipped: " substr($0, 6) }
	END {
		printf "%d passed, %d failed, %d skipped\n", p, f, s
		exit (f > 0 || p == 0)
	}'
