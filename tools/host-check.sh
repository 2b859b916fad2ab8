#!/bin/bash
# The host tests, of the reader and of the test pipeline's own result
# lines: no root, no package installed, no VM. Prints
# result lines (PASS/FAIL/SKIP); with --summary, ends with the counted
# "N passed, N failed, N skipped" line and fails when anything did.
# `make host-check` builds what they need and runs this; tools/check.sh
# runs it as its first stage. RMT_FUZZ_SECONDS (60) bounds the fuzz run.
#
# usage: host-check.sh [--summary]
set -uo pipefail
cd "$(dirname "$0")/.."

B=build
tests() {
	"$B/host-tests/decode_test" 2>&1 | tools/tap-results.sh host
	"$B/host-tests/decode_test-san" 2>&1 | tools/tap-results.sh host-asan-ubsan
	"$B/host-tests/capwriter_test-san" 2>&1 | tools/tap-results.sh host-capwriter
	tools/recvmmsg-trace/tests/cli_test.sh "$B/host-tests/recvmmsg-trace-san" "$(cat VERSION)"
	tools/recvmmsg-trace/tests/capfile_test.py "$B/host-tests/recvmmsg-trace-san" \
		"$B/host-tests/capfile_gen"
	tools/tests/tap_results_test.sh
	tools/recvmmsg-trace/tests/fuzz_run.sh "$B/host-tests/fuzz_decode" \
		"$B/bench/make_capture" "$B/fuzz" "${RMT_FUZZ_SECONDS:-60}"
}

if [ "${1:-}" = --summary ]; then
	mkdir -p "$B/results"
	tests | tee "$B/results/host-check.txt"
	tools/summary.sh "$B/results/host-check.txt"
else
	tests
fi
