"""Issue 11, points 1 and 2: inputs are never written, writes are checked.

Every LandEval algorithm that writes files refuses an output that resolves to one of its
inputs (also through a symbolic link), writes a layer into an existing GeoPackage without
touching the file's other layers, replaces an existing workbook/PDF only with OVERWRITE, and
ends with an error (never exit 0 with an empty or truncated file) when the disk is full.

Fixtures are made in code. A few cases go through ``qgis_process.bin`` with a private
profile (exit status as a user sees it); the rest run in process. A full disk is a 200 kB
tmpfs when running as root, and RLIMIT_FSIZE in a child process otherwise.
"""
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_DIR = os.path.dirname(HERE)
ROOT = os.path.dirname(TEST_DIR)
for _p in (TEST_DIR, ROOT):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from grade_fixtures import random_rows, write_layer  # noqa: E402
from test_data_fixtures import code, workbook  # noqa: E402

HEAD = ["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)", "工业总产值(万元)", "营业收入(万元)",
        "工业增加值(万元)", "综合能耗(吨标准煤)", "研发经费(万元)", "年末从业人数(人)"]
N_PARCELS = 40


# ------------------------------------------------------------------------------------ fixtures
def add_layer(path, layer, name):
    """Add ``layer`` to the GeoPackage ``path`` as ``name``, keeping its other layers."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = name
    opts.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(path)
                                 else QgsVectorFileWriter.CreateOrOverwriteFile)
    err = QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, QgsCoordinateTransformContext(), opts)
    assert err[0] == QgsVectorFileWriter.NoError, err
    return "{}|layername={}".format(path, name)


def gpkg_layers(path):
    """{layer name: feature count} of a GeoPackage, read with sqlite (counts the rows); QGIS's style
    table (layer_styles: each output's default style with its Chinese field aliases) is not a layer."""
    import sqlite3

    con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE table_name != 'layer_styles' "
                                           "ORDER BY table_name")]
        return {n: con.execute('SELECT count(*) FROM "{}"'.format(n.replace('"', '""'))).fetchone()[0] for n in names}
    finally:
        con.close()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digests(paths):
    return {p: sha256(p) for p in paths}


def make_district(folder):
    """district.gpkg (layers parcels, graded, enterprises, clusters, roads), e.xlsx, link.xlsx."""
    from dossier_fixture import make_district as graded_district
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    os.makedirs(folder, exist_ok=True)
    gpkg = os.path.join(folder, "district.gpkg")
    rows = random_rows(N_PARCELS, seed=11)
    write_layer(gpkg, rows, layer="parcels")
    graded, ents, clusters = graded_district(n=16, seed=3)
    add_layer(gpkg, graded, "graded")
    add_layer(gpkg, ents, "enterprises")
    add_layer(gpkg, clusters, "clusters")
    roads = QgsVectorLayer("LineString?crs=EPSG:4549&field=name:string", "roads", "memory")
    f = QgsFeature(roads.fields())
    f.setGeometry(QgsGeometry.fromWkt("LINESTRING(500000 3400000, 503000 3400000)"))
    f.setAttributes(["纬一路"])
    roads.dataProvider().addFeatures([f])
    add_layer(gpkg, roads, "roads")
    table = [HEAD] + [[code(i + 1), "企业{}".format(i), r["parcel_code"], 2023, round(r["tax_10k"], 2), 1000, 2000,
                       300, 50, 10, 20] for i, r in enumerate(rows[:20])]
    xlsx = workbook(os.path.join(folder, "e.xlsx"), table)
    link = workbook(os.path.join(folder, "link.xlsx"),
                    [["统一社会信用代码", "宗地代码", "面积占比"], [code(1), rows[0]["parcel_code"], 1.0]])
    return {"gpkg": gpkg, "parcels": gpkg + "|layername=parcels", "graded": gpkg + "|layername=graded",
            "enterprises": gpkg + "|layername=enterprises", "clusters": gpkg + "|layername=clusters",
            "table": xlsx, "link": link, "folder": folder}


BUILD = os.environ.get("LANDEVAL_BUILD") or os.path.join(ROOT, "build")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def template(tmp_path_factory, qgis_app):
    return make_district(str(tmp_path_factory.mktemp("outputs_template") / "district"))


@pytest.fixture
def district(template, tmp_path):
    """A fresh copy of the district (inputs may not be shared between tests that try to harm them)."""
    folder = str(tmp_path / "district")
    shutil.copytree(template["folder"], folder)
    return {k: (v.replace(template["folder"], folder) if isinstance(v, str) else v) for k, v in template.items()}


@pytest.fixture
def zh():
    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans"), "build/ holds no landeval_zh_CN.qm (make build)"
    yield
    remove_translator()


def input_files(district):
    return [district["gpkg"], district["table"], district["link"]]


def raises_processing(run_alg, alg, params):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(alg, params)
    return str(err.value)


