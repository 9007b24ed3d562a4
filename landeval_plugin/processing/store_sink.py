"""What the grade and review algorithms write into a LandEval store (their STORE parameter).

The store is checked before any work (it opens, it is a LandEval store of a version this
plugin reads, a year is known); the run's own outputs are written exactly as without STORE,
then the store receives the run in one transaction. A store that fails at that point leaves
the outputs written and the store unchanged, and the algorithm says so.
"""
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessingException,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from ..core import store as stores
from ..core.store.base import table_title
from ..i18n import tr


def check(reference, year):
    if not year:
        raise QgsProcessingException(tr("Writing into a store needs the evaluation year (YEAR)."))
    try:
        stores.open_store(reference).close()
    except stores.StoreError as exc:
        raise QgsProcessingException(str(exc)) from None


def _layer(dest, context):
    # runs in the worker: the run's own temporary layers (a memory output, by id) or the file; not
    # QgsProcessingUtils.mapLayerFromString(), which would look at the project from this thread
    # (see LandEvalAlgorithm.prepareAlgorithm, issue 18)
    layer = context.temporaryLayerStore().mapLayer(dest)
    if layer is None:
        layer = QgsVectorLayer(dest, "graded", "ogr")
    if layer is None or not layer.isValid():
        raise QgsProcessingException(tr("Cannot read the result {} to write it into the store.").format(dest))
    return layer


def write_grading(reference, year, std, parameters, summary, dest, context, feedback):
    """Record the grading run and its graded parcels; returns the run id."""
    layer = _layer(dest, context)
    counts = {g: v["count"] for g, v in summary.items() if isinstance(v, dict)}
    try:
        store = stores.open_store(reference)
        try:
            with store.transaction():
                run_id = store.record_run(year, "grade", standard_id=std.id, standard_version=std.version,
                                          parameters=parameters, counts=counts)
                n = store.write_layer(year, "graded", layer, run_id=run_id, feedback=feedback)
        finally:
            store.close()
    except stores.StoreError as exc:
        raise QgsProcessingException(tr("The result {} was written, but the store was not changed: {}").format(
            dest, exc)) from None
    feedback.pushInfo(tr("Store: run {} and {} graded parcels of {} written to {}.").format(run_id, n, year,
                                                                                           reference))
    return run_id


def write_reviews(reference, year, codes, values, feedback):
    """One review decision per parcel code, in one transaction; returns the number written."""
    try:
        store = stores.open_store(reference)
        try:
            year = year or (store.years() or [None])[-1]
            if not year:
                raise stores.StoreError(tr("The store has no evaluation year yet: give YEAR."))
            with store.transaction():
                for code in sorted(codes):
                    store.record_review(year, code, why=values["override_reason"], grade=values["grade_final"],
                                        who=values["override_by"], at=values["override_at"])
        finally:
            store.close()
    except stores.StoreError as exc:
        raise QgsProcessingException(tr("The reviewed layer was written, but the store was not changed: {}").format(
            exc)) from None
    feedback.pushInfo(tr("Store: {} review decision(s) of {} written to {}.").format(len(codes), year, reference))
    return len(codes)


# ---- the STORE parameter of the other steps (base map, enterprise data, clusters, disposal) ------------
def add_parameters(alg, year=True):
    """STORE (and YEAR: the evaluation year, 0 = the store's latest) as advanced parameters, and
    the RUN_ID output."""
    from qgis.core import (
        QgsProcessingOutputString,
        QgsProcessingParameterDefinition,
        QgsProcessingParameterNumber,
        QgsProcessingParameterString,
    )

    params = [QgsProcessingParameterString("STORE", tr(
        "Also write into the LandEval store (GeoPackage path or postgres://connection/schema)"), optional=True)]
    if year:
        params.append(QgsProcessingParameterNumber("YEAR", tr("Evaluation year in the store (0 = the store's latest)"),
                                                   QgsProcessingParameterNumber.Integer, defaultValue=0, minValue=0,
                                                   maxValue=2100, optional=True))
    for param in params:
        param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        alg.addParameter(param)
    alg.addOutput(QgsProcessingOutputString("RUN_ID", tr("Run id in the store")))


