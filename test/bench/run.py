#!/usr/bin/env python3
"""`make bench`: every test/bench/bench_*.py in turn, LandEval beside the QGIS-native way.

BENCH_ARGS: ``--only NAME`` (substring of the module name), ``--quick`` (smaller sizes).
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
    args = parser.parse_args()
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
