"""一张图 core: land-use presets, codes, encodings and a hand-made overlay with known answers."""
import os

import pytest

X0, Y0 = 500000.0, 3400000.0


@pytest.fixture(autouse=True)
def restore_shape_encoding():
    """QgsVectorFileWriter and setProviderEncoding clear GDAL's process-wide SHAPE_ENCODING;
    restore it so that later tests writing Shapefiles through OGR still recode."""
    from osgeo import gdal

    saved = gdal.GetConfigOption("SHAPE_ENCODING")
    yield
    gdal.SetConfigOption("SHAPE_ENCODING", saved)


def typed_layer(name, fields, rows, geometry="MultiPolygon", crs="EPSG:4549"):
    """Memory layer with typed fields: fields = [(name, QVariant type)], rows = [(wkt in local metres, values)]."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("{}?crs={}".format(geometry, crs) if crs else geometry, name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for wkt, values in rows:
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromWkt(wkt)
        g.translate(X0, Y0)
        f.setGeometry(g)
        f.setAttributes(values)
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)
    return layer


def memory_layer(name, columns, rows, crs="EPSG:4549"):
    """Polygon memory layer of text columns; rows = [(wkt in local metres, [values])]."""
    from qgis.PyQt.QtCore import QVariant

    return typed_layer(name, [(c, QVariant.Type.String) for c in columns], rows, "Polygon", crs)


def box(x, y, w, h):
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h)


def known_sources():
    """Three sources whose overlay result is worked out by hand (see test_overlay_known_answers)."""
    a = memory_layer("bdcdj", ["宗地代码", "土地用途", "权利人", "所属镇街", "项目类型", "出租情况"], [
        (box(0, 0, 100, 100), ["330122001001GB00001", "工业用地", "甲公司", "城东街道", "自用工业用地项目", "无"]),
        (box(100, 0, 100, 100), ["330122001001GB00002", "M1", "乙公司", "城东街道", "立项园区", "擅自出租-拒不改正"]),
        (box(300, 0, 50, 50), ["330122001001GB00003", "0701 城镇住宅用地", "丙", "城东街道", "", ""]),
        ("POLYGON((400 0, 500 100, 500 0, 400 100, 400 0))", ["ABC", "0601", "丁公司", "城东街道", "", ""]),
    ])
    b = memory_layer("ydpw", ["地块编号", "用地性质", "批准日期"], [
        (box(50, 0, 100, 100), ["PW1", "M2", "2019-05-01"]),     # covered by a1 + a2
        (box(195, 0, 100, 100), ["PW2", "M2", "2019/5/2"]),      # 5 m strip covered: 9,500 m² kept
        (box(-0.4, 0, 100, 100), ["PW3", "M1", "20190503"]),     # 0.4 m x 100 m = 40 m² sliver dropped
        (box(600, 0, 100, 100), ["330122001001GB00001", "W1", "2019年5月4日"]),  # duplicate of a1's code
        (box(650, 0, 100, 100), ["PW5", "物流仓储用地", ""]),    # overlaps PW4 (same source) by 5,000 m²
    ])
    c = memory_layer("tdlyxz", ["BSM", "DLBM"], [
        (box(0, 200, 100, 100), ["TB1", "0508"]),
        (box(0, 300, 100, 100), ["TB2", ""]),                    # missing land use
    ])
    return a, b, c


def build(tmp_path, layers, name="base", **kwargs):
    from landeval_plugin.core.basemap import basemap

    out = str(tmp_path / "{}.gpkg".format(name))
    qa = str(tmp_path / "{}_qa.gpkg".format(name))
    sources = [basemap.Source(layer) for layer in layers]
    summary = basemap.build(sources, out, qa, **kwargs)
    return out, qa, summary


def read(path, layer_name):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("{}|layername={}".format(path, layer_name), layer_name, "ogr")
    assert layer.isValid(), path
    return layer


def rows(path, layer_name="base_map"):
    layer = read(path, layer_name)
    result = []
    for f in layer.getFeatures():
        d = {name: f[name] for name in layer.fields().names()}
        d["_geom"] = f.geometry()
        result.append(d)
    return result


# ---- land-use presets ---------------------------------------------------------------------------
def test_land_use_presets_codes_and_names():
    from landeval_plugin.core.basemap import landuse

    all_presets = landuse.Classifier()
    assert {p.key for p in all_presets.presets} == {"gtkj_2023", "sandiao", "gb50137"}
    cases = {"100101": "工业", "1001": "工业", "１００１０２": "工业", "110102": "仓储", "1102": "仓储",
             "0601": "工业", "0508": "仓储", "M": "工业", "m2": "工业", "W3": "仓储", "M1 一类工业用地": "工业",
             "工业用地(0601)": "工业", "二类物流仓储用地": "仓储", "新型产业用地": "研发", "M0": "研发",
             "0701": None, "城镇住宅用地": None, "B1": None, "": None, None: None, "商业服务业用地": None}
    for raw, expected in cases.items():
        assert all_presets.classify(raw) == expected, raw
    sandiao = landuse.Classifier(["sandiao"])
    assert sandiao.classify("0601") == "工业"
    assert sandiao.classify("M1") is None and sandiao.classify("100101") is None
    with pytest.raises(ValueError):
        landuse.Classifier(["nope"])


def test_presets_are_editable_data_files():
    from landeval_plugin.core import schema
    from landeval_plugin.core.basemap import landuse

    for preset in landuse.presets():
        data = schema.load_yaml(preset.path)
        assert set(data["classes"]) <= set(landuse.CLASSES)
        assert preset.name and preset.path.endswith(".yaml")


# ---- codes ---------------------------------------------------------------------------------------
def test_parcel_code_validation():
    from landeval_plugin.core import parcel_code

    assert parcel_code.valid_code("330122001001GB00001") == "330122001001GB00001"
    assert parcel_code.valid_code(" 330122001001gb00001 ") == "330122001001GB00001"
    # a 28-character 不动产单元号 carries the 宗地代码 in its first 19 characters
    assert parcel_code.valid_code("330122001001GB00001F00010001") == "330122001001GB00001"
    for bad in ("33012200100GB00001", "330122001001G100001", "ABC", "", None, "330122001001GB0000X"):
        assert parcel_code.valid_code(bad) is None, bad
    assert parcel_code.generated_code("LE", "城东街道", 7) == "LE-城东街道-00007"
    assert parcel_code.generated_code("LE", "", 7) == "LE-00007"


# ---- overlay with known answers ------------------------------------------------------------------
def test_overlay_known_answers(tmp_path):
    out, qa, summary = build(tmp_path, known_sources())
    result = {(r["source"], r["source_id"]): r for r in rows(out)}
    # bdcdj: a1, a2 (valid codes), a4 repaired; a3 residential left out. ydpw: PW2, PW4, PW5. tdlyxz: TB1
    assert len(result) == 7
    by_id = {r["parcel_code"]: r for r in result.values()}
    a1 = by_id["330122001001GB00001"]
    assert a1["source"] == "bdcdj" and a1["source_role"] == "不动产登记" and a1["area_m2"] == pytest.approx(10000)
    assert a1["area_mu"] == pytest.approx(15.0) and a1["area_ha"] == pytest.approx(1.0)
    assert a1["land_use"] == "工业" and a1["land_use_raw"] == "工业用地" and a1["owner"] == "甲公司"
    # extra fields survive under their own names (the grade step reads them)
    assert a1["项目类型"] == "自用工业用地项目" and a1["出租情况"] == "无"
    assert by_id["330122001001GB00002"]["出租情况"] == "擅自出租-拒不改正"
    areas = {r["land_use_raw"] + "/" + (r["source"] or ""): r["area_m2"] for r in result.values()}
    assert sum(r["area_m2"] for r in result.values()) == pytest.approx(59500.0, abs=0.01)
    assert "批准日期" not in a1 and "地块编号" not in a1  # mapped fields are not carried twice
    ydpw = {r["parcel_code"]: r for r in result.values() if r["source"] == "ydpw"}
    assert sorted(round(r["area_m2"], 2) for r in ydpw.values()) == [5000.0, 9500.0, 10000.0], areas
    dates = sorted(r["supply_date"].toString("yyyy-MM-dd") for r in ydpw.values() if r["supply_date"])
    assert dates == ["2019-05-02", "2019-05-04"]
    # generated codes: town, then position north to south; identical on a re-run
    codes = sorted(r["parcel_code"] for r in result.values())
    assert codes == ["330122001001GB00001", "330122001001GB00002", "LE-00001", "LE-00002", "LE-00003", "LE-00004",
                     "LE-城东街道-00001"]
    tb1 = [r for r in result.values() if r["source"] == "tdlyxz"][0]
    assert tb1["parcel_code"] == "LE-00001" and tb1["land_use"] == "仓储"
    pw4 = [r for r in result.values() if r["source"] == "ydpw" and r["area_m2"] == pytest.approx(10000)][0]
    assert pw4["parcel_code"] == "LE-00003"  # its 宗地代码 duplicates a1's: reported, new code
    # QA: one row per problem, plus the area accounting
    qa_rows = rows(qa, "base_map_qa")
    kinds = {}
    for r in qa_rows:
        kinds.setdefault(r["kind"], []).append(r)
    assert len(kinds["invalid_geometry"]) == 1 and kinds["invalid_geometry"][0]["area_m2"] == pytest.approx(5000)
    message = kinds["invalid_geometry"][0]["message"]
    assert "Self-intersection" in message or "自相交" in message
    assert [r["area_m2"] for r in kinds["sliver_dropped"]] == [pytest.approx(40.0)]
    assert kinds["sliver_dropped"][0]["source"] == "ydpw" and not kinds["sliver_dropped"][0]["_geom"].isEmpty()
    assert [r["area_m2"] for r in kinds["overlap_same_source"]] == [pytest.approx(5000.0)]
    assert [r["parcel_code"] for r in kinds["duplicate_code"]] == ["330122001001GB00001"]
    assert [r["parcel_code"] for r in kinds["invalid_code"]] == ["ABC"]
    assert len(kinds["missing_land_use"]) == 1 and kinds["missing_land_use"][0]["source"] == "tdlyxz"
    assert len(kinds["outside_filter"]) == 1 and "0701" in kinds["outside_filter"][0]["message"]
    assert len(kinds["area_accounting"]) == 4
    acc = summary["accounts"]
    assert acc[0]["in_m2"] == pytest.approx(27500) and acc[0]["filtered_m2"] == pytest.approx(2500)
    assert acc[1]["in_m2"] == pytest.approx(50000) and acc[1]["covered_m2"] == pytest.approx(25460, abs=0.01)
    assert acc[1]["sliver_m2"] == pytest.approx(40, abs=0.01) and acc[1]["out_m2"] == pytest.approx(24500, abs=0.01)
    assert acc[2]["filtered_m2"] == pytest.approx(10000) and acc[2]["out_m2"] == pytest.approx(10000)
    for a in acc:  # in = filtered + covered + slivers + out
        assert a["in_m2"] == pytest.approx(a["filtered_m2"] + a["covered_m2"] + a["sliver_m2"] + a["out_m2"], rel=1e-4)


def test_output_has_no_overlaps_and_union_area_is_kept(tmp_path):
    from qgis.core import QgsGeometry

    out, _, _ = build(tmp_path, known_sources())
    geoms = [r["_geom"] for r in rows(out)]
    total = sum(g.area() for g in geoms)
    assert QgsGeometry.unaryUnion(geoms).area() == pytest.approx(total, abs=0.01)
    for i, g in enumerate(geoms):
        for h in geoms[i + 1:]:
            assert g.intersection(h).area() < 0.01


def test_rerun_gives_identical_codes_and_previous_keeps_codes(tmp_path):
    from landeval_plugin.core.basemap import basemap

    out1, _, _ = build(tmp_path, known_sources(), "run1")
    out2, _, _ = build(tmp_path, known_sources(), "run2")
    key = lambda r: (r["source"], r["source_id"])  # noqa: E731
    first = {key(r): r["parcel_code"] for r in rows(out1)}
    assert first == {key(r): r["parcel_code"] for r in rows(out2)}
    # next year: TB1 is gone and PW4 moved 3 m (IoU 0.94): without PREVIOUS PW4 would become LE-00002
    a, b, c = known_sources()
    b.dataProvider().changeGeometryValues({4: _moved(b.getFeature(4).geometry(), 3)})
    c.dataProvider().deleteFeatures([1])
    out3, _, s3 = build(tmp_path, [a, b, c], "run3")
    third = {key(r): r["parcel_code"] for r in rows(out3)}
    assert third[("ydpw", "4")] == "LE-00002"
    a, b, c = known_sources()
    b.dataProvider().changeGeometryValues({4: _moved(b.getFeature(4).geometry(), 3)})
    c.dataProvider().deleteFeatures([1])
    previous = read(out1, "base_map")
    out4, qa4, s4 = build(tmp_path, [a, b, c], "run4", previous=previous)
    fourth = {key(r): r["parcel_code"] for r in rows(out4)}
    assert fourth[("ydpw", "4")] == first[("ydpw", "4")] == "LE-00003"
    assert fourth[("ydpw", "5")] == first[("ydpw", "5")] == "LE-00004"
    assert fourth[("bdcdj", "4")] == first[("bdcdj", "4")]
    assert s4["kept_previous"] == 6 and s4["generated"] == 0
    assert len(set(fourth.values())) == len(fourth)
    assert isinstance(basemap.Source(previous).name, str)


def _moved(geometry, dx):
    from qgis.core import QgsGeometry

    g = QgsGeometry(geometry)
    g.translate(dx, 0)
    return g


def test_previous_below_iou_threshold_gets_a_new_code(tmp_path):
    a = memory_layer("p", ["宗地代码", "土地用途"], [(box(0, 0, 100, 100), ["", "M1"])])
    out1, _, _ = build(tmp_path, [a], "y1")
    assert [r["parcel_code"] for r in rows(out1)] == ["LE-00001"]
    b = memory_layer("p", ["宗地代码", "土地用途"], [(box(0, 200, 100, 100), ["", "M1"]),
                                                  (box(15, 0, 100, 100), ["", "M1"])])  # IoU 0.74
    out2, _, s2 = build(tmp_path, [b], "y2", previous=read(out1, "base_map"))
    codes = {r["source_id"]: r["parcel_code"] for r in rows(out2)}
    # the northern parcel is numbered first; LE-00001 is last year's and not reused
    assert codes == {"1": "LE-00002", "2": "LE-00003"}
    c = memory_layer("p", ["宗地代码", "土地用途"], [(box(0, 200, 100, 100), ["", "M1"]),
                                                  (box(4, 0, 100, 100), ["", "M1"])])  # IoU 0.923
    out3, _, s3 = build(tmp_path, [c], "y3", previous=read(out1, "base_map"))
    assert {r["source_id"]: r["parcel_code"] for r in rows(out3)} == {"1": "LE-00002", "2": "LE-00001"}
    assert s3["kept_previous"] == 1


def test_geographic_target_crs_uses_ellipsoidal_area(tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem

    a = memory_layer("a", ["宗地代码", "土地用途"], [(box(0, 0, 100, 100), ["330122001001GB00001", "M1"])])
    out, _, _ = build(tmp_path, [a], target_crs=QgsCoordinateReferenceSystem("EPSG:4490"))
    layer = read(out, "base_map")
    assert layer.crs().authid() == "EPSG:4490"
    (r,) = rows(out)
    assert r["area_m2"] == pytest.approx(10000, rel=2e-3)  # ellipsoidal, not square degrees
    assert r["_geom"].boundingBox().xMinimum() == pytest.approx(120.0, abs=0.01)


def _reprojected(layer, authid):
    """Memory copy of ``layer`` in another CRS (the same parcels, other coordinates)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsProject, QgsVectorLayer

    crs = QgsCoordinateReferenceSystem(authid)
    copy = QgsVectorLayer("Polygon?crs=" + authid, layer.name(), "memory")
    copy.dataProvider().addAttributes(layer.fields().toList())
    copy.updateFields()
    transform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
    feats = []
    for f in layer.getFeatures():
        g = f.geometry()
        g.transform(transform)
        nf = QgsFeature(copy.fields())
        nf.setGeometry(g)
        nf.setAttributes(f.attributes())
        feats.append(nf)
    copy.dataProvider().addFeatures(feats)
    return copy


