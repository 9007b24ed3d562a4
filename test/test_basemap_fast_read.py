"""一张图: GeoPackage sources read by SQLite (core/basemap/gpkg_source.py) give what QGIS's provider gives.

The direct reader is compared with ``layer.getFeatures()`` feature for feature (fid, every attribute,
geometry WKB bytes), and the base maps built both ways (``BaseMapBuilder.fast_read`` on and off) are
compared file for file (every row, geometry blob bytes, extent, R-tree, schema, QA layer, style) on
the borderline, known, crowded and grid sources written into GeoPackages, with NULLs, dates, 64-bit
integers, multipolygons, holes, a bow tie, a feature without geometry and NaN / infinite / far-off
coordinates. Every source it cannot read exactly falls back to the provider and says why.
"""
import struct

import pytest
from feedback_log import recording_feedback
from test_basemap_core import (
    known_sources,
    restore_shape_encoding,  # noqa: F401 - an autouse fixture (GDAL's SHAPE_ENCODING)
    typed_layer,
)
from test_basemap_fast_overlay import crowded_sources
from test_basemap_fast_write import borderline_sources, dump

FALLBACK = "read feature by feature through QGIS"


def to_gpkg(layer, path, name=None):
    """``layer`` (a memory layer) written into the GeoPackage ``path`` as a table; the layer over it."""
    import os

    from qgis.core import QgsFeature, QgsProject, QgsVectorFileWriter, QgsVectorLayer

    name = name or layer.name()
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(path)
                                    else QgsVectorFileWriter.CreateOrOverwriteFile)
    writer = QgsVectorFileWriter.create(path, layer.fields(), layer.wkbType(), layer.crs(),
                                        QgsProject.instance().transformContext(), options)
    assert writer.hasError() == QgsVectorFileWriter.NoError, writer.errorMessage()
    for f in layer.getFeatures():
        out = QgsFeature(layer.fields())
        out.setAttributes(f.attributes())
        if f.hasGeometry():
            out.setGeometry(f.geometry())
        assert writer.addFeature(out)
    del writer
    result = QgsVectorLayer("{}|layername={}".format(path, name), name, "ogr")
    assert result.isValid() and result.featureCount() == layer.featureCount()
    return result


def as_gpkg(tmp_path, make_layers, name):
    """make_layers() written into one GeoPackage; a function giving fresh layers over it."""
    from qgis.core import QgsVectorLayer

    path = str(tmp_path / "{}_sources.gpkg".format(name))
    names = [to_gpkg(layer, path).name() for layer in make_layers()]
    return lambda: [QgsVectorLayer("{}|layername={}".format(path, n), n, "ogr") for n in names]


