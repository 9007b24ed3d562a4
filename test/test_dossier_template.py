"""The one dossier template (resources/layouts/dossier_a4.qpt, saved by QGIS 3.22) reads the same on
every QGIS version the suite runs on (3.22, 3.40, 3.44): pages, items, tables, Chinese label text.
The printed PDFs (pages, Chinese text) are checked by test_dossier_print.py on each version too."""
from collections import Counter


def test_template_reads_the_same_pages_items_and_texts(qgis_app):
    from qgis.core import QgsLayoutItem, QgsLayoutItemLabel, QgsLayoutItemPage, QgsProject

    from landeval_plugin.core.dossiers.printer import default_template, load_template

    layout = load_template(default_template(), QgsProject.instance())
    pages = layout.pageCollection()
    assert pages.pageCount() == 3
    assert [(p.pageSize().width(), p.pageSize().height()) for p in pages.pages()] == [(210.0, 297.0)] * 3
    items = [i for i in layout.items() if isinstance(i, QgsLayoutItem) and not isinstance(i, QgsLayoutItemPage)]
    assert sorted(Counter(type(i).__name__ for i in items).items()) == [
        ("QgsLayoutFrame", 15), ("QgsLayoutItemLabel", 23), ("QgsLayoutItemMap", 2), ("QgsLayoutItemPolygon", 2),
        ("QgsLayoutItemScaleBar", 1), ("QgsLayoutItemShape", 2)]
    assert sorted(Counter(type(m).__name__ for m in layout.multiFrames()).items()) == [
        ("QgsLayoutItemAttributeTable", 2), ("QgsLayoutItemManualTable", 12)]
    ids = {i.id() for i in items if i.id()}
    assert {"title", "subtitle", "grade_letter", "grade_name", "location_map", "overview_map", "scale_bar",
            "north_label", "enterprises_table_frame1", "enterprises_table_frame2", "indicators_table_frame1",
            "grid_signoff"} <= ids
    assert len(ids) == 27
    texts = {i.id(): i.text() for i in items if isinstance(i, QgsLayoutItemLabel)}
    assert texts["title"] == '[% "d_year" %]年度产业用地综合绩效评估体检表'
    assert texts["north_label"] == "北"
    assert texts["subtitle"].startswith("评价标准：")
    maps = {i.id(): i for i in items if i.id() in ("location_map", "overview_map")}
    assert maps["location_map"].rect().width() > maps["overview_map"].rect().width() > 0
