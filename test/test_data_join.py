"""landeval:joinenterprises end to end: sums, splits, link table, report lines, bad input."""
import os

import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from test_data_fixtures import (
    code,
    features_by_code,
    parcels_layer,
    pcode,
    read_sheet,
    restore_shape_encoding,  # noqa: F401 (autouse fixture)
    save_layer,
    workbook,
)

from landeval_plugin.core.units import M2_PER_MU

HEAD = ["统一社会信用代码", "企业名称", "宗地代码", "年度", "税收总额(万元)", "工业总产值(万元)", "营业收入(万元)",
        "工业增加值(万元)", "综合能耗(吨标准煤)", "研发经费(万元)", "年末从业人数(人)"]


@pytest.fixture
def parcels(tmp_path):
    # 30 亩, 15 亩 (1 ha), 45 亩 (3 ha), 10 亩
    layer = parcels_layer([(pcode(1), 30 * M2_PER_MU, "城东街道"), (pcode(2), 10000.0, "城东街道"),
                           (pcode(3), 30000.0, "城西镇"), (pcode(4), 10 * M2_PER_MU, "城西镇")])
    return save_layer(layer, str(tmp_path / "parcels.gpkg"))


def run_join(run_alg, tmp_path, parcels, table, **extra):
    params = {"INPUT": parcels, "TABLE": table, "YEAR": 2023,
              "OUTPUT": str(tmp_path / "out.gpkg"), "OUTPUT_ENTERPRISES": str(tmp_path / "ents.gpkg"),
              "REPORT": str(tmp_path / "report.xlsx")}
    params.update(extra)
    return run_alg("landeval:joinenterprises", params)


def report_lines(tmp_path, sheet):
    return read_sheet(str(tmp_path / "report.xlsx"), sheet)[1:]


def test_sum_of_enterprises_on_one_parcel_and_indicators(run_alg, tmp_path, parcels):
    rows = [HEAD,
            [code(1), "甲", pcode(1), 2023, 60.25, 3000, 4000, 800, 100, 40, 80],
            [code(2), "乙", pcode(1), 2023, 29.75, None, 1000, 200, 100, 10, 20],
            [code(1), "甲", pcode(1), 2022, 50, 2000, 3000, 600, 90, 30, 70],
            [code(1), "甲", pcode(1), 2021, 40, 1000, 2000, 500, 80, 20, 60],
            [code(3), "丙", pcode(2), 2023, 15, 1500, 1500, 300, 30, 15, 10]]
    table = workbook(str(tmp_path / "e.xlsx"), rows)
    res = run_join(run_alg, tmp_path, parcels, table)
    out = features_by_code(res["OUTPUT"])
    p1 = out[pcode(1)]
    assert p1["tax_10k"] == pytest.approx(90.0, abs=1e-9)
    assert p1["output_10k"] == pytest.approx(3000.0)           # 乙 has no output: sum of who has it
    assert p1["tax_per_mu"] == pytest.approx(3.0, abs=1e-6)    # 90 万元 / 30 亩
    assert p1["tax_per_ha"] == pytest.approx(45.0, abs=1e-6)   # 90 / 2 ha
    assert p1["va_per_mu"] == pytest.approx(1000 / 30.0)
    assert p1["va_per_energy"] == pytest.approx(5.0)           # 1000 / 200 tce
    assert p1["labour_productivity"] == pytest.approx(10.0)    # 1000 / 100 people
    assert p1["rnd_ratio"] == pytest.approx(0.01)              # 50 / 5000
    assert p1["tax_10k_y1"] == pytest.approx(50.0) and p1["tax_10k_y2"] == pytest.approx(40.0)
    assert p1["tax_per_mu_y1"] == pytest.approx(50 / 30.0) and p1["tax_per_mu_y2"] == pytest.approx(40 / 30.0)
    assert p1["enterprise_count"] == 2
    p2 = out[pcode(2)]
    assert p2["output_per_ha"] == pytest.approx(1500.0) and p2["tax_10k_y1"] is None
    # missing stays missing: parcels without enterprises have NULL, never 0
    assert out[pcode(3)]["tax_10k"] is None and out[pcode(3)]["enterprise_count"] == 0
    ents = QgsVectorLayer(res["OUTPUT_ENTERPRISES"], "e", "ogr")
    assert ents.featureCount() == 5
    assert {f["share"] for f in ents.getFeatures()} == {1.0}
    # the parcels without enterprises are listed
    assert sorted(r[0] for r in report_lines(tmp_path, "Parcels without enterprises")) == [pcode(3), pcode(4)]
    assert res["PARCELS_WITHOUT"] == 2 and res["MATCHED_ROWS"] == 5


