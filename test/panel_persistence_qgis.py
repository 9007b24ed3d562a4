"""Run inside real QGIS (``qgis --code``) by test_panel_persistence.py: the LandEval dock's pages
on a generated sample district, the 处置 button's Processing dialog run as a planner would, the
project saved, cleared and read again; screenshots of the 数据 and 连片 pages.

Environment: LANDEVAL_WORK (a folder to work in), LANDEVAL_RESULT (JSON written at the end).
"""
import json
import os
import time
import traceback

from qgis.core import QgsApplication, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer
from qgis.PyQt.QtWidgets import QApplication, QDialog, QDockWidget, QTabWidget, QWidget
from qgis.utils import iface

WORK = os.environ["LANDEVAL_WORK"]
RESULT = {"steps": []}


def pump(pred, timeout=180):
    end = time.time() + timeout
    while time.time() < end:
        QCoreApplication.processEvents()
        if pred():
            QCoreApplication.processEvents()
            return True
        time.sleep(0.02)
    return False


def step(name, **values):
    RESULT["steps"].append(name)
    RESULT.update(values)


def shoot(dock, tabs, page, name):
    tabs.setCurrentWidget(page)
    pump(lambda: False, 1.5)
    path = os.path.join(WORK, name)
    iface.mainWindow().grab().save(path)
    dock.grab().save(path.replace(".png", "_dock.png"))
    RESULT.setdefault("shots", []).append(path)


