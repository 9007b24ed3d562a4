"""一地一档: sheets printed through landeval:dossiers, checked in the PDFs and the workbook."""
import os
import re
import subprocess
import sys
import unicodedata

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dossier_fixture import YEAR, code_for, make_district

TITLE = "{}年度产业用地综合绩效评估体检表".format(YEAR)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


# CJK Radicals Supplement code points Qt's PDF writer may report for shared glyphs (no NFKC mapping)
RADICALS = str.maketrans("⻅⻚⻓⻔⻋⻛⻜⻝⻢⻥⻦⻩⻬⻮⻰⻳⻆⻄⻉⻈", "见页长门车风飞食马鱼鸟黄齐齿龙龟角西贝讠")


def pdf_text(path, page=None):
    """Text of the PDF (or one 1-based page), NFKC-normalised: pdftotext shows 一 as the radical ⼀."""
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        cmd += ["-f", str(page), "-l", str(page)]
    out = subprocess.run(cmd + [path, "-"], stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    return unicodedata.normalize("NFKC", out).translate(RADICALS)


def names_of(enterprises, code, year=YEAR):
    return [f["enterprise_name"] for f in enterprises.getFeatures() if f["parcel_code"] == code and f["year"] == year]


@pytest.fixture
def district(qgis_app):
    from qgis.core import QgsProject

    parcels, enterprises, clusters = make_district(12, big_enterprise_parcel=2, ungraded={4})
    QgsProject.instance().addMapLayers([parcels, enterprises, clusters])
    yield parcels, enterprises, clusters
    QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_one_pdf_per_parcel_with_title_code_grade_and_enterprises(district, run_alg, tmp_path):
    parcels, enterprises, clusters = district
    out = tmp_path / "sheets"
    result = run_alg("landeval:dossiers", {"INPUT": parcels, "ENTERPRISES": enterprises, "CLUSTERS": clusters,
                                           "OUTPUT_FOLDER": str(out)})
    files = sorted(p for p in os.listdir(out))
    assert files == sorted(code_for(i) + ".pdf" for i in range(12))
    assert result["SHEETS"] == 12
    pages = {f: pdf_pages(str(out / f)) for f in files}
    # 45 enterprises on parcel 2 run onto the 附表 page; every other sheet is front and back
    assert pages[code_for(2) + ".pdf"] == 3
    assert all(n == 2 for f, n in pages.items() if f != code_for(2) + ".pdf")
    assert result["PAGES"] == sum(pages.values())

    for i in (0, 3):  # parcel 0 graded A, parcel 3 graded D (reviewed to C)
        path = str(out / (code_for(i) + ".pdf"))
        first = pdf_text(path, 1)
        assert TITLE in first
        assert code_for(i) in first
        feature = next(f for f in parcels.getFeatures() if f["parcel_code"] == code_for(i))
        grade = feature["grade_final"] or feature["grade"]
        name = {"A": "鼓励支持", "C": "观察整改", "D": "整治退出"}[grade]
        assert re.search(r"(^|\s){}(\s|$)".format(grade), first, re.M), "grade letter on the badge"
        assert name in first
        for ent in names_of(enterprises, code_for(i)):
            assert ent in first, ent
        # enterprises of earlier years are not listed
        assert "已迁出" not in pdf_text(path)
        second = pdf_text(path, 2)
        assert "亩均税收" in second and "填报单位" in second and "核查单位" in second and "审核意见" in second

    # the long list: first rows on page 1, the rest on the 附表 page, none lost
    path = str(out / (code_for(2) + ".pdf"))
    names = names_of(enterprises, code_for(2))
    assert len(names) == 45
    p1, p3 = pdf_text(path, 1), pdf_text(path, 3)
    assert "附表" in p3
    on1 = [n for n in names if re.search(re.escape(n) + r"(?!\d)", p1)]
    on3 = [n for n in names if re.search(re.escape(n) + r"(?!\d)", p3)]
    assert len(on1) >= 10 and len(on1) + len(on3) == 45 and not set(on1) & set(on3)


def test_missing_grade_and_enterprises_print_no_data(district, run_alg, tmp_path):
    parcels, enterprises, _ = district
    out = tmp_path / "sheets"
    run_alg("landeval:dossiers", {"INPUT": parcels, "ENTERPRISES": enterprises, "OUTPUT_FOLDER": str(out)})
    ungraded = pdf_text(str(out / (code_for(4) + ".pdf")))
    assert ungraded.count("暂无数据") >= 3  # badge, class, score ...
    no_enterprise = pdf_text(str(out / (code_for(5) + ".pdf")), 1)  # parcel 5 has no enterprise
    section = no_enterprise[no_enterprise.index("用地企业"):]
    assert "暂无数据" in section


def test_bare_layer_without_grades_or_enterprise_table(qgis_app, run_alg, tmp_path):
    """Only codes and shapes: every sheet still prints, saying 暂无数据."""
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    full, _, _ = make_district(3)
    bare = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "bare", "memory")
    bare.dataProvider().addAttributes([QgsField("宗地代码", QVariant.Type.String)])
    bare.updateFields()
    feats = []
    for f in full.getFeatures():
        g = QgsFeature(bare.fields())
        g.setGeometry(f.geometry())
        g.setAttributes([f["parcel_code"]])
        feats.append(g)
    bare.dataProvider().addFeatures(feats)
    out = tmp_path / "bare"
    result = run_alg("landeval:dossiers", {"INPUT": bare, "OUTPUT_FOLDER": str(out)})
    assert result["SHEETS"] == 3
    text = pdf_text(str(out / (code_for(1) + ".pdf")))
    assert TITLE.replace(str(YEAR), "") in text and code_for(1) in text
    assert text.count("暂无数据") >= 8
    # the area comes from the geometry when no area field exists: m², 亩 and 公顷
    area = full.getFeature(2).geometry().area()
    assert "{:,.2f} 平方米".format(area) in text
    assert "{:,.2f} 亩".format(area / (10000 / 15)) in text


