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


def shared_data(name):
    """``name`` in ../shared/data beside the checkout (or beside the main checkout, from a worktree)."""
    folders = [os.environ.get("LANDEVAL_SHARED_DATA", ""), os.path.join(ROOT, "..", "shared", "data"),
               os.path.join(ROOT, "..", "..", "shared", "data")]
    for folder in folders:
        if folder and os.path.exists(os.path.join(folder, name)):
            return os.path.abspath(os.path.join(folder, name))
    return os.path.join(folders[1], name)


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
    # CPU seconds of the child (user + system): on a shared machine the wall time also counts the waits
    result = {"peak_mb": usage.ru_maxrss / 1024.0, "process_seconds": wall,
              "cpu_seconds": usage.ru_utime + usage.ru_stime}
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


def exponent(sizes, values):
    """Least-squares slope of log(value) against log(size): 1.0 grows in a straight line, 2.0
    with the square. None with fewer than two positive points."""
    import math

    points = [(math.log(n), math.log(v)) for n, v in zip(sizes, values) if n > 0 and v and v > 0]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx > 0 else None


GROWTH_LIMIT = 1.15


def growth_report(title, unit, rows):
    """rows: [(step, sizes, [result dict per size])]: seconds, CPU seconds and peak memory per size,
    then the fitted exponents (log-log slope); an exponent above GROWTH_LIMIT is flagged."""
    print("\n" + title)
    for step, sizes, results in rows:
        cpu = [r.get("case_cpu", r.get("cpu_seconds")) for r in results]
        cells = "  ".join("{:>9,} {}: {:7.2f} s {:7.2f} cpu {:6.0f} MB".format(
            n, unit, r["seconds"], c if c is not None else float("nan"), r["peak_mb"])
            for n, r, c in zip(sizes, results, cpu))
        k_wall = exponent(sizes, [r["seconds"] for r in results])
        k_cpu = exponent(sizes, cpu)
        k_mem = exponent(sizes, [r["peak_mb"] for r in results])

        def fmt(k):
            return "-" if k is None else "{:.2f}{}".format(k, " FLAG" if k > GROWTH_LIMIT else "")

        print("  {:<30} {}".format(step, cells))
        print("  {:<30} exponent: time {}, cpu {}, peak memory {} (flag above {})".format(
            "", fmt(k_wall), fmt(k_cpu), fmt(k_mem), GROWTH_LIMIT))
    sys.stdout.flush()
