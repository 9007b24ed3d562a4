"""The 研判 page in QGIS: a walk-through of the D parcels of a town driven with the keyboard (→ ← Enter),
the map following each parcel, decisions recorded with who/when/reason and undone, the progress,
resume from a saved project, the minutes, and the clear messages for the bad inputs."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from test_meeting_walkthrough import ROWS, make_layer

JIUXIAN_D = [ROWS[i][0] for i in (0, 1, 5)]


def gpkg_layer(tmp_path, name="graded"):
    """The test layer saved to a GeoPackage (a project keeps its features, unlike a memory layer)."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    mem = make_layer()
    path = str(tmp_path / "graded.gpkg")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = name
    err = QgsVectorFileWriter.writeAsVectorFormatV2(mem, path, QgsCoordinateTransformContext(), opts)
    assert err[0] == QgsVectorFileWriter.WriterError.NoError, err
    layer = QgsVectorLayer("{}|layername={}".format(path, name), "已评价地块", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture
def page(qgis_iface, qgis_new_project, tmp_path):
    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.gui.pages.review import Page

    s = QgsSettings()
    saved = s.value("landeval/review/by")
    layer = gpkg_layer(tmp_path)
    QgsProject.instance().addMapLayer(layer)
    p = Page(qgis_iface, None)
    p.layer_combo.setLayer(layer)
    p.by_edit.setText("张三")
    p.title_edit.setText("2026年第4次研判会")
    layer_id = layer.id()
    yield p, layer
    p.unload()
    still = QgsProject.instance().mapLayer(layer_id)  # the resume test reads the project again
    if still is not None and still.isEditable():
        still.rollBack()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().clear()
    if saved is None:
        s.remove("landeval/review/by")
    else:
        s.setValue("landeval/review/by", saved)


def start_town(p, town="旧县街道", grade="D"):
    from landeval_plugin.core.meeting import walkthrough as w

    p.kind_combo.setCurrentIndex(p.kind_combo.findData(w.TOWN))
    p.value_combo.setCurrentIndex(p.value_combo.findData(town))
    p.grade_filter.setCurrentIndex(p.grade_filter.findData(grade))
    return p.start()


def key(widget, k):
    from qgis.PyQt.QtTest import QTest

    QTest.keyClick(widget, k)


def test_walk_through_with_the_keyboard_follows_the_map(page, qgis_iface):
    from qgis.PyQt.QtCore import Qt

    p, layer = page
    session = start_town(p)
    assert [c for _, c in session.items] == JIUXIAN_D
    assert p.progress_label.text() in ("已研判 0 / 3", "Reviewed 0 / 3")
    assert p.position_label.text() in ("第 1 / 3 宗", "Parcel 1 / 3")
    assert p.badge.text() == "D" and JIUXIAN_D[0] in p.headline.text()
    assert "#" in p.badge.styleSheet()  # the class colour
    canvas = qgis_iface.mapCanvas()
    first = next(f for f in layer.getFeatures() if f["parcel_code"] == JIUXIAN_D[0])
    assert canvas.extent().contains(first.geometry().boundingBox())
    key(p.card, Qt.Key.Key_Right)
    assert p.session.position == 1 and JIUXIAN_D[1] in p.headline.text()
    second = next(f for f in layer.getFeatures() if f["parcel_code"] == JIUXIAN_D[1])
    assert canvas.extent().contains(second.geometry().boundingBox())
    key(p.card, Qt.Key.Key_Right)
    key(p.card, Qt.Key.Key_Right)  # the end of the list: stays on the last
    assert p.session.position == 2 and not p.next_button.isEnabled()
    key(p.card, Qt.Key.Key_Left)
    assert p.session.position == 1
    # the list: every parcel, the current one chosen; choosing another goes there
    assert [p.jump_combo.itemText(i) for i in range(p.jump_combo.count())] == [
        "{}. {}".format(n + 1, c) for n, c in enumerate(JIUXIAN_D)]
    assert p.jump_combo.currentIndex() == 1
    p.jump(2)
    assert p.session.position == 2 and JIUXIAN_D[2] in p.headline.text()
    p.jump(1)
    # the card: area in 亩, last year's class, the proposed path and its basis
    assert "{:,.2f}".format(3000 / (10000 / 15)) in p.headline.text()
    assert "减量" in p.details.text() and "假设1" in p.details.text()


def test_decisions_recorded_with_who_when_reason_and_undone(page):
    from qgis.PyQt.QtCore import Qt

    p, layer = page
    start_town(p)
    stack = layer.undoStack()
    # Enter confirms the shown parcel and moves on
    key(p.card, Qt.Key.Key_Return)
    f0 = next(f for f in layer.getFeatures() if f["parcel_code"] == JIUXIAN_D[0])
    assert (f0["grade_final"], f0["override_by"], f0["disposal_final"]) == ("D", "张三", "收储")
    assert f0["override_at"] and f0["override_at"][:4] == p.session.date[:4]
    assert p.session.position == 1
    assert p.progress_label.text() in ("已研判 1 / 3", "Reviewed 1 / 3")
    assert p.jump_combo.itemText(0) == "1. {} ✓".format(JIUXIAN_D[0])
    # a change without reason: refused with a message naming the parcel, nothing recorded
    n = stack.count()
    p.class_choice.setCurrentIndex(p.class_choice.findData("C"))
    assert "调整" in p.record_button.text() or "change" in p.record_button.text()
    key(p.card, Qt.Key.Key_Return)
    assert stack.count() == n and p.session.position == 1
    assert JIUXIAN_D[1] in p.status.text() and ("理由" in p.status.text() or "reason" in p.status.text())
    # with a reason (Enter in the reason field records)
    p.path_choice.setCurrentIndex(p.path_choice.findData("更新"))
    p.reason_edit.setPlainText("已签订提升协议")
    key(p.reason_edit, Qt.Key.Key_Return)
    assert stack.count() == n + 1
    f1 = next(f for f in layer.getFeatures() if f["parcel_code"] == JIUXIAN_D[1])
    assert (f1["grade_final"], f1["override_reason"], f1["disposal_final"], f1["disposal_override_reason"],
            f1["override_by"]) == ("C", "已签订提升协议", "更新", "已签订提升协议", "张三")
    assert p.progress_label.text() in ("已研判 2 / 3", "Reviewed 2 / 3")
    # undo takes the change back: fields as before, progress down
    p.undo()
    f1 = next(f for f in layer.getFeatures() if f["parcel_code"] == JIUXIAN_D[1])
    assert not f1["grade_final"] and not f1["disposal_final"]
    assert p.progress_label.text() in ("已研判 1 / 3", "Reviewed 1 / 3")
    assert JIUXIAN_D[1] in p.status.text() and JIUXIAN_D[0] not in p.status.text()  # names what was undone
    # the reviewer is remembered
    from qgis.core import QgsSettings

    assert QgsSettings().value("landeval/review/by") == "张三"


def test_resume_from_the_saved_project_and_minutes(page, tmp_path):
    from openpyxl import load_workbook
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import Qt

    p, layer = page
    start_town(p)
    key(p.card, Qt.Key.Key_Return)
    key(p.card, Qt.Key.Key_Return)
    assert p.session.position == 2
    assert layer.commitChanges(), layer.commitErrors()
    project = QgsProject.instance()
    path = str(tmp_path / "meeting.qgz")
    assert project.write(path)
    project.clear()
    assert p.session is None and not p.resume_button.isEnabled()
    assert project.read(path)
    assert p.resume_button.isEnabled()
    session = p.resume()
    assert session is not None and session.position == 2 and p.session.title == "2026年第4次研判会"
    assert p.progress_label.text() in ("已研判 2 / 3", "Reviewed 2 / 3")
    assert JIUXIAN_D[2] in p.headline.text()
    out = str(tmp_path / "minutes.xlsx")
    assert p.export_minutes(out) == 2
    ws = load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4, max_row=ws.max_row) if r[1].value]
    assert [r[1] for r in rows] == JIUXIAN_D[:2]
    assert all(r[11] == "张三" for r in rows)
    assert "2026年第4次研判会" in ws.cell(1, 1).value


