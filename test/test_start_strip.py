"""The dock's 从这里开始 strip, step icons, a menu entry per page and the dock's width, in the
plugin as QGIS loads it (pytest-qgis main window)."""
import hashlib

import pytest
from qgis.core import QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtWidgets import QToolBar
from test_plugin_gui import flush, menus, no_session_provider  # noqa: F401 (fixture)

import landeval_plugin
from landeval_plugin import plugin as plugin_module
from landeval_plugin.gui import dock as dock_module

PAGES = ("basemap", "data", "grading", "clusters", "disposal", "review", "dossiers")


def polygon_layer(name, fields):
    spec = "&".join("field={}:string".format(f) for f in fields)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&" + spec, name, "memory")
    assert layer.isValid()
    return layer


@pytest.fixture
def plugin(qgis_iface, no_session_provider, qgis_new_project):  # noqa: F811
    settings = QgsSettings()
    saved = {k: settings.value(k) for k in ("landeval/data/workbook", dock_module.SETTINGS_WIDTH)}
    settings.remove("landeval/data/workbook")
    settings.remove(dock_module.SETTINGS_WIDTH)
    plug = landeval_plugin.classFactory(qgis_iface)
    plug.initGui()
    yield plug
    plug.unload()
    flush()
    QgsProject.instance().removeAllMapLayers()
    for key, value in saved.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def marks(strip):
    return {key: ok for key, (ok, _text) in strip.status().items()}


def test_strip_statuses_follow_the_projects_layers(plugin, tmp_path):
    strip = plugin.dock.strip
    assert marks(strip) == {"sources": False, "workbook": False, "graded": False, "planning": False}
    assert "城镇开发边界、工业保障线" in strip.status()["planning"][1]
    project = QgsProject.instance()
    # a QA layer and a road are no sources of the base map
    project.addMapLayer(polygon_layer("一张图质检",
                                      ["kind", "source", "source_id", "parcel_code", "area_m2", "message"]))
    assert marks(strip)["sources"] is False
    bdcdj = polygon_layer("不动产登记", ["宗地代码", "土地用途"])
    project.addMapLayer(bdcdj)
    ok, text = strip.status()["sources"]
    assert ok and "不动产登记" in text and "1" in text
    project.addMapLayer(polygon_layer("城镇开发边界", ["名称"]))
    ok, text = strip.status()["planning"]
    assert not ok and "工业保障线" in text and "城镇开发边界" not in text
    project.addMapLayer(polygon_layer("工业保障线", ["名称"]))
    assert marks(strip)["planning"] is True
    graded = polygon_layer("分类评价 · 示例", ["parcel_code", "grade"])
    project.addMapLayer(graded)
    ok, text = strip.status()["graded"]
    assert ok and "分类评价 · 示例" in text
    # the workbook chosen on the 数据 page
    book = tmp_path / "企业数据.csv"
    book.write_text("统一社会信用代码,宗地代码\n", encoding="utf-8")
    plugin.dock.page("data").workbook.setFilePath(str(book))
    ok, text = strip.status()["workbook"]
    assert ok and "企业数据.csv" in text
    # removed again: the marks go back
    project.removeMapLayer(graded.id())
    project.removeMapLayer(bdcdj.id())
    assert marks(strip) == {"sources": False, "workbook": True, "graded": False, "planning": True}
    assert strip.marks["graded"].text() == "✘" and strip.marks["planning"].text() == "✔"


def test_strip_buttons_open_their_page_and_the_link_runs_the_sample_action(plugin, qgis_iface):
    dock = plugin.dock
    strip = dock.strip
    for page in ("data", "grading", "disposal", "basemap"):
        strip.buttons[page].click()
        assert dock.tabs.currentWidget() is dock.page(page), page
    # the link runs the plugin's own 生成示例区县数据 action
    sample = [a for a in menus(qgis_iface.mainWindow())[0].actions()
              if a.objectName() == "mActionLandEvalSampleDistrict"][0]
    assert dock.sample_callback == sample.trigger
    seen = []
    dock.sample_callback = lambda: seen.append("sample")
    strip.sample_link.linkActivated.emit("sample")
    assert seen == ["sample"]


def test_menu_has_an_entry_per_page_that_shows_it(plugin, qgis_iface):
    menu = menus(qgis_iface.mainWindow())[0]
    entries = {a.objectName(): a for a in menu.actions()}
    for name in PAGES:
        action = entries["mActionLandEvalPage_" + name]
        assert action.text() == plugin.dock.page(name).title()
        action.trigger()
        assert plugin.dock.tabs.currentWidget() is plugin.dock.page(name)
        assert not plugin.dock.isHidden()


def image_bytes(icon):
    from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    icon.pixmap(24, 24).toImage().save(buffer, "PNG")
    return bytes(data)


def test_each_step_has_its_own_icon(plugin, qgis_iface):
    from landeval_plugin.core import paths

    files = [paths.resource("icons", name + ".svg") for name in PAGES] + [paths.resource("icons", "landeval.svg")]
    digests = [hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files]
    assert len(set(digests)) == len(files)
    # the tabs and the menu entries show them; the toolbar's actions differ from each other
    tabs = plugin.dock.tabs
    assert len({image_bytes(tabs.tabIcon(i)) for i in range(tabs.count())}) == len(PAGES)
    assert all(not tabs.tabIcon(i).isNull() for i in range(tabs.count()))
    toolbar = qgis_iface.mainWindow().findChild(QToolBar, plugin_module.TOOLBAR_OBJECT_NAME)
    icons = [image_bytes(a.icon()) for a in toolbar.actions()]
    assert len(icons) >= 4 and len(set(icons)) == len(icons)


def test_dock_opens_usable_and_remembers_its_width(plugin, qgis_iface):
    assert 480 <= dock_module.default_width(1366) <= 1366 * 0.45
    assert dock_module.default_width(800) == 480
    assert dock_module.default_width(1366, tabs_width=560) == 576  # every tab visible
    assert dock_module.default_width(1366, tabs_width=900) == int(1366 * 0.45)  # the map stays the larger part
    QgsSettings().setValue(dock_module.SETTINGS_WIDTH, 530)
    assert plugin.dock.apply_width() == 530
    QgsSettings().setValue(dock_module.SETTINGS_WIDTH, 120)  # too narrow to be usable: not taken
    assert plugin.dock.apply_width() == dock_module.default_width(
        qgis_iface.mainWindow().screen().availableGeometry().width(), plugin.dock.tabs.tabBar().sizeHint().width())
    # a resize by the planner is remembered
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QResizeEvent

    qgis_iface.mainWindow().show()
    try:
        plugin.dock.show()
        assert plugin.dock.isVisible()
        plugin.dock.resizeEvent(QResizeEvent(QSize(555, 600), QSize(480, 600)))
        assert QgsSettings().value(dock_module.SETTINGS_WIDTH, 0, type=int) == 555
    finally:
        qgis_iface.mainWindow().hide()
