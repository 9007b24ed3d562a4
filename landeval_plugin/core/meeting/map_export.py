"""Presentation maps (研判会, 挂图作战): a Chinese print layout of a graded, disposal or cluster layer.

    result = export_map(layer, kind="grade", paper="a3", pdf_path="分类图.pdf", png_path="分类图.png")
    result.entries        # [LegendEntry(key, label, colour, count, mu)]: what the legend prints

The layout (QgsPrintLayout built in code, ``build_layout``) holds: the title, a subtitle (layer,
filter, parcels and 亩 in all), the map, a legend whose lines give the parcels and 亩 of each
class / path (computed by core/meeting/statistics.py, so they equal the statistics workbook and
the layer), a scale bar, a north arrow, and a footer with the date and the CRS. Papers: A4 and
A3 landscape for a projector or a handout; the 挂图 (wall map) presets ``wall_a1`` / ``wall_a0``
print the whole district, larger type and a town × class table beside the legend.

The layer itself is never restyled: the map draws a private copy (the filter applied), so a
planner's project keeps its own symbology. Text is set in the first installed CJK font of
core/fonts.py's chain; without one the export stops with the package to install.
"""
import datetime
import math

from ... import compat
from .. import fonts
from . import statistics as st
from .text import DOCUMENT_LOCALE, tr

PAPERS = {"a4": (297.0, 210.0), "a3": (420.0, 297.0), "a2": (594.0, 420.0), "a1": (841.0, 594.0),
          "a0": (1189.0, 841.0)}
PRESETS = {  # preset: (paper, wall map)
    "a4": ("a4", False), "a3": ("a3", False), "wall_a1": ("a1", True), "wall_a0": ("a0", True)}
KINDS = ("grade", "disposal", "cluster")
DEFAULT_DPI = {"a4": 200, "a3": 150, "a2": 100, "a1": 72, "a0": 50}
IN_CLUSTER = "in"


class MapExportError(ValueError):
    """The map cannot be made (missing field, no CJK font, an unwritable file); the message says which."""


class LegendEntry:
    """One legend line: ``key`` (class, path ...), ``label`` as printed, ``colour`` (#rrggbb), ``count``, ``mu``."""

    __slots__ = ("key", "label", "colour", "count", "mu", "name")

    def __init__(self, key, name, colour, count, mu, locale=DOCUMENT_LOCALE):
        self.key, self.name, self.colour, self.count, self.mu = key, name, colour, count, mu
        self.label = tr("{} ({} parcels, {} mu)", locale).format(name, "{:,d}".format(count), "{:,.1f}".format(mu))

    def __repr__(self):
        return "LegendEntry({!r}, {}, {:.1f})".format(self.label, self.count, self.mu)


def default_title(kind, locale=DOCUMENT_LOCALE):
    return {"grade": tr("Industrial land performance classes", locale),
            "disposal": tr("Disposal paths of industrial land", locale),
            "cluster": tr("Contiguous renovation areas of low-efficiency land", locale)}[kind]


def _dimension(kind):
    return {"grade": "class", "disposal": "path", "cluster": "cluster"}[kind]


def legend_entries(parcels, kind, locale=DOCUMENT_LOCALE):
    """The legend of ``kind`` for a statistics.ParcelSet: one entry per class / path (in the
    statistics' order, none left out), or for clusters: parcels in a renovation area, the rest."""
    dim = _dimension(kind)
    if not parcels.has(dim):
        need = {"grade": "grade", "disposal": "disposal", "cluster": "cluster_id"}[kind]
        raise MapExportError(tr("The layer {} has no field {}: it cannot be mapped as {}.", None).format(
            parcels.layer_name, need, default_title(kind, None)))
    if kind == "cluster":
        inside, outside = st.Cell(), st.Cell()
        ids = set()
        for p in parcels.parcels:
            (inside if p.cluster != st.NONE_KEY else outside).add(p.mu, None, None)
            if p.cluster != st.NONE_KEY:
                ids.add(p.cluster)
        out = [LegendEntry(IN_CLUSTER, tr("Parcels in a renovation area ({} areas)", locale).format(len(ids)),
                           "#d95f02", inside.count, inside.mu, locale)]
        if outside.count:
            out.append(LegendEntry(st.NONE_KEY, tr("Other parcels", locale), "#e6e6e6", outside.count, outside.mu,
                                   locale))
        return out
    tab = st.crosstab(parcels, dim, None, locale)
    colours = st.series_colours(dim, tab.rows)
    return [LegendEntry(k, tab.label(dim, k), colours[k], tab.row_totals[k].count, tab.row_totals[k].mu, locale)
            for k in tab.rows]


