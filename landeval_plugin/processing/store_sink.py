"""What the grade and review algorithms write into a LandEval store (their STORE parameter).

The store is checked before any work (it opens, it is a LandEval store of a version this
plugin reads, a year is known); the run's own outputs are written exactly as without STORE,
then the store receives the run in one transaction. A store that fails at that point leaves
the outputs written and the store unchanged, and the algorithm says so.
"""
from qgis.core import QgsProcessingException, QgsProcessingUtils, QgsVectorLayer

from ..core import store as stores
from ..i18n import tr


def check(reference, year):
    if not year:
        raise QgsProcessingException(tr("Writing into a store needs the evaluation year (YEAR)."))
    try:
        stores.open_store(reference).close()
    except stores.StoreError as exc:
        raise QgsProcessingException(str(exc)) from None


def _layer(dest, context):
    layer = QgsProcessingUtils.mapLayerFromString(dest, context)
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
