#!/usr/bin/env python3
"""Judge the reader's end-to-end runs in a guest console log.

tools/vm/job-selftests runs the reader against the real module while a
32-bit client makes known recvmmsg_time32 calls, and prints what came out
between RMT-READER-BEGIN/END markers. Prints one PASS/FAIL line per run.

usage: check-reader.py NAME CONSOLE_LOG
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "recvmmsg-trace", "tests"))
import jsonkeys  # noqa: E402  (found through the path above)

KEYS = jsonkeys.load(os.path.join(HERE, "..", "recvmmsg-trace.8"))

CLIENT = re.compile(r"pid=(\d+) tid=(\d+) mmsg=(0x[0-9a-f]+) timeout=(0x[0-9a-f]+|0) "
                    r"port=(\d+) ret=(-?\d+) errno=(\d+)")
FLIP = re.compile(r"flip msg=1 field=(msg_[\w\[\].]+) enter=(\d+) exit=(\d+)")
MSG = (r"\{msg_hdr=\{msg_name=\{sa_family=AF_INET, sin_port=htons\((\d+)\), "
       r"sin_addr=inet_addr\(\"127\.0\.0\.1\"\)\}, msg_namelen=128 => 16, "
       r"msg_iov=\[\{iov_base=0x[0-9a-f]+, iov_len=256\}\], msg_iovlen=1, "
       r"msg_controllen=0, msg_flags=0\}, msg_len=10\}")
TEXT = re.compile(r"^\d\d:\d\d:\d\d\.\d{6} cpu\d+ (\d+)/(\d+) rmt_client32 "
                  r"recvmmsg_time32\(7, \[" + MSG + ", " + MSG + r"\], 4, MSG_WAITFORONE, "
                  r"\{tv_sec=1, tv_nsec=500000000\}\) = 2 "
                  r"\(left \{tv_sec=[01], tv_nsec=\d+\}\) <\d+\.\d{6}>$")
JSON_KEYS = {"timestamp", "threadStartTime", "processorId", "processId", "threadId",
             "parentProcessId", "hostProcessId", "hostThreadId", "hostParentProcessId",
             "userId", "mountNamespace", "pidNamespace", "cgroupId", "processName",
             "hostName", "containerId", "eventId", "eventName", "syscall",
             "argsNum", "returnValue", "contextFlags", "args", "durationNs", "via",
             "timeout", "timeoutAfter", "messages", "truncated", "faults"}
# Only while the process is there to be looked at: not for one that is gone.
MAYBE = {"executable"}


def runs(log):
    """Yield (kind, {status, clients, stderr, out}) for each marked run."""
    run = None
    for line in log:
        if line.startswith("RMT-READER-BEGIN "):
            run = {"kind": line.split()[1], "status": None, "clients": [],
                   "stderr": [], "out": [], "replay": None, "same": None,
                   "replay_out": [], "strace": [], "flips": [], "expect": [],
                   "unknown": None, "ambiguous": None, "context": None,
                   "notime64": None, "clients_raw": [], "files": []}
        elif line == "RMT-READER-END" and run:
            yield run
            run = None
        elif run is not None:
            tag, _, rest = line.partition(" ")
            if tag == "RMT-READER-STATUS":
                run["status"] = int(rest)
            elif tag == "RMT-REPLAY-STATUS":
                run["replay"] = int(rest)
            elif tag == "RMT-REPLAY-SAME":
                run["same"] = rest
            elif tag == "RMT-REPLAY-OUT":
                run["replay_out"].append(rest)
            elif tag == "RMT-CLIENT":
                run["clients_raw"].append(rest)
                m = CLIENT.match(rest)
                if m:
                    run["clients"].append(m.groups())
                m = FLIP.match(rest)
                if m:
                    run["flips"].append(m.groups())
            elif tag == "RMT-STDERR":
                run["stderr"].append(rest)
            elif tag == "RMT-OUT":
                run["out"].append(rest)
            elif tag in ("RMT-TEXT", "RMT-SUMMARY"):
                run.setdefault(tag, []).append(rest)
            elif tag == "RMT-EXPECT":
                run["expect"].append(rest.split())
            elif tag == "RMT-UNKNOWN-STATUS":
                run["unknown"] = rest
            elif tag == "RMT-AMBIGUOUS-STATUS":
                run["ambiguous"] = rest
            elif tag == "RMT-NOTIME64":
                run["notime64"] = rest
            elif tag == "RMT-CONTEXT":
                run["context"] = rest.split()
            elif tag == "RMT-STRACE":
                run["strace"].append(rest)
            elif tag == "RMT-FILE":
                path, size, status, lines = rest.split()
                run["files"].append((path, int(size), int(status), int(lines)))


def client_for(run, pid):
    for c in run["clients"]:
        if c[0] == pid:
            return c
    raise AssertionError(f"pid {pid} is none of the clients' {run['clients']}")


def check_call_line(run, lines):
    """One text line, a whole call of one of the run's clients."""
    assert len(lines) == 1, f"expected 1 line, got {lines}"
    m = TEXT.match(lines[0])
    assert m, f"line does not match: {lines[0]!r}"
    pid, tid, port1, port2 = m.groups()
    c = client_for(run, pid)
    assert (tid, port1, port2) == (c[1], c[4], c[4]), f"{m.groups()} vs {c}"


