"""The plugin in a (pytest-qgis) QGIS main window: menu, toolbar, dock pages, provider,
and a clean unload so that reloading leaves no duplicates."""
import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

import landeval_plugin
from landeval_plugin import plugin as plugin_module


def flush():
    """Run deferred deletes, as the event loop would between two user actions."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def menus(main):
    return [a.menu() for a in main.menuBar().actions()
            if a.menu() is not None and a.menu().objectName() == plugin_module.MENU_OBJECT_NAME]


def state(main):
    registry = QgsApplication.processingRegistry()
    return {
        "menus": len(menus(main)),
        "toolbars": len([t for t in main.findChildren(QToolBar, plugin_module.TOOLBAR_OBJECT_NAME)]),
        "docks": len(main.findChildren(QDockWidget, plugin_module.DOCK_OBJECT_NAME)),
        "providers": sum(1 for p in registry.providers() if p.id() == "landeval"),
    }


@pytest.fixture
def no_session_provider(qgis_app, qgis_processing):
    """Take the session's landeval provider away so the plugin registers its own; put it back after."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("landeval")
    if existing is not None:
        registry.removeProvider(existing)
    yield
    if registry.providerById("landeval") is None:
        from landeval_plugin.processing.provider import LandEvalProvider

        # the registry does not own a Python provider: keep it alive as long as the session
        _KEEP.append(LandEvalProvider())
        registry.addProvider(_KEEP[-1])


_KEEP = []


def test_menu_toolbar_dock_and_provider(qgis_iface, no_session_provider):
    main = qgis_iface.mainWindow()
    plugin = landeval_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert state(main) == {"menus": 1, "toolbars": 1, "docks": 1, "providers": 1}
        menu = menus(main)[0]
        assert menu.title() == "LandEval / 产业用地评估"
        names = [a.objectName() for a in menu.actions()]
        assert "mActionLandEvalPanel" in names and "mActionLandEvalSampleDistrict" in names
        toolbar = main.findChild(QToolBar, plugin_module.TOOLBAR_OBJECT_NAME)
        assert "mActionLandEvalPanel" in [a.objectName() for a in toolbar.actions()]
        provider = QgsApplication.processingRegistry().providerById("landeval")
        assert "sampledistrict" in [a.name() for a in provider.algorithms()]
        dock = plugin.dock
        assert dock.tabs.count() == 7
        assert [dock.tabs.widget(i).objectName() for i in range(7)] == [
            "LandEvalPage_basemap", "LandEvalPage_data", "LandEvalPage_grading", "LandEvalPage_clusters",
            "LandEvalPage_disposal", "LandEvalPage_review", "LandEvalPage_dossiers"]
        # pages scroll inside the panel: it fits a 1366×768 laptop beside the map
        hint = dock.minimumSizeHint()
        assert hint.width() < 450 and hint.height() < 500, hint
        dock.tabs.setCurrentWidget(dock.page("clusters"))
        assert dock.tabs.currentIndex() == 3 and dock.tabs.currentWidget() is dock.page("clusters")
        # the panel action shows and hides the dock
        panel = [a for a in menu.actions() if a.objectName() == "mActionLandEvalPanel"][0]
        panel.setChecked(True)
        assert not dock.isHidden()
        panel.setChecked(False)
        assert dock.isHidden()
    finally:
        plugin.unload()
        flush()
    assert state(main) == {"menus": 0, "toolbars": 0, "docks": 0, "providers": 0}


def test_pages_not_installed_say_coming(qgis_iface, no_session_provider):
    from landeval_plugin.gui.dock import ComingPage, LandEvalDock

    dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
    try:
        for page in dock.pages:
            if isinstance(page, ComingPage):
                label = page.findChild(QWidget_label(), "LandEvalComingLabel")
                assert page.title() in label.text() and "coming" in label.text()
        assert [dock.tabs.tabText(i) for i in range(7)] == ["Base map", "Data", "Grading", "Clusters", "Disposal",
                                                          "Review", "Dossiers"]
    finally:
        dock.unload()
        dock.deleteLater()
        flush()


def QWidget_label():
    from qgis.PyQt.QtWidgets import QLabel

    return QLabel


