"""Every preset pinned on hand-made parcels at and around its thresholds.

Parcels are squares of an exact area (grade_fixtures.write_layer), graded through the same
path as the algorithm (core.grading.grade.grade_source), so area -> 亩/公顷 conversion is included.
"""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import write_layer

from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import standard

HA = 10000.0          # m² in one 公顷 (= 15 亩)
MU = 10000.0 / 15.0   # m² in one 亩


def run(std_id, rows, year=None, group_by=None):
    layer = write_layer(None, rows)
    std = standard.load(std_id, year=year)
    features, fields, results, areas, plan = grading.grade_source(layer, std, group_by=group_by)
    return results


# ---- Beijing E-Town (seed 004): D, C, A, B in this order --------------------------------------
def bj(**kw):
    row = {"area_m2": HA, "project_type": "自用工业用地项目", "lease_status": "无", "litigation": False,
           "unfinished": False, "to_residential": False, "violation": False, "commitment_met": None,
           "output_10k": 30000.0, "tax_10k": 2000.0}
    row.update(kw)
    return row


def test_beijing_thresholds_are_inclusive_and_in_hectares():
    res = run("beijing_etown_2023", [
        bj(),                                   # exactly 3 亿元/公顷 and 2000 万元/公顷 -> A
        bj(output_10k=29999.0),                 # just below 3 亿 -> B
        bj(tax_10k=1999.9),                     # just below 2000 -> B
        bj(area_m2=20 * MU, output_10k=40000.0, tax_10k=2666.7),   # 20 亩 = 1.333 ha: 3.0 亿/ha, 2000.03 万/ha -> A
        bj(area_m2=20 * MU, output_10k=39999.0, tax_10k=2666.7),   # 2.99993 亿/ha -> B
        bj(project_type="立项园区", output_10k=32000.0, tax_10k=1850.0),
    ])
    assert [r["grade"] for r in res] == ["A", "B", "B", "A", "B", "B"]
    assert res[0]["score"] is None and res[0]["rank"] is None      # decided directly
    assert res[5]["grade_reason"].endswith("地均产值 3.2 亿元/公顷 ≥ 3；地均税收 1850 万元/公顷 < 2000 → B")
    assert "地均产值 3 亿元/公顷 ≥ 3；地均税收 2000 万元/公顷 ≥ 2000 → A" in res[0]["grade_reason"]
    assert res[0]["standard"] == "beijing_etown_2023 v2023.1" and res[0]["graded_at"]


def test_beijing_order_d_before_c_before_a():
    res = run("beijing_etown_2023", [
        bj(lease_status="擅自出租-拒不改正"),                # top output but illegal renting -> D
        bj(litigation=True), bj(unfinished=True), bj(to_residential=True),
        bj(lease_status="未经允许出租-有意愿更新"),          # C even though output reaches A
        bj(lease_status="未经允许出租-有意愿更新", litigation=True),   # D wins over C
        bj(project_type="城市更新园区", commitment_met=True, output_10k=0.0),
        bj(project_type="城市更新园区", commitment_met=False),
    ])
    assert [r["grade"] for r in res] == ["D", "D", "D", "D", "C", "D", "A", "B"]
    assert res[0]["grade_reason"].startswith("产权人未经管委会同意擅自对外出租")
    assert res[1]["grade_reason"].startswith("涉法涉诉")
    assert res[0]["low_eff"] is True and res[0]["low_eff_tags"] == "综合评价D类"


def test_beijing_missing_data_and_bad_area_are_t_with_reason():
    res = run("beijing_etown_2023", [
        bj(output_10k=None, tax_10k=1500.0),            # tax misses anyway -> B, output named missing
        bj(output_10k=None, tax_10k=2500.0),            # could be A or B: T, names the missing value
        bj(violation=None, tax_10k=1000.0),             # violation unknown: cannot be B
        bj(area_m2=0),                                  # zero area -> T
        bj(area_m2=0, litigation=True),                 # a veto needs no area -> D
        bj(violation=True, tax_10k=1000.0),             # seed gives no class: T for review, says why
    ])
    assert [r["grade"] for r in res] == ["B", "T", "T", "T", "D", "T"]
    assert "项目类型 自用工业用地项目" in res[5]["grade_reason"] and "违规违约 是" in res[5]["grade_reason"]
    assert "地均产值 缺失；地均税收 1500 万元/公顷 < 2000 → B" in res[0]["grade_reason"]
    assert "缺失：地均产值" in res[1]["grade_reason"]
    assert "违规违约" in res[2]["grade_reason"]
    assert res[3]["grade_reason"].startswith("用地面积为零")


