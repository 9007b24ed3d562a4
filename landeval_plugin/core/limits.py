"""Bounds on hostile inputs: workbook sizes, geometry sizes, finite numbers, valid JSON.

A workbook of a few kilobytes can declare a merged range over the whole sheet, a cell in
column 26^8 or a row number in the billions; a parcel can carry NaN coordinates or a million
vertices. Every reader checks its input against the limits below before the work grows with
what the file *declares* instead of what it *holds*, and stops with a message naming the
file, sheet, row, field or parcel. docs/reliability/inputs.md explains each number.
"""
import json
import math

from ..i18n import tr

# ---- workbooks ------------------------------------------------------------------------------
# Excel's own sheet size: a reference beyond it is not from Excel, WPS or openpyxl
MAX_ROWS = 1048576
MAX_COLUMNS = 16384
# merged ranges: bureaus merge a title across the table and a name over its year rows (a few
# thousand ranges in a large sheet); more than this is not a table a person made
MAX_MERGED_RANGES = 100000
# cells filled from merged ranges in the head (30 rows) and per data row are clipped to the
# columns the table uses; a range is only ever walked over the rows the sheet really has
# sharedStrings.xml is read whole (the sheets are streamed): 300,000 rows of distinct names
# are ~30 MB; beyond this the workbook is refused instead of filling the memory
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024

# ---- geometries -----------------------------------------------------------------------------
# a parcel is a few to a few thousand vertices; roads and rivers of a district a few tens of
# thousands. Clusters buffer and union members (GEOS work that grows faster than the vertex
# count): a member above these bounds is left out and named instead of exhausting memory.
MAX_PARCEL_VERTICES = 100000
MAX_PARCEL_PARTS = 1000
# |x|, |y| beyond this are not coordinates on Earth in any projected CRS (metres or feet) ...
MAX_PROJECTED_COORD = 1.0e9
# ... nor in a geographic one (degrees)
MAX_GEOGRAPHIC_COORD = 1000.0


def isfinite(value):
    """True for a finite int/float; False for NaN, ±inf and anything that is not a number."""
    try:
        return math.isfinite(value)
    except TypeError:
        return False


def finite_or_none(value):
    """The value when it is a finite number, else None (NaN and ±inf become missing)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def clean_json(obj):
    """A copy of ``obj`` with NaN and ±inf replaced by None (JSON null), recursively."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: clean_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean_json(v) for v in obj]
    return obj


def json_dumps(obj, **kwargs):
    """json.dumps that always writes valid JSON: no Infinity/NaN (they become null)."""
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(clean_json(obj), allow_nan=False, **kwargs)


def geometry_problem(geometry, geographic=False, max_vertices=None, max_parts=None):
    """None for a usable geometry, else the (translated) reason it must not reach GEOS.

    Checked without GEOS, in time proportional to the geometry: NaN or infinite coordinates
    (the 2D perimeter of any ring through such a vertex is not finite), coordinates far
    beyond the Earth, and, when given, more vertices or parts than the bounds.
    """
    if geometry is None or geometry.isNull():
        return None
    g = geometry.constGet()
    if g is None:
        return None
    if max_parts is not None and geometry.isMultipart():
        parts = g.numGeometries()
        if parts > max_parts:
            return tr("{:,} parts (limit {:,})").format(parts, max_parts)
    if max_vertices is not None:
        count = g.nCoordinates()
        if count > max_vertices:
            return tr("{:,} vertices (limit {:,})").format(count, max_vertices)
    try:
        perimeter = g.perimeter() + g.length()  # one is 0 (surfaces / curves); NaN and inf carry
    except Exception:  # any failure to measure is a broken geometry
        perimeter = float("nan")
    if not math.isfinite(perimeter):
        return tr("NaN or infinite coordinates")
    box = g.boundingBox()
    bound = MAX_GEOGRAPHIC_COORD if geographic else MAX_PROJECTED_COORD
    x0, x1, y0, y1 = box.xMinimum(), box.xMaximum(), box.yMinimum(), box.yMaximum()
    isfinite = math.isfinite  # called for every parcel of a district: no generators here
    if not (isfinite(x0) and isfinite(x1) and isfinite(y0) and isfinite(y1)):
        return tr("NaN or infinite coordinates")
    if geometry.isEmpty():
        return None
    if max(abs(x0), abs(x1), abs(y0), abs(y1)) > bound:
        return tr("coordinates out of range (beyond ±{:g} map units)").format(bound)
    return None
