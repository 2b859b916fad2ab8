#!/bin/bash
# Host test of tools/tap-results.sh: a guest console as the harness and the
# kernel write it, with a failed assertion and a kernel warning in one test;
# the result lines must carry both, and nothing of them must leak into the
# tests around it. Prints "PASS|FAIL host/tap-results-NAME" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."

console() {
	cat <<'LOG'
TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           global.first ...
[   12.000001] recvmmsg_trace: capture started
#            OK  global.first
ok 1 global.first
#  RUN           global.second ...
[   12.100000] ------------[ cut here ]------------
[   12.100001] WARNING: CPU: 1 PID: 321 at module/capture.c:99 rmt_fill+0x2a/0x90 [recvmmsg_trace]
[   12.100002] Modules linked in: recvmmsg_trace(OE)
[   12.100003] CPU: 1 PID: 321 Comm: second Tainted: G           OE      6.12.0 #1
[   12.100004] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
[   12.100005] RIP: 0010:rmt_fill+0x2a/0x90 [recvmmsg_trace]
[   12.100006] Code: 48 89 e5 0f 0b
[   12.100007] RSP: 0018:ffffc90000a3bd40 EFLAGS: 00010246
[   12.100008] RAX: 0000000000000000 RBX: ffff888003b1c000 RCX: 0000000000000000
[   12.100009] Call Trace:
[   12.100010]  <TASK>
[   12.100011]  ? __warn+0x84/0x130
[   12.100012]  rmt_sys_enter+0x111/0x200 [recvmmsg_trace]
[   12.100013]  trace_sys_enter+0x55/0x70
[   12.100014]  do_int80_emulation+0x20/0x150
# capture_test.c:123:second:Expected 1 (1) == rec.call.nr_msgs (0)
# second: Test failed
#          FAIL  global.second
not ok 2 global.second
#  RUN           global.third ...
# capture_test.c:200:third:Expected 0 (0) == ret (-1)
#          FAIL  global.third
not ok 3 global.third
LOG
}

out=$(console | tools/tap-results.sh 6.12 /tmp/console.log)
check() {
	if grep -qxF -- "$2" <<<"$out"; then
		echo "PASS host/tap-results-$1"
	else
		echo "FAIL host/tap-results-$1 wanted \"$2\" in: $out"
	fi
}
check pass "PASS 6.12/global.first"
check fail-with-kernel-warning "FAIL 6.12/global.second capture_test.c:123: Expected 1 (1) == rec.call.nr_msgs (0); kernel: WARNING: CPU: 1 PID: 321 at module/capture.c:99 rmt_fill+0x2a/0x90 [recvmmsg_trace] | RIP: 0010:rmt_fill+0x2a/0x90 [recvmmsg_trace] | rmt_sys_enter+0x111/0x200 [recvmmsg_trace] | trace_sys_enter+0x55/0x70 (log: /tmp/console.log)"
check fail-without-kernel-lines "FAIL 6.12/global.third capture_test.c:200: Expected 0 (0) == ret (-1) (log: /tmp/console.log)"
