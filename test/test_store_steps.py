"""The STORE parameter of the base map, enterprise data, clusters and disposal steps (issue 16.1:
every step writes to the store), on both backends: the step's outputs are the same with and
without STORE, the store receives the year's base map, enterprise table, clusters and register
rows, and a failure while writing leaves the store as it was."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from store_support import BACKENDS, file_sha, store_places

from landeval_plugin.core import store as stores
from landeval_plugin.core.store import register

YEAR = 2022


@pytest.fixture(params=BACKENDS)
def store_place(request, tmp_path, qgis_app):
    """(backend, reference of a new store, PgPlace or None): every test using it runs on both backends."""
    yield from store_places(request, tmp_path)


_PROVIDERS = []


@pytest.fixture(scope="module")
def sample(tmp_path_factory, qgis_processing):
    """A small generated district and the plain (no STORE) outputs of every step."""
    import processing
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject

    from landeval_plugin.core.enterprise.enterprise_table import read_table
    from landeval_plugin.processing.provider import LandEvalProvider

    if QgsApplication.processingRegistry().providerById("landeval") is None:
        _PROVIDERS.append(LandEvalProvider())
        QgsApplication.processingRegistry().addProvider(_PROVIDERS[-1])

    def run(alg, params):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(alg, params, feedback=QgsProcessingFeedback(), context=context)

    folder = str(tmp_path_factory.mktemp("sample_steps"))
    res = run("landeval:sampledistrict", {"OUTPUT_FOLDER": os.path.join(folder, "sample"), "PARCELS": 160,
                                          "SEED": 3})
    gpkg = res["OUTPUT_GPKG"]
    s = {"folder": folder, "run": run, "gpkg": gpkg,
         "basemap": {"SOURCES": [gpkg + "|layername=bdcdj", res["OUTPUT_YDPW_SHP"], gpkg + "|layername=tdlyxz"],
                     "ROLES": "不动产登记,用地批文,土地利用现状"},
         "data_year": max(y for y in read_table(res["OUTPUT_ENTERPRISES"]).years if y)}
    s["join"] = {"TABLE": res["OUTPUT_ENTERPRISES"], "LINK": res["OUTPUT_LINK"], "YEAR": s["data_year"]}
    s["plain"] = steps(s, os.path.join(folder, "plain"), {})
    return s


def steps(s, folder, extra):
    """Run base map, data, grading, clusters and disposal into ``folder``; ``extra`` params
    (STORE, YEAR) go to every step. Returns {step: results}."""
    os.makedirs(folder, exist_ok=True)
    run, out = s["run"], {}

    def path(name):
        return os.path.join(folder, name)

    out["basemap"] = run("landeval:buildbaselayer", dict(s["basemap"], OUTPUT=path("base_map.gpkg"),
                                                          QA_OUTPUT=path("qa.gpkg"), **extra))
    store_only = {k: v for k, v in extra.items() if k == "STORE"}  # the data step has its own YEAR
    base_map = out["basemap"]["OUTPUT"] + "|layername=base_map"
    out["join"] = run("landeval:joinenterprises", dict(s["join"], INPUT=base_map,
                                                       OUTPUT=path("data.gpkg"), REPORT=path("report.xlsx"),
                                                       OUTPUT_ENTERPRISES=path("enterprises.gpkg"), **store_only))
    out["grade"] = run("landeval:grade", dict(INPUT=out["join"]["OUTPUT"], STANDARD="zhejiang_huangyan_2022",
                                              YEAR=YEAR, OUTPUT=path("graded.gpkg"), **store_only))
    out["clusters"] = run("landeval:clusters", dict(INPUT=out["grade"]["OUTPUT"], GAP_M=30, MIN_PARCELS=2,
                                                    FILTER="\"grade\" IN ('C','D') OR \"low_eff\"",
                                                    OUTPUT=path("clusters.gpkg"),
                                                    OUTPUT_PARCELS=path("clustered.gpkg"), **extra))
    out["disposal"] = run("landeval:disposal", dict(
        INPUT=out["clusters"]["OUTPUT_PARCELS"], RULESET="tonglu_2022", SHARE=0.5, OUTPUT=path("disposal.gpkg"),
        DEVELOPMENT_BOUNDARY=s["gpkg"] + "|layername=czkfbj", INDUSTRIAL_LINE=s["gpkg"] + "|layername=gybzx",
        **extra))
    return out


def features(path):
    """Sorted (attributes without fid, geometry WKT) of a layer file: equal means the same output."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "x", "ogr")
    assert layer.isValid(), path
    names = [n for n in layer.fields().names() if n not in ("fid", "graded_at")]  # graded_at: when graded
    return sorted((tuple(str(f[n]) for n in names), f.geometry().asWkt(3) if f.hasGeometry() else "")
                  for f in layer.getFeatures())


