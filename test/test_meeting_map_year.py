"""The 研判 page on a store layer of several years shows the meeting's year alone on the map and in
the layers panel (core/meeting/year_filter.py): a filter "year" = N on the layer, combined with
the planner's own filter, given back when the meeting ends; never a write to the data."""
import sqlite3

import pytest
import test_meeting_store_years as years
from test_meeting_store_years import CODES, PARCELS, YEARS, expected_counts

store_layers, store_page = years.store_layers, years.store_page  # the fixtures of that file

YEAR_2025 = '"year" = 2025'


def saved_rows(path):
    """Every row of the store's graded table as SQLite has it (what a write would change)."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM graded ORDER BY fid").fetchall()
    finally:
        con.close()


def legend_counts(layer):
    """{class: parcels} as the layers panel counts the layer's categories (QGIS's own counter)
    and {class: label} of the grade style."""
    from qgis.core import QgsVectorLayerFeatureCounter

    counter = QgsVectorLayerFeatureCounter(layer)
    assert counter.run()
    counts, labels = {}, {}
    for item in layer.renderer().legendSymbolItems():
        cat = layer.renderer().categories()[layer.renderer().categoryIndexForLabel(item.label())]
        key = cat.value() or ""
        counts[key] = counter.featureCount(item.ruleKey())
        labels[key] = item.label()
    return counts, labels


def letters(counts):
    """The counts of the classes A B C D T (QGIS matches no category to a NULL class)."""
    return {k: n for k, n in counts.items() if k and n}


def want_letters(*years):
    out = {}
    for year in years:
        for g, (n, _) in expected_counts(year).items():
            if g:
                out[g] = out.get(g, 0) + n
    return out


def styled(layer):
    from landeval_plugin.core.grading import grade

    grade.apply_style(layer, "grade")
    assert grade.has_counted_labels(layer)
    return layer


def test_the_meeting_shows_its_year_alone_and_the_legend_counts_it(store_page, store_layers, qgis_iface):
    from qgis.core import Qgis

    from landeval_plugin.core.meeting import year_filter as yf

    p, layer, _ = store_page
    path = store_layers[2]
    before = saved_rows(path)
    styled(layer)
    counts, labels = legend_counts(layer)
    assert letters(counts) == want_letters(*YEARS)                    # every year's row, as before
    assert "（{} 宗".format(counts["D"]) in labels["D"]
    qgis_iface.messageBar().clear_messages()

    p.layer_combo.setLayer(layer)
    assert layer.subsetString() == ""                                 # choosing the layer changes nothing
    session = p.start()
    assert session.year == 2025
    assert layer.subsetString() == YEAR_2025 and yf.shown_year(layer) == 2025
    assert layer.featureCount() == len(PARCELS)
    assert {f["year"] for f in layer.getFeatures()} == {2025}
    want = expected_counts(2025)
    counts, labels = legend_counts(layer)
    assert letters(counts) == want_letters(2025)
    for g, (n, m) in want.items():
        if g:
            assert labels[g].endswith("（{} 宗，{:,.1f} 亩）".format(n, m)), labels[g]
    # said on the page and on the message bar
    assert YEAR_2025 in p.status.text() and "2025" in p.status.text()
    infos = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Info)
    assert any(YEAR_2025 in t and layer.name() in t for t in infos), infos
    assert p.all_years_button.isVisibleTo(p)
    # the meeting still reads every year where it needs them
    assert p.year_combo.count() == 3 and p.chosen_year() == 2025
    f = p.feature
    from landeval_plugin.core.meeting import walkthrough as w

    assert w.layer_years(layer) == list(YEARS)
    n = CODES.index(f["parcel_code"])
    assert w.last_year_classes(layer, None, 2025)(f, CODES[n]) == (PARCELS[n][2][1] or None)

    # another year: the filter follows (not nested), the labels count that year
    p.year_combo.setCurrentIndex(p.year_combo.findData(2023))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData(""))
    assert p.start().year == 2023
    assert layer.subsetString() == '"year" = 2023' and layer.featureCount() == len(PARCELS)
    counts, _ = legend_counts(layer)
    assert letters(counts) == want_letters(2023)

    # 显示全部年度: the layer as it was, every year counted again
    p.all_years_button.click()
    assert layer.subsetString() == "" and yf.shown_year(layer) is None
    assert layer.customProperty(yf.PROPERTY) is None
    assert layer.featureCount() == len(PARCELS) * len(YEARS)
    counts, _ = legend_counts(layer)
    assert letters(counts) == want_letters(*YEARS)
    assert not p.all_years_button.isVisibleTo(p)
    assert layer.name() in p.status.text() and YEAR_2025 not in p.status.text()
    assert saved_rows(path) == before                                 # nothing was written


def test_the_planners_filter_is_kept_and_given_back_when_the_meeting_ends(store_page, store_layers):
    from landeval_plugin.core.meeting import year_filter as yf

    p, layer, _ = store_page
    before = saved_rows(store_layers[2])
    mine = "\"town\" = '横村镇'"
    assert layer.setSubsetString(mine)
    p.layer_combo.setLayer(layer)
    from landeval_plugin.core.meeting import walkthrough as w

    p.kind_combo.setCurrentIndex(p.kind_combo.findData(w.TOWN))
    p.value_combo.setCurrentIndex(p.value_combo.findData(""))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData(""))
    assert [p.year_combo.itemData(i) for i in range(p.year_combo.count())] == [2025, 2024, 2023]
    session = p.start()
    assert layer.subsetString() == "({}) AND {}".format(mine, YEAR_2025)
    assert sorted(f["parcel_code"] for f in layer.getFeatures()) == sorted(
        c for c, town, _ in PARCELS if town == "横村镇")
    assert {f["year"] for f in layer.getFeatures()} == {2025}
    assert mine in p.status.text()
    assert [c for _, c in session.items] == sorted(c for c, town, _ in PARCELS if town == "横村镇")
    assert yf.user_filter(layer) == mine
    p.close_session()                                                 # the meeting ends
    assert layer.subsetString() == mine and yf.shown_year(layer) is None
    assert saved_rows(store_layers[2]) == before

    # a filter the planner changed by hand during the meeting is theirs: left as it is
    p.start()
    assert layer.subsetString().endswith(YEAR_2025)
    assert layer.setSubsetString('"year" = 2024')
    p.close_session()
    assert layer.subsetString() == '"year" = 2024' and layer.customProperty(yf.PROPERTY) is None


def test_unsaved_decisions_keep_the_filter_until_the_edits_end(store_page, qgis_iface):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest

    from landeval_plugin.core.meeting import walkthrough as w
    from landeval_plugin.core.meeting import year_filter as yf

    p, layer, _ = store_page
    p.layer_combo.setLayer(layer)
    p.kind_combo.setCurrentIndex(p.kind_combo.findData(w.TOWN))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData("D"))
    p.start()
    QTest.keyClick(p.card, Qt.Key.Key_Return)                         # a decision: the layer has edits
    assert layer.isModified() and layer.subsetString() == YEAR_2025

    p.year_combo.setCurrentIndex(p.year_combo.findData(2023))
    session = p.start()
    assert session.year == 2023
    assert layer.subsetString() == YEAR_2025                          # QGIS refuses while edits are unsaved
    assert "2025" in p.status.text() and layer.name() in p.status.text()
    # the meeting on 2023 still reads 2023 (list, card, legend), but records nothing on rows not shown
    assert [c for _, c in session.items] == [CODES[1], CODES[4], CODES[6]]
    assert p.feature["year"] == 2023 and p.feature["parcel_code"] == CODES[1]
    assert {g: n for g, (n, _) in w.class_counts(layer, 2023).items()} == {
        g: n for g, (n, _) in expected_counts(2023).items()}
    with pytest.raises(w.MeetingError) as err:
        w.decide(layer, session, session.items[0][0], CODES[1], by="张三")
    assert "2025" in str(err.value) and "2023" in str(err.value) and CODES[1] in str(err.value)

    layer.rollBack()                                                  # the edits end: the map follows
    assert layer.subsetString() == '"year" = 2023' and yf.shown_year(layer) == 2023
    assert {f["year"] for f in layer.getFeatures()} == {2023}
    rec = w.decide(layer, session, session.items[0][0], CODES[1], by="张三")
    assert rec["fid"] == session.items[0][0]
    layer.rollBack()
    p.close_session()
    assert layer.subsetString() == ""


def test_a_layer_of_one_year_and_a_memory_layer_are_not_filtered(store_layers):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.meeting import year_filter as yf

    layer, one, _ = store_layers
    assert yf.show_year(one[2024], 2024) == ""
    assert one[2024].subsetString() == '("year" = 2024) AND "year" = 2024'
    assert yf.restore(one[2024]) == "" and one[2024].subsetString() == '"year" = 2024'   # its own filter
    memory = QgsVectorLayer("Polygon?crs=EPSG:4549&field=year:integer", "临时", "memory")
    reason = yf.show_year(memory, 2025)
    assert "临时" in reason and memory.subsetString() == ""
    assert yf.combined("", 2025) == YEAR_2025
    either = "\"town\" = 'x' OR \"town\" = 'y'"
    assert yf.combined(" {} ".format(either), 2025) == "({}) AND {}".format(either, YEAR_2025)
