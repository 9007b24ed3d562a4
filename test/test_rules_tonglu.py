"""Tonglu 2022–2024 (seed 002) read as written (issue 12, points 2 and 3).

- 四、目标任务: 2023 "重点整治亩均低于5万元低效工业用地" (4.99 tagged, 5.00 not); 2022 keeps its own rule;
  2024 has no 重点整治 threshold; 亩均低效 ("亩均税收低效的工业用地") has no published number: a named
  parameter shown as an assumption; a year outside 2022–2024 is warned about in the log and the result.
- 三（三）占工非工: "1999年1月1日以后供应的工业用地，未经批准擅自改变用途……或临时性改变用途到期后未整改的工业用地".
- 三（四）禁止类、淘汰类 in the spellings real data uses.
"""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import write_layer

from landeval_plugin.core import schema
from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import standard

MU = 10000.0 / 15.0


def tl(mu, t0, t1=9.0, t2=9.0, **kw):
    row = {"area_m2": mu * MU, "tax_10k": None if t0 is None else t0 * mu, "tax_10k_y1": t1 * mu, "tax_10k_y2": t2 * mu,
           "idle": False, "supply_date": "2005-06-01", "industrial_use": True, "industry_class": "允许",
           "land_use": "工业用地", "use_change_approved": False, "temp_use_expired": False}
    row.update(kw)
    return row


def run(rows, year=None):
    std = standard.load("tonglu_2022", year=year)
    _, _, results, _, plan = grading.grade_source(write_layer(None, rows), std)
    return results, std, plan


def test_2023_key_rule_at_4_99_and_5_00_wan_per_mu():
    res, _, _ = run([tl(10, 4.99), tl(10, 5.00), tl(10, 5.01), tl(30, 2.9, 2.9, 2.9)], year=2023)
    assert [r["low_eff_tags"] for r in res] == ["重点整治", None, None, "亩均低效、重点整治"]
    curly = res[0]["grade_reason"].replace('"', "“", 1).replace('"', "”", 1)
    assert "重点整治（亩均税收 4.99 万元/亩 < 5；假设：“亩均”读作亩均税收）" in curly \
        or "重点整治（亩均税收 4.99 万元/亩 < 5；假设：\"亩均\"读作亩均税收）" in res[0]["grade_reason"]
    # the 2022 rule (20 亩, three years < 3) is not 2023's: 30 亩 at 2.9 is tagged by the 2023 rule only
    assert "20亩" not in res[3]["grade_reason"] and "2022年" not in res[3]["grade_reason"]


def test_2022_rule_and_2024_without_key_rule():
    rows = [tl(20, 2.9, 2.9, 2.9), tl(10, 4.99)]
    res, _, _ = run(rows, year=2022)
    assert [r["low_eff_tags"] for r in res] == ["亩均低效、重点整治", None]
    res, _, _ = run(rows, year=2024)
    assert [r["low_eff_tags"] for r in res] == ["亩均低效", None]


def test_mujun_dixiao_threshold_is_a_visible_assumption():
    std = standard.load("tonglu_2022")
    assert std.params["low_tax_per_mu"] == 3
    assert "假设" in std.param_specs["low_tax_per_mu"]["label"]
    assert any("亩均低效门槛" in a and "假设" in a for a in std.assumptions)
    assert any(t[0] == "threshold" or "亩均低效门槛" in t[1] for t in std.tunables())     # editable on the page
    res, _, _ = run([tl(10, 2.99), tl(10, 3.0)])
    assert [r["low_eff_tags"] for r in res] == ["亩均低效", None]
    assert "亩均低效（亩均税收 2.99 万元/亩 < 3；假设：文件未公布亩均低效门槛，默认 3 万元/亩" in res[0]["grade_reason"]
    edited = std.with_values({("params", "low_tax_per_mu", "value"): 4})
    assert grading.grade_rows(edited, [{"tax_per_mu": 3.5, "area_mu": 10}])[0]["low_eff_tags"] == "亩均低效"


