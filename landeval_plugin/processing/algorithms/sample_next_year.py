"""landeval:samplenextyear: the sample district's next evaluation year (some parcels improve, some
decline, some are split), for trying out two-year comparisons (landeval:comparerounds)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
)

from ...core import limits
from ...core.sample import sample_next_year
from ..base import LandEvalAlgorithm


class SampleNextYearAlgorithm(LandEvalAlgorithm):
    NAME = "samplenextyear"

    def displayName(self):
        return self.tr("Generate the sample district's next year")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "From a parcel data layer of one year (the data step's output, with parcel_code) writes the next year: "
            "about 15% of the parcels improve (money values × 2–4), 15% decline (× 0.2–0.5), 3% are split in two "
            "(new codes; prev_codes names the parent), the rest stay within ±5%; earlier years shift (_y1, _y2). "
            "SEED makes it reproducible. Sample data only.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", self.tr("Parcel data of one year"),
                                                              [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterNumber("SEED", self.tr("Random seed"),
                                                       QgsProcessingParameterNumber.Integer, defaultValue=2))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Parcel data of the next year")))
        self.addOutput(QgsProcessingOutputString("CHANGES", self.tr("Parcels per kind of change (JSON)")))

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None or source.fields().indexOf("parcel_code") < 0:
            self.fail(self.tr("The parcel layer needs a parcel_code field."))
        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        fields, features, kinds = sample_next_year.next_year(
            layer, seed=self.parameterAsInt(parameters, "SEED", context))
        sink = self.open_sink(parameters, "OUTPUT", context, fields, source.wkbType(), source.sourceCrs())
        try:
            sink.add_many(features)
            dest = sink.close()
        finally:
            sink.discard()
        counts = {}
        for kind, _ in kinds.values():
            counts[kind] = counts.get(kind, 0) + 1
        feedback.pushInfo(self.tr("Next year: {}").format(limits.json_dumps(counts)))
        return {"OUTPUT": dest, "CHANGES": limits.json_dumps(counts)}
