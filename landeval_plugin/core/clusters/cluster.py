"""连片整治: contiguous groups of low-efficiency parcels.

Membership is exactly the connected components of a neighbour relation between the parcels
chosen by a filter, written in LandEval's rule language (core/grading/condition.py, as standards and
disposal rule sets; a parcel whose filter is unknown on missing data is not chosen):

* gap 0 (default): two parcels are neighbours when they share a stretch of boundary or
  overlap. Real cadastre edges carry floating-point noise (vertices a few micrometres apart,
  hair-thin slivers), so a contact is judged with a tolerance of ``EPS_M`` (1 cm): a shared
  stretch is an exact collinear contact, an overlap, or a contact of at least
  ``MIN_SHARED_M`` (10 cm) along which the parcels lie within 1 cm of each other. Parcels
  that only meet at a point (corner touch) are neighbours only with ``corners=True``.
* gap g > 0: parcels whose distance is at most g metres are neighbours (bridging roads and
  rivers), which is the same as their g/2 buffers touching.

Candidates come from a QgsSpatialIndex, tests from GEOS through prepared
QgsGeometryEngines (the engine of the larger geometry is prepared and cached, so big
polygons are converted once), and components from a union-find that skips pairs already
connected. Distances are metres whatever the layer CRS: geographic layers are projected to
their CGCS2000 Gauss-Krüger 3° zone (China) or UTM zone for the computation.

Cluster ids ``LP-001`` … are ordered by area (sum of the members' areas, largest first),
ties broken by the smallest member parcel code (or feature id), so a re-run on the same data
gives the same ids.
"""
import math
from collections import Counter

from ...i18n import tr
from .. import limits, units
from .. import values as _values

_INF = float("inf")


def _number(value):
    """indicators.number without its per-call import (called for every member)."""
    x = _values.to_float(value)
    return None if x in (_INF, -_INF) else x

DEFAULT_FILTER = "\"grade\" IN ('C','D') OR \"low_eff\""
EPS_M = 0.01
MIN_SHARED_M = 0.1
ID_PREFIX = "LP-"
NO_GRADE = "无"
BIG_VERTICES = 200  # geometries above this are clipped locally before exact tests


class ClusterError(Exception):
    """Bad input; the message is already translated and names the layer/field."""


# ---------------------------------------------------------------------------------------
# CRS: metres whatever the input
# ---------------------------------------------------------------------------------------
def metric_crs_for(crs, extent):
    """A projected CRS in metres for computing distances on a geographic layer.

    CGCS2000 / 3-degree Gauss-Krüger CM zones (EPSG:4534..4554) inside China's longitudes,
    the WGS84 UTM zone elsewhere. ``extent`` is in ``crs`` (degrees).
    """
    from qgis.core import QgsCoordinateReferenceSystem

    lon = extent.center().x()
    lat = extent.center().y()
    if 73.5 <= lon <= 136.5 and 15 <= lat <= 55:
        code = 4534 + int(round((lon - 75.0) / 3.0))
        code = min(max(code, 4534), 4554)
        return QgsCoordinateReferenceSystem("EPSG:{}".format(code))
    zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
    return QgsCoordinateReferenceSystem("EPSG:{}".format((32600 if lat >= 0 else 32700) + zone))


class WorkSpace:
    """Where the geometry work happens: the layer CRS when projected, else a metric zone.

    ``to_units(m)`` converts metres to work CRS units (feet-based state planes exist).
    """

    def __init__(self, crs, extent, transform_context=None):
        from qgis.core import QgsCoordinateTransform, QgsCoordinateTransformContext, QgsProject

        from ... import compat

        self.source_crs = crs
        ctx = transform_context or QgsProject.instance().transformContext() or QgsCoordinateTransformContext()
        self.forward = None
        self.back = None
        if crs.isGeographic():
            self.crs = metric_crs_for(crs, extent)
            self.forward = QgsCoordinateTransform(crs, self.crs, ctx)
            self.back = QgsCoordinateTransform(self.crs, crs, ctx)
        else:
            self.crs = crs
        factor = compat.metres_per_map_unit(self.crs)
        self.metres_per_unit = factor if factor and factor > 0 else 1.0

    def to_units(self, metres):
        return metres / self.metres_per_unit

    def project(self, geometry):
        if self.forward is None:
            return geometry
        g = type(geometry)(geometry)
        g.transform(self.forward)
        return g

    def unproject(self, geometry):
        if self.back is None:
            return geometry
        g = type(geometry)(geometry)
        g.transform(self.back)
        return g


