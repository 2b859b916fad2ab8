#!/bin/bash
# Decoding benchmark: capture files of 100,000 and 1,000,000 calls decoded
# to JSON (and to text, for comparison) by `recvmmsg-trace -r`, output to
# /dev/null, five runs each; and the 100,000 sent to the journal (-o
# journal), whose socket is, in a mount namespace of the reader's own, one
# this script drains. Prints calls per second of CPU time (user + system:
# one core) and of wall time, and the peak resident memory, which must not
# grow with the file. A benchmark, not a test: nothing is asserted.
#
# usage: decode_bench.sh READER MAKE_CAPTURE WORKDIR
set -euo pipefail

reader=$1 make_capture=$2 work=$3
mkdir -p "$work"
for calls in 100000 1000000; do
	[ -s "$work/calls-$calls.rmt" ] || "$make_capture" "$calls" "$work/calls-$calls.rmt"
done
python3 - "$reader" "$work" <<'PY'
import os, resource, socket, statistics, subprocess, sys, tempfile, threading, time

reader, work = sys.argv[1], sys.argv[2]
journal_dir = tempfile.mkdtemp()
journal = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
journal.bind(os.path.join(journal_dir, "socket"))
entries = [0]


def drain():
    while True:
        journal.recv(1 << 16)
        entries[0] += 1


threading.Thread(target=drain, daemon=True).start()
JOURNAL = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
           'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && '
           'mount --bind "$1" /run/systemd/journal && shift && exec "$@"', "sh", journal_dir]
print(f"{'calls':>9} {'format':>6} {'MB':>6} {'cpu s':>7} {'calls/s (cpu)':>14} "
      f"{'calls/s (wall)':>15} {'peak RSS KiB':>13}")
for calls in (100000, 1000000):
    path = f"{work}/calls-{calls}.rmt"
    for fmt in ("json", "text", "journal") if calls == 100000 else ("json", "text"):
        cpu, wall, rss = [], [], []
        for _ in range(5):
            t0 = time.monotonic()
            with open(os.devnull, "wb") as null:
                p = subprocess.Popen((JOURNAL if fmt == "journal" else []) +
                                     [reader, "-r", path, "-o", fmt], stdout=null,
                                     stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(p.pid, 0)
            wall.append(time.monotonic() - t0)
            if status:
                sys.exit(f"reader failed on {path}")
            cpu.append(usage.ru_utime + usage.ru_stime)
            rss.append(usage.ru_maxrss)
        c = statistics.median(cpu)
        print(f"{calls:>9} {fmt:>6} {os.path.getsize(path) / 1e6:>6.0f} {c:>7.3f} "
              f"{calls / c:>14,.0f} {calls / statistics.median(wall):>15,.0f} "
              f"{max(rss):>13}")
PY