def check_text(run):
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert not any("TOCTOU" in line for line in run["out"]), "an untouched vector flagged"
    check_call_line(run, run["out"])
    assert run["stderr"] == ["recvmmsg-trace: 1 calls, 0 records lost"], run["stderr"]


def check_json(run):
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert len(run["out"]) == 1, f"expected 1 line, got {run['out']}"
    ev = json.loads(run["out"][0])
    assert set(ev) == JSON_KEYS | MAYBE, f"keys {sorted(ev)}"  # no "toctou": untouched
    c = client_for(run, str(ev["hostProcessId"]))
    assert ev["hostThreadId"] == int(c[1])
    assert ev["processName"] == "rmt_client32"
    assert ev["eventName"] == ev["syscall"] == "recvmmsg_time32"
    assert ev["argsNum"] == 5 and ev["returnValue"] == 2
    assert ev["contextFlags"] == {"containerStarted": False, "isCompat": True}
    assert ev["eventId"] == "299" and ev["containerId"] == ""
    shell, host, mnt_ns, pid_ns, exe = run["context"]
    assert ev["executable"] == {"path": exe}, f"executable {ev['executable']}, the client is {exe}"
    assert ev["parentProcessId"] == ev["hostParentProcessId"] == int(shell), \
        f"parent {ev['parentProcessId']}/{ev['hostParentProcessId']}, the shell is {shell}"
    assert ev["hostName"] == host, f"hostName {ev['hostName']!r}, uname -n {host!r}"
    assert (ev["mountNamespace"], ev["pidNamespace"]) == (int(mnt_ns), int(pid_ns)), \
        f"namespaces {ev['mountNamespace']} {ev['pidNamespace']}, /proc {mnt_ns} {pid_ns}"
    # The client's only thread started within the run, before its call.
    assert ev["timestamp"] - 60 * 10**9 < ev["threadStartTime"] <= ev["timestamp"], \
        f"threadStartTime {ev['threadStartTime']}, call at {ev['timestamp']}"
    assert ev["via"] == "syscall" and ev["userId"] == 0
    assert ev["durationNs"] >= 0 and ev["timestamp"] > 1_600_000_000 * 10**9
    assert ev["processId"] == ev["hostProcessId"] and ev["threadId"] == ev["hostThreadId"]
    assert ev["timeout"] == {"tv_sec": 1, "tv_nsec": 500000000}, ev["timeout"]
    left = ev["timeoutAfter"]
    assert 0 < left["tv_sec"] * 10**9 + left["tv_nsec"] < 1_500_000_000, left
    assert ev["truncated"] is False and ev["faults"] == []
    assert ev["cgroupId"] == 1
    assert len(ev["messages"]) == 2, ev["messages"]
    for msg in ev["messages"]:
        assert msg["source"] == f"127.0.0.1:{c[4]}", msg
        assert msg["msg_len"] == 10 and msg["msg_namelen"] == 16, msg
        assert msg["msg_iovlen"] == 1 and msg["iov"][0]["iov_len"] == 256, msg
    want = [("fd", "int", 7), ("mmsg", "struct mmsghdr*", int(c[2], 16)),
            ("vlen", "unsigned int", 4), ("flags", "unsigned int", 0x10000),
            ("timeout", "struct old_timespec32*", int(c[3], 16))]
    got = [(a["name"], a["type"], a["value"]) for a in ev["args"]]
    assert got == want, f"args {got}"


