#!/usr/bin/env python3
"""Screenshots for the user guide (docs/guide/img/*.png): real QGIS in Chinese (zh-Hans) under Xvfb at
1366×768, the plugin from build/, the sample district after `make demo`.

    .venv/bin/python scripts/guide_shots.py [OUT_FOLDER]

Shots: the panel's pages (一张图, 数据, 分类评价, 连片, 处置, 一地一档) beside the map, the 研判 page
during a walk-through of the D parcels of one town, and the presentation mode. Runs in a throw-away QGIS
profile; the demo's outputs are copied to a temporary folder first (the walk-through edits them).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

QGIS_CODE = r'''
import os, traceback
from qgis.PyQt.QtCore import QTimer, Qt
from qgis.PyQt.QtWidgets import QDockWidget, QTabWidget, QWidget
from qgis.core import QgsApplication, QgsFillSymbol, QgsLineSymbol, QgsProject, QgsVectorLayer
from qgis.utils import iface

G = os.environ["LANDEVAL_GPKG"]
OUT = os.environ["LANDEVAL_SHOTS"]
W, H = (int(v) for v in os.environ.get("LANDEVAL_SHOT_SIZE", "1366x768").split("x"))
LOG = open(os.path.join(OUT, "shots.log"), "w", encoding="utf-8")
STATE = {}


def log(*a):
    LOG.write(" ".join(str(x) for x in a) + "\n")
    LOG.flush()


def lay(path, name, title, symbol=None):
    layer = QgsVectorLayer("{}|layername={}".format(path, name), title, "ogr")
    if symbol is not None:
        layer.renderer().setSymbol(symbol)
    QgsProject.instance().addMapLayer(layer)
    return layer


def fill(**props):
    return QgsFillSymbol.createSimple({k: str(v) for k, v in props.items()})


def dock():
    return iface.mainWindow().findChild(QDockWidget, "LandEvalDock")


def page(name):
    return iface.mainWindow().findChild(QWidget, "LandEvalPage_" + name)


def show(name):
    tabs = dock().findChild(QTabWidget, "LandEvalTabs")
    tabs.setCurrentWidget(page(name))


def grab(name):
    from qgis.PyQt.QtGui import QImage
    image = iface.mainWindow().grab().toImage()
    # palette PNG: a third of the size, the text stays sharp
    image = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither |
                                  Qt.ImageConversionFlag.AvoidDither)
    image.save(os.path.join(OUT, name + ".png"))
    log("shot", name)


def setup():
    main = iface.mainWindow()
    main.showMaximized()
    main.resize(W, H)
    lay(G, "towns", "镇街", fill(color="#f7f7f2", outline_color="#9a9a9a", outline_width=0.4, outline_style="dash"))
    lay(G, "rivers", "河流", fill(color="#8db8e0", outline_style="no"))
    lay(G, "czkfbj", "城镇开发边界", fill(color="0,0,0,0", outline_color="#2e8b57", outline_width=0.7,
                                      outline_style="dash"))
    lay(G, "gybzx", "工业保障线", fill(color="0,0,0,0", outline_color="#c0392b", outline_width=0.7))
    lay(G, "roads", "道路", QgsLineSymbol.createSimple({"color": "#b0b0b0", "width": "0.25"}))
    layer = QgsVectorLayer(os.environ["LANDEVAL_RESULT"], "处置研判图层", "ogr")
    from landeval_plugin.core.grading.grade import apply_style
    apply_style(layer, "grade")
    QgsProject.instance().addMapLayer(layer)
    STATE["layer"] = layer
    ent = os.environ.get("LANDEVAL_ENTERPRISES", "")
    if os.path.exists(ent):
        QgsProject.instance().addMapLayer(QgsVectorLayer(ent, "企业表", "ogr"))
    iface.mapCanvas().setExtent(layer.extent())
    d = dock()
    d.show()
    d.raise_()
    for name in ("Browser", "Browser2"):
        b = main.findChild(QDockWidget, name)
        if b is not None:
            b.hide()
    layers = main.findChild(QDockWidget, "Layers")
    QTimer.singleShot(1500, lambda: (d.apply_width(), layers is not None and
                                     main.resizeDocks([layers], [210], Qt.Orientation.Horizontal)))
    QTimer.singleShot(3500, step_pages)


def step_pages():
    try:
        STATE["pages"] = ["basemap", "data", "grading", "clusters", "disposal", "dossiers"]
        next_page()
    except Exception:
        log(traceback.format_exc())
        QgsApplication.exit(1)


def next_page():
    if not STATE["pages"]:
        QTimer.singleShot(300, walk)
        return
    name = STATE["pages"].pop(0)
    show(name)
    p = page(name)
    if hasattr(p, "layer") and hasattr(p.layer, "setLayer"):
        p.layer.setLayer(STATE["layer"])
    if hasattr(p, "parcels") and hasattr(p.parcels, "setLayer"):
        p.parcels.setLayer(STATE["layer"])
    QTimer.singleShot(1500, lambda: (grab("page_" + name), next_page()))


def walk():
    try:
        from landeval_plugin.core.meeting import walkthrough as w
        layer = STATE["layer"]
        show("review")
        p = page("review")
        p.layer_combo.setLayer(layer)
        p.title_edit.setText("2026年第4次产业用地研判会")
        p.by_edit.setText("区自然资源局 张工")
        p.kind_combo.setCurrentIndex(p.kind_combo.findData(w.TOWN))
        town = os.environ.get("LANDEVAL_TOWN", "旧县街道")
        p.value_combo.setCurrentIndex(max(0, p.value_combo.findData(town)))
        p.grade_filter.setCurrentIndex(p.grade_filter.findData("D"))
        session = p.start()
        log("list", session and len(session), p.status.text())
        for _ in range(3):
            p.record()
        p.path_choice.setCurrentIndex(max(0, p.path_choice.count() - 1))
        p.reason_edit.setPlainText("企业已签订提质增效协议，改为观察整改")
        p.class_choice.setCurrentIndex(p.class_choice.findData("C"))
        log("status", p.status.text(), p.progress_label.text())
        QTimer.singleShot(2500, lambda: (grab("review_walkthrough"), scroll_card(p)))
    except Exception:
        log(traceback.format_exc())
        QgsApplication.exit(1)


def scroll_card(p):
    from qgis.PyQt.QtWidgets import QScrollArea
    parent = p.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(p.record_button, 0, 0)
    card = getattr(p, "card_scroll", None)  # the card's own scroll box: its lower part (path and basis)
    if card is not None:
        card.verticalScrollBar().setValue(card.verticalScrollBar().maximum())
    QTimer.singleShot(800, lambda: (grab("review_card"), present(p)))


def present(p):
    try:
        p.present_button.setChecked(True)
        QTimer.singleShot(3000, lambda: (grab("review_presentation"), export_map(p), leave(p)))
    except Exception:
        log(traceback.format_exc())
        QgsApplication.exit(1)


def export_map(p):
    """LANDEVAL_SHOT_ALL: the presentation's 导出地图 (A3 PDF and PNG of the map as shown) into OUT."""
    if not os.environ.get("LANDEVAL_SHOT_ALL"):
        return
    try:
        res = p.export_map(os.path.join(OUT, "meeting_map_a3.pdf"))
        log("map", res and {k: v for k, v in res.items() if k.startswith("OUTPUT")}, p.status.text())
    except Exception:
        log(traceback.format_exc())


