"""The 一张图 page: sources in priority order, their roles and field mappings, the class preset,
and a background run of landeval:buildbaselayer whose result is loaded as a styled group.

Mappings and roles are saved per source layer in the project (QgsProject entries under
``landeval/basemap/...``); the other choices are remembered with QgsSettings.
"""
import datetime
import json
import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox, QgsProjectionSelectionWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import aliases, schema, workspace
from ...core.basemap import landuse, source_reader
from ...i18n import tr
from ...tasks.algorithm_task import AlgorithmTask
from ..output_location import breakable, default_gpkg

ALG_ID = "landeval:buildbaselayer"
GROUP_NAME = "产业用地一张图"
SCOPE = "landeval"
SETTINGS = "landeval/basemap/"
NONE_TEXT = "—"


def saved_mapping(layer_id):
    text, ok = QgsProject.instance().readEntry(SCOPE, "basemap/mapping/" + layer_id, "")
    try:
        return json.loads(text) if ok and text else None
    except ValueError:
        return None


def save_mapping(layer_id, mapping):
    QgsProject.instance().writeEntry(SCOPE, "basemap/mapping/" + layer_id, json.dumps(mapping, ensure_ascii=False))


def saved_role(layer_id):
    text, ok = QgsProject.instance().readEntry(SCOPE, "basemap/role/" + layer_id, "")
    return text if ok and text else None


