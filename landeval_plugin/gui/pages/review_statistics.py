"""The 统计 tab of the 研判 page: counts, 亩, tax and output by class × town (or tag, path, cluster,
year) as a table and a stacked bar chart drawn in the panel, with a town / class filter that can
filter the map too, and export to Excel and PNG; the published lists (A-class, 重点服务,
low-efficiency: core/meeting/lists.py) of the filtered town as Excel and PDF. The numbers come from
core/meeting/statistics.py (the same as ``landeval:statistics``).

The map filter never touches the planner's layer: the filtered parcels are copied into a memory
layer with the layer's style, shown above it while the original is hidden; clearing the filter
(or leaving the page) removes the copy and shows the original again.
"""
import os

from qgis.core import QgsExpression, QgsFeatureRequest, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import files
from ...core.grading.standard import GRADE_NAMES, GRADES
from ...core.meeting import lists as ml
from ...core.meeting import statistics as st
from ...core.meeting import walkthrough as w
from ...core.meeting import year_filter as yf
from ...i18n import tr
from ..layer_defaults import TEMPORARY

SETTINGS = "landeval/review/statistics/"
CHART_WIDTH, CHART_HEIGHT = 1200, 700  # drawn at this size, shown scaled to the panel's width


def _num(value, kind):
    if value is None:
        return "—"
    return "{:,d}".format(int(value)) if kind == "int" else "{:,.2f}".format(value)


