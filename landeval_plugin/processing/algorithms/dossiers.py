"""landeval:dossiers — print the 一地一档 体检表 of parcels to PDF (per parcel or combined) and XLSX."""
import os

from qgis.core import (
    QgsExpression,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from ...core import files, fonts, interrupt
from ...core.dossiers.errors import DossierError
from .. import one_year
from ..base import LandEvalAlgorithm


class DossiersAlgorithm(LandEvalAlgorithm):
    NAME = "dossiers"
    INPUT = "INPUT"
    FILTER = "FILTER"
    TEMPLATE = "TEMPLATE"
    ENTERPRISES = "ENTERPRISES"
    CLUSTERS = "CLUSTERS"
    YEAR = "YEAR"
    NEIGHBOURS = "NEIGHBOURS"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OUTPUT_PDF = "OUTPUT_PDF"
    XLSX = "XLSX"
    STORE = "STORE"
    WORKERS = "WORKERS"

    def displayName(self):
        return self.tr("Print dossier sheets (一地一档)")

    def group(self):
        return self.tr("LandEval industrial land")

    def shortHelpString(self):
        return self.tr(
            "Prints the 体检表 (dossier sheet) of every parcel of the input layer, or of its selected "
            "parcels only: header with parcel code, owner, town, address and grade badge; parcel data; "
            "location map with neighbours by grade, cluster outline, scale bar, north arrow and overview; "
            "enterprises on the parcel; indicators of the year and the two before with benchmark, weight "
            "and score; total score, rank and class; reasons, veto items and low-efficiency tags; proposed "
            "and reviewed disposal; review notes; data sources and sign-off boxes.\n\n"
            "Outputs: a folder with one PDF per parcel (file named from the parcel code, made safe for "
            "every file system), one combined PDF with a bookmark per parcel, and/or a workbook with one "
            "printable sheet per parcel. Leave the template empty for the default A4 sheet, or give your "
            "own .qpt saved from the layout designer. Missing grades or enterprises print as 暂无数据. "
            "Files are written to temporary names and moved into place at the end: a cancelled run leaves "
            "nothing half-written.\n\n"
            "STORE (optional): a LandEval store (GeoPackage path or postgres://connection/schema); each sheet then "
            "prints the parcel's history across the store's evaluation years (历年评价: year, class, path, register "
            "status), following split and merged parcels by prev_codes.") + "\n\n" + one_year.rows_help()

    def flags(self):
        # QGIS runs its own layout exports on the main thread (layouts are graphics scenes)
        return QgsProcessingAlgorithm.flags(self) | QgsProcessingAlgorithm.FlagNoThreading

    def initAlgorithm(self, config=None):
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcels (graded; selected parcels only when a selection exists)"),
            [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterExpression(
            self.FILTER, self.tr("Only parcels matching (e.g. coalesce(\"grade_final\", \"grade\") = 'D')"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.TEMPLATE, self.tr("Layout template (.qpt, empty: default A4 sheet)"),
            extension="qpt", optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.ENTERPRISES, self.tr("Enterprises table"), [QgsProcessing.TypeVector], optional=True))
        self.addParameter(QgsProcessingParameterVectorLayer(
            self.CLUSTERS, self.tr("Renovation clusters"), [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.YEAR, self.tr("Evaluation year (0: latest year of the enterprises table)"),
            QgsProcessingParameterNumber.Integer, 0, True, 0, 2100))
        # a background print (tasks/dossier_job.py) passes the chosen parcels as INPUT and the whole
        # layer here, so the location map still shows every neighbour
        neighbours = QgsProcessingParameterVectorLayer(
            self.NEIGHBOURS, self.tr("Neighbour parcels on the location map (empty: the whole parcel layer)"),
            [QgsProcessing.TypeVectorPolygon], optional=True)
        neighbours.setFlags(neighbours.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(neighbours)
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT_FOLDER, self.tr("Folder for one PDF per parcel"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_PDF, self.tr("Combined PDF (one bookmark per parcel)"), self.tr("PDF files (*.pdf)"),
            optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.XLSX, self.tr("Workbook (one sheet per parcel)"), self.tr("Excel workbooks (*.xlsx)"),
            optional=True, createByDefault=False))
        store = QgsProcessingParameterString(self.STORE, self.tr(
            "LandEval store for the parcel's history across years (GeoPackage path or postgres://connection/schema)"),
            optional=True)
        store.setFlags(store.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(store)
        # a large run prints in several processes at once (core/dossiers/pool.py)
        workers = QgsProcessingParameterNumber(
            self.WORKERS, self.tr("Printing processes at once (0: one per CPU core, at most 8; 1: this process only)"),
            QgsProcessingParameterNumber.Integer, 0, True, 0, 64)
        workers.setFlags(workers.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(workers)
        self.add_overwrite_parameter()
        self.addOutput(QgsProcessingOutputNumber("SHEETS", self.tr("Sheets printed")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", self.tr("Pages printed")))

    def _outputs(self, parameters, context):
        folder = ""
        if parameters.get(self.OUTPUT_FOLDER):
            folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        if folder:
            folder = self.parameterAsFileOutput(parameters, self.OUTPUT_FOLDER, context)
        pdf = ""
        if parameters.get(self.OUTPUT_PDF):
            pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        xlsx = self.parameterAsFileOutput(parameters, self.XLSX, context) if parameters.get(self.XLSX) else ""
        return folder, pdf, xlsx

    def checkParameterValues(self, parameters, context):
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        try:
            self._check(parameters, context)
        except DossierError as exc:
            return False, str(exc)
        return True, ""

    def _check(self, parameters, context):
        """Everything that can be known before printing: outputs, template, font."""
        # the printer's modules load when an algorithm runs, not when QGIS lists the algorithms
        from ...core.dossiers.printer import check_template, default_template
        from ...core.dossiers.publication import check_writable

        folder, pdf, xlsx = self._outputs(parameters, context)
        if not (folder or pdf or xlsx):
            raise DossierError(self.tr("Choose at least one output: a folder, a combined PDF or a workbook."))
        template = self.parameterAsFile(parameters, self.TEMPLATE, context) or default_template()
        check_template(template)
        for target in ([folder] if folder else []) + [os.path.dirname(os.path.abspath(p)) for p in (pdf, xlsx) if p]:
            check_writable(target)
        # no output on an input file; an existing PDF or workbook is replaced only with OVERWRITE
        try:
            self.guard_outputs(parameters, context, [self.INPUT, self.TEMPLATE, self.ENTERPRISES, self.CLUSTERS,
                                                     self.NEIGHBOURS], paths=[folder, pdf, xlsx], existing=[pdf, xlsx])
        except QgsProcessingException as exc:
            raise DossierError(str(exc)) from exc
        if (folder or pdf) and fonts.resolve_cjk_family() is None:
            raise DossierError(self.tr("No Chinese font is installed, sheets would print as boxes. "
                                               "Install {} and restart QGIS.").format(fonts.INSTALL_HINT))
        return folder, pdf, xlsx, template

    def _process(self, parameters, context, feedback):
        # SIGINT/SIGTERM (qgis_process, the background print's child) cancel the run, whose
        # finally blocks then remove everything staged; a cancelled run is not a success
        message = None
        with interrupt.stop_on_signals(feedback) as stop:
            try:
                results = self._run(parameters, context, feedback)
            except (DossierError, QgsProcessingException) as exc:
                message = str(exc)
            except interrupt.Interrupted:
                pass
        if stop.received is not None:
            message = self.tr("Stopped by signal {}: no file was published, files of earlier runs are kept.").format(
                stop.name())
            feedback.reportError(message)
            stop.redeliver()
        elif message is None and feedback.isCanceled():
            message = self.tr("Cancelled: nothing was written.")
        if message is not None:
            self.fail(message)
        return results

    def _open_store(self, parameters, context):
        """The LandEval store of STORE, or None."""
        from ...core import store as stores

        ref = self.parameterAsString(parameters, self.STORE, context) if parameters.get(self.STORE) else ""
        if not ref:
            return None
        try:
            return stores.open_store(ref)
        except stores.StoreError as exc:
            self.fail(str(exc))

    @staticmethod
    def _history(store):
        """history(code, year) -> the 历年评价 text of one parcel from the store."""
        from ...core import vocabulary
        from ...core.store import register

        names = vocabulary.grade_names()
        no_data = "暂无数据"

        def history(code, year):
            entries = register.history(store, code, upto_year=year)
            return register.format_history(entries, code, names, no_data) if entries else None

        return history

    def _run(self, parameters, context, feedback):
        from ...core.dossiers.printer import DossierPrinter
        from ...core.dossiers.publication import Publication
        from ...core.dossiers.sheet_data import SheetData
        from ...core.dossiers.workbook import write_workbook

        folder, pdf, xlsx, template = self._check(parameters, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            self.fail(self.tr("The parcel layer could not be read."))
        full_layer = (self.parameterAsVectorLayer(parameters, self.NEIGHBOURS, context)
                      or self.parameterAsVectorLayer(parameters, self.INPUT, context))
        enterprises = self.parameterAsVectorLayer(parameters, self.ENTERPRISES, context)
        clusters = self.parameterAsVectorLayer(parameters, self.CLUSTERS, context)
        year = self.parameterAsInt(parameters, self.YEAR, context) or None
        # a store layer of several years: one sheet per parcel of one year (YEAR, else the newest)
        source, rows_year = one_year.year_rows(self, source, parameters, context, feedback)
        if rows_year is not None:
            year = rows_year
            if full_layer is not None and "year" in full_layer.fields().names():
                full_layer = full_layer.materialize(QgsFeatureRequest().setFilterExpression(
                    one_year.restrict(None, rows_year)))
        request = QgsFeatureRequest()
        expression = (self.parameterAsString(parameters, self.FILTER, context) or "").strip()
        if expression:
            parsed = QgsExpression(expression)
            if parsed.hasParserError():
                self.fail(self.tr("The filter expression is not valid: {}").format(parsed.parserErrorString()))
            request.setFilterExpression(expression)
            request.setExpressionContext(self.createExpressionContext(parameters, context, source))
        feedback.pushInfo(self.tr("Template: {}").format(template))
        feedback.setProgressText(self.tr("Preparing the sheet data"))
        features = source.getFeatures(request)
        store = self._open_store(parameters, context)
        try:
            data = SheetData(features, source.fields(), source.sourceCrs(), year=year, enterprises=enterprises,
                             clusters=clusters, feedback=feedback,
                             history=self._history(store) if store is not None else None)
        except Exception as exc:
            from ...core import store as stores

            if isinstance(exc, stores.StoreError):
                self.fail(str(exc))
            raise
        finally:
            if store is not None:
                store.close()
        if feedback.isCanceled():
            data.close()
            return {}
        if not len(data):
            data.close()
            self.fail(self.tr("No parcels to print (is the selection empty?)."))
        feedback.setProgress(8)
        no_grade = [s.code for s in data.sheets if s.raw.get("grade_effective") is None]
        no_ent = [s.code for s in data.sheets if not s.enterprises]
        if folder and not self.overwrite(parameters, context):
            try:
                files.refuse_existing([os.path.join(folder, s.display["d_file"] + ".pdf") for s in data.sheets], False)
            except files.OutputError as exc:
                data.close()
                self.fail(str(exc))
        feedback.pushInfo(self.tr("{} sheets, evaluation year {}.").format(len(data), data.year))
        if no_grade:
            feedback.pushWarning(self.tr("{} parcels have no grade and print 暂无数据: {}").format(
                len(no_grade), ", ".join(no_grade[:20]) + (" …" if len(no_grade) > 20 else "")))
        if no_ent:
            feedback.pushWarning(self.tr("{} parcels have no enterprise of {} and print 暂无数据: {}").format(
                len(no_ent), data.year, ", ".join(no_ent[:20]) + (" …" if len(no_ent) > 20 else "")))
        results = {"SHEETS": len(data), "PAGES": 0}
        printer = None
        # every output is staged and checked first, then all are published together: a failure
        # or a cancel publishes nothing and keeps the files of an earlier run
        publication = Publication()
        done = []
        try:
            steps = [s for s in (folder, pdf) if s]
            span = (90.0 if not xlsx else 80.0) - 10.0
            start = 10.0
            if steps:
                feedback.setProgressText(self.tr("Loading the template and the maps"))
                printer = DossierPrinter(data, template=template, neighbours=full_layer,
                                         processes=self.parameterAsInt(parameters, self.WORKERS, context)
                                         if parameters.get(self.WORKERS) is not None else 0)
                feedback.pushInfo(self.tr("Font: {}").format(printer.font_family))
            if folder:
                feedback.setProgressText(self.tr("Printing one PDF per parcel"))
                written = printer.print_folder(folder, feedback, start, start + span / len(steps), publication)
                start += span / len(steps)
                if written is None:
                    return {}
                results["PAGES"] += sum(p for _, _, p in written)
                results[self.OUTPUT_FOLDER] = folder
                done.append(self.tr("{} PDF files written to {}").format(len(written), folder))
            if pdf:
                feedback.setProgressText(self.tr("Printing the combined PDF"))
                index = printer.print_combined(pdf, feedback, start, start + span / len(steps), publication)
                if index is None:
                    return {}
                pages = sum(c for _, _, c in index)
                if not folder:
                    results["PAGES"] += pages
                results[self.OUTPUT_PDF] = pdf
                done.append(self.tr("Combined PDF with {} pages: {}").format(pages, pdf))
            if xlsx:
                feedback.setProgressText(self.tr("Writing the workbook"))
                if write_workbook(data, xlsx, feedback, 90 if steps else 10, 100, publication) is None:
                    return {}
                results[self.XLSX] = xlsx
                done.append(self.tr("Workbook written: {}").format(xlsx))
            if feedback.isCanceled():
                return {}
            publication.commit()
            for line in done:
                feedback.pushInfo(line)
        finally:
            publication.discard()
            if printer is not None:
                printer.close()
            data.close()
        feedback.setProgress(100)
        return results

