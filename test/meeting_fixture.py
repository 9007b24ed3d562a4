"""A small graded district for the 研判会 tests (statistics, lists, maps), built in code.

Parcels of random size on a grid in EPSG:4549 (metres) with every field core/meeting reads:
town (some missing), grade and reviewed grade_final, low_eff / low_eff_tags (several tags on
some parcels), disposal and reviewed disposal_final, cluster_id, tax_10k / output_10k for the
data year and the two before (some missing: missing is not zero), owner and reasons.
"""
import random

TOWNS = ["分水镇", "城南街道", "横村镇"]
TAGS = ["亩均低效", "重点整治", "用而未尽", "占工非工", "综合评价D类"]
PATHS = ["自我提升", "兼并重组", "收购收储", "取缔关停"]
YEAR = 2023
REASON = ("综合得分 {:.2f}（规上：亩均税收{:.2f}分（{:.1f} 万元/亩，基准 24.097，权重 30），其余略去以免太长）"
          "；第 {}/60 名")


def fields():
    from qgis.core import QgsField, QgsFields
    from qgis.PyQt.QtCore import QVariant

    spec = [("parcel_code", QVariant.Type.String), ("owner", QVariant.Type.String), ("town", QVariant.Type.String),
            ("grade", QVariant.Type.String), ("grade_final", QVariant.Type.String),
            ("grade_reason", QVariant.Type.String), ("override_reason", QVariant.Type.String),
            ("low_eff", QVariant.Type.Bool), ("low_eff_tags", QVariant.Type.String),
            ("disposal", QVariant.Type.String), ("disposal_final", QVariant.Type.String),
            ("cluster_id", QVariant.Type.String), ("data_year", QVariant.Type.Int)]
    for base in ("tax_10k", "output_10k"):
        for suffix in ("", "_y1", "_y2"):
            spec.append((base + suffix, QVariant.Type.Double))
    out = QgsFields()
    for name, kind in spec:
        out.append(QgsField(name, kind))
    return out


def make_layer(n=60, seed=11, drop=()):
    """A memory layer of ``n`` parcels; ``drop``: field names left out (a layer without grades ...)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsRectangle, QgsVectorLayer

    rnd = random.Random(seed)
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "研判测试宗地", "memory")
    all_fields = fields()
    keep = [f for f in all_fields if f.name() not in drop]
    layer.dataProvider().addAttributes(keep)
    layer.updateFields()
    names = layer.fields().names()
    feats = []
    for i in range(n):
        r, c = divmod(i, 8)
        w, h = rnd.uniform(60, 200), rnd.uniform(60, 200)
        x0, y0 = 500000 + c * 250, 3300000 + r * 250
        grade = rnd.choice(["A", "B", "C", "D", "T", None])
        final = rnd.choice(["A", "D"]) if rnd.random() < 0.15 else None
        tags = rnd.sample(TAGS, rnd.choice([0, 0, 0, 1, 1, 2, 3]))
        values = {
            "parcel_code": "330122{:06d}GB{:05d}".format(1 + i // 20, i), "owner": "测试企业{:03d}有限公司".format(i),
            "town": rnd.choice(TOWNS + [None]) if i % 13 else None,
            "grade": grade, "grade_final": final,
            "grade_reason": REASON.format(
                rnd.uniform(20, 200), rnd.uniform(1, 50), rnd.uniform(1, 50), i + 1),
            "override_reason": "研判会认定" if final else None,
            "low_eff": bool(tags), "low_eff_tags": "、".join(tags) if tags else None,
            "disposal": rnd.choice(PATHS + [None, None]),
            "disposal_final": rnd.choice(PATHS) if rnd.random() < 0.1 else None,
            "cluster_id": rnd.choice(["LP001", "LP002", "LP003"]) if rnd.random() < 0.3 else None,
            "data_year": YEAR,
        }
        for base, top in (("tax_10k", 500.0), ("output_10k", 8000.0)):
            for suffix in ("", "_y1", "_y2"):
                values[base + suffix] = None if rnd.random() < 0.2 else round(rnd.uniform(0, top), 2)
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x0, y0, x0 + w, y0 + h)))
        f.setAttributes([values[n] for n in names])
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer


def write_gpkg(layer, path):
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = "parcels"
    err = QgsVectorFileWriter.writeAsVectorFormatV2(layer, str(path), QgsCoordinateTransformContext(), opts)
    assert err[0] == QgsVectorFileWriter.NoError, err
    return str(path)


def text(v):
    """The test's own reading of a text cell (independent of core.values): None, '' -> None."""
    if v is None:
        return None
    try:
        from qgis.PyQt.QtCore import QVariant

        if isinstance(v, QVariant) and v.isNull():
            return None
    except ImportError:
        pass
    s = str(v).strip()
    return s if s and s != "NULL" else None


def number(v):
    t = text(v)
    return None if t is None else float(t)


def facts(layer):
    """[dict] per feature: the test's independent reading (class, path, tags, 亩 from the geometry)."""
    out = []
    for f in layer.getFeatures():
        a = {n: f[n] for n in layer.fields().names()}
        out.append({
            "fid": f.id(), "code": text(a.get("parcel_code")), "town": text(a.get("town")) or "",
            "class": text(a.get("grade_final")) or text(a.get("grade")) or "",
            "path": text(a.get("disposal_final")) or text(a.get("disposal")) or "",
            "cluster": text(a.get("cluster_id")) or "",
            "tags": [t for t in (text(a.get("low_eff_tags")) or "").split("、") if t],
            "mu": f.geometry().area() / (10000.0 / 15.0),
            "tax": number(a.get("tax_10k")), "output": number(a.get("output_10k")),
            "years": {YEAR - k: (number(a.get("tax_10k" + s)), number(a.get("output_10k" + s)))
                      for k, s in enumerate(("", "_y1", "_y2"))},
        })
    return out


def sums(rows):
    """(count, 亩, tax or None, output or None) of fact rows, computed the long way."""
    count, mu, tax, output, tax_n, out_n = 0, 0.0, 0.0, 0.0, 0, 0
    for r in rows:
        count += 1
        mu += r["mu"]
        if r["tax"] is not None:
            tax += r["tax"]
            tax_n += 1
        if r["output"] is not None:
            output += r["output"]
            out_n += 1
    return count, mu, (tax if tax_n else None), (output if out_n else None)
