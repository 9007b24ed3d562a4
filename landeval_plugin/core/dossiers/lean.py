"""Lean, fast 体检表: what the printer does once per run so that each sheet costs little.

1. The overview map (全区位置示意), drawn once. Drawn as vectors, the small overview map cost
   every sheet the whole district: on the sample district (3,000 parcels) page 1 carried a 3 MB
   content stream of about 112,000 path segments, a sheet weighed 1 MB, and a combined PDF grew
   with the district instead of the sheets. ``freeze()`` renders the overview map item once,
   exactly as the item would draw its layers (its own map settings: layers, styles, extent,
   scale, labels), into an image at print resolution, shown by a picture item placed under the
   map item. The map item then draws no layers of its own; it still draws its frame, any grid,
   and the red rectangle of the location map's extent, which changes from sheet to sheet (a few
   segments). Qt's PDF writer keeps one copy of an image drawn again from the same QImage, so a
   combined PDF holds the overview once; with lossless image rendering (``lossless_flag`` in
   the printer's export settings) it is stored Flate-compressed instead of as a JPEG with
   artefacts. The image is rendered at 300 dpi, antialiased, unless that would weigh more than
   ``IMAGE_BUDGET`` in the PDF (a city of small parcels): then without antialiasing, then at
   fewer dpi, the sharpest that fits (``QUALITIES``). The location map stays vectors: that is
   where a person zooms.
2. A cheap reference map. Every table, label and scale bar measures its text through a render
   context made from the layout's reference map (QgsLayoutUtils::createRenderContextForLayout),
   which by default is the biggest map: the location map, whose expression context describes its
   CRS again each time (proj_create, WKT): 13 % of the printing time in a profile of 100 sheets.
   ``cheap_reference_map()`` makes a hidden 1 mm map without CRS the reference map. Text is
   measured at the same resolution (the render context's scale comes from the DPI, not the
   map), so the sheets print the same bytes.
3. Opaque neighbours. The location map draws the neighbours 85 % opaque with a white outline;
   Qt's PDF writer turns every stroke that is not opaque into a filled outline polygon (both
   sides of the line, round joins: four times the vertices). ``flatten()`` blends the colours
   onto the map's opaque background beforehand: the same colours on the page, plain strokes in
   the file.
4. Expression contexts built once per sheet (``layout_class``, ``reference_map_class``): QGIS
   builds about 660 a sheet, each reading the settings file; while printing, the layout and the
   reference map hand out copies of one context per sheet that shows the same values.
"""
import os

OVERVIEW_ITEM_ID = "overview_map"
PICTURE_ITEM_ID = "overview_map_image"


def can_freeze(item):
    """True when ``item`` shows the same picture on every sheet: not driven by the atlas, not
    rotated, and no data-defined property (extent, scale, layers, theme) that could change it."""
    from qgis.core import QgsLayoutItemMap

    if item is None or not isinstance(item, QgsLayoutItemMap):
        return False
    if item.atlasDriven() or abs(item.mapRotation()) > 1e-9:
        return False
    if item.followVisibilityPreset():
        return False
    props = item.dataDefinedProperties()
    return not any(props.isActive(key) for key in props.propertyKeys())


# (dpi, antialiased) tried in turn until the image fits IMAGE_BUDGET: the sharpest that fits
QUALITIES = ((300, True), (300, False), (250, False), (200, False), (150, False))
IMAGE_BUDGET = 36 * 1024  # bytes of the image in the PDF: with fonts (~70 KB) and the pages, a sheet stays under 150 KB