def test_year_outside_the_plan_is_warned_in_log_and_result(run_alg, tmp_path):
    std = standard.load("tonglu_2022", year=2025)
    assert std.warnings and "2025" in std.warnings[0]
    res, _, _ = run([tl(10, 2.0)], year=2025)
    assert "注意：评价年度 2025 年不在" in res[0]["grade_reason"] and "2022–2024" in res[0]["grade_reason"]
    assert not standard.load("tonglu_2022", year=2023).warnings
    src = write_layer(str(tmp_path / "in.gpkg"), [tl(10, 2.0), tl(10, 9.0)])
    out = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "tonglu_2022", "YEAR": 2025,
                                     "OUTPUT": str(tmp_path / "out.gpkg")})
    warnings = json.loads(out["WARNINGS"])
    assert "2025" in warnings[0] and "2022" in warnings[0] and "2024" in warnings[0]
    assert len([w for w in warnings if "2025" in w]) == 1
    assert json.loads(out["SUMMARY"])["warnings"] == warnings


def test_zhan_gong_fei_gong_on_industrial_land_only():
    res, _, _ = run([
        # a 仓储 parcel supplied in 2005 used as a shop: no 占工非工 (seed: 工业用地 only)
        tl(10, 9, land_use="仓储用地", supply_date="2005-03-01", industrial_use=False),
        tl(10, 9, land_use="0508", industrial_use=False),                     # 三调 物流仓储 code
        tl(10, 9, land_use="科研用地", industrial_use=False),                  # 研发
        tl(10, 9, land_use="M2", industrial_use=False),                       # GB 50137 二类工业: tagged
        tl(10, 9, land_use="工业", industrial_use=False, use_change_approved=True),   # approved change: not
        # expired
        tl(10, 9, land_use="工业用地", industrial_use=False, use_change_approved=True, temp_use_expired=True),
        tl(10, 9, land_use="工业用地", industrial_use=False, use_change_approved=None),   # approval unknown: not
        tl(10, 9, land_use="工业用地", supply_date="1998-12-31", industrial_use=False),   # before 1999
        tl(10, 9, land_use="工业用地", supply_date="1999-01-01", industrial_use=False),   # on the day
    ])
    assert [r["low_eff_tags"] for r in res] == [None, None, None, "占工非工", None, "占工非工", None, None, "占工非工"]


def test_zhan_gong_fei_gong_undecided_parcels_are_counted(run_alg, tmp_path):
    rows = [tl(10, 9, industrial_use=False, use_change_approved=None), tl(10, 9, industrial_use=False)]
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    out = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "tonglu_2022",
                                     "OUTPUT": str(tmp_path / "out.gpkg")})
    warnings = json.loads(out["WARNINGS"])
    assert any("占工非工" in w and "1 宗" in w and "改变用途经批准" in w for w in warnings), warnings


@pytest.mark.parametrize("spelling,tag", [
    ("禁止", "禁止淘汰类"), ("禁止类", "禁止淘汰类"), ("淘汰", "禁止淘汰类"), ("淘汰类", "禁止淘汰类"),
    ("淘汰类产能", "禁止淘汰类"), ("落后产能", "禁止淘汰类"), (" 淘汰类（落后产能） ", "禁止淘汰类"),
    ("禁止类项目", "禁止淘汰类"),
    ("限制类", None), ("鼓励类", None), ("允许", None), ("不详", None)])
def test_prohibited_and_obsolete_in_every_spelling(spelling, tag):
    res, _, _ = run([tl(10, 9, industry_class=spelling)])
    assert res[0]["low_eff_tags"] == tag


def test_spellings_are_read_in_one_place():
    assert [schema.canonical_value("industry_class", v) for v in ("禁止类", "淘汰类产能", "限制类", "鼓励")] == \
        ["禁止", "淘汰", "限制", "鼓励"]
    spellings = ("工业用地", "0601", "M2", "物流仓储用地", "0803", "住宅")
    assert [schema.canonical_value("land_use", v) for v in spellings] == \
        ["工业", "工业", "工业", "仓储", "研发", "住宅"]
