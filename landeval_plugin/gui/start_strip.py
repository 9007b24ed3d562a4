"""The 从这里开始 strip at the top of the LandEval dock: what each step needs, whether the
project has it (a status mark per line) and a button that opens the step's page, plus a link
that generates the sample district. It follows the project's layers (added, removed, renamed).

Which layer counts for what is decided by core.layer_fit (GUI-free, unit-tested).
"""
import os

from qgis.core import QgsProject, QgsSettings
from qgis.gui import QgsCollapsibleGroupBox
from qgis.PyQt.QtCore import QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolButton

from ..core import layer_fit, paths
from ..i18n import tr
from .layer_defaults import layer_infos

OK_MARK = "✔"
MISSING_MARK = "✘"
WORKBOOK_SETTING = "landeval/data/workbook"


class StartStrip(QgsCollapsibleGroupBox):
    """``page_requested(name)`` asks the dock to show page ``name``; ``sample_requested`` to run
    the 生成示例区县数据 action."""

    page_requested = pyqtSignal(str)
    sample_requested = pyqtSignal()

    # (key, page, what the step needs)
    STEPS = (
        ("sources", "basemap", "Base map: source polygon layers"),
        ("workbook", "data", "Data: the enterprise workbook"),
        ("graded", "grading", "Grading: a graded parcel layer"),
        ("planning", "disposal", "Disposal: 城镇开发边界 and 工业保障线"),
    )

    def __init__(self, parent=None):
        super().__init__(tr("Start here"), parent)
        self.setObjectName("LandEvalStartStrip")
        self.setSettingGroup("landeval/dock")
        self.setSaveCollapsedState(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setVerticalSpacing(1)
        grid.setHorizontalSpacing(6)
        self.marks, self.texts, self.buttons = {}, {}, {}
        for row, (key, page, _need) in enumerate(self.STEPS):
            mark = QLabel(self)
            mark.setObjectName("LandEvalStartMark_" + key)
            text = QLabel(self)
            text.setObjectName("LandEvalStartText_" + key)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            button = QToolButton(self)
            button.setObjectName("LandEvalStartGo_" + page)
            button.setIcon(QIcon(paths.resource("icons", page + ".svg")))
            button.setIconSize(QSize(16, 16))
            button.setText(tr("Open"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _checked=False, p=page: self.page_requested.emit(p))
            grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 1)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.marks[key], self.texts[key], self.buttons[page] = mark, text, button
        grid.setColumnStretch(1, 1)
        self.sample_link = QLabel('<a href="sample">{}</a>'.format(tr("Generate sample district data…")), self)
        self.sample_link.setObjectName("LandEvalStartSample")
        self.sample_link.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse |
                                                 Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.sample_link.linkActivated.connect(lambda _link: self.sample_requested.emit())
        grid.addWidget(self.sample_link, len(self.STEPS), 1, 1, 2)
        project = QgsProject.instance()
        self._signals = [project.layersAdded, project.layersRemoved, project.cleared, project.readProject]
        for signal in self._signals:
            signal.connect(self.refresh)
        self.refresh()

    def status(self):
        """{key: (ok, text)} of each line, as shown."""
        return {key: (self.marks[key].text() == OK_MARK, self.texts[key].text()) for key, _p, _n in self.STEPS}

    def refresh(self, *args):
        project = QgsProject.instance()
        workbook = QgsSettings().value(WORKBOOK_SETTING, "") or ""
        if workbook and not os.path.isfile(workbook):
            workbook = ""
        st = layer_fit.project_status(layer_infos(project), workbook)

        def name(layer_id):
            layer = project.mapLayer(layer_id) if layer_id else None
            return layer.name() if layer is not None else ""

        lines = {}
        if st["sources"]:
            names = "、".join(name(i) for i in st["sources"][:3]) + ("…" if len(st["sources"]) > 3 else "")
            lines["sources"] = (True, tr("Base map: {} source layers ({})").format(len(st["sources"]), names))
        elif st["base_map"]:
            lines["sources"] = (True, tr("Base map: {} is loaded").format(name(st["base_map"])))
        else:
            lines["sources"] = (False, tr("Base map needs polygon layers (不动产登记, 用地批文…): none loaded"))
        if st["workbook"]:
            lines["workbook"] = (True, tr("Data: workbook {}").format(os.path.basename(st["workbook"])))
        else:
            lines["workbook"] = (False, tr("Data needs the base map and an enterprise workbook: no workbook chosen"))
        if st["graded"]:
            lines["graded"] = (True, tr("Grading: graded layer {}").format(name(st["graded"])))
        else:
            lines["graded"] = (False, tr("Grading: no graded layer yet (clusters and disposal need one)"))
        missing = [label for key, label in (("development_boundary", "城镇开发边界"), ("industrial_line", "工业保障线"))
                   if not st[key]]
        if missing:
            lines["planning"] = (False, tr("Disposal needs planning layers: {} missing").format("、".join(missing)))
        else:
            lines["planning"] = (True, tr("Disposal: planning layers {} and {}").format(
                name(st["development_boundary"]), name(st["industrial_line"])))
        for key, (ok, text) in lines.items():
            self.marks[key].setText(OK_MARK if ok else MISSING_MARK)
            self.marks[key].setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
            self.marks[key].setToolTip(tr("Ready") if ok else tr("Missing"))
            self.texts[key].setText(text)
        return st

    def unload(self):
        for signal in self._signals:
            try:
                signal.disconnect(self.refresh)
            except (TypeError, RuntimeError):
                pass
        self._signals = []
