"""landeval:comparerounds: two evaluation years of a store, per parcel and summed by town and
class, checked against sums over the two years' layers; on both backends."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from store_support import BACKENDS, store_places

from landeval_plugin.core import store as stores
from landeval_plugin.core.store import compare


@pytest.fixture(params=BACKENDS)
def store_place(request, tmp_path, qgis_app):
    """(backend, reference of a new store, PgPlace or None): every test using it runs on both backends."""
    yield from store_places(request, tmp_path)


def year_layer(rows):
    """rows: (code, town, grade, low_eff, prev_codes, tax_per_mu)."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549", "graded", "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in (
        ("parcel_code", QVariant.Type.String), ("town", QVariant.Type.String), ("grade", QVariant.Type.String),
        ("low_eff", QVariant.Type.Int), ("prev_codes", QVariant.Type.String), ("tax_per_mu", QVariant.Type.Double),
        ("grade_reason", QVariant.Type.String))])
    layer.updateFields()
    feats = []
    for i, (code, town, grade, low, prev, tpm) in enumerate(rows):
        f = QgsFeature(layer.fields())
        x = 500000 + i * 100.0
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 3400000, x + 60, 3400060)))
        f.setAttributes([code, town, grade, low, prev, tpm, "亩均税收 {} 万元/亩".format(tpm)])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


YEAR_A = [("K1", "甲镇", "B", 0, None, 20.0), ("K2", "甲镇", "D", 1, None, 1.0), ("K3", "乙镇", "C", 1, None, 2.5),
          ("K4", "乙镇", "D", 1, None, 0.8), ("K5", "乙镇", "A", 0, None, 40.0), ("K6", "甲镇", "C", 0, None, 9.0),
          ("K7", "甲镇", "B", 0, None, 15.0), ("K8", "乙镇", "B", 0, None, 14.0)]
YEAR_B = [("K1", "甲镇", "A", 0, None, 35.0),            # up
          ("K2", "甲镇", "B", 0, None, 12.0),            # up, left the list (出库)
          ("K3", "乙镇", "D", 1, None, 0.9),             # down, stayed
          ("K4", "乙镇", "D", 1, None, 0.7),             # stayed after improvement (register 已完成)
          ("K6", "甲镇", "D", 1, None, 1.5),             # down, entered
          ("K7a", "甲镇", "B", 0, "K7", 15.0), ("K7b", "甲镇", "C", 1, "K7", 4.0),   # K7 split
          ("K9", "乙镇", "C", 0, "K5,K8", 10.0),         # K5 and K8 merged
          ("K10", "甲镇", "B", 0, None, 16.0)]           # new


def test_comparerounds_per_parcel_and_sums(store_place, tmp_path, run_alg):
    _, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        store.write_layer(2024, "graded", year_layer(YEAR_A), run_id=store.record_run(2024, "grade"))
        store.write_layer(2025, "graded", year_layer(YEAR_B), run_id=store.record_run(2025, "grade"))
        fid = store.register_add(2024, "K4", path="提质")
        version = 1
        for status in ("已核实", "已认定", "已入库", "整治中", "已完成"):
            version = store.register_set_status(fid, version, status)
    finally:
        store.close()
    out = str(tmp_path / "changes.gpkg")
    result = run_alg("landeval:comparerounds", {"STORE": ref, "YEAR_A": 2024, "YEAR_B": 2025, "OUTPUT": out})
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(out, "changes", "ogr")
    got = {f["parcel_code"]: f for f in layer.getFeatures()}
    want = {"K1": ("kept", "up", "-"), "K2": ("kept", "up", "left"), "K3": ("kept", "down", "stayed"),
            "K4": ("kept", "same", "stayed after improvement"), "K5": ("merged", "-", "-"),
            "K6": ("kept", "down", "entered"), "K7": ("split", "-", "-"), "K7a": ("split", "same", "-"),
            "K7b": ("split", "down", "entered"), "K8": ("merged", "-", "-"), "K9": ("merged", "down", "-"),
            "K10": ("new", "-", "-")}
    assert {c: (f["change"], f["direction"], f["list_change"]) for c, f in got.items()} == want
    assert (got["K2"]["reason_a"], got["K2"]["reason_b"]) == ("亩均税收 1.0 万元/亩", "亩均税收 12.0 万元/亩")
    assert got["K9"]["prev_codes"] == "K5,K8" and not got["K1"].geometry().isNull()
    summary = json.loads(result["SUMMARY"])
    # checked against sums over the two years' layers
    list_a = sum(1 for r in YEAR_A if r[3] or r[2] == "D")
    list_b = sum(1 for r in YEAR_B if r[3] or r[2] == "D")
    assert (summary["list_a"], summary["list_b"]) == (list_a, list_b) == (3, 4)
    lc = summary["list_change"]
    # the later list = the earlier one - those that left + those that entered (no list parcel was split or merged)
    assert list_b == list_a - lc.get("left", 0) + lc.get("entered", 0)
    assert summary["parcels_a"] == len(YEAR_A) and summary["parcels_b"] == len(YEAR_B)
    by_town = {}
    for _code, town, grade, *_ in YEAR_B:
        by_town.setdefault(town, {}).setdefault(grade, 0)
        by_town[town][grade] += 1
    assert summary["by_town"] == by_town


