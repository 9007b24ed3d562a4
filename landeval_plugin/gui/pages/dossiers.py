"""The "Dossiers / 一地一档" page: print 体检表 sheets for all or selected parcels; the map tool."""
import os

from qgis.core import (
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsProcessingContext,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProject,
    QgsSettings,
)
from qgis.gui import QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import (
    QAction,
    QCheckBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core import fonts, paths
from ...core.dossiers.errors import DossierError
from ...core.dossiers.printer import check_template, default_template
from ...i18n import tr
from ...tasks import dossier_job, threads
from ..dossier_tool import SETTINGS, DossierMapTool
from ..layer_defaults import follow
from ..overwrite import confirm_overwrite

ALG_ID = "landeval:dossiers"


class _Feedback(QgsProcessingFeedback):
    """Progress into the page's bar; keeps the window responsive while the layout prints."""

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        self.page.progress.setValue(int(value))
        QCoreApplication.processEvents()

    def setProgressText(self, text):
        super().setProgressText(text)
        self.page.status.setText(text)
        QCoreApplication.processEvents()

    def pushWarning(self, text):
        super().pushWarning(text)
        self.page.warnings.append(text)


class Page(QWidget):
    def __init__(self, iface, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.feedback = None
        self.task = None          # the running DossierTask
        self.last_results = None
        self.warnings = []
        self.tool = None
        self.action = None
        settings = QgsSettings()
        layout = QVBoxLayout(self)
        intro = QLabel(tr("Print the 体检表 (dossier sheet) of parcels: A4, Chinese, one PDF per parcel, one "
                          "combined PDF with bookmarks, and/or a workbook. Click a parcel with the 体检表 map "
                          "tool to preview its sheet."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.parcels = QgsMapLayerComboBox(self)
        self.parcels.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        form.addRow(tr("Parcels"), self.parcels)
        self.enterprises = QgsMapLayerComboBox(self)
        self.enterprises.setFilters(QgsMapLayerProxyModel.VectorLayer)
        self.enterprises.setAllowEmptyLayer(True)
        form.addRow(tr("Enterprises table"), self.enterprises)
        self.clusters = QgsMapLayerComboBox(self)
        self.clusters.setFilters(QgsMapLayerProxyModel.PolygonLayer)
        self.clusters.setAllowEmptyLayer(True)
        form.addRow(tr("Renovation clusters"), self.clusters)
        restored = QgsProject.instance().mapLayer(settings.value(SETTINGS + "parcels_layer", "") or "")
        # the most complete result (graded, with paths or clusters); the planner's last choice when it is loaded
        self._follower = follow(self.parcels, "dossiers", lambda: getattr(self, "task", None) is not None,
                                initial=restored is None)
        for combo, key in ((self.parcels, "parcels"), (self.enterprises, "enterprises"), (self.clusters, "clusters")):
            self._restore_layer(combo, settings.value(SETTINGS + key + "_layer", ""))
        self.year = QSpinBox(self)
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText(tr("latest"))
        self.year.setValue(int(settings.value(SETTINGS + "year", 0)))
        form.addRow(tr("Evaluation year"), self.year)
        self.store_note = QLabel("", self)  # where the sheets' 八、历年评价（复评） come from
        self.store_note.setObjectName("LandEvalDossierStore")
        self.store_note.setWordWrap(True)
        form.addRow(tr("History"), self.store_note)
        self.refresh_store()
        self.template_widget = QgsFileWidget(self)
        self.template_widget.setFilter(tr("Layout templates (*.qpt)"))
        self.template_widget.setFilePath(settings.value(SETTINGS + "template", ""))
        self.template_widget.lineEdit().setPlaceholderText(tr("default A4 sheet"))
        form.addRow(tr("Template"), self.template_widget)
        self.folder = QgsFileWidget(self)
        self.folder.setStorageMode(QgsFileWidget.GetDirectory)
        self.folder.setFilePath(settings.value(SETTINGS + "last_folder", ""))
        form.addRow(tr("Output folder"), self.folder)
        self.per_parcel = QCheckBox(tr("One PDF per parcel"))
        self.per_parcel.setChecked(settings.value(SETTINGS + "per_parcel", True, type=bool))
        self.combined = QCheckBox(tr("One combined PDF with bookmarks"))
        self.combined.setChecked(settings.value(SETTINGS + "combined", False, type=bool))
        self.workbook = QCheckBox(tr("Workbook (XLSX)"))
        self.workbook.setChecked(settings.value(SETTINGS + "workbook", False, type=bool))
        form.addRow(self.per_parcel)
        form.addRow(self.combined)
        form.addRow(self.workbook)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.print_selected_button = QPushButton(tr("Print selected"))
        self.print_all_button = QPushButton(tr("Print all"))
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.print_selected_button.clicked.connect(lambda: self.print_sheets(selected_only=True))
        self.print_all_button.clicked.connect(lambda: self.print_sheets(selected_only=False))
        self.cancel_button.clicked.connect(self.cancel)
        for b in (self.print_selected_button, self.print_all_button, self.cancel_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.edit_template_button = QPushButton(tr("Open the template in the layout designer"))
        self.edit_template_button.clicked.connect(self.open_in_designer)
        layout.addWidget(self.edit_template_button)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        family = fonts.resolve_cjk_family()
        if family is None:
            self.status.setText(tr("No Chinese font is installed, sheets would print as boxes. Install {} "
                                   "and restart QGIS.").format(fonts.INSTALL_HINT))

    def title(self):
        return tr("Dossiers")

    # -- choices ---------------------------------------------------------------------
    @staticmethod
    def _restore_layer(combo, layer_id):
        layer = QgsProject.instance().mapLayer(layer_id) if layer_id else None
        if layer is not None:
            combo.setLayer(layer)

    def parcel_layer(self):
        return self.parcels.currentLayer()

    def enterprise_layer(self):
        return self.enterprises.currentLayer()

    def cluster_layer(self):
        return self.clusters.currentLayer()

    def store_reference(self):
        """The store open in the dock's 项目 / 存储库 part ("" when none): STORE of the print."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QDockWidget):
            parent = parent.parentWidget()
        panel = getattr(parent, "store_panel", None) if parent is not None else None
        if panel is not None and getattr(self, "_store_panel", None) is not panel and hasattr(panel, "store_opened"):
            self._store_panel = panel  # the line follows the panel while the page is shown
            panel.store_opened.connect(self._store_opened)
        return getattr(panel, "opened", "") or ""

    def refresh_store(self):
        """Say on the page where the sheets' history (八、历年评价（复评）) comes from; returns the store."""
        ref = self.store_reference()
        if ref:
            self.store_note.setText(tr("History (历年评价) from the open store {}").format(ref))
        else:
            self.store_note.setText(tr("No store is open (项目 / 存储库): the history (历年评价) prints 暂无数据"))
        return ref

    def _store_opened(self, _ref=""):
        self.refresh_store()

    def showEvent(self, event):  # noqa: N802
        self.refresh_store()
        super().showEvent(event)

    def template(self):
        path = self.template_widget.filePath().strip()
        return path or None

    def _remember(self):
        s = QgsSettings()
        for combo, key in ((self.parcels, "parcels"), (self.enterprises, "enterprises"), (self.clusters, "clusters")):
            layer = combo.currentLayer()
            s.setValue(SETTINGS + key + "_layer", layer.id() if layer else "")
        s.setValue(SETTINGS + "template", self.template_widget.filePath())
        s.setValue(SETTINGS + "last_folder", self.folder.filePath())
        s.setValue(SETTINGS + "year", self.year.value())
        s.setValue(SETTINGS + "per_parcel", self.per_parcel.isChecked())
        s.setValue(SETTINGS + "combined", self.combined.isChecked())
        s.setValue(SETTINGS + "workbook", self.workbook.isChecked())

    # -- printing --------------------------------------------------------------------
    def parameters(self, selected_only):
        layer = self.parcel_layer()
        if layer is None:
            raise DossierError(tr("Choose the parcel layer."))
        if selected_only and layer.selectedFeatureCount() == 0:
            raise DossierError(tr("No parcel is selected on layer {}.").format(layer.name()))
        folder = self.folder.filePath().strip()
        if not folder:
            raise DossierError(tr("Choose the output folder."))
        if not (self.per_parcel.isChecked() or self.combined.isChecked() or self.workbook.isChecked()):
            raise DossierError(tr("Choose at least one output: a folder, a combined PDF or a workbook."))
        stamp = "{}_{}".format(tr("dossiers"), layer.name())
        params = {
            "INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), selectedFeaturesOnly=selected_only),
            "ENTERPRISES": self.enterprise_layer(),
            "CLUSTERS": self.cluster_layer(),
            "TEMPLATE": self.template() or "",
            "YEAR": self.year.value(),
            "STORE": self.refresh_store(),
        }
        if self.per_parcel.isChecked():
            params["OUTPUT_FOLDER"] = folder
        if self.combined.isChecked():
            params["OUTPUT_PDF"] = os.path.join(folder, stamp + ".pdf")
        if self.workbook.isChecked():
            params["XLSX"] = os.path.join(folder, stamp + ".xlsx")
        return params

    def print_sheets(self, selected_only=True):
        """Print with the page's choices in the background (tasks/dossier_job.py: a child process
        in a QgsTask). Returns the task, or None when nothing started; ``last_results`` holds
        the results once done."""
        try:
            params = self.parameters(selected_only)
        except DossierError as exc:
            QMessageBox.warning(self, tr("Dossiers"), str(exc))
            return None
        replace = confirm_overwrite(self, tr("Dossiers"), [params.get("OUTPUT_PDF"), params.get("XLSX")],
                                    params.get("OUTPUT_FOLDER"))
        if replace is False:
            return None
        if replace:
            params["OVERWRITE"] = True
        self._remember()
        alg = QgsApplication.processingRegistry().createAlgorithmById(ALG_ID)
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        ok, message = alg.checkParameterValues(params, context)
        if not ok:  # bad template, unwritable folder, no font: said before anything starts
            QMessageBox.warning(self, tr("Dossiers"), message)
            return None
        self.warnings = []
        self.last_results = None
        job = dossier_job.DossierJob(
            self.parcel_layer(), selected_only=selected_only, enterprises=self.enterprise_layer(),
            clusters=self.cluster_layer(), template=params["TEMPLATE"], year=params["YEAR"],
            output_folder=params.get("OUTPUT_FOLDER", ""), output_pdf=params.get("OUTPUT_PDF", ""),
            xlsx=params.get("XLSX", ""), store=params["STORE"])
        if not job.python:
            self.print_in_process(params, tr("No Python interpreter found to print in the background."))
            return None
        try:
            job.prepare()
        except DossierError as exc:
            QMessageBox.warning(self, tr("Dossiers"), str(exc))
            return None
        task = dossier_job.DossierTask(job, tr("Print dossier sheets ({})").format(self.parcel_layer().name()))
        task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        task.message.connect(self.status.setText)
        task.done.connect(lambda: self._task_done(task, params))
        self.task = task
        self._busy(True)
        self.status.setText(tr("Printing in the background: you can keep working in QGIS."))
        threads.add_task(task)  # its run() reads the child's reports in a worker thread
        return task

    def _task_done(self, task, params):
        if task is not self.task:
            return
        self.task = None
        self._busy(False)
        if task.unavailable:
            self.print_in_process(params, task.unavailable)
        elif task.results:
            self.progress.setValue(100)
            self.warnings = list(task.warnings)
            self._show_results(task.results)
        elif task.error:
            self.status.setText(task.error)
            self._push("pushCritical", task.error)
        else:
            self.status.setText(tr("Cancelled: nothing was written."))

    def print_in_process(self, params, reason=""):
        """Print in QGIS itself (when no child process can start): QGIS stays busy until done."""
        note = tr("No background process could be started, printing inside QGIS: {}").format(reason) if reason else ""
        self.status.setText(note)
        self.warnings = [note] if note else []
        self.feedback = _Feedback(self)
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        self._busy(True)
        try:
            import processing

            results = processing.run(ALG_ID, params, feedback=self.feedback, context=context)
        except Exception as exc:  # QgsProcessingException carries the user message
            if self.feedback.isCanceled():
                self.status.setText(tr("Cancelled: nothing was written."))
            else:
                self.status.setText("\n".join([str(exc)] + self.warnings))
                QMessageBox.warning(self, tr("Dossiers"), str(exc))
            return None
        finally:
            self._busy(False)
            self.feedback = None
        if not results.get("SHEETS") or not any(k in results for k in ("OUTPUT_FOLDER", "OUTPUT_PDF", "XLSX")):
            self.status.setText(tr("Cancelled: nothing was written."))
            return None
        self._show_results(results)
        return results

    def _show_results(self, results):
        self.last_results = results
        text = tr("{} sheets, {} pages printed to {}").format(results.get("SHEETS"), results.get("PAGES"),
                                                                   self.folder.filePath())
        if self.warnings:
            text += "\n" + "\n".join(self.warnings)
        self.status.setText(text)
        self._push("pushSuccess", text.splitlines()[0])

    def _push(self, kind, text):
        if self.iface is not None and hasattr(self.iface, "messageBar"):
            try:
                getattr(self.iface.messageBar(), kind)("LandEval", text)
            except Exception:
                pass

    def cancel(self):
        if self.task is not None:
            self.task.cancel()
        elif self.feedback is not None:
            self.feedback.cancel()

    def _busy(self, busy):
        self.print_selected_button.setEnabled(not busy)
        self.print_all_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setValue(0)

    def open_folder(self):
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.filePath()))

    # -- template in the designer ----------------------------------------------------
    def open_in_designer(self):
        """Add the template as a print layout of the project, bound to the parcel layer, and open it."""
        from qgis.core import QgsPrintLayout, QgsReadWriteContext

        path = self.template() or default_template()
        try:
            doc = check_template(path)
        except DossierError as exc:
            QMessageBox.warning(self, tr("Dossiers"), str(exc))
            return None
        project = QgsProject.instance()
        layout = QgsPrintLayout(project)
        layout.loadFromTemplate(doc, QgsReadWriteContext())
        name = tr("Dossier sheet") + " - " + os.path.basename(path)
        existing = project.layoutManager().layoutByName(name)
        if existing is not None:
            project.layoutManager().removeLayout(existing)
        layout.setName(name)
        layer = self.parcel_layer()
        if layer is not None:
            layout.atlas().setCoverageLayer(layer)
            layout.atlas().setEnabled(True)
        family = fonts.resolve_cjk_family()
        if family:
            fonts.apply_family(layout, family)
        project.layoutManager().addLayout(layout)
        if self.iface is not None and hasattr(self.iface, "openLayoutDesigner"):
            self.iface.openLayoutDesigner(layout)
        self.status.setText(tr("Edit the sheet, then save it with Layout ▸ Save as Template and choose that .qpt as "
                               "the template here. Fields d_* are filled in when LandEval prints."))
        return layout

    # -- map tool --------------------------------------------------------------------
    def page_actions(self):
        if self.action is None:
            canvas = self.iface.mapCanvas() if self.iface is not None else None
            self.action = QAction(QIcon(paths.resource("icons", "dossiers.svg")), tr("体检表 (dossier sheet)"), self)
            self.action.setObjectName("mActionLandEvalDossierTool")
            self.action.setCheckable(True)
            self.action.setToolTip(tr("Click a parcel to preview and print its dossier sheet"))
            if canvas is not None:
                self.tool = DossierMapTool(canvas, self)
                self.tool.setAction(self.action)
                self.action.triggered.connect(lambda checked: canvas.setMapTool(self.tool) if checked else
                                              canvas.unsetMapTool(self.tool))
        return [self.action]

    def unload(self):
        self._follower.stop()
        if self.task is not None:
            self.task.cancel()  # kills the child; the task removes its files
        if self.tool is not None and self.iface is not None:
            self.iface.mapCanvas().unsetMapTool(self.tool)
        self.tool = None
