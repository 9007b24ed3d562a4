"""One rule language for standards, disposal rule sets and the clusters' filter (issue 13.3): the same
syntax, the same three-valued logic on missing data, the same errors naming the file, the rule and the
position; and the disposal presets' paths on the sample district, pinned to what the QgsExpression engine
they replaced proposed for every parcel."""
import collections
import hashlib
import json

import pytest
from sample_pipeline import PRESETS, run_pipeline
from test_cluster_core import d as member
from test_cluster_core import make_layer, rect
from test_disposal_rules import parcels, planning_layers

from landeval_plugin.core.clusters import cluster
from landeval_plugin.core.disposal import disposal
from landeval_plugin.core.grading import standard
from landeval_plugin.core.grading.condition import Condition

# ---- the sample district: each preset's path per parcel, as before --------------------------------
# Measured on 2026-11-30 with the QgsExpression engine (main at 9c55894) and with the rule language,
# on the same generated district (600 parcels, seed 7; 462 parcels on the base map): every parcel got
# the same path and the same reason from both. The sha256 is over the sorted (parcel code, path) pairs.
KNOWN = {
    "beijing_etown_2023": ({"None": 70, "专项整治": 38, "城市更新盘活": 97, "奖励扶持": 138, "服务指导/提质增效": 119},
                           "8b92b00afdc0526f71e42c9f486d22d7c447ed4887c8ffff70dc7f9144e188b8"),
    "shanghai_four_batches": ({"None": 70, "保留": 232, "减量": 38, "收储": 26, "更新": 96},
                              "eed15a65d6d685d9dfc1779f698ae7ccc84341082678cc5f4ea0f5e701422e61"),
    "songjiang_2023": ({"None": 302, "减量": 38, "提质": 20, "收储": 26, "更新": 7, "转型": 69},
                       "a76c1bb8b8bd98d63344c50c35fec3943b2bc2f77f32cf6f694ad6ecd4cef82f"),
    "taicang_2023": ({"None": 212, "提质": 89, "整治": 103, "更新": 58},
                     "0a9275cec28ed0a05e11bc3d2b89d3ed49c30609da07ffedb918f9688ef76b28"),
    "tonglu_2022": ({"None": 283, "兼并重组": 1, "取缔关停": 18, "收购收储": 2, "自我提升": 8,
                     "连片整治（退二优二）": 22, "连片整治（退二补三）": 93, "连片整治（退二还一）": 35},
                    "b3e0e432b21773c6725d23fb7c525ad424e7e5e9f3a0e867776ea8dee160a0ca"),
}
_PROVIDERS = []
KNOWN_CLUSTERS = (165, "bc8cc25ba81b986496c43c09970c0eae4801176d8d00d46d4f542c9ff5eb71de")


def _digest(pairs):
    return hashlib.sha256(json.dumps(sorted(pairs), ensure_ascii=False).encode()).hexdigest()


@pytest.fixture(scope="module")
def sample_paths(qgis_app, tmp_path_factory, landeval_provider_module):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def run(alg_id, params):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg_id, params, feedback=QgsProcessingFeedback(), context=context)

    return run_pipeline(str(tmp_path_factory.mktemp("rule_language")), run, parcels=600, seed=7)


@pytest.fixture(scope="module")
def landeval_provider_module(qgis_processing):
    from qgis.core import QgsApplication

    from landeval_plugin.processing.provider import LandEvalProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landeval")
    if provider is None:
        provider = LandEvalProvider()
        _PROVIDERS.append(provider)  # the registry does not keep a Python provider alive: this module does
        registry.addProvider(provider)
    return provider


@pytest.mark.parametrize("preset", PRESETS)
def test_every_disposal_preset_gives_the_known_path_per_parcel(sample_paths, preset):
    got = sample_paths[preset]
    counts, digest = KNOWN[preset]
    assert len(got) == 462
    assert dict(collections.Counter(str(path) for path, _ in got.values())) == counts
    assert _digest([(code, path) for code, (path, _) in got.items()]) == digest
    # every parcel has a reason in Chinese (the rule that fired, or "no rule applies")
    assert all(reason for _, reason in got.values())


def test_clusters_filter_chooses_the_same_members_on_the_sample_district(sample_paths):
    members = [(code, cid) for code, cid in sample_paths["clusters"].items() if cid]
    assert (len(members), _digest(members)) == KNOWN_CLUSTERS