def test_link_table_splits_by_share_area_or_parcel_area(run_alg, tmp_path, parcels):
    rows = [["统一社会信用代码", "企业名称", "年度", "税收总额(万元)", "年末从业人数(人)"],
            [code(1), "甲", 2023, 100.0, 50],
            [code(2), "乙", 2023, 90.0, None],
            [code(3), "丙", 2023, 30.0, 30],
            [code(4), "丁", 2023, 8.0, None],      # not in link table
            ["91330122MA00000099", "戊", 2023, 1.0, None]]  # invalid code, not in link
    table = workbook(str(tmp_path / "e.xlsx"), rows)
    link_rows = [["企业地块关联表"],
                 ["统一社会信用代码", "企业名称", "宗地代码", "分摊比例"],
                 [code(1), "甲", pcode(1), "60%"],
                 [code(1), "甲", pcode(2), "40%"],
                 [code(2), "乙", pcode(1), None],     # no share: by parcel area 30 亩 : 45 亩
                 [code(2), "乙", pcode(3), None],
                 [code(3), "丙", pcode(4), 1],
                 [code(3), "丙", "330122999999GB99999", None]]
    link = workbook(str(tmp_path / "link.xlsx"), link_rows)
    res = run_join(run_alg, tmp_path, parcels, table, LINK=link)
    out = features_by_code(res["OUTPUT"])
    assert out[pcode(1)]["tax_10k"] == pytest.approx(60.0 + 36.0, abs=1e-6)   # 60% of 100, 30/75 of 90
    assert out[pcode(2)]["tax_10k"] == pytest.approx(40.0, abs=1e-6)
    assert out[pcode(3)]["tax_10k"] == pytest.approx(54.0, abs=1e-6)          # 45/75 of 90
    assert out[pcode(4)]["tax_10k"] == pytest.approx(30.0, abs=1e-6)          # only link parcel in the layer
    assert out[pcode(1)]["employees"] == pytest.approx(30.0)
    ents = QgsVectorLayer(res["OUTPUT_ENTERPRISES"], "e", "ogr")
    shares = {(f["credit_code"], f["parcel_code"]): f["share"] for f in ents.getFeatures()}
    assert shares[(code(1), pcode(1))] == pytest.approx(0.6) and shares[(code(2), pcode(3))] == pytest.approx(0.6)
    unmatched = report_lines(tmp_path, "Unmatched enterprises")
    reasons = {(r[2], r[4]): r[6] for r in unmatched}
    assert "not in the link table" in reasons[(code(4), None)]
    assert "not in the parcel layer" in reasons[(code(3), "330122999999GB99999")]
    invalid = report_lines(tmp_path, "Invalid credit codes")
    assert [(r[3], r[5]) for r in invalid] == [("91330122MA00000099", "check digit does not match (GB 32100-2015)")]
    splits = report_lines(tmp_path, "Splits")
    methods = {(r[0], r[2]): r[4] for r in splits}
    assert "shares" in methods[(code(1), pcode(1))] and "parcel area" in methods[(code(2), pcode(1))]
    assert res["UNMATCHED"] == 3   # 丁, 戊 and 丙's share on the missing parcel


def test_no_row_disappears_without_a_line(run_alg, tmp_path, parcels):
    rows = [["XX区企业数据"], HEAD,
            [code(1), "甲", pcode(1), 2023, 10, None, None, None, None, None, None],
            [code(1), "甲", pcode(1), 2023, 10, None, None, None, None, None, None],    # identical duplicate
            [code(1), "甲", pcode(1), 2023, 11, None, None, None, None, None, None],    # conflicting duplicate
            [code(2), "乙", "330122999999GB99999", 2023, 5, None, None, None, None, None, None],  # unknown parcel
            [code(3), "丙", pcode(2), 2019, 5, None, None, None, None, None, None],    # other year
            [code(4), "丁", pcode(2), None, 5, None, None, None, None, None, None],    # no year
            [None, None, None, None, None, None, None, None, None, None, None],
            ["合计", None, None, None, 31],
            [code(5), "戊", None, 2023, 1, None, None, None, None, None, None]]        # no parcel, no link
    table = workbook(str(tmp_path / "e.xlsx"), rows)
    res = run_join(run_alg, tmp_path, parcels, table)
    listed = set()
    for sheet, col in (("Unmatched enterprises", 1), ("Duplicate rows", 1), ("Rows not used", 1)):
        listed |= {r[col] for r in report_lines(tmp_path, sheet)}
    used = {3}
    data_rows = {3, 4, 5, 6, 7, 8, 10, 11}   # row 9 is blank
    assert data_rows - used <= listed
    dups = {r[1]: r[7] for r in report_lines(tmp_path, "Duplicate rows")}
    assert "identical" in dups[4] and "different values" in dups[5]
    assert features_by_code(res["OUTPUT"])[pcode(1)]["tax_10k"] == pytest.approx(10.0)
    problems = report_lines(tmp_path, "Data problems")
    assert any(r[1] == 8 and "year missing" in r[5] for r in problems)


