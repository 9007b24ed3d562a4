"""一张图: the base map written by SQLite (core/basemap/gpkg_rows.py) is the file QgsVectorFileWriter writes.

Each case builds the same sources twice, once through the direct GeoPackage writer and once
feature by feature through QGIS, and compares the two files table by table: every row of the
base map (fid, geometry blob bytes, every value), the layer's extent and feature count, the
spatial index, the schema (tables, triggers), the QA layer and the stored style.
"""
import re
import sqlite3
import xml.etree.ElementTree as ET

from feedback_log import recording_feedback
from test_basemap_core import (
    box,
    known_sources,
    restore_shape_encoding,  # noqa: F401 - an autouse fixture (GDAL's SHAPE_ENCODING)
    typed_layer,
    write_gbk_shapefile,
)

FALLBACK = "written feature by feature through QGIS"


def borderline_sources():
    """Multipolygons, typed extras with NULLs, overlaps at the MIN_PIECE_M2 tolerance, missing and
    duplicate codes, a self-intersecting parcel, a hole, a parcel covered exactly."""
    from qgis.PyQt.QtCore import QDate, QVariant

    a = typed_layer("bdcdj", [("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String),
                              ("所属镇街", QVariant.Type.String), ("出让日期", QVariant.Type.Date),
                              ("容积率", QVariant.Type.Double), ("职工人数", QVariant.Type.Int),
                              ("税收", QVariant.Type.LongLong)], [
        ("MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((200 0,300 0,300 100,200 100,200 0)))",
         ["330122001001GB00001", "工业用地", "城东街道", QDate(2019, 5, 1), 1.25, 120, 9000000000]),
        ("MULTIPOLYGON(((0 200,100 200,100 300,0 300,0 200),(20 220,80 220,80 280,20 280,20 220)))",
         ["330122001001GB00002", "M1", "城东街道", None, None, None, None]),       # a hole, NULL numbers
        ("MULTIPOLYGON(((400 0,500 100,500 0,400 100,400 0)))",
         [None, "0601", "临江镇", QDate(1999, 12, 31), 0.0, 0, -1]),             # bow tie, no code
        ("MULTIPOLYGON(((600 0,700 0,700 100,600 100,600 0)))",
         ["330122001001GB00001", "物流仓储用地", "", QDate(2020, 2, 29), 2.5, 7, 0]),  # duplicate code
    ])
    b = typed_layer("ydpw", [("地块编号", QVariant.Type.String), ("用地性质", QVariant.Type.String),
                             ("批准日期", QVariant.Type.String), ("容积率", QVariant.Type.String)], [
        (box(-0.5, 0, 100, 100), ["PW1", "M2", "2019-05-01", "1.2"]),      # 0.5 m x 100 m = 50 m²: dropped (≤)
        (box(99.4999, 0, 100.5, 100), ["PW2", "M2", "2019/5/2", None]),   # 50.01 m² strip: kept
        (box(0, 0, 100, 100), ["PW3", "M1", "20190503", "2"]),             # covered exactly
        (box(650, 0, 100, 100), ["", "W1", "2019年5月4日", ""]),            # half under a parcel of bdcdj
        (box(700, 0, 50.25, 100), ["PW5", "物流仓储用地", "", "3"]),        # same-source overlap
    ], geometry="Polygon")
    c = typed_layer("tdlyxz", [("BSM", QVariant.Type.String), ("DLBM", QVariant.Type.String)], [
        (box(0, 400, 100, 100), ["TB1", "0508"]),
        (box(0, 500, 100, 100), ["TB2", None]),                            # missing land use
        ("MULTIPOLYGON(((1000 0,1010 0,1010 10,1000 10,1000 0)),((1020 0,1030 0,1030 10,1020 10,1020 0)))",
         ["TB3", "0601"]),
    ])
    return [a, b, c]


_COLOUR = re.compile(r"\b\d{1,3},\d{1,3},\d{1,3},\d{1,3}(?:,rgb:[-0-9.e,]+)?")
_UUID = re.compile(r"\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}")


def _xml(text):
    """An XML document as nested tuples, attributes unordered (Qt writes them in hash order).
    QGIS 3.30+ gives every symbol layer a new random id="{uuid}" each time a style is saved, and
    QGIS 3.40 a random colour to the renderer's default symbols: ids and colours are masked (the
    style is QGIS's own, written the same way by both writers), everything else is compared."""
    def mask(text):
        return _COLOUR.sub("{colour}", _UUID.sub("{uuid}", text))

    def attrs(e):
        return tuple(sorted((k, mask(v)) for k, v in e.attrib.items()))

    def node(e):
        return (e.tag, attrs(e), mask((e.text or "").strip()), tuple(node(c) for c in e))

    return node(ET.fromstring(text.split("?>", 1)[-1] if text.startswith("<?xml") else
                              text[text.index("<qgis"):] if "<qgis" in text else text))


def dump(path):
    """Everything a GeoPackage holds, comparable between two runs."""
    con = sqlite3.connect(path)
    try:
        out = {"schema": sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall())}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            if name.startswith("sqlite_") and name != "sqlite_sequence":
                continue
            cols = [c[1] for c in con.execute('PRAGMA table_info("{}")'.format(name))]
            rows = con.execute('SELECT * FROM "{}" ORDER BY 1'.format(name)).fetchall()
            if name == "gpkg_contents":  # the time each file was written
                rows = [tuple(v for c, v in zip(cols, r) if c != "last_change") for r in rows]
            if name == "layer_styles":
                rows = [tuple(_xml(v) if c in ("styleQML", "styleSLD") and v else v
                              for c, v in zip(cols, r) if c != "update_time") for r in rows]
            out[name] = rows
        return out
    finally:
        con.close()