# ---- the language ---------------------------------------------------------------------------------------
def values_of(name):
    """resolve() of a dict row: the value of ``name``, None when absent (missing)."""
    return lambda row: row.get(name)


def test_qgis_features_the_disposal_sets_use():
    tags = Condition("coalesce(\"low_eff_tags\", '') LIKE '%占工非工%'")
    test = tags.predicate(values_of)
    assert test({"low_eff_tags": "亩均低效、占工非工"}) is True
    assert test({"low_eff_tags": "亩均低效"}) is False
    assert test({}) is False  # coalesce: missing tags are no tags
    assert Condition("x NOT ILIKE 'ab\\_%'").compile(values_of)({"x": "AB_c"}) is False
    assert Condition("x LIKE 'a_c'").compile(values_of)({"x": "abc"}) is True
    assert Condition("x LIKE 'a_c'").compile(values_of)({"x": "ABC"}) is False  # LIKE minds case, ILIKE not
    reading = Condition("NOT \"in_industrial_line\" AND (\"grade\" = 'C' OR NOT @needs_low)")
    assert reading.variables == ["needs_low"] and reading.names == ["grade", "in_industrial_line"]
    flags = {"needs_low": True}
    fn = reading.predicate(values_of, lambda name: (lambda r: flags[name]))
    assert fn({"in_industrial_line": False, "grade": "C"}) and not fn({"in_industrial_line": False, "grade": "A"})
    flags["needs_low"] = False  # reading B: one param switches the rule
    assert fn({"in_industrial_line": False, "grade": "A"})
    assert Condition("\"OBJECTID\" % 3 = 0").predicate(values_of)({"OBJECTID": 9}) is True
    assert Condition("a || '-' || b = 'x-1'").predicate(values_of)({"a": "x", "b": 1.0}) is True
    assert Condition("a || 'x' IS NULL").predicate(values_of)({}) is True
    # in a standard @name is a param, the same as the bare name
    assert Condition("tax < @low").predicate(values_of)({"tax": 2, "low": 3}) is True


def test_missing_data_is_unknown_and_an_unknown_condition_never_holds():
    for text in ("x = 1", "x != 1", "not x", "x in (1, 2)", "x not in (1, 2)", "x like '%'", "x + 1 > 0",
                 "x || 'a' = 'a'", "x and true", "x or false", "-x < 0", "x % 2 = 0"):
        cond = Condition(text)
        assert cond.truth(values_of)({}) is None, text
        assert cond.predicate(values_of)({}) is False, text
    assert Condition("x or true").truth(values_of)({}) is True
    assert Condition("x and false").truth(values_of)({}) is False
    assert Condition("x is null").truth(values_of)({}) is True
    assert Condition("coalesce(x, false) = false").truth(values_of)({}) is True
    # a bare value: yes, a non-zero number, non-empty text hold; no, 0 do not
    bare = Condition("x").truth(values_of)
    assert [bare({"x": v}) for v in (True, False, 2.0, 0.0, "A", None)] == [True, False, True, False, True, None]


def test_missing_data_in_a_standard(tmp_path):
    from landeval_plugin.core.grading import grade as grading

    std = standard.Standard.from_dict({
        "id": "x", "version": "1", "name": "缺失数据", "source": "测试",
        "params": {"low": {"value": 3, "label": "门槛", "unit": "万元/亩"}},
        "rules": [{"grade": "D", "when": "not litigation", "reason": "无诉讼"},
                  {"grade": "A", "when": "tax_per_mu >= @low", "reason": "达标"}],
        "exclusions": [{"when": "true", "reason": "其余"}],
        "tags": [{"name": "亩均低效", "when": "tax_per_mu < low"}]})
    rows = [{"litigation": False, "tax_per_mu": 1.0, "area_mu": 10},    # not litigation → D
            {"litigation": None, "tax_per_mu": 5.0, "area_mu": 10},     # unknown → next rule: A
            {"litigation": None, "tax_per_mu": None, "area_mu": 10}]    # both unknown → T; tag not decided
    res = grading.grade_rows(std, rows)
    assert [r["grade"] for r in res] == ["D", "A", "T"]
    assert [r["low_eff_tags"] for r in res] == ["亩均低效", None, None]


def disposal_set(tmp_path, rules, params=""):
    path = tmp_path / "set.yaml"
    path.write_text("id: x\nname: X\n{}paths: {{甲: a, 乙: b}}\nrules:\n{}".format(params, rules), encoding="utf-8")
    return str(path)


