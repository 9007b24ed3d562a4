"""The grading page, headless: rules table in Chinese, edits, background grading, what-if, review."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from grade_fixtures import random_rows, write_layer


def wait(pred, timeout=60):
    from qgis.core import QgsApplication

    end = time.time() + timeout
    while time.time() < end:
        QgsApplication.processEvents()
        if pred():
            return True
        time.sleep(0.02)
    return False


def test_page_reads_grades_and_reviews(tmp_path, landeval_provider):
    from qgis.core import QgsProject

    from landeval_plugin.core import review
    from landeval_plugin.core.grading import grade as grading
    from landeval_plugin.gui.pages.grading import Page

    layer = write_layer(str(tmp_path / "p.gpkg"), random_rows(60, seed=4))
    QgsProject.instance().addMapLayer(layer)
    page = Page(None)
    try:
        page.std_combo.setCurrentIndex(page.std_combo.findData("beijing_etown_2023"))
        assert page.rules.rowCount() >= 9
        assert page.rules.item(0, 1).text() == "D" and "擅自出租" in page.rules.item(0, 2).text()
        page.std_combo.setCurrentIndex(page.std_combo.findData("zhejiang_huangyan_2022"))
        labels = [page.tunables.item(r, 0).text() for r in range(page.tunables.rowCount())]
        assert "规上·亩均税收 基准值" in labels and "A类最低得分" in labels
        page.layer.setLayer(layer)
        # edit the A threshold in the table and save as a new standard
        r = labels.index("A类最低得分")
        page.tunables.item(r, 1).setText("110")
        std = page._edited_standard("huangyan_edit", "x")
        assert std.classify["thresholds"]["A"] == 110
        # background grading of the whole layer
        page.output.setFilePath(str(tmp_path / "out.gpkg"))
        page._run(False)
        assert wait(lambda: page.task is None), "grading did not finish"
        graded = page.layer.currentLayer()
        assert graded is not layer and "grade" in graded.fields().names()
        total = sum(int(page.summary.item(i, 1).text()) for i in range(page.summary.rowCount()))
        assert total == 60
        assert graded.renderer().type() == "categorizedSymbol"
        # what-if on the graded layer
        read = grading.read_rows(graded, page.std)
        res = grading.whatif(page.std, read[1])
        a_row = [x for x in res if x[0] == "A类最低得分"][0]
        assert isinstance(a_row[2], int) and isinstance(a_row[3], int) and a_row[2] + a_row[3] > 0
        # review in place: selected parcels, one undo step
        graded.selectByIds([f.id() for f in graded.getFeatures()][:2])
        n = review.apply_in_place(graded, graded.selectedFeatureIds(), "D", "现场核查", by="王五")
        assert n == 2 and grading.layer_counts(graded).get("D", (0,))[0] >= 2
        graded.rollBack()
    finally:
        page.unload()
        QgsProject.instance().removeAllMapLayers()


def test_a_failed_grading_shows_the_reason_on_the_page(tmp_path, landeval_provider):
    from qgis.core import QgsProject, QgsVectorLayer

    from landeval_plugin.gui.pages.grading import Page

    # a polygon layer without any of the values huangyan needs: the algorithm names them
    layer = QgsVectorLayer("Polygon?crs=EPSG:4549&field=parcel_code:string", "bare", "memory")
    QgsProject.instance().addMapLayer(layer)
    page = Page(None)
    try:
        page.std_combo.setCurrentIndex(page.std_combo.findData("zhejiang_huangyan_2022"))
        page.layer.setLayer(layer)
        page.output.setFilePath(str(tmp_path / "never.gpkg"))
        page._run(False)
        assert wait(lambda: page.task is None), "grading did not finish"
        text = page.status.text()
        assert "tax_per_mu" in text and ("Nothing was written" in text or "未写入" in text), text
        assert not (tmp_path / "never.gpkg").exists()
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