# ---- Tonglu (seed 002): tags ------------------------------------------------------------------
def tl(mu, t0, t1, t2, **kw):
    row = {"area_m2": mu * MU, "tax_10k": t0 * mu if t0 is not None else None,
           "tax_10k_y1": t1 * mu if t1 is not None else None, "tax_10k_y2": t2 * mu if t2 is not None else None,
           "idle": False, "supply_date": "2005-06-01", "industrial_use": True, "industry_class": "允许",
           "land_use": "工业用地", "use_change_approved": False}
    row.update(kw)
    return row


def test_tonglu_three_year_rule_at_20_mu_and_3_wan():
    res = run("tonglu_2022", [
        tl(20, 2.9, 2.9, 2.9),             # 20 亩 exactly, three years < 3 -> 重点整治 + 亩均低效
        tl(19.99, 2.9, 2.9, 2.9),          # below 20 亩 -> only 亩均低效
        tl(25, 2.9, 3.0, 2.9),             # one year exactly 3 -> not 重点整治
        tl(25, 2.9, 2.9, None),            # a year missing -> not 重点整治
        tl(25, 3.0, 2.0, 2.0),             # this year reaches 3 -> nothing
    ])
    assert [r["low_eff_tags"] for r in res] == ["亩均低效、重点整治", "亩均低效", "亩均低效", "亩均低效", None]
    assert [r["low_eff"] for r in res] == [True, True, True, True, False]
    assert "重点整治（用地面积 20 亩 ≥ 20；亩均税收 2.9 万元/亩 < 3" in res[0]["grade_reason"]
    assert res[0]["grade"] is None     # a tags-only standard grades nothing


def test_tonglu_year_threshold_and_other_tags():
    # 2023 (seed 002 四): "重点整治亩均低于5万元低效工业用地"; 亩均低效 keeps its own (assumed) threshold
    res = run("tonglu_2022", [tl(10, 4.0, 4.0, 4.0)], year=2023)
    assert res[0]["low_eff_tags"] == "重点整治"
    res = run("tonglu_2022", [
        tl(10, 9, 9, 9, idle=True),
        tl(10, 9, 9, 9, supply_date="1999-01-01", industrial_use=False),
        tl(10, 9, 9, 9, supply_date="1998-12-31", industrial_use=False),
        tl(10, 9, 9, 9, supply_date="1999/3/5", industrial_use=None),
        tl(10, 9, 9, 9, industry_class="淘汰"),
    ])
    assert [r["low_eff_tags"] for r in res] == ["用而未尽", "占工非工", None, None, "禁止淘汰类"]


# ---- Huangyan 2022: published 规上/规下 formulas ----------------------------------------------------
def hy_up(factor=1.0, emission=True, **kw):
    """A 规上 firm on 15 亩 exactly at every benchmark (score 100), scaled by ``factor``."""
    va = 136.16 * 15 * factor
    row = {"area_m2": HA, "scale": "规上", "tax_10k": 24.097 * 15 * factor, "value_added_10k": va,
           "energy_tce": va / (2.694 * factor), "emission_t": va / (4929.81 * factor) if emission else None,
           "employees": va / (18.14 * factor), "revenue_10k": 10000.0, "rnd_10k": 302.0 * factor,
           "power_10k_kwh": 1.0, "town": "城东街道"}
    row.update(kw)
    return row


def hy_down(factor=1.0, **kw):
    tax = 11.5932 * 15 * factor
    row = {"area_m2": HA, "scale": "规下", "tax_10k": tax, "power_10k_kwh": tax / (0.2352 * factor),
           "value_added_10k": None, "energy_tce": None, "emission_t": None, "employees": None,
           "revenue_10k": None, "rnd_10k": None, "town": "城西街道"}
    row.update(kw)
    return row


