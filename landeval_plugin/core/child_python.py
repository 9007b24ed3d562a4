"""A Python interpreter that can run QGIS headless, and the environment for it: the child
processes of the background print (tasks/dossier_job.py) and the printer's workers
(core/dossiers/pool.py)."""
import os
import shutil
import sys


def python_candidates():
    """Interpreters that can run QGIS's Python, best first.

    QGIS desktop's sys.executable is not always Python: on Windows it is qgis-bin.exe, and on
    Linux an embedded interpreter reports whatever ``python3`` is first on PATH (a pyenv shim,
    for one, which cannot import qgis). So the interpreter of the running installation
    (sys.exec_prefix) comes first, then sys.executable, then PATH. LANDEVAL_PYTHON overrides.
    """
    exe = sys.executable or ""
    own = exe if os.path.basename(exe).lower().startswith("python") else ""
    prefixes = []
    for prefix in (sys.prefix, sys.exec_prefix, getattr(sys, "base_exec_prefix", "")):
        if prefix and prefix not in prefixes:
            prefixes.append(prefix)
    if os.name == "nt":
        names = ["python.exe", "python3.exe"]
    else:
        names = ["python{}.{}".format(*sys.version_info[:2]), "python3", "python"]
    found = [os.environ.get("LANDEVAL_PYTHON", "")]

    def inside(path, folder):
        return os.path.normcase(os.path.abspath(path)).startswith(os.path.normcase(os.path.abspath(folder)) + os.sep)

    if own and any(inside(own, p) for p in prefixes):
        found.append(own)  # a venv or a normal Python: the very interpreter running this code
    for prefix in prefixes:
        for sub in ("", "bin", "Scripts"):
            found += [os.path.join(prefix, sub, name) for name in names]
    found.append(own)
    found += [shutil.which(name) or "" for name in names]
    result = []
    for path in found:
        if path and os.path.isfile(path) and os.access(path, os.X_OK) and path not in result:
            result.append(path)
    return result


def find_python():
    """The interpreter for the child, or None."""
    candidates = python_candidates()
    return candidates[0] if candidates else None


def package():
    """(top package name, folder holding it): the plugin as installed (build/, profile, source)."""
    top = __name__.split(".")[0]
    return top, os.path.dirname(os.path.dirname(os.path.abspath(sys.modules[top].__file__)))


def child_python_path():
    """PYTHONPATH for the child: the plugin, qgis.core, Processing and the plugin's own deps."""
    import importlib.util

    entries = [package()[1]]
    for name, levels in (("qgis", 2), ("processing", 2), ("yaml", 2), ("openpyxl", 2)):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            path = spec.origin
            for _ in range(levels):
                path = os.path.dirname(path)
            entries.append(path)
    entries += [p for p in sys.path if p and "qgis" in p.lower()]
    entries += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    result = []
    for path in entries:
        if os.path.isdir(path) and path not in result:
            result.append(path)
    return os.pathsep.join(result)


def child_environment(tmpdir):
    """Variables added to the parent's environment for the child."""
    from qgis.core import QgsApplication

    env = {
        "PYTHONPATH": child_python_path(),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # the child's own temporary files (sheet tables, overview) land in our folder, so a
        # killed child leaves nothing behind in the system's temp
        "TMPDIR": tmpdir, "TEMP": tmpdir, "TMP": tmpdir,
    }
    prefix = QgsApplication.prefixPath()
    if prefix and not os.environ.get("QGIS_PREFIX_PATH"):
        env["QGIS_PREFIX_PATH"] = prefix
    return env
