"""Helpers of test_text_sql.py and test_dossier_failures.py: qgis_process in a private Chinese
profile, sha256 of inputs, hostile parcel layers built in code, cell types of a workbook."""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("LANDEVAL_BUILD") or os.path.join(ROOT, "build")
sys.path.insert(0, os.path.dirname(HERE))  # test/: dossier_fixture, grade_fixtures

# parcel codes and owners as an attacker or a careless export would write them
HOSTILE_CODES = {0: '=HYPERLINK("http://evil.example","点我")', 1: "&P&[Page]&A", 2: "+1+2", 3: "@SUM(A1)",
                 4: "-3+cmd", 5: "=SUM(1,2)"}
HOSTILE_OWNERS = {0: "=cmd|' /C calc'!A0", 1: "浙江\x07坏\x1b字符有限公司", 2: "@owner", 3: "+86 571 1234",
                  4: "正常\x7f公司", 5: "=1+1"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def profile(tmp_path):
    """A private QGIS profile with the plugin enabled and the interface in Chinese."""
    folder = os.path.join(str(tmp_path), "qgis-profile")
    ini = os.path.join(folder, "profiles", "default", "QGIS", "QGIS3.ini")
    os.makedirs(os.path.dirname(ini), exist_ok=True)
    with open(ini, "w", encoding="utf-8") as fh:
        fh.write("[PythonPlugins]\nlandeval_plugin=true\n\n[locale]\nuserLocale=zh-Hans\noverrideFlag=true\n\n"
                 "[qgis]\ncheckVersion=false\n")
    return folder


def process_env(tmp_path, **extra):
    env = dict(os.environ)
    env.pop("QGIS_OPTIONS_PATH", None)
    env.update({"QT_QPA_PLATFORM": "offscreen", "QGIS_PLUGINPATH": BUILD,
                "QGIS_CUSTOM_CONFIG_PATH": profile(tmp_path), "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run_args(alg, params):
    return ["qgis_process.bin", "run", alg, "--"] + ["{}={}".format(k, v) for k, v in params.items()]


def qgis_process(tmp_path, alg, params, timeout=900, **popen):
    """Run ``landeval:<alg>`` through qgis_process; (exit status, stdout + stderr)."""
    env = popen.pop("env", None) or process_env(tmp_path)
    proc = subprocess.run(run_args(alg, params), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout, **popen)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def hostile_district(folder, n=6, owners=None, codes=None):
    """GeoPackage of ``n`` graded parcels whose first codes and owners are hostile; returns its URI."""
    from dossier_fixture import make_district, write_gpkg

    parcels, _, _ = make_district(n, codes=dict(HOSTILE_CODES if codes is None else codes))
    owners = HOSTILE_OWNERS if owners is None else owners
    idx = parcels.fields().indexOf("owner")
    changes = {}
    for k, f in enumerate(parcels.getFeatures()):
        if k in owners:
            changes[f.id()] = {idx: owners[k]}
    parcels.dataProvider().changeAttributeValues(changes)
    os.makedirs(str(folder), exist_ok=True)
    return write_gpkg(parcels, os.path.join(str(folder), "parcels.gpkg"), "parcels")


def all_cells(path):
    """[(sheet, coordinate, data_type, value)] of every non-empty cell (data_only=False)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=False)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((ws.title, c.coordinate, c.data_type, c.value))
    return out


def leftovers(folder):
    """Staging names a run may leave: .landeval-* folders and files, landeval-* temp folders."""
    found = []
    for root, dirs, files in os.walk(str(folder)):
        found += [os.path.join(root, n) for n in dirs + files
                  if n.startswith((".landeval", "landeval-")) or n.endswith((".part", "-journal"))]
    return found
