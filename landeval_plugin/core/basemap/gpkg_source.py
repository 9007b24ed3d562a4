"""A base-map source in a GeoPackage read by SQLite, feature for feature as QGIS's provider gives it.

QGIS's OGR provider turns every row into an OGR feature, then a QgsFeature whose attributes
are converted one by one (about 7 µs a parcel, 1.1 of the base map's CPU seconds at
3 × 50,000 parcels). Here the rows are fetched with one query and each geometry is made from
its blob's WKB with ``QgsGeometry.fromWkb``, which is what the provider does after OGR has
parsed the blob and exported the same WKB again: the same coordinates, the same parts.

``features(layer, target_crs)`` gives ``(fid, attributes, geometry)`` in the provider's order
(the table's rowid order) and with its values (the attributes as a tuple, not a list): the fid
first (GeoPackage layers show it as a field), texts, integers and reals as Python values,
``None`` for NULL (every reader of the base map treats QGIS's NULL and ``None`` alike), dates as
``QDate``. Anything it cannot give exactly as the provider raises ``Declined`` with the reason
before the first feature, and the caller reads through QGIS instead: another provider or format,
a filter (subset string), a source in another CRS, a field type other than text, integer, real
and date, a value of another type than its column's (a blob in a text column, a real in an
integer column), a text holding NUL (OGR ends it there), an integer beyond a 32-bit field, a
date not written ``YYYY-MM-DD``, a geometry blob that is not a standard little-endian 2D
(multi)polygon of the layer's own type (Z/M, curves, empty flag, extended types, big-endian
WKB).
``test/test_basemap_fast_read.py`` compares both ways value for value and file for file.
"""
import re
import sqlite3
import struct

_U32 = struct.Struct("<I").unpack_from
_ENVELOPE_BYTES = (0, 32, 48, 48, 64)  # GeoPackage blob header: envelope size by its indicator
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_WKB_TYPES = {"POLYGON": 3, "MULTIPOLYGON": 6}


class Declined(Exception):
    """The source cannot be read exactly as the provider reads it; the message says why."""


def _q(name):
    return '"{}"'.format(name.replace('"', '""'))


def _where(layer):
    """(GeoPackage path, table) of an OGR layer over one GeoPackage table, or Declined."""
    from qgis.core import QgsProviderRegistry

    if layer.providerType() != "ogr":
        raise Declined("provider {}".format(layer.providerType()))
    if layer.subsetString():
        raise Declined("a filter on the layer")
    provider = layer.dataProvider()
    if provider is None or provider.storageType() != "GPKG":
        raise Declined("not a GeoPackage")
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, table = parts.get("path"), parts.get("layerName")
    if not path or not table or parts.get("layerId") not in (None, "") or parts.get("geometryType"):
        raise Declined("no single layer name in the source")
    return path, table


def _columns(con, table, fields, wkb_type):
    """(fid column, geometry column, field kinds) or Declined: the table must hold the fid, the
    geometry and the layer's fields in the provider's order."""
    from qgis.PyQt.QtCore import QVariant

    row = con.execute("SELECT column_name, geometry_type_name, z, m FROM gpkg_geometry_columns WHERE "
                      "table_name = ?", (table,)).fetchone()
    if row is None:
        raise Declined("no geometry column")
    geom_col, type_name, z, m = row
    if z or m or _WKB_TYPES.get(str(type_name).upper()) != wkb_type:
        raise Declined("geometry type {}".format(type_name))
    info = list(con.execute("PRAGMA table_info({})".format(_q(table))))
    pks = [r for r in info if r[5]]
    if len(pks) != 1 or str(pks[0][2]).upper() != "INTEGER":
        raise Declined("no INTEGER PRIMARY KEY")
    fid_col = pks[0][1]
    names = [fid_col] + [r[1] for r in info if r[1] not in (fid_col, geom_col)]
    if fields.names() != names:
        raise Declined("fields {} are not the table's columns {}".format(fields.names(), names))
    kinds = {QVariant.Type.String: "text", QVariant.Type.Int: "int32", QVariant.Type.LongLong: "int64",
             QVariant.Type.Double: "real", QVariant.Type.Date: "date"}
    out = []
    for i, field in enumerate(fields):
        kind = kinds.get(field.type())
        if i == 0 and kind != "int64":
            raise Declined("fid field of type {}".format(field.typeName()))
        if kind is None:
            raise Declined("field {} of type {}".format(field.name(), field.typeName()))
        out.append(kind)
    return fid_col, geom_col, out


def _check_column(name, kind, column):
    """Declined unless every value of ``column`` is what the provider would give as it is."""
    allowed = {"text": {str}, "int32": {int}, "int64": {int}, "real": {float}, "date": {str}}[kind]
    types = set(map(type, column))
    if type(None) in types:
        types.discard(type(None))
        values = [v for v in column if v is not None]
    else:  # no NULL: the column itself (no copy)
        values = column
    if not values:
        return
    if not types <= allowed:
        raise Declined("field {} holds {}".format(name, ", ".join(sorted(t.__name__ for t in types))))
    if kind in ("text", "date") and "\x00" in "".join(values):
        raise Declined("a text holding NUL in field {}".format(name))
    if kind == "int32" and (max(values) > 2 ** 31 - 1 or min(values) < -2 ** 31):
        raise Declined("an integer beyond 32 bits in field {}".format(name))


