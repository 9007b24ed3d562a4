"""Printing dossier sheets in a child process, so QGIS stays usable while they print.

QGIS prints layouts on the main thread only (``landeval:dossiers`` has FlagNoThreading), so a
QgsTask cannot print them in its worker thread; a headless QGIS in a child Python process can.

* ``DossierJob.prepare()`` (main thread, quick) copies what the child needs into a private
  temporary folder: one GeoPackage with the chosen parcels, the whole parcel layer (neighbours
  on the location map), the enterprises and the clusters, plus a JSON spec.
* ``DossierJob.run()`` (any thread) starts the child with QProcess, follows its JSON-lines
  reports on stdout and, once every output is finished, moves them into place. The child
  writes into hidden staging folders beside the targets (same disk, so the final move is a
  rename): a cancelled (killed) or failed run leaves no output and no temporary file, and
  files of an earlier run are not touched. The temporary folder is always removed.
* ``DossierTask`` wraps a job for QgsApplication.taskManager(): progress, cancel = kill.
* ``child_main()`` is the child's side.
"""
import json
import os
import shutil
import sys
import tempfile
import threading
import traceback

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..core.child_python import child_environment, child_python_path, find_python, python_candidates  # noqa: F401
from ..core.child_python import package as _package
from ..core.dossiers.errors import DossierError, tr
from ..core.dossiers.publication import Publication

ALG_ID = "landeval:dossiers"
STAGE_PREFIX = ".landeval-job-"
READY, PROGRESS, TEXT, INFO, WARNING, ERROR, DONE, FAILED = (
    "ready", "progress", "text", "info", "warning", "error", "done", "failed")


class ChildUnavailable(DossierError):
    """No child process could be started (no interpreter, or it cannot load QGIS)."""


