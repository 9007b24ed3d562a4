"""一张图: one industrial-land parcel layer built from several sources by priority.

Sources come highest priority first (不动产登记 > 用地批文 > 土地利用现状 ...). Each parcel is
read in the target CRS, repaired when invalid, filtered by land use (``landuse``), then
clipped by everything already accepted: a parcel of a higher-priority source, or an earlier
parcel of the same source, wins. Leftover parts above ``min_piece_m2`` are kept, smaller
ones reported. Only the local candidates (earlier parcels whose boxes overlap, found for all
parcels at once by ``candidates``) are tested, with the parcel's prepared GEOS geometry, and
only the intersecting ones are subtracted, in the order a QgsSpatialIndex gives them, so the
work grows with the number of parcels, not its square.

Every problem is a row of the QA table; the areas in and out are accounted per source so
that input = filtered + covered + slivers + output, to the square metre.
"""
import os
import uuid
from array import array

from qgis.core import QgsGeometry, QgsMultiPolygon, QgsWkbTypes
from qgis.PyQt.QtCore import QVariant

from ... import compat
from ...i18n import tr
from .. import gpkg_rtree, limits, parcel_code, schema, units
from .. import values as _values
from . import landuse, source_reader
from .source_reader import ROLE_LABELS, SourceError

LAYER_NAME = "base_map"
QA_LAYER_NAME = "base_map_qa"
STYLE = ("styles", "base_map.qml")
QA_STYLE = ("styles", "base_map_qa.qml")
# standard output fields, in order
OUTPUT_FIELDS = ("parcel_code", "source", "source_role", "source_id", "land_use_raw", "land_use", "town", "owner",
                 "address", "supply_date", "area_m2", "area_mu", "area_ha")
QA_FIELDS = ("kind", "source", "source_id", "parcel_code", "area_m2", "message")
GRID_M = 0.001  # coordinates are snapped to 1 mm (cadastral surveys are given to the mm at best)
GRID_DEGREES = 1e-8  # about 1 mm on the ground
SEQUENTIAL_MAX = 8  # up to this many overlapping neighbours are subtracted one by one, else unioned first
BIG_VERTICES = 256  # accepted geometries with more vertices are indexed as tiles (split_big)
SLIVER_LIST_M2 = 1.0  # smaller leftover pieces are reported as one summary row per source
NOISE_M2 = 0.01  # leftover parts below this are floating-point noise of shared edges: summed, not listed


class BaseMapError(SourceError):
    pass


class Cancelled(Exception):
    pass


def qa_kind_labels():
    return {
        "invalid_geometry": tr("Invalid geometry repaired"),
        "empty_geometry": tr("Empty geometry"),
        "unusable_geometry": tr("Unusable geometry (bad coordinates or too large)"),
        "overlap_same_source": tr("Overlap within one source"),
        "overlay_failed": tr("Overlay failed"),
        "sliver_dropped": tr("Sliver dropped"),
        "duplicate_code": tr("Duplicate parcel code"),
        "invalid_code": tr("Invalid parcel code"),
        "missing_land_use": tr("Missing land use"),
        "outside_filter": tr("Outside the land-use filter"),
        "area_accounting": tr("Area accounting"),
    }


def qa_field_aliases():
    return {"kind": tr("QA problem"), "source": tr("Source layer"), "source_id": tr("Source feature"),
            "parcel_code": tr("Parcel code concerned"), "area_m2": tr("Problem area (m²)"), "message": tr("QA message")}


class Source:
    """One input: a QgsVectorLayer, its role key, an optional explicit mapping, a display name."""

    def __init__(self, layer, role=None, mapping=None, name=None):
        self.layer = layer
        self.role = source_reader.role_key(role) if role else None
        self.explicit_mapping = mapping
        self.name = name or (layer.name() if layer is not None else "")
        self.mapping = {}
        self.encoding = None
        self.extra = []  # [(source column, output name)]


class _Feedback:
    """Wraps an optional QgsFeedback: progress in a sub-range, cancellation as an exception."""

    def __init__(self, feedback):
        self.feedback = feedback
        self.lo, self.hi = 0.0, 100.0

    def stage(self, lo, hi):
        self.lo, self.hi = lo, hi
        self.progress(0.0)

    def progress(self, fraction):
        if self.feedback is not None:
            self.feedback.setProgress(self.lo + (self.hi - self.lo) * max(0.0, min(1.0, fraction)))

    def check(self):
        if self.feedback is not None and self.feedback.isCanceled():
            raise Cancelled()

    def info(self, text):
        if self.feedback is not None:
            self.feedback.pushInfo(text)

    def warn(self, text):
        if self.feedback is not None:
            if hasattr(self.feedback, "pushWarning"):
                self.feedback.pushWarning(text)
            else:
                self.feedback.reportError(text, False)


def polygon_parts(geometry):
    """Polygon parts of any geometry (GeometryCollection from makeValid/difference included)."""
    if geometry is None or geometry.isEmpty():
        return []
    if geometry.type() == QgsWkbTypes.PolygonGeometry and not geometry.isMultipart():
        return [geometry]
    return [g for g in geometry.asGeometryCollection() if g.type() == QgsWkbTypes.PolygonGeometry and not g.isEmpty()]


def split_big(geometry, max_vertices=None, depth=0):
    """Tiles (GEOS intersections with halves of the box, recursively) of a geometry with more
    than ``max_vertices`` vertices; the geometry itself when small. Their union is the geometry."""
    limit = max_vertices or BIG_VERTICES
    if depth > 16 or geometry.constGet().nCoordinates() <= limit:
        return [geometry]  # (called for every parcel: no import before this line)
    from qgis.core import QgsRectangle

    box = geometry.boundingBox()
    if box.width() >= box.height():
        mid = (box.xMinimum() + box.xMaximum()) / 2.0
        halves = (QgsRectangle(box.xMinimum(), box.yMinimum(), mid, box.yMaximum()),
                  QgsRectangle(mid, box.yMinimum(), box.xMaximum(), box.yMaximum()))
    else:
        mid = (box.yMinimum() + box.yMaximum()) / 2.0
        halves = (QgsRectangle(box.xMinimum(), box.yMinimum(), box.xMaximum(), mid),
                  QgsRectangle(box.xMinimum(), mid, box.xMaximum(), box.yMaximum()))
    tiles = []
    for half in halves:
        piece = geometry.intersection(QgsGeometry.fromRect(half))
        parts = polygon_parts(piece)
        if parts:
            tiles.extend(split_big(parts[0] if len(parts) == 1 else as_multipolygon(parts), limit, depth + 1))
    return tiles or [geometry]


def _clean(geometry, grid):
    """On the grid and valid (new intersection vertices are off the grid after an overlay)."""
    snapped = geometry.snappedToGrid(grid, grid)
    if snapped.isNull() or snapped.isEmpty():
        return geometry
    if not snapped.isGeosValid():
        parts = polygon_parts(snapped.makeValid())
        return as_multipolygon(parts) if parts else geometry
    return snapped