def prepare(alg, parameters, context, year=None):
    """(store reference, evaluation year) before any work, or ("", None) without STORE. The store
    must open (a LandEval store of a version this plugin reads) and the year be known: YEAR, else
    ``year`` (the step's own), else the store's latest."""
    ref = alg.parameterAsString(parameters, "STORE", context) if parameters.get("STORE") else ""
    if not ref:
        return "", None
    given = alg.parameterAsInt(parameters, "YEAR", context) if parameters.get("YEAR") else 0
    try:
        store = stores.open_store(ref)
        try:
            years = store.years()
        finally:
            store.close()
    except stores.StoreError as exc:
        raise QgsProcessingException(str(exc)) from None
    year = given or year or (years[-1] if years else 0)
    if not year:
        raise QgsProcessingException(tr("{} has no evaluation year yet: give YEAR to write into it.").format(ref))
    return ref, int(year)


def with_towns(layer, towns):
    """A memory copy of the enterprises table ``layer`` whose ``town`` is that of the parcel each row
    is linked to (``towns``: {parcel code: town}): a shared PostGIS store's row-level security then
    lets a town account change only its own town's enterprise rows (core/store/security.py)."""
    fields = layer.fields()
    copy = QgsVectorLayer("None", layer.name() or "enterprises", "memory")
    out_fields = QgsFields(fields)
    if fields.indexOf("town") < 0:
        out_fields.append(QgsField("town", QVariant.Type.String))
    copy.dataProvider().addAttributes(out_fields.toList())
    copy.updateFields()
    town_at = copy.fields().indexOf("town")
    code_at = fields.indexOf("parcel_code")
    feats = []
    for f in layer.getFeatures():
        out = QgsFeature(copy.fields())
        attrs = list(f.attributes()) + [None] * (len(out_fields) - len(fields))
        code = attrs[code_at] if code_at >= 0 else None
        attrs[town_at] = towns.get(code) or attrs[town_at]
        out.setAttributes(attrs)
        feats.append(out)
    copy.dataProvider().addFeatures(feats)
    return copy


def parcel_towns(source, code_field, clean=lambda v: (v, None)):
    """{parcel code (cleaned by ``clean``): town} of a parcel layer with a ``town`` field; {} without."""
    if source.fields().indexOf("town") < 0 or source.fields().indexOf(code_field) < 0:
        return {}
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(
        [code_field, "town"], source.fields())
    out = {}
    for f in source.getFeatures(request):
        code = clean(f[code_field])[0]
        town = f["town"]
        if code and town not in (None, "") and not (hasattr(town, "isNull") and town.isNull()):
            out.setdefault(code, str(town))
    return out


def write_step(reference, year, step, layers, context, feedback, parameters=None, counts=None, register=None,
               output="", towns=None):
    """One run of ``step`` into the store, in one transaction: the run (parameters, who, when,
    counts), each (table, destination or layer) of ``layers`` replacing that table's rows of the
    year, and the disposal register rows ``register`` ((code, town, path, on the list)). With
    ``towns`` ({parcel code: town}) the enterprise rows get the town of their parcel. A failure
    leaves the store as it was and says that ``output`` was written. Returns the run id."""
    try:
        store = stores.open_store(reference)
        try:
            with store.transaction():
                run_id = store.record_run(year, step, parameters=parameters, counts=counts)
                written = []
                for kind, dest in layers:
                    layer = dest if hasattr(dest, "getFeatures") else _layer(dest, context)
                    if kind == "enterprises" and towns is not None:
                        layer = with_towns(layer, towns)
                    written.append("{} {}".format(table_title(kind),
                                                  store.write_layer(year, kind, layer, run_id=run_id,
                                                                    feedback=feedback)))
                if register is not None:
                    from ..core.store import register as registers

                    done = registers.sync_disposal(store, year, register, feedback)
                    written.append(tr("register: {} added, {} path changed, {} kept").format(
                        done["added"], done["updated"], done["kept"]))
        finally:
            store.close()
    except stores.StoreError as exc:
        raise QgsProcessingException(tr("The result {} was written, but the store was not changed: {}").format(
            output, exc)) from None
    feedback.pushInfo(tr("Store: run {} of {} ({}) written to {}: {}.").format(run_id, year, step, reference,
                                                                              "; ".join(written)))
    return run_id
