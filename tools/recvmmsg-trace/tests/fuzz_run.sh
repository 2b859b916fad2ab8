#!/bin/bash
# Run the libFuzzer target for a bounded time from seeds made here (a small
# capture file and its record stream), and print "PASS|FAIL host/fuzz-decode".
# A crash leaves its input in WORKDIR for reproduction:
#   FUZZER WORKDIR/crash-...
#
# usage: fuzz_run.sh FUZZER MAKE_CAPTURE WORKDIR [SECONDS]
set -uo pipefail

fuzzer=$(realpath "$1") make_capture=$2 work=$3 seconds=${4:-60}
rm -rf "$work"
mkdir -p "$work/corpus"
"$make_capture" 3 "$work/seed.cap" || { echo "FAIL host/fuzz-decode no seed"; exit 0; }
# First byte: odd, a capture file follows; even, records (bits 1-2 pick the printer).
{ printf '\001'; cat "$work/seed.cap"; } >"$work/corpus/capfile"
for printer in 00 02 04 06; do
	{ printf "\\x$printer"; tail -c +33 "$work/seed.cap"; } >"$work/corpus/records-$printer"
done
seed=${RMT_FUZZ_SEED:-$(date +%s)}
if (cd "$work" && "$fuzzer" -max_total_time="$seconds" -seed="$seed" -max_len=16384 \
	-close_fd_mask=2 corpus) >"$work/fuzz.log" 2>&1; then
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/fuzz.log")
	echo "PASS host/fuzz-decode ($runs inputs in ${seconds}s, seed $seed)"
else
	echo "FAIL host/fuzz-decode seed $seed: $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$work/fuzz.log" ||
		tail -n1 "$work/fuzz.log") (input: $(ls "$work"/crash-* 2>/dev/null | head -n1))"
fi