def test_huangyan_formulas_and_class_thresholds():
    res = run("zhejiang_huangyan_2022", [hy_up(), hy_up(1.2), hy_up(1.19), hy_down(), hy_down(0.5), hy_down(0.4999)])
    scores = [r["score"] for r in res]
    assert scores[0] == pytest.approx(100.0, abs=1e-3)
    assert scores[1] == pytest.approx(120.0, abs=1e-3)
    assert scores[3] == pytest.approx(100.0, abs=1e-3)
    assert scores[4] == pytest.approx(50.0, abs=1e-3)
    assert [r["grade"] for r in res] == ["B", "A", "B", "B", "C", "D"]
    detail = json.loads(res[0]["score_detail"])
    assert [d["indicator"] for d in detail] == ["tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission",
                                                "labour_productivity", "rnd_ratio"]
    assert detail[0]["value"] == pytest.approx(24.097) and detail[0]["benchmark"] == 24.097
    assert detail[0]["weight"] == 30 and detail[0]["score"] == pytest.approx(30.0)
    assert set(detail[0]) == {"indicator", "label", "unit", "value", "benchmark", "weight", "score", "note"}
    assert res[1]["grade_reason"].startswith("综合得分 120.00（规上：亩均税收36.00")
    assert res[1]["grade_reason"].endswith("≥ 120 → A")
    assert res[1]["rank"] == 1


def test_huangyan_missing_emission_takes_group_average_and_others_are_t():
    res = run("zhejiang_huangyan_2022", [
        hy_up(), hy_up(emission=True, emission_t=136.16 * 15 / (4929.81 * 2)),   # emission item 10 and 20
        hy_up(emission=False),                      # missing emission -> average 15
        hy_up(energy_tce=None),                     # missing energy -> T (not_graded)
        hy_up(scale=None),                          # no scale -> no formula -> T
        hy_up(area_m2=0),
    ])
    assert res[2]["score"] == pytest.approx(105.0, abs=1e-3)
    d = {x["indicator"]: x for x in json.loads(res[2]["score_detail"])}
    assert d["va_per_emission"]["value"] is None and d["va_per_emission"]["score"] == pytest.approx(15.0)
    assert d["va_per_emission"]["note"] == "缺失，取规上组平均得分"
    assert [r["grade"] for r in res[3:]] == ["T", "T", "T"]
    assert res[3]["grade_reason"] == "单位能耗增加值缺失，按标准不参与评分 → T"
    assert "缺失：规模" in res[4]["grade_reason"]
    assert res[5]["score"] is None


# ---- Huai'an 2024: rank quotas, ties, groups ----------------------------------------------------------
def ha_row(tax_mu, town="清江浦区", **kw):
    mu = 15.0
    row = {"area_m2": HA, "town": town, "tax_10k": tax_mu * mu, "tax_10k_y1": 10.0 * mu,
           "revenue_10k": 100.0 * mu, "revenue_10k_y1": 100.0 * mu, "energy_tce": 100.0,
           "energy_tce_y1": 100.0}
    row.update(kw)
    return row


def test_huaian_quotas_with_ties_share_the_better_class():
    # 10 parcels; scores fall with tax; two tie at positions 2 and 3 (the A/B cut at 2)
    taxes = [20, 15, 15, 12, 11, 10, 9, 8, 7, 1]
    res = run("jiangsu_huaian_2024", [ha_row(t) for t in taxes])
    assert [r["rank"] for r in res] == [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]
    # cuts: A ≤ 2, B ≤ 6, C ≤ round(9.5) = 10 -> no D among 10 (documented half-up rounding)
    assert [r["grade"] for r in res] == ["A", "A", "A", "B", "B", "B", "C", "C", "C", "C"]
    # benchmark = 2 × last year's mean (tax 10 万元/亩 -> 20): a parcel at 20 gets 45 points on tax
    d = json.loads(res[0]["score_detail"])
    assert d[0]["benchmark"] == pytest.approx(20.0) and d[0]["score"] == pytest.approx(45.0)
    # 20 parcels -> one D at the bottom
    res = run("jiangsu_huaian_2024", [ha_row(t) for t in range(20, 0, -1)])
    assert [r["grade"] for r in res].count("D") == 1 and res[-1]["grade"] == "D"
    assert [r["grade"] for r in res].count("A") == 4