def test_bad_inputs_give_clear_messages_and_keep_everything(page, qgis_iface):
    from qgis.core import QgsProject

    p, layer = page
    # empty list
    assert start_town(p, "横村镇", "A") is None
    assert "横村镇" in p.status.text() and p.session is None
    # layer without grades
    plain = make_layer(fields=("parcel_code:string", "town:string"), name="一张图底图")
    QgsProject.instance().addMapLayer(plain)
    p.layer_combo.setLayer(plain)
    assert p.start() is None
    assert "一张图底图" in p.status.text() and "grade" in p.status.text()
    # a parcel deleted while the walk-through is open
    p.layer_combo.setLayer(layer)
    session = start_town(p)
    assert layer.startEditing()
    gone = session.items[1]
    assert layer.deleteFeature(gone[0])
    p.step(1)
    assert gone[1] in p.details.text() and not p.record_button.isEnabled()
    assert not p.class_choice.isEnabled() and not p.reason_edit.isEnabled()
    assert p.record() is None  # nothing recorded
    p.step(1)
    assert p.record_button.isEnabled() and p.class_choice.isEnabled() and p.path_choice.isEnabled()
    assert p.record()["code"] == session.items[2][1]
    assert len(p.session.items) == 3  # the list is kept
    # no decision yet in a fresh meeting: the minutes say so
    p.start()
    p.session.decisions = []
    assert p.export_minutes(str(p.session.date) + "_none.xlsx") == 0
    assert "研判结论" in p.status.text() or "No decision" in p.status.text()


