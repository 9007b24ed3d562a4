"""The QGIS desktop side: menu, toolbar, dock and Processing provider registration.

Everything created in initGui() is removed again in unload(), so that reloading the plugin
(Plugin Reloader, or disabling and enabling it) leaves exactly one menu, one toolbar, one
dock and one ``landeval`` provider.
"""
from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core import paths
from .i18n import install_translator, remove_translator, tr

MENU_OBJECT_NAME = "mLandEvalMenu"
TOOLBAR_OBJECT_NAME = "mLandEvalToolBar"
DOCK_OBJECT_NAME = "LandEvalDock"
# the product name: the same in every locale, as planners know it
MENU_TITLE = "LandEval / 产业用地评估"
SETTINGS_DOCK_VISIBLE = "landeval/dock/visible"


class LandEvalPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.menu = None
        self.toolbar = None
        self.dock = None
        self.actions = []
        install_translator()

    # -- Processing ----------------------------------------------------------------------
    def initProcessing(self):
        from .processing.provider import LandEvalProvider

        if self.provider is None:
            provider = LandEvalProvider()
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider
            else:
                QgsMessageLog.logMessage(tr("A provider with the id 'landeval' is already registered."), "LandEval",
                                         Qgis.Warning)

    # -- GUI -----------------------------------------------------------------------------
    def initGui(self):
        self.initProcessing()
        from .gui.dock import LandEvalDock

        icon = QIcon(paths.resource("icons", "landeval.svg"))
        main = self.iface.mainWindow()

        self.menu = QMenu(MENU_TITLE, main)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        bar = main.menuBar()
        help_menu = self.iface.helpMenu() if hasattr(self.iface, "helpMenu") else None
        help_action = help_menu.menuAction() if hasattr(help_menu, "menuAction") else None
        if isinstance(help_action, QAction) and help_action in bar.actions():
            bar.insertMenu(help_action, self.menu)
        else:
            bar.addMenu(self.menu)

        self.toolbar = self.iface.addToolBar(MENU_TITLE)
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.toolbar.setWindowTitle(MENU_TITLE)

        self.dock = LandEvalDock(self.iface, main)
        self.dock.setObjectName(DOCK_OBJECT_NAME)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

        show = QAction(icon, tr("LandEval panel"), main)
        show.setObjectName("mActionLandEvalPanel")
        show.setToolTip(tr("Show or hide the LandEval panel: base map, data, grading, clusters, dossiers"))
        show.setCheckable(True)
        show.toggled.connect(self.dock.setVisible)
        show.triggered.connect(self._remember_dock)
        self.dock.visibilityChanged.connect(show.setChecked)
        self.dock.closed.connect(lambda: self._remember_dock(False))
        self._add_action(show)
        visible = QgsSettings().value(SETTINGS_DOCK_VISIBLE, False, type=bool)
        self.dock.setVisible(visible)
        show.setChecked(visible)

        # one menu entry per page (the dock shown with that page in front)
        from .gui.dock import PAGES, page_icon

        self.menu.addSeparator()
        for module_name, _title in PAGES:
            page = self.dock.page(module_name)
            go = QAction(page_icon(module_name), page.title(), main)
            go.setObjectName("mActionLandEvalPage_" + module_name)
            go.setToolTip(tr("Show the {} page of the LandEval panel").format(page.title()))
            go.triggered.connect(lambda _checked=False, name=module_name: self._show_page(name))
            self.menu.addAction(go)
            self.actions.append(go)
        self.menu.addSeparator()

        # pages may contribute their own actions (map tools, quick commands); one that only shows a
        # page goes to the toolbar alone, the menu has that page's entry above (一张图 once in the menu)
        for action in self.dock.page_actions():
            if action.property("landeval_page"):
                self.toolbar.addAction(action)
                self.actions.append(action)
            else:
                self._add_action(action)

        self.menu.addSeparator()
        sample = QAction(tr("Generate sample district…"), main)
        sample.setObjectName("mActionLandEvalSampleDistrict")
        sample.triggered.connect(lambda: self._open_algorithm("landeval:sampledistrict"))
        self.dock.sample_callback = sample.trigger  # the start strip's link runs the same action
        self.menu.addAction(sample)
        self.actions.append(sample)
        toolbox = QAction(tr("LandEval tools in the Processing Toolbox"), main)
        toolbox.setObjectName("mActionLandEvalToolbox")
        toolbox.triggered.connect(self._show_toolbox)
        self.menu.addAction(toolbox)
        self.actions.append(toolbox)

    def _show_page(self, module_name):
        self.dock.show_page(module_name)
        self._remember_dock(True)

    @staticmethod
    def _remember_dock(visible):
        """Only the user's own show/hide is remembered (not QGIS hiding docks on exit)."""
        QgsSettings().setValue(SETTINGS_DOCK_VISIBLE, bool(visible))

    def _open_algorithm(self, alg_id):
        try:
            import processing

            processing.execAlgorithmDialog(alg_id)
        except Exception as exc:  # the Processing plugin may be disabled
            self.iface.messageBar().pushCritical("LandEval", tr("Cannot open {}: {}").format(alg_id, exc))

    def _show_toolbox(self):
        from qgis.PyQt.QtWidgets import QDockWidget

        toolbox = self.iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
        if toolbox is None:
            self.iface.messageBar().pushWarning("LandEval", tr("The Processing plugin is not enabled."))
            return
        toolbox.setVisible(True)
        toolbox.raise_()

    def _add_action(self, action):
        self.menu.addAction(action)
        self.toolbar.addAction(action)
        self.actions.append(action)

    def unload(self):
        for action in self.actions:
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            if self.menu is not None:
                self.menu.removeAction(action)
            action.deleteLater()
        self.actions = []
        if self.dock is not None:
            self.dock.unload()
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.menu is not None:
            bar = self.iface.mainWindow().menuBar()
            bar.removeAction(self.menu.menuAction())
            self.menu.setParent(None)
            self.menu.deleteLater()
            self.menu = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
