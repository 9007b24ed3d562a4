"""Demo step 60: 处置方案 of the sample district and its map.

landeval:disposal with the Tonglu 2022 preset (single-parcel paths and 连片整治 by location) on
out/clustered_parcels.gpkg, against the sample's 城镇开发边界 (czkfbj) and 工业保障线 (gybzx).
Writes out/disposal.gpkg, out/disposal_plan.xlsx (the year's plan per town × path, the rule set's source
and assumptions) and renders out/disposal_map.png (paths, cluster outlines and labels).
"""
import json
import os

import demo_lib

RULESET = "tonglu_2022"


def run():
    parcels = demo_lib.out("clustered_parcels.gpkg")
    sample = demo_lib.out("sample", "sample_district.gpkg")
    for path in (parcels, sample):
        if not os.path.exists(path):
            raise SystemExit("demo 60: {} is missing (steps 10 and 50 write it)".format(path))
    target = demo_lib.out("disposal.gpkg")
    if os.path.exists(target):
        os.remove(target)
    res = demo_lib.qgis_process(
        "landeval:disposal", INPUT=parcels, RULESET=RULESET,
        DEVELOPMENT_BOUNDARY="{}|layername=czkfbj".format(sample), INDUSTRIAL_LINE="{}|layername=gybzx".format(sample),
        SHARE=0.5, OUTPUT=target, OUTPUT_PLAN=demo_lib.out("disposal_plan.xlsx"),
        OVERWRITE=True)  # the plan workbook is re-written into out/ on every run
    counts = res.get("COUNTS") or {}
    print("  paths: " + ", ".join("{} {}".format(k or "不提出处置路径", v)
                                  for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    report = json.loads(res.get("REPORT") or "{}")
    print("  rule set: {} ({} assumptions, each marked （假设N） in the reasons resting on it)".format(
        report.get("source", RULESET), len(report.get("assumptions") or [])))
    for warning in report.get("warnings") or []:
        print("  warning: " + warning)
    print("  plan: out/disposal_plan.xlsx")
    png = demo_lib.out("disposal_map.png")
    render(target, demo_lib.out("clusters.gpkg"), sample, png)
    print("  map: {}".format(os.path.relpath(png, demo_lib.ROOT)))


def render(disposal_path, clusters_path, sample_path, png):
    """A4-landscape-ish map: paths by colour, cluster outlines with labels, roads, legend, title."""
    import sys

    if demo_lib.ROOT not in sys.path:
        sys.path.insert(0, demo_lib.ROOT)
    from landeval_plugin.core import aliases, paths, qgis_app

    qgis_app.start(provider=False)
    from qgis.core import (
        QgsLayoutExporter,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsUnitTypes,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QFont

    project = QgsProject()
    layers = []
    for uri, name, style in (
            (disposal_path, "处置路径", "disposal.qml"),
            ("{}|layername=roads".format(sample_path), "道路", None),
            ("{}|layername=gybzx".format(sample_path), "工业保障线", None),
            ("{}|layername=czkfbj".format(sample_path), "城镇开发边界", None),
            (clusters_path, "连片整治区", "clusters.qml")):
        layer = QgsVectorLayer(uri, name, "ogr")
        if not layer.isValid():
            continue
        if style:
            aliases.load_style(layer, paths.resource("styles", style))
        elif name == "道路":
            layer.renderer().symbol().setColor(layer.renderer().symbol().color().fromRgb(170, 170, 170))
        else:
            from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer
            colour = "#e31a1c" if name == "城镇开发边界" else "#1f78b4"
            layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
                {"style": "no", "outline_color": colour, "outline_width": "0.5", "outline_style": "dash"})))
        project.addMapLayer(layer)
        layers.append(layer)
    project.setCrs(layers[0].crs())
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(297, 210, QgsUnitTypes.LayoutMillimeters))
    map_item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(map_item)  # before sizing: an item outside a layout has no extent to fit
    map_item.attemptMove(QgsLayoutPoint(6, 16, QgsUnitTypes.LayoutMillimeters))
    map_item.attemptResize(QgsLayoutSize(215, 188, QgsUnitTypes.LayoutMillimeters))
    map_item.setCrs(layers[0].crs())
    map_item.setLayers(list(reversed(layers)))
    map_item.setExtent(fit(layers[0].extent(), 215.0 / 188.0))
    map_item.setFrameEnabled(True)
    title = QgsLayoutItemLabel(layout)
    title.setText("样例区 处置方案（桐庐 2022 规则）与连片整治区")
    title.setFont(QFont("Noto Sans CJK SC", 16, QFont.Weight.Bold))
    title.attemptMove(QgsLayoutPoint(6, 4, QgsUnitTypes.LayoutMillimeters))
    title.attemptResize(QgsLayoutSize(280, 10, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(title)
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("图例")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.attemptMove(QgsLayoutPoint(225, 16, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(legend)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.applyDefaultSize()
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setNumberOfSegments(2)
    bar.setUnitsPerSegment(0.5)
    bar.setUnitLabel("km")
    bar.attemptMove(QgsLayoutPoint(10, 190, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)
    exporter = QgsLayoutExporter(layout)
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 150
    settings.generateWorldFile = False
    settings.exportMetadata = False
    try:  # georeferencing a PNG makes GDAL print a harmless "no update access" error
        from osgeo import gdal

        gdal.PushErrorHandler("CPLQuietErrorHandler")
    except ImportError:
        gdal = None
    result = exporter.exportToImage(png, settings)
    if gdal is not None:
        gdal.PopErrorHandler()
    if result != QgsLayoutExporter.Success:
        raise SystemExit("demo 60: cannot render {} ({})".format(png, exporter.errorMessage()))


def fit(extent, aspect):
    """``extent`` grown by 3 % and to the item's width/height ratio, centred."""
    from qgis.core import QgsRectangle

    w, h = extent.width() * 1.03, extent.height() * 1.03
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)