def key_expression(kind, field_names):
    """The QGIS expression giving a parcel's legend key, as statistics.read_parcels reads it."""
    def first(*names):
        parts = ["nullif(trim(to_string(\"{}\")), '')".format(n) for n in names if n in field_names]
        return "coalesce({}, '')".format(", ".join(parts)) if parts else "''"

    if kind == "grade":
        return first("grade_final", "grade")
    if kind == "disposal":
        return first("disposal_final", "disposal")
    return "CASE WHEN {} = '' THEN '' ELSE '{}' END".format(first("cluster_id"), IN_CLUSTER)


def styled_copy(layer, kind, entries, expression=None, outline="#8c8c8c"):
    """A private copy of ``layer`` (only the parcels matching ``expression``) drawn in the legend's
    colours; the user's layer is not touched."""
    from qgis.core import (
        QgsCategorizedSymbolRenderer,
        QgsFeatureRequest,
        QgsFillSymbol,
        QgsRendererCategory,
    )

    from .. import gpkg_read  # here, not at every qgis_process start (test_startup_imports)

    if expression or layer.providerType() == "memory":
        request = QgsFeatureRequest()
        if expression:
            request.setFilterExpression(str(expression))
        copy = layer.materialize(request)
    else:
        copy = gpkg_read.fresh_copy(layer)  # not a handle QGIS opened before an edit of the file
        copy.setSubsetString(layer.subsetString())
    if not copy.isValid():
        raise MapExportError(tr("The layer {} cannot be read for the map.", None).format(layer.name()))
    if copy.featureCount() < 1:
        reason = gpkg_read.empty_read_reason(copy, copy.featureCount())
        if reason:
            raise MapExportError(reason)
    cats = []
    for e in entries:
        symbol = QgsFillSymbol.createSimple({"color": e.colour, "outline_color": outline, "outline_width": "0.05",
                                             "outline_width_unit": "MM"})
        cats.append(QgsRendererCategory(e.key, symbol, e.label))
    copy.setRenderer(QgsCategorizedSymbolRenderer(key_expression(kind, layer.fields().names()), cats))
    return copy


def outline_label(layer, locale=DOCUMENT_LOCALE):
    """Legend text of an outline layer: renovation areas (a cluster_id field) by their Chinese name
    and number, other layers by their name."""
    if "cluster_id" in layer.fields().names():
        return tr("Renovation areas ({})", locale).format(layer.featureCount())
    return layer.name()


def _outline_copy(layer, colour, width=0.4, dash=False):
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    if layer.providerType() == "memory":
        from qgis.core import QgsFeatureRequest

        copy = layer.materialize(QgsFeatureRequest())
    else:
        from .. import gpkg_read

        copy = gpkg_read.fresh_copy(layer)
    copy.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": colour, "outline_width": str(width), "outline_width_unit": "MM",
         "outline_style": "dash" if dash else "solid"})))
    return copy


def fit_extent(extent, aspect, grow=1.03):
    """``extent`` grown by 3 % and to the width/height ratio ``aspect``, centred."""
    from qgis.core import QgsRectangle

    w, h = max(extent.width(), 1e-9) * grow, max(extent.height(), 1e-9) * grow
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


class MapLayout:
    """A built layout and what it shows. Keep it alive while exporting: it owns the private
    project holding the layer copies. ``entries``: the legend; ``total``: (parcels, 亩);
    ``paper``: (width, height) in mm; ``title``."""

    def __init__(self, layout, project, entries, total, paper, title, layers):
        self.layout, self.project, self.entries, self.total = layout, project, entries, total
        self.paper, self.title, self.layers = paper, title, layers


def _font(family, size, bold=False):
    from qgis.PyQt.QtGui import QFont

    f = QFont(family)
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setStyleStrategy(QFont.StyleStrategy(f.styleStrategy() | QFont.StyleStrategy.PreferNoShaping))
    return f


def _text_format(family, size, bold=False, colour="#000000"):
    from qgis.core import QgsTextFormat
    from qgis.PyQt.QtGui import QColor

    fmt = QgsTextFormat()
    fmt.setFont(_font(family, size, bold))
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    return fmt


