#!/usr/bin/env python3
"""Turn the BENCH lines of a `make bench` guest log into a table and JSON.

For every workload and mode: the median time per call with its range over
the rounds, and the cost relative to the module not loaded, taken as the
median of the per-round ratios (each round ran every mode back to back, so
a round's ratio is immune to the drift between rounds).

usage: report.py CONSOLE_LOG KERNEL GUEST OUT_JSON
  GUEST  "instructions" (QEMU counted instructions: a guest nanosecond is
         one instruction) or "time" (multi-threaded TCG, host time)
"""
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict

MODES = ["unloaded", "disabled", "enabled", "entry-disabled", "entry", "two-readers",
         "abi4", "wake-every", "filtered", "entry-filtered",
         "no-reader", "entry-no-reader", "abi4-no-reader", "bpf-no-reader", "ftrace", "strace"]
# Modes against each other, each pair measured in the same rounds: this
# version against ABI 4, and a BPF program recording the same against it.
PAIRS = [("enabled", "abi4"), ("no-reader", "abi4-no-reader"),
         ("entry-no-reader", "abi4-no-reader"), ("bpf-no-reader", "no-reader"),
         ("bpf-no-reader", "entry-no-reader")]
GOALS = {("getpid64", "enabled"): 1.02, ("getpid32", "enabled"): 1.02,
         ("recv1", "enabled"): 1.25, ("recv8", "enabled"): 1.25,
         ("getpid64", "entry"): 1.02, ("getpid32", "entry"): 1.02,
         ("recv1", "entry"): 1.5, ("recv8", "entry"): 1.25,
         ("getpid64", "entry-no-reader"): 1.02, ("getpid32", "entry-no-reader"): 1.02,
         ("recv1", "entry-no-reader"): 1.5, ("recv8", "entry-no-reader"): 1.25}


TICK_S = 0.01	# USER_HZ in /proc/PID/stat


def show(v, fmt_spec):
    """A number as @fmt_spec formats it, or blank when there is none."""
    return "" if v is None else format(v, fmt_spec)


def flood_table(floods):
    """2 threads at full speed: losses per buffer, reader CPU per record,
    and the reader's read() and write() calls (all of them, from
    /proc/PID/io) per 1000 records."""
    rows = []
    print()
    print(f"{'buffer':8} {'output':9} {'calls/s':>9} {'records':>9} {'lost':>8} "
          f"{'lost %':>7} {'reader us/record':>17} {'in kernel':>9} "
          f"{'reads/1000':>10} {'KiB/read':>8} {'writes/1000':>11}")
    for buffer, fmt, rate, calls, lost, user, system, syscr, rchar, syscw, _ in floods:
        calls, lost, ticks = int(calls), int(lost), int(user) + int(system)
        records = 2 * calls
        lost_pct = 100.0 * lost / (records + lost) if records + lost else 0.0
        per_record = ticks * TICK_S * 1e6 / records if records else None
        kernel_pct = 100.0 * int(system) / ticks if ticks else None
        reads = 1000.0 * int(syscr) / records if records else None
        writes = 1000.0 * int(syscw) / records if records else None
        kib_read = int(rchar) / 1024 / int(syscr) if int(syscr) else None
        rows.append({"buffer": buffer, "output": fmt, "calls_per_s": float(rate),
                     "records_read": records, "records_lost": lost,
                     "lost_percent": round(lost_pct, 2),
                     "reader_cpu_us_per_record": None if per_record is None
                     else round(per_record, 2),
                     "reader_kernel_percent": None if kernel_pct is None
                     else round(kernel_pct, 1),
                     "reads_per_1000_records": None if reads is None else round(reads, 1),
                     "kib_per_read": None if kib_read is None else round(kib_read, 2),
                     "writes_per_1000_records": None if writes is None
                     else round(writes, 1)})
        print(f"{buffer:8} {fmt:9} {float(rate):9.0f} {records:9} {lost:8} "
              f"{lost_pct:7.2f} {show(per_record, '.2f'):>17} "
              f"{show(kernel_pct, '.0f') + ('%' if kernel_pct is not None else ''):>9} "
              f"{show(reads, '.1f'):>10} {show(kib_read, '.2f'):>8} {show(writes, '.1f'):>11}")
    return rows


