#!/usr/bin/env python3
"""Host tests of -r: capture files made here byte by byte, decoded by the
reader with no device; good files, every kind of damage, and a file larger
than the reader's block. The bytes come from capfile_gen, which lays them out
with the reader's own structs. Prints "PASS|FAIL host/capfile-NAME" lines.

usage: capfile_test.py READER CAPFILE_GEN
"""
import json
import socket
import os
import subprocess
import sys
import tempfile

import jsonkeys

READER, GEN = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = jsonkeys.load(os.path.join(HERE, "..", "..", "recvmmsg-trace.8"))
# Every JSON line any run below printed, checked against the man page's table.
json_lines, json_errors = [0], []
ABI = int(subprocess.run([GEN, "--abi"], capture_output=True, text=True, check=True).stdout)
SEC = 10**9


def gen(*items):
    """The bytes of the items (capfile_gen lines), in order."""
    return subprocess.run([GEN], input="\n".join(items).encode(), capture_output=True,
                          check=True).stdout


def file_header(abi=ABI, magic=None, version=1):
    """Version 1 unless said: records to the end, never a table."""
    return f"header abi={abi} version={version}" + (f" magic={magic}" if magic else "")


def enter(cpu, t, tid, comm="udpd"):
    return f"enter cpu={cpu} t={t} tid={tid} comm={comm}"


def exit_(cpu, t, tid, ret, comm="udpd"):
    return f"exit cpu={cpu} t={t} tid={tid} ret={ret} comm={comm}"


def lost(cpu, t, count):
    return f"lost cpu={cpu} t={t} count={count}"


def round_(t):
    return f"round t={t}"


# Every task runs the file of inode 4242 on device 8:1 (as capfile_gen makes them).
EXE = (8, 1, 4242)


def run(data, *args):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
    try:
        p = subprocess.run([READER, "-r", f.name, *args], capture_output=True,
                           text=True, env={**os.environ, "TZ": "UTC"}, timeout=60)
        if "--json" in args or "json" in args:
            for line in p.stdout.splitlines():
                json_lines[0] += 1
                try:
                    jsonkeys.check(json.loads(line), KEYS)
                except (AssertionError, ValueError) as e:
                    json_errors.append(f"{e} in {line!r}")
        return p.returncode, p.stdout, p.stderr.replace(f.name, "FILE")
    finally:
        os.unlink(f.name)


def check(name, cond, detail):
    print(f"{'PASS' if cond else 'FAIL'} host/capfile-{name}" + ("" if cond else f" {detail}"))


# Sizes of a file header and a table footer, as the reader has them.
HDR = len(gen(file_header()))
FOOTER = len(gen("footer offset=0 cgroups=0 exes=0"))

good = gen(file_header(), exit_(0, 2 * SEC + 120000, 42, 0), enter(1, 2 * SEC, 42),
           lost(0, 3 * SEC, 5))
rc, out, err = run(good)
want = ("00:00:02.000000 cpu1 42/42 udpd recvmmsg_time32(3, [], 0, 0, NULL) = 0 (Timeout) <0.000120>\n"
        "+++ lost 5 records on cpu 0 +++\n")
check("text", rc == 0 and out == want, f"rc {rc} out {out!r} err {err!r}")

rc, out, err = run(good, "--json")
rc2, out2, _ = run(good, "-o", "json")
rc3, out3, _ = run(good, "-o", "text")
check("output-format", (rc2, out2, rc3) == (rc, out, 0) and out3 == want,
      f"-o json rc {rc2}, -o text rc {rc3} {out3!r}")
lines = [json.loads(line) for line in out.splitlines()]
check("json", rc == 0 and len(lines) == 2 and lines[0]["hostThreadId"] == 42
      and lines[0]["durationNs"] == 120000 and lines[1] == {
          "timestamp": 3 * SEC, "processorId": 0, "eventName": "lost", "count": 5},
      f"rc {rc} out {out[:300]!r}")

# 12000 calls, 3.8 MB: several of the reader's 1 MiB blocks, records cut
# at block ends included.
many = [file_header()]
for i in range(12000):
    many += [enter(i % 2, SEC + 10 * i, 100 + i % 7), exit_(i % 2, SEC + 10 * i + 5, 100 + i % 7, 1)]
rc, out, err = run(gen(*many))
check("streams-past-blocks", rc == 0 and out.count(" = 1 <") == 12000,
      f"rc {rc} lines {out.count(chr(10))} err {err!r}")

