"""Growth: every step at 10k, 100k and 300k parcels (sheets: 100 and 1,000), with fitted exponents.

Each step runs the LandEval case of its own bench module (bench_sample, bench_basemap, bench_data,
bench_grade, bench_clusters, bench_dossiers) at growing sizes, each in a fresh child process, and
prints wall seconds, CPU seconds and peak memory per size, then the log-log slope of each against
the size: 1.0 is a straight line, above 1.15 is flagged (issue 17). Inputs are prepared outside
the timed case and cached in the bench work folder.

Sizes: LANDEVAL_BENCH_GROWTH (parcels, default 10000,100000,300000; --quick: 1000,3000,10000) and
LANDEVAL_BENCH_SHEETS (default 100,1000; 10,000 sheets take about ten minutes per output on a
quiet 2-core machine, so they are opt-in: ``make bench BENCH_ARGS="--only growth --sheets
1000,10000"``). The disposal step has no bench of its own yet and is not listed.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import common  # noqa: E402

PARCELS = (10000, 100000, 300000)
QUICK_PARCELS = (1000, 3000, 10000)
SHEETS = (100, 1000)
QUICK_SHEETS = (20, 60)

# (label, bench module, cases run once before the timed one, timed case, size from parcels)
STEPS = (
    ("sample district", "bench_sample", (), "generate", lambda n: n),
    ("base map (3 sources)", "bench_basemap", ("prepare",), "landeval", lambda n: n),
    ("data join (2 enterprises, 6 rows/parcel)", "bench_data", ("prepare",), "landeval", lambda n: 2 * n),
    ("grading (huangyan)", "bench_grade", ("prepare",), "landeval", lambda n: n),
    ("clusters (gap 0 m)", "bench_clusters", ("generate",), "landeval_gap0", lambda n: n),
)
SHEET_STEPS = (("sheets, combined PDF", "landeval_combined"), ("sheets, PDF per parcel", "landeval_folder"))


def _sizes(variable, default):
    text = os.environ.get(variable, "")
    return tuple(int(v) for v in text.replace(" ", "").split(",") if v) or default


CASES = {}


def main(path, workdir, quick=False):
    parcels = _sizes("LANDEVAL_BENCH_GROWTH", QUICK_PARCELS if quick else PARCELS)
    sheets = _sizes("LANDEVAL_BENCH_SHEETS", QUICK_SHEETS if quick else SHEETS)
    only = os.environ.get("LANDEVAL_BENCH_STEPS", "")
    rows = []
    for label, module, before, case, size_of in STEPS:
        if only and not any(word in label for word in only.split(",")):
            continue
        module_path = os.path.join(HERE, module + ".py")
        folder = os.path.join(os.path.dirname(workdir), module)
        os.makedirs(folder, exist_ok=True)
        results = []
        for n in parcels:
            for prep in before:
                common.measure(module_path, prep, size_of(n), folder)
            results.append(common.measure(module_path, case, size_of(n), folder))
            print("  {:<30} {:>9,} parcels: {:7.2f} s, {:7.2f} CPU s, {:6.0f} MB".format(
                label, n, results[-1]["seconds"], results[-1]["case_cpu"], results[-1]["peak_mb"]))
            sys.stdout.flush()
        rows.append((label, parcels, results))
    if rows:
        common.growth_report("Growth with the number of parcels (exponent = log-log slope)", "parcels", rows)
    rows = []
    if not only or "sheets" in only:
        module_path = os.path.join(HERE, "bench_dossiers.py")
        folder = os.path.join(os.path.dirname(workdir), "bench_dossiers")
        for label, case in SHEET_STEPS:
            results = [common.measure(module_path, case, n, folder) for n in sheets]
            for n, r in zip(sheets, results):
                print("  {:<30} {:>9,} sheets: {:6.1f} sheets/s ({:6.1f} by CPU time of the printing), "
                      "{:6.0f} MB".format(label, n, n / r["seconds"], n / r["print_cpu"], r["peak_mb"]))
            rows.append((label, sheets, [dict(r, case_cpu=r["print_cpu"]) for r in results]))
        common.growth_report("Growth with the number of sheets", "sheets", rows)