def test_combined_pdf_has_a_bookmark_per_parcel(district, run_alg, tmp_path):
    from landeval_plugin.core.formats.pdf_outline import read_pdf_outline

    parcels, enterprises, clusters = district
    pdf = tmp_path / "all.pdf"
    result = run_alg("landeval:dossiers", {"INPUT": parcels, "ENTERPRISES": enterprises, "CLUSTERS": clusters,
                                           "OUTPUT_PDF": str(pdf)})
    assert pdf_pages(str(pdf)) == result["PAGES"] == 12 * 2 + 1
    outline = read_pdf_outline(str(pdf))
    assert [t.split()[0] for t, _ in outline] == [code_for(i) for i in range(12)]
    starts = [p for _, p in outline]
    assert starts[0] == 0 and starts[3] == starts[2] + 3  # parcel 2 took three pages
    for title, page in outline[::4]:
        code = title.split()[0]
        text = pdf_text(str(pdf), page + 1)
        assert code in text and TITLE in text


def test_selected_parcels_only(district, run_alg, tmp_path):
    from qgis.core import QgsProcessingFeatureSourceDefinition

    parcels, enterprises, _ = district
    ids = [f.id() for f in parcels.getFeatures() if f["grade"] == "D"]
    parcels.selectByIds(ids)
    out = tmp_path / "d"
    result = run_alg("landeval:dossiers", {
        "INPUT": QgsProcessingFeatureSourceDefinition(parcels.id(), selectedFeaturesOnly=True),
        "ENTERPRISES": enterprises, "OUTPUT_FOLDER": str(out)})
    parcels.removeSelection()
    expected = sorted(parcels.getFeature(i)["parcel_code"] + ".pdf" for i in ids)
    assert sorted(os.listdir(out)) == expected and result["SHEETS"] == len(ids) == 2


def test_awkward_codes_make_safe_unique_file_names(qgis_app, run_alg, tmp_path):
    codes = {0: "330122/001:A", 1: "CON", 2: "a" * 300, 3: "330122\\001:A", 4: "lpt1.x",
             5: " trailing. ", 6: "宗地*?<>|\"7",
             7: "con"}
    parcels, _, _ = make_district(8, codes=codes)
    out = tmp_path / "awkward"
    run_alg("landeval:dossiers", {"INPUT": parcels, "OUTPUT_FOLDER": str(out)})
    files = sorted(os.listdir(out))
    assert len(files) == 8
    assert len({f.lower() for f in files}) == 8
    for f in files:
        stem = f[:-4]
        assert not re.search(r'[<>:"/\\|?*]', f)
        assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "LPT1", "COM1"}
        assert len(f.encode("utf-8")) <= 200 and not stem.endswith((".", " "))
    assert "330122_001_A.pdf" in files and "330122_001_A_2.pdf" in files
    assert "_CON.pdf" in files and "_con_2.pdf" in files
    long_name = next(f for f in files if f.startswith("aaaa"))
    assert code_for(2) not in long_name and pdf_text(str(out / long_name)).count("a" * 40) >= 1


