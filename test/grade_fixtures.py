"""Hand-made parcel layers for grading tests and the grading benchmark (no upstream data needed).

``write_layer(path, rows)``: one square polygon per row with exactly ``row['area_m2']`` m²
(EPSG:4549, metres), other keys written as fields (types from fields.yaml, else guessed).
``random_rows(n)``: a district-like mix of 规上/规下 firms with raw values for three years.
"""
import math
import random

FIELD_TYPES = {"bool": "bool", "double": "double", "int": "int", "date": "string", "string": "string",
               "datetime": "string"}


def _qtype(name, value):
    from qgis.PyQt.QtCore import QVariant

    from landeval_plugin.core import schema

    base, _ = schema.split_year_suffix(name)
    spec = schema.fields().get(base)
    kind = spec.get("type") if spec else None
    if kind is None:
        kind = "double" if isinstance(value, float) \
            else "int" if isinstance(value, int) and not isinstance(value, bool) else "string"
    return {"double": QVariant.Type.Double, "int": QVariant.Type.Int, "bool": QVariant.Type.String,
            "date": QVariant.Type.String,
            "string": QVariant.Type.String, "datetime": QVariant.Type.String}[kind]


def write_layer(path, rows, layer="parcels", crs="EPSG:4549", columns=None):
    """Write rows to a GeoPackage (or memory layer when path is None); returns the QgsVectorLayer."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsRectangle,
        QgsVectorFileWriter,
        QgsVectorLayer,
        QgsWkbTypes,
    )

    names = columns or []
    if not names:
        for r in rows:
            for k in r:
                if k != "area_m2" and k not in names:
                    names.append(k)
    fields = QgsFields()
    for n in names:
        sample = next((r[n] for r in rows if r.get(n) is not None), None)
        fields.append(QgsField(n, _qtype(n, sample)))
    feats = []
    cols = max(1, int(math.sqrt(len(rows)) * 1.3))
    for i, r in enumerate(rows):
        f = QgsFeature(fields)
        a = r.get("area_m2", 10000.0)
        if a is not None and a > 0:
            side = math.sqrt(a)
            x, y = 500000 + (i % cols) * 400.0, 3400000 + (i // cols) * 400.0
            f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, y, x + side, y + side)))
        elif a == 0:
            f.setGeometry(
                QgsGeometry.fromWkt("POLYGON((500000 3390000, 500010 3390000, 500020 3390000, 500000 3390000))"))
        vals = []
        for n in names:
            v = r.get(n)
            if isinstance(v, bool):
                v = "是" if v else "否"
            vals.append(v)
        f.setAttributes(vals)
        feats.append(f)
    if path is None:
        lyr = QgsVectorLayer("Polygon?crs=" + crs, layer, "memory")
        lyr.dataProvider().addAttributes(fields.toList())
        lyr.updateFields()
        lyr.dataProvider().addFeatures(feats)
        return lyr
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = layer
    writer = QgsVectorFileWriter.create(path, fields, QgsWkbTypes.Polygon, QgsCoordinateReferenceSystem(crs),
                                        QgsCoordinateTransformContext(), opts)
    writer.addFeatures(feats)
    del writer
    lyr = QgsVectorLayer("{}|layername={}".format(path, layer), layer, "ogr")
    assert lyr.isValid(), path
    return lyr


def random_rows(n, seed=7):
    """District-like parcels: raw values for this year and the two before, attributes, towns."""
    rnd = random.Random(seed)
    towns = ["城东街道", "城西街道", "新前街道", "江口街道", "院桥镇", "沙埠镇", "高桥街道", "北城街道"]
    out = []
    for i in range(n):
        mu = rnd.choice([rnd.uniform(5, 20), rnd.uniform(20, 80), rnd.uniform(80, 300)])
        big = rnd.random() < 0.6
        tpm = rnd.lognormvariate(math.log(20 if big else 8), 0.8)
        row = {
            "parcel_code": "330122{:06d}GB{:05d}".format(i // 1000, i % 100000),
            "town": rnd.choice(towns),
            "scale": "规上" if big else "规下",
            "area_m2": mu * 10000.0 / 15.0,
            "tax_10k": tpm * mu,
            "tax_10k_y1": tpm * mu * rnd.uniform(0.8, 1.2),
            "tax_10k_y2": tpm * mu * rnd.uniform(0.7, 1.3),
            "value_added_10k": tpm * mu * rnd.uniform(4, 8),
            "revenue_10k": tpm * mu * rnd.uniform(15, 30),
            "energy_tce": mu * rnd.uniform(20, 80),
            "emission_t": mu * rnd.uniform(0.01, 0.05) if rnd.random() > 0.15 else None,
            "employees": mu * rnd.uniform(1, 4),
            "rnd_10k": tpm * mu * rnd.uniform(0.3, 1.5),
            "power_10k_kwh": mu * rnd.uniform(20, 90),
            "output_10k": tpm * mu * rnd.uniform(20, 40),
        }
        out.append(row)
    return out
