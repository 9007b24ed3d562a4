"""The GeoPackage a page writes its results to, shown on the page with a link to its folder.

Empty means the project's LandEval GeoPackage (core/workspace.py: beside the project, or under
the remembered folder while the project is not saved); a GeoPackage the planner chooses is
remembered in the project (entry ``landeval/<page>/output``). Every run adds new layers to it.
"""
import os

from qgis.core import QgsProject, QgsSettings
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core import workspace
from ..i18n import tr

SCOPE = "landeval"


def default_gpkg(project=None):
    """The project's LandEval GeoPackage (the folder remembered in QgsSettings while unsaved)."""
    project = project or QgsProject.instance()
    return workspace.gpkg_for_project(project.absoluteFilePath(),
                                      QgsSettings().value(workspace.SETTINGS_KEY, "") or None)


def breakable(path):
    """The path with (invisible) break opportunities after each separator, so that a long path
    wraps in a narrow panel instead of widening it; the raw path goes in the tooltip."""
    return str(path).replace(os.sep, os.sep + "\u200b")


class OutputLocation(QWidget):
    def __init__(self, page_key, parent=None):
        super().__init__(parent)
        self.page_key = page_key
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.file = QgsFileWidget(self)
        self.file.setStorageMode(QgsFileWidget.SaveFile)
        self.file.setFilter(tr("GeoPackage (*.gpkg)"))
        if hasattr(self.file, "setConfirmOverwrite"):
            self.file.setConfirmOverwrite(False)  # new layers are added; the file is never replaced
        self.open_button = QPushButton(tr("Open folder"), self)
        self.open_button.setToolTip(tr("Show the folder of the output GeoPackage"))
        self.open_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self.label = QLabel(self)
        self.label.setObjectName("LandEvalOutputPath")
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(120)  # wraps (the path too, see breakable) instead of widening the panel
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label)
        self._loading = False
        self.file.fileChanged.connect(self._changed)
        project = QgsProject.instance()
        self._signals = [project.readProject, project.cleared, project.projectSaved, project.fileNameChanged]
        for signal in self._signals:
            signal.connect(self.refresh)
        self.refresh()

    # ---- the chosen file ---------------------------------------------------------------------
    def _key(self):
        return self.page_key + "/output"

    def filePath(self):  # QgsFileWidget's API, so tests and pages read it the same way
        return self.file.filePath().strip()

    def setFilePath(self, path):
        self.file.setFilePath(path or "")
        self._changed(path or "")

    def _changed(self, path):
        if self._loading:
            return
        project = QgsProject.instance()
        path = (path or "").strip()
        if path:
            project.writeEntry(SCOPE, self._key(), project.writePath(path))
            if not project.absoluteFilePath():
                QgsSettings().setValue(workspace.SETTINGS_KEY, os.path.dirname(os.path.abspath(path)))
        else:
            project.removeEntry(SCOPE, self._key())
        self._show()

    def refresh(self, *args):
        """Show the current project's choice (or its default GeoPackage)."""
        project = QgsProject.instance()
        text, ok = project.readEntry(SCOPE, self._key(), "")
        self._loading = True
        try:
            self.file.setFilePath(project.readPath(text) if ok and text else "")
        finally:
            self._loading = False
        self._show()

    def gpkg(self):
        """The GeoPackage the next run writes into."""
        path = self.filePath()
        if path and not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return os.path.abspath(path) if path else default_gpkg()

    def _show(self):
        default = default_gpkg()
        self.file.lineEdit().setPlaceholderText(default)
        path = self.gpkg()
        self.label.setToolTip(path)
        if not self.filePath() and not QgsProject.instance().absoluteFilePath():
            self.label.setText(tr("The project is not saved yet: results are saved as new layers in {}. Save the "
                                  "project first to keep them beside it.").format(breakable(path)))
        else:
            self.label.setText(tr("Results are saved as new layers in {}").format(breakable(path)))

    # ---- a run --------------------------------------------------------------------------------
    def new_run(self, kinds):
        """(gpkg, {kind: table name}, {kind: Processing destination}) for one run; raises
        workspace.WorkspaceError naming the GeoPackage when it cannot be written."""
        gpkg = workspace.prepare(self.gpkg())
        names = dict(zip(kinds, workspace.new_layer_names(gpkg, kinds)))
        return gpkg, names, {kind: workspace.destination(gpkg, name) for kind, name in names.items()}

    def open_folder(self):
        folder = os.path.dirname(self.gpkg())
        while folder and not os.path.isdir(folder) and os.path.dirname(folder) != folder:
            folder = os.path.dirname(folder)
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
        return folder

    def unload(self):
        for signal in self._signals:
            try:
                signal.disconnect(self.refresh)
            except (TypeError, RuntimeError):
                pass
        self._signals = []
