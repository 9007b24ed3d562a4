"""Songjiang 2023 (seed 000) on its own data list only (issue 12, point 1).

The layer below holds exactly the seed's department data list and the survey items, under the
seed's own words, and nothing more: 统计局 固定资产原价、工业总产值、营业收入、综合能耗、年末从业人数 (规上 only);
税务局 上缴税金总额、研究开发费用; 生态环境局 主要污染物排放量、纳入限批; 经委 优质企业名单; 科委 高新技术企业;
survey 空置、物业品质、安全生产条件、环保区域限评、房屋安全隐患、卡脖子及颠覆性技术项目. No 工业增加值, no 规模 column.
"""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import write_layer

from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import standard

HA = 10000.0
# the seed's list, as column names a district would use (one per delivered item)
SEED_COLUMNS = ["宗地代码", "固定资产原价", "工业总产值", "营业收入", "综合能耗", "年末从业人数",
                "上缴税金总额", "研究开发费用",
                "主要污染物排放量", "纳入限批", "优质企业名单", "高新技术企业", "空置率", "物业品质",
                "安全生产条件不达标",
                "环保区域限评", "房屋安全隐患", "卡脖子及颠覆性技术项目"]


def up(k, f=1.0, **kw):
    """A 规上 parcel (统计局 data present) of 1 公顷 scaled by ``f``."""
    row = {"宗地代码": "310117001001GB{:05d}".format(k), "area_m2": HA, "固定资产原价": 8000.0 * f,
           "工业总产值": 20000.0 * f,
           "营业收入": 20000.0, "综合能耗": 1000.0, "年末从业人数": 100.0, "上缴税金总额": 1000.0 * f,
           "研究开发费用": 100.0 * f, "主要污染物排放量": 10.0, "纳入限批": "否", "优质企业名单": None,
           "高新技术企业": "否",
           "空置率": 0.0, "物业品质": "一般", "安全生产条件不达标": "否", "环保区域限评": "否", "房屋安全隐患": "否",
           "卡脖子及颠覆性技术项目": "否"}
    row.update(kw)
    return row


def down(k, tax, **kw):
    """A 规下 parcel: no 统计局 data (the bureau reports 规上 firms only)."""
    return up(k, 1.0, 固定资产原价=None, 工业总产值=None, 营业收入=None, 综合能耗=None, 年末从业人数=None,
              上缴税金总额=tax, **kw)


def grade(rows, group_by=None):
    layer = write_layer(None, rows, columns=list(SEED_COLUMNS))
    assert [f.name() for f in layer.fields()] == SEED_COLUMNS
    std = standard.load("shanghai_songjiang_2023")
    features, fields, results, areas, plan = grading.grade_source(layer, std, group_by=group_by)
    return results, plan


def test_runs_on_exactly_the_seed_data_list():
    rows = [up(k, f) for k, f in enumerate((3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.5, 0.2))]
    res, plan = grade(rows)
    assert plan.missing == [] and "value_added_10k" not in plan.fields.values()
    assert [r["grade"] for r in res] == ["A", "A", "B", "B", "B", "B", "C", "C", "C", "D"]
    detail = json.loads(res[0]["score_detail"])
    assert [d["indicator"] for d in detail] == ["tax_per_ha", "output_per_ha", "output_per_energy",
                                                "output_per_employee",
                                                "rnd_ratio", "output_per_emission", "fixed_assets_per_ha"]
    # every indicator is built from the list: 上缴税金总额 ÷ 公顷, 工业总产值 ÷ 综合能耗, 固定资产原价 ÷ 公顷 ...
    d = {x["indicator"]: x for x in detail}
    assert d["tax_per_ha"]["value"] == pytest.approx(3000.0)
    assert d["output_per_energy"]["value"] == pytest.approx(60.0)
    assert d["output_per_employee"]["value"] == pytest.approx(600.0)
    assert d["fixed_assets_per_ha"]["value"] == pytest.approx(24000.0)
    assert d["rnd_ratio"]["value"] == pytest.approx(0.015)
    assert res[0]["grade_reason"].startswith("综合得分") and "（规上）" in res[0]["grade_reason"]


