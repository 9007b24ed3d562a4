"""研判会 on a layer of the LandEval store holding several years (one row per parcel and year, its
``year`` column): the walk-through, the presentation legend and the minutes meet one year (the
newest unless the planner chooses), as the statistics count it; a layer of one year is met whole
(test_meeting_walkthrough.py and test_review_page.py are unchanged)."""
import datetime

import pytest

X0, Y0 = 500000.0, 3300000.0
YEARS = (2023, 2024, 2025)
# code, town, class in 2023, 2024, 2025 (None: no class)
PARCELS = [("330122001001GB00001", "旧县街道", ("C", "D", "D")),
           ("330122001001GB00002", "旧县街道", ("D", "D", "C")),
           ("330122001001GB00003", "横村镇", ("B", "C", "D")),
           ("330122001001GB00004", "横村镇", ("A", "A", "A")),
           ("330122001001GB00005", "旧县街道", ("D", "C", "B")),
           ("330122001001GB00006", "旧县街道", ("T", None, "D")),
           ("330122001001GB00007", "横村镇", ("D", "D", "D"))]
CODES = [c for c, _, _ in PARCELS]
M2_PER_MU = 10000 / 15


def width(n, year):
    """Each year's parcel is a little larger: its 亩 says which year's row was read."""
    return 50.0 + 10 * n + (year - 2023) * 5.0


def year_layer(year):
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4549&field=parcel_code:string&field=town:string&field=owner:string"
                           "&field=grade:string&field=score:double&field=disposal:string", "graded", "memory")
    feats = []
    for n, (code, town, classes) in enumerate(PARCELS):
        f = QgsFeature(layer.fields())
        x = X0 + n * 200
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, Y0, x + width(n, year), Y0 + 40)))
        f.setAttributes([code, town, "企业{}".format(n + 1), classes[YEARS.index(year)], 40.0 + n,
                         "收储" if classes[YEARS.index(year)] == "D" else None])
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    return layer


def mu(n, year):
    return width(n, year) * 40 / M2_PER_MU


def expected_counts(year):
    out = {}
    for n, (_, _, classes) in enumerate(PARCELS):
        g = classes[YEARS.index(year)] or ""
        k, m = out.get(g, (0, 0.0))
        out[g] = (k + 1, m + mu(n, year))
    return out


@pytest.fixture
def store_layers(qgis_new_project, tmp_path):
    """(every year's layer of a GeoPackage store, {year: that year's layer}, store path)."""
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core import store as stores

    path = str(tmp_path / "评估库.gpkg")
    store = stores.create_store(path)
    try:
        for year in YEARS:
            assert store.write_layer(year, "graded", year_layer(year)) == len(PARCELS)
        all_years = QgsVectorLayer(*store.layer_source("graded"))
        all_years.setName("已评价地块（存储库）")
        one = {y: QgsVectorLayer(*store.layer_source("graded", y)) for y in YEARS}
    finally:
        store.close()
    assert all_years.isValid() and all_years.featureCount() == len(PARCELS) * len(YEARS)
    assert all(layer.isValid() and layer.featureCount() == len(PARCELS) for layer in one.values())
    # the project owns them (as a planner's layers): a GeoPackage layer freed by Python after the
    # test, when pytest drops the fixture values, crashed the interpreter
    qgis_new_project.addMapLayers([all_years] + list(one.values()))
    yield all_years, one, path
    qgis_new_project.removeAllMapLayers()


def _rows_of(layer, code):
    return {f["year"]: f for f in layer.getFeatures() if f["parcel_code"] == code}


