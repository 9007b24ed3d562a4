"""core/gpkg_rtree: the bulk-loaded spatial index of a GeoPackage layer answers as GDAL's own."""
import os
import random
import sqlite3

import pytest

from landeval_plugin.core import gpkg_rtree


def _write(path, name, count, spatial_index, seed=3, empty_every=0, null_every=0, points=False):
    """A layer of ``count`` jittered squares (or points) written by GDAL; every ``empty_every``-th
    geometry empty, every ``null_every``-th missing."""
    from osgeo import ogr

    rnd = random.Random(seed)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path) if not os.path.exists(path) else ogr.Open(path, 1)
    layer = ds.CreateLayer(name, None, ogr.wkbPoint if points else ogr.wkbMultiPolygon,
                           ["SPATIAL_INDEX=" + ("YES" if spatial_index else "NO")])
    layer.CreateField(ogr.FieldDefn("n", ogr.OFTInteger))
    layer.StartTransaction()
    for k in range(count):
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("n", k)
        x, y = 500000 + rnd.uniform(0, 5000), 3400000 + rnd.uniform(0, 5000)
        if null_every and k % null_every == 1:
            pass
        elif empty_every and k % empty_every == 2:
            f.SetGeometry(ogr.Geometry(ogr.wkbMultiPolygon))
        elif points:
            f.SetGeometry(ogr.CreateGeometryFromWkt("POINT ({} {})".format(x, y)))
        else:
            w = rnd.uniform(0.001, 80)
            f.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON ((({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})))".format(
                x, y, x + w, y + rnd.uniform(0.001, 60))))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None


def _index(path, name):
    con = sqlite3.connect(path)
    try:
        rtree = "rtree_{}_geom".format(name)
        q = '"{}"'.format(rtree.replace('"', '""'))
        entries = sorted(con.execute("SELECT * FROM {}".format(q)).fetchall())
        triggers = sorted(r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
                                                    "name LIKE 'rtree%'"))
        ext = con.execute("SELECT * FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'").fetchall()
        check = con.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0]
        rnd = random.Random(5)
        answers = []
        for _ in range(200):
            x, y, w = 500000 + rnd.uniform(-100, 5100), 3400000 + rnd.uniform(-100, 5100), rnd.uniform(0, 800)
            answers.append(con.execute("SELECT id FROM {} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? "
                                       "ORDER BY id".format(q), (x, x + w, y, y + w)).fetchall())
    finally:
        con.close()
    return entries, triggers, ext, check, answers


@pytest.mark.parametrize("count", [0, 1, 51, 52, 2700, 9000])
def test_bulk_loaded_index_holds_what_gdal_would_and_answers_the_same(tmp_path, count):
    ours, gdal = str(tmp_path / "ours.gpkg"), str(tmp_path / "gdal.gpkg")
    _write(ours, "parcels", count, spatial_index=False, empty_every=97, null_every=89)
    _write(gdal, "parcels", count, spatial_index=True, empty_every=97, null_every=89)
    assert gpkg_rtree.build(ours, "parcels") == "bulk"
    e1, t1, x1, c1, a1 = _index(ours, "parcels")
    e2, t2, x2, c2, a2 = _index(gdal, "parcels")
    assert c1 == "ok" and c2 == "ok"
    assert e1 == e2  # the same boxes (rounded outward to float32 as SQLite does), empty and NULL left out
    assert len(e1) == count - len([k for k in range(count) if k % 89 == 1 or k % 97 == 2])
    assert t1 == t2 and x1 == x2  # GDAL's own triggers and extension row
    assert a1 == a2  # 200 window queries give the same parcels
    assert gpkg_rtree.build(ours, "parcels") == "present"  # never twice


def test_the_index_follows_later_edits_through_gdal(tmp_path):
    from osgeo import ogr

    path = str(tmp_path / "edit.gpkg")
    _write(path, "t", 300, spatial_index=False)
    gpkg_rtree.build(path, "t")
    ds = ogr.Open(path, 1)
    layer = ds.GetLayerByName("t")
    f = ogr.Feature(layer.GetLayerDefn())
    f.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON (((0 0,1 0,1 1,0 1,0 0)))"))
    layer.CreateFeature(f)
    new_fid = f.GetFID()
    layer.DeleteFeature(1)
    ds = None
    con = sqlite3.connect(path)
    ids = {r[0] for r in con.execute('SELECT id FROM "rtree_t_geom"')}
    assert new_fid in ids and 1 not in ids and len(ids) == 300
    assert con.execute("SELECT rtreecheck('rtree_t_geom')").fetchone()[0] == "ok"
    con.close()
    ds = ogr.Open(path)
    layer = ds.GetLayerByName("t")
    layer.SetSpatialFilterRect(-1, -1, 2, 2)
    assert [g.GetFID() for g in layer] == [new_fid]


