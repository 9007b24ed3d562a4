"""Credit codes, cell cleaning and the workbook reader on generated messy workbooks."""
import zipfile

import openpyxl
import pytest
from test_data_fixtures import code, pcode, to_shared_strings, workbook

from landeval_plugin.core.enterprise import uscc
from landeval_plugin.core.enterprise.enterprise_clean import NumberCleaner, clean_code, clean_year, parse_share
from landeval_plugin.core.enterprise.enterprise_table import preview, read_table
from landeval_plugin.core.formats.xlsx_reader import TableError

# ---- GB 32100-2015 ---------------------------------------------------------------------

def test_uscc_known_valid_codes():
    # the commonly cited example and a well-known company's published code
    assert uscc.is_valid("91350100M000100Y43")
    assert uscc.check_digit("91350100M000100Y4") == "3"
    assert uscc.is_valid("91440300708461136T")
    assert uscc.check_digit("91440300708461136") == "T"


def test_uscc_check_digit_by_hand():
    # 91330122MA0000001 : values 9,1,3,3,0,1,2,2,M=21,A=10,0..0,1
    body = "91330122MA0000001"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    values = [9, 1, 3, 3, 0, 1, 2, 2, 21, 10, 0, 0, 0, 0, 0, 0, 1]
    expected = (31 - sum(v * w for v, w in zip(values, weights)) % 31) % 31
    assert uscc.check_digit(body) == uscc.CHARSET[expected]
    assert uscc.CHARSET[expected] == "B"   # 9+3+27+81+0+26+32+34+420+290+28 = 950; 950 % 31 = 20; 31-20 = 11 -> B
    assert uscc.is_valid(code(1)) and code(1) == "91330122MA0000001B"


def test_uscc_rejections():
    assert uscc.problem("91350100M000100Y4") == "length"
    assert uscc.problem("91350100M000100Y44") == "check"
    assert uscc.problem("91350100M0001O0Y43") == "charset"   # letter O is not allowed
    assert uscc.problem("") == "empty"
    # lower case and full-width input are normalised before checking
    assert uscc.problem("91350100m000100y43") is None
    assert uscc.is_valid(uscc.normalize("９１３５０１００Ｍ０００１００Ｙ４３"))
    # codes made from their parts (with the GB 11714 organisation check digit) are valid
    assert uscc.is_valid(uscc.make("9", "1", "350100", "M000100Y")) and uscc.make("9", "1", "350100", "M000100Y") \
        == "91350100M000100Y43"
    # the check character may be 0 when the sum is a multiple of 31
    bodies = ["91330122MA{:07d}".format(i) for i in range(400)]
    zero = [b for b in bodies if uscc.check_digit(b) == "0"]
    assert zero and all(uscc.is_valid(b + "0") for b in zero)


# ---- cells -------------------------------------------------------------------------------

def test_number_cleaning_reasons_and_units():
    yuan = NumberCleaner("10k_yuan", 0.0001)
    assert yuan.clean("1,234,567.89")[0] == 123.456789
    assert "thousands separators removed" in yuan.clean("1,234,567.89")[1]
    value, reasons, error = yuan.clean("１２３，４５６．７８")
    assert value == 12.345678 and error is None and "full-width characters converted" in reasons
    # a unit typed in the cell wins over the header unit
    assert yuan.clean("12.5万元")[0] == 12.5
    assert yuan.clean("1.2亿元")[0] == 12000.0
    value, reasons, _ = yuan.clean("１２（万元）")            # full-width digits and brackets around the unit
    assert value == 12.0 and "full-width characters converted" in reasons
    for token in ("—", "-", "/", "无", "N/A", "Ｎ／Ａ", "", "  ", "——"):
        assert yuan.clean(token)[0] is None and yuan.clean(token)[2] is None, token
    assert yuan.clean(None) == (None, (), None)
    value, _, error = yuan.clean("约100")
    assert value is None and "约100" in error
    assert NumberCleaner("tce", 0.001).clean(2500)[0] == 2.5
    assert NumberCleaner("person").clean("120人")[0] == 120.0
    assert NumberCleaner("10k_yuan").clean(0)[0] == 0.0      # a real zero stays zero


