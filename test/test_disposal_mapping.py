"""Disposal reads the same field mapping as grading: on the sample district, a graded layer carrying the
register's columns 闲置 and 产业类别 under those names gets 收购收储 for idle parcels and 取缔关停 for
禁止/淘汰 industry (Tonglu 2022, seed 002 五、(一)3 and 4); an optional field that is absent or blank is a
visible warning with the number of parcels it could not check."""
import json
import re

import pytest

from landeval_plugin.core import values
from landeval_plugin.core.sample import sample_district as sd

N = 600


@pytest.fixture(scope="module")
def district(qgis_app, tmp_path_factory):
    return sd.generate(str(tmp_path_factory.mktemp("district_disposal")), parcels=N, seed=11)


def graded_register(paths, drop=()):
    """The 不动产登记 layer as the grading step leaves it: its own Chinese columns plus ``grade``
    (C for every parcel here, so no rule decides by class before the ones under test)."""
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    src = QgsVectorLayer("{}|layername=bdcdj".format(paths["gpkg"]), "bdcdj", "ogr")
    assert src.isValid()
    keep = [f for f in src.fields() if f.name() not in drop and f.name() != "fid"]
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "graded", "memory")
    layer.dataProvider().addAttributes(keep + [QgsField("grade", QVariant.Type.String)])
    layer.updateFields()
    feats = []
    for f in src.getFeatures():
        out = QgsFeature(layer.fields())
        out.setGeometry(f.geometry())
        out.setAttributes([f[k.name()] for k in keep] + ["C"])
        feats.append(out)
    layer.dataProvider().addFeatures(feats)
    return layer


def run(run_alg, paths, layer, ruleset="tonglu_2022"):
    from qgis.core import QgsVectorLayer

    res = run_alg("landeval:disposal", {
        "INPUT": layer, "RULESET": ruleset, "OUTPUT": "TEMPORARY_OUTPUT",
        "DEVELOPMENT_BOUNDARY": QgsVectorLayer("{}|layername=czkfbj".format(paths["gpkg"]), "czkfbj", "ogr"),
        "INDUSTRIAL_LINE": QgsVectorLayer("{}|layername=gybzx".format(paths["gpkg"]), "gybzx", "ogr")})
    return res, {f["宗地代码"]: f for f in res["OUTPUT"].getFeatures()}


def test_chinese_columns_idle_and_banned_industry_take_their_paths(district, run_alg):
    layer = graded_register(district)
    attrs = {f["宗地代码"]: f for f in layer.getFeatures()}
    banned = {c for c, f in attrs.items() if values.to_text(f["产业类别"]) in ("禁止", "淘汰")}
    idle = {c for c, f in attrs.items() if values.to_bool(f["闲置"]) is True} - banned
    assert len(banned) >= 3 and len(idle) >= 5     # the sample has both, under their Chinese names
    res, out = run(run_alg, district, layer)
    assert {c for c, f in out.items() if f["disposal"] == "取缔关停"} == banned
    assert {c for c, f in out.items() if f["disposal"] == "收购收储"} == idle
    assert all("产业类别" not in f.fields().names() or f["disposal_reason"].startswith("属产业导向目录")
               for c, f in out.items() if c in banned)
    assert all(out[c]["disposal_reason"] == "用而未尽（闲置）地块，依法收购收储" for c in idle)
    report = json.loads(res["REPORT"])
    assert report["fields"]["idle"] == "闲置" and report["fields"]["industry_class"] == "产业类别"
    # the register leaves 产业类别 blank on some parcels (not surveyed, non-industrial): counted, not a log line
    blank = sum(1 for f in layer.getFeatures() if values.is_empty(f["产业类别"]))   # codes repeat: count features
    assert blank > 0
    warn = [w for w in report["warnings"] if w.startswith("产业类别（industry_class）")]
    assert len(warn) == 1 and re.search(r"\b{}\b".format(blank), warn[0]) and "禁止类、淘汰类" in warn[0]


def test_absent_optional_field_is_a_warning_with_the_parcel_count(district, run_alg):
    layer = graded_register(district, drop=("产业类别",))
    res, out = run(run_alg, district, layer)
    assert not any(f["disposal"] == "取缔关停" for f in out.values())
    warn = [w for w in json.loads(res["REPORT"])["warnings"] if "产业类别" in w]
    assert len(warn) == 1 and re.search(r"\b{}\b".format(layer.featureCount()), warn[0]) and "禁止类、淘汰类" in warn[0]


def test_standard_names_still_win_and_typed_values_are_read(qgis_app):
    """A layer with the standard name and text yes/no ("存在"/"无") reads them as grading does."""
    from test_disposal_rules import layer_from, planning_layers, rect

    from landeval_plugin.core.disposal import disposal

    layer = layer_from([(rect(100, n * 200, 100, 100), {"parcel_code": str(n), "grade": "C", "idle": v})
                        for n, v in enumerate(["存在", "无", "—", "是"])],
                       fields=("parcel_code:string", "grade:string", "idle:string"))
    boundary, line = planning_layers()
    proposals, report = disposal.propose(layer, disposal.load_ruleset("tonglu_2022"), boundary, line)
    got = [proposals[f.id()].disposal for f in layer.getFeatures()]
    assert got == ["收购收储", "自我提升", "自我提升", "收购收储"]
    assert any(w.startswith("闲置/用而未尽（idle）") and re.search(r"\b1\b", w) for w in report["warnings"])


def test_industry_class_spellings_read_as_in_grading(qgis_app):
    from test_disposal_rules import layer_from, planning_layers, rect

    from landeval_plugin.core.disposal import disposal

    spellings = ["淘汰类产能", "禁止类", "落后产能", "限制类", "鼓励类", "不详"]
    layer = layer_from([(rect(100, n * 200, 100, 100), {"parcel_code": str(n), "grade": "C", "产业类别": v})
                        for n, v in enumerate(spellings)],
                        fields=("parcel_code:string", "grade:string", "产业类别:string"))
    boundary, line = planning_layers()
    proposals, _ = disposal.propose(layer, disposal.load_ruleset("tonglu_2022"), boundary, line)
    assert [proposals[f.id()].disposal for f in layer.getFeatures()] == ["取缔关停"] * 3 + ["自我提升"] * 3
    proposals, _ = disposal.propose(layer, disposal.load_ruleset("taicang_2023"), boundary, line)
    got = [proposals[f.id()] for f in layer.getFeatures()]
    assert [p.disposal for p in got] == ["整治", "整治", "整治", "更新", "提质", "提质"]
    assert "产业类别：限制" in got[3].reason