FILTERED = re.compile(r"^\d\d:\d\d:\d\d\.\d{6} cpu\d+ (\d+)/(\d+) rmt_client32 "
                      r"recvmmsg_time32\(7, \[\{msg_hdr=\{msg_name=0x[0-9a-f]+, "
                      r"msg_namelen=128, .*msg_len=0\}, \.\.\.\], 4, MSG_WAITFORONE, "
                      r"\{tv_sec=1, tv_nsec=500000000\}\) = \?$")


def check_filtered(run):
    """-c, -f, -s 2, --no-exit, --stats: only fd 7, two headers, no result."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert len(run["out"]) == 2, f"expected 2 lines, got {run['out']}"
    for line in run["out"]:
        m = FILTERED.match(line)
        assert m, f"line does not match: {line!r}"
        assert line.count("msg_hdr=") == 2, line
        client_for(run, m.group(1))
    header = [line for line in run["stderr"] if line.split()[:3] == ["cpu", "enter", "filtered"]]
    total = [line for line in run["stderr"] if line.startswith("total ")]
    assert header and total, run["stderr"]
    assert int(total[0].split()[2]) > 0, f"nothing filtered: {total[0]}"


def check_replay(run):
    """-w while printing, then -r of that file: the same lines."""
    check_text(run)
    assert run["replay"] == 0, f"-r exit status {run['replay']}"
    assert run["same"] == "yes", "-r printed other lines than the live run"


def check_saveonly(run):
    """-o none -w, stopped by SIGINT after 10 clients: nothing printed, every
    client's call saved; -r of the file shows a client's call."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert run["out"] == [], f"-o none printed {run['out'][:2]}"
    assert len(run["clients"]) == 10, f"{len(run['clients'])} clients"
    assert run["stderr"] == ["recvmmsg-trace: 10 calls, 0 records lost"], run["stderr"]
    assert run["replay"] == 0, f"-r exit status {run['replay']}"
    check_call_line(run, run["replay_out"])


def check_rotation(run):
    """--file-size=1 -W 2 with up to 5.8 MB of records: a ring of two files,
    each a capture file of its own of at most a million bytes, holding the
    latest calls (fewer than were saved: the oldest files were reused)."""
    assert run["status"] == 0, f"reader exit status {run['status']}: {run['stderr']}"
    m = re.fullmatch(r"recvmmsg-trace: (\d+) calls, \d+ records lost", " ".join(run["stderr"]))
    assert m, run["stderr"]
    names = sorted(f[0] for f in run["files"])
    assert names == ["/tmp/rot0", "/tmp/rot1"], f"files {names}"
    for path, size, status, lines in run["files"]:
        assert size <= 1000000 and status == 0 and lines > 0, \
            f"{path}: {size} bytes, -r status {status}, {lines} calls: {run['replay_out']}"
    kept = sum(f[3] for f in run["files"])
    assert kept < int(m.group(1)), f"the ring kept {kept} calls of {m.group(1)}"


def check_diskfull(run):
    """A 16 KiB filesystem fills: the reader stops with one clear line, the
    file ends after its last whole record and reads back whole."""
    assert run["status"] == 1, f"reader exit status {run['status']}"
    assert any(line.startswith("recvmmsg-trace: /tmp/small/cap: No space left on device: "
                               "stopped; it ends after its last whole record")
               for line in run["stderr"]), run["stderr"]
    [(path, size, status, lines)] = run["files"]
    # -r says only how many calls it read: nothing truncated or corrupt.
    said = [line for line in run["replay_out"]
            if not re.fullmatch(r"recvmmsg-trace: \d+ calls, 0 records lost", line)]
    assert size <= 16384 and status == 0 and lines > 0 and not said, \
        f"{size} bytes, -r status {status}, {lines} calls, -r said {run['replay_out']}"


