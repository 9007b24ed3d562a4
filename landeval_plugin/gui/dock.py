"""The LandEval dock: one page per workflow step, in the order planners work."""
import importlib

from qgis.core import QgsMessageLog, Qgis
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDockWidget, QLabel, QTabWidget, QVBoxLayout, QWidget

from ..i18n import tr

# (module name in gui/pages, English title passed through tr())
PAGES = (
    ("basemap", "Base map"),
    ("data", "Data"),
    ("grading", "Grading"),
    ("clusters", "Clusters"),
    ("dossiers", "Dossiers"),
)


class ComingPage(QWidget):
    def __init__(self, title, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(tr("{} — coming in a later version.").format(title))
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        layout.addWidget(label)
        self._title = title

    def title(self):
        return self._title


class LandEvalDock(QDockWidget):
    def __init__(self, iface, parent=None):
        super().__init__("LandEval / " + tr("Industrial land evaluation"), parent)
        self.iface = iface
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("LandEvalTabs")
        self.pages = []
        for module_name, title in PAGES:
            page = self._make_page(module_name, tr(title))
            page.setObjectName("LandEvalPage_" + module_name)
            self.pages.append(page)
            self.tabs.addTab(page, page.title())
        self.setWidget(self.tabs)

    def _make_page(self, module_name, title):
        try:
            module = importlib.import_module(".pages." + module_name, __package__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith("pages." + module_name):
                return ComingPage(title, self)
            raise
        try:
            return module.Page(self.iface, self)
        except Exception as exc:  # one broken page must not take the dock down
            QgsMessageLog.logMessage("LandEval page {} failed: {}".format(module_name, exc), "LandEval", Qgis.Critical)
            return ComingPage(title, self)

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

    def unload(self):
        for page in self.pages:
            if hasattr(page, "unload"):
                page.unload()
