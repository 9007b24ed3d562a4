"""The data page: detected mapping shown, edits saved in the project, join runs in the background."""
import os
import time

import pytest
from qgis.core import QgsProject
from test_data_fixtures import (
    code,
    parcels_layer,
    pcode,
    restore_shape_encoding,  # noqa: F401 (autouse fixture)
    workbook,
)


def wait_for(page, timeout=60):
    from qgis.PyQt.QtCore import QCoreApplication

    end = time.time() + timeout
    while page.task is not None and time.time() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    QCoreApplication.processEvents()
    assert page.task is None, "task did not finish"


def test_page_detects_edits_saves_and_runs(landeval_provider, tmp_path):
    from landeval_plugin.gui.pages.data import Page, saved_mappings

    layer = parcels_layer([(pcode(1), 20000.0, "城东"), (pcode(2), 10000.0, "城东")])
    QgsProject.instance().addMapLayer(layer)
    rows = [["XX区企业数据"],
            ["序号", "统一社会信用代码", "企业名称", "宗地代码", "年度", "纳税额(元)", "工业总产值(万元)"],
            [1, code(1), "甲", pcode(1), 2023, 300000, 100],
            [2, code(2), "乙", "330122999999GB99999", 2023, 1, 1]]
    path = workbook(str(tmp_path / "ent.xlsx"), rows)
    try:
        page = Page(None)
        assert page.title() in ("Data", "数据")
        page.layer.setLayer(layer)
        assert page.code_field.currentField() == "宗地代码"
        page.workbook.setFilePath(path)
        page._workbook_changed(path)
        headers = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
        assert headers[:4] == ["序号", "统一社会信用代码", "企业名称", "宗地代码"]
        read_as = {page.table.item(r, 1).text(): page.table.cellWidget(r, 2).currentData()
                   for r in range(page.table.rowCount())}
        assert read_as["统一社会信用代码"] == "credit_code" and read_as["纳税额(元)"] == ""
        assert "rows 2–2" in page.header_label.text() or "2–2" in page.header_label.text()
        # the planner says 纳税额 is the tax column: saved in the project, passed as MAPPING
        row = headers.index("纳税额(元)")
        combo = page.table.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData("tax_10k"))
        assert saved_mappings()["ent.xlsx"] == "tax_10k=F"
        assert page.parameters()["MAPPING"] == "tax_10k=F"
        page.year.setValue(2023)
        page.report.setFilePath(str(tmp_path / "report.xlsx"))
        page.run()
        wait_for(page)
        assert page.summary.text().startswith("Rows used: 1; unmatched: 1;")
        out = page.last_results["OUTPUT_LAYER"]
        values = {f["宗地代码"]: f["tax_10k"] for f in out.getFeatures()}
        assert values[pcode(1)] == pytest.approx(30.0)
        assert page.last_results["UNMATCHED"] == 1
        # a new page (re-opened project) restores the edited mapping
        page2 = Page(None)
        page2.workbook.setFilePath(path)
        page2._workbook_changed(path)
        r2 = [page2.table.item(r, 1).text() for r in range(page2.table.rowCount())].index("纳税额(元)")
        assert page2.table.cellWidget(r2, 2).currentData() == "tax_10k"
        # export forms from the page: the joined layer and its enterprises table
        params = page.forms_parameters(str(tmp_path / "forms"))
        assert params["INPUT"] is out and params["ENTERPRISES"] is page.last_results["OUTPUT_ENTERPRISES_LAYER"]
        page._start("landeval:exportforms", params, page._exported)
        wait_for(page)
        assert page.summary.text().startswith("2 parcels written to 1 workbooks")
        assert os.listdir(str(tmp_path / "forms")) == ["一地一表_城东_2023.xlsx"]
    finally:
        QgsProject.instance().removeAllMapLayers()
        QgsProject.instance().removeEntry("landeval", "data/mappings")
