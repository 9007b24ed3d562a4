"""landeval:createstore, storeexport, storeimport, and the STORE parameter of landeval:grade and
landeval:review, on both backends (in process), plus createstore through qgis_process."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import random_rows, write_layer
from store_support import BACKENDS, file_sha, store_places

from landeval_plugin.core import store as stores


@pytest.fixture(params=BACKENDS)
def store_place(request, tmp_path, qgis_app):
    """(backend, reference of a new store, PgPlace or None): every test using it runs on both backends."""
    yield from store_places(request, tmp_path)


def _create(run_alg, backend, ref, place):
    if backend == "gpkg":
        result = run_alg("landeval:createstore", {"FILE": ref, "CRS": "EPSG:4549"})
    else:
        result = run_alg("landeval:createstore", {"CONNECTION": place.connection, "SCHEMA": place.schema,
                                                  "CRS": "EPSG:4549"})
    assert result["STORE"] == ref
    return ref


def _graded(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path, "g", "ogr")
    assert layer.isValid(), path
    return {f["parcel_code"]: (f["grade"], f["score"], f["rank"], f["grade_reason"]) for f in layer.getFeatures()}


def test_grade_and_review_write_into_the_store_without_changing_their_outputs(store_place, tmp_path, run_alg):
    backend, ref, place = store_place
    _create(run_alg, backend, ref, place)
    rows = random_rows(60, seed=11)
    src = write_layer(str(tmp_path / "parcels.gpkg"), rows)
    src_sha = file_sha(str(tmp_path / "parcels.gpkg"))
    plain, stored = str(tmp_path / "plain.gpkg"), str(tmp_path / "stored.gpkg")
    r1 = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025,
                                    "GROUP_BY": "town", "OUTPUT": plain})
    r2 = run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025,
                                    "GROUP_BY": "town", "OUTPUT": stored, "STORE": ref})
    assert _graded(plain) == _graded(stored) and r1["SUMMARY"] == r2["SUMMARY"]
    assert file_sha(str(tmp_path / "parcels.gpkg")) == src_sha
    summary = json.loads(r2["SUMMARY"])
    store = stores.open_store(ref)
    try:
        runs = store.rows("SELECT * FROM {}".format(store.t("runs")))
        assert [(r["run_id"], r["year"], r["step"], r["standard_id"]) for r in runs] == [
            (r2["RUN_ID"], 2025, "grade", "zhejiang_huangyan_2022")]
        assert json.loads(runs[0]["counts"]) == {g: v["count"] for g, v in summary.items() if isinstance(v, dict)}
        assert json.loads(runs[0]["parameters"])["group_by"] == "town"
        graded = store.rows("SELECT parcel_code, grade, town FROM {} WHERE year = 2025".format(store.t("graded")))
        assert len(graded) == 60
        want = _graded(stored)
        assert {r["parcel_code"]: r["grade"] for r in graded} == {c: v[0] for c, v in want.items()}
        assert sum(json.loads(runs[0]["counts"]).values()) == 60
    finally:
        store.close()

    codes = sorted(want)[:3]
    reviewed = str(tmp_path / "reviewed.gpkg")
    res = run_alg("landeval:review", {"INPUT": stored, "CODES": ",".join(codes), "GRADE": 3, "REASON": "现场核实：停产",
                                      "BY": "张三", "OUTPUT": reviewed, "STORE": ref})
    assert res["REVIEWED"] == 3
    store = stores.open_store(ref)
    try:
        reviews = store.rows("SELECT year, parcel_code, grade, who, why FROM {} ORDER BY parcel_code".format(
            store.t("reviews")))
        assert [(r["year"], r["parcel_code"], r["grade"], r["who"], r["why"]) for r in reviews] == [
            (2025, c, "D", "张三", "现场核实：停产") for c in codes]
    finally:
        store.close()


def test_grade_with_a_bad_store_fails_before_writing(tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    out = str(tmp_path / "out.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:grade", {"INPUT": write_layer(None, random_rows(10)), "STANDARD": "zhejiang_huangyan_2022",
                                   "YEAR": 2025,
                                   "OUTPUT": out, "STORE": str(tmp_path / "missing.gpkg")})
    assert "missing.gpkg" in str(err.value)
    assert not os.path.exists(out)


def test_export_and_import_algorithms_check_every_table(store_place, tmp_path, run_alg):
    backend, ref, place = store_place
    _create(run_alg, backend, ref, place)
    src = write_layer(str(tmp_path / "parcels.gpkg"), random_rows(30, seed=5))
    run_alg("landeval:grade", {"INPUT": src.source(), "STANDARD": "zhejiang_huangyan_2022", "YEAR": 2025,
                               "OUTPUT": str(tmp_path / "g.gpkg"), "STORE": ref})
    backup = str(tmp_path / "backup.gpkg")
    params = {"STORE": ref, "OUTPUT": backup}
    exported = run_alg("landeval:storeexport", params)
    counts = json.loads(exported["CHECK"])
    assert counts["graded"] == 30 and counts["runs"] == 1 and counts["years"] == 1
    restored = str(tmp_path / "restored.gpkg")
    imported = run_alg("landeval:storeimport", {"INPUT": backup, "STORE": restored})
    assert json.loads(imported["CHECK"]) == counts
    a, b = stores.open_store(ref), stores.open_store(restored)
    try:
        assert a.digest() == b.digest()
    finally:
        a.close()
        b.close()


def test_createstore_through_qgis_process(tmp_path):
    import qgis_cli

    environ = qgis_cli.env(QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"))
    ok, out = qgis_cli.enable(environ=environ)
    assert ok, out
    path = str(tmp_path / "评估库.gpkg")
    proc = qgis_cli.run("run", "landeval:createstore", "--", "FILE=" + path, "CRS=EPSG:4549", environ=environ,
                        merge=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "schema version 2" in proc.stdout
    store = stores.open_store(path)
    try:
        assert store.version == 2 and store.crs_authid == "EPSG:4549" and store.years() == []
    finally:
        store.close()
    again = qgis_cli.run("run", "landeval:createstore", "--", "FILE=" + path, environ=environ, merge=True)
    assert again.returncode != 0 and "already exists" in again.stdout