# ---------------------------------------------------------------------------------------
# input checks and the member filter
# ---------------------------------------------------------------------------------------
def check_layer(source, filter_text, layer_name=""):
    """Raise ClusterError for a non-polygon layer, a bad filter or fields it lacks.

    Returns the parsed filter, a condition.Condition (or None for an empty filter: every parcel).
    """
    from qgis.core import QgsWkbTypes

    from ..grading.condition import Condition, ConditionError

    name = layer_name or (source.sourceName() if hasattr(source, "sourceName") else "")
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise ClusterError(tr("Layer “{}” is not a polygon layer ({}): clusters are made of parcel polygons.").format(
            name, QgsWkbTypes.displayString(source.wkbType())))
    text = (filter_text or "").strip()
    if not text:
        return None
    try:
        expr = Condition(text)
    except ConditionError as exc:
        raise ClusterError(tr("The filter expression “{}” cannot be read: {}").format(text, exc)) from None
    if expr.variables:
        raise ClusterError(tr("The filter expression “{}” cannot be read: it uses the variable @{}, and a filter "
                              "has none (write the value itself).").format(text, expr.variables[0]))
    names = {f.name().lower() for f in source.fields()}
    missing = sorted(c for c in expr.names if c.lower() not in names)
    if missing:
        hint = ""
        if "grade" in [m.lower() for m in missing]:
            hint = tr(" Grade the parcels first on the Grading page (分类评价; in Processing: landeval:grade), or "
                      "write a filter on fields the layer has.")
        raise ClusterError(tr("Layer “{}” has no field {} used by the filter “{}”.{}").format(
            name, "、".join("“{}”".format(m) for m in missing), text, hint))
    return expr


def _field_index(fields, name):
    idx = fields.lookupField(name)
    return idx if idx >= 0 else None


def _text(value):
    return _values.to_text(value)


class Member:
    __slots__ = ("fid", "geom", "area_mu", "grade", "town", "tax", "code", "nverts", "bbox", "shape")

    def __init__(self, fid, geom, area_mu, grade, town, tax, code, shape=False):
        self.shape = shape  # fast.Shape, None (not a simple convex polygon) or False (not looked at)
        self.fid = fid
        self.geom = geom
        self.area_mu = area_mu
        self.grade = grade
        self.town = town
        self.tax = tax
        self.code = code
        if shape:  # one ring: its vertices and the closing one; the box of its coordinates
            from qgis.core import QgsRectangle

            self.nverts = len(shape.xs) + 1
            self.bbox = QgsRectangle(*shape.box)
        else:
            self.nverts = geom.constGet().nCoordinates()
            self.bbox = geom.boundingBox()


def effective_grade(feature, idx_grade, idx_final, attrs=None):
    """The grade a planner sees: the reviewed grade (研判类别) over the computed one."""
    attrs = feature.attributes() if attrs is None else attrs
    final = _text(attrs[idx_final]) if idx_final is not None else None
    if final:
        return final
    return _text(attrs[idx_grade]) if idx_grade is not None else None


