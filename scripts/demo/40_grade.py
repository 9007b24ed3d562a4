"""Demo step 40: grade the sample district with two presets and render the styled grade map.

- beijing_etown_2023 (direct rules D, C, A, B)          -> out/graded_beijing.gpkg
- zhejiang_huangyan_2022 (规上/规下 scores), then tonglu_2022 run on that result: a tags-only
  standard keeps the grade fields and adds low_eff / low_eff_tags (its 综合评价D类 tag reads
  the huangyan class)                                   -> out/graded.gpkg
- out/grade_map.png: graded.gpkg with resources/styles/grade.qml, legend with counts and 亩.
"""
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import demo_lib  # noqa: E402


def run():
    src = demo_lib.out("parcels_data.gpkg")
    if not os.path.exists(src):
        raise SystemExit("demo 40: {} missing (step 30 writes it)".format(src))
    beijing = demo_lib.out("graded_beijing.gpkg")
    graded = demo_lib.out("graded.gpkg")
    for path in (beijing, graded):  # demo output only: a fresh file each run (an existing GeoPackage
        if os.path.exists(path):    # would keep its other layers beside the new one)
            os.remove(path)
    tmp = tempfile.mkdtemp(prefix="landeval-demo40-")
    try:
        r = demo_lib.qgis_process("landeval:grade", INPUT=src, STANDARD="beijing_etown_2023", OUTPUT=beijing)
        print("  beijing_etown_2023:", r.get("SUMMARY"))
        huangyan = os.path.join(tmp, "graded_huangyan.gpkg")
        r = demo_lib.qgis_process("landeval:grade", INPUT=src, STANDARD="zhejiang_huangyan_2022", OUTPUT=huangyan)
        print("  zhejiang_huangyan_2022:", r.get("SUMMARY"))
        r = demo_lib.qgis_process("landeval:grade", INPUT=huangyan, STANDARD="tonglu_2022", YEAR=2022, OUTPUT=graded)
        print("  + tonglu_2022 tags:", r.get("SUMMARY"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    png = demo_lib.out("grade_map.png")
    render_map(graded, png, "产业用地综合绩效评价分类图（黄岩 2022 评分 + 桐庐低效认定）")
    print("  wrote", png)


def render_map(path, png, title, width=1800, height=1300):
    """Grade map with a legend panel (counts and 亩 per class), drawn with QgsMapRendererParallelJob."""
    from landeval_plugin.core import qgis_app
    from landeval_plugin.core.grading import grade as grading

    qgis_app.start(provider=False)
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsVectorLayer
    from qgis.PyQt.QtCore import QRectF, QSize, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter

    layer = QgsVectorLayer(path, "graded", "ogr")
    if not layer.isValid():
        raise SystemExit("demo 40: cannot open " + path)
    counts = grading.layer_counts(layer)
    grading.apply_style(layer, "grade", counts)
    legend_w, title_h = 600, 80
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    extent = layer.extent()
    extent.scale(1.04)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(width - legend_w, height - title_h))
    settings.setBackgroundColor(QColor("#ffffff"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.drawImage(0, title_h, job.renderedImage())
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(34)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(20, 0, width - 40, title_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
    font.setPixelSize(24)
    font.setBold(False)
    p.setFont(font)
    x0, y = width - legend_w + 20, title_h + 30
    p.drawText(x0, y, "类别（宗数，面积）")
    y += 20
    for cat in layer.renderer().categories():
        if not cat.renderState():
            continue
        y += 46
        p.fillRect(QRectF(x0, y - 26, 44, 30), cat.symbol().color())
        p.setPen(QColor("#404040"))
        p.drawRect(QRectF(x0, y - 26, 44, 30))
        p.setPen(QColor("#000000"))
        p.drawText(x0 + 60, y, cat.label())
    low = sum(1 for f in layer.getFeatures() if f["low_eff"] in (True, 1, "true", "1"))
    y += 70
    p.drawText(x0, y, "低效用地（任一标签）：{} 宗".format(low))
    font.setPixelSize(18)
    p.setFont(font)
    p.drawText(x0, height - 30, "标准：zhejiang_huangyan_2022 + tonglu_2022")
    p.end()
    image.save(png)
    return png


if __name__ == "__main__":
    run()
