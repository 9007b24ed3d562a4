#!/usr/bin/env python3
"""`make screenshot`: QGIS (zh-Hans) under Xvfb with the sample district and the LandEval dock
open, saved as docs/screenshot.png (palette PNG, small enough for the README).

Runs in a throw-away QGIS profile; needs `make demo` output (out/sample/sample_district.gpkg).
`screenshot.py [OUT.png [WIDTHxHEIGHT]]`: another file and screen size (e.g. 1366x768 for a laptop), the
QGIS window filling the screen; the defaults are docs/screenshot.png and a 1400x860 window.
"""
import os
import signal
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

QGIS_CODE = r'''
import os
from qgis.PyQt.QtCore import QTimer, Qt
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtWidgets import QDockWidget, QTabWidget, QWidget
from qgis.core import QgsApplication, QgsFillSymbol, QgsLineSymbol, QgsProject, QgsRuleBasedRenderer, QgsVectorLayer
from qgis.utils import iface

G = os.environ["LANDEVAL_GPKG"]
LAYERS = []


def lay(name, title, symbol=None):
    layer = QgsVectorLayer("{}|layername={}".format(G, name), title, "ogr")
    if symbol is not None:
        layer.renderer().setSymbol(symbol)
    LAYERS.append(layer)
    return layer


def fill(**props):
    return QgsFillSymbol.createSimple({k: str(v) for k, v in props.items()})


def setup():
    main = iface.mainWindow()
    width, height = (int(v) for v in os.environ.get("LANDEVAL_SHOT_SIZE", "1400x860").split("x"))
    main.resize(width, height)
    lay("towns", "镇街", fill(color="#f7f7f2", outline_color="#9a9a9a", outline_width=0.4, outline_style="dash"))
    lay("rivers", "河流", fill(color="#8db8e0", outline_style="no"))
    parcels = lay("bdcdj", "不动产登记")
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expr, colour in (
            ("仓储", "\"土地用途\" like '%仓储%' or \"土地用途\" like '110%'", "#8cc9df"),
            ("科研", "\"土地用途\" in ('科研用地','0803')", "#b9a0df"),
            ("非产业", "\"土地用途\" in ('城镇住宅用地','0701','商业用地','商务金融用地','0901',"
                       "'公用设施用地','1301')", "#eee3a6"),
            ("工业", "", "#e6a58a")):
        rule = QgsRuleBasedRenderer.Rule(fill(color=colour, outline_color="#5a5a5a", outline_width=0.1),
                                         filterExp=expr, label=label, elseRule=(expr == ""))
        root.appendChild(rule)
    parcels.setRenderer(QgsRuleBasedRenderer(root))
    lay("czkfbj", "城镇开发边界",
        fill(color="0,0,0,0", outline_color="#2e8b57", outline_width=0.7, outline_style="dash"))
    lay("gybzx", "工业保障线", fill(color="0,0,0,0", outline_color="#c0392b", outline_width=0.7))
    lay("roads", "道路", QgsLineSymbol.createSimple({"color": "#b0b0b0", "width": "0.25"}))
    graded = None
    if os.path.exists(os.environ.get("LANDEVAL_GRADED", "")):
        # the demo's grading result in the plugin's own grade style, clusters on top
        graded = QgsVectorLayer(os.environ["LANDEVAL_GRADED"], "分类评价结果", "ogr")
        from landeval_plugin.core.grading.grade import apply_style
        apply_style(graded, "grade")  # legend with counts and 亩, as the grade step loads it
        LAYERS.append(graded)
    for layer in LAYERS:
        QgsProject.instance().addMapLayer(layer)
    if graded is not None:
        QgsProject.instance().layerTreeRoot().findLayer(parcels.id()).setItemVisibilityChecked(False)
    iface.mapCanvas().setExtent(parcels.extent())
    dock = main.findChild(QDockWidget, "LandEvalDock")
    dock.setMinimumWidth(380)
    dock.show()
    dock.raise_()
    # the panel's natural width would take most of a 1400 px window: keep the map the larger part
    QTimer.singleShot(500, lambda: main.resizeDocks([dock], [520], Qt.Orientation.Horizontal))
    tabs = dock.findChild(QTabWidget, "LandEvalTabs")
    page = dock.findChild(QWidget, "LandEvalPage_grading")
    if tabs is not None and page is not None:
        tabs.setCurrentWidget(page)
        if graded is not None and hasattr(page, "layer"):
            page.layer.setLayer(graded)
    browser = main.findChild(QDockWidget, "Browser")
    if browser is not None:
        browser.hide()
    QTimer.singleShot(4000, grab)


def grab():
    image = iface.mainWindow().grab().toImage()
    image = image.convertToFormat(QImage.Format.Format_Indexed8,
                                  Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither)
    image.save(os.environ["LANDEVAL_SHOT"])
    QgsApplication.exit(0)


QTimer.singleShot(1500, setup)
'''


def main(argv):
    gpkg = os.path.join(ROOT, "out", "sample", "sample_district.gpkg")
    if not os.path.exists(gpkg):
        raise SystemExit("screenshot: run `make demo` first ({} missing)".format(gpkg))
    target = os.path.abspath(argv[0]) if argv else os.path.join(ROOT, "docs", "screenshot.png")
    size = argv[1] if len(argv) > 1 else None
    screen = "{}x24".format(size) if size else "1400x1000x24"
    before = os.path.getmtime(target) if os.path.exists(target) else None
    with tempfile.TemporaryDirectory() as tmp:
        ini = os.path.join(tmp, "profiles", "default", "QGIS", "QGIS3.ini")
        os.makedirs(os.path.dirname(ini))
        with open(ini, "w", encoding="utf-8") as fh:
            fh.write("[PythonPlugins]\nlandeval_plugin=true\n\n[qgis]\ncheckVersion=false\nshowTips=false\n\n"
                     "[locale]\nuserLocale=zh-Hans\noverrideFlag=true\n")
        script = os.path.join(tmp, "shot.py")
        with open(script, "w", encoding="utf-8") as fh:
            fh.write(QGIS_CODE)
        env = dict(os.environ, LANDEVAL_GPKG=gpkg, LANDEVAL_SHOT=target, LANDEVAL_SHOT_SIZE=size or "1400x860",
                   LANDEVAL_GRADED=os.path.join(ROOT, "out", "graded.gpkg"),
                   LANDEVAL_STYLES=os.path.join(ROOT, "resources", "styles"),
                   QGIS_PLUGINPATH=os.path.join(ROOT, "build"))
        for key in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH"):
            env.pop(key, None)
        proc = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 " + screen, "qgis", "--nologo",
                                 "--noversioncheck", "--profiles-path", tmp, "--code", script], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # xvfb-run, Xvfb and QGIS together
            proc.wait()
    # QGIS 3.22 may abort while shutting down after the script quits it; the file is what counts
    if not os.path.exists(target) or os.path.getmtime(target) == before:
        raise SystemExit("screenshot: QGIS did not write {}".format(target))
    print("wrote {} ({:,d} bytes)".format(os.path.relpath(target, ROOT), os.path.getsize(target)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