def test_every_step_writes_its_year_into_the_store_and_its_outputs_do_not_change(store_place, sample, tmp_path,
                                                                                   landeval_provider):
    _, ref, _ = stores_create(store_place)
    inputs = {p: file_sha(p) for p in (sample["join"]["TABLE"], sample["join"]["LINK"])}
    stored = steps(sample, str(tmp_path / "stored"), {"STORE": ref, "YEAR": YEAR})
    plain = sample["plain"]
    for step, key in (("basemap", "OUTPUT"), ("join", "OUTPUT"), ("join", "OUTPUT_ENTERPRISES"),
                      ("clusters", "OUTPUT"), ("clusters", "OUTPUT_PARCELS"), ("disposal", "OUTPUT")):
        assert features(stored[step][key]) == features(plain[step][key]), (step, key)
    for step in ("basemap", "clusters"):
        assert {k: v for k, v in stored[step].items() if k not in ("OUTPUT", "OUTPUT_PARCELS", "QA_OUTPUT",
                                                                  "RUN_ID")} == \
            {k: v for k, v in plain[step].items() if k not in ("OUTPUT", "OUTPUT_PARCELS", "QA_OUTPUT")}
    assert stored["disposal"]["SUMMARY"] == plain["disposal"]["SUMMARY"]
    assert {p: file_sha(p) for p in inputs} == inputs
    from qgis.core import QgsVectorLayer

    store = stores.open_store(ref)
    try:
        runs = {r["step"]: r for r in store.rows("SELECT * FROM {}".format(store.t("runs")))}
        # the data step writes the enterprise data of its own YEAR (the data year), the others YEAR
        assert sorted((s, r["year"]) for s, r in runs.items()) == sorted(
            [("basemap", YEAR), ("clusters", YEAR), ("disposal", YEAR), ("grade", YEAR),
             ("joinenterprises", sample["data_year"])])
        for step in ("basemap", "clusters", "disposal"):
            assert runs[step]["run_id"] == stored[step]["RUN_ID"]

        def count(table, year=YEAR):
            return store.rows("SELECT COUNT(*) AS n FROM {} WHERE year = {}".format(store.t(table), store.ph),
                              (year,))[0]["n"]

        # the base map, enterprise data and clusters of the year, as many rows as the outputs
        assert count("base_map") == stored["basemap"]["PARCEL_COUNT"] == QgsVectorLayer(
            stored["basemap"]["OUTPUT"], "b", "ogr").featureCount()
        enterprises = QgsVectorLayer(stored["join"]["OUTPUT_ENTERPRISES"], "e", "ogr")
        assert count("enterprises", sample["data_year"]) == enterprises.featureCount() > 0
        # each enterprise row carries the town of its parcel (the row-level security of a shared store needs it)
        base_towns = {f["parcel_code"]: f["town"] for f in QgsVectorLayer(stored["join"]["OUTPUT"], "j", "ogr")
                      .getFeatures()}
        ent_rows = store.rows("SELECT parcel_code, town FROM {} WHERE year = {}".format(
            store.t("enterprises"), store.ph), (sample["data_year"],))
        assert [(r["parcel_code"], r["town"]) for r in ent_rows if r["parcel_code"] in base_towns] == [
            (r["parcel_code"], base_towns[r["parcel_code"]]) for r in ent_rows if r["parcel_code"] in base_towns]
        assert sum(1 for r in ent_rows if r["town"]) > 0.9 * len(ent_rows)
        clusters = store.rows("SELECT cluster_id FROM {} WHERE year = {}".format(store.t("clusters"), store.ph),
                              (YEAR,))
        assert sorted(r["cluster_id"] for r in clusters) == sorted(
            f["cluster_id"] for f in QgsVectorLayer(stored["clusters"]["OUTPUT"], "c", "ogr").getFeatures())
        assert len(clusters) == stored["clusters"]["CLUSTER_COUNT"] > 0
        # the register: every parcel on the low-efficiency list with its path, status 初步清单
        layer = QgsVectorLayer(stored["disposal"]["OUTPUT"], "d", "ogr")
        want = {}
        for f in layer.getFeatures():
            grade = f["grade_final"] or f["grade"]
            if f["low_eff"] or grade == "D":
                want[f["parcel_code"]] = (f["disposal_final"] or f["disposal"] or None, "初步清单")
        rows = register.register_rows(store, YEAR)
        assert {c: (r["path"], r["status"]) for c, r in rows.items()} == want and len(want) > 5
        first = sorted(rows)[0]
        store.register_set_status(rows[first]["fid"], rows[first]["row_version"], "已核实")
    finally:
        store.close()
    # a second disposal run keeps the register's statuses and adds nothing
    again = sample["run"]("landeval:disposal", dict(
        INPUT=stored["clusters"]["OUTPUT_PARCELS"], RULESET="tonglu_2022", SHARE=0.5,
        OUTPUT=str(tmp_path / "again.gpkg"), DEVELOPMENT_BOUNDARY=sample["gpkg"] + "|layername=czkfbj",
        INDUSTRIAL_LINE=sample["gpkg"] + "|layername=gybzx", STORE=ref, YEAR=YEAR))
    store = stores.open_store(ref)
    try:
        rows = register.register_rows(store, YEAR)
        assert len(rows) == len(want) and rows[first]["status"] == "已核实"
        assert len(store.rows("SELECT run_id FROM {} WHERE step = 'disposal'".format(store.t("runs")))) == 2
        assert again["RUN_ID"]
    finally:
        store.close()


