#!/bin/bash
# Host test of tools/tap-results.sh: a guest console as the harness and the
# kernel write it, failed tests with and without an assertion, with a
# kernel warning, a KASAN and a lockdep report in them; the result lines
# must carry both, and nothing must leak into the tests around (a report
# between two tests belongs to neither). Prints "PASS|FAIL host/tap-results-NAME" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."

console() {
	cat <<'LOG'
TAP version 13
1..5
# Starting 5 tests from 1 test cases.
#  RUN           global.first ...
[   12.000001] recvmmsg_trace: capture started
#            OK  global.first
ok 1 global.first
[   12.050000] BUG: KASAN: slab-use-after-free in rmt_between+0x10/0x20 [recvmmsg_trace]
#  RUN           global.second ...
[   12.100000] ------------[ cut here ]------------
[   12.100001] WARNING: CPU: 1 PID: 321 at module/capture.c:99 rmt_fill+0x2a/0x90 [recvmmsg_trace]
[   12.100002] Modules linked in: recvmmsg_trace(OE)
[   12.100003] CPU: 1 UID: 0 PID: 321 Comm: second Tainted: G           OE      6.12.0 #1
[   12.100004] Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE
[   12.100005] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996)
[   12.100006] RIP: 0010:rmt_fill+0x2a/0x90 [recvmmsg_trace]
[   12.100007] Code: 48 89 e5 0f 0b
[   12.100008] RSP: 0018:ffffc90000a3bd40 EFLAGS: 00010246
[   12.100009] RAX: 0000000000000000 RBX: ffff888003b1c000 RCX: 0000000000000000
[   12.100009] PKRU: 55555554
[   12.100010] Call Trace:
[   12.100011]  <TASK>
[   12.100012]  ? __warn+0x84/0x130
[   12.100013]  rmt_sys_enter+0x111/0x200 [recvmmsg_trace]
[   12.100014]  trace_sys_enter+0x55/0x70
[   12.100015]  do_int80_emulation+0x20/0x150
# capture_test.c:123:second:Expected 1 (1) == rec.call.nr_msgs (0)
# second: Test failed
#          FAIL  global.second
not ok 2 global.second
#  RUN           global.third ...
# capture_test.c:200:third:Expected 0 (0) == ret (-1)
#          FAIL  global.third
not ok 3 global.third
#  RUN           global.fourth ...
[   30.100000] ==================================================================
[   30.100001] BUG: KASAN: slab-out-of-bounds in rmt_snap_task+0x3a/0x300 [recvmmsg_trace]
[   30.100002] Read of size 8 at addr ffff888004a1c0f8 by task capture_test/321
[   30.100003] 
[   30.100004] CPU: 1 UID: 0 PID: 321 Comm: capture_test Tainted: G           OE      6.12.0 #1
[   30.100005] Tainted: [O]=OOT_MODULE, [E]=UNSIGNED_MODULE
[   30.100006] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
[   30.100007] Call Trace:
[   30.100008]  <TASK>
[   30.100009]  dump_stack_lvl+0x5d/0x80
[   30.100010]  print_address_description.constprop.0+0x88/0x310
[   30.100011]  print_report+0xfc/0x1ff
[   30.100012]  kasan_report+0xb1/0xe0
[   30.100013]  rmt_snap_task+0x3a/0x300 [recvmmsg_trace]
[   30.100014]  rmt_capture_enter+0x1f0/0x600 [recvmmsg_trace]
# fourth: Test terminated unexpectedly by signal 11
#          FAIL  global.fourth
not ok 4 global.fourth
#  RUN           global.fifth ...
[   40.000000] 
[   40.000001] ======================================================
[   40.000002] WARNING: possible circular locking dependency detected
[   40.000003] 6.12.0 #1 Tainted: G           OE     
[   40.000004] ------------------------------------------------------
[   40.000005] session_test/400 is trying to acquire lock:
[   40.000006] ffff888003c0e0a8 (&s->lock){+.+.}-{2:2}, at: rmt_session_read+0x55/0x200 [recvmmsg_trace]
[   40.000007] 
[   40.000008] but task is already holding lock:
# session_test.c:50:fifth:Expected 0 (0) == err (-11)
#          FAIL  global.fifth
not ok 5 global.fifth
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
check fail-with-kasan-report "FAIL 6.12/global.fourth no assertion printed; kernel: BUG: KASAN: slab-out-of-bounds in rmt_snap_task+0x3a/0x300 [recvmmsg_trace] | Read of size 8 at addr ffff888004a1c0f8 by task capture_test/321 | rmt_snap_task+0x3a/0x300 [recvmmsg_trace] | rmt_capture_enter+0x1f0/0x600 [recvmmsg_trace] (log: /tmp/console.log)"
check fail-with-lockdep-report "FAIL 6.12/global.fifth session_test.c:50: Expected 0 (0) == err (-11); kernel: WARNING: possible circular locking dependency detected | session_test/400 is trying to acquire lock: | ffff888003c0e0a8 (&s->lock){+.+.}-{2:2}, at: rmt_session_read+0x55/0x200 [recvmmsg_trace] | but task is already holding lock: (log: /tmp/console.log)"
