"""处置方案: every preset on parcels placed inside and outside the planning polygons."""
import json

import pytest

from landeval_plugin.core.disposal import disposal

X0, Y0 = 500000.0, 3400000.0
FIELDS = ("parcel_code:string", "grade:string", "grade_final:string", "low_eff:boolean", "low_eff_tags:string",
          "industry_class:string", "idle:boolean", "cluster_id:string")
# where: out = outside the development boundary; dev = inside it, outside the industrial line; line = inside the line
X_OF = {"out": 1500, "dev": 700, "line": 100, "half": 450}


def rect(x, y, w, h):
    x, y = X0 + x, Y0 + y
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x, y, x + w, y + h)


def layer_from(rows, fields=FIELDS, crs="EPSG:4549", geometry="Polygon", name="parcels"):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("{}?crs={}&".format(geometry, crs) + "&".join("field=" + f for f in fields), name, "memory")
    feats = []
    for wkt, values in rows:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        for k, v in values.items():
            f[k] = v
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    layer.updateExtents()
    return layer


def planning_layers(crs="EPSG:4490"):
    """Boundary x 0..1000, industrial line x 0..500 (metres), stored in ``crs`` (reprojected)."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsFeature,
        QgsGeometry,
        QgsProject,
        QgsVectorLayer,
    )

    tr = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4549"), QgsCoordinateReferenceSystem(crs),
                                QgsProject.instance())
    out = []
    for name, wkt in (("czkfbj", rect(0, -500, 1000, 5000)), ("gybzx", rect(0, -500, 500, 5000))):
        layer = QgsVectorLayer("MultiPolygon?crs={}&field=name:string".format(crs), name, "memory")
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromWkt(wkt).densifyByCount(20)
        g.transform(tr)
        f.setGeometry(g)
        f["name"] = name
        layer.dataProvider().addFeatures([f])
        layer.updateExtents()
        out.append(layer)
    return out


def parcels(cases):
    """cases: [(code, where, {fields})] -> layer with a 100 m square per case, stacked in y."""
    rows = []
    for n, (code, where, values) in enumerate(cases):
        values = dict(values, parcel_code=code)
        rows.append((rect(X_OF[where], n * 200, 100, 100), values))
    return layer_from(rows)


def run(ruleset, cases, share=0.5):
    boundary, line = planning_layers()
    proposals, report = disposal.propose(parcels(cases), disposal.load_ruleset(ruleset), boundary, line, share)
    layer = parcels(cases)
    codes = {f.id(): f["parcel_code"] for f in layer.getFeatures()}
    return {codes[fid]: p for fid, p in proposals.items()}, report


def check(ruleset, cases_expected):
    cases = [(code, where, values) for code, where, values, _ in cases_expected]
    got, _ = run(ruleset, cases)
    assert {code: got[code].disposal for code in got} == {code: exp for code, _, _, exp in cases_expected}
    return got


def test_presets_load_and_are_traced_to_seeds(qgis_app):
    ids = [pid for pid, _ in disposal.list_presets()]
    # beijing_etown_2023: the seed-004 measures per class, added for issue 12 point 5
    assert ids == ["beijing_etown_2023", "shanghai_four_batches", "songjiang_2023", "taicang_2023", "tonglu_2022"]
    rs = disposal.load_ruleset("shanghai_four_batches")
    assert list(rs.paths) == ["更新", "减量", "收储", "保留"]
    assert list(disposal.load_ruleset("songjiang_2023").paths) == ["提质", "转型", "减量", "更新", "收储"]
    assert {"自我提升", "兼并重组", "收购收储", "取缔关停", "连片整治（退二优二）"} <= \
        set(disposal.load_ruleset("tonglu_2022").paths)
    for pid in ids:
        text = open(disposal.resolve(pid), encoding="utf-8").read()
        assert "seed 00" in text  # each preset says which seed it comes from


def test_location_by_share_and_reprojected_planning_layers(qgis_app):
    cases = [("out", "out", {"grade": "C"}), ("dev", "dev", {"grade": "C"}), ("line", "line", {"grade": "C"}),
             ("half", "half", {"grade": "C"})]
    got, _ = run("taicang_2023", cases)
    loc = {c: (p.location["in_development_boundary"], p.location["in_industrial_line"]) for c, p in got.items()}
    assert loc == {"out": (False, False), "dev": (True, False), "line": (True, True), "half": (True, True)}
    assert got["half"].shares["in_industrial_line"] == pytest.approx(0.5, abs=0.01)
    got, _ = run("taicang_2023", cases, share=0.6)
    assert got["half"].location["in_industrial_line"] is False
    assert got["half"].disposal == "更新"


def test_taicang_2023(qgis_app):
    got = check("taicang_2023", [
        ("t", "line", {"grade": "T"}, None),
        ("out_d", "out", {"grade": "D"}, "整治"),
        ("out_a", "out", {"grade": "A"}, "整治"),
        ("dev_c", "dev", {"grade": "C"}, "更新"),
        ("dev_a", "dev", {"grade": "A"}, None),
        ("dev_b_obsolete", "dev", {"grade": "B", "industry_class": "淘汰"}, "整治"),
        ("line_a", "line", {"grade": "A"}, "提质"),
        ("line_c", "line", {"grade": "C"}, "提质"),
        ("line_d", "line", {"grade": "D"}, "整治"),
        ("line_c_restricted", "line", {"grade": "C", "industry_class": "限制"}, "更新"),
        ("line_b_reviewed_c", "line", {"grade": "D", "grade_final": "B"}, "提质"),
    ])
    assert got["out_d"].reason.startswith("位于城镇开发边界外（面积 0% 在边界内）")
    assert "退二进三" in got["dev_c"].reason
    # issue 12: no 产业类别 → "符合区域产业发展方向" is an assumption, and the reason says so
    assert got["line_a"].reason == ("位于工业保障线内，产出效益相对较高（A "
                                    "类），产业类别未填、按符合区域产业发展方向处理，"
                                    "鼓励“退二优二”提质增效（假设5）")
    assert "淘汰" in got["dev_b_obsolete"].reason


def test_shanghai_four_batches(qgis_app):
    check("shanghai_four_batches", [
        ("a_out", "out", {"grade": "A"}, "保留"),
        ("b_line", "line", {"grade": "B"}, "保留"),
        ("b_low", "line", {"grade": "B", "low_eff": True}, "更新"),
        ("c_out", "out", {"grade": "C"}, "减量"),
        ("d_dev", "dev", {"grade": "D"}, "收储"),
        ("d_line", "line", {"grade": "D"}, "更新"),
        ("c_dev", "dev", {"grade": "C"}, "更新"),
        ("t", "dev", {"grade": "T"}, None),
    ])


def test_songjiang_2023(qgis_app):
    got = check("songjiang_2023", [
        ("a", "line", {"grade": "A"}, None),
        ("c_out", "out", {"grade": "C"}, "减量"),
        ("d_out", "out", {"grade": "D"}, "减量"),
        ("d_line", "line", {"grade": "D"}, "更新"),
        ("d_dev", "dev", {"grade": "D"}, "收储"),
        ("c_line", "line", {"grade": "C"}, "提质"),
        ("c_dev", "dev", {"grade": "C"}, "转型"),
    ])
    assert got["a"].reason == "A 类（鼓励支持），不列入低效产业用地处置"


def test_tonglu_2022_with_clusters(qgis_app):
    got = check("tonglu_2022", [
        ("k_out", "out", {"grade": "D", "cluster_id": "LP-002"}, "连片整治（退二还一）"),
        ("k_line", "line", {"grade": "C", "cluster_id": "LP-001"}, "连片整治（退二优二）"),
        ("k_dev", "dev", {"grade": "D", "cluster_id": "LP-001"}, "连片整治（退二补三）"),
        ("k_banned", "line", {"grade": "D", "cluster_id": "LP-001", "industry_class": "淘汰"}, "取缔关停"),
        ("non_ind", "dev", {"grade": "C", "low_eff": True, "low_eff_tags": "占工非工"}, "取缔关停"),
        ("idle", "dev", {"grade": "C", "idle": True}, "收购收储"),
        ("key", "line", {"grade": "C", "low_eff": True, "low_eff_tags": "亩均低效,重点整治"}, "收购收储"),
        ("d", "line", {"grade": "D"}, "兼并重组"),
        ("c", "line", {"grade": "C"}, "自我提升"),
        ("low_b", "line", {"grade": "B", "low_eff": True, "low_eff_tags": "亩均低效"}, "自我提升"),
        ("a", "line", {"grade": "A"}, None),
    ])
    assert got["k_line"].reason == "属连片整治区 LP-001，位于工业保障线内，退二优二（假设1）"   # issue 12: marked
    assert got["low_b"].reason.startswith("低效工业用地（亩均低效）")


def test_optional_fields_missing_are_empty_with_a_warning(qgis_app):
    boundary, line = planning_layers()
    layer = layer_from([(rect(100, 0, 100, 100), {"parcel_code": "p", "grade": "D"})],
                       fields=("parcel_code:string", "grade:string"))
    proposals, report = disposal.propose(layer, disposal.load_ruleset("tonglu_2022"), boundary, line)
    assert [p.disposal for p in proposals.values()] == ["兼并重组"]
    assert any("cluster_id" in w for w in report["warnings"])


def test_location_fields_on_the_layer_stand_in_for_planning_layers(qgis_app):
    layer = layer_from([(rect(0, 0, 10, 10), {"parcel_code": "p", "grade": "C", "in_development_boundary": True,
                                              "in_industrial_line": False})],
                       fields=("parcel_code:string", "grade:string", "in_development_boundary:boolean",
                               "in_industrial_line:boolean"))
    proposals, _ = disposal.propose(layer, disposal.load_ruleset("songjiang_2023"))
    assert [p.disposal for p in proposals.values()] == ["转型"]


def test_bad_input_and_bad_rule_sets(qgis_app, tmp_path):
    layer = layer_from([(rect(0, 0, 10, 10), {"parcel_code": "p", "grade": "C"})],
                       fields=("parcel_code:string", "grade:string"))
    with pytest.raises(disposal.DisposalError, match="in_development_boundary.*城镇开发边界"):
        disposal.propose(layer, disposal.load_ruleset("taicang_2023"))
    no_grade = layer_from([(rect(0, 0, 10, 10), {"parcel_code": "p"})], fields=("parcel_code:string",))
    boundary, line = planning_layers()
    with pytest.raises(disposal.DisposalError, match="“grade”.*landeval:grade"):
        disposal.propose(no_grade, disposal.load_ruleset("taicang_2023"), boundary, line)
    points = layer_from([("POINT({} {})".format(X0, Y0), {"parcel_code": "p"})], fields=("parcel_code:string",),
                        geometry="Point")
    with pytest.raises(disposal.DisposalError, match="polygon"):
        disposal.propose(points, disposal.load_ruleset("taicang_2023"), boundary, line)
    with pytest.raises(disposal.DisposalError, match="polygons"):
        disposal.propose(layer, disposal.load_ruleset("taicang_2023"), points, line)
    with pytest.raises(disposal.DisposalError, match="not found.*taicang_2023"):
        disposal.load_ruleset("nowhere_2099")

    def bad(text, pattern):
        path = tmp_path / "bad.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(disposal.DisposalError, match=pattern):
            disposal.load_ruleset(str(path))

    good = "id: x\nname: X\npaths: {甲: a, 乙: b}\nrules:\n  - when: 'true'\n    disposal: 甲\n    reason: ok\n"
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")
    assert [r.disposal for r in disposal.load_ruleset(str(tmp_path / "good.yaml")).rules] == ["甲"]
    bad(good.replace("disposal: 甲", "disposal: 丙"), r"bad.yaml: rules\[0\].disposal: “丙” is not one of the paths")
    bad(good.replace("when: 'true'", "when: '\"grade\" IN ('"), r"rules\[0\].when: the expression")
    bad(good.replace("name: X\n", ""), "bad.yaml: name: missing")
    bad(good.replace("reason: ok", "reason: ok\n    colour: red"), r"rules\[0\].colour: unknown key")
    bad(good.replace("reason: ok", "reason: '[% \"grade\" IN ( %]'"), r"rules\[0\].reason: the part")
    bad("id: [unclosed", "not a readable YAML")


def test_processing_keeps_reviews_and_carries_them_forward(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    boundary, line = planning_layers()
    cases = [("a", "line", {"grade": "C"}), ("b", "dev", {"grade": "D"}), ("c", "out", {"grade": "C"})]
    first = str(tmp_path / "first.gpkg")
    res = run_alg("landeval:disposal", {"INPUT": parcels(cases), "RULESET": "songjiang_2023",
                                        "DEVELOPMENT_BOUNDARY": boundary, "INDUSTRIAL_LINE": line, "OUTPUT": first})
    out = QgsVectorLayer(res["OUTPUT"], "d", "ogr")
    rows = {f["parcel_code"]: f for f in out.getFeatures()}
    assert {c: rows[c]["disposal"] for c in rows} == {"a": "提质", "b": "收储", "c": "减量"}
    assert rows["b"]["in_development_boundary"] and not rows["b"]["in_industrial_line"]
    assert res["COUNTS"] == {"提质": 1, "收储": 1, "减量": 1}
    assert json.loads(res["SUMMARY"]) == {"提质": 1, "收储": 1, "减量": 1}
    # a reviewer decides b: kept on a re-run over the reviewed layer, carried forward to new input by code
    out.startEditing()
    fb = [f for f in out.getFeatures() if f["parcel_code"] == "b"][0]
    out.changeAttributeValue(fb.id(), out.fields().lookupField("disposal_final"), "更新")
    out.changeAttributeValue(fb.id(), out.fields().lookupField("disposal_override_reason"), "区政府已立项更新单元")
    assert out.commitChanges()
    again = run_alg("landeval:disposal", {"INPUT": first, "RULESET": "songjiang_2023", "DEVELOPMENT_BOUNDARY": boundary,
                                          "INDUSTRIAL_LINE": line, "OUTPUT": str(tmp_path / "again.gpkg")})
    rows = {f["parcel_code"]: f for f in QgsVectorLayer(again["OUTPUT"], "x", "ogr").getFeatures()}
    assert rows["b"]["disposal"] == "收储" and rows["b"]["disposal_final"] == "更新"
    carried = run_alg("landeval:disposal", {"INPUT": parcels(cases), "RULESET": "songjiang_2023",
                                            "DEVELOPMENT_BOUNDARY": boundary,
                                            "INDUSTRIAL_LINE": line, "PREVIOUS": first,
                                            "OUTPUT": str(tmp_path / "carried.gpkg")})
    rows = {f["parcel_code"]: f for f in QgsVectorLayer(carried["OUTPUT"], "y", "ogr").getFeatures()}
    assert rows["b"]["disposal_final"] == "更新" and rows["b"]["disposal_override_reason"] == "区政府已立项更新单元"
    assert not rows["a"]["disposal_final"]


def test_processing_stops_without_the_planning_layer_it_needs(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    cases = [("a", "line", {"grade": "C"})]
    with pytest.raises(QgsProcessingException, match="in_development_boundary"):
        run_alg("landeval:disposal", {"INPUT": parcels(cases), "RULESET": "taicang_2023",
                                      "OUTPUT": str(tmp_path / "fail.gpkg")})
    assert not (tmp_path / "fail.gpkg").exists()


def test_outputs_loaded_by_the_toolbox_get_the_disposal_style(qgis_app, run_alg, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProject, QgsVectorLayer

    boundary, line = planning_layers()
    out = str(tmp_path / "styled.gpkg")
    context = QgsProcessingContext()
    context.addLayerToLoadOnCompletion(out, QgsProcessingContext.LayerDetails("x", QgsProject.instance(), "OUTPUT"))
    run_alg("landeval:disposal", {"INPUT": parcels([("a", "line", {"grade": "C"})]), "RULESET": "songjiang_2023",
                                  "DEVELOPMENT_BOUNDARY": boundary, "INDUSTRIAL_LINE": line, "OUTPUT": out},
            context=context)
    details = context.layerToLoadOnCompletionDetails(out)
    assert details.name.startswith("处置方案") or details.name.startswith("Disposal paths")
    layer = QgsVectorLayer(out, "d", "ogr")
    details.postProcessor().postProcessLayer(layer, context, None)
    assert layer.renderer().type() == "categorizedSymbol"
    assert layer.renderer().classAttribute() == 'coalesce("disposal_final", "disposal", \'\')'
    del layer
