"""landeval:exportmap — a presentation map (研判会, 挂图) to PDF and PNG (core/meeting/map_export.py)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ...core import files, limits
from ...core.meeting import map_export as me
from ...core.meeting import text
from .. import one_year
from ..base import LandEvalAlgorithm

OUTLINE_COLOURS = ("#7b2cbf", "#e31a1c", "#1f78b4", "#33a02c", "#ff7f00")


class ExportMapAlgorithm(LandEvalAlgorithm):
    NAME = "exportmap"
    INPUT, KIND, PRESET, FILTER, TITLE, SUBTITLE, DATE, EXTENT, OUTLINES, DPI = (
        "INPUT", "KIND", "PRESET", "FILTER", "TITLE", "SUBTITLE", "DATE", "EXTENT", "OUTLINES", "DPI")
    OUTPUT_PDF, OUTPUT_PNG = "OUTPUT_PDF", "OUTPUT_PNG"

    def displayName(self):
        return self.tr("Presentation map (专题图)")

    def group(self):
        return self.tr("LandEval industrial land")

    def flags(self):
        # layouts are graphics scenes: QGIS exports them on the main thread
        return QgsProcessingAlgorithm.flags(self) | QgsProcessingAlgorithm.FlagNoThreading

    def shortHelpString(self):
        return self.tr(
            "Prints a map of the parcels in Chinese to PDF and PNG: title, date, a legend giving the parcels and mu "
            "of each class (or disposal path, or in and out of renovation areas), the total, a scale bar and a "
            "north arrow. Papers: A4 or A3 landscape (a projector, a handout) and the wall map (挂图) presets A1 and "
            "A0, which print the whole district with a town × class table.\n\n"
            "The class is the reviewed class where there is one, the path the reviewed path. FILTER restricts the "
            "parcels (map, legend and totals alike); EXTENT zooms the A4/A3 map. OUTLINES: polygon layers drawn as "
            "dashed outlines on top (renovation areas, planning boundaries). The layer's own style is not changed.\n\n"
            "A layer of the LandEval store holding several years (one row per parcel and year) is mapped on one "
            "year: YEAR, or the newest when YEAR is empty; the log, the title and the subtitle name it.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.INPUT, self.tr("Parcels (graded, with disposal paths or clusters)"),
            [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterEnum(
            self.KIND, self.tr("Map of"), [me.default_title(k, None) for k in me.KINDS], defaultValue=0))
        self.addParameter(QgsProcessingParameterEnum(
            self.PRESET, self.tr("Paper"), [self.tr("A4 landscape"), self.tr("A3 landscape"),
                                            self.tr("Wall map A1 (whole district)"),
                                            self.tr("Wall map A0 (whole district)")], defaultValue=1))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, self.tr("Only parcels matching (expression)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterString(self.TITLE, self.tr("Title"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.SUBTITLE, self.tr("Subtitle (default: the layer's name)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DATE, self.tr("Map date (default: today)"), optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, self.tr("Map extent"), optional=True))
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.OUTLINES, self.tr("Outline layers (renovation areas, boundaries)"), QgsProcessing.TypeVectorPolygon,
            optional=True))
        one_year.add_parameter(self)
        self.addParameter(QgsProcessingParameterNumber(
            self.DPI, self.tr("PNG resolution (dpi, 0: by paper)"), QgsProcessingParameterNumber.Integer,
            defaultValue=0, minValue=0, maxValue=600))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, self.tr("Map as PDF"), self.tr("PDF file (*.pdf)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PNG, self.tr("Map as PNG"), self.tr("PNG image (*.png)"), optional=True))
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputNumber("COUNT", self.tr("Parcels on the map")))
        self.addOutput(QgsProcessingOutputString("LEGEND", self.tr("Legend: parcels and mu per class (JSON)")))


    def _process(self, parameters, context, feedback):
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context) \
            if parameters.get(self.OUTPUT_PDF) else ""
        png = self.parameterAsFileOutput(parameters, self.OUTPUT_PNG, context) \
            if parameters.get(self.OUTPUT_PNG) else ""
        if not pdf and not png:
            self.fail(self.tr("Name at least one output: OUTPUT_PDF or OUTPUT_PNG."))
        self.guard_outputs(parameters, context, [self.INPUT, self.OUTLINES], paths=[pdf, png], existing=[pdf, png])
        kind = me.KINDS[self.parameterAsEnum(parameters, self.KIND, context)]
        preset = list(me.PRESETS)[self.parameterAsEnum(parameters, self.PRESET, context)]
        raw = parameters.get(self.FILTER)
        expression = str(raw) if isinstance(raw, str) and raw.strip() else self.parameterAsExpression(
            parameters, self.FILTER, context)
        title = self.parameterAsString(parameters, self.TITLE, context) or None
        subtitle = self.parameterAsString(parameters, self.SUBTITLE, context) or None
        when = (self.parameterAsString(parameters, self.DATE, context) or "").strip() or None
        extent = None
        if parameters.get(self.EXTENT):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, layer.crs())
            if extent.isNull() or extent.isEmpty():
                extent = None
        outlines = []
        for k, lyr in enumerate(self.parameterAsLayerList(parameters, self.OUTLINES, context) or []):
            outlines.append((lyr, OUTLINE_COLOURS[k % len(OUTLINE_COLOURS)], me.outline_label(lyr)))
        dpi = self.parameterAsInt(parameters, self.DPI, context) or None
        # a store layer of several years: one year's parcels (else each would count once per year)
        year = one_year.choose(self, layer, expression, parameters, context, feedback)
        if year is not None:
            expression = one_year.restrict(expression, year)
            title = title or text.tr("Year {}: {}").format(year, me.default_title(kind))
            subtitle = subtitle or text.tr("{} · year {}").format(layer.name(), year)
        try:
            built = me.build_layout(layer, kind, preset, title, expression, extent, outline_layers=outlines,
                                    feedback=feedback, subtitle=subtitle, when=when)
            if built is None:
                return {}
            me.export_layout(built, pdf, png, dpi)
        except me.MapExportError as exc:
            self.fail(str(exc))
        except files.OutputError as exc:
            self.fail(str(exc))
        for e in built.entries:
            feedback.pushInfo(e.label)
        feedback.pushInfo(self.tr("{} parcels, {} mu on the map").format(
            built.total[0], "{:,.1f}".format(built.total[1])))
        legend = [{"key": e.key, "label": e.label, "count": e.count, "mu": round(e.mu, 2)} for e in built.entries]
        out = {"COUNT": built.total[0], "LEGEND": limits.json_dumps(legend)}
        if pdf:
            out[self.OUTPUT_PDF] = pdf
        if png:
            out[self.OUTPUT_PNG] = png
        return out
