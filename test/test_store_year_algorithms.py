"""Headless algorithms on a layer of the LandEval store holding several years (one row per parcel
and year): landeval:exportmap, landeval:lists and landeval:statistics count one year (YEAR, or
the newest) and say which in the log; a FILTER that keeps one year leaves nothing to choose."""
import json

import pytest
import test_meeting_store_years as years
from feedback_log import recording_feedback
from test_meeting_lists_maps import pdf_text
from test_meeting_store_years import PARCELS, YEARS, expected_counts, mu

store_layers = years.store_layers  # the fixture of that file


def source_of(path):
    return "{}|layername=graded".format(path)


def legend_of(results):
    return {e["key"] or "": (e["count"], e["mu"]) for e in json.loads(results["LEGEND"])}


def assert_legend_is_the_year(results, year):
    want = expected_counts(year)
    legend = legend_of(results)
    assert {k: n for k, (n, _) in legend.items() if n} == {g: n for g, (n, _) in want.items()}
    assert all(legend[g][1] == pytest.approx(m, abs=0.01) for g, (_, m) in want.items())
    assert results["COUNT"] == len(PARCELS)


def year_lines(feedback):
    return [line for line in feedback.lines if "2023、2024、2025" in line]


def test_exportmap_without_filter_maps_the_newest_year_and_says_so(store_layers, run_alg, tmp_path):
    _, _, path = store_layers
    feedback = recording_feedback()
    pdf = str(tmp_path / "分类图.pdf")
    res = run_alg("landeval:exportmap", {"INPUT": source_of(path), "KIND": 0, "PRESET": 0, "OUTPUT_PDF": pdf,
                                         "DATE": "2026-11-30"}, feedback=feedback)
    assert_legend_is_the_year(res, 2025)                          # not 21 parcels over three years
    lines = year_lines(feedback)
    assert len(lines) == 1 and "2025" in lines[0].split("2023、2024、2025", 1)[1], feedback.lines
    assert any("{} ".format(len(PARCELS)) in line for line in feedback.lines if "mu" in line or "亩" in line)
    text = pdf_text(pdf)
    assert "2025" in text and "合计:{} 宗".format(len(PARCELS)) in text  # title/subtitle and total of the year
    assert "合计:{} 宗".format(len(PARCELS) * len(YEARS)) not in text


def test_exportmap_year_parameter_and_a_filter_of_one_year(store_layers, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    _, _, path = store_layers
    feedback = recording_feedback()
    res = run_alg("landeval:exportmap", {"INPUT": source_of(path), "KIND": 0, "PRESET": 0, "YEAR": 2023,
                                         "OUTPUT_PNG": str(tmp_path / "2023.png"), "DPI": 30}, feedback=feedback)
    assert_legend_is_the_year(res, 2023)
    assert len(year_lines(feedback)) == 1 and "YEAR" in year_lines(feedback)[0]
    # the page's way (FILTER "year" = 2024): one year already, nothing chosen, nothing logged
    feedback = recording_feedback()
    res = run_alg("landeval:exportmap", {"INPUT": source_of(path), "KIND": 0, "PRESET": 0, "FILTER": '"year" = 2024',
                                         "OUTPUT_PNG": str(tmp_path / "2024.png"), "DPI": 30}, feedback=feedback)
    assert_legend_is_the_year(res, 2024) and not year_lines(feedback)
    # a filter of a town over every year: that town, of the newest year
    res = run_alg("landeval:exportmap", {"INPUT": source_of(path), "KIND": 0, "PRESET": 0,
                                         "FILTER": "\"town\" = '横村镇'", "OUTPUT_PNG": str(tmp_path / "t.png"),
                                         "DPI": 30})
    assert res["COUNT"] == sum(1 for _, town, _ in PARCELS if town == "横村镇")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:exportmap", {"INPUT": source_of(path), "KIND": 0, "PRESET": 0, "YEAR": 2019,
                                       "OUTPUT_PNG": str(tmp_path / "2019.png"), "DPI": 30})
    assert "2023、2024、2025" in str(err.value) and "2019" in str(err.value)


def test_exportmap_on_a_layer_of_one_year_is_unchanged(store_layers, run_alg, tmp_path):
    _, one, path = store_layers
    feedback = recording_feedback()
    res = run_alg("landeval:exportmap", {"INPUT": one[2024], "KIND": 0, "PRESET": 0,
                                         "OUTPUT_PNG": str(tmp_path / "one.png"), "DPI": 30}, feedback=feedback)
    assert_legend_is_the_year(res, 2024) and not year_lines(feedback)


def test_lists_and_statistics_count_one_year(store_layers, run_alg, tmp_path):
    from openpyxl import load_workbook

    _, _, path = store_layers
    feedback = recording_feedback()
    res = run_alg("landeval:lists", {"INPUT": source_of(path), "KIND": 1, "OUTPUT_XLSX": str(tmp_path / "k.xlsx")},
                  feedback=feedback)
    # 重点服务企业 (A and B) of 2025: 00004 (A) and 00005 (B) once each, not five rows over three years
    assert res["COUNT"] == 2 and len(year_lines(feedback)) == 1
    res = run_alg("landeval:lists", {"INPUT": source_of(path), "KIND": 1, "YEAR": 2023,
                                     "OUTPUT_XLSX": str(tmp_path / "k23.xlsx")})
    assert res["COUNT"] == 2 and json.loads(res["SUMMARY"])["mu"] == pytest.approx(
        round(mu(2, 2023) + mu(3, 2023), 2), abs=0.01)

    feedback = recording_feedback()
    book = tmp_path / "统计.xlsx"
    res = run_alg("landeval:statistics", {"INPUT": source_of(path), "OUTPUT_XLSX": str(book), "YEAR": 2024},
                  feedback=feedback)
    assert res["PARCELS"] == len(PARCELS) and len(year_lines(feedback)) == 1
    summary = json.loads(res["SUMMARY"])
    counted = [v["count"] for v in summary.values() if v["count"] is not None]
    assert counted and all(n == len(PARCELS) for n in counted)
    cells = [str(c.value) for ws in load_workbook(book).worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("({} 宗".format(len(PARCELS)) in c or "{} parcels".format(len(PARCELS)) in c or
               "{} 宗".format(len(PARCELS)) in c for c in cells)
    assert any("2024" in c and "2023、2024、2025" in c for c in cells)
