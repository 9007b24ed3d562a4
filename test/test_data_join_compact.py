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


# --- joining while reading (branch join18): the algorithm streams the workbook through Joiner -------------------

def _sheets_workbook(tmp_path):
    """Several sheets read with '*': an undated sheet before a dated one (the layout is 'long'
    only because of the second sheet), duplicates across sheets, a sheet without a header, a
    sheet with a column recognised twice, problems on every sheet, a row with no value."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "能耗"
    ws.append(["统一社会信用代码", "企业名称", "宗地代码", "税收总额(万元)", "综合能耗(吨标准煤)"])
    ws.append([code(1), "甲公司", pcode(1), 10.5, 5])              # undated: the evaluation year; dup below
    ws.append([code(2), "乙公司", pcode(2), "abc", 3])             # text in a numeric column
    ws.append([code(3), "只有名称", pcode(3), None, None])          # no value: no usable year in 'long'
    ws.append([code(4), "丁", pcode(4), -1, 2])                    # negative
    ws.append([None, None, None, None, None])                      # blank
    ws.append([code(5), "戊", pcode(99), 1, 1])                    # parcel not in the layer
    ws = wb.create_sheet("说明")
    ws.append(["本表说明"])
    ws.append(["数据来源：统计局"])
    ws = wb.create_sheet("税收")
    ws.append(["XX区企业税收"])
    ws.append(["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)",
               "税收总额(万元)",                                           # a column recognised twice
               "综合能耗(吨标准煤)", "营业收入(万元)"])
    ws.append([code(1), "甲公司", pcode(1), 2023, 10.5, 9, 5, 100])   # same key as 能耗!2: values differ
    ws.append([code(2), "乙公司", pcode(2), 2023, None, None, 3, None])  # as 能耗!3: identical duplicate
    ws.append([code(2), "乙公司", pcode(2), 2023, None, None, 3, None])  # and again
    ws.append([code(6), "己", pcode(5), 2022, "1,000", None, None, "-5"])
    ws.append([code(7), "庚", pcode(5), 2019, 1, None, None, 1])      # year outside
    ws.append([code(8), "辛", pcode(6), "无", 1, None, None, 1])      # year missing
    ws.append([None, "合计", None, None, 999, None, None, 999])        # total row
    path = str(tmp_path / "sheets.xlsx")
    wb.save(path)
    return path


def _none_rows():
    """No year column and no year in a header ('none'): a row with a name and no value is an
    enterprise of the evaluation year here (in 'long' it is a row without a usable year)."""
    return [["企业名录"], ["统一社会信用代码", "企业名称", "宗地代码", "税收总额(万元)", "用电量(万千瓦时)"],
            [code(1), "甲公司", pcode(1), 10, 100],
            [code(2), "乙公司", pcode(1), None, None],                 # no value: joined, counted
            [None, None, None, None, None],                           # blank
            ["  ", " ", None, None, None],                            # whitespace only
            [None, "丙公司", pcode(2), None, None],                    # name only: joined by code
            [code(3), None, None, None, None],                        # credit code only, no parcel
            [code(1), "甲公司", pcode(1), 10, 100],                    # identical duplicate
            [code(1), "甲公司", pcode(1), 11, 100],                    # conflicting duplicate
            [None, None, pcode(3), None, None],                       # empty form line
            [code(4), "丁", pcode(2), "1万元", "１２"],
            [code(5), "戊", pcode(2), "-0", 0],                       # −0.0 ...
            [code(5), "戊", pcode(2), 0, "-0"]]                       # ... equals 0.0: an identical duplicate


def _merged_workbook(tmp_path):
    rows = [["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)", "工业总产值(万元)"],
            [code(1), "甲公司", pcode(1), 2023, 10, 100],
            [code(1), "甲公司", None, 2022, 9, 90],
            [code(1), "甲公司", None, 2021, 8, 80],
            [code(2), "乙公司", pcode(2), 2023, 5, None],
            [code(3), "丙公司", pcode(2), 2023, None, None]]
    # the parcel code and the name merged down over a company's years; a number merged over two rows
    return workbook(str(tmp_path / "merged.xlsx"), rows, merges=("C2:C4", "B2:B4", "F5:F6"))


def _streamed(path, year, link=None, sheet=None):
    """What the algorithm does: every row joined as it is read, each record taken as it is made."""
    from landeval_plugin.core.enterprise.enterprise_join import Joiner
    from landeval_plugin.core.enterprise.enterprise_table import TableStream

    stream = TableStream(path, sheet=sheet)
    assert stream.table.rows == []
    records = []

    def take(parcel, row, y, share, values):
        records.append((parcel, row.credit_code, row.name, y, share, dict(values.items()), row.where(), row.scale))

    joiner = Joiner(stream.table, PARCELS, year, link=link, records=take)
    try:
        for row in stream.rows():
            joiner.add(row)
    finally:
        stream.close()
    assert stream.layout_confirmed() and stream.table.rows == []  # nothing kept per row
    return stream.table, joiner.finish(), records


def _assert_same_join(tmp_path, table, new, records, old_table, old, link):
    for name in ("path", "sheets", "columns", "header_rows", "unused_columns", "layout", "years", "changes",
                 "problems", "skipped", "encoding", "is_form", "form_attributes", "data_rows"):
        assert getattr(table, name) == getattr(old_table, name), name
    for name in ("unmatched", "duplicates", "invalid", "splits", "unused", "partial", "checks", "no_enterprise",
                 "notes"):
        assert getattr(new, name) == getattr(old, name), name
    assert (new.used_rows, new.total_rows) == (old.used_rows, old.total_rows)
    assert new.parcel_scale == old.parcel_scale
    assert list(new.parcel_values) == list(old.parcel_values)  # in the same order
    for parcel, by_suffix in old.parcel_values.items():
        assert list(new.parcel_values[parcel]) == list(by_suffix)
        for suffix, values in by_suffix.items():
            got = dict(new.parcel_values[parcel][suffix].items())
            assert got == values and all(repr(got[f]) == repr(values[f]) for f in values), (parcel, suffix)
            assert new.enterprise_count(parcel, suffix) == len(old.parcel_count[parcel][suffix])
    for parcel, area in PARCELS.items():
        a, b = parcel_attributes(new, parcel, area), reference.parcel_attributes(old, parcel, area)
        assert a == b and [repr(v) for v in a.values()] == [repr(b[k]) for k in a], parcel
    assert records == [(p, c, n, y, s, dict(v), w, sc) for p, c, n, y, s, v, w, sc in old.enterprises]
    assert new.enterprises == [] and new.record_count() == len(old.enterprises)
    write_report(str(tmp_path / "streamed.xlsx"), table, new, link)
    write_report(str(tmp_path / "reference.xlsx"), _plain(old_table), old, link)
    assert _report_cells(str(tmp_path / "streamed.xlsx")) == _report_cells(str(tmp_path / "reference.xlsx"))


@pytest.mark.parametrize("kind", ["long", "wide_gbk_csv", "sheets", "none", "merged"])
def test_join_while_reading_gives_the_dict_join_result_and_report(qgis_app, tmp_path, kind):
    link, sheet = None, None
    if kind == "long":
        path = workbook(str(tmp_path / "e.xlsx"), _long_rows())
        link = read_link(_link(tmp_path))
    elif kind == "wide_gbk_csv":
        path = _wide_csv(tmp_path)
    elif kind == "sheets":
        path, sheet = _sheets_workbook(tmp_path), "*"
    elif kind == "none":
        path = workbook(str(tmp_path / "none.xlsx"), _none_rows())
    else:
        path = _merged_workbook(tmp_path)
    table, new, records = _streamed(path, YEAR, link=link, sheet=sheet)
    old_table = read_table(path, sheet=sheet)
    old = reference.join(_plain(old_table), PARCELS, YEAR, link=link)
    _assert_same_join(tmp_path, table, new, records, old_table, old, link)
    assert records
    if kind == "sheets":  # the cases were there, in the order sheet by sheet reading reports them
        assert table.layout == "long" and table.sheets == ["能耗", "税收"]
        assert [(d[0], d[1], d[6], d[7].startswith("identical")) for d in new.duplicates] == [
            ("税收", 3, "能耗!2", False), ("税收", 4, "能耗!3", True), ("税收", 5, "能耗!3", True)]
        assert [p[:2] for p in table.problems] == [("能耗", 3), ("能耗", 5), ("税收", None), ("税收", 6), ("税收", 8)]
        assert ("能耗", 4, code(3), "只有名称", "no usable year or value on the row") in new.unused
        assert any(s[0] == "说明" and s[1] is None for s in table.skipped)
        assert any(n.startswith("Sheet 能耗") for n in new.notes)
    elif kind == "none":
        assert table.layout == "none" and new.enterprise_count(pcode(1)) == 2
        assert new.parcel_values[pcode(1)][""]["tax_10k"] == 10.0
        assert [d[1] for d in new.duplicates] == [9, 10, 14] and new.duplicates[2][7].startswith("identical")
        assert not new.unused
    elif kind == "merged":
        assert table.data_rows == 5 and new.parcel_values[pcode(1)]["_y2"]["tax_10k"] == 8.0
    elif kind == "wide_gbk_csv":
        assert table.encoding == "GBK"


def _damage_merges(path, sheet_no, ref, bad):
    """Rewrite one merged range of sheet ``sheet_no`` (1-based) to ``bad``."""
    import zipfile

    member = "xl/worksheets/sheet{}.xml".format(sheet_no)
    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == member:
                assert ref.encode() in data
                data = data.replace(ref.encode(), bad.encode())
            zout.writestr(info, data)


def test_join_while_reading_raises_what_reading_raised_where_it_raised(qgis_app, tmp_path):
    from landeval_plugin.core.enterprise.enterprise_join import Joiner, join
    from landeval_plugin.core.enterprise.enterprise_table import TableStream
    from landeval_plugin.core.formats.xlsx_reader import TableError

    # the second sheet's merged range lies beyond the sheet: its header pass meets the error first;
    # the rows of the first sheet still come before it, as sheet by sheet
    rows = [["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)"], [code(1), "甲", pcode(1), 2023, 1]]
    path = workbook(str(tmp_path / "bad.xlsx"), rows, extra_sheets={"二": rows})
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["二"].merge_cells("A5:B6")
    wb.save(path)
    _damage_merges(path, 2, "A5:B6", "A5:B2000000")
    with pytest.raises(TableError) as before:
        read_table(path, sheet="*")
    stream = TableStream(path, sheet="*")
    got = []
    with pytest.raises(TableError) as after:
        for row in stream.rows():
            got.append(row.where())
    stream.close()
    assert str(after.value) == str(before.value) and "2000000" in str(after.value) and got == ["企业数据!2"]
    # alone, the sheet raises at once
    with pytest.raises(TableError) as alone:
        TableStream(path, sheet="二")
    assert str(alone.value) == str(before.value)
    # a year that is not in the data: the same message, once every row was seen
    table = read_table(path, sheet="企业数据")
    with pytest.raises(TableError) as joined:
        join(table, PARCELS, 2030)
    stream = TableStream(path, sheet="企业数据")
    joiner = Joiner(stream.table, PARCELS, 2030, records=lambda *a: None)
    for row in stream.rows():
        joiner.add(row)
    stream.close()
    with pytest.raises(TableError) as streamed:
        joiner.finish()
    assert str(streamed.value) == str(joined.value) and "2030" in str(joined.value)


def _algorithm_outputs(run_alg, folder, parcels, table, sheet, feedback):
    os.makedirs(str(folder))
    res = run_alg("landeval:joinenterprises", {
        "INPUT": parcels, "TABLE": table, "SHEET": sheet, "YEAR": YEAR, "OUTPUT": str(folder / "parcels.gpkg"),
        "OUTPUT_ENTERPRISES": str(folder / "ents.gpkg"), "REPORT": str(folder / "report.xlsx")}, feedback=feedback)
    return (_rows(str(folder / "parcels.gpkg"), "parcels"), _rows(str(folder / "ents.gpkg"), "ents"),
            _report_cells(str(folder / "report.xlsx")),
            {k: v for k, v in res.items() if k not in ("OUTPUT", "OUTPUT_ENTERPRISES", "REPORT")})


def test_algorithm_joining_while_reading_gives_what_its_fallback_gives(qgis_app, run_alg, tmp_path, monkeypatch):
    """The fallback (read every row, then join) when the columns read would not confirm the layout
    the headers announced: the same files, and the reason in the log."""
    from feedback_log import recording_feedback

    from landeval_plugin.core.enterprise import enterprise_table

    layer = parcels_layer([(code, area if area else 1.0, "城东街道") for code, area in PARCELS.items()])
    parcels = save_layer(layer, str(tmp_path / "parcels.gpkg"))
    table = _sheets_workbook(tmp_path)
    streamed_log, fallback_log = recording_feedback(), recording_feedback()
    streamed = _algorithm_outputs(run_alg, tmp_path / "streamed", parcels, table, "*", streamed_log)
    monkeypatch.setattr(enterprise_table.TableStream, "layout_confirmed", lambda self: False)
    fallback = _algorithm_outputs(run_alg, tmp_path / "fallback", parcels, table, "*", fallback_log)
    assert streamed == fallback
    assert len(streamed[1][1]) == 4 and streamed[3]["DUPLICATES"] == 3
    warning = "did not give the layout its headers announced"
    assert any(warning in line for line in fallback_log.lines) and not any(warning in line for line in
                                                                          streamed_log.lines)
    sheets = [line for line in streamed_log.lines if line.startswith("Sheet ") and "header on rows" in line]
    assert sheets == [line for line in fallback_log.lines if line.startswith("Sheet ") and "header on rows" in line]
    assert len(sheets) == 2


def test_algorithm_reports_the_workbooks_error_before_the_link_tables(qgis_app, run_alg, tmp_path):
    """Both inputs broken: the workbook's error, as when the workbook was read before the link table."""
    from qgis.core import QgsProcessingException

    layer = parcels_layer([(pcode(1), 1000.0, "城东街道")])
    parcels = save_layer(layer, str(tmp_path / "parcels.gpkg"))
    rows = [["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)"], [code(1), "甲", pcode(1), 2023, 1],
            [code(2), "乙", pcode(1), 2023, 2], [code(3), "丙", pcode(1), 2023, 3]]
    table = workbook(str(tmp_path / "e.xlsx"), rows, merges=("A3:B4", "A4:C4"))  # overlapping: damaged
    link = str(tmp_path / "link.csv")
    with open(link, "w", encoding="utf-8") as fh:
        fh.write("甲,乙\n1,2\n")  # no credit code or parcel code column
    with pytest.raises(QgsProcessingException) as exc:
        run_alg("landeval:joinenterprises", {
            "INPUT": parcels, "TABLE": table, "LINK": link, "YEAR": YEAR, "OUTPUT": str(tmp_path / "p.gpkg"),
            "REPORT": str(tmp_path / "r.xlsx")})
    assert "merged cell ranges overlap" in str(exc.value)
    assert not os.path.exists(str(tmp_path / "p.gpkg")) and not os.path.exists(str(tmp_path / "r.xlsx"))
    with pytest.raises(QgsProcessingException) as exc:  # the workbook fine: the link table's error
        run_alg("landeval:joinenterprises", {
            "INPUT": parcels, "TABLE": workbook(str(tmp_path / "ok.xlsx"), rows), "LINK": link, "YEAR": YEAR,
            "OUTPUT": str(tmp_path / "p.gpkg"), "REPORT": str(tmp_path / "r.xlsx")})
    assert "link table" in str(exc.value)
