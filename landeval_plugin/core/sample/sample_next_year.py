"""The sample district's next evaluation year (issue 16.2): from one year's parcel data layer
(the data step's output) a layer for the year after, in which some parcels improve, some decline
and some are split in two (new codes naming their parent in ``prev_codes``), and the parcels
fixed under class D (处置台账 已完成, ``fixed``) improve: about half of them strongly (they should
leave the low-efficiency list, 出库), the others a little (提升后仍被认定为低效, seed 002).

Money values (税收, 产值, 营业收入, 增加值, 研发, 固定资产) of the current year move by the parcel's
factor; the previous years shift (this year -> _y1, _y1 -> _y2); indicators derived from them
move with them (areas are unchanged, except for split parcels whose values are shared by area).
"""
import random

MONEY = ("tax_10k", "output_10k", "revenue_10k", "value_added_10k", "rnd_10k", "fixed_assets_10k")
OTHER_RAW = ("energy_tce", "power_10k_kwh", "emission_t", "employees")
# indicators that are a money value over something that does not change with the factor
MOVING = ("tax_per_mu", "output_per_ha", "tax_per_ha", "va_per_mu", "revenue_per_mu", "va_per_energy",
          "tax_per_energy", "tax_per_power", "va_per_emission", "labour_productivity", "output_per_energy",
          "output_per_employee", "fixed_assets_per_ha", "output_per_emission")
STEADY = ("rnd_ratio",)
AREA = ("area_m2", "area_mu", "area_ha", "宗地面积")


def plan(codes, seed=2, improve=0.15, decline=0.15, split=0.03):
    """{code: (kind, factor)} with kind improve / decline / split / steady, reproducible by seed."""
    rng = random.Random(seed)
    out = {}
    for code in sorted(codes):
        r = rng.random()
        if r < improve:
            out[code] = ("improve", rng.uniform(2.0, 4.0))
        elif r < improve + decline:
            out[code] = ("decline", rng.uniform(0.2, 0.5))
        elif r < improve + decline + split:
            out[code] = ("split", rng.uniform(0.9, 1.1))
        else:
            out[code] = ("steady", rng.uniform(0.95, 1.05))
    return out


def fixed_plan(codes, seed=2):
    """{code: ("fixed", factor)} for parcels fixed under D: alternately strong (× 4–8) and weak
    (× 1.05–1.3), in code order, reproducible by seed."""
    rng = random.Random(seed + 7919)
    out = {}
    for n, code in enumerate(sorted(codes)):
        out[code] = ("fixed", rng.uniform(4.0, 8.0) if n % 2 == 0 else rng.uniform(1.05, 1.3))
    return out


def choose_fixed(codes, share, seed=2):
    """A reproducible ``share`` of ``codes`` (at least one when there are any and share > 0)."""
    codes = sorted(codes)
    if not codes or share <= 0:
        return []
    rng = random.Random(seed + 104729)
    n = max(1, int(round(len(codes) * min(1.0, share))))
    return sorted(rng.sample(codes, n))


FIXED_NOTE = "样例数据：整治提升完成（landeval:samplenextyear）"


def pick_fixed(store, year, share, seed=2):
    """(every code fixed under D in ``year``, the codes to fix now): a ``share`` of the year's
    class D (final) parcels not yet through the register, plus those whose register status is
    already 已完成 or 已出库. Reads only; ``mark_fixed`` writes."""
    from ..store import register

    graded = register.graded_rows(store, year)
    rows = register.register_rows(store, year)
    done = {c for c, r in rows.items() if r["status"] in register.FINAL_STATUSES}
    class_d = [c for c, r in graded.items() if register.final_class(r) == "D" and c not in done]
    picked = choose_fixed(class_d, share, seed)
    return sorted(done | set(picked)), picked


def mark_fixed(store, year, codes):
    """The register rows of ``codes`` through the workflow to 已完成 (added as 已入库 when missing),
    in one transaction."""
    from ..store import register

    return register.finish(store, year, codes, notes=FIXED_NOTE)