def leave(p):
    p.present_button.setChecked(False)
    QTimer.singleShot(1500, lambda: (grab("review_after_presentation") if os.environ.get("LANDEVAL_SHOT_ALL")
                                     else None, statistics(p)))


def statistics(p):
    try:
        if p.statistics is None:
            log("no statistics tab")
            finish()
            return
        p.inner.setCurrentWidget(getattr(p, "statistics_scroll", p.statistics))
        iface.mapCanvas().setExtent(STATE["layer"].extent())
        p.statistics.class_filter.setCurrentIndex(p.statistics.class_filter.findData("D"))
        p.statistics.map_check.setChecked(True)
        log("statistics", p.statistics.status.text())
        QTimer.singleShot(2500, lambda: (grab("review_statistics"), guide(p)))
    except Exception:
        log(traceback.format_exc())
        QgsApplication.exit(1)


def guide(p):
    """LANDEVAL_SHOT_ALL: the 帮助 window at the 研判 section (help_review.png)."""
    if not os.environ.get("LANDEVAL_SHOT_ALL"):
        finish()
        return
    try:
        dock().open_help()
        from landeval_plugin.gui import help as h

        def shot():
            window = h.guide_window()
            window.grab().save(os.path.join(OUT, "help_review.png"))
            log("help", window.section, window.top_heading())
            window.close()
            finish()

        QTimer.singleShot(1500, shot)
    except Exception:
        log(traceback.format_exc())
        finish()