# A task moved from CPU 0 to CPU 1 during its call, and the reads took
# CPU 1's exit long before CPU 0's enter (more than a 1 MiB block of other
# calls between them): the rounds the reader wrote keep the exit waiting
# until the enter is in, and the call is whole, printed once.
moved = [file_header(), exit_(1, 2 * SEC + 120000, 42, 0)]
for i in range(4000):
    moved += [enter(0, SEC + 10 * i, 100), exit_(0, SEC + 10 * i + 5, 100, 1), round_(SEC + 10 * i)]
moved += [enter(0, 2 * SEC, 42), round_(3 * SEC)]
rc, out, err = run(gen(*moved))
want = "00:00:02.000000 cpu0 42/42 udpd recvmmsg_time32(3, [], 0, 0, NULL) = 0 (Timeout) <0.000120>\n"
check("exit-read-first-pairs-across-rounds",
      rc == 0 and out.count(" = 1 <") == 4000 and out.endswith(want) and "resumed" not in out,
      f"rc {rc} out {out[-400:]!r} err {err!r}")

cases = {
    "truncated-header": (good[:20], "truncated file header at byte offset 20"),
    "bad-magic": (gen(file_header(magic="XXXXXXXX")) + good[HDR:],
                  "not a recvmmsg-trace capture file (byte offset 0)"),
    "wrong-abi": (gen(file_header(abi=ABI + 1)) + good[HDR:], f"records of ABI {ABI + 1}"),
    "wrong-version": (gen(file_header(version=9)) + good[HDR:], "capture file version 9"),
    "record-size-0": (gen(file_header(), "record type=3 size=0"),
                      f"corrupt record (size 0) at byte offset {HDR}"),
    "record-past-end": (good[:-8], f"truncated record at byte offset {len(good) - len(gen(lost(0, 0, 0)))}"),
    "size-not-type": (gen(file_header(), "enter cpu=0 t=1 tid=1 comm=x nr_msgs=3"),
                      f"malformed record at byte offset {HDR}"),
}
for name, (data, message) in cases.items():
    rc, out, err = run(data)
    check(name, rc == 2 and message in err, f"rc {rc} err {err!r}")
# Damage after a call that had not returned yet: the call is still printed.
damaged = gen(file_header(), enter(0, 2 * SEC, 42)) + gen(lost(0, 3 * SEC, 5))[:-8]
rc, out, err = run(damaged)
check("damage-after-a-running-call-prints-it", rc == 2 and out.count("<unfinished ...>") == 1 and
      "truncated record" in err and "1 calls" in err, f"rc {rc} out {out!r} err {err!r}")

rc, out, err = run(gen(file_header(), "record type=77 size=32 t=1", enter(0, 5, 9), exit_(0, 6, 9, 0)))
check("unknown-type-skipped", rc == 0 and "skipped 1 record(s)" in err and " = 0 (Timeout) <" in out,
      f"rc {rc} out {out!r} err {err!r}")

rc, out, err = run(good, "-p", "5")
check("no-capture-options", rc == 2 and "capture options do not apply" in err, f"rc {rc} {err!r}")
p = subprocess.run([READER, "-r", "/nonexistent/capture"], capture_output=True, text=True)
check("missing-file", p.returncode == 2 and "No such file" in p.stderr, f"rc {p.returncode}")


def cgroup_table(entries, table_offset, exes=(), nr_exes=None):
    """The trailing table of (cgroup id, path or None), then (version 3) of
    (tid, thread start time, major, minor, inode, path), and its footer."""
    items = [f"cgroup id={cid} " + ("gone" if path is None else f"path={path}")
             for cid, path in entries]
    items += [f"exe tid={tid} start={start} major={major} minor={minor} ino={ino} path={path}"
              for tid, start, major, minor, ino, path in exes]
    items.append(f"footer offset={table_offset} cgroups={len(entries)} "
                 f"exes={len(exes) if nr_exes is None else nr_exes}")
    return gen(*items)


# The calls' cgroup (id 1, as task() makes them) named by the file's table.
CID = "0123456789abcdef" * 4
calls = gen(file_header(version=2), enter(0, 2 * SEC, 42), exit_(0, 2 * SEC + 120, 42, 0))
docker = calls + cgroup_table([(1, f"/system.slice/docker-{CID}.scope"), (9, "/")], len(calls))
rc, out, err = run(docker)
check("cgroup-table-names-the-container", rc == 0 and out.endswith(f" [container {CID[:12]}]\n"),
      f"rc {rc} out {out!r} err {err!r}")