def test_odd_layer_names_beside_other_layers(tmp_path):
    path = str(tmp_path / "two.gpkg")
    _write(path, "有 \"引号\" 的 层", 120, spatial_index=False)
    _write(path, "other", 10, spatial_index=True)
    assert gpkg_rtree.build(path, "有 \"引号\" 的 层") == "bulk"
    con = sqlite3.connect(path)
    assert con.execute("SELECT rtreecheck(?)", ('rtree_有 "引号" 的 层_geom',)).fetchone()[0] == "ok"
    sql = "SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'"
    assert con.execute(sql).fetchone()[0] == 2
    con.close()


def test_points_without_envelopes_are_left_to_gdal(tmp_path):
    ours, gdal = str(tmp_path / "ours.gpkg"), str(tmp_path / "gdal.gpkg")
    _write(ours, "pts", 500, spatial_index=False, points=True)
    _write(gdal, "pts", 500, spatial_index=True, points=True)
    assert gpkg_rtree.build(ours, "pts") == "gdal"
    assert _index(ours, "pts") == _index(gdal, "pts")


def test_a_layer_without_geometry_needs_no_index(tmp_path):
    from osgeo import ogr

    path = str(tmp_path / "table.gpkg")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    ds.CreateLayer("rows", None, ogr.wkbNone)
    ds = None
    assert gpkg_rtree.build(path, "rows") == "none"