def test_codes_years_shares():
    assert clean_code(" 91350100m000100y43 ") == ("91350100M000100Y43", clean_code(" 91350100m000100y43 ")[1])
    assert clean_code("—")[0] is None
    assert clean_code(3301221.0)[0] == "3301221"
    assert clean_year("2023年") == 2023 and clean_year("２０２２年度") == 2022 and clean_year(2021.0) == 2021
    assert clean_year("去年") is None
    assert parse_share("60%") == (0.6, True)
    assert parse_share(0.25) == (0.25, False)


# ---- workbooks ---------------------------------------------------------------------------

def messy_rows():
    return [
        ["XX区2023年度规模以上工业企业亩均效益评价数据表"],
        ["填报单位：区统计局", None, None, None, "单位：见表头"],
        ["序号", "统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额（元）", "工业总产值(亿元)",
         "综合能耗（千克标准煤）", "年末从业人数(人)", "研发经费(万元)", "规上/规下", "备注"],
        [1, code(1), "甲公司（一期）", pcode(1), 2023, "1,234,567.89", 0.52, "12,000", "150人",
         "３０．５", "规上", None],
        [2, code(2), "乙公司", pcode(2), "2023年", 98765.43, "—", "无", "N/A", "/", "规下", "=HYPERLINK(1)"],
        [3, code(3), "丙公司", pcode(3), 2023, "-200", "abc", 800, 12, "12万元", "规上", None],
        [None, "合计", None, None, None, 1333333.32, 0.52],
    ]


def test_messy_long_workbook_values_to_the_cent(tmp_path):
    path = workbook(str(tmp_path / "messy.xlsx"), messy_rows(), merges=["A1:L1"])
    table = read_table(path)
    assert table.header_rows["企业数据"] == (3, 3)
    assert table.layout == "long" and table.years == {2023}
    rows = {r.credit_code: r for r in table.rows}
    assert len(rows) == 3
    a = rows[code(1)].values[2023]
    assert a["tax_10k"] == 123.456789                 # 元 -> 万元, thousands separators
    assert a["output_10k"] == 5200.0                  # 亿元 -> 万元
    assert a["energy_tce"] == 12.0                    # 千克标准煤 -> 吨标准煤
    assert a["employees"] == 150.0 and a["rnd_10k"] == 30.5
    assert rows[code(1)].name == "甲公司（一期）" and rows[code(1)].scale == "规上"
    b = rows[code(2)].values[2023]
    assert b == {"tax_10k": 9.876543}                 # 98765.43 元; —, 无, N/A, / are missing, not zero
    c = rows[code(3)].values[2023]
    assert "tax_10k" not in c and "output_10k" not in c
    assert c["rnd_10k"] == 12.0 and c["energy_tce"] == 0.8
    problems = {(p[1], p[2]): p[5] for p in table.problems}
    assert "negative" in problems[(6, "F")]
    assert "abc" in problems[(6, "G")]
    reasons = {(ch[1], ch[2]): ch[6] for ch in table.changes}
    assert "thousands separators removed" in reasons[(4, "F")]
    assert "full-width" in reasons[(4, "J")]
    assert "'—' means no data" in reasons[(5, "G")]
    assert "unit '万元' removed" in reasons[(6, "J")]
    assert [s[1] for s in table.skipped] == [7]       # the 合计 row, reported
    assert table.unused_columns["企业数据"] == ["序号", "备注"]


