"""The LandEval dock: one page per workflow step, in the order planners work."""
import importlib

from qgis.core import Qgis, QgsMessageLog, QgsSettings
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import QDockWidget, QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from ..i18n import tr

# (module name in gui/pages, English title passed through tr())
PAGES = (
    ("basemap", "Base map"),
    ("data", "Data"),
    ("grading", "Grading"),
    ("clusters", "Clusters"),
    ("disposal", "Disposal"),
    ("dossiers", "Dossiers"),
)
SETTINGS_TAB = "landeval/dock/tab"


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

    def add_page(self, page, title):
        scroll = QScrollArea(self)
        scroll.setObjectName("LandEvalScroll_" + page.objectName())
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return self.addTab(scroll, title)

    def widget(self, index):
        w = super().widget(index)
        return w.widget() if isinstance(w, QScrollArea) else w

    def currentWidget(self):  # noqa: N802
        return self.widget(self.currentIndex())

    def indexOf(self, widget):  # noqa: N802
        for i in range(self.count()):
            if self.widget(i) is widget or super().widget(i) is widget:
                return i
        return -1

    def setCurrentWidget(self, widget):  # noqa: N802
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)


class LandEvalDock(QDockWidget):
    closed = pyqtSignal()

    def __init__(self, iface, parent=None):
        super().__init__("LandEval / " + tr("Industrial land evaluation"), parent)
        self.iface = iface
        self.tabs = PageTabs(self)
        self.tabs.setObjectName("LandEvalTabs")
        self.pages = []
        for module_name, title in PAGES:
            page = self._make_page(module_name, tr(title))
            page.setObjectName("LandEvalPage_" + module_name)
            self.pages.append(page)
            self.tabs.add_page(page, page.title())
        self.tabs.setCurrentIndex(min(max(0, QgsSettings().value(SETTINGS_TAB, 0, type=int)), len(self.pages) - 1))
        self.tabs.currentChanged.connect(lambda i: QgsSettings().setValue(SETTINGS_TAB, i))
        self.setWidget(self.tabs)

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

    def closeEvent(self, event):  # noqa: N802
        self.closed.emit()
        super().closeEvent(event)

    def unload(self):
        for page in self.pages:
            if hasattr(page, "unload"):
                try:
                    page.unload()
                except Exception as exc:
                    QgsMessageLog.logMessage("LandEval page unload failed: {}".format(exc), "LandEval", Qgis.Warning)
