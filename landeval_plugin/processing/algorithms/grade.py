"""landeval:grade: grade parcels A/B/C/D/T with a standard (一套标准)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProviderRegistry,
)

from ...core import files, limits
from ...core.grading import gpkg
from ...core.grading import grade as grading
from ...core.grading import standard as standards
from .. import in_database, one_year, store_sink
from ..base import LandEvalAlgorithm
from ..postprocess import style_on_load


class GradeAlgorithm(LandEvalAlgorithm):
    NAME = "grade"
    INPUT, STANDARD, YEAR, GROUP_BY, OUTPUT = "INPUT", "STANDARD", "YEAR", "GROUP_BY", "OUTPUT"
    STORE = "STORE"
    IN_DATABASE = "IN_DATABASE"

    def displayName(self):
        return self.tr("Grade parcels with a standard (A/B/C/D)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Grades every parcel A 鼓励支持 / B 保留提升 / C 观察整改 / D 整治退出, or T (not graded), with a "
            "standard: "
            "direct rules first (in order), then exclusions, then the composite score and classes by thresholds or "
            "rank quotas (within GROUP_BY when given), then low-efficiency tags.\n\n"
            "STANDARD: a preset id ({}) or the path of a standard file (.yaml).\n"
            "YEAR: the evaluation year (picks year-dependent thresholds; 0 = the standard's year).\n"
            "Indicators missing on the layer are computed from the raw values and the parcel area. "
            "Review fields (grade_final ...) of an earlier run are carried forward, never erased. "
            "Use 'Selected features only' to grade a selection."
        ).format(", ".join(standards.preset_ids())) + "\n" + self.tr(
            "STORE (optional): a LandEval store (GeoPackage path or postgres://connection/schema); the run "
            "(standard, parameters, who, when, counts per class) and the graded parcels are also written there, "
            "for the evaluation year.") + "\n" + one_year.rows_help()

    def basis(self):
        """The preset standards and the document each names (or that it is a worked example)."""
        lines = []
        for pid in standards.preset_ids():
            try:
                std = standards.load(pid)
            except standards.StandardError:
                continue
            lines.append("• {}: {}".format(std.name, std.provenance()))
        return self.tr("the chosen standard, each preset with its document:") + "\n" + "\n".join(lines)

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels"), [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterString(
            self.STANDARD, self.tr("Standard (preset id or file)"), defaultValue="zhejiang_huangyan_2022"))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Evaluation year (0 = the standard's)"), QgsProcessingParameterNumber.Integer,
            defaultValue=0, minValue=0, maxValue=2100))
        self.addParameter(QgsProcessingParameterField(
            self.GROUP_BY, self.tr("Rank within groups of (e.g. town)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Graded parcels")))
        store_param = QgsProcessingParameterString(
            self.STORE, self.tr("Also write into the LandEval store (GeoPackage path or postgres://connection/schema)"),
            optional=True)
        store_param.setFlags(store_param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(store_param)
        in_db = QgsProcessingParameterBoolean(
            self.IN_DATABASE, self.tr("Grade inside PostGIS when the parcels and the output are tables of one "
                                      "PostGIS database"), defaultValue=True, optional=True)
        in_db.setFlags(in_db.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(in_db)
        self.addOutput(QgsProcessingOutputString("RUN_ID", self.tr("Run id in the store")))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Counts and area per class (JSON)")))
        self.addOutput(QgsProcessingOutputString(
            "WARNINGS", self.tr("Warnings of the run, e.g. a year outside the standard's period (JSON list)")))


    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("Cannot read the parcel layer."))
        self.guard_outputs(parameters, context, [self.INPUT, self.STANDARD], layers=[self.OUTPUT])
        year = self.parameterAsInt(parameters, self.YEAR, context) or None
        # a store layer of several years: the rows of one year (YEAR, else the newest) are graded, with
        # that year's thresholds, by the general path (quotas and ranks within the year)
        source, rows_year = one_year.year_rows(self, source, parameters, context, feedback)
        year = rows_year or year
        try:
            std = standards.load(self.parameterAsString(parameters, self.STANDARD, context), year=year)
        except standards.StandardError as exc:
            raise QgsProcessingException(str(exc)) from exc
        group_by = self.parameterAsString(parameters, self.GROUP_BY, context) or None
        if group_by and group_by not in source.fields().names():
            self.fail(self.tr("GROUP_BY field '{}' is not on the layer.").format(group_by))
        store_ref = self.parameterAsString(parameters, self.STORE, context) if parameters.get(self.STORE) else ""
        if store_ref:
            store_sink.check(store_ref, year or std.year)
        feedback.pushInfo(self.tr("Standard: {} ({}), year {}").format(std.name, std.display_id(), std.year or "-"))
        feedback.pushInfo(std.provenance())
        for line in std.assumptions:
            feedback.pushInfo(self.tr("Assumption: {}").format(line))
        fast = self._fast_path(parameters, context) if rows_year is None else None
        in_db = None
        if rows_year is None and (parameters.get(self.IN_DATABASE) is None
                                  or self.parameterAsBool(parameters, self.IN_DATABASE, context)):
            try:
                in_db = in_database.grade(self.parameterAsVectorLayer(parameters, self.INPUT, context),
                                          parameters.get(self.OUTPUT), std, group_by, feedback)
            except (RuntimeError, grading.MissingInputsError) as exc:
                raise QgsProcessingException(str(exc)) from exc
        if in_db == in_database.CANCELLED:
            feedback.reportError(self.tr("Cancelled: nothing was written."))
            return {}
        if in_db is not None:
            return self._in_database_result(parameters, context, feedback, std, in_db, store_ref, year, group_by,
                                            source)
        try:
            if fast is not None:
                layer, path, table, dest = fast
                feedback.pushInfo(self.tr("GeoPackage in and out: fast path (SQLite copy and update)"))
                try:
                    out = gpkg.grade_gpkg(path, table, dest, std, layer.crs(), group_by=group_by, feedback=feedback)
                except files.OutputError as exc:
                    raise QgsProcessingException(str(exc)) from exc
                if out is None:
                    feedback.reportError(self.tr("Cancelled: nothing was written."))
                    return {}
                results, areas_mu, plan, finals, dest = out
                self._register_output(parameters, context, dest, layer.name())
            else:
                out = grading.grade_source(source, std, group_by=group_by, feedback=feedback)
                if out is None:
                    feedback.reportError(self.tr("Cancelled: nothing was written."))
                    return {}
                features, fields, results, areas_mu, plan = out
                dest = self._write(parameters, context, feedback, source, features, fields)
                finals = [
                    {"grade": grading.to_text(f["grade_final"]) or res["grade"]} for f, res in zip(features, results)]
        except grading.MissingInputsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for line in plan.describe():
            feedback.pushDebugInfo(line)
        warnings = list(std.warnings) + plan.warnings()
        for line in warnings:
            feedback.pushWarning(line) if hasattr(feedback, "pushWarning") else feedback.reportError(line, False)
        # counts on the final class (a review wins over the computed class)
        counts = {g: v for g, v in grading.summary(finals, areas_mu).items()}
        lines = ["{} {}：{} 宗，{:,.1f} 亩".format(g, standards.GRADE_NAMES[g], n, mu) for g, (n, mu) in counts.items()
                 if g in standards.GRADE_NAMES]
        for line in lines:
            feedback.pushInfo(line)
        bad = grading.not_finite(results)
        if bad:
            listed = "; ".join("{} ({})".format(code or "-", ", ".join(names)) for code, names in bad[:20])
            feedback.reportError(self.tr("{} parcels have infinite or NaN values and were not graded or ranked "
                                         "(class T): {}").format(len(bad), listed))
        tagged = sum(1 for r in results if r.get("low_eff"))
        if std.tags or std.low_eff_grades:
            feedback.pushInfo(self.tr("Low-efficiency parcels: {}").format(tagged))
        return self._results(parameters, context, feedback, std, dest, counts, tagged, warnings, store_ref,
                             {"year": year, "group_by": group_by, "input": source.sourceName()})

    def _results(self, parameters, context, feedback, std, dest, counts, tagged, warnings, store_ref, run):
        """Style on load, the SUMMARY and WARNINGS results, and the run in the store when one is given."""
        style_on_load(context, dest, lambda layer: grading.apply_style(layer, "grade", counts))
        summary = {g: {"count": n, "mu": round(mu, 2)} for g, (n, mu) in counts.items()}
        summary["low_eff"] = tagged
        if warnings:
            summary["warnings"] = warnings
        out = {self.OUTPUT: dest, "SUMMARY": limits.json_dumps(summary), "WARNINGS": limits.json_dumps(warnings)}
        if store_ref:
            params = dict({"standard": self.parameterAsString(parameters, self.STANDARD, context)}, **run)
            out["RUN_ID"] = store_sink.write_grading(store_ref, run["year"] or std.year, std, params, summary, dest,
                                                     context, feedback)
        return out

    def _in_database_result(self, parameters, context, feedback, std, in_db, store_ref, year, group_by, source):
        """Log, style and results of a run graded inside PostGIS (processing/in_database.py)."""
        dest, counts, tagged, notes = in_db
        warnings = list(std.warnings) + list(notes)
        for line in warnings:
            feedback.pushWarning(line) if hasattr(feedback, "pushWarning") else feedback.reportError(line, False)
        counts = dict({g: (0, 0.0) for g in standards.GRADE_NAMES}, **{g or "T": v for g, v in counts.items()})
        for g, (n, mu) in counts.items():
            if g in standards.GRADE_NAMES:
                feedback.pushInfo("{} {}：{} 宗，{:,.1f} 亩".format(g, standards.GRADE_NAMES[g], n, mu))
        if std.tags or std.low_eff_grades:
            feedback.pushInfo(self.tr("Low-efficiency parcels: {}").format(tagged))
        self._register_output(parameters, context, dest, source.sourceName())
        return self._results(parameters, context, feedback, std, dest, counts, tagged, warnings, store_ref,
                             {"year": year, "group_by": group_by, "input": source.sourceName(), "in_database": True})

    def _write(self, parameters, context, feedback, source, features, fields):
        # the output is created only now: a cancelled or failed grading leaves no file behind
        sink = self.open_sink(parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        try:
            batch = 5000
            for k in range(0, len(features), batch):
                sink.add_many(features[k:k + batch])
                feedback.setProgress(75 + 25.0 * k / max(len(features), 1))
            return sink.close()
        finally:
            sink.discard()

    def _fast_path(self, parameters, context):
        """(layer, gpkg path, table, destination) when a whole GeoPackage layer goes to a .gpkg file."""
        value = parameters.get(self.INPUT)
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            if value.selectedFeaturesOnly or value.featureLimit not in (-1, None) \
                    or getattr(value, "filterExpression", ""):
                return None
        out_value = parameters.get(self.OUTPUT)
        if isinstance(out_value, QgsProcessingOutputLayerDefinition):
            sink = out_value.sink.staticValue() if hasattr(out_value.sink, "staticValue") else out_value.sink
            dest = str(sink)
        else:
            dest = str(out_value or "")
        if not dest.lower().endswith(".gpkg") or "|" in dest:
            return None
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None or layer.providerType() != "ogr" or layer.subsetString() or layer.isModified():
            return None
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        path = parts.get("path") or ""
        if not path.lower().endswith(".gpkg"):
            return None
        if files.same_file(path, dest):
            return None
        try:
            tables = gpkg.gpkg_tables(path)
        except Exception:
            return None
        table = parts.get("layerName") or (tables[0] if len(tables) == 1 else None)
        if table not in tables:
            return None
        return layer, path, table, dest

    def _register_output(self, parameters, context, dest, name):
        value = parameters.get(self.OUTPUT)
        if isinstance(value, QgsProcessingOutputLayerDefinition) and value.destinationProject is not None \
                and not context.willLoadLayerOnCompletion(dest):
            details = QgsProcessingContext.LayerDetails(value.destinationName or self.tr("Graded parcels"),
                                                        value.destinationProject, self.OUTPUT)
            context.addLayerToLoadOnCompletion(dest, details)
