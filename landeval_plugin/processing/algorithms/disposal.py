"""landeval:disposal — 处置方案: a proposed path per parcel from a rule set (core/disposal/disposal.py)."""

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsSettings,
)
from qgis.PyQt.QtCore import QVariant

from ...core import files, limits, vocabulary
from ...core.disposal import disposal
from ...core.values import to_text as _text
from .. import one_year, store_sink
from ..base import LandEvalAlgorithm
from ..postprocess import style_on_load

FIELD_TYPES = {"disposal": QVariant.Type.String, "disposal_reason": QVariant.Type.String,
               "in_development_boundary": QVariant.Type.Bool, "in_industrial_line": QVariant.Type.Bool,
               "disposal_final": QVariant.Type.String, "disposal_override_reason": QVariant.Type.String,
               "disposal_override_by": QVariant.Type.String, "disposal_override_at": QVariant.Type.String,
               "in_expropriation": QVariant.Type.Bool, "in_reclamation": QVariant.Type.Bool,
               "update_unit": QVariant.Type.String,
               "disposal_ruleset": QVariant.Type.String}


def output_fields(source_fields, extra=()):
    """The input's fields, the disposal fields, ``extra`` ones (planning ranges, 更新单元 when given)
    and ``disposal_ruleset`` (which rule set proposed the path: the dossier lists its assumptions)."""
    fields = QgsFields(source_fields)
    for name in disposal.OUTPUT_FIELDS + tuple(extra) + ("disposal_ruleset",):
        if fields.lookupField(name) < 0:
            fields.append(QgsField(name, FIELD_TYPES[name]))
    return fields


def register_entries(dest, context):
    """(parcel code, town, path, on the low-efficiency list) of every parcel of a disposal output:
    the reviewed path wins over the proposed one; the list is a low-efficiency tag or final class D."""
    from qgis.core import QgsVectorLayer

    from ...core.store.compare import on_list

    # runs in the worker: the run's own memory output (by id) or the file, never a lookup through
    # the project (QgsProcessingUtils.mapLayerFromString from the worker, issue 18)
    layer = context.temporaryLayerStore().mapLayer(dest) or QgsVectorLayer(dest, "disposal", "ogr")
    names = layer.fields().names()
    out = []
    for f in layer.getFeatures():
        row = {n: _text(f[n]) if n in names else None
               for n in ("parcel_code", "town", "grade", "grade_final", "low_eff", "disposal", "disposal_final")}
        if row["low_eff"] in ("false", "False"):
            row["low_eff"] = None
        out.append((row["parcel_code"], row["town"], row["disposal_final"] or row["disposal"], on_list(row)))
    return out


def presets_help():
    """Each preset with its source and assumptions, for the dialog's help before a run."""
    blocks = []
    for pid, _ in disposal.list_presets():
        try:
            rs = disposal.load_ruleset(pid)
        except disposal.DisposalError as exc:
            blocks.append("• {}: {}".format(pid, exc))
            continue
        lines = rs.describe()
        blocks.append("• " + pid + "\n  " + "\n  ".join(lines))
    return "\n".join(blocks)


# the key of parcels without a path in COUNTS, SUMMARY and the log: the vocabulary's word, Chinese like
# the paths themselves (the rule sets name their paths in Chinese whatever the interface language)
NO_PATH = vocabulary.no_path()["name"]