def as_multipolygon(parts):
    multi = QgsMultiPolygon()
    for part in parts:
        geom = part.constGet()
        if geom.wkbType() and part.isMultipart():
            for i in range(geom.numGeometries()):
                multi.addGeometry(geom.geometryN(i).clone())
        else:
            multi.addGeometry(geom.clone())
    return QgsGeometry(multi)


def repair(geometry):
    """(repaired geometry or None, reason) for an invalid polygon; keeps polygon parts only."""
    from qgis.core import Qgis

    errors = geometry.validateGeometry(Qgis.GeometryValidationEngine.Geos)  # the first error is the reason
    reason = errors[0].what() if errors else ""
    fixed = geometry.makeValid()
    parts = polygon_parts(fixed)
    if not parts:
        return None, reason
    return as_multipolygon(parts), reason


def _value(v):
    """QVariant NULL -> None; other values unchanged."""
    return _values.plain(v)


def _text(v):
    return _values.to_text(v)


def _text_memo(limit=65536):
    """A function giving ``_text`` of a value, faster: a text longer than any no-data word is
    only stripped, and each distinct shorter text is converted once (they repeat; the first
    ``limit`` of them are kept)."""
    longest = _values.words()["longest_empty"]
    texts = {}

    def as_text(v):
        if v.__class__ is str:
            s = v.strip()
            if len(s) > longest:
                return s
            t = texts.get(s, texts)
            if t is texts:
                t = _text(s)
                if len(texts) < limit:
                    texts[s] = t
            return t
        return _text(v)

    return as_text


def _code(attrs, i_code):
    return _text(attrs[i_code]) if i_code is not None else None


def parse_date(v):
    """QDate from a QDate/QDateTime/date/'2015-03-01'/'2015/3/1'/'20150301'/'2015年3月1日', else None."""
    return _values.to_qdate(v)


class Record:
    """A parcel on its way to the output."""

    __slots__ = ("src", "sid", "geom", "area", "attrs", "land_use", "raw_lu", "code", "order", "box")

    def __init__(self, src, sid, geom, area, attrs, land_use, raw_lu, order):
        self.src, self.sid, self.geom, self.area = src, sid, geom, area
        self.attrs, self.land_use, self.raw_lu, self.order = attrs, land_use, raw_lu, order
        self.code = None
        self.box = None  # (x min, y min, x max, y max) of the accepted geometry, from QGIS (_accept)


