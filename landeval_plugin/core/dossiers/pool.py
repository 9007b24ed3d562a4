"""Printing 一地一档 sheets in several processes at once (docs/performance.md, issue 17).

QGIS draws a layout on one thread, about 25 sheets a second on one core; a planner's machine has
several. For a large run the printer (``DossierPrinter``) splits the sheets into contiguous
slices: it prints the first slice itself and starts a headless QGIS (a *worker*: pool_worker.py)
for each other slice. Each worker loads the same template, layers and sheets from a copy the
printer writes once (``export_state``) and prints its slice:

* one PDF per parcel: straight into the printer's hidden staging folder (the caller publishes
  every file together at the end, as for one process: nothing partial is published);
* combined: into a part PDF, and the printer joins the parts in sheet order
  (core/formats/pdf_join.py), then adds the bookmarks as before.

Workers report JSON lines on stdout (ready, one line per sheet, done/failed). A worker that fails
or dies fails the whole run with a message naming the parcel it was printing; a cancel kills
every worker at once; a worker whose printer went away (its stdin closes) stops by itself.
Progress sums all processes. Fewer than ``MIN_SHEETS`` sheets per process: one process, as before.
"""
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading

from .errors import DossierError, tr

MIN_SHEETS = 100  # per process: a worker costs about 2–3 CPU seconds to start (QGIS, template, overview)
MAX_PROCESSES = 8
# the printer prints its slice while the workers start (QGIS, the template, the overview: about
# 1.5 CPU s), but it also writes their copy of the data and joins the parts: at 200 sheets a
# worker used 1.0 CPU s more than the printer, at 1,000 the same (bench_dossiers.py); its slice
# is a little longer
HEAD_START = 10
ENV_PROCESSES = "LANDEVAL_DOSSIER_PROCESSES"
ENV_MIN_SHEETS = "LANDEVAL_DOSSIER_MIN_SHEETS"
ENV_CRASH = "LANDEVAL_TEST_WORKER_CRASH"  # tests: a worker kills itself at this parcel (a crash)
READY, SHEET, DONE, FAILED = "ready", "sheet", "done", "failed"