def test_missing_data_in_a_disposal_set(qgis_app, tmp_path):
    rules = ("  - when: NOT \"low_eff\"\n    disposal: 甲\n    clause: 第一条\n    reason: 不低效\n"
             "  - when: '\"grade\" IN (''C'', ''D'') OR \"low_eff\"'\n    disposal: 乙\n"
             "    clause: 第二条\n    reason: 低效\n"
             "  - when: 'true'\n    disposal: null\n    reason: 其余\n")
    rs = disposal.load_ruleset(disposal_set(tmp_path, rules))
    boundary, line = planning_layers()
    cases = [("known_no", "line", {"grade": "A", "low_eff": False}),
             ("unknown", "line", {"grade": "A"}),            # low_eff NULL: NOT unknown is unknown → not 甲
             ("unknown_c", "line", {"grade": "C"})]           # unknown OR true → 乙
    proposals, _ = disposal.propose(parcels(cases), rs, boundary, line)
    by_code = dict(zip([c for c, _, _ in cases], [proposals[fid] for fid in sorted(proposals)]))
    assert {c: p.disposal for c, p in by_code.items()} == {"known_no": "甲", "unknown": None, "unknown_c": "乙"}
    assert by_code["unknown"].reason == "其余"


def test_missing_data_in_the_clusters_filter(qgis_app):
    rows = [(rect(0, 0, 50, 50), member("a", grade="A", low_eff=False)),
            (rect(50, 0, 50, 50), member("b", grade="A", low_eff=None)),     # unknown: not a member
            (rect(100, 0, 50, 50), member("c", grade="A", low_eff=True))]
    layer = make_layer(rows)
    chosen = lambda flt: sorted(m.code for m in cluster.collect_members(layer, flt)[0])  # noqa: E731
    assert chosen("NOT \"low_eff\"") == ["a"]
    assert chosen("\"low_eff\"") == ["c"]
    assert chosen("NOT coalesce(\"low_eff\", false)") == ["a", "b"]
    assert chosen("\"low_eff\" IS NULL") == ["b"]


# ---- errors: the file, the rule and the position, in every kind of file -------------------------------
def test_errors_name_the_file_the_rule_and_the_position(qgis_app, tmp_path):
    std_path = tmp_path / "my_standard.yaml"
    std_path.write_text("id: x\nversion: '1'\nname: X\nsource: 测试\nrules:\n"
                        "  - grade: D\n    when: \"litigation\"\n    reason: 诉讼\n"
                        "  - grade: A\n    when: \"tax_per_mu >= \"\n    reason: 达标\n", encoding="utf-8")
    with pytest.raises(standard.StandardError) as err:
        standard.load(str(std_path))
    assert "my_standard.yaml" in str(err.value)
    assert ("rules[1].when: condition 'tax_per_mu >=': expected a value at position 14 (near end) (line 10)"
            in str(err.value))

    rules = ("  - when: 'true'\n    disposal: 甲\n    reason: ok\n"
             "  - when: '\"grade\" IN (''C'', ''D'''\n    disposal: 乙\n    reason: ok\n")
    with pytest.raises(disposal.DisposalError) as err:
        disposal.load_ruleset(disposal_set(tmp_path, rules))
    assert str(err.value).startswith(
        "set.yaml: rules[1].when: the expression “\"grade\" IN ('C', 'D'” cannot be read: ")
    assert str(err.value).endswith("expected ')' to close the IN list at position 21 (near end) (line 8)")
    with pytest.raises(disposal.DisposalError, match=r"set.yaml: rules\[0\].when: .*'\$' at position 1"):
        disposal.load_ruleset(disposal_set(tmp_path, "  - when: '$area > 3'\n    disposal: 甲\n    reason: ok\n"))
    with pytest.raises(disposal.DisposalError, match=r"set.yaml: rules\[0\].when: unknown variable @nope"):
        disposal.load_ruleset(disposal_set(tmp_path, "  - when: '@nope'\n    disposal: 甲\n    reason: ok\n"))
    with pytest.raises(disposal.DisposalError, match=r"set.yaml: rules\[0\].when: .*unknown function 'format_number'"):
        disposal.load_ruleset(disposal_set(tmp_path, "  - when: format_number(1, 0) = '1'\n    disposal: 甲\n"
                                                     "    reason: ok\n"))

    layer = make_layer([(rect(0, 0, 10, 10), member("a"))])
    with pytest.raises(cluster.ClusterError) as err:
        cluster.find_clusters(layer, "\"grade\" IN ('C', 'D') OR \"low_eff\" =")
    assert "cannot be read" in str(err.value) and "expected a value at position 37 (near end)" in str(err.value)
    with pytest.raises(cluster.ClusterError, match="variable @x"):
        cluster.find_clusters(layer, "\"grade\" = @x")


