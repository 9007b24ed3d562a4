#!/usr/bin/env python3
"""Builds dossier_a4.qpt, the default 一地一档 体检表 (A4 portrait, Chinese).

The .qpt is the data file users open and change in the QGIS layout designer; this script
only exists so that the default sheet can be regenerated reproducibly. Run it with the
system python that has PyQGIS:  python3 scripts/build_dossier_template.py [OUT.qpt]
(default: resources/layouts/dossier_a4.qpt). It lives in scripts/, not resources/, so that it
is not shipped in the plugin zip.

The legend's class names and colours come from resources/schema/vocabulary.yaml (as the map's).
Every text reads the atlas feature's fields: the standard fields of resources/schema/fields.yaml
plus the display fields ``d_*`` that landeval_plugin.core.dossiers.sheet_data computes (formatted areas,
grade names, "暂无数据" for missing values). Tables read the prepared layers named
``dossier_enterprises`` and ``dossier_indicators``, filtered on the atlas parcel.
"""
import os
import re
import sys
import uuid

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the same bytes on every run: Qt writes XML attributes in the order of a hash table seeded at
# random unless QT_HASH_SEED is 0 (set before Qt loads), and item uuids are replaced by ones
# derived from their order in the file (save()); test_dossier_template.py fails on any drift
os.environ["QT_HASH_SEED"] = "0"

from qgis.core import (
    QgsApplication,
    QgsFillSymbol,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPage,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsReadWriteContext,
    QgsScaleBarSettings,
    QgsSymbolLayer,
    QgsTableCell,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from landeval_plugin.core import vocabulary  # class names and colours: resources/schema/vocabulary.yaml

FONT = "Noto Sans CJK SC"
LAYOUTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "layouts")
LEFT, WIDTH = 12.0, 186.0
KEY_FILL = "#edf1f7"
SECTION_FILL = "#1f3b63"
LINE = "#3c3c3c"
PAGE_H = 297.0
# the footer: the data sources over the whole width, up to four lines at 6 pt (the longest
# preset combination, two standards and a rule set, takes three); the body ends above it
FOOT_TOP = 280.0
FOOT_H = 13.0


def font(size, bold=False):
    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def set_label_font(label, size, bold=False, color="#000000"):
    if hasattr(label, "setTextFormat"):
        fmt = QgsTextFormat()
        fmt.setFont(font(size, bold))
        fmt.setSize(size)
        fmt.setColor(QColor(color))
        label.setTextFormat(fmt)
    else:
        label.setFont(font(size, bold))
        label.setFontColor(QColor(color))