def test_the_list_the_legend_and_the_statistics_meet_one_year(store_layers):
    from landeval_plugin.core.meeting import statistics as st
    from landeval_plugin.core.meeting import walkthrough as w

    layer, one, _ = store_layers
    assert w.layer_years(layer) == list(YEARS)
    assert w.layer_years(one[2025]) == [] and w.meeting_year(one[2025]) is None
    assert w.meeting_year(layer) == 2025 and w.meeting_year(layer, 2023) == 2023
    with pytest.raises(w.MeetingError) as err:
        w.meeting_year(layer, 2019)
    assert "2023、2024、2025" in str(err.value) and "2019" in str(err.value)

    # the list: each parcel once, the newest year's rows (as the statistics count it)
    items, what = w.build_list(layer, w.TOWN, None, "")
    assert [c for _, c in items] == CODES and "2025" in what
    assert {layer.getFeature(fid)["year"] for fid, _ in items} == {2025}
    d_items, _ = w.build_list(layer, w.TOWN, "旧县街道", "D")
    assert [c for _, c in d_items] == [CODES[0], CODES[5]]
    assert [c for _, c in d_items] == [c for _, c in w.build_list(one[2025], w.TOWN, "旧县街道", "D")[0]]
    old, what_old = w.build_list(layer, w.TOWN, "旧县街道", "D", year=2023)
    assert [c for _, c in old] == [CODES[1], CODES[4]] and "2023" in what_old
    assert {layer.getFeature(fid)["year"] for fid, _ in old} == {2023}

    # the legend: parcels and 亩 of that year, equal to that year's layer and to the statistics
    for year in YEARS:
        counts = w.class_counts(layer, year)
        want = expected_counts(year)
        assert {g: n for g, (n, _) in counts.items()} == {g: n for g, (n, _) in want.items()}
        for g, (_, m) in want.items():
            assert counts[g][1] == pytest.approx(m)
        alone = w.class_counts(one[year])
        assert list(counts) == list(alone)
        assert all(counts[g][0] == alone[g][0] and counts[g][1] == pytest.approx(alone[g][1]) for g in alone)
        tab = st.crosstab(st.read_parcels(layer, year=year), "class")
        assert {k: (tab.cell(k).count, pytest.approx(tab.cell(k).mu)) for k in tab.rows} == {
            g or st.NONE_KEY: (n, pytest.approx(m)) for g, (n, m) in want.items()}
        assert tab.total.count == len(PARCELS)
    assert w.class_counts(layer) == w.class_counts(layer, 2025)
    assert sum(n for n, _ in w.class_counts(layer).values()) == len(PARCELS)
    assert st.read_parcels(layer).year == 2025
    with pytest.raises(st.StatisticsError):
        st.read_parcels(layer, year=2019)


def test_decisions_and_minutes_are_the_years(store_layers, tmp_path):
    from openpyxl import load_workbook

    from landeval_plugin.core.meeting import walkthrough as w

    layer, _, _ = store_layers
    assert layer.startEditing()
    year = w.meeting_year(layer)
    items, what = w.build_list(layer, w.TOWN, None, "D", year=year)
    assert [c for _, c in items] == [CODES[0], CODES[2], CODES[5], CODES[6]]
    session = w.Session(layer.id(), items, w.TOWN, what, "2026年第4次研判会", "2026-11-30", year=year)
    assert w.Session.from_json(session.to_json()).year == 2025
    at = datetime.datetime(2026, 11, 30, 10, 0, 0)
    w.decide(layer, session, items[0][0], items[0][1], grade="C", reason="已签订提升协议", by="张三", at=at)
    # the entry found by its code alone is still that year's row (the feature id is a hint)
    rec = w.decide(layer, session, None, items[1][1], by="张三", at=at + datetime.timedelta(minutes=1))
    assert rec["fid"] == next(f.id() for f in layer.getFeatures() if f["parcel_code"] == CODES[2] and
                              f["year"] == 2025)
    assert w.progress(layer, session) == (2, 4)
    rows = _rows_of(layer, CODES[0])
    assert rows[2025]["grade_final"] == "C"
    assert not rows[2024]["grade_final"] and not rows[2023]["grade_final"]   # the other years as they were
    assert w.find_feature(layer, None, CODES[0], 2024).id() == rows[2024].id()

    path = str(tmp_path / "纪要.xlsx")
    assert w.write_minutes(path, layer, session) == 2
    ws = load_workbook(path).active
    assert ("评价年度：2025" in ws.cell(2, 1).value or "Evaluation year：2025" in ws.cell(2, 1).value)
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=5)]
    assert [r[1] for r in body] == [CODES[0], CODES[2]]
    assert body[0][4] == pytest.approx(round(mu(0, 2025), 2)) and body[1][4] == pytest.approx(round(mu(2, 2025), 2))
    assert body[0][5:7] == ["D", "C"] and body[1][5:7] == ["D", "D"]

    # a meeting on 2023: its own list and minutes, the 2025 decisions not in them
    items23, what23 = w.build_list(layer, w.TOWN, None, "D", year=2023)
    s23 = w.Session(layer.id(), items23, w.TOWN, what23, "复核会", "2026-12-01", year=2023)
    w.decide(layer, s23, items23[0][0], items23[0][1], grade="C", reason="补充材料", by="李四", at=at)
    p23 = str(tmp_path / "纪要2023.csv")
    assert w.write_minutes(p23, layer, s23) == 1
    text = open(p23, encoding="utf-8-sig").read()
    assert "2023" in text and CODES[1] in text and CODES[0] not in text.split(w.minutes_headers()[-1])[-1]
    assert _rows_of(layer, CODES[1])[2023]["grade_final"] == "C" and not _rows_of(layer, CODES[1])[2025]["grade_final"]
    assert w.progress(layer, session) == (2, 4)                 # the 2025 meeting is untouched
    layer.rollBack()