def _label(layout, text, x, y, w, h, family, size, bold=False, align=None, colour="#000000", item_id=None):
    from qgis.core import QgsLayoutItemLabel, QgsLayoutPoint, QgsLayoutSize, QgsUnitTypes
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QColor

    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    if compat.label_has_text_format(label):
        label.setTextFormat(_text_format(family, size, bold, colour))
    else:
        label.setFont(_font(family, size, bold))
        label.setFontColor(QColor(colour))
    label.setHAlign(align if align is not None else Qt.AlignmentFlag.AlignLeft)
    label.setVAlign(Qt.AlignmentFlag.AlignVCenter)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    if item_id:
        label.setId(item_id)
    return label


def _tint(colour, share=0.45):
    """``colour`` mixed with white (a swatch for a layer drawn as an outline only)."""
    from qgis.PyQt.QtGui import QColor

    c = QColor(colour)
    mix = [int(round(v * share + 255 * (1 - share))) for v in (c.red(), c.green(), c.blue())]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _lines(text, family, size_pt, width_mm):
    """How many lines ``text`` takes in ``width_mm`` at ``size_pt`` (measured on a 100 px font, so
    the answer does not depend on the screen's DPI)."""
    from qgis.PyQt.QtGui import QFont, QFontMetricsF

    f = QFont(family)
    f.setPixelSize(100)
    advance = QFontMetricsF(f).horizontalAdvance(text) if hasattr(QFontMetricsF, "horizontalAdvance") else \
        QFontMetricsF(f).width(text)
    mm = advance / 100.0 * size_pt * 25.4 / 72.0
    return max(1, int(math.ceil(mm / max(width_mm, 1.0) - 1e-6)))


def _manual_table(layout, rows, x, y, w, h, col_widths, row_height, family, size, header=None, item_id=None,
                  wrap=False):
    """A manual table (legend swatches, the wall map's town table); ``rows``: [[text or ('#colour',)]];
    ``row_height``: one height for every row or a list; ``wrap``: long texts wrap in their cell."""
    from qgis.core import (
        QgsLayoutFrame,
        QgsLayoutItemManualTable,
        QgsLayoutMultiFrame,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsTableCell,
        QgsUnitTypes,
    )
    from qgis.PyQt.QtGui import QColor

    table = QgsLayoutItemManualTable.create(layout)
    table.setIncludeTableHeader(header is not None)
    table.setShowGrid(header is not None)
    margin = 0.8 * size / 8.0
    table.setCellMargin(margin)
    if hasattr(table, "setContentTextFormat"):
        table.setContentTextFormat(_text_format(family, size))
        table.setHeaderTextFormat(_text_format(family, size, True))
    else:
        table.setContentFont(_font(family, size))
        table.setHeaderFont(_font(family, size, True))
    contents = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, tuple):
                cell = QgsTableCell("")
                cell.setBackgroundColor(QColor(v[0]))
            else:
                cell = QgsTableCell(v)
            cells.append(cell)
        contents.append(cells)
    table.setTableContents(contents)
    if header is not None:
        from qgis.core import QgsLayoutTableColumn

        cols = []
        for text in header:
            col = QgsLayoutTableColumn()
            col.setHeading(text)
            cols.append(col)
        table.setHeaders(cols)
    # widths and heights are of the contents: the cell margins (and the grid) come on top
    extra = 2 * margin + (0.3 if header is not None else 0.0)
    table.setColumnWidths([max(1.0, cw - extra) for cw in col_widths])
    heights = row_height if isinstance(row_height, (list, tuple)) else [row_height] * len(rows)
    table.setRowHeights([max(1.0, rh - extra) for rh in heights])
    if wrap:
        from qgis.core import QgsLayoutTable

        table.setWrapBehavior(QgsLayoutTable.WrapBehavior.WrapText)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    frame.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    if item_id:
        frame.setId(item_id)
    table.addFrame(frame)
    return table