# ---------------------------------------------------------------------------- the job
class DossierJob:
    """One print run of landeval:dossiers in a child process (see the module docstring).

    ``parcels``/``enterprises``/``clusters``: QgsVectorLayers of the current project (read in
    prepare(), on the main thread). Outputs as the algorithm's: ``output_folder`` (one PDF per
    parcel), ``output_pdf`` (combined), ``xlsx``; empty = not wanted.
    """

    def __init__(self, parcels, selected_only=False, enterprises=None, clusters=None, template="", year=0,
                 output_folder="", output_pdf="", xlsx="", filter_expression="", locale=None, python=None, store=""):
        self.parcels = parcels
        self.selected_only = selected_only
        self.enterprises = enterprises
        self.clusters = clusters
        self.template = template or ""
        self.year = int(year or 0)
        self.outputs = {"OUTPUT_FOLDER": output_folder or "", "OUTPUT_PDF": output_pdf or "", "XLSX": xlsx or ""}
        self.filter_expression = filter_expression or ""
        self.store = store or ""  # a LandEval store reference: the sheets' 历年评价 come from it
        self.locale = locale
        self.python = python if python is not None else find_python()
        self.tmpdir = None
        self.spec_path = None
        self.stages = {}      # target folder -> hidden staging folder inside it
        self.staged = {}      # output key -> path the child writes
        self.created = []     # target folders this job created (removed again when left empty)
        self.warnings = []
        self.messages = []    # every report of the child, for the log
        self.child_pid = None
        self.results = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()

    # -- main thread -----------------------------------------------------------------
    def prepare(self):
        """Write the data and the spec for the child; raises DossierError."""
        from qgis.core import QgsProject

        from .. import i18n

        if self.locale is None:
            self.locale = i18n.user_locale()
        self.tmpdir = tempfile.mkdtemp(prefix="landeval-job-")
        try:
            gpkg = os.path.join(self.tmpdir, "input.gpkg")
            context = QgsProject.instance().transformContext()
            params = {"TEMPLATE": self.template, "YEAR": self.year, "FILTER": self.filter_expression,
                      "STORE": self.store}
            params["NEIGHBOURS"] = _write_layer(self.parcels, gpkg, "parcels", context, first=True)
            if self.selected_only:
                params["INPUT"] = _write_layer(self.parcels, gpkg, "chosen", context, selected=True)
            else:
                params["INPUT"] = params["NEIGHBOURS"]
            names = {}  # the layers' names in the project: the sheets name their sources by them, not "input"
            for key, layer, name in (("ENTERPRISES", self.enterprises, "enterprises"),
                                     ("CLUSTERS", self.clusters, "clusters")):
                params[key] = _write_layer(layer, gpkg, name, context) if layer is not None else None
                if layer is not None:
                    names[key] = layer.name()
            for key, target in self.outputs.items():
                if target:
                    params[key] = self._staged_path(key, target)
            self.spec_path = os.path.join(self.tmpdir, "spec.json")
            with open(self.spec_path, "w", encoding="utf-8") as fh:
                json.dump({"algorithm": ALG_ID, "params": params, "locale": self.locale, "names": names}, fh,
                          ensure_ascii=False)
        except Exception:
            self.cleanup()
            raise
        return self

    def _staged_path(self, key, target):
        folder = target if key == "OUTPUT_FOLDER" else os.path.dirname(os.path.abspath(target))
        if folder not in self.stages:
            missing = []
            path = os.path.abspath(folder)
            while path and not os.path.isdir(path) and os.path.dirname(path) != path:
                missing.append(path)
                path = os.path.dirname(path)
            try:
                os.makedirs(folder, exist_ok=True)
                self.created += missing  # deepest first: removed in this order when empty
                self.stages[folder] = tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder)
            except OSError as exc:
                raise DossierError(
                    tr("Cannot write to the output folder {}: {}").format(folder, exc.strerror or exc)) from exc
        stage = self.stages[folder]
        path = os.path.join(stage, "sheets" if key == "OUTPUT_FOLDER" else os.path.basename(target))
        self.staged[key] = path
        return path

    # -- any thread ------------------------------------------------------------------
    def cancel(self):
        """Thread-safe: the running child is killed within a fraction of a second."""
        self._cancel.set()

    def is_canceled(self):
        return self._cancel.is_set()

    def run(self, report=None):
        """Print; returns the results (final paths) or None when cancelled.

        ``report(event)`` receives the child's reports (dicts with "event": progress/text/
        info/warning/error). Raises ChildUnavailable when no child could be started and
        DossierError with the child's message when printing failed. Always cleans up.
        """
        try:
            if self.spec_path is None:
                self.prepare()
            if self._cancel.is_set():
                return None
            results = self._run_child(report or (lambda event: None))
            if results is None:
                return None
            self.results = self._publish(results)
            return self.results
        finally:
            self.cleanup()

    def _run_child(self, report):
        from qgis.PyQt.QtCore import QProcess, QProcessEnvironment

        if not self.python:
            raise ChildUnavailable(tr("No Python interpreter found to print in the background."))
        top = _package()[0]
        code = ("import os, sys; from {}.tasks import dossier_job; "
                "os._exit(dossier_job.child_main(sys.argv[1]))").format(top)
        proc = QProcess()
        env = QProcessEnvironment.systemEnvironment()
        for key, value in child_environment(self.tmpdir).items():
            env.insert(key, value)
        proc.setProcessEnvironment(env)
        proc.setWorkingDirectory(self.tmpdir)
        proc.start(self.python, ["-c", code, self.spec_path])
        if not proc.waitForStarted(60000):
            raise ChildUnavailable(tr("Cannot start {}: {}").format(self.python, proc.errorString()))
        self.child_pid = int(proc.processId())
        pending, errors, state = b"", b"", {}
        try:
            while True:
                if self._cancel.is_set():
                    proc.kill()
                    proc.waitForFinished(-1)
                    return None
                proc.waitForReadyRead(100)
                errors = (errors + bytes(proc.readAllStandardError()))[-8000:]
                pending += bytes(proc.readAllStandardOutput())
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    self._handle(line, state, report)
                if proc.state() == QProcess.ProcessState.NotRunning:
                    errors = (errors + bytes(proc.readAllStandardError()))[-8000:]
                    for line in (pending + bytes(proc.readAllStandardOutput())).split(b"\n"):
                        self._handle(line, state, report)
                    break
        finally:
            if proc.state() != QProcess.ProcessState.NotRunning:
                proc.kill()
                proc.waitForFinished(-1)
        if self._cancel.is_set():
            return None
        if DONE in state:
            return state[DONE]
        if FAILED in state:
            raise DossierError(state[FAILED])
        tail = errors.decode("utf-8", "replace").strip()[-1500:]
        if READY not in state:
            raise ChildUnavailable(tr("The background process could not load QGIS ({}): {}").format(
                self.python, tail or proc.errorString()))
        raise DossierError(tr("The printing process stopped unexpectedly (exit code {}): {}").format(
            proc.exitCode(), tail or proc.errorString()))

    def _handle(self, line, state, report):
        line = line.strip()
        if not line.startswith(b"{"):
            return  # QGIS or GDAL chatter
        try:
            event = json.loads(line.decode("utf-8"))
        except ValueError:
            return
        kind = event.get("event")
        if kind in (READY, DONE, FAILED):
            state[kind] = event.get("results") if kind == DONE else event.get("text", "")
        elif kind == WARNING:
            self.warnings.append(event.get("text", ""))
        if kind in (INFO, WARNING, ERROR, TEXT):
            self.messages.append(event.get("text", ""))
        report(event)

    def _publish(self, results):
        """Move the finished outputs from the staging folders into place (renames, same disk)."""
        moves = []
        for key, target in self.outputs.items():
            if not target or key not in results:
                continue
            staged = self.staged[key]
            if key == "OUTPUT_FOLDER":
                moves += [(os.path.join(staged, name), os.path.join(target, name))
                          for name in sorted(os.listdir(staged))
                          if not name.startswith(".") and os.path.isfile(os.path.join(staged, name))]
            else:
                moves.append((staged, target))
        # all or nothing: a move that fails puts back the files the earlier moves replaced
        publication = Publication()
        for source, target in moves:
            publication.add(source, target)
        publication.commit()
        final = dict(results)
        for key, target in self.outputs.items():
            if key in final:
                final[key] = target
        return final

    def cleanup(self):
        """Remove the temporary folder and the staging folders (idempotent, any thread)."""
        with self._lock:
            for stage in self.stages.values():
                shutil.rmtree(stage, ignore_errors=True)
            self.stages = {}
            for folder in self.created:
                try:
                    os.rmdir(folder)  # only when this job created it and nothing was published
                except OSError:
                    pass
            self.created = []
            if self.tmpdir:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
                self.tmpdir = None


