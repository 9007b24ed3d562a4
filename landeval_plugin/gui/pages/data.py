"""The data / 数据 page: choose parcels, workbook, sheet, year and link table; check and fix the
detected column mapping (saved in the project); join in the background; export 一地一表."""
import datetime
import json
import os

from qgis.core import QgsMapLayerProxyModel, QgsProject, QgsSettings, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QDate, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import schema, workspace
from ...core.enterprise.enterprise_table import preview
from ...core.enterprise.header import IGNORE_KEY, mapping_to_text
from ...core.formats.xlsx_reader import TableError
from ...i18n import tr
from ...tasks.algorithm_task import AlgorithmTask
from ..layer_defaults import follow
from ..output_location import OutputLocation, breakable
from ..overwrite import confirm_overwrite

SETTINGS = "landeval/data/"
PROJECT_SCOPE = "landeval"
PROJECT_KEY = "data/mappings"
RESULT_KINDS = ["parcels_data", "enterprises"]  # table name prefixes in the output GeoPackage
FIELD_CHOICES = ["parcel_code", "credit_code", "enterprise_name", "year", "scale"]


def saved_mappings(project=None):
    """{workbook file name: mapping text} stored in the project."""
    project = project or QgsProject.instance()
    text, ok = project.readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
    try:
        return json.loads(text) if ok and text else {}
    except ValueError:
        return {}