def build_both(tmp_path, make_layers, name):
    from landeval_plugin.core.basemap import basemap

    results = {}
    for fast in (True, False):
        out = str(tmp_path / "{}_{}.gpkg".format(name, "fast" if fast else "general"))
        qa = str(tmp_path / "{}_{}_qa.gpkg".format(name, "fast" if fast else "general"))
        log = recording_feedback()
        builder = basemap.BaseMapBuilder([basemap.Source(layer) for layer in make_layers()], out, qa, feedback=log)
        builder.fast_write = fast
        summary = builder.run()
        results[fast] = (out, qa, summary, log.lines)
    return results


def assert_same_files(results):
    (out_f, qa_f, sum_f, _), (out_g, qa_g, sum_g, _) = results[True], results[False]
    a, b = dump(out_f), dump(out_g)
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
    assert dump(qa_f) == dump(qa_g)
    assert {k: v for k, v in sum_f.items() if k != "lines"} == {k: v for k, v in sum_g.items() if k != "lines"}
    return a


def test_fast_writer_gives_the_general_writers_file_on_borderline_parcels(tmp_path):
    results = build_both(tmp_path, borderline_sources, "borderline")
    content = assert_same_files(results)
    assert not any(FALLBACK in line for line in results[True][3])  # the direct writer wrote it
    rows = content["base_map"]
    assert len(rows) == results[True][2]["count"] > 6
    assert rows[0][0] == 1 and [r[0] for r in rows] == list(range(1, len(rows) + 1))
    blob = rows[0][1]
    assert blob[:4] == b"GP\x00\x03" and blob[40:45] == b"\x01\x06\x00\x00\x00"  # envelope, MultiPolygon
    con = sqlite3.connect(results[True][0])
    try:
        cols = [c[1] for c in con.execute('PRAGMA table_info("base_map")')]
        values = {r[cols.index("source_id")] + "/" + r[cols.index("source")]: dict(zip(cols, r))
                  for r in con.execute('SELECT * FROM "base_map"')}
        assert con.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'base_map'"
                           ).fetchone()[0] == len(rows)
    finally:
        con.close()
    first = values["1/bdcdj"]
    assert (first["supply_date"], first["容积率"], first["职工人数"], first["税收"]) == \
        ("2019-05-01", "1.25", 120, 9000000000)  # 容积率 is text in 用地批文: a text field
    assert values["2/bdcdj"]["容积率"] is None and values["2/bdcdj"]["职工人数"] is None
    assert values["3/bdcdj"]["land_use_raw"] == "0601"  # the repaired bow tie is there


def test_fast_writer_gives_the_general_writers_file_on_known_sources_and_gbk(tmp_path):
    from qgis.core import QgsVectorLayer

    assert_same_files(build_both(tmp_path, known_sources, "known"))
    path = write_gbk_shapefile(str(tmp_path / "ydpw_gbk.shp"), None)  # text fields 40 wide, GBK, no .cpg
    results = build_both(tmp_path, lambda: [QgsVectorLayer(path, "ydpw_gbk", "ogr")] + list(known_sources()[2:]),
                         "gbk")
    content = assert_same_files(results)
    assert not any(FALLBACK in line for line in results[True][3])
    assert any("浙江精工机械有限公司" in r for r in content["base_map"])


def test_fast_writer_gives_the_general_writers_file_on_generated_grids(tmp_path):
    import basemap_synth
    from qgis.core import QgsVectorLayer

    uris = basemap_synth.make_sources(str(tmp_path / "grids.gpkg"), 300)
    results = build_both(tmp_path, lambda: [QgsVectorLayer(uris[k], k, "ogr") for k in ("bdcdj", "ydpw", "tdlyxz")],
                         "grids")
    content = assert_same_files(results)
    assert len(content["base_map"]) == results[True][2]["count"] > 500
    assert len(content["rtree_base_map_geom_rowid"]) == len(content["base_map"])


