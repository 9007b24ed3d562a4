"""连片 gap 0: the exact shortcuts of core/clusters/fast.py give what testing every pair by GEOS gives.

Generated districts (fixed seeds) with the borderline cases of the neighbour relation: shared
edges of convex and concave parcels, rings of both orientations, corner touches at every
angle (down to gaps where the contact measure crosses 10 cm), hair gaps at 1 cm ± 0.1 mm,
contacts of 10 cm ± 1 mm, T-junctions, duplicates and overlaps, multipolygons, holes and
invalid (repaired) parcels. Groups, ids, members, sums and outline geometries must be equal.
"""
import math
import random

import pytest

from landeval_plugin.core.clusters import cluster, fast

X0, Y0 = 500000.0, 3400000.0  # EPSG:4549, metres


def _layer(rows):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4549&field=parcel_code:string&field=grade:string"
                           "&field=low_eff:boolean", "parcels", "memory")
    assert layer.isValid()
    feats = []
    for n, (wkt, grade) in enumerate(rows):
        f = QgsFeature(layer.fields())
        g = QgsGeometry.fromWkt(wkt)
        assert not g.isNull(), wkt
        f.setGeometry(g)
        f.setAttributes(["P{:05d}".format(n), grade, False])
        feats.append(f)
    assert layer.dataProvider().addFeatures(feats)[0]
    layer.updateExtents()
    return layer


def _ring(points):
    pts = list(points) + [points[0]]
    return "(" + ",".join("{!r} {!r}".format(X0 + x, Y0 + y) for x, y in pts) + ")"


def _poly(points, holes=()):
    return "POLYGON(" + ",".join([_ring(points)] + [_ring(h) for h in holes]) + ")"