def hostile_sources():
    """NULLs of every type, dates, 64-bit and 32-bit integers, reals, untrimmed and no-data texts, a
    bow tie, a hole, a multipolygon of three parts (_add_bad_rows adds the geometries QGIS refuses)."""
    from qgis.PyQt.QtCore import QDate, QVariant

    a = typed_layer("bdcdj", [("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String),
                              ("所属镇街", QVariant.Type.String), ("出让日期", QVariant.Type.Date),
                              ("竣工日期", QVariant.Type.Date), ("容积率", QVariant.Type.Double),
                              ("职工人数", QVariant.Type.Int), ("税收", QVariant.Type.LongLong)], [
        ("MULTIPOLYGON(((0 0,100 0,100 100,0 100,0 0)),((200 0,300 0,300 100,200 100,200 0)),"
         "((400 0,450 0,450 50,400 0)))",
         ["330122001001GB00001", "工业用地", " 城东街道 ", QDate(2019, 5, 1), QDate(1, 1, 1), 1.25, 2 ** 31 - 1,
          2 ** 62]),
        ("MULTIPOLYGON(((0 200,100 200,100 300,0 300,0 200),(20 220,80 220,80 280,20 280,20 220)))",
         [None, "M1", None, None, None, None, None, None]),
        ("MULTIPOLYGON(((400 200,500 300,500 200,400 300,400 200)))",
         ["", "0601", "—", QDate(9999, 12, 31), QDate(2000, 2, 29), -0.0, -2 ** 31 + 1, -2 ** 62]),
        ("MULTIPOLYGON(((600 0,700 0,700 100,600 100,600 0)))",
         ["330122001001GB00004", "物流仓储用地", "临江镇", QDate(2020, 2, 29), None, 1e-9, 0, 0]),
    ])
    return [a]


def _provider(layer):
    def plain(v):  # QGIS's NULL as None (every reader of the base map treats them alike)
        return None if v.__class__.__name__ == "QVariant" and v.isNull() else v

    return [(f.id(), [plain(v) for v in f.attributes()], bytes(f.geometry().asWkb()) if f.hasGeometry() else None)
            for f in layer.getFeatures()]


def _direct(layer):
    from landeval_plugin.core.basemap import gpkg_source

    return [(fid, list(attrs), bytes(g.asWkb()) if not g.isNull() else None)
            for fid, attrs, g in gpkg_source.features(layer, layer.crs())]


def _add_bad_rows(path, table):
    """A feature without geometry and parcels with NaN and far-off coordinates, added by GDAL (QGIS
    refuses to write them; infinite ones: test_base_map_reports_bad_coordinates_in_the_qa_output)."""
    from osgeo import ogr

    x0, y0 = 500000.0, 3400000.0
    nan = float("nan")
    ds = ogr.Open(path, 1)
    try:
        layer = ds.GetLayerByName(table)
        land_use = layer.GetLayerDefn().GetFieldDefn(1).GetName()  # 宗地代码, 土地用途
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField(land_use, "工业用地")
        assert layer.CreateFeature(f) == 0
        for ring in ([(x0, y0), (x0 + 10, y0), (nan, y0 + 10), (x0, y0)],
                     [(x0, y0), (x0 + 2e9, y0), (x0 + 10, y0 + 10), (x0, y0)]):
            wkb = struct.pack("<BII", 1, 6, 1) + struct.pack("<BIII", 1, 3, 1, len(ring)) + b"".join(
                struct.pack("<2d", x, y) for x, y in ring)
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField(land_use, "M1")
            f.SetGeometry(ogr.CreateGeometryFromWkb(wkb))
            assert layer.CreateFeature(f) == 0
    finally:
        ds = None


def test_direct_reader_gives_the_providers_features(tmp_path):
    import basemap_synth
    from qgis.core import QgsVectorLayer

    path = str(tmp_path / "hostile.gpkg")
    to_gpkg(hostile_sources()[0], path)
    _add_bad_rows(path, "bdcdj")
    layers = [QgsVectorLayer(path + "|layername=bdcdj", "bdcdj", "ogr")]
    layers += as_gpkg(tmp_path, borderline_sources, "borderline")()
    layers += as_gpkg(tmp_path, known_sources, "known")()
    uris = basemap_synth.make_sources(str(tmp_path / "grids.gpkg"), 300)
    layers += [QgsVectorLayer(uris[k], k, "ogr") for k in ("bdcdj", "ydpw", "tdlyxz")]
    compared = 0
    for layer in layers:
        expected = _provider(layer)
        got = _direct(layer)
        assert got == expected, layer.source()
        compared += len(got)
    hostile = _direct(layers[0])
    assert len(hostile) == 7 and hostile[4][2] is None  # the feature without geometry
    assert [type(v).__name__ for v in hostile[0][1]] == ["int", "str", "str", "str", "QDate", "QDate", "float",
                                                         "int", "int"]
    assert hostile[1][1][1:] == [None, "M1"] + [None] * 6
    assert compared > 900


def _build(make_layers, out, qa, fast, **kwargs):
    from landeval_plugin.core.basemap import basemap, gpkg_source

    log = recording_feedback()
    builder = basemap.BaseMapBuilder([basemap.Source(layer) for layer in make_layers()], out, qa, feedback=log,
                                     **kwargs)
    builder.fast_read = fast
    direct = []
    features = gpkg_source.features

    def counting(layer, crs):
        rows = features(layer, crs)  # raises Declined before anything is counted
        direct.append(layer.name())
        return rows

    gpkg_source.features = counting
    try:
        summary = builder.run()
    finally:
        gpkg_source.features = features
    return summary, log.lines, direct


def build_both(tmp_path, make_layers, name, **kwargs):
    results = {}
    for fast in (True, False):
        out = str(tmp_path / "{}_{}.gpkg".format(name, "direct" if fast else "provider"))
        qa = str(tmp_path / "{}_{}_qa.gpkg".format(name, "direct" if fast else "provider"))
        summary, lines, direct = _build(make_layers, out, qa, fast, **kwargs)
        results[fast] = (out, qa, summary, lines, direct)
    return results


def assert_same_files(results):
    (out_d, qa_d, sum_d, _, _), (out_p, qa_p, sum_p, _, direct_p) = results[True], results[False]
    assert direct_p == []
    a, b = dump(out_d), dump(out_p)
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
    assert dump(qa_d) == dump(qa_p)
    assert {k: v for k, v in sum_d.items() if k != "lines"} == {k: v for k, v in sum_p.items() if k != "lines"}
    return a


def test_fast_reader_gives_the_providers_base_map(tmp_path):
    import basemap_synth
    from qgis.core import QgsVectorLayer

    for name, make in (("borderline", borderline_sources), ("known", known_sources), ("crowded", crowded_sources)):
        results = build_both(tmp_path, as_gpkg(tmp_path, make, name), name)
        content = assert_same_files(results)
        assert len(results[True][4]) == 3 and not any(FALLBACK in line for line in results[True][3]), name
        assert len(content["base_map"]) == results[True][2]["count"] > 0
    path = str(tmp_path / "hostile.gpkg")
    to_gpkg(hostile_sources()[0], path)
    _add_bad_rows(path, "bdcdj")
    results = build_both(tmp_path, lambda: [QgsVectorLayer(path + "|layername=bdcdj", "bdcdj", "ogr")], "hostile")
    assert_same_files(results)
    assert results[True][4] == ["bdcdj"]
    kinds = sorted(r[2] for r in dump(results[True][1])["base_map_qa"])
    assert kinds.count("unusable_geometry") == 2 and kinds.count("empty_geometry") == 1
    uris = basemap_synth.make_sources(str(tmp_path / "grids.gpkg"), 300)
    results = build_both(tmp_path, lambda: [QgsVectorLayer(uris[k], k, "ogr") for k in ("bdcdj", "ydpw", "tdlyxz")],
                         "grids")
    content = assert_same_files(results)
    assert len(results[True][4]) == 3 and len(content["base_map"]) > 500


def _edit(path, sql):
    """``sql`` run by GDAL (its GeoPackage triggers call its own SQL functions)."""
    from osgeo import ogr

    ds = ogr.Open(path, 1)
    try:
        result = ds.ExecuteSQL(sql)
        if result is not None:
            ds.ReleaseResultSet(result)
    finally:
        ds = None


@pytest.mark.parametrize("case, reason", [
    ("date", "date '2019/5/1' in field 出让日期"),
    ("nul", "a text holding NUL in field 所属镇街"),
    ("real_in_int", "field 职工人数 holds float"),
    ("blob_in_text", "field 所属镇街 holds bytes"),
    ("int32", "an integer beyond 32 bits in field 职工人数"),
    ("polygon_in_multi", "a geometry other than a little-endian 2D multipolygon"),
    ("subset", "a filter on the layer"),
    ("crs", "another CRS than the target's"),
])
def test_fast_reader_falls_back_to_the_provider_and_says_why(tmp_path, case, reason):
    from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

    path = str(tmp_path / "src.gpkg")
    to_gpkg(hostile_sources()[0], path)
    edits = {
        "date": """UPDATE bdcdj SET "出让日期" = '2019/5/1' WHERE fid = 2""",
        "nul": """UPDATE bdcdj SET "所属镇街" = '临江' || char(0) || '镇' WHERE fid = 4""",
        "real_in_int": """UPDATE bdcdj SET "职工人数" = 2.5 WHERE fid = 4""",
        "blob_in_text": """UPDATE bdcdj SET "所属镇街" = X'FFFE' WHERE fid = 4""",
        "int32": """UPDATE bdcdj SET "职工人数" = 1099511627776 WHERE fid = 4""",
        # the blob of fid 4 as a Polygon: header and envelope (40 bytes), then the MultiPolygon's one part
        "polygon_in_multi": "UPDATE bdcdj SET geom = CAST(substr(geom, 1, 40) || substr(geom, 50) AS BLOB) "
                            "WHERE fid = 4",
    }
    if case in edits:
        _edit(path, edits[case])

    def layers():
        layer = QgsVectorLayer(path + "|layername=bdcdj", "bdcdj", "ogr")
        if case == "subset":
            assert layer.setSubsetString('"职工人数" IS NULL OR "职工人数" >= 0')
        return [layer]

    kwargs = {"target_crs": QgsCoordinateReferenceSystem("EPSG:4490")} if case == "crs" else {}
    results = build_both(tmp_path, layers, case, **kwargs)
    said = [line for line in results[True][3] if FALLBACK in line]
    assert len(said) == 1 and reason in said[0] and said[0].startswith("Source bdcdj:"), said
    assert results[True][4] == []
    assert_same_files(results)
