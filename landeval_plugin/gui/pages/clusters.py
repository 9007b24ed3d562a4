"""The 连片 page: choose members, gap and minimum area with a live count, run landeval:clusters,
see the clusters over the grade map with labels, browse them in a table, export the list.

The live count runs core.clusters.cluster without outlines (membership and sums only) after the inputs
have been still for a moment; the full run goes through Processing in a background task.
"""
import datetime

from qgis.core import Qgis, QgsCoordinateTransform, QgsMapLayerProxyModel, QgsProject, QgsSettings
from qgis.gui import QgsFieldExpressionWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import aliases, paths, values, vocabulary, workspace
from ...core.clusters import cluster
from ...i18n import tr
from ...tasks.algorithm_task import AlgorithmTask
from ..layer_defaults import follow
from ..output_location import OutputLocation, breakable

SETTINGS = "landeval/clusters/"
GRADES = vocabulary.grades()
RESULT_KINDS = ["clusters", "clustered_parcels"]  # table name prefixes in the output GeoPackage
LIVE_LIMIT = 30000      # features; above, the count waits for the Run button
DEBOUNCE_MS = 400


def filter_from_choice(grades, low_eff, has_final=False):
    """The member expression for ticked grades and the low-efficiency tag."""
    parts = []
    if grades:
        parts.append("\"grade\" IN ({})".format(",".join("'{}'".format(g) for g in grades)))
    if low_eff:
        parts.append("\"low_eff\"")
    return " OR ".join(parts)


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.task = None
        self.feedback = None
        self.cluster_layer = None
        self.parcel_layer = None
        self.source_layer = None
        self.last_params = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.update_count)
        self._build()
        self._restore()
        # the graded parcels (the 分类评价 step's result)
        self._follower = follow(self.layer_combo, "clusters", lambda: getattr(self, "task", None) is not None)
        self.expr_widget.setLayer(self.layer_combo.currentLayer())
        self._connect()
        self.schedule_count()

    def title(self):
        return tr("Clusters")

    # -- widgets ---------------------------------------------------------------------------
    def _build(self):
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Graded parcels"), self.layer_combo)

        self.by_grade = QRadioButton(tr("By grade"), self)
        self.by_expr = QRadioButton(tr("By expression"), self)
        group = QButtonGroup(self)
        group.addButton(self.by_grade)
        group.addButton(self.by_expr)
        grade_row = QHBoxLayout()
        grade_row.addWidget(self.by_grade)
        self.grade_boxes = {}
        for g in GRADES:
            box = QCheckBox(g, self)
            self.grade_boxes[g] = box
            grade_row.addWidget(box)
        self.low_eff_box = QCheckBox(tr("low-efficiency tag"), self)
        grade_row.addWidget(self.low_eff_box)
        grade_row.addStretch(1)
        form.addRow(tr("Members"), grade_row)
        expr_row = QHBoxLayout()
        expr_row.addWidget(self.by_expr)
        self.expr_widget = QgsFieldExpressionWidget(self)
        self.expr_widget.setAllowEmptyFieldName(True)
        expr_row.addWidget(self.expr_widget, 1)
        form.addRow("", expr_row)

        self.gap = QDoubleSpinBox(self)
        self.gap.setRange(0.0, 1000.0)
        self.gap.setDecimals(1)
        self.gap.setSingleStep(5.0)
        self.gap.setSuffix(" " + tr("m"))
        self.gap.setToolTip(tr("0: parcels must share a stretch of boundary; 20–50 m bridges roads and rivers."))
        form.addRow(tr("Gap bridged"), self.gap)
        self.corners = QCheckBox(tr("Parcels touching at a corner are neighbours"), self)
        form.addRow("", self.corners)
        self.min_area = QDoubleSpinBox(self)
        self.min_area.setRange(0.0, 1e7)
        self.min_area.setDecimals(0)
        self.min_area.setSingleStep(50.0)
        self.min_area.setSuffix(" " + tr("mu"))
        form.addRow(tr("Minimum area"), self.min_area)
        self.min_parcels = QSpinBox(self)
        self.min_parcels.setRange(1, 100000)
        form.addRow(tr("Minimum parcels"), self.min_parcels)
        self.output = OutputLocation("clusters", self)
        form.addRow(tr("Output GeoPackage"), self.output)
        layout.addLayout(form)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("clusterCount")
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        layout.addWidget(self.count_label)

        buttons = QHBoxLayout()
        self.run_button = QPushButton(tr("Find clusters and draw them"), self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.export_button = QPushButton(tr("Export to Excel…"), self)
        self.disposal_button = QPushButton(tr("Disposal paths…"), self)
        self.update_disposal_tooltip()
        self.export_button.setEnabled(False)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.disposal_button)
        layout.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)

        self.table = QTableWidget(0, len(cluster.TABLE_COLUMNS) - 1, self)
        self.table.setHorizontalHeaderLabels([
            tr("Cluster"), tr("Area (mu)"), tr("Parcel count"), tr("Grades"), tr("Towns"), tr("Tax (10k yuan)"),
            tr("Tax per mu")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.rows = []

    def _restore(self):
        s = QgsSettings()
        grades = (s.value(SETTINGS + "grades", "C,D") or "").split(",")
        for g, box in self.grade_boxes.items():
            box.setChecked(g in grades)
        self.low_eff_box.setChecked(s.value(SETTINGS + "low_eff", True, type=bool))
        use_expr = s.value(SETTINGS + "use_expression", False, type=bool)
        self.by_expr.setChecked(use_expr)
        self.by_grade.setChecked(not use_expr)
        self.expr_widget.setExpression(s.value(SETTINGS + "expression", cluster.DEFAULT_FILTER))
        self.gap.setValue(float(s.value(SETTINGS + "gap_m", 30.0)))
        self.corners.setChecked(s.value(SETTINGS + "corners", False, type=bool))
        self.min_area.setValue(float(s.value(SETTINGS + "min_area_mu", 0.0)))
        self.min_parcels.setValue(int(s.value(SETTINGS + "min_parcels", 2)))
        self.expr_widget.setLayer(self.layer_combo.currentLayer())
        self._sync_enabled()

    def _save(self):
        s = QgsSettings()
        s.setValue(SETTINGS + "grades", ",".join(g for g, b in self.grade_boxes.items() if b.isChecked()))
        s.setValue(SETTINGS + "low_eff", self.low_eff_box.isChecked())
        s.setValue(SETTINGS + "use_expression", self.by_expr.isChecked())
        s.setValue(SETTINGS + "expression", self.expr_widget.expression())
        s.setValue(SETTINGS + "gap_m", self.gap.value())
        s.setValue(SETTINGS + "corners", self.corners.isChecked())
        s.setValue(SETTINGS + "min_area_mu", self.min_area.value())
        s.setValue(SETTINGS + "min_parcels", self.min_parcels.value())

    def _connect(self):
        self.layer_combo.layerChanged.connect(self._layer_changed)
        for box in list(self.grade_boxes.values()) + [self.low_eff_box, self.corners]:
            box.toggled.connect(self.schedule_count)
        self.by_grade.toggled.connect(self._sync_enabled)
        self.by_grade.toggled.connect(self.schedule_count)
        self.expr_widget.fieldChanged.connect(lambda *_: self.schedule_count())
        for spin in (self.gap, self.min_area, self.min_parcels):
            spin.valueChanged.connect(self.schedule_count)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self.export)
        self.disposal_button.clicked.connect(self.show_disposal_page)
        self.table.itemSelectionChanged.connect(self._row_selected)

    def _sync_enabled(self):
        grade = self.by_grade.isChecked()
        for box in list(self.grade_boxes.values()) + [self.low_eff_box]:
            box.setEnabled(grade)
        self.expr_widget.setEnabled(not grade)

    def _layer_changed(self, layer):
        self.expr_widget.setLayer(layer)
        self.schedule_count()

    # -- parameters and the live count -----------------------------------------------------------
    def filter_text(self):
        if self.by_expr.isChecked():
            return self.expr_widget.expression().strip()
        grades = [g for g, b in self.grade_boxes.items() if b.isChecked()]
        return filter_from_choice(grades, self.low_eff_box.isChecked())

    def params(self):
        return {"filter": self.filter_text(), "gap_m": self.gap.value(), "corners": self.corners.isChecked(),
                "min_area_mu": self.min_area.value(), "min_parcels": self.min_parcels.value()}

    def schedule_count(self, *args):
        self._timer.start()

    def update_count(self):
        """Clusters and 亩 for the current choices (membership only, no outlines)."""
        layer = self.layer_combo.currentLayer()
        if layer is None:
            self.count_label.setText(tr("Choose the graded parcel layer."))
            return None
        if layer.featureCount() > LIVE_LIMIT:
            self.count_label.setText(tr("{:,} parcels: press “Find clusters” to count.").format(layer.featureCount()))
            return None
        p = self.params()
        if not p["filter"]:
            self.count_label.setText(tr("Tick at least one grade, or write an expression."))
            return None
        try:
            res = cluster.find_clusters(layer, p["filter"], p["gap_m"], p["corners"], p["min_area_mu"],
                                        p["min_parcels"], geometry=False, layer_name=layer.name())
        except cluster.ClusterError as exc:
            self.count_label.setText(str(exc))
            return None
        self.count_label.setText(tr("{} clusters, {:,.0f} mu in all ({} member parcels of {} chosen).").format(
            len(res.clusters), res.total_mu, sum(len(c.fids) for c in res.clusters), res.report["members"]))
        return res

    # -- the full run ---------------------------------------------------------------------------
    def run(self):
        layer = self.layer_combo.currentLayer()
        if layer is None or self.task is not None:
            return
        p = self.params()
        self._save()
        try:
            gpkg, names, destinations = self.output.new_run(RESULT_KINDS)
        except workspace.WorkspaceError as exc:
            self.iface.messageBar().pushMessage("LandEval", str(exc), Qgis.Critical, 8)
            return
        self.last_run = {"gpkg": gpkg, "names": names, "time": datetime.datetime.now()}
        params = {"INPUT": layer, "FILTER": p["filter"], "GAP_M": p["gap_m"], "CORNERS": p["corners"],
                  "MIN_AREA_MU": p["min_area_mu"], "MIN_PARCELS": p["min_parcels"],
                  "OUTPUT": destinations["clusters"], "OUTPUT_PARCELS": destinations["clustered_parcels"]}
        task = AlgorithmTask("landeval:clusters", params, lambda ok, results: self._finished(ok, results, layer, p),
                             self.progress, self.cancel_button)
        self.task, self.context, self.feedback = task, task.context, task.feedback
        self.progress.setVisible(True)
        self.run_button.setEnabled(False)
        task.start()

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _finished(self, ok, results, source_layer, p):
        self.task = None
        self.progress.setVisible(False)
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if not ok or not results:
            # the result table speaks of this run only
            self.rows = []
            self.table.setRowCount(0)
            self.export_button.setEnabled(False)
            if self.feedback is not None and self.feedback.was_cancelled():
                self.iface.messageBar().pushMessage("LandEval", tr("Cluster search cancelled; nothing was added."),
                                                    Qgis.Info, 5)
            else:
                reason = self.feedback.reason() if self.feedback is not None else ""
                text = tr("Cluster search failed: {}").format(reason) if reason else \
                    tr("Cluster search failed: see the Processing log.")
                self.count_label.setText(text)
                self.iface.messageBar().pushMessage("LandEval", text, Qgis.Critical, 8)
            return
        clusters = self._result_layer(results.get("OUTPUT"))
        parcels = self._result_layer(results.get("OUTPUT_PARCELS"))
        if clusters is None:
            self.iface.messageBar().pushMessage("LandEval", tr("The cluster layer could not be opened: {}").format(
                results.get("OUTPUT")), Qgis.Critical, 8)
            return
        self.show_result(source_layer, clusters, parcels, p)

    def _result_layer(self, dest):
        """The layer written by the run: from the output GeoPackage (a memory layer only when a caller
        asked Processing for one)."""
        if not dest:
            return None
        layer = self.context.takeResultLayer(dest)
        if layer is None:
            from qgis.core import QgsVectorLayer

            layer = QgsVectorLayer(dest, "", "ogr")
        return layer if layer.isValid() else None

    def show_result(self, source_layer, clusters, parcels, p):
        """Add the cluster layer over the grade map and fill the table (also used by tests)."""
        project = QgsProject.instance()
        if self.cluster_layer is not None and self.cluster_layer.id() in project.mapLayers():
            # the earlier run stays (in the project and its GeoPackage), hidden under the new one
            node = project.layerTreeRoot().findLayer(self.cluster_layer.id())
            if node is not None:
                node.setItemVisibilityChecked(False)
        when = workspace.display_time((getattr(self, "last_run", None) or {}).get("time"))
        clusters.setName("{} · {}".format(tr("Clusters (gap {} m)").format("{:g}".format(p["gap_m"])), when))
        aliases.load_style(clusters, paths.resource("styles", "clusters.qml"))
        project.addMapLayer(clusters, False)
        project.layerTreeRoot().insertLayer(0, clusters)
        self.cluster_layer = clusters
        self.parcel_layer = parcels
        self.source_layer = source_layer
        self.last_params = p
        self.rows = []
        for f in clusters.getFeatures():
            row = {key: f[key] for key, _ in cluster.TABLE_COLUMNS}
            row["fid"] = f.id()
            self.rows.append(row)
        self.rows.sort(key=lambda r: (-float(r["area_mu"] or 0), r["cluster_id"]))
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        for n, row in enumerate(self.rows):
            for col, (key, _) in enumerate(cluster.TABLE_COLUMNS[:-1]):
                value = row[key]
                if hasattr(value, "isNull") and value.isNull():
                    value = None
                if key == "area_mu":
                    text = "{:,.1f}".format(value)
                elif key in ("tax_10k", "tax_per_mu"):
                    text = "" if value is None else "{:,.2f}".format(value)
                else:
                    text = "" if value is None else str(value)
                item = QTableWidgetItem(text)
                if key in ("area_mu", "parcel_count", "tax_10k", "tax_per_mu"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(n, col, item)
        self.export_button.setEnabled(bool(self.rows))
        total = sum(float(r["area_mu"] or 0) for r in self.rows)
        text = tr("{} clusters drawn, {:,.0f} mu in all, {} member parcels.").format(
            len(self.rows), total, sum(int(r["parcel_count"]) for r in self.rows))
        run = getattr(self, "last_run", None)
        if run and clusters.providerType() == "ogr":
            text += "\n" + tr("Saved as layers {} in {}").format("、".join(run["names"][k] for k in RESULT_KINDS),
                                                                breakable(run["gpkg"]))
        self.count_label.setText(text)
        self.iface.mapCanvas().refresh()

    # -- table interaction and export ------------------------------------------------------------
    def _row_selected(self):
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.focus_cluster(rows[0].row())

    def focus_cluster(self, n):
        """Zoom to cluster n of the table and select its member parcels on the parcel layer."""
        row = self.rows[n]
        feature = self.cluster_layer.getFeature(row["fid"])
        canvas = self.iface.mapCanvas()
        extent = feature.geometry().boundingBox()
        xform = QgsCoordinateTransform(self.cluster_layer.crs(), canvas.mapSettings().destinationCrs(),
                                       QgsProject.instance())
        extent = xform.transformBoundingBox(extent)
        extent.scale(1.3)
        canvas.setExtent(extent)
        canvas.refresh()
        if self.source_layer is not None:
            target = self.source_layer
            target.selectByIds(self.member_ids(target, row))
        elif self.parcel_layer is not None:
            target = self.parcel_layer
            from qgis.core import QgsExpression

            # the value quoted by QGIS: an id holding a quote must not change the expression
            target.selectByExpression(QgsExpression.createFieldEqualityExpression("cluster_id", row["cluster_id"]))
        else:
            return 0
        return target.selectedFeatureCount()

    @staticmethod
    def member_ids(layer, row):
        """Feature ids of a cluster's members on ``layer`` (the input): parcel_codes lists each member's
        parcel code, or its feature id when it has none (core.clusters.cluster.summarise)."""
        from qgis.core import QgsFeatureRequest

        tokens = [t for t in str(row["parcel_codes"] or "").split(",") if t]
        idx = layer.fields().lookupField("parcel_code")
        if idx < 0:
            return [int(t) for t in tokens if t.isdigit()]
        wanted = set(tokens)
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry).setSubsetOfAttributes([idx])
        ids = []
        for f in layer.getFeatures(request):
            code = values.to_text(f.attributes()[idx])
            if (code in wanted) if code else (str(f.id()) in wanted):
                ids.append(f.id())
        return ids

    def export(self, path=None):
        if not self.rows:
            return None
        s = QgsSettings()
        if not path:
            folder = s.value(SETTINGS + "export_dir", "")
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the cluster list"), folder + "/连片整治区.xlsx",
                                                  tr("Excel workbook (*.xlsx)"))
            if not path:
                return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        import os

        s.setValue(SETTINGS + "export_dir", os.path.dirname(path))
        cluster.write_workbook(path, self.rows, self.last_params, self.source_layer.name() if self.source_layer else "")
        self.iface.messageBar().pushMessage("LandEval", tr("Cluster list written to {}").format(path), Qgis.Success, 5)
        return path

    def disposal_input(self):
        """The layer the disposal step should read: the last run's parcels with cluster ids, else the input."""
        if self.parcel_layer is not None:
            if self.parcel_layer.id() not in QgsProject.instance().mapLayers():
                when = workspace.display_time((getattr(self, "last_run", None) or {}).get("time"))
                self.parcel_layer.setName("{} · {}".format(tr("Parcels with cluster id"), when))
                QgsProject.instance().addMapLayer(self.parcel_layer, False)
                QgsProject.instance().layerTreeRoot().insertLayer(1, self.parcel_layer).setItemVisibilityChecked(False)
            return self.parcel_layer
        return self.layer_combo.currentLayer()

    def disposal_notes(self):
        """The remembered rule set's name, source and numbered assumptions (shown before a run)."""
        from ...core.disposal import disposal

        ruleset = QgsSettings().value("landeval/disposal/ruleset", disposal.DEFAULT_RULESET)
        try:
            return disposal.load_ruleset(ruleset).describe()
        except disposal.DisposalError as exc:
            return [str(exc)]

    def update_disposal_tooltip(self):
        self.disposal_button.setToolTip(
            tr("Go to the 处置 page with the parcels and their cluster ids, to propose a disposal path for every "
               "parcel.") + "\n\n" + "\n".join(self.disposal_notes()))

    def show_disposal_page(self):
        """The 处置方案… button: the 处置 page of the panel, reading this run's parcels with their
        cluster ids (else the chosen layer); returns that page (None outside the panel)."""
        dock = self.parentWidget()
        while dock is not None and not (hasattr(dock, "show_page") and hasattr(dock, "page")):
            dock = dock.parentWidget()
        if dock is None:
            return None
        page = dock.page("disposal")
        layer = self.disposal_input()
        if page is not None and layer is not None and hasattr(page, "parcels"):
            page.parcels.setLayer(layer)
        return dock.show_page("disposal")

    def open_disposal(self):
        """The Processing dialog of landeval:disposal, started with this page's parcels and a new
        layer of the output GeoPackage (the Processing route; the page's button goes to the 处置 page)."""
        import processing

        params = self.disposal_parameters()
        try:
            params["OUTPUT"] = self.disposal_destination()
        except workspace.WorkspaceError as exc:
            self.iface.messageBar().pushMessage("LandEval", str(exc), Qgis.Critical, 8)
            return None
        self.update_disposal_tooltip()
        results = processing.execAlgorithmDialog("landeval:disposal", params)
        self.update_disposal_tooltip()
        return results

    def disposal_destination(self):
        """A new layer in the output GeoPackage for the disposal run (the dialog starts with it)."""
        gpkg, names, destinations = self.output.new_run(["disposal"])
        self.last_disposal = {"gpkg": gpkg, "table": names["disposal"]}
        return destinations["disposal"]

    def disposal_parameters(self):
        """The disposal dialog's start values: the clustered parcels and the last rule set used."""
        from ...core.disposal import disposal

        params = {"RULESET": QgsSettings().value("landeval/disposal/ruleset", disposal.DEFAULT_RULESET)}
        layer = self.disposal_input()
        if layer is not None:
            params["INPUT"] = layer
        return params

    def page_actions(self):
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        action = QAction(QIcon(paths.resource("icons", "disposal.svg")), tr("Disposal paths…"), self)
        action.setObjectName("mActionLandEvalDisposal")
        action.setProperty("landeval_page", "disposal")  # shows a page: the toolbar's, the menu has the page's entry
        action.triggered.connect(self.show_disposal_page)
        return [action]

    def unload(self):
        self._follower.stop()
        self._timer.stop()
        self.cancel()
        self.output.unload()
        # the last run's parcels are a file layer the page may still own (not in the project):
        # released now, not when Python tears down after QGIS (GDAL is gone by then)
        self.parcel_layer = None
        self.cluster_layer = None
        self.source_layer = None