def blocks(seed, nx=6, ny=5):
    """Blocks of 4 x 5 parcels on a shared jittered vertex grid (as the bench), 60 % members;
    some rings clockwise, some with a collinear vertex, some multipart or with a hole."""
    rnd = random.Random(seed)
    rows = []
    for b in range(nx * ny):
        bx, by = (b % nx) * 350.0, (b // nx) * 320.0
        grid = {}
        for i in range(5):
            for j in range(6):
                jx = 0 if i in (0, 4) else rnd.uniform(-12, 12)
                jy = 0 if j in (0, 5) else rnd.uniform(-9, 9)
                grid[i, j] = (bx + i * 80.0 + jx, by + j * 60.0 + jy)
        for i in range(4):
            for j in range(5):
                ring = [grid[i, j], grid[i + 1, j], grid[i + 1, j + 1], grid[i, j + 1]]
                kind = rnd.random()
                if kind < 0.15:
                    ring = ring[::-1]  # clockwise
                elif kind < 0.2:  # a collinear vertex in the middle of the first edge
                    (ax, ay), (cx, cy) = ring[0], ring[1]
                    ring.insert(1, ((ax + cx) / 2.0, (ay + cy) / 2.0))
                grade = "D" if rnd.random() < 0.6 else "A"
                if kind > 0.95:  # a hole that touches nothing
                    cx, cy = (ring[0][0] + ring[2][0]) / 2.0, (ring[0][1] + ring[2][1]) / 2.0
                    rows.append((_poly(ring, [[(cx - 5, cy - 5), (cx - 5, cy + 5), (cx + 5, cy + 5),
                                               (cx + 5, cy - 5)]]), grade))
                elif kind > 0.9:  # one more part far away: a multipolygon
                    rows.append(("MULTIPOLYGON((" + _ring(ring) + "),(" +
                                 _ring([(bx + 330, by + 305), (bx + 334, by + 305), (bx + 334, by + 309)]) + "))",
                                 grade))
                else:
                    rows.append((_poly(ring), grade))
    return rows


def corner_fans(seed, count=60):
    """Pairs of convex parcels meeting at one vertex with gaps from 0.05° to 90° between them
    (a small gap gives a contact measure near or over the 10 cm threshold), and triangles
    sharing only a vertex with a third parcel."""
    rnd = random.Random(seed)
    rows = []
    for k in range(count):
        vx, vy = 5000.0 + (k % 10) * 400.0, 5000.0 + (k // 10) * 400.0
        gap = math.radians(rnd.choice([0.05, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 45.0, 90.0])
                           * rnd.uniform(0.9, 1.1))
        a0 = rnd.uniform(0, 2 * math.pi)
        alpha = rnd.uniform(0.3, 2.5)
        beta = rnd.uniform(0.3, min(2.5, 2 * math.pi - alpha - 2 * gap - 0.01))
        r1, r2, r3, r4 = (rnd.uniform(20, 150) for _ in range(4))
        small = [(0.0, 0.0), (r1 * math.cos(a0), r1 * math.sin(a0)),
                 (r2 * math.cos(a0 + alpha), r2 * math.sin(a0 + alpha))]
        b0 = a0 + alpha + gap
        big = [(0.0, 0.0), (r3 * math.cos(b0), r3 * math.sin(b0)),
               (1.3 * r3 * math.cos(b0 + beta / 2), 1.3 * r3 * math.sin(b0 + beta / 2)),
               (r4 * math.cos(b0 + beta), r4 * math.sin(b0 + beta))]
        if rnd.random() < 0.5:
            big = big[::-1]
        rows.append((_poly([(vx + x, vy + y) for x, y in small]), "D"))
        rows.append((_poly([(vx + x, vy + y) for x, y in big]), "C"))
    return rows


def borderline():
    """Hand-made borderline contacts, each pair on its own spot."""
    rows = []

    def sq(x, y, w, h, grade="D"):
        rows.append((_poly([(x, y), (x + w, y), (x + w, y + h), (x, y + h)]), grade))

    x = -20000.0
    for gap in (0.0099, 0.01, 0.0101, 0.005):  # hair gaps along a whole edge
        sq(x, 0, 50, 50)
        sq(x + 50 + gap, 0, 50, 50)
        x += 200
    for length in (0.099, 0.1, 0.101):  # a shared stretch, and a hair gap of 5 mm, of this length
        sq(x, 0, 50, 50)
        sq(x + 50, 50 - length, 50, 50)
        sq(x, 200, 50, 50)
        rows.append((_poly([(x + 50.005, 250 - length), (x + 100, 250 - length - 30), (x + 100, 250),
                            (x + 50.005, 250)]), "D"))
        x += 200
    sq(x, 0, 50, 50)  # a T-junction: a corner on the middle of an edge
    sq(x + 50, 25, 50, 50)
    x += 200
    sq(x, 0, 50, 50)  # a duplicate
    sq(x, 0, 50, 50)
    x += 200
    sq(x, 0, 50, 50)  # the same edge in the same direction: one over the other
    sq(x, 0, 50, 30)
    x += 200
    # an L-shaped (concave) parcel sharing an edge with a square
    rows.append((_poly([(x, 0), (x + 60, 0), (x + 60, 20), (x + 20, 20), (x + 20, 60), (x, 60)]), "D"))
    sq(x + 60, 0, 20, 20)
    x += 200
    # a parcel in another's hole, sharing the hole's edge
    rows.append((_poly([(x, 0), (x + 90, 0), (x + 90, 90), (x, 90)],
                       [[(x + 30, 30), (x + 30, 60), (x + 60, 60), (x + 60, 30)]]), "D"))
    sq(x + 30, 30, 30, 30)
    x += 200
    # an invalid bow-tie beside a square (repaired into two triangles)
    rows.append((_poly([(x, 0), (x + 40, 40), (x + 40, 0), (x, 40)]), "D"))
    sq(x + 40, 0, 40, 40)
    x += 200
    # corner touches of squares (apart) and a diagonal chain
    sq(x, 0, 50, 50)
    sq(x + 50, 50, 50, 50)
    sq(x + 100, 100, 50, 50)
    sq(x + 100, 0, 50, 50)
    x += 400
    # a corner touch with nearly collinear edges on both sides (long contact, neighbours)
    rows.append((_poly([(x, 0), (x + 100, 0), (x + 100, 0.0004)]), "D"))
    rows.append((_poly([(x + 100, 0.0004), (x + 200, 0.0009), (x + 200, 50)]), "D"))
    return rows


def _district(seed):
    return _layer(blocks(seed) + corner_fans(seed) + borderline())


def _snapshot(result):
    return [(c.cluster_id, c.fids, c.area_mu, c.grade_counts, c.parcel_codes,
             None if c.geometry is None else bytes(c.geometry.asWkb())) for c in result.clusters]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_components_are_the_general_ones(qgis_app, seed):
    layer = _district(seed)
    members, ws, _ = cluster.collect_members(layer, cluster.DEFAULT_FILTER)
    stats = fast.Stats()
    quick = cluster.components(members, ws, 0.0, False, stats=stats)
    general = cluster.components(members, ws, 0.0, False, fast=False)
    assert quick == general
    # every kind of decision was exercised: shared edges, corners found apart, GEOS tests
    assert stats.used and not stats.fallback
    assert stats.edge_pairs > 100 and stats.corner_pairs > 50 and stats.geos_pairs > 50
    assert 0 < stats.convex < len(members)


@pytest.mark.parametrize("seed", [4, 5])
def test_fast_clusters_are_the_general_ones(qgis_app, seed):
    """Ids, members, sums and outlines (the links of a cluster in pieces replayed lazily)."""
    layer = _district(seed)
    quick = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, min_parcels=1)
    general = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, min_parcels=1, fast=False)
    assert quick.report["shortcuts"].used and not general.report["shortcuts"].used
    assert len(quick.clusters) > 100
    assert _snapshot(quick) == _snapshot(general)
    assert quick.assignment == general.assignment


