"""CSV files never carry a live formula (docs/reliability/text.md, "CSV files"): text from the data
or typed at the meeting that starts with = + - @ (or a tab / carriage return) is written with a
leading ', numbers stay numbers. Covers every CSV writer of the plugin: the 会议纪要 (.csv) and
every algorithm's table output saved as .csv (processing/base.py StagedSink), e.g. landeval:statistics."""
import csv
import datetime
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DDE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://example.invalid","点此")'


def test_cell_quotes_formula_text_and_keeps_numbers():
    from landeval_plugin.core.formats import csv_text

    assert csv_text.cell(DDE) == "'" + DDE
    assert csv_text.cell("+1+2") == "'+1+2"
    assert csv_text.cell("-1+A1") == "'-1+A1"
    assert csv_text.cell("@SUM(A1:A2)") == "'@SUM(A1:A2)"
    assert csv_text.cell("\t=1") == "'\t=1"
    assert csv_text.cell("\r=1") == "'\r=1"
    # numbers, and text that is a plain number, stay as they are (a negative number is not text)
    assert csv_text.cell(-3.5) == -3.5 and csv_text.cell(-7) == -7
    assert csv_text.cell("-12.5") == "-12.5" and csv_text.cell("+3") == "+3" and csv_text.cell("-1e3") == "-1e3"
    # ordinary text and empty values are untouched
    assert csv_text.cell("旧县街道") == "旧县街道" and csv_text.cell("a=b") == "a=b"
    assert csv_text.cell(None) is None and csv_text.cell("") == ""


def test_minutes_csv_quotes_formula_text(qgis_new_project, tmp_path):
    from test_meeting_walkthrough import make_layer

    from landeval_plugin.core.meeting import walkthrough as w

    layer = make_layer()
    items, what = w.build_list(layer, w.TOWN, None, "D")
    session = w.Session(layer.id(), items, w.TOWN, what, "=1+1 研判会", "2026-11-30")
    w.decide(layer, session, items[0][0], items[0][1], grade="C", reason=LINK, by="@张三",
             at=datetime.datetime(2026, 11, 30, 10, 1, 0))
    w.decide(layer, session, items[1][0], items[1][1], grade="C", reason=DDE, by="-李四",
             at=datetime.datetime(2026, 11, 30, 10, 2, 0))
    path = str(tmp_path / "minutes.csv")
    assert w.write_minutes(path, layer, session) == 2
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0][0] == "'" + w.tr("{} minutes").format("=1+1 研判会")
    assert lines[1][1] == "'=1+1 研判会"
    first, second = lines[-2], lines[-1]
    assert first[10] == "'" + LINK and first[11] == "'@张三"
    assert second[10] == "'" + DDE and second[11] == "'-李四"
    # the number and the area stay numbers
    assert first[0] == "1" and float(first[4]) == pytest.approx(60 * 50 / (10000 / 15), abs=0.01)
    # no cell of the file starts like a formula
    assert not [c for line in lines for c in line if c[:1] in ("=", "+", "@", "\t", "\r")
                or (c[:1] == "-" and not c[1:].replace(".", "", 1).isdigit())]


def test_statistics_table_saved_as_csv_quotes_town_names(tmp_path, run_alg, qgis_app):
    import meeting_fixture as mf

    layer = mf.make_layer(n=24)
    town = layer.fields().lookupField("town")
    ids = [f.id() for f in layer.getFeatures()]
    assert layer.dataProvider().changeAttributeValues({ids[1]: {town: DDE}, ids[2]: {town: "@SUM(1+1)"},
                                                       ids[3]: {town: "-12"}})
    src = mf.write_gpkg(layer, tmp_path / "parcels.gpkg")
    res = run_alg("landeval:statistics", {"INPUT": src, "OUTPUT_XLSX": str(tmp_path / "stats.xlsx"),
                                          "OUTPUT": str(tmp_path / "stats.csv")})
    assert res["OUTPUT"].endswith("stats.csv")
    with open(tmp_path / "stats.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    towns = {r["row"] for r in rows}
    assert "'" + DDE in towns and "'@SUM(1+1)" in towns and "-12" in towns
    assert DDE not in towns
    assert not [v for r in rows for v in r.values() if v and v[0] in "=+@"]
    # counts and areas are numbers
    total = [r for r in rows if r["row"] == "合计" and r["column"] == "合计"][0]
    assert int(total["count"]) == 24 and float(total["area_mu"]) > 0
    # the same table as a GeoPackage keeps the names exactly as they are
    res = run_alg("landeval:statistics", {"INPUT": src, "OUTPUT_XLSX": str(tmp_path / "stats2.xlsx"),
                                          "OUTPUT": str(tmp_path / "stats.gpkg")})
    from qgis.core import QgsVectorLayer

    names = {f["row"] for f in QgsVectorLayer(res["OUTPUT"], "t", "ogr").getFeatures()}
    assert DDE in names and "'" + DDE not in names
