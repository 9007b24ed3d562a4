"""Start-up: what the plugin adds to `qgis_process.bin list`, and its own import + provider cost.

* ``qgis_process.bin list`` in a private profile with the plugin enabled (QGIS_PLUGINPATH=build/)
  beside a private profile without it, alternating, wall and CPU seconds (user + system of the
  process) — median and minimum;
* in one Python process (QGIS and Processing started first): importing the plugin, its
  classFactory and initProcessing (the provider loading its algorithms), CPU seconds, with and
  without compiled bytecode (a fresh install, or PYTHONDONTWRITEBYTECODE, compiles every module).
Target (issue 17): the plugin adds ≤ 0.3 s.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import common  # noqa: E402

RUNS = 6
QUICK_RUNS = 2
PROBE = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
sys.path.append("/usr/share/qgis/python/plugins")
from processing.core.Processing import Processing
Processing.initialize()
before = set(sys.modules)
started = time.process_time()
import landeval_plugin
landeval_plugin.classFactory(None).initProcessing()
cpu = time.process_time() - started
mods = [m for m in set(sys.modules) - before if m.startswith("landeval_plugin")]
print("PROBE", cpu, len(mods), len([m for m in mods if m.startswith("landeval_plugin.core")]))
"""


def _qgis_process():
    return os.environ.get("QGIS_PROCESS") or shutil.which("qgis_process.bin") or "qgis_process"


def _run(cmd, env):
    """(wall s, CPU s, stdout) of ``cmd``."""
    import time

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode("utf-8", "replace")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, out


def main(path, workdir, quick=False):
    runs = QUICK_RUNS if quick else RUNS
    build = os.path.join(common.ROOT, "build")
    os.makedirs(workdir, exist_ok=True)
    base = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    base.pop("QGIS_PLUGINPATH", None)
    with_profile = tempfile.mkdtemp(prefix="profile-with-", dir=workdir)
    without_profile = tempfile.mkdtemp(prefix="profile-without-", dir=workdir)
    with_env = dict(base, QGIS_CUSTOM_CONFIG_PATH=with_profile, QGIS_PLUGINPATH=build)
    without_env = dict(base, QGIS_CUSTOM_CONFIG_PATH=without_profile)
    _run([_qgis_process(), "plugins", "enable", "landeval_plugin"], with_env)
    listed = _run([_qgis_process(), "list"], with_env)[2]
    print("  landeval algorithms listed with the plugin: {}".format(listed.count("landeval:")))
    results = {"with": [], "without": []}
    for _ in range(runs):
        results["with"].append(_run([_qgis_process(), "list"], with_env))
        results["without"].append(_run([_qgis_process(), "list"], without_env))
    for key in ("with", "without"):
        walls = [r[0] for r in results[key]]
        cpus = [r[1] for r in results[key]]
        print("  qgis_process.bin list, {:<7} the plugin: wall median {:5.2f} s (min {:5.2f}), CPU median {:5.2f} s "
              "(min {:5.2f}), {} runs".format(key, statistics.median(walls), min(walls), statistics.median(cpus),
                                             min(cpus), runs))
    added = statistics.median([r[1] for r in results["with"]]) - statistics.median([r[1] for r in results["without"]])
    print("  the plugin adds {:+.2f} CPU s to qgis_process.bin list (median; target ≤ 0.3 s)".format(added))
    # in process: import + provider, without and with compiled bytecode (in a copy of build/)
    copy = os.path.join(workdir, "plugin_copy")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(os.path.join(build, "landeval_plugin"), os.path.join(copy, "landeval_plugin"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    no_pyc = dict(base, PYTHONDONTWRITEBYTECODE="1")
    with_pyc = dict(base)
    with_pyc.pop("PYTHONDONTWRITEBYTECODE", None)
    for label, env in (("no .pyc (compiles)", no_pyc), ("with .pyc", with_pyc)):
        if env is with_pyc:  # the copy has no bytecode until now: this run writes it
            _run([sys.executable, "-c", PROBE, copy], with_pyc)
        probes = []
        for _ in range(max(3, runs // 2)):
            out = _run([sys.executable, "-c", PROBE, copy], env)[2]
            line = [text for text in out.splitlines() if text.startswith("PROBE ")]
            if line:
                probes.append(line[-1].split()[1:])
        if probes:
            cpu = statistics.median(float(p[0]) for p in probes)
            print("  in process, {:<18}: import + initProcessing {:.3f} CPU s (median of {}), {} plugin modules "
                  "loaded ({} of them core)".format(label, cpu, len(probes), probes[0][1], probes[0][2]))
    sys.stdout.flush()


CASES = {}
