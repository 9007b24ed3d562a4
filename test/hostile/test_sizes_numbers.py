"""Hostile sizes and numbers (issue 11, points 4, 5 and the tracebacks of point 7).

Each case: the exit status or exception, the message (file, sheet, cell, parcel named), and the
inputs' sha256 unchanged. Runaway inputs run through ``qgis_process.bin`` in a child limited
to 3 GB of address space (RLIMIT_AS), with a private QGIS profile: a regression fails instead
of swapping the machine. The subprocess timeout is only a safety net, never an assertion.
"""
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sizes_numbers_fixtures as F  # noqa: N812 - F.<name> reads as "the fixture <name>" in 59 places

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
AS_LIMIT = 3 * 1024 ** 3
needs_build = pytest.mark.skipif(not os.path.exists(os.path.join(BUILD, "landeval_plugin", "metadata.txt")),
                                 reason="needs `make build` (make test builds first)")


def sha(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def shas(*paths):
    return {p: sha(p) for p in paths}


@pytest.fixture(scope="module")
def qgis_process(tmp_path_factory):
    """run(alg, **params) -> CompletedProcess of qgis_process.bin in a private profile, 3 GB AS."""
    config = tmp_path_factory.mktemp("profile")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=BUILD, QGIS_CUSTOM_CONFIG_PATH=str(config),
               LC_ALL="C.UTF-8")
    env.pop("QGIS_PREFIX_PATH", None)
    exe = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    subprocess.run([exe, "plugins", "enable", "landeval_plugin"], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))

    def run(alg, **params):
        args = [exe, "run", "landeval:" + alg, "--"] + ["{}={}".format(k, v) for k, v in params.items()]
        return subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=limit, timeout=600)

    return run


def parcels_gpkg(tmp_path, extra=(), name="parcels.gpkg", n=6):
    """``n`` adjacent D parcels in a row (codes 0..n-1) plus ``extra`` (wkb, values) rows."""
    return F.write_parcels(str(tmp_path / name), F.row_of_parcels(n) + list(extra))


def plain(value):
    """None for NULL (QVariant or None), else the value."""
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def output_of(result):
    return result.stdout + result.stderr


# ---------------------------------------------------------------------------------------
# workbooks: sizes

@needs_build
def test_merged_range_over_the_whole_sheet_is_read_in_bounded_memory(tmp_path, qgis_process):
    # on main: 7 GB after 60 s (MemoryError at the 4 GB limit); now the range costs what the sheet holds
    parcels = parcels_gpkg(tmp_path)
    book = F.huge_merge_workbook(str(tmp_path / "merged.xlsx"))
    before = shas(parcels, book)
    out, report = str(tmp_path / "out.gpkg"), str(tmp_path / "report.xlsx")
    res = qgis_process("joinenterprises", INPUT=parcels + "|layername=parcels", PARCEL_FIELD="parcel_code",
                       TABLE=book, YEAR=2023, OUTPUT=out, OUTPUT_ENTERPRISES=str(tmp_path / "ent.gpkg"), REPORT=report)
    assert res.returncode == 0, output_of(res)[-3000:]
    assert "MATCHED_ROWS:\t2" in res.stdout
    assert shas(parcels, book) == before
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(out, "out", "ogr")
    taxes = {f["parcel_code"]: f["tax_10k"] for f in layer.getFeatures()}
    assert taxes[F.parcel_code(0)] == pytest.approx(12.5) and taxes[F.parcel_code(1)] == pytest.approx(30.0)


def test_too_many_merged_ranges_and_overlaps_are_refused_with_file_and_sheet(qgis_app, tmp_path, monkeypatch):
    from landeval_plugin.core import limits
    from landeval_plugin.core.enterprise import enterprise_table

    monkeypatch.setattr(limits, "MAX_MERGED_RANGES", 50)
    book = F.many_merges_workbook(str(tmp_path / "merges.xlsx"), 60)
    with pytest.raises(enterprise_table.TableError) as err:
        enterprise_table.read_table(book)
    assert str(err.value).startswith("merges.xlsx, sheet '企业': more than 50 merged cell ranges")
    # overlapping ranges (Excel refuses them): named with the row
    book = F.huge_merge_workbook(str(tmp_path / "overlap.xlsx"), ref="B2:C3")

    def overlap(xml):
        return xml.replace(b'<mergeCell ref="B2:C3"/>', b'<mergeCell ref="B2:C3"/><mergeCell ref="A3:C3"/>')
    F.patch_member(book, F.SHEET, overlap)
    with pytest.raises(enterprise_table.TableError, match=r"overlap\.xlsx, sheet '企业': merged cell ranges overlap "
                                                           r"on row 3"):
        enterprise_table.read_table(book)


