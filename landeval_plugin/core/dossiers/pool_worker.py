"""A worker of the printing pool (pool.py): a headless QGIS that rebuilds the run's printer from the
copy ``pool.export_state`` wrote and prints its slice of the sheets."""
import json
import os
import sys
import threading
import traceback

from .errors import DossierError, tr
from .pool import DONE, ENV_CRASH, FAILED, READY, SHEET


class _Sheet:
    def __init__(self, code, d_file, enterprises):
        self.code = code
        self.display = {"d_file": d_file}
        self.enterprises = [None] * int(enterprises)


class WorkerData:
    """What DossierPrinter reads of a SheetData, rebuilt from ``export_state``'s copy."""

    def __init__(self, spec):
        from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsVectorLayer

        authid = spec["crs"]["authid"]
        self.crs = QgsCoordinateReferenceSystem(authid) if authid else QgsCoordinateReferenceSystem()
        if not authid or not self.crs.isValid():
            self.crs = QgsCoordinateReferenceSystem.fromWkt(spec["crs"]["wkt"])
        self.no_data = spec["no_data"]
        self.sheets = [_Sheet(*row) for row in spec["sheets"]]
        source = _open(spec["coverage"])
        # the coverage as the printer's own: a memory layer with the same fields and feature ids
        self.coverage = QgsVectorLayer(spec["coverage_uri"], spec["coverage"]["name"], "memory")
        if not self.coverage.isValid():
            raise DossierError(tr("Cannot open {} in a printing process.").format(spec["coverage_uri"]))
        if not self.crs.authid():
            self.coverage.setCrs(self.crs)
        fields = self.coverage.fields()
        names = [f.name() for f in fields]
        src_index = [source.fields().indexOf(n) for n in names]
        # in the printer's order (a GeoPackage may keep another one: a source field named fid);
        # d_file is unique per sheet
        by_file = {}
        for feature in source.getFeatures():
            by_file[feature["d_file"]] = feature
        out = []
        for sheet in self.sheets:
            feature = by_file.get(sheet.display["d_file"])
            if feature is None:
                raise DossierError(tr("The sheet of parcel {} is missing in the printing process's copy.").format(
                    sheet.code))
            f = QgsFeature(self.coverage.fields())
            f.setGeometry(feature.geometry())
            f.setAttributes([feature.attribute(i) if i >= 0 else None for i in src_index])
            out.append(f)
        self.coverage.dataProvider().addFeatures(out)
        self.coverage.updateExtents()
        self.clusters = _open(spec["clusters"]) if spec.get("clusters") else None
        self.enterprise_table = _open(spec["enterprises"])
        self.indicator_table = _open(spec["indicators"])

    def close(self):
        self.enterprise_table = self.indicator_table = None


def _open(source):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(source["uri"], source["name"], "ogr")
    if not layer.isValid():
        raise DossierError(tr("Cannot open {} in a printing process.").format(source["uri"]))
    if source.get("subset"):
        layer.setSubsetString(source["subset"])
    return layer


_APP = []


def main(spec_path):
    """A worker: headless QGIS, the printer rebuilt from the spec, its slice printed. Reports JSON
    lines on stdout; returns the exit code (0 printed, 1 failed, 3 no QGIS)."""
    def emit(**event):
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def watch_parent():  # the printer closes our stdin when it goes away, even when it is killed
        try:
            sys.stdin.buffer.read()
        finally:
            os._exit(4)

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        with open(spec_path, encoding="utf-8") as fh:
            spec = json.load(fh)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from qgis.core import QgsApplication

        if QgsApplication.instance() is None:
            app = QgsApplication([], False)
            app.initQgis()
            _APP.append(app)
        for path in spec.get("translations") or []:
            from qgis.PyQt.QtCore import QCoreApplication, QTranslator

            translator = QTranslator()
            if translator.load(path):
                QCoreApplication.installTranslator(translator)
                _APP.append(translator)
    except Exception:
        sys.stderr.write(traceback.format_exc())
        sys.stderr.flush()
        return 3
    emit(event=READY, pid=os.getpid())
    state = {"index": spec.get("first", 0)}
    try:
        from .. import fonts
        from .printer import DossierPrinter

        fonts.resolve_cjk_family()
        data = WorkerData(spec)
        neighbours = _open(spec["neighbours"])
        printer = DossierPrinter(data, template=spec["template"], neighbours=neighbours,
                                 font_family=spec["font_family"], dpi=spec["dpi"])
        crash = os.environ.get(ENV_CRASH)

        def on_sheet(index, name, pages):
            emit(event=SHEET, index=index, file=name, pages=pages)
            state["index"] = index + 1

        def before(index):
            state["index"] = index
            if crash and data.sheets[index].code == crash:
                import signal

                os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

        first, last = spec["first"], spec["last"]
        if spec["kind"] == "files":
            printer.print_files(spec["target"], first, last, on_sheet, before=before)
        else:
            printer.print_part(spec["target"], first, last, on_sheet, before=before)
        printer.close()
        data.close()
    except Exception as exc:
        if not isinstance(exc, DossierError):
            sys.stderr.write(traceback.format_exc())
            sys.stderr.flush()
        index = state["index"]
        sheets = spec.get("sheets") or []
        emit(event=FAILED, text=str(exc) or type(exc).__name__,
             parcel=sheets[min(index, len(sheets) - 1)][0] if sheets else "")
        return 1
    emit(event=DONE)
    return 0