def test_errors_in_chinese(qgis_app, tmp_path):
    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans")
    try:
        rules = "  - when: '\"grade\" = '\n    disposal: 甲\n    reason: ok\n"
        with pytest.raises(disposal.DisposalError) as err:
            disposal.load_ruleset(disposal_set(tmp_path, rules))
        assert str(err.value) == ("set.yaml: rules[0].when: 表达式“\"grade\" =”无法解析：条件“\"grade\" =”："
                                  "第 10 个字符处：此处应为一个值（附近：末尾）（第 5 行）")
        with pytest.raises(cluster.ClusterError) as err:
            cluster.find_clusters(make_layer([(rect(0, 0, 10, 10), member("a"))]), "\"grade\" IN ('C'")
        assert str(err.value).startswith(
            "筛选表达式“\"grade\" IN ('C'”无法解析：条件“\"grade\" IN ('C'”：第 16 个字符处")
        with pytest.raises(standard.StandardError) as err:
            standard.Standard.from_dict({"id": "x", "version": "1", "name": "X", "source": "测试",
                                         "rules": [{"grade": "D", "when": "a >", "reason": "r"}]}, source="std.yaml")
        assert "std.yaml" in str(err.value) and "rules[0].when: 条件“a >”：第 4 个字符处" in str(err.value)
    finally:
        remove_translator()


# ---- clauses per rule --------------------------------------------------------------------------------
def test_every_preset_rule_names_its_clause_and_the_plan_lists_them(qgis_app, tmp_path):
    for preset in PRESETS:
        rs = disposal.load_ruleset(preset)
        assert all(rule.clause for rule in rs.rules), preset
        lines = rs.rule_lines()
        assert len(lines) == len(rs.rules)
        assert all("〔{}〕".format(rule.clause) in line for rule, line in zip(rs.rules, lines))
    tc = disposal.load_ruleset("taicang_2023")
    assert tc.rule_lines()[1] == ("规则2：coalesce(\"in_expropriation\", false) → 整治"
                                  "〔三、（二）分类指导：已纳入征收范围……通过整治进行存量空间盘活〕")
    import openpyxl

    report = {"plan": {("甲镇", "整治"): [1, 2.0]}, "unit_plan": {}, "warnings": []}
    path = str(tmp_path / "plan.xlsx")
    disposal.write_plan(path, tc, report, run_date="2026-11-30")
    notes = [r[0] for r in openpyxl.load_workbook(path)["规则与假设"].iter_rows(values_only=True) if r[0]]
    assert tc.rule_lines()[1] in notes and notes[-1].startswith("规则15：")
    with pytest.raises(disposal.DisposalError, match=r"set.yaml: rules\[0\].clause: must be the text"):
        disposal.load_ruleset(disposal_set(tmp_path, "  - when: 'true'\n    disposal: 甲\n    reason: ok\n"
                                                     "    clause: [1, 2]\n"))


def test_the_run_log_lists_each_rule_with_its_clause(qgis_app, run_alg, tmp_path):
    from feedback_log import recording_feedback

    boundary, line = planning_layers()
    log = recording_feedback()
    res = run_alg("landeval:disposal", {"INPUT": parcels([("a", "line", {"grade": "C"})]), "RULESET": "songjiang_2023",
                                        "DEVELOPMENT_BOUNDARY": boundary, "INDUSTRIAL_LINE": line,
                                        "OUTPUT": str(tmp_path / "d.gpkg")}, feedback=log)
    assert res["COUNTS"] == {"提质": 1}
    lines = disposal.load_ruleset("songjiang_2023").rule_lines()
    assert all(rule_line in log.lines for rule_line in lines)
    assert "规则7：\"in_industrial_line\" → 提质〔一、工作目标：提质；二、（三）C类绩效（观察整改）〕（假设4）" \
        in log.lines
