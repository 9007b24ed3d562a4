#!/usr/bin/env python3
"""`make bench`: every test/bench/bench_*.py in turn, LandEval beside the QGIS-native way.

BENCH_ARGS: ``--only NAME`` (substring of the module name), ``--quick`` (smaller sizes),
``--growth 10000,100000,300000`` and ``--sheets 100,1000`` (sizes of bench_growth),
``--steps grading,clusters`` (bench_growth: only the steps whose label holds one of the words),
``--pg-sizes 100000,1000000`` and ``--gpkg-max N`` (bench_postgis: PostGIS beside GeoPackage).
Timings are printed, never asserted.
"""
import argparse
import glob
import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benches run")
    parser.add_argument("--growth", default="", help="bench_growth: parcel counts, e.g. 10000,100000,300000")
    parser.add_argument("--sheets", default="", help="bench_growth: sheet counts, e.g. 1000,10000")
    parser.add_argument("--steps", default="", help="bench_growth: only these steps (words of their labels)")
    parser.add_argument("--pg-sizes", default="", help="bench_postgis: parcel counts, e.g. 100000,1000000")
    parser.add_argument("--gpkg-max", default="", help="bench_postgis: largest count for the GeoPackage path")
    args = parser.parse_args()
    for name, value in (("LANDEVAL_BENCH_GROWTH", args.growth), ("LANDEVAL_BENCH_SHEETS", args.sheets),
                        ("LANDEVAL_BENCH_STEPS", args.steps), ("LANDEVAL_BENCH_PG_SIZES", args.pg_sizes),
                        ("LANDEVAL_BENCH_GPKG_MAX", args.gpkg_max)):
        if value:
            os.environ[name] = value
    workdir = os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="landeval-bench-")
    for path in sorted(glob.glob(os.path.join(HERE, "bench_*.py"))):
        name = os.path.basename(path)[:-3]
        if args.only and args.only not in name:
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("=" * 100 + "\n" + name + ": " + (module.__doc__ or "").strip().splitlines()[0])
        module.main(path, os.path.join(workdir, name), quick=args.quick)
    print("\nbench work files in", workdir)


if __name__ == "__main__":
    main()