def check_summary(run):
    """--summary -d 2: a row per client process with what that client did."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    head, *rows, total = run["out"]
    assert head.split() == ["pid", "comm", "calls", "messages", "bytes", "errors",
                            "toctou", "p50", "usec", "p99", "usec", "container"], head
    assert rows, "no process in the table"
    halves = 0
    for row in rows:
        pid, comm, calls, msgs, nbytes, errors, toctou, p50, p99, container = row.split()
        c = client_for(run, pid)
        assert comm == "rmt_client32" and calls == "1" and toctou == "0", row
        assert container == "-", row
        if c[5] == "2":	# two datagrams of 10 bytes
            want = ("2", "20", "0")
        else:		# EFAULT
            assert (c[5], c[6]) == ("-1", "14"), c
            want = ("0", "0", "1")
        if p50 == "-":
            # A call still running when capture starts or stops has only
            # one of its records; the clients run one after another.
            halves += 1
            assert p99 == "-" and (msgs, nbytes, errors) in (want, ("0", "0", "0")), row
        else:
            assert (msgs, nbytes, errors) == want, row
            assert float(p50) > 0 and float(p99) >= float(p50), row
    assert halves <= 2, f"{halves} calls without both records"
    assert total.split()[:2] == ["total", str(len(rows))], total


# What may differ from strace: our prefix (time, CPU, ids, command) and what
# follows the result (duration, our suffixes), strace's padding before " = ",
# the name, and buffers (strace prints their bytes, we their addresses).
OURS = re.compile(r"^\d\d:\d\d:\d\d\.\d{6} cpu\d+ \d+/\d+ (\S+) (.*) <\d+\.\d{6}>"
                  r"( \[(?:[^][]|\[\d+\])*\])*$")
STRACE_BUF = re.compile(r'iov_base="(?:[^"\\]|\\.)*"(?:\.\.\.)?')
OUR_BUF = re.compile(r"iov_base=0x[0-9a-f]+")


def same_as_strace(ours, theirs, comm):
    """Our text line of a call of @comm is strace's, but for buffers and names."""
    m = OURS.match(ours)
    assert m and m.group(1) == comm, f"line does not match: {ours!r}"
    mine = OUR_BUF.sub("iov_base=BUF", m.group(2)).replace("recvmmsg_time32(", "recvmmsg(", 1)
    want = re.sub(r"\s+= ", " = ", STRACE_BUF.sub("iov_base=BUF", theirs), count=1)
    if mine != want:
        at = next((i for i, (a, b) in enumerate(zip(mine, want)) if a != b),
                  min(len(mine), len(want)))
        start = max(0, at - 40)
        raise AssertionError(f"differs from strace at column {at}: ours "
                             f"...{mine[start:at + 40]!r}, strace ...{want[start:at + 40]!r}")