def _render_once(item, dpi, antialiased):
    from qgis.core import QgsMapRendererCustomPainterJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize, QSizeF
    from qgis.PyQt.QtGui import QColor, QImage, QPainter

    rect = item.rect()  # layout units: millimetres
    width = max(1, int(round(rect.width() / 25.4 * dpi)))
    height = max(1, int(round(rect.height() / 25.4 * dpi)))
    settings = item.mapSettings(item.extent(), QSizeF(width, height), dpi, True)
    if not settings.layers():
        return None
    settings.setFlag(QgsMapSettings.Antialiasing, antialiased)
    opaque = item.hasBackground() and item.backgroundColor().alpha() == 255
    # opaque: no alpha channel, so the PDF carries no soft mask
    image = QImage(QSize(width, height), QImage.Format.Format_RGB32 if opaque else
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(item.backgroundColor() if item.hasBackground() else QColor(0, 0, 0, 0))
    painter = QPainter(image)
    try:
        job = QgsMapRendererCustomPainterJob(settings, painter)
        job.renderSynchronously()
    finally:
        painter.end()
    return image


def pdf_image_bytes(image):
    """About what Qt's PDF writer stores for ``image`` drawn losslessly: its RGB samples, Flate
    (zlib) compressed, plus the alpha channel when it has one."""
    import zlib

    from qgis.PyQt.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    size = len(zlib.compress(bytes(rgb.constBits().asstring(rgb.sizeInBytes()))))
    if image.hasAlphaChannel():
        alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
        size += len(zlib.compress(bytes(alpha.constBits().asstring(alpha.sizeInBytes()))))
    return size


def render(item, path, budget=IMAGE_BUDGET, qualities=QUALITIES):
    """Render the layers of map item ``item`` once into the PNG ``path``, at the first of
    ``qualities`` (dpi, antialiased) whose image fits ``budget`` bytes in a PDF (else the last);
    returns (dpi, antialiased, bytes), or None when the item has nothing to render."""
    chosen = None
    for dpi, antialiased in qualities:
        image = _render_once(item, dpi, antialiased)
        if image is None:
            return None
        chosen = (image, dpi, antialiased, pdf_image_bytes(image))
        if chosen[3] <= budget:
            break
    image, dpi, antialiased, size = chosen
    if not image.save(path, "PNG"):
        return None
    return dpi, antialiased, size


def freeze(layout, folder, item_id=OVERVIEW_ITEM_ID):
    """Replace the layers of map item ``item_id`` by one image of them, rendered now into
    ``folder`` (which must outlive the printing). Returns the picture item, or None when the
    item is absent, changes per sheet (``can_freeze``) or has nothing to draw."""
    from qgis.core import QgsLayoutItemPicture

    item = layout.itemById(item_id)
    if not can_freeze(item):
        return None
    path = os.path.join(folder, "overview_map.png")
    if render(item, path) is None:
        return None
    picture = QgsLayoutItemPicture(layout)
    picture.setId(PICTURE_ITEM_ID)
    picture.setPicturePath(path)
    picture.setResizeMode(QgsLayoutItemPicture.Stretch)
    picture.setFrameEnabled(False)
    picture.setBackgroundEnabled(False)
    layout.addLayoutItem(picture)
    picture.attemptMove(item.positionWithUnits())
    picture.attemptResize(item.sizeWithUnits())
    picture.setZValue(item.zValue() - 0.5)  # under the map item's frame and location rectangle
    item.setLayers([])
    item.setKeepLayerSet(True)
    item.setBackgroundEnabled(False)
    item.invalidateCache()
    return picture


def has_raster_layers(layout, skip=(OVERVIEW_ITEM_ID,)):
    """True when a map item of ``layout`` (other than ``skip``) draws a raster layer: lossless
    image rendering would store such imagery uncompressed-ish (Flate) instead of as a JPEG."""
    from qgis.core import QgsLayoutItemMap, QgsRasterLayer

    for item in layout.items():
        if not isinstance(item, QgsLayoutItemMap) or item.id() in skip:
            continue
        layers = item.layers() if item.keepLayerSet() else list(layout.project().mapLayers().values())
        if any(isinstance(layer, QgsRasterLayer) for layer in layers):
            return True
    return False


REFERENCE_ITEM_ID = "reference_map"


def cheap_reference_map(layout, project):
    """Make a hidden, layer-less map without CRS the reference map of ``layout``; returns it, or
    None (nothing changed) when a map item of the layout relies on the project CRS.

    The project CRS is cleared, because a map item without a CRS of its own takes the
    project's: every map item must carry its own (the printer sets both maps' CRS)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsLayoutItemMap, QgsLayoutPoint, QgsLayoutSize, QgsRectangle

    maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
    if not maps:
        return None
    saved = QgsCoordinateReferenceSystem(project.crs())
    project.setCrs(QgsCoordinateReferenceSystem())
    if not all(m.crs().isValid() for m in maps):  # one of them followed the project CRS
        project.setCrs(saved)
        return None
    item = reference_map_class()(layout)
    item.setId(REFERENCE_ITEM_ID)
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(0, 0))
    item.attemptResize(QgsLayoutSize(1, 1))
    item.setExtent(QgsRectangle(0, 0, 1, 1))
    item.setKeepLayerSet(True)
    item.setLayers([])
    item.setFrameEnabled(False)
    item.setBackgroundEnabled(False)
    item.setVisibility(False)  # never drawn, never exported
    layout.setReferenceMap(item)
    return item


def _blend(colour, under, opacity):
    from qgis.PyQt.QtGui import QColor

    a = opacity * colour.alphaF()
    channels = ("redF", "greenF", "blueF")
    return QColor.fromRgbF(*(a * getattr(colour, c)() + (1 - a) * getattr(under, c)() for c in channels))


def flatten(symbol, background):
    """Make a semi-transparent simple fill ``symbol`` opaque with the colours it shows over the
    opaque ``background``: the fill as drawn over the background, the outline as drawn over the
    fill. Symbols of other kinds, or already opaque, are left as they are."""
    from qgis.core import QgsSimpleFillSymbolLayer

    opacity = symbol.opacity()
    layers = [symbol.symbolLayer(i) for i in range(symbol.symbolLayerCount())]
    if opacity >= 1.0 or not layers or not all(isinstance(layer, QgsSimpleFillSymbolLayer) for layer in layers):
        return symbol
    for layer in layers:
        fill = _blend(layer.color(), background, opacity)
        layer.setStrokeColor(_blend(layer.strokeColor(), fill, opacity))
        layer.setColor(fill)
    symbol.setOpacity(1.0)
    return symbol


# ---------------------------------------------------------------------------- expression contexts
# 4. Expression contexts built once per sheet. QGIS builds a new expression context for nearly
#    everything it does for a sheet (each item's refresh, frame and background colours, each
#    label's text, each manual-table cell, each text measurement through the reference map):
#    about 660 per sheet. Each starts with QgsExpressionContextUtils.globalScope(), which opens
#    the settings file twice (custom variables, locale: a stat and a time-zone look-up each), then
#    the project, coverage layer, layout and atlas scopes: most of the printing time. While
#    printing, the layout below builds the global, project and layer scopes once per run and the
#    layout and atlas scopes once per sheet: again whenever anything they show changes (the atlas
#    feature, its number and file name, the resolution), so every expression sees the values
#    QGIS's own context would give it. The hidden reference map (2.) does the same with its
#    own item and map scopes, which never change.
_CLASSES = {}


def _scope_names(context):
    return [context.scope(i).name() for i in range(context.scopeCount())]


def layout_class():
    """The QgsPrintLayout subclass the printer loads its template into (see ``reuse_scopes``)."""
    if "layout" in _CLASSES:
        return _CLASSES["layout"]
    from qgis.core import QgsExpressionContext, QgsExpressionContextUtils, QgsPrintLayout

    class LeanPrintLayout(QgsPrintLayout):
        """A print layout whose expression context is built once per sheet while
        ``reuse_scopes(True)``; otherwise exactly QGIS's own."""

        def __init__(self, project):
            super().__init__(project)
            self.base_context = self.sheet_context = self.sheet_parts = None
            self.run = 0

        def reuse_scopes(self, on):
            """Build the global, project and coverage layer scopes once now (``on``), or go back
            to QGIS's own. Returns True when reused: only when QGIS's own context is the global,
            project, [coverage layer,] layout [and atlas] scopes, as in QGIS 3.22–3.44."""
            self.base_context = self.sheet_context = None
            self.run += 1  # a new run: nothing cached before it is used again
            if not on:
                return False
            base = QgsExpressionContext()
            base.appendScope(QgsExpressionContextUtils.globalScope())
            base.appendScope(QgsExpressionContextUtils.projectScope(self.project()))
            layer = self.reportContext().layer()
            if layer is not None:
                base.appendScope(QgsExpressionContextUtils.layerScope(layer))
            own = _scope_names(QgsPrintLayout.createExpressionContext(self))
            if own != _scope_names(base) + [scope.name() for scope in self._sheet_scopes()]:
                return False
            # the C++ objects behind the key, wrapped once (a wrapper per call costs more than the key)
            self.sheet_parts = (self.atlas(), self.renderContext(), self.pageCollection())
            self.base_context = base
            return True

        def _sheet_scopes(self):
            scopes = [QgsExpressionContextUtils.layoutScope(self)]
            atlas = self.atlas()
            if atlas.enabled():
                scopes.append(QgsExpressionContextUtils.atlasScope(atlas))
            return scopes

        def sheet_key(self):
            """What the layout and atlas scopes show that may change during a run, or None when
            the context is QGIS's own (not printing). While printing only the atlas changes the
            report context's feature, and always together with its feature number; the coverage
            layer stays the same."""
            if self.base_context is None:
                return None
            atlas, render, pages = self.sheet_parts
            return (self.run, atlas.enabled(), atlas.currentFeatureNumber(), atlas.currentFilename(), render.dpi(),
                    pages.pageCount())

        def createExpressionContext(self):  # noqa: N802 (QGIS override)
            key = self.sheet_key()
            if key is None:
                return QgsPrintLayout.createExpressionContext(self)
            if self.sheet_context is None or self.sheet_context[0] != key:
                context = QgsExpressionContext(self.base_context)
                for scope in self._sheet_scopes():
                    context.appendScope(scope)
                self.sheet_context = (key, context)
            return self.sheet_context[1]  # sip hands QGIS a copy

    _CLASSES["layout"] = LeanPrintLayout
    return LeanPrintLayout


def reference_map_class():
    """The QgsLayoutItemMap subclass of the hidden reference map: its expression context is the
    layout's of the sheet plus its own item and map scopes, which never change."""
    if "map" in _CLASSES:
        return _CLASSES["map"]
    from qgis.core import QgsLayoutItemMap

    class LeanReferenceMap(QgsLayoutItemMap):
        cached = None

        def createExpressionContext(self):  # noqa: N802 (QGIS override)
            layout = self.layout()
            key = layout.sheet_key() if hasattr(layout, "sheet_key") else None
            if key is None:
                return QgsLayoutItemMap.createExpressionContext(self)
            if self.cached is None or self.cached[0] != key:
                self.cached = (key, QgsLayoutItemMap.createExpressionContext(self))
            return self.cached[1]

    _CLASSES["map"] = LeanReferenceMap
    return LeanReferenceMap


def slice_iterator(atlas, first, last, step):
    """A layout iterator over the atlas's sheets ``first``..``last - 1`` only, for QGIS's own PDF
    export of a part (pool.py): the atlas keeps every feature, so a sheet shows the same feature
    number as in the whole run. ``step(i)`` moves the atlas to sheet ``i`` and returns True,
    or False to stop (it cancels the export's feedback to end it)."""
    if "slice" not in _CLASSES:
        from qgis.core import QgsAbstractLayoutIterator

        class SliceIterator(QgsAbstractLayoutIterator):
            def __init__(self, atlas, first, last, step):
                super().__init__()
                self.atlas, self.first, self.last, self.step = atlas, first, last, step
                self.current = first - 1
                self.print_layout = atlas.layout()

            def layout(self):
                return self.print_layout

            def beginRender(self):  # noqa: N802 (QGIS override)
                self.current = self.first - 1
                return self.atlas.beginRender()

            def endRender(self):  # noqa: N802 (QGIS override)
                return self.atlas.endRender()

            def count(self):
                return self.last - self.first

            def filePath(self, base, extension):
                return self.atlas.filePath(base, extension)

            def next(self):
                self.current += 1
                if self.current >= self.last:
                    return False
                self.step(self.current)
                return True  # a step that failed cancelled the feedback: QGIS stops before printing

        _CLASSES["slice"] = SliceIterator
    return _CLASSES["slice"](atlas, first, last, step)