def test_class_changed_since_the_year_before_in_the_same_store_layer(store_layers):
    from landeval_plugin.core.meeting import walkthrough as w

    layer, _, _ = store_layers
    items, what = w.build_list(layer, w.SINCE)
    # 2025 against 2024: 00002 D→C, 00003 C→D, 00005 C→B, 00006 none→D
    assert [c for _, c in items] == [CODES[1], CODES[2], CODES[4], CODES[5]] and "2025" in what
    items24, _ = w.build_list(layer, w.SINCE, year=2024)
    assert [c for _, c in items24] == [CODES[0], CODES[2], CODES[4], CODES[5]]
    with pytest.raises(w.MeetingError):                           # 2023 has no year before it
        w.build_list(layer, w.SINCE, year=2023)
    f = w.find_feature(layer, None, CODES[2], 2025)
    assert w.card(layer, f, previous=layer, previous_year=2024)["last_year"] == "C"
    assert w.last_year_source(layer, 2025) == (layer, 2024)


@pytest.fixture
def store_page(qgis_iface, store_layers):
    from qgis.core import QgsSettings

    from landeval_plugin.gui.pages.review import Page

    layer, one, _ = store_layers
    saved = QgsSettings().value("landeval/review/by")
    p = Page(qgis_iface, None)
    p.by_edit.setText("张三")
    p.title_edit.setText("2026年第4次研判会")
    p.date_edit.setDate(p.date_edit.date().fromString("2026-11-30", "yyyy-MM-dd"))
    yield p, layer, one
    if p.presentation is not None and p.presentation.active:
        p.presentation.leave()
    p.unload()
    if layer.isEditable():
        layer.rollBack()
    if saved is None:
        QgsSettings().remove("landeval/review/by")
    else:
        QgsSettings().setValue("landeval/review/by", saved)