class BaseMapBuilder:
    """Builds the base map; ``run()`` writes OUTPUT and QA_OUTPUT or raises, writing nothing."""

    def __init__(self, sources, output, qa_output=None, target_crs=None, presets=None, min_piece_m2=50.0,
                 code_prefix="LE", previous=None, feedback=None, transform_context=None):
        self.sources = list(sources)
        self.output = output
        self.qa_output = qa_output
        self.target_crs = target_crs
        self.classifier = landuse.Classifier(presets)
        self.min_piece_m2 = float(min_piece_m2 if min_piece_m2 is not None else 50.0)
        self.code_prefix = code_prefix if code_prefix is not None else "LE"
        self.previous = previous
        self.fb = _Feedback(feedback)
        self.context = transform_context
        self.qa = []  # (kind, source, source_id, parcel_code, area_m2, message, geometry or None)
        self.accounts = []
        self.records = []
        self.summary = {}
        self.fast_write = True  # the parcels into a GeoPackage by SQLite (gpkg_rows); False: QgsVectorFileWriter
        self.fast_candidates = True  # overlay candidates from candidates.py; False: the index asked for every parcel
        self._envelopes = None
        self.fast_read = True  # GeoPackage sources read by SQLite (gpkg_source); False: through the provider

    # ---- checks ---------------------------------------------------------------------------
    def prepare(self):
        from qgis.core import QgsCoordinateTransformContext, QgsProject

        if not self.sources:
            raise BaseMapError(tr("No source layers given."))
        roles = source_reader.default_roles(len(self.sources))
        for i, src in enumerate(self.sources):
            if src.role is None:
                src.role = roles[i]
            label = src.name or "#{}".format(i + 1)
            if src.layer is None or not src.layer.isValid():
                raise BaseMapError(tr("Source {} cannot be read (file missing or not a vector layer).").format(label))
            src.layer, src.encoding = source_reader.open_source(src.layer, label)
            src.mapping = source_reader.resolve_mapping(src.layer, src.explicit_mapping)
            source_reader.check_source(src.layer, src.mapping, label)
        names = [s.name for s in self.sources]
        for i, src in enumerate(self.sources):  # same layer name twice: tell them apart
            if names.count(src.name) > 1:
                src.name = "{}#{}".format(src.name, i + 1)
        if self.target_crs is None or not self.target_crs.isValid():
            self.target_crs = self.sources[0].layer.crs()
        if self.context is None:
            self.context = QgsProject.instance().transformContext() or QgsCoordinateTransformContext()
        self.meter = units.AreaMeter(self.target_crs, self.context)
        self.meter.linear_factor = 1.0 if self.target_crs.isGeographic() else compat.metres_per_map_unit(
            self.target_crs)
        if self.previous is not None:
            prev = self.previous
            if not prev.isValid():
                raise BaseMapError(tr("Previous base map cannot be read."))
            from qgis.core import QgsWkbTypes

            if prev.geometryType() != QgsWkbTypes.PolygonGeometry or not prev.crs().isValid():
                raise BaseMapError(tr("Previous base map {} must be a polygon layer with a CRS.").format(prev.name()))
            names = prev.fields().names()
            self.previous_code_field = "parcel_code" if "parcel_code" in names else \
                schema.detect_mapping(names, wanted=["parcel_code"]).get("parcel_code")
            if not self.previous_code_field:
                raise BaseMapError(
                    tr("Previous base map {}: no parcel code field (parcel_code or 宗地代码).").format(prev.name()))
        self._plan_fields()

    def _plan_fields(self):
        """Output fields: the standard ones, then every unmapped source field under its own name."""
        from qgis.core import QgsField, QgsFields
        from qgis.PyQt.QtCore import QVariant

        types = {"string": QVariant.Type.String, "double": QVariant.Type.Double, "date": QVariant.Type.Date,
                 "int": QVariant.Type.Int}
        fields = QgsFields()
        taken = set()
        for name in OUTPUT_FIELDS:
            spec = schema.fields().get(name, {})
            field = QgsField(name, types.get(spec.get("type", "string"), QVariant.Type.String))
            field.setAlias(schema.alias(name))
            fields.append(field)
            taken.add(name.lower())
        extra_types = {}
        order = []
        for src in self.sources:
            mapped = set(src.mapping.values())
            layer_fields = src.layer.fields()
            pk = set(src.layer.dataProvider().pkAttributeIndexes())  # fid / table key: the source_id already
            src.extra = []
            for idx, field in enumerate(layer_fields):
                name = field.name()
                if name in mapped or idx in pk or name.lower() == "fid":
                    continue
                out = name
                if out.lower() in taken and out not in extra_types:
                    out = name + "_src"
                    n = 2
                    while out.lower() in taken and out not in extra_types:
                        out, n = "{}_src{}".format(name, n), n + 1
                if out not in extra_types:
                    extra_types[out] = field
                    order.append(out)
                    taken.add(out.lower())
                elif extra_types[out].type() != field.type():
                    extra_types[out] = QgsField(out, QVariant.Type.String)
                src.extra.append((idx, out))
        for out in order:
            base = extra_types[out]
            field = QgsField(out, base.type(), base.typeName(),
                             base.length() if base.type() == QVariant.Type.String else 0,
                             base.precision() if base.type() == QVariant.Type.Double else 0)
            if base.type() not in (QVariant.Type.String, QVariant.Type.Int, QVariant.Type.LongLong,
                                   QVariant.Type.Double, QVariant.Type.Date,
                                   QVariant.Type.DateTime, QVariant.Type.Bool):
                field = QgsField(out, QVariant.Type.String)
            fields.append(field)
        self.fields = fields
        self.extra_names = order
        self._extra_is_text = {out: fields.field(out).type() == QVariant.Type.String for out in order}

    # ---- reading --------------------------------------------------------------------------
    def _add_qa(self, kind, src, sid, code, area, message, geometry=None):
        self.qa.append((kind, src.name if src is not None else "", sid, code, area, message, geometry))

    def read(self):
        import math

        from qgis.core import QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsWkbTypes

        self.candidates = []
        total = sum(max(0, s.layer.featureCount()) for s in self.sources) or 1
        self.grid = grid = GRID_DEGREES if self.target_crs.isGeographic() else GRID_M / self.meter.linear_factor
        done = 0
        order = 0
        for si, src in enumerate(self.sources):
            acc = {"in_count": 0, "in_m2": 0.0, "filtered_m2": 0.0, "filtered_count": 0, "missing_count": 0,
                   "covered_m2": 0.0, "same_source_m2": 0.0, "sliver_m2": 0.0, "sliver_count": 0, "noise_m2": 0.0,
                   "out_m2": 0.0, "out_count": 0, "repaired": 0, "repair_delta_m2": 0.0, "empty": 0, "unusable": 0,
                   "small_overlap_count": 0, "small_overlap_m2": 0.0, "small_sliver_count": 0, "small_sliver_m2": 0.0}
            self.accounts.append(acc)
            names = src.layer.fields().names()
            idx = {std: names.index(col) for std, col in src.mapping.items()}
            i_lu, i_code = idx["land_use_raw"], idx.get("parcel_code")
            outside = {}
            request = QgsFeatureRequest()
            if src.layer.crs() != self.target_crs:
                request.setDestinationCrs(self.target_crs, self.context)
            curved = QgsWkbTypes.isCurvedType(src.layer.wkbType())
            classify = self.classifier.classify
            classes = {}  # raw land-use text -> its class (classify is a function of the text)
            lu_text = _text_memo()  # land-use value as read -> _text of it
            m2 = self.meter.m2
            geographic = self.target_crs.isGeographic()
            factor = None if self.meter.geographic else self.meter._factor  # AreaMeter.m2 of a projected CRS
            # limits.geometry_problem proves nothing wrong when the vertices are within the limit, the
            # perimeter is finite (a NaN or infinite coordinate makes it so) and the box lies within
            # the coordinate bounds: these three calls decide for nearly every parcel, the function
            # (which also names the problem) is asked only when they do not
            max_vertices, isfinite = limits.MAX_PARCEL_VERTICES, math.isfinite
            bound = limits.MAX_GEOGRAPHIC_COORD if geographic else limits.MAX_PROJECTED_COORD
            within = QgsRectangle(-bound, -bound, bound, bound).contains
            # polygons_only: every geometry is a Polygon or MultiPolygon, whose length() is 0: the
            # perimeter alone then proves the coordinates finite
            features, polygons_only = self._features(src, request)
            for fid, attrs, geom in features:
                done += 1
                if done % 500 == 0:
                    self.fb.check()
                    self.fb.progress(done / total)
                if geom.isEmpty():  # (a null geometry is empty too)
                    acc["empty"] += 1
                    self._add_qa("empty_geometry", src, str(fid), _code(attrs, i_code), 0.0,
                                 tr("Feature has no geometry; skipped."))
                    continue
                # NaN/infinite/far-off coordinates crash or poison GEOS and the area sums; a
                # parcel of a million vertices stalls the overlay (many parts do not: the overlay
                # tiles them, 20,000 parts take seconds)
                g = geom.constGet()
                try:
                    fine = g.nCoordinates() <= max_vertices and \
                        isfinite(g.perimeter() if polygons_only else g.perimeter() + g.length()) and \
                        within(g.boundingBox())
                except Exception:  # geometry_problem says what
                    fine = False
                problem = None if fine else limits.geometry_problem(geom, geographic=geographic,
                                                                    max_vertices=max_vertices)
                if problem is not None:
                    acc["unusable"] += 1
                    self._add_qa("unusable_geometry", src, str(fid), _code(attrs, i_code), 0.0,
                                 tr("Geometry not usable ({}); parcel skipped.").format(problem))
                    continue
                raw_text = lu_text(attrs[i_lu])
                if raw_text is None:
                    cls = None
                elif raw_text in classes:  # a district has a few dozen distinct values
                    cls = classes[raw_text]
                else:
                    cls = classify(raw_text)
                    if len(classes) < 65536:
                        classes[raw_text] = cls
                if cls is None:  # left out: measured for the accounting, not repaired
                    area = m2(geom)
                    acc["in_count"] += 1
                    acc["in_m2"] += area
                    acc["filtered_m2"] += area
                    sid = str(fid)
                    if raw_text is None:
                        acc["missing_count"] += 1
                        self._add_qa("missing_land_use", src, sid, _code(attrs, i_code), area,
                                     tr("No land use in field {}; parcel left out.").format(
                                         src.mapping["land_use_raw"]),
                                     geom)
                    else:
                        acc["filtered_count"] += 1
                        item = outside.setdefault(raw_text, [0, 0.0, sid])
                        item[0] += 1
                        item[1] += area
                    continue
                sid = str(fid)
                if curved:
                    geom = QgsGeometry(geom.constGet().segmentize())
                # shared edges of neighbouring parcels carry floating-point noise that makes GEOS
                # overlay fall back to slow robust noding; on a 1 mm grid they coincide exactly
                snapped = geom.snappedToGrid(grid, grid)
                if not snapped.isEmpty():
                    geom = snapped
                if not geom.isGeosValid():
                    before = abs(m2(geom))
                    fixed, reason = repair(geom)
                    after = m2(fixed) if fixed is not None else 0.0
                    acc["repaired"] += 1
                    acc["repair_delta_m2"] += after - before
                    self._add_qa("invalid_geometry", src, sid, _code(attrs, i_code), after,
                                 tr("Invalid geometry ({}) repaired: {:.2f} m² before, {:.2f} m² after.").format(
                                     reason, before, after), fixed if fixed is not None else None)
                    if fixed is None:
                        continue
                    geom = fixed
                area = geom.area() * factor if factor is not None else m2(geom)  # (not empty: m2 without its test)
                acc["in_count"] += 1
                acc["in_m2"] += area
                self.candidates.append(Record(si, sid, geom, area, attrs, cls, raw_text, order))
                order += 1
            for raw_text, (count, area, first) in sorted(outside.items(), key=lambda kv: -kv[1][1]):
                self._add_qa("outside_filter", src, first if count == 1 else "", None, area,
                             tr("Land use '{}' is outside the filter: {} parcels, {:.2f} m² left out.").format(
                                 raw_text, count, area))
            if src.encoding and src.encoding != "UTF-8":
                self.fb.info(tr("Source {}: attributes read as {}.").format(src.name, src.encoding))

    def _features(self, src, request):
        """((fid, attributes, geometry) of the source's features, whether every geometry is a
        Polygon or MultiPolygon): from a GeoPackage by SQLite (gpkg_source, which checks that)
        when that gives exactly what the provider gives, else through QGIS."""
        if self.fast_read:
            from . import gpkg_source

            try:
                return gpkg_source.features(src.layer, self.target_crs), True
            except gpkg_source.Declined as exc:
                if src.layer.providerType() == "ogr" and src.layer.dataProvider().storageType() == "GPKG":
                    self.fb.info(tr("Source {}: read feature by feature through QGIS (the direct GeoPackage "
                                    "reader cannot read it exactly: {}).").format(src.name, exc))
        return ((f.id(), f.attributes(), f.geometry()) for f in src.layer.getFeatures(request)), False

    # ---- overlay --------------------------------------------------------------------------
    def overlay(self):
        """Higher priority (and earlier in the same source) wins; leftovers kept or reported."""
        from qgis.core import QgsGeometry, QgsSpatialIndex

        index = QgsSpatialIndex()
        geoms = []  # index entry -> geometry (a tile of a big parcel, or the parcel)
        self._entry_src = entry_src = []  # index entry -> source index
        self._boxes = boxes = []  # index entry -> bounding box
        self._entries = entries = [()] * len(self.candidates)  # candidate -> range of its index entries
        self._indexed = 0  # entries 0 … _indexed - 1 are in the index; _ask_index adds the rest, in order
        n = len(self.candidates) or 1
        noise = min(NOISE_M2, self.min_piece_m2)
        # candidate k's box as read: x min, y min, x max, y max at 4k … 4k + 3 (no Python object per box)
        self._read_boxes = read_boxes = array("d")
        for rec in self.candidates:
            r = rec.geom.boundingBox()
            read_boxes.extend((r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum()))
        # the earlier parcels whose boxes overlap each parcel's, for all at once; the index is then
        # asked only for the order of two or more real overlaps (candidates.py). None: asked always
        self._earlier = self._earlier_overlaps()
        for k, rec in enumerate(self.candidates):
            if k % 500 == 0:
                self.fb.check()
                self.fb.progress(k / n)
            geom = rec.geom
            earlier = self._earlier
            if earlier is not None and not earlier[k]:  # no earlier parcel's box overlaps: kept whole
                self._accept(rec, geom, rec.area, index, geoms)
                continue
            acc = self.accounts[rec.src]
            box = read_boxes[4 * k:4 * k + 4]
            if earlier is not None:
                ids = [e for j in earlier[k] for e in entries[j]]  # ascending: not the index's order
            else:
                ids = self._ask_index(index, box)
            other_ids, same_ids = [], []
            rest = None  # the parcel minus its overlaps, when already computed
            if ids:
                x0, y0, x1, y1 = box
                engine = None
                for i in ids:
                    bx0, by0, bx1, by1 = boxes[i]
                    if bx0 >= x1 or bx1 <= x0 or by0 >= y1 or by1 <= y0:
                        continue  # boxes only touch: so do the parcels (grids, blocks along a street)
                    if engine is None:
                        engine = QgsGeometry.createGeometryEngine(geom.constGet())
                        engine.prepareGeometry()
                        big = None
                    other = geoms[i].constGet()
                    # prepared intersects first (cheap); then, within one source, the interiors:
                    # neighbours that only share an edge (exactly, after snapping) cost no overlay.
                    # Across sources an intersecting box nearly always means a real overlap.
                    if not engine.intersects(other):
                        continue
                    if entry_src[i] != rec.src:
                        other_ids.append(i)
                        continue
                    if big is None:
                        # relate is not prepared: for a street network against its hundreds of
                        # neighbours one union and one difference are cheaper than many relates
                        big = geom.constGet().nCoordinates() > BIG_VERTICES
                    if big or engine.relatePattern(other, "2********"):
                        same_ids.append(i)
                if earlier is not None and (len(other_ids) >= 2 or len(same_ids) >= 2):
                    # subtracted one by one: in the order the index gives them, as always (the
                    # other sources' first, so one of each needs no order)
                    rest, other_ids, same_ids = self._in_index_order(index, box, geom, geoms, other_ids, same_ids)
            hits_other = [geoms[i] for i in other_ids]
            hits_same = [geoms[i] for i in same_ids]
            if not hits_same and not hits_other:
                self._accept(rec, geom, rec.area, index, geoms)
                continue
            hits = hits_other + hits_same
            if rest is None:
                rest = self._subtract(geom, hits)
            if rest is None:
                # GEOS could not compute it even after repair: keep the parcel whole and say so
                self._add_qa("overlay_failed", self.sources[rec.src], rec.sid, None, rec.area,
                             tr("Overlap with {} neighbouring parcels could not be computed; the parcel is kept "
                                "whole.").format(
                                 len(hits)), geom)
                self._accept(rec, geom, rec.area, index, geoms)
                continue
            parts = polygon_parts(rest)
            part_areas = [self.meter.m2(p) for p in parts]
            rest_area = sum(part_areas)
            covered = max(0.0, rec.area - rest_area)
            if covered <= noise:
                # only shared edges (and their floating-point noise) touched: the parcel stays whole,
                # whatever its size; MIN_PIECE_M2 applies to leftovers of clipped parcels only
                acc["noise_m2"] += covered
                acc["covered_m2"] += covered
                self._accept(rec, geom, rest_area, index, geoms)
                continue
            if hits_same:
                if hits_other:
                    union = lambda g: g[0] if len(g) == 1 else QgsGeometry.unaryUnion(g)  # noqa: E731
                    overlap = geom.intersection(union(hits_same)).difference(union(hits_other))
                    same_m2 = self.meter.m2(overlap)
                else:
                    overlap = geom.difference(rest)
                    same_m2 = covered
                acc["same_source_m2"] += same_m2
                if same_m2 > self.min_piece_m2:
                    self._add_qa("overlap_same_source", self.sources[rec.src], rec.sid, None, same_m2,
                                 tr("Overlaps {:.2f} m² of an earlier parcel of the same source; the earlier parcel "
                                    "keeps it.").format(same_m2),
                                 overlap)
                elif same_m2 > noise:
                    acc["small_overlap_count"] += 1
                    acc["small_overlap_m2"] += same_m2
            acc["covered_m2"] += covered
            keep = []
            kept_m2 = 0.0
            for part, a in zip(parts, part_areas):
                if a > self.min_piece_m2:
                    keep.append(part)
                    kept_m2 += a
                    continue
                acc["sliver_m2"] += a
                acc["sliver_count"] += 1
                if a >= SLIVER_LIST_M2:
                    self._add_qa("sliver_dropped", self.sources[rec.src], rec.sid, None, a,
                                 tr("Leftover piece of {:.2f} m² (≤ {:g} m²) not covered by higher-priority sources "
                                    "dropped.").format(
                                     a, self.min_piece_m2), part)
                else:
                    acc["small_sliver_count"] += 1
                    acc["small_sliver_m2"] += a
            if keep:
                self._accept(rec, keep[0] if len(keep) == 1 else as_multipolygon(keep), kept_m2, index, geoms)
        self._read_boxes = self._earlier = self._entries = None  # not needed any more
        for src, acc in zip(self.sources, self.accounts):
            if acc["small_overlap_count"]:
                self._add_qa("overlap_same_source", src, "", None, acc["small_overlap_m2"],
                             tr("{} small overlaps (≤ {:g} m² each, {:.2f} m² in all) between neighbouring parcels of "
                                "this source resolved in favour of the earlier parcel.").format(
                                 acc["small_overlap_count"], self.min_piece_m2, acc["small_overlap_m2"]))
            if acc["small_sliver_count"]:
                self._add_qa("sliver_dropped", src, "", None, acc["small_sliver_m2"],
                             tr("{} leftover pieces under {:g} m² each ({:.2f} m² in all) dropped.").format(
                                 acc["small_sliver_count"], SLIVER_LIST_M2, acc["small_sliver_m2"]))

    def _subtract(self, geom, hits):
        """``geom`` minus the union of ``hits``, snapped back to the grid; None when GEOS fails."""
        for attempt in range(2):
            if attempt == 1:  # robustness fallback: valid operands on the grid
                geom = _clean(geom, self.grid)
                hits = [_clean(h, self.grid) for h in hits]
            if len(hits) <= SEQUENTIAL_MAX:
                # a few neighbours: subtracting them one by one is cheaper than dissolving them
                rest = geom
                for hit in hits:
                    rest = rest.difference(hit)
                    if rest.isNull() or rest.isEmpty():
                        break
            else:
                rest = geom.difference(QgsGeometry.unaryUnion(hits))
            if not rest.isNull():
                if rest.isEmpty():
                    return rest
                return _clean(rest, self.grid)
        return None

    def _earlier_overlaps(self):
        """candidates.earlier_overlaps of the parcels' boxes as read, or None (the reason logged)."""
        from . import candidates

        if not self.fast_candidates:
            return None
        if any(rec.order != k for k, rec in enumerate(self.candidates)):
            reason = "candidates out of order"
        else:
            try:
                return candidates.earlier_overlaps(self._read_boxes)
            except candidates.Declined as exc:
                reason = str(exc)
        self.fb.info(tr("Overlay: the spatial index is asked for every parcel ({}).").format(reason))
        return None

    def _ask_index(self, index, box):
        """The index's entries whose boxes meet ``box``, in its order; the accepted parcels not yet
        in it are added first, in the order they were accepted (the same tree as adding each at once)."""
        from qgis.core import QgsRectangle

        boxes = self._boxes
        if self._indexed < len(boxes):
            add = index.addFeature
            for entry in range(self._indexed, len(boxes)):
                add(entry, QgsRectangle(*boxes[entry]))
            self._indexed = len(boxes)
        return index.intersects(QgsRectangle(*box))

    def _in_index_order(self, index, box, geom, geoms, other_ids, same_ids):
        """(``geom`` minus the overlaps or None, ``other_ids``, ``same_ids``) with the overlaps in the
        index's order. Two overlaps of one kind and none of the other are subtracted in both orders
        first: when both give the same bytes, the order cannot matter and the index is neither asked
        nor filled (at 3 × 50,000 parcels every such pair; its inserts cost more than a subtraction)."""
        pair = other_ids if not same_ids else same_ids if not other_ids else None
        if pair is None or len(pair) != 2:
            return (None,) + self._index_order(index, box, other_ids, same_ids)
        a, b = pair
        ab = self._subtract(geom, [geoms[a], geoms[b]])
        ba = self._subtract(geom, [geoms[b], geoms[a]])
        if ab is not None and ba is not None and ab.asWkb() == ba.asWkb():
            return ab, other_ids, same_ids
        other_ids, same_ids = self._index_order(index, box, other_ids, same_ids)
        return (ab if (other_ids or same_ids)[0] == a else ba), other_ids, same_ids

    def _index_order(self, index, box, other_ids, same_ids):
        """``other_ids`` and ``same_ids`` in the order the index gives them for ``box``."""
        chosen = set(other_ids)
        chosen.update(same_ids)
        ordered = [i for i in self._ask_index(index, box) if i in chosen]
        if len(ordered) != len(chosen):  # cannot be: every chosen box meets ``box``
            raise RuntimeError("spatial index lost {} entries".format(len(chosen) - len(ordered)))
        others = set(other_ids)
        return [i for i in ordered if i in others], [i for i in ordered if i not in others]

    def _accept(self, rec, geom, area, index, geoms):
        whole = geom is rec.geom  # accepted as read: its box is the one read
        rec.geom, rec.area = geom, area
        self.records.append(rec)
        first = len(geoms)
        k = rec.order
        small = geom.constGet().nCoordinates() <= BIG_VERTICES
        if whole and small:  # most parcels: one index entry, its box the box read
            rec.box = b = tuple(self._read_boxes[4 * k:4 * k + 4])  # also the writer's envelope (gpkg_rows)
            self._boxes.append(b)
            geoms.append(geom)
            self._entry_src.append(rec.src)
        else:
            # a street-network polygon (tens of thousands of vertices) touches every parcel: index it
            # as small tiles so that each later parcel is only clipped against the tiles around it
            rx0, ry0, rx1, ry1 = self._read_boxes[4 * k:4 * k + 4]
            tiles = (geom,) if small else split_big(geom)
            for tile in tiles:
                if whole and len(tiles) == 1:
                    b = (rx0, ry0, rx1, ry1)
                else:
                    box = tile.boundingBox()
                    b = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
                self._boxes.append(b)
                geoms.append(tile)
                self._entry_src.append(rec.src)
                if self._earlier is not None and not (b[0] >= rx0 and b[1] >= ry0 and b[2] <= rx1 and b[3] <= ry1):
                    # later parcels' candidates were found by the boxes as read: this one grew (cannot
                    # happen: a clipped parcel lies within the parcel), so the index is asked from now on
                    self._earlier = None
                    self.fb.info(tr("Overlay: the spatial index is asked for every parcel ({}).").format(
                        "parcel {} reaches beyond its box".format(rec.sid)))
            rec.box = b if len(tiles) == 1 and tiles[0] is geom else None  # the writer's envelope (gpkg_rows)
        self._entries[k] = range(first, len(geoms))
        acc = self.accounts[rec.src]
        acc["out_m2"] += area
        acc["out_count"] += 1

    # ---- codes ----------------------------------------------------------------------------
    def assign_codes(self):
        used = set()
        reserved = set()
        by_prev = {}
        if self.previous is not None:
            from qgis.core import QgsFeatureRequest

            request = QgsFeatureRequest()
            request.setDestinationCrs(self.target_crs, self.context)
            prev = []
            for f in self.previous.getFeatures(request):
                g = f.geometry()
                if g is None or g.isEmpty():
                    continue
                if not g.isGeosValid():
                    g = g.makeValid()
                prev.append((g, _text(f[self.previous_code_field])))
            self.fb.check()
            by_prev = parcel_code.match_previous([r.geom for r in self.records], prev, self.meter.m2, self.fb.feedback)
            # last year's codes are never handed to another parcel: history stays unambiguous
            reserved = {code for _, code in prev if code}
        self.kept_previous = 0
        for r, (code, _) in sorted(by_prev.items()):
            if code not in used:
                self.records[r].code = code
                used.add(code)
                self.kept_previous += 1
        self.kept_valid = 0
        code_re = parcel_code.VALID_RE.match
        as_text = _text_memo()
        code_columns = [src.layer.fields().indexOf(src.mapping["parcel_code"]) if "parcel_code" in src.mapping
                        else None for src in self.sources]  # (a required field: always mapped)
        for rec in self.records:
            if rec.code is not None:
                continue
            src = self.sources[rec.src]
            i_code = code_columns[rec.src]
            raw = as_text(rec.attrs[i_code if i_code is not None else src.mapping["parcel_code"]])
            # a code already written as 19 ASCII digits and capitals is its own normal form
            valid = raw if raw.__class__ is str and len(raw) == 19 and code_re(raw) else parcel_code.valid_code(raw)
            if valid and valid not in used:
                rec.code = valid
                used.add(valid)
                self.kept_valid += 1
            elif valid:
                self._add_qa("duplicate_code", src, rec.sid, valid, rec.area,
                             tr("Parcel code {} is already used by another parcel; a new code is "
                                "generated.").format(valid),
                             rec.geom)
            elif raw and src.role == "bdcdj":
                self._add_qa("invalid_code", src, rec.sid, raw, rec.area,
                             tr("'{}' is not a valid 19-character parcel code; a new code is generated.").format(raw))
        pending = [rec for rec in self.records if rec.code is None]
        town_index = {}
        town_columns = [src.layer.fields().indexOf(src.mapping["town"]) if src.mapping.get("town") else None
                        for src in self.sources]  # looked up once per source
        for rec in pending:
            i_town = town_columns[rec.src]
            town = (as_text(rec.attrs[i_town]) if i_town is not None else None) or ""
            town_index.setdefault(town, []).append(rec)
        self.generated = 0
        for town in sorted(town_index):
            seq = 0
            for rec in sorted(town_index[town], key=lambda r: (parcel_code.position_key(r.geom), r.order)):
                seq += 1
                code = parcel_code.generated_code(self.code_prefix, town, seq)
                while code in used or code in reserved:
                    seq += 1
                    code = parcel_code.generated_code(self.code_prefix, town, seq)
                rec.code = code
                used.add(code)
                self.generated += 1

    # ---- writing --------------------------------------------------------------------------
    def _rows(self):
        """(values in field order, geometry) of every output parcel, in output order."""
        for values, rec in self._row_records():
            yield values, rec.geom

    def _row_records(self):
        """(values in field order, record) of every output parcel, in output order."""
        n = len(self.records) or 1
        n_std = len(OUTPUT_FIELDS)
        width = n_std + len(self.extra_names)
        position = {name: n_std + i for i, name in enumerate(self.extra_names)}
        plans = []  # per source: column indexes of town/owner/address/date, extras as (column, position, text?)
        for src in self.sources:
            fields = src.layer.fields()
            ci = {std: fields.indexOf(col) for std, col in src.mapping.items()}
            plans.append((src.name, ROLE_LABELS.get(src.role, src.role), ci.get("town"), ci.get("owner"),
                          ci.get("address"), ci.get("supply_date"),
                          [(idx, position[out], self._extra_is_text[out]) for idx, out in src.extra]))
        # town, owner and address as _text gives them, date as parse_date (dates repeat and are
        # converted once)
        as_text = _text_memo()
        dates = {}

        def as_date(v):
            try:
                key = (v.__class__, v)
                d = dates.get(key, dates)
            except TypeError:  # not hashable
                return parse_date(v)
            if d is dates:
                d = parse_date(v)
                if len(dates) < 65536:
                    dates[key] = d
            return d

        for k, rec in enumerate(sorted(self.records, key=lambda r: r.order)):
            if k % 1000 == 0:
                self.fb.check()
                self.fb.progress(k / n)
            name, role, i_town, i_owner, i_addr, i_date, extras = plans[rec.src]
            a = rec.attrs
            area = rec.area
            values = [None] * width
            values[:n_std] = [
                rec.code, name, role, rec.sid, rec.raw_lu, rec.land_use,
                as_text(a[i_town]) if i_town is not None else None,
                as_text(a[i_owner]) if i_owner is not None else None,
                as_text(a[i_addr]) if i_addr is not None else None,
                as_date(a[i_date]) if i_date is not None else None,
                round(area, 2), round(area / units.M2_PER_MU, 4), round(area / units.M2_PER_HA, 6)]
            for idx, pos, text in extras:
                v = a[idx]
                if isinstance(v, QVariant):
                    v = None if v.isNull() else v.value()
                if text and v is not None and not isinstance(v, str):
                    v = str(v)
                values[pos] = v
            yield values, rec

    def _write_fast(self, tmp):
        """The parcels into the GeoPackage ``tmp`` by SQLite (gpkg_rows), as GDAL would write them;
        raises gpkg_rows.Unsupported (the caller removes ``tmp``) when that cannot be exact."""
        from qgis.core import QgsWkbTypes

        from . import gpkg_rows

        kinds = gpkg_rows.plan(self.fields)
        writer = _create_writer(tmp, LAYER_NAME, self.fields, QgsWkbTypes.MultiPolygon, self.target_crs,
                                self.context)
        del writer  # the empty layer, as GDAL makes it
        names = self.fields.names()
        fid_col, geom_col, srs_id = gpkg_rows.layer_info(tmp, LAYER_NAME, names)
        multi, envelope = gpkg_rows.multipolygon_wkb, gpkg_rows.envelope_of
        values, wkbs, envelopes = [], [], []
        for row, rec in self._row_records():
            values.append(row)
            wkb = multi(rec.geom)
            wkbs.append(wkb)
            envelopes.append(envelope(wkb, rec.box))
        gpkg_rows.prepare_columns(kinds, values)
        count = gpkg_rows.write(tmp, LAYER_NAME, names, zip(values, wkbs, envelopes), srs_id, fid_col, geom_col)
        self._envelopes = envelopes  # the R-tree's boxes (gpkg_rtree.build): fids 1, 2, … in this order
        return count

    def write(self):
        from qgis.core import QgsFeature, QgsWkbTypes

        tmp = _temp_path(self.output)
        qa_tmp = _temp_path(self.qa_output) if self.qa_output else None
        writer = None
        try:
            fast = self.fast_write and tmp.lower().endswith(".gpkg")
            if fast:
                from . import gpkg_rows

                try:
                    self._write_fast(tmp)
                except gpkg_rows.Unsupported as exc:
                    fast = False
                    _remove_dataset(tmp)
                    self.fb.info(tr("Base map written feature by feature through QGIS (the direct GeoPackage "
                                    "writer cannot write it exactly: {}).").format(exc))
            if not fast:
                writer = _create_writer(tmp, LAYER_NAME, self.fields, QgsWkbTypes.MultiPolygon, self.target_crs,
                                        self.context)
                batch = []
                for values, geom in self._rows():
                    feature = QgsFeature(self.fields)
                    feature.setAttributes(values)
                    geom = QgsGeometry(geom)
                    geom.convertToMultiType()
                    feature.setGeometry(geom)
                    batch.append(feature)
                    if len(batch) >= 2000:
                        self._add_batch(writer, batch)
                self._add_batch(writer, batch)
            del writer
            writer = None
            envelopes = enumerate(self._envelopes, 1) if fast and self._envelopes is not None else None
            self._envelopes = None
            _check_count(tmp, LAYER_NAME, len(self.records), self.output, envelopes)
            _save_style(tmp, LAYER_NAME, STYLE, {n: schema.alias(n) for n in OUTPUT_FIELDS})
            if qa_tmp:
                self._write_qa(qa_tmp)
            self.fb.check()
            # both files are complete and checked; into place together (an existing GeoPackage
            # keeps its other layers: files.publication)
            ready = []
            ready.append(_prepare_dataset(tmp, LAYER_NAME, self.output))
            if qa_tmp:
                ready.append(_prepare_dataset(qa_tmp, QA_LAYER_NAME, self.qa_output))
        except BaseException:
            writer = None
            _remove_dataset(tmp)
            if qa_tmp:
                _remove_dataset(qa_tmp)
            for item in locals().get("ready") or []:
                item.discard()
            raise
        try:
            for item in ready:
                item.publish()
        finally:
            for item in ready:
                item.discard()

    def _add_batch(self, writer, batch):
        if batch and not writer.addFeatures(batch):
            raise BaseMapError(tr("Cannot write parcel {} to {}: {}").format(
                batch[0]["parcel_code"], self.output, writer.errorMessage()))
        batch.clear()

    def qa_rows(self):
        """QA rows with the area accounting rows appended."""
        rows = list(self.qa)
        total = {k: 0.0 for k in ("in_m2", "filtered_m2", "covered_m2", "sliver_m2", "out_m2")}
        for src, acc in zip(self.sources, self.accounts):
            for k in total:
                total[k] += acc[k]
            rows.append(("area_accounting", src.name, "", None, acc["out_m2"], self._account_text(acc)))
        rows.append(("area_accounting", tr("All sources"), "", None, total["out_m2"], self._account_text(total)))
        return [r + (None,) if len(r) == 6 else r for r in rows]

    @staticmethod
    def _account_text(acc):
        balance = acc["in_m2"] - acc["filtered_m2"] - acc["covered_m2"] - acc["sliver_m2"] - acc["out_m2"]
        return tr("In {:.2f} m² = filtered {:.2f} + covered by higher priority or earlier parcels {:.2f} + slivers "
                  "{:.2f} + output {:.2f} (difference {:.4f} m²).").format(
            acc["in_m2"], acc["filtered_m2"], acc["covered_m2"], acc["sliver_m2"], acc["out_m2"], balance)

    def _write_qa(self, path):
        from qgis.core import QgsFeature, QgsField, QgsFields, QgsGeometry, QgsWkbTypes
        from qgis.PyQt.QtCore import QVariant

        fields = QgsFields()
        aliases = qa_field_aliases()
        for name in QA_FIELDS:
            field = QgsField(name, QVariant.Type.Double if name == "area_m2" else QVariant.Type.String)
            field.setAlias(aliases[name])
            fields.append(field)
        writer = _create_writer(path, QA_LAYER_NAME, fields, QgsWkbTypes.MultiPolygon, self.target_crs, self.context)
        for kind, source, sid, code, area, message, geometry in self.qa_rows():
            feature = QgsFeature(fields)
            feature.setAttributes([kind, source, sid, code, round(area or 0.0, 2), message])
            parts = polygon_parts(geometry) if geometry is not None and not geometry.isNull() else []
            if parts:
                feature.setGeometry(as_multipolygon(parts))
            else:
                feature.setGeometry(QgsGeometry())
            if not writer.addFeature(feature):
                raise BaseMapError(tr("Cannot write {}: {}").format(self.qa_output, writer.errorMessage()))
        del writer
        _check_count(path, QA_LAYER_NAME, len(self.qa_rows()), self.qa_output)
        _save_style(path, QA_LAYER_NAME, QA_STYLE, aliases)

    # ---- all ------------------------------------------------------------------------------
    def run(self):
        # QGIS clears GDAL's process-wide SHAPE_ENCODING when a layer's encoding is set (GBK
        # sources); put it back afterwards so that later Shapefile writers still recode
        try:
            from osgeo import gdal
        except ImportError:  # pragma: no cover
            gdal = None
        saved = gdal.GetConfigOption("SHAPE_ENCODING") if gdal else None
        # Python's cyclic garbage collector walks every parcel's record again and again while the
        # build allocates (9 % of its time at 3 x 50,000 parcels); the build makes no cycles to
        # collect, so it is paused meanwhile (left alone when something else had paused it)
        import gc

        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return self._run()
        finally:
            if paused:
                gc.enable()
            if gdal is not None:
                gdal.SetConfigOption("SHAPE_ENCODING", saved)

    def _run(self):
        self.fb.stage(0, 2)
        self.prepare()
        self.fb.stage(2, 35)
        self.read()
        self.fb.stage(35, 80)
        self.overlay()
        self.fb.stage(80, 86)
        self.assign_codes()
        self.fb.stage(86, 100)
        self.write()
        self.fb.progress(1.0)
        self.summary = self._summary()
        for line in self.summary["lines"]:
            self.fb.info(line)
        return self.summary

    def _summary(self):
        lines = []
        totals = {"in_m2": 0.0, "out_m2": 0.0}
        for src, acc in zip(self.sources, self.accounts):
            totals["in_m2"] += acc["in_m2"]
            totals["out_m2"] += acc["out_m2"]
            lines.append(tr("{} ({}): {} parcels read, {} kept ({:.2f} ha); {} outside the filter, {} without land "
                            "use, {} repaired, {} slivers dropped.").format(
                src.name, ROLE_LABELS.get(src.role, src.role), acc["in_count"], acc["out_count"], acc["out_m2"] / 1e4,
                acc["filtered_count"], acc["missing_count"], acc["repaired"], acc["sliver_count"]))
        for src, acc in zip(self.sources, self.accounts):
            if acc.get("unusable"):
                lines.append(tr("{}: {} parcels with unusable geometry skipped (see the QA report).").format(
                    src.name, acc["unusable"]))
        lines.append(tr("Codes: {} valid 宗地代码 kept, {} kept from the previous base map, {} generated.").format(
            self.kept_valid, self.kept_previous, self.generated))
        # the QA layer holds the findings and one area-accounting row per source plus the total
        qa_count = len(self.qa_rows())
        lines.append(tr("Base map: {} parcels, {:.2f} ha; QA: {} rows.").format(
            len(self.records), totals["out_m2"] / 1e4, qa_count))
        return {"count": len(self.records), "in_m2": totals["in_m2"], "out_m2": totals["out_m2"],
                "qa_count": qa_count, "accounts": self.accounts, "lines": lines,
                "kept_valid": self.kept_valid, "kept_previous": self.kept_previous, "generated": self.generated}


