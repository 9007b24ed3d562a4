"""一张图: the overlay's candidates found for all parcels at once (core/basemap/candidates.py) give the
base map the spatial index gives when it is asked for every parcel.

Each case builds the same sources twice, with ``fast_candidates`` on and off, and compares both
GeoPackages table by table (every row, geometry blob bytes, extent, R-tree, schema, QA layer,
style) and the summaries. The sources hold parcels that really overlap two or more earlier ones
(whose order of subtraction comes from the index), nine and more at once (the union path), a street
network split into tiles, same-source overlaps, exactly covered parcels and slivers at MIN_PIECE_M2.
"""
import random

import pytest
from feedback_log import recording_feedback
from test_basemap_core import (
    box,
    known_sources,
    restore_shape_encoding,  # noqa: F401 - an autouse fixture (GDAL's SHAPE_ENCODING)
    typed_layer,
    write_gbk_shapefile,
)
from test_basemap_fast_write import borderline_sources, dump

ASKED = "spatial index is asked for every parcel"


def _brute(boxes):
    return [tuple(j for j in range(k) if boxes[j][0] < x1 and boxes[j][2] > x0 and boxes[j][1] < y1 and
                  boxes[j][3] > y0) for k, (x0, y0, x1, y1) in enumerate(boxes)]


def test_earlier_overlaps_is_every_earlier_box_that_overlaps_more_than_an_edge():
    from landeval_plugin.core.basemap.candidates import earlier_overlaps

    assert earlier_overlaps([]) == []
    assert earlier_overlaps([(0.0, 0.0, 1.0, 1.0)]) == [()]
    grid = [(x * 10.0, y * 10.0, x * 10.0 + 10.0, y * 10.0 + 10.0) for y in range(5) for x in range(5)]
    assert earlier_overlaps(grid) == [()] * 25  # neighbours only touch
    assert earlier_overlaps(grid + [(5.0, 5.0, 15.0, 15.0)])[-1] == (0, 1, 5, 6)
    assert earlier_overlaps([(0.0, 0.0, 10.0, 10.0), (5.0, 5.0, 5.0, 5.0)])[1] == (0,)  # a point inside
    for seed in range(40):
        rnd = random.Random(seed)
        boxes = []
        for _ in range(rnd.randint(2, 300)):
            x = rnd.choice([rnd.uniform(0, 100), rnd.randint(0, 20) * 5.0])
            y = rnd.choice([rnd.uniform(0, 100), rnd.randint(0, 20) * 5.0])
            w = rnd.choice([0.0, 5.0, rnd.uniform(0, 10), rnd.uniform(0, 300) if rnd.random() < 0.05 else 3.0])
            h = rnd.choice([0.0, 5.0, rnd.uniform(0, 10), rnd.uniform(0, 300) if rnd.random() < 0.05 else 3.0])
            boxes.append((x, y, x + w, y + h))
        assert earlier_overlaps(boxes) == _brute(boxes), seed


def test_earlier_overlaps_declines_what_it_cannot_do(monkeypatch):
    from landeval_plugin.core.basemap import candidates

    with pytest.raises(candidates.Declined, match="non-finite"):
        candidates.earlier_overlaps([(0.0, 0.0, 1.0, 1.0), (0.0, 0.0, float("nan"), 1.0)])
    with pytest.raises(candidates.Declined, match="grid size"):
        candidates.earlier_overlaps([(0.0, 0.0, 0.0, 0.0)] * 3)
    monkeypatch.setattr(candidates, "MAX_BIG_BOXES", 1)
    boxes = [(0.0, 0.0, 1.0, 1.0)] * 5 + [(0.0, 0.0, 100.0, 100.0)] * 2
    with pytest.raises(candidates.Declined, match="boxes over more than"):
        candidates.earlier_overlaps(boxes)
    monkeypatch.setattr(candidates, "MAX_BIG_BOXES", 256)
    monkeypatch.setattr(candidates, "MAX_CELL_LOAD", 3)
    with pytest.raises(candidates.Declined, match="in one grid cell"):
        candidates.earlier_overlaps([(0.0, 0.0, 1.0, 1.0)] * 5)