def test_both_engines_read_identically(tmp_path):
    path = to_shared_strings(workbook(str(tmp_path / "messy.xlsx"), messy_rows(), merges=["A1:L1"]))
    fast, slow = read_table(path, engine="fast"), read_table(path, engine="openpyxl")
    assert [(r.row, r.credit_code, r.parcel_codes, r.values) for r in fast.rows] == \
        [(r.row, r.credit_code, r.parcel_codes, r.values) for r in slow.rows]
    assert fast.changes == slow.changes and fast.problems == slow.problems


def test_two_row_header_wide_layout_with_merges(tmp_path):
    rows = [
        ["2021-2023年企业经济数据"],
        ["统一社会信用代码", "企业名称", "宗地代码", "税收(万元)", None, None, "工业增加值（万元）", None, None],
        [None, None, None, "2021年", "2022年", "2023年", 2021, 2022, 2023],
        [code(1), "甲", pcode(1), 10, 11, "12.34", 100, 110, 120],
        [code(2), "乙", pcode(2), None, "—", 5, None, None, 50],
    ]
    merges = ["A1:I1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:I2"]
    path = workbook(str(tmp_path / "wide.xlsx"), rows, merges=merges)
    table = read_table(path)
    assert table.header_rows["企业数据"] == (2, 3)
    assert table.layout == "wide" and table.years == {2021, 2022, 2023}
    r = {x.credit_code: x for x in table.rows}
    assert r[code(1)].values == {2021: {"tax_10k": 10.0, "value_added_10k": 100.0},
                                 2022: {"tax_10k": 11.0, "value_added_10k": 110.0},
                                 2023: {"tax_10k": 12.34, "value_added_10k": 120.0}}
    assert r[code(2)].values == {2023: {"tax_10k": 5.0, "value_added_10k": 50.0}}


def test_single_row_wide_headers_and_csv_gbk(tmp_path):
    text = "统一社会信用代码,企业名称,宗地代码,税收2021(万元),税收2022(万元),税收2023(万元),用电量2023(千瓦时)\n" \
           "{},宁波某某机械有限公司,{},\"1,000\",2000,３０００,\"150,000\"\n".format(code(1), pcode(1))
    path = str(tmp_path / "gbk.csv")
    with open(path, "wb") as fh:
        fh.write(text.encode("gbk"))
    table = read_table(path)
    assert table.encoding == "GBK" and table.layout == "wide"
    row = table.rows[0]
    assert row.name == "宁波某某机械有限公司"
    assert row.values[2023] == {"tax_10k": 3000.0, "power_10k_kwh": 15.0}
    assert row.values[2021] == {"tax_10k": 1000.0}
    # plain numbers in a CSV are not "cleaning changes"; separators and full-width are
    reasons = [c[6] for c in table.changes]
    assert len(reasons) == 3 and all("thousands" in r or "full-width" in r for r in reasons)
    utf = str(tmp_path / "utf8.csv")
    with open(utf, "w", encoding="utf-8-sig") as fh:
        fh.write(text)
    assert read_table(utf).encoding == "UTF-8"


def test_merged_parcel_code_cells_fill_down_but_numbers_count_once(tmp_path):
    rows = [
        ["宗地代码", "企业名称", "统一社会信用代码", "年度", "税收总额(万元)", "用地面积税收(万元)"],
        [pcode(1), "甲", code(1), 2023, 10, 99],
        [None, "乙", code(2), 2023, 20, None],
        [None, "丙", code(3), 2023, 30, None],
    ]
    path = workbook(str(tmp_path / "m.xlsx"), rows, merges=["A2:A4"])
    table = read_table(path, mapping="tax_10k=E; output_10k=F")
    codes = [r.parcel_codes for r in table.rows]
    assert codes == [(pcode(1),)] * 3
    # a numeric merged cell (F2:F4 here is not merged) — merge a numeric one and check
    path2 = workbook(str(tmp_path / "m2.xlsx"), rows, merges=["A2:A4", "F2:F4"])
    t2 = read_table(path2, mapping="output_10k=F")
    assert [r.values[2023].get("output_10k") for r in t2.rows] == [99.0, None, None]
    assert any("counts once" in c[6] for c in t2.changes)


