"""One reading of empty, yes/no, numbers and dates for the whole plugin (core/values.py).

The words live in resources/schema/values.yaml; grading, the dossier's veto list, clusters, the base
map, forms and disposal all read through the same functions, so a sheet never omits the veto that
decided the grade ("存在" in 涉法涉诉 is a yes everywhere).
"""
import datetime
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from landeval_plugin.core import values


@pytest.mark.parametrize("text,expected", [
    ("是", True), ("存在", True), ("有", True), ("涉及", True), ("√", True), ("Y", True),
    ("ｙｅｓ", True), (" 1 ", True),
    ("否", False), ("不存在", False), ("无", False), ("没有", False), ("不涉及", False), ("×", False), ("0", False),
    ("", None), ("—", None), ("-", None), ("/", None), ("未知", None), ("待核查", None), ("暂无", None), ("n/a", None),
    ("出租中", None), (None, None), (True, True), (0, False), (2.5, True), (float("nan"), None)])
def test_yes_no_words(text, expected):
    assert values.to_bool(text) is expected


def test_none_word_is_no_for_yes_no_missing_for_numbers_and_a_value_for_text():
    assert values.to_bool("无") is False
    assert values.to_float("无") is None          # "无" in a 税收 cell: no data, never zero
    assert values.to_text("无") == "无"            # 出租情况 = 无: not leased
    for empty in ("—", "／", " ", "未知", "null"):
        assert values.to_float(empty) is None and values.to_text(empty) is None and values.is_empty(empty)
    assert not values.is_empty("无") and not values.is_empty(0) and values.is_empty(None)


def test_numbers_and_dates():
    assert values.to_float("１,２３４.５") == 1234.5
    assert values.to_float("1,234,567") == 1234567.0
    assert values.to_float("12,34") is None and values.to_float("12.5万元") is None
    assert values.to_float(3) == 3.0 and values.to_float(True) is None
    for text in ("1999-01-01", "1999/1/1", "1999.1.1", "1999年1月1日", "19990101", "１９９９年１月１日"):
        assert values.to_date(text) == datetime.date(1999, 1, 1), text
    assert values.to_iso_date(datetime.datetime(2005, 6, 1, 8, 30)) == "2005-06-01"
    assert values.to_date("2023-02-30") is None and values.to_date("去年") is None


def test_qgis_values(qgis_app):
    from qgis.PyQt.QtCore import QDate, QDateTime, QVariant

    assert values.is_null(QVariant()) and values.to_bool(QVariant()) is None and values.to_text(QVariant()) is None
    assert values.to_date(QDate(2005, 6, 1)) == datetime.date(2005, 6, 1)
    assert values.to_iso_date(QDateTime(QDate(2005, 6, 1))) == "2005-06-01"
    assert values.to_date(QDate()) is None
    assert values.to_qdate("2015年3月1日") == QDate(2015, 3, 1)


def test_every_step_reads_through_the_same_functions(qgis_app):
    from landeval_plugin.core import indicators
    from landeval_plugin.core.basemap import basemap
    from landeval_plugin.core.clusters import cluster
    from landeval_plugin.core.dossiers import sheet_data as dossier
    from landeval_plugin.core.enterprise import enterprise_clean, forms
    from landeval_plugin.core.grading import grade

    assert grade.to_bool is values.to_bool and grade.to_float is values.to_float and grade.to_text is values.to_text
    assert dossier.as_bool is values.to_bool
    assert cluster._truthy is values.truthy
    assert forms.parse_attribute("litigation", "存在") is True
    assert forms.parse_attribute("litigation", "未知") is None
    assert forms.parse_attribute("tax_10k", "无") is None
    assert basemap.parse_date("2015/3/1").toString("yyyy-MM-dd") == "2015-03-01"
    assert indicators.number("1,234.5") == 1234.5
    # the enterprise cleaner's "no data" tokens are values.yaml's empty and none words
    assert enterprise_clean.MISSING_TOKENS == values.words()["empty"] | values.words()["none"]
    assert {"无", "—", "暂无", "n/a"} <= enterprise_clean.MISSING_TOKENS


