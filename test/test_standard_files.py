"""Standard files: every preset loads; broken files are refused with every problem named."""
import os

import pytest
import yaml

from landeval_plugin.core.grading import standard
from landeval_plugin.core.grading.standard import StandardError

PRESETS = ["beijing_etown_2023", "jiangsu_huaian_2024", "shanghai_songjiang_2023", "tonglu_2022",
           "zhejiang_huangyan_2022"]


def test_presets_load_and_are_traced_to_sources():
    assert standard.preset_ids() == PRESETS
    for pid in PRESETS:
        s = standard.load(pid)
        assert s.id == pid and s.version
        with open(standard.resolve_path(pid), encoding="utf-8") as fh:
            head = fh.read(600)
        assert "Source:" in head, pid   # every preset names its source in a comment


def base():
    return {"id": "t", "version": "1", "name": "测试",
            "scoring": {"formulas": [{"name": "全部", "items": [
                {"indicator": "tax_per_mu", "benchmark": 10, "weight": 50, "missing": "not_graded"}]}]},
            "classify": {"method": "thresholds", "thresholds": {"A": 80, "B": 60, "C": 40}}}


def problems(data):
    with pytest.raises(StandardError) as err:
        standard.Standard.from_dict(data, source="t.yaml")
    return err.value.problems


def test_every_problem_is_listed_with_its_key():
    d = base()
    d["rules"] = [{"grade": "E", "when": "tax_per_mu >= ", "reason": ""},
                  {"grade": "D", "when": "litigaton", "reason": "涉法涉诉"}]
    d["scoring"]["formulas"][0]["items"].append({"indicator": "tax_per_m", "benchmark": 0, "weight": 10})
    d["classify"] = {"method": "quota", "quotas": {"A": 20, "B": 40, "C": 35}}
    d["colour"] = "red"
    found = problems(d)
    text = "\n".join(found)
    assert "colour: unknown key" in text
    assert "rules[0].grade: must be one of A, B, C, D, T (got 'E')" in text
    assert "rules[0].reason: required" in text
    assert "rules[0].when: condition 'tax_per_mu >=': expected a value" in text
    assert "rules[1].when.when: unknown name 'litigaton'" in text or "rules[1].when: unknown name 'litigaton'" in text
    assert "scoring.formulas[0].items[1].benchmark: must be a number > 0" in text
    assert "scoring.formulas[0].items[1].missing: say how a missing value is treated" in text
    assert "scoring.formulas[0].items[1].indicator: unknown indicator 'tax_per_m'" in text
    assert "classify.quotas: must add up to 100 (now 95)" in text
    assert len(found) >= 9
    # the exception message names the file and the count
    with pytest.raises(StandardError, match=r"t.yaml has \d+ problem"):
        standard.Standard.from_dict(d, source="t.yaml")


def test_threshold_order_and_policies_checked():
    d = base()
    d["classify"]["thresholds"] = {"A": 60, "B": 80}
    assert any("thresholds must fall from A to D" in p for p in problems(d))
    d = base()
    d["scoring"]["formulas"][0]["items"][0]["missing"] = "guess"
    assert any("missing: say how a missing value is treated: not_graded, group_average, zero (got "
               "'guess')" in p for p in problems(d))