def test_mapping_by_name_letter_and_unit(tmp_path):
    rows = [["代码", "单位", "纳税额", "地块", "年"],
            [code(1), "甲", 12345, pcode(1), 2023]]
    path = workbook(str(tmp_path / "odd.xlsx"), rows)
    with pytest.raises(TableError) as err:
        read_table(path)
    assert "key column" in str(err.value)
    table = read_table(path,
                       mapping="credit_code=代码; enterprise_name=B; tax_10k=纳税额|元; parcel_code=地块; year=年")
    row = table.rows[0]
    assert row.credit_code == code(1) and row.name == "甲" and row.parcel_codes == (pcode(1),)
    assert row.values == {2023: {"tax_10k": 1.2345}}
    names, sheet, columns, header = preview(path, mapping={"credit_code": "A", "parcel_code": "D"})
    assert sheet == "企业数据" and header == (1, 1)
    assert {c.field for c in columns if c.field} >= {"credit_code", "parcel_code"}


def test_bad_files_have_clear_messages(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(str(xls))
    enc = tmp_path / "secret.xlsx"
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)
    with pytest.raises(TableError, match="password"):
        read_table(str(enc))
    bad = tmp_path / "broken.xlsx"
    good = workbook(str(tmp_path / "good.xlsx"), messy_rows())
    data = open(good, "rb").read()
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(TableError, match="damaged|not a readable"):
        read_table(str(bad))
    notzip = tmp_path / "text.xlsx"
    notzip.write_text("hello")
    with pytest.raises(TableError, match="not a readable"):
        read_table(str(notzip))
    with pytest.raises(TableError, match="not found"):
        read_table(str(tmp_path / "missing.xlsx"))
    with pytest.raises(TableError, match="Sheet 'nope' not found"):
        read_table(good, sheet="nope")


def test_shared_strings_rich_text_and_phonetics(tmp_path):
    """Excel writes strings to sharedStrings, with rich-text runs and phonetic hints; only the text counts."""
    path = workbook(str(tmp_path / "rich.xlsx"), [["统一社会信用代码", "宗地代码", "企业名称", "年度", "税收(万元)"],
                                                   [code(1), pcode(1), "PLACEHOLDER", 2023, 1]])
    rich = {"PLACEHOLDER": "<r><rPr><b/></rPr><t>A&amp;B</t></r><r><t xml:space=\"preserve\"> 公司</t></r>"
                           "<rPh sb=\"0\" eb=\"1\"><t>PHON</t></rPh>".encode()}
    out_path = to_shared_strings(path, str(tmp_path / "rich2.xlsx"), rich=rich)
    with zipfile.ZipFile(out_path) as zf:
        assert "xl/sharedStrings.xml" in zf.namelist()
    table = read_table(out_path)
    assert table.rows[0].name == "A&B 公司"
    assert table.rows[0].credit_code == code(1) and table.rows[0].values == {2023: {"tax_10k": 1.0}}
    assert read_table(out_path, engine="openpyxl").rows[0].name == "A&B 公司"


def test_mapping_several_columns_per_field_and_ignore(tmp_path):
    rows = [["信用代码", "地块", "纳税2021年(元)", "纳税2022年(元)", "纳税2023年(元)", "税收总额(万元)"],
            [code(1), pcode(1), 10000, 20000, 30000, 99]]
    path = workbook(str(tmp_path / "wide.xlsx"), rows)
    text = "tax_10k=纳税2021年(元); tax_10k=纳税2022年(元); tax_10k=纳税2023年(元); ignore=F"
    table = read_table(path, mapping=text)
    assert table.rows[0].values == {2021: {"tax_10k": 1.0}, 2022: {"tax_10k": 2.0}, 2023: {"tax_10k": 3.0}}
    from landeval_plugin.core.enterprise.header import mapping_to_text, parse_mapping

    assert parse_mapping(mapping_to_text(parse_mapping(text))) == parse_mapping(text)
    assert parse_mapping('{"tax_10k": ["纳税2021年(元)"], "ignore": "F"}') == {
        "tax_10k": [("纳税2021年(元)", None)], "ignore": [("F", None)]}


