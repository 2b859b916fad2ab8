#!/usr/bin/env python3
"""The systemd check's journal entries against what the clients did.

usage: systemd-journal.py OUT   (the guest job's out/ directory)

For each client of tools/vm/systemd-job ("first" under version N, "second"
after the upgrade): its one journal entry, written by the service's reader,
must carry the call's values as RMT_* fields: who called (pid, tid, comm,
uid, gid, cgroup, executable), the arguments it passed, what the call
returned and the sources of its messages. Prints PASS/FAIL lines; exit
status 1 when any failed.
"""
import json
import os
import re
import sys

# What each client was asked to do (tools/vm/systemd-job).
CLIENTS = {
    "first": {"RMT_FD": "5", "RMT_VLEN": "2", "RMT_FLAGS": "0", "RMT_VIA": "syscall",
              "RMT_RET": "2", "RMT_MESSAGES": "2"},
    # MSG_WAITFORONE: the call returns with the one message queued.
    "second": {"RMT_FD": "7", "RMT_VLEN": "3", "RMT_FLAGS": "65536", "RMT_VIA": "socketcall",
               "RMT_RET": "1", "RMT_MESSAGES": "1"},
}
NOBODY = "65534"


def read(out, name):
    with open(os.path.join(out, name), encoding="utf-8") as f:
        return f.read()


def problems(out, name, want):
    client = dict(kv.split("=", 1) for kv in read(out, f"client-{name}.txt").split())
    lines = [line for line in read(out, f"journal-{name}.json").splitlines() if line]
    if len(lines) != 1:
        return [f"{len(lines)} journal entries for pid {client['pid']}, not 1"]
    entry = json.loads(lines[0])
    reader = read(out, "reader-first.txt" if name == "first" else "reader-second.txt").strip()
    expect = dict(want)
    expect.update({
        "_SYSTEMD_UNIT": "recvmmsg-trace.service",
        "SYSLOG_IDENTIFIER": "recvmmsg-trace",
        "_PID": reader,
        "PRIORITY": "6",
        "RMT_SYSCALL": "recvmmsg_time32",
        "RMT_PID": client["pid"],
        "RMT_TID": client["tid"],
        "RMT_COMM": "rmt_client32",
        "RMT_UID": NOBODY,
        "RMT_GID": NOBODY,
        "RMT_CGROUP_ID": read(out, f"cgroup-{name}.txt").strip(),
        "RMT_EXE": "/opt/rmt/rmt_client32",
    })
    bad = [f"{key}={entry.get(key)!r} (want {value!r})"
           for key, value in expect.items() if entry.get(key) != value]
    if client["ret"] != want["RMT_RET"]:
        bad.append(f"the client's call returned {client['ret']}, not {want['RMT_RET']}")
    sources = entry.get("RMT_SOURCES", "").split(",")
    if sources != [f"127.0.0.1:{client['port']}"] * int(want["RMT_MESSAGES"]):
        bad.append(f"RMT_SOURCES={entry.get('RMT_SOURCES')!r} (the client sent from port "
                   f"{client['port']})")
    message = entry.get("MESSAGE", "")
    if not re.search(rf" {client['pid']}/{client['tid']} rmt_client32 recvmmsg_time32\(.*\) = "
                     rf"{want['RMT_RET']} <", message):
        bad.append(f"MESSAGE={message!r}")
    # The call's own time against the journal's, both CLOCK_REALTIME.
    took = int(entry.get("RMT_DURATION_NS", "-1"))
    skew = abs(int(entry.get("RMT_TIME_NS", "0")) // 1000 -
               int(entry["__REALTIME_TIMESTAMP"]))
    if took < 0 or skew > 60 * 10**6:
        bad.append(f"RMT_DURATION_NS={took}, RMT_TIME_NS {skew} us from the entry's time")
    return bad


def main():
    out = sys.argv[1]
    status = 0
    for name, want in CLIENTS.items():
        try:
            bad = problems(out, name, want)
        except (OSError, KeyError, ValueError) as e:
            bad = [f"{type(e).__name__}: {e}"]
        if bad:
            print(f"FAIL systemd/journal-fields-{name} " + "; ".join(bad))
            status = 1
        else:
            print(f"PASS systemd/journal-fields-{name}")
    return status


if __name__ == "__main__":
    sys.exit(main())
