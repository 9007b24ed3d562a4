"""landeval:comparerounds: two evaluation years of a store, per parcel and summed by town and
class, checked against sums over the two years' layers; on both backends."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from store_support import store_place  # noqa: E402,F401

from landeval_plugin.core import store as stores  # noqa: E402
from landeval_plugin.core.store import compare  # noqa: E402


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
    for code, town, grade, *_ in YEAR_B:
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
