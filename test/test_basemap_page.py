"""The 一张图 dock page: sources in order, mapping table, project-saved mappings, background run."""
import json
import time

import pytest
from test_basemap_core import known_sources, restore_shape_encoding  # noqa: F401 (autouse fixture)


@pytest.fixture
def page(qgis_iface):
    from qgis.core import QgsProject

    from landeval_plugin.gui.pages.basemap import Page

    QgsProject.instance().clear()
    widget = Page(qgis_iface, None)
    yield widget
    widget.unload()
    QgsProject.instance().clear()


def _wait(predicate, seconds=60):
    from qgis.core import QgsApplication

    end = time.time() + seconds
    while time.time() < end and not predicate():
        QgsApplication.processEvents()
        time.sleep(0.02)
    return predicate()


def test_page_detects_mapping_and_saves_edits_in_project(page):
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import Qt

    a, b, c = known_sources()
    QgsProject.instance().addMapLayers([a, b, c])
    for layer in (a, b, c):
        page.add_layer(layer)
    assert page.add_layer(a) is None  # no duplicates
    assert page.title() in ("Base map", "一张图")
    assert [item.text() for item in (page.source_list.item(i) for i in range(3))] == [
        "bdcdj  [不动产登记]", "ydpw  [用地批文]", "tdlyxz  [土地利用现状]"]
    page.source_list.setCurrentRow(2)
    combos = page.mapping_combos
    assert combos["parcel_code"].currentText() == "BSM" and combos["land_use_raw"].currentText() == "DLBM"
    assert combos["owner"].currentText() == "—"
    # the planner fixes the mapping: it is saved in the project for this layer
    combos["parcel_code"].setCurrentIndex(combos["parcel_code"].findData("DLBM"))
    combos["land_use_raw"].setCurrentIndex(combos["land_use_raw"].findData("BSM"))
    text, ok = QgsProject.instance().readEntry("landeval", "basemap/mapping/" + c.id(), "")
    assert ok and json.loads(text)["land_use_raw"] == "BSM"
    # reorder by moving the tdlyxz item to the top (what a drag does) and change its role
    item = page.source_list.takeItem(2)
    page.source_list.insertItem(0, item)
    page.source_list.setCurrentRow(0)
    page.role_combo.setCurrentIndex(page.role_combo.findData("soe"))
    assert page.source_list.item(0).text() == "tdlyxz  [国企填报]"
    params = page.parameters()
    assert [layer.name() for layer in params["SOURCES"]] == ["tdlyxz", "bdcdj", "ydpw"]
    assert params["ROLES"] == "soe,bdcdj,ydpw"
    assert json.loads(params["MAPPINGS"])[0] == {"parcel_code": "DLBM", "land_use_raw": "BSM", "town": "", "owner": "",
                                                 "address": "", "supply_date": ""}
    assert json.loads(params["MAPPINGS"])[2]["supply_date"] == "批准日期"  # detected, not edited
    assert params["LAND_USE_PRESET"] == 0 and params["MIN_PIECE_M2"] == 50.0
    # a new page (e.g. after reopening the project) shows the saved mapping
    page.source_list.setCurrentRow(0)
    assert page.mapping_combos["land_use_raw"].currentText() == "BSM"
    assert page.source_list.item(0).data(Qt.ItemDataRole.UserRole) == c.id()


def test_page_runs_in_background_and_loads_styled_group(page, landeval_provider, tmp_path):
    from qgis.core import QgsProject

    a, b, c = known_sources()
    QgsProject.instance().addMapLayers([a, b, c])
    for layer in (a, b, c):
        page.add_layer(layer)
    page.output_widget.setFilePath(str(tmp_path / "一张图.gpkg"))
    seen = []
    task = page.run()
    assert task is not None and not page.run_button.isEnabled() and page.cancel_button.isEnabled()
    task.progressChanged.connect(seen.append)
    assert _wait(lambda: page.task is None), "the background task did not finish"
    assert page.progress.value() == 100 and page.run_button.isEnabled()
    assert "7" in page.status.text()
    group = QgsProject.instance().layerTreeRoot().findGroup("产业用地一张图")
    assert group is not None
    layers = [node.layer() for node in group.findLayers()]
    assert len(layers) == 2
    base, qa = layers
    assert base.featureCount() == 7 and base.renderer().type() == "categorizedSymbol"
    assert base.renderer().classAttribute() == "land_use"
    assert {cat.value() for cat in base.renderer().categories()} >= {"工业", "仓储", "研发"}
    assert qa.renderer().classAttribute() == "kind"
    assert (tmp_path / "一张图_qa.gpkg").exists()
    # a second run replaces the group's layers instead of stacking copies
    page.run()
    assert _wait(lambda: page.task is None)
    group = QgsProject.instance().layerTreeRoot().findGroup("产业用地一张图")
    assert len(group.findLayers()) == 2


def test_page_cancel_writes_nothing(page, landeval_provider, tmp_path):
    from qgis.core import QgsProject

    a, b, c = known_sources()
    QgsProject.instance().addMapLayers([a, b, c])
    for layer in (a, b, c):
        page.add_layer(layer)
    page.output_widget.setFilePath(str(tmp_path / "cancelled.gpkg"))
    page.run()
    page.cancel()
    assert _wait(lambda: page.task is None)
    assert not (tmp_path / "cancelled.gpkg").exists()
    assert QgsProject.instance().layerTreeRoot().findGroup("产业用地一张图") is None