def test_presentation_hides_panels_shows_title_legend_and_restores(page, qgis_iface):
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QDockWidget, QFrame, QToolBar

    p, layer = page
    main = qgis_iface.mainWindow()
    bar = QToolBar("属性", main)
    main.addToolBar(bar)
    shown = QDockWidget("图层", main)
    main.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, shown)
    closed = QDockWidget("浏览", main)
    main.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, closed)
    closed.hide()
    try:
        p.date_edit.setDate(p.date_edit.date().fromString("2026-11-30", "yyyy-MM-dd"))
        p.present_button.setChecked(True)
        assert p.presentation.active and bar.isHidden() and shown.isHidden()
        overlay = qgis_iface.mapCanvas().findChild(QFrame, "LandEvalPresentation")
        assert overlay is not None and not overlay.isHidden()
        assert p.presentation.title_label.text() == "2026年第4次研判会"
        assert p.presentation.date_label.text() == "2026-11-30"
        # the legend: parcels and 亩 per class equal the layer's
        mu = 3000 / (10000 / 15)
        counts = p.presentation.counts
        assert {g: n for g, (n, _) in counts.items()} == {"A": 1, "C": 1, "D": 4}
        assert counts["D"][1] == pytest.approx(4 * mu)
        legend = p.presentation.legend_label.text()
        assert ("4 宗" in legend or "4 parcels" in legend) and "{:,.1f}".format(6 * mu) in legend
        p.present_button.setChecked(False)
        QgsApplication.processEvents()
        assert not p.presentation.active
        # Esc leaves it too, and the button follows
        p.present_button.setChecked(True)
        assert p.presentation.active and bar.isHidden()
        p.presentation.shortcut.activated.emit()
        assert not p.presentation.active and not p.present_button.isChecked() and not bar.isHidden()
        assert not bar.isHidden() and not shown.isHidden() and closed.isHidden()
        assert qgis_iface.mapCanvas().findChild(QFrame, "LandEvalPresentation") is None or overlay.isHidden()
    finally:
        for w in (bar, shown, closed):
            main.removeDockWidget(w) if isinstance(w, QDockWidget) else main.removeToolBar(w)
            w.deleteLater()


def test_presentation_scale_bar_matches_the_map_scale_and_north_arrow(page, qgis_iface):
    """The presentation's scale bar is as long on the screen as its label on the ground: in a
    projected CRS (EPSG:4549) pixels × map units per pixel = the label's metres and the map's scale;
    in a geographic CRS (EPSG:4490) the same length measured in the Gauss-Krüger projection of the
    place (central meridian 120°E, scale factor 1) within 0.2 %. The north arrow turns with the map."""
    import math

    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsPointXY,
        QgsProject,
        QgsRectangle,
    )

    from landeval_plugin.gui import presentation as pr

    p, layer = page
    canvas = qgis_iface.mapCanvas()
    canvas.resize(1000, 700)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4549"))
    canvas.setRotation(0)
    canvas.setExtent(QgsRectangle(499000, 3299000, 503000, 3302000))
    canvas.refresh()
    p.present_button.setChecked(True)
    try:
        bar, arrow = p.presentation.scale_bar, p.presentation.north_arrow
        assert bar is not None and not bar.isHidden() and arrow is not None and not arrow.isHidden()
        ms = canvas.mapSettings()
        mupp = ms.mapUnitsPerPixel()
        assert bar.bar_px * mupp == pytest.approx(bar.length_m, rel=1e-9)
        assert 0.4 * pr.SCALE_TARGET_PX <= bar.bar_px <= pr.SCALE_TARGET_PX
        lead = bar.length_m / 10 ** math.floor(math.log10(bar.length_m))
        assert round(lead, 9) in (1, 2, 5)
        # the map's scale (1:N): N = ground metres / screen metres
        screen_m = bar.bar_px / ms.outputDpi() * 0.0254
        assert bar.length_m / screen_m == pytest.approx(canvas.scale(), rel=1e-6)
        assert bar.label in (pr.tr("{} m").format("{:g}".format(bar.length_m)),
                             pr.tr("{} km").format("{:g}".format(bar.length_m / 1000)))
        assert bar.label.endswith(("米", " m", " km"))
        assert abs(arrow.bearing) < 0.5  # near the central meridian grid north is true north
        # zoom in: the bar follows the map
        before = bar.length_m
        canvas.zoomByFactor(0.1)
        canvas.refresh()
        assert bar.length_m < before
        assert bar.bar_px * canvas.mapSettings().mapUnitsPerPixel() == pytest.approx(bar.length_m, rel=1e-9)
        canvas.setRotation(30)
        assert arrow.bearing == pytest.approx(30, abs=0.5)
        canvas.setRotation(0)

        # a geographic CRS: measured on the ellipsoid, not in degrees
        geo = QgsCoordinateReferenceSystem("EPSG:4490")
        canvas.setDestinationCrs(geo)
        canvas.setExtent(QgsRectangle(119.95, 29.78, 120.05, 29.84))
        canvas.refresh()
        ms = canvas.mapSettings()
        assert not bar.isHidden() and bar.length_m > 1
        size = ms.outputSize()
        cx, cy = size.width() / 2.0, size.height() / 2.0
        m2p = ms.mapToPixel()
        a = QgsPointXY(m2p.toMapCoordinates(int(cx - bar.bar_px / 2), int(cy)))
        b = QgsPointXY(m2p.toMapCoordinates(int(cx + bar.bar_px / 2), int(cy)))
        gk = QgsCoordinateTransform(geo, QgsCoordinateReferenceSystem("EPSG:4549"), QgsProject.instance())
        planar = gk.transform(a).distance(gk.transform(b))
        pixels = int(cx + bar.bar_px / 2) - int(cx - bar.bar_px / 2)
        assert planar * bar.bar_px / pixels == pytest.approx(bar.length_m, rel=2e-3)
    finally:
        p.present_button.setChecked(False)
        canvas.setRotation(0)
    assert p.presentation.scale_bar is None and p.presentation.north_arrow is None
    assert all(b.isHidden() for b in canvas.findChildren(pr.ScaleBar))