def collect_members(source, filter_text, context=None, feedback=None, layer_name=""):
    """Parcels chosen by the filter, with geometry in the work CRS and the values clusters sum.

    The filter sees ``"grade"`` as the effective grade ``coalesce("grade_final", "grade")``
    when the layer carries a reviewed grade, so a parcel re-classified in review joins or
    leaves clusters accordingly; standard fields (fields.yaml) are read typed as grading reads
    them (low_eff 是/否 → true/false), other fields as the layer holds them. Returns (members,
    workspace, report dict).
    """
    from qgis.core import QgsFeatureRequest, QgsGeometry

    from . import fast as _fast

    expr = check_layer(source, filter_text, layer_name)
    fields = source.fields()
    idx_grade = _field_index(fields, "grade")
    idx_final = _field_index(fields, "grade_final")
    idx_area = _field_index(fields, "area_mu")
    idx_town = _field_index(fields, "town")
    idx_tax = _field_index(fields, "tax_10k")
    idx_code = _field_index(fields, "parcel_code")
    ws = WorkSpace(source.sourceCrs(), source.sourceExtent())
    meter = units.AreaMeter(source.sourceCrs())

    chosen = None
    if expr is not None:
        keys = sorted({fields.lookupField(c) for c in expr.names}
                      | {i for i in (idx_grade, idx_final) if i is not None})
        chosen = _remembered(_filter_predicate(expr, fields, idx_grade, idx_final), keys)
    # only the fields read here and the filter's: a wide parcel layer need not be decoded whole
    request = QgsFeatureRequest()
    wanted = {i for i in (idx_grade, idx_final, idx_area, idx_town, idx_tax, idx_code) if i is not None}
    wanted |= {fields.lookupField(c) for c in (expr.names if expr is not None else ())}
    if all(k >= 0 for k in wanted):
        request.setSubsetOfAttributes(sorted(wanted))
    report = {"read": 0, "members": 0, "no_geometry": [], "repaired": [], "filter_errors": 0,
              "refused": []}  # (fid, parcel code, reason): bad coordinates, too many parts or vertices
    members = []
    total = max(source.featureCount(), 1)
    geographic = source.sourceCrs().isGeographic()
    for n, f in enumerate(source.getFeatures(request)):
        if feedback is not None and n % 2000 == 0:
            if feedback.isCanceled():
                return None, ws, report
            feedback.setProgress(30.0 * n / total)
        report["read"] += 1
        # the filter reads its few fields from the feature itself (f[k])
        if chosen is not None and not chosen(f):
            continue
        attrs = f  # the few fields read below, each from the feature (cheaper than the whole list)
        grade = effective_grade(f, idx_grade, idx_final, attrs)
        geom = f.geometry()
        if geom is None or geom.isEmpty():
            report["no_geometry"].append(f.id())
            continue
        geom = QgsGeometry(geom)
        # a simple convex polygon with coordinates in range (certain turns: finite) passes the
        # checks below (one part, one ring, valid for GEOS): they are only run for the others
        shape = None if geographic else _fast.shape_of(geom, limits.MAX_PARCEL_VERTICES - 1)  # vertices + closing
        if shape is not None and not shape.within(limits.MAX_PROJECTED_COORD):
            shape = None
        if shape is None:
            # checked before any GEOS call: NaN/infinite coordinates crash or poison GEOS, and
            # huge members make the outline's buffers and unions exhaust memory
            problem = limits.geometry_problem(geom, geographic=geographic,
                                              max_vertices=limits.MAX_PARCEL_VERTICES,
                                              max_parts=limits.MAX_PARCEL_PARTS)
            if problem is not None:
                report["refused"].append((f.id(), _text(attrs[idx_code]) if idx_code is not None else None, problem))
                continue
            if not geom.isGeosValid():
                fixed = geom.makeValid()
                if fixed.isEmpty():
                    report["no_geometry"].append(f.id())
                    continue
                geom = fixed
                report["repaired"].append(f.id())
        area = _number(attrs[idx_area]) if idx_area is not None else None
        if area is None or area <= 0:
            area = units.m2_to_mu(meter.m2(geom))
        work = ws.project(geom)
        members.append(Member(
            f.id(), work, area, grade,
            _text(attrs[idx_town]) if idx_town is not None else None,
            _number(attrs[idx_tax]) if idx_tax is not None else None,
            _text(attrs[idx_code]) if idx_code is not None else None,
            False if geographic else shape))
    report["members"] = len(members)
    return members, ws, report


_truthy = _values.truthy  # the one reading of yes/no (core/values.py)