def test_sources_in_different_crs(tmp_path):
    """用地批文 in CGCS2000 geographic, 现状 in CGCS2000 GK zone 40 (EPSG:4528): same answers
    as all in EPSG:4549, in the first source's CRS; overlaps are found across the CRSs."""
    a, b, c = known_sources()
    out, qa, summary = build(tmp_path, [a, _reprojected(b, "EPSG:4490"), _reprojected(c, "EPSG:4528")])
    assert read(out, "base_map").crs().authid() == "EPSG:4549"
    result = rows(out)
    assert len(result) == 7
    assert sum(r["area_m2"] for r in result) == pytest.approx(59500.0, rel=1e-5)
    ydpw = sorted(round(r["area_m2"]) for r in result if r["source"] == "ydpw")
    assert ydpw == [5000, 9500, 10000]
    assert summary["accounts"][1]["sliver_m2"] == pytest.approx(40.0, rel=1e-3)
    # the geographic source first: the base map is in EPSG:4490 with ellipsoidal areas
    a, b, c = known_sources()
    out, _, summary = build(tmp_path, [_reprojected(a, "EPSG:4490"), b, c], "geo")
    assert read(out, "base_map").crs().authid() == "EPSG:4490"
    assert summary["out_m2"] == pytest.approx(59500.0, rel=2e-3)


