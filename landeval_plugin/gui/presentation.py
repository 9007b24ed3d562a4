"""演示 (presentation) mode for the projector in a 研判会: QGIS full screen with a clean map (every
panel and toolbar hidden except the LandEval panel, which grows its font), a title with the
meeting's date over the map and a legend of the classes with parcels and 亩, a scale bar (its
length measured on the ellipsoid for a geographic CRS) and a north arrow (true north, as QGIS's
own decoration); Esc or the button on the map restores the window exactly as it was (panels,
toolbars, menu, status bar, full screen).
"""
import math

from qgis.core import QgsApplication, QgsBearingUtils, QgsDistanceArea, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPen, QPolygonF
from qgis.PyQt.QtWidgets import QDockWidget, QFrame, QLabel, QPushButton, QShortcut, QToolBar, QVBoxLayout, QWidget

from ..core.grading.standard import GRADE_NAMES
from ..core.meeting import walkthrough as w
from ..i18n import tr

TITLE_POINT = 26
LEGEND_POINT = 16
PANEL_POINT = 14
SCALE_TARGET_PX = 220  # the scale bar is about this long on the screen
MARGIN = 16


def legend_html(counts, colours):
    """Rows: class colour square, 'A 鼓励支持  120 宗 · 1,234.5 亩'; the total last."""
    rows = []
    for g, (n, mu) in counts.items():
        colour = colours.get(g, "#999999")
        name = "{} {}".format(g, GRADE_NAMES.get(g, "")) if g else tr("not graded")
        rows.append("<tr><td><span style='background:{0};color:{0}'>&nbsp;■■&nbsp;</span></td><td>{1}</td>"
                    "<td align='right'>{2}</td><td align='right'>{3}</td></tr>".format(
                        colour, name, tr("{} parcels").format("{:,}".format(n)), tr("{:,.1f} mu").format(mu)))
    total_n = sum(n for n, _ in counts.values())
    total_mu = sum(mu for _, mu in counts.values())
    rows.append("<tr><td></td><td><b>{}</b></td><td align='right'><b>{}</b></td><td align='right'><b>{}</b></td>"
                "</tr>".format(tr("Total"), tr("{} parcels").format("{:,}".format(total_n)),
                               tr("{:,.1f} mu").format(total_mu)))
    return "<table cellspacing='4'>{}</table>".format("".join(rows))


def metres_per_pixel(map_settings, project=None):
    """Ground metres per screen pixel at the centre of the map, horizontally on the screen: the map
    units per pixel times the unit's metres for a projected CRS; for a geographic CRS (EPSG:4490,
    4326) the distance measured on the project's ellipsoid (QgsDistanceArea) between two points
    100 px apart at the centre. None when it cannot be measured (no CRS, empty map)."""
    crs = map_settings.destinationCrs()
    mupp = map_settings.mapUnitsPerPixel()
    if not crs.isValid() or not mupp or not math.isfinite(mupp):
        return None
    if not crs.isGeographic():
        from ..compat import metres_per_map_unit

        return mupp * metres_per_map_unit(crs)
    project = project or QgsProject.instance()
    m2p = map_settings.mapToPixel()
    size = map_settings.outputSize()
    cx, cy = size.width() / 2.0, size.height() / 2.0
    a = m2p.toMapCoordinates(int(cx - 50), int(cy))
    b = m2p.toMapCoordinates(int(cx + 50), int(cy))
    da = QgsDistanceArea()
    da.setSourceCrs(crs, project.transformContext())
    ellipsoid = project.ellipsoid()
    da.setEllipsoid(ellipsoid if ellipsoid and ellipsoid.upper() != "NONE" else (crs.ellipsoidAcronym() or "EPSG:7030"))
    from ..compat import distance_meters

    metres = da.convertLengthMeasurement(da.measureLine(QgsPointXY(a), QgsPointXY(b)), distance_meters())
    return metres / 100.0 if metres > 0 else None


