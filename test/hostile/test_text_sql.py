"""Hostile text and names (issue 11, points 3 and 6): text from the data is never executed.

* every workbook LandEval writes stores owner names, parcel codes, enterprise names ... as text
  (data_type 's', read back identical with openpyxl, data_only=False), never as a formula or an
  error value; header/footer text has its & doubled; control characters are removed and the
  run names the parcel and field;
* the grading fast path quotes every SQLite identifier: a layer named 'parcels" --' beside
  'parcels' grades its own rows and leaves the other table alone.
Fixtures are generated in code; runs go through qgis_process in a Chinese profile where the
exit status and the message matter.
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rel_text_support import HOSTILE_CODES, HOSTILE_OWNERS, all_cells, hostile_district, leftovers, qgis_process, sha256

CONTROL = "".join(chr(c) for c in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + [127])


def expected_text(value):
    """What a cell must hold: the same text, control characters removed."""
    return "".join(ch for ch in value if ch not in CONTROL)


def assert_no_live_cells(cells):
    live = [c for c in cells if c[2] in ("f", "e")]
    assert not live, "formulas or error values written from data: {}".format(live)


# ---------------------------------------------------------------------------- dossiers.xlsx
def test_dossier_workbook_stores_hostile_codes_and_owners_as_text(qgis_app, tmp_path):
    uri = hostile_district(tmp_path / "in", n=8)
    gpkg = uri.split("|")[0]
    before = sha256(gpkg)
    xlsx = tmp_path / "out" / "dossiers.xlsx"
    status, output = qgis_process(tmp_path, "landeval:dossiers", {"INPUT": uri, "XLSX": str(xlsx)})
    assert status == 0, output
    # the run says which parcel and field it cleaned, in Chinese
    assert "已清理" in output and "个单元格中的文本" in output, output
    assert "地块 &P&[Page]&A 权利人: 已删除控制字符：\\x07 \\x1b" in output, output
    assert "地块 -3+cmd 权利人: 已删除控制字符：\\x7f" in output, output
    assert sha256(gpkg) == before
    assert leftovers(tmp_path / "out") == []

    import openpyxl

    cells = all_cells(str(xlsx))
    assert_no_live_cells(cells)
    wb = openpyxl.load_workbook(str(xlsx), data_only=False)
    index = wb["目录"]
    rows = {index.cell(r, 1).value: r for r in range(2, index.max_row + 1)}
    for k, code in HOSTILE_CODES.items():
        r = rows[code]  # the code came back as the same text
        assert index.cell(r, 1).data_type == "s"
        owner = index.cell(r, 2)
        assert owner.data_type == "s" and owner.value == expected_text(HOSTILE_OWNERS[k]), (code, owner.value)
        sheet = wb[index.cell(r, 7).value]
        facts = {}
        for row in sheet.iter_rows():
            for key, value in zip(row, row[1:]):
                if isinstance(key.value, str) and key.value not in facts:
                    facts[key.value] = value
        assert facts["宗地代码"].value == code and facts["宗地代码"].data_type == "s"
        assert facts["权利人"].value == expected_text(HOSTILE_OWNERS[k]) and facts["权利人"].data_type == "s"
        # header/footer codes: & doubled, so &P is not the page number
        footer = sheet.oddFooter.center.text
        assert "&P&[" not in footer.replace("&&", "") and footer.endswith("第 &P 页")
        if "&" in code:
            assert "&&P" in footer, footer
    quoted = [c for c in cells if isinstance(c[3], str) and c[3].startswith("=")]
    assert len(quoted) >= 3  # the formula-like texts are there, as text


# ---------------------------------------------------------------------------- forms
def test_forms_store_hostile_text_as_text_and_report_control_characters(qgis_app, tmp_path):
    from qgis.core import QgsProcessingFeedback

    from landeval_plugin.core.enterprise.forms import export_forms

    class Collect(QgsProcessingFeedback):
        warnings = []

        def pushWarning(self, text):
            self.warnings.append(text)

    parcels = [{"parcel_code": code, "town": "=cmd|' /C calc'!A0" if k == 0 else "城东街道",
                "owner": HOSTILE_OWNERS[k], "address": "@address\x00", "area_m2": 1000.0}
               for k, code in HOSTILE_CODES.items()]
    enterprises = {HOSTILE_CODES[0]: [("=1+2", "=HYPERLINK(\"x\")", 2024, "+规上", {"tax_10k": 1.0})]}
    feedback = Collect()
    files = export_forms(parcels, enterprises, 2024, str(tmp_path / "forms"), feedback=feedback)
    assert len(files) == 2
    texts = set()
    for path in files:
        cells = all_cells(path)
        assert_no_live_cells(cells)
        texts |= {c[3] for c in cells if c[2] == "s"}
        assert not any(ch in CONTROL for c in cells if isinstance(c[3], str) for ch in c[3])
    for k, code in HOSTILE_CODES.items():
        assert code in texts and expected_text(HOSTILE_OWNERS[k]) in texts
    assert {"=1+2", "=HYPERLINK(\"x\")", "+规上", "@address"} <= texts
    assert any(t.startswith("=cmd|' /C calc'!A0") and "2024" in t for t in texts)  # the title, from the town
    assert feedback.warnings and "已清理" in feedback.warnings[0] and "已删除控制字符" in feedback.warnings[0]
    assert leftovers(tmp_path / "forms") == []


# ---------------------------------------------------------------------------- join report
def test_join_report_stores_hostile_enterprise_names_as_text(run_alg, tmp_path):
    from test_data_fixtures import code, parcels_layer, pcode, save_layer, workbook

    from landeval_plugin.i18n import install_translator, remove_translator

    layer = parcels_layer([(pcode(1), 20000.0, "城东街道"), (pcode(2), 10000.0, "城西镇")])
    parcels = save_layer(layer, str(tmp_path / "parcels.gpkg"))
    head = ["统一社会信用代码", "企业名称", "宗地代码", "年份", "税收（万元）"]
    rows = [head,
            [code(1), "=cmd|' /C calc'!A0", pcode(1), 2023, 10],
            [code(2), "@SUM(1+1)", "=HYPERLINK(\"http://evil.example\")", 2023, 5],  # unmatched parcel
            [code(3), "#N/A", "-99", 2023, 5],
            [code(4), "坏_x001B_名", "+1", 2023, 5]]  # a control character, escaped as Excel writes it
    table = workbook(str(tmp_path / "e.xlsx"), rows)
    inputs = {p: sha256(p) for p in (parcels.split("|")[0], table)}
    install_translator("zh_CN")
    try:
        from qgis.core import QgsProcessingFeedback

        class Collect(QgsProcessingFeedback):
            warnings = []

            def pushWarning(self, text):
                self.warnings.append(text)

        feedback = Collect()
        run_alg("landeval:joinenterprises", {
            "INPUT": parcels, "TABLE": table, "YEAR": 2023, "OUTPUT": str(tmp_path / "out.gpkg"),
            "OUTPUT_ENTERPRISES": str(tmp_path / "ents.gpkg"), "REPORT": str(tmp_path / "report.xlsx")},
            feedback=feedback)
    finally:
        remove_translator()
    cells = all_cells(str(tmp_path / "report.xlsx"))
    assert_no_live_cells(cells)
    texts = {c[3] for c in cells if c[2] == "s"}
    assert {"@SUM(1+1)", "=HYPERLINK(\"http://evil.example\")", "#N/A", "-99", "+1", "坏名"} <= texts, texts
    assert not any(ch in CONTROL for t in texts for ch in t)
    # the control character is gone (the reader or the report's helper removed it; either says so)
    assert any("已清理" in w or "部分行" in w for w in feedback.warnings), feedback.warnings
    assert {p: sha256(p) for p in inputs} == inputs


# ------------------------------------------------------------- cluster list, disposal plan, sample district
def test_cluster_list_disposal_plan_and_sample_district_workbooks_hold_no_formula(qgis_app, tmp_path):
    from landeval_plugin.core.clusters import cluster
    from landeval_plugin.core.disposal import disposal
    from landeval_plugin.core.sample import sample_district

    ruleset = disposal.load_ruleset("tonglu_2022")
    first_path = list(ruleset.paths)[0]
    report = {"plan": {("=cmd|' /C calc'!A0", first_path): (2, 30.0), ("@镇\x1b", None): (1, 5.0)},
              "unit_plan": {("=HYPERLINK(\"u\")", first_path): (1, 3.0)}, "warnings": ["=1+1 宗地 -5 缺少数据"]}
    plan = disposal.write_plan(str(tmp_path / "plan.xlsx"), ruleset, report)
    cells = all_cells(plan)
    assert_no_live_cells(cells)
    assert {"=cmd|' /C calc'!A0", "@镇", "=HYPERLINK(\"u\")", "=1+1 宗地 -5 "
                                                              "缺少数据"} <= {c[3] for c in cells if c[2] == "s"}

    rows = [{"cluster_id": "=1+1", "area_mu": 12.5, "parcel_count": 2, "grade_counts": "D 2", "towns": "@town\x07",
             "tax_10k": 1.0, "tax_per_mu": 0.08, "parcel_codes": "=HYPERLINK(\"x\"),-1"}]
    path = cluster.write_workbook(str(tmp_path / "clusters.xlsx"), rows, {"filter": "=\"grade\" = 'D'"}, "=layer")
    cells = all_cells(path)
    assert_no_live_cells(cells)
    texts = {c[3] for c in cells if c[2] == "s"}
    assert {"=1+1", "@town", "=HYPERLINK(\"x\"),-1", "=\"grade\" = 'D'", "=layer"} <= texts

    out = sample_district.generate(str(tmp_path / "sample"), parcels=200, seed=1)
    for key in ("enterprises_xlsx", "link_xlsx"):
        assert_no_live_cells(all_cells(out[key]))


# ---------------------------------------------------------------------------- the helper itself
def test_text_helper_rules(qgis_app):
    import openpyxl

    from landeval_plugin.core.formats import xlsx_text

    wb = openpyxl.Workbook()
    ws = wb.active
    log = xlsx_text.TextLog()
    for r, value in enumerate(["=cmd|' /C calc'!A0", "#N/A", "+1", "a\x00b\x1fc\x7fd", "tab\tand\nline", 3.5,
                               "x" * 40000], 1):
        xlsx_text.write_text(ws, r, 1, value, log, "parcel P{}".format(r))
    assert [ws.cell(r, 1).data_type for r in range(1, 8)] == ["s", "s", "s", "s", "s", "n", "s"]
    assert ws.cell(4, 1).value == "abcd" and ws.cell(5, 1).value == "tab\tand\nline"
    assert len(ws.cell(7, 1).value) == 32767
    assert [w for w, _ in log.items] == ["parcel P4", "parcel P7"]
    assert ws.cell(1, 1).quotePrefix and ws.cell(3, 1).quotePrefix
    assert xlsx_text.header_footer("&P&[Page]&A") == "&&P&&[Page]&&A"


# ---------------------------------------------------------------------------- SQL
def _two_tables(path):
    """A GeoPackage with 'parcels' (7 OTHER- rows) and 'parcels" --' (20 rows to grade)."""
    from grade_fixtures import random_rows, write_layer
    from qgis.core import QgsVectorFileWriter

    good = random_rows(20, seed=1)
    other = random_rows(7, seed=2)
    for r in other:
        r["parcel_code"] = "OTHER-" + r["parcel_code"]
    write_layer(path, other, layer="parcels")
    original = QgsVectorFileWriter.SaveVectorOptions

    class AddLayer(original):
        def __init__(self):
            super().__init__()
            self.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer

    QgsVectorFileWriter.SaveVectorOptions = AddLayer
    try:
        write_layer(path, good, layer='parcels" --')
    finally:
        QgsVectorFileWriter.SaveVectorOptions = original
    with sqlite3.connect(path) as con:
        assert sorted(r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")) == ["parcels", 'parcels" --']
    return good, other


def _table_rows(path, table):
    with sqlite3.connect(path) as con:
        q = 'SELECT * FROM "{}"'.format(table.replace('"', '""'))
        cur = con.execute(q)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def test_grade_fast_path_grades_the_layer_named_with_a_quote(qgis_app, run_alg, tmp_path):
    from grade_fixtures import write_layer

    src = str(tmp_path / "two tables?#%.gpkg")  # ? # % in the path: the read-only URI quotes them
    good, other = _two_tables(src)
    before = sha256(src)
    before_other = _table_rows(src, "parcels")
    out = tmp_path / "graded.gpkg"
    status, output = qgis_process(tmp_path, "landeval:grade", {
        "INPUT": '{}|layername=parcels" --'.format(src), "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": str(out)})
    assert status == 0, output
    assert "快速路径" in output, output  # the fast path (SQLite) ran, in Chinese
    assert sha256(src) == before and _table_rows(src, "parcels") == before_other
    with sqlite3.connect(str(out)) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
    # named after the output file, as the feature path names it (docs/reliability/outputs.md)
    assert tables == ["graded"]
    graded = {r["parcel_code"]: r for r in _table_rows(str(out), "graded")}
    assert set(graded) == {r["parcel_code"] for r in good}  # its own 20 rows, none of 'parcels'
    assert all(r["grade"] in ("A", "B", "C", "D", "T") for r in graded.values()), graded
    # the same rows graded through the feature path give the same classes
    mem = write_layer(None, good)
    slow = tmp_path / "slow.gpkg"
    run_alg("landeval:grade", {"INPUT": mem, "STANDARD": "zhejiang_huangyan_2022", "OUTPUT": str(slow)})
    with sqlite3.connect(str(slow)) as con:
        table = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
    expected = {r["parcel_code"]: r["grade"] for r in _table_rows(str(slow), table)}
    assert {c: r["grade"] for c, r in graded.items()} == expected
    assert [p for p in leftovers(tmp_path) if "qgis-profile" not in p] == []  # no .part, no -journal


def test_identifiers_are_quoted(qgis_app):
    from landeval_plugin.core.grading import gpkg as grade

    assert grade.quote_identifier('parcels" --') == '"parcels"" --"'
    assert grade.quote_identifier("宗地") == '"宗地"'
    uri = grade._read_only_uri("/tmp/a?b#c%d.gpkg")
    assert uri.startswith("file:///") and "?" not in uri[:-8] and "#" not in uri and uri.endswith("?mode=ro")