def save_role(layer_id, role):
    QgsProject.instance().writeEntry(SCOPE, "basemap/role/" + layer_id, role)


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.task = None
        self._context = None
        self._feedback = None
        self._output = None
        self._qa_output = None
        self._loading = False
        layout = QVBoxLayout(self)

        # ---- sources, in priority order ---------------------------------------------------
        box = QGroupBox(tr("Sources (drag to order: highest priority first)"), self)
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        self.layer_combo = QgsMapLayerComboBox(box)
        self.layer_combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.add_button = QPushButton(tr("Add layer"), box)
        self.file_button = QPushButton(tr("File…"), box)
        self.remove_button = QPushButton(tr("Remove source"), box)
        # the layer picker on its own line, its buttons below: the page fits a ~480 px dock
        v.addWidget(self.layer_combo)
        for w in (self.add_button, self.file_button, self.remove_button):
            row.addWidget(w)
        row.addStretch(1)
        v.addLayout(row)
        # errors about the sources: right under the control that needs fixing (and in the message bar)
        self.source_error = QLabel("", box)
        self.source_error.setObjectName("LandEvalSourceError")
        self.source_error.setWordWrap(True)
        self.source_error.setTextFormat(Qt.TextFormat.PlainText)
        self.source_error.setStyleSheet("color: #c62828;")
        self.source_error.setVisible(False)
        v.addWidget(self.source_error)
        self.source_list = QListWidget(box)
        self.source_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.source_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.source_list.setMaximumHeight(120)
        v.addWidget(self.source_list)
        role_row = QHBoxLayout()
        role_row.addWidget(QLabel(tr("Source role"), box))
        self.role_combo = QComboBox(box)
        for key, label in source_reader.ROLES:
            self.role_combo.addItem(label, key)
        role_row.addWidget(self.role_combo, 1)
        v.addLayout(role_row)
        self.mapping_table = QTableWidget(len(source_reader.INPUT_FIELDS), 2, box)
        self.mapping_table.setHorizontalHeaderLabels([tr("Standard field"), tr("Source field")])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping_combos = {}
        for i, std in enumerate(source_reader.INPUT_FIELDS):
            required = std in source_reader.REQUIRED_FIELDS
            item = QTableWidgetItem(schema.alias(std) + (" *" if required else ""))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(std)
            self.mapping_table.setItem(i, 0, item)
            combo = QComboBox(self.mapping_table)
            combo.currentIndexChanged.connect(self._mapping_edited)
            self.mapping_table.setCellWidget(i, 1, combo)
            self.mapping_combos[std] = combo
        self.mapping_table.resizeRowsToContents()
        rows_height = sum(self.mapping_table.rowHeight(i) for i in range(self.mapping_table.rowCount()))
        self.mapping_table.setMinimumHeight(rows_height + self.mapping_table.horizontalHeader().sizeHint().height() + 4)
        v.addWidget(self.mapping_table)
        self.mapping_note = QLabel("", box)
        self.mapping_note.setWordWrap(True)
        v.addWidget(self.mapping_note)
        layout.addWidget(box)

        # ---- options ---------------------------------------------------------------------
        settings = QgsSettings()
        form = QFormLayout()
        self.preset_combo = QComboBox(self)
        self.preset_combo.addItem(tr("All presets"), landuse.ALL)
        for preset in landuse.presets():
            self.preset_combo.addItem(preset.name, preset.key)
        # long preset names must not widen the page beyond the dock
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(14)
        self.preset_combo.currentIndexChanged.connect(
            lambda _i: self.preset_combo.setToolTip(self.preset_combo.currentText()))
        i = self.preset_combo.findData(settings.value(SETTINGS + "preset", landuse.ALL))
        self.preset_combo.setCurrentIndex(max(0, i))
        form.addRow(tr("Land-use classes"), self.preset_combo)
        self.crs_widget = QgsProjectionSelectionWidget(self)
        self.crs_widget.setOptionVisible(QgsProjectionSelectionWidget.CrsNotSet, True)
        self.crs_widget.setNotSetText(tr("First source's CRS"))
        self.crs_widget.setCrs(QgsCoordinateReferenceSystem())
        form.addRow(tr("Target CRS of the base map"), self.crs_widget)
        self.min_piece = QDoubleSpinBox(self)
        self.min_piece.setRange(0, 100000)
        self.min_piece.setDecimals(1)
        self.min_piece.setSuffix(" m²")
        self.min_piece.setValue(float(settings.value(SETTINGS + "min_piece_m2", 50.0)))
        form.addRow(tr("Minimum leftover piece"), self.min_piece)
        self.prefix_edit = QLineEdit(settings.value(SETTINGS + "code_prefix", "LE"), self)
        form.addRow(tr("Code prefix"), self.prefix_edit)
        self.previous_combo = QgsMapLayerComboBox(self)
        self.previous_combo.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.previous_combo.setAllowEmptyLayer(True)
        self.previous_combo.setLayer(None)
        form.addRow(tr("Previous base map (codes)"), self.previous_combo)
        self.output_widget = QgsFileWidget(self)
        self.output_widget.setStorageMode(QgsFileWidget.SaveFile)
        self.output_widget.setFilter(tr("GeoPackage (*.gpkg)"))
        self.output_widget.setFilePath(settings.value(SETTINGS + "output", ""))
        self.output_widget.lineEdit().setPlaceholderText(tr("[new layers in the project's LandEval GeoPackage]"))
        self.open_folder_button = QPushButton(tr("Open folder"), self)
        self.open_folder_button.clicked.connect(self.open_folder)
        where = QHBoxLayout()
        where.addWidget(self.output_widget, 1)
        where.addWidget(self.open_folder_button)
        form.addRow(tr("Output base map"), where)
        self.output_note = QLabel(self)
        self.output_note.setObjectName("LandEvalOutputPath")
        self.output_note.setWordWrap(True)
        self.output_note.setMinimumWidth(120)
        self.output_note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("", self.output_note)
        layout.addLayout(form)

        # ---- run --------------------------------------------------------------------------
        row = QHBoxLayout()
        self.run_button = QPushButton(tr("Build base map"), self)
        self.cancel_button = QPushButton(tr("Cancel build"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.add_button.clicked.connect(lambda: self.add_layer(self.layer_combo.currentLayer()))
        self.file_button.clicked.connect(self._add_file)
        self.remove_button.clicked.connect(self._remove_selected)
        self.source_list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.role_combo.currentIndexChanged.connect(self._role_edited)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        QgsProject.instance().layersWillBeRemoved.connect(self._layers_removed)
        self.output_widget.fileChanged.connect(self._show_output)
        project = QgsProject.instance()
        self._project_signals = [project.readProject, project.cleared, project.projectSaved, project.fileNameChanged]
        for signal in self._project_signals:
            signal.connect(self._show_output)
        self._show_output()
        self._show_selected()

    def title(self):
        return tr("Base map")

    # ---- where the result goes ----------------------------------------------------------------
    def output_path(self):
        """The chosen base map file, or the project's LandEval GeoPackage when none is chosen."""
        output = self.output_widget.filePath().strip()
        if output and not output.lower().endswith(".gpkg"):
            output += ".gpkg"
        return output or default_gpkg()

    def _show_output(self, *args):
        path = self.output_path()
        self.output_note.setToolTip(path)
        text = breakable(path)
        if self.output_widget.filePath().strip():
            self.output_note.setText(tr("The base map is written to {} (its QA beside it).").format(text))
        elif not QgsProject.instance().absoluteFilePath():
            self.output_note.setText(tr("The project is not saved yet: results are saved as new layers in {}. Save "
                                        "the project first to keep them beside it.").format(text))
        else:
            self.output_note.setText(tr("Results are saved as new layers in {}").format(text))

    def open_folder(self):
        from qgis.PyQt.QtCore import QUrl
        from qgis.PyQt.QtGui import QDesktopServices

        folder = os.path.dirname(self.output_path())
        while folder and not os.path.isdir(folder) and os.path.dirname(folder) != folder:
            folder = os.path.dirname(folder)
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
        return folder

    def page_actions(self):
        """'Build base map…' in the LandEval menu: shows this page in the dock."""
        from qgis.PyQt.QtGui import QIcon
        from qgis.PyQt.QtWidgets import QAction

        from ...core import paths

        if getattr(self, "_action", None) is None:
            self._action = QAction(QIcon(paths.resource("icons", "basemap.svg")),
                                   tr("Build industrial land base map…"), self)
            self._action.setProperty("landeval_page", "basemap")  # toolbar only: the menu has the page's entry
            self._action.triggered.connect(self.show_page)
        return [self._action]

    def show_page(self):
        widget = self.parentWidget()
        while widget is not None and not hasattr(widget, "tabs"):
            widget = widget.parentWidget()
        if widget is not None:
            widget.show()
            widget.raise_()
            widget.tabs.setCurrentWidget(self)

    # ---- errors -------------------------------------------------------------------------------
    def report_error(self, text, label=None, short=None):
        """An error in the page's words: in the label beside the control at fault (the sources'
        by default), in the 结果 area (the previous result is gone) and in QGIS's message bar
        (``short``: a shorter text for the bar, which is one line over the map)."""
        label = label if label is not None else self.source_error
        label.setText(text)
        label.setVisible(True)
        self.status.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushWarning(tr("Base map"), short or text)
        return text

    @staticmethod
    def geometry_words(geometry_type):
        return {QgsWkbTypes.PointGeometry: tr("points"), QgsWkbTypes.LineGeometry: tr("lines"),
                QgsWkbTypes.PolygonGeometry: tr("polygons")}.get(geometry_type, tr("no geometry"))

    def clear_error(self):
        self.source_error.setText("")
        self.source_error.setVisible(False)

    # ---- sources ------------------------------------------------------------------------------
    def layers(self):
        """Source layers in the list's order (= priority)."""
        result = []
        for i in range(self.source_list.count()):
            layer = QgsProject.instance().mapLayer(self.source_list.item(i).data(Qt.ItemDataRole.UserRole))
            if layer is not None:
                result.append(layer)
        return result

    def add_layer(self, layer):
        if layer is None or not isinstance(layer, QgsVectorLayer):
            return None
        if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
            words = self.geometry_words(layer.geometryType())
            self.report_error(tr("Layer {} is not a polygon layer ({}): a base map source needs parcels as "
                                 "polygons. It was not added.").format(layer.name(), words),
                              short=tr("{} is not a polygon layer ({}); not added.").format(layer.name(), words))
            return None
        self.clear_error()
        if layer.id() in [self.source_list.item(i).data(Qt.ItemDataRole.UserRole)
                          for i in range(self.source_list.count())]:
            return None
        role = saved_role(layer.id()) or source_reader.default_roles(self.source_list.count() + 1)[-1]
        save_role(layer.id(), role)
        item = QListWidgetItem(self._item_text(layer, role))
        item.setData(Qt.ItemDataRole.UserRole, layer.id())
        self.source_list.addItem(item)
        self.source_list.setCurrentItem(item)
        return item

    def _add_file(self):
        path, _ = QFileDialog.getOpenFileName(self, tr("Add source file"), QgsSettings().value(SETTINGS + "folder", ""),
                                              tr("Vector files (*.shp *.gpkg *.geojson *.tab *.kml);;All files (*)"))
        if not path:
            return
        QgsSettings().setValue(SETTINGS + "folder", os.path.dirname(path))
        self.add_file(path)

    def add_file(self, path):
        """Add a source from a file; a file without polygons (e.g. roads as lines) is refused at once,
        naming the file. Returns the list item, or None."""
        layer = QgsVectorLayer(path, os.path.splitext(os.path.basename(path))[0], "ogr")
        if not layer.isValid():
            self.report_error(tr("Source {} cannot be read (file missing or not a vector layer).").format(path))
            return None
        if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
            name, words = os.path.basename(path), self.geometry_words(layer.geometryType())
            self.report_error(tr("File {} is not a polygon layer ({}): a base map source needs parcels as polygons. "
                                 "It was not added.").format(name, words),
                              short=tr("{} is not a polygon layer ({}); not added.").format(name, words))
            return None
        reopened, encoding = source_reader.open_source(layer)
        if encoding and encoding != "UTF-8":
            layer.setProviderEncoding(encoding)  # our own new layer: show the user the right text
        QgsProject.instance().addMapLayer(layer)
        return self.add_layer(layer)

    def _remove_selected(self):
        row = self.source_list.currentRow()
        if row >= 0:
            self.source_list.takeItem(row)
        self._show_selected()

    def _layers_removed(self, ids):
        for i in reversed(range(self.source_list.count())):
            if self.source_list.item(i).data(Qt.ItemDataRole.UserRole) in ids:
                self.source_list.takeItem(i)

    @staticmethod
    def _item_text(layer, role):
        return "{}  [{}]".format(layer.name(), source_reader.ROLE_LABELS.get(role, role))

    def current_layer(self):
        item = self.source_list.currentItem()
        return QgsProject.instance().mapLayer(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def mapping_for(self, layer):
        """The mapping the run uses: saved by the user, else detected."""
        return source_reader.resolve_mapping(layer, saved_mapping(layer.id()), source_reader.field_names(layer))

    def _show_selected(self):
        layer = self.current_layer()
        self._loading = True
        try:
            enabled = layer is not None
            self.role_combo.setEnabled(enabled)
            self.mapping_table.setEnabled(enabled)
            for combo in self.mapping_combos.values():
                combo.clear()
                combo.addItem(NONE_TEXT, "")
            if not enabled:
                self.mapping_note.setText(tr("Add the source layers, then check each one's field mapping."))
                return
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(saved_role(layer.id()) or "other")))
            mapping = self.mapping_for(layer)
            names = source_reader.field_names(layer)  # GBK Shapefiles: the real names, as the build reads them
            for std, combo in self.mapping_combos.items():
                for name in names:
                    combo.addItem(name, name)
                combo.setCurrentIndex(max(0, combo.findData(mapping.get(std, ""))))
            self._update_note(layer, mapping)
        finally:
            self._loading = False

    def _update_note(self, layer, mapping):
        missing = [schema.alias(s) for s in source_reader.REQUIRED_FIELDS if not mapping.get(s)]
        if missing:
            self.mapping_note.setText(tr("Layer {}: choose a field for {}.").format(layer.name(), "、".join(missing)))
        else:
            self.mapping_note.setText(tr("Unmapped fields are carried along under their own names."))

    def _mapping_edited(self):
        if self._loading:
            return
        layer = self.current_layer()
        if layer is None:
            return
        mapping = {std: combo.currentData() or "" for std, combo in self.mapping_combos.items()}
        save_mapping(layer.id(), mapping)
        self._update_note(layer, {k: v for k, v in mapping.items() if v})

    def _role_edited(self):
        if self._loading:
            return
        layer = self.current_layer()
        if layer is None:
            return
        role = self.role_combo.currentData()
        save_role(layer.id(), role)
        self.source_list.currentItem().setText(self._item_text(layer, role))

    # ---- run ----------------------------------------------------------------------------------
    def parameters(self):
        layers = self.layers()
        # every standard field explicitly: a field the planner set to "—" stays unmapped in the
        # run (an omitted key would be auto-detected again by the algorithm)
        mappings = [{std: m.get(std, "") for std in source_reader.INPUT_FIELDS}
                    for m in (self.mapping_for(layer) for layer in layers)]
        keys = [p.key for p in landuse.presets()]
        preset = self.preset_combo.currentData()
        output = self.output_widget.filePath().strip()
        if output and not output.lower().endswith(".gpkg"):
            output += ".gpkg"
        params = {
            "SOURCES": layers,
            "ROLES": ",".join(saved_role(layer.id()) or "other" for layer in layers),
            "MAPPINGS": json.dumps(mappings, ensure_ascii=False),
            "LAND_USE_PRESET": 0 if preset == landuse.ALL else keys.index(preset) + 1,
            "MIN_PIECE_M2": self.min_piece.value(),
            "CODE_PREFIX": self.prefix_edit.text().strip(),
            "OUTPUT": output or "TEMPORARY_OUTPUT",
            "QA_OUTPUT": (output[:-5] + "_qa.gpkg") if output else "TEMPORARY_OUTPUT",
        }
        if self.crs_widget.crs().isValid():
            params["TARGET_CRS"] = self.crs_widget.crs()
        if self.previous_combo.currentLayer() is not None:
            params["PREVIOUS"] = self.previous_combo.currentLayer()
        return params

    def _remember(self):
        s = QgsSettings()
        s.setValue(SETTINGS + "preset", self.preset_combo.currentData())
        s.setValue(SETTINGS + "min_piece_m2", self.min_piece.value())
        s.setValue(SETTINGS + "code_prefix", self.prefix_edit.text().strip())
        s.setValue(SETTINGS + "output", self.output_widget.filePath())

    def run(self):
        """Start the build as a background task; returns the task (None when nothing to do)."""
        if self.task is not None:
            return None
        if not self.layers():
            self.report_error(tr("Add at least one source layer."))
            return None
        for layer in self.layers():
            if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
                self.report_error(tr("Source {} has no polygons (geometry type: {}).").format(
                    layer.name(), self.geometry_words(layer.geometryType())))
                return None
        self.clear_error()
        self._remember()
        task = AlgorithmTask(ALG_ID, self.parameters(), self._finished, self.progress, self.cancel_button)
        self.task, self._context, self._feedback = task, task.context, task.feedback
        self.run_button.setEnabled(False)
        self.status.setText(tr("Building the base map…"))
        task.start()
        return task

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def mapping_problem(self):
        """'' when every source has a field for each required standard field, else what to choose where."""
        for layer in self.layers():
            mapping = self.mapping_for(layer)
            missing = [f for f in source_reader.REQUIRED_FIELDS if not mapping.get(f)]
            if missing:
                return tr("Source {}: choose its field for {} in the 来源字段 column of the table above.").format(
                    layer.name(), "、".join("{}（{}）".format(schema.alias(f), f) for f in missing))
        return ""

    def _finished(self, ok, results):
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.task = None
        if not ok or not results:
            self.progress.setValue(0)
            reason = self._feedback.reason() if self._feedback else ""
            if self._feedback and self._feedback.was_cancelled():
                text = tr("Base map cancelled; nothing was written.")
            elif self.mapping_problem():
                # in the page's words (the source list and the field table), not Processing's MAPPINGS
                text = tr("The base map was not built: {}").format(self.mapping_problem())
                self.mapping_note.setText(self.mapping_problem())
            elif reason:
                text = tr("The base map was not built: {}").format(reason)
            else:
                text = tr("The base map was not built; see the Processing log for the reason.")
            self.status.setText(text)
            if self.iface is not None:
                self.iface.messageBar().pushWarning("LandEval", text)
            return
        self.progress.setValue(100)
        self._output = results.get("OUTPUT")
        self._qa_output = results.get("QA_OUTPUT")
        when = None
        if not self.output_widget.filePath().strip():
            # no file chosen: the run went to a staging file; keep it as new layers of the project's
            # LandEval GeoPackage (never a temporary file that disappears with QGIS)
            try:
                self._output, self._qa_output, when = self.keep_in_workspace(self._output, self._qa_output)
            except workspace.WorkspaceError as exc:
                self.status.setText(tr("The base map was built but could not be saved: {}").format(exc))
                return
        loaded = self.load_results(self._output, self._qa_output, when)
        self.status.setText(self.result_text(results, loaded))

    def result_text(self, results, loaded=()):
        """The 结果 area: totals counted on the loaded layers (so the page says what the layers hold)
        and the per-source figures the build reported."""
        counts = [layer.featureCount() for layer in loaded]
        parcels = counts[0] if counts else int(results.get("PARCEL_COUNT", 0))
        qa_rows = counts[1] if len(counts) > 1 else int(results.get("QA_COUNT", 0))
        lines = [tr("Base map: {} parcels, {:.2f} ha; QA: {} rows.").format(
            parcels, float(results.get("AREA_M2", 0.0)) / 1e4, qa_rows)]
        names = [layer.name() for layer in self.layers()]
        infos = self._feedback.infos if self._feedback is not None else []
        lines += [line for line in infos if any(line.startswith(n + " (") or line.startswith(n + ":") for n in names)]
        return "\n".join(lines)

    def keep_in_workspace(self, output, qa_output=None):
        """Copy the staged base map (and QA) into new layers of the project's LandEval GeoPackage;
        returns their URIs and the run's time. The staging files are removed."""
        now = datetime.datetime.now()
        gpkg = workspace.prepare(default_gpkg())
        names = workspace.new_layer_names(gpkg, ["base_map", "base_map_qa"] if qa_output else ["base_map"], now)
        context = QgsProject.instance().transformContext()
        kept = [workspace.copy_layer("{}|layername=base_map".format(output), gpkg, names[0], context)]
        if qa_output:
            kept.append(workspace.copy_layer("{}|layername=base_map_qa".format(qa_output), gpkg, names[1], context))
        for staged in (output, qa_output):
            if staged and os.path.isfile(staged):
                try:
                    os.remove(staged)
                except OSError:
                    pass  # Processing's temporary folder is emptied when QGIS closes
        return kept[0], (kept[1] if qa_output else None), now

    def load_results(self, output, qa_output=None, when=None):
        """Load the base map (its style is stored in the GeoPackage) and the QA layer in one group;
        ``output`` is a file (layer base_map) or one layer's URI (…|layername=…)."""
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.findGroup(GROUP_NAME)
        if group is not None:
            for layer in [n.layer() for n in group.findLayers() if n.layer() is not None]:
                project.removeMapLayer(layer.id())
        else:
            group = root.insertGroup(0, GROUP_NAME)
        loaded = []
        for path, layer_name, title, qml in ((output, "base_map", tr("Industrial land base map"), "base_map.qml"),
                                              (qa_output, "base_map_qa", tr("Base map QA"), "base_map_qa.qml")):
            if not path:
                continue
            uri = path if "|layername=" in path else "{}|layername={}".format(path, layer_name)
            if when is not None:
                title = "{} · {}".format(title, workspace.display_time(when))
            layer = QgsVectorLayer(uri, title, "ogr")
            if not layer.isValid():
                continue
            if layer.renderer() is None or layer.renderer().type() != "categorizedSymbol":
                from ...core import paths

                aliases.load_style(layer, paths.resource("styles", qml))
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            loaded.append(layer)
        if loaded and self.iface is not None:
            self.iface.setActiveLayer(loaded[0])
            self.iface.zoomToActiveLayer()
        return loaded

    def unload(self):
        try:
            QgsProject.instance().layersWillBeRemoved.disconnect(self._layers_removed)
        except (TypeError, RuntimeError):
            pass
        for signal in getattr(self, "_project_signals", []):
            try:
                signal.disconnect(self._show_output)
            except (TypeError, RuntimeError):
                pass
        self._project_signals = []
        self.cancel()