class Builder:
    def __init__(self):
        self.project = QgsProject.instance()
        self.layout = QgsPrintLayout(self.project)
        self.layout.initializeDefaults()  # one A4 page
        self.layout.setName("一地一档体检表")
        pages = self.layout.pageCollection()
        pages.page(0).setPageSize("A4", QgsLayoutItemPage.Portrait)
        for _ in range(2):
            page = QgsLayoutItemPage(self.layout)
            page.setPageSize("A4", QgsLayoutItemPage.Portrait)
            pages.addPage(page)
        self.page_gap = pages.spaceBetweenPages()

    def y0(self, page):
        return page * (PAGE_H + self.page_gap)

    def label(self, page, x, y, w, h, text, size=8.5, bold=False, align=Qt.AlignmentFlag.AlignLeft,
              valign=Qt.AlignmentFlag.AlignVCenter, frame=True, fill=None, color="#000000", item_id=None, margin=1.2):
        lab = QgsLayoutItemLabel(self.layout)
        lab.setText(text)
        set_label_font(lab, size, bold, color)
        lab.setHAlign(align)
        lab.setVAlign(valign)
        lab.setMarginX(margin)
        lab.setMarginY(0.6)
        lab.setFrameEnabled(frame)
        if frame:
            lab.setFrameStrokeColor(QColor(LINE))
            lab.setFrameStrokeWidth(QgsLayoutMeasurement(0.25, QgsUnitTypes.LayoutMillimeters))
        if fill:
            lab.setBackgroundEnabled(True)
            lab.setBackgroundColor(QColor(fill))
        else:
            lab.setBackgroundEnabled(False)
        self.layout.addLayoutItem(lab)
        lab.attemptMove(QgsLayoutPoint(x, y + self.y0(page)))
        lab.attemptResize(QgsLayoutSize(w, h))
        if item_id:
            lab.setId(item_id)
        return lab

    def key(self, page, x, y, w, h, text, **kw):
        return self.label(page, x, y, w, h, text, fill=KEY_FILL, align=Qt.AlignmentFlag.AlignHCenter, bold=True, size=8,
                          **kw)

    def value(self, page, x, y, w, h, field, **kw):
        return self.label(page, x, y, w, h, '[% "{}" %]'.format(field), **kw)

    def section(self, page, y, text):
        self.label(page, LEFT, y, WIDTH, 6.0, text, size=9.5, bold=True, fill=SECTION_FILL, color="#ffffff",
                   frame=False, margin=2.0)
        return y + 6.0

    def row(self, page, y, cells, h=7.0):
        """cells: list of (kind, width, text/field) with kind 'k' key or 'v' value."""
        x = LEFT
        for kind, w, text in cells:
            if kind == "k":
                self.key(page, x, y, w, h, text)
            else:
                self.value(page, x, y, w, h, text)
            x += w
        assert abs(x - (LEFT + WIDTH)) < 0.01 or x < LEFT + WIDTH, x
        return y + h

    def grid(self, page, y, widths, rows, heights=None, x=LEFT, item_id=None):
        """A manual table: ('k', text) key cells, ('v', field) cells reading the atlas feature.

        One table item instead of a label per cell keeps the atlas refresh cheap.
        """
        table = QgsLayoutItemManualTable.create(self.layout)
        margin = 1.2
        stroke = 0.25
        table.setCellMargin(margin)
        table.setGridStrokeWidth(stroke)
        table.setGridColor(QColor(LINE))
        table.setIncludeTableHeader(False)
        table.setWrapBehavior(QgsLayoutTable.WrapText)
        key_fmt = QgsTextFormat()
        key_fmt.setFont(font(8, True))
        key_fmt.setSize(8)
        val_fmt = QgsTextFormat()
        val_fmt.setFont(font(8.5))
        val_fmt.setSize(8.5)
        if hasattr(table, "setContentTextFormat"):
            table.setContentTextFormat(val_fmt)
        else:
            table.setContentFont(font(8.5))
        contents = []
        for row in rows:
            cells = []
            for kind, text in row:
                if kind == "k":
                    cell = QgsTableCell(text)
                    cell.setBackgroundColor(QColor(KEY_FILL))
                    cell.setTextFormat(key_fmt)
                    cell.setHorizontalAlignment(Qt.AlignmentFlag.AlignHCenter)
                elif kind == "t":
                    cell = QgsTableCell(text)
                    cell.setHorizontalAlignment(Qt.AlignmentFlag.AlignLeft)
                else:
                    cell = QgsTableCell(QgsProperty.fromExpression('"{}"'.format(text)))
                    cell.setHorizontalAlignment(Qt.AlignmentFlag.AlignLeft)
                cell.setVerticalAlignment(Qt.AlignmentFlag.AlignVCenter)
                cells.append(cell)
            contents.append(cells)
        table.setTableContents(contents)
        table.setColumnWidths([w - 2 * margin - stroke for w in widths])
        heights = heights or [7.0] * len(rows)
        table.setRowHeights([h - 2 * margin - stroke for h in heights])
        table.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)
        self.layout.addMultiFrame(table)
        frame = QgsLayoutFrame(self.layout, table)
        frame.attemptMove(QgsLayoutPoint(x, y + self.y0(page)))
        frame.attemptResize(QgsLayoutSize(sum(widths) + stroke, sum(heights) + stroke))
        if item_id:
            frame.setId(item_id)
        table.addFrame(frame)
        table.refresh()
        # QGIS 3.22 reports (and splits on) about twice the drawn height of a manual table with
        # fixed row heights: the frame gets that room (it draws nothing beyond the rows) so no
        # row is dropped, and the next item follows the rows as drawn.
        total = table.totalSize()
        frame.attemptResize(QgsLayoutSize(sum(widths) + stroke, max(total.height(), sum(heights)) + 0.5))
        return y + sum(heights) + stroke

    def shape(self, page, x, y, w, h, item_id, fill="#9e9e9e", radius=2.0, data_defined_fill=None):
        shape = QgsLayoutItemShape(self.layout)
        shape.setShapeType(QgsLayoutItemShape.Rectangle)
        sym = QgsFillSymbol.createSimple({"color": fill, "outline_style": "no"})
        if data_defined_fill:
            sym.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.PropertyFillColor,
                                                      QgsProperty.fromExpression(data_defined_fill))
        shape.setSymbol(sym)
        shape.setCornerRadius(QgsLayoutMeasurement(radius, QgsUnitTypes.LayoutMillimeters))
        self.layout.addLayoutItem(shape)
        shape.attemptMove(QgsLayoutPoint(x, y + self.y0(page)))
        shape.attemptResize(QgsLayoutSize(w, h))
        shape.setId(item_id)
        return shape

    def table(self, page, x, y, w, h, item_id, layer_name, columns, empty="暂无数据", hide_page=False,
              extra_frames=()):
        table = QgsLayoutItemAttributeTable.create(self.layout)
        table.setId(item_id) if hasattr(table, "setId") else None
        table.setEmptyTableBehavior(QgsLayoutTable.ShowMessage)
        table.setEmptyTableMessage(empty)
        table.setHeaderHAlignment(QgsLayoutTable.FollowColumn)
        hf = QgsTextFormat()
        hf.setFont(font(8, True))
        hf.setSize(8)
        cf = QgsTextFormat()
        cf.setFont(font(8))
        cf.setSize(8)
        if hasattr(table, "setHeaderTextFormat"):
            table.setHeaderTextFormat(hf)
            table.setContentTextFormat(cf)
        else:
            table.setHeaderFont(font(8, True))
            table.setContentFont(font(8))
        table.setGridStrokeWidth(0.25)
        table.setGridColor(QColor(LINE))
        table.setCellMargin(1.0)
        table.setWrapBehavior(QgsLayoutTable.WrapText)
        table.setMaximumNumberOfFeatures(1000)
        table.setFilterFeatures(True)
        table.setFeatureFilter("\"parcel_code\" = attribute(@atlas_feature, 'parcel_code')")
        # the layer is attached at print time (prepared by core/dossiers/sheet_data.py); columns stay as designed
        cols = []
        for heading, expr, width, halign in columns:
            col = QgsLayoutTableColumn()
            col.setHeading(heading)
            col.setAttribute(expr)
            col.setWidth(width)
            col.setHAlignment(halign)
            cols.append(col)
        table.setColumns(cols)
        table.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)
        self.layout.addMultiFrame(table)
        frame = QgsLayoutFrame(self.layout, table)
        frame.attemptMove(QgsLayoutPoint(x, y + self.y0(page)))
        frame.attemptResize(QgsLayoutSize(w, h))
        frame.setId(item_id + "_frame1")
        table.addFrame(frame)
        for i, (fpage, fx, fy, fw, fh) in enumerate(extra_frames):
            extra = QgsLayoutFrame(self.layout, table)
            extra.attemptMove(QgsLayoutPoint(fx, fy + self.y0(fpage)))
            extra.attemptResize(QgsLayoutSize(fw, fh))
            extra.setHidePageIfEmpty(True)
            extra.setId("{}_frame{}".format(item_id, i + 2))
            table.addFrame(extra)
        return table

    def footer(self, page, total_text):
        # the sources take the whole width under the body, top-aligned, wrapped (a label wraps at
        # its width); the parcel code and page number go to the page's top right corner
        self.label(page, LEFT, FOOT_TOP + 0.5, WIDTH, FOOT_H - 0.5, '数据来源：[% "d_sources" %]', size=6,
                   frame=False, color="#555555", valign=Qt.AlignmentFlag.AlignTop,
                   item_id="sources_{}".format(page + 1))
        self.label(page, LEFT + WIDTH * 0.6, 4, WIDTH * 0.4, 4.5,
                   '宗地代码 [% "d_code" %]　' + total_text, size=6.5, frame=False, color="#555555",
                   align=Qt.AlignmentFlag.AlignRight, item_id="page_code_{}".format(page + 1))

    def build(self):
        lay = self.layout
        # ------------------------------------------------------------------ page 1
        self.label(0, LEFT, 9, WIDTH, 11, '[% "d_year" %]年度产业用地综合绩效评估体检表', size=17, bold=True,
                   align=Qt.AlignmentFlag.AlignHCenter, frame=False, item_id="title")
        self.label(0, LEFT, 20, WIDTH, 5, '评价标准：[% "d_standard" %]　　打印日期：[% "d_print_date" %]',
                   size=7.5, frame=False, align=Qt.AlignmentFlag.AlignHCenter, color="#444444", item_id="subtitle")
        y = self.section(0, 27, "一、宗地基本信息")
        badge_w = 34.0
        inner = WIDTH - badge_w
        y_top = y
        y = self.grid(0, y, [22, 58, 20, inner - 100],
                      [[("k", "宗地代码"), ("v", "d_code"), ("k", "所属镇街"), ("v", "d_town")]],
                      item_id="grid_header")
        y = self.grid(0, y, [22, inner - 22],
                      [[("k", "权 利 人"), ("v", "d_owner")], [("k", "坐　　落"), ("v", "d_address")]],
                      item_id="grid_owner")
        # grade badge: coloured by the parcel's class (data-defined fill)
        bx = LEFT + inner
        self.shape(0, bx, y_top, badge_w, y - y_top, "grade_badge_frame", fill="#ffffff", radius=0.0)
        self.shape(0, bx + 2, y_top + 1.6, badge_w - 4, y - y_top - 3.2, "grade_badge",
                   data_defined_fill='"d_grade_color"')
        self.label(0, bx + 2, y_top + 1.6, badge_w - 4, 11, '[% "d_grade" %]', size=20, bold=True, frame=False,
                   align=Qt.AlignmentFlag.AlignHCenter, color="#ffffff", item_id="grade_letter")
        self.label(0, bx + 2, y_top + 11.5, badge_w - 4, 7, '[% "d_grade_name" %]', size=9, bold=True, frame=False,
                   align=Qt.AlignmentFlag.AlignHCenter, color="#ffffff", item_id="grade_name")
        y = self.grid(0, y, [22, WIDTH - 22], [[("k", "用地面积"), ("v", "d_area")]], item_id="grid_area")
        y = self.grid(0, y, [22, 71, 22, 71], [
            [("k", "用地类别"), ("v", "d_land_use"), ("k", "供地日期"), ("v", "d_supply_date")],
            [("k", "开发边界"), ("v", "d_devbound"), ("k", "工业保障线"), ("v", "d_indline")],
            [("k", "数据来源"), ("v", "d_source"), ("k", "连片编号"), ("v", "d_cluster")]], item_id="grid_parcel")

        y = self.section(0, y + 2.5, "二、区位图")
        map_h = 92.0
        main_w = 128.0
        main = QgsLayoutItemMap(lay)
        main.setId("location_map")
        main.setFrameEnabled(True)
        main.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
        main.attemptMove(QgsLayoutPoint(LEFT, y + 1.5))
        main.attemptResize(QgsLayoutSize(main_w, map_h))
        from qgis.core import QgsRectangle

        main.setExtent(QgsRectangle(0, 0, main_w * 10, map_h * 10))  # the item's ratio: the atlas keeps it
        main.setAtlasDriven(True)
        main.setAtlasScalingMode(QgsLayoutItemMap.Auto)
        main.setAtlasMargin(2.0)
        main.setKeepLayerSet(True)
        main.setBackgroundColor(QColor("#fbfbf8"))
        lay.addLayoutItem(main)

        ov_w = WIDTH - main_w - 3
        over = QgsLayoutItemMap(lay)
        over.setId("overview_map")
        over.setFrameEnabled(True)
        over.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
        over.attemptMove(QgsLayoutPoint(LEFT + main_w + 3, y + 1.5))
        over.attemptResize(QgsLayoutSize(ov_w, 50))
        over.setKeepLayerSet(True)
        over.setExtent(QgsRectangle(0, 0, ov_w * 10, 500))
        over.setBackgroundColor(QColor("#ffffff"))
        lay.addLayoutItem(over)
        ov = QgsLayoutItemMapOverview("位置", over)
        ov.setLinkedMap(main)
        ov.setFrameSymbol(QgsFillSymbol.createSimple({"color": "255,0,0,60", "outline_color": "#e00000",
                                                      "outline_width": "0.5"}))
        over.overviews().addOverview(ov)
        self.label(0, LEFT + main_w + 3, y + 1.5, ov_w, 4.5, "全区位置示意", size=6.5, frame=False, color="#333333",
                   fill="#f2f2f2")

        # legend: static swatches in the grade colours (keeps the sheet independent of layer names)
        ly = y + 54
        self.label(0, LEFT + main_w + 3, ly, ov_w, 5, "图　例", size=8, bold=True, frame=False)
        legend = QgsLayoutItemManualTable.create(lay)
        legend.setIncludeTableHeader(False)
        legend.setShowGrid(False)
        legend.setCellMargin(0.8)
        lf = QgsTextFormat()
        lf.setFont(font(7))
        lf.setSize(7)
        legend.setContentTextFormat(lf) if hasattr(legend, "setContentTextFormat") else legend.setContentFont(font(7))
        rows = []
        classes = [(vocabulary.grade_label(code), colour) for code, colour in vocabulary.grade_colours().items()]
        for text, colour in classes + [("本宗地（黄框）", "#ffd400"), ("连片整治区（紫色虚线）", "#e4d4f4")]:
            swatch = QgsTableCell("")
            swatch.setBackgroundColor(QColor(colour))
            rows.append([swatch, QgsTableCell(text)])
        legend.setTableContents(rows)
        legend.setColumnWidths([5.5, ov_w - 10])
        legend.setRowHeights([3.0] * len(rows))
        legend.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)
        lay.addMultiFrame(legend)
        lframe = QgsLayoutFrame(lay, legend)
        lframe.attemptMove(QgsLayoutPoint(LEFT + main_w + 4, ly + 5.5))
        lframe.attemptResize(QgsLayoutSize(ov_w - 1, 7 * 4.6 + 1))
        lframe.setId("legend")
        legend.addFrame(lframe)

        bar = QgsLayoutItemScaleBar(lay)
        bar.setId("scale_bar")
        bar.setStyle("Single Box")
        bar.setLinkedMap(main)
        bar.setUnits(QgsUnitTypes.DistanceMeters)
        bar.setUnitLabel("米")
        bar.setNumberOfSegments(2)
        bar.setNumberOfSegmentsLeft(0)
        bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
        bar.setMinimumBarWidth(18)
        bar.setMaximumBarWidth(36)
        bar.setHeight(1.6)
        fmt = QgsTextFormat()
        fmt.setFont(font(6.5))
        fmt.setSize(6.5)
        bar.setTextFormat(fmt)
        bar.setBackgroundEnabled(True)
        bar.setBackgroundColor(QColor(255, 255, 255, 210))
        lay.addLayoutItem(bar)
        bar.attemptMove(QgsLayoutPoint(LEFT + 2, y + 1.5 + map_h - 13))
        bar.update()

        # north arrow drawn as two polygons (a picture item would re-read its SVG for every sheet)
        from qgis.core import QgsLayoutItemPolygon
        from qgis.PyQt.QtCore import QPointF
        from qgis.PyQt.QtGui import QPolygonF

        ax, ay = LEFT + main_w - 9.0, y + 9.0  # arrow tip
        halves = ((ax - 3.2, "#1a1a1a"), (ax + 3.2, "#ffffff"))
        for n, (side, colour) in enumerate(halves):
            poly = QgsLayoutItemPolygon(
                QPolygonF([QPointF(ax, ay), QPointF(side, ay + 10.5), QPointF(ax, ay + 8.0)]), lay)
            poly.setSymbol(QgsFillSymbol.createSimple({"color": colour, "outline_color": "#1a1a1a",
                                                       "outline_width": "0.25"}))
            poly.setId("north_arrow" if n == 0 else "north_arrow_2")
            lay.addLayoutItem(poly)
        self.label(0, ax - 4, ay - 5.2, 8, 5, "北", size=8, bold=True, frame=False, align=Qt.AlignmentFlag.AlignHCenter,
                   item_id="north_label")

        y = y + 1.5 + map_h + 2.5
        y = self.section(0, y, '三、用地企业（[% "d_year" %]年度）')
        ent_cols = [
            ("序号", "\"seq\"", 8, Qt.AlignmentFlag.AlignHCenter),
            ("企业名称", "\"enterprise_name\"", 56, Qt.AlignmentFlag.AlignLeft),
            ("统一社会信用代码", "\"credit_code\"", 36, Qt.AlignmentFlag.AlignHCenter),
            ("税收(万元)", "\"d_tax\"", 18, Qt.AlignmentFlag.AlignRight),
            ("工业总产值(万元)", "\"d_output\"", 22, Qt.AlignmentFlag.AlignRight),
            ("从业人数", "\"d_employees\"", 14, Qt.AlignmentFlag.AlignRight),
            ("用地份额", "\"d_share\"", 16, Qt.AlignmentFlag.AlignRight),
        ]
        self.table(0, LEFT, y + 1, WIDTH, FOOT_TOP - (y + 1), "enterprises_table", "dossier_enterprises", ent_cols,
                   extra_frames=[(2, LEFT, 30, WIDTH, 250)])  # continuation pages are added as needed
        self.footer(0, "第 1 页")

        # ------------------------------------------------------------------ page 2
        y = self.section(1, 12, '四、评价指标（[% "d_year" %]年度及前两年）')
        ind_cols = [
            ("评价指标", "\"name\"", 44, Qt.AlignmentFlag.AlignLeft),
            ("[% \"d_year\" %]年", "\"v0\"", 18, Qt.AlignmentFlag.AlignRight),
            ("[% \"d_year\" - 1 %]年", "\"v1\"", 18, Qt.AlignmentFlag.AlignRight),
            ("[% \"d_year\" - 2 %]年", "\"v2\"", 18, Qt.AlignmentFlag.AlignRight),
            ("基准值", "\"benchmark\"", 18, Qt.AlignmentFlag.AlignRight),
            ("权重", "\"weight\"", 12, Qt.AlignmentFlag.AlignRight),
            ("得分", "\"score\"", 16, Qt.AlignmentFlag.AlignRight),
            ("备注", "\"note\"", 24, Qt.AlignmentFlag.AlignLeft),
        ]
        ind = self.table(1, LEFT, y + 1, WIDTH, 58, "indicators_table", "dossier_indicators", ind_cols)
        ind.setShowEmptyRows(True)  # a ruled form, whatever the number of indicators
        y = y + 1 + 58 + 2.5
        y = self.section(1, y, "五、评价结果")
        y = self.grid(1, y, [22, 28, 22, 22, 22, 70],
                      [[("k", "综合得分"), ("v", "d_score"), ("k", "排　　名"), ("v", "d_rank"),
                                                        ("k", "评价类别"), ("v", "d_class")]], item_id="grid_result")
        y = self.grid(1, y, [22, WIDTH - 22],
                      [[("k", "评价依据"), ("v", "d_reasons")], [("k", "否决事项"), ("v", "d_veto")],
                                                [("k", "低效类型"), ("v", "d_tags")]], heights=[14, 9, 9],
                                                item_id="grid_reasons")
        y = self.section(1, y + 2.5, "六、处置路径")
        y = self.grid(1, y, [22, 71, 22, 71],
                      [[("k", "建议路径"), ("v", "d_disposal"), ("k", "研判路径"), ("v", "d_disposal_final")]],
                      item_id="grid_disposal")
        y = self.grid(1, y, [22, WIDTH - 22], [[("k", "处置依据"), ("v", "d_disposal_reason")]], heights=[18],
                      item_id="grid_disposal_reason")
        y = self.section(1, y + 2.5, "七、研判意见")
        y = self.grid(1, y, [22, 71, 22, 71],
                      [[("k", "研判类别"), ("v", "d_grade_final"), ("k", "研判人/时间"), ("v", "d_review_by")]],
                      item_id="grid_review")
        y = self.grid(1, y, [22, WIDTH - 22], [[("k", "研判理由"), ("v", "d_review")]], heights=[14],
                      item_id="grid_review_reason")
        # 复评: the parcel's classes, paths and register status across the store's years
        y = self.section(1, y + 2.5, "八、历年评价（复评）")
        y = self.grid(1, y, [22, WIDTH - 22], [[("k", "历年评价"), ("v", "d_history")]], heights=[16],
                      item_id="grid_history")
        y = self.section(1, y + 2.5, "九、审核签署")
        box_h = FOOT_TOP - y - 1
        body = "\n\n\n\n（盖章）\n\n{}：　　　　　　\n\n　　　　年　　月　　日"
        self.grid(1, y, [WIDTH / 3.0] * 3, [[("k", "填报单位"), ("k", "核查单位"), ("k", "审核意见")],
                                            [("t", body.format("经办人")), ("t", body.format("经办人")),
                                             ("t", body.format("负责人"))]], heights=[7, box_h - 7],
                                             item_id="grid_signoff")
        self.footer(1, "第 2 页")

        # ------------------------------------------------------------------ page 3 (only when needed)
        self.label(2, LEFT, 12, WIDTH, 9, '附表　用地企业名单（续）', size=13, bold=True,
                   align=Qt.AlignmentFlag.AlignHCenter, frame=False)
        self.label(2, LEFT, 21, WIDTH, 6, '宗地代码：[% "d_code" %]　　权利人：[% "d_owner" %]', size=8, frame=False,
                   align=Qt.AlignmentFlag.AlignHCenter, color="#333333")
        self.footer(2, "附表")
        return lay

    def save(self, path):
        if not self.layout.saveAsTemplate(path, QgsReadWriteContext()):
            raise SystemExit("cannot write " + path)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        names = {}

        def stable(m):  # the n-th distinct uuid of the file becomes the same uuid on every run
            if m.group(0) not in names:
                names[m.group(0)] = "{{{}}}".format(uuid.uuid5(uuid.NAMESPACE_URL,
                                                               "landeval/dossier_a4/{}".format(len(names))))
            return names[m.group(0)]

        text = re.sub(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}", stable, text)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def main():
    app = QgsApplication([], False)
    app.initQgis()
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(LAYOUTS, "dossier_a4.qpt")
    b = Builder()
    b.build()
    b.save(out)
    print("wrote", out)


if __name__ == "__main__":
    main()