def test_unknown_preset_and_bad_yaml(tmp_path):
    with pytest.raises(StandardError, match="no preset named 'nowhere_2020'"):
        standard.load("nowhere_2020")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nrules: [\n", encoding="utf-8")
    with pytest.raises(StandardError, match="cannot read the file"):
        standard.load(str(bad))


def test_edit_and_save_as_new_standard(tmp_path):
    s = standard.load("beijing_etown_2023")
    tun = {label: (path, v) for path, label, v, kind in s.tunables()}
    path, v = tun["A类地均税收标准（万元/公顷）"]
    assert v == 2000
    s2 = s.with_values({path: 1800}, new_id="beijing_etown_2023_edit", new_version="2023.2")
    assert s2.params["a_tax_per_ha"] == 1800
    out = s2.save(str(tmp_path / "edit.yaml"))
    again = standard.load(out)
    assert again.id == "beijing_etown_2023_edit" and again.params["a_tax_per_ha"] == 1800
    assert [r["grade"] for r in again.rules] == [r["grade"] for r in s.rules]
    with open(out, encoding="utf-8") as fh:
        assert "擅自对外出租" in fh.read()   # Chinese kept readable


def test_year_dependent_params():
    # issue 12: Tonglu's 亩均低效 has no published number (one assumed value for every year); its 2023
    # rule is a 重点整治 tag of its own. by_year still picks the latest year not after the evaluation year.
    assert standard.load("tonglu_2022").params["low_tax_per_mu"] == 3
    assert standard.load("tonglu_2022", year=2023).params["low_tax_per_mu"] == 3
    d = {"id": "x", "version": "1", "name": "x", "year": 2022,
         "params": {"low_tax_per_mu": {"value": 3, "by_year": {2022: 3, 2023: 5, 2024: 5}}},
         "tags": [{"name": "亩均低效", "when": "tax_per_mu < low_tax_per_mu"}]}
    assert standard.Standard.from_dict(d).params["low_tax_per_mu"] == 3
    assert standard.Standard.from_dict(d, year=2023).params["low_tax_per_mu"] == 5
    assert standard.Standard.from_dict(d, year=2030).params["low_tax_per_mu"] == 5


def test_rules_table_reads_in_chinese():
    rows = standard.load("beijing_etown_2023").rules_table()
    assert [r[1] for r in rows if r[0] == "直接判定"] == ["D", "D", "D", "D", "C", "A", "A", "B", "B"]
    a = [r for r in rows if r[1] == "A"][0]
    assert "地均产值 ≥ A类地均产值标准[3]" in a[2] and "地均税收 ≥ A类地均税收标准[2000]" in a[2]
    hy = standard.load("zhejiang_huangyan_2022").rules_table()
    assert any("亩均税收 ÷ 24.097 × 30" in r[3] for r in hy)
    assert any("单位排放增加值 ÷ 4929.81 × 10；缺失取同组平均分" in r[3] for r in hy)


def test_include_tags_merges_tonglu(tmp_path):
    d = yaml.safe_load(open(standard.resolve_path("zhejiang_huangyan_2022"), encoding="utf-8"))
    d["id"] = "huangyan_with_tonglu"
    d["include_tags"] = ["tonglu_2022"]
    s = standard.Standard.from_dict(d, source="x")
    assert [t["name"] for t in s.tags][:2] == ["亩均低效", "重点整治"]
    assert s.params["low_tax_per_mu"] == 3


def _readme_example():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Standards (一套标准)", 1)[1]
    return section.split("```yaml", 1)[1].split("```", 1)[0]


def test_readme_annotated_example_is_a_valid_standard_and_grades():
    from landeval_plugin.core.grading.grade import Grader

    s = standard.Standard.from_dict(yaml.safe_load(_readme_example()), source="README.md")
    assert s.id == "my_district_2024" and [r["grade"] for r in s.rules] == ["D", "A"]
    rows = [  # A by rule; D by rule (litigation first); scored 48 / 24.097 × 30 = 59.76 → C (50 ≤ s < 80); T
        {"litigation": False, "unfinished": False, "output_per_ha": 30000, "tax_per_ha": 2000, "scale": "规上",
         "tax_per_mu": 48.0, "tax_per_mu_y1": 48.0, "years_in_production": 5, "area_m2": 10000.0},
        {"litigation": True, "unfinished": False, "output_per_ha": 50000, "tax_per_ha": 5000, "scale": "规上",
         "tax_per_mu": 100.0, "tax_per_mu_y1": 100.0, "years_in_production": 5, "area_m2": 10000.0},
        {"litigation": False, "unfinished": False, "output_per_ha": 100, "tax_per_ha": 10, "scale": "规上",
         "tax_per_mu": 48.0, "tax_per_mu_y1": 2.0, "years_in_production": 5, "area_m2": 10000.0},
        {"litigation": False, "unfinished": False, "output_per_ha": 100, "tax_per_ha": 10, "scale": "规上",
         "tax_per_mu": 2.0, "tax_per_mu_y1": 2.0, "years_in_production": 1, "area_m2": 10000.0},
    ]
    res = Grader(s).run(rows)
    assert [r["grade"] for r in res] == ["A", "D", "C", "T"]
    assert res[2]["score"] == pytest.approx(48.0 / 24.097 * 30, abs=1e-3)
    assert res[3]["grade_reason"].startswith("投产不满两年")
    assert [r["low_eff"] for r in res] == [False, False, False, True]


def test_every_rule_of_a_published_preset_names_its_clause():
    """A direct rule or exclusion of a published standard says which clause it rests on (issue 12)."""
    for pid in PRESETS:
        s = standard.load(pid)
        if s.example:
            continue
        for entry in s.rules + s.exclusions:
            assert entry["clause"], "{} {}".format(pid, entry["key"])
    rows = standard.load("beijing_etown_2023").rules_table()
    a = [r for r in rows if r[1] == "A"][0]
    assert "〔三（一）A类工业用地标准〕" in a[3] and "假设2" in a[3]