@pytest.mark.parametrize("make, ref", [(F.far_column_workbook, "AAAAAAAA2"), (F.far_row_workbook, "A99999999")])
def test_cells_beyond_the_largest_sheet_are_refused(qgis_app, tmp_path, make, ref):
    # on main: MemoryError (a column 26^8 wide) or 100 million empty rows walked
    from landeval_plugin.core.enterprise import enterprise_table

    book = make(str(tmp_path / "far.xlsx"))
    before = sha(book)
    with pytest.raises(enterprise_table.TableError) as err:
        enterprise_table.read_table(book)
    assert "far.xlsx, sheet '企业': cell reference {} lies beyond the largest Excel sheet".format(ref) in str(err.value)
    assert sha(book) == before


def test_megabytes_without_a_cell_end_are_read_in_pieces(qgis_app, tmp_path):
    """1.5 million empty self-closing cells (about 30 MB of XML with no ``</c>``): read in
    bounded pieces, and no cell is lost at a piece boundary."""
    from landeval_plugin.core.enterprise import enterprise_table

    book = F.empty_cells_workbook(str(tmp_path / "blank.xlsx"), 1500000)
    table = enterprise_table.read_table(book)
    rows = {r.parcel_codes[0]: r.values[2023]["tax_10k"] for r in table.rows}
    assert rows == {F.parcel_code(0): 12.5, F.parcel_code(1): 30.0, F.parcel_code(2): 7.0}


def test_merged_range_beyond_the_sheet_is_refused(qgis_app, tmp_path):
    from landeval_plugin.core.enterprise import enterprise_table

    book = F.huge_merge_workbook(str(tmp_path / "m.xlsx"), ref="A1:XFE2")
    with pytest.raises(enterprise_table.TableError, match=r"m\.xlsx, sheet '企业': cell reference A1:XFE2 lies beyond"):
        enterprise_table.read_table(book)


# ---------------------------------------------------------------------------------------
# workbooks: damaged cells, bad parameters -> messages, never tracebacks

@pytest.mark.parametrize("make, cell, reason", [
    (F.bad_shared_string_workbook, "B2", "list index out of range"),
    (F.text_in_number_cell_workbook, "D2", "invalid literal"),
    (F.invalid_utf8_workbook, "B2", "can't decode byte 0xff"),
])
def test_damaged_cells_name_file_sheet_and_cell(qgis_app, tmp_path, run_alg, make, cell, reason):
    from qgis.core import QgsProcessingException

    parcels = parcels_gpkg(tmp_path)
    book = make(str(tmp_path / "damaged.xlsx"))
    before = shas(parcels, book)
    out = str(tmp_path / "out.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:joinenterprises", {"INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code",
                                             "TABLE": book, "YEAR": 2023, "OUTPUT": out,
                                             "REPORT": str(tmp_path / "report.xlsx")})
    text = str(err.value)
    assert text.startswith("damaged.xlsx, sheet '企业', cell {}: the stored value cannot be read".format(cell))
    assert reason in text and "Traceback" not in text
    assert shas(parcels, book) == before
    assert not os.path.exists(out) and not os.path.exists(str(tmp_path / "report.xlsx"))


def test_invalid_utf8_in_shared_strings_is_named(qgis_app, tmp_path):
    from landeval_plugin.core.enterprise import enterprise_table

    book = F.invalid_utf8_shared_strings_workbook(str(tmp_path / "sst.xlsx"))
    with pytest.raises(enterprise_table.TableError,
                       match=r"sst\.xlsx is damaged: shared text no\. 1 is not valid UTF-8"):
        enterprise_table.read_table(book)