def nice_length(metres):
    """The largest 1, 2 or 5 × 10^k metres not above ``metres``."""
    if metres is None or metres <= 0:
        return None
    power = 10 ** math.floor(math.log10(metres))
    for step in (5, 2, 1):
        if step * power <= metres * (1 + 1e-9):
            return step * power
    return power


def length_label(metres):
    """'500 米' / '2 千米' (English: '500 m' / '2 km')."""
    if metres >= 1000:
        km = metres / 1000.0
        return tr("{} km").format("{:g}".format(km))
    return tr("{} m").format("{:g}".format(metres))


def scale_bar(map_settings, target_px=SCALE_TARGET_PX, project=None):
    """(length in metres, length in pixels, label) of a scale bar about ``target_px`` long for the
    map as drawn; None when the map cannot be measured."""
    mpp = metres_per_pixel(map_settings, project)
    length = nice_length(target_px * mpp) if mpp else None
    if not length:
        return None
    return length, length / mpp, length_label(length)


def north_bearing(map_settings, project=None):
    """Degrees clockwise from screen-up to true north: the map's rotation plus the bearing of true
    north at the map's centre (QgsBearingUtils, as QGIS's north arrow decoration)."""
    rotation = map_settings.rotation() or 0.0
    try:
        project = project or QgsProject.instance()
        centre = map_settings.visibleExtent().center()
        rotation += QgsBearingUtils.bearingTrueNorth(map_settings.destinationCrs(), project.transformContext(),
                                                     centre)
    except Exception:  # QgsCsException: a CRS without a transform to geographic
        pass
    return rotation


def _overlay(widget, point):
    """A map decoration: bold font of ``point`` size, clicks go through to the map."""
    f = QFont(widget.font())
    f.setPointSize(point)
    f.setBold(True)
    widget.setFont(f)
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)


class ScaleBar(QWidget):
    """A black-and-white scale bar in four segments with its length, drawn over the map canvas."""

    def __init__(self, canvas, point=LEGEND_POINT):
        super().__init__(canvas)
        self.setObjectName("presentationScaleBar")
        self.canvas = canvas
        _overlay(self, point)
        self.length_m = self.bar_px = None
        self.label = ""

    def refresh(self):
        found = scale_bar(self.canvas.mapSettings())
        if found is None:
            self.length_m, self.bar_px, self.label = None, None, ""
            self.hide()
            return
        self.length_m, self.bar_px, self.label = found
        fm = QFontMetrics(self.font())
        width = int(math.ceil(self.bar_px)) + 2 * 12 + fm.horizontalAdvance(self.label) // 2 + 8
        self.resize(max(width, fm.horizontalAdvance(self.label) + 24), fm.height() * 2 + 22)
        self.move(MARGIN, self.canvas.height() - self.height() - MARGIN)
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event):  # noqa: N802
        if not self.bar_px:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(QColor(255, 255, 255, 225))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(QRectF(self.rect()), 6, 6)
        fm = QFontMetrics(self.font())
        x0, y0, h = 12.0, fm.height() + 8.0, 10.0
        seg = self.bar_px / 4.0
        p.setPen(QPen(QColor("#000000"), 1.5))
        for i in range(4):
            p.setBrush(QBrush(QColor("#000000" if i % 2 == 0 else "#ffffff")))
            p.drawRect(QRectF(x0 + i * seg, y0, seg, h))
        p.setPen(QColor("#000000"))
        p.drawText(QPointF(x0 - fm.horizontalAdvance("0") / 2.0, y0 - 6), "0")
        end = x0 + self.bar_px
        p.drawText(QPointF(end - fm.horizontalAdvance(self.label) / 2.0, y0 - 6), self.label)
        p.end()


