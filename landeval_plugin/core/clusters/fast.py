"""The gap-0 components of cluster.py without GEOS where a pair's answer is certain.

Membership is the connected components of the neighbour relation (cluster._Neighbours), which
do not depend on the order in which pairs are tested. This module finds the same components
as ``cluster.components`` for gap 0 without corners, in three passes:

1. shared edges: two members that are both *simple convex polygons* (one part, one ring,
   every turn strictly the same way, certain by Shewchuk's error bound; one winding) and hold
   the same edge (the same two vertices, the same coordinates) traversed in opposite
   directions by rings of the same orientation lie on both sides of that edge's line, so
   their interiors are apart (DE-9IM II = F) and their boundaries share a stretch (BB = 1):
   the general test answers "neighbours" (an exact shared stretch of boundary). Linked
   without GEOS.
2. candidates: exactly the pairs the general path tests (bounding box of the lower member
   index grown by the search distance, closed intervals, in the same floating-point
   arithmetic as QgsRectangle.buffered and the R-tree), found with a grid instead of the
   R-tree; pairs already connected are skipped, as in the general path.
3. corners: two such convex members with exactly one common vertex and no common edge,
   whose angles at that vertex leave gaps of a safe size on both sides, meet only at that
   point (each convex polygon lies in its angle, the angles meet only at the vertex); the
   general test then measures the contact (``contact_length``), whose area is at most
   e'²·(β + cot⁺φ1 + cot⁺φ2)/2 for the angle β of the prepared member, the gaps φ1, φ2 and
   e' = 1.1 × 1 cm (GEOS's buffer of 1 cm lies within 1.1 cm): below half the threshold, the
   answer "not neighbours" is certain. Every other pair is tested by the general test.

The neighbour pairs that joined the components (``links``, used by the outlines to bridge a
narrow neck) depend on the order of the tests: cluster.find_clusters asks ``LazyLinks`` for
them, which replays the general path's loop for one group only when its outline needs them.
"""
import math
import struct

_EPS53 = 2.0 ** -53
_CCW_ERR = (3.0 + 16.0 * _EPS53) * _EPS53  # Shewchuk's ccwerrboundA: the sign of orient2d is certain above it
_POLYGON_1RING = b"\x01\x03\x00\x00\x00\x01\x00\x00\x00"  # little-endian 2D polygon of one ring
_MULTI_1PART = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00"  # little-endian 2D multipolygon of one part
_unpack = struct.unpack_from
CONTACT_BUFFER_SLACK = 1.1  # GEOS's 1 cm buffer (2 segments a quarter) lies within 1.1 cm of the parcel
CORNER_MARGIN = 0.5  # the bound of a corner contact must stay below this share of the threshold
MAX_GRID_CELLS = 4000000  # a member spread over more grid cells than this: the general path


class Shape:
    """A member that is a simple convex polygon: its vertices (closing vertex left out),
    orientation (+1 counter-clockwise, -1 clockwise), bounding box, and its WKB ``w`` with the
    offset ``o`` of the first vertex: the keys of vertices and edges are the bytes of their
    coordinates as QGIS holds them."""

    __slots__ = ("w", "o", "xs", "ys", "orient", "box")

    def vkeys(self):
        w, o = self.w, self.o
        return [w[k:k + 16] for k in range(o, o + 16 * len(self.xs), 16)]

    def edges(self):
        """Keys of the directed edges (the two vertices' bytes)."""
        w, o = self.w, self.o
        return [w[k:k + 32] for k in range(o, o + 16 * len(self.xs), 16)]

    def within(self, bound):
        """Every coordinate within ±bound (they are finite: the turns were certain)."""
        x0, y0, x1, y1 = self.box
        return max(-x0, x1, -y0, y1) <= bound