def crowded_sources():
    """Parcels that overlap two, three and nine or more earlier parcels, in every arrangement, a
    street network of 400 vertices (indexed as tiles), same-source overlaps and slivers."""
    from qgis.PyQt.QtCore import QVariant

    rnd = random.Random(7)
    rows = []
    for k in range(60):  # scattered overlapping parcels of one source: same-source overlaps
        x, y = rnd.uniform(0, 900), rnd.uniform(0, 900)
        rows.append((box(round(x, 3), round(y, 3), round(rnd.uniform(20, 120), 3), round(rnd.uniform(20, 120), 3)),
                     ["330122001001GB{:05d}".format(k + 1), "工业用地"]))
    a = typed_layer("bdcdj", [("宗地代码", QVariant.Type.String), ("土地用途", QVariant.Type.String)], rows,
                    geometry="Polygon")
    ring = []  # a street network: a long zigzag band of 400 vertices across the district
    for i in range(200):
        ring.append("{} {}".format(i * 5.0, 450.0 + (i % 2) * 7.0))
    for i in reversed(range(200)):
        ring.append("{} {}".format(i * 5.0, 470.0 + (i % 2) * 7.0))
    ring.append(ring[0])
    rows = [("POLYGON(({}))".format(",".join(ring)), ["PW-road", "M1"])]
    for k in range(80):
        x, y = rnd.uniform(0, 950), rnd.uniform(0, 950)
        rows.append((box(round(x, 2), round(y, 2), round(rnd.uniform(5, 200), 2), round(rnd.uniform(5, 60), 2)),
                     ["PW{}".format(k), "M1"]))
    rows.append((box(100, 100, 400, 400), ["PW-big", "M2"]))  # over many earlier parcels: the union path
    b = typed_layer("ydpw", [("地块编号", QVariant.Type.String), ("用地性质", QVariant.Type.String)], rows,
                    geometry="Polygon")
    rows = [(box(x * 50.0 + 0.25, y * 50.0 + 0.25, 50.0, 50.0), ["TB{}-{}".format(x, y), "0601"])
            for y in range(20) for x in range(20)]
    c = typed_layer("tdlyxz", [("BSM", QVariant.Type.String), ("DLBM", QVariant.Type.String)], rows,
                    geometry="Polygon")
    return [a, b, c]


def build_both(tmp_path, make_layers, name, patch=None):
    from landeval_plugin.core.basemap import basemap

    results = {}
    for fast in (True, False):
        out = str(tmp_path / "{}_{}.gpkg".format(name, "fast" if fast else "index"))
        qa = str(tmp_path / "{}_{}_qa.gpkg".format(name, "fast" if fast else "index"))
        log = recording_feedback()
        builder = basemap.BaseMapBuilder([basemap.Source(layer) for layer in make_layers()], out, qa, feedback=log)
        builder.fast_candidates = fast
        asked = []
        order = builder._index_order

        def counting(*args, _order=order, _asked=asked):
            _asked.append(len(args[2]) + len(args[3]))
            return _order(*args)

        builder._index_order = counting
        pairs = []  # two overlaps of one kind: True when both orders gave the same bytes (no index)
        in_order = builder._in_index_order

        def pairing(*args, _in_order=in_order, _pairs=pairs, _asked=asked):
            before = len(_asked)
            result = _in_order(*args)
            if (len(args[4]), len(args[5])) in ((2, 0), (0, 2)):
                _pairs.append(len(_asked) == before)
            return result

        builder._in_index_order = pairing
        if patch:
            patch(builder)
        summary = builder.run()
        results[fast] = (out, qa, summary, log.lines, asked, pairs)
    return results


