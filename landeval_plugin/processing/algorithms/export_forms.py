"""landeval:exportforms — 一地一表 workbooks, one per town, one protected sheet per parcel."""
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QDate

from ...core import schema
from ...core import values as _values
from ...core.files import write_failed
from ...core.units import AreaMeter
from ..base import LandEvalAlgorithm
from .join_enterprises import SKIP_VALIDITY, detect_parcel_field


def _value(v):
    return _values.plain(v)


class ExportForms(LandEvalAlgorithm):
    NAME = "exportforms"
    INPUT, ENTERPRISES, YEAR, PARCEL_FIELD, TOWN_FIELD, OUTPUT_FOLDER = (
        "INPUT", "ENTERPRISES", "YEAR", "PARCEL_FIELD", "TOWN_FIELD", "OUTPUT_FOLDER")

    def displayName(self):
        return self.tr("Export one-parcel-one-form workbooks (一地一表)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Writes one workbook per town with one protected sheet per parcel: parcel facts, the parcel situation "
            "(drop-down lists for yes/no and categories) and the enterprises on the parcel, one row per enterprise "
            "and year, pre-filled from the enterprises table of 'Join enterprise data to parcels'. Only the white "
            "cells can be edited; numbers are checked on input; instructions are in Chinese. The filled-in "
            "workbook is read back by 'Join enterprise data to parcels' (leave the sheet empty) with the same "
            "values. Existing files are never overwritten.")

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcel layer"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.ENTERPRISES, self.tr("Enterprises table (from the join step)"), [QgsProcessing.TypeVector],
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Evaluation year"), QgsProcessingParameterNumber.Integer,
            defaultValue=QDate.currentDate().year() - 1, minValue=1990, maxValue=2100))
        self.addParameter(QgsProcessingParameterField(
            self.PARCEL_FIELD, self.tr("Parcel code field (empty: detect 宗地代码)"),
            parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.TOWN_FIELD, self.tr("Town field (empty: detect 所属镇街)"), parentLayerParameterName=self.INPUT,
            optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder")))
        self.addOutput(QgsProcessingOutputMultipleLayers("FILES", self.tr("Workbooks written")))
        self.addOutput(QgsProcessingOutputNumber("PARCELS", self.tr("Parcels exported")))

    def _process(self, parameters, context, feedback):
        # the forms writer loads when the algorithm runs, not when QGIS lists the algorithms
        from ...core.enterprise.enterprise_clean import clean_code
        from ...core.enterprise.forms import attribute_fields, export_forms
        from ...core.enterprise.header import value_fields

        source = self.parameterAsSource(parameters, self.INPUT, context)
        ents = self.parameterAsSource(parameters, self.ENTERPRISES, context)
        year = self.parameterAsInt(parameters, self.YEAR, context)
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        # before any work: the folder may not be an input file (forms never replace a file: new names)
        self.guard_outputs(parameters, context, [self.INPUT, self.ENTERPRISES], paths=[folder])
        names = source.fields().names()
        parcel_field = self.parameterAsString(parameters, self.PARCEL_FIELD, context) or detect_parcel_field(names)
        if not parcel_field or parcel_field not in names:
            self.fail(
                self.tr("The parcel layer has no parcel code field (宗地代码); choose one in 'Parcel code field'."))
        detected = schema.detect_mapping(names, wanted=["town", "address", "owner", "land_use", "land_use_raw"])
        town_field = self.parameterAsString(parameters, self.TOWN_FIELD, context) or detected.get("town")
        attr_fields = {f: f for f in attribute_fields() if f in names}
        attr_fields.update({f: col for f, col in schema.detect_mapping(names, wanted=attribute_fields()).items()
                            if f not in attr_fields})
        meter = AreaMeter(source.sourceCrs(), context.transformContext())
        parcels = []
        by_code = {}
        for f in source.getFeatures(QgsFeatureRequest(), SKIP_VALIDITY):
            code, _ = clean_code(f[parcel_field])
            if not code:
                feedback.pushWarning(self.tr("Feature {} has no parcel code: no form.").format(f.id()))
                continue
            if code in by_code:  # several features of one parcel: one form, their areas added
                first = by_code[code]
                if f.hasGeometry():
                    first["area_m2"] = (first["area_m2"] or 0.0) + meter.m2(f.geometry())
                feedback.pushWarning(self.tr("Feature {} shares the parcel code {}: one form for both, areas added.")
                                     .format(f.id(), code))
                continue
            item = {"parcel_code": code, "town": _value(f[town_field]) if town_field else None,
                    "area_m2": meter.m2(f.geometry()) if f.hasGeometry() else None}
            for key in ("address", "owner"):
                item[key] = _value(f[detected[key]]) if key in detected else None
            land_col = detected.get("land_use") or detected.get("land_use_raw")
            item["land_use"] = _value(f[land_col]) if land_col else None
            for field, col in attr_fields.items():
                item[field] = _value(f[col])
            parcels.append(item)
            by_code[code] = item
        enterprises = {}
        if ents is not None:
            fields = ents.fields().names()
            missing = [n for n in ("parcel_code", "year") if n not in fields]
            if missing:
                self.fail(self.tr("The enterprises table lacks the fields {}; use the table written by the join step.")
                          .format(", ".join(missing)))
            wanted_years = {year, year - 1, year - 2}
            for f in ents.getFeatures():
                y = _value(f["year"])
                if y is None or int(y) not in wanted_years:
                    continue
                values = {n: _value(f[n]) for n in value_fields() if n in fields}
                values = {k: v for k, v in values.items() if v is not None}
                code, _ = clean_code(f["parcel_code"])
                enterprises.setdefault(code, []).append((
                    _value(f["credit_code"]) if "credit_code" in fields else None,
                    _value(f["enterprise_name"]) if "enterprise_name" in fields else None,
                    int(y), _value(f["scale"]) if "scale" in fields else None, values))
        if not parcels:
            self.fail(self.tr("No parcel with a parcel code: nothing to export."))
        try:
            files = export_forms(parcels, enterprises, year, folder, feedback=feedback)
        except OSError as exc:
            self.fail(str(write_failed(getattr(exc, "filename", None) or folder, exc)))
        if feedback.isCanceled():
            return {}
        for path in files:
            feedback.pushInfo(self.tr("Wrote {}").format(path))
        feedback.pushInfo(self.tr("{} parcels in {} workbooks").format(len(parcels), len(files)))
        return {self.OUTPUT_FOLDER: folder, "FILES": files, "PARCELS": len(parcels)}
