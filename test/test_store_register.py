"""The disposal register (台账) of a store (issue 16.2), on both backends: the formatted Excel 台账
(landeval:registerexport and the store panel's button), and a parcel fixed under D re-evaluated
(复评) the year after: the sample's next year fixes it, comparerounds says whether it left the list
or stayed after improvement, and its printed 一地一档 sheet shows both years."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from store_support import BACKENDS, store_places

from landeval_plugin.core import store as stores
from landeval_plugin.core.store import register


@pytest.fixture(params=BACKENDS)
def store_place(request, tmp_path, qgis_app):
    """(backend, reference of a new store, PgPlace or None): every test using it runs on both backends."""
    yield from store_places(request, tmp_path)


# (code, town, owner, 亩, class, low_eff, tags)
PARCELS = [("R01", "甲镇", "=HYPERLINK(\"http://x\",\"点我\")", 12.5, "D", 1, "亩均税收低"),
           ("R02", "甲镇", "甲公司", 3.25, "C", 1, "闲置"),
           ("R03", "乙镇", "乙公司", 8.0, "D", 0, None),
           ("R04", "乙镇", "丙公司", 20.0, "B", 0, None),
           ("R05", "甲镇", "@丁公司", 1.75, "A", 0, None)]


def graded_layer(rows=PARCELS):
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549", "graded", "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in (
        ("parcel_code", QVariant.Type.String), ("town", QVariant.Type.String), ("owner", QVariant.Type.String),
        ("area_mu", QVariant.Type.Double), ("grade", QVariant.Type.String), ("low_eff", QVariant.Type.Int),
        ("low_eff_tags", QVariant.Type.String))])
    layer.updateFields()
    feats = []
    for i, row in enumerate(rows):
        f = QgsFeature(layer.fields())
        x = 500000 + i * 100.0
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 3400000, x + 60, 3400060)))
        f.setAttributes(list(row))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _filled(ref):
    store = stores.create_store(ref)
    try:
        store.write_layer(2024, "graded", graded_layer(), run_id=store.record_run(2024, "grade"))
        a = store.register_add(2024, "R01", path="收储", responsible_unit="甲镇人民政府", deadline="2025-06-30",
                               notes="=cmd|' /C calc'!A0", attachments=["档案/R01 核查表.pdf", "照片/R01.jpg"])
        b = store.register_add(2024, "R02", path="提质")
        store.register_add(2024, "R03", path="整治", responsible_unit="乙镇")
        version = 1
        for status in ("已核实", "已认定", "已入库", "整治中", "已完成"):
            version = store.register_set_status(a, version, status)
        store.register_set_status(b, 1, "已核实", notes="属地核实：闲置两年")
    finally:
        store.close()


def test_registerexport_writes_a_formatted_workbook(store_place, tmp_path, run_alg):
    from openpyxl import load_workbook
    from qgis.core import QgsProcessingException

    _, ref, _ = store_place
    _filled(ref)
    out = str(tmp_path / "台账.xlsx")
    res = run_alg("landeval:registerexport", {"STORE": ref, "YEAR": 0, "OUTPUT": out})
    assert (res["LIST"], res["REGISTER"]) == (3, 3)
    assert json.loads(res["STATUS"]) == {"初步清单": 1, "已核实": 1, "已完成": 1}
    wb = load_workbook(out)
    assert wb.sheetnames == ["低效用地清单", "处置台账", "状态汇总"]
    ws = wb["处置台账"]
    assert ws["A1"].value == "2024年度低效工业用地处置台账" and "A1:P1" in {str(r) for r in ws.merged_cells.ranges}
    assert "面积单位：亩" in ws["A2"].value and "评估年度：2024" in ws["A2"].value
    assert ws.freeze_panes == "C4"
    assert tuple(c.value for c in ws[3]) == register.REGISTER_HEADERS
    rows = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=4, max_row=6)]
    # ordered by the workflow: 初步清单 before 已核实 before 已完成
    assert [(r[1], r[6], r[7]) for r in rows] == [("R03", "整治", "初步清单"), ("R02", "提质", "已核实"),
                                                  ("R01", "收储", "已完成")]
    r01 = dict(zip(register.REGISTER_HEADERS, rows[2]))
    assert (r01["责任单位"], r01["完成时限"], r01["面积（亩）"], r01["评价类别"]) == (
        "甲镇人民政府", "2025-06-30", 12.5, "D")
    assert r01["完成日期"] and len(r01["完成日期"]) == 10 and r01["入库时间"][:4] >= "2024"
    assert r01["附件"] == "档案/R01 核查表.pdf；照片/R01.jpg"
    # formula-like text stays text: the owner and the notes are strings, never formulas
    notes = ws.cell(row=6, column=14)
    owner = ws.cell(row=6, column=4)
    assert notes.value == "=cmd|' /C calc'!A0" and notes.data_type == "s" and notes.quotePrefix
    assert owner.value.startswith("=HYPERLINK") and owner.data_type == "s"
    total = [c.value for c in ws[7]]
    assert total[0] == "合计" and total[1] == "3 宗" and total[4] == pytest.approx(12.5 + 3.25 + 8.0)
    listed = wb["低效用地清单"]
    assert [c.value for c in listed[3]] == list(register.LIST_HEADERS)
    got = [tuple(c.value for c in r) for r in listed.iter_rows(min_row=4, max_row=6)]
    # by town (乙镇 before 甲镇 in code-point order), then code
    assert [(r[1], r[5], r[8]) for r in got] == [("R03", "D", "初步清单"), ("R01", "D", "已完成"),
                                                 ("R02", "C", "已核实")]
    assert listed.cell(row=7, column=1).value == "合计" and listed.cell(row=7, column=5).value == pytest.approx(23.75)
    summary = wb["状态汇总"]
    assert [(r[1].value, r[2].value) for r in summary.iter_rows(min_row=4, max_row=10)] == [
        (s, {"初步清单": 1, "已核实": 1, "已完成": 1}.get(s, 0))
        for s in ("初步清单", "已核实", "已认定", "已入库", "整治中", "已完成", "已出库")]
    # an existing workbook is replaced only with OVERWRITE
    with pytest.raises(QgsProcessingException):
        run_alg("landeval:registerexport", {"STORE": ref, "OUTPUT": out})
    run_alg("landeval:registerexport", {"STORE": ref, "OUTPUT": out, "OVERWRITE": True})
    with pytest.raises(QgsProcessingException, match="2023"):
        run_alg("landeval:registerexport", {"STORE": ref, "YEAR": 2023, "OUTPUT": str(tmp_path / "x.xlsx")})
    assert not os.path.exists(str(tmp_path / "x.xlsx"))


def test_the_store_panel_exports_the_register(qgis_app, qgis_iface, tmp_path):
    from openpyxl import load_workbook

    from landeval_plugin.gui.store_panel import StorePanel

    ref = str(tmp_path / "store.gpkg")
    _filled(ref)
    panel = StorePanel(qgis_iface)
    panel.path.setText(ref)
    out = str(tmp_path / "panel 台账.xlsx")
    assert panel.register_button.isEnabled()
    assert panel.export_register(out) == out
    assert "3" in panel.status.text() and out in panel.status.text()
    assert load_workbook(out)["处置台账"]["A1"].value == "2024年度低效工业用地处置台账"
    panel.year.setValue(2023)
    assert panel.export_register(str(tmp_path / "none.xlsx")) is None
    assert "2023" in panel.status.text() and not os.path.exists(str(tmp_path / "none.xlsx"))


def test_a_parcel_fixed_under_d_is_re_evaluated_and_its_sheet_shows_both_years(store_place, tmp_path, run_alg):
    """Year 2024 graded into the store; samplenextyear fixes half of the class D parcels (register
    through the workflow to 已完成) and makes 2025, graded into the store too; comparerounds says
    for each fixed parcel whether it left the list (出库) or stayed after improvement; the sheet of
    a fixed parcel printed with STORE shows 2024 and 2025 with their classes."""
    import unicodedata

    from grade_fixtures import random_rows, write_layer
    from qgis.core import QgsVectorLayer
    from test_dossier_print import pdf_text

    _, ref, _ = store_place
    stores.create_store(ref).close()
    year1 = write_layer(str(tmp_path / "y2024.gpkg"), random_rows(240, seed=31))
    g1 = str(tmp_path / "g2024.gpkg")
    run_alg("landeval:grade", {"INPUT": year1.source(), "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2024,
                               "OUTPUT": g1, "STORE": ref})
    class_d = {f["parcel_code"] for f in QgsVectorLayer(g1, "g", "ogr").getFeatures()
               if (f["grade_final"] or f["grade"]) == "D"}
    assert len(class_d) >= 6
    y2 = str(tmp_path / "y2025.gpkg")
    res = run_alg("landeval:samplenextyear", {"INPUT": year1.source(), "SEED": 4, "OUTPUT": y2, "STORE": ref,
                                              "YEAR": 2024, "FIXED": 0.5})
    fixed = json.loads(res["FIXED_CODES"])
    assert set(fixed) <= class_d and len(fixed) == round(len(class_d) * 0.5)
    assert json.loads(res["CHANGES"])["fixed"] == len(fixed)
    store = stores.open_store(ref)
    try:
        rows = register.register_rows(store, 2024)
        assert {c: r["status"] for c, r in rows.items()} == {c: "已完成" for c in fixed}
        assert all(r["completed_at"] for r in rows.values())
    finally:
        store.close()
    g2 = str(tmp_path / "g2025.gpkg")
    run_alg("landeval:grade", {"INPUT": y2, "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025, "OUTPUT": g2,
                               "STORE": ref})
    changes = str(tmp_path / "changes.gpkg")
    summary = json.loads(run_alg("landeval:comparerounds", {"STORE": ref, "YEAR_A": 2024, "YEAR_B": 2025,
                                                            "OUTPUT": changes})["SUMMARY"])
    after = {f["parcel_code"]: f for f in QgsVectorLayer(g2, "g", "ogr").getFeatures()}
    got = {f["parcel_code"]: f for f in QgsVectorLayer(changes, "c", "ogr").getFeatures()}
    outcome = {}
    for code in fixed:
        row = got[code]
        assert row["register_a"] == "已完成" and row["grade_a"] == "D" and row["on_list_a"] == 1
        b = after[code]
        listed = bool(b["low_eff"]) or (b["grade_final"] or b["grade"]) == "D"
        assert row["list_change"] == ("stayed after improvement" if listed else "left")
        outcome[code] = row["list_change"]
    counts = {k: sum(1 for v in outcome.values() if v == k) for k in set(outcome.values())}
    assert summary["fixed"] == counts and counts.get("left", 0) > 0 and counts.get("stayed after improvement", 0) > 0
    # the sheet of a fixed parcel that left the list: its 2024 and 2025 classes on page 2
    code = sorted(c for c, v in outcome.items() if v == "left")[0]
    grade_b = got[code]["grade_b"]
    pdf = str(tmp_path / "sheet.pdf")
    run_alg("landeval:dossiers", {"INPUT": g2, "FILTER": "\"parcel_code\" = '{}'".format(code), "OUTPUT_PDF": pdf,
                                  "STORE": ref, "YEAR": 2025})
    text = pdf_text(pdf).replace(" ", "").replace("\n", "")
    from landeval_plugin.core import vocabulary

    names = vocabulary.grade_names()
    assert "历年评价" in text
    for want in ("2024年:D{}".format(names["D"]), "台账已完成", "2025年:{}{}".format(grade_b, names[grade_b]),
                 "出库(不再列入低效清单)"):
        assert unicodedata.normalize("NFKC", want) in text, (want, text[-600:])
    # without STORE the row says 暂无数据 and no year's class
    plain = str(tmp_path / "plain.pdf")
    run_alg("landeval:dossiers", {"INPUT": g2, "FILTER": "\"parcel_code\" = '{}'".format(code), "OUTPUT_PDF": plain,
                                  "YEAR": 2025})
    assert "2024年:D" not in pdf_text(plain).replace(" ", "").replace("\n", "")


def test_history_follows_split_and_merged_parcels(store_place):
    """A parcel's history goes back through prev_codes: a split half shows its parent's year, a
    merged parcel the parents of both (the lower class of the two); the text names them."""
    from test_store_compare import YEAR_A, YEAR_B, year_layer

    from landeval_plugin.core import vocabulary

    _, ref, _ = store_place
    store = stores.create_store(ref)
    try:
        store.write_layer(2024, "graded", year_layer(YEAR_A), run_id=store.record_run(2024, "grade"))
        store.write_layer(2025, "graded", year_layer(YEAR_B), run_id=store.record_run(2025, "grade"))
        fid = store.register_add(2024, "K7", path="提质")
        store.register_set_status(fid, 1, "已核实")
        split = register.history(store, "K7b")
        assert [(e["year"], e["codes"], e["grade"], e["status"]) for e in split] == [
            (2025, ["K7b"], "C", None), (2024, ["K7"], "B", "已核实")]
        merged = register.history(store, "K9")
        assert [(e["year"], e["codes"], e["grade"]) for e in merged] == [(2025, ["K9"], "C"), (2024, ["K5", "K8"], "B")]
        assert register.history(store, "K9", upto_year=2024) == []
        assert [e["year"] for e in register.history(store, "K2", upto_year=2024)] == [2024]
        text = register.format_history(split, "K7b", vocabulary.grade_names())
        assert text.splitlines() == ["2024年：B 保留提升｜处置路径 提质｜台账 已核实｜宗地 K7",
                                     "2025年：C 观察整改｜处置路径 —｜台账 未入账"]
        left = register.format_history(register.history(store, "K2"), "K2", vocabulary.grade_names())
        assert left.splitlines()[-1].endswith("出库（不再列入低效清单）")
    finally:
        store.close()
