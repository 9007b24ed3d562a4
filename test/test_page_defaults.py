"""Pickers default to the layer the previous step produced (never a decoy QA layer listed first);
the 一张图 page refuses line layers at once and says so in the message bar and beside its
source list; a failed run clears the result; the page's counts equal its layers."""
import time

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from test_basemap_core import known_sources, restore_shape_encoding  # noqa: F401 (autouse fixture)

QA_FIELDS = ["kind", "source", "source_id", "parcel_code", "area_m2", "message"]


def polygon_layer(name, fields):
    spec = "&".join("field={}:string".format(f) for f in fields)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&" + spec, name, "memory")
    assert layer.isValid()
    return layer


def _wait(predicate, seconds=60):
    from qgis.core import QgsApplication

    end = time.time() + seconds
    while time.time() < end and not predicate():
        QgsApplication.processEvents()
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def project(qgis_iface, qgis_new_project):
    project = QgsProject.instance()
    project.removeAllMapLayers()
    yield project
    project.removeAllMapLayers()


def make(module, iface):
    import importlib

    return importlib.import_module("landeval_plugin.gui.pages." + module).Page(iface, None)


def test_data_page_takes_the_base_map_not_the_qa_layer_added_first(project, qgis_iface):
    qa = polygon_layer("A 一张图质检", QA_FIELDS)  # first, and first by name
    base = polygon_layer("产业用地一张图", ["parcel_code", "land_use"])
    project.addMapLayers([qa, base])
    page = make("data", qgis_iface)
    try:
        assert page.layer.currentLayer() is base
        assert page.code_field.currentField() == "parcel_code"
        # a new base map run: the picker follows it
        newer = polygon_layer("产业用地一张图 · 第二次", ["parcel_code", "land_use"])
        project.addMapLayer(newer)
        assert page.layer.currentLayer() is newer
        # an unrelated layer does not take the planner's choice away
        project.addMapLayer(polygon_layer("道路面", ["名称"]))
        assert page.layer.currentLayer() is newer
    finally:
        page.unload()


def test_grading_page_takes_the_joined_data(project, qgis_iface):
    qa = polygon_layer("一张图质检", QA_FIELDS)
    base = polygon_layer("产业用地一张图", ["parcel_code", "land_use"])
    data = polygon_layer("地块数据", ["parcel_code", "enterprise_count", "tax"])
    project.addMapLayers([qa, data, base])
    page = make("grading", qgis_iface)
    try:
        assert page.layer.currentLayer() is data
    finally:
        page.unload()


def test_clusters_page_takes_the_graded_layer(project, qgis_iface):
    qa = polygon_layer("一张图质检", QA_FIELDS)
    data = polygon_layer("地块数据", ["parcel_code", "enterprise_count"])
    project.addMapLayers([qa, data])
    page = make("clusters", qgis_iface)
    try:
        graded = polygon_layer("分类评价 · 示例", ["parcel_code", "enterprise_count", "grade", "low_eff"])
        project.addMapLayer(graded)  # the grading step's result arrives
        assert page.layer_combo.currentLayer() is graded
    finally:
        page.unload()


def bar_texts(iface):
    """Warnings pushed to QGIS's message bar (pytest-qgis keeps them as "title:text")."""
    from qgis.core import Qgis

    return iface.messageBar().get_messages(Qgis.MessageLevel.Warning)


def test_basemap_page_refuses_a_line_layer_and_a_line_file(project, qgis_iface, tmp_path):
    from qgis.core import QgsVectorFileWriter

    page = make("basemap", qgis_iface)
    try:
        roads = QgsVectorLayer("LineString?crs=EPSG:4549&field=名称:string", "道路", "memory")
        project.addMapLayer(roads)
        assert page.add_layer(roads) is None and page.source_list.count() == 0
        assert page.source_error.isVisibleTo(page) and "道路" in page.source_error.text()
        assert "polygon" in page.source_error.text() or "面图层" in page.source_error.text()
        assert any("道路" in t for t in bar_texts(qgis_iface))
        # a line file through 文件…: refused at once, naming the file, not added to the project
        path = str(tmp_path / "道路线.gpkg")
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        writer = QgsVectorFileWriter.writeAsVectorFormatV2(roads, path, project.transformContext(), options)
        assert writer[0] == QgsVectorFileWriter.NoError
        before = len(project.mapLayers())
        assert page.add_file(path) is None
        assert page.source_list.count() == 0 and len(project.mapLayers()) == before
        assert "道路线.gpkg" in page.source_error.text() and "道路线.gpkg" in page.status.text()
        assert any("道路线.gpkg" in t for t in bar_texts(qgis_iface))
        # a polygon source clears the error
        a, _b, _c = known_sources()
        project.addMapLayer(a)
        assert page.add_layer(a) is not None and not page.source_error.isVisibleTo(page)
    finally:
        page.unload()