def test_safe_stem_rules():
    from landeval_plugin.core.safe_names import UniqueNames, safe_stem, sheet_title

    assert safe_stem("NUL") == "_NUL" and safe_stem("com3.txt") == "_com3.txt"
    assert safe_stem("a/b\\c:d") == "a_b_c_d"
    assert safe_stem("...") == "parcel" and safe_stem(None) == "parcel"
    assert safe_stem("宗地 001") == "宗地_001"
    long = safe_stem("宗" * 200)
    assert len(long.encode("utf-8")) <= 150 and long != safe_stem("宗" * 199)
    names = UniqueNames()
    assert [names.stem(c) for c in ("A/1", "A:1", "a_1")] == ["A_1", "A_1_2", "a_1_3"]
    taken = []
    assert sheet_title("x" * 40, taken) == "x" * 31 and sheet_title("x" * 40, taken) == "x" * 29 + "_2"
    assert sheet_title("a[1]:b", taken) == "a_1__b"


def test_workbook_rereads_the_same_values(district, run_alg, tmp_path):
    import openpyxl

    parcels, enterprises, _ = district
    xlsx = tmp_path / "sheets.xlsx"
    run_alg("landeval:dossiers", {"INPUT": parcels, "ENTERPRISES": enterprises, "XLSX": str(xlsx)})
    wb = openpyxl.load_workbook(str(xlsx))
    assert wb.sheetnames == ["目录"] + [code_for(i) for i in range(12)]
    index = list(wb["目录"].iter_rows(values_only=True))
    assert [r[0] for r in index[1:]] == [code_for(i) for i in range(12)]
    for i in (0, 2, 3):
        f = next(x for x in parcels.getFeatures() if x["parcel_code"] == code_for(i))
        ws = wb[code_for(i)]
        cells = {}
        for row in ws.iter_rows(values_only=True):
            for k, v in zip(row, row[1:]):
                if isinstance(k, str) and k not in cells:
                    cells[k] = v
        assert ws["A1"].value == TITLE
        assert cells["宗地代码"] == code_for(i)
        assert cells["权利人"] == f["owner"]
        assert cells["面积(平方米)"] == pytest.approx(f["area_m2"])
        assert cells["面积(亩)"] == pytest.approx(f["area_m2"] / (10000 / 15))
        assert cells["综合得分"] == pytest.approx(f["score"])
        rows = list(ws.iter_rows(values_only=True))
        ents = {
            r[1]: r for r in rows if isinstance(r[0], int) and isinstance(r[1], str) and r[1].startswith("测试企业")}
        expected = {e["enterprise_name"]: e for e in enterprises.getFeatures()
                    if e["parcel_code"] == code_for(i) and e["year"] == YEAR}
        assert set(ents) == set(expected)
        for name, e in expected.items():
            assert ents[name][2] == e["credit_code"]
            assert ents[name][3] == pytest.approx(e["tax_10k"])
            assert ents[name][6] == pytest.approx(e["share"])
        tax = next(r for r in rows if r[0] == "亩均税收(万元/亩)")
        assert tax[1] == pytest.approx(f["tax_per_mu"]) and tax[2] == pytest.approx(f["tax_per_mu_y1"])
        assert tax[3] == pytest.approx(f["tax_per_mu_y2"]) and tax[4] == pytest.approx(24.097) and tax[5] == 30
        assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"  # A4


