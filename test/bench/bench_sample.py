"""Sample district generator at 10k/50k/100k parcels, beside writing the same number of plain
grid cells with native:creategrid (the floor: QGIS only writing N polygons, no attributes)."""
import math
import os

import common

SIZES = (10000, 50000, 100000)
QUICK_SIZES = (1000,)


def generate(size, workdir):
    from landeval_plugin.core.sample import sample_district

    paths = sample_district.generate(os.path.join(workdir, "sample_{}".format(size)), parcels=size, seed=42)
    return {"bytes": sum(os.path.getsize(p) for p in paths.values())}


def native_grid(size, workdir):
    import processing

    side = int(math.ceil(math.sqrt(size)))
    x0, y0 = 500000 - side * 50, 3300000 - side * 50
    extent = "{},{},{},{} [EPSG:4549]".format(x0, x0 + side * 100, y0, y0 + side * 100)
    out = os.path.join(workdir, "grid_{}.gpkg".format(size))
    os.makedirs(workdir, exist_ok=True)
    processing.run("native:creategrid", {"TYPE": 2, "EXTENT": extent, "HSPACING": 100, "VSPACING": 100,
                                         "CRS": "EPSG:4549", "OUTPUT": out})
    return {}


CASES = {"generate": generate, "native_grid": native_grid}


def main(path, workdir, quick=False):
    rows = []
    for size in QUICK_SIZES if quick else SIZES:
        le = common.measure(path, "generate", size, workdir)
        nat = common.measure(path, "native_grid", size, workdir)
        rows.append(("sample district {:,}".format(size), le, nat, "100k well under 2-3 min"))
    common.report("sample district (LandEval) vs native:creategrid (same count of bare cells)", rows)
