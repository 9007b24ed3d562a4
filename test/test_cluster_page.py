"""The 连片 page: live count, background run, table → zoom/select, Excel export."""
import time

import pytest
from test_cluster_core import d, make_layer, rect

from landeval_plugin.core.clusters import cluster


@pytest.fixture
def page_and_layer(qgis_iface, qgis_new_project, landeval_provider):
    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.gui.pages.clusters import Page

    s = QgsSettings()
    for key in ("grades", "low_eff", "use_expression", "gap_m", "corners", "min_area_mu", "min_parcels"):
        s.remove("landeval/clusters/" + key)
    north = [(rect(i * 50, 20, 50, 60), d("n{}".format(i), town="城东")) for i in range(3)]
    south = [(rect(i * 50, -60, 50, 60), d("s{}".format(i), grade="C", tax_10k=9.0)) for i in range(2)]
    far = [(rect(3000, 0, 50, 50), d("f1")), (rect(3050, 0, 50, 50), d("f2")), (rect(5000, 0, 50, 50), d("x", "A"))]
    layer = make_layer(north + south + far)
    QgsProject.instance().addMapLayer(layer)
    page = Page(qgis_iface, None)
    page.layer_combo.setLayer(layer)
    yield page, layer
    page.unload()


def test_live_count_follows_the_choices(page_and_layer):
    page, layer = page_and_layer
    page.gap.setValue(0)
    res = page.update_count()
    assert len(res.clusters) == 3
    assert "3" in page.count_label.text()
    page.gap.setValue(30)
    assert len(page.update_count().clusters) == 2
    page.min_area.setValue(10)  # f1+f2 = 7.5 亩 drops
    assert [c.parcel_codes for c in page.update_count().clusters] == ["n0,n1,n2,s0,s1"]
    page.grade_boxes["C"].setChecked(False)
    page.low_eff_box.setChecked(False)
    assert page.filter_text() == "\"grade\" IN ('D')"
    assert [c.parcel_codes for c in page.update_count().clusters] == ["n0,n1,n2"]
    page.by_expr.setChecked(True)
    page.expr_widget.setExpression("\"grade\" = 'Z'")
    assert page.update_count().clusters == []


def test_run_draws_lists_zooms_selects_and_exports(page_and_layer, tmp_path, qgis_iface):
    from openpyxl import load_workbook
    from qgis.core import QgsApplication, QgsProject

    page, layer = page_and_layer
    page.gap.setValue(30)
    page.run()
    deadline = time.time() + 60
    while page.task is not None and time.time() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.02)
    assert page.task is None and page.cluster_layer is not None
    assert page.cluster_layer.id() in QgsProject.instance().mapLayers()
    assert page.cluster_layer.labelsEnabled()  # clusters.qml: LP-001 · 1,250 亩 · D×8
    assert page.table.rowCount() == 2
    assert page.table.item(0, 0).text() == "LP-001" and page.table.item(0, 2).text() == "5"
    assert page.table.item(1, 0).text() == "LP-002"
    selected = page.focus_cluster(0)
    assert selected == 5
    assert sorted(f["parcel_code"] for f in layer.selectedFeatures()) == ["n0", "n1", "n2", "s0", "s1"]
    extent = qgis_iface.mapCanvas().extent()
    assert extent.contains(page.cluster_layer.getFeature(page.rows[0]["fid"]).geometry().boundingBox())
    path = page.export(str(tmp_path / "list.xlsx"))
    wb = load_workbook(path)
    ws = wb["连片整治区"]
    assert [c.value for c in ws[1]][:3] == ["连片编号", "面积(亩)", "地块数"]
    assert ws["A2"].value == "LP-001" and ws["C2"].value == 5 and ws["B2"].value == pytest.approx(22.5)
    assert ws["A4"].value == "合计" and ws["C4"].value == 7
    assert wb["参数"]["B2"].value == 30
    assert wb["参数"]["B3"].value in ("是", "否")  # 角点相接算相邻 in words, not TRUE/FALSE


def test_disposal_reads_the_clustered_parcels(page_and_layer):
    from qgis.core import QgsApplication, QgsProject

    page, layer = page_and_layer
    assert page.disposal_input() is layer  # before a run: the chosen layer
    assert [a.objectName() for a in page.page_actions()] == ["mActionLandEvalDisposal"]
    page.gap.setValue(30)
    page.run()
    deadline = time.time() + 60
    while page.task is not None and time.time() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.02)
    target = page.disposal_input()
    assert target is page.parcel_layer and target.id() in QgsProject.instance().mapLayers()
    assert target.fields().lookupField("cluster_id") >= 0
    assert sorted({f["cluster_id"] for f in target.getFeatures() if f["cluster_id"]}) == ["LP-001", "LP-002"]


def test_row_click_selects_members_by_feature_id_without_parcel_codes(qgis_iface, qgis_new_project, landeval_provider):
    # real layers (Xinwu, Somerville) carry no parcel_code, and a base map may have parcels without one:
    # the members are still selected on the input layer itself
    from qgis.core import QgsProject

    from landeval_plugin.gui.pages.clusters import Page

    rows = [(rect(0, 0, 50, 50), {"grade": "D"}), (rect(50, 0, 50, 50), {"grade": "C"}),
            (rect(500, 0, 50, 50), {"grade": "D"}), (rect(550, 0, 50, 50), {"grade": "D"})]
    bare = make_layer(rows, fields=("grade:string", "low_eff:boolean"))
    mixed = make_layer([(rect(0, 0, 50, 50), d("k1")), (rect(50, 0, 50, 50), {"grade": "D"}),
                        (rect(100, 0, 50, 50), d("k3")), (rect(500, 0, 50, 50), d("k4", grade="A"))])
    for layer, expected in ((bare, 2), (mixed, 3)):
        QgsProject.instance().addMapLayer(layer)
        res = cluster.find_clusters(layer, geometry=False)
        members = sorted(res.clusters[0].fids)
        assert len(members) == expected
        assert sorted(Page.member_ids(layer, {"parcel_codes": res.clusters[0].parcel_codes})) == members


def test_disposal_dialog_starts_from_the_remembered_rule_set(page_and_layer):
    from qgis.core import QgsApplication, QgsSettings

    page, layer = page_and_layer
    s = QgsSettings()
    saved = s.value("landeval/disposal/ruleset")
    s.setValue("landeval/disposal/ruleset", "tonglu_2022")
    try:
        assert page.disposal_parameters() == {"RULESET": "tonglu_2022", "INPUT": layer}
        # the algorithm's own default stays the documented one for scripted runs
        alg = QgsApplication.processingRegistry().createAlgorithmById("landeval:disposal")
        assert alg.parameterDefinition("RULESET").defaultValue() == "taicang_2023"
    finally:
        if saved is None:
            s.remove("landeval/disposal/ruleset")
        else:
            s.setValue("landeval/disposal/ruleset", saved)
