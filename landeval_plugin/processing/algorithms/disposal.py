"""landeval:disposal — 处置方案: a proposed path per parcel from a rule set (core/disposal.py)."""
import json

from qgis.core import (QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsProcessing, QgsProcessingOutputString,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterNumber, QgsProcessingParameterString, QgsSettings)
from qgis.PyQt.QtCore import QVariant

from ...core import disposal
from ...core.cluster import _text
from ..base import LandEvalAlgorithm
from .clusters import StyleOnLoad

FIELD_TYPES = {"disposal": QVariant.String, "disposal_reason": QVariant.String,
               "in_development_boundary": QVariant.Bool, "in_industrial_line": QVariant.Bool,
               "disposal_final": QVariant.String, "disposal_override_reason": QVariant.String}


def output_fields(source_fields):
    fields = QgsFields(source_fields)
    for name in disposal.OUTPUT_FIELDS:
        if fields.lookupField(name) < 0:
            fields.append(QgsField(name, FIELD_TYPES[name]))
    return fields


class DisposalAlgorithm(LandEvalAlgorithm):
    NAME = "disposal"
    INPUT, RULESET, DEVELOPMENT_BOUNDARY, INDUSTRIAL_LINE = "INPUT", "RULESET", "DEVELOPMENT_BOUNDARY", "INDUSTRIAL_LINE"
    SHARE, PREVIOUS, OUTPUT = "SHARE", "PREVIOUS", "OUTPUT"

    def displayName(self):  # noqa: N802
        return self.tr("Disposal paths (处置方案)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):  # noqa: N802
        presets = "\n".join("• {} — {}".format(pid, name) for pid, name in disposal.list_presets())
        return self.tr(
            "Proposes a disposal path for every parcel from a rule set and writes disposal, disposal_reason "
            "(in Chinese), in_development_boundary and in_industrial_line.\n\n"
            "Rule set: a preset id or the path of a YAML file with the same keys (id, name, paths, rules: "
            "when / disposal / reason). Rules are tried in order; the first whose condition (a QGIS expression) "
            "holds gives the path. \"grade\" is the reviewed grade when there is one.\n\n"
            "A parcel is inside the development boundary or industrial line when at least the given share of its "
            "area lies inside those polygons (any CRS; reprojected). Without a planning layer, fields of the same "
            "name on the parcels are used.\n\n"
            "Paths decided in review (disposal_final, disposal_override_reason) are kept, and carried from an "
            "earlier output by parcel code.\n\nPresets:\n{}").format(presets)

    def initAlgorithm(self, config=None):  # noqa: N802
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
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with disposal paths"), QgsProcessing.TypeVectorPolygon))
        self.addOutput(QgsProcessingOutputString("SUMMARY", self.tr("Parcels per disposal path (JSON)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer (INPUT) cannot be read."))
        ruleset_text = self.parameterAsString(parameters, self.RULESET, context)
        boundary = self.parameterAsSource(parameters, self.DEVELOPMENT_BOUNDARY, context)
        line = self.parameterAsSource(parameters, self.INDUSTRIAL_LINE, context)
        previous = self.parameterAsSource(parameters, self.PREVIOUS, context)
        share = self.parameterAsDouble(parameters, self.SHARE, context)
        try:
            ruleset = disposal.load_ruleset(ruleset_text)
            feedback.pushInfo(self.tr("Rule set: {} ({})").format(ruleset.name, ruleset.id))
            proposals, report = disposal.propose(source, ruleset, boundary, line, share, context, feedback,
                                                 source.sourceName())
            carried = disposal.previous_reviews(previous) if previous is not None else {}
        except disposal.DisposalError as exc:
            self.fail(str(exc))
        if proposals is None or feedback.isCanceled():
            return {}
        for w in report["warnings"]:
            feedback.pushWarning(w)
        for fid, key, err in report["eval_errors"][:20]:
            feedback.reportError(self.tr("Parcel {}: {} cannot be evaluated: {}").format(fid, key, err))
        if report["no_geometry"]:
            feedback.reportError(self.tr("{} parcels have no geometry: their location is unknown (feature ids: {}).").format(
                len(report["no_geometry"]), ", ".join(str(x) for x in report["no_geometry"][:50])))

        fields = output_fields(source.fields())
        idx = {name: fields.lookupField(name) for name in disposal.OUTPUT_FIELDS}
        idx_code = fields.lookupField("parcel_code")
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        if sink is None:
            self.fail(self.tr("Cannot create the disposal output."))
        kept = carried_n = 0
        seen_codes = set()
        for f in source.getFeatures():
            p = proposals.get(f.id())
            attrs = list(f.attributes()) + [None] * (fields.count() - len(f.attributes()))
            attrs[idx["disposal"]] = p.disposal
            attrs[idx["disposal_reason"]] = p.reason
            for name in disposal.LOCATION_FIELDS:
                attrs[idx[name]] = p.location[name]
            code = _text(attrs[idx_code]) if idx_code >= 0 else None
            if code:
                seen_codes.add(code)
            if _text(attrs[idx["disposal_final"]]):
                kept += 1
            elif code and code in carried:
                attrs[idx["disposal_final"]], attrs[idx["disposal_override_reason"]] = carried[code]
                carried_n += 1
            out = QgsFeature(fields)
            out.setGeometry(f.geometry())
            out.setAttributes(attrs)
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        counts = ", ".join("{}: {}".format(k if k else self.tr("no path"), v)
                           for k, v in sorted(report["counts"].items(), key=lambda kv: -kv[1]))
        feedback.pushInfo(self.tr("Proposed paths: {}").format(counts))
        if kept or carried_n:
            feedback.pushInfo(self.tr("{} reviewed paths kept, {} carried forward from the earlier output.").format(kept, carried_n))
        lost = sorted(set(carried) - seen_codes)
        if lost:
            feedback.reportError(self.tr("{} reviewed parcels of the earlier output are not in the input (parcel codes: {}).").format(
                len(lost), ", ".join(lost[:50])))
        StyleOnLoad.attach(context, dest, "disposal.qml", self.tr("Disposal paths ({})").format(ruleset.name))
        QgsSettings().setValue("landeval/disposal/ruleset", ruleset_text)
        counts = {str(k): v for k, v in report["counts"].items()}
        # COUNTS for Python callers; SUMMARY as text, which qgis_process and models can show
        return {self.OUTPUT: dest, "COUNTS": counts, "SUMMARY": json.dumps(counts, ensure_ascii=False)}