def check_strace(run):
    """Each call as the module and strace saw it: the same line."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert len(run["strace"]) == 10 and all(run["strace"]), f"strace wrote {run['strace']}"
    assert len(run["out"]) == len(run["strace"]), f"expected 10 lines, got {run['out']}"
    for ours, theirs in zip(run["out"], run["strace"]):
        same_as_strace(ours, theirs, "rmt_client32")


GOBATCH = re.compile(r"gobatch pid=(\d+) fd=(\d+) vlen=(\d+) ret=(\d+)")
GLIBC = re.compile(r"glibc32 pid=(\d+) fd=(\d+) mmsg=(0x[0-9a-f]+) vlen=(\d+) ret=(\d+)")
RECEIVED = re.compile(r"(?:gobatch|glibc32) msg=(\d+) len=(\d+) from=(\S+)")


def check_programs(run):
    """Programs we did not write the call of: what they, strace and we saw."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    # time64 off: glibc's call was not recorded, the client's after it was.
    assert run["notime64"] and json.loads(run["notime64"])["processName"] == "rmt_client32", \
        f"with time64=0 the first call recorded was {run['notime64']!r}"
    reports = run["clients_raw"]
    go = next((GOBATCH.match(r) for r in reports if GOBATCH.match(r)), None)
    gl = next((GLIBC.match(r) for r in reports if GLIBC.match(r)), None)
    assert go and gl, f"the programs reported {reports}"
    got = [RECEIVED.match(r).groups() for r in reports if RECEIVED.match(r)]
    assert len(run["out"]) == 2 and len(run["RMT-TEXT"]) == 2, (run["out"], run.get("RMT-TEXT"))
    go_ev, gl_ev = (json.loads(line) for line in run["out"])
    # Go: x/net's ReadBatch, through socketcall, no timeout, no flags.
    pid, fd, vlen, ret = (int(v) for v in go.groups())
    assert go_ev["processName"] == "rmt_gobatch" and go_ev["hostProcessId"] == pid, go_ev
    assert go_ev["via"] == "socketcall" and go_ev["eventName"] == "recvmmsg_time32", go_ev
    exe = go_ev.get("executable")  # none if it exited before the reader looked
    assert exe is None or exe["path"].endswith("/rmt_gobatch"), exe
    fd_, _, vlen_, flags_, timeout_ = (a["value"] for a in go_ev["args"])
    assert (fd_, vlen_, flags_, timeout_) == (fd, vlen, 0, 0), go_ev["args"]
    assert go_ev["returnValue"] == ret == 3, (go_ev["returnValue"], ret)
    # glibc: recvmmsg_time64 with its 64-bit timeout, MSG_WAITFORONE.
    pid, fd, mmsg, vlen, ret = gl.groups()
    assert gl_ev["processName"] == "rmt_glibc32" and gl_ev["hostProcessId"] == int(pid), gl_ev
    assert gl_ev["via"] == "syscall" and gl_ev["eventName"] == "recvmmsg_time64", gl_ev
    exe = gl_ev.get("executable")
    assert exe is None or exe["path"].endswith("/rmt_glibc32"), exe
    want = [("fd", "int", int(fd)), ("mmsg", "struct mmsghdr*", int(mmsg, 16)),
            ("vlen", "unsigned int", int(vlen)), ("flags", "unsigned int", 0x10000)]
    assert [(a["name"], a["type"], a["value"]) for a in gl_ev["args"][:4]] == want, gl_ev["args"]
    assert gl_ev["args"][4]["type"] == "struct __kernel_timespec*", gl_ev["args"][4]
    assert gl_ev["timeout"] == {"tv_sec": 2, "tv_nsec": 0}, gl_ev["timeout"]
    assert gl_ev["returnValue"] == int(ret) == 2, (gl_ev["returnValue"], ret)
    # Each message as the program was told it: length and source.
    seen = [(str(i), str(m["msg_len"]), m["source"]) for ev in (go_ev, gl_ev)
            for i, m in enumerate(ev["messages"])]
    assert seen == got, f"messages {seen}, the programs said {got}"
    # And the text line is strace's.
    assert len(run["strace"]) == 2 and all(run["strace"]), f"strace wrote {run['strace']}"
    for ours, theirs, comm in zip(run["RMT-TEXT"], run["strace"], ("rmt_gobatch", "rmt_glibc32")):
        same_as_strace(ours, theirs, comm)


def check_toctou(run):
    """--toctou-only: each rewritten field named with both values, nothing else."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert run["stderr"] == ["recvmmsg-trace: 4 calls, 0 records lost"], run["stderr"]
    assert len(run["flips"]) == 4 and len(run["clients"]) == 8, (run["flips"], run["clients"])
    flipped = [c for i, c in enumerate(run["clients"]) if i % 2]
    assert len(run["out"]) == 4, f"expected 4 lines, got {run['out']}"
    for line, client, (field, enter, exit_) in zip(run["out"], flipped, run["flips"]):
        ev = json.loads(line)
        assert ev["hostProcessId"] == int(client[0]), f"{ev['hostProcessId']} is not {client}"
        assert ev["returnValue"] == 2, ev["returnValue"]
        want = [{"msg": 1, "field": field, "enter": int(enter), "exit": int(exit_)}]
        assert ev["toctou"] == want, f"toctou {ev['toctou']}, want {want}"


def container_keys(runtime, cid, pod):
    """The container keys a call in a cgroup named so must carry."""
    want = {}
    if runtime == "unknown":
        want["container"] = {"runtime": "unknown"}
    elif cid != "-":
        want["container"] = {"id": cid, "runtime": runtime}
    if pod != "-":
        want["kubernetes"] = {"podUID": pod.replace("_", "-")}
    return want


def check_containers(run):
    """Each runtime's naming read right; a removed cgroup unknown, not guessed."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    assert len(run["expect"]) == 7 and len(run["out"]) == 7, (run["expect"], run["out"])
    for line, (runtime, cid, pod) in zip(run["out"], run["expect"]):
        ev = json.loads(line)
        got = {k: ev[k] for k in ("container", "kubernetes") if k in ev}
        want = container_keys(runtime, cid, pod)
        assert got == want, f"{got}, want {want}"
        assert set(ev) - set(want) - MAYBE == JSON_KEYS, f"keys {sorted(ev)}"
        named = want.get("container", {}).get("id", "")
        assert ev["containerId"] == named, f"containerId {ev['containerId']!r}, want {named!r}"
        assert ev["contextFlags"] == {"containerStarted": bool(named), "isCompat": True}, \
            ev["contextFlags"]
    # The same calls in text and in the summary table, by 12 digits.
    texts, rows = run.get("RMT-TEXT", []), run.get("RMT-SUMMARY", [])[1:-1]
    assert len(texts) == 7 and len(rows) == 7, (texts, rows)
    shown = sorted(r.split()[-1] for r in rows)
    want = sorted("unknown" if rt == "unknown" else cid[:12] for rt, cid, _ in run["expect"])
    assert shown == want, f"summary containers {shown}, want {want}"
    for line, (runtime, cid, pod) in zip(texts, run["expect"]):
        tag = " [container unknown]" if runtime == "unknown" else f" [container {cid[:12]}]"
        assert line.endswith(tag), f"{line!r} does not end with {tag!r}"
    assert run["replay"] == 0, f"-r of the capture file: status {run['replay']}"
    for live, replayed in zip(run["out"], run["replay_out"]):
        assert live == replayed, f"-r printed {replayed!r} where the live run printed {live!r}"
    assert len(run["replay_out"]) == len(run["out"]), f"-r printed {run['replay_out']}"


