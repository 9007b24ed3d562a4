"""Taicang 2023 (seed 003), the default disposal set, at the boundaries of its own wording (三、(二)):

"对位于城镇开发边界外、已纳入征收范围、拆旧复垦范围，或属于低端低效产能的产业载体，通过整治……；
 对位于城镇开发边界内，工业保障线外或不符合区域产业发展方向、产出水平低的载体……整体更新；
 对位于工业保障线内，符合区域产业发展方向、产业政策且产出效益相对较高的载体……提质增效。"
"以更新单元作为重点区域……年度推进计划应包含产业载体整治、更新、提质计划".
"""
import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_disposal_rules import layer_from, parcels, planning_layers, rect

from landeval_plugin.core.disposal import disposal

LOC_FIELDS = ("parcel_code:string", "grade:string", "industry_class:string", "in_development_boundary:boolean",
              "in_industrial_line:boolean")


def by_code(layer, proposals):
    return {f["parcel_code"]: proposals[f.id()] for f in layer.getFeatures()}


def test_unknown_location_gets_no_path_never_zhengzhi(qgis_app):
    # no planning layers: the parcels carry their location, some of it unknown (a missing boundary share)
    rows = [("dev_unknown", None, True, "C"), ("line_unknown", True, None, "C"), ("both_unknown", None, None, "A"),
            ("out", False, False, "A"), ("d_unknown", None, None, "D"), ("banned_unknown", None, None, "B")]
    layer = layer_from([(rect(0, n * 200, 100, 100), {"parcel_code": c, "in_development_boundary": b,
                                                      "in_industrial_line": ln, "grade": g,
                                                      "industry_class": "淘汰" if c == "banned_unknown" else None})
                        for n, (c, b, ln, g) in enumerate(rows)], fields=LOC_FIELDS)
    proposals, report = disposal.propose(layer, disposal.load_ruleset("taicang_2023"))
    got = by_code(layer, proposals)
    assert got["dev_unknown"].disposal is None
    assert got["dev_unknown"].reason.startswith("缺少区位数据（是否位于城镇开发边界内未知）")
    assert got["line_unknown"].disposal is None
    assert got["line_unknown"].reason.startswith("缺少区位数据（是否位于工业保障线内未知）")
    assert got["both_unknown"].disposal is None and "缺少区位数据" in got["both_unknown"].reason
    assert got["out"].disposal == "整治"
    # 低端低效产能 needs no location: D and 淘汰 are 整治 wherever they lie (assumption 1 says so)
    assert got["d_unknown"].disposal == "整治" and got["d_unknown"].reason.endswith("（假设1）")
    assert got["banned_unknown"].disposal == "整治" and "淘汰" in got["banned_unknown"].reason
    assert report["location_unknown"] == 5
    assert any(re.search(r"\b5\b", w) and "缺少区位数据" in w for w in report["warnings"])


def test_parcel_without_geometry_against_planning_layers_gets_no_path(qgis_app):
    from qgis.core import QgsFeature, QgsGeometry

    boundary, line = planning_layers()
    layer = parcels([("a", "out", {"grade": "C"})])
    f = QgsFeature(layer.fields())
    f.setAttributes([None] * layer.fields().count())
    f["parcel_code"], f["grade"] = "nogeom", "C"
    f.setGeometry(QgsGeometry())
    layer.dataProvider().addFeatures([f])
    proposals, report = disposal.propose(layer, disposal.load_ruleset("taicang_2023"), boundary, line)
    got = by_code(layer, proposals)
    assert got["a"].disposal == "整治"
    assert got["nogeom"].disposal is None and got["nogeom"].reason.startswith("缺少区位数据")
    assert report["no_geometry"] and report["location_unknown"] == 1


