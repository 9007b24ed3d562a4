"""Common base for LandEval Processing algorithms: naming, translation, groups, help,
and the output rules of docs/reliability/outputs.md (inputs never written, writes checked)."""
import os

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsMapLayer,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterBoolean,
    QgsProcessingUtils,
    QgsProperty,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

from .. import compat
from ..core import aliases, files, gpkg_rtree
from ..core.formats import csv_text
from ..i18n import tr, tr_for_caller, tr_noop

# the documents each step follows (the help's last section); grade and disposal name their presets' own
BASES = {
    "sampledistrict": tr_noop(
        "Generated data of no real district, in the forms the other steps read: EPSG:4549 (CGCS2000 / 3-degree "
        "Gauss-Kruger CM 120E), 不动产登记 and 三调 field names, 19-character 宗地代码, 统一社会信用代码 with GB "
        "32100-2015 check digits (docs/DEVELOPING.md, sample district contract)."),
    "buildbaselayer": tr_noop(
        "Priority 不动产登记 > 用地批文 > 土地利用现状 (底数清, the first step of the evaluation); land-use classes of "
        "GB 50137-2011, the 三调 classification and the 2023 国土空间调查、规划、用途管制用地用海分类 "
        "(resources/landuse); 19-character 宗地代码 (docs/basemap.md)."),
    "joinenterprises": tr_noop(
        "统一社会信用代码 check digits of GB 32100-2015; the indicators (亩均税收, 地均产值 ...) as the standards "
        "define them (resources/schema/fields.yaml); docs/data.md."),
    "exportforms": tr_noop(
        "一地一表: the survey form of each parcel that enterprises and towns fill in, read back by the data step "
        "(docs/data.md)."),
    "review": tr_noop(
        "The review meeting's decision (研判, 联合研判) beside the computed class, as the standards provide for "
        "(docs/standards.md)."),
    "clusters": tr_noop(
        "连片整治 of contiguous low-efficiency land, as in Tonglu's 2022-2024 three-year action plan "
        "(桐政办〔2022〕7号) and the renovation areas of the other presets (docs/clusters.md)."),
    "statistics": tr_noop(
        "Counts, 亩 and 万元 as the layer holds them: the class is the reviewed one when there is one "
        "(coalesce(grade_final, grade)), the path likewise (coalesce(disposal_final, disposal)); 1 亩 = 10000/15 m² "
        "(docs/meeting.md)."),
    "exportmap": tr_noop(
        "The presentation map of a review meeting (研判会, 挂图作战): title, date, legend with counts and 亩, "
        "scale bar and north arrow (docs/meeting.md)."),
    "lists": tr_noop(
        "The published lists (A-class list, 重点服务企业名单, low-efficiency list) in the form districts attach "
        "to their documents (docs/meeting.md)."),
    "createstore": tr_noop(
        "The LandEval store (存储库): one schema for every evaluation year, its runs, review decisions and the "
        "disposal register (台账), resources/store/schema.yaml (README, The LandEval store)."),
    "storeexport": tr_noop(
        "The store's backup: every table copied and compared (rows and SHA-256); nothing is written on a "
        "difference (README, The LandEval store)."),
    "storeimport": tr_noop(
        "A store's backup restored into a new or empty store, every table compared (README, The LandEval store)."),
    "comparerounds": tr_noop(
        "复评: two evaluation years of a store compared parcel by parcel, by code lineage (prev_codes) "
        "(README, The LandEval store)."),
    "registerexport": tr_noop(
        "Tonglu's workflow (初步清单 → 属地核实 → 审核认定 → 建档入库 → 整治提升 → 评估出库) and Taicang's "
        "专项工作台账 (README, The LandEval store)."),
    "samplenextyear": tr_noop(
        "Generated data of no real district: the sample district one year later, to try a second round "
        "(复评) (README, demo step 85)."),
    "dossiers": tr_noop(
        "一地一档: one A4 sheet per parcel for the file, the enterprise and the review meeting, with the standard's "
        "document and assumptions printed on it (docs/dossiers.md)."),
}


class LandEvalAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, and implement displayName/group/shortHelpString via tr().

    The help shown in the toolbox is the subclass's text followed by three sections made here:
    the inputs and the outputs (each parameter's description and name) and the documents the
    step follows (``basis()``: BASES, or the subclass's own)."""

    NAME = None
    GROUP_ID = "landeval"
    OVERWRITE = "OVERWRITE"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("shortHelpString")
        if own is not None and not getattr(own, "composed", False):
            def shortHelpString(self, _own=own):
                return self.compose_help(_own(self))

            shortHelpString.composed = True
            cls.shortHelpString = shortHelpString

    def basis(self):
        """The documents this step follows, in the user's language ("" when none is known)."""
        text = BASES.get(self.NAME)
        return tr(text) if text else ""

    def compose_help(self, text):
        from qgis.core import Qgis, QgsProcessingParameterDefinition

        flag = getattr(Qgis, "ProcessingParameterFlag", None)  # 3.36+; the old name stays on 3.22
        hidden = flag.Hidden if flag is not None else QgsProcessingParameterDefinition.FlagHidden
        parts = [(text or "").strip()]
        inputs, outputs, seen = [], [], set()
        for d in self.parameterDefinitions():
            if d.flags() & hidden:
                continue
            line = "• {} ({})".format(d.description(), d.name())
            (outputs if d.isDestination() else inputs).append(line)
            if d.isDestination():
                seen.add(d.name())
        for d in self.outputDefinitions():
            if d.name() not in seen:
                outputs.append("• {} ({})".format(d.description(), d.name()))
        if inputs:
            parts.append(tr("Inputs:") + "\n" + "\n".join(inputs))
        if outputs:
            parts.append(tr("Outputs:") + "\n" + "\n".join(outputs))
        basis = self.basis()
        if basis:
            label = tr("Follows:")
            parts.append(label + ("" if label.endswith("：") else " ") + basis)
        return "\n\n".join(p for p in parts if p)

    def name(self):
        return self.NAME

    def groupId(self):
        return self.GROUP_ID

    def tr(self, message, disambiguation=None):
        # the context of the class that calls self.tr() (the algorithm's own, as pylupdate reads it)
        return tr_for_caller(message, disambiguation)

    def createInstance(self):
        return type(self)()

    def fail(self, message):
        """Stop the run with a message for the user (already translated)."""
        raise QgsProcessingException(message)

    # ---- outputs --------------------------------------------------------------------------
    def add_overwrite_parameter(self):
        """OVERWRITE (default false): an existing workbook, PDF or report is replaced only then."""
        self.addParameter(QgsProcessingParameterBoolean(
            self.OVERWRITE, self.tr("Overwrite existing files"), defaultValue=False, optional=True))

    def overwrite(self, parameters, context):
        return parameters.get(self.OVERWRITE) is not None and self.parameterAsBool(parameters, self.OVERWRITE, context)

    # ---- inputs the worker thread may read ------------------------------------------------
    # Panel pages and the Processing dialog run an algorithm in a QgsProcessingAlgRunnerTask:
    # prepareAlgorithm() on the main thread, processAlgorithm() in a worker thread. A project
    # layer belongs to the main thread, where the planner (or a page) may edit, save or remove it
    # while the run reads it. So every input layer is resolved here, on the main thread, into a
    # private copy that only the run uses (kept in the context's temporary layer store, deleted
    # with the context on the main thread), and the file behind it is noted as text for the
    # output guard; processAlgorithm() sees the copies through parameterAsSource() and the
    # other parameterAs...() below, and never touches a project layer.
    # Nor the project itself: every input value that names a layer or a file (a path, a layer id or
    # name) is looked up here, never in the worker. A lookup there goes through
    # QgsProcessingUtils.mapLayerFromString(), whose QgsProject::layerStore() call resets the
    # project's cached expression scope (QgsProject::mProjectScope) from the worker while the main
    # thread may be building that same scope (the map canvas's refresh, QGIS's own expression
    # contexts): a segfault in the main thread (issue 18, QGIS 3.40/3.44; the code is the same in
    # 3.22). A string that names no project layer is loaded here too, into the context's temporary
    # layer store, so the worker never loads or looks up a layer by its text.
    LAYER_PARAMETER_TYPES = ("source", "vector", "multilayer", "layer")

    # errors an algorithm's _process may raise that are reported as the run's reason (a subclass may
    # add its own domain errors, e.g. the store's)
    reported_errors = (QgsProcessingException,)

    def processAlgorithm(self, parameters, context, feedback):
        """Run ``self._process``. Errors are re-raised from a frame that holds nothing: the
        traceback of an exception leaving a Python algorithm outlives the run (kept on the C++
        side), and a frame still referring to the context or a source would keep their layers
        alive past QGIS's exit (a segfault at exit). Subclasses implement ``_process``."""
        message = None
        process = self._process
        try:
            return process(parameters, context, feedback)
        except self.reported_errors as exc:
            message = str(exc)
        del self, process, parameters, context, feedback
        raise QgsProcessingException(message)

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        self._copies = {}        # parameter name -> private layer copy (a list for several layers)
        self._input_texts = {}   # parameter name -> [text naming the file behind each input, or None]
        if self.flags() & QgsProcessingAlgorithm.FlagNoThreading:
            return True  # always run on the main thread (landeval:dossiers): the layers as they are
        for definition in self.parameterDefinitions():
            if definition.isDestination():
                continue
            name = definition.name()
            value = parameters.get(name)
            values = value if isinstance(value, (list, tuple)) else [value]
            if definition.type() not in self.LAYER_PARAMETER_TYPES:
                # a file, a standard, a template ...: what it names, for the output guard
                self._input_texts[name] = [_text_of_value(v, context) for v in values]
                continue
            copies, texts, replaced = [], [], False
            for v in values:
                layer, source_definition, given = _layer_of_value(v, context)
                if layer is None and given:
                    layer = _load_layer(given, context, definition.type())
                if isinstance(layer, QgsVectorLayer):
                    copy = private_copy(layer, source_definition)
                    context.temporaryLayerStore().addMapLayer(copy)
                    copies.append(copy)
                    texts.append(file_text(layer))
                    replaced = True
                elif layer is not None:  # a raster ...: the layer itself, found here
                    copies.append(layer)
                    texts.append(file_text(layer) or given)
                    replaced = True
                else:
                    copies.append(v)
                    texts.append(given)
            if replaced:
                self._copies[name] = copies if isinstance(value, (list, tuple)) else copies[0]
            self._input_texts[name] = texts
        return True

    def prepared(self, parameters):
        """The parameters with the private copies of their layers (made in prepareAlgorithm)."""
        copies = getattr(self, "_copies", None)
        if not copies:
            return parameters
        out = dict(parameters)
        out.update(copies)
        return out

    def parameterAsSource(self, parameters, name, context):  # noqa: N802
        return super().parameterAsSource(self.prepared(parameters), name, context)

    def parameterAsVectorLayer(self, parameters, name, context):  # noqa: N802
        return super().parameterAsVectorLayer(self.prepared(parameters), name, context)

    def parameterAsLayer(self, parameters, name, context, *args):  # noqa: N802
        return super().parameterAsLayer(self.prepared(parameters), name, context, *args)

    def parameterAsLayerList(self, parameters, name, context, *args):  # noqa: N802
        return super().parameterAsLayerList(self.prepared(parameters), name, context, *args)

    def input_values(self, parameters, context, names):
        """(name, layer or path) of every input parameter value that may be a file. After
        prepareAlgorithm, the text noted there (no layer is read and the project is not looked
        at: this runs in the worker); looked up here only for an algorithm run on the main thread
        (FlagNoThreading, or without prepareAlgorithm)."""
        noted = getattr(self, "_input_texts", None)
        out = []
        for name in names:
            if noted is not None and name in noted:
                out += [(name, text) for text in noted[name] if text]
                continue
            value = parameters.get(name)
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                layer, _definition, given = _layer_of_value(v, context)
                if layer is not None:
                    out.append((name, layer))
                elif given:
                    out.append((name, given))
        return out

    @staticmethod
    def destination_text(value):
        """The text of a layer destination (a path, ``ogr:`` URI, TEMPORARY_OUTPUT ...)."""
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            value = value.sink
        if isinstance(value, QgsProperty):
            value = value.staticValue()
        return "" if value is None else str(value)

    def guard_outputs(self, parameters, context, inputs, layers=(), paths=(), existing=()):
        """Before any work: refuse an output that resolves to an input file (``layers``: layer
        destination parameter names, ``paths``: output file or folder paths), and an existing
        file among ``existing`` unless OVERWRITE is set."""
        outs = [(n, self.destination_text(parameters.get(n))) for n in layers if parameters.get(n) is not None]
        outs += [("", p) for p in paths if p]
        try:
            files.refuse_outputs_on_inputs(self.input_values(parameters, context, inputs), outs)
            files.refuse_existing(existing, self.overwrite(parameters, context))
        except files.OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def open_sink(self, parameters, name, context, fields, wkb_type, crs, optional=False, file_writer=None):
        """A checked feature sink (StagedSink) for the destination parameter ``name``; None for
        an ``optional`` output that was not asked for."""
        if optional and parameters.get(name) is None:
            return None
        return StagedSink(self, parameters, name, context, fields, wkb_type, crs, file_writer=file_writer)


def _layer_of_value(value, context):
    """(layer or None, its QgsProcessingFeatureSourceDefinition or None, the value as text or None)
    for one value of a layer parameter: a layer, a layer id, name or source, a file path."""
    definition = None
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        definition = value
        value = value.source
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    if value is None or value == "":
        return None, definition, None
    if isinstance(value, QgsMapLayer):
        return value, definition, None
    text = str(value)
    return QgsProcessingUtils.mapLayerFromString(text, context, False), definition, text


def _text_of_value(value, context):
    """For the output guard, on the main thread: the text naming the file behind one value of a
    non-layer input (a project layer's file when the text names a project layer), or None."""
    layer, _definition, given = _layer_of_value(value, context)
    if layer is not None:
        return file_text(layer)
    return given


def _load_layer(text, context, parameter_type):
    """The layer a layer parameter's text (a path or URI naming no project layer) opens, loaded
    here on the main thread into the context's temporary layer store; None when it opens none
    (the run then reports the value it cannot read, as before)."""
    hint = QgsProcessingUtils.LayerHint.Vector if parameter_type in ("source", "vector") \
        else QgsProcessingUtils.LayerHint.UnknownType
    layer = QgsProcessingUtils.mapLayerFromString(text, context, True, hint)
    return layer if layer is not None and layer.isValid() else None


def private_copy(layer, definition=None):
    """A copy of ``layer`` that only one run uses, made on the main thread: the same data source
    (a clone: same features and ids) or, when the run reads what the planner sees but has not
    saved (uncommitted edits) or only some features (the selection, a feature limit or a filter),
    or has virtual fields (computed here, on the main thread), those features in a memory layer.
    The layer's name is kept (messages name it)."""
    selected = bool(definition is not None and definition.selectedFeaturesOnly)
    limit = definition.featureLimit if definition is not None else -1
    expression = (getattr(definition, "filterExpression", "") or "") if definition is not None else ""
    # virtual fields are computed here too: a worker's iterator over them would build the project's
    # expression scope (QgsProject.instance()) in the worker thread (issue 18)
    if not (selected or (limit is not None and limit >= 0) or expression or layer.isModified()
            or compat.has_expression_fields(layer)):
        return layer.clone()
    request = QgsFeatureRequest()
    if selected:
        request.setFilterFids(layer.selectedFeatureIds())
    if expression:
        request.setFilterExpression(expression)
    if limit is not None and limit >= 0:
        request.setLimit(limit)
    copy = layer.materialize(request)
    copy.setName(layer.name())
    return copy


def file_text(layer):
    """The text naming the file behind ``layer`` for files.source_path(), or None (not a file)."""
    provider = layer.providerType()
    if provider == "spatialite":
        return "spatialite:" + layer.source()
    if provider in ("ogr", "gdal", "delimitedtext"):
        return layer.source() if files.source_path(layer) else None
    return None


class StagedSink:
    """A feature sink written beside its target and published by ``close()``.

    File destinations (a path, or ``ogr:dbname='x.gpkg' table="name"``) are written to a
    hidden temporary file in the target's folder; ``close()`` checks that every feature is in
    it and moves it into place. A GeoPackage target that holds other layers gets this one
    layer (named by ``table=``, else after the file, as QGIS names it) and keeps the others.
    Other destinations (temporary layers, PostGIS) are written directly. Every write is
    checked: a failure raises QgsProcessingException naming the file and the reason, removes
    the temporary file and leaves the target untouched. Use ``discard()`` in a ``finally``.
    """

    # a GeoPackage staged through QGIS's file writer (the path, the layer named in the options)
    # rather than an ``ogr:`` URI: the URI's route held about 110 MB more while 50,000 parcels
    # were written (tested on QGIS 3.22); the algorithms that checked both give the same file
    FILE_WRITER = False

    def __init__(self, alg, parameters, name, context, fields, wkb_type, crs, file_writer=None):
        self.alg, self.name, self.context = alg, name, context
        file_writer = self.FILE_WRITER if file_writer is None else file_writer
        self.aliases = {f.name(): f.alias() for f in fields}  # the step's own, kept in the default style
        self.count = 0
        self.tmp = self.ready = self.kind = self.layer = None
        value = parameters.get(name)
        self.definition = value if isinstance(value, QgsProcessingOutputLayerDefinition) else None
        text = alg.destination_text(value)
        path = files.source_path(text) if text else None
        ext = os.path.splitext(path or "")[1].lower()
        self.target = path
        self.csv = ext == ".csv"
        if path and (ext == ".gpkg" or not text.startswith(("ogr:", "spatialite:"))):
            try:
                files.ensure_folder(path)
            except files.OutputError as exc:
                raise QgsProcessingException(str(exc)) from exc
            if ext == ".gpkg":
                self.kind = "gpkg"
                self.named = files.layer_name_of(text)  # the destination names its layer: report it by name
                self.layer = self.named or os.path.splitext(os.path.basename(path))[0]
                self.tmp = files.temp_path(path, ".gpkg")
                staged = "ogr:dbname='{}' table=\"{}\" (geom)".format(
                    self.tmp.replace("'", "\\'"), self.layer.replace('"', '\\"'))
            else:
                self.kind = "shp" if ext == ".shp" else "file"
                self.tmp = files.temp_path(path)
                staged = self.tmp
            definition = QgsProcessingOutputLayerDefinition(staged)
            options = dict(self.definition.createOptions) if self.definition is not None else {}
            if self.kind == "gpkg" and "layerOptions" not in options:
                # written without its spatial index, bulk-loaded in finish() (gpkg_rtree)
                options["layerOptions"] = list(gpkg_rtree.LAYER_OPTIONS)
            definition.createOptions = options
            params = dict(parameters)
            params[name] = definition
            try:
                if file_writer and self.kind == "gpkg" and set(options) <= {"layerOptions", "fileEncoding"}:
                    self.sink, self.dest = self._file_writer(options, context, fields, wkb_type, crs), self.tmp
                else:
                    self.sink, self.dest = alg.parameterAsSink(params, name, context, fields, wkb_type, crs)
            except QgsProcessingException as exc:  # e.g. a full disk: name the target, not the staged file
                self.discard()
                raise QgsProcessingException(str(files.write_failed(path, exc))) from exc
        else:
            self.sink, self.dest = alg.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if self.sink is None:
            self.discard()
            raise QgsProcessingException(tr("Cannot create the output layer {}.").format(path or text or name))

    def _file_writer(self, options, context, fields, wkb_type, crs):
        """The staged GeoPackage layer through QgsVectorFileWriter itself: the same file as the
        ``ogr:`` URI gives (same table, columns, values and geometry blobs; GDAL's feature count
        in gpkg_ogr_contents is filled in), without the ~110 MB that route held while 50,000
        parcels were written (QGIS 3.22)."""
        save = QgsVectorFileWriter.SaveVectorOptions()
        save.driverName = "GPKG"
        save.layerName = self.layer
        save.fileEncoding = options.get("fileEncoding") or "UTF-8"
        save.layerOptions = list(options.get("layerOptions") or ())
        writer = QgsVectorFileWriter.create(self.tmp, fields, wkb_type, crs, context.transformContext(), save)
        if writer is None or writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            message = writer.errorMessage() if writer is not None else ""
            raise QgsProcessingException(message or tr("Cannot create the output layer {}.").format(self.target))
        return writer

    def _failed(self, exc=None):
        error = ""
        if exc is None and self.sink is not None and hasattr(self.sink, "lastError"):
            error = self.sink.lastError()
        target = self.target or self.dest
        message = files.reason(exc if exc is not None else OSError(0, error), self.tmp or target)
        self.discard()
        return QgsProcessingException(tr("Cannot write {}: {}. Nothing was replaced; earlier files are kept.").format(
            target, message))

    def _csv_safe(self, feature):
        """For a .csv target: text a spreadsheet would run as a formula gets a leading ' (a
        copy of the feature; formats/csv_text.py)."""
        values = feature.attributes()
        safe = csv_text.row(values)
        if safe == values:
            return feature
        copy = QgsFeature(feature)
        copy.setAttributes(safe)
        return copy

    def add(self, feature):
        if self.csv:
            feature = self._csv_safe(feature)
        if not self.sink.addFeature(feature, QgsFeatureSink.FastInsert):
            raise self._failed()
        self.count += 1

    def add_many(self, features):
        if self.csv:
            features = [self._csv_safe(f) for f in features]
        if features and not self.sink.addFeatures(features, QgsFeatureSink.FastInsert):
            raise self._failed()
        self.count += len(features)

    def copy_gpkg_layer(self, src_path, src_table, expected, then=None):
        """Fill this GeoPackage output (still empty) with every row of the GeoPackage layer
        ``src_table`` of ``src_path`` by GDAL, fids kept and fields matched by name (what adding
        the same features one by one gives, without a Python round trip per feature), then run
        ``then(con, table)`` on the staged file's sqlite3 connection (committed afterwards).
        ``expected``: the rows the source holds, checked in finish(). A failure raises as a
        failed write (the staged file removed, the target untouched)."""
        import sqlite3

        from osgeo import gdal

        self.sink = None  # the writer closes: the layer exists, empty
        try:
            gdal.UseExceptions()
            gdal.VectorTranslate(self.tmp, src_path, options=["-f", "GPKG", "-append", "-preserve_fid",
                                                             "-nln", self.layer, src_table])
            if then is not None:
                con = sqlite3.connect(self.tmp)
                try:
                    then(con, self.layer)
                    con.commit()
                finally:
                    con.close()
        except Exception as exc:  # GDAL/sqlite3/OS errors: name the target and the reason
            raise self._failed(exc) from exc
        self.count = expected

    def close(self):
        """finish() then publish(): returns the destination to report."""
        self.finish()
        return self.publish()

    def finish(self):
        """Close the file and check that it holds every feature; nothing is replaced yet."""
        self.sink = None  # the writer flushes and closes here
        self.ready = None
        if self.tmp is None:
            return
        tmp, self.tmp = self.tmp, None
        try:
            found = self._count(tmp)
        except Exception as exc:  # an unreadable result is a failed write
            error = files.write_failed(self.target, exc)  # (the reason looks at the free space first)
            files.remove_staged(tmp)
            raise QgsProcessingException(str(error)) from exc
        if found != self.count:
            error = files.short_write(self.target, found, self.count)
            files.remove_staged(tmp)
            raise QgsProcessingException(str(error))
        try:
            self.ready = files.publication(tmp, self.target, self.layer if self.kind == "gpkg" else None)
        except files.OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if getattr(self, "named", None):
            self.ready.dest = "{}|layername={}".format(self.target, self.layer)
        self.dest = self.ready.dest

    def publish(self):
        """Move the finished file (or layer) into place; returns the destination to report."""
        ready, self.ready = getattr(self, "ready", None), None
        if ready is None:
            return self.dest
        try:
            dest = ready.publish()
        except files.OutputError as exc:
            raise QgsProcessingException(str(exc)) from exc
        finally:
            ready.discard()
        if self.kind is not None:  # the Chinese field aliases, kept in the file's default style
            aliases.save_default_style(self.target, self.layer if self.kind == "gpkg" else None, self.aliases)
        definition = self.definition
        if definition is not None and definition.destinationProject is not None \
                and not self.context.willLoadLayerOnCompletion(dest):
            param = self.alg.parameterDefinition(self.name)
            details = QgsProcessingContext.LayerDetails(
                definition.destinationName or (param.description() if param else self.name),
                definition.destinationProject, self.name)
            self.context.addLayerToLoadOnCompletion(dest, details)
        return dest

    def _count(self, tmp):
        if self.kind == "gpkg":
            gpkg_rtree.build(tmp, self.layer)
            return files.check_gpkg_layer(tmp, self.layer)
        from osgeo import ogr

        ds = ogr.Open(tmp)
        if ds is None or ds.GetLayerCount() < 1:
            raise OSError(0, tr("the file cannot be read back"))
        try:
            return ds.GetLayer(0).GetFeatureCount(True)
        finally:
            ds = None

    def discard(self):
        """Drop an unpublished output (after a failure or a cancel); nothing else is touched."""
        self.sink = None
        if self.tmp is not None:
            files.remove_staged(self.tmp)
            self.tmp = None
        if getattr(self, "ready", None) is not None:
            self.ready.discard()
            self.ready = None