def test_algorithm_outputs_get_a_sound_bulk_loaded_index(tmp_path, run_alg):
    """landeval:clusters writes both GeoPackages without GDAL's index and bulk-loads it: every
    output parcel and cluster is in its layer's index, and a window finds what the geometries say."""
    from qgis.core import QgsFeatureRequest, QgsRectangle, QgsVectorLayer

    src = str(tmp_path / "parcels.gpkg")
    from osgeo import ogr

    ds = ogr.GetDriverByName("GPKG").CreateDataSource(src)
    layer = ds.CreateLayer("parcels", None, ogr.wkbMultiPolygon, ["SPATIAL_INDEX=YES"])
    layer.CreateField(ogr.FieldDefn("grade", ogr.OFTString))
    for i in range(30):
        for j in range(20):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("grade", "D" if (i // 3 + j // 2) % 2 == 0 else "A")
            x, y = 500000 + 80 * i, 3400000 + 60 * j
            f.SetGeometry(ogr.CreateGeometryFromWkt("MULTIPOLYGON ((({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})))".format(
                x, y, x + 80, y + 60)))
            layer.CreateFeature(f)
    ds = None
    out, parcels = str(tmp_path / "c.gpkg"), str(tmp_path / "p.gpkg")
    res = run_alg("landeval:clusters", {"INPUT": src, "FILTER": "\"grade\" = 'D'", "OUTPUT": out,
                                        "OUTPUT_PARCELS": parcels})
    assert res["CLUSTER_COUNT"] > 0
    for path, name, count in ((out, "c", res["CLUSTER_COUNT"]), (parcels, "p", 600)):
        con = sqlite3.connect(path)
        assert con.execute("SELECT rtreecheck(?)", ("rtree_{}_geom".format(name),)).fetchone()[0] == "ok"
        assert con.execute('SELECT count(*) FROM "rtree_{}_geom"'.format(name)).fetchone()[0] == count
        con.close()
        lay = QgsVectorLayer("{}|layername={}".format(path, name), name, "ogr")
        assert lay.featureCount() == count
        window = QgsRectangle(500400, 3400300, 501000, 3400700)
        by_index = sorted(f.id() for f in lay.getFeatures(QgsFeatureRequest().setFilterRect(window)))
        by_geometry = sorted(f.id() for f in lay.getFeatures() if f.geometry().boundingBox().intersects(window))
        assert by_index == by_geometry and by_index


def _parcel_source(path, with_cluster_id=False, null_geometry=False, polygon=False, key="fid"):
    """A GeoPackage of 24 x 15 parcels in blocks of D parcels, with text, integer, real and yes/no
    fields (some NULL), optionally a stale string cluster_id and a parcel without geometry."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon if polygon else ogr.wkbMultiPolygon,
                           ["SPATIAL_INDEX=YES", "FID=" + key])
    for name, kind in (("parcel_code", ogr.OFTString), ("grade", ogr.OFTString), ("floors", ogr.OFTInteger),
                       ("tax_10k", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    flag = ogr.FieldDefn("low_eff", ogr.OFTInteger)
    flag.SetSubType(ogr.OFSTBoolean)
    layer.CreateField(flag)
    if with_cluster_id:
        layer.CreateField(ogr.FieldDefn("cluster_id", ogr.OFTString))
    n = 0
    for i in range(24):
        for j in range(15):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("parcel_code", "330122001001GB{:05d}".format(n))
            f.SetField("grade", "D" if (i // 3 + j // 2) % 2 == 0 else "B")
            if n % 7:
                f.SetField("floors", n % 5)
                f.SetField("tax_10k", n * 0.37)
            f.SetField("low_eff", 1 if n % 11 == 0 else 0)
            if with_cluster_id:
                f.SetField("cluster_id", "OLD-{}".format(n))
            x, y = 500000 + 80 * i + (n % 3) * 0.001, 3400000 + 60 * j
            ring = "(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + 80, y + 60)
            if not (null_geometry and n == 17):
                f.SetGeometry(ogr.CreateGeometryFromWkt(("POLYGON " if polygon else "MULTIPOLYGON (") + ring
                                                        + ("" if polygon else ")")))
            layer.CreateFeature(f)
            n += 1
    ds = None


@pytest.mark.parametrize("variant", ["plain", "stale_cluster_id", "null_geometry", "polygon", "other_key"])
def test_clusters_gdal_copy_of_the_parcels_is_the_feature_by_feature_copy(tmp_path, run_alg, monkeypatch, variant):
    """The parcels output copied by GDAL (a whole GeoPackage layer) holds exactly what the
    feature-by-feature copy writes (a QgsProcessingFeatureSourceDefinition input takes that way):
    the same table, fids, geometry bytes, values and cluster ids."""
    from qgis.core import QgsProcessingFeatureSourceDefinition

    from landeval_plugin.processing import base

    src = str(tmp_path / "parcels.gpkg")
    _parcel_source(src, with_cluster_id=variant == "stale_cluster_id", null_geometry=variant == "null_geometry",
                   polygon=variant == "polygon", key="ogc_fid" if variant == "other_key" else "fid")
    copies = []
    original = base.StagedSink.copy_gpkg_layer

    def counted(self, *args, **kwargs):
        copies.append(self.layer)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(base.StagedSink, "copy_gpkg_layer", counted)
    outs = {}
    for way, value in (("gdal", src), ("features", QgsProcessingFeatureSourceDefinition(src))):
        out = str(tmp_path / "{}_c.gpkg".format(way))
        parcels = str(tmp_path / "{}_p.gpkg".format(way))
        res = run_alg("landeval:clusters", {"INPUT": value, "OUTPUT": out, "OUTPUT_PARCELS": parcels,
                                            "FILTER": "\"grade\" = 'D' OR \"low_eff\""})
        outs[way] = (res, parcels, out)
    # the first run copied by GDAL, the second feature by feature; a source keyed by another
    # column than fid (its key becomes a plain field of the output) is always copied feature by feature
    assert copies == ([] if variant == "other_key" else ["gdal_p"])
    assert outs["gdal"][0]["CLUSTER_COUNT"] == outs["features"][0]["CLUSTER_COUNT"] > 0
    a = sqlite3.connect(outs["gdal"][1])
    b = sqlite3.connect(outs["features"][1])
    ta, tb = "gdal_p", "features_p"
    assert a.execute("SELECT sql FROM sqlite_master WHERE name = ?", (ta,)).fetchone()[0].replace(ta, "T") == \
        b.execute("SELECT sql FROM sqlite_master WHERE name = ?", (tb,)).fetchone()[0].replace(tb, "T")
    if variant == "other_key":
        assert "ogc_fid" in [r[1] for r in a.execute('PRAGMA table_info("{}")'.format(ta))]
    rows_a = a.execute('SELECT * FROM "{}" ORDER BY fid'.format(ta)).fetchall()
    rows_b = b.execute('SELECT * FROM "{}" ORDER BY fid'.format(tb)).fetchall()
    assert len(rows_a) == 360 and rows_a == rows_b
    cid = [r[1] for r in a.execute('PRAGMA table_info("{}")'.format(ta))].index("cluster_id")
    assert {r[cid] for r in rows_a} - {None} and not any(str(r[cid]).startswith("OLD") for r in rows_a)
    extent = "SELECT min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = ?"
    assert a.execute(extent, (ta,)).fetchone() == b.execute(extent, (tb,)).fetchone()
    entries = 'SELECT * FROM "rtree_{}_geom" ORDER BY id'
    assert a.execute(entries.format(ta)).fetchall() == b.execute(entries.format(tb)).fetchall()
    a.close()
    b.close()