def test_year_not_in_data_and_bad_files_write_nothing(run_alg, tmp_path, parcels):
    table = workbook(str(tmp_path / "e.xlsx"), [HEAD, [code(1), "甲", pcode(1), 2021, 1] + [None] * 6])
    with pytest.raises(QgsProcessingException, match="Year 2023 is not in"):
        run_join(run_alg, tmp_path, parcels, table)
    nokey = workbook(str(tmp_path / "nokey.xlsx"), [["名称", "金额"], ["甲", 1]])
    with pytest.raises(QgsProcessingException, match="no recognisable key column"):
        run_join(run_alg, tmp_path, parcels, nokey)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(QgsProcessingException, match="97-2003"):
        run_join(run_alg, tmp_path, parcels, str(xls))
    for name in ("out.gpkg", "ents.gpkg", "report.xlsx"):
        assert not os.path.exists(str(tmp_path / name)), name
    assert not [f for f in os.listdir(str(tmp_path)) if f.startswith(".landeval")]


def test_several_codes_in_one_cell_split_by_area_and_wide_layout(run_alg, tmp_path, parcels):
    rows = [["统一社会信用代码", "企业名称", "宗地代码", "税收2021(万元)", "税收2022(万元)", "税收2023(万元)"],
            [code(1), "甲", "{}、{}".format(pcode(2), pcode(3)), 4, 8, 12]]
    table = workbook(str(tmp_path / "w.xlsx"), rows)
    res = run_join(run_alg, tmp_path, parcels, table)
    out = features_by_code(res["OUTPUT"])
    assert out[pcode(2)]["tax_10k"] == pytest.approx(3.0) and out[pcode(3)]["tax_10k"] == pytest.approx(9.0)
    assert out[pcode(2)]["tax_10k_y2"] == pytest.approx(1.0) and out[pcode(3)]["tax_10k_y1"] == pytest.approx(6.0)
    # both parcels have 亩均税收 12 / 60 亩 = 0.2 万元/亩 in 2023
    assert out[pcode(2)]["tax_per_mu"] == pytest.approx(0.2) and out[pcode(3)]["tax_per_mu"] == pytest.approx(0.2)


def test_mapping_parameter_from_qgis_process_syntax(run_alg, tmp_path, parcels):
    rows = [["纳税人识别号", "纳税人", "坐落宗地", "所属期", "实缴(元)"],
            [code(1), "甲", pcode(4), 2023, 123456.78]]
    table = workbook(str(tmp_path / "tax.xlsx"), rows)
    res = run_join(run_alg, tmp_path, parcels, table,
                   MAPPING="credit_code=纳税人识别号; enterprise_name=B; parcel_code=坐落宗地; year=所属期; "
                           "tax_10k=实缴(元)")
    p = features_by_code(res["OUTPUT"])[pcode(4)]
    assert p["tax_10k"] == pytest.approx(12.345678, abs=1e-9)
    assert p["tax_per_mu"] == pytest.approx(1.2345678, abs=1e-9)


