"""What demo steps share: the out/ folder and a qgis_process runner (QGIS 3.22 syntax)."""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "out")
BUILD = os.path.join(ROOT, "build")


def qgis_process_exe():
    return os.environ.get("QGIS_PROCESS") or "qgis_process.bin"


def env():
    e = dict(os.environ)
    e.setdefault("QT_QPA_PLATFORM", "offscreen")
    e["QGIS_PLUGINPATH"] = BUILD
    return e


def enable_plugin():
    """Enable landeval_plugin for qgis_process; 3.22 exits 1 when it is already enabled."""
    proc = subprocess.run([qgis_process_exe(), "plugins", "enable", "landeval_plugin"], env=env(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0 and "already enabled" not in proc.stdout:
        sys.stderr.write(proc.stdout[-3000:] + "\n")
        raise SystemExit("demo: cannot enable landeval_plugin in qgis_process (QGIS_PLUGINPATH={})".format(BUILD))


def qgis_process(alg_id, **params):
    """Run one algorithm headless; values may be str/number/bool or a list (repeated param).

    Returns the algorithm's results dict. Exits the demo with the tool's output on failure.
    """
    args = [qgis_process_exe(), "--json", "run", alg_id, "--"]
    for key, value in params.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, bool):
                v = "true" if v else "false"
            args.append("{}={}".format(key, v))
    started = time.time()
    proc = subprocess.run(args, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + "\n" + proc.stderr[-4000:] + "\n")
        raise SystemExit("demo: {} failed (exit {})".format(alg_id, proc.returncode))
    text = proc.stdout
    payload = json.loads(text[text.index("{"):])
    print("  {} done in {:.1f} s".format(alg_id, time.time() - started))
    return payload.get("results", {})


def out(*parts):
    path = os.path.join(OUT, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path
