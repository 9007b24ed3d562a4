"""landeval:statistics — 研判会 statistics (core/meeting/statistics.py): workbook, chart, table layer."""
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core import files, limits
from ...core.meeting import statistics as st
from ...core.meeting import text
from .. import one_year
from ..base import LandEvalAlgorithm

TABLE_CHOICES = st.STANDARD_TABLES


class StatisticsAlgorithm(LandEvalAlgorithm):
    NAME = "statistics"
    INPUT, FILTER, TABLES, TITLE = "INPUT", "FILTER", "TABLES", "TITLE"
    OUTPUT_XLSX, OUTPUT_CHART, CHART_MEASURE, OUTPUT = "OUTPUT_XLSX", "OUTPUT_CHART", "CHART_MEASURE", "OUTPUT"

    def displayName(self):
        return self.tr("Statistics for the review meeting (研判统计)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Counts, area in mu, tax and industrial output (10k yuan) of the parcels by class × town, by "
            "low-efficiency type, by disposal path, by renovation area and by year (when the layer has values of "
            "several years), written to a formatted Excel workbook (one sheet per table, units in the headers, "
            "totals row, frozen headers), optionally a PNG bar chart of the first table and a table layer.\n\n"
            "Class: the reviewed class (grade_final) where there is one. Disposal path: the reviewed path where "
            "there is one. Area: from the geometry. Tax and output: sums over the parcels that have a value; "
            "missing values are not counted as 0 and the notes say how many lacked them.\n\n"
            "FILTER restricts the parcels (a QGIS expression); 'Selected features only' on the input works too. "
            "Tables the layer has no fields for are left out (named in the log).")

    def _table_names(self):
        return [self.tr("{} × {}").format(st.dimension_label(r, None), st.dimension_label(c, None))
                for r, c in TABLE_CHOICES]

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (graded, with disposal paths or clusters)"), [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, self.tr("Only parcels matching (expression)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.TABLES, self.tr("Tables"), self._table_names(), allowMultiple=True,
            defaultValue=list(range(len(TABLE_CHOICES)))))
        self.addParameter(QgsProcessingParameterString(
            self.TITLE, self.tr("Title"), optional=True))
        one_year.add_parameter(self)  # a store layer of several years: the year counted (empty: the newest)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_XLSX, self.tr("Statistics workbook (XLSX)"), self.tr("Excel workbook (*.xlsx)")))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_CHART, self.tr("Bar chart of the first table (PNG)"), self.tr("PNG image (*.png)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterEnum(
            self.CHART_MEASURE, self.tr("Chart shows"), [st.measure_header(m, None) for m in st.MEASURES],
            defaultValue=1))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Statistics table"), QgsProcessing.TypeVector, optional=True, createByDefault=False))
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputNumber("PARCELS", self.tr("Parcels counted")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Tables written (JSON)")))


    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        xlsx = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context)
        png = self.parameterAsFileOutput(parameters, self.OUTPUT_CHART, context) \
            if parameters.get(self.OUTPUT_CHART) else ""
        self.guard_outputs(parameters, context, [self.INPUT], layers=[self.OUTPUT], paths=[xlsx, png],
                           existing=[xlsx, png])
        raw = parameters.get(self.FILTER)
        expression = str(raw) if isinstance(raw, str) and raw.strip() else self.parameterAsExpression(
            parameters, self.FILTER, context)
        chosen = self.parameterAsEnums(parameters, self.TABLES, context) or list(range(len(TABLE_CHOICES)))
        measure = st.MEASURES[self.parameterAsEnum(parameters, self.CHART_MEASURE, context)]
        title = self.parameterAsString(parameters, self.TITLE, context) or text.tr("Industrial land statistics")
        try:
            ctx = self.createExpressionContext(parameters, context, source) if expression else None
            # a store layer of several years: the tables count one year (the table by year each year)
            year = one_year.choose(self, source, expression, parameters, context, feedback, ctx)
            parcels = st.read_parcels(source, expression, context=ctx, feedback=feedback, year=year)
            if parcels is None:
                return {}
            if not parcels.parcels:
                self.fail(self.tr("No parcel of {} matches the filter {}: nothing to count.").format(
                    source.sourceName(), expression or "-"))
            wanted = [TABLE_CHOICES[i] for i in sorted(chosen)]
            for row_dim, _ in wanted:
                if not parcels.has(row_dim):
                    feedback.pushWarning(self.tr("Left out {}: the layer has no field for it.").format(
                        st.dimension_label(row_dim, None)))
            tabs = st.standard_crosstabs(parcels, tables=wanted)
        except st.StatisticsError as exc:
            self.fail(str(exc))
        # parcels, not rows: a store layer of several years has a row per parcel and year
        counted = sum(1 for p in parcels.parcels if p.row_year == parcels.year) if parcels.store_years else len(parcels)
        notes = [text.tr("Layer: {} ({} parcels)").format(source.sourceName(), counted)]
        if parcels.store_years:
            notes.append(text.tr("Year: {} (the layer holds {})").format(
                parcels.year, "、".join(str(y) for y in parcels.store_years)))
        if expression:
            notes.append(text.tr("Filter: {}").format(expression))
        tables = [t.table() for t in tabs]
        staged = []
        try:
            try:
                staged.append((st.write_workbook(xlsx, tables, title=title, notes=notes, stage=True), xlsx))
                if png:
                    image = st.render_chart(tabs[0], measure)

                    def write(tmp):
                        if not image.save(tmp, "PNG"):
                            raise OSError(0, self.tr("the image cannot be saved"))

                    staged.append((files.stage_write(png, write), png))
            except files.OutputError as exc:
                self.fail(str(exc))
            dest = None
            sink = None
            if parameters.get(self.OUTPUT) is not None:
                fields = QgsFields()
                for name, kind in (("table", QVariant.Type.String), ("row", QVariant.Type.String),
                                   ("column", QVariant.Type.String), ("count", QVariant.Type.Int),
                                   ("area_mu", QVariant.Type.Double), ("tax_10k", QVariant.Type.Double),
                                   ("output_10k", QVariant.Type.Double)):
                    fields.append(QgsField(name, kind))
                sink = self.open_sink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry,
                                      source.sourceCrs())
                try:
                    for tab in tabs:
                        for row, col, vals in tab.long_rows():
                            f = QgsFeature(fields)
                            f.setAttributes([tab.title(), row, col, vals["count"], vals["mu"], vals["tax"],
                                             vals["output"]])
                            sink.add(f)
                    sink.finish()
                except Exception:
                    sink.discard()
                    raise
            for tmp, target in staged:
                try:
                    files.publish(tmp, target)
                except files.OutputError as exc:
                    self.fail(str(exc))
            staged = []
            if sink is not None:
                dest = sink.publish()
        finally:
            for tmp, _ in staged:
                files.remove_quietly(tmp)
        summary = {}
        for tab in tabs:
            summary[tab.title()] = {"rows": len(tab.rows), "count": tab.total.count if tab.has_totals_row else None,
                                    "mu": round(tab.total.mu, 2) if tab.has_totals_row else None}
            feedback.pushInfo(self.tr("{}: {} rows").format(tab.title(), len(tab.rows)))
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("Statistics of {} parcels written to {}").format(counted, xlsx))
        out = {self.OUTPUT_XLSX: xlsx, "PARCELS": counted, "SUMMARY": limits.json_dumps(summary)}
        if png:
            out[self.OUTPUT_CHART] = png
        if dest is not None:
            out[self.OUTPUT] = dest
        return out