def test_compare_refuses_missing_years(store_place):
    import pytest

    _, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        store.write_layer(2024, "graded", year_layer(YEAR_A))
        with pytest.raises(stores.StoreError, match="no evaluation year 2025"):
            compare.compare(store, 2024, 2025)
        with pytest.raises(stores.StoreError, match="earlier year"):
            compare.compare(store, 2025, 2024)
    finally:
        store.close()


def test_next_year_of_the_sample_and_its_comparison_add_up(tmp_path, run_alg):
    """landeval:samplenextyear on a generated district, both years graded into a store, compared:
    every count of the comparison equals a sum over the two graded layers."""
    from grade_fixtures import random_rows, write_layer
    from qgis.core import QgsVectorLayer

    year1 = write_layer(str(tmp_path / "y2024.gpkg"), random_rows(300, seed=21))
    y2 = str(tmp_path / "y2025.gpkg")
    res = run_alg("landeval:samplenextyear", {"INPUT": year1.source(), "SEED": 5, "OUTPUT": y2})
    kinds = json.loads(res["CHANGES"])
    assert sum(kinds.values()) == 300 and kinds["improve"] > 20 and kinds["decline"] > 20 and kinds["split"] >= 3
    before = {f["parcel_code"]: f for f in year1.getFeatures()}
    after = QgsVectorLayer(y2, "y2", "ogr")
    children = {}
    for f in after.getFeatures():
        if f["prev_codes"]:
            children.setdefault(f["prev_codes"], []).append(f)
        else:
            old = before[f["parcel_code"]]
            assert f["tax_10k_y1"] == pytest.approx(old["tax_10k"]) and f["tax_10k_y2"] == pytest.approx(
                old["tax_10k_y1"])
    assert len(children) == kinds["split"] and all(len(c) == 2 for c in children.values())
    for parent, parts in children.items():
        assert sum(p.geometry().area() for p in parts) == pytest.approx(before[parent].geometry().area(), rel=1e-6)
        assert sum(p["tax_10k_y1"] for p in parts) == pytest.approx(before[parent]["tax_10k"])
    assert after.featureCount() == 300 + kinds["split"]

    ref = str(tmp_path / "store.gpkg")
    run_alg("landeval:createstore", {"FILE": ref})
    for year, src in ((2024, year1.source()), (2025, y2)):
        run_alg("landeval:grade", {"INPUT": src, "STANDARD": "zhejiang_huangyan_2022", "YEAR": year,
                                   "OUTPUT": str(tmp_path / "g{}.gpkg".format(year)), "STORE": ref})
    out = str(tmp_path / "changes.gpkg")
    summary = json.loads(run_alg("landeval:comparerounds", {"STORE": ref, "YEAR_A": 2024, "YEAR_B": 2025,
                                                            "OUTPUT": out})["SUMMARY"])
    graded = {y: [f for f in QgsVectorLayer(str(tmp_path / "g{}.gpkg".format(y)), "g", "ogr").getFeatures()]
              for y in (2024, 2025)}
    on = {y: {f["parcel_code"] for f in graded[y] if f["low_eff"] or (f["grade_final"] or f["grade"]) == "D"}
          for y in graded}
    rows = list(QgsVectorLayer(out, "c", "ogr").getFeatures())
    assert (summary["list_a"], summary["list_b"]) == (len(on[2024]), len(on[2025]))
    lc = summary["list_change"]
    assert len(on[2025]) == lc.get("entered", 0) + lc.get("stayed", 0) + lc.get("stayed after improvement", 0)
    left = {r["parcel_code"] for r in rows if r["list_change"] == "left"}
    assert left == {c for c in on[2024] - on[2025] if c in {f["parcel_code"] for f in graded[2025]}}
    assert lc.get("entered", 0) > 0 and len(left) > 0 and lc.get("stayed", 0) > 0
    assert summary["change"]["split"] == 3 * kinds["split"] and summary["change"]["kept"] == 300 - kinds["split"]
    assert sum(sum(v.values()) for v in summary["by_town"].values()) == len(graded[2025])
    for town, classes in summary["by_town"].items():
        for grade, n in classes.items():
            assert n == sum(1 for f in graded[2025] if f["town"] == town and (f["grade_final"] or f["grade"]) == grade)
