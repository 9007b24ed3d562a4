"""Issue 17 (data join memory): the compact join (rows' values in shared-key arrays, parcel sums in
arrays, enterprise records keeping their row) gives exactly what the dict-based join gave
(test/data_join_reference.py, main before the change): every value, count, indicator and every
line of the report, on workbooks with the cases bureaus send. The parcel and enterprise
GeoPackages written through QgsVectorFileWriter (StagedSink file_writer) hold the same rows,
columns, geometries and spatial index as through the ``ogr:`` URI."""
import copy
import os
import sqlite3

import data_join_reference as reference
import pytest
from test_data_fixtures import code, parcels_layer, pcode, read_sheet, save_layer, workbook

from landeval_plugin.core.enterprise.enterprise_join import join, parcel_attributes, read_link
from landeval_plugin.core.enterprise.enterprise_report import write_report
from landeval_plugin.core.enterprise.enterprise_table import EntRow, Values, read_table
from landeval_plugin.core.units import M2_PER_MU

YEAR = 2023
HEAD = ["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额 (万元)", "工业总产值（万元）", "营业收入(万元)",
        "工业增加值(万元)", "综合能耗(吨标准煤)", "研发经费(万元)", "年末从业人数(人)"]
PARCELS = {pcode(i): (i % 7 + 1) * 10 * M2_PER_MU for i in range(1, 9)}
PARCELS[pcode(8)] = 0.0  # no area: a split by area falls back to equal parts


def _long_rows():
    rows = [["XX区2021-2023年工业企业亩均效益数据"], HEAD]
    rows.append([code(1), "甲公司", pcode(1), 2023, 10.5, 100, 120, 30, 5, 1, 20])
    rows.append([code(1), "甲公司", pcode(1), 2023, 10.5, 100, 120, 30, 5, 1, 20])          # identical duplicate
    rows.append([code(1), "甲公司", pcode(1), 2023, 11.0, 100, 120, 30, 5, 1, 20])          # same key, other values
    rows.append([code(1), "甲公司", pcode(1), 2022, "1,234.5", "１２３", "5万元", None, "—", "/", "无"])
    rows.append([code(1), "甲公司", pcode(1), 2021, "-0", 0, 0.0, None, None, None, None])   # zero and -0 as text
    rows.append([None, None, None, None, None, None, None, None, None, None, None])         # blank row
    rows.append(["  ", " ", None, None, None, None, None, None, None, None, None])           # whitespace only
    rows.append([code(2), "=HYPERLINK(\"http://x\",\"乙\")", pcode(2), 2023, 8, 50, None, 60, 2, 70, 3])  # va > out
    rows.append([code(3), "+1 @SUM(A1)", pcode(2), 2023, 4, None, 10, None, None, None, None])  # partial fields
    rows.append([code(4), "-2+3", pcode(3) + "、" + pcode(4), 2023, 9, 90, 90, 9, 9, 9, 9])  # two codes: by area
    rows.append([code(5), "丁", pcode(3) + "," + pcode(99), 2023, 3, 3, 3, 3, 3, 3, 3])     # one code missing
    rows.append([code(6), "戊", pcode(99), 2023, 1, 1, 1, 1, 1, 1, 1])                     # parcel not in layer
    rows.append([code(7), "己", pcode(5), 2019, 1, 1, 1, 1, 1, 1, 1])                      # year outside
    rows.append([code(8), "庚", pcode(5), None, 1, 1, 1, 1, 1, 1, 1])                      # no year
    rows.append([code(9), "辛", pcode(5), "abc", 1, 1, 1, 1, 1, 1, 1])                     # not a year
    rows.append([code(10), "壬", pcode(5), 2023, -5, 1, 1, 1, 1, 1, 1])                    # negative
    rows.append(["91330122MA00000099", "无效代码", pcode(6), 2023, 2, 2, 2, 2, 2, 2, 2])    # invalid credit code
    rows.append([None, "合计", None, None, 999, 999, 999, 999, 999, 999, 999])               # total row
    rows.append([None, None, pcode(6), None, None, None, None, None, None, None, None])      # empty form line
    rows.append([code(11), "规模", pcode(8) + ";" + pcode(7), 2023, 6, 6, 6, 6, 6, 6, 6])   # area 0 and area
    rows.append([code(12), "链接甲", None, 2023, 100, 50, 50, 5, 5, 5, 5])                  # by link: shares
    rows.append([code(13), "链接乙", None, 2023, 90, 10, 10, 1, 1, 1, 1])                   # link, no share
    rows.append([code(14), "无链接", None, 2023, 1, 1, 1, 1, 1, 1, 1])                      # not in link table
    for i in range(12):  # twelve enterprises on one parcel (a set of identities from the ninth on)
        rows.append([code(100 + i), "企业{}".format(i), pcode(7), 2023, 1.25 * i, 2.5, None if i % 3 else 4, 1, 1,
                     0.5, i])
        rows.append([code(100 + i), "企业{}".format(i), pcode(7), 2022, 1.0, 2.0, 3.0, 1, 1, 0.5, i])
    return rows


