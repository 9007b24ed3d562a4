"""landeval:grade and landeval:review end to end: both write paths, field mapping, bad input,
review surviving a re-grade, in-place review with undo, the grade style with counts."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import random_rows, write_layer

from landeval_plugin.core import review
from landeval_plugin.core.grading import grade as grading

HA = 10000.0


def read(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "out", "ogr")
    assert layer.isValid(), path
    return {f["parcel_code"]: f for f in layer.getFeatures()}


def val(v):
    return None if v is None or (hasattr(v, "isNull") and v.isNull()) or str(v) == "NULL" else v


def test_gpkg_fast_path_and_feature_path_agree(tmp_path, run_alg):
    rows = random_rows(300, seed=3)
    rows[5]["scale"] = None
    rows[6]["area_m2"] = 0
    src = write_layer(str(tmp_path / "in.gpkg"), rows)
    out_fast = str(tmp_path / "fast.gpkg")
    r1 = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": out_fast})
    mem = write_layer(None, rows)
    out_slow = str(tmp_path / "slow.gpkg")   # a memory-layer input takes the feature path
    run_alg("landeval:grade", {"INPUT": mem, "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": out_slow})
    fast = read(out_fast)
    slow = read(out_slow)
    assert len(fast) == len(slow) == 300
    for code, f in fast.items():
        g = slow[code]
        assert f["grade"] == g["grade"], code
        assert val(f["rank"]) == val(g["rank"])
        if val(f["score"]) is not None:
            assert f["score"] == pytest.approx(g["score"], abs=1e-6)
        assert f["grade_reason"] == g["grade_reason"]
        assert f["score_detail"] == g["score_detail"]
    assert fast[rows[5]["parcel_code"]]["grade"] == "T"
    assert fast[rows[6]["parcel_code"]]["grade_reason"].startswith("用地面积")
    assert '"A"' in r1["SUMMARY"] and sum(1 for f in fast.values() if f["grade"] in "ABCD") > 250
    # the source is untouched and no temporary file is left behind
    assert "grade" not in src.fields().names()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_missing_fields_are_listed_all_at_once(run_alg):
    from qgis.core import QgsProcessingException

    rows = [{"area_m2": HA, "parcel_code": "1", "tax_10k": 10.0}]
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:grade", {"INPUT": write_layer(None, rows), "STANDARD": "zhejiang_huangyan_2022",
                                   "OUTPUT": "TEMPORARY_OUTPUT"})
    text = str(err.value)
    for name in ("scale", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity",
                 "rnd_ratio", "tax_per_power"):
        assert "({})".format(name) in text, name
    assert "tax_per_mu" not in text          # computable from 税收 and the area


def test_broken_standard_file_message(tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nversion: '1'\nname: 坏标准\nrules:\n  - {grade: D, when: 'tax_per_mu <', reason: x}\n"
                   "  - {grade: D, when: 'tax_per_muu < 2', reason: y}\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:grade", {"INPUT": write_layer(None, [{"area_m2": HA, "tax_10k": 1.0}]), "STANDARD": str(bad),
                                   "OUTPUT": "TEMPORARY_OUTPUT"})
    assert "rules[0].when: condition 'tax_per_mu <'" in str(err.value)
    assert "rules[1].when: unknown name 'tax_per_muu'" in str(err.value)


def test_chinese_column_names_and_yes_no_values(run_alg):
    rows = [{"area_m2": HA, "宗地代码": "A1", "项目类型": "立项园区", "出租情况": "无", "涉法涉诉": "否", "烂尾": "N",
             "工改住": "0", "违规违约": "否", "是否达到经济效益承诺": None, "税收总额": 2100.0, "工业总产值": 30500.0},
            {"area_m2": HA, "宗地代码": "A2", "项目类型": "自用工业用地项目", "出租情况": "无",
             "涉法涉诉": "是", "烂尾": "N",
             "工改住": "0", "违规违约": "否", "是否达到经济效益承诺": None, "税收总额": 2100.0, "工业总产值": 30500.0}]
    res = run_alg("landeval:grade", {"INPUT": write_layer(None, rows), "STANDARD": "beijing_etown_2023",
                                     "OUTPUT": "TEMPORARY_OUTPUT"})
    out = {f["宗地代码"]: f for f in res["OUTPUT"].getFeatures()}   # processing.run returns the temporary layer
    assert out["A1"]["grade"] == "A" and out["A2"]["grade"] == "D"


def test_selected_features_only(tmp_path, run_alg):
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject

    layer = write_layer(str(tmp_path / "sel.gpkg"), random_rows(20, seed=5))
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByIds([f.id() for f in layer.getFeatures()][:7])
        out = str(tmp_path / "sel_out.gpkg")
        run_alg("landeval:grade", {"INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True),
                                   "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": out})
        assert len(read(out)) == 7
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_review_survives_regrade(tmp_path, run_alg):
    rows = random_rows(40, seed=9)
    src = write_layer(str(tmp_path / "r.gpkg"), rows)
    g1 = str(tmp_path / "g1.gpkg")
    run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": g1})
    first = read(g1)
    code = rows[0]["parcel_code"]
    computed = first[code]["grade"]
    final = "D" if computed != "D" else "A"
    rv = str(tmp_path / "rv.gpkg")
    r = run_alg("landeval:review", {"INPUT": g1, "CODES": code + ", NOPE", "GRADE": "ABCDT".index(final),
                                    "REASON": "现场核查：厂房已停产", "BY": "张三", "OUTPUT": rv})
    assert r["REVIEWED"] == 1
    reviewed = read(rv)
    assert reviewed[code]["grade_final"] == final and reviewed[code]["grade"] == computed
    assert reviewed[code]["override_by"] == "张三" and reviewed[code]["override_reason"] == "现场核查：厂房已停产"
    # re-grade with a stricter copy of the standard, through both write paths
    strict = tmp_path / "strict.yaml"
    from landeval_plugin.core.grading import standard

    s = standard.load("zhejiang_huangyan_2022")
    s.with_values({("classify", "thresholds", "B"): 100}, new_id="strict", new_version="2").save(str(strict))
    for out in (str(tmp_path / "g2.gpkg"), str(tmp_path / "g2.geojson")):
        run_alg("landeval:grade", {"INPUT": rv, "STANDARD": str(strict), "OUTPUT": out})
        again = read(out)
        assert again[code]["grade_final"] == final, out
        assert again[code]["override_reason"] == "现场核查：厂房已停产"
        assert again[code]["standard"] == "strict v2"
        others = [c for c in again if c != code]
        assert all(val(again[c]["grade_final"]) is None for c in others)
    # a review without reason is refused. (The frame of a test that catches an exception lives
    # until interpreter exit; a file-backed layer still referenced from it would be destroyed after
    # QGIS has shut GDAL down, so it is released first.)
    from qgis.core import QgsProcessingException

    del src

    with pytest.raises(QgsProcessingException, match="reason"):
        run_alg("landeval:review", {"INPUT": g1, "CODES": code, "GRADE": 0, "REASON": "  ",
                                    "OUTPUT": str(tmp_path / "x.gpkg")})


def test_in_place_review_is_one_undo_step(tmp_path, run_alg):
    from qgis.core import QgsVectorLayer

    src = write_layer(str(tmp_path / "p.gpkg"), random_rows(10, seed=2))
    out = str(tmp_path / "g.gpkg")
    run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": out})
    layer = QgsVectorLayer(out, "g", "ogr")
    fids = [f.id() for f in layer.getFeatures()][:3]
    n = review.apply_in_place(layer, fids, "C", "规划调整区域，观察整改", by="李四")
    assert n == 3 and layer.isEditable()
    assert [layer.getFeature(fid)["grade_final"] for fid in fids] == ["C"] * 3
    layer.undoStack().undo()
    assert all(val(layer.getFeature(fid)["grade_final"]) is None for fid in fids)
    layer.undoStack().redo()
    assert layer.commitChanges()
    again = QgsVectorLayer(out, "g", "ogr")
    assert again.getFeature(fids[0])["override_by"] == "李四"
    with pytest.raises(review.ReviewError):
        review.apply_in_place(again, fids, "E", "x")


def test_grade_style_counts_and_mu_in_legend(tmp_path, run_alg):
    from qgis.core import QgsVectorLayer

    rows = [{"parcel_code": str(i), "area_m2": 15 * 10000.0 / 15.0 * (i + 1), "scale": "规下",
             "tax_10k": 11.5932 * 15 * (i + 1) * f, "power_10k_kwh": 11.5932 * 15 * (i + 1) / 0.2352,
             "value_added_10k": None, "energy_tce": None, "emission_t": None, "employees": None, "rnd_10k": None,
             "revenue_10k": None}
            for i, f in enumerate([2.0, 1.0, 0.6, 0.3])]
    out = str(tmp_path / "s.gpkg")
    run_alg("landeval:grade", {"INPUT": write_layer(str(tmp_path / "s_in.gpkg"), rows).source(),
                               "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": out})
    layer = QgsVectorLayer(out, "s", "ogr")
    grading.apply_style(layer, "grade")
    r = layer.renderer()
    assert r.classAttribute() == 'coalesce("grade_final", "grade")'
    labels = {c.value(): c.label() for c in r.categories()}
    assert labels["A"] == "A 鼓励支持（1 宗，15.0 亩）"
    assert labels["B"] == "B 保留提升（1 宗，30.0 亩）"
    assert labels["C"] == "C 观察整改（1 宗，45.0 亩）"
    assert labels["D"] == "D 整治退出（1 宗，60.0 亩）"
    assert r.categories()[0].symbol().color().name() == "#2e9e45"
    grading.apply_style(layer, "score")
    assert layer.renderer().type() == "graduatedSymbol" and len(layer.renderer().ranges()) >= 2
    grading.apply_style(layer, "low_eff")
    assert layer.renderer().type() == "RuleRenderer"


def test_results_loaded_into_the_project_are_styled(tmp_path, landeval_provider):
    """Processing's 'open output' path: the grade style with counts is applied on load (fast path too)."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    rows = random_rows(30, seed=8)
    src = write_layer(str(tmp_path / "load_in.gpkg"), rows).source()
    for out in (str(tmp_path / "loaded.gpkg"), "TEMPORARY_OUTPUT"):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        res = processing.runAndLoadResults("landeval:grade", {"INPUT": src, "STANDARD": "zhejiang_huangyan_2022",
                                                              "OUTPUT": out}, feedback=QgsProcessingFeedback(),
                                           context=context)
        layer = QgsProject.instance().mapLayer(res["OUTPUT"]) or next(iter(QgsProject.instance().mapLayers().values()))
        renderer = layer.renderer()
        assert renderer.type() == "categorizedSymbol", out
        labels = [c.label() for c in renderer.categories()]
        total = sum(int(lab.split("（")[1].split(" 宗")[0]) for lab in labels if "宗，" in lab)
        assert total == 30, labels
        QgsProject.instance().removeAllMapLayers()