def test_issue_field_names_are_detected():
    """Every name listed in issue 3, also in lower case (PostGIS folds names), maps to its field."""
    from landeval_plugin.core import schema
    from landeval_plugin.core.basemap import source_reader

    listed = {"parcel_code": "宗地代码 宗地编码 地块编码 地块编号 不动产单元号 ZDDM DKBM BDCDYH",
              "owner": "权利人 权利人名称 使用权人 土地使用者 QLR",
              "land_use_raw": "土地用途 用地性质 地类编码 地类名称 规划用途 TDYT DLBM DLMC YDXZ",
              "town": "所属镇街 镇街 乡镇 街道 XZQMC", "address": "坐落 土地坐落 ZL",
              "supply_date": "供地日期 出让日期 批准日期 GDRQ"}
    for std, names in listed.items():
        for name in names.split():
            for column in (name, name.lower()):
                mapping = schema.detect_mapping(["OBJECTID", column, "备注"], wanted=list(source_reader.INPUT_FIELDS))
                assert mapping == {std: column}, column
    # names before codes: DLMC means the same in every classification, DLBM does not
    assert source_reader.detect_mapping(memory_layer("x", ["DLBM", "DLMC", "BSM"], []))["land_use_raw"] == "DLMC"


# ---- bad input -----------------------------------------------------------------------------------
def _no_files(tmp_path):
    return [f for f in os.listdir(tmp_path) if not f.startswith("src")]


