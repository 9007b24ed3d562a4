"""The 处置 page: choose the rule set (Chinese names, or a file) and the planning layers, read the
rule set's source and assumptions before the run, run landeval:disposal in the background into
the project's LandEval GeoPackage, see the paths that occur (map legend with counts and 亩),
the plan per path × town and the run's warnings, and record the room's 研判 on a parcel's path.

Decisions (disposal_final and reason, who, when) are edits of the result layer (one undo step
each) and are carried into the next run by parcel code (the algorithm's PREVIOUS). A grade 研判
on the 分类评价 page re-proposes the path of the reviewed parcels (events.hub).
"""
import datetime
import json
import os

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsExpression,
    QgsFeatureRequest,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsRendererCategory,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import aliases, paths, schema, workspace
from ...core.disposal import disposal
from ...core.units import M2_PER_MU, AreaMeter
from ...i18n import tr
from ...tasks.algorithm_task import AlgorithmTask
from ..events import hub
from ..output_location import OutputLocation, breakable
from ..review_dialog import PATH, DecisionDialog, parcel_facts

SETTINGS = "landeval/disposal/"
SCOPE = "landeval"
OPEN_FILE = "__open__"
EFFECTIVE = 'coalesce("disposal_final", "disposal", \'\')'
# picker key -> (algorithm parameter, English label, names that identify the layer in a project)
PLANNING = (
    ("development_boundary", "DEVELOPMENT_BOUNDARY", "Development boundary (城镇开发边界)",
     ("城镇开发边界", "开发边界", "czkfbj")),
    ("industrial_line", "INDUSTRIAL_LINE", "Industrial line (工业保障线)", ("工业保障线", "工业用地保障线", "gybzx")),
    ("expropriation", "EXPROPRIATION", "Expropriation range (征收范围)", ("征收范围", "zsfw")),
    ("reclamation", "RECLAMATION", "Reclamation range (拆旧复垦范围)", ("拆旧复垦范围", "拆旧复垦", "cjfk")),
    ("update_units", "UPDATE_UNITS", "Update units (更新单元)", ("更新单元", "gxdy")),
)


def planning_label(key):
    return {"development_boundary": tr("Development boundary"), "industrial_line": tr("Industrial line"),
            "expropriation": tr("Expropriation range"), "reclamation": tr("Reclamation range"),
            "update_units": tr("Update units")}[key]


