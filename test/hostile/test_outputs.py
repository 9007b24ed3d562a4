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
