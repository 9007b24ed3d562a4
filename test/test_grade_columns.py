"""The column engine (core/grading/columns.py) gives exactly the row engine's results (grade.Grader):
every output value of every parcel (grade, score, rank, reason, score detail ...), of the same type,
the run's notes and the parcels named for infinite values, on generated districts with every kind
of item (ratio up and down, benchmarks from a statistic with and without last year's data,
min-max, steps), caps, the three policies for missing values, bonus and penalty points, classes by
thresholds and by quotas, ranks within groups and within formulas, missing and zero areas,
infinite and NaN values, scores that overflow, and parcels no formula applies to. The GeoPackage
fast path that uses it: test/test_grade_gpkg.py."""
import copy
import datetime
import math
import random

import pytest

from landeval_plugin.core.grading import columns, standard
from landeval_plugin.core.grading import grade as grading

NOW = datetime.datetime(2026, 11, 30, 12, 0, 0)

BASE = {
    "id": "columns_test", "version": "1", "name": "列式引擎测试", "region": "测试区", "year": 2024,
    "source": "test",
    "inputs": {"optional": ["high_tech", "safety_hazard"],
               "fields": {"high_tech": {"alias": "高新技术企业", "type": "bool"}}},
    "scoring": {"formulas": [
        {"name": "规上", "when": "scale = '规上'", "note": "规上说明 100%", "items": [
            {"indicator": "tax_per_mu", "benchmark": {"stat": "mean", "of": "tax_per_mu_y1", "factor": 2}, "weight": 30,
             "cap": 45, "missing": "not_graded"},
            {"indicator": "va_per_mu", "benchmark": 136.16, "weight": 20, "missing": "group_average"},
            {"indicator": "va_per_energy", "method": "minmax", "weight": 20, "floor": 0.3, "missing": "zero"},
            {"indicator": "rnd_ratio", "label": "R&D经费占比", "benchmark": {"stat": "median", "of": "rnd_ratio"},
             "weight": 10, "missing": "group_average"},
            {"indicator": "labour_productivity", "method": "thresholds", "weight": 10, "missing": "zero",
             "steps": [{"at": 5, "points": 4}, {"at": 15, "points": 10}], "else_points": 1},
            {"indicator": "va_per_emission", "benchmark": 4929.81, "direction": "lower", "weight": 10, "cap": 20,
             "missing": "group_average"},
        ]},
        {"name": "规下", "when": "scale = '规下' and area_mu >= 2", "items": [
            {"indicator": "tax_per_mu", "benchmark": 11.5932, "weight": 50, "missing": "not_graded"},
            {"indicator": "tax_per_power", "benchmark": 0.2352, "weight": 50, "missing": "not_graded"},
        ]},
    ],
        "bonus": [{"when": "high_tech", "points": 5, "label": "高新技术企业"}],
        "penalty": [{"when": "safety_hazard", "points": 2.5, "label": "安全隐患"}]},
    "classify": {"method": "thresholds", "thresholds": {"A": 120, "B": 80, "C": 50}, "else": "D"},
}
NAMES = ["tax_per_mu", "tax_per_mu_y1", "va_per_mu", "va_per_energy", "rnd_ratio", "labour_productivity",
         "va_per_emission", "tax_per_power"]


def _district(n, seed):
    """Column values of ``n`` generated parcels, with every odd value the engines must agree on."""
    rnd = random.Random(seed)
    cols = {k: [] for k in NAMES + ["scale", "town", "parcel_code", "high_tech", "safety_hazard", "area_m2",
                                   "area_mu", "area_ha"]}
    for i in range(n):
        for k in NAMES:
            r = rnd.random()
            v = rnd.lognormvariate(1, 1.5)
            if r < 0.06:
                v = None
            elif r < 0.07:
                v = rnd.choice([math.inf, -math.inf, math.nan])
            elif r < 0.075:
                v = 0.0
            elif r < 0.08:
                v = round(v, 1)  # ties: equal scores share a rank
            elif r < 0.081:
                v = 1e308  # finite, but its score overflows
            cols[k].append(v)
        cols["scale"].append(rnd.choice(["规上", "规上", "规下", None, "其他"]))
        cols["town"].append(rnd.choice(["东镇", "西镇", None, 'to"wn %s']))
        cols["parcel_code"].append("P{:05d}".format(i) if i % 11 else None)
        cols["high_tech"].append(rnd.choice([True, False, None]))
        cols["safety_hazard"].append(rnd.choice([True, False, False, None]))
        a = rnd.choice([rnd.uniform(100, 50000)] * 20 + [None, 0.0, math.inf])
        cols["area_m2"].append(a)
        cols["area_mu"].append(a / (10000.0 / 15.0) if a is not None else None)
        cols["area_ha"].append(a / 10000.0 if a is not None else None)
    for i in (3, 4):  # finite values whose score overflows: 1e308 × 50 / 0.2352
        cols["scale"][i], cols["area_m2"][i], cols["area_mu"][i], cols["area_ha"][i] = "规下", 6000.0, 9.0, 0.6
        cols["tax_per_mu"][i], cols["tax_per_power"][i] = 3.5, 1e308
    return cols


