"""The base map's parcels written into a GeoPackage layer by SQLite, row by row as GDAL would.

QgsVectorFileWriter turns every parcel into a QgsFeature, then an OGR feature, then a GeoPackage
row (about 20 µs a parcel, a fifth of the base map's time at 3 × 50,000 parcels). Here GDAL
creates the empty layer (the same table, columns, triggers and metadata rows as before) and the
rows are inserted with one ``executemany``: the same fids (1, 2, … in output order), the same
values (dates as GDAL writes them, ``YYYY-MM-DD``) and the same geometry blobs (GeoPackage
header, 2D envelope of every vertex, little-endian ISO WKB of the MultiPolygon). The layer's
extent is set in ``gpkg_contents`` as GDAL sets it when the file closes.

Anything this does not write exactly as GDAL would raises ``Unsupported`` with the reason
(field types other than text, integer, real and date, a text longer than its field's width or
holding NUL, NaN, an invalid date, a geometry that is not a 2D (multi)polygon, a big-endian
machine); nothing is kept and the caller writes through QgsVectorFileWriter instead.
``test/test_basemap_fast_write.py`` compares the files of both ways.
"""
import sqlite3
import struct
import sys

_MULTI_HEAD = b"\x01\x06\x00\x00\x00\x01\x00\x00\x00"  # little-endian MultiPolygon of one part
_U32 = struct.Struct("<I").unpack_from


class Unsupported(Exception):
    """The rows cannot be written exactly as GDAL would; the message says why."""


def _q(name):
    return '"{}"'.format(name.replace('"', '""'))


def multipolygon_wkb(geometry):
    """Little-endian ISO WKB of the geometry as a MultiPolygon (what GDAL stores after
    ``convertToMultiType``), or raises Unsupported."""
    wkb = bytes(geometry.asWkb())
    if len(wkb) < 9 or wkb[0] != 1:
        raise Unsupported("geometry WKB not little-endian")
    kind = _U32(wkb, 1)[0]
    if kind == 3:
        return _MULTI_HEAD + wkb
    if kind == 6:
        return wkb
    raise Unsupported("geometry type {} is not a 2D polygon".format(kind))


def envelope(wkb):
    """(min x, max x, min y, max y) over every vertex of a little-endian 2D MultiPolygon WKB
    (OGR's getEnvelope: outer and inner rings), or raises Unsupported."""
    parts = _U32(wkb, 5)[0]
    if parts == 0:
        raise Unsupported("empty geometry")
    off = 9
    x0 = y0 = float("inf")
    x1 = y1 = float("-inf")
    size = len(wkb)
    for _ in range(parts):
        if off + 9 > size or wkb[off] != 1 or _U32(wkb, off + 1)[0] != 3:
            raise Unsupported("malformed MultiPolygon WKB")
        rings = _U32(wkb, off + 5)[0]
        off += 9
        for _ in range(rings):
            n = _U32(wkb, off)[0]
            off += 4
            end = off + 16 * n
            if end > size:
                raise Unsupported("malformed MultiPolygon WKB")
            xy = struct.unpack_from("<{}d".format(2 * n), wkb, off)
            off = end
            if n:
                xs, ys = xy[0::2], xy[1::2]
                a, b, c, d = min(xs), max(xs), min(ys), max(ys)
                if a < x0:
                    x0 = a
                if b > x1:
                    x1 = b
                if c < y0:
                    y0 = c
                if d > y1:
                    y1 = d
    if off != size or not (x0 <= x1 and y0 <= y1):  # NaN or nothing: GDAL's own way decides
        raise Unsupported("malformed MultiPolygon WKB or no finite coordinates")
    return x0, x1, y0, y1


def envelope_of(wkb, box=None):
    """``envelope(wkb)``; for a polygon of one ring (no holes: the outer ring holds every vertex)
    from ``box`` (x min, y min, x max, y max: QGIS's bounding box of the same geometry, the
    minimum and maximum of its coordinates) without walking the coordinates again."""
    # little-endian MultiPolygon: 1 part (at 5), little-endian Polygon (9, 10), 1 ring (14), n points (18)
    if box is not None and len(wkb) > 22 and _U32(wkb, 5)[0] == 1 and wkb[9] == 1 and _U32(wkb, 10)[0] == 3 and \
            _U32(wkb, 14)[0] == 1 and len(wkb) == 22 + 16 * _U32(wkb, 18)[0]:
        x0, y0, x1, y1 = box
        if x0 <= x1 and y0 <= y1:
            return x0, x1, y0, y1
    return envelope(wkb)


def plan(fields):
    """Per output field, the kind of value it stores ('text' with its width, 'int', 'real',
    'date'); raises Unsupported for any other type."""
    from qgis.PyQt.QtCore import QVariant

    if sys.byteorder != "little":
        raise Unsupported("big-endian machine")
    kinds = []
    for field in fields:
        t = field.type()
        if t == QVariant.Type.String:
            kinds.append(("text", field.length() if field.length() > 0 else 0))
        elif t in (QVariant.Type.Int, QVariant.Type.LongLong):
            kinds.append(("int", 0))
        elif t == QVariant.Type.Double:
            kinds.append(("real", 0))
        elif t == QVariant.Type.Date:
            kinds.append(("date", 0))
        else:
            raise Unsupported("field {} of type {}".format(field.name(), field.typeName()))
    return kinds


