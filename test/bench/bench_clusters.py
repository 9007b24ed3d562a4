"""连片 clusters: landeval:clusters beside the native chain (extract, buffer g/2, dissolve, explode, join by location).

The parcels are generated here: blocks of 4 x 5 irregular parcels (jittered shared vertices, so
neighbours share exact edges) between 20 m roads, 30 % of them C/D members (fixed seed). Both
sides write GeoPackages; LandEval also writes every input parcel with its cluster_id and the
cluster polygons with their sums, the native chain only the joined members.
"""
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

FILTER = "\"grade\" IN ('C','D') OR \"low_eff\""
BLOCK_NX, BLOCK_NY = 4, 5     # parcels per block
PARCEL_W, PARCEL_H = 80.0, 60.0
ROAD = 20.0


def parcels_path(size, workdir):
    return os.path.join(workdir, "parcels_{}.gpkg".format(size))


def generate(size, workdir, seed=7):
    """A GeoPackage of ``size`` parcels (EPSG:4549), made once per size and reused."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsPointXY,
        QgsVectorFileWriter,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QVariant

    path = parcels_path(size, workdir)
    if os.path.exists(path):
        return path
    os.makedirs(workdir, exist_ok=True)
    rnd = random.Random(seed)
    fields = QgsFields()
    for name, kind in (("parcel_code", QVariant.Type.String), ("grade", QVariant.Type.String),
                       ("low_eff", QVariant.Type.Bool),
                       ("town", QVariant.Type.String), ("tax_10k", QVariant.Type.Double),
                       ("area_mu", QVariant.Type.Double)):
        fields.append(QgsField(name, kind))
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    tmp = path + ".part.gpkg"
    writer = QgsVectorFileWriter.create(tmp, fields, QgsWkbTypes.MultiPolygon,
                                        QgsCoordinateReferenceSystem("EPSG:4549"),
                                        QgsCoordinateTransformContext(), opts)
    per_block = BLOCK_NX * BLOCK_NY
    blocks = (size + per_block - 1) // per_block
    side = int(blocks ** 0.5) + 1
    bw, bh = BLOCK_NX * PARCEL_W + ROAD, BLOCK_NY * PARCEL_H + ROAD
    n = 0
    for b in range(blocks):
        bx, by = 500000.0 + (b % side) * bw, 3400000.0 + (b // side) * bh
        # shared, jittered vertex grid: neighbours share exact edges, shapes are irregular
        grid = {}
        for i in range(BLOCK_NX + 1):
            for j in range(BLOCK_NY + 1):
                jx = 0 if i in (0, BLOCK_NX) else rnd.uniform(-12, 12)
                jy = 0 if j in (0, BLOCK_NY) else rnd.uniform(-9, 9)
                grid[i, j] = QgsPointXY(bx + i * PARCEL_W + jx, by + j * PARCEL_H + jy)
        for i in range(BLOCK_NX):
            for j in range(BLOCK_NY):
                if n >= size:
                    break
                ring = [grid[i, j], grid[i + 1, j], grid[i + 1, j + 1], grid[i, j + 1], grid[i, j]]
                g = QgsGeometry.fromPolygonXY([ring])
                g.convertToMultiType()
                member = rnd.random() < 0.30
                grade = rnd.choice("CD") if member else rnd.choice("AB")
                f = QgsFeature(fields)
                f.setGeometry(g)
                f.setAttributes(["330122{:06d}GB{:05d}".format(b, n % 100000), grade, False,
                                 "镇{}".format(b % 7), round(rnd.uniform(0, 300), 1), g.area() / (10000 / 15)])
                writer.addFeature(f)
                n += 1
    del writer
    os.replace(tmp, path)
    return path


def _run(alg, params):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    return processing.run(alg, params, context=QgsProcessingContext(), feedback=QgsProcessingFeedback())


def landeval(size, workdir, gap=0.0):
    path = generate(size, workdir)
    out = os.path.join(workdir, "le_{}_{}".format(size, int(gap)))
    for suffix in ("_clusters.gpkg", "_parcels.gpkg"):
        if os.path.exists(out + suffix):
            os.remove(out + suffix)
    res = _run("landeval:clusters", {"INPUT": path, "FILTER": FILTER, "GAP_M": gap, "MIN_PARCELS": 2,
                                     "OUTPUT": out + "_clusters.gpkg", "OUTPUT_PARCELS": out + "_parcels.gpkg"})
    return {"clusters": res["CLUSTER_COUNT"], "members": res["MEMBER_COUNT"]}


def native(size, workdir, gap=0.0):
    from qgis.core import QgsVectorLayer

    path = generate(size, workdir)
    tmp = os.path.join(workdir, "nat_{}_{}".format(size, int(gap)))
    os.makedirs(tmp, exist_ok=True)
    src = _run("native:extractbyexpression", {"INPUT": path, "EXPRESSION": FILTER,
                                              "OUTPUT": os.path.join(tmp, "members.gpkg")})["OUTPUT"]
    buf = src
    if gap > 0:
        buf = _run("native:buffer", {"INPUT": src, "DISTANCE": gap / 2.0, "SEGMENTS": 5, "END_CAP_STYLE": 0,
                                     "JOIN_STYLE": 0, "MITER_LIMIT": 2, "DISSOLVE": False,
                                     "OUTPUT": os.path.join(tmp, "buffered.gpkg")})["OUTPUT"]
    dis = _run("native:dissolve", {"INPUT": buf, "FIELD": [], "OUTPUT": os.path.join(tmp, "dissolved.gpkg")})["OUTPUT"]
    parts = _run("native:multiparttosingleparts", {"INPUT": dis, "OUTPUT": os.path.join(tmp, "parts.gpkg")})["OUTPUT"]
    joined = _run("native:joinattributesbylocation", {
        "INPUT": src, "JOIN": parts, "PREDICATE": [0], "JOIN_FIELDS": ["fid"], "METHOD": 2,
        "DISCARD_NONMATCHING": False, "PREFIX": "part_", "OUTPUT": os.path.join(tmp, "joined.gpkg")})["OUTPUT"]
    groups = QgsVectorLayer(parts, "p", "ogr").featureCount()
    return {"groups": groups, "members": QgsVectorLayer(joined, "j", "ogr").featureCount()}


CASES = {
    "landeval_gap0": lambda size, workdir: landeval(size, workdir, 0.0),
    "native_gap0": lambda size, workdir: native(size, workdir, 0.0),
    "landeval_gap30": lambda size, workdir: landeval(size, workdir, 30.0),
    "native_gap30": lambda size, workdir: native(size, workdir, 30.0),
}


def main(path, workdir, quick=False):
    import common

    size = 10000 if quick else 100000
    os.makedirs(workdir, exist_ok=True)
    common.measure(path, "generate", size, workdir)  # made once, outside the timed cases
    rows = []
    for gap in (0, 30):
        le = common.measure(path, "landeval_gap{}".format(gap), size, workdir)
        nat = common.measure(path, "native_gap{}".format(gap), size, workdir)
        print("gap {} m: LandEval {} clusters (≥2 parcels) of {} members; native chain {} groups (singles "
              "included)".format(
            gap, le.get("clusters"), le.get("members"), nat.get("groups")))
        rows.append(("{:,} parcels, gap {} m".format(size, gap), le, nat, "≤ 10 s, faster than native"))
    common.report("landeval:clusters vs native buffer/dissolve/explode/join", rows)


CASES["generate"] = lambda size, workdir: {"path": generate(size, workdir)}