def build(sources, output, qa_output=None, **kwargs):
    """Build the base map; returns the summary dict. Raises BaseMapError/SourceError (nothing
    written) on bad input and Cancelled when the feedback is cancelled."""
    builder = BaseMapBuilder(sources, output, qa_output, **kwargs)
    return builder.run()


# ---- files --------------------------------------------------------------------------------
_SIDE_CARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qpj", ".qml", ".qix", ".sbn", ".sbx")


def _temp_path(path):
    """A hidden temp file beside ``path`` (same file system, so the final move is atomic)."""
    folder, name = os.path.split(os.path.abspath(path))
    base, ext = os.path.splitext(name)
    return os.path.join(folder, ".{}.tmp-{}{}".format(base, uuid.uuid4().hex[:8], ext or ".gpkg"))


def _dataset_files(path):
    base, ext = os.path.splitext(path)
    if ext.lower() == ".shp":
        return [base + e for e in _SIDE_CARS]
    return [path, path + "-wal", path + "-shm", path + "-journal"]


def _remove_dataset(path):
    for f in _dataset_files(path):
        if os.path.exists(f):
            try:
                os.remove(f)
            except OSError:
                pass


def _prepare_dataset(tmp, layer_name, final):
    """The files.Publication of ``tmp`` for ``final``: a GeoPackage that holds other layers gets
    this layer added in place, its other layers kept; anything else is replaced whole."""
    from .. import files

    try:
        return files.publication(tmp, final, layer_name)
    except files.OutputError as exc:
        raise BaseMapError(str(exc)) from exc