class NorthArrow(QWidget):
    """A north arrow with 北 (N), turned with the map's rotation and true north."""

    def __init__(self, canvas, point=LEGEND_POINT):
        super().__init__(canvas)
        self.setObjectName("presentationNorthArrow")
        self.canvas = canvas
        _overlay(self, point)
        self.bearing = 0.0
        self.resize(72, 104)

    def refresh(self):
        self.bearing = north_bearing(self.canvas.mapSettings())
        self.move(self.canvas.width() - self.width() - MARGIN, MARGIN)
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setBrush(QColor(255, 255, 255, 225))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(QRectF(self.rect()), 6, 6)
        fm = QFontMetrics(self.font())
        #: the letter on the north arrow: 北 (north), not a yes/no or a count
        letter = tr("N")
        p.setPen(QColor("#000000"))
        p.drawText(QPointF((self.width() - fm.horizontalAdvance(letter)) / 2.0, fm.ascent() + 4), letter)
        cx, cy = self.width() / 2.0, fm.height() + 8 + (self.height() - fm.height() - 14) / 2.0
        r = (self.height() - fm.height() - 18) / 2.0
        p.translate(cx, cy)
        p.rotate(self.bearing)
        p.setPen(QPen(QColor("#000000"), 1.5))
        p.setBrush(QColor("#000000"))
        p.drawPolygon(QPolygonF([QPointF(0, -r), QPointF(-r * 0.45, r), QPointF(0, r * 0.55)]))
        p.setBrush(QColor("#ffffff"))
        p.drawPolygon(QPolygonF([QPointF(0, -r), QPointF(r * 0.45, r), QPointF(0, r * 0.55)]))
        p.end()


class Presentation(QObject):
    """Enter and leave the presentation mode on ``iface``'s main window."""

    def __init__(self, iface, panel=None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.panel = panel  # the LandEval dock: stays, in a larger font
        self.active = False
        self._saved = None
        self.overlay = None
        self.scale_bar = self.north_arrow = None
        self.shortcut = None
        self.on_exit = None

    def enter(self, title, date, layer=None, export=None, year=None):
        """Hide panels and toolbars, go full screen, show title/date/legend over the map.
        ``export``: a callable run by the overlay's 导出 button (None: no button). ``year``: on a
        store layer of several years, the year the legend counts (None: the newest, as the
        statistics); the date line names it."""
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
        # the dock's start strip, store part and help button: not for the room
        self._saved["panel_parts"] = [(part, part.isHidden()) for part in (
            getattr(self.panel, "strip", None), getattr(self.panel, "store_panel", None),
            getattr(self.panel, "help_button", None)) if part is not None]
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
        self._show_overlay(title, date, layer, export, year)
        self.shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), main)
        self.shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.shortcut.activated.connect(self.leave)
        if main.isVisible():
            main.showFullScreen()
        self.active = True

    def _show_overlay(self, title, date, layer, export, year=None):
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
        self.year = None
        if layer is not None and w.has_grades(layer):
            from ..core.dossiers.sheet_data import grade_colours

            self.year = w.meeting_year(layer, year)  # None for a layer of one year
            self.counts = w.class_counts(layer, self.year)
            self.legend_label.setText(legend_html(self.counts, grade_colours()))
            if self.year is not None:
                self.date_label.setText(tr("{} · year {}").format(date, self.year))
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
        box.move(MARGIN, MARGIN)
        box.show()
        box.raise_()
        self.overlay = box
        self.scale_bar = ScaleBar(canvas)
        self.north_arrow = NorthArrow(canvas)
        self._refresh_decorations()
        canvas.extentsChanged.connect(self._refresh_decorations)
        canvas.rotationChanged.connect(self._refresh_decorations)
        canvas.destinationCrsChanged.connect(self._refresh_decorations)
        canvas.installEventFilter(self)

    def _refresh_decorations(self, *args):
        for item in (self.scale_bar, self.north_arrow):
            if item is not None:
                item.refresh()

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Resize and self.scale_bar is not None:
            self._refresh_decorations()
        return False

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
        canvas = self.iface.mapCanvas()
        for signal in (canvas.extentsChanged, canvas.rotationChanged, canvas.destinationCrsChanged):
            try:
                signal.disconnect(self._refresh_decorations)
            except (TypeError, RuntimeError):
                pass
        canvas.removeEventFilter(self)
        for item in (self.scale_bar, self.north_arrow):
            if item is not None:
                item.hide()
                item.deleteLater()
        self.scale_bar = self.north_arrow = None
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

