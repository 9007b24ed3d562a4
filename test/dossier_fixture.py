"""A synthetic graded district for the dossier tests and benchmark, built in code.

Parcels on a jittered grid in EPSG:4549 with every field the 体检表 prints (grades with
score_detail JSON, reviewed grades, veto flags, disposal paths), an enterprises table
(docs/DEVELOPING.md contract: one row per enterprise, parcel and year) and a clusters layer.
"""
import json
import random

YEAR = 2024
GRADES = "ABCDT"
INDICATORS = [("tax_per_mu", 24.097, 30), ("va_per_mu", 136.16, 20), ("va_per_energy", 2.694, 20),
              ("labour_productivity", 18.14, 10), ("rnd_ratio", 0.0302, 10)]


def code_for(i):
    return "330122{:06d}GB{:05d}".format(1 + i // 500, i)


def parcel_fields():
    from qgis.core import QgsField, QgsFields
    from qgis.PyQt.QtCore import QVariant

    spec = [("parcel_code", QVariant.Type.String), ("owner", QVariant.Type.String), ("town", QVariant.Type.String),
            ("address", QVariant.Type.String), ("land_use", QVariant.Type.String),
            ("land_use_raw", QVariant.Type.String),
            ("supply_date", QVariant.Type.Date), ("source", QVariant.Type.String), ("area_m2", QVariant.Type.Double),
            ("grade", QVariant.Type.String), ("grade_final", QVariant.Type.String), ("score", QVariant.Type.Double),
            ("rank", QVariant.Type.Int), ("score_detail", QVariant.Type.String), ("grade_reason", QVariant.Type.String),
            ("low_eff", QVariant.Type.Bool), ("low_eff_tags", QVariant.Type.String), ("standard", QVariant.Type.String),
            ("in_development_boundary", QVariant.Type.Bool), ("in_industrial_line", QVariant.Type.Bool),
            ("disposal", QVariant.Type.String), ("disposal_final", QVariant.Type.String),
            ("disposal_reason", QVariant.Type.String),
            ("override_reason", QVariant.Type.String), ("override_by", QVariant.Type.String),
            ("override_at", QVariant.Type.String),
            ("cluster_id", QVariant.Type.String), ("litigation", QVariant.Type.Bool),
            ("lease_status", QVariant.Type.String),
            ("unfinished", QVariant.Type.Bool)]
    for name, _, _ in INDICATORS:
        for suffix in ("", "_y1", "_y2"):
            spec.append((name + suffix, QVariant.Type.Double))
    fields = QgsFields()
    for name, kind in spec:
        fields.append(QgsField(name, kind))
    return fields


def make_district(n=24, seed=7, codes=None, ungraded=(), big_enterprise_parcel=None):
    """(parcels, enterprises, clusters) memory layers. ``codes`` overrides parcel codes by index."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsVectorLayer
    from qgis.PyQt.QtCore import QDate, QVariant

    rnd = random.Random(seed)
    parcels = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "parcels", "memory")
    fields = parcel_fields()
    parcels.dataProvider().addAttributes(fields.toList())
    parcels.updateFields()
    cols = max(1, int(n ** 0.5 + 0.999))
    feats, ent_rows, d_geoms = [], [], []
    towns = ["临港镇", "新桥镇", "城东街道", "江南街道"]
    for i in range(n):
        r, c = divmod(i, cols)
        x0 = 500000 + c * 260 + rnd.uniform(0, 20)
        y0 = 3400000 + r * 220 + rnd.uniform(0, 20)
        w, h = rnd.uniform(120, 230), rnd.uniform(90, 190)
        geom = QgsGeometry.fromWkt(
            "MULTIPOLYGON((({0} {1},{2} {1},{2} {3},{0} {3},{0} {1})))".format(x0, y0, x0 + w, y0 + h))
        code = codes.get(i, code_for(i)) if codes else code_for(i)
        grade = GRADES[i % 5] if i not in ungraded else None
        f = QgsFeature(parcels.fields())
        f.setGeometry(geom)
        detail = []
        values = {}
        for name, bench, weight in INDICATORS:
            v = bench * rnd.uniform(0.2, 1.6)
            values[name] = v
            values[name + "_y1"] = v * rnd.uniform(0.8, 1.1)
            values[name + "_y2"] = v * rnd.uniform(0.7, 1.1)
            detail.append({"indicator": name, "value": v, "benchmark": bench, "weight": weight,
                           "score": round(min(v / bench, 2.0) * weight, 2), "note": ""})
        score = sum(d["score"] for d in detail)
        attrs = {
            "parcel_code": code, "owner": "浙江{}精密制造有限公司".format("甲乙丙丁戊己庚辛壬癸"[i % 10]),
            "town": towns[i % len(towns)], "address": "{}工业园区兴业路{}号".format(towns[i % len(towns)], 10 + i),
            "land_use": "工业用地", "land_use_raw": "100101",
            "supply_date": QDate(2005 + i % 15, 1 + i % 12, 1 + i % 27),
            "source": "不动产登记", "area_m2": geom.area(),
            "grade": grade, "grade_final": ("C" if grade == "D" and i % 10 == 3 else None) if grade else None,
            "score": round(score, 2) if grade else None, "rank": i + 1 if grade else None,
            "score_detail": json.dumps(detail, ensure_ascii=False) if grade else None,
            "grade_reason": ("综合得分{:.2f}分，位于全区后5%".format(score) if grade else None),
            "low_eff": grade in ("C", "D"),
            "low_eff_tags": "亩均低效;重点整治" if grade == "D" else ("亩均低效" if grade == "C" else ""),
            "standard": "zhejiang_huangyan_2022", "in_development_boundary": i % 3 != 0,
            "in_industrial_line": i % 2 == 0,
            "disposal": {"A": "提质", "B": "提质", "C": "更新", "D": "收储"}.get(grade),
            "disposal_final": "减量" if grade == "D" else None,
            "disposal_reason": "位于城镇开发边界外，低效" if grade == "D" else None,
            "override_reason": "现场核查：企业已停产" if grade == "D" else None,
            "override_by": "张三" if grade == "D" else None,
            "override_at": "2025-03-15T10:00:00" if grade == "D" else None,
            "cluster_id": "LP-001" if grade == "D" and i < n // 2 else None,
            "litigation": i % 7 == 0, "lease_status": "擅自出租-拒不改正" if i % 11 == 0 else "无", "unfinished": False,
        }
        attrs.update(values if grade else {})
        f.setAttributes([attrs.get(fld.name()) for fld in parcels.fields()])
        feats.append(f)
        if grade == "D" and i < n // 2:
            d_geoms.append(geom)
        n_ent = 45 if i == big_enterprise_parcel else (0 if i % 6 == 5 else 1 + i % 3)
        for k in range(n_ent):
            for year in (YEAR, YEAR - 1, YEAR - 2):
                ent_rows.append({"parcel_code": code,
                                 "credit_code": "91330122MA{:04d}{:03d}X{}".format(i, k, year % 10),
                                 "enterprise_name": "测试企业{}号-{}".format(i, k + 1)
                                                    + ("（已迁出）" if year != YEAR else ""),
                                 "year": year, "share": 1.0 if n_ent == 1 else round(1.0 / n_ent, 4),
                                 "tax_10k": round(rnd.uniform(5, 500), 2),
                                 "output_10k": round(rnd.uniform(100, 20000), 2),
                                 "employees": rnd.randint(5, 400)})
    parcels.dataProvider().addFeatures(feats)
    parcels.updateExtents()

    ents = QgsVectorLayer("None", "enterprises", "memory")
    ents.dataProvider().addAttributes([QgsField("parcel_code", QVariant.Type.String),
                                       QgsField("credit_code", QVariant.Type.String),
                                       QgsField("enterprise_name", QVariant.Type.String),
                                       QgsField("year", QVariant.Type.Int),
                                       QgsField("share", QVariant.Type.Double),
                                       QgsField("tax_10k", QVariant.Type.Double),
                                       QgsField("output_10k", QVariant.Type.Double),
                                       QgsField("employees", QVariant.Type.Double)])
    ents.updateFields()
    efeats = []
    for row in ent_rows:
        f = QgsFeature(ents.fields())
        f.setAttributes([row[fl.name()] for fl in ents.fields()])
        efeats.append(f)
    ents.dataProvider().addFeatures(efeats)

    clusters = QgsVectorLayer("MultiPolygon?crs=EPSG:4549", "clusters", "memory")
    clusters.dataProvider().addAttributes([QgsField("cluster_id", QVariant.Type.String),
                                           QgsField("area_mu", QVariant.Type.Double)])
    clusters.updateFields()
    if d_geoms:
        hull = QgsGeometry.unaryUnion(d_geoms).buffer(30, 4)
        f = QgsFeature(clusters.fields())
        f.setGeometry(hull)
        f.setAttributes(["LP-001", hull.area() / 666.6667])
        clusters.dataProvider().addFeatures([f])
    return parcels, ents, clusters


def write_gpkg(layer, path, name):
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GPKG"
    opts.layerName = name
    result = QgsVectorFileWriter.writeAsVectorFormatV2(layer, path, QgsCoordinateTransformContext(), opts)
    assert result[0] == QgsVectorFileWriter.NoError, result
    return "{}|layername={}".format(path, name)
