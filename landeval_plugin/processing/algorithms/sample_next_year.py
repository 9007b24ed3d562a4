"""landeval:samplenextyear: the sample district's next evaluation year (some parcels improve, some
decline, some are split), for trying out two-year comparisons (landeval:comparerounds)."""
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
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
            "SEED makes it reproducible. Sample data only.\n\n"
            "STORE (optional, with YEAR: the year of the input): parcels fixed under D. A share (FIXED) of the "
            "year's class D parcels in the store go through the disposal register to 已完成 (整治提升 done; rows "
            "added when missing); they and the parcels already 已完成 improve next year, about half strongly "
            "(they should leave the list, 出库), half a little (still low-efficiency after improvement). Grade the "
            "next year into the store and compare the years (landeval:comparerounds) to see them.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource("INPUT", self.tr("Parcel data of one year"),
                                                              [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterNumber("SEED", self.tr("Random seed"),
                                                       QgsProcessingParameterNumber.Integer, defaultValue=2))
        self.addParameter(QgsProcessingParameterString("STORE", self.tr(
            "LandEval store whose class D parcels get fixed (GeoPackage path or postgres://connection/schema)"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber("YEAR", self.tr("Evaluation year of the input in the store "
                                                                       "(0 = the store's latest)"),
                                                       QgsProcessingParameterNumber.Integer, defaultValue=0,
                                                       minValue=0, maxValue=2100, optional=True))
        self.addParameter(QgsProcessingParameterNumber("FIXED", self.tr("Share of the class D parcels fixed (已完成)"),
                                                       QgsProcessingParameterNumber.Double, defaultValue=0.4,
                                                       minValue=0.0, maxValue=1.0, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", self.tr("Parcel data of the next year")))
        self.addOutput(QgsProcessingOutputString("CHANGES", self.tr("Parcels per kind of change (JSON)")))
        self.addOutput(QgsProcessingOutputString("FIXED_CODES", self.tr("Parcels fixed under D (JSON list)")))

    def _process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None or source.fields().indexOf("parcel_code") < 0:
            self.fail(self.tr("The parcel layer needs a parcel_code field."))
        layer = self.parameterAsVectorLayer(parameters, "INPUT", context)
        seed = self.parameterAsInt(parameters, "SEED", context)
        fixed, to_mark, year = [], [], None
        ref = self.parameterAsString(parameters, "STORE", context) if parameters.get("STORE") else ""
        if ref:
            from ...core import store as stores

            share = self.parameterAsDouble(parameters, "FIXED", context) if parameters.get("FIXED") is not None \
                else 0.4
            try:
                store = stores.open_store(ref)
                try:
                    years = store.years()
                    year = self.parameterAsInt(parameters, "YEAR", context) or (years[-1] if years else 0)
                    if year not in years:
                        raise stores.StoreError(self.tr("{} holds no evaluation year {} (years: {}).").format(
                            store.describe(), year or "-", ", ".join(str(y) for y in years) or "-"))
                    fixed, to_mark = sample_next_year.pick_fixed(store, year, share, seed)
                finally:
                    store.close()
            except stores.StoreError as exc:
                self.fail(str(exc))
        fields, features, kinds = sample_next_year.next_year(layer, seed=seed, fixed=fixed)
        sink = self.open_sink(parameters, "OUTPUT", context, fields, source.wkbType(), source.sourceCrs())
        try:
            sink.add_many(features)
            dest = sink.close()
        finally:
            sink.discard()
        if ref:  # the output is written: now the register, in one transaction
            from ...core import store as stores

            try:
                store = stores.open_store(ref)
                try:
                    sample_next_year.mark_fixed(store, year, to_mark)
                finally:
                    store.close()
            except stores.StoreError as exc:
                self.fail(self.tr("The result {} was written, but the store was not changed: {}").format(dest, exc))
            feedback.pushInfo(self.tr("{} parcels of class D fixed (已完成) in the register of {}.").format(
                len(fixed), year))
        counts = {}
        for kind, _ in kinds.values():
            counts[kind] = counts.get(kind, 0) + 1
        feedback.pushInfo(self.tr("Next year: {}").format(limits.json_dumps(counts)))
        return {"OUTPUT": dest, "CHANGES": limits.json_dumps(counts), "FIXED_CODES": limits.json_dumps(fixed)}
