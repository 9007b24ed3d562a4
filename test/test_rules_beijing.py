"""Beijing E-Town (seed 004) read at the boundaries of its own wording.

B: "经济效益产出虽未达到……但不存在违规违约行为的自用工业用地项目、立项园区" — "不存在违规违约行为" is a fact
to be known, not assumed: unknown lease, litigation, 烂尾 or 工改住 facts give T "违规违约情况待核查".
D: "产权人未经管委会同意擅自对外出租给无股权关联关系的市场主体且拒不改正" — a lease to a related party is
not that case. 二（一）: "未经管委会批准，严禁以任何形式将工业用地及地上房屋进行转让、销售、出租" — 违规.
三（三）–（六): the measures per class, the Beijing disposal set.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import write_layer

from landeval_plugin.core.disposal import disposal
from landeval_plugin.core.grading import grade as grading
from landeval_plugin.core.grading import standard

HA = 10000.0


def bj(**kw):
    """A 自用工业用地项目 of 1 公顷 exactly at A (3 亿元/公顷, 2000 万元/公顷), every fact known and clean."""
    row = {"area_m2": HA, "parcel_code": "P", "project_type": "自用工业用地项目", "lease_status": "无",
           "litigation": False, "unfinished": False, "to_residential": False, "violation": False,
           "commitment_met": None, "output_10k": 30000.0, "tax_10k": 2000.0}
    row.update(kw)
    return row


def grade(rows, columns=None):
    layer = write_layer(None, rows, columns=columns)
    std = standard.load("beijing_etown_2023")
    _, _, results, _, _ = grading.grade_source(layer, std)
    return results


def test_clean_facts_reach_a_and_b():
    res = grade([bj(), bj(tax_10k=1999.9), bj(lease_status="经批准出租")])
    assert [r["grade"] for r in res] == ["A", "B", "A"]
    assert "不存在违规违约" in res[1]["grade_reason"]
    # the reading that A also needs every fact known and clean is an assumption, shown in the reason
    assert "（假设2：" in res[0]["grade_reason"] and "假设" not in res[1]["grade_reason"]


def test_unknown_lease_status_is_not_clean_but_to_be_checked():
    # output reaching A, every other fact clean: only the lease is unknown
    res = grade([bj(lease_status=None), bj(lease_status=None, tax_10k=1000.0), bj(lease_status="未知"),
                 bj(lease_status="—")])
    assert [r["grade"] for r in res] == ["T", "T", "T", "T"]
    for r in res:
        assert r["grade_reason"].startswith("违规违约情况待核查（假设1）")
        assert "出租情况 缺失" in r["grade_reason"] and r["grade_reason"].endswith("→ T")


def test_each_unknown_fact_blocks_a_and_b():
    res = grade([bj(litigation=None), bj(unfinished=None), bj(to_residential=None), bj(violation=None),
                 bj(litigation=None, unfinished=None, tax_10k=500.0)])
    assert [r["grade"] for r in res] == ["T"] * 5
    assert "涉法涉诉 缺失" in res[0]["grade_reason"]
    assert "烂尾 缺失" in res[1]["grade_reason"]
    assert "工改住 缺失" in res[2]["grade_reason"]
    assert "违规违约 缺失" in res[3]["grade_reason"]
    assert "涉法涉诉 缺失；烂尾 缺失" in res[4]["grade_reason"]


def test_a_known_fact_decides_even_when_others_are_unknown():
    # D rules fire on facts that are known: an unknown lease does not hide a known lawsuit
    res = grade([bj(lease_status=None, litigation=True), bj(unfinished=None, lease_status="擅自出租-拒不改正"),
                 bj(litigation=None, lease_status="未经允许出租-有意愿更新")])
    assert [r["grade"] for r in res] == ["D", "D", "C"]


def test_lease_to_a_related_party_is_not_the_d_case():
    res = grade([bj(lease_status="出租给股权关联方"), bj(lease_status="擅自出租-拒不改正")])
    assert [r["grade"] for r in res] == ["T", "D"]
    assert res[0]["grade_reason"].startswith("违规违约情况待核查：出租给有股权关联关系的企业，不属 D 类")
    assert "（假设4）" in res[0]["grade_reason"]
    assert res[1]["grade_reason"].startswith("产权人未经管委会同意擅自对外出租给无股权关联关系的市场主体且拒不改正")


def test_unapproved_transfer_counts_as_violation():
    res = grade([bj(unapproved_transfer=True), bj(unapproved_transfer=False),
                 bj(unapproved_transfer=True, tax_10k=10.0)])
    assert [r["grade"] for r in res] == ["T", "A", "T"]
    assert "未经批准转让销售 是" in res[0]["grade_reason"]


def test_chinese_columns_and_words_read_as_everywhere():
    rows = [{"area_m2": HA, "宗地代码": "A1", "项目类型": "立项园区", "出租情况": "无",
             "涉法涉诉": "不存在", "烂尾": "否",
             "工改住": "不涉及", "违规违约": "否", "是否达到经济效益承诺": None, "税收总额": 2100.0,
             "工业总产值": 30500.0},
            {"area_m2": HA, "宗地代码": "A2", "项目类型": "立项园区", "出租情况": "无",
             "涉法涉诉": "存在", "烂尾": "否",
             "工改住": "不涉及", "违规违约": "否", "是否达到经济效益承诺": None, "税收总额": 2100.0,
             "工业总产值": 30500.0},
            {"area_m2": HA, "宗地代码": "A3", "项目类型": "立项园区", "出租情况": "无",
             "涉法涉诉": "待核查", "烂尾": "否",
             "工改住": "不涉及", "违规违约": "否", "是否达到经济效益承诺": None, "税收总额": 2100.0,
             "工业总产值": 30500.0}]
    res = grade(rows)
    assert [r["grade"] for r in res] == ["A", "D", "T"]


def test_beijing_disposal_set_gives_the_measures_of_each_class(qgis_app):
    from test_disposal_rules import layer_from, rect

    rs = disposal.load_ruleset("beijing_etown_2023")
    assert list(rs.paths) == ["奖励扶持", "服务指导/提质增效", "城市更新盘活", "专项整治"]
    assert "执法检查" in rs.paths["专项整治"] and "重新评价" in rs.paths["专项整治"]
    grades = ["A", "B", "C", "D", "T", None]
    layer = layer_from([
        (rect(0, n * 200, 100, 100), {"parcel_code": str(n), "grade": g}) for n, g in enumerate(grades)],
                       fields=("parcel_code:string", "grade:string"))
    proposals, report = disposal.propose(layer, rs)      # no location needed: no planning layer asked for
    got = [proposals[f.id()] for f in layer.getFeatures()]
    assert [p.disposal for p in got] == ["奖励扶持", "服务指导/提质增效", "城市更新盘活", "专项整治", None, None]
    assert "三（六）" in got[3].reason and "执法检查" in got[3].reason
    assert got[4].reason.endswith("（假设1）") and got[4].assumption == 1
    assert got[0].assumption is None and not report["warnings"]


def test_lease_spellings_are_not_read_by_prefix():
    # "无偿出租" is a lease (free of charge), not 无: never clean; "经批准出租" is
    res = grade([bj(lease_status="无偿出租"), bj(lease_status="无偿出租给关联企业", tax_10k=10.0)])
    assert [r["grade"] for r in res] == ["T", "T"]
    assert "出租情况 无偿出租" in res[0]["grade_reason"]