def check_container_filter(run):
    """-C PREFIX per runtime: that container's call only; none or two is exit 2."""
    assert run["status"] == 0, f"reader exit status {run['status']}"
    wanted = [cid for _, cid, _ in run["expect"] if cid != "-"]
    assert len(wanted) == 5 and len(run["out"]) == 5, (wanted, run["out"])
    for line, cid in zip(run["out"], wanted):
        ev = json.loads(line)
        assert ev.get("container", {}).get("id") == cid, f"{ev.get('container')}, want {cid}"
    assert run["unknown"] and run["unknown"].startswith("2 ") and \
        "no container's id starts with '000000000000'" in run["unknown"], run["unknown"]
    assert run["ambiguous"] and run["ambiguous"].startswith("2 ") and \
        "'abcdef123456' is ambiguous: more than one container" in run["ambiguous"], run["ambiguous"]


def check_nodevice(run):
    assert run["status"] == 1, f"exit status {run['status']}, want 1"
    text = " ".join(run["stderr"])
    assert "/dev/nonexistent" in text and "modprobe recvmmsg_trace" in text, text


CHECKS = {"text": check_text, "json": check_json, "filtered": check_filtered,
          "replay": check_replay, "saveonly": check_saveonly,
          "rotation": check_rotation, "diskfull": check_diskfull, "summary": check_summary,
          "strace": check_strace, "toctou": check_toctou, "containers": check_containers,
          "container-filter": check_container_filter, "programs": check_programs,
          "nodevice": check_nodevice}


def json_calls(run):
    """The lines of a run that are a call's (or LOST's) JSON object."""
    for line in run["out"] + run["replay_out"]:
        if line.startswith("{") and '"eventName"' in line:
            yield line


def main():
    name, path = sys.argv[1], sys.argv[2]
    with open(path, errors="replace") as f:
        log = [line.rstrip("\n") for line in f]
    seen = set()
    checked, bad = 0, []
    for run in runs(log):
        seen.add(run["kind"])
        try:
            CHECKS[run["kind"]](run)
            print(f"PASS {name}/reader-{run['kind']}")
        except Exception as e:  # noqa: BLE001  (any error is this run's FAIL)
            print(f"FAIL {name}/reader-{run['kind']} {type(e).__name__}: {e}")
        for line in json_calls(run):
            checked += 1
            try:
                jsonkeys.check(json.loads(line), KEYS)
            except Exception as e:  # noqa: BLE001
                bad.append(f"reader-{run['kind']}: {e}")
    for kind in sorted(set(CHECKS) - seen):
        print(f"FAIL {name}/reader-{kind} no output in {path}")
    # Every JSON line of every run, against the man page's table of keys.
    if bad or not checked:
        print(f"FAIL {name}/reader-json-keys {checked} lines, {len(bad)} wrong: {bad[:2]}")
    else:
        print(f"PASS {name}/reader-json-keys")


if __name__ == "__main__":
    main()
