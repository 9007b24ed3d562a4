"""The 统计 tab of the 研判 page: the table and the chart equal the sums over the layer, the town /
class filter, the map filter on a copy (the planner's layer keeps its subset, style and visibility),
and the Excel / PNG exports."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_meeting_walkthrough import ROWS, make_layer

MU = 3000 / (10000 / 15)  # each test parcel: 60 m × 50 m


@pytest.fixture
def tab(qgis_iface, qgis_new_project):
    from qgis.core import QgsProject

    from landeval_plugin.gui.pages.review import Page

    layer = make_layer()
    layer.setSubsetString("")
    QgsProject.instance().addMapLayer(layer)
    page = Page(qgis_iface, None)
    page.layer_combo.setLayer(layer)
    assert page.statistics is not None
    yield page.statistics, layer
    page.unload()
    QgsProject.instance().removeAllMapLayers()


def cell(table, row_label, col_label):
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    cols = {table.horizontalHeaderItem(c).text(): c for c in range(table.columnCount())}
    col = [c for label, c in cols.items() if label.startswith(col_label)][0]
    return table.item(rows[row_label], col).data(0x0100)  # Qt.UserRole


def test_town_by_class_equals_the_layer_and_the_chart_is_drawn(tab):
    st_tab, layer = tab
    result = st_tab.refresh()
    assert result is not None, st_tab.status.text()
    # the crosstab against a loop over the layer
    for town in ("旧县街道", "横村镇"):
        for g in ("A", "C", "D"):
            n = sum(1 for r in ROWS if r[1] == town and r[2] == g)
            assert (result.value(town, g, "count") or 0) == n
            assert (result.value(town, g, "mu") or 0) == pytest.approx(n * MU)
    assert result.cell(None).count == len(ROWS)
    assert result.cell(None).mu == pytest.approx(len(ROWS) * MU)
    t = st_tab.table
    assert t.rowCount() == 3  # two towns and the totals row
    assert not st_tab.chart.pixmap().isNull()


def test_filter_counts_and_filters_the_map_on_a_copy(tab):
    from qgis.core import QgsProject

    st_tab, layer = tab
    renderer = layer.renderer().dump()
    st_tab.town_filter.setCurrentIndex(st_tab.town_filter.findData("旧县街道"))
    st_tab.class_filter.setCurrentIndex(st_tab.class_filter.findData("D"))
    st_tab.map_check.setChecked(True)  # counts again
    assert st_tab.tab.cell(None).count == 3
    copy = QgsProject.instance().mapLayer(st_tab.map_copy)
    assert copy is not None and copy.featureCount() == 3
    assert sorted(f["parcel_code"] for f in copy.getFeatures()) == [ROWS[i][0] for i in (0, 1, 5)]
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    assert not node.itemVisibilityChecked()
    # the planner's layer: no subset, same style, all features
    assert layer.subsetString() == "" and layer.renderer().dump() == renderer and layer.featureCount() == len(ROWS)
    copy_id = copy.id()
    st_tab.map_check.setChecked(False)
    assert st_tab.map_copy is None and QgsProject.instance().mapLayer(copy_id) is None
    assert node.itemVisibilityChecked()
    assert len(QgsProject.instance().mapLayers()) == 1


def test_exports_and_a_layer_without_grades(tab, tmp_path):
    from openpyxl import load_workbook
    from qgis.core import QgsProject

    st_tab, layer = tab
    st_tab.refresh()
    xlsx = st_tab.export_excel(str(tmp_path / "统计.xlsx"))
    assert xlsx and os.path.getsize(xlsx) > 0
    wb = load_workbook(xlsx)
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert "旧县街道" in values and len(ROWS) in values
    png = st_tab.export_png(str(tmp_path / "统计.png"))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    plain = make_layer(fields=("parcel_code:string", "town:string"), name="一张图底图")
    QgsProject.instance().addMapLayer(plain)
    st_tab.page.layer_combo.setLayer(plain)
    assert st_tab.refresh() is None
    assert "一张图底图" in st_tab.status.text() and st_tab.table.rowCount() == 0


def test_export_map_prints_the_meeting_map(tab, landeval_provider, qgis_iface, tmp_path):
    import json

    st_tab, layer = tab
    page = st_tab.page
    qgis_iface.mapCanvas().setDestinationCrs(layer.crs())
    qgis_iface.mapCanvas().setExtent(layer.extent())
    page.title_edit.setText("2026年第4次研判会")
    results = page.export_map(str(tmp_path / "研判会地图.pdf"))
    assert results is not None, page.status.text()
    pdf, png = tmp_path / "研判会地图.pdf", tmp_path / "研判会地图.png"
    assert open(pdf, "rb").read(5) == b"%PDF-" and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    legend = {e["key"]: (e["count"], e["mu"]) for e in json.loads(results["LEGEND"])}
    assert {k: n for k, (n, _) in legend.items()} == {"A": 1, "C": 1, "D": 4}
    assert legend["D"][1] == pytest.approx(4 * MU, abs=0.01)
    assert results["COUNT"] == len(ROWS)
    assert str(pdf) in page.status.text()
    # during a walk-through the meeting's list is named beside the layer (the totals are the layer's)
    from landeval_plugin.core.meeting import walkthrough as w

    page.kind_combo.setCurrentIndex(page.kind_combo.findData(w.TOWN))
    page._kind_changed()
    page.value_combo.setCurrentIndex(page.value_combo.findData("旧县街道"))
    page.by_edit.setText("张三")
    assert page.start() is not None
    seen = {}
    import processing

    real = processing.run
    try:
        processing.run = lambda alg, params, *a, **k: seen.update(params) or real(alg, params, *a, **k)
        assert page.export_map(str(tmp_path / "list.pdf")) is not None
    finally:
        processing.run = real
    assert seen["SUBTITLE"] == "{}（研判名单：{}，3 宗）".format(layer.name(), page.session.describe)


def test_published_lists_of_the_filtered_town(tab, tmp_path):
    """名单…: the A-class list of the town in the filter as Excel and PDF (the class filter does
    not apply: the list picks class A); an empty list or a layer without the list's fields says so
    and writes nothing."""
    from openpyxl import load_workbook

    st_tab, layer = tab
    st_tab.fill_towns()
    st_tab.town_filter.setCurrentIndex(st_tab.town_filter.findData("旧县街道"))
    st_tab.class_filter.setCurrentIndex(st_tab.class_filter.findData("D"))
    xlsx, pdf = st_tab.export_list("a_class", str(tmp_path / "A类名单"))
    assert xlsx.endswith("A类名单.xlsx") and open(pdf, "rb").read(5) == b"%PDF-"
    ws = load_workbook(xlsx).active
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    a_codes = [r[0] for r in ROWS if r[1] == "旧县街道" and r[2] == "A"]
    assert a_codes and all(code in cells for code in a_codes)
    assert not [r[0] for r in ROWS if r[2] != "A" and r[0] in cells]
    assert "1" in st_tab.status.text() and xlsx in st_tab.status.text()
    # 横村镇 has no class A parcel: said, nothing written
    st_tab.town_filter.setCurrentIndex(st_tab.town_filter.findData("横村镇"))
    assert st_tab.export_list("a_class", str(tmp_path / "none.xlsx")) is None
    assert "横村镇" in st_tab.status.text() and not (tmp_path / "none.xlsx").exists()
    # the test layer has no low-efficiency fields: the message names the field
    assert st_tab.export_list("low_efficiency", str(tmp_path / "low.xlsx")) is None
    assert "low_eff" in st_tab.status.text() and not (tmp_path / "low.xlsx").exists()


def test_the_map_filter_copy_is_not_a_result_for_start_here(tab):
    """The 从这里开始 strip and the pages' pickers leave the temporary filtered copy out: the graded
    line still names the planner's layer while the copy is on the map (it is newest and on top)."""
    from qgis.core import QgsProject

    from landeval_plugin.gui.layer_defaults import is_temporary, layer_infos
    from landeval_plugin.gui.start_strip import StartStrip

    st_tab, layer = tab
    strip = StartStrip()
    try:
        assert strip.refresh()["graded"] == layer.id()
        st_tab.town_filter.setCurrentIndex(st_tab.town_filter.findData("旧县街道"))
        st_tab.map_check.setChecked(True)
        copy = QgsProject.instance().mapLayer(st_tab.map_copy)
        assert copy is not None and copy.featureCount() > 0 and is_temporary(copy) and not is_temporary(layer)
        assert [i.id for i in layer_infos()] == [layer.id()]
        st = strip.status()   # refreshed by the project's layersAdded
        assert st["graded"][0] and st["graded"][1].endswith(" " + layer.name()), st["graded"]
        assert copy.name() not in st["graded"][1]
        assert strip.refresh()["graded"] == layer.id()
        st_tab.map_check.setChecked(False)
        assert strip.refresh()["graded"] == layer.id()
    finally:
        strip.unload()
