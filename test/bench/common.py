"""Benchmark plumbing: each measured case runs in its own process, so its wall time and
peak memory (ru_maxrss from wait4) belong to that case alone.

A bench module defines ``CASES = {name: function(size, workdir) -> None}`` and
``main(sizes, workdir)``; ``measure()`` runs one case in a child process.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def measure(module_path, case, size, workdir, extra=None):
    """Run ``case`` of the bench module in a child; returns {'seconds', 'peak_mb', ...}."""
    cmd = [sys.executable, os.path.join(os.path.dirname(__file__), "child.py"), module_path, case, str(size), workdir,
           json.dumps(extra or {})]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=ROOT)
    started = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.time() - started
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("bench case {} failed:\n{}\n{}".format(case, out[-3000:], err[-3000:]))
    result = {"peak_mb": usage.ru_maxrss / 1024.0, "process_seconds": wall}
    for line in out.splitlines():
        if line.startswith("BENCH "):
            result.update(json.loads(line[6:]))
    return result


def report(title, rows):
    """Print a side-by-side table: rows = [(label, landeval_result, native_result, target_note)]."""
    print("\n" + title)
    print("{:<28} {:>10} {:>10} {:>10} {:>10} {:>8}  {}".format("case", "LandEval s", "native s", "LE MB",
                                                                "native MB", "ratio", "target"))
    for label, le, nat, target in rows:
        ratio = nat["seconds"] / le["seconds"] if nat and le["seconds"] > 0 else float("nan")
        print("{:<28} {:>10.2f} {:>10} {:>10.0f} {:>10} {:>8}  {}".format(
            label, le["seconds"], "{:.2f}".format(nat["seconds"]) if nat else "-", le["peak_mb"],
            "{:.0f}".format(nat["peak_mb"]) if nat else "-", "{:.1f}x".format(ratio) if nat else "-", target))
    sys.stdout.flush()