def _shifted(attrs, names, factor):
    """This year's values moved by factor; previous years shifted one back."""
    new = dict(attrs)
    for base in MONEY + OTHER_RAW + MOVING + STEADY:
        if base not in names:
            continue
        now = attrs.get(base)
        if base + "_y2" in names:
            new[base + "_y2"] = attrs.get(base + "_y1")
        if base + "_y1" in names:
            new[base + "_y1"] = now
        if now is not None and (base in MONEY or base in MOVING):
            new[base] = now * factor
    return new


def next_year(layer, factors=None, seed=2, fixed=()):
    """(fields, features, plan) of the next year from ``layer`` (a parcel data layer with
    parcel_code); the features are QgsFeatures with the layer's fields plus ``prev_codes``.
    ``fixed``: codes of parcels fixed under D (never split; see fixed_plan)."""
    from qgis.core import QgsFeature, QgsField, QgsFields, QgsGeometry, QgsRectangle
    from qgis.PyQt.QtCore import QVariant

    from .. import units

    fields = QgsFields()
    for field in layer.fields():
        if field.name().lower() != "fid":  # a GeoPackage's feature id: the writer numbers the new rows
            fields.append(field)
    if fields.indexOf("prev_codes") < 0:
        fields.append(QgsField("prev_codes", QVariant.Type.String))
    names = set(fields.names())
    features = list(layer.getFeatures())
    kinds = factors or plan([f["parcel_code"] for f in features if f["parcel_code"]], seed=seed)
    if fixed:
        kinds = dict(kinds)
        present = {f["parcel_code"] for f in features}
        kinds.update(fixed_plan([c for c in fixed if c in present], seed=seed))
    meter = units.AreaMeter(layer.crs())
    out, serial = [], 90000
    for f in features:
        attrs = dict(zip(layer.fields().names(), f.attributes()))
        attrs = {k: (None if hasattr(v, "isNull") and v.isNull() else v) for k, v in attrs.items()}
        code = attrs.get("parcel_code")
        kind, factor = kinds.get(code, ("steady", 1.0))
        new = _shifted(attrs, names, factor)
        if "data_year" in names and attrs.get("data_year"):
            new["data_year"] = int(attrs["data_year"]) + 1
        geom = f.geometry()
        if kind == "split" and geom is not None and not geom.isEmpty():
            box = geom.boundingBox()
            mid = box.xMinimum() + box.width() / 2.0
            halves = [geom.intersection(QgsGeometry.fromRect(QgsRectangle(box.xMinimum() - 1, box.yMinimum() - 1,
                                                                          mid, box.yMaximum() + 1))),
                      geom.intersection(QgsGeometry.fromRect(QgsRectangle(mid, box.yMinimum() - 1,
                                                                          box.xMaximum() + 1, box.yMaximum() + 1)))]
            halves = [h for h in halves if h is not None and not h.isEmpty() and h.area() > 0]
            if len(halves) == 2:
                total = sum(h.area() for h in halves)
                for h in halves:
                    share = h.area() / total
                    part = dict(new)
                    serial += 1
                    part["parcel_code"] = "{}{:05d}".format(code[:-5], serial) if code and len(code) > 5 else \
                        "{}-{}".format(code, serial)
                    part["prev_codes"] = code
                    for base in MONEY + OTHER_RAW:
                        for suffix in ("", "_y1", "_y2"):
                            n = base + suffix
                            if n in names and part.get(n) is not None:
                                part[n] = part[n] * share
                    m2 = meter.m2(h)
                    for n, value in zip(AREA, (m2, m2 * 15.0 / 10000.0, m2 / 10000.0, m2)):
                        if n in names:
                            part[n] = value
                    feat = QgsFeature(fields)
                    feat.setGeometry(h)
                    feat.setAttributes([part.get(n) for n in fields.names()])
                    out.append(feat)
                continue
            kind = "steady"
        feat = QgsFeature(fields)
        feat.setGeometry(geom)
        feat.setAttributes([new.get(n) for n in fields.names()])
        out.append(feat)
    return fields, out, kinds