def test_cancelled_run_writes_nothing(run_alg, tmp_path, parcels):
    from qgis.core import QgsProcessingFeedback

    table = workbook(str(tmp_path / "e.xlsx"), [HEAD] + [[code(i), "企业", pcode(1), 2023, i] + [None] * 6
                                                         for i in range(1, 30)])
    feedback = QgsProcessingFeedback()
    feedback.cancel()  # the user pressed Cancel: the run stops before anything is written
    res = run_alg("landeval:joinenterprises", {
        "INPUT": parcels, "TABLE": table, "YEAR": 2023, "OUTPUT": str(tmp_path / "out.gpkg"),
        "OUTPUT_ENTERPRISES": str(tmp_path / "ents.gpkg"), "REPORT": str(tmp_path / "report.xlsx")},
        feedback=feedback)
    assert not res.get("MATCHED_ROWS")
    for name in ("out.gpkg", "ents.gpkg", "report.xlsx"):
        assert not os.path.exists(str(tmp_path / name)), name


def test_invalid_parcel_geometry_does_not_stop_the_join(run_alg, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=宗地代码:string(30)", "p", "memory")
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((0 0, 100 100, 100 0, 0 100, 0 0))"))  # self-intersecting
    f.setAttributes([pcode(1)])
    layer.dataProvider().addFeatures([f])
    table = workbook(str(tmp_path / "e.xlsx"), [HEAD, [code(1), "甲", pcode(1), 2023, 7.5] + [None] * 6])
    res = run_join(run_alg, tmp_path, layer, table)
    assert features_by_code(res["OUTPUT"])[pcode(1)]["tax_10k"] == pytest.approx(7.5)


def test_impossible_values_are_flagged_but_kept(run_alg, tmp_path, parcels):
    rows = [HEAD,
            [code(1), "甲", pcode(1), 2023, 1, 100, 50, 300, 1, 80, 5]]   # VA 300 > output 100; R&D 80 > revenue 50
    run_join(run_alg, tmp_path, parcels, workbook(str(tmp_path / "e.xlsx"), rows))
    problems = [r for r in report_lines(tmp_path, "Data problems") if r[1] == 2]
    assert any("value added is larger than gross output" in r[5] for r in problems)
    assert any("R&D spending is larger than revenue" in r[5] for r in problems)


def test_wide_layout_column_without_year_is_the_evaluation_year(run_alg, tmp_path, parcels):
    """综合能耗 beside 税收2022/税收2023 and no 年度 column: its values count for the evaluation year,
    said in the log and the report, never dropped."""
    rows = [["统一社会信用代码", "宗地代码", "税收2022(万元)", "税收2023(万元)", "综合能耗(千克标准煤)",
             "工业增加值2023(万元)"],
            [code(1), pcode(1), 10.01, 12.34, "2,500", 30.05]]
    res = run_join(run_alg, tmp_path, parcels, workbook(str(tmp_path / "w.xlsx"), rows))
    p = features_by_code(res["OUTPUT"])[pcode(1)]
    assert p["tax_10k"] == 12.34 and p["tax_10k_y1"] == 10.01 and p["tax_10k_y2"] is None
    assert p["energy_tce"] == 2.5 and p["energy_tce_y1"] is None
    assert p["va_per_energy"] == pytest.approx(12.02, abs=1e-9)      # 30.05 万元 / 2.5 tce
    assert p["tax_per_mu"] == pytest.approx(12.34 / 30, abs=1e-9)
    summary = {r[0]: r[1] for r in report_lines(tmp_path, "Summary")}
    assert "综合能耗(千克标准煤) have no year" in summary["note"] and "taken as 2023" in summary["note"]


def test_link_to_a_missing_parcel_says_where_its_share_went(run_alg, tmp_path, parcels):
    rows = [["统一社会信用代码", "企业名称", "年度", "税收总额(万元)"],
            [code(1), "甲", 2023, 100.0], [code(2), "乙", 2023, 50.0]]
    link = workbook(str(tmp_path / "link.xlsx"), [
        ["统一社会信用代码", "宗地代码", "分摊比例"],
        [code(1), pcode(1), "70%"], [code(1), "330122999999GB99999", "30%"],   # shares: 30% stays unassigned
        [code(2), pcode(2), None], [code(2), "330122999999GB99998", None]])    # no share: all on pcode(2)
    res = run_join(run_alg, tmp_path, parcels, workbook(str(tmp_path / "e.xlsx"), rows), LINK=link)
    out = features_by_code(res["OUTPUT"])
    assert out[pcode(1)]["tax_10k"] == 70.0 and out[pcode(2)]["tax_10k"] == 50.0
    reasons = {r[2]: r[6] for r in report_lines(tmp_path, "Unmatched enterprises")}
    assert reasons[code(1)].endswith("that share is not assigned")
    assert reasons[code(2)].endswith("no share given, so the enterprise went to its other parcels by area")
