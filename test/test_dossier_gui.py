"""The Dossiers page and the 体检表 map tool, headless."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dossier_fixture import code_for, make_district


def _pages(path):
    out = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def _page(qgis_iface, layers):
    from qgis.core import QgsProject

    from landeval_plugin.gui.pages.dossiers import Page

    QgsProject.instance().addMapLayers(layers)
    page = Page(qgis_iface, None)
    page.parcels.setLayer(layers[0])
    page.enterprises.setLayer(layers[1])
    page.clusters.setLayer(layers[2])
    return page


def wait_for(page, task):
    """Spin the event loop until the page's print task has finished (the guard is no timing:
    it only stops a hung test)."""
    from qgis.PyQt.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    task.done.connect(loop.quit)
    QTimer.singleShot(600000, loop.quit)
    if page.task is task:
        loop.exec()
    assert page.task is None, "the print task did not finish"


def test_print_selected_from_the_page_remembers_choices(qgis_iface, landeval_provider, tmp_path):
    from qgis.core import QgsProject, QgsSettings

    from landeval_plugin.gui.dossier_tool import SETTINGS

    parcels, enterprises, clusters = make_district(10)
    page = _page(qgis_iface, [parcels, enterprises, clusters])
    try:
        assert page.title() == "Dossiers" or page.title() == "一地一档"
        parcels.selectByIds([f.id() for f in parcels.getFeatures() if f["grade"] == "D"])
        page.folder.setFilePath(str(tmp_path))
        page.per_parcel.setChecked(True)
        page.combined.setChecked(True)
        page.workbook.setChecked(False)
        task = page.print_sheets(selected_only=True)
        # printing runs in the background: the page stays usable, only Cancel can be pressed
        assert task is not None and page.task is task
        assert not page.print_selected_button.isEnabled() and not page.print_all_button.isEnabled()
        assert page.cancel_button.isEnabled()
        wait_for(page, task)
        assert page.print_selected_button.isEnabled() and not page.cancel_button.isEnabled()
        results = page.last_results
        assert results["SHEETS"] == 2 and task.job.child_pid != os.getpid()
        pdfs = sorted(f for f in os.listdir(tmp_path) if f.endswith(".pdf"))
        assert code_for(3) + ".pdf" in pdfs and code_for(8) + ".pdf" in pdfs and len(pdfs) == 3
        combined = next(f for f in pdfs if not f.startswith("330122"))
        assert _pages(str(tmp_path / combined)) == 4
        assert page.progress.value() == 100
        assert "2" in page.status.text()
        settings = QgsSettings()
        assert settings.value(SETTINGS + "last_folder") == str(tmp_path)
        assert settings.value(SETTINGS + "parcels_layer") == parcels.id()
        # nothing selected: said, nothing printed
        parcels.removeSelection()
        from qgis.PyQt.QtWidgets import QMessageBox

        original = QMessageBox.warning
        shown = []
        QMessageBox.warning = staticmethod(lambda *a, **k: shown.append(a[2]))
        try:
            assert page.print_sheets(selected_only=True) is None
        finally:
            QMessageBox.warning = original
        assert shown and parcels.name() in shown[0]
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_map_tool_previews_the_clicked_parcel_and_prints_it(qgis_iface, qgis_canvas, tmp_path):
    from qgis.core import QgsPointXY, QgsProject
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, Qt

    parcels, enterprises, clusters = make_district(9, big_enterprise_parcel=4)
    page = _page(qgis_iface, [parcels, enterprises, clusters])
    try:
        actions = page.page_actions()
        assert len(actions) == 1 and actions[0].isCheckable()
        tool = page.tool
        canvas = qgis_iface.mapCanvas()
        canvas.setDestinationCrs(parcels.crs())
        target = next(f for f in parcels.getFeatures() if f["parcel_code"] == code_for(4))
        canvas.setExtent(target.geometry().boundingBox().buffered(50))
        canvas.refresh()
        actions[0].trigger()
        assert canvas.mapTool() is tool
        centre = target.geometry().pointOnSurface().asPoint()
        pixel = canvas.getCoordinateTransform().transform(QgsPointXY(centre))
        event = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, pixel.toQPointF().toPoint(),
                                 Qt.MouseButton.LeftButton)
        tool.canvasReleaseEvent(event)
        dialog = tool.dialog
        assert dialog is not None
        assert dialog.printer.data.sheets[0].code == code_for(4)
        assert len(dialog.images) == 3  # 45 enterprises: front, back and 附表
        path = dialog.print_to(str(tmp_path / "one.pdf"))
        assert path and _pages(path) == 3
        text = subprocess.run(["pdftotext", path, "-"], stdout=subprocess.PIPE).stdout.decode()
        assert code_for(4) in text
        dialog.done(0)
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_template_opens_as_an_atlas_layout(qgis_iface, tmp_path):
    from qgis.core import QgsLayoutItemMap, QgsProject

    parcels, enterprises, clusters = make_district(4)
    page = _page(qgis_iface, [parcels, enterprises, clusters])
    try:
        layout = page.open_in_designer()
        assert layout is not None
        assert QgsProject.instance().layoutManager().layoutByName(layout.name()) is layout
        assert layout.atlas().enabled() and layout.atlas().coverageLayer() is parcels
        assert layout.pageCollection().pageCount() == 3
        maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        assert {m.id() for m in maps} == {"location_map", "overview_map"}
        QgsProject.instance().layoutManager().removeLayout(layout)
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_cancel_on_the_page_kills_the_print_and_writes_nothing(qgis_iface, landeval_provider, tmp_path):
    from qgis.core import QgsProject

    parcels, enterprises, clusters = make_district(16)
    page = _page(qgis_iface, [parcels, enterprises, clusters])
    out = tmp_path / "out"
    try:
        page.folder.setFilePath(str(out))
        for box in (page.per_parcel, page.combined, page.workbook):
            box.setChecked(True)
        task = page.print_sheets(selected_only=False)
        assert task is not None
        cancelled = []

        def on_progress(value):
            if value >= 15 and not cancelled:
                cancelled.append(value)
                page.cancel_button.click()

        task.progressChanged.connect(on_progress)
        wait_for(page, task)
        assert cancelled and page.last_results is None
        assert page.status.text() in ("Cancelled: nothing was written.", "已取消：未写入任何文件。")
        assert not out.exists()  # no PDF, no workbook, no staging folder, not even the folder it would have made
        assert page.print_all_button.isEnabled() and not page.cancel_button.isEnabled()
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_without_a_child_process_the_page_prints_inside_qgis(qgis_iface, landeval_provider, tmp_path, monkeypatch):
    from qgis.core import QgsProject

    from landeval_plugin.tasks import dossier_job

    # an "interpreter" that starts but cannot load QGIS: the task says so, the page prints itself
    monkeypatch.setattr(dossier_job, "find_python", lambda: "/bin/false")
    parcels, enterprises, clusters = make_district(6)
    page = _page(qgis_iface, [parcels, enterprises, clusters])
    try:
        page.folder.setFilePath(str(tmp_path))
        page.per_parcel.setChecked(True)
        page.combined.setChecked(False)
        page.workbook.setChecked(False)
        task = page.print_sheets(selected_only=False)
        assert task is not None
        wait_for(page, task)
        assert task.unavailable and "/bin/false" in task.unavailable
        assert page.last_results["SHEETS"] == 6
        assert sorted(os.listdir(tmp_path)) == sorted(code_for(i) + ".pdf" for i in range(6))
        assert "/bin/false" in page.status.text()  # the status line says it printed inside QGIS
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])


def test_page_prints_the_history_from_the_store_open_in_the_panel(qgis_iface, landeval_provider, tmp_path):
    """With a store open in the dock's 项目 / 存储库 part, the page says so and its background print
    passes STORE: the sheet's 八、历年评价（复评） lists the store's years; without it, 暂无数据."""
    import unicodedata

    from qgis.core import QgsProject, QgsSettings
    from qgis.PyQt.QtWidgets import QDockWidget
    from test_dossier_print import pdf_text

    from landeval_plugin.core import store as stores
    from landeval_plugin.gui.pages.dossiers import Page
    from landeval_plugin.gui.store_panel import SETTING, StorePanel

    remembered = QgsSettings().value(SETTING)
    parcels, enterprises, clusters = make_district(10)
    ref = str(tmp_path / "历年 store.gpkg")
    store = stores.create_store(ref)
    try:
        for year in (2023, 2024):
            store.write_layer(year, "graded", parcels, run_id=store.record_run(year, "grade"))
    finally:
        store.close()
    QgsProject.instance().addMapLayers([parcels, enterprises, clusters])
    dock = QDockWidget()
    dock.store_panel = StorePanel(qgis_iface)
    page = Page(qgis_iface, dock)
    dock.setWidget(page)
    try:
        page.parcels.setLayer(parcels)
        page.enterprises.setLayer(enterprises)
        page.clusters.setLayer(clusters)
        page.per_parcel.setChecked(False)
        page.combined.setChecked(True)
        page.workbook.setChecked(False)
        code = code_for(3)
        parcels.selectByIds([f.id() for f in parcels.getFeatures() if f["parcel_code"] == code])

        def print_to(folder):
            os.makedirs(folder)
            page.folder.setFilePath(folder)
            task = page.print_sheets(selected_only=True)
            assert task is not None
            wait_for(page, task)
            assert page.last_results["SHEETS"] == 1
            pdf = page.last_results["OUTPUT_PDF"]
            return task, unicodedata.normalize("NFKC", pdf_text(pdf).replace(" ", "").replace("\n", ""))

        # no store open yet (the panel knows a path but has not opened it): 暂无数据, and said on the page
        dock.store_panel.path.setText(ref)
        assert page.store_reference() == ""
        task, text = print_to(str(tmp_path / "plain"))
        assert task.job.store == "" and page.parameters(True)["STORE"] == ""
        assert ref not in page.store_note.text()
        assert "历年评价" in text and "2023年:" not in text and "2024年:" not in text
        # the panel opens the store: the page names it and the sheet has both years
        assert dock.store_panel.open_store(QgsProject()) is not None
        assert dock.store_panel.opened == ref
        assert ref in page.store_note.text()   # the page's line follows the panel at once
        task, text = print_to(str(tmp_path / "with store"))
        assert task.job.store == ref
        assert ref in page.store_note.text()
        grade = next(f for f in parcels.getFeatures() if f["parcel_code"] == code)
        klass = grade["grade_final"] or grade["grade"]
        for year in (2023, 2024):
            assert "{}年:{}".format(year, klass) in text, text[-600:]
        # a store that fails to open is no longer "open"
        dock.store_panel.path.setText(str(tmp_path / "missing" / "none.gpkg"))
        assert dock.store_panel.open_store(QgsProject()) is None
        assert ref not in page.store_note.text() and page.refresh_store() == ""
    finally:
        page.unload()
        QgsProject.instance().removeMapLayers([parcels.id(), enterprises.id(), clusters.id()])
        if remembered is None:
            QgsSettings().remove(SETTING)
        else:
            QgsSettings().setValue(SETTING, remembered)