@needs_build
def test_damaged_cell_through_qgis_process_exits_non_zero_in_chinese(tmp_path, qgis_process):
    parcels = parcels_gpkg(tmp_path)
    book = F.bad_shared_string_workbook(str(tmp_path / "坏表.xlsx"))
    before = shas(parcels, book)
    res = qgis_process("joinenterprises", INPUT=parcels + "|layername=parcels", PARCEL_FIELD="parcel_code",
                       TABLE=book, YEAR=2023, OUTPUT=str(tmp_path / "out.gpkg"), REPORT=str(tmp_path / "r.xlsx"))
    assert res.returncode != 0
    assert "坏表.xlsx, sheet '企业', cell B2: the stored value cannot be read" in output_of(res)
    assert "Traceback" not in output_of(res)
    assert shas(parcels, book) == before


def test_bad_mapping_json_is_a_message_in_chinese(qgis_app, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    from landeval_plugin.i18n import install_translator, remove_translator

    parcels = parcels_gpkg(tmp_path)
    book = F.write_workbook(str(tmp_path / "book.xlsx"))
    params = {"INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code", "TABLE": book, "YEAR": 2023,
              "MAPPING": "{bad json", "OUTPUT": str(tmp_path / "out.gpkg"), "REPORT": str(tmp_path / "r.xlsx")}
    with pytest.raises(QgsProcessingException, match=r"The column mapping is not valid JSON \(Expecting property name"):
        run_alg("landeval:joinenterprises", params)
    assert install_translator("zh-Hans")
    try:
        with pytest.raises(QgsProcessingException) as err:
            run_alg("landeval:joinenterprises", params)
        assert str(err.value).startswith("列映射不是有效的 JSON（") and str(err.value).endswith("）：{bad json")
    finally:
        remove_translator()
    assert not os.path.exists(str(tmp_path / "out.gpkg"))


def test_control_characters_in_names_are_removed_and_reported(qgis_app, tmp_path, run_alg):
    import openpyxl

    parcels = parcels_gpkg(tmp_path)
    book = F.control_char_workbook(str(tmp_path / "ctrl.xlsx"))
    # the same name on an unmatched row: it must reach the report without breaking the workbook
    F.patch_member(book, F.SHEET, lambda xml: xml.replace(
        b"</sheetData>", b'<row r="4"><c r="A4" t="inlineStr"><is><t>X_x0001_Y</t></is></c><c r="B4" t="inlineStr">'
                         b'<is><t>\xe4\xb8\x99_x0002_</t></is></c><c r="C4"><v>2023</v></c><c r="D4"><v>5</v></c>'
                         b'</row></sheetData>'))
    report = str(tmp_path / "report.xlsx")
    res = run_alg("landeval:joinenterprises", {
        "INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code", "TABLE": book, "YEAR": 2023,
        "OUTPUT": str(tmp_path / "out.gpkg"), "OUTPUT_ENTERPRISES": str(tmp_path / "ent.gpkg"), "REPORT": report})
    assert res["MATCHED_ROWS"] == 2 and res["UNMATCHED"] == 1
    wb = openpyxl.load_workbook(report, read_only=True)
    log = [r for r in wb[wb.sheetnames[5]].iter_rows(values_only=True)]
    assert ("企业", 2, "B", "企业名称", "甲\\x01公\\x07司", "甲公司", "control characters removed") in log
    unmatched = [r for r in wb[wb.sheetnames[1]].iter_rows(values_only=True)]
    assert any(r[3] == "丙" and r[4] == "XY" for r in unmatched)
    from qgis.core import QgsVectorLayer

    names = {f["enterprise_name"] for f in QgsVectorLayer(str(tmp_path / "ent.gpkg"), "e", "ogr").getFeatures()}
    assert names == {"甲公司", "乙公司"}


# ---------------------------------------------------------------------------------------
# numbers: finite or reported

def test_1e309_in_a_tax_cell_is_reported_and_left_missing(qgis_app, tmp_path, run_alg):
    import openpyxl
    from qgis.core import QgsVectorLayer

    parcels = parcels_gpkg(tmp_path)
    book = F.number_workbook(str(tmp_path / "inf.xlsx"), "1e309")
    before = shas(parcels, book)
    report = str(tmp_path / "report.xlsx")
    out = str(tmp_path / "out.gpkg")
    run_alg("landeval:joinenterprises", {"INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code",
                                         "TABLE": book, "YEAR": 2023, "OUTPUT": out, "REPORT": report})
    taxes = {f["parcel_code"]: f["tax_10k"] for f in QgsVectorLayer(out, "o", "ogr").getFeatures()}
    assert plain(taxes[F.parcel_code(0)]) is None  # missing, not inf
    assert taxes[F.parcel_code(1)] == pytest.approx(30.0)
    wb = openpyxl.load_workbook(report, read_only=True)
    problems = [r for r in wb[wb.sheetnames[6]].iter_rows(values_only=True)]
    assert ("企业", 2, "D", "税收(万元)", "inf", "not a finite number (infinite or NaN): left missing") in problems
    assert shas(parcels, book) == before


HOSTILE_STANDARD = """id: hostile_test
version: "1"
name: 测试标准
scoring:
  formulas:
    - name: 全部
      items:
        - indicator: tax_per_mu
          method: ratio
          benchmark: 10
          weight: 100
          missing: not_graded
classify:
  method: thresholds
  thresholds: {A: 120, B: 80, C: 50}
"""


@pytest.mark.parametrize("fast", [True, False])
def test_infinite_value_on_a_layer_is_never_ranked(qgis_app, tmp_path, run_alg, fast):
    """Grading fast path (GeoPackage in and out) and feature path (temporary output)."""
    from qgis.core import QgsVectorLayer

    rows = F.row_of_parcels(4)
    rows[0][1]["tax_10k"] = float("inf")
    parcels = F.write_parcels(str(tmp_path / "p.gpkg"), rows)
    std = tmp_path / "std.yaml"
    std.write_text(HOSTILE_STANDARD, encoding="utf-8")
    before = shas(parcels, str(std))
    source = QgsVectorLayer(parcels + "|layername=parcels", "p", "ogr")
    if not fast:  # a memory layer takes the feature path
        from qgis.core import QgsFeatureRequest

        source = source.materialize(QgsFeatureRequest())
    res = run_alg("landeval:grade", {"INPUT": source, "STANDARD": str(std), "OUTPUT": str(tmp_path / "graded.gpkg")})
    layer = QgsVectorLayer(res["OUTPUT"], "g", "ogr")
    graded = {f["parcel_code"]: (f["grade"], f["rank"], f["score"], f["grade_reason"]) for f in layer.getFeatures()}
    grade, rank, score, reason = graded[F.parcel_code(0)]
    assert grade == "T" and plain(rank) is None and plain(score) is None
    assert "不是有限数" in reason
    assert sorted(v[1] for k, v in graded.items() if k != F.parcel_code(0)) == [1, 2, 3]
    summary = json.loads(res["SUMMARY"], parse_constant=lambda c: pytest.fail("not JSON: " + c))
    assert summary["T"]["count"] == 1
    assert shas(parcels, str(std)) == before


@pytest.mark.parametrize("text, message", [
    ("params:\n  low: {value: .nan}\n", "params.low.value: nan is not a finite number"),
    ("params:\n  low: {value: 1.0e+999}\n", "params.low.value: inf is not a finite number"),
    ("tags:\n  - name: x\n    when: \"tax_per_mu < 1e999\"\n", "the number 1e999 at position 14 is not finite"),
    ("tags:\n  - name: x\n    when: \"tax_10k / 0 > 1\"\n",
     "tags[0].when: divides by 0 (the value would be missing for every parcel)"),
    ("params:\n  zero: 0\ntags:\n  - name: x\n    when: \"tax_10k / zero > 1\"\n",
     "tags[0].when: divides by the param 'zero', which is 0"),
    ("tags:\n  - name: x\n    when: \"" + "(" * 200 + "tax_10k > 1" + ")" * 200 + "\"\n",
     "nested more than 50 levels deep at position 51"),
    ("tags:\n  - name: x\n    when: \"" + " and ".join(["tax_10k > 1"] * 300) + "\"\n", "more than 200 terms in a row"),
])
def test_standards_with_non_finite_numbers_or_runaway_conditions_are_refused(qgis_app, tmp_path, text, message):
    from landeval_plugin.core.grading import standard

    path = tmp_path / "std.yaml"
    path.write_text('id: t\nversion: "1"\nname: t\n' + text, encoding="utf-8")
    with pytest.raises(standard.StandardError) as err:
        standard.load(str(path))
    assert message in str(err.value)


def test_nested_condition_through_the_grade_algorithm_in_chinese(qgis_app, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    from landeval_plugin.i18n import install_translator, remove_translator

    parcels = parcels_gpkg(tmp_path)
    std = tmp_path / "nested.yaml"
    std.write_text('id: t\nversion: "1"\nname: t\ntags:\n  - name: x\n    when: "' + "(" * 200 + "tax_10k > 1"
                   + ")" * 200 + '"\n', encoding="utf-8")
    before = shas(parcels, str(std))
    assert install_translator("zh-Hans")
    try:
        with pytest.raises(QgsProcessingException) as err:
            run_alg("landeval:grade", {"INPUT": parcels + "|layername=parcels", "STANDARD": str(std),
                                       "OUTPUT": str(tmp_path / "g.gpkg")})
    finally:
        remove_translator()
    assert "tags[0].when" in str(err.value) and "嵌套超过 50 层（位置 51）" in str(err.value)
    assert "RecursionError" not in str(err.value)
    assert shas(parcels, str(std)) == before and not os.path.exists(str(tmp_path / "g.gpkg"))


def test_link_shares_outside_0_and_1_are_reported(qgis_app, tmp_path, run_alg):
    import openpyxl

    from landeval_plugin.core.enterprise import uscc

    a, b, c = (uscc.make(org_body8="1000000{}".format(k)) for k in (1, 2, 3))
    parcels = parcels_gpkg(tmp_path)
    book = F.write_workbook(str(tmp_path / "book.xlsx"),
                            header=("统一社会信用代码", "企业名称", "年度", "税收（万元）"),
                            rows=[(a, "甲", 2023, 10.0), (b, "乙", 2023, 20.0), (c, "丙", 2023, 30.0)])
    link = F.link_workbook(str(tmp_path / "link.xlsx"), [
        (a, F.parcel_code(0), 1.5), (a, F.parcel_code(1), 0.5),          # a fraction beside 1.5
        (b, F.parcel_code(2), -0.2), (b, F.parcel_code(3), 1.2),         # negative
        (c, F.parcel_code(4), "150%"), (c, F.parcel_code(5), "50%"),     # above 100 %
    ])
    before = shas(parcels, book, link)
    report = str(tmp_path / "report.xlsx")
    run_alg("landeval:joinenterprises", {"INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code",
                                         "TABLE": book, "LINK": link, "YEAR": 2023,
                                         "OUTPUT": str(tmp_path / "out.gpkg"), "REPORT": report})
    wb = openpyxl.load_workbook(report, read_only=True)
    problems = [r[5] for r in wb[wb.sheetnames[6]].iter_rows(values_only=True) if r[5]]
    for code, parcel, share in ((a, 0, 1.5), (b, 2, -0.2), (c, 4, "150%")):
        assert ("share {} of enterprise {} on parcel {} is above 1 (100%) or below 0: not used; the enterprise is "
                "split as if no share were given").format(share, code, F.parcel_code(parcel)) in problems
    from qgis.core import QgsVectorLayer

    taxes = {
        f["parcel_code"]: f["tax_10k"] for f in QgsVectorLayer(str(tmp_path / "out.gpkg"), "o", "ogr").getFeatures()}
    # no share used: split by parcel area (equal squares), never a negative or 150 % part
    assert taxes[F.parcel_code(0)] == pytest.approx(5.0) and taxes[F.parcel_code(1)] == pytest.approx(5.0)
    assert taxes[F.parcel_code(2)] == pytest.approx(10.0) and taxes[F.parcel_code(4)] == pytest.approx(15.0)
    assert shas(parcels, book, link) == before


def test_json_summaries_are_valid_json(qgis_app):
    from landeval_plugin.core import limits

    text = limits.json_dumps({"A": {"count": 1, "mu": float("inf")}, "x": [float("nan"), 1.5]})
    assert json.loads(text) == {"A": {"count": 1, "mu": None}, "x": [None, 1.5]}


# ---------------------------------------------------------------------------------------
# geometries: NaN/infinite coordinates, huge multiparts and million-vertex polygons

def nan_touching():
    """A polygon touching parcel 0 and 1 whose two vertices have NaN x (the fuzzed case that made
    clusters fail with an IndexError from an empty GEOS relate matrix, and worse elsewhere)."""
    nan = float("nan")
    x, y = F.X0, F.Y0
    return F.wkb_polygon([[(x + 50, y + 100), (x + 150, y + 100), (x + 140.68, y + 196.64), (x + 150, y + 200),
                           (nan, y + 193.86), (nan, y + 200), (x + 50, y + 100)]])


@pytest.mark.parametrize("bad", ["nan", "inf", "far"])
def test_clusters_leave_out_parcels_with_bad_coordinates_and_name_them(qgis_app, tmp_path, run_alg, bad):
    from qgis.core import QgsProcessingFeedback, QgsVectorLayer

    geom = {"nan": nan_touching(), "inf": F.wkb_polygon([F.inf_square(0, 100, 100)]),
            "far": F.wkb_polygon([F.square(0, 100, 100)[:2] + [(1e15, F.Y0 + 200), (F.X0, F.Y0 + 200),
                                                               (F.X0, F.Y0 + 100)]])}[bad]
    parcels = parcels_gpkg(tmp_path, [(geom, F.values(6))])
    before = sha(parcels)
    messages = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, error, fatalError=False):
            messages.append(error)

    res = run_alg("landeval:clusters", {"INPUT": parcels + "|layername=parcels", "OUTPUT": str(tmp_path / "c.gpkg")},
                  feedback=Feedback())
    assert res["CLUSTER_COUNT"] == 1 and res["CLUSTERED_COUNT"] == 6 and res["MEMBER_COUNT"] == 6
    reason = {"nan": "NaN or infinite coordinates", "inf": "NaN or infinite coordinates",
              "far": "coordinates out of range"}[bad]
    assert any(m.startswith("Parcel {} (feature 7) was left out of the clusters: {}".format(F.parcel_code(6), reason))
               for m in messages), messages
    cl = next(QgsVectorLayer(str(tmp_path / "c.gpkg"), "c", "ogr").getFeatures())
    assert cl.geometry().area() == pytest.approx(60000.0, rel=1e-4)  # the strip, not the whole district
    assert sha(parcels) == before


def test_base_map_reports_bad_coordinates_in_the_qa_output(qgis_app, tmp_path, run_alg):
    from qgis.core import QgsVectorLayer

    parcels = parcels_gpkg(tmp_path, [(nan_touching(), F.values(6)),
                                      (F.wkb_polygon([F.inf_square(0, 300, 100)]), F.values(7))])
    before = sha(parcels)
    out, qa = str(tmp_path / "base.gpkg"), str(tmp_path / "qa.gpkg")
    res = run_alg("landeval:buildbaselayer", {"SOURCES": [parcels + "|layername=parcels"], "OUTPUT": out,
                                              "QA_OUTPUT": qa})
    assert res["PARCEL_COUNT"] == 6
    rows = [(f["kind"], f["parcel_code"], f["message"]) for f in QgsVectorLayer(qa, "qa", "ogr").getFeatures()]
    bad = sorted(r[1] for r in rows if r[0] == "unusable_geometry")
    assert bad == [F.parcel_code(6), F.parcel_code(7)]
    assert all("NaN or infinite coordinates" in r[2] for r in rows if r[0] == "unusable_geometry")
    assert sha(parcels) == before


def test_invalid_clusters_filter_is_an_error_not_the_default(qgis_app, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    parcels = parcels_gpkg(tmp_path)
    out = str(tmp_path / "c.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run_alg("landeval:clusters", {"INPUT": parcels + "|layername=parcels", "FILTER": "\"grade\" IN ('C','D'",
                                      "OUTPUT": out})
    assert "The filter expression “\"grade\" IN ('C','D'” cannot be read" in str(err.value)
    assert not os.path.exists(out)


@needs_build
@pytest.mark.parametrize("kind", ["parts", "vertices"])
def test_huge_members_are_refused_by_name_in_bounded_memory(tmp_path, qgis_process, kind):
    # on main: 20,000 parts OOM-killed (23.6 GB) or timed out; 1,000,000 vertices ran for minutes
    big = F.many_parts(200, 100, y=100) if kind == "parts" else None
    geom = F.wkb_multipolygon(big) if big else F.wkb_polygon(F.many_vertices(1000000, x=300, y=400))
    parcels = parcels_gpkg(tmp_path, [(geom, F.values(6))])
    before = sha(parcels)
    res = qgis_process("clusters", INPUT=parcels + "|layername=parcels", OUTPUT=str(tmp_path / "c.gpkg"))
    assert res.returncode == 0, output_of(res)[-3000:]
    limit = "20,000 parts (limit 1,000)" if kind == "parts" else "1,000,001 vertices (limit 100,000)"
    assert "Parcel {} (feature 7) was left out of the clusters: {}.".format(F.parcel_code(6), limit) in output_of(res)
    assert "CLUSTERED_COUNT:\t6" in res.stdout
    assert sha(parcels) == before


@needs_build
def test_nan_parcel_through_qgis_process(tmp_path, qgis_process):
    parcels = parcels_gpkg(tmp_path, [(nan_touching(), F.values(6))])
    before = sha(parcels)
    res = qgis_process("buildbaselayer", SOURCES=parcels + "|layername=parcels", OUTPUT=str(tmp_path / "b.gpkg"),
                       QA_OUTPUT=str(tmp_path / "qa.gpkg"))
    assert res.returncode == 0, output_of(res)[-3000:]
    assert "PARCEL_COUNT:\t6" in res.stdout and "1 parcels with unusable geometry skipped" in output_of(res)
    res = qgis_process("clusters", INPUT=parcels + "|layername=parcels", OUTPUT=str(tmp_path / "c.gpkg"))
    assert res.returncode == 0, output_of(res)[-3000:]
    assert "CLUSTERED_COUNT:\t6" in res.stdout and "NaN or infinite coordinates" in output_of(res)
    assert sha(parcels) == before


def test_members_at_the_limits_are_still_clustered(qgis_app, tmp_path):
    """A 1,000-part parcel and a 50,000-vertex one are clustered (the limits are not too tight)."""
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.clusters import cluster

    parts = F.many_parts(40, 25, y=100)  # 1,000 parts touching parcel 0's top edge
    parcels = parcels_gpkg(tmp_path, [(F.wkb_multipolygon(parts), F.values(6)),
                                      (F.wkb_polygon(F.many_vertices(50000, x=900, y=0, radius=250)), F.values(7))])
    layer = QgsVectorLayer(parcels + "|layername=parcels", "p", "ogr")
    res = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, geometry=True)
    assert res.report["refused"] == []
    assert res.report["members"] == 8