def test_fast_writer_falls_back_and_says_why(tmp_path):
    """A field type it does not write (date-time) and a text holding NUL: written through QGIS,
    the reason in the log, the same file."""
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

    def with_datetime():
        return [typed_layer("bdcdj", [("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String),
                                      ("登记时间", QVariant.Type.DateTime)], [
            (box(0, 0, 100, 100), ["330122001001GB00001", "工业用地",
                                   QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5))])])]

    results = build_both(tmp_path, with_datetime, "datetime")
    assert_same_files(results)
    said = [line for line in results[True][3] if FALLBACK in line]
    assert len(said) == 1 and "登记时间" in said[0]

    def with_nul():
        return [typed_layer("bdcdj", [("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String),
                                      ("备注", QVariant.Type.String)], [
            (box(0, 0, 100, 100), ["330122001001GB00001", "工业用地", "a\x00b"])])]

    results = build_both(tmp_path, with_nul, "nul")
    said = [line for line in results[True][3] if FALLBACK in line]
    if any("\x00" in str(f["备注"]) for f in with_nul()[0].getFeatures()):
        assert len(said) == 1 and "NUL" in said[0]
    else:  # QGIS 3.40+ cuts the text at the NUL before any writer sees it: nothing to fall back for
        assert said == []
    assert dump(results[True][0])["base_map"] == dump(results[False][0])["base_map"]


def test_envelope_from_the_box_is_the_envelope_of_every_vertex():
    """gpkg_rows.envelope_of takes QGIS's box only for a one-ring polygon (the outer ring holds every
    vertex) and walks the coordinates otherwise: the same four numbers as ``envelope`` either way."""
    import random

    from qgis.core import QgsGeometry

    from landeval_plugin.core.basemap import gpkg_rows

    def box_of(g):
        r = g.boundingBox()
        return r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum()

    rnd = random.Random(3)
    wkts = ["POLYGON((0 0,10 0,10 5,0 5,0 0))", "POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 3,2 2))",
            "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))",
            "POLYGON((400 0,500 100,500 0,400 100,400 0))"]  # a bow tie
    for _ in range(200):
        x, y = rnd.uniform(-1e6, 1e6), rnd.uniform(-1e7, 1e7)
        ring = [(x + rnd.uniform(-50, 50), y + rnd.uniform(-50, 50)) for _ in range(rnd.randint(3, 12))]
        wkts.append("POLYGON(({}))".format(",".join("{!r} {!r}".format(a, b) for a, b in ring + ring[:1])))
    used_box = 0
    for wkt in wkts:
        g = QgsGeometry.fromWkt(wkt)
        wkb = gpkg_rows.multipolygon_wkb(g)
        assert gpkg_rows.envelope_of(wkb, box_of(g)) == gpkg_rows.envelope(wkb), wkt
        assert gpkg_rows.envelope_of(wkb, None) == gpkg_rows.envelope(wkb)
        used_box += gpkg_rows.envelope_of(wkb, (0.0, 0.0, 0.0, 0.0)) == (0.0, 0.0, 0.0, 0.0)
    assert used_box == len(wkts) - 2  # not for the hole nor the two parts


def test_rtree_from_the_writers_envelopes_is_the_rtree_read_back(tmp_path):
    """gpkg_rtree.build with the envelopes the writer gave builds the index it builds from the blobs;
    envelopes that do not cover every geometry are not trusted (read back instead)."""
    import shutil

    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsFeature,
        QgsFields,
        QgsGeometry,
        QgsProject,
        QgsVectorFileWriter,
        QgsWkbTypes,
    )

    from landeval_plugin.core import gpkg_rtree
    from landeval_plugin.core.basemap import gpkg_rows

    path = str(tmp_path / "plain.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "t"
    options.layerOptions = list(gpkg_rtree.LAYER_OPTIONS)
    writer = QgsVectorFileWriter.create(path, QgsFields(), QgsWkbTypes.MultiPolygon,
                                        QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsProject.instance().transformContext(), options)
    envelopes = []
    for k in range(300):
        g = QgsGeometry.fromWkt(box(k * 7.3 % 500, k * 3.1 % 400, 5 + k % 9, 4 + k % 5))
        g.translate(500000.0, 3400000.0)
        g.convertToMultiType()
        f = QgsFeature()
        f.setGeometry(g)
        assert writer.addFeature(f)
        envelopes.append((k + 1, gpkg_rows.envelope(bytes(g.asWkb()))))
    del writer
    copies = [str(tmp_path / "{}.gpkg".format(n)) for n in ("read", "given", "short")]
    for c in copies:
        shutil.copy(path, c)
    assert gpkg_rtree.build(copies[0], "t") == "bulk"
    assert gpkg_rtree.build(copies[1], "t", iter(envelopes)) == "bulk"
    assert gpkg_rtree.build(copies[2], "t", iter(envelopes[:-1])) == "bulk"
    read, given, short = (dump(c) for c in copies)
    rtree = [t for t in read if t.startswith("rtree_")]
    assert len(rtree) >= 3 and len(read["rtree_t_geom"]) == 300
    for t in rtree:
        assert given[t] == read[t] == short[t], t
