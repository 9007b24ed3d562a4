"""Unified parcel codes (统一编码).

A valid 19-character 宗地代码 (GB/T 39046 style: 6-digit 行政区划 + 6-digit 地籍区/子区 +
2 letters 宗地特征码 + 5-digit 顺序号) is kept; a 28-character 不动产单元号 gives its first 19.
A parcel that matches one of last year's by intersection over union ≥ 0.9 keeps last year's
code, so parcels can be tracked across years. Everything else gets ``prefix-town-00001``
numbered by position (north to south, west to east), identical on a re-run.
"""
import re

VALID_RE = re.compile(r"^[0-9]{12}[A-Z]{2}[0-9]{5}$")
UNIT_RE = re.compile(r"^([0-9]{12}[A-Z]{2}[0-9]{5})[A-Z][0-9]{8}$")
IOU_MIN = 0.9


_normalise_value = None  # basemap.landuse.normalise_value, imported at the first call (once, not per parcel)


def normalise(value):
    global _normalise_value
    if _normalise_value is None:
        from .basemap.landuse import normalise_value

        _normalise_value = normalise_value
    return _normalise_value(value).replace(" ", "")


def valid_code(value):
    """The 19-character 宗地代码 in ``value`` (also inside a 不动产单元号), else None."""
    text = normalise(value)
    if VALID_RE.match(text):
        return text
    m = UNIT_RE.match(text)
    if m:
        return m.group(1)
    return None


def generated_code(prefix, town, seq):
    parts = [p for p in (prefix, (town or "").strip()) if p]
    return "-".join(parts + ["{:05d}".format(seq)])


def position_key(geometry):
    """North to south, then west to east, on the centroid rounded to 1 cm (stable on re-run)."""
    c = geometry.centroid().asPoint() if not geometry.isEmpty() else None
    if c is None:
        return (0.0, 0.0)
    return (-round(c.y(), 2), round(c.x(), 2))


def match_previous(geometries, previous, area_of, feedback=None):
    """Greedy best IoU matching: {record index: previous code} for IoU ≥ IOU_MIN.

    ``geometries``: list of QgsGeometry (target CRS); ``previous``: list of (geometry, code)
    in the same CRS; ``area_of``: geometry -> m².
    """
    from qgis.core import QgsGeometry, QgsSpatialIndex

    index = QgsSpatialIndex()
    prev_areas = []
    for i, (geom, _) in enumerate(previous):
        index.addFeature(i, geom.boundingBox())
        prev_areas.append(area_of(geom))
    pairs = []
    for r, geom in enumerate(geometries):
        if feedback is not None and feedback.isCanceled():
            return {}
        bbox = geom.boundingBox()
        ids = index.intersects(bbox)
        if not ids:
            continue
        area = area_of(geom)
        engine = QgsGeometry.createGeometryEngine(geom.constGet())
        engine.prepareGeometry()
        for i in ids:
            pa = prev_areas[i]
            # IoU ≤ min/max of the areas: skip candidates that cannot reach the threshold
            if pa <= 0 or area <= 0 or min(pa, area) / max(pa, area) < IOU_MIN:
                continue
            pg = previous[i][0]
            if not engine.intersects(pg.constGet()):
                continue
            inter = area_of(geom.intersection(pg))
            iou = inter / (area + pa - inter) if (area + pa - inter) > 0 else 0.0
            if iou >= IOU_MIN:
                pairs.append((iou, r, i))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_records, used_prev, result = set(), set(), {}
    for iou, r, i in pairs:
        if r in used_records or i in used_prev:
            continue
        code = previous[i][1]
        if not code:
            continue
        used_records.add(r)
        used_prev.add(i)
        result[r] = (code, iou)
    return result
