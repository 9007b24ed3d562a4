"""What the grade and review algorithms write into a LandEval store (their STORE parameter).

The store is checked before any work (it opens, it is a LandEval store of a version this
plugin reads, a year is known); the run's own outputs are written exactly as without STORE,
then the store receives the run in one transaction. A store that fails at that point leaves
the outputs written and the store unchanged, and the algorithm says so.
"""
from qgis.core import QgsProcessingException, QgsVectorLayer

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


def write_step(reference, year, step, layers, context, feedback, parameters=None, counts=None, register=None,
               output=""):
    """One run of ``step`` into the store, in one transaction: the run (parameters, who, when,
    counts), each (table, destination or layer) of ``layers`` replacing that table's rows of the
    year, and the disposal register rows ``register`` ((code, town, path, on the list)). A failure
    leaves the store as it was and says that ``output`` was written. Returns the run id."""
    try:
        store = stores.open_store(reference)
        try:
            with store.transaction():
                run_id = store.record_run(year, step, parameters=parameters, counts=counts)
                written = []
                for kind, dest in layers:
                    layer = dest if hasattr(dest, "getFeatures") else _layer(dest, context)
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