def stores_create(store_place):
    backend, ref, place = store_place
    stores.create_store(ref).close()
    return backend, ref, place


def test_a_failure_while_writing_leaves_the_store_as_it_was(store_place, sample, tmp_path, run_alg, monkeypatch):
    """Clusters: the rows are inserted, then the change log fails: the transaction is rolled back.
    Disposal: the register rows are added, then the sync fails: likewise. The outputs are written
    and the message says the store was not changed."""
    from qgis.core import QgsProcessingException

    from landeval_plugin.core.store import base

    _, ref, _ = stores_create(store_place)
    graded = sample["plain"]["grade"]["OUTPUT"]
    run_alg("landeval:grade", {"INPUT": sample["plain"]["join"]["OUTPUT"], "STANDARD": "zhejiang_huangyan_2022",
                               "YEAR": YEAR, "OUTPUT": str(tmp_path / "g.gpkg"), "STORE": ref})
    store = stores.open_store(ref)
    before = store.digest()
    store.close()
    real_log = base.Store.log_change

    def failing_log(self, table, row_fid, operation, old=None, new=None):
        if operation == "WRITE_LAYER":
            raise stores.StoreError("disk full (test)")
        return real_log(self, table, row_fid, operation, old, new)

    monkeypatch.setattr(base.Store, "log_change", failing_log)
    out = str(tmp_path / "clusters.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:clusters", {"INPUT": graded, "GAP_M": 30, "MIN_PARCELS": 2, "OUTPUT": out,
                                      "FILTER": "\"grade\" IN ('C','D') OR \"low_eff\"", "STORE": ref, "YEAR": YEAR})
    assert "disk full (test)" in str(err.value) and out in str(err.value) and os.path.exists(out)
    # nothing of the failed run outlives it: QGIS keeps the exception that leaves an algorithm, and
    # a layer its frames held was freed only at Python's exit, after QGIS's (a segfault at exit)
    import gc

    from qgis.core import QgsVectorLayer
    from qgis.PyQt import sip

    del err
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, QgsVectorLayer) and not sip.isdeleted(o)
                and "clusters.gpkg" in o.source()]
    monkeypatch.undo()
    real_sync = register.sync_disposal

    def failing_sync(store, year, rows, feedback=None):
        counts = real_sync(store, year, rows, feedback)
        assert counts["added"] > 0
        raise stores.StoreError("connection lost (test)")

    monkeypatch.setattr(register, "sync_disposal", failing_sync)
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:disposal", {"INPUT": sample["plain"]["clusters"]["OUTPUT_PARCELS"], "RULESET": "tonglu_2022",
                                      "SHARE": 0.5, "OUTPUT": str(tmp_path / "d.gpkg"), "STORE": ref, "YEAR": YEAR,
                                      "DEVELOPMENT_BOUNDARY": sample["gpkg"] + "|layername=czkfbj",
                                      "INDUSTRIAL_LINE": sample["gpkg"] + "|layername=gybzx"})
    assert "connection lost (test)" in str(err.value)
    store = stores.open_store(ref)
    try:
        assert store.digest() == before
    finally:
        store.close()


def test_a_bad_store_stops_a_step_before_any_output(tmp_path, sample, run_alg):
    from qgis.core import QgsProcessingException

    out = str(tmp_path / "clusters.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:clusters", {"INPUT": sample["plain"]["grade"]["OUTPUT"], "OUTPUT": out,
                                      "STORE": str(tmp_path / "missing.gpkg"), "YEAR": YEAR})
    assert "missing.gpkg" in str(err.value) and not os.path.exists(out)
    empty = str(tmp_path / "empty.gpkg")
    stores.create_store(empty).close()
    with pytest.raises(QgsProcessingException, match="YEAR"):
        run_alg("landeval:clusters", {"INPUT": sample["plain"]["grade"]["OUTPUT"], "OUTPUT": out, "STORE": empty})
    assert not os.path.exists(out)