def _check_count(path, layer_name, expected, target, envelopes=None):
    """BaseMapError naming ``target`` when the written file does not hold every feature
    (GDAL may report a full disk only when the file is closed). A GeoPackage layer gets its
    spatial index here (written without: gpkg_rtree)."""
    from .. import files

    try:
        if path.lower().endswith(".gpkg"):
            gpkg_rtree.build(path, layer_name, envelopes)
            found = files.check_gpkg_layer(path, layer_name)
        else:
            from osgeo import ogr

            ds = ogr.Open(path)
            found = ds.GetLayer(0).GetFeatureCount(True) if ds is not None else -1
            ds = None
    except Exception as exc:  # an unreadable result is a failed write
        raise BaseMapError(str(files.write_failed(target, exc))) from exc
    if found != expected:
        raise BaseMapError(str(files.short_write(target, found, expected)))


def _create_writer(path, layer_name, fields, wkb_type, crs, context):
    from qgis.core import QgsVectorFileWriter

    options = QgsVectorFileWriter.SaveVectorOptions()
    ext = os.path.splitext(path)[1].lstrip(".") or "gpkg"
    options.driverName = QgsVectorFileWriter.driverForExtension(ext) or "GPKG"
    options.fileEncoding = "UTF-8"
    if options.driverName == "GPKG":
        options.layerName = layer_name
        options.layerOptions = list(gpkg_rtree.LAYER_OPTIONS)  # the index is bulk-loaded after closing
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    writer = QgsVectorFileWriter.create(path, fields, wkb_type, crs, context, options)
    if writer.hasError() != QgsVectorFileWriter.NoError:
        message = writer.errorMessage()
        del writer
        _remove_dataset(path)
        raise BaseMapError(tr("Cannot create {}: {}").format(path, message))
    return writer