def test_walk_through_folds_the_dock_heads_so_the_card_is_in_view(qgis_iface, qgis_new_project, tmp_path):
    """At 1366×768 the dock's 从这里开始 and 项目 / 存储库 boxes left only the card's first lines in
    view: starting the walk-through folds them (and the list's own box); a click opens them again."""
    from qgis.core import QgsProject

    from landeval_plugin.gui.dock import LandEvalDock

    layer = gpkg_layer(tmp_path)
    QgsProject.instance().addMapLayer(layer)
    dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
    try:
        p = dock.show_page("review")
        heads = [part for part in (dock.strip, getattr(dock, "store_panel", None)) if part is not None]
        for part in heads:
            part.setCollapsed(False)
        p.layer_combo.setLayer(layer)
        p.by_edit.setText("张三")
        session = start_town(p)
        assert session is not None and len(session) == 3
        assert all(part.isCollapsed() for part in heads) and p.setup_box.isCollapsed()
        assert dock.strip in heads
    finally:
        dock.unload()
        dock.deleteLater()
        QgsProject.instance().removeAllMapLayers()


def test_card_scrolls_in_its_box_and_the_decision_row_stays_in_view(page):
    """At 1366×768 the dock gives a page about 500 px: the page fits in 480 px (the statistics tab
    scrolls in its own box, the card in its own), the decision row and buttons are below the card
    box, and → on the card still goes to the next parcel (the card's box does not take the key)."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtWidgets import QScrollArea

    p, layer = page
    start_town(p)
    outer = QScrollArea()
    outer.setWidgetResizable(True)
    outer.setWidget(p)
    try:
        from qgis.core import QgsApplication

        outer.show()
        for width in (561, 560):  # let the layout settle (a resize re-lays the page out)
            outer.resize(width, 480)
            QgsApplication.processEvents()
        assert p.minimumSizeHint().height() <= 460 and p.height() <= 480
        assert p.card_scroll.widget() is p.card and p.card_scroll.height() >= 100
        bottom = p.card_scroll.mapTo(p, p.card_scroll.rect().bottomLeft()).y()
        for widget in (p.class_choice, p.reason_edit, p.record_button, p.next_button):
            y = widget.mapTo(p, widget.rect().topLeft()).y()
            assert bottom < y and y + widget.height() <= p.height(), widget.objectName()
        key(p.card, Qt.Key.Key_Right)
        assert p.session.position == 1
    finally:
        outer.takeWidget()
        outer.deleteLater()


def test_presentation_legend_counts_carry_thousands_separators():
    """A district's totals read as 2,808 宗 beside 28,838.4 亩, not 2808."""
    from landeval_plugin.gui.presentation import legend_html

    html = legend_html({"A": (2808, 28838.4), "D": (1192, 1200.0)}, {"A": "#1a9641"})
    assert ("2,808 宗" in html or "2,808 parcels" in html) and "28,838.4" in html
    assert ("4,000 宗" in html or "4,000 parcels" in html) and "30,038.4" in html