def test_invalid_review_filter_is_an_error_not_ignored(qgis_app, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    parcels = parcels_gpkg(tmp_path)
    before = sha(parcels)
    out = str(tmp_path / "r.gpkg")
    # 3.44: "Incomplete ..."
    with pytest.raises(QgsProcessingException,
                       match=r"Filter expression error: \s*(syntax error|Incomplete expression)"):
        run_alg("landeval:review", {"INPUT": parcels + "|layername=parcels", "FILTER": "\"grade\" = ",
                                    "CODES": F.parcel_code(1), "GRADE": 1, "REASON": "复核", "OUTPUT": out})
    assert not os.path.exists(out) and sha(parcels) == before


def test_join_reports_a_parcel_with_nan_coordinates(qgis_app, tmp_path, run_alg):
    import openpyxl
    from qgis.core import QgsVectorLayer

    rows = F.row_of_parcels(6)
    rows[0] = (F.wkb_polygon([F.nan_square(0, 0, 100)]), rows[0][1])
    parcels = F.write_parcels(str(tmp_path / "p.gpkg"), rows)
    book = F.write_workbook(str(tmp_path / "book.xlsx"))
    before = shas(parcels, book)
    report, out = str(tmp_path / "report.xlsx"), str(tmp_path / "out.gpkg")
    run_alg("landeval:joinenterprises", {"INPUT": parcels + "|layername=parcels", "PARCEL_FIELD": "parcel_code",
                                         "TABLE": book, "YEAR": 2023, "OUTPUT": out, "REPORT": report})
    wb = openpyxl.load_workbook(report, read_only=True)
    layer_problems = [r for r in wb[wb.sheetnames[-1]].iter_rows(values_only=True)]
    assert (F.parcel_code(0), "geometry with NaN or infinite coordinates: area unknown") in layer_problems
    values = {f["parcel_code"]: (plain(f["tax_10k"]), plain(f["tax_per_mu"]))
              for f in QgsVectorLayer(out, "o", "ogr").getFeatures()}
    assert values[F.parcel_code(0)] == (12.5, None)  # the value is kept, the indicator needs an area
    assert values[F.parcel_code(1)][1] == pytest.approx(2.0)
    assert shas(parcels, book) == before
