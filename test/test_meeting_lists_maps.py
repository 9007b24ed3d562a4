"""研判会 published lists (core/meeting/lists.py, landeval:lists) and presentation maps
(core/meeting/map_export.py, landeval:exportmap): the rows and legend counts equal the layer."""
import re
import subprocess
import unicodedata

import meeting_fixture as mf
import pytest

RADICALS = str.maketrans("⻅⻚⻓⻔⻋⻛⻜⻝⻢⻥⻦⻩⻬⻮⻰⻳⻆⻄⻉⻈", "见页长门车风飞食马鱼鸟黄齐齿龙龟角西贝讠")


def pdf_text(path):
    """NFKC-normalised text: pdftotext shows some CJK characters as Kangxi radicals (⼀ for 一)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, check=True).stdout
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", out.decode("utf-8")).translate(RADICALS))


def pdf_page_size(path):
    out = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    return round(float(m.group(1))), round(float(m.group(2)))


@pytest.fixture
def layer(qgis_app):
    return mf.make_layer()


def expected_codes(facts, kind):
    if kind == "a_class":
        return {r["code"] for r in facts if r["class"] == "A"}
    if kind == "key_service":
        return {r["code"] for r in facts if r["class"] in ("A", "B")}
    return {r["code"] for r in facts if r["tags"]}


@pytest.mark.parametrize("kind", ["a_class", "key_service", "low_efficiency"])
def test_list_rows_equal_the_filtered_layer(layer, kind):
    from landeval_plugin.core.meeting import lists

    facts = mf.facts(layer)
    plist = lists.build_list(layer, kind)
    assert {r.code for r in plist.rows} == expected_codes(facts, kind)
    assert plist.count == len(expected_codes(facts, kind)) > 0
    by_code = {r["code"]: r for r in facts}
    assert abs(plist.total_mu - sum(by_code[r.code]["mu"] for r in plist.rows)) < 1e-6
    for r in plist.rows:
        assert r.town == (by_code[r.code]["town"] or None) and r.klass == (by_code[r.code]["class"] or None)
    towns = [r.town or "\uffff" for r in plist.rows]
    assert towns == sorted(towns)  # by town, then code
    one_town = lists.build_list(layer, kind, expression="\"town\" = '城南街道'")
    assert {r.code for r in one_town.rows} == {c for c in expected_codes(facts, kind)
                                               if by_code[c]["town"] == "城南街道"}
    assert one_town.filter_text == "\"town\" = '城南街道'"


def test_list_reasons_are_short_and_reviews_win(layer):
    from landeval_plugin.core.meeting import lists

    plist = lists.build_list(layer, "key_service")
    reviewed = {f["parcel_code"] for f in layer.getFeatures() if mf.text(f["grade_final"]) == "A"}
    for r in plist.rows:
        if r.code in reviewed:
            assert r.reason == "研判：研判会认定"
        else:
            assert r.reason.startswith("综合得分 ") and "其余略去" not in r.reason and "第 " in r.reason
    low = lists.build_list(layer, "low_efficiency")
    assert all(r.reason.startswith("低效类型：") for r in low.rows)
    assert lists.short_reason("得分 12（很长很长的明细，" + "甲" * 50 + "）；第 3 名") == "得分 12；第 3 名"


def test_list_workbook_and_pdf_in_chinese(layer, tmp_path):
    import openpyxl

    from landeval_plugin.core.meeting import lists

    plist = lists.build_list(layer, "key_service")
    xlsx, pdf = str(tmp_path / "名单.xlsx"), str(tmp_path / "名单.pdf")
    lists.write_list_workbook(xlsx, plist, title="样例区")
    lists.write_list_pdf(pdf, plist, title="样例区")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A1"].value == "重点服务企业名单（A、B类）"
    assert ws["A3"].value.startswith("依据：《北京经济技术开发区") and ws["A4"].value.startswith("假设：")
    head = [ws.cell(row=5, column=c).value for c in range(1, 8)]
    assert head == ["序号", "宗地代码", "权利人", "所属镇街", "面积(亩)", "类别", "理由"]
    codes = [ws.cell(row=r, column=2).value for r in range(6, 6 + plist.count)]
    assert codes == [r.code for r in plist.rows]
    total = ws.cell(row=6 + plist.count, column=1)
    assert total.value == "合计" and ws.cell(row=6 + plist.count, column=2).value == "共 {} 宗".format(plist.count)
    assert abs(ws.cell(row=6 + plist.count, column=5).value - plist.total_mu) < 1e-6
    assert ws.freeze_panes == "B6" and ws.print_title_rows.replace("$", "") == "5:5"  # openpyxl 3.1 writes $5:$5
    text = pdf_text(pdf)
    assert "重点服务企业名单(A、B类)" in text  # NFKC: full-width brackets become ASCII
    assert "假设:本名单按宗地列出A、B类宗地的权利人" in text
    for r in plist.rows[:5] + plist.rows[-3:]:
        assert r.code in text and r.name in text
    assert "合计" in text and "共 {} 宗".format(plist.count) in text
    assert pdf_page_size(pdf) == (842, 595)  # A4 landscape


def test_lists_algorithm_and_bad_input(layer, tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    src = mf.write_gpkg(layer, tmp_path / "parcels.gpkg")
    facts = mf.facts(layer)
    res = run_alg("landeval:lists", {"INPUT": src, "KIND": 2, "OUTPUT_XLSX": str(tmp_path / "low.xlsx"),
                                     "OUTPUT_PDF": str(tmp_path / "low.pdf")})
    assert res["COUNT"] == len(expected_codes(facts, "low_efficiency"))
    assert "低效工业用地清单" in pdf_text(res["OUTPUT_PDF"])
    ungraded = mf.write_gpkg(mf.make_layer(n=8, drop=("low_eff", "low_eff_tags")), tmp_path / "ungraded.gpkg")
    with pytest.raises(QgsProcessingException, match="low_eff"):
        run_alg("landeval:lists", {"INPUT": ungraded, "KIND": 2, "OUTPUT_XLSX": str(tmp_path / "x.xlsx")})
    assert not (tmp_path / "x.xlsx").exists()


def legend_expected(facts, key):
    out = {}
    for r in facts:
        n, mu = out.get(r[key], (0, 0.0))
        out[r[key]] = (n + 1, mu + r["mu"])
    return out


def test_exported_map_has_title_legend_counts_and_page_size(layer, tmp_path):
    from qgis.PyQt.QtGui import QImage

    from landeval_plugin.core.meeting import map_export as me

    renderer_before = layer.renderer().dump()
    pdf, png = str(tmp_path / "map.pdf"), str(tmp_path / "map.png")
    result = me.export_map(layer, "grade", "a3", pdf, png, title="研判会分类图", when="2026-11-30", dpi=60)
    facts = mf.facts(layer)
    expected = legend_expected(facts, "class")
    assert {e.key: e.count for e in result.entries} == {k: v[0] for k, v in expected.items()}
    for e in result.entries:
        assert abs(e.mu - expected[e.key][1]) < 1e-6
    assert result.total[0] == layer.featureCount()
    text = pdf_text(pdf)
    assert "研判会分类图" in text and "2026-11-30" in text and "图 例" in text
    for e in result.entries:
        line = unicodedata.normalize("NFKC", e.label)
        assert line in text, line
        n, mu = expected[e.key]
        assert "{} 宗,{:,.1f} 亩".format(n, mu) in line
    assert "合计:{} 宗".format(layer.featureCount()) in text
    assert "北" in text and "米" in text  # north arrow and scale bar
    assert pdf_page_size(pdf) == (1191, 842)  # A3 landscape
    image = QImage(png)
    assert (image.width(), image.height()) == result.png_size
    assert abs(image.width() - 992) <= 1 and abs(image.height() - 702) <= 1  # 420 × 297 mm at 60 dpi
    assert layer.renderer().dump() == renderer_before  # the planner's layer keeps its style


def test_exportmap_algorithm_a4_disposal_with_a_filter(layer, tmp_path, run_alg):
    import json

    src = mf.write_gpkg(layer, tmp_path / "parcels.gpkg")
    facts = [r for r in mf.facts(layer) if r["town"] == "横村镇"]
    res = run_alg("landeval:exportmap", {"INPUT": src, "KIND": 1, "PRESET": 0, "FILTER": "\"town\" = '横村镇'",
                                         "OUTPUT_PDF": str(tmp_path / "d.pdf"), "OUTPUT_PNG": str(tmp_path / "d.png"),
                                         "DPI": 50, "DATE": "2026-12-01", "SUBTITLE": "横村镇研判会"})
    assert res["COUNT"] == len(facts)
    legend = {e["key"]: e["count"] for e in json.loads(res["LEGEND"])}
    assert legend == {k: v[0] for k, v in legend_expected(facts, "path").items()}
    assert pdf_page_size(res["OUTPUT_PDF"]) == (842, 595)
    text = pdf_text(res["OUTPUT_PDF"])
    assert "产业用地处置路径图" in text and "筛选条件" in text
    assert "横村镇研判会" in text and "制图日期:2026-12-01" in text
    if "" in legend:
        assert "不提出处置路径({} 宗".format(legend[""]) in text  # the vocabulary's word, as on the disposal map


def test_wall_map_preset_prints_a1_with_the_town_table(layer, tmp_path):
    from landeval_plugin.core.meeting import map_export as me

    pdf = str(tmp_path / "wall.pdf")
    me.export_map(layer, "grade", "wall_a1", pdf)
    assert pdf_page_size(pdf) == (2384, 1684)  # A1 landscape
    text = pdf_text(pdf)
    assert "各镇街宗数" in text and "城南街道" in text and "横村镇" in text


def test_map_of_a_layer_without_grades_says_so(qgis_app, tmp_path):
    from landeval_plugin.core.meeting import map_export as me

    layer = mf.make_layer(n=6, drop=("grade", "grade_final"))
    with pytest.raises(me.MapExportError, match="grade"):
        me.export_map(layer, "grade", "a4", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    with pytest.raises(me.MapExportError, match="town"):
        me.export_map(mf.make_layer(n=6), "grade", "a4", str(tmp_path / "y.pdf"), expression="\"town\" = 'none'")


def test_long_list_pdf_repeats_the_header_and_numbers_the_pages(layer, tmp_path):
    from landeval_plugin.core.meeting import lists

    plist = lists.build_list(layer, "key_service")
    plist.rows = plist.rows * 8  # several pages
    pdf = str(tmp_path / "long.pdf")
    lists.write_list_pdf(pdf, plist)
    out = subprocess.run(["pdfinfo", pdf], stdout=subprocess.PIPE, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    assert pages >= 3
    for page in (1, pages):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), pdf, "-"],
                              stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(RADICALS))
        assert "序号" in text and "宗地代码" in text and "理由" in text
        assert "第{}页/共{}页".format(page, pages) in text
    assert "共 {} 宗".format(plist.count) in pdf_text(pdf)
    codes = re.findall(r"330122\d{6}GB\d{5}", pdf_text(pdf))
    assert len(codes) == plist.count  # every row printed once, none lost at a page break


def test_an_empty_list_still_prints_with_a_clear_line(layer, tmp_path):
    import openpyxl

    from landeval_plugin.core.meeting import lists

    plist = lists.build_list(layer, "a_class", expression="\"town\" = '不存在的镇'")
    assert plist.count == 0 and plist.total_mu == 0
    pdf, xlsx = str(tmp_path / "empty.pdf"), str(tmp_path / "empty.xlsx")
    lists.write_list_pdf(pdf, plist)
    lists.write_list_workbook(xlsx, plist)
    assert "本名单无宗地。" in pdf_text(pdf) and "筛选条件:\"town\" = '不存在的镇'" in pdf_text(pdf)
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.cell(row=5, column=1).value == "序号" and ws.cell(row=6, column=1).value == "合计"
    assert ws.cell(row=6, column=2).value == "共 0 宗"
