"""The 处置 page in QGIS: planning pickers by name, a background run into the GeoPackage, the legend
with only the occurring paths and their counts, the path × town table, warnings, and the 研判 of
a path (recorded, undone, kept over a re-run; a grade 研判 re-proposes the path)."""
import os
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_disposal_rules import X_OF, layer_from, planning_layers, rect

FIELDS = ("parcel_code:string", "owner:string", "town:string", "grade:string", "grade_final:string",
          "score:double", "rank:integer", "grade_reason:string", "low_eff:boolean", "idle:boolean")
# (code, where, town, grade, low_eff) -> songjiang_2023: C line 提质, D line 更新, C dev 转型, D dev 收储, out 减量
CASES = [("P1", "line", "城东街道", "C", True), ("P2", "line", "城东街道", "D", True),
         ("P3", "dev", "城东街道", "C", True), ("P4", "out", "江南镇", "D", True),
         ("P5", "line", "江南镇", "C", None), ("P6", "dev", "江南镇", "D", True),
         ("P7", "line", "江南镇", "A", False)]
EXPECTED = {"P1": "提质", "P2": "更新", "P3": "转型", "P4": "减量", "P5": "提质", "P6": "收储", "P7": None}


def wait(pred, timeout=60):
    from qgis.core import QgsApplication

    end = time.time() + timeout
    while time.time() < end:
        QgsApplication.processEvents()
        if pred():
            return True
        time.sleep(0.02)
    return False


def make_parcels():
    rows = []
    for n, (code, where, town, grade, low) in enumerate(CASES):
        rows.append((rect(X_OF[where], n * 200, 100, 100 + 10 * n),
                     {"parcel_code": code, "owner": "企业{}".format(code), "town": town, "grade": grade,
                      "score": 50.0 + n, "rank": n + 1, "grade_reason": "亩均税收低于基准（{}）".format(code),
                      "low_eff": low, "idle": code == "P2"}))
    return layer_from(rows, fields=FIELDS, name="已评价地块")


@pytest.fixture
def setup(qgis_iface, qgis_new_project, landeval_provider, tmp_path):
    from qgis.core import QgsProject, QgsSettings, QgsVectorLayer

    from landeval_plugin.gui.pages.disposal import Page

    settings = QgsSettings()
    saved = settings.value("landeval/disposal/ruleset")
    settings.setValue("landeval/disposal/ruleset", "songjiang_2023")
    project = QgsProject.instance()
    decoy = QgsVectorLayer("Polygon?crs=EPSG:4549&field=name:string", "道路面", "memory")
    boundary, line = planning_layers()
    boundary.setName("城镇开发边界")
    line.setName("工业保障线")
    parcels = make_parcels()
    for layer in (decoy, parcels, boundary, line):  # the decoy first: no "first layer" default
        project.addMapLayer(layer)
    page = Page(qgis_iface, None)
    page.output.setFilePath(str(tmp_path / "out.gpkg"))
    yield page, parcels, boundary, line
    page.unload()
    project.removeAllMapLayers()  # later tests look at the project's layers
    if saved is None:
        settings.remove("landeval/disposal/ruleset")
    else:
        settings.setValue("landeval/disposal/ruleset", saved)


def run_page(page):
    page.run()
    assert wait(lambda: page.task is None), "the disposal run did not finish"
    assert page.result_layer is not None, page.status.text()
    return page.result_layer


def by_code(layer):
    return {f["parcel_code"]: f for f in layer.getFeatures()}


def test_pickers_default_to_the_planning_layers_and_the_rule_set_is_explained(setup):
    page, parcels, boundary, line = setup
    assert page.pickers["development_boundary"].currentLayer() is boundary
    assert page.pickers["industrial_line"].currentLayer() is line
    for key in ("expropriation", "reclamation", "update_units"):
        assert page.pickers[key].currentLayer() is None
    assert page.parcels.currentLayer() is parcels
    # the rule set by its Chinese name, and 打开… for a file
    names = [page.ruleset_combo.itemText(i) for i in range(page.ruleset_combo.count())]
    assert page.ruleset_combo.currentData() == "songjiang_2023"
    assert page.ruleset_combo.currentText().startswith("松江 2023")
    assert names[-1] in ("Open…", "打开…")
    # source and assumptions on the page before the run
    from landeval_plugin.core.disposal import disposal

    rs = disposal.load_ruleset("songjiang_2023")
    assert ("依据：" + rs.source) in page.notes.text()
    for n, text in enumerate(rs.assumptions, 1):
        assert "假设{}：{}".format(n, text) in page.notes.text()
    assert not page.notes_box.isCollapsed()   # open before the run
    page.ruleset_combo.setCurrentIndex(page.ruleset_combo.findData("taicang_2023"))
    page._ruleset_changed()
    assert "太仓" in page.ruleset.name and "假设1：" in page.notes.text()
    assert "@update_outside_line_needs_low_output = 是" in page.notes.text() and "True" not in page.notes.text()