def build_layout(layer, kind="grade", preset="a3", title=None, expression=None, extent=None, when=None,
                 outline_layers=(), locale=DOCUMENT_LOCALE, font_family=None, feedback=None, subtitle=None):
    """A MapLayout of ``layer`` (a QgsVectorLayer of parcels).

    ``kind``: grade | disposal | cluster; ``preset``: a4 | a3 (landscape) | wall_a1 | wall_a0;
    ``expression``: only these parcels (map, legend and totals alike); ``extent``: a
    QgsRectangle in the layer's CRS (e.g. the canvas's; the wall presets always print the whole
    district); ``outline_layers``: [(QgsVectorLayer, '#colour', legend text)] drawn as outlines
    on top (planning boundaries, renovation areas); ``subtitle``: the line under the title
    before the totals (default: the layer's name). Raises MapExportError."""
    from qgis.core import (
        QgsFillSymbol,
        QgsLayoutItemMap,
        QgsLayoutItemPolygon,
        QgsLayoutItemScaleBar,
        QgsLayoutMeasurement,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsScaleBarSettings,
        QgsUnitTypes,
    )
    from qgis.PyQt.QtCore import QPointF, Qt
    from qgis.PyQt.QtGui import QColor, QPolygonF

    if kind not in KINDS:
        raise MapExportError(tr("Unknown map kind {} (one of {})", None).format(kind, ", ".join(KINDS)))
    if preset not in PRESETS:
        raise MapExportError(tr("Unknown paper preset {} (one of {})", None).format(preset, ", ".join(PRESETS)))
    family = font_family or fonts.resolve_cjk_family()
    if family is None:
        raise MapExportError(tr("No CJK font is installed; install {}", None).format(fonts.INSTALL_HINT))
    paper, wall = PRESETS[preset]
    page_w, page_h = PAPERS[paper]
    s = page_w / 297.0 if not wall else page_w / 297.0 * 0.8  # type and spacing scale with the paper
    try:
        parcels = st.read_parcels(layer, expression, feedback=feedback)
    except st.StatisticsError as exc:
        raise MapExportError(str(exc)) from None
    if parcels is None:
        return None
    if not parcels.parcels:
        raise MapExportError(tr("No parcel of {} matches the filter {}: the map would be empty.", None).format(
            layer.name(), expression or "-"))
    entries = legend_entries(parcels, kind, locale)
    total = (len(parcels.parcels), sum(p.mu for p in parcels.parcels))
    when = when or datetime.date.today().isoformat()
    title = title or default_title(kind, locale)

    project = QgsProject()
    project.setCrs(layer.crs())
    styled = styled_copy(layer, kind, entries, expression)
    layers = [styled]
    outlines = []
    for item in outline_layers:
        lyr, colour, text = item
        copy = _outline_copy(lyr, colour, 0.3 * s, dash=True)
        outlines.append((copy, colour, text))
        layers.append(copy)
    for lyr in layers:
        project.addMapLayer(lyr, False)

    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(title)
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(page_w, page_h, QgsUnitTypes.LayoutMillimeters))
    m = 8.0 * s
    title_h, sub_h, foot_h = 13.0 * s, 6.0 * s, 6.0 * s
    side_w = (78.0 if not wall else 95.0) * s
    map_x, map_y = m, m + title_h + sub_h
    map_w, map_h = page_w - 2 * m - side_w - 4 * s, page_h - map_y - m - foot_h
    _label(layout, title, m, m, page_w - 2 * m, title_h, family, 22 * s, True, Qt.AlignmentFlag.AlignHCenter,
           item_id="title")
    sub = tr("{} · {} parcels, {} mu", locale).format(subtitle or parcels.layer_name or layer.name(),
                                                      "{:,d}".format(total[0]),
                                                      "{:,.1f}".format(total[1]))
    if expression:
        sub += " · " + tr("Filter: {}", locale).format(expression)
    _label(layout, sub, m, m + title_h, page_w - 2 * m, sub_h, family, 10 * s, False, Qt.AlignmentFlag.AlignHCenter,
           colour="#333333", item_id="subtitle")

    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)
    map_item.setId("map")
    map_item.attemptMove(QgsLayoutPoint(map_x, map_y, QgsUnitTypes.LayoutMillimeters))
    map_item.attemptResize(QgsLayoutSize(map_w, map_h, QgsUnitTypes.LayoutMillimeters))
    map_item.setCrs(layer.crs())
    map_item.setLayers(list(reversed(layers)))
    map_item.setKeepLayerSet(True)
    full = styled.extent()  # outlines never widen the map: the parcels decide the extent
    map_item.setExtent(fit_extent(extent if (extent is not None and not wall) else full, map_w / map_h))
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3 * s, QgsUnitTypes.LayoutMillimeters))
    map_item.setBackgroundColor(QColor("#ffffff"))

    # legend: swatch + "A 鼓励支持（788 宗，7,415.5 亩）" per line, then the outlines
    side_x = map_x + map_w + 4 * s
    _label(layout, tr("Legend", locale), side_x, map_y, side_w, 8 * s, family, 13 * s, True, item_id="legend_title")
    rows = [[(e.colour,), e.label] for e in entries]
    rows += [[(_tint(colour),), text] for _, colour, text in outlines]  # outlines: a light swatch of their colour
    row_h, legend_pt = 6.0 * s, 9.5 * s
    text_w = side_w - 8 * s
    heights = [row_h * _lines(text, family, legend_pt, text_w - 2.5 * s) for _, text in rows]  # long labels wrap
    _manual_table(layout, rows, side_x, map_y + 9 * s, side_w, sum(heights) + 2 * s, [7 * s, text_w],
                  heights, family, legend_pt, item_id="legend", wrap=True)
    y = map_y + 9 * s + sum(heights) + 4 * s
    _label(layout, tr("Total: {} parcels, {} mu", locale).format("{:,d}".format(total[0]), "{:,.1f}".format(total[1])),
           side_x, y, side_w, 7 * s, family, 10 * s, True, item_id="legend_total")
    y += 10 * s
    if wall and parcels.has("town") and kind in ("grade", "disposal"):
        dim = _dimension(kind)
        tab = st.crosstab(parcels, "town", dim, locale)
        keys = tab.cols[:6]
        header = [st.dimension_label("town", locale)] + [str(k) if kind == "grade" else tab.label(dim, k)
                                                          for k in keys] + [st.measure_header("mu", locale)]
        trows = [[tab.label("town", r)] + ["{}".format(tab.value(r, k, "count")) for k in keys]
                 + ["{:,.0f}".format(tab.value(r, None, "mu"))] for r in tab.rows]
        trows.append([tr("Total", locale)] + ["{}".format(tab.value(None, k, "count")) for k in keys]
                     + ["{:,.0f}".format(tab.total.mu)])
        _label(layout, tr("Parcels per town (total in mu)", locale), side_x, y, side_w, 7 * s, family, 10 * s, True,
               item_id="town_table_title")
        first_w = side_w * 0.26
        other_w = (side_w - first_w - 2 * s) / (len(keys) + 1.6)
        th = 5.5 * s * (len(trows) + 1) + 4 * s
        _manual_table(layout, trows, side_x, y + 8 * s, side_w, th,
                      [first_w] + [other_w] * len(keys) + [other_w * 1.6], 5.5 * s, family, 8 * s, header=header,
                      item_id="town_table")

    # scale bar (inside the map, bottom left) and north arrow (inside the map, top right)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale_bar")
    bar.setStyle("Single Box")
    layout.addLayoutItem(bar)
    bar.setLinkedMap(map_item)
    km = None if layer.crs().isGeographic() else \
        map_item.extent().width() * compat.metres_per_map_unit(layer.crs()) / 1000.0
    if km is not None and km < 3:
        bar.setUnits(QgsUnitTypes.DistanceMeters)
        bar.setUnitLabel(tr("m", locale))
    else:
        bar.setUnits(QgsUnitTypes.DistanceKilometers)
        bar.setUnitLabel(tr("km", locale))
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(map_w * 0.15)
    bar.setMaximumBarWidth(map_w * 0.3)
    bar.setHeight(2.0 * s)
    bar.setTextFormat(_text_format(family, 9 * s))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    bar.update()
    bar.attemptMove(QgsLayoutPoint(map_x + 4 * s, map_y + map_h - 14 * s, QgsUnitTypes.LayoutMillimeters))

    ax, ay = map_x + map_w - 12 * s, map_y + 12 * s  # the arrow's tip
    for n, (side, colour) in enumerate(((ax - 4.5 * s, "#1a1a1a"), (ax + 4.5 * s, "#ffffff"))):
        poly = QgsLayoutItemPolygon(QPolygonF([QPointF(ax, ay), QPointF(side, ay + 14 * s), QPointF(ax, ay + 11 * s)]),
                                    layout)
        poly.setSymbol(QgsFillSymbol.createSimple({"color": colour, "outline_color": "#1a1a1a",
                                                   "outline_width": str(0.3 * s)}))
        poly.setId("north_arrow" if n == 0 else "north_arrow_2")
        layout.addLayoutItem(poly)
    _label(layout, tr("N", locale), ax - 6 * s, ay - 7.5 * s, 12 * s, 7 * s, family, 12 * s, True,
           Qt.AlignmentFlag.AlignHCenter, item_id="north_label")

    foot = tr("Map date: {} · CRS: {} · LandEval industrial land evaluation", locale).format(
        when, layer.crs().authid() or layer.crs().description())
    _label(layout, foot, m, page_h - m - foot_h + 1 * s, page_w - 2 * m, foot_h, family, 8 * s, False, colour="#555555",
           item_id="footer")
    return MapLayout(layout, project, entries, total, (page_w, page_h), title, layers)


