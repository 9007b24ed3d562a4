"""Printing the 体检表: the layout template bound to a SheetData, driven as an atlas into PDFs or images.

The template (``resources/layouts/dossier_a4.qpt`` or the user's) is loaded into a private
project: one layout reused for every parcel, QGIS's own PDF exporter, the overview map rendered
once into a cached image, neighbours styled by grade from a renderer built once.
"""
import os
import shutil
import tempfile

from ... import compat
from .. import paths
from .. import vocabulary as _vocabulary
from ..formats.pdf_join import PdfJoinError, join_pdfs
from ..formats.pdf_outline import add_pdf_outline
from . import lean
from .errors import DossierError, tr
from .publication import Publication, check_pdf_export, pdf_problem, write_failure_reason
from .sheet_data import TEMPLATE_DEFAULT, grade_colours, is_missing, vocabulary


# ---------------------------------------------------------------------------- template
def default_template():
    return paths.resource("layouts", TEMPLATE_DEFAULT)


def check_template(path):
    """Raise DossierError naming ``path`` when it is missing or not a layout template."""
    from qgis.PyQt.QtXml import QDomDocument

    if not path or not os.path.isfile(path):
        raise DossierError(tr("Layout template not found: {}").format(path))
    with open(path, "rb") as fh:
        data = fh.read()
    doc = QDomDocument()
    ok = compat.dom_set_content(doc, data)
    if not ok or doc.documentElement().tagName() != "Layout":
        raise DossierError(tr("Not a QGIS layout template (.qpt): {}").format(path))
    return doc


def load_template(path, project, layout_class=None):
    """A QgsPrintLayout (or ``layout_class``) from the .qpt ``path`` in ``project``; errors name the file."""
    from qgis.core import QgsPrintLayout, QgsReadWriteContext

    doc = check_template(path)
    layout = (layout_class or QgsPrintLayout)(project)
    layout.initializeDefaults()
    result = layout.loadFromTemplate(doc, QgsReadWriteContext(), True)
    ok = result[1] if isinstance(result, tuple) else result
    if not ok or layout.pageCollection().pageCount() == 0:
        raise DossierError(tr("The layout template could not be read: {}").format(path))
    return layout


# ---------------------------------------------------------------------------- styles
def grade_renderer(fields, over=None):
    """Categorized renderer on coalesce("grade_final","grade") in the grade colours.

    ``over``: the opaque background the layer is drawn on; the 85 % opaque colours are then
    blended onto it beforehand (lean.flatten): the same look in opaque colours, whose outlines
    a PDF keeps as plain strokes instead of filled outline polygons."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory

    names = fields.names()
    if "grade_final" in names and "grade" in names:
        expr = 'coalesce("grade_final", "grade")'
    elif "grade" in names:
        expr = '"grade"'
    elif "grade_final" in names:
        expr = '"grade_final"'
    else:
        expr = "''"
    categories = []
    for letter, colour in grade_colours().items():
        sym = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#ffffff", "outline_width": "0.15"})
        sym.setOpacity(0.85)
        if over is not None:
            lean.flatten(sym, over)
        categories.append(QgsRendererCategory(letter, sym, _vocabulary.grade_label(letter)))
    other = QgsFillSymbol.createSimple({"color": _vocabulary.no_grade()["colour"], "outline_color": "#ffffff",
                                        "outline_width": "0.15"})
    categories.append(QgsRendererCategory(None, other, vocabulary()["no_data"]))
    return QgsCategorizedSymbolRenderer(expr, categories)


def highlight_renderer():
    """Only the atlas parcel, outlined: thick yellow halo under a dark red line."""
    from qgis.core import QgsFillSymbol, QgsRuleBasedRenderer, QgsSimpleLineSymbolLayer

    sym = QgsFillSymbol.createSimple({"color": "255,255,255,0", "outline_color": "#ffd400", "outline_width": "1.1"})
    inner = QgsSimpleLineSymbolLayer.create({"line_color": "#b00000", "line_width": "0.35"})
    sym.appendSymbolLayer(inner)
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "$id = @atlas_featureid", "本宗地"))
    return QgsRuleBasedRenderer(root)


def cluster_renderer():
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    return QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"color": "123,44,191,25", "outline_color": "#7b2cbf", "outline_width": "0.5", "outline_style": "dash"}))


# ---------------------------------------------------------------------------- printing
class RelayFeedback:
    """Maps a sub-task's 0–100 progress into [start, end] of the caller's feedback."""

    def __init__(self, feedback, start, end):
        self.feedback, self.start, self.end = feedback, start, end

    def set(self, fraction):
        if self.feedback is not None:
            self.feedback.setProgress(self.start + (self.end - self.start) * max(0.0, min(1.0, fraction)))

    def canceled(self):
        return self.feedback is not None and self.feedback.isCanceled()

    def warn(self, text):
        if self.feedback is not None and hasattr(self.feedback, "pushWarning"):
            self.feedback.pushWarning(text)

    def info(self, text):
        if self.feedback is not None and hasattr(self.feedback, "pushInfo"):
            self.feedback.pushInfo(text)


def _fit_extent(extent, item):
    """``extent`` grown to the map item's aspect ratio, centred (setExtent would distort)."""
    from qgis.core import QgsRectangle

    rect = item.rect()
    if rect.height() <= 0 or extent.height() <= 0:
        return QgsRectangle(extent)
    aspect = rect.width() / rect.height()
    w, h = extent.width(), extent.height()
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


