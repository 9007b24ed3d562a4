"""一地一表 export: protection, validation, text-not-formula, and the exact round trip."""
import glob
import os
import zipfile

import openpyxl
import pytest
from qgis.core import QgsVectorLayer
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

from landeval_plugin.core.enterprise.enterprise_table import read_table
from landeval_plugin.core.enterprise.header import value_fields
from landeval_plugin.core.units import M2_PER_MU


@pytest.fixture
def joined(run_alg, tmp_path):
    layer = parcels_layer([(pcode(1), 30 * M2_PER_MU, "城东街道"), (pcode(2), 10000.0, "城东街道"),
                           (pcode(3), 30000.0, "城西镇")])
    parcels = save_layer(layer, str(tmp_path / "parcels.gpkg"))
    head = ["统一社会信用代码", "企业名称", "宗地代码", "年度", "规上/规下", "税收总额(元)", "工业总产值(万元)",
            "综合能耗(千克标准煤)", "年末从业人数(人)"]
    rows = [head]
    for y, k in ((2021, 1.0), (2022, 1.1), (2023, 1.2)):
        rows += [[code(1), "=HYPERLINK(\"http://x\")", pcode(1), y, "规上", round(1234567.89 * k, 2),
                  3000.5 * k, 1500, 80],
                 [code(2), "+86 乙公司", pcode(1), y, "规下", round(98765.43 * k, 2), None, "—", 12],
                 [code(3), "@丙", pcode(3), y, "规上", "1,000,000.01", 777.77, 2000, 30]]
    table = workbook(str(tmp_path / "ent.xlsx"), rows)
    res = run_alg("landeval:joinenterprises", {
        "INPUT": parcels, "TABLE": table, "YEAR": 2023, "OUTPUT": str(tmp_path / "out.gpkg"),
        "OUTPUT_ENTERPRISES": str(tmp_path / "ents.gpkg"), "REPORT": str(tmp_path / "report.xlsx")})
    return parcels, res


def export(run_alg, tmp_path, res, folder="forms"):
    out = run_alg("landeval:exportforms", {"INPUT": res["OUTPUT"], "ENTERPRISES": res["OUTPUT_ENTERPRISES"],
                                           "YEAR": 2023, "OUTPUT_FOLDER": str(tmp_path / folder)})
    return out


