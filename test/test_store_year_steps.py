"""landeval:dossiers, landeval:clusters, landeval:disposal and landeval:grade on a layer of the
LandEval store holding several years (one row per parcel and year): each works on one year's rows
(YEAR, their evaluation year, else the newest) and says which in the log, exactly as on a layer of
that year alone; a YEAR the layer does not hold fails naming the years it holds."""
import os
import sys

import pytest
import test_meeting_store_years as years
from feedback_log import recording_feedback
from test_meeting_store_years import CODES, PARCELS, YEARS

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grade_fixtures import random_rows, write_layer

store_layers = years.store_layers  # the fixture of that file


def source_of(path):
    return "{}|layername=graded".format(path)


def year_lines(feedback):
    """The line naming the years found and the year used (used, not only counted: the step works on them)."""
    lines = [line for line in feedback.lines if "2023、2024、2025" in line]
    assert all("are used" in line or "只使用" in line for line in lines), lines
    return lines


def features(path, layer=None):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(path if layer is None else "{}|layername={}".format(path, layer), "out", "ogr")
    assert layer.isValid(), path
    return list(layer.getFeatures())


def val(v):
    return None if v is None or (hasattr(v, "isNull") and v.isNull()) or str(v) == "NULL" else v


# ---- dossiers: one sheet per parcel of the year ----------------------------------------------------
def test_dossiers_print_one_sheet_per_parcel_of_one_year(store_layers, run_alg, tmp_path):
    from qgis.core import QgsProcessingException
    from test_dossier_pool import page_texts, pdf_pages

    _, one, path = store_layers
    feedback = recording_feedback()
    pdf = tmp_path / "all.pdf"
    res = run_alg("landeval:dossiers", {"INPUT": source_of(path), "OUTPUT_PDF": str(pdf), "WORKERS": 1},
                  feedback=feedback)
    alone = tmp_path / "2025.pdf"
    alone_log = recording_feedback()
    ref = run_alg("landeval:dossiers", {"INPUT": one[2025], "OUTPUT_PDF": str(alone), "WORKERS": 1},
                  feedback=alone_log)
    assert not year_lines(alone_log)  # a layer of one year: as before, nothing chosen
    assert res["SHEETS"] == ref["SHEETS"] == len(PARCELS)          # not 21 sheets over three years
    assert res["PAGES"] == ref["PAGES"] == pdf_pages(pdf) == pdf_pages(alone)
    lines = year_lines(feedback)
    assert len(lines) == 1 and "2025" in lines[0].split("2023、2024、2025", 1)[1], feedback.lines
    assert any("2025" in line and str(len(PARCELS)) in line for line in feedback.lines
               if "sheets" in line or "体检表" in line or "张" in line), feedback.lines
    text = "\n".join(page_texts(pdf))
    assert all(text.count(code) >= 1 for code in CODES)
    assert "2025年度" in text and "2023年度" not in text
    # YEAR picks another year: that year's rows, its title
    feedback = recording_feedback()
    old = tmp_path / "2023.xlsx"
    res = run_alg("landeval:dossiers", {"INPUT": source_of(path), "XLSX": str(old), "YEAR": 2023},
                  feedback=feedback)
    assert res["SHEETS"] == len(PARCELS) and "YEAR" in year_lines(feedback)[0]
    from openpyxl import load_workbook

    assert [ws.title for ws in load_workbook(old).worksheets][1:] == CODES  # after the 目录
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:dossiers", {"INPUT": source_of(path), "XLSX": str(tmp_path / "x.xlsx"), "YEAR": 2019})
    assert "2023、2024、2025" in str(err.value) and "2019" in str(err.value)


# ---- clusters: neighbours within the year ----------------------------------------------------------
def _clusters(run_alg, tmp_path, name, params, feedback=None):
    out, parcels = str(tmp_path / (name + ".gpkg")), str(tmp_path / (name + "_p.gpkg"))
    res = run_alg("landeval:clusters", dict(params, OUTPUT=out, OUTPUT_PARCELS=parcels), feedback=feedback)
    got = sorted(tuple(sorted(str(f["parcel_codes"]).replace("；", ",").replace(";", ",").replace("、", ",")
                              .split(","))) for f in features(out))
    return res, got