def finish():
    layer = STATE["layer"]
    if layer.isEditable():
        layer.rollBack()
    log("done")
    QgsApplication.exit(0)


def safe_setup():
    try:
        setup()
    except Exception:
        log(traceback.format_exc())
        QgsApplication.exit(1)


QTimer.singleShot(2000, safe_setup)
'''


def main(argv):
    gpkg = os.path.join(ROOT, "out", "sample", "sample_district.gpkg")
    result = os.path.join(ROOT, "out", "disposal.gpkg")
    for f in (gpkg, result):
        if not os.path.exists(f):
            raise SystemExit("guide_shots: run `make demo` first ({} missing)".format(f))
    out = os.path.abspath(argv[0]) if argv else os.path.join(ROOT, "docs", "guide", "img")
    os.makedirs(out, exist_ok=True)
    size = os.environ.get("LANDEVAL_SHOT_SIZE", "1366x768")
    with tempfile.TemporaryDirectory() as tmp:
        ini = os.path.join(tmp, "profiles", "default", "QGIS", "QGIS3.ini")
        os.makedirs(os.path.dirname(ini))
        with open(ini, "w", encoding="utf-8") as fh:
            fh.write("[PythonPlugins]\nlandeval_plugin=true\n\n[qgis]\ncheckVersion=false\nshowTips=false\n\n"
                     "[locale]\nuserLocale=zh-Hans\noverrideFlag=true\n")
        copy = os.path.join(tmp, "disposal.gpkg")
        shutil.copy(result, copy)
        script = os.path.join(tmp, "shots.py")
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(QGIS_CODE)
        env = dict(os.environ, LANDEVAL_GPKG=gpkg, LANDEVAL_RESULT=copy,
                   LANDEVAL_ENTERPRISES=os.path.join(ROOT, "out", "enterprises.gpkg"), LANDEVAL_SHOTS=out,
                   LANDEVAL_SHOT_SIZE=size, QGIS_PLUGINPATH=os.path.join(ROOT, "build"))
        for key in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
            env.pop(key, None)
        proc = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 {}x24".format(size), "qgis", "--nologo",
                                 "--noversioncheck", "--profiles-path", tmp, "--code", script], env=env,
                                stdout=None if os.environ.get("LANDEVAL_SHOT_DEBUG") else subprocess.DEVNULL,
                                stderr=None if os.environ.get("LANDEVAL_SHOT_DEBUG") else subprocess.DEVNULL,
                                start_new_session=True)
        try:
            proc.wait(timeout=400)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    log = os.path.join(out, "shots.log")
    if os.path.exists(log):
        print(open(log, encoding="utf-8").read())
        os.remove(log)
    for name in sorted(os.listdir(out)):
        print("  {} ({:,d} bytes)".format(os.path.join(out, name), os.path.getsize(os.path.join(out, name))))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