def process_count(sheets, requested=0):
    """How many processes print ``sheets`` sheets: ``requested`` (> 0), else the environment's
    LANDEVAL_DOSSIER_PROCESSES, else one per CPU (at most MAX_PROCESSES); fewer when a process
    would get less than MIN_SHEETS (LANDEVAL_DOSSIER_MIN_SHEETS) sheets. 1: this process only."""
    try:
        minimum = max(1, int(os.environ.get(ENV_MIN_SHEETS) or MIN_SHEETS))
    except ValueError:
        minimum = MIN_SHEETS
    wanted = int(requested or 0)
    if wanted <= 0:
        try:
            wanted = int(os.environ.get(ENV_PROCESSES) or 0)
        except ValueError:
            wanted = 0
    if wanted <= 0:
        wanted = min(os.cpu_count() or 1, MAX_PROCESSES)
    return max(1, min(wanted, sheets // minimum))


def slices(total, count, head=0):
    """``count`` contiguous [first, last) ranges covering range(total): the first ``head`` sheets
    longer (at most half a share), the others differing by at most 1."""
    head = max(0, min(int(head), total // count // 2)) if count > 1 else 0
    rest = total - head
    bounds = [0] + [head + rest * k // count for k in range(1, count)] + [total]
    return [(bounds[k], bounds[k + 1]) for k in range(count)]


# ---------------------------------------------------------------------------- the printer's side
def _layer_source(layer, gpkg, name):
    """{'uri', 'subset', 'name'} a worker opens with the OGR provider: the layer's own file when it
    is one, else a copy written into ``gpkg``."""
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    if layer.providerType() == "ogr" and os.path.isfile(layer.source().split("|")[0]):
        return {"uri": layer.source(), "subset": layer.subsetString(), "name": layer.name()}
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    options.actionOnExistingFile = (QgsVectorFileWriter.CreateOrOverwriteLayer if os.path.exists(gpkg)
                                    else QgsVectorFileWriter.CreateOrOverwriteFile)
    write = getattr(QgsVectorFileWriter, "writeAsVectorFormatV3", None) or QgsVectorFileWriter.writeAsVectorFormatV2
    result = write(layer, gpkg, QgsCoordinateTransformContext(), options)
    if result[0] != QgsVectorFileWriter.NoError:
        raise DossierError(tr("Cannot copy layer {} for the printing processes: {}").format(layer.name(), result[1]))
    return {"uri": "{}|layername={}".format(gpkg, name), "subset": "", "name": layer.name()}


def export_state(printer, folder):
    """Write what a worker needs to build the same printer into ``folder``; returns the spec."""
    from ... import i18n

    gpkg = os.path.join(folder, "state.gpkg")
    data = printer.data
    crs = data.crs
    spec = {
        "template": printer.template, "font_family": printer.font_family, "dpi": printer.dpi,
        "crs": {"authid": crs.authid(), "wkt": crs.toWkt()},
        "no_data": data.no_data,
        "coverage": _layer_source(data.coverage, gpkg, "coverage"),
        # a memory layer's URI names its geometry type, CRS and every field with its type
        "coverage_uri": data.coverage.dataProvider().dataSourceUri(),
        "neighbours": _layer_source(printer.neighbours, gpkg, "neighbours"),
        "clusters": _layer_source(data.clusters, gpkg, "clusters") if data.clusters is not None else None,
        "enterprises": _layer_source(data.enterprise_table, gpkg, "enterprises"),
        "indicators": _layer_source(data.indicator_table, gpkg, "indicators"),
        "sheets": [[s.code, s.display.get("d_file", ""), len(s.enterprises)] for s in data.sheets],
        "translations": i18n.installed_translators()[:1],
    }
    return spec


class Team:
    """The workers of one printing run (the printer prints slice 0 itself).

    ``kind``: "files" (each worker writes its sheets' PDFs into ``target``, a folder) or
    "part" (worker k writes its slice into the PDF ``parts[k]``)."""

    def __init__(self, printer, count, kind, target, folder):
        self.printer = printer
        self.kind = kind
        self.folder = folder
        self.slices = slices(len(printer.data.sheets), count, HEAD_START)
        self.parts = [os.path.join(folder, "part-{:02d}.pdf".format(k)) for k in range(count)]
        self.target = target
        self.procs = {}
        self.events = queue.Queue()
        self.done = set()
        self.sheets = {}  # sheet index -> (file name or "", pages) reported by the workers
        self.current = {}  # worker -> index of the sheet it prints now
        self.failure = None
        self.ready = set()
        self.orphans = []  # workers that could not start QGIS: the printer prints their slices
        self.warnings = []

    # -- start -----------------------------------------------------------------------
    def start(self):
        from ..child_python import child_environment, find_python, package

        python = find_python()
        if not python:
            raise DossierError(tr("No Python interpreter found for the printing processes."))
        spec = export_state(self.printer, self.folder)
        env = dict(os.environ)
        env.update(child_environment(self.folder))
        code = ("import os, sys; from {}.core.dossiers import pool_worker; "
                "os._exit(pool_worker.main(sys.argv[1]))").format(package()[0])
        for k in range(1, len(self.slices)):
            first, last = self.slices[k]
            spec_path = os.path.join(self.folder, "worker-{:02d}.json".format(k))
            with open(spec_path, "w", encoding="utf-8") as fh:
                json.dump(dict(spec, kind=self.kind, first=first, last=last,
                               target=self.target if self.kind == "files" else self.parts[k]), fh, ensure_ascii=False)
            err = open(os.path.join(self.folder, "worker-{:02d}.log".format(k)), "wb")
            try:
                proc = subprocess.Popen([python, "-c", code, spec_path], env=env, cwd=self.folder,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
            except OSError as exc:
                raise DossierError(tr("Cannot start a printing process ({}): {}").format(python, exc)) from exc
            finally:
                err.close()
            self.procs[k] = proc
            self.current[k] = first
            threading.Thread(target=self._read, args=(k, proc), daemon=True).start()

    def _read(self, k, proc):
        for line in proc.stdout:
            line = line.strip()
            if line.startswith(b"{"):
                try:
                    self.events.put((k, json.loads(line.decode("utf-8"))))
                except ValueError:
                    pass
        proc.wait()
        self.events.put((k, {"event": "exit", "code": proc.returncode}))

    # -- follow ----------------------------------------------------------------------
    def poll(self, timeout=0.0):
        """Handle the workers' reports; raises DossierError when one failed or died."""
        import time

        end = time.monotonic() + timeout
        while True:
            wait = max(0.0, end - time.monotonic())
            try:
                k, event = self.events.get(timeout=wait) if wait > 0 else self.events.get_nowait()
            except queue.Empty:
                break
            self._handle(k, event)
            if self.failure:
                raise DossierError(self.failure)

    def _sheet_code(self, index):
        sheets = self.printer.data.sheets
        return sheets[min(index, len(sheets) - 1)].code if sheets else ""

    def _handle(self, k, event):
        kind = event.get("event")
        if kind == READY:
            self.ready.add(k)
        elif kind == SHEET:
            i = int(event["index"])
            self.sheets[i] = (event.get("file", ""), int(event.get("pages", 0)))
            self.current[k] = i + 1
        elif kind == DONE:
            self.done.add(k)
        elif kind == FAILED:
            code = event.get("parcel") or self._sheet_code(self.current.get(k, 0))
            self.failure = tr("Printing process {} failed at the sheet of parcel {}: {}").format(
                k + 1, code, event.get("text", ""))
        elif kind == "exit" and k not in self.done and not self.failure:
            log = os.path.join(self.folder, "worker-{:02d}.log".format(k))
            tail = ""
            try:
                with open(log, "rb") as fh:
                    lines = fh.read()[-4000:].decode("utf-8", "replace").splitlines()
                # the last line of a traceback says what went wrong; Qt's start-up chatter does not
                lines = [x.strip() for x in lines if x.strip() and not x.startswith(("QStandardPaths", "Warning:"))]
                tail = lines[-1] if lines else ""
            except OSError:
                pass
            if k not in self.ready:  # no QGIS in that interpreter: not a failure of the sheets
                self.orphans.append(k)
                self.warnings.append(tr("Printing process {} could not start QGIS (exit code {}); this process "
                                        "prints its sheets instead. {}").format(k + 1, event.get("code"), tail).strip())
                return
            self.failure = tr("Printing process {} stopped unexpectedly (exit code {}) at the sheet of parcel {}; "
                              "nothing was published. {}").format(
                k + 1, event.get("code"), self._sheet_code(self.current.get(k, 0)), tail).strip()

    def progress(self, own):
        """Sheets printed so far by every process (``own``: the printer's)."""
        return own + len(self.sheets)

    def wait(self, canceled, report):
        """Until every worker is done: True; False when ``canceled()``. Raises DossierError."""
        while len(self.done) + len(self.orphans) < len(self.procs):
            if canceled():
                return False
            self.poll(0.1)
            report()
        return True

    def stop(self):
        """Kill every worker still running and wait for them (idempotent)."""
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    proc.kill()
                except OSError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                pass
            for pipe in (proc.stdin, proc.stdout):
                try:
                    if pipe is not None:
                        pipe.close()
                except OSError:
                    pass


def new_team_folder(beside):
    """A private hidden folder beside the outputs (same disk) for the state copy and the parts."""
    os.makedirs(beside, exist_ok=True)
    return tempfile.mkdtemp(prefix=".landeval-pool-", dir=beside)


def remove(folder):
    shutil.rmtree(folder, ignore_errors=True)