def test_outline_in_pieces_gets_the_general_links(qgis_app, monkeypatch):
    """A cluster whose outline comes apart (a multipart member, hair-gap links): the lazy links
    are the general loop's, so the bridged outline is the same."""
    rows = borderline() + [
        ("MULTIPOLYGON(({0}),({1}))".format(_ring([(0, 0), (50, 0), (50, 50), (0, 50)]),
                                            _ring([(0, 300), (50, 300), (50, 350), (0, 350)])), "D"),
        (_poly([(50.004, 0), (100, 0), (100, 50), (50.004, 50)]), "D"),
        (_poly([(50.004, 300), (100, 300), (100, 350), (50.004, 350)]), "D"),
    ]
    layer = _layer(rows)
    asked = []
    replay = cluster.LazyLinks.__call__

    def counted(self, indices):
        links = replay(self, indices)
        asked.append((sorted(indices), links))
        return links

    monkeypatch.setattr(cluster.LazyLinks, "__call__", counted)
    quick = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0)
    general = cluster.find_clusters(layer, cluster.DEFAULT_FILTER, 0.0, fast=False)
    assert _snapshot(quick) == _snapshot(general)
    three = [c for c in quick.clusters if len(c.fids) == 3]
    assert len(three) == 1 and three[0].geometry.isMultipart() and three[0].geometry.constGet().numGeometries() == 2
    assert [len(links) for indices, links in asked if len(indices) == 3] == [2]  # asked for that cluster only


