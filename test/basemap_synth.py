"""Synthetic base-map sources with known overlaps, for the basemap tests and benchmark.

Three contiguous grids of 80 m x 60 m parcels in EPSG:4549 (like a real cadastre: parcels
share edges). 用地批文 (ydpw) is the 不动产登记 (bdcdj) grid moved half its width east plus
``shift`` metres, so where they overlap every ydpw parcel is covered by bdcdj except a
``shift``-wide strip at bdcdj's east edge (a sliver when shift x 60 m² ≤ MIN_PIECE_M2).
土地利用现状 (tdlyxz) is moved half a grid north. One parcel in ten is not industrial.
"""
import math

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsVectorFileWriter,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

W, H = 80.0, 60.0
X0, Y0 = 500000.0, 3400000.0
TOWNS = ("城东街道", "城西街道", "临江镇", "新港镇")


def grid_dims(n):
    cols = int(math.ceil(math.sqrt(n * H / W)))
    rows = int(math.ceil(n / cols))
    return cols, rows


def rect(x, y, w=W, h=H):
    return QgsGeometry.fromWkt("POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h))


def _write(path, layer_name, fields, rows, crs="EPSG:4549", encoding="UTF-8", driver="GPKG"):
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.fileEncoding = encoding
    if driver == "GPKG":
        options.layerName = layer_name
        import os

        options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(path)
                                        else QgsVectorFileWriter.CreateOrOverwriteFile)
    writer = QgsVectorFileWriter.create(path, fields, QgsWkbTypes.Polygon, QgsCoordinateReferenceSystem(crs),
                                        QgsProject.instance().transformContext(), options)
    assert writer.hasError() == QgsVectorFileWriter.NoError, writer.errorMessage()
    for geom, attrs in rows:
        f = QgsFeature(fields)
        f.setAttributes(attrs)
        f.setGeometry(geom)
        writer.addFeature(f)
    del writer
    return path if driver != "GPKG" else "{}|layername={}".format(path, layer_name)


def fields_of(spec):
    fields = QgsFields()
    for name, vtype in spec:
        fields.append(QgsField(name, vtype))
    return fields


def make_sources(path, n=400, shift=0.5, seed=1):
    """Write layers bdcdj, ydpw, tdlyxz into the GeoPackage ``path``; returns their URIs."""
    import random

    rnd = random.Random(seed)
    cols, rows = grid_dims(n)
    uris = {}
    # 不动产登记: valid 19-character 宗地代码, project attributes the grade step reads
    spec = [("宗地代码", QVariant.Type.String), ("权利人", QVariant.Type.String), ("土地用途", QVariant.Type.String),
            ("所属镇街", QVariant.Type.String), ("坐落", QVariant.Type.String), ("出让日期", QVariant.Type.Date),
            ("项目类型", QVariant.Type.String), ("出租情况", QVariant.Type.String)]
    data = []
    for k in range(n):
        c, r = k % cols, k // cols
        lu = "住宅用地" if k % 10 == 9 else \
            ("100101" if k % 3 == 0 else ("工业用地" if k % 3 == 1 else "1101 物流仓储用地"))
        data.append((rect(X0 + c * W, Y0 + r * H), [
            "330122{:06d}GB{:05d}".format(1 + r // 50, k + 1), "企业{}".format(k + 1), lu, TOWNS[(c * 4) // cols],
            "工业路{}号".format(k + 1), QDate(2000 + k % 20, 1 + k % 12, 1 + k % 28),
            ("自用工业用地项目", "立项园区", "城市更新园区")[k % 3],
            ("无", "未经允许出租-有意愿更新")[rnd.random() < 0.1]]))
    uris["bdcdj"] = _write(path, "bdcdj", fields_of(spec), data)
    # 用地批文: moved east by half the grid plus ``shift``
    spec = [("地块编号", QVariant.Type.String), ("用地性质", QVariant.Type.String), ("批准日期", QVariant.Type.String),
            ("批文号", QVariant.Type.String)]
    data = []
    dx = (cols // 2) * W + shift
    for k in range(n):
        c, r = k % cols, k // cols
        lu = "B1" if k % 10 == 9 else ("M1" if k % 2 else "W1")
        data.append((rect(X0 + dx + c * W, Y0 + r * H), [
            "PW{:06d}".format(k + 1), lu, "2019/{}/{}".format(1 + k % 12, 1 + k % 28), "批{}号".format(k + 1)]))
    uris["ydpw"] = _write(path, "ydpw", fields_of(spec), data)
    # 土地利用现状 (三调): moved north by half the grid
    spec = [("BSM", QVariant.Type.String), ("DLBM", QVariant.Type.String), ("DLMC", QVariant.Type.String)]
    data = []
    dy = (rows // 2) * H
    for k in range(n):
        c, r = k % cols, k // cols
        code = "0701" if k % 10 == 9 else ("0601" if k % 2 else "0508")
        name = {"0701": "城镇住宅用地", "0601": "工业用地", "0508": "物流仓储用地"}[code]
        data.append((rect(X0 + c * W, Y0 + dy + r * H), ["TB{:07d}".format(k + 1), code, name]))
    uris["tdlyxz"] = _write(path, "tdlyxz", fields_of(spec), data)
    return uris
