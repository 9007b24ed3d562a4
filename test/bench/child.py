"""Runs one benchmark case in this process and prints ``BENCH {"seconds": ...}``."""
import importlib.util
import json
import sys
import time


def main():
    module_path, case, workdir = sys.argv[1], sys.argv[2], sys.argv[4]
    size, extra = int(sys.argv[3]), json.loads(sys.argv[5])
    from landeval_plugin.core import qgis_app

    qgis_app.start()
    spec = importlib.util.spec_from_file_location("bench_module", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    func = module.CASES[case]
    started, cpu = time.perf_counter(), time.process_time()
    info = func(size, workdir, **extra) or {}
    info["seconds"] = info.get("seconds", time.perf_counter() - started)
    info.setdefault("case_cpu", time.process_time() - cpu)  # CPU seconds of the case, without start-up
    print("BENCH " + json.dumps(info))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