class DisposalAlgorithm(LandEvalAlgorithm):
    NAME = "disposal"
    INPUT, RULESET = "INPUT", "RULESET"
    DEVELOPMENT_BOUNDARY, INDUSTRIAL_LINE = "DEVELOPMENT_BOUNDARY", "INDUSTRIAL_LINE"
    SHARE, PREVIOUS, OUTPUT = "SHARE", "PREVIOUS", "OUTPUT"
    EXPROPRIATION, RECLAMATION, UPDATE_UNITS, UNIT_FIELD = "EXPROPRIATION", "RECLAMATION", "UPDATE_UNITS", "UNIT_FIELD"
    OUTPUT_PLAN = "OUTPUT_PLAN"

    def displayName(self):
        return self.tr("Disposal paths (处置方案)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Proposes a disposal path for every parcel from a rule set and writes disposal, disposal_reason "
            "(in Chinese), in_development_boundary and in_industrial_line.\n\n"
            "Rule set: a preset id or the path of a YAML file with the same keys (id, name, paths, rules: "
            "when / disposal / reason). Rules are tried in order; the first whose condition (LandEval's rule "
            "language, as in standards: docs/standards.md) holds gives the path. \"grade\" is the reviewed grade "
            "when there is one.\n\n"
            "A parcel is inside the development boundary or industrial line when at least the given share of its "
            "area lies inside those polygons (any CRS; reprojected). Without a planning layer, fields of the same "
            "name on the parcels are used.\n\n"
            "Paths decided in review (disposal_final, disposal_override_reason) are kept, and carried from an "
            "earlier output by parcel code.\n\n"
            "Field names in rules are standard names; Chinese column names (闲置, 产业类别 …) are recognised. "
            "A parcel whose location is unknown gets no path (缺少区位数据). A rule resting on one of the rule "
            "set's assumptions says so in its reason (（假设N）). Optional: 征收范围 and 拆旧复垦范围 polygons, "
            "更新单元 polygons (grouping), and a workbook with the year's plan per town × path.\n\n"
            "Presets, their sources and assumptions:\n{}").format(presets_help()) + "\n\n" + one_year.rows_help()

    def basis(self):
        return self.tr("the chosen rule set's document and its numbered assumptions (listed above for each "
                       "preset); the decisions of the review meeting (研判) are kept over re-runs.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Graded parcels (with cluster_id for 连片整治)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterString(
            self.RULESET, self.tr("Rule set (preset id or YAML file)"),
            defaultValue=disposal.DEFAULT_RULESET))  # fixed: the page passes the remembered one
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.DEVELOPMENT_BOUNDARY, self.tr("Development boundary (城镇开发边界) polygons"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INDUSTRIAL_LINE, self.tr("Industrial line (工业保障线) polygons"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.SHARE, self.tr("Share of the parcel's area inside that counts as inside"),
            QgsProcessingParameterNumber.Double, defaultValue=0.5, minValue=0.01, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.PREVIOUS, self.tr("Earlier disposal output (reviews carried forward)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.EXPROPRIATION, self.tr("Expropriation range (征收范围) polygons"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RECLAMATION, self.tr("Reclamation range (拆旧复垦范围) polygons"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.UPDATE_UNITS, self.tr("Update units (更新单元) polygons"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.UNIT_FIELD, self.tr("Update unit name field"), parentLayerParameterName=self.UPDATE_UNITS,
            optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with disposal paths"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PLAN, self.tr("The year's plan per town × path (XLSX)"), self.tr("Excel workbook (*.xlsx)"),
            optional=True, createByDefault=False))
        self.add_overwrite_parameter()
        store_sink.add_parameters(self)  # the disposal register rows of YEAR into a LandEval store
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Parcels per disposal path (JSON)")))
        self.addOutput(QgsProcessingOutputString(
            "REPORT", self.tr("Rule set, source, assumptions, warnings and the plan per town × path (JSON)")))

    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        ruleset_text = self.parameterAsString(parameters, self.RULESET, context)
        boundary = self.parameterAsSource(parameters, self.DEVELOPMENT_BOUNDARY, context)
        line = self.parameterAsSource(parameters, self.INDUSTRIAL_LINE, context)
        previous = self.parameterAsSource(parameters, self.PREVIOUS, context)
        share = self.parameterAsDouble(parameters, self.SHARE, context)
        expropriation = self.parameterAsSource(parameters, self.EXPROPRIATION, context)
        reclamation = self.parameterAsSource(parameters, self.RECLAMATION, context)
        units = self.parameterAsSource(parameters, self.UPDATE_UNITS, context)
        unit_field = self.parameterAsString(parameters, self.UNIT_FIELD, context) or None
        plan_path = self.parameterAsFileOutput(parameters, self.OUTPUT_PLAN, context) \
            if parameters.get(self.OUTPUT_PLAN) else ""
        # before any work: no output on an input file, an existing plan workbook replaced only by choice
        self.guard_outputs(parameters, context, [self.INPUT, self.DEVELOPMENT_BOUNDARY, self.INDUSTRIAL_LINE,
                                                 self.PREVIOUS, self.RULESET, self.EXPROPRIATION, self.RECLAMATION,
                                                 self.UPDATE_UNITS],
                           layers=[self.OUTPUT], paths=[plan_path], existing=[plan_path])
        # a store layer of several years: the rows of one year (YEAR, else the newest)
        source, rows_year = one_year.year_rows(self, source, parameters, context, feedback)
        store_ref, store_year = store_sink.prepare(self, parameters, context, rows_year)
        try:
            ruleset = disposal.load_ruleset(ruleset_text)
            feedback.pushInfo(self.tr("Rule set: {} ({})").format(ruleset.name, ruleset.id))
            for text in ruleset.describe()[1:] + ruleset.rule_lines():  # each rule with its clause
                feedback.pushInfo(text)
            proposals, report = disposal.propose(source, ruleset, boundary, line, share, context, feedback,
                                                 source.sourceName(), expropriation, reclamation, units, unit_field)
            carried = disposal.previous_reviews(previous) if previous is not None else {}
        except disposal.DisposalError as exc:
            self.fail(str(exc))
        if proposals is None or feedback.isCanceled():
            return {}
        for w in report["warnings"]:
            feedback.pushWarning(w)
        if report["no_geometry"]:
            feedback.reportError(self.tr("{} parcels have no geometry: their location is unknown "
                                         "(feature ids: {}).").format(
                len(report["no_geometry"]), ", ".join(str(x) for x in report["no_geometry"][:50])))

        extra = [n for n, given in (("in_expropriation", expropriation), ("in_reclamation", reclamation),
                                    ("update_unit", units)) if given is not None]
        fields = output_fields(source.fields(), extra)
        idx = {name: fields.lookupField(name) for name in disposal.OUTPUT_FIELDS + tuple(extra) + ("disposal_ruleset",)}
        idx_code = fields.lookupField("parcel_code")
        # the layer and the plan workbook are written beside their targets, checked, and moved
        # into place together: a failure (disk full, permission) replaces neither
        sink = self.open_sink(parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        plan_tmp = None
        try:
            kept, carried_n, seen_codes = self._write(sink, source, fields, idx, idx_code, proposals, carried, extra,
                                                      units, ruleset, feedback)
            if feedback.isCanceled():
                return {}
            if plan_path:
                try:
                    plan_tmp = disposal.write_plan(plan_path, ruleset, report, stage=True)
                except files.OutputError as exc:
                    self.fail(str(exc))
            sink.finish()
            if plan_tmp:
                try:
                    files.publish(plan_tmp, plan_path)
                except files.OutputError as exc:
                    self.fail(str(exc))
                plan_tmp = None
            dest = sink.publish()
        finally:
            sink.discard()
            if plan_tmp:
                files.remove_quietly(plan_tmp)
        counts = ", ".join("{}: {}".format(k if k else NO_PATH, v)
                           for k, v in sorted(report["counts"].items(), key=lambda kv: -kv[1]))
        feedback.pushInfo(self.tr("Proposed paths: {}").format(counts))
        if kept or carried_n:
            feedback.pushInfo(
                self.tr("{} reviewed paths kept, {} carried forward from the earlier output.").format(kept, carried_n))
        lost = sorted(set(carried) - seen_codes)
        if lost:
            feedback.reportError(self.tr("{} reviewed parcels of the earlier output are not in the input (parcel "
                                         "codes: {}).").format(
                len(lost), ", ".join(lost[:50])))
        style_on_load(context, dest, "disposal.qml", self.tr("Disposal paths ({})").format(ruleset.name))
        QgsSettings().setValue("landeval/disposal/ruleset", ruleset_text)
        counts = {str(k) if k else NO_PATH: v for k, v in report["counts"].items()}  # never "None"
        for town, paths in sorted(disposal.plan_json(report["plan"]).items()):
            feedback.pushInfo(self.tr("Plan {}: {}").format(town, "，".join(
                "{} {} 宗 {:.1f} 亩".format(NO_PATH if p == "无" else p, v["parcels"], v["mu"])
                for p, v in paths.items())))
        if plan_path:
            feedback.pushInfo(self.tr("Plan per town × path written to {}").format(plan_path))
        run_report = {"ruleset": ruleset.id, "name": ruleset.name, "source": ruleset.source,
                      "assumptions": ruleset.assumptions, "params": ruleset.params, "warnings": report["warnings"],
                      "fields": report["fields"], "plan": disposal.plan_json(report["plan"]),
                      "unit_plan": disposal.plan_json(report["unit_plan"]) if units is not None else {}}
        # COUNTS for Python callers; SUMMARY as text, which qgis_process and models can show; REPORT: what the
        # proposal rests on (source, assumptions) and what it could not check (warnings), with the year's plan
        out = {self.OUTPUT: dest, "COUNTS": counts, "SUMMARY": limits.json_dumps(counts),
               "REPORT": limits.json_dumps(run_report)}
        if plan_path:
            out[self.OUTPUT_PLAN] = plan_path
        if store_ref:  # the register (台账): every parcel on the low-efficiency list with its path, one transaction
            out["RUN_ID"] = store_sink.write_step(
                store_ref, store_year, "disposal", [], context, feedback,
                parameters={"ruleset": ruleset.id, "share": share}, counts=counts,
                register=register_entries(dest, context), output=dest)
        return out

    def _write(self, sink, source, fields, idx, idx_code, proposals, carried, extra, units, ruleset, feedback):
        """Every parcel with its path into the checked sink; (reviews kept, carried forward, codes seen)."""
        kept = carried_n = 0
        seen_codes = set()
        for k, f in enumerate(source.getFeatures()):
            if k % 2000 == 0 and feedback.isCanceled():
                break
            p = proposals.get(f.id())
            attrs = list(f.attributes()) + [None] * (fields.count() - len(f.attributes()))
            attrs[idx["disposal"]] = p.disposal
            attrs[idx["disposal_reason"]] = p.reason
            for name in disposal.LOCATION_FIELDS + tuple(n for n in extra if n != "update_unit"):
                attrs[idx[name]] = p.location[name]
            if units is not None:
                attrs[idx["update_unit"]] = p.unit
            attrs[idx["disposal_ruleset"]] = ruleset.id
            code = _text(attrs[idx_code]) if idx_code >= 0 else None
            if code:
                seen_codes.add(code)
            if _text(attrs[idx["disposal_final"]]):
                kept += 1
            elif code and code in carried:
                for name, value in carried[code].items():
                    attrs[idx[name]] = value
                carried_n += 1
            out = QgsFeature(fields)
            out.setGeometry(f.geometry())
            out.setAttributes(attrs)
            sink.add(out)
        return kept, carried_n, seen_codes
