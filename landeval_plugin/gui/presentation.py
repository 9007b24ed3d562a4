"""演示 (presentation) mode for the projector in a 研判会: QGIS full screen with a clean map (every
panel and toolbar hidden except the LandEval panel, which grows its font), a title with the
meeting's date over the map and a legend of the classes with parcels and 亩; Esc or the button on
the map restores the window exactly as it was (panels, toolbars, menu, status bar, full screen).
"""
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, Qt
from qgis.PyQt.QtGui import QFont, QKeySequence
from qgis.PyQt.QtWidgets import QDockWidget, QFrame, QLabel, QPushButton, QShortcut, QToolBar, QVBoxLayout

from ..core.grading.standard import GRADE_NAMES
from ..core.meeting import walkthrough as w
from ..i18n import tr

TITLE_POINT = 26
LEGEND_POINT = 15
PANEL_POINT = 14


def legend_html(counts, colours):
    """Rows: class colour square, 'A 鼓励支持  120 宗 · 1,234.5 亩'; the total last."""
    rows = []
    for g, (n, mu) in counts.items():
        colour = colours.get(g, "#999999")
        name = "{} {}".format(g, GRADE_NAMES.get(g, "")) if g else tr("not graded")
        rows.append("<tr><td><span style='background:{0};color:{0}'>&nbsp;■■&nbsp;</span></td><td>{1}</td>"
                    "<td align='right'>{2}</td><td align='right'>{3}</td></tr>".format(
                        colour, name, tr("{} parcels").format(n), tr("{:,.1f} mu").format(mu)))
    total_n = sum(n for n, _ in counts.values())
    total_mu = sum(mu for _, mu in counts.values())
    rows.append("<tr><td></td><td><b>{}</b></td><td align='right'><b>{}</b></td><td align='right'><b>{}</b></td>"
                "</tr>".format(tr("Total"), tr("{} parcels").format(total_n), tr("{:,.1f} mu").format(total_mu)))
    return "<table cellspacing='4'>{}</table>".format("".join(rows))


class Presentation(QObject):
    """Enter and leave the presentation mode on ``iface``'s main window."""

    def __init__(self, iface, panel=None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.panel = panel  # the LandEval dock: stays, in a larger font
        self.active = False
        self._saved = None
        self.overlay = None
        self.shortcut = None
        self.on_exit = None

    def enter(self, title, date, layer=None, export=None):
        """Hide panels and toolbars, go full screen, show title/date/legend over the map.
        ``export``: a callable run by the overlay's 导出 button (None: no button)."""
        if self.active:
            return
        main = self.iface.mainWindow()
        docks = [d for d in main.findChildren(QDockWidget) if d is not self.panel and d.parent() is main]
        bars = [b for b in main.findChildren(QToolBar) if b.parent() is main]
        menu, status = main.menuBar(), main.statusBar()
        self._saved = {
            "docks": [(d, d.isHidden()) for d in docks], "bars": [(b, b.isHidden()) for b in bars],
            "menu": menu.isHidden() if menu is not None else None,
            "status": status.isHidden() if status is not None else None,
            "full": main.isFullScreen(), "maximized": main.isMaximized(),
            "panel_font": QFont(self.panel.font()) if self.panel is not None else None,
        }
        # the dock's start strip and help button: not for the room
        self._saved["panel_parts"] = [(part, part.isHidden()) for part in (
            getattr(self.panel, "strip", None), getattr(self.panel, "help_button", None)) if part is not None]
        for part, _ in self._saved["panel_parts"]:
            part.hide()
        for d in docks:
            d.hide()
        for b in bars:
            b.hide()
        if menu is not None:
            menu.hide()
        if status is not None:
            status.hide()
        if self.panel is not None:
            font = QFont(self.panel.font())
            font.setPointSize(PANEL_POINT)
            self.panel.setFont(font)
        self._show_overlay(title, date, layer, export)
        self.shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), main)
        self.shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(self.leave)
        if main.isVisible():
            main.showFullScreen()
        self.active = True

    def _show_overlay(self, title, date, layer, export):
        canvas = self.iface.mapCanvas()
        box = QFrame(canvas)
        box.setObjectName("LandEvalPresentation")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box.setStyleSheet("QFrame#LandEvalPresentation{background-color:#ffffff;border:1px solid #888;"
                          "border-radius:6px}")
        col = QVBoxLayout(box)
        self.title_label = QLabel(title, box)
        self.title_label.setObjectName("presentationTitle")
        f = QFont(box.font())
        f.setPointSize(TITLE_POINT)
        f.setBold(True)
        self.title_label.setFont(f)
        self.date_label = QLabel(date, box)
        self.date_label.setObjectName("presentationDate")
        f2 = QFont(box.font())
        f2.setPointSize(LEGEND_POINT)
        self.date_label.setFont(f2)
        self.legend_label = QLabel(box)
        self.legend_label.setObjectName("presentationLegend")
        self.legend_label.setFont(f2)
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        col.addWidget(self.title_label)
        col.addWidget(self.date_label)
        col.addWidget(self.legend_label)
        self.counts = {}
        if layer is not None and w.has_grades(layer):
            from ..core.dossiers.sheet_data import grade_colours

            self.counts = w.class_counts(layer)
            self.legend_label.setText(legend_html(self.counts, grade_colours()))
        else:
            self.legend_label.hide()
        self.export_button = None
        if export is not None:
            self.export_button = QPushButton(tr("Export the map (PNG/PDF)"), box)
            self.export_button.clicked.connect(export)
            col.addWidget(self.export_button)
        leave = QPushButton(tr("Leave presentation (Esc)"), box)
        leave.setObjectName("presentationLeave")
        leave.clicked.connect(self.leave)
        col.addWidget(leave)
        box.adjustSize()
        box.move(16, 16)
        box.show()
        box.raise_()
        self.overlay = box

    def leave(self):
        """Restore the window as it was before enter()."""
        if not self.active:
            return
        saved, main = self._saved, self.iface.mainWindow()
        if self.shortcut is not None:
            self.shortcut.setEnabled(False)
            self.shortcut.deleteLater()
            self.shortcut = None
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None
        if not saved["full"] and main.isFullScreen():
            main.showMaximized() if saved["maximized"] else main.showNormal()
        for d, hidden in saved["docks"]:
            d.setHidden(hidden)
        for b, hidden in saved["bars"]:
            b.setHidden(hidden)
        if saved["menu"] is not None:
            main.menuBar().setHidden(saved["menu"])
        if saved["status"] is not None:
            main.statusBar().setHidden(saved["status"])
        for part, hidden in saved["panel_parts"]:
            part.setHidden(hidden)
        if self.panel is not None and saved["panel_font"] is not None:
            self.panel.setFont(saved["panel_font"])
        self.active = False
        self._saved = None
        if self.on_exit is not None:
            self.on_exit()


def exportmap_available():
    return QgsApplication.processingRegistry().algorithmById("landeval:exportmap") is not None

