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
        ("QgsLayoutFrame", 16), ("QgsLayoutItemLabel", 24), ("QgsLayoutItemMap", 2), ("QgsLayoutItemPolygon", 2),
        ("QgsLayoutItemScaleBar", 1), ("QgsLayoutItemShape", 2)]
    assert sorted(Counter(type(m).__name__ for m in layout.multiFrames()).items()) == [
        ("QgsLayoutItemAttributeTable", 2), ("QgsLayoutItemManualTable", 13)]
    ids = {i.id() for i in items if i.id()}
    assert {"title", "subtitle", "grade_letter", "grade_name", "location_map", "overview_map", "scale_bar",
            "north_label", "enterprises_table_frame1", "enterprises_table_frame2", "indicators_table_frame1",
            "grid_signoff", "grid_history", "sources_1", "sources_2", "sources_3", "page_code_1"} <= ids
    assert len(ids) == 34
    texts = {i.id(): i.text() for i in items if isinstance(i, QgsLayoutItemLabel)}
    assert texts["title"] == '[% "d_year" %]年度产业用地综合绩效评估体检表'
    assert texts["north_label"] == "北"
    assert texts["subtitle"].startswith("评价标准：")
    maps = {i.id(): i for i in items if i.id() in ("location_map", "overview_map")}
    assert maps["location_map"].rect().width() > maps["overview_map"].rect().width() > 0


ROOT = __import__("os").path.dirname(__import__("os").path.dirname(__import__("os").path.abspath(__file__)))
# the QGIS version whose XML the committed template is (scripts/build_dossier_template.py run on it)
BUILT_WITH = (3, 22)


def _items(path, frame_heights=True):
    """(id, type, page, x, y, w, h, text) of every item of a template, in a stable order. The
    builder sizes a table's frame from the height QGIS reports for the table, which differs between
    versions (3.22 reports about twice the drawn height): ``frame_heights=False`` leaves them out."""
    from qgis.core import QgsLayoutItem, QgsLayoutItemLabel, QgsLayoutItemPage, QgsProject

    from landeval_plugin.core.dossiers.printer import load_template

    layout = load_template(path, QgsProject.instance())
    out = []
    for i in layout.items():
        if not isinstance(i, QgsLayoutItem) or isinstance(i, QgsLayoutItemPage):
            continue
        pos, size = i.pagePositionWithUnits(), i.sizeWithUnits()
        frame = type(i).__name__ == "QgsLayoutFrame"
        out.append((i.id(), type(i).__name__, i.page(), round(pos.x(), 2), round(pos.y(), 2),
                    round(size.width(), 2), round(size.height(), 2) if frame_heights or not frame else None,
                    i.text() if isinstance(i, QgsLayoutItemLabel) else ""))
    return sorted(out)


def test_the_builder_makes_exactly_the_committed_template(qgis_app, tmp_path):
    """scripts/build_dossier_template.py writes resources/layouts/dossier_a4.qpt byte for byte (QGIS
    3.22, the version the file is saved with; item by item on the others): an edit of the .qpt by
    hand, or of the builder without running it, fails here."""
    import os
    import subprocess
    import sys

    from qgis.core import Qgis

    committed = os.path.join(ROOT, "resources", "layouts", "dossier_a4.qpt")
    built = str(tmp_path / "built.qpt")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "build_dossier_template.py"), built],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout.decode(errors="replace")[-2000:]
    same_version = tuple(int(v) for v in Qgis.QGIS_VERSION.split(".")[:2]) == BUILT_WITH
    assert _items(built, same_version) == _items(committed, same_version)
    if same_version:
        with open(built, "rb") as a, open(committed, "rb") as b:
            assert a.read() == b.read(), "run python3 scripts/build_dossier_template.py and commit the .qpt"


def test_the_longest_sources_footer_prints_whole_on_every_page(qgis_app, run_alg, tmp_path):
    """The 数据来源 footer (two standards and a rule set: the longest the presets give) was cut after
    two lines; it now spans the page under the body, and its last words print on pages 1 and 2."""
    import os
    import sys

    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from dossier_fixture import make_district
    from test_dossier_print import pdf_text

    parcels, enterprises, _ = make_district(n=2)
    provider = parcels.dataProvider()
    provider.addAttributes([QgsField("disposal_ruleset", QVariant.Type.String)])
    parcels.updateFields()
    std, rs = parcels.fields().indexOf("standard"), parcels.fields().indexOf("disposal_ruleset")
    provider.changeAttributeValues({f.id(): {std: "zhejiang_huangyan_2022 v1 + tonglu_2022 v1", rs: "taicang_2023"}
                                    for f in parcels.getFeatures()})
    pdf = str(tmp_path / "sheets.pdf")
    run_alg("landeval:dossiers", {"INPUT": parcels, "ENTERPRISES": enterprises, "OUTPUT_PDF": pdf, "YEAR": 2024})
    for page in (1, 2):
        text = pdf_text(pdf, page).replace("\n", "").replace(" ", "")
        assert "数据来源:一张图" in text and "处置规则:太仓2023(7条假设,本宗路径未用)" in text, (page, text[-400:])

    from qgis.core import QgsProject

    from landeval_plugin.core.dossiers.printer import default_template, load_template

    layout = load_template(default_template(), QgsProject.instance())
    by_id = {i.id(): i for i in layout.items() if hasattr(i, "id") and i.id()}
    top = min(by_id["sources_{}".format(n)].pagePositionWithUnits().y() for n in (1, 2, 3))
    frame = by_id["enterprises_table_frame1"]
    assert frame.pagePositionWithUnits().y() + frame.sizeWithUnits().height() <= top
