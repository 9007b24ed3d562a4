"""The LandEval dock: one page per workflow step, in the order planners work."""
import importlib

from qgis.core import Qgis, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import QSize, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import paths
from ..i18n import tr, tr_noop

# (module name in gui/pages, English title passed through tr())
PAGES = (
    ("basemap", tr_noop("Base map")),
    ("data", tr_noop("Data")),
    ("grading", tr_noop("Grading")),
    ("clusters", tr_noop("Clusters")),
    ("disposal", tr_noop("Disposal")),
    ("review", tr_noop("Review")),
    ("dossiers", tr_noop("Dossiers")),
)
SETTINGS_TAB = "landeval/dock/tab"
SETTINGS_WIDTH = "landeval/dock/width"
MIN_USABLE_WIDTH = 480  # every tab label visible (no scroll arrows) on a 1366 px screen


def page_icon(module_name):
    """The step's own icon (resources/icons/<page>.svg)."""
    return QIcon(paths.resource("icons", module_name + ".svg"))


def default_width(screen_width, tabs_width=0):
    """The dock's first width: usable (every tab visible: ``tabs_width`` is the tab bar's natural
    width) but leaving the map the larger part (at most 45 % of the screen)."""
    wanted = max(MIN_USABLE_WIDTH, int(screen_width * 0.36), tabs_width + 16)
    return max(MIN_USABLE_WIDTH, min(wanted, int(screen_width * 0.45)))


class ComingPage(QWidget):
    """Placeholder for a step whose page is not installed yet (or failed to load)."""

    def __init__(self, title, parent=None, error=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        text = tr("{} — coming in a later version.").format(title)
        if error:
            text = tr("{}: this page could not be loaded ({}). See the LandEval log.").format(title, error)
        label = QLabel(text)
        label.setObjectName("LandEvalComingLabel")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout.addWidget(label)
        self._title = title

    def title(self):
        return self._title


class PageTabs(QTabWidget):
    """Tabs whose pages scroll: the panel fits a laptop screen and a narrow dock.

    Each page sits in a QScrollArea; widget(), currentWidget(), indexOf() and
    setCurrentWidget() speak of the pages themselves, so callers never see the scroll areas.
    """

    def add_page(self, page, title, icon=None):
        scroll = QScrollArea(self)
        scroll.setObjectName("LandEvalScroll_" + page.objectName())
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return self.addTab(scroll, icon, title) if icon is not None else self.addTab(scroll, title)

    def widget(self, index):
        w = super().widget(index)
        return w.widget() if isinstance(w, QScrollArea) else w

    def currentWidget(self):
        return self.widget(self.currentIndex())

    def indexOf(self, widget):
        for i in range(self.count()):
            if self.widget(i) is widget or super().widget(i) is widget:
                return i
        return -1

    def setCurrentWidget(self, widget):
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)


