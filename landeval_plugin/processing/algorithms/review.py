"""landeval:review: 研判 — set the final class of chosen parcels with a reason, into a new layer."""
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsFeature,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ...core import review
from ...core.grading import grade as grading
from ...core.grading.standard import GRADE_NAMES, GRADES
from .. import store_sink
from ..base import LandEvalAlgorithm
from ..postprocess import style_on_load


class ReviewAlgorithm(LandEvalAlgorithm):
    NAME = "review"
    INPUT, FILTER, CODES, GRADE, REASON, BY, OUTPUT = "INPUT", "FILTER", "CODES", "GRADE", "REASON", "BY", "OUTPUT"

    def displayName(self):
        return self.tr("Review parcel grades (研判)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Sets the final class (grade_final) of the parcels matching FILTER or listed in CODES (宗地代码, "
            "comma separated), with a required reason, the reviewer and the time. The computed grade stays; "
            "the grade map shows the final class. All parcels are written to the output; re-grading later "
            "keeps the review.") + "\n" + self.tr(
            "STORE (optional): a LandEval store; each decision is also recorded there (YEAR: the evaluation year, "
            "0 = the store's latest).")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, self.tr("Graded parcels"),
                                                              [QgsProcessing.TypeVector]))
        self.addParameter(QgsProcessingParameterExpression(self.FILTER, self.tr("Parcels to review (expression)"),
                                                           parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterString(self.CODES, self.tr("Or parcel codes (comma separated)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.GRADE, self.tr("Final class"), ["{} {}".format(g, GRADE_NAMES[g]) for g in GRADES], defaultValue=1))
        self.addParameter(QgsProcessingParameterString(self.REASON, self.tr("Reason (required)"), multiLine=True))
        self.addParameter(QgsProcessingParameterString(self.BY, self.tr("Reviewer"), defaultValue=review.reviewer(),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Reviewed parcels")))
        for param in (QgsProcessingParameterString("STORE", self.tr(
                "Also record into the LandEval store (GeoPackage path or postgres://connection/schema)"),
                optional=True),
                QgsProcessingParameterNumber("YEAR", self.tr("Evaluation year in the store (0 = its latest)"),
                                             QgsProcessingParameterNumber.Integer, defaultValue=0, minValue=0,
                                             maxValue=2100, optional=True)):
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)
        self.addOutput(QgsProcessingOutputNumber("REVIEWED", self.tr("Parcels reviewed")))


    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("Cannot read the parcel layer."))
        self.guard_outputs(parameters, context, [self.INPUT], layers=[self.OUTPUT])
        grade = GRADES[self.parameterAsEnum(parameters, self.GRADE, context)]
        try:
            values = review.review_values(grade, self.parameterAsString(parameters, self.REASON, context),
                                          self.parameterAsString(parameters, self.BY, context) or None)
        except review.ReviewError as exc:
            raise QgsProcessingException(str(exc)) from exc
        raw = parameters.get(self.FILTER)  # as given: parameterAsExpression() drops an unparsable one
        filt = str(raw) if isinstance(raw, str) and raw.strip() else self.parameterAsExpression(
            parameters, self.FILTER, context)
        codes = {c.strip() for c in (self.parameterAsString(parameters, self.CODES, context)
                                     or "").replace("，", ",").split(",") if c.strip()}
        if not filt and not codes:
            self.fail(self.tr("Name the parcels to review: a FILTER expression or parcel CODES."))
        names = source.fields().names()
        if codes and "parcel_code" not in names:
            self.fail(self.tr("CODES needs a parcel_code field on the layer."))
        expr = None
        ctx = QgsExpressionContext()
        if filt:
            expr = QgsExpression(filt)
            if expr.hasParserError():
                self.fail(self.tr("Filter expression error: {}").format(expr.parserErrorString()))
            ctx = self.createExpressionContext(parameters, context, source)
            expr.prepare(ctx)
        store_ref = self.parameterAsString(parameters, "STORE", context) if parameters.get("STORE") else ""
        store_year = self.parameterAsInt(parameters, "YEAR", context) if parameters.get("YEAR") else 0
        if store_ref:
            if "parcel_code" not in names:
                self.fail(self.tr("Recording reviews into a store needs a parcel_code field on the layer."))
            store_sink.check(store_ref, store_year or 1)
        fields, keep = grading.output_fields(source.fields())
        prev_idx = {n: names.index(n) for n in grading.OUTPUT_FIELDS + grading.REVIEW_FIELDS if n in names}
        sink = self.open_sink(parameters, self.OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        try:
            dest, count, counts, seen_codes = self._write(sink, source, feedback, codes, expr, ctx, values, prev_idx,
                                                          keep, fields)
        finally:
            sink.discard()
        if dest is None:
            return {}
        missing = sorted(codes - seen_codes)
        if missing:
            feedback.reportError(self.tr("Parcel codes not found: {}").format(", ".join(missing)))
        feedback.pushInfo(self.tr("{} parcel(s) reviewed as {}.").format(count, grade))
        if store_ref:
            store_sink.write_reviews(store_ref, store_year, self._reviewed_codes, values, feedback)
        style_on_load(context, dest, lambda layer: grading.apply_style(layer, "grade", None))
        return {self.OUTPUT: dest, "REVIEWED": count}

    def _write(self, sink, source, feedback, codes, expr, ctx, values, prev_idx, keep, fields):
        """Every parcel into the checked sink; (destination or None when cancelled, reviewed, counts, codes seen)."""
        total = source.featureCount() or 1
        count, seen_codes = 0, set()
        self._reviewed_codes = set()
        counts = {}
        for k, f in enumerate(source.getFeatures()):
            if feedback.isCanceled():
                return None, count, counts, seen_codes
            attrs = f.attributes()
            hit = False
            if codes and str(f["parcel_code"]) in codes:
                hit = True
                seen_codes.add(str(f["parcel_code"]))
            if expr is not None and not hit:
                ctx.setFeature(f)
                hit = bool(expr.evaluate(ctx))
            prev = {n: attrs[i] for n, i in prev_idx.items()}
            extra = [prev.get(n) for n in grading.OUTPUT_FIELDS] + [prev.get(n) for n in grading.REVIEW_FIELDS]
            if hit:
                extra[len(grading.OUTPUT_FIELDS):] = [values[n] for n in grading.REVIEW_FIELDS]
                count += 1
                if f.fields().indexOf("parcel_code") >= 0:
                    code = grading.to_text(f["parcel_code"])
                    if code:
                        self._reviewed_codes.add(code)
            out = QgsFeature(fields)
            out.setGeometry(f.geometry())
            out.setAttributes([attrs[i] for i in keep] + extra)
            sink.add(out)
            final = grading.to_text(extra[len(grading.OUTPUT_FIELDS)]) or grading.to_text(extra[0])
            n, mu = counts.get(final, (0, 0.0))
            counts[final] = (n + 1, mu)
            feedback.setProgress(100.0 * k / total)
        return sink.close(), count, counts, seen_codes
