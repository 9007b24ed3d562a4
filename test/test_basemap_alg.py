"""landeval:buildbaselayer through Processing and qgis_process, PostGIS sources, real parcels."""
import json
import os
import shutil
import subprocess

import pytest
from test_basemap_core import box, known_sources, memory_layer, read, restore_shape_encoding, rows, write_gbk_shapefile  # noqa: F401 (autouse fixture)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_algorithm_defaults_roles_mappings_and_preset(run_alg, tmp_path):
    a, b, c = known_sources()
    out = str(tmp_path / "base.gpkg")
    res = run_alg("landeval:buildbaselayer", {"SOURCES": [a, b, c], "OUTPUT": out})
    assert res["PARCEL_COUNT"] == 7 and res["AREA_M2"] == pytest.approx(59500, abs=0.01)
    assert os.path.exists(res["QA_OUTPUT"])  # QA is written by default
    roles = {r["source"]: r["source_role"] for r in rows(out)}
    assert roles == {"bdcdj": "不动产登记", "ydpw": "用地批文", "tdlyxz": "土地利用现状"}
    # explicit roles, a mapping by layer name, the 三调 preset only, a prefix
    res = run_alg("landeval:buildbaselayer", {
        "SOURCES": [a, b, c], "ROLES": "不动产登记,国企填报,土地利用现状", "LAND_USE_PRESET": 2, "CODE_PREFIX": "SJ",
        "MAPPINGS": json.dumps({"ydpw": {"land_use_raw": "用地性质", "parcel_code": "地块编号", "owner": "批准日期"}},
                               ensure_ascii=False),
        "MIN_PIECE_M2": 30, "OUTPUT": out})
    result = rows(out)
    # 三调 only: codes 0601/0508 and the names 工业用地/物流仓储用地 count; M1, M2, W1 do not
    assert sorted((r["source"], r["land_use_raw"]) for r in result) == [
        ("bdcdj", "0601"), ("bdcdj", "工业用地"), ("tdlyxz", "0508"), ("ydpw", "物流仓储用地")]
    assert {r["source_role"] for r in result} == {"不动产登记", "国企填报", "土地利用现状"}
    assert sorted(r["parcel_code"] for r in result) == ["330122001001GB00001", "SJ-00001", "SJ-00002",
                                                        "SJ-城东街道-00001"]
    assert [r["owner"] for r in result if r["source"] == "ydpw"] == [None]  # mapped to an empty 批准日期