def test_the_page_walks_one_year_and_its_legend_and_statistics_count_it(store_page, tmp_path):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    from landeval_plugin.core.meeting import walkthrough as w

    p, layer, one = store_page
    p.layer_combo.setLayer(one[2025])                     # a layer of one year: no year to choose
    assert p.year_combo.isHidden() and p.chosen_year() is None
    p.layer_combo.setLayer(layer)
    assert not p.year_combo.isHidden()
    assert [p.year_combo.itemData(i) for i in range(p.year_combo.count())] == [2025, 2024, 2023]
    assert p.chosen_year() == 2025                        # the newest by default

    p.kind_combo.setCurrentIndex(p.kind_combo.findData(w.TOWN))
    p.value_combo.setCurrentIndex(p.value_combo.findData(""))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData(""))
    session = p.start()
    assert session.year == 2025 and [c for _, c in session.items] == CODES   # each parcel once
    assert p.jump_combo.count() == len(PARCELS)
    assert "2025" in p.position_label.text() and "2025" in p.status.text()
    seen = []
    for _ in range(len(PARCELS)):                         # → through the whole list
        seen.append(p.session.current()[1])
        assert p.feature["year"] == 2025 and p.feature["parcel_code"] == seen[-1]
        QTest.keyClick(p.card, Qt.Key.Key_Right)
    assert seen == CODES
    p.jump(2)                                             # 00003: C in 2024, D in 2025
    assert p.badge.text() == "D" and ("上年 C 类" in p.headline.text() or "last year C" in p.headline.text())
    assert "{:,.2f}".format(mu(2, 2025)) in p.headline.text()
    p.jump(0)
    QTest.keyClick(p.card, Qt.Key.Key_Return)             # confirm 00001 in 2025
    out = str(tmp_path / "纪要.xlsx")
    assert p.export_minutes(out) == 1
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert "2025" in ws.cell(2, 1).value and ws.cell(4, 2).value == CODES[0]

    # the presentation legend: that year's parcels and 亩, the year named
    p.present_button.setChecked(True)
    try:
        counts = p.presentation.counts
        want = expected_counts(2025)
        assert {g: n for g, (n, _) in counts.items()} == {g: n for g, (n, _) in want.items()}
        assert all(counts[g][1] == pytest.approx(m) for g, (_, m) in want.items())
        assert "2025" in p.presentation.date_label.text() and "2026-11-30" in p.presentation.date_label.text()
        legend = p.presentation.legend_label.text()
        assert ("7 宗" in legend or "7 parcels" in legend)
        assert "{:,.1f}".format(sum(m for _, m in want.values())) in legend
    finally:
        p.present_button.setChecked(False)

    # the statistics tab counts the same year
    if p.statistics is not None:
        tab = p.statistics.refresh()
        assert tab.total.count == len(PARCELS) and tab.total.mu == pytest.approx(sum(m for _, m in
                                                                                     want.values()))
        assert "2025" in p.statistics.status.text()

    # the planner chooses 2023: list, legend and statistics follow
    p.year_combo.setCurrentIndex(p.year_combo.findData(2023))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData("D"))
    session = p.start()
    assert session.year == 2023 and [c for _, c in session.items] == [CODES[1], CODES[4], CODES[6]]
    assert all(layer.getFeature(fid)["year"] == 2023 for fid, _ in session.items)
    p.present_button.setChecked(True)
    try:
        assert {g: n for g, (n, _) in p.presentation.counts.items()} == {
            g: n for g, (n, _) in expected_counts(2023).items()}
        assert "2023" in p.presentation.date_label.text()
    finally:
        p.present_button.setChecked(False)
    if p.statistics is not None:
        assert p.statistics.refresh().total.mu == pytest.approx(sum(m for _, m in expected_counts(2023).values()))


def test_the_exported_meeting_map_is_of_the_year(store_page, landeval_provider, qgis_iface, tmp_path):
    import json

    p, layer, _ = store_page
    qgis_iface.mapCanvas().setDestinationCrs(layer.crs())
    qgis_iface.mapCanvas().setExtent(layer.extent())
    p.layer_combo.setLayer(layer)
    for year in (2025, 2024):
        p.year_combo.setCurrentIndex(p.year_combo.findData(year))
        results = p.export_map(str(tmp_path / "研判会地图{}.pdf".format(year)))
        assert results is not None, p.status.text()
        legend = {e["key"] or "": (e["count"], e["mu"]) for e in json.loads(results["LEGEND"])}
        want = expected_counts(year)
        assert {k: n for k, (n, _) in legend.items() if n} == {g: n for g, (n, _) in want.items()}
        assert all(legend[g][1] == pytest.approx(m, abs=0.01) for g, (_, m) in want.items())
        assert results["COUNT"] == len(PARCELS)