def test_basemap_counts_equal_the_layers_and_a_failed_run_clears_the_result(project, qgis_iface, landeval_provider,
                                                                            tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem
    from test_basemap_core import box, memory_layer

    page = make("basemap", qgis_iface)
    try:
        a, b, c = known_sources()
        project.addMapLayers([a, b, c])
        for layer in (a, b, c):
            page.add_layer(layer)
        page.output_widget.setFilePath(str(tmp_path / "一张图.gpkg"))
        assert page.run() is not None and _wait(lambda: page.task is None)
        group = project.layerTreeRoot().findGroup("产业用地一张图")
        base, qa = [node.layer() for node in group.findLayers()]
        first = page.status.text().splitlines()[0]
        assert "{} ".format(base.featureCount()) in first and first.endswith(" {} "
                                                                             "rows.".format(qa.featureCount())), first
        # the area-accounting rows (one per source and the total) are counted too
        kinds = [f["kind"] for f in qa.getFeatures()]
        assert kinds.count("area_accounting") == 4
        # per-source figures, one line per source, on the page
        lines = page.status.text().splitlines()
        for name in ("bdcdj", "ydpw", "tdlyxz"):
            assert any(line.startswith(name + " (") for line in lines), lines
        # a failing run: the previous counts are gone and the reason is there
        no_crs = memory_layer("无坐标系图层", ["宗地代码", "土地用途"], [(box(0, 0, 10, 10), ["", "M1"])])
        no_crs.setCrs(QgsCoordinateReferenceSystem())
        project.addMapLayer(no_crs)
        page.add_layer(no_crs)
        assert page.run() is not None and _wait(lambda: page.task is None)
        assert "无坐标系图层" in page.status.text() and "bdcdj (" not in page.status.text()
        assert str(qa.featureCount()) + " rows" not in page.status.text()
        assert page.progress.value() == 0
    finally:
        page.unload()


def test_failed_runs_clear_the_result_areas_of_data_grading_and_clusters(project, qgis_iface):
    """After a failure the pages no longer show the previous run's results, and say why."""
    from qgis.core import Qgis
    from qgis.PyQt.QtWidgets import QTableWidgetItem

    from landeval_plugin.gui.feedback import ErrorKeepingFeedback

    project.addMapLayer(polygon_layer("地块数据", ["parcel_code", "enterprise_count"]))
    data = make("data", qgis_iface)
    grading = make("grading", qgis_iface)
    clusters = make("clusters", qgis_iface)
    try:
        qgis_iface.messageBar().clear_messages()
        # 数据: a previous report must not be offered as this run's
        data.last_results = {"REPORT": "/tmp/上次的报告.xlsx"}
        data.open_report.setEnabled(True)
        data.feedback = ErrorKeepingFeedback()
        data.feedback.pushInfo("工作簿 企业数据.xlsx 第 3 行：统一社会信用代码 无效")
        data._finished(False, {}, lambda results: None)
        assert data.last_results == {} and not data.open_report.isEnabled()
        assert "第 3 行" in data.summary.text()
        # 分类评价: the 结果 table held counts of a previous run
        grading.summary.setRowCount(4)
        grading.summary.setItem(0, 1, QTableWidgetItem("17"))
        grading.feedback = ErrorKeepingFeedback()
        grading.feedback.reportError("图层 地块数据 没有字段 tax_per_mu")
        grading._done(False, {})
        assert grading.summary.rowCount() == 1 and "tax_per_mu" in grading.summary.item(0, 0).text()
        assert grading.summary.item(0, 1) is None
        # 连片: the cluster table and its export
        clusters.table.setRowCount(3)
        clusters.export_button.setEnabled(True)
        clusters.feedback = ErrorKeepingFeedback()
        clusters.feedback.reportError("筛选表达式 \"grade\" 引用了不存在的字段")
        clusters._finished(False, {}, None, {})
        assert clusters.table.rowCount() == 0 and not clusters.export_button.isEnabled()
        assert "不存在的字段" in clusters.count_label.text()
        warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
        assert any("第 3 行" in t for t in warnings) and any("tax_per_mu" in t for t in warnings)
        assert any("不存在的字段" in t for t in qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Critical))
    finally:
        for page in (data, grading, clusters):
            page.unload()


def test_missing_grade_hint_names_the_page_not_the_processing_id(qgis_app):
    import pytest as _pytest

    from landeval_plugin.core.clusters import cluster

    layer = polygon_layer("地块数据", ["parcel_code", "enterprise_count"])
    with _pytest.raises(cluster.ClusterError) as err:
        cluster.check_layer(layer, "\"grade\" in ('C', 'D')", "地块数据")
    text = str(err.value)
    assert "地块数据" in text and "grade" in text
    # the page first; the Processing id only as the code for toolbox users
    page = text.find("Grading page") if "Grading page" in text else text.find("分类评价")
    assert 0 <= page < text.find("landeval:grade")