def _orient(ax, ay, bx, by, cx, cy):
    """+1 / -1 for a left / right turn a → b → c when certain, 0 when not (Shewchuk's filter)."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    bound = _CCW_ERR * (abs(left) + abs(right))
    if det > bound:
        return 1
    if -det > bound:
        return -1
    return 0


def shape_of(geometry, max_vertices):
    """The Shape of a QgsGeometry, or None when it is not a certain simple convex polygon of
    at most ``max_vertices`` vertices (then the general test decides its pairs).

    Convex: every turn of the ring certainly the same way (Shewchuk's filter on orient2d;
    a collinear or uncertain vertex refuses). Simple: a ring turning the same way at every
    vertex is simple when it turns round once, i.e. its edge directions cross the x axis twice
    (the sign of a coordinate difference is exact)."""
    w = bytes(geometry.asWkb())
    o = 9 if w.startswith(_MULTI_1PART) else 0
    if w[o:o + 9] != _POLYGON_1RING:
        return None
    (count,) = _unpack("<I", w, o + 9)
    o += 13
    n = count - 1  # distinct vertices
    if n < 3 or n > max_vertices or o + 16 * count != len(w):
        return None
    c = _unpack("<{}d".format(2 * count), w, o)
    xs, ys = c[0:2 * n:2], c[1:2 * n:2]
    if c[2 * n] != xs[0] or c[2 * n + 1] != ys[0]:
        return None
    err = _CCW_ERR
    turn = 0
    crossings = 0
    ax, ay = xs[n - 2], ys[n - 2]
    bx, by = xs[n - 1], ys[n - 1]
    up = by > ay or (by == ay and bx > ax)  # the direction of the edge a → b in [0, π)
    for k in range(n):
        cx, cy = xs[k], ys[k]
        left = (ax - cx) * (by - cy)
        right = (ay - cy) * (bx - cx)
        det = left - right
        bound = err * (abs(left) + abs(right))
        if det > bound:
            if turn < 0:
                return None
            turn = 1
        elif -det > bound:
            if turn > 0:
                return None
            turn = -1
        else:
            return None
        up2 = cy > by or (cy == by and cx > bx)
        if up2 != up:
            crossings += 1
        up = up2
        ax, ay, bx, by = bx, by, cx, cy
    if crossings != 2:
        return None
    s = Shape()
    s.w, s.o, s.xs, s.ys, s.orient = w, o, xs, ys, turn
    s.box = (min(xs), min(ys), max(xs), max(ys))
    return s


def _wedge(shape, k):
    """(start, angle) of the polygon's angle at its vertex k, counter-clockwise from start."""
    xs, ys, n = shape.xs, shape.ys, len(shape.xs)
    vx, vy = xs[k], ys[k]
    prev = math.atan2(ys[k - 1] - vy, xs[k - 1] - vx)
    k1 = k + 1 if k + 1 < n else 0
    nxt = math.atan2(ys[k1] - vy, xs[k1] - vx)
    if shape.orient < 0:
        prev, nxt = nxt, prev
    return nxt, (prev - nxt) % (2.0 * math.pi)  # counter-clockwise ring: from the next edge round to the previous


def corner_bound(big, small, eps):
    """For two convex members meeting at exactly one common vertex, with their angles there
    apart: an upper bound of the area of ``big`` within 1.1 × ``eps`` of ``small`` (what
    _Neighbours.contact_length measures, times eps); None when they do not meet that way."""
    bkeys, skeys = big.vkeys(), small.vkeys()
    common = set(bkeys).intersection(skeys)
    if len(common) != 1:
        return None
    key = next(iter(common))
    b0, beta = _wedge(big, bkeys.index(key))
    s0, alpha = _wedge(small, skeys.index(key))
    two_pi = 2.0 * math.pi
    gap1 = (b0 - (s0 + alpha)) % two_pi  # from the end of the small angle round to the start of the big one
    gap2 = (s0 - (b0 + beta)) % two_pi
    if abs(alpha + beta + gap1 + gap2 - two_pi) > 1e-9:  # the angles overlap
        return None
    if min(gap1, gap2) < 1e-3 or alpha >= math.pi or beta >= math.pi:
        return None
    half = math.pi / 2.0
    cot = (1.0 / math.tan(gap1) if gap1 < half else 0.0) + (1.0 / math.tan(gap2) if gap2 < half else 0.0)
    reach = CONTACT_BUFFER_SLACK * eps
    return reach * reach * (beta + cot) / 2.0  # the big angle within reach of the small one


def corner_apart(big, small, eps, min_shared):
    """True when the general test certainly answers "not neighbours" for two convex members
    meeting at exactly one common vertex (big: the prepared member, small: the buffered one)."""
    bound = corner_bound(big, small, eps)
    return bound is not None and bound < CORNER_MARGIN * eps * min_shared


class Stats:
    """What decided the pairs: members that are simple convex polygons, pairs linked by a shared
    edge, pairs found apart at a corner, pairs tested by GEOS; ``used``: this path ran;
    ``fallback``: the members did not suit the grid and the general path ran instead."""

    __slots__ = ("convex", "edge_pairs", "corner_pairs", "geos_pairs", "used", "fallback")

    def __init__(self):
        self.convex = self.edge_pairs = self.corner_pairs = self.geos_pairs = 0
        self.used = self.fallback = False