def test_forms_per_town_protected_with_validation(run_alg, tmp_path, joined):
    _, res = joined
    out = export(run_alg, tmp_path, res)
    files = sorted(os.path.basename(f) for f in out["FILES"])
    assert files == ["一地一表_城东街道_2023.xlsx", "一地一表_城西镇_2023.xlsx"]
    assert out["PARCELS"] == 3
    path = os.path.join(str(tmp_path / "forms"), "一地一表_城东街道_2023.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["_landeval"].sheet_state == "hidden"
    ws = wb[pcode(1)]
    assert ws.protection.sheet is True
    assert "2021" in ws["A2"].value and "万元" in ws["A2"].value   # Chinese instructions carry the units
    # the forms are in Chinese whatever language QGIS runs in (these tests run in English)
    assert ws["A2"].value.startswith("填表说明：1）灰色单元格已锁定") and wb.sheetnames[0] == "填表说明"
    assert ws["A1"].value == "2023年度产业用地综合绩效评价一地一表"
    # the enterprise table: header locked, inputs unlocked, parcel code locked
    header_row = next(r for r in range(1, 60) if ws.cell(row=r, column=1).value == "宗地代码"
                      and ws.cell(row=r, column=2).value == "统一社会信用代码")
    assert ws.cell(row=header_row, column=6).value == "税收(万元)"
    assert ws.cell(row=header_row, column=6).protection.locked is True
    first = header_row + 1
    assert ws.cell(row=first, column=1).protection.locked is True
    assert ws.cell(row=first, column=6).protection.locked is False
    kinds = {(dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert ("list", '"是,否"') in kinds and ("list", '"2021,2022,2023"') in kinds and ("list", '"规上,规下"') in kinds
    assert ("decimal", "0") in kinds and ("list", '"自用工业用地项目,立项园区,城市更新园区"') in kinds
    # 6 prefilled lines (2 enterprises x 3 years) then spare lines
    names = [ws.cell(row=r, column=3).value for r in range(first, first + 6)]
    assert names.count("=HYPERLINK(\"http://x\")") == 3 and names.count("+86 乙公司") == 3


def test_cells_starting_with_formula_characters_are_text(run_alg, tmp_path, joined):
    _, res = joined
    out = export(run_alg, tmp_path, res)
    for path in out["FILES"]:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name
    # the report too
    with zipfile.ZipFile(str(tmp_path / "report.xlsx")) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name)
    table = read_table(out["FILES"][0])
    assert {r.name for r in table.rows} == {"=HYPERLINK(\"http://x\")", "+86 乙公司"}


def test_round_trip_is_exact_and_edits_come_back(run_alg, tmp_path, joined):
    parcels, res = joined
    before = features_by_code(res["OUTPUT"])
    out = export(run_alg, tmp_path, res)
    fields = [f + s for f in value_fields() for s in ("", "_y1", "_y2")] + ["tax_per_mu", "output_per_ha"]
    for path in out["FILES"]:
        table = read_table(path)
        assert table.is_form and len(table.sheets) >= 1
        back = run_alg("landeval:joinenterprises", {
            "INPUT": parcels, "TABLE": path, "YEAR": 2023, "OUTPUT": str(tmp_path / "back.gpkg"),
            "OUTPUT_ENTERPRISES": "TEMPORARY_OUTPUT", "REPORT": str(tmp_path / "back.xlsx"),
            "OVERWRITE": True})  # one report per town workbook, into the same file
        after = features_by_code(back["OUTPUT"])
        # untouched spare lines are listed once as empty form lines, not also as undated data
        problems = read_sheet(str(tmp_path / "back.xlsx"), "Data problems")[1:]
        assert not [r for r in problems if "year missing" in str(r[5])]
        assert back["DUPLICATES"] == 0 and back["UNMATCHED"] == 0
        town_codes = {r.parcel_codes[0] for r in table.rows}
        for pc in town_codes:
            for f in fields:
                assert after[pc][f] == before[pc][f], (pc, f)   # exact, not approximately
        os.remove(str(tmp_path / "back.gpkg"))
    # a town staff member fills a spare line and an attribute, then returns the file
    path = os.path.join(str(tmp_path / "forms"), "一地一表_城西镇_2023.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[pcode(3)]
    header_row = next(r for r in range(1, 60) if ws.cell(row=r, column=2).value == "统一社会信用代码")
    spare = next(r for r in range(header_row + 1, header_row + 20) if ws.cell(row=r, column=2).value is None)
    for col, value in ((2, code(9)), (3, "新企业"), (4, 2023), (5, "规下"), (6, 12.34)):
        ws.cell(row=spare, column=col).value = value
    label_row = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "涉法涉诉")
    ws.cell(row=label_row, column=2).value = "是"
    wb.save(path)
    back = run_alg("landeval:joinenterprises", {
        "INPUT": parcels, "TABLE": path, "YEAR": 2023, "OUTPUT": str(tmp_path / "back2.gpkg"),
        "OUTPUT_ENTERPRISES": "TEMPORARY_OUTPUT", "REPORT": str(tmp_path / "back2.xlsx")})
    p3 = features_by_code(back["OUTPUT"])[pcode(3)]
    assert p3["tax_10k"] == pytest.approx(before[pcode(3)]["tax_10k"] + 12.34, abs=1e-9)
    assert p3["enterprise_count"] == 2
    assert p3["litigation"] in (True, 1)


def test_existing_forms_are_never_overwritten(run_alg, tmp_path, joined):
    _, res = joined
    export(run_alg, tmp_path, res)
    first = os.path.join(str(tmp_path / "forms"), "一地一表_城东街道_2023.xlsx")
    stamp = os.path.getmtime(first)
    export(run_alg, tmp_path, res)
    assert os.path.getmtime(first) == stamp
    assert len(glob.glob(os.path.join(str(tmp_path / "forms"), "一地一表_城东街道_2023*.xlsx"))) == 2
    assert not [d for d in os.listdir(str(tmp_path / "forms")) if d.startswith(".landeval")]
    layer = QgsVectorLayer(res["OUTPUT_ENTERPRISES"], "e", "ogr")
    assert layer.featureCount() == 9


def test_features_sharing_a_parcel_code_get_one_form(run_alg, tmp_path):
    layer = parcels_layer([(pcode(1), 10000.0, "城东街道"), (pcode(1), 5000.0, "城东街道"),
                           (pcode(2), 2000.0, "城东街道")])
    out = run_alg("landeval:exportforms", {"INPUT": layer, "YEAR": 2023, "OUTPUT_FOLDER": str(tmp_path / "f")})
    assert out["PARCELS"] == 2
    wb = openpyxl.load_workbook(out["FILES"][0])
    assert [n for n in wb.sheetnames if n.startswith("330122")] == [pcode(1), pcode(2)]
    ws = wb[pcode(1)]
    area = next(ws.cell(row=r, column=c + 1).value for r in range(1, 12) for c in range(1, 8)
                if ws.cell(row=r, column=c).value == "面积（平方米）")
    assert area == pytest.approx(15000.0, abs=0.01)
