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


def _prepare(size, workdir):
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
    printer = DossierPrinter(data, neighbours=layer)
    return printer


def landeval_combined(size, workdir):
    printer = _prepare(size, workdir)
    started, cpu = time.perf_counter(), time.process_time()
    pdf = os.path.join(workdir, "landeval_{}.pdf".format(size))
    index = printer.print_combined(pdf)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    printer.close()
    return {"seconds": seconds, "print_cpu": cpu, "sheets": len(index), "pages": sum(c for _, _, c in index),
            "bytes": os.path.getsize(pdf)}


def landeval_folder(size, workdir):
    printer = _prepare(size, workdir)
    folder = os.path.join(workdir, "folder_{}".format(size))
    started, cpu = time.perf_counter(), time.process_time()
    written = printer.print_folder(folder)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    printer.close()
    return {"seconds": seconds, "print_cpu": cpu, "sheets": len(written), "pages": sum(p for _, _, p in written),
            "bytes": sum(os.path.getsize(p) for _, p, _ in written)}


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
        combined = common.measure(path, "landeval_combined", size, workdir)
        folder = common.measure(path, "landeval_folder", size, workdir)
        for label, result in (("combined PDF", combined), ("PDF per parcel", folder)):
            print("  {:>5} sheets, {:<15} {:6.1f} sheets/s (native atlas {:6.1f} sheets/s), peak {:5.0f} MB "
                  "(native {:5.0f} MB), {} pages, {:.0f} KB/sheet (native {:.0f})".format(
                      size, label, size / result["seconds"], size / native["seconds"], result["peak_mb"],
                      native["peak_mb"], result.get("pages"), result["bytes"] / 1024.0 / size,
                      native["bytes"] / 1024.0 / size))
            print("  {:>5} sheets, {:<15} {:6.1f} sheets/s by CPU time of the printing (native atlas {:6.1f})".format(
                size, label, size / result["print_cpu"], size / native["print_cpu"]))
        rows.append(("{} sheets, combined".format(size), combined, native, "≥25 sheets/s (issue 17), ≥ native"))
        rows.append(("{} sheets, per parcel".format(size), folder, native, "≥25 sheets/s (issue 17)"))
    common.report("Dossier sheets: LandEval vs native:atlaslayouttopdf (ratio = native s / LandEval s)", rows)