def test_all_sheets_and_dates_in_the_year_column(tmp_path):
    import datetime

    path = workbook(str(tmp_path / "towns.xlsx"),
                    [["城东街道企业数据"], ["统一社会信用代码", "宗地代码", "年度", "税收(万元)"],
                     [code(1), pcode(1), 2023, 1.5]],
                    sheet="城东",
                    extra_sheets={"城西": [["地块编号", "单位名称", "年份", "入库税收（万元）"],
                                          [pcode(2), "乙", datetime.datetime(2023, 1, 1), "2.25"]]})
    assert [r.credit_code for r in read_table(path).rows] == [code(1)]      # default: the first sheet
    table = read_table(path, sheet="*")
    assert table.sheets == ["城东", "城西"]
    got = {r.where(): (r.parcel_codes, r.values) for r in table.rows}
    assert got == {"城东!3": ((pcode(1),), {2023: {"tax_10k": 1.5}}),
                   "城西!2": ((pcode(2),), {2023: {"tax_10k": 2.25}})}
    assert read_table(path, sheet="*", engine="openpyxl").rows[1].values == {2023: {"tax_10k": 2.25}}


def test_formula_without_saved_result_is_reported(tmp_path):
    """openpyxl (like many report generators) saves formulas without their results."""
    path = str(tmp_path / "f.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "宗地代码", "年度", "税收(元)", "税收总额(万元)"])
    ws.append([code(1), pcode(1), 2023, 120000, "=D2/10000"])
    wb.save(path)
    table = read_table(path, mapping="ignore=D")
    assert table.rows[0].values == {2023: {}}
    (problem,) = [p for p in table.problems if p[2] == "E"]
    assert problem[1] == 2 and "formula without a saved result" in problem[5]


def test_unit_row_under_the_header_and_a_table_wide_unit(tmp_path):
    """Statistics tables print the units on a row of their own, or once above the table (单位：元)."""
    rows = [["企业经济指标表"],
            ["统一社会信用代码", "宗地代码", "年度", "税收总额", "综合能耗", "从业人员"],
            ["计量单位", None, None, "元", "（千克标准煤）", "人"],
            [" " + code(1), pcode(1), 2023, 123456.78, "5,000", 12]]
    path = workbook(str(tmp_path / "unitrow.xlsx"), rows, merges=["B2:B3", "C2:C3"])
    table = read_table(path)
    assert table.header_rows["企业数据"] == (2, 3)
    assert table.rows[0].values == {2023: {"tax_10k": 12.345678, "energy_tce": 5.0, "employees": 12.0}}
    assert table.problems == []          # the unit row is not read as text in numeric columns
    reasons = {(c[1], c[2]): c[6] for c in table.changes}
    assert reasons[(4, "A")] == "spaces, quotes or lower case removed from the code"   # a leading space, too
    assert table.rows[0].credit_code == code(1)
    rows = [["XX区规上企业税收情况"], ["单位：元"],
            ["统一社会信用代码", "宗地代码", "年度", "税收总额", "营业收入(万元)", "综合能耗"],
            [code(1), pcode(1), 2023, 98765.43, 12.5, 30]]
    table = read_table(workbook(str(tmp_path / "tableunit.xlsx"), rows))
    assert table.header_rows["企业数据"] == (3, 3)
    # 元 applies to the money column without a unit, not to 营业收入(万元) nor to 综合能耗
    assert table.rows[0].values == {2023: {"tax_10k": 9.876543, "revenue_10k": 12.5, "energy_tce": 30.0}}
    assert [c.header for c in table.columns["企业数据"] if c.field == "tax_10k"] == ["税收总额 (单位：元)"]
