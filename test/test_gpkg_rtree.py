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
    assert con.execute("SELECT count(*) FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index'").fetchone()[0] == 2
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
