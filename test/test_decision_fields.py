"""Decisions recorded on a GeoPackage layer that lacks the decision fields are saved: the fields are
added, aliased in Chinese, and the commit succeeds (an alias set before the field was added made
the GeoPackage provider refuse the commit)."""

from osgeo import ogr, osr
from qgis.core import QgsVectorLayer

from landeval_plugin.core import review
from landeval_plugin.core.disposal import disposal


def _gpkg(path):
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    lyr = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("parcel_code", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("grade", ogr.OFTString))
    for i, grade in enumerate(("C", "D")):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("parcel_code", f"P{i:03d}")
        f.SetField("grade", grade)
        x = 500000 + i * 100
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x} 3000000,{x + 50} 3000000,{x + 50} 3000050,{x} 3000050,{x} 3000000))"))
        lyr.CreateFeature(f)
    ds = None
    layer = QgsVectorLayer(f"{path}|layername=parcels", "parcels", "ogr")
    assert layer.isValid()
    return layer


def _reopen(path):
    return QgsVectorLayer(f"{path}|layername=parcels", "again", "ogr")


def test_grade_review_on_a_gpkg_without_review_fields_is_saved(tmp_path):
    layer = _gpkg(tmp_path / "g.gpkg")
    fids = [f.id() for f in layer.getFeatures() if f["grade"] == "D"]
    assert review.apply_in_place(layer, fids, "C", "研判会：企业已整改", by="张三") == 1
    for name in review.REVIEW_FIELDS:
        idx = layer.fields().lookupField(name)
        assert idx >= 0 and any("\u4e00" <= ch <= "\u9fff" for ch in layer.attributeAlias(idx))
    assert layer.commitChanges(), layer.commitErrors()
    saved = {f["parcel_code"]: f["grade_final"] for f in _reopen(tmp_path / "g.gpkg").getFeatures()}
    assert saved["P001"] == "C"
    assert saved["P000"] != "C"


def test_disposal_decision_on_a_gpkg_without_decision_fields_is_saved(tmp_path):
    layer = _gpkg(tmp_path / "d.gpkg")
    fids = [f.id() for f in layer.getFeatures()]
    assert disposal.apply_decision(layer, fids, "收购收储", "研判会决定", "李四") == 2
    assert layer.commitChanges(), layer.commitErrors()
    saved = [f["disposal_final"] for f in _reopen(tmp_path / "d.gpkg").getFeatures()]
    assert saved == ["收购收储", "收购收储"]