def _link(tmp_path):
    return workbook(str(tmp_path / "link.xlsx"), [
        ["企业地块关联表"], ["统一社会信用代码", "企业名称", "宗地代码", "分摊比例"],
        [code(12), "链接甲", pcode(1), "60%"], [code(12), "链接甲", pcode(2), "40%"],
        [code(13), "链接乙", pcode(3), None], [code(13), "链接乙", pcode(4), None],
        [code(13), "链接乙", "330122999999GB99999", None]])


def _plain(table):
    """The table as the old reader left it: every row's values as plain dicts."""
    old = copy.copy(table)
    old.rows = []
    for row in table.rows:
        r = EntRow(row.sheet, row.row)
        r.parcel_codes, r.credit_code, r.name, r.scale = row.parcel_codes, row.credit_code, row.name, row.scale
        r.values = {y: dict(v.items()) for y, v in row.values.items()}
        old.rows.append(r)
    return old


def _report_cells(path):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


def _wide_csv(tmp_path):
    text = ("统一社会信用代码,企业名称,宗地代码,税收2021(万元),税收2022(万元),税收2023(万元),用电量2023(千瓦时),"
            "综合能耗(吨标准煤)\n"
            "{c1},宁波某某机械有限公司,{p1},\"1,000\",2000,３０００,\"150,000\",12\n"
            "{c2},=cmd|' /C calc'!A0,{p2},,—,5,,\n"
            "{c1},宁波某某机械有限公司,{p1},\"1,000\",2000,３０００,\"150,000\",12\n"
            ",,,,,,,\n"
            "{c3},@丙,{p1},1,2,3,4,5\n").format(c1=code(1), c2=code(2), c3=code(3), p1=pcode(1), p2=pcode(2))
    path = str(tmp_path / "wide_gbk.csv")
    with open(path, "wb") as fh:
        fh.write(text.encode("gbk"))
    return path


@pytest.mark.parametrize("kind", ["long", "wide_gbk_csv"])
def test_compact_join_gives_the_dict_join_result_and_report(qgis_app, tmp_path, kind):
    if kind == "long":
        path = workbook(str(tmp_path / "e.xlsx"), _long_rows())
        link = read_link(_link(tmp_path))
    else:
        path, link = _wide_csv(tmp_path), None
    table = read_table(path)
    assert table.rows and all(isinstance(r.values, Values) for r in table.rows)
    new = join(table, PARCELS, YEAR, link=link)
    old = reference.join(_plain(table), PARCELS, YEAR, link=link)
    # the account of every row not used, in the same order, with the same words
    for name in ("unmatched", "duplicates", "invalid", "splits", "unused", "partial", "checks", "no_enterprise",
                 "notes"):
        assert getattr(new, name) == getattr(old, name), name
    assert (new.used_rows, new.total_rows) == (old.used_rows, old.total_rows)
    assert new.parcel_scale == old.parcel_scale
    # per parcel and year: every value (None where no enterprise gave it) and the enterprise count
    assert set(new.parcel_values) == set(old.parcel_values)
    for parcel, by_suffix in old.parcel_values.items():
        assert set(new.parcel_values[parcel]) == set(by_suffix)
        for suffix, values in by_suffix.items():
            got = dict(new.parcel_values[parcel][suffix].items())
            assert got == values and all(
                repr(got[f]) == repr(values[f]) for f in values), (parcel, suffix)  # -0.0 stays -0.0
            assert new.enterprise_count(parcel, suffix) == len(old.parcel_count[parcel][suffix])
    # what each parcel gets written, indicators included
    for parcel, area in PARCELS.items():
        a, b = parcel_attributes(new, parcel, area), reference.parcel_attributes(old, parcel, area)
        assert a == b and [repr(v) for v in a.values()] == [repr(b[k]) for k in a], parcel
    # the enterprises table, record by record
    records = [(p, c, n, y, s, dict(v.items()), w, sc) for p, c, n, y, s, v, w, sc in new.enterprise_records()]
    assert records == [(p, c, n, y, s, dict(v), w, sc) for p, c, n, y, s, v, w, sc in old.enterprises]
    assert len(records) == len(old.enterprises) > 0
    # the report workbook: every sheet, every cell (text stays text: formulas-looking names included)
    write_report(str(tmp_path / "new.xlsx"), table, new, link)
    write_report(str(tmp_path / "old.xlsx"), _plain(table), old, link)
    new_cells, old_cells = _report_cells(str(tmp_path / "new.xlsx")), _report_cells(str(tmp_path / "old.xlsx"))
    assert new_cells == old_cells
    if kind == "long":  # the cases were really there
        assert len(new.duplicates) == 2 and len(new.checks) >= 1 and new.partial and new.splits
        assert any(u[4] == pcode(99) for u in new.unmatched)
        assert new.enterprise_count(pcode(7)) == 13  # twelve, and 规模 split over parcels 8 and 7
        names = [r[3] for r in new_cells["Unmatched enterprises"]] + [r[2] for r in records]
        assert '=HYPERLINK("http://x","乙")' in names
        assert new.parcel_values[pcode(1)]["_y2"]["tax_10k"] == 0.0
    else:
        assert table.encoding == "GBK" and table.layout == "wide" and len(new.duplicates) == 1


