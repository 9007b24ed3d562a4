"""一张图 base map: three sources of N parcels each, landeval:buildbaselayer vs the native chain.

The native chain builds the same layer with QGIS algorithms: extractbyexpression (land-use
filter) and fixgeometries per source, difference against the higher-priority result,
mergevectorlayers. It does not give codes, provenance checks, slivers or a QA report, so
LandEval does more work in its time.

Each case times its step alone (the algorithm runs); reading the result back to count its parcels
and sum their area (the same check for both) is timed apart and printed beside it.

``LANDEVAL_BENCH_REAL_BASEMAP=1`` adds one pair on real parcels: the 14,571 Somerville parcels of
../shared/data as three sources, the second shifted by (7 m, 3 m) and the third by (-4 m, 9 m), so
that most parcels lie over two to nine earlier ones (the native chain takes about 15 minutes there).
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # test/

SIZES = {"full": 50000, "quick": 5000}
FILTERS = {
    "bdcdj": "\"土地用途\" <> '住宅用地'",
    "ydpw": "\"用地性质\" <> 'B1'",
    "tdlyxz": "\"DLBM\" <> '0701'",
}


REAL = 0  # the size that means the real Somerville parcels (prepare_real)
REAL_SHIFTS = {"ydpw": (7.0, 3.0), "tdlyxz": (-4.0, 9.0)}


def _source_file(size, workdir):
    return os.path.join(workdir, "somerville_sources.gpkg" if size == REAL else "sources_{}.gpkg".format(size))


def _sources(size, workdir):
    path = _source_file(size, workdir)
    return ["{}|layername={}".format(path, name) for name in ("bdcdj", "ydpw", "tdlyxz")]


def prepare(size, workdir):
    import basemap_synth

    os.makedirs(workdir, exist_ok=True)
    path = _source_file(size, workdir)
    if not os.path.exists(path):
        if size == REAL:
            _real_sources(path)
        else:
            basemap_synth.make_sources(path, size)
    return {}


def _real_sources(path):
    """The Somerville parcels as 不动产登记, and shifted by REAL_SHIFTS as 用地批文 and 三调 (fields as
    basemap_synth writes them)."""
    import basemap_synth as synth
    import common
    from qgis.core import QgsGeometry, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    parcels = QgsVectorLayer(common.shared_data("somerville_parcels.gpkg") + "|layername=parcels", "parcels", "ogr")
    if not parcels.isValid():
        raise RuntimeError("../shared/data/somerville_parcels.gpkg cannot be read")
    crs = parcels.crs().authid()
    geoms = [f.geometry() for f in parcels.getFeatures() if f.hasGeometry() and not f.geometry().isEmpty()]
    text = QVariant.Type.String
    synth._write(path, "bdcdj", synth.fields_of([("宗地代码", text), ("权利人", text), ("土地用途", text),
                                                  ("所属镇街", text)]),
                 [(g, ["330122{:06d}GB{:05d}".format(1 + k // 5000, k % 99999 + 1), "企业{}".format(k), "工业用地",
                       "城东街道"]) for k, g in enumerate(geoms)], crs=crs)
    for name, spec, values in (("ydpw", [("地块编号", text), ("用地性质", text)], lambda k: ["PW{}".format(k), "M1"]),
                               ("tdlyxz", [("BSM", text), ("DLBM", text)], lambda k: ["TB{}".format(k), "0601"])):
        rows = []
        for k, g in enumerate(geoms):
            moved = QgsGeometry(g)
            moved.translate(*REAL_SHIFTS[name])
            rows.append((moved, values(k)))
        synth._write(path, name, synth.fields_of(spec), rows, crs=crs)


def _area(path, layer_name=None):
    from qgis.core import QgsVectorLayer

    uri = "{}|layername={}".format(path, layer_name) if layer_name else path
    layer = QgsVectorLayer(uri, "x", "ogr")
    return {"parcels": layer.featureCount(),
            "area_ha": round(sum(f.geometry().area() for f in layer.getFeatures()) / 1e4, 1)}


class _Step:
    """Wall and CPU seconds of the step (``with _Step() as step``), then of the check after it."""

    def __enter__(self):
        self.started, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds, self.case_cpu = time.perf_counter() - self.started, time.process_time() - self.cpu

    def checked(self, check):
        started, cpu = time.perf_counter(), time.process_time()
        result = check()
        result.update(seconds=self.seconds, case_cpu=self.case_cpu, check_seconds=time.perf_counter() - started,
                      check_cpu=time.process_time() - cpu)
        return result


def landeval(size, workdir):
    import processing

    out = os.path.join(workdir, "landeval_{}.gpkg".format(size))
    with _Step() as step:
        processing.run("landeval:buildbaselayer", {
            "SOURCES": _sources(size, workdir), "OUTPUT": out,
            "QA_OUTPUT": os.path.join(workdir, "landeval_qa_{}.gpkg".format(size))})
    return step.checked(lambda: _area(out, "base_map"))


def native(size, workdir):
    with _Step() as step:
        result = _native_chain(size, workdir)
    return step.checked(lambda: _area(result))


def _native_chain(size, workdir):
    import processing

    layers = []
    for uri in _sources(size, workdir):
        name = uri.split("=")[-1]
        kept = processing.run("native:extractbyexpression", {"INPUT": uri, "EXPRESSION": FILTERS[name],
                                                             "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
        fixed = processing.run("native:fixgeometries", {"INPUT": kept, "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
        layers.append(fixed)
    result = layers[0]
    for i, layer in enumerate(layers[1:]):
        rest = processing.run("native:difference",
                              {"INPUT": layer, "OVERLAY": result, "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
        last = i == len(layers) - 2
        out = os.path.join(workdir, "native_{}.gpkg".format(size)) if last else "TEMPORARY_OUTPUT"
        result = processing.run("native:mergevectorlayers", {"LAYERS": [result, rest], "OUTPUT": out})["OUTPUT"]
    return result


CASES = {"prepare": prepare, "landeval": landeval, "native": native}


def _median(results):
    """Per key, the median of the runs' numbers (the first run's other values)."""
    import statistics

    results = list(results)
    out = dict(results[0])
    for key, value in results[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in results)
    return out


def main(path, workdir, quick=False):
    import common

    size = SIZES["quick" if quick else "full"]
    os.makedirs(workdir, exist_ok=True)
    common.measure(path, "prepare", size, workdir)
    # LANDEVAL_BENCH_REPEAT=n: n alternating pairs (LandEval, native), medians reported
    repeat = max(1, int(os.environ.get("LANDEVAL_BENCH_REPEAT") or 1))
    runs = []
    for _ in range(repeat):
        runs.append((common.measure(path, "landeval", size, workdir), common.measure(path, "native", size, workdir)))
    le, nat = _median(r[0] for r in runs), _median(r[1] for r in runs)
    common.report("base map, 3 sources x {:,} parcels (EPSG:4549, contiguous grids, half overlapping)".format(size), [
        ("buildbaselayer vs native chain", le, nat, "<= 60 s and faster than native"),
    ])
    _print_runs(runs, repeat, le, nat)
    if os.environ.get("LANDEVAL_BENCH_REAL_BASEMAP") and not quick:
        if not os.path.exists(common.shared_data("somerville_parcels.gpkg")):
            print("  real parcels: ../shared/data/somerville_parcels.gpkg absent, skipped")
            return
        common.measure(path, "prepare", REAL, workdir)
        runs = [(common.measure(path, "landeval", REAL, workdir), common.measure(path, "native", REAL, workdir))]
        common.report("base map, the real Somerville parcels as 3 sources x 14,571 (shifted copies)", [
            ("buildbaselayer vs native chain", runs[0][0], runs[0][1], "faster than native"),
        ])
        _print_runs(runs, 1, *runs[0])


def _print_runs(runs, repeat, le, nat):
    # CPU seconds (user + system): the wall time on a shared machine also counts the waits
    for i, (a, b) in enumerate(runs):
        print("  run {}: LandEval {:.2f} CPU s ({:.2f} s wall), native {:.2f} CPU s ({:.2f} s wall)".format(
            i + 1, a["case_cpu"], a["seconds"], b["case_cpu"], b["seconds"]))
    print("  CPU of the step{}: LandEval {:.2f} s, native chain {:.2f} s: {:.2f}x (whole child process: {:.2f} vs "
          "{:.2f} CPU s, {:.2f}x)".format(
              " (median of {})".format(repeat) if repeat > 1 else "", le["case_cpu"], nat["case_cpu"],
              nat["case_cpu"] / le["case_cpu"], le["cpu_seconds"], nat["cpu_seconds"],
              nat["cpu_seconds"] / le["cpu_seconds"]))
    print("  with the read-back check (each result read back to count its parcels and sum their area{}): "
          "LandEval {:.2f} CPU s ({:.2f} of it the check), native {:.2f} ({:.2f}): {:.2f}x".format(
              "; median of {}".format(repeat) if repeat > 1 else "", le["case_cpu"] + le["check_cpu"], le["check_cpu"],
              nat["case_cpu"] + nat["check_cpu"],
              nat["check_cpu"], (nat["case_cpu"] + nat["check_cpu"]) / (le["case_cpu"] + le["check_cpu"])))
    print("  LandEval: {parcels:,} parcels, {area_ha:,.1f} ha".format(**le))
    print("  native:   {parcels:,} parcels, {area_ha:,.1f} ha (slivers kept, no codes, no QA)".format(**nat))
