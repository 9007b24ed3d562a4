"""研判会 statistics (core/meeting/statistics.py, landeval:statistics): the numbers are the sums over
the layer, computed here independently with a loop over the features."""
import hashlib
import math

import meeting_fixture as mf
import pytest


def approx(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def same(cell, expected):
    count, mu, tax, output = expected
    return cell.count == count and approx(cell.mu, mu) and approx(cell.tax, tax) and approx(cell.output, output)


@pytest.fixture
def layer(qgis_app):
    return mf.make_layer()


def test_class_by_town_equals_sums_over_the_layer(layer):
    from landeval_plugin.core.meeting import statistics as st

    facts = mf.facts(layer)
    tab = st.crosstab(st.read_parcels(layer), "town", "class")
    towns = {r["town"] for r in facts}
    classes = {r["class"] for r in facts}
    assert set(tab.rows) == towns and set(tab.cols) == classes
    assert "" in towns and "" in classes  # parcels without a town / a class are counted, not dropped
    for town in towns:
        for klass in classes:
            expected = mf.sums([r for r in facts if r["town"] == town and r["class"] == klass])
            assert same(tab.cell(town, klass), expected), (town, klass)
        assert same(tab.cell(town, None), mf.sums([r for r in facts if r["town"] == town]))
    for klass in classes:
        assert same(tab.cell(None, klass), mf.sums([r for r in facts if r["class"] == klass]))
    assert same(tab.total, mf.sums(facts))
    assert tab.total.count == layer.featureCount() == 60
    # the reviewed class wins: a parcel graded B and reviewed D is counted as D
    reviewed = [f for f in layer.getFeatures() if mf.text(f["grade_final"])]
    assert reviewed and any(mf.text(f["grade_final"]) != mf.text(f["grade"]) for f in reviewed)
    assert tab.cols[:2] == [k for k in ("A", "B", "C", "D", "T") if k in classes][:2]  # A B C D T order
    assert tab.label("class", "A") == "A 鼓励支持" and tab.label("town", "") == "（未填镇街）"


def test_tags_paths_clusters_and_years_equal_sums_over_the_layer(layer):
    from landeval_plugin.core.meeting import statistics as st

    facts = mf.facts(layer)
    parcels = st.read_parcels(layer)
    assert parcels.available_dimensions() == ["class", "town", "tag", "path", "cluster", "year"]
    tags = st.crosstab(parcels, "tag", "town")
    for tag in mf.TAGS:
        rows = [r for r in facts if tag in r["tags"]]
        if rows:
            assert same(tags.cell(tag, None), mf.sums(rows)), tag
            for town in {r["town"] for r in rows}:
                assert same(tags.cell(tag, town), mf.sums([r for r in rows if r["town"] == town]))
    low = [r for r in facts if r["tags"]]
    assert same(tags.total, mf.sums(low))  # each low-efficiency parcel once
    assert sum(tags.cell(t, None).count for t in tags.rows) > tags.total.count  # several tags on some parcels
    paths = st.crosstab(parcels, "path", "town")
    for path in {r["path"] for r in facts}:
        assert same(paths.cell(path, None), mf.sums([r for r in facts if r["path"] == path])), path
    clusters = st.crosstab(parcels, "cluster", "class")
    for cid in {r["cluster"] for r in facts}:
        assert same(clusters.cell(cid, None), mf.sums([r for r in facts if r["cluster"] == cid])), cid
    years = st.crosstab(parcels, "year", "class")
    assert years.rows == [2021, 2022, 2023] and not years.has_totals_row
    for year in years.rows:
        with_data = [r for r in facts if r["years"][year] != (None, None)]
        cell = years.cell(year, None)
        assert cell.count == len(with_data)
        assert approx(cell.mu, sum(r["mu"] for r in with_data))
        assert approx(cell.tax, sum(r["years"][year][0] for r in with_data if r["years"][year][0] is not None))
        assert approx(cell.output, sum(r["years"][year][1] for r in with_data if r["years"][year][1] is not None))


def test_totals_rows_equal_column_sums(layer):
    from landeval_plugin.core.meeting import statistics as st

    parcels = st.read_parcels(layer)
    tabs = st.standard_crosstabs(parcels)
    assert [(t.row_dim, t.col_dim) for t in tabs] == list(st.STANDARD_TABLES)
    checked = 0
    for tab in tabs:
        table = tab.table()
        if not tab.has_totals_row:
            assert table.totals is None
            continue
        sums = table.column_sums()
        for i, col in enumerate(table.columns):
            if col.kind == "text":
                continue
            if tab.distinct_totals:  # tags: the totals row counts each parcel once
                assert (table.totals[i] or 0) <= sums[i] + 1e-9
            else:
                assert approx(table.totals[i] or 0, sums[i]), (table.title, col.group, col.label)
                checked += 1
        # and each row's 合计 group equals the sum of its class / town groups
        for row in table.rows:
            for m in st.MEASURES:
                idx = [i for i, c in enumerate(table.columns) if c.measure == m]
                if not tab.distinct_totals and tab.col_dim is not None and tab.col_dim != "tag":
                    assert approx(row[idx[-1]] or 0, sum(row[i] or 0 for i in idx[:-1]))
    assert checked > 50


def test_missing_values_are_not_zero(qgis_app):
    from landeval_plugin.core.meeting import statistics as st

    layer = mf.make_layer(n=20, seed=3)
    layer.startEditing()
    idx = layer.fields().indexOf("tax_10k")
    for f in layer.getFeatures():
        layer.changeAttributeValue(f.id(), idx, None)
    layer.commitChanges()
    tab = st.crosstab(st.read_parcels(layer), "town", "class")
    assert tab.total.tax is None and tab.total.count == 20
    table = tab.table()
    tax_cols = [i for i, c in enumerate(table.columns) if c.measure == "tax"]
    assert all(table.totals[i] is None for i in tax_cols)
    assert any("20 宗地块缺少税收(万元)数据" in n for n in tab.notes()), tab.notes()


def test_filter_expression_and_selection(layer):
    from landeval_plugin.core.meeting import statistics as st

    facts = mf.facts(layer)
    one = st.read_parcels(layer, expression="\"town\" = '分水镇' AND coalesce(\"grade_final\", \"grade\") = 'D'")
    expected = [r for r in facts if r["town"] == "分水镇" and r["class"] == "D"]
    assert len(one) == len(expected) > 0
    assert same(st.crosstab(one, "town").total, mf.sums(expected))
    ids = [r["fid"] for r in facts[:10]]
    sel = st.read_parcels(layer, feature_ids=ids)
    assert same(st.crosstab(sel, "class").total, mf.sums(facts[:10]))
    # the parser's words differ by version (3.44: Incomplete expression)
    with pytest.raises(st.StatisticsError, match=r"\"town\" =  is not valid: \S"):
        st.read_parcels(layer, expression="\"town\" = ")


def test_layer_without_grades_gives_a_clear_message(qgis_app):
    from landeval_plugin.core.meeting import statistics as st

    layer = mf.make_layer(n=12, drop=("grade", "grade_final"))
    parcels = st.read_parcels(layer)
    with pytest.raises(st.StatisticsError) as err:
        st.crosstab(parcels, "town", "class")
    assert "grade" in str(err.value) and layer.name() in str(err.value)
    tabs = st.standard_crosstabs(parcels)
    assert (tabs[0].row_dim, tabs[0].col_dim) == ("town", None)  # towns alone
    empty = mf.make_layer(n=5, drop=("grade", "grade_final", "town", "low_eff_tags", "disposal", "disposal_final",
                                     "cluster_id", "tax_10k_y1", "tax_10k_y2", "output_10k_y1", "output_10k_y2"))
    with pytest.raises(st.StatisticsError, match="town"):
        st.standard_crosstabs(st.read_parcels(empty))


def test_workbook_is_formatted_in_chinese_with_values_only(layer, tmp_path):
    import openpyxl

    from landeval_plugin.core.meeting import statistics as st

    tabs = st.standard_crosstabs(st.read_parcels(layer))
    tables = [t.table() for t in tabs]
    path = str(tmp_path / "统计.xlsx")
    st.write_workbook(path, tables, title="样例区研判会")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["所属镇街 × 类别", "低效类型 × 所属镇街", "处置路径 × 所属镇街", "连片整治区 × 类别",
                             "年度 × 类别", "说明"]
    ws = wb["所属镇街 × 类别"]
    assert ws["A1"].value == "所属镇街 × 类别" and ws["A1"].font.bold
    assert ws["A2"].value.startswith("样例区研判会 · 生成日期 ")
    assert ws["A3"].value == "所属镇街"  # the row header spans both header rows
    groups = [ws.cell(row=3, column=c).value for c in range(2, ws.max_column + 1)]
    assert groups[0] == "A 鼓励支持" and "合计" in groups
    heads = [ws.cell(row=4, column=c).value for c in range(2, 6)]
    assert heads == ["宗数", "面积(亩)", "税收(万元)", "工业总产值(万元)"]
    assert ws.freeze_panes == "B5"
    table = tables[0]
    first = 5
    for k, row in enumerate(table.rows):
        for c, v in enumerate(row, 1):
            cell = ws.cell(row=first + k, column=c)
            assert cell.data_type != "f"
            if v is None:
                assert cell.value == "—"
            elif isinstance(v, float):
                assert approx(cell.value, v)
            else:
                assert cell.value == v
    total_row = first + len(table.rows)
    assert ws.cell(row=total_row, column=1).value == "合计" and ws.cell(row=total_row, column=1).font.bold
    for c in range(2, ws.max_column + 1):
        col_vals = [ws.cell(row=r, column=c).value for r in range(first, total_row)]
        nums = [v for v in col_vals if isinstance(v, (int, float))]
        tot = ws.cell(row=total_row, column=c).value
        assert approx(tot if isinstance(tot, (int, float)) else 0.0, float(sum(nums)))
    assert ws.cell(row=first, column=3).number_format == "#,##0.00"
    assert ws.column_dimensions["A"].width >= 12
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    tag_sheet = wb["低效类型 × 所属镇街"]
    labels = [tag_sheet.cell(row=r, column=1).value for r in range(1, tag_sheet.max_row + 1)]
    assert "合计（每宗只计一次）" in labels


def test_chart_png_has_the_size_and_drawn_bars(layer, tmp_path):
    from qgis.PyQt.QtGui import QColor, QImage

    from landeval_plugin.core.meeting import statistics as st

    tab = st.crosstab(st.read_parcels(layer), "town", "class")
    path = str(tmp_path / "chart.png")
    assert st.save_chart(path, tab, "mu", 1200, 700) == path
    image = QImage(path)
    assert (image.width(), image.height()) == (1200, 700)
    colours = {}
    for y in range(0, 700, 4):
        for x in range(0, 1200, 4):
            rgb = image.pixelColor(x, y).name()
            colours[rgb] = colours.get(rgb, 0) + 1
    white = colours.get("#ffffff", 0)
    assert white < 0.9 * sum(colours.values())  # not blank
    from landeval_plugin.core import vocabulary

    grade_a = st.series_colours("class", ["A"])["A"]
    assert grade_a == vocabulary.grade_colours()["A"] == QColor(46, 158, 69).name()
    assert colours.get(grade_a, 0) > 50  # A's bars in the map's green


def sha256(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def test_statistics_algorithm_writes_workbook_chart_and_table(layer, tmp_path, run_alg):
    import openpyxl
    from qgis.core import QgsVectorLayer

    src = mf.write_gpkg(layer, tmp_path / "parcels.gpkg")
    before = sha256(src)
    facts = mf.facts(layer)
    res = run_alg("landeval:statistics", {
        "INPUT": src, "FILTER": "\"town\" <> '横村镇' OR \"town\" IS NULL",
        "OUTPUT_XLSX": str(tmp_path / "stats.xlsx"), "OUTPUT_CHART": str(tmp_path / "stats.png"),
        "OUTPUT": str(tmp_path / "stats.gpkg")})
    kept = [r for r in facts if r["town"] != "横村镇"]
    assert res["PARCELS"] == len(kept)
    assert sha256(src) == before
    wb = openpyxl.load_workbook(res["OUTPUT_XLSX"])
    ws = wb["所属镇街 × 类别"]
    assert "横村镇" not in [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    assert any("筛选条件" in (c.value or "") for c in wb["说明"]["A"])
    out = QgsVectorLayer(res["OUTPUT"], "t", "ogr")
    rows = [f for f in out.getFeatures()
            if f["table"] == "所属镇街 × 类别" and f["row"] == "合计" and f["column"] == "合计"]
    assert len(rows) == 1 and rows[0]["count"] == len(kept)
    assert approx(rows[0]["area_mu"], sum(r["mu"] for r in kept))
    from qgis.PyQt.QtGui import QImage

    assert QImage(res["OUTPUT_CHART"]).width() == 1600


def test_statistics_algorithm_refuses_to_replace_a_workbook_unless_told(tmp_path, run_alg, qgis_app):
    from qgis.core import QgsProcessingException

    src = mf.write_gpkg(mf.make_layer(n=10), tmp_path / "parcels.gpkg")
    book = tmp_path / "stats.xlsx"
    book.write_bytes(b"earlier")
    with pytest.raises(QgsProcessingException, match="stats.xlsx"):
        run_alg("landeval:statistics", {"INPUT": src, "OUTPUT_XLSX": str(book)})
    assert book.read_bytes() == b"earlier"
    res = run_alg("landeval:statistics", {"INPUT": src, "OUTPUT_XLSX": str(book), "OVERWRITE": True})
    assert res["PARCELS"] == 10 and book.read_bytes()[:2] == b"PK"
    with pytest.raises(QgsProcessingException, match="分水镇X"):
        run_alg("landeval:statistics", {"INPUT": src, "FILTER": "\"town\" = '分水镇X'",
                                        "OUTPUT_XLSX": str(tmp_path / "none.xlsx")})
    assert not (tmp_path / "none.xlsx").exists()


def test_store_layer_of_several_years_by_year_and_latest_year_tables(qgis_app):
    """A layer of the LandEval store holding two years (its year column, one row per parcel and
    year): year × class counts each year's rows, equal to the sums over those rows; the other tables
    count the latest year only (a parcel is not counted twice) and their notes say so. A "year"
    field that never repeats a parcel (a building year) is not taken for the store's."""
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    from landeval_plugin.core.meeting import statistics as st

    one = mf.make_layer(n=30, seed=3)
    two = mf.make_layer(n=30, seed=4)  # the same parcel codes, other classes and tax the next year
    store = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "graded (store)", "memory")
    store.dataProvider().addAttributes(list(one.fields()) + [QgsField("year", QVariant.Type.Int)])
    store.updateFields()
    feats = []
    for year, src in ((2025, one), (2026, two)):
        for f in src.getFeatures():
            g = QgsFeature(store.fields())
            g.setGeometry(f.geometry())
            g.setAttributes(f.attributes() + [year])
            feats.append(g)
    assert store.dataProvider().addFeatures(feats)[0]
    parcels = st.read_parcels(store)
    assert parcels.store_years == [2025, 2026] and parcels.has("year")
    by_year = st.crosstab(parcels, "year", "class")
    assert by_year.rows == [2025, 2026]
    for year, src in ((2025, one), (2026, two)):
        facts = mf.facts(src)
        assert same(by_year.cell(year, None), mf.sums(facts)), year
        for klass in {r["class"] for r in facts}:
            assert same(by_year.cell(year, klass), mf.sums([r for r in facts if r["class"] == klass])), (year, klass)
    town = st.crosstab(parcels, "town", "class")
    assert same(town.total, mf.sums(mf.facts(two)))  # 2026 only, each parcel once
    assert town.total.count == 30
    assert any("2025、2026" in n and "2026" in n for n in town.notes())
    tables = [t.title() for t in st.standard_crosstabs(parcels)]
    assert "年度 × 类别" in tables or any("×" in t and "年" in t for t in tables)
    # a building-year field: every parcel once, no store years, everything counted
    built = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "built", "memory")
    built.dataProvider().addAttributes(list(one.fields()) + [QgsField("year", QVariant.Type.Int)])
    built.updateFields()
    rows = []
    for k, f in enumerate(one.getFeatures()):
        g = QgsFeature(built.fields())
        g.setGeometry(f.geometry())
        g.setAttributes(f.attributes() + [1990 + k])
        rows.append(g)
    built.dataProvider().addFeatures(rows)
    plain = st.read_parcels(built)
    assert plain.store_years == [] and st.crosstab(plain, "town", "class").total.count == 30