def test_run_writes_a_styled_layer_with_only_the_occurring_paths(setup, tmp_path):
    from qgis.core import QgsProject

    page, parcels, boundary, line = setup
    layer = run_page(page)
    assert page.notes_box.isCollapsed()       # folded after the run: the results come into view
    assert layer.id() in QgsProject.instance().mapLayers()
    assert layer.source().startswith(str(tmp_path / "out.gpkg") + "|layername=disposal_")
    assert {c: f["disposal"] for c, f in by_code(layer).items()} == {
        c: (p if p else None) for c, p in EXPECTED.items()} or \
        {c: (f["disposal"] or None) for c, f in by_code(layer).items()} == EXPECTED
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol"
    cats = {c.value(): c.label() for c in renderer.categories()}
    assert set(cats) == {"提质", "更新", "转型", "减量", "收储", ""}   # five of the set's paths + none; no others
    assert cats["提质"].startswith("提质") and "2" in cats["提质"] and ("宗" in cats["提质"]
                                                                        or "parcels" in cats["提质"])
    # labels carry the count and the 亩 measured on the layer
    from landeval_plugin.gui.pages.disposal import category_label, path_counts

    counts = path_counts(layer)
    assert counts["提质"][0] == 2 and counts[""][0] == 1
    assert cats["提质"] == category_label("提质", *counts["提质"])
    # the colours are disposal.qml's
    from landeval_plugin.gui.pages.disposal import style_colours

    colours = style_colours()
    for cat in renderer.categories():
        assert cat.symbol().color().name() == colours[cat.value()].color().name()
    # Chinese field names in the attribute table
    assert layer.attributeDisplayName(layer.fields().lookupField("disposal")) == "建议处置路径"
    assert layer.attributeDisplayName(layer.fields().lookupField("disposal_override_by")) in \
        ("处置研判人", "disposal_override_by")


def test_plan_table_equals_sums_over_the_layer_and_warnings_show(setup):
    from landeval_plugin.core.units import M2_PER_MU, AreaMeter

    page, parcels, boundary, line = setup
    layer = run_page(page)
    meter = AreaMeter(layer.crs())
    sums = {}
    for f in layer.getFeatures():
        key = (f["town"], f["disposal"] or "无")
        cell = sums.setdefault(key, [0, 0.0])
        cell[0] += 1
        cell[1] += meter.m2(f.geometry()) / M2_PER_MU
    assert page.plan_towns == ["城东街道", "江南镇"]
    seen = {}
    for r, path in enumerate(page.plan_rows):
        for c, town in enumerate(page.plan_towns):
            n, mu = page.table.item(r, c).data(0x0100)   # Qt.UserRole
            if n:
                seen[(town, path)] = (n, mu)
        total_n, total_mu = page.table.item(r, len(page.plan_towns)).data(0x0100)
        assert total_n == sum(v[0] for k, v in sums.items() if k[1] == path)
        assert total_mu == pytest.approx(sum(v[1] for k, v in sums.items() if k[1] == path), abs=0.02)
    assert set(seen) == set(sums)
    for key, (n, mu) in seen.items():
        assert n == sums[key][0] and mu == pytest.approx(sums[key][1], abs=0.01)
    # P5 has no 低效用地 value: the run's warning is on the page
    assert page.warnings.isVisibleTo(page)
    assert page.report["warnings"] and all(w in page.warnings.text() for w in page.report["warnings"])
    assert "1" in page.warnings.text() and "low_eff" in page.warnings.text()


def test_a_path_decision_is_recorded_undone_and_kept_over_a_rerun(setup):
    page, parcels, boundary, line = setup
    layer = run_page(page)
    fid = by_code(layer)["P3"].id()
    assert page.decide([fid], "更新", "区政府已立项更新单元", "张规划") == 1
    f = layer.getFeature(fid)
    assert f["disposal_final"] == "更新" and f["disposal_override_reason"] == "区政府已立项更新单元"
    assert f["disposal_override_by"] == "张规划" and len(f["disposal_override_at"]) == 19
    assert f["disposal"] == "转型"  # the proposal stays beside the decision
    decided_at = f["disposal_override_at"]
    cats = {c.value(): c.label() for c in layer.renderer().categories()}
    assert "转型" not in cats and "3" in cats["更新"]  # the map shows the decision: 更新 now 2 + 1
    # one undo step takes it back, and the legend follows
    layer.undoStack().undo()
    f = layer.getFeature(fid)
    assert not f["disposal_final"] and not f["disposal_override_by"]
    assert "转型" in {c.value() for c in layer.renderer().categories()}
    layer.undoStack().redo()
    assert layer.getFeature(fid)["disposal_final"] == "更新"
    # a later run (new layer in the GeoPackage) carries the decision by parcel code
    second = run_page(page)
    assert second is not layer
    g = by_code(second)["P3"]
    assert (g["disposal"], g["disposal_final"], g["disposal_override_reason"], g["disposal_override_by"]) == (
        "转型", "更新", "区政府已立项更新单元", "张规划")
    assert g["disposal_override_at"] == decided_at
    assert not by_code(second)["P1"]["disposal_final"]