def _save_style(path, layer_name, style, aliases):
    """Store the default style (renderer + Chinese aliases) in the GeoPackage, or as a .qml beside."""
    from qgis.core import QgsVectorLayer

    from .. import paths

    uri = "{}|layername={}".format(path, layer_name) if path.lower().endswith(".gpkg") else path
    layer = QgsVectorLayer(uri, layer_name, "ogr")
    if not layer.isValid():
        return
    qml = paths.resource(*style)
    if os.path.exists(qml):
        from .. import aliases as chinese_aliases

        chinese_aliases.load_style(layer, qml)
    for name, text in aliases.items():
        i = layer.fields().indexOf(name)
        if i >= 0:
            layer.setFieldAlias(i, text)
    from .. import aliases as chinese_aliases

    chinese_aliases.apply(layer)  # the source fields carried through, fid: Chinese too
    if path.lower().endswith(".gpkg"):
        layer.saveStyleToDatabase(layer_name, "LandEval", True, "")
    else:
        layer.saveNamedStyle(os.path.splitext(path)[0] + ".qml")
    del layer


def union_area(layers_or_geoms, meter):
    """Area (m²) of the union of geometries: used by tests and the benchmark to check results."""
    from qgis.core import QgsGeometry

    geoms = list(layers_or_geoms)
    if not geoms:
        return 0.0
    return meter.m2(QgsGeometry.unaryUnion(geoms))


__all__ = ["Source", "build", "BaseMapBuilder", "BaseMapError", "Cancelled", "SourceError"]