def _filter_predicate(expr, fields, idx_grade, idx_final):
    """attrs -> bool of the member filter: "grade" is the effective grade, standard fields are
    read typed (grade.converter), other fields as plain values; NULL and empty are missing."""
    from ..grading.grade import converter

    def resolve(name):
        k = fields.lookupField(name)
        if k < 0:  # check_layer refused names the layer lacks
            raise ClusterError("internal: no field {}".format(name))
        if k == idx_grade:
            return lambda attrs: effective_grade(None, idx_grade, idx_final, attrs)
        if name.lower() in _schema_names():
            read = converter(fields.at(k).name().lower())
            return lambda attrs, _k=k: read(attrs[_k])
        return lambda attrs, _k=k: _values.plain(attrs[_k])
    return expr.predicate(resolve)


MEMO_LIMIT = 4096  # distinct value combinations remembered by the filter (a grade filter has a handful)


def _remembered(predicate, keys):
    """``predicate`` (row -> bool, a pure function of the fields ``keys``; a row is an attribute
    list or a QgsFeature, both indexed by field number) answering again from memory for a
    combination of values it has seen: a filter on grades and tags sees a handful of combinations
    among 100,000 parcels. Values are told apart by type as well as by value (1, 1.0 and True stay
    three combinations); unhashable values and combinations past MEMO_LIMIT are evaluated every time."""
    memo = {}

    def lookup(attrs, key):
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value
            return predicate(attrs)
        answer = predicate(attrs)
        if len(memo) < MEMO_LIMIT:
            memo[key] = answer
        return answer

    if len(keys) == 2:  # a grade and a tag: the key built without a loop (called for every parcel)
        k0, k1 = keys

        def chosen2(attrs):
            a, b = attrs[k0], attrs[k1]
            key = (a.__class__, a, b.__class__, b)
            try:
                return memo[key]
            except (KeyError, TypeError):
                return lookup(attrs, key)
        return chosen2

    def chosen(attrs):
        return lookup(attrs, tuple((v.__class__, v) for v in (attrs[k] for k in keys)))
    return chosen


def _schema_names():
    from .. import schema

    return {n.lower() for n in schema.fields()}


# ---------------------------------------------------------------------------------------
# neighbours and components
# ---------------------------------------------------------------------------------------
class _Neighbours:
    """The neighbour test for one gap/corner setting, with cached prepared engines."""

    def __init__(self, members, ws, gap_m, corners):
        from qgis.core import QgsGeometry

        self._QgsGeometry = QgsGeometry
        self.members = members
        self.gap = ws.to_units(gap_m)
        self.eps = ws.to_units(EPS_M)
        self.min_shared = ws.to_units(MIN_SHARED_M)
        self.corners = corners
        self.engines = {}
        self.search = self.gap + self.eps
        self.tests = 0

    def engine(self, i):
        eng = self.engines.get(i)
        if eng is None:
            eng = self._QgsGeometry.createGeometryEngine(self.members[i].geom.constGet())
            eng.prepareGeometry()
            self.engines[i] = eng
        return eng

    def __call__(self, i, j):
        self.tests += 1
        mi, mj = self.members[i], self.members[j]
        if mi.nverts < mj.nverts:
            i, j, mi, mj = j, i, mj, mi
        eng = self.engine(i)  # the larger geometry is prepared; the smaller is converted per call
        other = mj.geom.constGet()
        if not eng.intersects(other):
            near = self.local(i, mj.bbox.buffered(self.search + self.eps))
            if near is None:
                return False
            d = near.distance(mj.geom)
            if self.gap > 0:
                return d <= self.gap * (1 + 1e-12)
            if d > self.eps:
                return False
        elif self.gap > 0:
            return True
        else:
            near = self.local(i, mj.bbox.buffered(2 * self.eps))
            if near is None:
                return False
            near_eng = self.engine(i) if near is mi.geom else self._QgsGeometry.createGeometryEngine(near.constGet())
            matrix = near_eng.relate(other)
            if matrix[0] == "2":
                inter = near_eng.intersection(other)
                if inter is not None and inter.area() >= self.eps * self.min_shared:
                    return True  # a real overlap (or overlap noise along a long edge)
            elif matrix[4] == "1":
                return True  # an exact shared stretch of boundary
        # point contact, hair-thin gap or sliver overlap: measure the contact with tolerance
        if self.corners:
            return True
        return self.contact_length(i, j) >= self.min_shared

    def local(self, i, rect):
        """Member i's geometry, clipped to ``rect`` when it is big (road/river polygons):
        contacts and distances up to the search radius are unchanged by the clip."""
        g = self.members[i].geom
        if self.members[i].nverts <= BIG_VERTICES:
            return g
        piece = g.clipped(rect)
        return None if piece is None or piece.isEmpty() else piece

    def contact_length(self, i, j):
        """Length along which parcels i and j lie within EPS of each other (≈ area/EPS)."""
        mj = self.members[j]
        near = self.local(i, mj.bbox.buffered(4 * self.eps))
        if near is None:
            return 0.0
        small = mj.geom.buffer(self.eps, 2)
        inter = near.intersection(small)
        return 0.0 if inter is None or inter.isEmpty() else inter.area() / self.eps