def test_bad_inputs_name_layer_and_field_and_write_nothing(tmp_path):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.basemap import basemap

    good = memory_layer("good", ["宗地代码", "土地用途"], [(box(0, 0, 10, 10), ["", "M1"])])
    no_lu = memory_layer("nolu", ["宗地代码", "备注"], [(box(0, 0, 10, 10), ["", "x"])])
    with pytest.raises(basemap.SourceError, match=r"nolu.*(土地用途|land_use_raw)"):
        build(tmp_path, [good, no_lu])
    no_code = memory_layer("nocode", ["土地用途"], [(box(0, 0, 10, 10), ["M1"])])
    with pytest.raises(basemap.SourceError, match=r"nocode.*宗地代码"):
        build(tmp_path, [no_code])
    points = QgsVectorLayer("Point?crs=EPSG:4549&field=a:string", "pts", "memory")
    with pytest.raises(basemap.SourceError, match=r"pts.*no polygons"):
        build(tmp_path, [good, points])
    from basemap_synth import _write, fields_of
    from qgis.core import QgsGeometry
    from qgis.PyQt.QtCore import QVariant

    shp = str(tmp_path / "src_nocrs.shp")
    _write(shp, "x", fields_of([("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String)]),
           [(QgsGeometry.fromWkt(box(0, 0, 10, 10)), ["", "M1"])], driver="ESRI Shapefile")
    os.remove(shp[:-4] + ".prj")
    no_crs = QgsVectorLayer(shp, "nocrs", "ogr")
    with pytest.raises(basemap.SourceError, match=r"nocrs.*coordinate reference system"):
        build(tmp_path, [no_crs])
    gpkg = str(tmp_path / "src_nocode.gpkg")
    _write(gpkg, "现状无编码", fields_of([("土地用途", QVariant.Type.String), ("备注", QVariant.Type.String)]),
           [(QgsGeometry.fromWkt(box(0, 0, 10, 10)), ["M1", "x"])])
    no_code_gpkg = QgsVectorLayer(gpkg + "|layername=现状无编码", "现状无编码", "ogr")
    with pytest.raises(basemap.SourceError) as err:
        build(tmp_path, [no_code_gpkg])
    # names the layer and the field; the example is a real column, not the GeoPackage fid
    message = str(err.value)
    del err  # its traceback holds the layers: let them go before QGIS exits
    assert "现状无编码" in message and "宗地代码 (parcel_code)" in message
    assert '{"parcel_code": "备注"}' in message
    missing = QgsVectorLayer(str(tmp_path / "nothere.shp"), "nothere", "ogr")
    with pytest.raises(basemap.SourceError, match=r"nothere.*cannot be read"):
        build(tmp_path, [good, missing])
    wrong = basemap.Source(good, mapping={"land_use_raw": "用途X"})
    with pytest.raises(basemap.SourceError, match=r"good.*用途X"):
        basemap.build([wrong], str(tmp_path / "w.gpkg"), str(tmp_path / "w_qa.gpkg"))
    assert _no_files(tmp_path) == []


def test_cancel_leaves_nothing(tmp_path):
    from qgis.core import QgsFeedback

    from landeval_plugin.core.basemap import basemap

    feedback = QgsFeedback()
    feedback.cancel()
    with pytest.raises(basemap.Cancelled):
        build(tmp_path, known_sources(), feedback=feedback)
    assert _no_files(tmp_path) == []


# ---- encodings -----------------------------------------------------------------------------------
def write_gbk_shapefile(path, cpg, dy=0.0):
    """A 用地批文 Shapefile with Chinese field names in GBK; ``cpg``: None (absent), or its text."""
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
    from qgis.PyQt.QtCore import QVariant

    fields = QgsFields()
    for name in ("地块编号", "用地性质", "权利人", "所属镇街", "项目类型"):
        fields.append(QgsField(name, QVariant.Type.String, len=40))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "ESRI Shapefile"
    options.fileEncoding = "GBK"
    writer = QgsVectorFileWriter.create(path, fields, QgsWkbTypes.Polygon, QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsProject.instance().transformContext(), options)
    for i, (lu, owner, town) in enumerate([("二类工业用地", "浙江精工机械有限公司", "城东街道"),
                                           ("物流仓储用地", "桐庐顺丰仓储", "临江镇"),
                                           ("城镇住宅用地", "某房产", "临江镇")]):
        f = QgsFeature(fields)
        g = QgsGeometry.fromWkt(box(i * 100, dy, 100, 100))
        g.translate(X0, Y0)
        f.setGeometry(g)
        f.setAttributes(["PW{}".format(i + 1), lu, owner, town, "立项园区"])
        writer.addFeature(f)
    del writer
    cpg_path = path[:-4] + ".cpg"
    if cpg is None:
        os.remove(cpg_path)
    else:
        with open(cpg_path, "w") as fh:
            fh.write(cpg)
    return path


@pytest.mark.parametrize("cpg", [None, "GBK", "UTF-8"])
def test_gbk_shapefile_with_chinese_field_names(tmp_path, cpg):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.basemap import source_reader

    path = write_gbk_shapefile(str(tmp_path / "src_ydpw_gbk.shp"), cpg)
    with open(path[:-4] + ".dbf", "rb") as fh:
        raw = fh.read()
    assert "精工".encode("gbk") in raw and "精工".encode("utf-8") not in raw
    assert source_reader.detect_dbf_encoding(path) == "GBK"
    layer = QgsVectorLayer(path, "ydpw_gbk", "ogr")
    out, _, summary = build(tmp_path, [layer])
    result = rows(out)
    assert sorted(r["owner"] for r in result) == ["桐庐顺丰仓储", "浙江精工机械有限公司"]
    assert sorted(r["land_use"] for r in result) == ["仓储", "工业"]
    assert {r["town"] for r in result} == {"城东街道", "临江镇"}
    assert {r["项目类型"] for r in result} == {"立项园区"}
    assert summary["accounts"][0]["filtered_count"] == 1
    # the user's layer object is not modified
    assert layer.dataProvider().encoding() != "GBK" or cpg == "GBK"


def test_utf8_shapefile_is_left_alone(tmp_path):
    from basemap_synth import _write, fields_of
    from qgis.core import QgsGeometry
    from qgis.PyQt.QtCore import QVariant

    from landeval_plugin.core.basemap import source_reader

    path = str(tmp_path / "src_utf8.shp")
    _write(path, "x", fields_of([("用途", QVariant.Type.String)]),
           [(QgsGeometry.fromWkt(box(0, 0, 1, 1)), ["工业用地"])],
           driver="ESRI Shapefile")
    assert source_reader.detect_dbf_encoding(path) == "UTF-8"


def test_mapping_detection_and_parameters():
    from landeval_plugin.core.basemap import source_reader

    a, b, c = known_sources()
    assert source_reader.detect_mapping(a) == {"parcel_code": "宗地代码", "land_use_raw": "土地用途", "owner": "权利人",
                                               "town": "所属镇街"}
    assert source_reader.detect_mapping(b) == {"parcel_code": "地块编号", "land_use_raw": "用地性质",
                                               "supply_date": "批准日期"}
    assert source_reader.detect_mapping(c) == {"parcel_code": "BSM", "land_use_raw": "DLBM"}
    assert source_reader.resolve_mapping(b, {"parcel_code": "", "owner": "批准日期"})["owner"] == "批准日期"
    assert "parcel_code" not in source_reader.resolve_mapping(b, {"parcel_code": ""})
    assert source_reader.parse_roles("", 4) == ["bdcdj", "ydpw", "tdlyxz", "other"]
    assert source_reader.parse_roles("用地批文,国企填报", 3) == ["ydpw", "soe", "tdlyxz"]
    names = ["bdcdj", "ydpw", "tdlyxz"]
    assert source_reader.parse_mappings('{"tdlyxz": {"land_use_raw": "DLMC"}}', names) == [None, None, {
        "land_use_raw": "DLMC"}]
    assert source_reader.parse_mappings('[null, {"owner": "X"}]', names) == [None, {"owner": "X"}, None]
    assert source_reader.parse_mappings('{"1": {"owner": "X"}}', names)[1] == {"owner": "X"}
    with pytest.raises(source_reader.SourceError, match="JSON"):
        source_reader.parse_mappings("{oops", names)
    with pytest.raises(source_reader.SourceError, match="nope"):
        source_reader.parse_mappings('{"nope": {}}', names)


def test_generated_grids_area_accounting_to_a_hundredth_of_a_percent(tmp_path):
    """Three contiguous grids overlapping by half (test/basemap_synth.py): output = union - slivers."""
    import basemap_synth
    from qgis.core import QgsGeometry, QgsVectorLayer

    from landeval_plugin.core.basemap import landuse

    uris = basemap_synth.make_sources(str(tmp_path / "src_grids.gpkg"), n=400, shift=0.5)
    layers = [QgsVectorLayer(uris[name], name, "ogr") for name in ("bdcdj", "ydpw", "tdlyxz")]
    out, qa, summary = build(tmp_path, layers)
    classifier = landuse.Classifier()
    fields = {"bdcdj": "土地用途", "ydpw": "用地性质", "tdlyxz": "DLMC"}
    kept = [f.geometry() for layer in layers for f in layer.getFeatures()
            if classifier.classify(f[fields[layer.name()]])]
    union_m2 = QgsGeometry.unaryUnion(kept).area()
    result = rows(out)
    out_m2 = sum(r["area_m2"] for r in result)
    slivers = sum(a["sliver_m2"] for a in summary["accounts"])
    assert out_m2 == pytest.approx(union_m2 - slivers, rel=1e-4)
    assert slivers > 0 and summary["accounts"][0]["covered_m2"] == pytest.approx(0, abs=0.01)
    # the 0.5 m strip of each ydpw parcel at bdcdj's east edge is a 30 m² sliver
    sliver_rows = [r for r in rows(qa, "base_map_qa") if r["kind"] == "sliver_dropped" and r["source"] == "ydpw"]
    assert sliver_rows and all(r["area_m2"] == pytest.approx(30.0, abs=0.01) for r in sliver_rows)
    for a in summary["accounts"]:
        assert a["in_m2"] == pytest.approx(a["filtered_m2"] + a["covered_m2"] + a["sliver_m2"] + a["out_m2"], rel=1e-4)
    codes = [r["parcel_code"] for r in result]
    assert len(set(codes)) == len(codes)
    assert sum(1 for c in codes if len(c) == 19) == summary["kept_valid"] == summary["accounts"][0]["out_count"]
