"""The QGIS desktop side: menu, toolbar, dock and Processing provider registration."""
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu

from .core import paths
from .i18n import install_translator, remove_translator, tr

MENU_OBJECT_NAME = "mLandEvalMenu"
TOOLBAR_OBJECT_NAME = "mLandEvalToolBar"
DOCK_OBJECT_NAME = "LandEvalDock"


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
    def initProcessing(self):  # noqa: N802
        from .processing.provider import LandEvalProvider

        if self.provider is None:
            self.provider = LandEvalProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # -- GUI -----------------------------------------------------------------------------
    def initGui(self):  # noqa: N802
        self.initProcessing()
        from .gui.dock import LandEvalDock

        icon = QIcon(paths.resource("icons", "landeval.svg"))
        main = self.iface.mainWindow()

        self.menu = QMenu("LandEval / " + tr("Industrial land evaluation"), main)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        bar = main.menuBar()
        help_menu = self.iface.helpMenu() if hasattr(self.iface, "helpMenu") else None
        if help_menu is not None and help_menu.menuAction() in bar.actions():
            bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)

        self.toolbar = self.iface.addToolBar("LandEval")
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.toolbar.setWindowTitle("LandEval / " + tr("Industrial land evaluation"))

        self.dock = LandEvalDock(self.iface, main)
        self.dock.setObjectName(DOCK_OBJECT_NAME)
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.dock.hide()

        show = QAction(icon, tr("LandEval panel"), main)
        show.setObjectName("mActionLandEvalPanel")
        show.setCheckable(True)
        show.toggled.connect(self.dock.setVisible)
        self.dock.visibilityChanged.connect(show.setChecked)
        self._add_action(show)

        # pages may contribute their own actions (map tools, quick commands)
        for action in self.dock.page_actions():
            self._add_action(action)

    def _add_action(self, action):
        self.menu.addAction(action)
        self.toolbar.addAction(action)
        self.actions.append(action)

    def unload(self):
        for action in self.actions:
            action.deleteLater()
        self.actions = []
        if self.dock is not None:
            self.dock.unload()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.toolbar is not None:
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.menu is not None:
            self.menu.menuAction().setVisible(False)
            bar = self.iface.mainWindow().menuBar()
            bar.removeAction(self.menu.menuAction())
            self.menu.deleteLater()
            self.menu = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator()