def staged_leftovers(folder):
    """Temporary files of a run (with their SQLite side files) and .part files left behind."""
    return sorted(n for n in os.listdir(folder) if n.startswith(("~landeval-", ".landeval-")) or ".part" in n)


# ---------------------------------------------------------------------- 1. inputs are never written
def refused_cases(d):
    """(case id, algorithm, parameters, output path named in the message, input path named)."""
    gpkg = d["gpkg"]
    link = os.path.join(d["folder"], "link_to_district.gpkg")
    if not os.path.lexists(link):
        os.symlink(gpkg, link)
    out = os.path.join(d["folder"], "out")
    boundary = os.path.join(d["folder"], "boundary.gpkg")
    if not os.path.exists(boundary):
        shutil.copy(gpkg, boundary)
    return [
        ("join-output-is-input", "joinenterprises",
         dict(INPUT=d["parcels"], TABLE=d["table"], YEAR=2023, OUTPUT=gpkg, REPORT=out + "_r.xlsx"),
         gpkg, d["parcels"]),
        ("join-report-is-table", "joinenterprises",
         dict(INPUT=d["parcels"], TABLE=d["table"], YEAR=2023, OUTPUT=out + ".gpkg", REPORT=d["table"]),
         d["table"], d["table"]),
        ("join-enterprises-into-input", "joinenterprises",
         dict(INPUT=d["parcels"], TABLE=d["table"], LINK=d["link"], YEAR=2023, OUTPUT=out + ".gpkg",
              OUTPUT_ENTERPRISES="ogr:dbname='{}' table=\"parcels\" (geom)".format(gpkg), REPORT=out + "_r.xlsx"),
         gpkg, d["parcels"]),
        ("review-output-is-input", "review",
         dict(INPUT=d["graded"], CODES="x", GRADE=3, REASON="复核", OUTPUT=gpkg), gpkg, d["graded"]),
        ("grade-into-input-geopackage", "grade",
         dict(INPUT=d["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=gpkg), gpkg, d["parcels"]),
        ("grade-fast-path-through-symlink", "grade",
         dict(INPUT=link + "|layername=parcels", STANDARD="zhejiang_huangyan_2022", OUTPUT=gpkg), gpkg, link),
        ("grade-output-symlink-to-input", "grade",
         dict(INPUT=d["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=link), link, d["parcels"]),
        ("clusters-parcels-into-input", "clusters",
         dict(INPUT=d["graded"], OUTPUT=out + ".gpkg", OUTPUT_PARCELS=gpkg), gpkg, d["graded"]),
        ("disposal-into-boundary-file", "disposal",
         dict(INPUT=d["graded"], DEVELOPMENT_BOUNDARY=boundary + "|layername=clusters", OUTPUT=boundary),
         boundary, boundary + "|layername=clusters"),
        ("dossiers-workbook-is-input", "dossiers", dict(INPUT=d["graded"], XLSX=gpkg, OVERWRITE=True), gpkg,
         d["graded"]),
        ("exportforms-folder-is-input", "exportforms", dict(INPUT=d["parcels"], OUTPUT_FOLDER=gpkg),
         gpkg, d["parcels"]),
        ("basemap-output-is-source", "buildbaselayer",
         dict(SOURCES=[d["parcels"]], OUTPUT=gpkg, QA_OUTPUT=out + "_qa.gpkg"), gpkg, d["parcels"]),
    ]


CASE_IDS = ["join-output-is-input", "join-report-is-table", "join-enterprises-into-input", "review-output-is-input",
            "grade-into-input-geopackage", "grade-fast-path-through-symlink", "grade-output-symlink-to-input",
            "clusters-parcels-into-input", "disposal-into-boundary-file", "dossiers-workbook-is-input",
            "exportforms-folder-is-input", "basemap-output-is-source"]


@pytest.mark.parametrize("case", CASE_IDS)
def test_an_output_on_an_input_is_refused_before_any_work(case, district, run_alg, zh):
    cases = {c[0]: c for c in refused_cases(district)}
    _, alg, params, out_named, in_named = cases[case]
    before = digests(input_files(district))
    layers = gpkg_layers(district["gpkg"])
    listing = sorted(os.listdir(district["folder"]))
    message = raises_processing(run_alg, "landeval:" + alg, params)
    assert "会覆盖输入" in message and "从不写入输入数据" in message, message
    assert out_named in message, message
    if in_named:
        assert in_named in message, message
    assert os.path.realpath(out_named) in message  # the file they share, links followed
    assert digests(input_files(district)) == before
    assert gpkg_layers(district["gpkg"]) == layers == {"clusters": 1, "enterprises": layers["enterprises"],
                                                       "graded": 16, "parcels": N_PARCELS, "roads": 1}
    assert sorted(os.listdir(district["folder"])) == listing  # nothing written, not even a report or a temp file


def test_a_layer_into_an_existing_geopackage_keeps_its_other_layers(district, run_alg, tmp_path):
    """Plain path 'other.gpkg' into an existing GeoPackage: the layer named after the file is
    written (replaced on a re-run) and every other layer stays; the fast path does the same."""
    from qgis.core import QgsVectorLayer

    other = str(tmp_path / "other.gpkg")
    shutil.copy(district["gpkg"], other)  # a planner's GeoPackage with five layers,
    import sqlite3

    con = sqlite3.connect(other)
    assert con.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"  # as QGIS leaves a file it edited
    con.close()
    before = gpkg_layers(other)
    res = run_alg("landeval:joinenterprises", dict(INPUT=district["parcels"], TABLE=district["table"], YEAR=2023,
                                                   OUTPUT=other, REPORT=str(tmp_path / "r.xlsx")))
    assert res["OUTPUT"] == other + "|layername=other"
    assert gpkg_layers(other) == dict(before, other=N_PARCELS)
    layer = QgsVectorLayer(res["OUTPUT"], "o", "ogr")
    assert layer.isValid() and "tax_per_mu" in layer.fields().names()
    # the grading fast path (GeoPackage in, GeoPackage out) into the same file, twice: replaced, not appended
    for _ in range(2):
        res = run_alg("landeval:grade", dict(INPUT=district["parcels"], STANDARD="zhejiang_huangyan_2022",
                                             OUTPUT=other))
        assert res["OUTPUT"] == other + "|layername=other"
        assert gpkg_layers(other) == dict(before, other=N_PARCELS)
    graded = QgsVectorLayer(res["OUTPUT"], "g", "ogr")
    assert sum(1 for f in graded.getFeatures() if f["grade"] in ("A", "B", "C", "D")) == N_PARCELS
    # QGIS's own form for a named layer: ogr:dbname='...' table="name"
    res = run_alg("landeval:review", dict(INPUT=district["graded"], FILTER="true", GRADE=3, REASON="复核",
                                          OUTPUT="ogr:dbname='{}' table=\"研判\" (geom)".format(other)))
    assert res["OUTPUT"] == other + "|layername=研判" and res["REVIEWED"] == 16
    assert gpkg_layers(other) == dict(before, other=N_PARCELS, 研判=16)
    assert staged_leftovers(str(tmp_path)) == []


def test_a_new_layer_may_go_beside_the_input_layer_in_its_geopackage(district, run_alg):
    """The panel's LandEval GeoPackage holds the inputs of the next step: an output that names a
    new layer is added in place; the input layer and every other layer stay as they were."""
    import sqlite3

    def rows(table):
        con = sqlite3.connect("file:{}?mode=ro".format(district["gpkg"]), uri=True)
        try:
            return con.execute('SELECT * FROM "{}" ORDER BY fid'.format(table)).fetchall()
        finally:
            con.close()

    before = {t: rows(t) for t in gpkg_layers(district["gpkg"])}
    res = run_alg("landeval:grade", dict(INPUT=district["parcels"], STANDARD="zhejiang_huangyan_2022",
                                         OUTPUT="ogr:dbname='{}' table=\"grade_1\" (geom)".format(district["gpkg"])))
    assert res["OUTPUT"] == district["gpkg"] + "|layername=grade_1"
    res = run_alg("landeval:review", dict(INPUT=res["OUTPUT"], FILTER="true", GRADE=3, REASON="复核",
                                          OUTPUT="ogr:dbname='{}' table=\"review_1\" (geom)".format(district["gpkg"])))
    assert res["REVIEWED"] == N_PARCELS
    assert {t: rows(t) for t in before} == before
    assert gpkg_layers(district["gpkg"]) == dict({t: len(v) for t, v in before.items()}, grade_1=N_PARCELS,
                                                 review_1=N_PARCELS)
    assert staged_leftovers(district["folder"]) == [] and not [t for t in gpkg_layers(district["gpkg"])
                                                               if t.startswith("landeval_staging")]


def test_a_new_or_single_layer_geopackage_is_written_whole(district, run_alg, tmp_path):
    out = str(tmp_path / "graded.gpkg")
    for _ in range(2):  # a re-run replaces its own earlier output
        res = run_alg("landeval:grade", dict(INPUT=district["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=out))
        assert res["OUTPUT"] == out
        assert gpkg_layers(out) == {"graded": N_PARCELS}
    res = run_alg("landeval:review", dict(INPUT=district["graded"], FILTER="true", GRADE=3, REASON="复核",
                                          OUTPUT=str(tmp_path / "reviewed.shp")))
    assert res["REVIEWED"] == 16 and os.path.exists(str(tmp_path / "reviewed.dbf"))
    assert staged_leftovers(str(tmp_path)) == []


def test_existing_workbooks_are_replaced_only_with_overwrite(district, run_alg, tmp_path, zh):
    import openpyxl

    report = str(tmp_path / "report.xlsx")
    shutil.copy(district["link"], report)  # a workbook the plugin did not write
    kept = sha256(report)
    params = dict(INPUT=district["parcels"], TABLE=district["table"], YEAR=2023, OUTPUT=str(tmp_path / "o.gpkg"),
                  REPORT=report)
    message = raises_processing(run_alg, "landeval:joinenterprises", params)
    assert message.startswith(report + " 已存在") and "OVERWRITE=true（覆盖已存在的文件）" in message, message
    assert sha256(report) == kept and not os.path.exists(str(tmp_path / "o.gpkg"))
    run_alg("landeval:joinenterprises", dict(params, OVERWRITE=True))
    assert sha256(report) != kept and "汇总" in openpyxl.load_workbook(report, read_only=True).sheetnames
    # dossiers: the workbook and the per-parcel PDFs
    xlsx = str(tmp_path / "dossiers.xlsx")
    shutil.copy(district["link"], xlsx)
    kept = sha256(xlsx)
    message = raises_processing(run_alg, "landeval:dossiers", dict(INPUT=district["graded"], XLSX=xlsx))
    assert xlsx + " 已存在" in message and sha256(xlsx) == kept
    run_alg("landeval:dossiers", dict(INPUT=district["graded"], XLSX=xlsx, OVERWRITE=True))
    assert sha256(xlsx) != kept and len(openpyxl.load_workbook(xlsx, read_only=True).sheetnames) == 17
    # disposal: the year's plan workbook
    plan = str(tmp_path / "plan.xlsx")
    shutil.copy(district["link"], plan)
    kept = sha256(plan)
    params = dict(INPUT=district["graded"], DEVELOPMENT_BOUNDARY=district["clusters"],
                  INDUSTRIAL_LINE=district["clusters"], OUTPUT=str(tmp_path / "d.gpkg"), OUTPUT_PLAN=plan)
    message = raises_processing(run_alg, "landeval:disposal", params)
    assert plan + " 已存在" in message and sha256(plan) == kept and not os.path.exists(str(tmp_path / "d.gpkg"))
    run_alg("landeval:disposal", dict(params, OVERWRITE=True))
    assert sha256(plan) != kept and gpkg_layers(str(tmp_path / "d.gpkg")) == {"d": 16}
    # sample district: any of its four files
    folder = tmp_path / "sample"
    folder.mkdir()
    (folder / "企业地块关联.xlsx").write_bytes(b"planner's own table")
    message = raises_processing(run_alg, "landeval:sampledistrict", dict(OUTPUT_FOLDER=str(folder), PARCELS=50))
    assert str(folder / "企业地块关联.xlsx") + " 已存在" in message
    assert sorted(os.listdir(str(folder))) == ["企业地块关联.xlsx"]
    assert (folder / "企业地块关联.xlsx").read_bytes() == b"planner's own table"


def test_per_parcel_pdfs_are_not_replaced_without_overwrite(district, run_alg, tmp_path, zh):
    from landeval_plugin.core import fonts

    if fonts.resolve_cjk_family() is None:
        pytest.skip("no CJK font installed: the dossier step refuses to print before this check")
    import sqlite3

    con = sqlite3.connect(district["gpkg"])
    first = con.execute("SELECT parcel_code FROM graded ORDER BY fid LIMIT 1").fetchone()[0]
    con.close()
    folder = tmp_path / "pdf"
    folder.mkdir()
    (folder / (first + ".pdf")).write_bytes(b"%PDF-1.4 signed copy")
    message = raises_processing(run_alg, "landeval:dossiers", dict(
        INPUT=district["graded"], OUTPUT_FOLDER=str(folder), FILTER="\"parcel_code\" = '{}'".format(first)))
    assert str(folder / (first + ".pdf")) + " 已存在" in message
    assert (folder / (first + ".pdf")).read_bytes() == b"%PDF-1.4 signed copy"
    assert sorted(os.listdir(str(folder))) == [first + ".pdf"]


# ------------------------------------------------------------------------- 2. writes are checked
BIG = 1500  # parcels: outputs of 0.5–3 MB, far more than the space left on the full disk


@pytest.fixture(scope="module")
def big(template, tmp_path_factory, landeval_provider_module):
    """A 1500-parcel layer and its graded copy (outside the full disk: only outputs go there)."""
    import processing

    folder = str(tmp_path_factory.mktemp("outputs_big"))
    path = os.path.join(folder, "big.gpkg")
    write_layer(path, random_rows(BIG, seed=5), layer="parcels")
    graded = os.path.join(folder, "big_graded.gpkg")
    processing.run("landeval:grade", dict(INPUT=path + "|layername=parcels", STANDARD="zhejiang_huangyan_2022",
                                          OUTPUT=graded))
    return {"parcels": path + "|layername=parcels", "graded": graded + "|layername=big_graded",
            "files": [path, graded], "boundary": template["clusters"], "table": template["table"],
            "template_files": input_files(template)}


@pytest.fixture(scope="module")
def landeval_provider_module(qgis_app):
    from qgis.core import QgsApplication

    from landeval_plugin.core import qgis_app as app

    app.start()
    return QgsApplication.processingRegistry().providerById("landeval")


def full_disk_cases(big, out):
    """(algorithm, parameters, target named in the message, earlier output that must survive)."""
    target = os.path.join(out, "o.gpkg")
    return {
        "joinenterprises": (dict(INPUT=big["parcels"], TABLE=big["table"], YEAR=2023, OUTPUT=target,
                                 REPORT=os.path.join(out, "r.xlsx")), target),
        "clusters": (dict(INPUT=big["graded"], FILTER="true", GAP_M=500, MIN_PARCELS=1,
                          OUTPUT=os.path.join(out, "c.gpkg"), OUTPUT_PARCELS=target),
                     # either output may be the one that meets the full disk (GDAL 3.10+ fills c.gpkg first)
                     (os.path.join(out, "c.gpkg"), target)),
        "disposal": (dict(INPUT=big["graded"], DEVELOPMENT_BOUNDARY=big["boundary"], INDUSTRIAL_LINE=big["boundary"],
                          OUTPUT=target), target),
        "review": (dict(INPUT=big["graded"], FILTER="true", GRADE=3, REASON="复核", OUTPUT=target), target),
        "grade": (dict(INPUT=big["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=target), target),  # fast path
        "sampledistrict": (dict(OUTPUT_FOLDER=out, PARCELS=200, SEED=1, OVERWRITE=True), out),
    }


EARLIER = {"o.gpkg": None, "企业数据.xlsx": None}


def place_earlier_outputs(folder, template):
    """An earlier output layer and an earlier workbook: a failed run must leave both as they were."""
    earlier = os.path.join(folder, "o.gpkg")
    write_layer(earlier, random_rows(3, seed=1), layer="o")
    shutil.copy(template["table"], os.path.join(folder, "企业数据.xlsx"))
    return digests([earlier, os.path.join(folder, "企业数据.xlsx")])


def fill(folder, leave):
    """Fill the file system of ``folder`` up to ``leave`` bytes free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    with open(os.path.join(folder, "filler"), "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
        fh.flush()
        os.fsync(fh.fileno())


def tmpfs_available():
    if not IS_ROOT or not shutil.which("mount"):
        return False
    probe = tempfile.mkdtemp(prefix="landeval-tmpfs-probe-")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        if ok:
            subprocess.run(["umount", probe], check=True)
        return ok
    finally:
        os.rmdir(probe)


TMPFS = tmpfs_available() and not os.environ.get("LANDEVAL_TEST_NO_TMPFS")  # set it to try the no-root way


class FullDisk:
    """A 1.5 MB tmpfs at ``folder`` (root only), always unmounted."""

    def __init__(self, folder, size="1536k"):
        self.folder, self.size = folder, size

    def __enter__(self):
        os.makedirs(self.folder, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + self.size, "tmpfs", self.folder], check=True)
        return self.folder

    def __exit__(self, *exc):
        subprocess.run(["umount", "-l", self.folder], check=True)
        return False


@pytest.mark.skipif(not TMPFS, reason="needs root to mount a tmpfs; test_file_size_limit covers the same without root")
@pytest.mark.parametrize("alg", ["joinenterprises", "clusters", "disposal", "review", "grade", "sampledistrict"])
def test_a_full_disk_fails_the_run_and_keeps_earlier_outputs(alg, big, template, tmp_path, run_alg, zh):
    inputs = digests(big["files"] + big["template_files"])
    with FullDisk(str(tmp_path / "full")) as out:
        kept = place_earlier_outputs(out, template)
        fill(out, 300 * 1024)  # room to start writing, not to finish
        params, target = full_disk_cases(big, out)[alg]
        listing = sorted(os.listdir(out))
        message = raises_processing(run_alg, "landeval:" + alg, params)
        targets = target if isinstance(target, tuple) else (target,)
        assert any(t in message for t in targets) and "磁盘已满" in message, message
        assert "原有文件保持不变" in message, message
        assert digests(list(kept)) == kept                # earlier outputs untouched
        assert sorted(os.listdir(out)) == listing          # nothing partial: no new file, no staging, no journal
    assert digests(big["files"] + big["template_files"]) == inputs


@pytest.mark.skipif(not TMPFS, reason="needs root to mount a tmpfs; the next test covers the same without root")
def test_a_disk_that_fills_while_grades_are_written_fails_the_run(big, template, tmp_path, run_alg, zh):
    """The grading fast path's copy of the layer fits on the disk, the grades, reasons and score
    details written into it do not (SQLite meets the full disk while it writes them, where the
    copy's integrity check once looked): the run fails naming the file and the full disk, nothing
    is left behind, the earlier output stays."""
    from qgis.core import QgsProcessingFeedback

    inputs = digests(big["files"])
    size = os.path.getsize(big["files"][0])
    with FullDisk(str(tmp_path / "full"), size="8m") as out:
        kept = place_earlier_outputs(out, template)
        fill(out, size + 400 * 1024)  # room for the copy, not for the graded rows (four times larger)
        listing = sorted(os.listdir(out))
        target = os.path.join(out, "o.gpkg")
        feedback = QgsProcessingFeedback()
        progress = []
        feedback.progressChanged.connect(progress.append)
        with pytest.raises(Exception) as err:
            run_alg("landeval:grade", dict(INPUT=big["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=target),
                    feedback=feedback)
        message = str(err.value)
        assert target in message and "磁盘已满" in message and "原有文件保持不变" in message, message
        assert max(progress) >= 80, progress  # graded: the disk filled while the rows were written
        assert digests(list(kept)) == kept
        assert sorted(os.listdir(out)) == listing
    assert digests(big["files"]) == inputs


def test_a_file_size_limit_met_while_grades_are_written_fails_the_run(big, template, tmp_path):
    """The same without root: the copy may grow to its own size and 64 kB more, not to the graded
    layer's size (RLIMIT_FSIZE in a child process)."""
    out = str(tmp_path / "limited")
    os.makedirs(out)
    kept = place_earlier_outputs(out, template)
    inputs = digests(big["files"])
    target = os.path.join(out, "o.gpkg")
    listing = sorted(os.listdir(out))
    status, message, err = run_with_file_size_limit(
        "landeval:grade", dict(INPUT=big["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=target),
        os.path.getsize(big["files"][0]) + 64 * 1024)
    assert status == 1, (status, message, err)
    assert target in message and "文件超过了该磁盘或账户允许的大小" in message, message
    assert digests(list(kept)) == kept
    assert sorted(os.listdir(out)) == listing
    assert digests(big["files"]) == inputs


CHILD = r"""
import json, os, resource, signal, sys
sys.path.insert(0, {root!r})
from landeval_plugin.core import qgis_app
qgis_app.start()
import processing
from qgis.core import QgsProcessingException
from landeval_plugin.i18n import install_translator
install_translator("zh-Hans")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
try:
    processing.run({alg!r}, json.loads({params!r}))
except QgsProcessingException as exc:
    print("LANDEVAL-ERROR " + json.dumps(str(exc)))
    sys.exit(1)
print("LANDEVAL-OK")
"""


def run_with_file_size_limit(alg, params, limit):
    """Run one algorithm in a child process whose files may not grow past ``limit`` bytes
    (RLIMIT_FSIZE: works without root). Returns (exit status, message)."""
    code = CHILD.format(root=ROOT, limit=limit, alg=alg, params=json.dumps(params))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=600)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("LANDEVAL-")]
    message = json.loads(lines[-1][len("LANDEVAL-ERROR "):]) if lines and lines[-1].startswith("LANDEVAL-ERROR") else ""
    return proc.returncode, message, proc.stderr[-2000:]


@pytest.mark.parametrize("alg", ["joinenterprises", "clusters", "disposal", "review", "grade", "sampledistrict"])
def test_file_size_limit_fails_the_run_and_keeps_earlier_outputs(alg, big, template, tmp_path):
    """The full disk without root: RLIMIT_FSIZE in a child process (400 kB per file)."""
    out = str(tmp_path / "limited")
    os.makedirs(out)
    kept = place_earlier_outputs(out, template)
    inputs = digests(big["files"] + big["template_files"])
    params, target = full_disk_cases(big, out)[alg]
    listing = sorted(os.listdir(out))
    status, message, err = run_with_file_size_limit("landeval:" + alg, params, 400 * 1024)
    assert status == 1, (status, message, err)
    targets = target if isinstance(target, tuple) else (target,)
    assert any(t in message for t in targets), message
    assert "文件超过了该磁盘或账户允许的大小" in message or "磁盘已满" in message, message
    assert digests(list(kept)) == kept
    assert sorted(os.listdir(out)) == listing
    assert digests(big["files"] + big["template_files"]) == inputs


# --------------------------------------------------------------- end to end through qgis_process
def qgis_process_exe():
    return os.environ.get("QGIS_PROCESS") or shutil.which("qgis_process.bin") or shutil.which("qgis_process")


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    """A private QGIS profile in Chinese with the built plugin enabled."""
    exe = qgis_process_exe()
    if exe is None:
        pytest.skip("qgis_process is not installed")
    root = str(tmp_path_factory.mktemp("qgis_profile"))
    ini = os.path.join(root, "profiles", "default", "QGIS")
    os.makedirs(ini)
    with open(os.path.join(ini, "QGIS3.ini"), "w", encoding="utf-8") as fh:
        fh.write("[locale]\noverrideFlag=true\nuserLocale=zh-Hans\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=BUILD, QGIS_CUSTOM_CONFIG_PATH=root)
    proc = subprocess.run([exe, "plugins", "enable", "landeval_plugin"], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == 0 or "already enabled" in proc.stdout, proc.stdout[-2000:]
    return exe, env


def qgis_process(profile, alg, preexec_fn=None, **params):
    exe, env = profile
    args = [exe, "run", "landeval:" + alg, "--"] + ["{}={}".format(k, v) for k, v in params.items()]
    proc = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600,
                          preexec_fn=preexec_fn)
    return proc.returncode, proc.stdout + proc.stderr


def test_qgis_process_refuses_an_output_on_its_input(district, profile):
    before = digests(input_files(district))
    status, out = qgis_process(profile, "joinenterprises", INPUT=district["parcels"], TABLE=district["table"],
                               YEAR=2023, OUTPUT=district["gpkg"], REPORT=os.path.join(district["folder"], "r.xlsx"))
    assert status != 0, out
    assert "输出 {} 会覆盖输入 {}".format(district["gpkg"], district["parcels"]) in out, out
    assert digests(input_files(district)) == before
    assert gpkg_layers(district["gpkg"])["parcels"] == N_PARCELS
    assert not os.path.exists(os.path.join(district["folder"], "r.xlsx"))


def test_qgis_process_will_not_replace_a_workbook_without_overwrite(district, profile, tmp_path):
    report = str(tmp_path / "报告.xlsx")
    shutil.copy(district["link"], report)
    kept = sha256(report)
    params = dict(INPUT=district["parcels"], TABLE=district["table"], YEAR=2023, OUTPUT=str(tmp_path / "o.gpkg"),
                  REPORT=report)
    status, out = qgis_process(profile, "joinenterprises", **params)
    assert status != 0 and report + " 已存在" in out and "覆盖已存在的文件" in out, out
    assert sha256(report) == kept and not os.path.exists(str(tmp_path / "o.gpkg"))
    status, out = qgis_process(profile, "joinenterprises", OVERWRITE="true", **params)
    assert status == 0, out
    assert sha256(report) != kept and gpkg_layers(str(tmp_path / "o.gpkg")) == {"o": N_PARCELS}


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400 * 1024, 400 * 1024))


def test_qgis_process_grade_fast_path_on_a_full_disk_exits_non_zero(big, template, profile, tmp_path):
    """The grading fast path (GeoPackage in and out) on a full disk: exit status 1, the file and
    the reason named, no .part/-journal/staging file, the earlier output kept."""
    inputs = digests(big["files"])
    out = str(tmp_path / "full")
    if TMPFS:
        disk = FullDisk(out)
        disk.__enter__()
        preexec = None
    else:  # without root: every file of the child may grow to 400 kB only
        os.makedirs(out)
        disk, preexec = None, _limit_file_size
    try:
        kept = place_earlier_outputs(out, template)
        if disk is not None:
            fill(out, 300 * 1024)
        listing = sorted(os.listdir(out))
        target = os.path.join(out, "o.gpkg")
        status, text = qgis_process(profile, "grade", preexec_fn=preexec, INPUT=big["parcels"],
                                    STANDARD="zhejiang_huangyan_2022", OUTPUT=target)
        assert status == 1, text
        assert "无法写入 {}：".format(target) in text and "原有文件保持不变" in text, text
        assert ("磁盘已满" if disk is not None else "文件超过了该磁盘或账户允许的大小") in text, text
        assert "Traceback" not in text
        assert digests(list(kept)) == kept and sorted(os.listdir(out)) == listing
    finally:
        if disk is not None:
            disk.__exit__(None, None, None)
    assert digests(big["files"]) == inputs


def test_grade_fast_path_names_a_read_only_folder_and_makes_a_missing_one(district, run_alg, tmp_path, zh):
    missing = str(tmp_path / "new" / "sub" / "graded.gpkg")
    res = run_alg("landeval:grade", dict(INPUT=district["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=missing))
    assert res["OUTPUT"] == missing and gpkg_layers(missing) == {"graded": N_PARCELS}
    ro = str(tmp_path / "ro")
    os.makedirs(ro)
    if TMPFS:  # root writes through permissions: a read-only mount
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", ro], check=True)
    else:
        os.chmod(ro, 0o555)
    try:
        message = raises_processing(run_alg, "landeval:grade", dict(
            INPUT=district["parcels"], STANDARD="zhejiang_huangyan_2022", OUTPUT=os.path.join(ro, "g.gpkg")))
        assert message == "输出文件夹 {} 无法写入：没有写入权限（文件夹或文件为只读）".format(ro), message
        assert os.listdir(ro) == []
    finally:
        if TMPFS:
            subprocess.run(["umount", "-l", ro], check=True)
        else:
            os.chmod(ro, 0o755)


# ---------------------------------------------------------------------------- core/files.py
def test_real_path_follows_links_and_knows_non_file_sources(tmp_path, qgis_app):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core import files

    target = tmp_path / "data" / "parcels.gpkg"
    target.parent.mkdir()
    write_layer(str(target), random_rows(2), layer="parcels")
    link = tmp_path / "link.gpkg"
    os.symlink(str(target), str(link))
    assert files.real_path(str(link) + "|layername=parcels") == str(target)
    assert files.real_path("ogr:dbname='{}' table=\"x\" (geom)".format(link)) == str(target)
    assert files.real_path(QgsVectorLayer(str(link) + "|layername=parcels", "p", "ogr")) == str(target)
    assert files.real_path(QgsVectorLayer("Polygon?crs=EPSG:4549", "m", "memory")) is None
    assert files.real_path("postgres://dbname='gis' table=\"public\".\"parcels\" (geom)") is None
    assert files.real_path("TEMPORARY_OUTPUT") is None
    assert files.layer_name_of("ogr:dbname='/x/a.gpkg' table=\"研判\" (geom)") == "研判"
    hard = tmp_path / "hard.gpkg"
    os.link(str(target), str(hard))
    with pytest.raises(files.OutputError):
        files.refuse_outputs_on_inputs([str(target) + "|layername=parcels"], [str(hard)])


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path, qgis_app):
    from landeval_plugin.core import files

    path = tmp_path / "report.xlsx"
    path.write_bytes(b"old")

    def broken(tmp):
        with open(tmp, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(files.OutputError) as err:
        files.atomic_write(str(path), broken)
    assert str(path) in str(err.value) and "the disk is full" in str(err.value)
    assert path.read_bytes() == b"old" and sorted(os.listdir(str(tmp_path))) == ["report.xlsx"]
    files.atomic_write(str(path), lambda tmp: open(tmp, "wb").write(b"new"))
    assert path.read_bytes() == b"new" and sorted(os.listdir(str(tmp_path))) == ["report.xlsx"]


def test_pages_ask_before_replacing_files(tmp_path, qgis_app, zh):
    """The question the 数据 and 一地一档 pages ask (覆盖 / 取消) before they pass OVERWRITE=True."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication, QMessageBox

    from landeval_plugin.gui.overwrite import confirm_overwrite, existing_files

    report = tmp_path / "report.xlsx"
    assert confirm_overwrite(None, "数据", [str(report)]) is None  # nothing to replace: no question
    report.write_bytes(b"x")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    assert existing_files([str(report), str(tmp_path / "none.xlsx")], str(tmp_path)) == [
        str(report), "1 个 PDF 文件位于 {}（同一宗地的体检表将被替换）".format(tmp_path)]
    seen = []

    def answer(label):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == label).click()

    for label, expected in (("覆盖", True), ("取消", False)):
        QTimer.singleShot(0, lambda label=label: answer(label))
        assert confirm_overwrite(None, "数据", [str(report)]) is expected
    assert seen[0][0] == "以下文件已存在：\n{}\n\n是否覆盖？".format(report)
    assert sorted(seen[0][1]) == ["取消", "覆盖"]


@pytest.mark.skipif(not TMPFS, reason="needs root to mount a tmpfs")
def test_a_full_disk_leaves_a_shared_geopackage_as_it_was(big, template, tmp_path, run_alg, zh):
    """A layer going into a GeoPackage with other layers (written in place) on a full disk: the
    run fails, and the file keeps exactly its layers and rows, with no staging layer left."""
    import sqlite3

    with FullDisk(str(tmp_path / "full")) as out:
        shared = os.path.join(out, "shared.gpkg")
        write_layer(shared, random_rows(3, seed=1), layer="mine")
        add_layer(shared, __import__("qgis.core", fromlist=["QgsVectorLayer"]).QgsVectorLayer(
            template["clusters"], "c", "ogr"), "clusters")

        def content():
            con = sqlite3.connect("file:{}?mode=ro".format(shared), uri=True)
            try:
                return {t: con.execute('SELECT * FROM "{}" ORDER BY fid'.format(t)).fetchall()
                        for (t,) in con.execute("SELECT table_name FROM gpkg_contents")}
            finally:
                con.close()

        before = content()
        fill(out, 300 * 1024)
        message = raises_processing(run_alg, "landeval:review", dict(
            INPUT=big["graded"], FILTER="true", GRADE=3, REASON="复核",
            OUTPUT="ogr:dbname='{}' table=\"review_1\" (geom)".format(shared)))
        assert shared in message and "磁盘已满" in message, message
        assert content() == before
        assert staged_leftovers(out) == []


def test_two_outputs_of_one_run_into_one_new_geopackage(district, run_alg, tmp_path):
    """The panel writes both cluster outputs into a GeoPackage that does not exist yet."""
    gpkg = str(tmp_path / "run_landeval.gpkg")
    dest = "ogr:dbname='{}' table=\"{}\" (geom)"
    res = run_alg("landeval:clusters", dict(INPUT=district["graded"], FILTER="true", GAP_M=500, MIN_PARCELS=1,
                                            OUTPUT=dest.format(gpkg, "clusters_1"),
                                            OUTPUT_PARCELS=dest.format(gpkg, "clustered_parcels_1")))
    assert res["OUTPUT"] == gpkg + "|layername=clusters_1"
    assert res["OUTPUT_PARCELS"] == gpkg + "|layername=clustered_parcels_1"
    layers = gpkg_layers(gpkg)
    assert layers["clustered_parcels_1"] == 16 and layers["clusters_1"] == res["CLUSTER_COUNT"] >= 1
    assert staged_leftovers(str(tmp_path)) == []