def prepare_columns(kinds, rows):
    """Make the rows' values (lists in field order: Python values, QDate, None) what SQLite is
    given, column by column: dates as GDAL writes them (``YYYY-MM-DD``); raises Unsupported when
    a value would be stored otherwise than by GDAL (a text with NUL or longer than its field, a
    value of another type than its field's, NaN, an invalid date)."""
    import math
    from operator import itemgetter

    from qgis.PyQt.QtCore import QDate

    allowed = {"text": {str}, "int": {int}, "real": {float}, "date": {QDate}}
    for i, (kind, width) in enumerate(kinds):
        column = list(map(itemgetter(i), rows))
        types = set(map(type, column))
        if type(None) in types:  # the values without NULL (a copy only then)
            types.discard(type(None))
            column = [v for v in column if v is not None]
        if not column:
            continue
        if not types <= allowed[kind]:
            raise Unsupported("a {} field holding {}".format(kind, ", ".join(sorted(t.__name__ for t in types))))
        if kind == "text":
            if "\x00" in "".join(column):
                raise Unsupported("a text holding NUL")
            if width and max(map(len, column)) > width:
                raise Unsupported("a text longer than its field ({} characters)".format(width))
        elif kind == "real":
            if any(map(math.isnan, column)):
                raise Unsupported("NaN in a real field")
        elif kind == "int":
            if max(column) >= 2 ** 63 or min(column) < -(2 ** 63):
                raise Unsupported("an integer beyond 64 bits")
        elif kind == "date":
            texts = {}  # QDate -> its text (a district has a few thousand distinct dates)
            try:
                hash(QDate(2000, 1, 1))
            except TypeError:  # a Qt binding without hashable dates: each one converted
                texts = None
            for row in rows:
                v = row[i]
                if v is not None:
                    text = texts.get(v) if texts is not None else None
                    if text is None:
                        year = v.year()
                        if not v.isValid() or not 0 <= year <= 9999:
                            raise Unsupported("date {!r}".format(v))
                        text = "{:04d}-{:02d}-{:02d}".format(year, v.month(), v.day())
                        if texts is not None:
                            texts[v] = text
                    row[i] = text


def layer_info(path, table, names):
    """(fid column, geometry column, srs_id) of the empty layer GDAL created; Unsupported when its
    columns are not the fid, the geometry and ``names`` in this order."""
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT column_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = ?",
                          (table,)).fetchone()
        if row is None or row[2] or row[3]:
            raise Unsupported("no 2D geometry column")
        geom_col, srs_id = row[0], row[1]
        columns = [(r[1], r[5]) for r in con.execute("PRAGMA table_info({})".format(_q(table)))]
        count = con.execute("SELECT count(*) FROM {}".format(_q(table))).fetchone()[0]
    finally:
        con.close()
    if count:
        raise Unsupported("layer not empty")
    if len(columns) != len(names) + 2 or columns[0][1] != 1 or columns[1][0] != geom_col or \
            [c for c, _ in columns[2:]] != list(names):
        raise Unsupported("columns {} differ from the fields".format([c for c, _ in columns]))
    return columns[0][0], geom_col, srs_id


def write(path, table, names, rows, srs_id, fid_col, geom_col):
    """Insert ``rows`` ((values from ``prepare_columns``, MultiPolygon WKB, envelope) in output order)
    with fids 1, 2, …, set the layer's extent and feature count as GDAL does when it closes the
    file; returns the count. Raises Unsupported (nothing kept) when SQLite cannot bind a value."""
    head = struct.Struct("<2sBBi4d").pack
    extent = [float("inf"), float("-inf"), float("inf"), float("-inf")]

    def records():
        fid = 0
        for values, wkb, (x0, x1, y0, y1) in rows:
            fid += 1
            if x0 < extent[0]:
                extent[0] = x0
            if x1 > extent[1]:
                extent[1] = x1
            if y0 < extent[2]:
                extent[2] = y0
            if y1 > extent[3]:
                extent[3] = y1
            yield (fid, head(b"GP", 0, 3, srs_id, x0, x1, y0, y1) + wkb, *values)

    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        _q(table), ", ".join(_q(c) for c in [fid_col, geom_col] + list(names)), ", ".join("?" * (len(names) + 2)))
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = OFF")  # as GDAL writes; the file is closed and checked after
        con.execute("BEGIN")
        # GDAL's feature-count trigger, one UPDATE per row: dropped while inserting (as GDAL does)
        # and made again from its own text
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND "
                               "name = ?", (table, "trigger_insert_feature_count_" + table)).fetchall()
        for name, _ in triggers:
            con.execute("DROP TRIGGER {}".format(_q(name)))
        try:
            cur = con.executemany(sql, records())
        except (UnicodeEncodeError, sqlite3.InterfaceError) as exc:  # a lone surrogate, a value SQLite cannot bind
            raise Unsupported("a value SQLite cannot store as GDAL would: {}".format(exc)) from exc
        count = cur.rowcount
        for _, trigger_sql in triggers:
            con.execute(trigger_sql)
        if count > 0:
            con.execute("UPDATE gpkg_contents SET min_x = ?, max_x = ?, min_y = ?, max_y = ? WHERE table_name = ?",
                        (extent[0], extent[1], extent[2], extent[3], table))
        con.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                    (count, table))
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return count
