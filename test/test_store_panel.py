"""The 项目 / 存储库 part of the LandEval dock: create a store, open it and load its layers with
styles, and say in Chinese why a file that is not a store cannot be opened."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import pytest
from store_support import PgPlace, file_sha, need_pg, parcel_layer

from landeval_plugin.core import store as stores


@pytest.fixture(autouse=True)
def remembered_store():
    """The panel remembers its store in QgsSettings, which outlive a test: start each test without
    one and put back what was there."""
    from qgis.core import QgsSettings

    from landeval_plugin.gui.store_panel import SETTING

    before = QgsSettings().value(SETTING)
    QgsSettings().remove(SETTING)
    yield
    if before is None:
        QgsSettings().remove(SETTING)
    else:
        QgsSettings().setValue(SETTING, before)


def _fill(ref):
    store = stores.open_store(ref)
    try:
        layer = parcel_layer(8)
        store.write_layer(2025, "base_map", layer)
        store.write_layer(2025, "graded", layer, run_id=store.record_run(2025, "grade"))
        store.register_add(2025, "P001", path="收储")
    finally:
        store.close()


def test_panel_creates_opens_and_loads_styled_layers(qgis_app, qgis_iface, tmp_path):
    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.gui.store_panel import SETTING, StorePanel

    panel = StorePanel(qgis_iface)
    assert panel.use_file.isChecked() and panel.path.text() == ""
    path = str(tmp_path / "区县 store.gpkg")
    panel.path.setText(path)
    assert panel.create_store()
    assert "schema version 2" in panel.status.text() and os.path.isfile(path)
    _fill(path)
    project = QgsProject()
    layers = {layer.name(): layer for layer in panel.open_store(project)}
    assert layers["Graded parcels 2025"].featureCount() == 8
    assert layers["Graded parcels 2025"].renderer().type() == "categorizedSymbol"
    assert layers["Disposal register 2025"].featureCount() == 1
    group = project.layerTreeRoot().children()[0]
    assert group.name() == "LandEval store 区县 store.gpkg (2025)" and len(group.children()) == len(layers)
    assert "years 2025" in panel.status.text()
    assert QgsSettings().value(SETTING) == path
    # the panel remembers the store for the next session
    again = StorePanel(qgis_iface)
    assert again.path.text() == path and again.use_file.isChecked()
    # screenshot for the report (not an assertion): the panel as the planner sees it
    panel.resize(520, panel.sizeHint().height())
    shot = os.environ.get("LANDEVAL_STORE_SCREENSHOT")
    if shot:
        panel.grab().save(shot)


def test_panel_refuses_a_file_of_another_tool_in_chinese(qgis_app, qgis_iface, tmp_path):
    from qgis.core import QgsCoordinateTransformContext, QgsProject, QgsVectorFileWriter

    from landeval_plugin.gui.store_panel import StorePanel
    from landeval_plugin.i18n import install_translator, remove_translator

    path = str(tmp_path / "别的工具.gpkg")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    assert QgsVectorFileWriter.writeAsVectorFormatV2(parcel_layer(2), path, QgsCoordinateTransformContext(),
                                                     opts)[0] == QgsVectorFileWriter.NoError
    sha = file_sha(path)
    assert install_translator("zh-Hans")
    try:
        panel = StorePanel(qgis_iface)
        panel.path.setText(path)
        project = QgsProject()
        assert panel.open_store(project) is None
        assert "不是 LandEval 存储库" in panel.status.text() and path in panel.status.text()
        assert project.count() == 0 and file_sha(path) == sha
        assert not panel.create_store() and "已存在" in panel.status.text()
    finally:
        remove_translator()


def test_panel_opens_a_postgis_store_by_connection_and_schema(qgis_app, qgis_iface):
    from qgis.core import QgsProject

    from landeval_plugin.gui.store_panel import StorePanel

    need_pg()
    place = PgPlace()
    try:
        panel = StorePanel(qgis_iface)
        panel.use_pg.setChecked(True)
        panel.refresh_connections()
        panel.connection.setCurrentText(place.connection)
        panel.schema.setText(place.schema)
        assert not panel.path.isEnabled() and panel.schema.isEnabled()
        assert panel.create_store(), panel.status.text()
        _fill(place.reference())
        project = QgsProject()
        layers = {layer.name(): layer for layer in panel.open_store(project)}
        graded = layers["Graded parcels 2025"]
        assert graded.isValid() and graded.featureCount() == 8 and graded.providerType() == "postgres"
        assert "authcfg=" in graded.source() and "password" not in graded.source()
        again = StorePanel(qgis_iface)
        assert again.use_pg.isChecked() and again.schema.text() == place.schema
        assert again.connection.currentText() == place.connection
    finally:
        place.cleanup()


def test_the_dock_holds_the_store_panel(qgis_app, qgis_iface):
    from landeval_plugin.gui.dock import PAGES, LandEvalDock
    from landeval_plugin.gui.store_panel import StorePanel

    dock = LandEvalDock(qgis_iface)
    try:
        assert isinstance(dock.store_panel, StorePanel)
        assert dock.findChild(StorePanel, "LandEvalStorePanel") is dock.store_panel
        # the store part is beside the step pages (seven with 研判), not one more tab
        assert dock.tabs.count() == len(PAGES) == 7
        assert [dock.tabs.tabText(i) for i in range(dock.tabs.count())][-2:] == ["研判", "一地一档"] or \
            [dock.tabs.tabText(i) for i in range(dock.tabs.count())][-2:] == ["Review", "Dossiers"]
    finally:
        dock.unload()
        dock.deleteLater()