def _find(parent, x):
    """Union-find root of ``x`` (with path halving) in the ``parent`` list."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def components(members, ws, gap_m=0.0, corners=False, feedback=None, links=None, fast=True, stats=None):
    """Connected components (lists of member indices) of the neighbour relation.

    ``links``: a list that receives the neighbour pairs (i, j) that joined two components (a
    spanning forest of the relation), which the outlines use to bridge thin connections.
    Without ``links``, gap 0 without corners takes the exact shortcuts of fast.py (the same
    groups; ``fast=False`` tests every pair by GEOS, ``stats`` a fast.Stats that counts them).
    """
    from qgis.core import QgsSpatialIndex

    if gap_m is None or gap_m < 0:
        raise ClusterError(tr("The gap must be 0 or more metres (got {}).").format(gap_m))
    if fast and links is None and gap_m == 0 and not corners:
        from . import fast as _fast

        groups = _fast.components(members, _Neighbours(members, ws, gap_m, corners), BIG_VERTICES, feedback, stats)
        if groups is not None or (feedback is not None and feedback.isCanceled()):
            return groups
        if stats is not None:  # the members do not suit the grid: every pair by the loop below
            stats.used, stats.fallback = False, True
    n = len(members)
    parent = list(range(n))

    def find(x):
        return _find(parent, x)

    index = QgsSpatialIndex()
    for i, m in enumerate(members):
        index.addFeature(i, m.bbox)
    test = _Neighbours(members, ws, gap_m, corners)
    search = test.search
    for i, m in enumerate(members):
        if feedback is not None and i % 1000 == 0:
            if feedback.isCanceled():
                return None
            feedback.setProgress(30.0 + 50.0 * i / max(n, 1))
        rect = m.bbox.buffered(search) if search > 0 else m.bbox
        for j in index.intersects(rect):
            if j <= i:
                continue
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            if test(i, j):
                parent[max(ri, rj)] = min(ri, rj)
                if links is not None:
                    links.append((i, j))
    groups = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


# ---------------------------------------------------------------------------------------
# clusters: ids, sums, polygons
# ---------------------------------------------------------------------------------------
class Cluster:
    __slots__ = ("cluster_id", "indices", "fids", "area_mu", "grade_counts", "towns", "tax_10k",
                 "tax_per_mu", "parcel_codes", "geometry", "sort_key")

    def as_dict(self):
        return {"cluster_id": self.cluster_id, "parcel_count": len(self.fids), "area_mu": self.area_mu,
                "grade_counts": self.grade_counts, "towns": self.towns, "tax_10k": self.tax_10k,
                "tax_per_mu": self.tax_per_mu, "parcel_codes": self.parcel_codes}

    def label(self):
        """LP-001 · 1,250 亩 · D×8 (the map label, also used in the page's table)."""
        counts = " ".join(part.replace(":", "×") for part in self.grade_counts.split())
        return "{} · {:,.0f} 亩 · {}".format(self.cluster_id, self.area_mu, counts).rstrip(" ·")


def grade_counts_text(grades):
    counts = Counter(g if g else NO_GRADE for g in grades)
    keys = sorted(k for k in counts if k != NO_GRADE) + ([NO_GRADE] if NO_GRADE in counts else [])
    return " ".join("{}:{}".format(k, counts[k]) for k in keys)


def summarise(members, groups, min_area_mu=0.0, min_parcels=2):
    """Clusters kept (sorted, with ids) and counts of the groups dropped by each threshold."""
    min_parcels = max(int(min_parcels or 1), 1)
    kept, dropped = [], {"too_few_parcels": 0, "too_small": 0, "singles": 0}
    for group in groups:
        if len(group) == 1:
            dropped["singles"] += 1
        if len(group) < min_parcels:
            dropped["too_few_parcels"] += 1
            continue
        area = sum(members[i].area_mu for i in group)
        if area < (min_area_mu or 0.0):
            dropped["too_small"] += 1
            continue
        c = Cluster()
        c.indices = sorted(group, key=lambda i: (members[i].code or "", members[i].fid))
        c.fids = [members[i].fid for i in c.indices]
        c.area_mu = area
        c.grade_counts = grade_counts_text(members[i].grade for i in group)
        towns = Counter(members[i].town for i in group if members[i].town)
        c.towns = "、".join(t for t, _ in sorted(towns.items(), key=lambda kv: (-kv[1], kv[0])))
        taxed = [i for i in group if members[i].tax is not None]
        c.tax_10k = sum(members[i].tax for i in taxed) if taxed else None
        taxed_area = sum(members[i].area_mu for i in taxed)
        c.tax_per_mu = c.tax_10k / taxed_area if taxed and taxed_area > 0 else None
        codes = [members[i].code or str(members[i].fid) for i in c.indices]
        c.parcel_codes = ",".join(codes)
        first = members[c.indices[0]]
        c.sort_key = (-round(area, 6), first.code or "", min(c.fids))
        c.geometry = None
        kept.append(c)
    kept.sort(key=lambda c: c.sort_key)
    width = max(3, len(str(len(kept))))
    for k, c in enumerate(kept, 1):
        c.cluster_id = "{}{:0{}d}".format(ID_PREFIX, k, width)
    return kept, dropped


def cluster_geometry(members, cluster, ws, gap_m, links=None):
    """Union of the members with bridged gaps closed: buffer by g/2 (at least EPS) and back.

    The closing fills gaps along facing edges but opens again where members are linked only
    through a narrow neck (two corners within g of each other, a corner touch): there, with
    ``links`` (the neighbour pairs that joined the cluster), the two members are joined by
    their shortest connecting line buffered by g/2, so a cluster reads as one area. Pieces of
    a multipart member that lie far from everything stay separate, as the parcel is.
    """
    from qgis.core import QgsGeometry

    parts = [members[i].geom for i in cluster.indices]
    union = QgsGeometry.unaryUnion(parts)
    radius = ws.to_units(max(gap_m / 2.0, EPS_M))
    # mitre joins (limit 5: corners down to about 23°) give the members' corners back after the
    # closing, so the outline covers the parcels without a second, costly union with them
    closed = union.buffer(radius, 4, QgsGeometry.CapFlat, QgsGeometry.JoinStyleMiter, 5.0)
    closed = closed.buffer(-radius, 4, QgsGeometry.CapFlat, QgsGeometry.JoinStyleMiter, 5.0)
    if closed.isEmpty():
        closed = union
    if links and closed.isMultipart() and closed.constGet().numGeometries() > 1:
        if callable(links):  # LazyLinks: this group's links, computed now
            links = links(cluster.indices)
        if links:
            closed = _bridge(members, closed, links, radius, ws)
    return ws.unproject(closed)


class LazyLinks:
    """The links ``components(..., links=[])`` would give one group, computed only when its
    outline needs them (a cluster outline in several pieces): the general path's loop, with
    the same R-tree, member order and candidate order, restricted to the group (a pair of
    members of two groups is never linked, so the group's links are the same)."""

    def __init__(self, members, ws, gap_m, corners):
        self.members = members
        self.test = _Neighbours(members, ws, gap_m, corners)
        self.index = None
        self.calls = 0

    def __call__(self, indices):
        from qgis.core import QgsSpatialIndex

        self.calls += 1
        if self.index is None:
            self.index = QgsSpatialIndex()
            for i, m in enumerate(self.members):
                self.index.addFeature(i, m.bbox)
        inside = set(indices)
        parent = {i: i for i in inside}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        links = []
        search = self.test.search
        for i in sorted(inside):
            m = self.members[i]
            rect = m.bbox.buffered(search) if search > 0 else m.bbox
            for j in self.index.intersects(rect):
                if j <= i or j not in inside:
                    continue
                ri, rj = find(i), find(j)
                if ri == rj:
                    continue
                if self.test(i, j):
                    parent[max(ri, rj)] = min(ri, rj)
                    links.append((i, j))
        return links


def _bridge(members, closed, links, radius, ws):
    """Join the pieces of ``closed`` that hold two linked members (see cluster_geometry)."""
    from qgis.core import QgsGeometry

    pieces = [QgsGeometry(closed.constGet().geometryN(k).clone()) for k in range(closed.constGet().numGeometries())]
    parent = list(range(len(pieces)))

    def find(x):
        return _find(parent, x)

    tol = ws.to_units(EPS_M)

    def piece_of(point, member):
        """The piece holding ``member`` at ``point`` (at a touch point two pieces meet: the one
        that overlaps the member near it)."""
        dist = [pieces[k].distance(point) for k in range(len(pieces))]
        lo = min(dist)
        near = [k for k in range(len(pieces)) if dist[k] <= lo + tol]
        if len(near) == 1:
            return near[0]
        spot = point.buffer(4 * tol, 4).intersection(member.geom)
        return max(near, key=lambda k: pieces[k].intersection(spot).area())

    bridges = []
    for i, j in links:
        line = members[i].geom.shortestLine(members[j].geom)
        if line is None or line.isEmpty():
            continue
        ends = line.asPolyline()
        if len(ends) < 2:
            continue
        a = find(piece_of(QgsGeometry.fromPointXY(ends[0]), members[i]))
        b = find(piece_of(QgsGeometry.fromPointXY(ends[-1]), members[j]))
        if a == b:
            continue
        parent[max(a, b)] = min(a, b)
        # round caps reach into both members, so the bridge overlaps each of them (a touch
        # point: a disc, GEOS gives nothing for a zero-length line)
        shape = line if line.length() > 0 else QgsGeometry.fromPointXY(ends[0])
        bridges.append(shape.buffer(radius, 4))
    if not bridges:
        return closed
    joined = QgsGeometry.unaryUnion([closed] + bridges)
    return joined if not joined.isEmpty() else closed


class Result:
    """Everything a run produces: the clusters (with geometry), member → cluster id, reports."""

    def __init__(self, clusters, assignment, report, dropped, params):
        self.clusters = clusters
        self.assignment = assignment  # fid -> cluster_id (kept clusters only)
        self.report = report
        self.dropped = dropped
        self.params = params

    @property
    def total_mu(self):
        return sum(c.area_mu for c in self.clusters)


def find_clusters(source, filter_text=DEFAULT_FILTER, gap_m=0.0, corners=False, min_area_mu=0.0, min_parcels=2,
                  geometry=True, context=None, feedback=None, layer_name="", fast=True):
    """Run the whole thing; ``geometry=False`` skips the outlines (the page's live count);
    ``fast=False`` tests every candidate pair by GEOS (the reference of fast.py's shortcuts)."""
    if gap_m is None or gap_m < 0:
        raise ClusterError(tr("The gap must be 0 or more metres (got {}).").format(gap_m))
    members, ws, report = collect_members(source, filter_text, context, feedback, layer_name)
    if members is None:
        return None
    from . import fast as _fast

    # at gap 0 without corners the groups come from fast.py's exact shortcuts and a group's
    # links only when its outline needs them (LazyLinks); otherwise from the general loop
    lazy = fast and geometry and gap_m == 0 and not corners
    links = [] if geometry and not lazy else None
    stats = _fast.Stats()
    groups = components(members, ws, gap_m, corners, feedback, links, fast=fast, stats=stats)
    if groups is None:
        return None
    report["shortcuts"] = stats
    if lazy:
        links = LazyLinks(members, ws, gap_m, corners)
    clusters, dropped = summarise(members, groups, min_area_mu, min_parcels)
    report["groups"] = len(groups)
    assignment = {}
    links_of, group_of = {}, {}  # component index -> its links; member index -> component (outlines only)
    if geometry and not lazy:
        for g, group in enumerate(groups):
            for i in group:
                group_of[i] = g
        for link in links:
            links_of.setdefault(group_of[link[0]], []).append(link)
    for k, c in enumerate(clusters):
        for fid in c.fids:
            assignment[fid] = c.cluster_id
        if geometry:
            if feedback is not None:
                if feedback.isCanceled():
                    return None
                feedback.setProgress(80.0 + 15.0 * k / max(len(clusters), 1))
            c.geometry = cluster_geometry(members, c, ws, gap_m,
                                          links if lazy else links_of.get(group_of[c.indices[0]]))
    params = {"gap_m": float(gap_m), "filter": (filter_text or "").strip(), "corners": bool(corners),
              "min_area_mu": float(min_area_mu or 0.0), "min_parcels": int(min_parcels or 1)}
    return Result(clusters, assignment, report, dropped, params)


# ---------------------------------------------------------------------------------------
# the cluster list as a workbook (the page's export)
# ---------------------------------------------------------------------------------------
TABLE_COLUMNS = (
    ("cluster_id", "连片编号"), ("area_mu", "面积(亩)"), ("parcel_count", "地块数"), ("grade_counts", "类别构成"),
    ("towns", "所属镇街"), ("tax_10k", "税收(万元)"), ("tax_per_mu", "亩均税收(万元/亩)"), ("parcel_codes", "宗地代码"),
)


def write_workbook(path, rows, params, layer_name=""):
    """Cluster list (rows: dicts with TABLE_COLUMNS keys) and the parameters used, to .xlsx.

    Written to a temporary file and moved into place, so a failure leaves no half file.
    """
    import datetime
    import os
    import tempfile

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..formats.xlsx_text import TextLog, row_of_cells

    log = TextLog()  # text from the layer (towns, codes) stays text; control characters removed
    wb = Workbook()
    ws = wb.active
    ws.title = "连片整治区"
    ws.append([label for _, label in TABLE_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for key, _ in TABLE_COLUMNS:
            v = row.get(key)
            if hasattr(v, "isNull") and v.isNull():
                v = None
            if key in ("area_mu", "tax_10k", "tax_per_mu") and v is not None:
                v = round(float(v), 2)
            values.append(v)
        ws.append(row_of_cells(ws, values, log))
    for col, width in zip("ABCDEFGH", (10, 12, 8, 16, 18, 12, 16, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    total = ws.max_row + 1
    ws.cell(row=total, column=1, value="合计").font = Font(bold=True)
    ws.cell(row=total, column=2, value=round(sum(float(r.get("area_mu") or 0) for r in rows), 2))
    ws.cell(row=total, column=3, value=sum(int(r.get("parcel_count") or 0) for r in rows))
    meta = wb.create_sheet("参数")
    for key, label in (("filter", "成员筛选表达式"), ("gap_m", "连通间距(米)"), ("corners", "角点相接算相邻"),
                       ("min_area_mu", "最小面积(亩)"), ("min_parcels", "最少地块数")):
        value = params.get(key)
        if isinstance(value, bool):  # 是/否, not Excel's TRUE/FALSE (issue 14: no Python values in documents)
            value = "是" if value else "否"
        meta.append(row_of_cells(meta, [label, value], log))
    meta.append(row_of_cells(meta, ["图层", layer_name], log))
    meta.append(["导出时间", datetime.datetime.now().strftime("%Y-%m-%d %H:%M")])
    meta.column_dimensions["A"].width = 18
    meta.column_dimensions["B"].width = 50
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