def test_load_unload_twice_leaves_no_duplicates(qgis_iface, no_session_provider):
    main = qgis_iface.mainWindow()
    for _ in range(2):
        plugin = landeval_plugin.classFactory(qgis_iface)
        plugin.initProcessing()   # QGIS calls this first for hasProcessingProvider=yes
        plugin.initGui()
        flush()
        assert state(main) == {"menus": 1, "toolbars": 1, "docks": 1, "providers": 1}
        plugin.unload()
        flush()
        assert state(main) == {"menus": 0, "toolbars": 0, "docks": 0, "providers": 0}


def test_chinese_locale_titles(qgis_iface, no_session_provider):
    from landeval_plugin.i18n import install_translator, remove_translator

    assert install_translator("zh-Hans")
    try:
        from landeval_plugin.gui.dock import LandEvalDock

        dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
        assert [dock.tabs.tabText(i) for i in range(7)] == ["一张图", "数据", "分类评价", "连片", "处置", "研判",
                                                          "一地一档"]
        assert dock.windowTitle() == "LandEval / 产业用地评估"
        dock.deleteLater()
        flush()
    finally:
        remove_translator()


def test_menu_names_each_page_once_and_the_clusters_button_goes_to_the_disposal_page(qgis_iface, no_session_provider):
    """Issue 14: "一张图" once in the menu (the base-map page's own action is the toolbar's); the 连片
    page's 处置方案… button shows the 处置 page reading the clustered parcels (no Processing dialog)."""
    from qgis.core import QgsProject, QgsVectorLayer

    from landeval_plugin.i18n import remove_translator

    main = qgis_iface.mainWindow()
    s = QgsSettings()
    saved = (s.value("locale/overrideFlag"), s.value("locale/userLocale"))
    s.setValue("locale/userLocale", "zh-Hans")
    s.setValue("locale/overrideFlag", True)
    plugin = landeval_plugin.classFactory(qgis_iface)
    plugin.initGui()
    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=parcel_code:string&field=cluster_id:string", "连片地块",
                           "memory")
    QgsProject.instance().addMapLayer(layer)
    try:
        menu = menus(main)[0]
        texts = [a.text() for a in menu.actions() if a.text()]
        assert sum("一张图" in t for t in texts) == 1, texts
        for title in ("一张图", "数据", "分类评价", "连片", "处置", "一地一档"):
            assert texts.count(title) == 1, (title, texts)
        toolbar = main.findChild(QToolBar, plugin_module.TOOLBAR_OBJECT_NAME)
        assert "mActionLandEvalDisposal" in [a.objectName() for a in toolbar.actions()]
        assert "mActionLandEvalDisposal" not in [a.objectName() for a in menu.actions()]
        clusters = plugin.dock.page("clusters")
        clusters.parcel_layer = layer  # as after a run: the parcels with their cluster ids
        plugin.dock.tabs.setCurrentWidget(clusters)
        opened = []
        import processing

        real = processing.execAlgorithmDialog
        processing.execAlgorithmDialog = lambda *a, **k: opened.append(a)
        try:
            clusters.disposal_button.click()
        finally:
            processing.execAlgorithmDialog = real
        assert opened == []
        assert plugin.dock.tabs.currentWidget() is plugin.dock.page("disposal")
        assert plugin.dock.page("disposal").parcels.currentLayer() is layer
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
        plugin.unload()
        flush()
        remove_translator()
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), saved):
            s.remove(key) if value is None else s.setValue(key, value)


def test_dock_remembers_the_tab(qgis_iface, no_session_provider):
    from qgis.core import QgsSettings

    from landeval_plugin.gui.dock import SETTINGS_TAB, LandEvalDock

    QgsSettings().setValue(SETTINGS_TAB, 3)
    dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
    assert dock.tabs.currentIndex() == 3
    dock.tabs.setCurrentIndex(1)
    assert QgsSettings().value(SETTINGS_TAB, type=int) == 1
    dock.deleteLater()
    flush()
    QgsSettings().remove(SETTINGS_TAB)


def test_user_locale_follows_the_qgis_override_flag(qgis_app):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QLocale

    from landeval_plugin.i18n import user_locale

    s = QgsSettings()
    saved = (s.value("locale/overrideFlag"), s.value("locale/userLocale"))
    try:
        s.setValue("locale/userLocale", "zh-Hans")
        s.setValue("locale/overrideFlag", True)
        assert user_locale() == "zh-Hans"
        # a stale userLocale without the override flag is not what QGIS shows
        s.setValue("locale/overrideFlag", False)
        assert user_locale() == QLocale.system().name()
    finally:
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), saved):
            if value is None:
                s.remove(key)
            else:
                s.setValue(key, value)
