"""The 评估 (grading) page: choose a standard, read and edit it, grade in the background,
see counts and 亩 per class, try ±10% on each threshold, and review (研判) parcels."""
import datetime
import os

from qgis.core import (
    QgsMapLayerProxyModel,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsSettings,
    QgsTask,
    QgsVectorLayer,
)
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import review, workspace
from ...core.grading import grade as grading
from ...core.grading import standard as standards
from ...core.grading.condition import fmt_exact
from ...i18n import tr
from ...tasks import threads
from ...tasks.algorithm_task import AlgorithmTask
from ..layer_defaults import follow
from ..output_location import OutputLocation, breakable
from ..review_dialog import GRADE, DecisionDialog, parcel_facts

SETTINGS = "landeval/grading/"


def _table(headers, stretch=()):
    """Read-only table; ``stretch`` columns share the width and wrap (long conditions)."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    header = t.horizontalHeader()
    for c in range(len(headers)):
        header.setSectionResizeMode(
            c, QHeaderView.ResizeMode.Stretch if c in stretch else QHeaderView.ResizeMode.ResizeToContents)
    if not stretch:
        header.setStretchLastSection(True)
    t.setWordWrap(True)
    return t


def _item(text, editable=False):
    it = QTableWidgetItem("" if text is None else str(text))
    if not editable:
        it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return it


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.std = None
        self.task = None
        self.context = None
        self.feedback = None
        self._tun = []
        self._build()
        self._load_standard_list()

    def title(self):
        return tr("Grading")

    # ---- layout ------------------------------------------------------------------------------
    def _build(self):
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.layer = QgsMapLayerComboBox()
        self.layer.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.std_combo = QComboBox()
        # long standard names must not widen the whole panel; the full name is in the tooltip
        self.std_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.std_combo.setMinimumContentsLength(16)
        open_btn = QPushButton(tr("Open…"))
        open_btn.clicked.connect(self._open_file)
        row = QHBoxLayout()
        row.addWidget(self.std_combo, 1)
        row.addWidget(open_btn)
        self.year = QSpinBox()
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText(tr("standard's year"))
        self.group_by = QgsFieldComboBox()
        self.group_by.setAllowEmptyFieldName(True)
        # every run adds a new layer to this GeoPackage (the project's LandEval GeoPackage when empty)
        self.output = OutputLocation("grading", self)
        form.addRow(tr("Parcel layer"), self.layer)
        form.addRow(tr("Standard"), row)
        form.addRow(tr("Year"), self.year)
        form.addRow(tr("Rank within"), self.group_by)
        form.addRow(tr("Output"), self.output)
        lay.addLayout(form)

        self.tabs = QTabWidget()
        self.rules = _table([tr("Stage"), tr("Class"), tr("Condition"), tr("Basis")], stretch=(2, 3))
        self.tunables = _table([tr("Threshold / weight"), tr("Value"), tr("−10%: parcels changing"),
                                tr("+10%: parcels changing")], stretch=(0,))
        self.tunables.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        tune = QWidget()
        tl = QVBoxLayout(tune)
        tl.addWidget(self.tunables)
        tb = QHBoxLayout()
        self.save_btn = QPushButton(tr("Save as new standard…"))
        self.save_btn.clicked.connect(self._save_as)
        self.whatif_btn = QPushButton(tr("What-if ±10%"))
        self.whatif_btn.clicked.connect(self._whatif)
        tb.addWidget(self.save_btn)
        tb.addWidget(self.whatif_btn)
        tl.addLayout(tb)
        self.summary = _table([tr("Class"), tr("Parcel count"), tr("Area (亩)")])
        self.tabs.addTab(self.rules, tr("Rules"))
        self.tabs.addTab(tune, tr("Thresholds and weights"))
        self.tabs.addTab(self.summary, tr("Result"))
        lay.addWidget(self.tabs, 1)

        runs = QHBoxLayout()
        self.run_all = QPushButton(tr("Grade all"))
        self.run_sel = QPushButton(tr("Grade selection"))
        self.cancel = QPushButton(tr("Cancel"))
        self.cancel.setEnabled(False)
        self.review_btn = QPushButton(tr("Review selected…"))
        self.run_all.clicked.connect(lambda: self._run(False))
        self.run_sel.clicked.connect(lambda: self._run(True))
        self.cancel.clicked.connect(self._cancel)
        self.review_btn.clicked.connect(self._review)
        for b in (self.run_all, self.run_sel, self.cancel, self.review_btn):
            runs.addWidget(b)
        lay.addLayout(runs)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)

        s = QgsSettings()
        self.year.setValue(int(s.value(SETTINGS + "year", 0)))
        # the parcels with joined enterprise data (the 数据 step's result)
        self._follower = follow(self.layer, "grading", lambda: getattr(self, "task", None) is not None)
        self.layer.layerChanged.connect(self._layer_changed)
        self.std_combo.currentIndexChanged.connect(self._standard_changed)
        self.year.valueChanged.connect(self._standard_changed)
        self._layer_changed(self.layer.currentLayer())

    # ---- standards ---------------------------------------------------------------------------
    def _load_standard_list(self):
        s = QgsSettings()
        files = [f for f in (s.value(SETTINGS + "files", []) or []) if os.path.exists(f)]
        self.std_combo.blockSignals(True)
        self.std_combo.clear()
        for pid in standards.preset_ids():
            try:
                label = "{}（{}）".format(standards.load(pid).name, pid)
            except standards.StandardError:
                label = pid
            self.std_combo.addItem(label, pid)
        for f in files:
            self.std_combo.addItem(os.path.basename(f), f)
        last = s.value(SETTINGS + "standard", "zhejiang_huangyan_2022")
        idx = self.std_combo.findData(last)
        self.std_combo.setCurrentIndex(max(idx, 0))
        self.std_combo.blockSignals(False)
        self._standard_changed()

    def _remember_file(self, path):
        s = QgsSettings()
        files = [f for f in (s.value(SETTINGS + "files", []) or []) if f != path]
        s.setValue(SETTINGS + "files", [path] + files[:9])
        s.setValue(SETTINGS + "standard", path)
        self._load_standard_list()

    def _open_file(self):
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a standard"), "", tr("Standards (*.yaml *.yml *.json)"))
        if path:
            self._remember_file(path)

    def _standard_changed(self, *args):
        key = self.std_combo.currentData()
        if not key:
            return
        QgsSettings().setValue(SETTINGS + "standard", key)
        self.std_combo.setToolTip(self.std_combo.currentText())
        QgsSettings().setValue(SETTINGS + "year", self.year.value())
        try:
            self.std = standards.load(key, year=self.year.value() or None)
        except standards.StandardError as exc:
            self.std = None
            self.rules.setRowCount(0)
            self.status.setText(str(exc))
            return
        self.status.setText("{}（{}）".format(self.std.name, self.std.display_id()) + "\n" + self.std.provenance() +
                            ("\n" + tr("Assumptions:") + " "
                             + "".join(a if a.endswith(("。", "；", ".")) else a + "。" for a in self.std.assumptions)
                             if self.std.assumptions else "") +
                            "".join("\n⚠ " + w for w in self.std.warnings))
        rows = self.std.rules_table()
        self.rules.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.rules.setItem(r, c, _item(text))
        self.rules.resizeRowsToContents()
        tun = self.std.tunables()
        self.tunables.setRowCount(len(tun))
        self._tun = tun
        for r, (_path, label, value, _kind) in enumerate(tun):
            self.tunables.setItem(r, 0, _item(label))
            self.tunables.setItem(r, 1, _item(fmt_exact(value), editable=True))
            self.tunables.setItem(r, 2, _item(""))
            self.tunables.setItem(r, 3, _item(""))

    def _edited_standard(self, new_id=None, new_version=None):
        changes = {}
        for r, (path, label, value, _kind) in enumerate(self._tun):
            text = self.tunables.item(r, 1).text().strip()
            try:
                v = float(text)
            except ValueError as cause:
                raise standards.StandardError(label, [tr("{}: '{}' is not a number").format(label, text)]) from cause
            if v != value:
                changes[path] = int(v) if v.is_integer() and isinstance(value, int) else v
        return self.std.with_values(changes, new_id, new_version) if (changes or new_id) else self.std

    def _save_as(self):
        if self.std is None:
            return
        new_id, ok = QInputDialog.getText(self, tr("Save as new standard"), tr("New standard id"),
                                          text=self.std.id + "_edit")
        if not ok or not new_id.strip():
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("Save as new standard"), new_id.strip() + ".yaml",
                                              tr("Standards (*.yaml)"))
        if not path:
            return
        try:
            std = self._edited_standard(new_id.strip(), self.std.version + "-edit")
            std.save(path)
        except (standards.StandardError, OSError) as exc:
            QMessageBox.warning(self, tr("Save as new standard"), str(exc))
            return
        self._remember_file(path)
        self.status.setText(tr("Saved {}").format(path))

    # ---- running -----------------------------------------------------------------------------
    def _layer_changed(self, layer):
        self.group_by.setLayer(layer)
        self.group_by.setField(QgsSettings().value(SETTINGS + "group_by", ""))

    def _run(self, selected):
        layer = self.layer.currentLayer()
        if layer is None or self.std is None:
            self.status.setText(tr("Choose a parcel layer and a standard."))
            return
        if selected and layer.selectedFeatureCount() == 0:
            self.status.setText(tr("No parcels selected on {}.").format(layer.name()))
            return
        try:
            std = self._edited_standard()
        except standards.StandardError as exc:
            self.status.setText(str(exc))
            return
        std_value = self.std_combo.currentData()
        if std is not self.std:  # unsaved edits: grade with a temporary copy
            import tempfile

            std_value = os.path.join(tempfile.mkdtemp(prefix="landeval-"), std.id + ".yaml")
            std.save(std_value)
        s = QgsSettings()
        s.setValue(SETTINGS + "group_by", self.group_by.currentField())
        try:
            gpkg, names, destinations = self.output.new_run(["grade"])
        except workspace.WorkspaceError as exc:
            self.status.setText(str(exc))
            return
        out = destinations["grade"]
        self._run_info = {"gpkg": gpkg, "table": names["grade"], "time": datetime.datetime.now(),
                          "selected": layer.selectedFeatureCount() if selected else 0,
                          "standard": std.name or std.display_id()}
        params = {"INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), selected),
                  "STANDARD": std_value, "YEAR": self.year.value(), "GROUP_BY": self.group_by.currentField() or None,
                  "OUTPUT": out}
        task = AlgorithmTask("landeval:grade", params, self._done, self.progress, self.cancel)
        self.task, self.context, self.feedback = task, task.context, task.feedback
        self._busy(True)
        self.status.setText(tr("Grading {} with {}…").format(layer.name(), std.display_id()))
        task.start()

    def _busy(self, busy):
        for b in (self.run_all, self.run_sel, self.whatif_btn, self.review_btn):
            b.setEnabled(not busy)
        self.cancel.setEnabled(busy)

    def _cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _done(self, ok, results):
        self._busy(False)
        self.task = None
        if not ok or not results:
            reason = self.feedback.reason() if self.feedback is not None and not self.feedback.was_cancelled() else ""
            self.status.setText(tr("Grading failed: {} Nothing was written.").format(reason) if reason else
                                tr("Grading failed or was cancelled; see the log (LandEval). Nothing was written."))
            # the 结果 tab no longer shows the previous run's counts, but why there are none
            self.summary.clearSpans()
            self.summary.setRowCount(0)
            self.summary.setRowCount(1)
            self.summary.setSpan(0, 0, 1, self.summary.columnCount())
            self.summary.setItem(0, 0, _item(self.status.text()))
            self.progress.setValue(0)
            if self.iface is not None:
                self.iface.messageBar().pushWarning(tr("Grading"), self.status.text())
            return
        dest = results.get("OUTPUT")
        layer = self.context.takeResultLayer(dest) if isinstance(dest, str) else None
        if layer is None and isinstance(dest, str):
            layer = QgsVectorLayer(dest, "", "ogr")
        if layer is None or not layer.isValid():
            self.status.setText(tr("The graded layer could not be opened: {}").format(dest))
            return
        run = getattr(self, "_run_info", None) or {}
        layer.setName(result_name(run.get("standard") or (self.std.id if self.std else ""), run.get("selected", 0),
                                  run.get("time")))
        grading.apply_style(layer, "grade")
        QgsProject.instance().addMapLayer(layer)
        self.layer.setLayer(layer)
        self._show_summary(layer)
        self.progress.setValue(100)
        text = tr("Graded. Review parcels with 'Review selected…'; the map shows the final class.")
        if run.get("gpkg"):
            text += "\n" + tr("Saved as layer {} in {}").format(run["table"], breakable(run["gpkg"]))
        self.status.setText(text)

    def _show_summary(self, layer):
        self.summary.clearSpans()
        counts = grading.layer_counts(layer)
        order = [g for g in standards.GRADES] + [g for g in counts if g not in standards.GRADES]
        self.summary.setRowCount(len(order))
        for r, g in enumerate(order):
            n, mu = counts.get(g, (0, 0.0))
            self.summary.setItem(r, 0, _item("{} {}".format(g or tr("not graded"), standards.GRADE_NAMES.get(g, ""))))
            self.summary.setItem(r, 1, _item(n))
            self.summary.setItem(r, 2, _item("{:,.1f}".format(mu)))
        self.tabs.setCurrentWidget(self.summary)

    # ---- what-if --------------------------------------------------------------------------------
    def _whatif(self):
        layer = self.layer.currentLayer()
        if layer is None or self.std is None:
            return
        try:
            std = self._edited_standard()
            read = grading.read_rows(layer, std, self.group_by.currentField() or None)
        except (standards.StandardError, grading.MissingInputsError) as exc:
            self.status.setText(str(exc))
            return
        rows = read[1]
        group_by = self.group_by.currentField() or None
        self._whatif_result = None

        def work(task):
            class _FB:
                def isCanceled(self):
                    return task.isCanceled()

                def setProgress(self, p):
                    task.setProgress(p)
            self._whatif_result = grading.whatif(std, rows, group_by=group_by, feedback=_FB())
            return True

        def finished(exception, result=None):
            self.task = None
            self._busy(False)
            res = self._whatif_result
            if exception is not None or res is None:
                self.status.setText(tr("What-if cancelled or failed."))
                return
            labels = {label: (minus, plus) for label, _, minus, plus in res}
            for r, (_path, label, _value, _kind) in enumerate(self._tun):
                minus, plus = labels.get(label, ("", ""))
                self.tunables.setItem(r, 2, _item("—" if minus is None else minus))
                self.tunables.setItem(r, 3, _item("—" if plus is None else plus))
            self.status.setText(
                tr("What-if on {} parcels: each threshold moved alone by −10% and +10%.").format(len(rows)))

        self.task = QgsTask.fromFunction(tr("LandEval what-if"), work, on_finished=finished)
        self.task.progressChanged.connect(lambda p: self.progress.setValue(int(p)))
        self._busy(True)
        threads.add_task(self.task)  # Python in the worker: no garbage collection there meanwhile

    # ---- review ---------------------------------------------------------------------------------
    def _review(self):
        layer = self.layer.currentLayer()
        if layer is None or "grade" not in layer.fields().names():
            self.status.setText(tr("Choose a graded layer (with a grade field) to review."))
            return
        fids = layer.selectedFeatureIds()
        if not fids:
            self.status.setText(tr("Select the parcels to review on the map first."))
            return
        choices = [(g, "{} {}".format(g, standards.GRADE_NAMES[g])) for g in standards.GRADES]
        dlg = DecisionDialog(GRADE, choices, parcel_facts(layer, fids[0]), len(fids), parent=self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        grade, reason, by = dlg.values()
        try:
            n = review.apply_in_place(layer, fids, grade, reason, by=by)
        except review.ReviewError as exc:
            QMessageBox.warning(self, tr("Review"), str(exc))
            return
        grading.apply_style(layer, "grade")
        self._show_summary(layer)
        self.status.setText(
            tr("{} parcel(s) reviewed as {}. Save the layer edits to keep them (Ctrl+Z undoes).").format(n, grade))
        self.announce_review(layer, fids)
        return n

    @staticmethod
    def announce_review(layer, fids):
        """Tell the other pages (处置) which parcels got a new class: {parcel_code: review fields}."""
        from ...core.grading.grade import REVIEW_FIELDS
        from ..events import hub

        names = layer.fields().names()
        if "parcel_code" not in names:
            return {}
        reviewed = {}
        for fid in fids:
            f = layer.getFeature(fid)
            code = f["parcel_code"]
            if code is None or (hasattr(code, "isNull") and code.isNull()) or not str(code).strip():
                continue
            reviewed[str(code).strip()] = {n: (f[n] if n in names else None) for n in REVIEW_FIELDS}
        if reviewed:
            hub.gradeReviewed.emit(layer, reviewed)
        return reviewed

    def unload(self):
        self._follower.stop()
        self._cancel()
        self.output.unload()


def result_name(standard, selected=0, when=None):
    """The graded layer's name in the project: 分类评价 · <standard> · <time> (with the selection's size)."""
    if selected:
        return tr("Grading of {} selected parcels · {} · {}").format(selected, standard, workspace.display_time(when))
    return tr("Grading · {} · {}").format(standard, workspace.display_time(when))
