"""Sheet size (一地一档): bytes per two-page sheet and of a combined PDF, on three districts.

* ``sample``: the generated sample district (3,000 parcels, layer ``bdcdj``), the first sheets
  in parcel-code order, every parcel of the district as neighbours;
* ``somerville``: the 14,572 real parcels of ../shared/data/somerville_parcels.gpkg (skipped when
  absent), graded A/B/C/D/T at random (fixed seed) so the maps carry every colour;
* ``fixture``: the synthetic graded district of the dossier tests and bench (1,000 parcels).

For each: the size of every per-parcel PDF (min / median / max), and combined PDFs of N and 2N
sheets: their difference divided by N is what one more sheet costs in a combined PDF (it must not
depend on the size of the district). Target: ≤ 150 KB per two-page sheet (issue 17).
"""
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # test/ for the fixture
sys.path.insert(0, HERE)

import common  # noqa: E402

SHEETS = 40
QUICK_SHEETS = 8
TARGET_KB = 150


SOMERVILLE = common.shared_data("somerville_parcels.gpkg")


def _sample_layers(workdir):
    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.sample import sample_district

    folder = os.path.join(workdir, "sample_3000")
    gpkg = os.path.join(folder, sample_district.GPKG_NAME)
    if not os.path.exists(gpkg):
        sample_district.generate(folder, parcels=3000, seed=42)
    layer = QgsVectorLayer("{}|layername=bdcdj".format(gpkg), "bdcdj", "ogr")
    return layer, layer, None, None


def _somerville_layers(workdir):
    from qgis.core import QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    src = QgsVectorLayer("{}|layername=parcels".format(SOMERVILLE), "parcels", "ogr")
    layer = QgsVectorLayer("MultiPolygon?crs={}".format(src.crs().authid()), "somerville", "memory")
    layer.dataProvider().addAttributes([QgsField("parcel_code", QVariant.Type.String),
                                        QgsField("grade", QVariant.Type.String)])
    layer.updateFields()
    rnd = random.Random(5)
    feats = []
    for f in src.getFeatures():
        out = QgsFeature(layer.fields())
        geom = f.geometry()
        geom.convertToMultiType()
        out.setGeometry(geom)
        out.setAttributes([str(f["MBL"]), rnd.choice("ABCDT")])
        feats.append(out)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer, layer, None, None


def _fixture_layers(workdir):
    from dossier_fixture import make_district

    parcels, enterprises, clusters = make_district(1000, seed=11)
    return parcels, parcels, enterprises, clusters


DISTRICTS = {"sample": _sample_layers, "somerville": _somerville_layers, "fixture": _fixture_layers}


def sizes(district, workdir, sheets=SHEETS):
    """Print ``sheets`` per-parcel PDFs and combined PDFs of ``sheets`` and 2 x ``sheets``."""
    from qgis.core import QgsFeatureRequest

    from landeval_plugin.core.dossiers.printer import DossierPrinter
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    os.makedirs(workdir, exist_ok=True)
    parcels, neighbours, enterprises, clusters = DISTRICTS[district](workdir)
    ids = sorted(parcels.allFeatureIds())
    rnd = random.Random(3)
    chosen = sorted(rnd.sample(ids, min(len(ids), 2 * sheets)))
    result = {"parcels": len(ids)}
    for count in (sheets, 2 * sheets):
        request = QgsFeatureRequest().setFilterFids(chosen[:count])
        data = SheetData(parcels.getFeatures(request), parcels.fields(), parcels.crs(), enterprises=enterprises,
                         clusters=clusters)
        printer = DossierPrinter(data, neighbours=neighbours)
        pdf = os.path.join(workdir, "{}_{}.pdf".format(district, count))
        printer.print_combined(pdf)
        result["combined_{}".format(count)] = os.path.getsize(pdf)
        if count == sheets:
            folder = os.path.join(workdir, "{}_sheets".format(district))
            written = printer.print_folder(folder)
            result["sheet_bytes"] = sorted(os.path.getsize(p) for _, p, _ in written)
            result["sheet_pages"] = sorted({p for _, _, p in written})
        printer.close()
        data.close()
    return result


def sample(size, workdir):
    return sizes("sample", workdir, size)


def somerville(size, workdir):
    return sizes("somerville", workdir, size)


def fixture(size, workdir):
    return sizes("fixture", workdir, size)


CASES = {"sample": sample, "somerville": somerville, "fixture": fixture}


def main(path, workdir, quick=False):
    n = QUICK_SHEETS if quick else SHEETS
    print("  {:<11} {:>8} {:>8} {:>9} {:>9} {:>9} {:>12} {:>12} {:>11}  {}".format(
        "district", "parcels", "pages", "min KB", "median KB", "max KB", "comb {} KB".format(n),
        "comb {} KB".format(2 * n), "+KB/sheet", "target ≤{} KB/sheet".format(TARGET_KB)))
    for name in ("sample", "somerville", "fixture"):
        if name == "somerville" and not os.path.exists(SOMERVILLE):
            print("  somerville: ../shared/data/somerville_parcels.gpkg absent, skipped")
            continue
        r = common.measure(path, name, n, workdir)
        kb = [b / 1024.0 for b in r["sheet_bytes"]]
        extra = (r["combined_{}".format(2 * n)] - r["combined_{}".format(n)]) / 1024.0 / n
        ok = "ok" if max(kb) <= TARGET_KB else "OVER"
        line = ("  {:<11} {:>8,} {:>8} {:>9.0f} {:>9.0f} {:>9.0f} {:>12.0f} {:>12.0f} {:>11.1f}  {} "
                "({:.0f} s, {:.0f} MB)")
        print(line.format(
            name, r["parcels"], "/".join(str(p) for p in r["sheet_pages"]), min(kb), statistics.median(kb), max(kb),
            r["combined_{}".format(n)] / 1024.0, r["combined_{}".format(2 * n)] / 1024.0, extra, ok,
            r["seconds"], r["peak_mb"]))
        sys.stdout.flush()