def assert_same_files(results):
    (out_f, qa_f, sum_f, *_), (out_i, qa_i, sum_i, *_) = results[True], results[False]
    a, b = dump(out_f), dump(out_i)
    assert sorted(a) == sorted(b)
    for table in a:
        assert a[table] == b[table], table
    assert dump(qa_f) == dump(qa_i)
    assert {k: v for k, v in sum_f.items() if k != "lines"} == {k: v for k, v in sum_i.items() if k != "lines"}
    return a


def test_fast_candidates_give_the_indexed_overlay_on_crowded_parcels(tmp_path):
    results = build_both(tmp_path, crowded_sources, "crowded")
    content = assert_same_files(results)
    fast_log, asked = results[True][3], results[True][4]
    assert not any(ASKED in line for line in fast_log)
    assert results[False][4] == []  # the general way asks the index for every parcel itself
    assert len(asked) > 20 and max(asked) >= 9 and 2 in asked  # two, three … nine and more overlaps
    # pairs whose two orders give the same bytes need no index; the others take the index's order
    pairs = results[True][5]
    assert pairs.count(True) > 20 and pairs.count(False) > 5
    assert asked.count(2) == pairs.count(False)  # each pair whose orders differ asked the index, no other pair
    assert len(content["base_map"]) == results[True][2]["count"] > 400
    kinds = {r[2] for r in dump(results[True][1])["base_map_qa"]}
    assert {"overlap_same_source", "sliver_dropped", "area_accounting"} <= kinds


def test_fast_candidates_give_the_indexed_overlay_on_borderline_known_gbk_and_grids(tmp_path):
    import basemap_synth
    from qgis.core import QgsVectorLayer

    assert_same_files(build_both(tmp_path, borderline_sources, "borderline"))
    assert_same_files(build_both(tmp_path, known_sources, "known"))
    path = write_gbk_shapefile(str(tmp_path / "ydpw_gbk.shp"), None)
    assert_same_files(build_both(
        tmp_path, lambda: [QgsVectorLayer(path, "ydpw_gbk", "ogr")] + list(known_sources()[2:]), "gbk"))
    uris = basemap_synth.make_sources(str(tmp_path / "grids.gpkg"), 300)
    results = build_both(tmp_path, lambda: [QgsVectorLayer(uris[k], k, "ogr") for k in ("bdcdj", "ydpw", "tdlyxz")],
                         "grids")
    content = assert_same_files(results)
    # grids: every parcel over two earlier ones gives the same bytes in either order: no index
    assert len(content["base_map"]) > 500 and len(results[True][5]) > 50 and all(results[True][5])
    assert results[True][4] == []
    assert not any(ASKED in line for line in results[True][3])


def test_fast_candidates_fall_back_to_the_index_and_say_why(tmp_path, monkeypatch):
    from landeval_plugin.core.basemap import candidates

    def declined(boxes):
        raise candidates.Declined("numpy is not available")

    monkeypatch.setattr(candidates, "earlier_overlaps", declined)
    results = build_both(tmp_path, crowded_sources, "declined")
    assert_same_files(results)
    said = [line for line in results[True][3] if ASKED in line]
    assert len(said) == 1 and "numpy is not available" in said[0]
    assert results[True][4] == []  # asked for every parcel, as the general way


def test_fast_candidates_stop_when_a_parcel_grows_beyond_its_box(tmp_path):
    """A clipped parcel never reaches beyond the box it was read with; were it to (here: the leftover
    of every clipped parcel grown by 3 m), the index is asked from then on: the same file."""
    def grow(builder):
        subtract = builder._subtract

        def grown(geom, hits, _subtract=subtract):
            rest = _subtract(geom, hits)
            return rest.buffer(3.0, 2) if rest is not None and not rest.isEmpty() else rest

        builder._subtract = grown

    results = build_both(tmp_path, crowded_sources, "grown", patch=grow)
    assert_same_files(results)
    said = [line for line in results[True][3] if ASKED in line]
    assert len(said) == 1 and "reaches beyond its box" in said[0]