def _text(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    text = str(value).strip()
    return text or None


def layer_names(layer):
    """The names a layer is known by: its name in the project and the table of its source."""
    names = [layer.name()]
    source = layer.source()
    if "layername=" in source:
        names.append(source.split("layername=", 1)[1].split("|", 1)[0])
    names.append(os.path.splitext(os.path.basename(source.split("|", 1)[0]))[0])
    return [n.strip().lower() for n in names if n]


def planning_match(layers, key, words):
    """The project's layer for planning picker ``key``: the one remembered for that role in the
    project, else the first polygon layer whose name (or source table) is one of ``words``, else
    one whose name contains one of them; None when none fits."""
    polygons = [lay for lay in layers if isinstance(lay, QgsVectorLayer) and lay.isValid()
                and QgsWkbTypes.geometryType(lay.wkbType()) == QgsWkbTypes.PolygonGeometry]
    text, ok = QgsProject.instance().readEntry(SCOPE, "disposal/role/" + key, "")
    if ok and text:
        for lay in polygons:
            if lay.id() == text:
                return lay
    lowered = [w.lower() for w in words]
    for lay in polygons:
        if any(n in lowered for n in layer_names(lay)):
            return lay
    for lay in polygons:
        if any(w in lay.name().lower() for w in lowered):
            return lay
    return None


def path_counts(layer):
    """{effective path ('' for none): [parcels, 亩]} over the layer (the decision over the proposal)."""
    expr = QgsExpression(EFFECTIVE)
    from qgis.core import QgsExpressionContext, QgsExpressionContextUtils

    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expr.prepare(ctx)
    meter = AreaMeter(layer.crs())
    out = {}
    for f in layer.getFeatures():
        ctx.setFeature(f)
        value = _text(expr.evaluate(ctx)) or ""
        geom = f.geometry()
        mu = meter.m2(geom) / M2_PER_MU if geom is not None and not geom.isEmpty() else 0.0
        cell = out.setdefault(value, [0, 0.0])
        cell[0] += 1
        cell[1] += mu
    return out


def style_colours():
    """{path: symbol} from resources/styles/disposal.qml (the colours the project agreed on)."""
    ref = QgsVectorLayer("Polygon?crs=EPSG:4326&field=disposal:string", "ref", "memory")
    aliases.load_style(ref, paths.resource("styles", "disposal.qml"))
    renderer = ref.renderer()
    out = {}
    if isinstance(renderer, QgsCategorizedSymbolRenderer):
        for cat in renderer.categories():
            out[str(cat.value()) if cat.value() is not None else ""] = cat.symbol().clone()
    return out


def category_label(path, n, mu):
    name = path if path else tr("No path proposed")
    return tr("{} ({} parcels, {:,.1f} mu)").format(name, n, mu)


def build_renderer(layer, order=()):
    """A categorized renderer with only the paths that occur on ``layer``, each labelled with its
    parcels and 亩, coloured as in disposal.qml; ``order``: the rule set's path order."""
    counts = path_counts(layer)
    colours = style_colours()
    rank = {p: i for i, p in enumerate(order)}
    cats = []
    from qgis.core import QgsSymbol

    for value in sorted(counts, key=lambda v: (v == "", rank.get(v, len(rank)), v)):
        n, mu = counts[value]
        symbol = colours.get(value)
        if symbol is None:
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        cats.append(QgsRendererCategory(value, symbol, category_label(value, n, mu)))
    return QgsCategorizedSymbolRenderer(EFFECTIVE, cats), counts



def plan_from_layer(layer):
    """{town: {path: {"parcels", "mu", "decided"}}} over the disposal layer: each parcel under the
    room's recorded path (disposal_final) when there is one, else the proposal; ``decided`` counts
    the recorded ones; "无" for no path. Areas in 亩 from the geometry, as the run's plan."""
    names = layer.fields().names()
    meter = AreaMeter(layer.crs())
    plan = {}
    for f in layer.getFeatures():
        final = _text(f["disposal_final"]) if "disposal_final" in names else None
        path = final or (_text(f["disposal"]) if "disposal" in names else None) or "无"
        town = (_text(f["town"]) if "town" in names else None) or disposal.NO_TOWN
        geom = f.geometry()
        mu = meter.m2(geom) / M2_PER_MU if geom is not None and not geom.isEmpty() else 0.0
        cell = plan.setdefault(town, {}).setdefault(path, {"parcels": 0, "mu": 0.0, "decided": 0})
        cell["parcels"] += 1
        cell["mu"] += mu
        cell["decided"] += 1 if final else 0
    return plan

class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.task = None
        self.feedback = None
        self.context = None
        self.result_layer = None
        self.ruleset = None
        self.report = None
        self.run_params = {}
        self._build()
        self._load_rulesets()
        self.pick_planning_layers()
        self.pick_parcels()
        project = QgsProject.instance()
        self._signals = [(project.layersAdded, self._layers_added), (hub.gradeReviewed, self.grade_reviewed)]
        for signal, slot in self._signals:
            signal.connect(slot)

    def title(self):
        return tr("Disposal")

    # ---- widgets ---------------------------------------------------------------------------------
    def _build(self):
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.parcels = QgsMapLayerComboBox(self)
        self.parcels.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        form.addRow(tr("Graded parcels"), self.parcels)
        self.ruleset_combo = QComboBox(self)
        self.ruleset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.ruleset_combo.setMinimumContentsLength(16)
        form.addRow(tr("Rule set"), self.ruleset_combo)
        self.notes = QLabel(self)
        self.notes.setObjectName("disposalNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the rule set's source and assumptions: open before a run, folded after it so the results show
        self.notes_box = QgsCollapsibleGroupBox(tr("Basis and assumptions"), self)
        self.notes_box.setObjectName("disposalNotesBox")
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.addWidget(self.notes)
        form.addRow(self.notes_box)
        self.pickers = {}
        self._picking = True  # picks made by the page are not the planner's choice of a role
        for key, _param, _label, _words in PLANNING:
            combo = QgsMapLayerComboBox(self)
            combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)  # not the first layer of the project: pick_planning_layers() chooses
            if hasattr(combo, "setPlaceholderText"):
                combo.setPlaceholderText(tr("none"))
            combo.setObjectName("planning_" + key)
            combo.layerChanged.connect(lambda layer, k=key: self._planning_chosen(k, layer))
            self.pickers[key] = combo
            form.addRow(planning_label(key), combo)
        self._picking = False
        self.output = OutputLocation("disposal", self)
        form.addRow(tr("Output GeoPackage"), self.output)
        layout.addLayout(form)

        buttons = QHBoxLayout()
        self.run_button = QPushButton(tr("Propose disposal paths"), self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.decide_button = QPushButton(tr("Review the path of the selected parcel…"), self)
        self.decide_button.setEnabled(False)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.decide_button)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setObjectName("disposalStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("disposalWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.setVisible(False)
        layout.addWidget(self.warnings)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("disposalPlan")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(140)
        layout.addWidget(self.table, 1)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.decide_button.clicked.connect(self.decide_selected)
        self.ruleset_combo.activated.connect(self._ruleset_activated)

    # ---- rule sets ------------------------------------------------------------------------------
    def _load_rulesets(self, current=None):
        s = QgsSettings()
        files = [f for f in (s.value(SETTINGS + "files", []) or []) if os.path.isfile(f)]
        self.ruleset_combo.blockSignals(True)
        self.ruleset_combo.clear()
        for pid, name in disposal.list_presets():
            self.ruleset_combo.addItem(name, pid)
            self.ruleset_combo.setItemData(self.ruleset_combo.count() - 1, "{}（{}）".format(name, pid),
                                           Qt.ItemDataRole.ToolTipRole)
        for f in files:
            try:
                label = disposal.load_ruleset(f).name
            except disposal.DisposalError:
                label = os.path.basename(f)
            self.ruleset_combo.addItem(label, f)
            self.ruleset_combo.setItemData(self.ruleset_combo.count() - 1, f, Qt.ItemDataRole.ToolTipRole)
        self.ruleset_combo.addItem(tr("Open…"), OPEN_FILE)
        wanted = current or s.value(SETTINGS + "ruleset", disposal.DEFAULT_RULESET)
        idx = self.ruleset_combo.findData(wanted)
        self.ruleset_combo.setCurrentIndex(max(idx, 0))
        self.ruleset_combo.blockSignals(False)
        self._ruleset_changed()

    def _ruleset_activated(self, index):
        if self.ruleset_combo.itemData(index) == OPEN_FILE:
            path, _ = QFileDialog.getOpenFileName(self, tr("Open a disposal rule set"), "",
                                                  tr("Disposal rule sets (*.yaml *.yml)"))
            if path:
                self.add_ruleset_file(path)
            else:
                self._load_rulesets(self._last_ruleset())
            return
        self._ruleset_changed()

    def _last_ruleset(self):
        return QgsSettings().value(SETTINGS + "ruleset", disposal.DEFAULT_RULESET)

    def add_ruleset_file(self, path):
        s = QgsSettings()
        files = [f for f in (s.value(SETTINGS + "files", []) or []) if f != path]
        s.setValue(SETTINGS + "files", [path] + files[:9])
        self._load_rulesets(path)

    def ruleset_key(self):
        key = self.ruleset_combo.currentData()
        return None if key == OPEN_FILE else key

    def _ruleset_changed(self, *args):
        key = self.ruleset_key()
        if not key:
            return
        try:
            self.ruleset = disposal.load_ruleset(key)
        except disposal.DisposalError as exc:
            self.ruleset = None
            self.notes.setText(str(exc))
            self.notes_box.setCollapsed(False)
            self.run_button.setEnabled(False)
            return
        QgsSettings().setValue(SETTINGS + "ruleset", key)
        self.ruleset_combo.setToolTip(self.ruleset_combo.currentText())
        # the name is in the combo; parameters in words (是/否, not Python's True/False)
        lines = [line for line in self.ruleset.describe()[1:] if not line.startswith("参数 @")]
        for name, value in self.ruleset.params.items():
            shown = ("是" if value else "否") if isinstance(value, bool) else value
            lines.append(tr("Parameter @{} = {}").format(name, shown))
        lines.append(tr("Paths: {}").format("、".join(self.ruleset.paths)))
        self.notes.setText("\n".join(lines))
        self.notes.setToolTip("\n".join(self.ruleset.rule_lines()))  # each rule with the clause it implements
        self.notes_box.setCollapsed(False)
        self.run_button.setEnabled(self.task is None)

    # ---- layers ----------------------------------------------------------------------------------
    def pick_planning_layers(self):
        """Each planning picker takes the project's layer for it (by remembered role or by name)."""
        layers = list(QgsProject.instance().mapLayers().values())
        for key, _param, _label, words in PLANNING:
            combo = self.pickers[key]
            if combo.currentLayer() is not None:
                continue
            layer = planning_match(layers, key, words)
            if layer is not None:
                combo.blockSignals(True)
                combo.setLayer(layer)
                combo.blockSignals(False)

    def pick_parcels(self):
        """The parcels the step reads: the latest layer with grade and cluster ids, else with a grade."""
        layers = [lay for lay in QgsProject.instance().mapLayers().values()
                  if isinstance(lay, QgsVectorLayer) and lay.isValid()
                  and QgsWkbTypes.geometryType(lay.wkbType()) == QgsWkbTypes.PolygonGeometry
                  and lay is not self.result_layer and "disposal" not in lay.fields().names()]
        for wanted in (("grade", "cluster_id"), ("grade",)):
            fits = [lay for lay in layers if all(n in lay.fields().names() for n in wanted)]
            if fits:
                self.parcels.setLayer(fits[-1])
                return fits[-1]
        return None

    def _layers_added(self, layers):
        self.pick_planning_layers()
        if any("grade" in lay.fields().names() for lay in layers if isinstance(lay, QgsVectorLayer)) and \
                self.task is None and not getattr(self, "_adding", False):
            self.pick_parcels()

    def _planning_chosen(self, key, layer):
        if self._picking:
            return
        project = QgsProject.instance()
        if layer is None:
            project.removeEntry(SCOPE, "disposal/role/" + key)
        else:
            project.writeEntry(SCOPE, "disposal/role/" + key, layer.id())

    def planning_layers(self):
        return {key: self.pickers[key].currentLayer() for key, *_ in PLANNING}

    # ---- the run ---------------------------------------------------------------------------------
    def params(self):
        layer = self.parcels.currentLayer()
        params = {"INPUT": layer, "RULESET": self.ruleset_key()}
        for key, param, _label, _words in PLANNING:
            chosen = self.pickers[key].currentLayer()
            if chosen is not None:
                params[param] = chosen
        previous = self.previous_layer()
        if previous is not None:
            params["PREVIOUS"] = previous
        return params

    def previous_layer(self):
        """The last result of this page while it is in the project: its decisions carry over."""
        layer = self.result_layer
        if layer is None or layer.id() not in QgsProject.instance().mapLayers():
            return None
        return layer

    def run(self):
        layer = self.parcels.currentLayer()
        if self.task is not None:
            return
        if layer is None:
            self._fail(tr("Choose the graded parcel layer."))
            return
        if self.ruleset is None:
            self._fail(tr("Choose a rule set that can be read."))
            return
        previous = self.previous_layer()
        if previous is not None and previous.isEditable() and previous.isModified():
            # decisions are edits of the last result: saved so that the run reads and carries them
            if not previous.commitChanges():
                self._fail(tr("The decisions on layer {} cannot be saved: {}").format(
                    previous.name(), "；".join(previous.commitErrors())))
                return
        try:
            gpkg, names, destinations = self.output.new_run(["disposal"])
        except workspace.WorkspaceError as exc:
            self._fail(str(exc))
            return
        params = self.params()
        params["OUTPUT"] = destinations["disposal"]
        self.run_params = {"gpkg": gpkg, "table": names["disposal"], "time": datetime.datetime.now(),
                           "planning": self.planning_layers(), "ruleset": self.ruleset_key(),
                           "ruleset_name": self.ruleset.name, "input": layer.name()}
        task = AlgorithmTask("landeval:disposal", params, self._finished, self.progress, self.cancel_button)
        self.task, self.context, self.feedback = task, task.context, task.feedback
        self.progress.setVisible(True)
        self.run_button.setEnabled(False)
        self.table.setRowCount(0)
        self.warnings.setVisible(False)
        self.status.setText(tr("Proposing disposal paths for {} with {}…").format(layer.name(), self.ruleset.name))
        task.start()

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _fail(self, text):
        self.status.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage("LandEval", text, Qgis.MessageLevel.Critical, 8)

    def _finished(self, ok, results):
        self.task = None
        self.progress.setVisible(False)
        self.run_button.setEnabled(self.ruleset is not None)
        self.cancel_button.setEnabled(False)
        if not ok or not results:
            if self.feedback is not None and self.feedback.was_cancelled():
                self.status.setText(tr("Disposal run cancelled; nothing was added."))
                return
            reason = self.feedback.reason() if self.feedback is not None else ""
            self._fail(tr("Disposal run failed: {}").format(reason) if reason else
                       tr("Disposal run failed: see the LandEval log."))
            return
        dest = results.get("OUTPUT")
        layer = self.context.takeResultLayer(dest) if dest else None
        if layer is None and dest:
            layer = QgsVectorLayer(dest, "", "ogr")
        if layer is None or not layer.isValid():
            self._fail(tr("The disposal layer could not be opened: {}").format(dest))
            return
        try:
            report = json.loads(results.get("REPORT") or "{}")
        except ValueError:
            report = {}
        self.show_result(layer, report)

    def show_result(self, layer, report):
        """Add the styled result layer, fill the plan table and the warnings (also used by tests)."""
        project = QgsProject.instance()
        if self.result_layer is not None and self.result_layer.id() in project.mapLayers():
            node = project.layerTreeRoot().findLayer(self.result_layer.id())
            if node is not None:
                node.setItemVisibilityChecked(False)  # the earlier run stays, hidden under the new one
        run = self.run_params
        when = workspace.display_time(run.get("time"))
        layer.setName(tr("Disposal · {} · {}").format(run.get("ruleset_name") or report.get("name", ""), when))
        for k in range(layer.fields().count()):
            alias = schema.alias(layer.fields().at(k).name())
            if alias and alias != layer.fields().at(k).name():
                layer.setFieldAlias(k, alias)
        self.ruleset_order = list(self.ruleset.paths) if self.ruleset is not None else []
        self.restyle(layer)
        self._adding = True
        try:
            project.addMapLayer(layer, False)
            project.layerTreeRoot().insertLayer(0, layer)
        finally:
            self._adding = False
        self.result_layer = layer
        self.report = report
        self._watch(layer)
        self.fill_plan(plan_from_layer(layer))
        warnings = list(report.get("warnings") or [])
        self.warnings.setText("\n".join("⚠ " + w for w in warnings))
        self.warnings.setVisible(bool(warnings))
        counts = path_counts(layer)
        total = sum(n for n, _ in counts.values())
        text = tr("{} parcels: {}.").format(total, "，".join(
            category_label(p, n, mu) for p, (n, mu) in sorted(counts.items(), key=lambda kv: (kv[0] == "", -kv[1][0]))))
        if run.get("gpkg"):
            text += "\n" + tr("Saved as layer {} in {}").format(run["table"], breakable(run["gpkg"]))
        text += "\n" + tr("Select a parcel on the map and review its path with the button above.")
        self.status.setText(text)
        self._selection_changed()
        self.notes_box.setCollapsed(True)  # the basis stays one click away; the results come into view
        self._show_results()
        if self.iface is not None:
            self.iface.mapCanvas().refresh()

    def _show_results(self):
        """Scroll the dock's page so that the run's summary is in view."""
        from qgis.PyQt.QtWidgets import QScrollArea

        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.status, 0, 0)

    def _watch(self, layer):
        """Follow the result layer: its selection enables the 研判 button; a decision, its undo and redo
        all move the layer's undo stack, and the legend counts follow."""
        self._unwatch()
        self._layer_signals = [(layer.selectionChanged, self._selection_changed),
                               (layer.undoStack().indexChanged, self._undo_moved),
                               (layer.willBeDeleted, self._result_deleted)]
        for signal, slot in self._layer_signals:
            signal.connect(slot)

    def _unwatch(self, *args):
        for signal, slot in getattr(self, "_layer_signals", []):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._layer_signals = []

    def _result_deleted(self, *args):
        self._unwatch()
        self.result_layer = None
        self.decide_button.setEnabled(False)

    def _undo_moved(self, *args):
        if self.result_layer is not None and self.result_layer.id() in QgsProject.instance().mapLayers():
            self.restyle(self.result_layer)
            self.fill_plan(plan_from_layer(self.result_layer))  # decisions, their undo and re-proposals

    def restyle(self, layer=None):
        layer = layer or self.result_layer
        if layer is None:
            return None
        renderer, counts = build_renderer(layer, getattr(self, "ruleset_order", ()))
        layer.setRenderer(renderer)
        layer.triggerRepaint()
        if self.iface is not None and hasattr(self.iface, "layerTreeView") and self.iface.layerTreeView() is not None:
            self.iface.layerTreeView().refreshLayerSymbology(layer.id())
        return counts

    def fill_plan(self, plan):
        """Rows: the paths (rule set order, no path last); columns: towns then 合计; cells: 宗 · 亩, with
        “（研判 k）” when k of them are the room's recorded path rather than the proposal (``plan``:
        plan_from_layer(), or the run report's plan, which has proposals only)."""
        towns = sorted(plan)
        found = {p for by_path in plan.values() for p in by_path}
        order = [p for p in getattr(self, "ruleset_order", []) if p in found]
        order += sorted(p for p in found if p not in order and p != "无") + (["无"] if "无" in found else [])
        self.plan_rows = order
        self.plan_towns = towns
        self.table.clear()
        self.table.setRowCount(len(order))
        self.table.setColumnCount(len(towns) + 1)
        self.table.setHorizontalHeaderLabels(towns + [tr("Total")])
        self.table.setVerticalHeaderLabels([p if p != "无" else tr("No path proposed") for p in order])
        for r, p in enumerate(order):
            tot_n, tot_mu, tot_decided = 0, 0.0, 0
            for c, town in enumerate(towns):
                cell = plan[town].get(p)
                n, mu, decided = (cell["parcels"], cell["mu"], cell.get("decided", 0)) if cell else (0, 0.0, 0)
                tot_n += n
                tot_mu += mu
                tot_decided += decided
                self._cell(r, c, n, mu, decided)
            self._cell(r, len(towns), tot_n, tot_mu, tot_decided)

    def _cell(self, r, c, n, mu, decided=0):
        text = tr("{} · {:,.1f} mu").format(n, mu) if n else "—"
        if decided:
            #: the number of parcels in the cell whose path the review meeting recorded (研判)
            text += tr(" (reviewed {})").format(decided)
        item = QTableWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (n, mu))
        if decided:
            item.setToolTip(tr("{} of these {} parcels carry the path recorded at the review (研判); the others "
                               "the proposal.").format(decided, n))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(r, c, item)

    # ---- 研判 of the path --------------------------------------------------------------------------
    def _selection_changed(self, *args):
        layer = self.result_layer
        self.decide_button.setEnabled(layer is not None and layer.selectedFeatureCount() > 0)

    def decide_selected(self):
        layer = self.result_layer
        if layer is None or not layer.selectedFeatureCount():
            self.status.setText(tr("Select the parcels on the disposal layer first."))
            return None
        fids = sorted(layer.selectedFeatureIds())
        dlg = self.decision_dialog(fids)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.decide(fids, *dlg.values())

    def decision_dialog(self, fids):
        paths_ = self.ruleset.paths if self.ruleset is not None else {}
        choices = [(p, "{} — {}".format(p, text) if text else p) for p, text in paths_.items()]
        return DecisionDialog(PATH, choices, parcel_facts(self.result_layer, fids[0]), len(fids), parent=self)

    def decide(self, fids, path, reason, by, at=None):
        """Record the decision (one undo step on the result layer) and show it."""
        layer = self.result_layer
        try:
            n = disposal.apply_decision(layer, fids, path, reason, by, at,
                                        list(self.ruleset.paths) if self.ruleset is not None else None)
        except disposal.DisposalError as exc:
            self._fail(str(exc))
            return 0
        self.restyle(layer)
        self.status.setText(tr("{} parcel(s): path {} recorded by {}. Save the layer edits to keep it (Ctrl+Z "
                               "undoes); the next run carries it over.").format(n, path, by))
        return n

    def grade_reviewed(self, graded_layer, reviewed):
        """A grade 研判 on the 分类评价 page: copy the new class onto the disposal result and propose
        the path of those parcels again; the message bar says which paths changed."""
        layer = self.result_layer
        if layer is None or layer.id() not in QgsProject.instance().mapLayers() or self.ruleset is None:
            return []
        if "parcel_code" not in layer.fields().names() or graded_layer is layer:
            return []
        grade_values, fids = {}, []
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
        for f in layer.getFeatures(request):
            code = _text(f["parcel_code"])
            if code in reviewed:
                fids.append(f.id())
                grade_values[f.id()] = reviewed[code]
        if not fids:
            return []
        planning = dict(self.run_params.get("planning") or {})
        planning = {k: v for k, v in planning.items() if v is not None and v.id() in QgsProject.instance().mapLayers()}
        try:
            changed = disposal.repropose_in_place(layer, fids, self.ruleset, grade_values, **planning)
        except disposal.DisposalError as exc:
            self._fail(str(exc))
            return []
        self.restyle(layer)
        codes = {f.id(): _text(f["parcel_code"]) for f in layer.getFeatures(QgsFeatureRequest().setFilterFids(fids))}
        if changed:
            text = tr("The class review changed the proposed path of {} parcel(s): {}").format(
                len(changed), "；".join("{} {}→{}".format(codes.get(fid), old or tr("none"), new or tr("none"))
                                       for fid, old, new in changed[:10]))
        else:
            text = tr("The class review was applied to the disposal layer; the proposed path of {} parcel(s) "
                      "stays the same.").format(len(fids))
        self.status.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage("LandEval", text, Qgis.MessageLevel.Info, 8)
        return changed

    def page_actions(self):
        return []

    def unload(self):
        self.cancel()
        for combo in self.pickers.values():  # layers removed after unload must not call back into the page
            combo.blockSignals(True)
        for signal, slot in self._signals:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._signals = []
        for combo in self.pickers.values():  # QGIS 3.40 emits layerChanged while the project's layers go
            try:
                combo.layerChanged.disconnect()
            except (TypeError, RuntimeError):
                pass
        self._unwatch()
        self.output.unload()
        self.result_layer = None