def save_mapping(workbook, text, project=None):
    project = project or QgsProject.instance()
    data = saved_mappings(project)
    key = os.path.basename(workbook)
    if text:
        data[key] = text
    else:
        data.pop(key, None)
    project.writeEntry(PROJECT_SCOPE, PROJECT_KEY, json.dumps(data, ensure_ascii=False))


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        from ...core.enterprise.header import value_fields

        self.iface = iface
        self.task = None
        self.feedback = None
        self.context = None
        self.last_results = {}
        self.columns = []
        self.detected = {}
        self.choices = FIELD_CHOICES + list(value_fields())
        settings = QgsSettings()
        layout = QVBoxLayout(self)

        form = QFormLayout()
        self.layer = QgsMapLayerComboBox(self)
        self.layer.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Parcel layer"), self.layer)
        self.code_field = QgsFieldComboBox(self)
        self.code_field.setAllowEmptyFieldName(True)
        form.addRow(tr("Parcel code field"), self.code_field)
        self.workbook = QgsFileWidget(self)
        self.workbook.setFilter(tr("Workbooks (*.xlsx *.xlsm *.csv *.xls)"))
        self.workbook.setFilePath(settings.value(SETTINGS + "workbook", ""))
        form.addRow(tr("Enterprise workbook"), self.workbook)
        self.sheet = QComboBox(self)
        form.addRow(tr("Sheet"), self.sheet)
        self.year = QSpinBox(self)
        self.year.setRange(1990, 2100)
        self.year.setValue(int(settings.value(SETTINGS + "year", QDate.currentDate().year() - 1)))
        form.addRow(tr("Evaluation year"), self.year)
        self.link = QgsFileWidget(self)
        self.link.setFilter(tr("Workbooks (*.xlsx *.xlsm *.csv *.xls)"))
        self.link.setFilePath(settings.value(SETTINGS + "link", ""))
        form.addRow(tr("Link table (optional)"), self.link)
        self.report = QgsFileWidget(self)
        self.report.setStorageMode(QgsFileWidget.SaveFile)
        self.report.setFilter(tr("Excel workbook (*.xlsx)"))
        form.addRow(tr("Report"), self.report)
        self.output = OutputLocation("data", self)
        form.addRow(tr("Output GeoPackage"), self.output)
        layout.addLayout(form)

        box = QGroupBox(tr("Columns (check the detected mapping; changes are saved in the project)"), self)
        box_layout = QVBoxLayout(box)
        self.table = QTableWidget(0, 4, box)
        self.table.setHorizontalHeaderLabels([tr("Column"), tr("Header"), tr("Read as"), tr("Year / unit")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        box_layout.addWidget(self.table)
        self.header_label = QLabel(box)
        self.header_label.setWordWrap(True)
        box_layout.addWidget(self.header_label)
        buttons = QHBoxLayout()
        self.detect_button = QPushButton(tr("Detect again"), box)
        self.reset_button = QPushButton(tr("Forget my changes"), box)
        buttons.addWidget(self.detect_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        layout.addWidget(box, 1)

        run_row = QHBoxLayout()
        self.run_button = QPushButton(tr("Join to parcels"), self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.forms_button = QPushButton(tr("Export 一地一表 forms…"), self)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addStretch(1)
        run_row.addWidget(self.forms_button)
        layout.addLayout(run_row)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        layout.addWidget(self.progress)
        self.summary = QLabel(tr("Choose a parcel layer and an enterprise workbook."), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.open_report = QPushButton(tr("Open the report"), self)
        self.open_report.setEnabled(False)
        layout.addWidget(self.open_report)

        # the base map (never its QA layer), and the next one a run produces
        self._follower = follow(self.layer, "data", lambda: getattr(self, "task", None) is not None)
        self.layer.layerChanged.connect(self._layer_changed)
        self.workbook.fileChanged.connect(self._workbook_changed)
        self.sheet.currentIndexChanged.connect(lambda _i: self.refresh_columns())
        self.detect_button.clicked.connect(self.refresh_columns)
        self.reset_button.clicked.connect(self._forget)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.forms_button.clicked.connect(self.export_forms)
        self.open_report.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.last_results.get("REPORT", ""))))
        self._layer_changed(self.layer.currentLayer())
        if self.workbook.filePath():
            self._workbook_changed(self.workbook.filePath())

    def title(self):
        return tr("Data")

    # ---- inputs -------------------------------------------------------------------------
    def _layer_changed(self, layer):
        self.code_field.setLayer(layer)
        if layer is not None:
            from ...processing.algorithms.join_enterprises import detect_parcel_field

            found = detect_parcel_field(layer.fields().names())
            if found:
                self.code_field.setField(found)

    def _workbook_changed(self, path):
        QgsSettings().setValue(SETTINGS + "workbook", path)
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItem(tr("(first sheet)"), "")
        try:
            names, _, _, _ = preview(path) if path and os.path.exists(path) else ([], None, None, None)
        except TableError as exc:
            names = []
            self.summary.setText(str(exc))
        for name in names:
            self.sheet.addItem(name, name)
        if len(names) > 1:
            self.sheet.addItem(tr("(all sheets)"), "*")
        self.sheet.blockSignals(False)
        if path and self.report.filePath() in ("", getattr(self, "_auto_report", None)):
            # beside this workbook, unless the planner chose a report file
            base = os.path.splitext(path)[0]
            self._auto_report = base + tr("_join report") + ".xlsx"
            self.report.setFilePath(self._auto_report)
        self.refresh_columns()

    def mapping_text(self):
        """The user's overrides as MAPPING text (empty when the detection is accepted)."""
        entries = {}
        for row, col in enumerate(self.columns):
            combo = self.table.cellWidget(row, 2)
            if combo is None:
                continue
            chosen = combo.currentData() or ""
            detected = col.field or ""
            if chosen == detected:
                continue
            key = chosen or IGNORE_KEY
            entries.setdefault(key, []).append((col.letter, None))
        return mapping_to_text(entries) if entries else ""

    def refresh_columns(self):
        path = self.workbook.filePath()
        self.table.setRowCount(0)
        self.columns = []
        if not path or not os.path.exists(path):
            return
        saved = saved_mappings().get(os.path.basename(path), "")
        try:
            _, sheet, columns, header = preview(path, self.sheet.currentData() or None, None)
            _, _, mapped, _ = preview(path, self.sheet.currentData() or None, saved) if saved else (None, None,
                                                                                                   columns, header)
        except TableError as exc:
            self.header_label.setText(str(exc))
            return
        if columns is None and not mapped:
            self.header_label.setText(tr("No header row with a 宗地代码 or 统一社会信用代码 column was found in the "
                                         "first rows: choose the key columns below."))
            return
        self.columns = columns or mapped
        chosen = {c.index: c.field for c in (mapped or columns)}
        self.header_label.setText(tr("Header found on rows {}–{} of sheet {}.").format(header[0], header[1], sheet)
                                  if header else "")
        self.table.setRowCount(len(self.columns))
        for row, col in enumerate(self.columns):
            self.table.setItem(row, 0, QTableWidgetItem(col.letter))
            self.table.setItem(row, 1, QTableWidgetItem(col.header or ""))
            combo = QComboBox(self.table)
            combo.addItem(tr("(not used)"), "")
            for name in self.choices:  # the Chinese name; the standard field's code in the tooltip (issue 14)
                combo.addItem(schema.alias(name), name)
                combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            idx = combo.findData(chosen.get(col.index) or "")
            combo.setCurrentIndex(max(0, idx))
            combo.currentIndexChanged.connect(self._mapping_edited)
            self.table.setCellWidget(row, 2, combo)
            extra = []
            if col.year:
                extra.append(str(col.year))
            if col.unit:
                extra.append(col.unit)
            self.table.setItem(row, 3, QTableWidgetItem(" ".join(extra)))

    def _mapping_edited(self, _index=None):
        save_mapping(self.workbook.filePath(), self.mapping_text())

    def _forget(self):
        save_mapping(self.workbook.filePath(), "")
        self.refresh_columns()

    # ---- running ------------------------------------------------------------------------
    def parameters(self, destinations=None):
        """The join's parameters; ``destinations`` {"parcels_data": …, "enterprises": …} are new
        layers in the output GeoPackage (fresh ones when not given)."""
        layer = self.layer.currentLayer()
        if destinations is None:
            destinations = self.output.new_run(RESULT_KINDS)[2]
        params = {
            "INPUT": layer, "PARCEL_FIELD": self.code_field.currentField() or None,
            "TABLE": self.workbook.filePath(), "SHEET": self.sheet.currentData() or "",
            "YEAR": self.year.value(), "LINK": self.link.filePath() or None, "MAPPING": self.mapping_text(),
            "OUTPUT": destinations["parcels_data"], "OUTPUT_ENTERPRISES": destinations["enterprises"],
            "REPORT": self.report.filePath() or self._default_report(),
        }
        return params

    def run(self):
        if self.layer.currentLayer() is None or not self.workbook.filePath():
            self.summary.setText(tr("Choose a parcel layer and an enterprise workbook."))
            return
        settings = QgsSettings()
        settings.setValue(SETTINGS + "year", self.year.value())
        settings.setValue(SETTINGS + "link", self.link.filePath())
        try:
            gpkg, names, destinations = self.output.new_run(RESULT_KINDS)
        except workspace.WorkspaceError as exc:
            self.summary.setText(str(exc))
            return
        self._run = {"gpkg": gpkg, "names": names, "time": datetime.datetime.now()}
        params = self.parameters(destinations)
        replace = confirm_overwrite(self, tr("Join enterprise data to parcels"), [self.report.filePath()])
        if replace is False:
            return
        if replace:
            params["OVERWRITE"] = True
        self._start("landeval:joinenterprises", params, self._joined)

    def _default_report(self):
        """Beside the output GeoPackage when no report file is chosen (never a temporary file)."""
        run = getattr(self, "_run", None) or {}
        gpkg = run.get("gpkg") or self.output.gpkg()
        stem = (run.get("names") or {}).get("parcels_data") or "parcels_data_" + workspace.stamp()
        return os.path.join(os.path.dirname(gpkg), stem + "_report.xlsx")

    def _start(self, alg_id, params, done):
        task = AlgorithmTask(alg_id, params, lambda ok, results: self._finished(ok, results, done), self.progress,
                             self.cancel_button)
        self.task, self.context, self.feedback = task, task.context, task.feedback
        self.run_button.setEnabled(False)
        self.forms_button.setEnabled(False)
        self.summary.setText(tr("Working…"))
        task.start()

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _finished(self, ok, results, done):
        self.run_button.setEnabled(True)
        self.forms_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.task = None
        cancelled = self.feedback is not None and self.feedback.was_cancelled()
        if cancelled or not ok:
            # the 结果 area speaks of this run only: the previous report is not offered as this one's
            self.last_results = {}
            self.open_report.setEnabled(False)
            self.progress.setValue(0)
        if cancelled:
            self.summary.setText(tr("Cancelled: nothing was written."))
            return
        if not ok:
            # the algorithm's own reason, else the last line of its log
            log = self.feedback.textLog().strip() if self.feedback is not None else ""
            reason = self.feedback.reason() if self.feedback is not None else ""
            reason = reason or (log.splitlines()[-1] if log else "")
            self.summary.setText(tr("Failed: {}").format(reason))
            if self.iface is not None:
                self.iface.messageBar().pushWarning(tr("Data"), self.summary.text())
            return
        done(results)

    def _joined(self, results):
        self.last_results = dict(results)
        project = QgsProject.instance()
        run = getattr(self, "_run", None) or {}
        when = workspace.display_time(run.get("time"))
        for key, name in (("OUTPUT", tr("Parcels with enterprise data")), ("OUTPUT_ENTERPRISES", tr("Enterprises"))):
            layer = self.context.takeResultLayer(results.get(key)) if results.get(key) else None
            if layer is None and results.get(key):
                layer = QgsVectorLayer(results[key], name, "ogr")
            if layer is not None and layer.isValid():
                layer.setName("{} · {}".format(name, when))
                project.addMapLayer(layer)
                self.last_results[key + "_LAYER"] = layer
        text = summary_text(results)
        if run.get("gpkg"):
            text += "\n" + tr("Saved as layers {} in {}").format(
                "、".join(run["names"][k] for k in RESULT_KINDS), breakable(run["gpkg"]))
        self.summary.setText(text)
        self.open_report.setEnabled(bool(results.get("REPORT")))

    def export_forms(self):
        folder = QFileDialog.getExistingDirectory(self, tr("Folder for the 一地一表 workbooks"),
                                                  QgsSettings().value(SETTINGS + "forms_dir", ""))
        if not folder:
            return
        QgsSettings().setValue(SETTINGS + "forms_dir", folder)
        self._start("landeval:exportforms", self.forms_parameters(folder), self._exported)

    def forms_parameters(self, folder):
        parcels = self.last_results.get("OUTPUT_LAYER") or self.layer.currentLayer()
        return {"INPUT": parcels, "ENTERPRISES": self.last_results.get("OUTPUT_ENTERPRISES_LAYER"),
                "YEAR": self.year.value(), "OUTPUT_FOLDER": folder}

    def _exported(self, results):
        self.summary.setText(tr("{} parcels written to {} workbooks in {}").format(
            results.get("PARCELS", 0), len(results.get("FILES") or []), results.get("OUTPUT_FOLDER", "")))

    def page_actions(self):
        return []

    def unload(self):
        self._follower.stop()
        self.cancel()
        self.output.unload()


def summary_text(results):
    return tr("Rows used: {}; unmatched: {}; duplicates: {}; invalid credit codes: {}; parcels without "
              "enterprises: {}. Every row not used is listed in the report.").format(
        results.get("MATCHED_ROWS", 0), results.get("UNMATCHED", 0), results.get("DUPLICATES", 0),
        results.get("INVALID_CODES", 0), results.get("PARCELS_WITHOUT", 0))
