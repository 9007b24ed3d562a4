"""The condition language: syntax, three-valued logic, errors with positions, Chinese text."""
import pytest

from landeval_plugin.core.grading.condition import Condition, ConditionError


def ev(text, **row):
    return Condition(text).compile(lambda n: (lambda r: r.get(n)))(row)


def test_comparisons_and_logic():
    assert ev("tax_per_mu >= 3", tax_per_mu=3.0) is True
    assert ev("tax_per_mu >= 3", tax_per_mu=2.999) is False
    assert ev("tax_per_mu < 3 and area_mu >= 20", tax_per_mu=2.0, area_mu=20.0) is True
    assert ev("a = 'x' or b", a="y", b=True) is True
    assert ev("project_type in ('自用工业用地项目', '立项园区')", project_type="立项园区") is True
    assert ev("industry_class not in ('禁止', '淘汰')", industry_class="鼓励") is True
    assert ev("x * 2 + 1 > 6 / 2", x=1.5) is True
    assert ev("coalesce(grade_final, grade) = 'D'", grade_final=None, grade="D") is True
    assert ev("\"my field\" ≥ 2", **{"my field": 2.0}) is True
    assert ev("supply_date >= '1999-01-01'", supply_date="1999-01-01") is True
    assert ev("supply_date >= '1999-01-01'", supply_date="1998-12-31") is False


def test_missing_is_not_zero_three_valued():
    assert ev("tax_per_mu < 3", tax_per_mu=None) is None          # unknown, rule does not fire
    assert ev("not violation", violation=None) is None
    assert ev("x < 3 or y < 2000", x=None, y=1000.0) is True     # known miss decides the OR
    assert ev("x < 3 or y < 2000", x=None, y=2500.0) is None
    assert ev("x >= 3 and y >= 2000", x=None, y=1000.0) is False
    assert ev("x is null", x=None) is True and ev("x is not null", x=0.0) is True
    assert ev("x / 0 > 1", x=5.0) is None


def test_errors_name_text_and_position():
    with pytest.raises(ConditionError, match=r"expected a value at position 14 \(near end\)"):
        Condition("tax_per_mu >= ")
    with pytest.raises(ConditionError, match="unknown function 'eval'"):
        Condition("eval('1')")
    with pytest.raises(ConditionError, match="missing '\\)'"):
        Condition("(a > 1")
    with pytest.raises(ConditionError, match="unexpected character"):
        Condition("a > 1; import os")
    with pytest.raises(ConditionError, match="empty"):
        Condition("  ")


def test_names_and_chinese_text():
    c = Condition("project_type = '立项园区' and not violation and (x < 3 or y >= 2000)")
    assert c.names == ["project_type", "violation", "x", "y"]
    text = c.to_text({"project_type": "项目类型", "violation": "违规违约", "x": "地均产值", "y": "地均税收"}.get)
    assert text == "项目类型 = '立项园区' 且 非 违规违约 且 （地均产值 < 3 或 地均税收 ≥ 2000）"


def test_explainer_shows_the_relation_that_holds():
    c = Condition("x >= 3 and y >= 2000")
    def resolve(n):
        return lambda r: r.get(n)

    ex = c.explainer(resolve, lambda n: {"x": ("地均产值", "亿元/公顷"), "y": ("地均税收", "万元/公顷")}[n])
    assert ex({"x": 3.2, "y": 1850.0}) == ["地均产值 3.2 亿元/公顷 ≥ 3", "地均税收 1850 万元/公顷 < 2000"]
    assert ex({"x": None, "y": 2000.0}) == ["地均产值 缺失", "地均税收 2000 万元/公顷 ≥ 2000"]