def test_expropriation_and_reclamation_ranges_as_attributes_or_layers(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    # attributes under their Chinese names, as a register or a planning bureau delivers them
    fields = ("parcel_code:string", "grade:string", "已纳入征收范围:string", "拆旧复垦范围:string")
    rows = [("zs", "A", "是", None), ("fk", "B", "否", "是"), ("plain", "A", "否", "否"), ("unknown", "A", "—", None)]
    layer = layer_from([(rect(100, n * 200, 100, 100), {"parcel_code": c, "grade": g, "已纳入征收范围": z,
                                                        "拆旧复垦范围": r}) for n, (c, g, z, r) in enumerate(rows)],
                       fields=fields)
    boundary, line = planning_layers()
    proposals, report = disposal.propose(layer, disposal.load_ruleset("taicang_2023"), boundary, line)
    got = by_code(layer, proposals)
    assert got["zs"].disposal == "整治" and got["zs"].reason == "已纳入征收范围，通过整治进行存量空间盘活"
    assert got["fk"].disposal == "整治" and got["fk"].reason == "已纳入拆旧复垦范围，通过整治进行存量空间盘活"
    # unknown range: never 整治 by default
    assert got["plain"].disposal == "提质" and got["unknown"].disposal == "提质"
    assert report["fields"]["in_expropriation"] == "已纳入征收范围"
    assert report["fields"]["in_reclamation"] == "拆旧复垦范围"
    # the same as a planning layer: the parcel at y 0..100 lies in the 征收范围 polygon
    zs = QgsVectorLayer("Polygon?crs=EPSG:4549", "zsfw", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt(rect(0, -50, 1000, 200)))
    zs.dataProvider().addFeatures([f])
    plain = parcels([("in_range", "line", {"grade": "A"}), ("outside_range", "line", {"grade": "A"})])
    res = run_alg("landeval:disposal", {"INPUT": plain, "RULESET": "taicang_2023", "DEVELOPMENT_BOUNDARY": boundary,
                                        "INDUSTRIAL_LINE": line, "EXPROPRIATION": zs,
                                        "OUTPUT": str(tmp_path / "zs.gpkg")})
    out = {f["parcel_code"]: f for f in QgsVectorLayer(res["OUTPUT"], "o", "ogr").getFeatures()}
    assert out["in_range"]["disposal"] == "整治" and out["in_range"]["in_expropriation"]
    assert out["outside_range"]["disposal"] == "提质" and not out["outside_range"]["in_expropriation"]
    assert out["in_range"]["disposal_ruleset"] == "taicang_2023"


def test_restricted_class_is_never_said_to_fit_the_direction(qgis_app):
    cases = [("line_a_restricted", "line", {"grade": "A", "industry_class": "限制"}),
             ("line_b_restricted", "line", {"grade": "B", "industry_class": "限制"}),
             ("line_c_restricted", "line", {"grade": "C", "industry_class": "限制"}),
             ("dev_c_restricted", "dev", {"grade": "C", "industry_class": "限制"}),
             ("line_a_encouraged", "line", {"grade": "A", "industry_class": "鼓励"}),
             ("line_b_allowed", "line", {"grade": "B", "industry_class": "允许"})]
    boundary, line = planning_layers()
    layer = parcels(cases)
    proposals, _ = disposal.propose(layer, disposal.load_ruleset("taicang_2023"), boundary, line)
    got = by_code(layer, proposals)
    fits = re.compile(r"(?<!不)符合区域产业发展方向")
    for code in ("line_a_restricted", "line_b_restricted", "line_c_restricted", "dev_c_restricted"):
        assert not fits.search(got[code].reason), (code, got[code].reason)
    assert got["line_a_restricted"].disposal is None
    assert "不符合区域产业发展方向（产业类别：限制）" in got["line_a_restricted"].reason
    assert got["line_b_restricted"].disposal is None
    assert got["line_c_restricted"].disposal == "更新" and "不符合区域产业发展方向" in got["line_c_restricted"].reason
    assert got["line_a_encouraged"].disposal == "提质"
    assert "符合区域产业发展方向（产业类别：鼓励）" in got["line_a_encouraged"].reason
    assert got["line_b_allowed"].disposal == "提质" and got["line_b_allowed"].reason.endswith("（假设2）")


def test_the_other_reading_of_the_update_sentence_is_one_line(qgis_app, tmp_path):
    """产出水平低 outside the 工业保障线: reading A (default) keeps a high-output parcel there without a path;
    reading B (one line changed in the rule file) proposes 更新 for it."""
    text = open(disposal.resolve("taicang_2023"), encoding="utf-8").read()
    other = text.replace("update_outside_line_needs_low_output: true", "update_outside_line_needs_low_output: false")
    changed = [(a, b) for a, b in zip(text.splitlines(), other.splitlines()) if a != b]
    assert len(changed) == 1 and len(text.splitlines()) == len(other.splitlines())
    path = tmp_path / "taicang_reading_b.yaml"
    path.write_text(other, encoding="utf-8")
    boundary, line = planning_layers()
    cases = [("dev_a", "dev", {"grade": "A"}), ("dev_b", "dev", {"grade": "B"}), ("dev_c", "dev", {"grade": "C"})]
    a_rs, b_rs = disposal.load_ruleset("taicang_2023"), disposal.load_ruleset(str(path))
    layer = parcels(cases)
    a = by_code(layer, disposal.propose(layer, a_rs, boundary, line)[0])
    b = by_code(layer, disposal.propose(layer, b_rs, boundary, line)[0])
    assert [a[c].disposal for c in ("dev_a", "dev_b", "dev_c")] == [None, None, "更新"]
    assert [b[c].disposal for c in ("dev_a", "dev_b", "dev_c")] == ["更新", "更新", "更新"]
    assert a["dev_a"].reason.endswith("（假设4）") and b["dev_a"].reason.endswith("（假设4）")
    assert "读法 A" in a_rs.assumptions[3] and "update_outside_line_needs_low_output" in a_rs.assumptions[3]
    assert "参数 @update_outside_line_needs_low_output = True" in a_rs.describe()
    assert a_rs.params == {"update_outside_line_needs_low_output": True}


def test_every_rule_resting_on_an_assumption_says_so():
    for pid, _ in disposal.list_presets():
        rs = disposal.load_ruleset(pid)
        assert rs.assumptions, pid
        for rule in rs.rules:
            marked = re.search(r"（假设(\d+)）$", rule.reason)
            assert bool(marked) == (rule.assumption is not None), (pid, rule.key)
            if marked:
                assert int(marked.group(1)) == rule.assumption <= len(rs.assumptions)
    # what the seed says itself carries no mark: outside the boundary, 征收范围, 拆旧复垦范围
    tc = {r.reason.split("（")[0].split("，")[0]: r for r in disposal.load_ruleset("taicang_2023").rules}
    assert tc["已纳入征收范围"].assumption is None and tc["位于城镇开发边界外"].assumption is None
    # the Shanghai set: the seed names four paths, not which parcel takes which: every path rests on an assumption
    sh = disposal.load_ruleset("shanghai_four_batches")
    assert all(r.assumption for r in sh.rules if r.disposal)
    assert "未规定哪宗地块走哪条路径" in sh.assumptions[0]


def test_bad_assumption_references_are_named(tmp_path):
    good = ("id: x\nname: X\nassumptions: [甲读法]\npaths: {甲: a}\nrules:\n  - when: 'true'\n    disposal: 甲\n"
            "    reason: ok\n    assumption: 1\n")
    path = tmp_path / "x.yaml"
    path.write_text(good, encoding="utf-8")
    assert disposal.load_ruleset(str(path)).rules[0].reason == "ok（假设1）"
    path.write_text(good.replace("assumption: 1", "assumption: 2"), encoding="utf-8")
    with pytest.raises(disposal.DisposalError, match=r"x.yaml: rules\[0\].assumption: must be the number"):
        disposal.load_ruleset(str(path))


def test_run_shows_source_assumptions_and_writes_the_plan_per_town_and_unit(qgis_app, run_alg, tmp_path):
    import openpyxl
    from feedback_log import recording_feedback
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    boundary, line = planning_layers()
    fields = ("parcel_code:string", "grade:string", "所属镇街:string", "产业类别:string")
    cases = [("a", 100, "甲镇", "C", "鼓励"), ("b", 100, "甲镇", "A", "鼓励"), ("c", 700, "甲镇", "C", None),
             ("d", 1500, "乙镇", "D", "允许"), ("e", 700, "乙镇", "A", "允许")]
    layer = layer_from([(rect(x, n * 200, 100, 100), {"parcel_code": c, "grade": g, "所属镇街": t, "产业类别": k})
                        for n, (c, x, t, g, k) in enumerate(cases)], fields=fields)
    units = QgsVectorLayer("Polygon?crs=EPSG:4549&field=dymc:string", "units", "memory")
    f = QgsFeature(units.fields())
    f.setGeometry(QgsGeometry.fromWkt(rect(0, -50, 1000, 600)))   # holds a, b and c (y up to 550)
    f["dymc"] = "城北更新单元"
    units.dataProvider().addFeatures([f])
    plan = str(tmp_path / "plan.xlsx")
    log = recording_feedback()
    res = run_alg("landeval:disposal", {"INPUT": layer, "RULESET": "taicang_2023", "DEVELOPMENT_BOUNDARY": boundary,
                                        "INDUSTRIAL_LINE": line, "UPDATE_UNITS": units, "UNIT_FIELD": "dymc",
                                        "OUTPUT": str(tmp_path / "o.gpkg"), "OUTPUT_PLAN": plan}, feedback=log)
    out = {f["parcel_code"]: f for f in QgsVectorLayer(res["OUTPUT"], "o", "ogr").getFeatures()}
    assert {c: out[c]["disposal"] for c in out} == {"a": "提质", "b": "提质", "c": "更新", "d": "整治", "e": None}
    assert out["a"]["update_unit"] == "城北更新单元" and not out["d"]["update_unit"]
    report = json.loads(res["REPORT"])
    rs = disposal.load_ruleset("taicang_2023")
    assert report["source"] == rs.source and report["assumptions"] == rs.assumptions
    assert report["fields"]["industry_class"] == "产业类别"
    mu = 100 * 100 / (10000 / 15)
    assert report["plan"]["甲镇"]["提质"] == {"parcels": 2, "mu": round(2 * mu, 2)}
    assert report["plan"]["乙镇"]["整治"]["parcels"] == 1 and report["plan"]["乙镇"]["无"]["parcels"] == 1
    assert report["unit_plan"]["城北更新单元"] == {"提质": {"parcels": 2, "mu": round(2 * mu, 2)},
                                                "更新": {"parcels": 1, "mu": round(mu, 2)}}
    # 产业类别 blank on c: a visible warning in the run's report and log, with the count
    warn = [w for w in report["warnings"] if "产业类别" in w]
    assert len(warn) == 1 and re.search(r"\b1\b", warn[0]) and "淘汰类、禁止类" in warn[0]
    assert any(line.startswith("依据：《太仓市") for line in log.lines)
    assert any(line.startswith("假设4：") for line in log.lines)
    assert any(w in log.lines for w in warn)
    assert json.loads(res["SUMMARY"]) == {"提质": 2, "更新": 1, "整治": 1, "不提出处置路径": 1}
    wb = openpyxl.load_workbook(plan)
    assert wb.sheetnames == ["镇街×路径", "更新单元×路径", "规则与假设"]
    rows = [r for r in wb["镇街×路径"].iter_rows(min_row=3, values_only=True)]
    assert ("甲镇", "提质", 2, round(2 * mu, 2)) in rows and ("乙镇", "整治", 1, round(mu, 2)) in rows
    assert ("合计", "提质", 2, round(2 * mu, 2)) in rows
    notes = [r[0] for r in wb["规则与假设"].iter_rows(values_only=True) if r[0]]
    assert notes[0].startswith("处置规则：太仓 2023") and any(n.startswith("假设7：") for n in notes)
    assert not os.path.exists(plan + ".part")


def test_dossier_sheet_lists_the_assumption_the_path_rests_on(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.dossiers.sheet_data import SheetData

    boundary, line = planning_layers()
    cases = [("330122001001GB00001", "line", {"grade": "A"}), ("330122001001GB00002", "out", {"grade": "A"})]
    res = run_alg("landeval:disposal", {"INPUT": parcels(cases), "RULESET": "taicang_2023",
                                        "DEVELOPMENT_BOUNDARY": boundary, "INDUSTRIAL_LINE": line,
                                        "OUTPUT": str(tmp_path / "o.gpkg")})
    layer = QgsVectorLayer(res["OUTPUT"], "o", "ogr")
    data = SheetData(layer.getFeatures(), layer.fields(), layer.crs())
    sheets = {s.code: s for s in data.sheets}
    rs = disposal.load_ruleset("taicang_2023")
    assumed = sheets["330122001001GB00001"]
    reason, text = assumed.display["d_disposal_reason"].split("\n", 1)
    assert reason.endswith("（假设5）") and text.replace("\n", "") == "假设5：" + rs.assumptions[4]
    assert "处置规则：太仓 2023（7 条假设，本宗路径依据假设5，全文见处置依据）" in assumed.display["d_sources"]
    assert assumed.raw["disposal_assumptions"] == ["假设5：" + rs.assumptions[4]]
    stated = sheets["330122001001GB00002"]          # outside the boundary: the seed's own words, no assumption
    assert "假设" not in stated.display["d_disposal_reason"]
    assert "本宗路径未用" in stated.display["d_sources"] and stated.display["d_disposal"] == "整治"
    cases = [("330122001001GB00003", "dev", {"grade": "A"})]    # no path, said so (reading A, assumption 4)
    res = run_alg("landeval:disposal", {"INPUT": parcels(cases), "RULESET": "taicang_2023",
                                        "DEVELOPMENT_BOUNDARY": boundary, "INDUSTRIAL_LINE": line,
                                        "OUTPUT": str(tmp_path / "o2.gpkg")})
    layer = QgsVectorLayer(res["OUTPUT"], "o2", "ogr")
    sheet = SheetData(layer.getFeatures(), layer.fields(), layer.crs()).sheets[0]
    assert sheet.display["d_disposal"] == "不提出处置路径"
    assert sheet.display["d_disposal_reason"].split("\n", 1)[1].replace("\n", "").startswith("假设4：“更新”一句读作")


@pytest.mark.parametrize("ruleset,harsh",
                         [("shanghai_four_batches", {"减量", "收储"}), ("songjiang_2023", {"减量", "收储"}),
                                           ("tonglu_2022", {"连片整治（退二还一）"})])
def test_other_sets_take_no_harsh_path_without_location(qgis_app, ruleset, harsh):
    fields = LOC_FIELDS + ("cluster_id:string",)
    rows = [("c_unknown", None, None, "C"), ("d_unknown", None, None, "D"), ("d_line_unknown", True, None, "D")]
    layer = layer_from([(rect(0, n * 200, 100, 100), {"parcel_code": c, "in_development_boundary": b,
                                                      "in_industrial_line": ln, "grade": g, "cluster_id": "LP-001"})
                        for n, (c, b, ln, g) in enumerate(rows)], fields=fields)
    proposals, report = disposal.propose(layer, disposal.load_ruleset(ruleset))
    got = by_code(layer, proposals)
    assert not {p.disposal for p in got.values()} & harsh
    assert all(got[c].disposal is None and "缺少区位数据" in got[c].reason for c in ("c_unknown", "d_unknown"))
    assert report["location_unknown"] == 3