def test_vetoes_and_positive_determinations_both_directions():
    rows = [up(k, 1.0) for k in range(8)]
    rows += [up(10, 5, 房屋安全隐患="是"), up(11, 5, 安全生产条件不达标="是"), up(12, 5, 环保区域限评="是"),
             up(13, 5, 纳入限批="是"),
             up(14, 0.1, 卡脖子及颠覆性技术项目="是"), up(15, 0.1, 优质企业名单="专精特新"),
             up(16, 0.1, 优质企业名单="否"), up(17, 5, 房屋安全隐患="是", 优质企业名单="总部型企业")]
    res, _ = grade(rows)
    got = [r["grade"] for r in res[8:]]
    assert got[:6] == ["D", "D", "D", "D", "A", "A"]
    assert got[7] == "D"                               # a veto goes before a reward
    assert got[6] != "A" and res[14]["score"] is not None   # '否' is not on the list: scored
    reasons = [r["grade_reason"] for r in res[8:]]
    assert reasons[0].startswith("一票否决：存在房屋安全隐患（假设：否决归入 D 类）")
    assert reasons[1].startswith("一票否决：安全生产条件不达标")
    assert reasons[2].startswith("一票否决：环保区域限评")
    assert reasons[3].startswith("一票否决：纳入本区限批的地块")
    assert reasons[4].startswith("正向直接判定：卡脖子及颠覆性技术项目（假设：直接判定为 A 类）")
    assert reasons[5].startswith("正向直接判定：列入区经委优质企业名单（专精特新）")
    assert res[8]["score"] is None and res[12]["score"] is None


def test_guixia_parcels_are_graded_on_tax_and_survey_and_say_so():
    rows = [up(k, f) for k, f in enumerate((3, 2, 1.5, 1, 0.5))]
    rows += [down(20 + k, t) for k, t in enumerate((900.0, 500.0, 300.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 1.0))]
    rows += [down(40, None)]                            # no tax either: nothing to grade on
    res, _ = grade(rows)
    guixia = res[5:15]
    assert all(r["grade"] in "ABCD" for r in guixia)   # not all T
    assert [r["grade"] for r in guixia] == ["A", "A", "B", "B", "B", "B", "C", "C", "C", "D"]
    assert all("（规下）" in r["grade_reason"] for r in guixia)       # ranked among 规下 only
    assert all("假设：规下地块无统计局数据，按税收、面积和调查项评分" in r["grade_reason"] for r in guixia)
    assert [d["indicator"] for d in json.loads(guixia[0]["score_detail"])] == ["tax_per_ha"]
    assert res[15]["grade"] == "T" and "地均税收缺失" in res[15]["grade_reason"]
    # the 规上 ranking is its own: five 规上 parcels, ranks 1..5
    assert [r["rank"] for r in res[:5]] == [1, 2, 3, 4, 5]
    res, _ = grade([down(1, 300.0), down(2, 300.0, 高新技术企业="是"), down(3, 300.0, 空置率=0.6),
                    down(4, 300.0, 空置率=0.2), down(5, 300.0, 物业品质="差")])
    base = res[0]["score"]
    assert res[1]["score"] - base == pytest.approx(5.0)     # 高新技术企业 +5 (assumption)
    assert base - res[2]["score"] == pytest.approx(10.0)    # 空置率 60 % −10
    assert base - res[3]["score"] == pytest.approx(5.0)     # 空置率 20 % (boundary) −5
    assert base - res[4]["score"] == pytest.approx(5.0)     # 物业品质 差 −5
    assert "高新技术企业（假设 +5）+5" in res[1]["grade_reason"]


def test_low_efficiency_list_is_c_and_d():
    rows = [up(k, f) for k, f in enumerate((3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.5, 0.2))]
    res, _ = grade(rows)
    assert [r["low_eff"] for r in res] == [False] * 6 + [True] * 4
    assert [r["low_eff_tags"] for r in res[6:]] == ["综合评价C类"] * 3 + ["综合评价D类"]
    assert standard.load("shanghai_songjiang_2023").low_eff_grades == ["C", "D"]


def test_a_veto_column_missing_is_named():
    layer = write_layer(None, [up(0)], columns=[c for c in SEED_COLUMNS if c != "房屋安全隐患"])
    try:  # only the text is kept: a traceback holding the layer past QGIS's exit crashes it
        grading.grade_source(layer, standard.load("shanghai_songjiang_2023"))
        text = ""
    except grading.MissingInputsError as exc:
        text = str(exc)
    del layer
    assert "房屋安全隐患 (house_safety_hazard)" in text


def test_preset_names_its_document_and_clauses_and_marks_assumptions():
    std = standard.load("shanghai_songjiang_2023")
    assert not std.example and std.provenance().startswith("依据：松规划资源〔2023〕123号 二（二）")
    table = std.rules_table()
    veto = [r for r in table if r[0] == "直接判定"]
    assert len(veto) == 6 and all("〔" in r[3] and "假设" in r[3] for r in veto)
    assert any(r[0] == "分类" and "各评分公式分别排序" in r[2] for r in table)
