"""Grading: landeval:grade (zhejiang_huangyan_2022) vs native:fieldcalculator computing the same score.

Input: a GeoPackage of N parcels carrying raw values (税收, 增加值, 能耗 ...) and geometry only, so
both routes compute the indicators from the raw fields and the parcel area. Native routes:
  native_chain:  what a planner does in QGIS: one field-calculator run per indicator
                 (亩均税收 ... 单位电耗税收, 8 fields), then one for the score;
  native_single: the whole score in one field-calculator expression (CASE 规上/规下, the
                 group-average for missing emissions through aggregate()).
LandEval also classifies, ranks, explains and writes score_detail, which neither native route does.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

MU = "($area / (10000.0 / 15.0))"
HA = "($area / 10000.0)"
INDICATORS = [
    ("tax_per_mu", '"tax_10k" / ' + MU), ("va_per_mu", '"value_added_10k" / ' + MU),
    ("va_per_energy", '"value_added_10k" / "energy_tce"'), ("va_per_emission", '"value_added_10k" / "emission_t"'),
    ("labour_productivity", '"value_added_10k" / "employees"'), ("rnd_ratio", '"rnd_10k" / "revenue_10k"'),
    ("tax_per_power", '"tax_10k" / "power_10k_kwh"'),
]
SCORE_FROM_FIELDS = (
    "CASE WHEN \"scale\" = '规上' THEN \"tax_per_mu\"/24.097*30 + \"va_per_mu\"/136.16*20 + \"va_per_energy\"/2.694*20"
    " + coalesce(\"va_per_emission\"/4929.81*10, aggregate(@layer, 'mean', \"va_per_emission\"/4929.81*10, \"scale\" = "
    "'规上')) + \"labour_productivity\"/18.14*10 + \"rnd_ratio\"/0.0302*10"
    " WHEN \"scale\" = '规下' THEN \"tax_per_mu\"/11.5932*50 + \"tax_per_power\"/0.2352*50 END")


def _single_expression():
    e = SCORE_FROM_FIELDS
    for name, expr in INDICATORS:
        e = e.replace('"{}"'.format(name), "({})".format(expr))
    return e


def _input(size, workdir):
    path = os.path.join(workdir, "parcels_{}.gpkg".format(size))
    if not os.path.exists(path):
        from grade_fixtures import random_rows, write_layer

        rows = random_rows(size, seed=11)
        for r in rows:
            for k in ("tax_10k_y1", "tax_10k_y2", "output_10k"):
                r.pop(k, None)
        write_layer(path, rows)
    return path + "|layername=parcels"


def case_prepare(size, workdir):
    _input(size, workdir)
    return {}


def case_landeval(size, workdir):
    import processing

    out = os.path.join(workdir, "graded_{}.gpkg".format(size))
    if os.path.exists(out):
        os.remove(out)
    res = processing.run("landeval:grade", {"INPUT": _input(size, workdir), "STANDARD": "zhejiang_huangyan_2022",
                                            "OUTPUT": out})
    return {"summary": res["SUMMARY"]}


def case_native_single(size, workdir):
    import processing

    out = os.path.join(workdir, "native_single_{}.gpkg".format(size))
    if os.path.exists(out):
        os.remove(out)
    processing.run("native:fieldcalculator", {"INPUT": _input(size, workdir), "FIELD_NAME": "score", "FIELD_TYPE": 0,
                                              "FIELD_LENGTH": 0, "FIELD_PRECISION": 0, "FORMULA": _single_expression(),
                                              "OUTPUT": out})
    return {}


def case_native_chain(size, workdir):
    import processing

    current = _input(size, workdir)
    for k, (name, expr) in enumerate(INDICATORS + [("score", SCORE_FROM_FIELDS)]):
        out = os.path.join(workdir, "native_chain_{}_{}.gpkg".format(size, k))
        if os.path.exists(out):
            os.remove(out)
        processing.run("native:fieldcalculator",
                       {"INPUT": current, "FIELD_NAME": name, "FIELD_TYPE": 0, "FIELD_LENGTH": 0,
                                                  "FIELD_PRECISION": 0, "FORMULA": expr, "OUTPUT": out})
        current = out
    return {}


def case_check(size, workdir):
    """Both routes give the same scores (printed, not timed)."""
    from qgis.core import QgsVectorLayer

    a = QgsVectorLayer(os.path.join(workdir, "graded_{}.gpkg".format(size)), "a", "ogr")
    b = QgsVectorLayer(os.path.join(workdir, "native_single_{}.gpkg".format(size)), "b", "ogr")
    sa = {f["parcel_code"]: f["score"] for f in a.getFeatures()}
    worst, compared = 0.0, 0
    for f in b.getFeatures():
        x, y = sa.get(f["parcel_code"]), f["score"]
        if x is None or y is None or y != y or str(x) == "NULL" or str(y) == "NULL":
            continue
        compared += 1
        worst = max(worst, abs(float(x) - float(y)))
    return {"compared": compared, "max_abs_diff": worst}


CONDITION = "tax_per_mu < 3 and area_mu >= 20 and (scale = '规上' or va_per_mu >= 50)"


def case_cond_qgsexpression(size, workdir):
    """The same condition through QgsExpression, evaluated per feature (indicator fields precomputed)."""
    import time

    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsVectorLayer

    layer = QgsVectorLayer(_cond_layer(size, workdir), "c", "ogr")
    feats = list(layer.getFeatures())
    expr = QgsExpression(CONDITION)
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expr.prepare(ctx)
    started = time.perf_counter()
    hits = 0
    for f in feats:
        ctx.setFeature(f)
        hits += 1 if expr.evaluate(ctx) else 0
    return {"seconds": time.perf_counter() - started, "hits": hits}


def case_cond_landeval(size, workdir):
    """The condition compiled by core/grading/condition.py, evaluated on the same values as dict rows."""
    import time

    from qgis.core import QgsVectorLayer

    from landeval_plugin.core.grading.condition import Condition

    layer = QgsVectorLayer(_cond_layer(size, workdir), "c", "ogr")
    names = layer.fields().names()
    rows = [dict(zip(names, f.attributes())) for f in layer.getFeatures()]
    fn = Condition(CONDITION).compile(lambda n: (lambda r: r.get(n)))
    started = time.perf_counter()
    hits = sum(1 for r in rows if fn(r) is True)
    return {"seconds": time.perf_counter() - started, "hits": hits}


def _cond_layer(size, workdir):
    path = os.path.join(workdir, "cond_{}.gpkg".format(size))
    if not os.path.exists(path):
        from grade_fixtures import random_rows, write_layer

        rows = []
        for r in random_rows(size, seed=13):
            mu = r["area_m2"] / (10000.0 / 15.0)
            rows.append({"area_m2": r["area_m2"], "scale": r["scale"], "area_mu": mu, "tax_per_mu": r["tax_10k"] / mu,
                         "va_per_mu": r["value_added_10k"] / mu})
        write_layer(path, rows)
    return path


CASES = {"cond_qgsexpression": case_cond_qgsexpression, "cond_landeval": case_cond_landeval,"prepare": case_prepare,
         "landeval": case_landeval, "native_single": case_native_single,
         "native_chain": case_native_chain, "check": case_check}


def main(path, workdir, quick=False):
    from common import measure, report

    os.makedirs(workdir, exist_ok=True)
    rows = []
    for size in ([2000] if quick else [10000, 100000]):
        measure(path, "prepare", size, workdir)
        le = measure(path, "landeval", size, workdir)
        single = measure(path, "native_single", size, workdir)
        chain = measure(path, "native_chain", size, workdir)
        check = measure(path, "check", size, workdir)
        print("  {} parcels: scores compared {} , max |LandEval − native| = {:.2e}; LandEval classes {}".format(
            size, check.get("compared"), check.get("max_abs_diff", float("nan")), le.get("summary")))
        rows.append(("huangyan {} vs chain".format(size), le, chain, "≤ 5 s at 100k, ≥ 5×"))
        rows.append(("huangyan {} vs single expr".format(size), le, single, "(one expression)"))
    report("landeval:grade vs native:fieldcalculator (GeoPackage in, GeoPackage out)", rows)
    size = 2000 if quick else 100000
    le = measure(path, "cond_landeval", size, workdir)
    qe = measure(path, "cond_qgsexpression", size, workdir)
    print("  condition evaluation only, {} parcels, same hits {} / {}".format(size, le.get("hits"), qe.get("hits")))
    report("condition language vs QgsExpression (evaluation loop only)",
           [("condition x {}".format(size), le, qe, "closures ≫ QgsExpression")])