def test_clusters_link_neighbours_within_one_year(store_layers, run_alg, tmp_path):
    _, one, path = store_layers
    cd = {"FILTER": "\"grade\" IN ('C','D')"}
    for gap in (0.0, 150.0):
        feedback = recording_feedback()
        res, got = _clusters(run_alg, tmp_path, "all{:g}".format(gap), dict(cd, INPUT=source_of(path), GAP_M=gap),
                             feedback)
        alone_log = recording_feedback()
        ref, want = _clusters(run_alg, tmp_path, "one{:g}".format(gap), dict(cd, INPUT=one[2025], GAP_M=gap),
                              alone_log)
        assert not year_lines(alone_log)
        assert got == want and res["CLUSTER_COUNT"] == ref["CLUSTER_COUNT"], (gap, got, want)
        assert res["CLUSTERED_COUNT"] == ref["CLUSTERED_COUNT"]
        assert len(year_lines(feedback)) == 1
    # gap 0: the parcels are apart, a parcel's own rows of other years are no neighbours
    assert _clusters(run_alg, tmp_path, "z", dict(cd, INPUT=source_of(path)))[0]["CLUSTER_COUNT"] == 0
    # 150 m bridges the 80–145 m between parcels: C/D of 2025 are 00001–00003 and 00006–00007
    assert want == [tuple(CODES[0:3]), tuple(CODES[5:7])]
    res, got = _clusters(run_alg, tmp_path, "y23", dict(cd, INPUT=source_of(path), GAP_M=150.0,
                                                                YEAR=2023))
    ref, want = _clusters(run_alg, tmp_path, "o23", dict(cd, INPUT=one[2023], GAP_M=150.0))
    assert got == want and res["CLUSTER_COUNT"] == ref["CLUSTER_COUNT"]
    members = {f["parcel_code"]: (f["year"], val(f["cluster_id"])) for f in features(str(tmp_path / "y23_p.gpkg"))}
    assert len(features(str(tmp_path / "y23_p.gpkg"))) == len(PARCELS) and {y for y, _ in members.values()} == {2023}
    assert sum(1 for _, c in members.values() if c) == ref["CLUSTERED_COUNT"]


# ---- disposal: the year's parcels, its plan ---------------------------------------------------------
def _area(x0, x1):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer
    from test_meeting_store_years import X0, Y0

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549", "area", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromRect(QgsRectangle(X0 + x0, Y0 - 100, X0 + x1, Y0 + 100)))
    assert layer.dataProvider().addFeatures([f])[0]
    return layer


def test_disposal_proposes_paths_for_one_year(store_layers, run_alg, tmp_path):
    _, one, path = store_layers
    # the development boundary holds parcels 1–4, the industrial line parcels 3–7
    areas = {"DEVELOPMENT_BOUNDARY": _area(-10, 790), "INDUSTRIAL_LINE": _area(390, 1400)}
    for year, params in ((2025, {}), (2024, {"YEAR": 2024})):
        feedback = recording_feedback()
        out = str(tmp_path / "d{}.gpkg".format(year))
        res = run_alg("landeval:disposal", dict(params, INPUT=source_of(path), OUTPUT=out, **areas), feedback=feedback)
        ref_out = str(tmp_path / "o{}.gpkg".format(year))
        ref = run_alg("landeval:disposal", dict(areas, INPUT=one[year], OUTPUT=ref_out))
        assert res["SUMMARY"] == ref["SUMMARY"] and res["REPORT"] == ref["REPORT"]
        rows = {f["parcel_code"]: (f["year"], f["disposal"], f["disposal_reason"]) for f in features(out)}
        want = {f["parcel_code"]: (f["disposal"], f["disposal_reason"]) for f in features(ref_out)}
        assert len(features(out)) == len(PARCELS) and {y for y, _, _ in rows.values()} == {year}
        assert {c: v[1:] for c, v in rows.items()} == want
        assert len(year_lines(feedback)) == 1


# ---- grade: quotas, benchmarks and ranks within the year ---------------------------------------------
@pytest.fixture
def graded_store(qgis_new_project, tmp_path):
    """A store whose graded table holds 30 parcels' raw values for 2023–2025 (other values each year)."""
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core import store as stores

    path = str(tmp_path / "评估库.gpkg")
    store = stores.create_store(path)
    rows = {}
    try:
        for k, year in enumerate(YEARS):
            rows[year] = random_rows(30, seed=11 + k)
            assert store.write_layer(year, "graded", write_layer(None, rows[year])) == 30
    finally:
        store.close()
    layer = QgsVectorLayer(source_of(path), "graded", "ogr")
    assert layer.featureCount() == 90
    yield path, rows
    qgis_new_project.removeAllMapLayers()


def _grades(path):
    return {f["parcel_code"]: (f["grade"], val(f["rank"]), val(f["score"]), f["grade_reason"])
            for f in features(path)}


def test_grade_ranks_within_one_year(graded_store, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path, rows = graded_store
    std = "zhejiang_huangyan_2022"
    for year, params in ((2025, {}), (2023, {"YEAR": 2023})):
        feedback = recording_feedback()
        out = str(tmp_path / "g{}.gpkg".format(year))
        res = run_alg("landeval:grade", dict(params, INPUT=source_of(path), STANDARD=std, OUTPUT=out),
                      feedback=feedback)
        alone = str(tmp_path / "a{}.gpkg".format(year))
        ref = run_alg("landeval:grade", {"INPUT": write_layer(None, rows[year]), "STANDARD": std, "YEAR": year,
                                         "OUTPUT": alone})
        got, want = _grades(out), _grades(alone)
        assert len(features(out)) == 30 and got == want
        assert sorted(r for _, r, _, _ in got.values() if r is not None) == list(range(1, 1 + sum(
            1 for _, r, _, _ in want.values() if r is not None)))
        assert res["SUMMARY"] == ref["SUMMARY"]
        assert {f["eval_year"] for f in features(out)} == {year}
        assert len(year_lines(feedback)) == 1
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:grade", {"INPUT": source_of(path), "STANDARD": std, "YEAR": 2019,
                                   "OUTPUT": str(tmp_path / "x.gpkg")})
    assert "2023、2024、2025" in str(err.value) and "2019" in str(err.value)