def _variants():
    out = {"thresholds": BASE}
    quota = copy.deepcopy(BASE)
    quota["classify"] = {"method": "quota", "quotas": {"A": 20, "B": 40, "C": 35, "D": 5}}
    out["quota"] = quota
    per = copy.deepcopy(quota)
    per["classify"]["per_formula"] = True
    out["quota_per_formula"] = per
    plain = copy.deepcopy(BASE)
    plain["scoring"].pop("bonus")
    plain["scoring"].pop("penalty")
    plain["scoring"]["formulas"][1]["when"] = None  # every other parcel
    out["no_bonus_catch_all"] = plain
    no_y1 = copy.deepcopy(BASE)
    no_y1["scoring"]["formulas"][0]["items"][0]["benchmark"]["of"] = "va_per_mu_y1"  # no data: this year's mean
    out["benchmark_fallback"] = no_y1
    return out


def _row_engine(std, cols, n, group_by):
    rows = [dict(zip(cols, vals)) for vals in zip(*cols.values())]
    for r in rows:
        r.setdefault("grade_final", None)
    grader = grading.Grader(std, group_by=group_by, now=NOW)
    results = grading.finish(grader.run(rows), [{}] * n, std)
    return [tuple(r[f] for f in grading.OUTPUT_FIELDS) for r in results], grader.notes, grading.not_finite(results)


def _column_engine(std, cols, n, group_by):
    cols = {k: list(v) for k, v in cols.items()}
    cols["grade_final"] = [None] * n
    grader = columns.ColumnGrader(std, group_by=group_by, now=NOW)
    assert grader.run(cols, n) is grader
    got = list(grader.rows())
    # the fast path's UTF-8 texts: the same text, byte for byte
    utf8 = [tuple(v.decode() if isinstance(v, bytes) else v for v in row) for row in grader.rows(utf8=True)]
    assert utf8 == got
    assert any(isinstance(v, bytes) for row in grader.rows(utf8=True) for v in row)
    results = grader.results()
    assert len(results) == n
    return got, grader.notes, grading.not_finite(results)


@pytest.mark.parametrize("group_by", [None, "town"])
@pytest.mark.parametrize("variant", sorted(_variants()))
def test_column_engine_equals_the_row_engine(variant, group_by):
    std = standard.Standard.from_dict(_variants()[variant])
    assert columns.unsupported(std) is None
    n = 1500
    cols = _district(n, seed=len(variant) * 7 + (group_by is not None))
    expected, exp_notes, exp_bad = _row_engine(std, cols, n, group_by)
    got, notes, bad = _column_engine(std, cols, n, group_by)
    diffs = [(j, f, e, g) for j, (exp, row) in enumerate(zip(expected, got))
             for f, e, g in zip(grading.OUTPUT_FIELDS, exp, row) if e != g or type(e) is not type(g)]
    assert not diffs, diffs[:3]
    assert notes == exp_notes
    assert bad == exp_bad
    # a real spread was compared: classes, T for each cause, details with caps, averages and bonus points
    grades = [r[0] for r in got]
    assert {"A", "B", "C", "D", "T"} <= set(grades)
    reasons = "\n".join(r[3] or "" for r in got)
    causes = ["不是有限数", "用地面积缺失", "用地面积为零", "按标准不参与评分", "综合得分不是有限数"]
    if variant != "no_bonus_catch_all":  # there the second formula takes every other parcel
        causes.append("无适用的评分公式")
    for cause in causes:
        assert cause in reasons, cause
    details = "\n".join(r[4] or "" for r in got)
    assert "封顶" in details and "平均得分" in details and "计0分" in details
    if variant != "no_bonus_catch_all":
        assert "高新技术企业+5" in reasons and "安全隐患−2.5" in reasons
    if variant == "benchmark_fallback":
        assert notes and "以本年均值代替" in notes[0]
    if group_by:
        assert '（to"wn %s）' in reasons or "（规上·to\"wn %s）" in reasons


def test_column_engine_names_what_it_cannot_grade():
    """The standards the column engine leaves to the row engine, each with its reason for the log."""
    for std_id in ("beijing_etown_2023", "shanghai_songjiang_2023", "tonglu_2022"):
        assert columns.unsupported(standard.load(std_id)), std_id
    for std_id in ("zhejiang_huangyan_2022", "jiangsu_huaian_2024"):
        assert columns.unsupported(standard.load(std_id)) is None, std_id