class MapResult:
    """What export_map wrote: ``pdf``, ``png`` (paths or None), ``entries`` (the legend),
    ``total`` (parcels, 亩), ``paper`` (mm), ``png_size`` (pixels)."""

    def __init__(self, pdf, png, entries, total, paper, png_size=None):
        self.pdf, self.png, self.entries, self.total = pdf, png, entries, total
        self.paper, self.png_size = paper, png_size


def export_layout(map_layout, pdf_path=None, png_path=None, dpi=None, stage=False):
    """Export a MapLayout to PDF and/or PNG, each written beside its target and moved into place
    (``stage``: return [(tmp, target)] for files.publish() instead). Raises MapExportError."""
    from qgis.core import QgsLayoutExporter, QgsRenderContext

    from .. import files

    paper = [k for k, v in PAPERS.items() if v == map_layout.paper]
    dpi = dpi or DEFAULT_DPI.get(paper[0] if paper else "a3", 150)
    exporter = QgsLayoutExporter(map_layout.layout)
    staged, png_size = [], None
    try:
        if pdf_path:
            settings = QgsLayoutExporter.PdfExportSettings()
            settings.dpi = 300
            settings.rasterizeWholeImage = False
            settings.forceVectorOutput = True
            settings.exportMetadata = False
            settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText

            def write_pdf(tmp):
                result = exporter.exportToPdf(tmp, settings)
                if result != QgsLayoutExporter.Success:
                    raise OSError(0, exporter.errorMessage() or tr("the layout cannot be exported", None))

            staged.append((files.stage_write(pdf_path, write_pdf), pdf_path))
        if png_path:
            settings = QgsLayoutExporter.ImageExportSettings()
            settings.dpi = dpi
            settings.generateWorldFile = False
            settings.exportMetadata = False

            def write_png(tmp):
                nonlocal png_size
                result = exporter.exportToImage(tmp, settings)
                if result != QgsLayoutExporter.Success:
                    raise OSError(0, exporter.errorMessage() or tr("the layout cannot be exported", None))
                from qgis.PyQt.QtGui import QImageReader

                size = QImageReader(tmp).size()
                png_size = (size.width(), size.height())

            try:  # georeferencing a PNG makes GDAL print a harmless "no update access" error
                from osgeo import gdal

                gdal.PushErrorHandler("CPLQuietErrorHandler")
            except ImportError:
                gdal = None
            try:
                staged.append((files.stage_write(png_path, write_png), png_path))
            finally:
                if gdal is not None:
                    gdal.PopErrorHandler()
        if stage:
            out, staged = staged, []
            return out, png_size
        for tmp, target in staged:
            files.publish(tmp, target)
        staged = []
        return [], png_size
    except files.OutputError as exc:
        raise MapExportError(str(exc)) from None
    finally:
        for tmp, _ in staged:
            files.remove_quietly(tmp)


def export_map(layer, kind="grade", preset="a3", pdf_path=None, png_path=None, title=None, expression=None,
               extent=None, when=None, outline_layers=(), dpi=None, locale=DOCUMENT_LOCALE, feedback=None,
               subtitle=None):
    """build_layout() then export_layout(): a MapResult (None when ``feedback`` was cancelled)."""
    built = build_layout(layer, kind, preset, title, expression, extent, when, outline_layers, locale,
                         feedback=feedback, subtitle=subtitle)
    if built is None:
        return None
    _, png_size = export_layout(built, pdf_path, png_path, dpi)
    return MapResult(pdf_path, png_path, built.entries, built.total, built.paper, png_size)


def mm_to_points(mm):
    return mm / 25.4 * 72.0


def page_size_points(preset):
    """(width, height) in PDF points of a preset's page (A4 landscape: 842 × 595)."""
    page_w, page_h = PAPERS[PRESETS[preset][0]]
    return (round(mm_to_points(page_w)), round(mm_to_points(page_h)))