def test_existing_as_a_veto_on_the_sheet_and_in_the_grade(qgis_app):
    """涉法涉诉 = "存在": the grade is D for it, and the sheet's veto list names it."""
    from grade_fixtures import write_layer

    from landeval_plugin.core.dossiers import sheet_data as dossier
    from landeval_plugin.core.grading import grade as grading
    from landeval_plugin.core.grading import standard

    rows = [{"area_m2": 10000.0, "parcel_code": "330122001001GB00001", "project_type": "自用工业用地项目",
             "lease_status": "无", "litigation": "存在", "unfinished": "否",
             "to_residential": "不涉及", "violation": "否",
             "commitment_met": None, "output_10k": 30000.0, "tax_10k": 2000.0},
            {"area_m2": 10000.0, "parcel_code": "330122001001GB00002", "project_type": "自用工业用地项目",
             "lease_status": "无", "litigation": "不存在", "unfinished": "否", "to_residential": "不涉及",
             "violation": "否", "commitment_met": None, "output_10k": 30000.0, "tax_10k": 2000.0}]
    layer = write_layer(None, rows)
    features, fields, results, _, _ = grading.grade_source(layer, standard.load("beijing_etown_2023"))
    assert [r["grade"] for r in results] == ["D", "A"]
    assert results[0]["grade_reason"].startswith("涉法涉诉")
    data = dossier.SheetData(layer.getFeatures(), layer.fields(), layer.crs())
    sheets = {s.code: s for s in data.sheets}
    hit, clean = sheets["330122001001GB00001"], sheets["330122001001GB00002"]
    assert hit.raw["veto"] == ["涉法涉诉"] and "涉法涉诉" in hit.display["d_veto"]
    assert clean.raw["veto"] == [] and clean.display["d_veto"] == "无"


def test_word_list_file_is_the_one_source():
    from landeval_plugin.core import paths, schema

    data = schema.load_yaml(paths.resource("schema", "values.yaml"))
    assert set(data) == {"yes", "no", "none", "empty"}
    # ASCII words are strings (a bare yes/no in YAML would be a boolean and never match)
    assert all(isinstance(w, str) for key in data for w in data[key])
    w = values.words()
    assert not (w["yes"] & w["no"]) and not (w["yes"] & w["empty"]) and not (w["no"] & w["empty"])


def test_sheet_veto_reads_spellings_as_grading_does(qgis_app):
    from grade_fixtures import write_layer

    from landeval_plugin.core.dossiers import sheet_data as dossier

    rows = [{"area_m2": 10000.0, "parcel_code": "330122001001GB0000{}".format(n), "industry_class": v, "idle": w}
            for n, (v, w) in enumerate([("淘汰类产能", "否"), ("限制类", "存在"), ("鼓励", "未知")], 1)]
    layer = write_layer(None, rows)
    sheets = {s.code[-1]: s for s in dossier.SheetData(layer.getFeatures(), layer.fields(), layer.crs()).sheets}
    assert sheets["1"].raw["veto"] == ["禁止类/淘汰类产业"]
    assert sheets["2"].raw["veto"] == ["闲置/用而未尽"]
    assert sheets["3"].raw["veto"] == []



def test_plain_sum_adds_left_to_right_on_every_python():
    """The grading means and totals add as SQLite and PostgreSQL do, whatever Python's sum() does."""
    from landeval_plugin.core.values import plain_sum
    nums = [0.1] * 10 + [1e16, 1.0, -1e16]
    naive = 0
    for n in nums:
        naive += n
    assert plain_sum(nums) == naive == 0.0   # the compensated sum() of Python 3.12+ gives about 2
    assert plain_sum([1, 2, 3]) == 6 and isinstance(plain_sum([1, 2, 3]), int)
    assert plain_sum([]) == 0