def test_corner_bound_holds_against_geos(qgis_app):
    """The bound of a corner contact is never below the area GEOS measures (random fans)."""
    layer = _layer(corner_fans(11, count=200))
    members, ws, _ = cluster.collect_members(layer, cluster.DEFAULT_FILTER)
    test = cluster._Neighbours(members, ws, 0.0, False)
    checked = apart = 0
    for i in range(0, len(members), 2):
        big, small = (i, i + 1) if members[i].nverts >= members[i + 1].nverts else (i + 1, i)
        sb, ss = fast.shape_of(members[big].geom, 200), fast.shape_of(members[small].geom, 200)
        if sb is None or ss is None:  # a fan whose middle vertex turns inwards: not convex
            continue
        bound = fast.corner_bound(sb, ss, test.eps)
        if bound is None:
            continue
        checked += 1
        area = test.contact_length(big, small) * test.eps
        assert area <= bound
        if fast.corner_apart(sb, ss, test.eps, test.min_shared):
            apart += 1
            assert not test(min(big, small), max(big, small))
    assert checked > 150 and apart > 50


def test_shapes_refuse_what_is_not_certainly_convex(qgis_app):
    from qgis.core import QgsGeometry

    def shape(wkt):
        return fast.shape_of(QgsGeometry.fromWkt(wkt), 200)

    assert shape(_poly([(0, 0), (10, 0), (10, 10), (0, 10)])).orient == 1
    assert shape(_poly([(0, 0), (0, 10), (10, 10), (10, 0)])).orient == -1
    assert shape("MULTIPOLYGON((" + _ring([(0, 0), (10, 0), (10, 10)]) + "))") is not None
    assert shape(_poly([(0, 0), (5, 0), (10, 0), (10, 10), (0, 10)])) is None  # collinear vertex
    assert shape(_poly([(0, 0), (10, 0), (10, 10), (5, 2), (0, 10)])) is None  # concave
    assert shape(_poly([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (2, 4), (4, 4)]])) is None  # a hole
    assert shape("MULTIPOLYGON((" + _ring([(0, 0), (1, 0), (1, 1)]) + "),(" +
                 _ring([(5, 5), (6, 5), (6, 6)]) + "))") is None  # two parts
    # a pentagram: every turn the same way, but it winds twice
    star = [(math.cos(math.pi / 2 + 4 * math.pi * k / 5), math.sin(math.pi / 2 + 4 * math.pi * k / 5))
            for k in range(5)]
    assert shape(_poly([(100 * x, 100 * y) for x, y in star])) is None
    assert shape("POLYGON Z((0 0 1,10 0 1,10 10 1,0 0 1))") is None


def test_members_that_do_not_suit_the_grid_take_the_general_path(qgis_app, run_alg, tmp_path, monkeypatch):
    """The fallback: the same groups and outputs, and the log says why; the quick path's counts
    are logged otherwise."""
    from feedback_log import recording_feedback

    layer = _layer(blocks(6, nx=2, ny=2) + borderline())
    members, ws, _ = cluster.collect_members(layer, cluster.DEFAULT_FILTER)
    general = cluster.components(members, ws, 0.0, False, fast=False)
    outputs = {}
    for cells in (4000000, 10):
        monkeypatch.setattr(fast, "MAX_GRID_CELLS", cells)
        stats = fast.Stats()
        assert cluster.components(members, ws, 0.0, False, stats=stats) == general
        assert stats.fallback == (cells == 10) and stats.used == (cells != 10)
        log = recording_feedback()
        out = str(tmp_path / "c{}.gpkg".format(cells))
        res = run_alg("landeval:clusters", {"INPUT": layer, "GAP_M": 0, "OUTPUT": out}, feedback=log)
        outputs[cells] = res["CLUSTER_COUNT"], res["CLUSTER_AREA_MU"], res["CLUSTERED_COUNT"]
        said = [line for line in log.lines if "GEOS" in line]
        assert len(said) == 1
        if cells == 10:
            assert "quick neighbour search was not used" in said[0] and "10 grid cells" in said[0]
        else:
            assert said[0].startswith("Neighbours at gap 0: ") and "pairs tested by GEOS" in said[0]
    assert outputs[10] == outputs[4000000] and outputs[10][0] > 10