def main():
    from landeval_plugin.core.sample import sample_district

    main_window = iface.mainWindow()
    main_window.showMaximized()
    main_window.setGeometry(0, 0, 1366, 768)  # no window manager under Xvfb: a laptop screen by hand
    sample = sample_district.generate(os.path.join(WORK, "sample"), parcels=300, seed=5)
    project = QgsProject.instance()
    parcels = QgsVectorLayer(sample["gpkg"] + "|layername=bdcdj", "不动产登记", "ogr")
    boundary = QgsVectorLayer(sample["gpkg"] + "|layername=czkfbj", "城镇开发边界", "ogr")
    line = QgsVectorLayer(sample["gpkg"] + "|layername=gybzx", "工业保障线", "ogr")
    project.addMapLayers([boundary, line, parcels])
    project_file = os.path.join(WORK, "区县项目", "桐庐产业用地.qgz")
    os.makedirs(os.path.dirname(project_file), exist_ok=True)
    assert project.write(project_file)
    gpkg = os.path.join(WORK, "区县项目", "桐庐产业用地_landeval.gpkg")
    step("project", gpkg=gpkg, project_file=project_file)

    dock = main_window.findChild(QDockWidget, "LandEvalDock")
    dock.show()
    main_window.resizeDocks([dock], [520], Qt.Orientation.Horizontal)  # as scripts/screenshot.py
    for name in ("Browser", "PythonConsole"):
        other = main_window.findChild(QDockWidget, name)
        if other is not None:
            other.hide()
    tabs = dock.findChild(QTabWidget, "LandEvalTabs")
    data = dock.findChild(QWidget, "LandEvalPage_data")
    grading = dock.findChild(QWidget, "LandEvalPage_grading")
    clusters = dock.findChild(QWidget, "LandEvalPage_clusters")
    RESULT["labels"] = {"data": data.output.label.text(), "clusters": clusters.output.label.text()}
    RESULT["placeholders"] = {"data": data.output.file.lineEdit().placeholderText()}

    # 数据
    data.layer.setLayer(parcels)
    data.workbook.setFilePath(sample["enterprises_xlsx"])
    data._workbook_changed(sample["enterprises_xlsx"])
    data.link.setFilePath(sample["link_xlsx"])
    data.year.setValue(2023)
    shoot(dock, tabs, data, "data_page.png")
    data.run()
    assert pump(lambda: data.task is None), "join did not finish"
    RESULT["data_summary"] = data.summary.text()
    joined = data.last_results["OUTPUT_LAYER"]
    enterprises = data.last_results["OUTPUT_ENTERPRISES_LAYER"]
    step("data", data_summary=data.summary.text(), joined=joined.source(),
         enterprises_count=[enterprises.isValid(), enterprises.featureCount(),
                            enterprises.dataProvider().featureCount(),
                            sum(1 for _ in enterprises.getFeatures())])

    # 分类评价 (whole layer, then a selection)
    tabs.setCurrentWidget(grading)
    grading.std_combo.setCurrentIndex(grading.std_combo.findData("zhejiang_huangyan_2022"))
    grading.layer.setLayer(joined)
    grading._run(False)
    assert pump(lambda: grading.task is None), "grading did not finish"
    graded = grading.layer.currentLayer()
    graded.selectByIds(sorted(f.id() for f in graded.getFeatures())[:10])
    grading._run(True)
    assert pump(lambda: grading.task is None), "grading the selection did not finish"
    selection = grading.layer.currentLayer()
    step("grading", graded=graded.source(), selection=selection.source(), grading_status=grading.status.text(),
         grades=sorted({str(f["grade"]) for f in graded.getFeatures()}))

    # 连片
    clusters.layer_combo.setLayer(graded)
    clusters.by_grade.setChecked(True)
    for grade, box in clusters.grade_boxes.items():
        box.setChecked(grade in ("C", "D", "T"))
    clusters.gap.setValue(30)
    clusters.run()
    assert pump(lambda: clusters.task is None), "clusters did not finish"
    shoot(dock, tabs, clusters, "clusters_page.png")
    step("clusters", clusters=clusters.cluster_layer.source(), count_label=clusters.count_label.text())

    # 处置: the button opens the Processing dialog; a timer fills the planning layers, runs it, closes it
    seen = {}

    def drive_dialog():
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(300, drive_dialog)
            return
        dialog = dialogs[0]
        seen["title"] = dialog.windowTitle()
        try:
            panel = dialog.mainWidget()
            from qgis.core import QgsProcessingContext

            context = QgsProcessingContext()
            context.setProject(QgsProject.instance())
            wrappers = panel.wrappers
            wrappers["DEVELOPMENT_BOUNDARY"].setParameterValue(boundary, context)
            wrappers["INDUSTRIAL_LINE"].setParameterValue(line, context)
            value = wrappers["OUTPUT"].parameterValue()
            seen["output_before_run"] = str(value.sink.staticValue()) if hasattr(value, "sink") else str(value)
            dialog.grab().save(os.path.join(WORK, "disposal_dialog.png"))
            if os.environ.get("LANDEVAL_DISPOSAL_TEMP"):
                wrappers["OUTPUT"].setParameterValue("TEMPORARY_OUTPUT", context)
            dialog.runButton().click()
        except Exception:
            seen["error"] = traceback.format_exc()
            dialog.reject()
            return

        deadline = time.time() + 40

        def close_when_done():
            # QGIS closes the dialog itself after a successful run (unless told to keep it open)
            if not dialog.isVisible():
                seen["closed_by_qgis"] = True
                return
            if not seen.get("shot_after"):
                seen["shot_after"] = True
                dialog.grab().save(os.path.join(WORK, "disposal_dialog_after.png"))
                seen["visible"] = [(type(w).__name__, w.windowTitle()) for w in QApplication.topLevelWidgets()
                                   if w.isVisible()]
            if dialog.results() or time.time() > deadline:
                seen["results"] = {k: str(v) for k, v in (dialog.results() or {}).items()}
                from qgis.PyQt.QtWidgets import QTextEdit

                seen["log"] = "\n".join(w.toPlainText()[-1500:] for w in dialog.findChildren(QTextEdit))
                dialog.reject()
            else:
                QTimer.singleShot(300, close_when_done)

        QTimer.singleShot(500, close_when_done)

    # the sample's 不动产登记 keeps a few self-intersecting parcels on purpose (the base-map step repairs
    # them); the dialog's default is to stop on them, so skip them as a planner would set it
    from processing.core.ProcessingConfig import ProcessingConfig

    ProcessingConfig.setSettingValue("FILTER_INVALID_GEOMETRIES", 1)
    QTimer.singleShot(500, drive_dialog)
    clusters.open_disposal()
    pump(lambda: False, 1.0)
    disposal = [layer for layer in project.mapLayers().values()
                if layer.source().startswith(gpkg + "|layername=disposal_")]
    step("disposal", dialog=seen, disposal=[layer.source() for layer in disposal],
         disposal_names=[layer.name() for layer in disposal])

    def counted(layer):
        return sum(1 for _ in layer.getFeatures()) if layer.isValid() else -1

    before = {layer.id(): [layer.name(), layer.source(), layer.providerType(), counted(layer)]
              for layer in project.mapLayers().values() if layer.source().startswith(gpkg)}
    assert project.write()
    project.clear()
    pump(lambda: False, 0.5)
    cleared = len(project.mapLayers())
    assert project.read(project_file)
    after = {}
    for layer_id in before:
        layer = project.mapLayer(layer_id)
        after[layer_id] = None if layer is None else [layer.name(), layer.source(), layer.providerType(),
                                                      counted(layer)]
    RESULT["feature_counts_after"] = {layer_id: project.mapLayer(layer_id).featureCount() for layer_id in before
                                      if project.mapLayer(layer_id) is not None}
    step("reopened", before=before, after=after, cleared=cleared,
         labels_after=[data.output.label.text(), clusters.output.label.text()])


def run():
    try:
        main()
    except Exception:
        RESULT["error"] = traceback.format_exc()
    with open(os.environ["LANDEVAL_RESULT"], "w", encoding="utf-8") as fh:
        json.dump(RESULT, fh, ensure_ascii=False, indent=1)
    QgsApplication.exit(0)


QTimer.singleShot(2000, run)
