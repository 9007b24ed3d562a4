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
    """{layer name: feature count} of a GeoPackage, read with sqlite (counts the rows)."""
    import sqlite3

    con = sqlite3.connect("file:{}?mode=ro".format(path), uri=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")]
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
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    from dossier_fixture import make_district as graded_district

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
    return sorted(n for n in os.listdir(folder) if n.startswith(("~landeval-", ".landeval-")) or n.endswith(
        (".part", "-journal", "-wal", "-shm")))


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
         dict(INPUT=d["parcels"], TABLE=d["table"], YEAR=2023, OUTPUT=gpkg, REPORT=out + "_r.xlsx"), gpkg, d["parcels"]),
        ("join-report-is-table", "joinenterprises",
         dict(INPUT=d["parcels"], TABLE=d["table"], YEAR=2023, OUTPUT=out + ".gpkg", REPORT=d["table"]),
         d["table"], d["table"]),
        ("join-enterprises-into-input", "joinenterprises",
         dict(INPUT=d["parcels"], TABLE=d["table"], LINK=d["link"], YEAR=2023, OUTPUT=out + ".gpkg",
              OUTPUT_ENTERPRISES="ogr:dbname='{}' table=\"ents\" (geom)".format(gpkg), REPORT=out + "_r.xlsx"),
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
        ("exportforms-folder-is-input", "exportforms", dict(INPUT=d["parcels"], OUTPUT_FOLDER=gpkg), gpkg, d["parcels"]),
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
    shutil.copy(district["gpkg"], other)  # a planner's GeoPackage with five layers
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
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(district["graded"], "g", "ogr")
    first = next(layer.getFeatures())["parcel_code"]
    folder = tmp_path / "pdf"
    folder.mkdir()
    (folder / (first + ".pdf")).write_bytes(b"%PDF-1.4 signed copy")
    message = raises_processing(run_alg, "landeval:dossiers", dict(
        INPUT=district["graded"], OUTPUT_FOLDER=str(folder), FILTER="\"parcel_code\" = '{}'".format(first)))
    assert str(folder / (first + ".pdf")) + " 已存在" in message
    assert (folder / (first + ".pdf")).read_bytes() == b"%PDF-1.4 signed copy"
    assert sorted(os.listdir(str(folder))) == [first + ".pdf"]