rc, out, err = run(docker, "--json")
ev = json.loads(out) if rc == 0 and out.count("\n") == 1 else {}
check("cgroup-table-in-json", ev.get("container") == {"id": CID, "runtime": "docker"},
      f"rc {rc} out {out!r} err {err!r}")
rc, out, err = run(calls + cgroup_table([(1, None)], len(calls)))
check("cgroup-table-gone-is-unknown", rc == 0 and out.endswith(" [container unknown]\n"),
      f"rc {rc} out {out!r} err {err!r}")
# A writer killed before its table: records to the end, no container named.
rc, out, err = run(calls)
check("no-cgroup-table-names-none", rc == 0 and out.count("\n") == 1 and "[container" not in out,
      f"rc {rc} out {out!r} err {err!r}")
past_end = calls + cgroup_table([(1, "/")], len(calls) + 4096)
rc, out, err = run(past_end)
check("cgroup-table-footer-past-end", rc == 2 and
      f"corrupt cgroup table footer at byte offset {len(past_end) - FOOTER}\n" in err,
      f"rc {rc} err {err!r}")
for name, data, at in [
    # Three entries said, two there: the third runs into the footer.
    ("cgroup-table-count-wrong", calls + gen("cgroup id=1 path=/", "cgroup id=2 path=/x",
                                             f"footer offset={len(calls)} cgroups=3 exes=0"),
     len(calls) + len(gen("cgroup id=1 path=/", "cgroup id=2 path=/x"))),
    ("cgroup-table-path-too-long", calls + gen("cgroup id=1 path_len=1048576",
                                               f"footer offset={len(calls)} cgroups=1 exes=0"),
     len(calls)),
]:
    # The records are still read, and name no container.
    rc, out, err = run(data)
    check(name, rc == 0 and out.count("\n") == 1 and "[container" not in out and
          f"corrupt cgroup table at byte offset {at}: its calls name no container" in err,
          f"rc {rc} out {out!r} err {err!r}")

# Lines of every shape in JSON: a pod's container, a pod alone, a cgroup
# gone, a call still running at the end (no exit), a LOST record.
POD = "1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901"
for name, table in [
    ("pod", [(1, f"/kubepods.slice/kubepods-pod{POD}.slice/cri-containerd-{CID}.scope")]),
    ("pod-only", [(1, f"/kubepods.slice/kubepods-pod{POD}.slice")]),
    ("gone", [(1, None)]),
]:
    records = calls + gen(enter(1, 3 * SEC, 43), lost(1, 4 * SEC, 2))
    rc, out, err = run(records + cgroup_table(table, len(records)), "--json")
    started = [json.loads(line)["contextFlags"]["containerStarted"] for line in out.splitlines()
               if '"lost"' not in line]
    check(f"json-{name}-container-started", rc == 0 and started == [name == "pod"] * 2,
          f"rc {rc} out {out!r} err {err!r}")
# Version 3: executables named by inode; another inode, or a damaged
# table, names none (and a damaged executable table spares the containers).
calls3 = gen(file_header(version=3)) + calls[HDR:]
DOCKER = [(1, f"/system.slice/docker-{CID}.scope")]
# Thread 42, started at 0 (as task() makes it), ran the file.
for name, exes, nr, want_exe, warn in [
    ("exe-table-names-the-executable", [(42, 0, *EXE, "/usr/sbin/udpd")], None,
     "/usr/sbin/udpd", ""),
    ("exe-table-other-inode-names-none", [(42, 0, 8, 1, 4243, "/usr/sbin/other")], None,
     None, ""),
    ("exe-table-other-thread-names-none", [(43, 0, *EXE, "/usr/sbin/other")], None, None, ""),
    ("exe-table-damaged-keeps-containers", [(42, 0, *EXE, "/usr/sbin/udpd")], 2, None,
     "corrupt executable table at byte offset"),
]:
    rc, out, err = run(calls3 + cgroup_table(DOCKER, len(calls3), exes, nr), "--json")
    ev = json.loads(out) if rc == 0 and out.count("\n") == 1 else {}
    check(name, ev.get("executable", {}).get("path") == want_exe and warn in err and
          ev.get("container", {}).get("id") == CID, f"rc {rc} out {out!r} err {err!r}")
# Version 2 had no executables: the table is read as it was.
rc, out, err = run(docker, "--json")
check("v2-table-names-no-executable", rc == 0 and '"executable"' not in out and CID in out,
      f"rc {rc} out {out!r} err {err!r}")
check("json-lines-follow-the-man-page-table", not json_errors and json_lines[0] >= 12,
      f"{json_lines[0]} lines checked: {json_errors[:3]}")