def test_huaian_input_order_does_not_change_classes():
    taxes = [20, 15, 15, 12, 11, 10, 9, 8, 7, 1]
    a = run("jiangsu_huaian_2024", [ha_row(t, parcel_code=str(i)) for i, t in enumerate(taxes)])
    b = run("jiangsu_huaian_2024", [ha_row(t, parcel_code=str(i)) for i, t in reversed(list(enumerate(taxes)))])
    assert [r["grade"] for r in a] == list(reversed([r["grade"] for r in b]))


def test_huaian_ranks_within_group_by():
    rows = [ha_row(t, town="甲镇") for t in (30, 20, 10, 5, 4)] + [ha_row(t, town="乙镇") for t in (3, 2, 1, 0.5, 0.2)]
    res = run("jiangsu_huaian_2024", rows, group_by="town")
    assert [r["rank"] for r in res] == [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
    assert res[5]["grade"] == "A" and "（乙镇）" in res[5]["grade_reason"]
    whole = run("jiangsu_huaian_2024", rows)
    assert whole[5]["grade"] != "A" and whole[5]["rank"] == 6


def test_huaian_bonus_penalty_and_energy_missing_is_zero():
    rows = [ha_row(10), ha_row(10, high_tech="是"), ha_row(10, safety_hazard="Y"), ha_row(10, energy_tce=None)]
    res = run("jiangsu_huaian_2024", rows)
    s = [r["score"] for r in res]
    assert s[1] - s[0] == pytest.approx(5.0) and s[0] - s[2] == pytest.approx(10.0)
    d = json.loads(res[3]["score_detail"])
    assert d[2]["score"] == 0 and d[2]["note"] == "缺失，按标准计0分"


# ---- Songjiang 2023: veto, positive determination, score ranking (rebuilt on seed 000's data list,
# issue 12: no 工业增加值, no 投产年限 exclusion, low-efficiency list C and D; more in test_rules_songjiang.py)
def sj(factor, **kw):
    row = {"area_m2": HA, "tax_10k": 1000.0 * factor, "output_10k": 20000.0 * factor, "fixed_assets_10k": 8000.0,
           "energy_tce": 1000.0, "employees": 100.0, "rnd_10k": 100.0 * factor, "revenue_10k": 20000.0,
           "emission_t": 10.0, "house_safety_hazard": "否", "production_safety_fail": "否", "env_zone_restricted": "否",
           "restricted_approval": "否"}
    row.update(kw)
    return row


def test_songjiang_veto_then_exclusion_then_ranking():
    rows = [sj(f) for f in (3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.8, 0.5, 0.2)]
    rows += [sj(5, house_safety_hazard="是"), sj(5, env_zone_restricted="1"), sj(0.1, key_tech_project="是")]
    res = run("shanghai_songjiang_2023", rows)
    assert [r["grade"] for r in res[10:]] == ["D", "D", "A"]
    assert res[10]["grade_reason"].startswith("一票否决：存在房屋安全隐患（假设：否决归入 D 类）")
    assert res[12]["grade_reason"].startswith("正向直接判定：卡脖子及颠覆性技术项目")
    graded = [r["grade"] for r in res[:10]]
    assert graded == ["A", "A", "B", "B", "B", "B", "C", "C", "C", "D"]
    assert [r["rank"] for r in res[:10]] == list(range(1, 11))
    assert res[10]["low_eff_tags"] == "综合评价D类"
    assert [r["low_eff_tags"] for r in res[:10]][6:] == ["综合评价C类"] * 3 + ["综合评价D类"]


def test_value_parsing_yes_no_and_dates():
    from qgis.PyQt.QtCore import QDate, QDateTime

    spellings = ("是", "否", "Y", "n", "1", "0", "true", "FALSE", "有", "无", 1, 0, None, "不详")
    assert [grading.to_bool(v) for v in spellings] == \
        [True, False, True, False, True, False, True, False, True, False, True, False, None, None]
    assert grading.to_date(QDate(1999, 1, 1)) == "1999-01-01"
    assert grading.to_date(QDateTime(QDate(2003, 5, 6))) == "2003-05-06"
    assert [grading.to_date(v) for v in ("1999/1/1", "1999年1月1日", "19990101", "1999-01-01 00:00:00", "不详")] == \
        ["1999-01-01"] * 4 + [None]
    assert grading.to_float("1,234.5") == 1234.5
    assert grading.to_float("") is None and grading.to_float(float("nan")) is None