def _rows(path, table):
    con = sqlite3.connect(path)
    try:
        cols = [r[1] for r in con.execute('PRAGMA table_info("{}")'.format(table))]
        data = con.execute('SELECT * FROM "{}" ORDER BY 1'.format(table)).fetchall()
        rtree = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'rtree_%' ORDER BY 1")]
        index = [con.execute('SELECT * FROM "{}" ORDER BY 1'.format(t)).fetchall() for t in rtree if
                 t.endswith(("_node", "_rowid", "_parent"))]
        schema = con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        ext = con.execute("SELECT * FROM gpkg_extensions ORDER BY 1, 2, 3").fetchall() if rtree else []
        geom = con.execute("SELECT * FROM gpkg_geometry_columns").fetchall()
        return cols, data, rtree, index, schema, ext, geom
    finally:
        con.close()


def test_outputs_through_the_file_writer_are_the_ogr_uri_outputs(qgis_app, run_alg, tmp_path, monkeypatch):
    from landeval_plugin.processing import base

    layer = parcels_layer([(code, area if area else 1.0, "城东街道") for code, area in PARCELS.items()])
    parcels = save_layer(layer, str(tmp_path / "parcels.gpkg"))
    table = workbook(str(tmp_path / "e.xlsx"), _long_rows())
    link = _link(tmp_path)
    outputs = {}
    original = base.StagedSink.__init__

    def ogr_uri(self, *args, file_writer=None, **kwargs):
        original(self, *args, file_writer=False, **kwargs)

    for route in ("file_writer", "ogr_uri"):
        if route == "ogr_uri":  # the way every other algorithm writes
            monkeypatch.setattr(base.StagedSink, "__init__", ogr_uri)
        folder = tmp_path / route
        os.makedirs(str(folder))
        res = run_alg("landeval:joinenterprises", {
            "INPUT": parcels, "TABLE": table, "LINK": link, "YEAR": YEAR, "OUTPUT": str(folder / "parcels.gpkg"),
            "OUTPUT_ENTERPRISES": str(folder / "ents.gpkg"), "REPORT": str(folder / "report.xlsx")})
        outputs[route] = (_rows(str(folder / "parcels.gpkg"), "parcels"), _rows(str(folder / "ents.gpkg"), "ents"),
                          {s: read_sheet(str(folder / "report.xlsx"), s) for s in ("Unmatched enterprises",
                                                                                  "Duplicate rows", "Data problems",
                                                                                  "Rows not used")},
                          {k: v for k, v in res.items() if k not in ("OUTPUT", "OUTPUT_ENTERPRISES", "REPORT")})
    assert outputs["file_writer"] == outputs["ogr_uri"]
    parcels_out, ents_out = outputs["file_writer"][0], outputs["file_writer"][1]
    assert len(parcels_out[1]) == len(PARCELS) and parcels_out[2]  # every parcel, with its spatial index
    assert len(ents_out[1]) > 30 and not ents_out[2]
