#!/usr/bin/env python3
"""Do two versions of the printer print the same sheets? (issue 17: speed work must not change any result)

    .venv/bin/python test/bench/same_sheets.py print CHECKOUT OUT   # sheets of CHECKOUT's printer into OUT
    .venv/bin/python test/bench/same_sheets.py compare OUT_A OUT_B  # every PDF: pages, text, pixels

``print``: the synthetic graded district of the tests (40 parcels, one with 45 enterprises on a
third page, one ungraded) and 20 sheets of the sample district (3,000 parcels, every 150th),
each as one PDF per parcel and as a combined PDF. ``compare``: for every PDF of OUT_A, the same
page count, the same pdftotext text after NFKC (dates masked) and the same pixels of every
page rendered with pdftoppm at 80 dpi; prints the differences and exits 1 when there are any.
Run ``print`` once with a checkout of main (``git worktree add`` or ``git archive main``) and
once with this one. Never part of ``make test``.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata


def print_sheets(checkout, out):
    sys.path.insert(0, checkout)
    sys.path.insert(0, os.path.join(checkout, "test"))
    from landeval_plugin.core import qgis_app

    qgis_app.start()
    from dossier_fixture import make_district
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData
    from landeval_plugin.core.sample import sample_district

    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)

    def run(name, parcels, enterprises, clusters, ids=None):
        request = QgsFeatureRequest()
        if ids is not None:
            request.setFilterFids(ids)
        data = SheetData(parcels.getFeatures(request), parcels.fields(), parcels.crs(), enterprises=enterprises,
                         clusters=clusters)
        printer = DossierPrinter(data, neighbours=parcels)
        printer.print_folder(os.path.join(out, name))
        printer.print_combined(os.path.join(out, name + ".pdf"))
        printer.close()
        data.close()

    parcels, enterprises, clusters = make_district(40, seed=11, big_enterprise_parcel=1, ungraded={4})
    run("fixture", parcels, enterprises, clusters)
    folder = os.path.join(tempfile.gettempdir(), "landeval-same-sheets-sample")
    gpkg = os.path.join(folder, sample_district.GPKG_NAME)
    if not os.path.exists(gpkg):
        sample_district.generate(folder, parcels=3000, seed=42)
    layer = QgsVectorLayer("{}|layername=bdcdj".format(gpkg), "bdcdj", "ogr")
    run("sample", layer, None, None, sorted(layer.allFeatureIds())[::150])


def _text(path):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE, check=True).stdout
    return re.sub(r"\d{4}-\d{2}-\d{2}", "DATE", unicodedata.normalize("NFKC", out.decode("utf-8")))


def _pages(path):
    info = subprocess.run(["pdfinfo", path], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def _different_pixels(png_a, png_b):
    from qgis.PyQt.QtGui import QImage

    a, b = QImage(png_a), QImage(png_b)
    if a.size() != b.size():
        return -1
    a = a.convertToFormat(QImage.Format.Format_RGB32)
    b = b.convertToFormat(QImage.Format.Format_RGB32)
    if a == b:
        return 0
    return sum(1 for y in range(a.height()) for x in range(a.width()) if a.pixel(x, y) != b.pixel(x, y))


def compare(out_a, out_b):
    files = sorted(os.path.relpath(os.path.join(d, f), out_a)
                   for d, _, names in os.walk(out_a) for f in names if f.endswith(".pdf"))
    differ, size_a, size_b = 0, 0, 0
    for rel in files:
        pa, pb = os.path.join(out_a, rel), os.path.join(out_b, rel)
        if not os.path.exists(pb):
            print("missing in {}: {}".format(out_b, rel))
            differ += 1
            continue
        size_a, size_b = size_a + os.path.getsize(pa), size_b + os.path.getsize(pb)
        problems = []
        if _pages(pa) != _pages(pb):
            problems.append("pages {} / {}".format(_pages(pa), _pages(pb)))
        if _text(pa) != _text(pb):
            problems.append("text differs")
        with tempfile.TemporaryDirectory() as tmp:
            for tag, path in (("a", pa), ("b", pb)):
                subprocess.run(["pdftoppm", "-r", "80", "-png", path, os.path.join(tmp, tag)], check=True)
            pngs = sorted(f for f in os.listdir(tmp) if f.startswith("a"))
            for png in pngs:
                n = _different_pixels(os.path.join(tmp, png), os.path.join(tmp, "b" + png[1:]))
                if n:
                    problems.append("{}: {} pixels differ".format(png[1:], "size" if n < 0 else n))
        if problems:
            differ += 1
            print("{}: {}".format(rel, "; ".join(problems)))
    print("{} PDFs, {} differ; {:,} bytes against {:,}".format(len(files), differ, size_a, size_b))
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("print", "compare"):
        sys.exit(__doc__)
    if sys.argv[1] == "print":
        print_sheets(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]))
    else:
        from qgis.PyQt.QtGui import QGuiApplication

        app = QGuiApplication([])
        sys.exit(compare(sys.argv[2], sys.argv[3]))
