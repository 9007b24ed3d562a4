"""Dossier sheets (一地一档): LandEval's printer beside native:atlaslayouttopdf, same template and data.

Every case prepares the same synthetic graded district (parcels in a GeoPackage, enterprises,
clusters), binds the default template (resources/layouts/dossier_a4.qpt) and times only the
printing: LandEval combined PDF (atlas exporter, layout reused, bookmarks added), LandEval one PDF
per parcel, and QGIS's native:atlaslayouttopdf on the very same bound layout.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # test/ for the fixture
sys.path.insert(0, HERE)

import common  # noqa: E402

SIZES = (200, 1000)
QUICK_SIZES = (30,)


def _prepare(size, workdir, processes=1):
    from dossier_fixture import make_district, write_gpkg
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    os.makedirs(workdir, exist_ok=True)
    parcels, enterprises, clusters = make_district(size, seed=11, big_enterprise_parcel=1)
    path = os.path.join(workdir, "district_{}.gpkg".format(size))
    if os.path.exists(path):
        os.remove(path)
    uri = write_gpkg(parcels, path, "parcels")
    layer = QgsVectorLayer(uri, "parcels", "ogr")
    data = SheetData(layer.getFeatures(), layer.fields(), layer.crs(), enterprises=enterprises,
                             clusters=clusters)
    printer = DossierPrinter(data, neighbours=layer, processes=processes)
    return printer


def _clock():
    """(wall, CPU of this process, CPU of its finished children: the printing workers)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time(), children.ru_utime + children.ru_stime


def _measured(before, info, printer=None):
    import resource

    wall, cpu, children = _clock()
    info.update(seconds=wall - before[0], print_cpu=cpu - before[1], children_cpu=children - before[2],
                self_peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                worker_peak_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0,
                workers=len(printer.worker_pids) if printer is not None else 0)
    return info


def landeval_combined(size, workdir, processes=1):
    """``processes``: 1 as before (one process), 0 one per CPU (pool.py)."""
    printer = _prepare(size, workdir, processes)
    pdf = os.path.join(workdir, "landeval_{}.pdf".format(size))
    before = _clock()
    index = printer.print_combined(pdf)
    info = _measured(before, {"sheets": len(index), "pages": sum(c for _, _, c in index),
                              "bytes": os.path.getsize(pdf)}, printer)
    printer.close()
    return info


def landeval_folder(size, workdir, processes=1):
    printer = _prepare(size, workdir, processes)
    folder = os.path.join(workdir, "folder_{}".format(size))
    before = _clock()
    written = printer.print_folder(folder)
    info = _measured(before, {"sheets": len(written), "pages": sum(p for _, _, p in written),
                              "bytes": sum(os.path.getsize(p) for _, p, _ in written)}, printer)
    printer.close()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return info


def native_atlas(size, workdir):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    printer = _prepare(size, workdir)
    printer.layout.setName("dossier_bench")
    printer.project.layoutManager().addLayout(printer.layout)
    context = QgsProcessingContext()
    context.setProject(printer.project)
    out = os.path.join(workdir, "native_{}.pdf".format(size))
    started, cpu = time.perf_counter(), time.process_time()
    processing.run("native:atlaslayouttopdf", {
        "LAYOUT": "dossier_bench", "DPI": printer.dpi, "FORCE_VECTOR": False, "GEOREFERENCE": False,
        "INCLUDE_METADATA": False, "SIMPLIFY": True, "TEXT_FORMAT": 1, "OUTPUT": out},
        context=context, feedback=QgsProcessingFeedback())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    printer.project.layoutManager().removeLayout(printer.layout)
    printer.close()
    return {"seconds": seconds, "print_cpu": cpu, "sheets": size, "bytes": os.path.getsize(out)}


CASES = {"landeval_combined": landeval_combined, "landeval_folder": landeval_folder, "native_atlas": native_atlas}


def main(path, workdir, quick=False):
    rows = []
    for size in (QUICK_SIZES if quick else SIZES):
        native = common.measure(path, "native_atlas", size, workdir)
        results = [("combined PDF", "1 process", common.measure(path, "landeval_combined", size, workdir)),
                   ("combined PDF", "processes", common.measure(path, "landeval_combined", size, workdir,
                                                                {"processes": 0})),
                   ("PDF per parcel", "1 process", common.measure(path, "landeval_folder", size, workdir)),
                   ("PDF per parcel", "processes", common.measure(path, "landeval_folder", size, workdir,
                                                                  {"processes": 0}))]
        for label, how, result in results:
            how = how if how == "1 process" else "{} processes".format(result["workers"] + 1)
            cpu = result["print_cpu"] + result["children_cpu"]
            print("  {:>5} sheets, {:<15} {:<12} {:6.1f} sheets/s wall, {:6.1f} sheets/s by CPU incl. workers "
                  "({:.1f} + {:.1f} CPU s) (native atlas {:6.1f} wall, {:6.1f} CPU), peak {:4.0f} MB "
                  "(largest worker {:4.0f} MB, native {:4.0f}), {} pages, {:.0f} KB/sheet (native {:.0f})".format(
                      size, label, how, size / result["seconds"], size / cpu, result["print_cpu"],
                      result["children_cpu"], size / native["seconds"], size / native["print_cpu"],
                      result["self_peak_mb"], result["worker_peak_mb"] if result["workers"] else 0,
                      native["peak_mb"], result.get("pages"), result["bytes"] / 1024.0 / size,
                      native["bytes"] / 1024.0 / size))
        rows.append(("{} sheets, combined".format(size), results[1][2], native, "≥25 sheets/s (issue 17), ≥ native"))
        rows.append(("{} sheets, per parcel".format(size), results[3][2], native, "≥25 sheets/s (issue 17)"))
    common.report("Dossier sheets: LandEval vs native:atlaslayouttopdf (ratio = native s / LandEval s)", rows)