def _dates(name, column):
    """The column with its texts as QDate (as OGR parses ``YYYY-MM-DD``), or Declined."""
    from qgis.PyQt.QtCore import QDate

    seen = {}
    out = []
    for v in column:
        if v is None:
            out.append(None)
            continue
        d = seen.get(v)
        if d is None:
            if not _DATE.match(v):
                raise Declined("date {!r} in field {}".format(v, name))
            d = QDate(int(v[:4]), int(v[5:7]), int(v[8:10]))
            if not d.isValid():
                raise Declined("date {!r} in field {}".format(v, name))
            seen[v] = d
        out.append(d)
    return out


def _offsets(blobs, wkb_type):
    """Per blob, where its WKB starts (None for a NULL geometry), or Declined."""
    head = struct.Struct("<2sBB").unpack_from
    want = struct.pack("<BI", 1, wkb_type)
    uniform = _uniform_offset(blobs, head, want)
    if uniform is not None:
        return [uniform] * len(blobs)
    out = []
    for blob in blobs:
        if blob is None:
            out.append(None)
            continue
        if blob.__class__ is not bytes or len(blob) < 13:
            raise Declined("a geometry that is not a GeoPackage blob")
        magic, version, flags = head(blob)
        indicator = (flags >> 1) & 0x07
        if magic != b"GP" or version != 0 or flags & 0x30 or indicator > 4:
            raise Declined("a geometry blob OGR reads otherwise (flags {:#04x})".format(flags))
        off = 8 + _ENVELOPE_BYTES[indicator]
        if blob[off:off + 5] != want:
            raise Declined("a geometry other than a little-endian 2D {}".format("polygon" if wkb_type == 3 else
                                                                                 "multipolygon"))
        out.append(off)
    return out


def _uniform_offset(blobs, head, want):
    """The offset every blob's WKB starts at when all are blobs of the same header that ``_offsets``
    accepts (GDAL writes one header for every non-empty geometry of a layer): the same checks, made
    once per distinct header; None otherwise (``_offsets`` then walks the blobs one by one)."""
    from operator import itemgetter

    if not blobs or set(map(type, blobs)) != {bytes} or min(map(len, blobs)) < 13:
        return None
    heads = set(map(itemgetter(slice(0, 4)), blobs))
    if len(heads) != 1:
        return None
    magic, version, flags = head(heads.pop())
    indicator = (flags >> 1) & 0x07
    if magic != b"GP" or version != 0 or flags & 0x30 or indicator > 4:
        return None
    off = 8 + _ENVELOPE_BYTES[indicator]
    if set(map(itemgetter(slice(off, off + 5)), blobs)) != {want}:
        return None
    return off


def features(layer, target_crs):
    """``(fid, attributes, QgsGeometry)`` of every feature, as ``layer.getFeatures()`` gives them
    in ``target_crs``; raises Declined (before the first feature) when that cannot be exact."""
    from qgis.core import QgsGeometry, QgsWkbTypes

    if target_crs is not None and layer.crs() != target_crs:
        raise Declined("another CRS than the target's")
    path, table = _where(layer)
    wkb_type = {QgsWkbTypes.Polygon: 3, QgsWkbTypes.MultiPolygon: 6}.get(layer.wkbType())
    if wkb_type is None:
        raise Declined("layer type {}".format(QgsWkbTypes.displayString(layer.wkbType())))
    fields = layer.fields()
    try:
        con = sqlite3.connect(path)
        try:
            fid_col, geom_col, kinds = _columns(con, table, fields, wkb_type)
            cols = [c for c in fields.names()[1:]]
            rows = con.execute("SELECT {}, {}{} FROM {} ORDER BY rowid".format(
                _q(fid_col), _q(geom_col), "".join(", " + _q(c) for c in cols), _q(table))).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:  # locked, not UTF-8, not a GeoPackage after all
        raise Declined("SQLite: {}".format(exc)) from exc
    if len(rows) != layer.featureCount():
        raise Declined("{} rows, the layer counts {}".format(len(rows), layer.featureCount()))
    columns = list(zip(*rows)) if rows else [() for _ in range(len(cols) + 2)]  # tuples: read, never changed
    del rows
    fids, blobs = columns[0], columns[1]
    if len(set(fids)) != len(fids) or any(f.__class__ is not int for f in fids):
        raise Declined("fids not unique integers")
    values = columns[2:]
    for i, (name, kind) in enumerate(zip(cols, kinds[1:])):
        _check_column(name, kind, values[i])
        if kind == "date":
            values[i] = _dates(name, values[i])
    offsets = _offsets(blobs, wkb_type)
    del columns

    def generate():  # attributes as a tuple: the fid, then the fields' values (read, never changed)
        for blob, off, attrs in zip(blobs, offsets, zip(fids, *values)):
            geom = QgsGeometry()
            if off is not None:
                geom.fromWkb(blob[off:])
            yield attrs[0], attrs, geom

    return generate()
