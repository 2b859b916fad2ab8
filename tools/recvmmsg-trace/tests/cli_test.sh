#!/bin/bash
# Host tests of the reader's command line, no device needed: exit statuses
# and messages. What the reader does with a device is tested against the
# real module in the guests (selftests/reader_test.c). Prints
# "PASS|FAIL host/cli-..." lines.
#
# usage: cli_test.sh READER VERSION
set -uo pipefail

reader=$1 version=$2
here=$(dirname "$0")
out=$(mktemp)
trap 'rm -f "$out"' EXIT

expect() {	# NAME STATUS PATTERN -- ARGS...
	local name=$1 want=$2 pattern=$3 got=0
	shift 4
	"$reader" "$@" >"$out" 2>&1 || got=$?
	if [ "$got" = "$want" ] && grep -Eq -- "$pattern" "$out"; then
		echo "PASS host/cli-$name"
	else
		echo "FAIL host/cli-$name exit $got (want $want): $(head -c 300 "$out")"
	fi
}

expect version 0 "^recvmmsg-trace $version \\(ABI [0-9]+\\)$" -- --version
expect help 0 "^Usage: recvmmsg-trace" -- --help
expect help-lists-json 0 "--json" -- -h
expect bad-option 2 "Usage:" -- --no-such-option
expect bad-count 2 "bad count '0'" -- -n 0
expect negative-count 2 "bad count" -- -n -5
expect extra-argument 2 "unexpected argument 'x'" -- x
expect bad-pid 2 "bad pid 'x'" -- -p x
expect zero-pid 2 "bad pid '0'" -- -p 0
expect bad-snaplen 2 "bad snaplen '0'" -- -s 0
expect big-snaplen 2 "bad snaplen '65'" -- -s 65
expect long-comm 2 "bad comm" -- -c 0123456789abcdefg
expect bad-cgroup 2 "bad cgroup directory" -- -G /nonexistent/cgroup
expect bad-fd 2 "bad fd '-1'" -- -f -1
expect short-container-id 2 "bad container id '0123456789a'" -- -C 0123456789a
expect container-id-not-hex 2 "bad container id" -- -C 0123456789ax
expect cgroup-and-container 2 "one cgroup filter only" -- -G / -C 0123456789ab
expect no-such-container 2 "container" -- -C ffffffffffffffffff
expect help-lists-filters 0 "--pid=PID" -- --help
expect bad-output-format 2 "bad output format 'yaml'" -- -o yaml
expect none-without-write 2 "-o none only saves: it needs -w FILE" -- -o none
expect none-with-summary 2 "-o none only saves" -- -o none -w /tmp/x --summary
expect none-with-read 2 "-o none only saves" -- -o none -r /dev/null
expect none-with-toctou-only 2 "nor --toctou-only" -- -o none -w /tmp/x --toctou-only
expect none-saves 1 "modprobe recvmmsg_trace" -- -o none -w /dev/null -D /nonexistent/x
expect help-lists-output 0 "--output=FORMAT" -- --help
expect file-size-without-write 2 "they need -w FILE" -- --file-size=1
expect file-count-without-rotation 2 "-W needs --file-size or --file-seconds" -- -w /tmp/x -W 3
expect bad-file-size 2 "bad file size \\(MB\\) '0'" -- -w /tmp/x --file-size=0
expect bad-file-count 2 "bad file count 'x'" -- -w /tmp/x --file-size=1 -W x
expect bad-file-seconds 2 "bad file seconds '-1'" -- -w /tmp/x --file-seconds=-1
expect file-size-with-read 2 "capture options do not apply \\(given --file-size\\)" -- -r /dev/null --file-size=1
expect rotation-passes-the-parser 1 "modprobe recvmmsg_trace" -- -o none -w /tmp/x --file-size=5 --file-seconds=60 -W 4 -D /nonexistent/x
expect missing-device 1 "modprobe recvmmsg_trace" -- -D /nonexistent/recvmmsg_trace
expect not-our-device 1 "not a recvmmsg_trace device" -- -D /dev/null
expect bad-duration 2 "bad duration 'soon'" -- -d soon
expect zero-duration 2 "bad duration '0'" -- -d 0
expect duration-with-read 2 "capture options do not apply" -- -r /dev/null -d 1
expect help-lists-summary 0 "--summary" -- --help
expect bad-wakeup 2 "bad wake-up threshold 'soon'" -- --wakeup=soon
expect negative-wakeup 2 "bad wake-up threshold '-1'" -- --wakeup=-1
expect huge-wakeup 2 "bad wake-up threshold '4294967296'" -- --wakeup=4294967296
expect wakeup-with-read 2 "capture options do not apply" -- -r /dev/null --wakeup=0
expect status-with-a-filter 2 "--status takes no other option but -D \\(given --pid\\)" -- --status -p 1
expect status-with-boot 2 "--status takes no other option but -D" -- --status --boot
expect status-with-read 2 "--status takes no other option but -D" -- --status -r /dev/null
expect boot-with-read 2 "capture options do not apply \\(given --boot\\)" -- -r /dev/null --boot
expect status-not-our-device 1 "not a recvmmsg_trace device" -- --status -D /dev/null
expect status-missing-device 1 "modprobe recvmmsg_trace" -- --status -D /nonexistent/x
# Gone with ABI 5 (each reader has a session of its own): unknown options now.
expect all-is-gone 2 "unrecognized option '--all'" -- --all
expect disable-is-gone 2 "unrecognized option '--disable'" -- --disable
expect all-with-a-filter-is-gone 2 "Usage:" -- --all -p 1
# --boot goes with filter and capture options: they pass the parser.
expect boot-with-filters 1 "modprobe recvmmsg_trace" -- --boot -p 1 -c udpd -u 0 -s 4 --no-exit -D /nonexistent/x

# The man page documents exactly the options --help lists.
man=$(dirname "$0")/../../recvmmsg-trace.8
"$reader" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u >"$out"
if sed 's/\\-/-/g; s/\\f[BRI]//g' "$man" | grep -oE -- '--[a-z][a-z-]*' | sort -u |
	diff -u "$out" - >"$out.diff"; then
	echo "PASS host/cli-man-page-matches-help"
else
	echo "FAIL host/cli-man-page-matches-help: $(tr '\n' ' ' <"$out.diff")"
fi
rm -f "$out.diff"