def lossfree_table(lossfree):
    """The highest paced rate at which the default buffer lost nothing."""
    rows = []
    print()
    for fmt, target, achieved in lossfree:
        rows.append({"output": fmt, "target_calls_per_s": int(target),
                     "achieved_calls_per_s": float(achieved)})
        print(f"no record lost with the default buffer, {fmt} output: up to "
              f"{float(achieved):.0f} calls/s (2 threads, paced at {int(target)})")
    return rows


def pairs_table(rounds):
    """Median of the per-round ratios of a mode to the other of its pair."""
    rows = []
    for workload, modes in rounds.items():
        for mode, old in PAIRS:
            pairs = [n / o for n, o in zip(modes.get(mode, []), modes.get(old, [])) if o > 0]
            if not pairs:
                continue
            if not rows:
                print()
                print(f"{'workload':9} {'mode':15} {'against':15} {'ratio':>8} {'range':>13}")
            ratio = statistics.median(pairs)
            rows.append({"workload": workload, "mode": mode, "against": old,
                         "ratio": round(ratio, 3), "min": round(min(pairs), 3),
                         "max": round(max(pairs), 3), "rounds": len(pairs)})
            print(f"{workload:9} {mode:15} {old:15} {ratio:8.3f} "
                  f"{min(pairs):6.3f}..{max(pairs):<6.3f}")
    return rows


def main():
    log, kernel, guest, out = sys.argv[1:5]
    unit = "instr" if guest == "instructions" else "ns"
    # rounds[workload][mode] = [ns per round, in order]
    rounds = defaultdict(lambda: defaultdict(list))
    floods, lossfree, warnings = [], [], []
    with open(log, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "BENCH":
                rounds[parts[1]][parts[2]].append(float(parts[3]))
            elif parts and parts[0] == "BENCH-FLOOD":
                if len(parts) == 12:
                    floods.append(parts[1:])
                else:
                    warnings.append(f"throughput run without a result: {line.strip()}")
            elif len(parts) == 4 and parts[0] == "BENCH-LOSSFREE":
                lossfree.append(parts[1:])
            elif parts and parts[0] == "BENCH-WARN":
                warnings.append(" ".join(parts[1:]))
    results = {}
    print(f"guest \"{guest}\": {'instructions' if unit == 'instr' else 'nanoseconds'} per call")
    print(f"{'workload':9} {'mode':14} {'median ' + unit:>12} {'range ' + unit:>19} "
          f"{'x unloaded':>10}  goal")
    for workload, modes in rounds.items():
        base = modes.get("unloaded", [])
        results[workload] = {}
        for mode in MODES:
            vals = modes.get(mode)
            if not vals:
                continue
            ratios = [v / b for v, b in zip(vals, base) if b > 0]
            ratio = statistics.median(ratios) if ratios else None
            goal = GOALS.get((workload, mode))
            met = None if goal is None or ratio is None else ratio <= goal
            results[workload][mode] = {
                "median": round(statistics.median(vals), 1),
                "min": min(vals), "max": max(vals), "rounds": len(vals),
                "ratio_to_unloaded": None if ratio is None else round(ratio, 3),
                "goal_ratio": goal, "goal_met": met}
            goal_text = "" if goal is None else \
                f"<= {goal:.2f} {'met' if met else 'NOT met'}"
            print(f"{workload:9} {mode:14} {statistics.median(vals):12.0f} "
                  f"{min(vals):9.0f}..{max(vals):<9.0f} "
                  f"{'' if ratio is None else f'{ratio:.3f}':>10}  {goal_text}")
    against = pairs_table(rounds)
    flood_results = flood_table([f for f in floods if not f[0].startswith("paced:")])
    lossfree_results = lossfree_table(lossfree)
    report = {"date": time.strftime("%Y-%m-%d", time.gmtime()), "kernel": kernel,
              "machine": f"{platform.node()} ({os.cpu_count()} CPUs), guest: QEMU TCG, 2 vCPUs",
              "guest": guest,
              "unit": "instructions per call" if unit == "instr" else "ns per call",
              "note": "absolute times under TCG are not those of real hardware; "
                      "ratios are measured side by side in one guest",
              "results": results, "pairs": against, "throughput": flood_results,
              "lossfree": lossfree_results,
              "paced_runs": [dict(zip(["label", "output", "calls_per_s", "calls_read",
                                       "records_lost", "reader_user_ticks",
                                       "reader_system_ticks"], f))
                             for f in floods if f[0].startswith("paced:")],
              "warnings": warnings}
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"written to {out}")
    for w in warnings:
        print(f"bench: {w}", file=sys.stderr)
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