def test_algorithm_bad_mapping_fails_naming_layer(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    a, b, c = known_sources()
    out = str(tmp_path / "base.gpkg")
    with pytest.raises(QgsProcessingException, match="ydpw.*XYZ"):
        run_alg("landeval:buildbaselayer", {"SOURCES": [a, b], "MAPPINGS": '[null, {"land_use_raw": "XYZ"}]',
                                            "OUTPUT": out})
    with pytest.raises(QgsProcessingException, match="ydpw.*(土地用途|land_use_raw)"):
        run_alg("landeval:buildbaselayer", {"SOURCES": [a, b], "MAPPINGS": '{"ydpw": {"land_use_raw": ""}}',
                                            "OUTPUT": out})
    assert os.listdir(tmp_path) == []


def _qgis_process(*args):
    """qgis_process with the plugin enabled, in the syntax every QGIS version takes (test/qgis_cli.py)."""
    import qgis_cli

    ok, output = qgis_cli.enable()
    assert ok, output[-2000:]
    return qgis_cli.run(*args)


@pytest.mark.skipif(not os.path.exists(os.path.join(ROOT, "build", "landeval_plugin", "metadata.txt")),
                    reason="needs `make build` (make test builds first)")
def test_qgis_process_with_sources_and_output_only(tmp_path):
    import basemap_synth

    gpkg = str(tmp_path / "src.gpkg")
    uris = basemap_synth.make_sources(gpkg, n=120)
    gbk = write_gbk_shapefile(str(tmp_path / "ydpw_gbk.shp"), None, dy=-1000)  # south of the grids
    out = str(tmp_path / "base_map.gpkg")
    proc = _qgis_process("--json", "run", "landeval:buildbaselayer", "--", "SOURCES=" + uris["bdcdj"],
                         "SOURCES=" + gbk, "SOURCES=" + uris["tdlyxz"], "OUTPUT=" + out)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["OUTPUT"] == out and results["QA_OUTPUT"].endswith(".gpkg")  # a temporary file by default
    result = rows(out)
    assert len(result) == results["PARCEL_COUNT"] > 100
    owners = {r["owner"] for r in result if r["source"] == "ydpw_gbk"}
    assert owners == {"浙江精工机械有限公司", "桐庐顺丰仓储"}  # GBK without .cpg, read right
    assert {r["source_role"] for r in result} == {"不动产登记", "用地批文", "土地利用现状"}
    # the style with Chinese aliases travels inside the GeoPackage
    layer = read(out, "base_map")
    assert layer.attributeDisplayName(layer.fields().indexOf("area_mu")) == "面积(亩)"
    # unreadable file: named, nothing written
    bad = str(tmp_path / "bad.gpkg")
    proc = _qgis_process("run", "landeval:buildbaselayer", "--", "SOURCES=" + uris["bdcdj"],
                         "SOURCES=" + str(tmp_path / "missing.shp"), "OUTPUT=" + bad)
    assert proc.returncode != 0
    assert "missing.shp" in proc.stdout + proc.stderr
    assert not os.path.exists(bad)


# ---- PostGIS -------------------------------------------------------------------------------------
# scripts/start_postgis.sh's port (another one inside a test chroot, beside the host's server)
PG = dict(host="localhost", port=os.environ.get("LANDEVAL_PG_PORT", "5432"), dbname="landeval", user="landeval",
          password="landeval")


def _pg_uri(table=None):
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri()
    uri.setConnection(PG["host"], PG["port"], PG["dbname"], PG["user"], PG["password"])
    if table:
        uri.setDataSource("public", table, "geom", "", "id")
    return uri


def _pg_available():
    """None when a server answers, else the reason (scripts/start_postgis.sh starts one as root)."""
    exe = shutil.which("pg_isready")
    if not exe:
        return "pg_isready not found: PostgreSQL is not installed"
    proc = subprocess.run([exe, "-h", PG["host"], "-p", PG["port"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        return "no PostgreSQL server on {}:{} (run scripts/start_postgis.sh as root): {}".format(
            PG["host"], PG["port"], proc.stdout.decode(errors="replace").strip())
    return None


def test_postgis_source(tmp_path):
    from qgis.core import QgsVectorLayer, QgsVectorLayerExporter

    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    a, b, c = known_sources()
    table = "test_basemap_bdcdj"
    err, msg = QgsVectorLayerExporter.exportLayer(a, _pg_uri(table).uri(False), "postgres", a.crs(), False,
                                                  {"overwrite": True, "lowercaseFieldNames": False})
    assert err == QgsVectorLayerExporter.NoError, msg
    pg_layer = QgsVectorLayer(_pg_uri(table).uri(False), table, "postgres")
    assert pg_layer.isValid() and pg_layer.featureCount() == 4
    from landeval_plugin.core.basemap import basemap

    out = str(tmp_path / "pg.gpkg")
    summary = basemap.build([basemap.Source(pg_layer, name=table), basemap.Source(b), basemap.Source(c)], out,
                            str(tmp_path / "pg_qa.gpkg"))
    assert summary["count"] == 7 and summary["out_m2"] == pytest.approx(59500, abs=0.01)
    result = {r["parcel_code"]: r for r in rows(out)}
    assert result["330122001001GB00001"]["source"] == table
    assert result["330122001001GB00001"]["出租情况"] == "无" and result["330122001001GB00001"]["owner"] == "甲公司"
    assert "id" not in result["330122001001GB00001"]  # the table's key is the source_id, not an extra field


# ---- real parcels --------------------------------------------------------------------------------
def _copy_with_use(layer, name, dx=0.0, dy=0.0, keep=None):
    """Memory copy of a real parcel layer with 宗地代码 (MBL) and 土地用途 M1, moved by dx, dy."""
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    copy = QgsVectorLayer("MultiPolygon?crs=" + layer.crs().authid(), name, "memory")
    copy.dataProvider().addAttributes([QgsField("宗地代码", QVariant.Type.String),
                                       QgsField("土地用途", QVariant.Type.String)])
    copy.updateFields()
    feats = []
    for f in layer.getFeatures():
        g = f.geometry()
        if keep is not None and not keep(g):
            continue
        g.translate(dx, dy)
        nf = QgsFeature(copy.fields())
        nf.setGeometry(g)
        nf.setAttributes([str(f["MBL"]), "M1"])
        feats.append(nf)
    copy.dataProvider().addFeatures(feats)
    return copy


@pytest.mark.slow
def test_somerville_and_shifted_copy_cover_their_union(shared_layer, tmp_path):
    from qgis.core import QgsGeometry

    from landeval_plugin.core import units
    from landeval_plugin.core.basemap import basemap

    parcels = shared_layer("somerville_parcels.gpkg", "parcels")
    extent = parcels.extent()
    mid = extent.center().x()
    first = _copy_with_use(parcels, "somerville")
    # a second survey of the western half, 7.3 m east and 4.1 m north: partly overlapping
    second = _copy_with_use(parcels, "shifted", 7.3, 4.1,
                            keep=lambda g: not g.isEmpty() and g.centroid().asPoint().x() < mid)
    out = str(tmp_path / "real.gpkg")
    summary = basemap.build([basemap.Source(first), basemap.Source(second)], out, str(tmp_path / "real_qa.gpkg"))
    meter = units.AreaMeter(parcels.crs())
    geoms = []
    for layer in (first, second):
        for f in layer.getFeatures():
            g = f.geometry()
            if not g.isEmpty():
                geoms.append(g if g.isGeosValid() else g.makeValid())
    union_m2 = meter.m2(QgsGeometry.unaryUnion(geoms))
    result = rows(out)
    out_m2 = sum(r["area_m2"] for r in result)
    assert out_m2 == pytest.approx(union_m2, rel=1e-3)
    assert summary["out_m2"] == pytest.approx(out_m2, rel=1e-6)
    src = {r["source"] for r in result}
    assert src == {"somerville", "shifted"}
    acc0 = summary["accounts"][0]
    assert acc0["out_count"] == first.featureCount() - acc0["empty"]
    for acc in summary["accounts"]:
        assert acc["in_m2"] == pytest.approx(acc["filtered_m2"] + acc["covered_m2"] + acc["sliver_m2"] + acc["out_m2"],
                                             rel=1e-4)
    # the shifted copy only adds strips along the old western edge and outside the original
    assert 0 < summary["accounts"][1]["out_m2"] < 0.05 * summary["accounts"][0]["out_m2"]
    assert summary["accounts"][1]["sliver_count"] > 10
