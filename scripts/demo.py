#!/usr/bin/env python3
"""`make demo`: run the whole LandEval pipeline headless on the generated sample district.

Steps live in scripts/demo/NN_name.py, each with ``run()``; they run in file-name order
through qgis_process and write under out/. Each capability adds its own step file.
"""
import glob
import importlib.util
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import demo_lib  # noqa: E402


def main():
    os.makedirs(demo_lib.OUT, exist_ok=True)
    demo_lib.enable_plugin()
    steps = sorted(glob.glob(os.path.join(HERE, "demo", "[0-9][0-9]_*.py")))
    if not steps:
        raise SystemExit("demo: no steps in scripts/demo/")
    started = time.time()
    for path in steps:
        name = os.path.basename(path)[:-3]
        print("== {}".format(name))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.run()
    print("\nDemo finished in {:.0f} s. Files written under {}:".format(time.time() - started, demo_lib.OUT))
    for root, _, files in sorted(os.walk(demo_lib.OUT)):
        for f in sorted(files):
            p = os.path.join(root, f)
            print("  {:>10,d}  {}".format(os.path.getsize(p), os.path.relpath(p, demo_lib.ROOT)))


if __name__ == "__main__":
    main()
