"""landeval:lists — published lists (名单) as Excel and PDF tables (core/meeting/lists.py)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ...core import files, limits
from ...core.meeting import lists as ml
from .. import one_year
from ..base import LandEvalAlgorithm


class ListsAlgorithm(LandEvalAlgorithm):
    NAME = "lists"
    INPUT, KIND, FILTER, TITLE = "INPUT", "KIND", "FILTER", "TITLE"
    OUTPUT_XLSX, OUTPUT_PDF = "OUTPUT_XLSX", "OUTPUT_PDF"

    def displayName(self):
        return self.tr("Published lists (名单)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Prints one published list as a formatted Excel workbook and an A4 landscape PDF table (No., parcel "
            "code, right holder, town, area in mu, class, reason), with the source it rests on printed above it:\n"
            "• A-class list (优质工业用地产权人名单): class A (Beijing E-Town 2023, 3 (4));\n"
            "• key service enterprise list (重点服务企业名单): classes A and B (Beijing E-Town 2023, 3 (3)); the list "
            "names each parcel's right holder, related parties are added by hand (printed as an assumption);\n"
            "• low-efficiency list (低效工业用地清单): every parcel with a low-efficiency type (Tonglu 2022).\n\n"
            "The class is the reviewed class where there is one. FILTER restricts the parcels first (e.g. one town).")

    def _kind_names(self):
        return [ml.list_title(k, None) for k in ml.KINDS]

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Graded parcels"),
                                                              [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterEnum(self.KIND, self.tr("List"), self._kind_names(), defaultValue=0))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, self.tr("Only parcels matching (expression)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterString(self.TITLE, self.tr("Issuing body or district (printed under "
                                                                           "the title)"), optional=True))
        one_year.add_parameter(self)  # a store layer of several years: the year counted (empty: the newest)
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_XLSX, self.tr("List workbook (XLSX)"), self.tr("Excel workbook (*.xlsx)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, self.tr("List as PDF"), self.tr("PDF file (*.pdf)"), optional=True))
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputNumber("COUNT", self.tr("Parcels on the list")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("List, parcels and area (JSON)")))


    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        xlsx = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context) \
            if parameters.get(self.OUTPUT_XLSX) else ""
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context) \
            if parameters.get(self.OUTPUT_PDF) else ""
        if not xlsx and not pdf:
            self.fail(self.tr("Name at least one output: OUTPUT_XLSX or OUTPUT_PDF."))
        self.guard_outputs(parameters, context, [self.INPUT], paths=[xlsx, pdf], existing=[xlsx, pdf])
        kind = ml.KINDS[self.parameterAsEnum(parameters, self.KIND, context)]
        raw = parameters.get(self.FILTER)
        expression = str(raw) if isinstance(raw, str) and raw.strip() else self.parameterAsExpression(
            parameters, self.FILTER, context)
        title = self.parameterAsString(parameters, self.TITLE, context) or None
        try:
            ctx = self.createExpressionContext(parameters, context, source) if expression else None
            # a store layer of several years: one year's parcels (else each is listed once per year)
            year = one_year.choose(self, source, expression, parameters, context, feedback, ctx)
            expression = one_year.restrict(expression, year)
            ctx = self.createExpressionContext(parameters, context, source) if expression else None
            plist = ml.build_list(source, kind, expression, context=ctx, feedback=feedback)
        except ml.ListError as exc:
            self.fail(str(exc))
        if plist is None:
            return {}
        staged = []
        try:
            try:
                if xlsx:
                    staged.append((ml.write_list_workbook(xlsx, plist, title=title, stage=True), xlsx))
                if pdf:
                    staged.append((ml.write_list_pdf(pdf, plist, title=title, stage=True), pdf))
            except ml.ListError as exc:
                self.fail(str(exc))
            except files.OutputError as exc:
                self.fail(str(exc))
            for tmp, target in staged:
                try:
                    files.publish(tmp, target)
                except files.OutputError as exc:
                    self.fail(str(exc))
            staged = []
        finally:
            for tmp, _ in staged:
                files.remove_quietly(tmp)
        feedback.pushInfo(self.tr("{}: {} parcels, {} mu").format(
            plist.title, plist.count, "{:,.1f}".format(plist.total_mu)))
        for line in plist.assumptions:
            feedback.pushWarning(line)
        out = {"COUNT": plist.count, "SUMMARY": limits.json_dumps(
            {"list": kind, "title": plist.title, "count": plist.count, "mu": round(plist.total_mu, 2)})}
        if xlsx:
            out[self.OUTPUT_XLSX] = xlsx
        if pdf:
            out[self.OUTPUT_PDF] = pdf
        return out