def test_bad_template_and_unwritable_folder_are_named(district, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    parcels, _, _ = district
    missing = tmp_path / "nope.qpt"
    with pytest.raises(QgsProcessingException, match=re.escape(str(missing))):
        run_alg("landeval:dossiers", {"INPUT": parcels, "TEMPLATE": str(missing), "OUTPUT_FOLDER": str(tmp_path / "o")})
    broken = tmp_path / "broken.qpt"
    broken.write_text("<Layout><unclosed>", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match=re.escape(str(broken))):
        run_alg("landeval:dossiers", {"INPUT": parcels, "TEMPLATE": str(broken), "OUTPUT_FOLDER": str(tmp_path / "o")})
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = blocker / "sheets"
    with pytest.raises(QgsProcessingException, match=re.escape(str(target))):
        run_alg("landeval:dossiers", {"INPUT": parcels, "OUTPUT_FOLDER": str(target)})
    assert not (tmp_path / "o").exists()  # nothing started


def test_cancel_leaves_no_half_written_file(district, tmp_path):
    from qgis.core import QgsProcessingFeedback

    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData
    from landeval_plugin.core.dossiers.workbook import write_workbook

    parcels, enterprises, _ = district

    class CancelMidway(QgsProcessingFeedback):
        def setProgress(self, value):
            super().setProgress(value)
            if value > 30:
                self.cancel()

    data = SheetData(parcels.getFeatures(), parcels.fields(), parcels.crs(), enterprises=enterprises)
    printer = DossierPrinter(data, neighbours=parcels)
    folder = tmp_path / "cancel"
    assert printer.print_folder(str(folder), CancelMidway()) is None
    assert os.listdir(folder) == []
    pdf = tmp_path / "combined" / "all.pdf"
    assert printer.print_combined(str(pdf), CancelMidway()) is None
    assert os.listdir(pdf.parent) == []
    xlsx = tmp_path / "wb" / "all.xlsx"
    assert write_workbook(data, str(xlsx), CancelMidway()) is None
    assert not xlsx.exists()
    printer.close()
    data.close()


def test_font_chain_and_missing_font_message(district):
    from landeval_plugin.core import fonts
    from landeval_plugin.core.dossiers.errors import DossierError
    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    assert fonts.resolve_cjk_family(families=["Arial", "SimHei", "WenQuanYi Micro Hei"]) == "SimHei"
    assert fonts.resolve_cjk_family(families=["Arial", "noto sans cjk sc"]) == "noto sans cjk sc"
    assert fonts.resolve_cjk_family(families=["Arial", "DejaVu Sans"]) is None
    assert fonts.resolve_cjk_family() == "Noto Sans CJK SC"  # fonts-noto-cjk is installed by setup
    parcels, _, _ = district
    data = SheetData(parcels.getFeatures(), parcels.fields(), parcels.crs())
    original = fonts.resolve_cjk_family
    fonts.resolve_cjk_family = lambda *a, **k: None
    try:
        with pytest.raises(DossierError, match="Noto Sans CJK SC"):
            DossierPrinter(data)
    finally:
        fonts.resolve_cjk_family = original
    # every text item of the sheet uses the resolved family
    printer = DossierPrinter(data, font_family="Noto Sans CJK SC")
    from qgis.core import QgsLayoutItemLabel

    labels = [i for i in printer.layout.items() if isinstance(i, QgsLayoutItemLabel)]
    def family(label):
        return (label.textFormat().font() if hasattr(label, "textFormat") else label.font()).family()

    assert labels and all(family(label) == "Noto Sans CJK SC" for label in labels)
    printer.close()
    data.close()


def test_location_map_is_centred_on_the_parcel(district):
    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    parcels, enterprises, clusters = district
    data = SheetData(parcels.getFeatures(), parcels.fields(), parcels.crs(), enterprises=enterprises,
                             clusters=clusters)
    printer = DossierPrinter(data, neighbours=parcels)
    atlas = printer.layout.atlas()
    atlas.beginRender()
    size = (printer.main_map.rect().width(), printer.main_map.rect().height())
    for i in range(12):
        atlas.seekTo(i)
        # the map frame keeps its size on the page whatever the parcel's shape
        assert printer.main_map.rect().width() == pytest.approx(size[0])
        assert printer.main_map.rect().height() == pytest.approx(size[1])
        bbox = printer.layout.reportContext().feature().geometry().boundingBox()
        extent = printer.main_map.extent()
        assert extent.contains(bbox)
        assert abs(extent.center().x() - bbox.center().x()) < 1e-6 * extent.width() + 0.01
        assert abs(extent.center().y() - bbox.center().y()) < 1e-6 * extent.height() + 0.01
        assert bbox.width() < extent.width() / 2  # neighbours visible around it
    atlas.endRender()
    # cluster found for the D parcels, the overview is the cached district image
    assert data.sheets[3].display["d_cluster"] == "LP-001"
    assert printer.overview_layer is not None and printer.overview_layer.isValid()
    images = printer.render_images(2, dpi=40)
    assert len(images) == 3 and images[0].width() > 100
    printer.close()
    data.close()


def test_filter_expression_prints_only_matching_parcels(district, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    parcels, enterprises, _ = district
    out = tmp_path / "d"
    result = run_alg("landeval:dossiers", {"INPUT": parcels, "FILTER": "coalesce(\"grade_final\", \"grade\") = 'D'",
                                           "ENTERPRISES": enterprises, "OUTPUT_FOLDER": str(out)})
    expected = sorted(f["parcel_code"] + ".pdf" for f in parcels.getFeatures()
                      if (f["grade_final"] or f["grade"]) == "D")
    assert sorted(os.listdir(out)) == expected and result["SHEETS"] == len(expected) == 1
    with pytest.raises(QgsProcessingException, match="filter"):
        run_alg("landeval:dossiers", {"INPUT": parcels, "FILTER": "grade = = 'D'", "OUTPUT_FOLDER": str(out)})


def test_check_writable_creates_nothing_and_names_the_folder(tmp_path):
    from landeval_plugin.core.dossiers.errors import DossierError
    from landeval_plugin.core.dossiers.publication import check_writable

    target = tmp_path / "new" / "sheets"
    check_writable(str(target))  # writable through its existing parent
    assert not (tmp_path / "new").exists() and os.listdir(tmp_path) == []
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(DossierError, match="file.txt"):
        check_writable(str(blocker / "sheets"))