def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def components(members, test, big_vertices, feedback=None, stats=None):
    """Groups of member indices (as cluster.components gives them) for gap 0 without corners;
    ``test`` is the general path's _Neighbours, ``big_vertices`` the size above which it clips
    a member before its exact tests (such members are left to it). None when cancelled or when
    the members do not suit the grid (the caller then takes the general path)."""
    n = len(members)
    stats = stats if stats is not None else Stats()
    stats.used = True
    parent = list(range(n))
    shapes = []
    for m in members:
        s = getattr(m, "shape", False)
        if s is False:  # not looked at when the members were read (a geographic layer's work geometry)
            s = shape_of(m.geom, big_vertices)
        shapes.append(s if m.nverts <= big_vertices else None)
    stats.convex = sum(1 for s in shapes if s is not None)
    if feedback is not None and feedback.isCanceled():
        return None
    # 1. shared edges of convex members
    owner = {}
    for i, s in enumerate(shapes):
        if s is not None:
            for key in s.edges():
                owner[key] = i
    for i, s in enumerate(shapes):
        if s is None:
            continue
        for key in s.edges():
            j = owner.get(key[16:] + key[:16])
            if j is None or j == i or shapes[j].orient != s.orient:
                continue
            ri, rj = _find(parent, i), _find(parent, j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
                stats.edge_pairs += 1
    del owner
    # 2. the general path's candidate pairs, by a grid
    search = test.search
    boxes = []
    for m, s in zip(members, shapes):
        if s is not None:
            boxes.append(s.box)
        else:
            b = m.bbox
            boxes.append((b.xMinimum(), b.yMinimum(), b.xMaximum(), b.yMaximum()))
    grown = [(x0 - search, y0 - search, x1 + search, y1 + search) for x0, y0, x1, y1 in boxes]
    sizes = sorted(max(g[2] - g[0], g[3] - g[1]) for g in grown)
    size = sizes[len(sizes) // 2] if sizes else 1.0
    if not (size > 0 and math.isfinite(size)):
        return None
    floor = math.floor
    cells = {}
    spans = 0
    for i, (x0, y0, x1, y1) in enumerate(grown):
        cx0, cx1 = int(floor(x0 / size)), int(floor(x1 / size))
        cy0, cy1 = int(floor(y0 / size)), int(floor(y1 / size))
        spans += (cx1 - cx0 + 1) * (cy1 - cy0 + 1)
        if spans > MAX_GRID_CELLS:
            return None
        for cx in range(cx0, cx1 + 1):
            for cy in range(cy0, cy1 + 1):
                cell = cells.get((cx, cy))
                if cell is None:
                    cells[cx, cy] = [i]
                else:
                    cell.append(i)
    eps, min_shared = test.eps, test.min_shared
    done = 0
    for (cx, cy), cell in cells.items():
        if feedback is not None:
            done += 1
            if done % 2000 == 0 and feedback.isCanceled():
                return None
        k = len(cell)
        for a in range(k - 1):
            i = cell[a]
            gi = grown[i]
            for b in range(a + 1, k):
                j = cell[b]
                gj = grown[j]
                # one cell per pair: the one holding the lower-left corner of the grown boxes' overlap
                if int(floor(max(gi[0], gj[0]) / size)) != cx or int(floor(max(gi[1], gj[1]) / size)) != cy:
                    continue
                lo, hi = (i, j) if i < j else (j, i)
                x0, y0, x1, y1 = boxes[hi]
                g = grown[lo]  # the lower index's box grown by the search distance, as the R-tree query
                if x0 > g[2] or x1 < g[0] or y0 > g[3] or y1 < g[1]:
                    continue
                ri, rj = _find(parent, lo), _find(parent, hi)
                if ri == rj:
                    continue
                mi, mj = members[lo], members[hi]
                si, sj = shapes[lo], shapes[hi]
                if si is not None and sj is not None:
                    big, small = (sj, si) if mi.nverts < mj.nverts else (si, sj)  # the roles of _Neighbours
                    if corner_apart(big, small, eps, min_shared):
                        stats.corner_pairs += 1
                        continue
                stats.geos_pairs += 1
                if test(lo, hi):
                    parent[max(ri, rj)] = min(ri, rj)
    groups = {}
    for i in range(n):
        groups.setdefault(_find(parent, i), []).append(i)
    return list(groups.values())
