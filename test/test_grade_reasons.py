"""Reasons show values, not only points (issue 12): every scored item in ``grade_reason`` names its
points, the value with its unit, the benchmark and the weight, and agrees with ``score_detail``."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_grade_presets import HA, hy_down, hy_up, run


def test_item_reason_names_value_unit_benchmark_weight_and_points():
    # 亩均税收 3.48 万元/亩 on 15 亩: 3.48 ÷ 24.097 × 30 = 4.33 points (not "亩均税收4.33" read as the value)
    low = hy_up(tax_10k=3.48 * 15)
    res = run("zhejiang_huangyan_2022", [hy_up(), low, hy_up(emission=False), hy_down()])
    reason = res[1]["grade_reason"]
    assert "亩均税收4.33分（3.48 万元/亩，基准 24.097，权重 30）" in reason
    assert "R&D经费占比10.00分（3.02%，基准 3.02%，权重 10）" in reason        # a fraction shown as %
    detail = {d["indicator"]: d for d in json.loads(res[1]["score_detail"])}
    assert detail["tax_per_mu"]["value"] == pytest.approx(3.48)
    assert detail["tax_per_mu"]["score"] == pytest.approx(4.3325, abs=1e-3)
    # a missing value says how it was scored
    assert "单位排放增加值" in res[2]["grade_reason"]
    assert "（缺失，取同组平均分，基准 4929.81，权重 10）" in res[2]["grade_reason"]
    assert "单位电耗税收50.00分（0.2352 万元/万千瓦时，基准 0.2352，权重 50）" in res[3]["grade_reason"]


def test_capped_item_says_it_was_capped(tmp_path):
    import yaml
    from grade_fixtures import write_layer

    from landeval_plugin.core.grading import grade as grading
    from landeval_plugin.core.grading import standard

    data = {"id": "cap_test", "version": "1", "name": "封顶",
            "scoring": {"formulas": [{"name": "全部", "items": [
                {"indicator": "tax_per_mu", "method": "ratio", "benchmark": 10, "weight": 30, "cap": 60,
                 "missing": "not_graded"}]}]},
            "classify": {"method": "thresholds", "thresholds": {"A": 50, "B": 20, "C": 10}}}
    path = tmp_path / "cap.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    layer = write_layer(None, [{"area_m2": HA, "tax_10k": 50.0 * 15}, {"area_m2": HA, "tax_10k": 5.0 * 15}])
    _, _, res, _, _ = grading.grade_source(layer, standard.load(str(path)))
    assert "亩均税收60.00分（50 万元/亩，封顶60分，基准 10，权重 30）" in res[0]["grade_reason"]
    assert "亩均税收15.00分（5 万元/亩，基准 10，权重 30）" in res[1]["grade_reason"]