def journal_run(data, journal="listening"):
    """-r of @data with -o journal, the journal's socket ours: in a mount
    namespace of the reader's own, /run is a fresh tmpfs whose
    systemd/journal is our directory. @journal "listening", "gone" (the
    socket's file left, nobody at it) or "none" (no socket). Returns
    (status, stderr, entries as dicts), or None when no namespace could be
    made here."""
    d = tempfile.mkdtemp()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    socket_there = journal == "listening"
    if journal != "none":
        sock.bind(os.path.join(d, "socket"))
    if journal == "gone":
        sock.close()
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    script = ('mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && '
              'mount --bind "$1" /run/systemd/journal && exec "$2" -r "$3" -o journal')
    try:
        p = subprocess.run(["unshare", *user, "--mount", "--propagation", "private",
                            "sh", "-c", script, "sh", d, READER, f.name],
                           capture_output=True, text=True, timeout=60)
        if p.returncode and "recvmmsg-trace" not in p.stderr:
            return None
        entries = []
        if socket_there:
            sock.setblocking(False)
        while socket_there:
            try:
                entries.append(journal_fields(sock.recv(1 << 20)))
            except BlockingIOError:
                break
        return p.returncode, p.stderr.replace(f.name, "FILE"), entries
    finally:
        sock.close()
        os.unlink(f.name)
        subprocess.run(["rm", "-rf", d], check=False)


def journal_fields(datagram):
    """journald's native protocol: NAME=value lines, or NAME, a newline, a
    64-bit little-endian length and that many bytes of value, a newline."""
    fields, i = {}, 0
    while i < len(datagram):
        nl = datagram.index(b"\n", i)
        line = datagram[i:nl]
        if b"=" in line:
            name, value = line.split(b"=", 1)
            i = nl + 1
        else:
            name, size = line, int.from_bytes(datagram[nl + 1:nl + 9], "little")
            value = datagram[nl + 9:nl + 9 + size]
            i = nl + 9 + size + 1
        fields[name.decode()] = value.decode(errors="replace")
    return fields


# -o journal: an entry per call, MESSAGE the text line, the values as
# fields; LOST at PRIORITY 4; a failed call's errno by name.
journal_file = gen(file_header(), enter(1, 2 * SEC, 42), exit_(0, 2 * SEC + 120000, 42, 0),
                   enter(0, 3 * SEC, 43, "udp\\nd"), exit_(0, 3 * SEC + 5, 43, -11),
                   lost(0, 4 * SEC, 5))
got = journal_run(journal_file)
if got is None:
    print("SKIP host/capfile-journal-entries no mount namespace here (unshare failed)")
else:
    rc, err, entries = got
    _, text, _ = run(journal_file)
    lines = text.splitlines()
    want = [
        {"MESSAGE": lines[0], "PRIORITY": "6", "SYSLOG_IDENTIFIER": "recvmmsg-trace",
         "RMT_SYSCALL": "recvmmsg_time32", "RMT_TIME_NS": str(2 * SEC), "RMT_CPU": "1",
         "RMT_PID": "42", "RMT_TID": "42", "RMT_COMM": "udpd", "RMT_PPID": "1", "RMT_UID": "0",
         "RMT_GID": "0", "RMT_CGROUP_ID": "1", "RMT_VIA": "syscall", "RMT_FD": "3",
         "RMT_VLEN": "0", "RMT_FLAGS": "0", "RMT_RET": "0", "RMT_DURATION_NS": "120000"},
        {"MESSAGE": lines[1], "RMT_PID": "43", "RMT_COMM": "udp\\nd", "RMT_RET": "-11",
         "RMT_ERRNO": "EAGAIN", "RMT_DURATION_NS": "5"},
        {"MESSAGE": "+++ lost 5 records on cpu 0 +++", "PRIORITY": "4", "RMT_LOST": "5",
         "RMT_CPU": "0"},
    ]
    ok = rc == 0 and len(entries) == 3 and all(
        all(e.get(k) == v for k, v in w.items()) for e, w in zip(entries, want))
    check("journal-entries", ok, f"rc {rc} err {err!r} entries {entries}")
    rc, err, _ = journal_run(journal_file, "gone")
    check("journal-gone-is-an-error", rc == 1 and
          "recvmmsg-trace: journal: Connection refused\n" in err, f"rc {rc} err {err!r}")
    rc, err, _ = journal_run(journal_file, "none")
    check("journal-none-is-an-error", rc == 1 and "recvmmsg-trace: no journal here: "
          "/run/systemd/journal/socket: No such file or directory\n" in err,
          f"rc {rc} err {err!r}")
