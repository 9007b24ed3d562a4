"""landeval:buildbaselayer — 一张图 from several sources by priority (core/basemap/basemap.py does the work)."""
import os
import threading

from qgis.core import (
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProviderRegistry,
)

from ...core import files
from ...core.basemap import landuse
from .. import store_sink
from ..base import LandEvalAlgorithm


def display_name(layer, raw=None):
    """A readable source name: the GeoPackage layer name, the table, or the file name."""
    if layer.providerType() == "ogr":
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        if parts.get("layerName"):
            return parts["layerName"]
        if parts.get("path"):
            return os.path.splitext(os.path.basename(parts["path"]))[0]
    if layer.providerType() == "postgres":
        parts = QgsProviderRegistry.instance().decodeUri("postgres", layer.source())
        if parts.get("table"):
            return parts["table"]
    return layer.name() or str(raw or "")


class BuildBaseLayer(LandEvalAlgorithm):
    NAME = "buildbaselayer"
    SOURCES = "SOURCES"
    ROLES = "ROLES"
    MAPPINGS = "MAPPINGS"
    LAND_USE_PRESET = "LAND_USE_PRESET"
    TARGET_CRS = "TARGET_CRS"
    MIN_PIECE_M2 = "MIN_PIECE_M2"
    CODE_PREFIX = "CODE_PREFIX"
    PREVIOUS = "PREVIOUS"
    OUTPUT = "OUTPUT"
    QA_OUTPUT = "QA_OUTPUT"

    def displayName(self):
        return self.tr("Build industrial land base map (一张图)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Builds one authoritative layer of industrial, warehouse and R&D parcels from several sources.\n\n"
            "SOURCES: polygon layers, highest priority first (default roles in this order: 不动产登记, 用地批文, "
            "土地利用现状, then other). Where sources overlap, the higher-priority parcel wins; leftover parts of "
            "lower-priority parcels are kept when larger than MIN_PIECE_M2 and reported otherwise.\n"
            "ROLES: optional, comma separated in source order, e.g. 不动产登记,用地批文,土地利用现状.\n"
            "MAPPINGS: optional JSON fixing the detected fields, per source (list) or by layer name, e.g. "
            "{\"tdlyxz\": {\"parcel_code\": \"BSM\", \"land_use_raw\": \"DLBM\"}}.\n"
            "LAND_USE_PRESET: which class lists count (resources/landuse/*.yaml); all of them by default.\n"
            "Codes: a valid 19-character 宗地代码 is kept when unique; with PREVIOUS, a parcel overlapping one of "
            "last year's by at least 90% (IoU) keeps that code; others get CODE_PREFIX-town-sequence by position.\n"
            "QA_OUTPUT lists every repaired geometry, overlap, sliver, duplicate code, missing land use and the "
            "area accounting. GBK Shapefiles are detected with or without .cpg.")

    def preset_options(self):
        return [self.tr("All presets")] + [p.short for p in landuse.presets()]

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.SOURCES, self.tr("Source layers (highest priority first)"), QgsProcessing.TypeVectorAnyGeometry))
        self.addParameter(QgsProcessingParameterString(
            self.ROLES, self.tr("Roles in source order (comma separated)"), defaultValue="", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.MAPPINGS, self.tr("Field mappings (JSON, optional)"), defaultValue="", multiLine=True, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.LAND_USE_PRESET, self.tr("Land-use classification preset"), options=self.preset_options(),
            defaultValue=0))
        self.addParameter(QgsProcessingParameterCrs(
            self.TARGET_CRS, self.tr("Target CRS (default: the first source's)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_PIECE_M2, self.tr("Minimum leftover piece (m²)"), QgsProcessingParameterNumber.Double,
            defaultValue=50.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterString(
            self.CODE_PREFIX, self.tr("Prefix of generated parcel codes"), defaultValue="LE", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.PREVIOUS, self.tr("Previous base map (keeps its codes)"), [QgsProcessing.TypeVectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.OUTPUT, self.tr("Base map"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.QA_OUTPUT, self.tr("QA report"), QgsProcessing.TypeVectorPolygon, defaultValue="TEMPORARY_OUTPUT",
            optional=True, createByDefault=True))
        store_sink.add_parameters(self)
        self.addOutput(QgsProcessingOutputNumber("PARCEL_COUNT", self.tr("Parcels in the base map")))
        self.addOutput(QgsProcessingOutputNumber("AREA_M2", self.tr("Base map area (m²)")))
        self.addOutput(QgsProcessingOutputNumber("QA_COUNT", self.tr("QA rows written")))

    def _source_layers(self, parameters, context):
        """Layers in the given order; an entry that cannot be loaded is named in the error."""
        raw = self.prepared(parameters).get(self.SOURCES)  # the private copies made on the main thread
        if raw is None or raw == "":
            self.fail(self.tr("No source layers given."))
        if not isinstance(raw, (list, tuple)):
            raw = [raw] if not isinstance(raw, str) else [r for r in raw.split(";") if r]
        layers = []
        for value in raw:
            layer = value if isinstance(value, QgsMapLayer) else None
            # a text is looked up (and loaded) only on the main thread: in the worker it is one
            # prepareAlgorithm could not load, and a lookup there would reach the project (issue 18)
            if layer is None and threading.current_thread() is threading.main_thread():
                layer = QgsProcessingUtils.mapLayerFromString(str(value), context, True,
                                                              QgsProcessingUtils.LayerHint.Vector)
            if layer is None or not layer.isValid() or layer.type() != QgsMapLayer.VectorLayer:
                self.fail(self.tr("Source {} cannot be read (file missing or not a vector layer).").format(value))
            layers.append((layer, display_name(layer, value)))
        return layers

    def checkParameterValues(self, parameters, context):
        """An unreadable source is named (the generic check only says 'SOURCES')."""
        try:
            self._source_layers(parameters, context)
        except QgsProcessingException as exc:
            return False, str(exc)
        return super().checkParameterValues(parameters, context)

    def _process(self, parameters, context, feedback):
        from ...core.basemap import basemap, source_reader  # loaded when the algorithm runs, not when listed

        layers = self._source_layers(parameters, context)
        names = [name for _, name in layers]
        try:
            roles = source_reader.parse_roles(self.parameterAsString(parameters, self.ROLES, context), len(layers))
            mappings = source_reader.parse_mappings(self.parameterAsString(parameters, self.MAPPINGS, context), names)
        except source_reader.SourceError as exc:
            self.fail(str(exc))
        preset_index = self.parameterAsEnum(parameters, self.LAND_USE_PRESET, context)
        keys = landuse.preset_keys()
        presets = None if preset_index <= 0 or preset_index > len(keys) else [keys[preset_index - 1]]
        crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        previous = self.parameterAsVectorLayer(parameters, self.PREVIOUS, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        qa_output = self.parameterAsOutputLayer(parameters, self.QA_OUTPUT, context) or None
        # before any work: neither output may be a source or the previous base map
        self.guard_outputs(parameters, context, [self.SOURCES, self.PREVIOUS], paths=[output, qa_output])
        store_ref, store_year = store_sink.prepare(self, parameters, context)
        sources = [basemap.Source(layer, role, mapping, name)
                   for (layer, name), role, mapping in zip(layers, roles, mappings)]
        try:
            summary = basemap.build(
                sources, output, qa_output, target_crs=crs if crs.isValid() else None, presets=presets,
                min_piece_m2=self.parameterAsDouble(parameters, self.MIN_PIECE_M2, context),
                code_prefix=self.parameterAsString(parameters, self.CODE_PREFIX, context),
                previous=previous, feedback=feedback, transform_context=context.transformContext())
        except (source_reader.SourceError, files.OutputError) as exc:
            self.fail(str(exc))
        except basemap.Cancelled as cause:
            raise QgsProcessingException(self.tr("Base map cancelled; nothing was written.")) from cause
        for src in sources:
            feedback.pushInfo(self.tr("Source {} ({}): mapping {}").format(
                src.name, source_reader.ROLE_LABELS.get(src.role, src.role),
                ", ".join("{}={}".format(k, v) for k, v in src.mapping.items())))
        results = {self.OUTPUT: output, "PARCEL_COUNT": summary["count"], "AREA_M2": summary["out_m2"],
                   "QA_COUNT": summary["qa_count"]}
        if qa_output:
            results[self.QA_OUTPUT] = qa_output
        if store_ref:  # the base map (一张图) of the year, in one transaction
            results["RUN_ID"] = store_sink.write_step(
                store_ref, store_year, "basemap", [("base_map", output)], context, feedback,
                parameters={"sources": names, "roles": roles, "code_prefix": self.parameterAsString(
                    parameters, self.CODE_PREFIX, context)},
                counts={"parcels": summary["count"], "area_m2": summary["out_m2"], "qa": summary["qa_count"]},
                output=output)
        return results