def _write_layer(layer, path, name, context, first=False, selected=False):
    """``layer`` (its subset string honoured; only its selection with ``selected``) into the
    GeoPackage ``path`` as ``name``; returns the layer's URI."""
    from qgis.core import QgsVectorFileWriter

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.onlySelectedFeatures = selected
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteFile if first
                                    else QgsVectorFileWriter.CreateOrOverwriteLayer)
    result = QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, context, options)
    if result[0] != QgsVectorFileWriter.NoError:
        raise DossierError(tr("Cannot copy layer {} for printing: {}").format(layer.name(), result[1]))
    return "{}|layername={}".format(path, name)


# ---------------------------------------------------------------------------- the task
class DossierTask(QgsTask):
    """A DossierJob in QgsApplication.taskManager(): cancel() kills the child.

    After ``done`` (main thread): ``results`` (dict) when printed; else ``unavailable``
    (no child could start: print in-process instead), ``error`` (message) or, when both
    are empty, cancelled. ``warnings``: the run's warnings.
    """

    message = pyqtSignal(str)
    done = pyqtSignal()

    def __init__(self, job, description):
        super().__init__(description, QgsTask.CanCancel)
        self.job = job
        self.results = None
        self.error = ""
        self.unavailable = ""

    @property
    def warnings(self):
        return self.job.warnings

    def run(self):
        try:
            self.results = self.job.run(self._report)
        except ChildUnavailable as exc:
            self.unavailable = str(exc)
        except DossierError as exc:
            self.error = str(exc)
        except Exception as exc:  # a bug: say it rather than lose it in the thread
            self.error = "{}: {}".format(type(exc).__name__, exc)
            traceback.print_exc()
        return self.results is not None

    def _report(self, event):
        kind = event.get("event")
        if kind == PROGRESS:
            self.setProgress(float(event.get("value", 0)))
        elif kind == TEXT:
            self.message.emit(event.get("text", ""))

    def cancel(self):
        self.job.cancel()
        super().cancel()

    def finished(self, result):  # main thread
        self.job.cleanup()
        self.done.emit()


# ---------------------------------------------------------------------------- the child
def child_main(spec_path):
    """Run in the child: headless QGIS, Processing, the LandEval provider, then landeval:dossiers.
    Reports JSON lines on stdout; returns the exit code (0 printed, 1 failed, 3 no QGIS)."""
    def emit(**event):
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()

    try:
        with open(spec_path, encoding="utf-8") as fh:
            spec = json.load(fh)
        from ..core import qgis_app

        qgis_app.start()
        from .. import i18n

        i18n.install_translator(spec.get("locale") or None)
    except Exception:
        sys.stderr.write(traceback.format_exc())
        sys.stderr.flush()
        return 3
    emit(event=READY, pid=os.getpid())
    try:
        results = _child_print(spec, emit)
    except Exception as exc:
        from qgis.core import QgsProcessingException

        if not isinstance(exc, (QgsProcessingException, DossierError)):
            sys.stderr.write(traceback.format_exc())
        emit(event=FAILED, text=str(exc) or type(exc).__name__)
        return 1
    emit(event=DONE, results=results)
    return 0


def _child_print(spec, emit):
    import processing
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.last = -1.0
            self.progressChanged.connect(self._progress)

        def _progress(self, value):
            if value - self.last >= 0.5 or value >= 100:
                self.last = value
                emit(event=PROGRESS, value=round(float(value), 1))

        def setProgressText(self, text):
            super().setProgressText(text)
            emit(event=TEXT, text=text)

        def pushInfo(self, text):
            super().pushInfo(text)
            emit(event=INFO, text=text)

        def pushWarning(self, text):
            super().pushWarning(text)
            emit(event=WARNING, text=text)

        def reportError(self, text, fatalError=False):
            super().reportError(text, fatalError)
            emit(event=ERROR, text=text)

    params = {k: v for k, v in spec["params"].items() if v not in (None, "")}
    layers = []
    for key, name in (spec.get("names") or {}).items():
        if params.get(key):
            from qgis.core import QgsVectorLayer

            layers.append(QgsVectorLayer(params[key], name, "ogr"))  # named as in the planner's project
            params[key] = layers[-1]
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = Feedback()
    context.setFeedback(feedback)
    alg = QgsApplication.processingRegistry().createAlgorithmById(spec["algorithm"])
    ok, message = alg.checkParameterValues(params, context)
    if not ok:  # the algorithm's own message (names the template or folder), without a prefix
        raise DossierError(message)
    results = processing.run(spec["algorithm"], params, feedback=feedback, context=context)
    return {k: v for k, v in results.items() if isinstance(v, (str, int, float))}