class DossierPrinter:
    """The template bound to a SheetData; prints sheets to PDFs or images.

    ``neighbours``: the full parcel layer (all parcels, not only those printed) so the
    location map shows every neighbour styled by grade; defaults to the printed ones.
    ``processes``: how many processes print a large run at once (0: one per CPU; pool.py).
    """

    def __init__(self, data, template=None, neighbours=None, font_family=None, dpi=200, processes=0):
        from qgis.core import QgsProject

        from .. import fonts

        self.data = data
        self.template = template or default_template()
        self.dpi = dpi
        self.processes = processes
        self.worker_pids = []  # the workers of the last run (pool.py), for the log and tests
        self.font_family = font_family or fonts.resolve_cjk_family()
        if self.font_family is None:
            raise DossierError(tr("No Chinese font is installed, sheets would print as boxes. Install {} "
                                   "and restart QGIS.").format(fonts.INSTALL_HINT))
        self.project = QgsProject()
        self.project.setCrs(data.crs)
        self._tmp = tempfile.mkdtemp(prefix="landeval-dossier-")
        self.neighbours = self._neighbour_layer(neighbours)
        self.highlight = data.coverage
        self.highlight.setRenderer(highlight_renderer())
        self.cluster_layer = None
        if data.clusters is not None:
            self.cluster_layer = data.clusters.clone() if data.clusters.providerType() != "memory" else \
                data.clusters.materialize(__import__("qgis.core", fromlist=["QgsFeatureRequest"]).QgsFeatureRequest())
            self.cluster_layer.setRenderer(cluster_renderer())
        layers = [data.coverage, self.neighbours, data.enterprise_table, data.indicator_table]
        if self.cluster_layer is not None:
            layers.append(self.cluster_layer)
        self.project.addMapLayers(layers, False)
        self.overview_layer = self._overview_cache()
        if self.overview_layer is not None:
            self.project.addMapLayer(self.overview_layer, False)
        self.layout = load_template(self.template, self.project, lean.layout_class())
        self._bind()
        fonts.apply_family(self.layout, self.font_family)
        # the overview drawn once into an image the PDF stores once; text measured without
        # describing the location map's CRS again for every item (docs/performance.md)
        self.overview_picture = lean.freeze(self.layout, self._tmp)
        self.reference_map = lean.cheap_reference_map(self.layout, self.project)

    # -- set-up ----------------------------------------------------------------------
    def _neighbour_layer(self, layer):
        from qgis.core import QgsFeatureRequest

        if layer is None:
            copy = self.data.coverage.materialize(QgsFeatureRequest())
        elif layer.providerType() == "memory":
            copy = layer.materialize(QgsFeatureRequest())
        else:
            copy = layer.clone()
            copy.setSubsetString(layer.subsetString())
        copy.setName("dossier_neighbours")
        copy.setRenderer(grade_renderer(copy.fields()))
        return copy

    VECTOR_OVERVIEW_LIMIT = 20000

    def _overview_cache(self):
        """The district by grade, prepared once: a few dissolved, simplified polygons.

        Drawing the whole parcel layer in the small overview of every sheet would cost more
        than the sheet itself; one polygon per grade costs almost nothing. Very large
        districts (where dissolving is slow) get a georeferenced image instead.
        """
        if self.neighbours.featureCount() <= self.VECTOR_OVERVIEW_LIMIT:
            layer = self._overview_vector()
            if layer is not None:
                return layer
        return self._overview_image()

    def _overview_vector(self):
        from qgis.core import (
            QgsExpression,
            QgsExpressionContext,
            QgsExpressionContextUtils,
            QgsFeature,
            QgsFeatureRequest,
            QgsField,
            QgsGeometry,
            QgsRectangle,
            QgsVectorLayer,
        )
        from qgis.PyQt.QtCore import QVariant

        extent = QgsRectangle(self.neighbours.extent())
        if extent.isEmpty() or extent.width() <= 0 or extent.height() <= 0:
            return None
        tolerance = max(extent.width(), extent.height()) / 800.0
        expression = QgsExpression(self.neighbours.renderer().classAttribute())
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.layerScope(self.neighbours))
        groups = {}
        for feature in self.neighbours.getFeatures(QgsFeatureRequest()):
            geom = feature.geometry()
            if geom is None or geom.isEmpty():
                continue
            context.setFeature(feature)
            value = expression.evaluate(context)
            key = "" if is_missing(value) else str(value).strip().upper()[:1]
            groups.setdefault(key, []).append(geom)
        layer = QgsVectorLayer("MultiPolygon?crs={}".format(self.data.crs.authid()), "dossier_overview", "memory")
        if not self.data.crs.authid():
            layer.setCrs(self.data.crs)
        layer.dataProvider().addAttributes([QgsField("grade", QVariant.Type.String)])
        layer.updateFields()
        feats = []
        for key, geoms in groups.items():
            union = QgsGeometry.unaryUnion(geoms)
            if union is None or union.isEmpty():  # an invalid parcel makes GEOS give up: repair, then retry
                union = QgsGeometry.unaryUnion([g.makeValid() for g in geoms])
            if union is None or union.isEmpty():
                union = QgsGeometry.unaryUnion([g.buffer(tolerance / 2, 1) for g in geoms])
            if union is None or union.isEmpty():
                continue
            simple = union.simplify(tolerance)
            f = QgsFeature(layer.fields())
            f.setGeometry(simple if simple is not None and not simple.isEmpty() else union)
            f.setAttributes([key])
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        layer.setRenderer(grade_renderer(layer.fields()))
        if self.cluster_layer is not None:
            extent.combineExtentWith(self.cluster_layer.extent())
        extent.scale(1.05)
        self.overview_extent = extent
        return layer

    def _overview_image(self):
        """The district, styled by grade, rendered once to a georeferenced image."""
        from qgis.core import QgsMapRendererCustomPainterJob, QgsMapSettings, QgsRasterLayer, QgsRectangle
        from qgis.PyQt.QtCore import QSize
        from qgis.PyQt.QtGui import QColor, QImage, QPainter

        extent = QgsRectangle(self.neighbours.extent())
        if self.cluster_layer is not None:
            extent.combineExtentWith(self.cluster_layer.extent())
        if extent.isEmpty() or extent.width() <= 0 or extent.height() <= 0:
            return None
        extent.scale(1.05)
        width = 900
        height = max(1, int(round(width * extent.height() / extent.width())))
        if height > 1800:
            height, width = 1800, max(1, int(round(1800 * extent.width() / extent.height())))
        settings = QgsMapSettings()
        settings.setDestinationCrs(self.data.crs)
        settings.setOutputSize(QSize(width, height))
        settings.setExtent(extent)
        settings.setBackgroundColor(QColor("#ffffff"))
        settings.setLayers([lyr for lyr in (self.cluster_layer, self.neighbours) if lyr is not None])
        image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        job = QgsMapRendererCustomPainterJob(settings, painter)
        job.renderSynchronously()
        painter.end()
        extent = settings.visibleExtent()
        path = os.path.join(self._tmp, "overview.png")
        image.save(path, "PNG")
        px, py = extent.width() / image.width(), extent.height() / image.height()
        with open(os.path.join(self._tmp, "overview.pgw"), "w") as fh:
            fh.write("{}\n0\n0\n{}\n{}\n{}\n".format(px, -py, extent.xMinimum() + px / 2, extent.yMaximum() - py / 2))
        layer = QgsRasterLayer(path, "dossier_overview", "gdal")
        if not layer.isValid():
            return None
        layer.setCrs(self.data.crs)
        self.overview_extent = extent
        return layer

    def _bind(self):
        from qgis.core import (
            QgsExpression,
            QgsExpressionContext,
            QgsExpressionContextUtils,
            QgsLayoutItemAttributeTable,
            QgsLayoutItemMap,
            QgsRelation,
            QgsRelationContext,
        )

        layout = self.layout
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.layerScope(self.data.coverage))
        first = next(self.data.coverage.getFeatures(), None)
        if first is not None:
            context.setFeature(first)
        atlas = layout.atlas()
        atlas.setCoverageLayer(self.data.coverage)
        atlas.setEnabled(True)
        atlas.setHideCoverage(False)
        atlas.setFilenameExpression('"d_file"')
        atlas.setPageNameExpression('"d_code"')
        atlas.setSortFeatures(False)
        maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        main = layout.itemById("location_map") or next((m for m in maps if m.atlasDriven()), None)
        over = layout.itemById("overview_map")
        if main is None:
            raise DossierError(
                tr("The template has no atlas-driven map (item id location_map): {}").format(self.template))
        main.setCrs(self.data.crs)
        # the atlas keeps the ratio of the map's current extent and setExtent() resizes the item
        # to it: start from an extent with the item's own ratio so the frame never changes size
        start = self.data.coverage.extent()
        if start.isEmpty():
            from qgis.core import QgsRectangle

            start = QgsRectangle(0, 0, main.rect().width(), main.rect().height())
        main.setExtent(_fit_extent(start, main))
        if main.hasBackground() and main.backgroundColor().alpha() == 255:
            self.neighbours.setRenderer(grade_renderer(self.neighbours.fields(), over=main.backgroundColor()))
        main.setLayers([lyr for lyr in (self.highlight, self.cluster_layer, self.neighbours) if lyr is not None])
        main.setKeepLayerSet(True)
        main.setAtlasDriven(True)
        self.main_map = main
        if over is not None:
            over.setCrs(self.data.crs)
            if self.overview_layer is not None:
                from qgis.core import QgsVectorLayer

                vector = isinstance(self.overview_layer, QgsVectorLayer)
                over.setLayers([lyr for lyr in (self.cluster_layer if vector else None, self.overview_layer)
                                if lyr is not None])
                over.setExtent(_fit_extent(self.overview_extent, over))
            else:
                over.setLayers([self.neighbours])
                over.setExtent(_fit_extent(self.neighbours.extent(), over))
            over.setKeepLayerSet(True)
        for frame in layout.multiFrames():
            if not isinstance(frame, QgsLayoutItemAttributeTable):
                continue
            attrs = " ".join(c.attribute() for c in frame.columns())
            if "enterprise_name" in attrs:
                layer = self.data.enterprise_table
            elif "benchmark" in attrs or "\"v0\"" in attrs:
                layer = self.data.indicator_table
            else:
                continue
            columns = list(frame.columns())
            frame.setVectorLayer(layer)
            # rows of the atlas parcel through a relation: the request filters on a literal
            # code (indexed), where a filter expression would scan every row for every sheet
            relation = QgsRelation(QgsRelationContext(self.project))
            relation.setId("dossier_rel_" + layer.name())
            relation.setName(layer.name())
            relation.setReferencingLayer(layer.id())
            relation.setReferencedLayer(self.data.coverage.id())
            relation.addFieldPair("parcel_code", "parcel_code")
            if relation.isValid():
                self.project.relationManager().addRelation(relation)
                frame.setRelationId(relation.id())
                frame.setSource(QgsLayoutItemAttributeTable.RelationChildren)
                frame.setFilterFeatures(False)
            for col in columns:  # headings may hold expressions such as [% "d_year" - 1 %]年
                if "[%" in col.heading():
                    col.setHeading(QgsExpression.replaceExpressionText(col.heading(), context))
            frame.setColumns(columns)
            frame.setEmptyTableMessage(self.data.no_data)
            frame.refresh()
            if layer is self.data.enterprise_table:
                self.enterprise_frame = frame
        self._add_continuation_pages()

    def _add_continuation_pages(self):
        """Enough 续页 for the longest enterprise list; unused ones are hidden per parcel."""
        from qgis.core import QgsLayoutFrame, QgsLayoutItemLabel, QgsLayoutItemPage, QgsLayoutPoint, QgsLayoutSize

        table = getattr(self, "enterprise_frame", None)
        counts = [len(s.enterprises) for s in self.data.sheets]
        if table is None or not counts or max(counts) == 0 or table.frameCount() == 0:
            return
        biggest = counts.index(max(counts))
        atlas = self.layout.atlas()
        atlas.beginRender()
        try:
            atlas.seekTo(biggest)
            table.refreshAttributes()
            rows = max(counts)
            row_h = table.totalSize().height() / float(rows + 1)
            if row_h <= 0:
                return

            def capacity(frame):
                return max(0, int((frame.rect().height() - row_h) / row_h) - 1)

            frames = [table.frame(i) for i in range(table.frameCount())]
            cap = sum(capacity(f) for f in frames)
            last = frames[-1]
            pages = self.layout.pageCollection()
            added = 0
            while cap < rows and added < 200:
                page = QgsLayoutItemPage(self.layout)
                page.setPageSize(pages.page(pages.pageCount() - 1).pageSize())
                pages.addPage(page)
                number = pages.pageCount() - 1
                pos = last.pagePositionWithUnits()
                frame = QgsLayoutFrame(self.layout, table)
                frame.attemptResize(last.sizeWithUnits())
                frame.attemptMove(QgsLayoutPoint(pos.x(), pos.y(), pos.units()), page=number)
                frame.setHidePageIfEmpty(True)
                table.addFrame(frame)
                note = QgsLayoutItemLabel(self.layout)
                note.setText('附表　用地企业名单（续）　宗地代码：[% "d_code" %]')
                self.layout.addLayoutItem(note)
                note.attemptMove(QgsLayoutPoint(pos.x(), max(5.0, pos.y() - 10.0)), page=number)
                note.attemptResize(QgsLayoutSize(last.sizeWithUnits().width(), 7))
                cap += capacity(frame)
                added += 1
            table.recalculateFrameSizes()
        finally:
            atlas.endRender()

    # -- export ----------------------------------------------------------------------
    def _reuse_scopes(self, on):
        """While printing, QGIS's expression contexts reuse global and project scopes built once
        (lean.py, 4.); the layout is QGIS's own again afterwards (a native atlas of it, a preview)."""
        reuse = getattr(self.layout, "reuse_scopes", None)
        return bool(reuse is not None and reuse(on))

    def pdf_settings(self):
        from qgis.core import QgsLayoutExporter, QgsRenderContext

        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = self.dpi
        settings.rasterizeWholeImage = False
        settings.forceVectorOutput = False
        settings.appendGeoreference = False
        settings.exportMetadata = False
        settings.simplifyGeometries = True
        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
        lossless = compat.lossless_image_flag()
        if lossless is not None and self.overview_picture is not None and not lean.has_raster_layers(self.layout):
            settings.flags = settings.flags | lossless  # the overview image as Flate, not JPEG
        return settings

    def exported_pages(self):
        pages = self.layout.pageCollection()
        return sum(1 for p in range(pages.pageCount()) if pages.shouldExportPage(p))

    def print_folder(self, folder, feedback=None, start=0, end=100, publication=None):
        """One PDF per parcel in ``folder`` (name from parcel_code); returns [(code, path, pages)].

        The PDFs are written into a hidden staging folder inside ``folder`` and checked; with a
        ``publication`` they are only registered there (the caller publishes every output of
        the run together), else they are moved into place here. None when cancelled. A large
        run is printed by several processes at once (pool.py), each into the staging folder.
        """
        relay = RelayFeedback(feedback, start, end)
        own = publication is None
        publication = publication or Publication()
        os.makedirs(folder, exist_ok=True)
        stage = tempfile.mkdtemp(prefix=".landeval-dossiers-", dir=folder)
        publication.temporary(stage)
        total = len(self.data.sheets)
        done = {}  # sheet index -> (code, staged path, pages)
        team = None
        try:
            team = self._start_team("files", stage, folder, publication, relay)
            mine = team.slices[0][1] if team is not None else total

            def on_sheet(i, name, pages):
                done[i] = (self.data.sheets[i].code, os.path.join(stage, name), pages)
                relay.set((len(done) + (len(team.sheets) if team is not None else 0)) / float(max(total, 1)))

            def before(i):
                if team is not None:
                    team.poll()

            if not self.print_files(stage, 0, mine, on_sheet, before=before, canceled=relay.canceled, folder=folder):
                return None
            if team is not None:
                left = self._finish_team(team, relay, total, done)
                if left is None:
                    return None
                for first, last in left:
                    if not self.print_files(stage, first, last, on_sheet, canceled=relay.canceled, folder=folder):
                        return None
                for i, (name, pages) in team.sheets.items():
                    done.setdefault(i, (self.data.sheets[i].code, os.path.join(stage, name), pages))
                if len(done) != total:
                    raise DossierError(tr("The printing processes printed {} of {} sheets.").format(len(done), total))
            final = []
            for i in range(total):
                code, tmp, pages = done[i]
                target = os.path.join(folder, os.path.basename(tmp))
                publication.add(tmp, target)
                final.append((code, target, pages))
            if own:
                publication.commit()
            return final
        finally:
            if team is not None:
                team.stop()
            if own:
                publication.discard()

    def print_files(self, stage, first, last, on_sheet, before=None, canceled=None, folder=None):
        """Sheets ``first``..``last - 1``, one checked PDF each, into ``stage``; ``on_sheet(i, file
        name, pages)`` after each. False when ``canceled()``."""
        from qgis.core import QgsLayoutExporter

        atlas = self.layout.atlas()
        try:
            self._reuse_scopes(True)
            atlas.beginRender()
            settings = self.pdf_settings()
            for i in range(first, last):
                if canceled is not None and canceled():
                    return False
                if before is not None:
                    before(i)
                atlas.seekTo(i)
                sheet = self.data.sheets[i]
                tmp = os.path.join(stage, sheet.display["d_file"] + ".pdf")
                target = os.path.join(folder or stage, os.path.basename(tmp))
                result = QgsLayoutExporter(self.layout).exportToPdf(tmp, settings)
                if canceled is not None and canceled():
                    return False
                check_pdf_export(result, tmp, target, tr("the sheet of parcel {}").format(sheet.code))
                on_sheet(i, os.path.basename(tmp), self.exported_pages())
            atlas.endRender()
            return True
        finally:
            self._reuse_scopes(False)
            if atlas.enabled():
                atlas.endRender()

    def print_part(self, path, first, last, on_sheet, before=None, canceled=None):
        """Sheets ``first``..``last - 1`` into one PDF ``path`` (a part of a combined PDF, no
        bookmarks); ``on_sheet(i, "", pages)`` as each sheet starts. False when ``canceled()``."""
        from qgis.core import QgsFeedback, QgsLayoutExporter

        atlas = self.layout.atlas()
        inner = QgsFeedback()
        failed = []

        def step(i):
            try:
                if canceled is not None and canceled():
                    inner.cancel()
                    return False
                if before is not None:
                    before(i)
                if not atlas.seekTo(i):
                    raise DossierError(tr("Cannot move the atlas to the sheet of parcel {}.").format(
                        self.data.sheets[i].code))
                on_sheet(i, "", self.exported_pages())
                return True
            except Exception as exc:  # raised again below: QGIS called us, it cannot take it
                failed.append(exc)
                inner.cancel()
                return False

        iterator = lean.slice_iterator(atlas, first, last, step)
        try:
            self._reuse_scopes(True)
            result = QgsLayoutExporter.exportToPdf(iterator, path, self.pdf_settings(), inner)
            code = result[0] if isinstance(result, tuple) else result
            if failed:
                raise failed[0]
            if (canceled is not None and canceled()) or code == QgsLayoutExporter.Canceled:
                return False
            check_pdf_export(code, path, path, tr("the sheets {} to {}").format(
                self.data.sheets[first].code, self.data.sheets[last - 1].code))
            return True
        finally:
            self._reuse_scopes(False)
            if atlas.enabled():
                atlas.endRender()

    def _start_team(self, kind, target, beside, publication, relay):
        """Workers for a large run (pool.py), or None: one process (few sheets, or they cannot start)."""
        from . import pool

        count = pool.process_count(len(self.data.sheets), self.processes)
        if count < 2:
            return None
        folder = pool.new_team_folder(beside)
        publication.temporary(folder)
        team = pool.Team(self, count, kind, target, folder)
        try:
            team.start()
            self.worker_pids = [proc.pid for proc in team.procs.values()]
        except Exception as exc:  # any reason: print as before, and say why
            team.stop()
            relay.warn(tr("Printing in this process only: {}").format(exc if isinstance(exc, DossierError) else
                                                                       "{}: {}".format(type(exc).__name__, exc)))
            return None
        relay.info(tr("Printing in {} processes at once (about {} sheets each).").format(
            count, int(round(len(self.data.sheets) / float(count)))))
        return team

    def _finish_team(self, team, relay, total, own):
        """Wait for the workers; returns the slices of workers that could not start QGIS (this
        process prints them instead). Raises DossierError when a worker failed."""
        def report():
            relay.set(team.progress(len(own)) / float(max(total, 1)))

        if not team.wait(relay.canceled, report):
            return None
        for text in team.warnings:
            relay.warn(text)
        return [team.slices[k] for k in team.orphans]

    def print_combined(self, pdf_path, feedback=None, start=0, end=100, publication=None):
        """All sheets in one PDF with a bookmark per parcel; returns [(code, first page, pages)].

        Written to a hidden temporary file beside ``pdf_path`` and checked; published here, or
        registered in ``publication`` for the caller to publish. None when cancelled. A large
        run is printed in parts by several processes at once (pool.py), joined in sheet order.
        """
        relay = RelayFeedback(feedback, start, end)
        own = publication is None
        publication = publication or Publication()
        folder = os.path.dirname(os.path.abspath(pdf_path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".landeval-", suffix=".pdf", dir=folder)
        os.close(fd)
        publication.temporary(tmp)
        team = None
        try:
            team = self._start_team("part", None, folder, publication, relay)
            pages = None
            if team is not None:
                try:
                    pages = self._print_parts(team, tmp, pdf_path, relay)
                except PdfJoinError as exc:  # a part this joiner cannot read: print in one process
                    team.stop()
                    relay.warn(tr("The parts of the combined PDF could not be joined ({}); printing it again in "
                                  "this process.").format(exc))
                else:
                    if pages is None:
                        return None
            if pages is None:
                pages = self._print_whole(tmp, pdf_path, relay)
                if pages is None:
                    return None
            index, first = [], 0
            for sheet, count in zip(self.data.sheets, pages):
                index.append((sheet.code, first, count))
                first += count
            try:
                add_pdf_outline(tmp, [("{}  {}".format(s.code, s.display.get("d_owner", "")), first)
                                      for (code, first, _), s in zip(index, self.data.sheets)],
                                title=self.data.sheets[0].display["d_title"] if self.data.sheets else "")
            except OSError as exc:
                raise DossierError(tr("Cannot write the PDF {}: {}").format(
                    pdf_path, write_failure_reason(tmp, exc))) from exc
            reason = pdf_problem(tmp)
            if reason:
                raise DossierError(tr("Cannot write the PDF {}: {}").format(pdf_path,
                                                                            write_failure_reason(tmp, reason)))
            publication.add(tmp, pdf_path)
            if own:
                publication.commit()
            return index
        finally:
            if team is not None:
                team.stop()
            if own:
                publication.discard()

    def _print_whole(self, tmp, pdf_path, relay):
        """Every sheet into ``tmp`` by QGIS's atlas export, in this process; pages per sheet, or None."""
        from qgis.core import QgsFeedback, QgsLayoutExporter

        atlas = self.layout.atlas()
        pages = []

        def on_feature(*_):
            pages.append(self.exported_pages())

        inner = QgsFeedback()
        feedback = relay.feedback
        if feedback is not None:
            feedback.canceled.connect(inner.cancel) if hasattr(feedback, "canceled") else None
            inner.progressChanged.connect(lambda p: relay.set(p / 100.0))
        atlas.featureChanged.connect(on_feature)
        try:
            self._reuse_scopes(True)
            result = QgsLayoutExporter.exportToPdf(atlas, tmp, self.pdf_settings(), inner)
            code = result[0] if isinstance(result, tuple) else result
            if relay.canceled() or code == QgsLayoutExporter.Canceled:
                return None
            check_pdf_export(code, tmp, pdf_path, tr("the combined PDF"))
            return pages
        finally:
            self._reuse_scopes(False)
            atlas.featureChanged.disconnect(on_feature)

    def _print_parts(self, team, tmp, pdf_path, relay):
        """The first slice here, the others by the workers, then every part joined into ``tmp``;
        pages per sheet, or None when cancelled."""
        total = len(self.data.sheets)
        pages = {}

        def on_sheet(i, _name, count):
            pages[i] = count
            relay.set(team.progress(len(pages)) / float(max(total, 1)))

        first, last = team.slices[0]
        if not self.print_part(team.parts[0], first, last, on_sheet, before=lambda i: team.poll(),
                               canceled=relay.canceled):
            return None
        left = self._finish_team(team, relay, total, pages)
        if left is None:
            return None
        for k in team.orphans:
            first, last = team.slices[k]
            if not self.print_part(team.parts[k], first, last, on_sheet, canceled=relay.canceled):
                return None
        for i, (_name, count) in team.sheets.items():
            pages.setdefault(i, count)
        if len(pages) != total:
            raise DossierError(tr("The printing processes printed {} of {} sheets.").format(len(pages), total))
        relay.info(tr("Joining {} parts into the combined PDF.").format(len(team.parts)))
        try:
            join_pdfs(team.parts, tmp)
        except OSError as exc:
            raise DossierError(tr("Cannot write the PDF {}: {}").format(
                pdf_path, write_failure_reason(tmp, exc))) from exc
        for part in team.parts:
            try:
                os.remove(part)
            except OSError:
                pass
        return [pages[i] for i in range(total)]

    def render_images(self, index, dpi=110):
        """QImages of the pages of sheet ``index`` (preview in the map tool)."""
        from qgis.core import QgsLayoutExporter

        atlas = self.layout.atlas()
        self._reuse_scopes(True)
        atlas.beginRender()
        try:
            atlas.seekTo(index)
            exporter = QgsLayoutExporter(self.layout)
            pages = self.layout.pageCollection()
            return [exporter.renderPageToImage(p, dpi=dpi)
                    for p in range(pages.pageCount()) if pages.shouldExportPage(p)]
        finally:
            self._reuse_scopes(False)
            atlas.endRender()

    def close(self):
        """Release the layout and the private project; the SheetData's layers stay usable."""
        if self.project is None:
            return
        self.layout = None
        for layer in (self.data.coverage, self.data.enterprise_table, self.data.indicator_table):
            if layer is not None and self.project.mapLayer(layer.id()) is not None:
                self.project.takeMapLayer(layer)  # ownership back to the SheetData
        self.project.removeAllMapLayers()
        self.project = None
        self.overview_layer = None
        shutil.rmtree(self._tmp, ignore_errors=True)
