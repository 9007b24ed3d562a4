"""Per-parcel indicators (亩均税收, 地均产值 ...) from summed enterprise values and the area.

The formulas are the ``ratio`` entries of resources/schema/fields.yaml. Missing is not
zero: an indicator is None when its numerator or denominator is missing, or when the
denominator is not positive. The data step and the grade step both call this module, so a
layer carrying only raw values and areas grades exactly like one the data step produced.
"""
import functools

from . import schema
from .units import M2_PER_HA, M2_PER_MU

YEAR_SUFFIXES = ("", "_y1", "_y2")


def formulas():
    """{indicator: (numerator, denominator)} in schema order."""
    return {
        name: tuple(spec["ratio"])
        for name, spec in schema.fields().items()
        if spec.get("group") == "indicator" and spec.get("ratio")
    }


@functools.lru_cache(maxsize=1)
def _formula_items():
    """formulas() once per process (schema.fields() is read once too): compute() runs per parcel."""
    return tuple(formulas().items())


def number(value):
    """A float, or None for missing (None, QVariant NULL, NaN, ±inf, text that is no number): core/values.py."""
    global _to_float
    if _to_float is None:  # imported on first use (start-up), then kept: an import per value cost 5 µs
        from .values import to_float as _to_float
    x = _to_float(value)
    return None if x in (_INF, -_INF) else x  # ±inf: no value a parcel can be ranked by


_to_float = None


_INF = float("inf")


def ratio(numerator, denominator):
    n, d = number(numerator), number(denominator)
    if n is None or d is None or d <= 0:
        return None
    value = n / d
    return value if value not in (_INF, -_INF) else None


def compute(values, suffixes=YEAR_SUFFIXES, only=None):
    """Indicators for one parcel.

    ``values``: mapping with raw enterprise fields (``tax_10k``, ``tax_10k_y1`` ...) and
    either ``area_m2`` or ``area_mu``/``area_ha``. Returns {indicator+suffix: value or None}
    for every suffix whose raw fields are present in ``values``.
    """
    area_m2 = number(values.get("area_m2"))
    area_mu = number(values.get("area_mu"))
    area_ha = number(values.get("area_ha"))
    if area_m2 is not None:
        area_mu = area_m2 / M2_PER_MU if area_mu is None else area_mu
        area_ha = area_m2 / M2_PER_HA if area_ha is None else area_ha
    areas = {"area_mu": area_mu, "area_ha": area_ha, "area_m2": area_m2}
    out = {}
    for name, (num, den) in _formula_items():
        if only is not None and name not in only:
            continue
        for suffix in suffixes:
            num_key = num + suffix
            if num_key not in values:
                continue
            den_value = areas[den] if den in areas else values.get(den + suffix)
            out[name + suffix] = ratio(values.get(num_key), den_value)
    return out