def test_dock_hosts_the_page_and_its_menu_action(qgis_iface):
    from landeval_plugin.gui.dock import LandEvalDock
    from landeval_plugin.gui.pages.basemap import Page

    dock = LandEvalDock(qgis_iface)
    try:
        page = dock.page("basemap")
        assert isinstance(page, Page)
        (action,) = page.page_actions()
        assert action in dock.page_actions()
        dock.tabs.setCurrentIndex(dock.tabs.count() - 1)
        action.trigger()
        assert dock.tabs.currentWidget() is page
    finally:
        dock.unload()


def test_page_bad_input_names_the_layer_and_writes_nothing(page, landeval_provider, tmp_path):
    """A CRS-less source or a source without a land-use field: the status line names the layer
    (and the field), not just 'see the log'; no output file appears."""
    from qgis.core import QgsProject
    from test_basemap_core import box, memory_layer

    a, b, c = known_sources()
    from qgis.core import QgsCoordinateReferenceSystem

    no_crs = memory_layer("无坐标系图层", ["宗地代码", "土地用途"], [(box(0, 0, 10, 10), ["", "M1"])])
    no_crs.setCrs(QgsCoordinateReferenceSystem())
    assert not no_crs.crs().isValid()
    QgsProject.instance().addMapLayers([a, no_crs])
    page.add_layer(a)
    page.add_layer(no_crs)
    page.output_widget.setFilePath(str(tmp_path / "bad.gpkg"))
    assert page.run() is not None
    assert _wait(lambda: page.task is None)
    assert "无坐标系图层" in page.status.text() and "EPSG" in page.status.text(), page.status.text()
    assert page.run_button.isEnabled() and not page.cancel_button.isEnabled()
    # a source whose land-use field is unmapped by the planner
    page.source_list.takeItem(1)
    QgsProject.instance().addMapLayer(b)
    page.add_layer(b)
    page.source_list.setCurrentRow(1)
    combo = page.mapping_combos["land_use_raw"]
    combo.setCurrentIndex(combo.findData(""))
    assert "ydpw" in page.mapping_note.text()
    assert page.run() is not None
    assert _wait(lambda: page.task is None)
    assert "ydpw" in page.status.text() and "land_use_raw" in page.status.text(), page.status.text()
    assert list(tmp_path.iterdir()) == []
    assert QgsProject.instance().layerTreeRoot().findGroup("产业用地一张图") is None


def test_page_mapping_and_role_survive_saving_and_reopening_the_project(page, tmp_path):
    """The edited mapping and role are stored in the .qgz, per source layer."""
    from qgis.core import QgsProject, QgsVectorFileWriter, QgsVectorLayer

    from landeval_plugin.gui.pages.basemap import Page

    _, _, c = known_sources()
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName, options.layerName = "GPKG", "tdlyxz"
    path = str(tmp_path / "tdlyxz.gpkg")
    QgsVectorFileWriter.writeAsVectorFormatV2(c, path, QgsProject.instance().transformContext(), options)
    layer = QgsVectorLayer(path + "|layername=tdlyxz", "现状图斑", "ogr")
    QgsProject.instance().addMapLayer(layer)
    page.add_layer(layer)
    combos = page.mapping_combos
    combos["parcel_code"].setCurrentIndex(combos["parcel_code"].findData("DLBM"))
    combos["land_use_raw"].setCurrentIndex(combos["land_use_raw"].findData("BSM"))
    page.role_combo.setCurrentIndex(page.role_combo.findData("soe"))
    project_file = str(tmp_path / "p.qgz")
    assert QgsProject.instance().write(project_file)
    QgsProject.instance().clear()
    assert QgsProject.instance().read(project_file)
    (reopened,) = QgsProject.instance().mapLayersByName("现状图斑")
    fresh = Page(None, None)
    try:
        fresh.add_layer(reopened)
        assert fresh.mapping_combos["parcel_code"].currentText() == "DLBM"
        assert fresh.mapping_combos["land_use_raw"].currentText() == "BSM"
        assert fresh.role_combo.currentData() == "soe"
        assert json.loads(fresh.parameters()["MAPPINGS"])[0]["land_use_raw"] == "BSM"
        assert fresh.parameters()["ROLES"] == "soe"
    finally:
        fresh.unload()


@pytest.mark.parametrize("cpg", [None, "UTF-8"])
def test_page_gbk_shapefile_added_to_the_project_as_is(page, landeval_provider, tmp_path, cpg):
    """A GBK Shapefile without .cpg (or with a wrong one) dragged into QGIS shows mojibake field names; the page
    detects and shows the real (GBK) names and the run reads the attributes right."""
    from qgis.core import QgsProject, QgsVectorLayer
    from test_basemap_core import rows, write_gbk_shapefile

    path = write_gbk_shapefile(str(tmp_path / "ydpw_gbk.shp"), cpg)
    layer = QgsVectorLayer(path, "ydpw_gbk", "ogr")
    assert "地块编号" not in layer.fields().names()  # QGIS reads the names as UTF-8
    QgsProject.instance().addMapLayer(layer)
    page.add_layer(layer)
    combos = page.mapping_combos
    assert combos["parcel_code"].currentText() == "地块编号"
    assert combos["land_use_raw"].currentText() == "用地性质"
    assert combos["owner"].currentText() == "权利人"
    assert "选择" not in page.mapping_note.text() and "choose" not in page.mapping_note.text()
    page.output_widget.setFilePath(str(tmp_path / "out" / "gbk.gpkg"))
    page.run()
    assert _wait(lambda: page.task is None)
    assert "2" in page.status.text(), page.status.text()
    owners = sorted(r["owner"] for r in rows(str(tmp_path / "out" / "gbk.gpkg")))
    assert owners == ["桐庐顺丰仓储", "浙江精工机械有限公司"]