class StatisticsTab(QWidget):
    def __init__(self, page, parent=None):
        super().__init__(parent)
        self.page = page
        self.iface = page.iface
        self.tab = None
        self.table_data = None
        self.map_copy = None
        self._hidden_original = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.row_combo = QComboBox(self)
        self.col_combo = QComboBox(self)
        self.col_combo.addItem(tr("(none)"), None)
        for dim in st.DIMENSIONS:
            self.row_combo.addItem(st.dimension_label(dim), dim)
            self.col_combo.addItem(st.dimension_label(dim), dim)
        self.row_combo.setCurrentIndex(self.row_combo.findData("town"))
        self.col_combo.setCurrentIndex(self.col_combo.findData("class"))
        dims = QHBoxLayout()
        dims.addWidget(self.row_combo, 1)
        dims.addWidget(QLabel("×", self))
        dims.addWidget(self.col_combo, 1)
        form.addRow(tr("Rows × columns"), dims)
        self.measure_combo = QComboBox(self)
        for m in st.MEASURES:
            self.measure_combo.addItem(st.measure_header(m), m)
        self.measure_combo.setCurrentIndex(self.measure_combo.findData("mu"))
        form.addRow(tr("Chart"), self.measure_combo)
        filters = QHBoxLayout()
        self.town_filter = QComboBox(self)
        self.class_filter = QComboBox(self)
        self.class_filter.addItem(tr("all classes"), "")
        for g in GRADES:
            self.class_filter.addItem("{} {}".format(g, GRADE_NAMES.get(g, "")), g)
        filters.addWidget(self.town_filter, 1)
        filters.addWidget(self.class_filter, 1)
        form.addRow(tr("Filter"), filters)
        self.map_check = QCheckBox(tr("Filter the map too (a filtered copy; your layer is not changed)"), self)
        form.addRow("", self.map_check)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(tr("Count"), self)
        self.excel_button = QPushButton(tr("Excel…"), self)
        self.png_button = QPushButton(tr("PNG…"), self)
        self.lists_button = QPushButton(tr("Lists…"), self)
        self.lists_button.setObjectName("statisticsLists")
        self.lists_button.setToolTip(tr("The A-class list, the key service enterprise list or the low-efficiency "
                                        "list of the town chosen in the filter, as Excel and PDF tables"))
        for b in (self.refresh_button, self.excel_button, self.png_button, self.lists_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("statisticsStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("statisticsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(180)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        self.chart = QLabel(self)
        self.chart.setObjectName("statisticsChart")
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart.setMinimumHeight(200)
        layout.addWidget(self.chart, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.excel_button.clicked.connect(self.export_excel_dialog)
        self.png_button.clicked.connect(self.export_png_dialog)
        self.lists_button.clicked.connect(self.export_list_dialog)
        self.map_check.toggled.connect(lambda on: self.refresh())
        self.measure_combo.currentIndexChanged.connect(lambda *_: self.draw_chart())
        self.fill_towns()

    # ---- inputs ------------------------------------------------------------------------------------
    def layer(self):
        layer = self.page.layer_combo.currentLayer()
        return layer if isinstance(layer, QgsVectorLayer) else None

    def fill_towns(self):
        current = self.town_filter.currentData()
        self.town_filter.clear()
        self.town_filter.addItem(tr("all towns"), "")
        layer = self.layer()
        for town in (w.distinct(layer, "town") if layer is not None else []):
            self.town_filter.addItem(town, town)
        self.town_filter.setCurrentIndex(max(0, self.town_filter.findData(current)))

    def expression(self, layer, with_class=True):
        """The filter as a QGIS expression ('' for none): town and (``with_class``) the
        decided-or-computed class."""
        parts = []
        town = self.town_filter.currentData()
        if town:
            col = w.lookup(layer).get("town")
            if col is None:
                raise st.StatisticsError(tr("Layer “{}” has no town field (town / 所属镇街).").format(
                    layer.name()))
            parts.append("{} = {}".format(QgsExpression.quotedColumnRef(col), QgsExpression.quotedValue(town)))
        grade = self.class_filter.currentData() if with_class else None
        if grade:
            final = '"grade_final", ' if "grade_final" in layer.fields().names() else ""
            parts.append("upper(left(coalesce({}\"grade\", ''), 1)) = {}".format(final,
                                                                                QgsExpression.quotedValue(grade)))
        return " and ".join(parts)

    @staticmethod
    def with_year(expr, year):
        """``expr`` and only ``year``'s rows (a store layer of several years; None: ``expr`` as it is)."""
        if year is None:
            return expr
        return " and ".join(x for x in (expr, w.year_expression(year)) if x)

    def filter_words(self):
        """The filter as the planner chose it ('旧县街道 · D 整治退出'), '' for none."""
        parts = [combo.currentText() for combo in (self.town_filter, self.class_filter) if combo.currentData()]
        return " · ".join(parts)

    # ---- counting ----------------------------------------------------------------------------------
    def refresh(self):
        """Count the layer (with the filter), fill the table and the chart, filter the map when asked."""
        layer = self.layer()
        try:
            if layer is None:
                raise st.StatisticsError(tr("Choose the graded parcel layer for the meeting."))
            w.require_grades(layer)
            expr = self.expression(layer)
            col = self.col_combo.currentData()
            row = self.row_combo.currentData()
            year = self.page.chosen_year()
            # a layer showing one year alone (year_filter.py): that year's rows on the layer (with the
            # meeting's unsaved decisions), the table by year and another year without the filter
            source = yf.all_years(layer) if "year" in (row, col) else yf.rows_of(layer, year)
            parcels = st.read_parcels(source, expression=expr or None, year=year)
            self.tab = st.crosstab(parcels, row, col if col != row else None)
        except (st.StatisticsError, w.MeetingError) as exc:
            self.tab = None
            self.table.setRowCount(0)
            self.chart.clear()
            self.status.setText(str(exc))
            self.clear_map_filter()
            return None
        self.table_data = self.tab.table(("count", "mu"))
        self.fill_table(self.table_data)
        self.draw_chart()
        total = self.tab.cell(None)
        words = self.filter_words()
        if parcels.store_years and row != "year":  # a store layer of several years: the tables count one
            words = " · ".join(x for x in (tr("year {}").format(parcels.year), words) if x)
        elif yf.shown_year(source) is not None:  # the layer shows that year alone
            words = " · ".join(x for x in (tr("year {}").format(yf.shown_year(source)), words) if x)
        self.status.setText(tr("{} parcels, {:,.1f} mu{}.").format(
            total.count, total.mu, (" · " + tr("filter: {}").format(words)) if words else ""))
        if self.map_check.isChecked():
            self.filter_map(layer, self.with_year(expr, parcels.year), words)
        else:
            self.clear_map_filter()
        return self.tab

    def fill_table(self, table):
        self.table.clear()
        rows = table.rows + ([table.totals] if table.totals else [])
        self.table.setColumnCount(len(table.columns))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([
            "{}\n{}".format(c.group, c.label) if c.group else c.label for c in table.columns])
        for r, row in enumerate(rows):
            for c, (col, value) in enumerate(zip(table.columns, row)):
                text = str(value) if col.kind in ("text", "longtext") else _num(value, col.kind)
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, value)
                if col.kind not in ("text", "longtext"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if table.totals and r == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)

    def draw_chart(self):
        if self.tab is None:
            return None
        image = st.render_chart(self.tab, self.measure_combo.currentData(), CHART_WIDTH, CHART_HEIGHT,
                                title=self.tab.title())
        width = max(300, self.width() - 24)
        self.chart.setPixmap(QPixmap.fromImage(image).scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation))
        return image

    # ---- the map filter: a copy, never the planner's layer ----------------------------------------
    def filter_map(self, layer, expr, words=""):
        self.clear_map_filter()
        if not expr:
            return None
        request = QgsFeatureRequest().setFilterExpression(expr)
        copy = layer.materialize(request)
        copy.setName(tr("{} · filtered: {}").format(layer.name(), words or expr))
        copy.setCustomProperty(TEMPORARY, True)  # not a result: 从这里开始 and the pickers leave it out
        if layer.renderer() is not None:
            copy.setRenderer(layer.renderer().clone())
        project = QgsProject.instance()
        project.addMapLayer(copy, False)
        root = project.layerTreeRoot()
        root.insertLayer(0, copy)
        node = root.findLayer(layer.id())
        if node is not None and node.itemVisibilityChecked():
            node.setItemVisibilityChecked(False)
            self._hidden_original = layer.id()
        self.map_copy = copy.id()
        return copy

    def clear_map_filter(self):
        project = QgsProject.instance()
        if self.map_copy is not None and project.mapLayer(self.map_copy) is not None:
            project.removeMapLayer(self.map_copy)
        self.map_copy = None
        if self._hidden_original is not None:
            node = project.layerTreeRoot().findLayer(self._hidden_original)
            if node is not None:
                node.setItemVisibilityChecked(True)
            self._hidden_original = None

    # ---- export ------------------------------------------------------------------------------------
    def _save_path(self, caption, suffix, filters):
        folder = QgsSettings().value(SETTINGS + "folder", os.path.expanduser("~"))
        path, _ = QFileDialog.getSaveFileName(self, caption, os.path.join(folder, tr("statistics") + suffix), filters)
        if path:
            QgsSettings().setValue(SETTINGS + "folder", os.path.dirname(path))
        return path

    def export_excel_dialog(self):
        path = self._save_path(tr("Save the statistics"), ".xlsx", tr("Excel workbook (*.xlsx)"))
        return self.export_excel(path) if path else None

    def export_png_dialog(self):
        path = self._save_path(tr("Save the chart"), ".png", tr("PNG image (*.png)"))
        return self.export_png(path) if path else None

    def export_excel(self, path):
        if self.tab is None and self.refresh() is None:
            return None
        title = self.page.title_edit.text().strip() or None
        try:
            st.write_workbook(path, [self.tab.table()], title=title)
        except (st.StatisticsError, files.OutputError, OSError) as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(tr("Statistics written to {}").format(path))
        return path

    def export_png(self, path):
        if self.tab is None and self.refresh() is None:
            return None
        try:
            st.save_chart(path, self.tab, self.measure_combo.currentData(), title=self.tab.title())
        except (st.StatisticsError, files.OutputError, OSError) as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(tr("Chart written to {}").format(path))
        return path

    def export_list_dialog(self):
        names = [ml.list_title(k, None) for k in ml.KINDS]
        name, ok = QInputDialog.getItem(self, tr("Published list"), tr("List"), names, 0, False)
        if not ok:
            return None
        kind = ml.KINDS[names.index(name)]
        path = self._save_path(tr("Save the list"), ".xlsx", tr("Excel workbook (*.xlsx)"))
        return self.export_list(kind, path) if path else None

    def export_list(self, kind, path):
        """Write list ``kind`` (lists.KINDS) of the parcels of the town in the filter (the class
        filter does not apply: each list picks its classes) to ``path`` (.xlsx) and the PDF beside
        it. Returns (xlsx, pdf) or None (the reason in the status line)."""
        layer = self.layer()
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        pdf = os.path.splitext(path)[0] + ".pdf"
        try:
            if layer is None:
                raise ml.ListError(tr("Choose the graded parcel layer for the meeting."))
            expr = self.with_year(self.expression(layer, with_class=False), self.page.chosen_year())
            plist = ml.build_list(layer, kind, expr or None)
            if not plist.rows:
                raise ml.ListError(tr("No parcel of layer “{}” is on the {}{}.").format(
                    layer.name(), ml.list_title(kind, None), (" · " + self.town_filter.currentText())
                    if self.town_filter.currentData() else ""))
            title = self.page.title_edit.text().strip() or None
            ml.write_list_workbook(path, plist, title=title)
            ml.write_list_pdf(pdf, plist, title=title)
        except (ml.ListError, st.StatisticsError, files.OutputError, OSError) as exc:
            self.status.setText(str(exc))
            return None
        self.status.setText(tr("{}: {} parcels, {:,.1f} mu, written to {} and {}").format(
            ml.list_title(kind, None), len(plist.rows), plist.total_mu, path, pdf))
        return path, pdf

    def unload(self):
        try:
            self.clear_map_filter()
        except RuntimeError:
            pass