def test_plan_table_shows_the_recorded_path_with_a_marker(setup):
    """Issue 14: the paths × towns table counts a parcel under the room's decision once there is one."""
    from landeval_plugin.i18n import install_translator, remove_translator

    page, parcels, boundary, line = setup
    install_translator("zh-Hans")
    try:
        _recorded_path_in_the_table(page)
    finally:
        remove_translator()


def _recorded_path_in_the_table(page):
    layer = run_page(page)
    p3 = by_code(layer)["P3"]
    town = p3["town"]

    def cell(path):
        if path not in page.plan_rows:
            return 0, ""
        item = page.table.item(page.plan_rows.index(path), page.plan_towns.index(town))
        return item.data(0x0100)[0], item.text()

    before_new, _ = cell("更新")
    before_old, _ = cell("转型")
    assert before_old >= 1 and "研判" not in cell("转型")[1]
    assert page.decide([p3.id()], "更新", "区政府已立项更新单元", "张规划") == 1
    n_new, text_new = cell("更新")
    assert n_new == before_new + 1 and "（研判 1）" in text_new
    assert cell("转型")[0] == before_old - 1
    assert page.table.item(page.plan_rows.index("更新"), page.plan_towns.index(town)).font().bold()
    layer.undoStack().undo()  # the table follows the undo
    assert cell("更新")[0] == before_new and cell("转型")[0] == before_old
    assert "研判" not in cell("转型")[1]


def test_decision_needs_path_reason_and_who(setup):
    page, parcels, boundary, line = setup
    layer = run_page(page)
    fid = by_code(layer)["P1"].id()
    assert page.decide([fid], "更新", "  ", "张规划") == 0
    assert "理由" in page.status.text() or "reason" in page.status.text()
    assert page.decide([fid], "拆除", "理由", "张规划") == 0   # not a path of the rule set
    assert not layer.getFeature(fid)["disposal_final"] if "disposal_final" in layer.fields().names() else True


def test_a_grade_review_reproposes_the_path_and_says_so(setup, qgis_iface):
    from landeval_plugin.core import review
    from landeval_plugin.gui.pages.grading import Page as GradingPage

    page, parcels, boundary, line = setup
    layer = run_page(page)
    assert by_code(layer)["P1"]["disposal"] == "提质"
    p1 = [f.id() for f in parcels.getFeatures() if f["parcel_code"] == "P1"]
    review.apply_in_place(parcels, p1, "D", "现场核查：长期停产", by="李研判")
    reviewed = GradingPage.announce_review(parcels, p1)
    assert list(reviewed) == ["P1"]
    f = by_code(layer)["P1"]
    assert f["grade_final"] == "D" and f["disposal"] == "更新"   # D in the industrial line
    assert "更新" in f["disposal_reason"] or f["disposal_reason"]
    assert "P1" in page.status.text() and "提质→更新" in page.status.text()
    # one undo step on the disposal layer brings the old proposal back
    layer.undoStack().undo()
    assert by_code(layer)["P1"]["disposal"] == "提质"


def test_the_dialog_shows_the_parcel_and_the_proposal(setup):
    page, parcels, boundary, line = setup
    layer = run_page(page)
    fid = by_code(layer)["P2"].id()
    dlg = page.decision_dialog([fid])
    facts = {k: v.text() for k, v in dlg.fact_labels.items()}
    assert facts["code"] == "P2" and facts["owner"] == "企业P2" and facts["town"] == "城东街道"
    assert facts["grade"].startswith("D") and facts["score"] == "51.00" and facts["rank"] == "2"
    assert "亩均税收低于基准（P2）" in facts["reasons"] and "闲置" in facts["veto"]
    assert facts["disposal"] == "更新" and facts["disposal_reason"]
    assert dlg.choice.currentIndex() == 0 and dlg.choice.currentData() is None
    assert [dlg.choice.itemData(i) for i in range(1, dlg.choice.count())] == list(page.ruleset.paths)
    assert not dlg.ok_button.isEnabled()
    dlg.deleteLater()


def test_the_run_log_and_the_page_speak_chinese_without_uris(setup):
    """Issue 14: the disposal log named the input by its full layer URI; page texts in Chinese words."""
    import re

    from test_chinese_outputs import CJK, english_words

    from landeval_plugin.i18n import install_translator, remove_translator

    page, parcels, boundary, line = setup
    install_translator("zh-Hans")
    try:
        layer = run_page(page)
        lines = list(page.feedback.infos) + list(page.feedback.errors) if page.feedback is not None else []
        texts = lines + [page.status.text(), page.warnings.text(), layer.name()]
    finally:
        remove_translator()
    assert lines
    for text in texts:
        assert not re.search(r"ogr:|dbname=|\|layername=|memory\?|Polygon\?crs", text), text
        assert not english_words(text), text
        assert not text.strip() or CJK.search(text), text