class LandEvalDock(QDockWidget):
    closed = pyqtSignal()

    def __init__(self, iface, parent=None):
        super().__init__("LandEval / " + tr("Industrial land evaluation"), parent)
        self.iface = iface
        from .start_strip import StartStrip

        self.sample_callback = None  # set by the plugin: runs 生成示例区县数据
        self._width_applied = False
        body = QWidget(self)
        body.setObjectName("LandEvalDockBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.strip = StartStrip(body)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.strip, 1)
        column.addLayout(head)
        self.store_panel = self._make_store_panel(body)
        if self.store_panel is not None:
            column.addWidget(self.store_panel)
        self.tabs = PageTabs(body)
        self.tabs.setObjectName("LandEvalTabs")
        self.tabs.setIconSize(QSize(16, 16))
        self.pages = []
        for module_name, title in PAGES:
            page = self._make_page(module_name, tr(title))
            page.setObjectName("LandEvalPage_" + module_name)
            self.pages.append(page)
            self.tabs.add_page(page, page.title(), page_icon(module_name))
        # 帮助 beside the start strip (a corner of the tab bar would push tabs behind scroll arrows)
        self.help_button = QToolButton(body)
        self.help_button.setObjectName("LandEvalHelp")
        self.help_button.setText(tr("Help"))
        self.help_button.setToolTip(tr("Open the user guide at this page's section"))
        self.help_button.setAutoRaise(True)
        self.help_button.clicked.connect(self.open_help)
        head.addWidget(self.help_button, 0, Qt.AlignmentFlag.AlignTop)
        self.tabs.setCurrentIndex(min(max(0, QgsSettings().value(SETTINGS_TAB, 0, type=int)), len(self.pages) - 1))
        self.tabs.currentChanged.connect(lambda i: QgsSettings().setValue(SETTINGS_TAB, i))
        column.addWidget(self.tabs, 1)
        self.setWidget(body)
        self.strip.page_requested.connect(self.show_page)
        self.strip.sample_requested.connect(self.run_sample)
        data = self.page("data")
        if hasattr(data, "workbook"):
            data.workbook.fileChanged.connect(lambda *_: self.strip.refresh())
        self.visibilityChanged.connect(self._shown)

    # ---- pages and the start strip -------------------------------------------------------------
    def show_page(self, module_name):
        """Show the dock with page ``module_name`` in front; returns the page."""
        page = self.page(module_name)
        if page is None:
            return None
        self.show()
        self.raise_()
        self.tabs.setCurrentWidget(page)
        return page

    def open_help(self):
        """帮助: the user guide at the section of the page in front (gui/help.py)."""
        from .help import open_guide

        index = self.tabs.currentIndex()
        return open_guide(PAGES[index][0] if 0 <= index < len(PAGES) else "start", parent=self.window())

    def run_sample(self):
        if self.sample_callback is not None:
            self.sample_callback()

    # ---- width: usable at first, then as the planner left it -----------------------------------
    def _shown(self, visible):
        if visible and not self._width_applied:
            QTimer.singleShot(0, self.apply_width)

    def apply_width(self):
        """Give the docked panel its remembered width, or a usable one the first time."""
        main = self.parentWidget()
        if main is None or not hasattr(main, "resizeDocks") or self.isFloating():
            return None
        screen = QApplication.primaryScreen()
        screen_width = screen.availableGeometry().width() if screen is not None else 1366
        width = QgsSettings().value(SETTINGS_WIDTH, 0, type=int)
        if width < MIN_USABLE_WIDTH or width > screen_width * 0.7:
            width = default_width(screen_width, self.tabs.tabBar().sizeHint().width())
        main.resizeDocks([self], [width], Qt.Orientation.Horizontal)
        self._width_applied = True
        return width

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._width_applied and self.isVisible() and not self.isFloating():
            QgsSettings().setValue(SETTINGS_WIDTH, event.size().width())

    def _make_store_panel(self, parent):
        """The 项目 / 存储库 part (gui/store_panel.py); None when it cannot be built."""
        try:
            from .store_panel import StorePanel

            return StorePanel(self.iface, parent)
        except Exception as exc:  # the store part must not take the dock down
            QgsMessageLog.logMessage("LandEval store panel failed: {}".format(exc), "LandEval", Qgis.Critical)
            return None

    def _make_page(self, module_name, title):
        try:
            module = importlib.import_module(".pages." + module_name, __package__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith("pages." + module_name):
                return ComingPage(title, self)
            QgsMessageLog.logMessage("LandEval page {} failed: {}".format(module_name, exc), "LandEval", Qgis.Critical)
            return ComingPage(title, self, error=str(exc))
        except Exception as exc:  # a syntax error in one page must not take the dock down
            QgsMessageLog.logMessage("LandEval page {} failed: {}".format(module_name, exc), "LandEval", Qgis.Critical)
            return ComingPage(title, self, error=str(exc))
        try:
            return module.Page(self.iface, self)
        except Exception as exc:  # one broken page must not take the dock down
            QgsMessageLog.logMessage("LandEval page {} failed: {}".format(module_name, exc), "LandEval", Qgis.Critical)
            return ComingPage(title, self, error=str(exc))

    def page(self, module_name):
        for (name, _), page in zip(PAGES, self.pages):
            if name == module_name:
                return page
        return None

    def page_actions(self):
        actions = []
        for page in self.pages:
            if hasattr(page, "page_actions"):
                actions.extend(page.page_actions())
        return actions

    def closeEvent(self, event):
        self.closed.emit()
        super().closeEvent(event)

    def unload(self):
        from .help import close_guide

        close_guide()
        self.strip.unload()
        for page in self.pages:
            if hasattr(page, "unload"):
                try:
                    page.unload()
                except Exception as exc:
                    QgsMessageLog.logMessage("LandEval page unload failed: {}".format(exc), "LandEval", Qgis.Warning)
