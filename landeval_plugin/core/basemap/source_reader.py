"""Opening and checking base-map sources: roles, encodings, field mappings.

Chinese Shapefiles often come in GBK without a ``.cpg`` (or with a wrong one); OGR then
decodes them as UTF-8 and QGIS shows U+FFFD. The DBF bytes are read here and, when they
are not UTF-8, the layer is reopened with ``setProviderEncoding('GBK')`` (or GB18030),
which QGIS applies whatever the ``.cpg`` says.
"""
import json
import os
import struct

from ...i18n import tr
from .. import schema

# (key, Chinese label); the default order of roles when none are given
ROLES = (
    ("bdcdj", "不动产登记"),
    ("ydpw", "用地批文"),
    ("tdlyxz", "土地利用现状"),
    ("soe", "国企填报"),
    ("other", "其他"),
)
ROLE_LABELS = dict(ROLES)
DEFAULT_ROLE_ORDER = ("bdcdj", "ydpw", "tdlyxz")
# the standard fields a source provides (the rest are computed)
INPUT_FIELDS = ("parcel_code", "land_use_raw", "town", "owner", "address", "supply_date")
REQUIRED_FIELDS = ("parcel_code", "land_use_raw")


class SourceError(Exception):
    """Bad input: the message names the layer and the field, ready for the user."""


def role_key(text):
    """'不动产登记' / 'bdcdj' / 'BDCDJ' -> 'bdcdj'; unknown text -> 'other'."""
    value = (text or "").strip()
    for key, label in ROLES:
        if value.lower() == key or value == label:
            return key
    return "other"


def default_roles(count):
    return [DEFAULT_ROLE_ORDER[i] if i < len(DEFAULT_ROLE_ORDER) else "other" for i in range(count)]


def parse_roles(text, count):
    """ROLES parameter: comma/semicolon separated, in source order; missing entries default."""
    roles = default_roles(count)
    if text:
        parts = [p for p in text.replace("；", ";").replace("，", ",").replace(";", ",").split(",")]
        for i, part in enumerate(parts[:count]):
            if part.strip():
                roles[i] = role_key(part)
    return roles


def parse_mappings(text, layer_names):
    """MAPPINGS parameter -> [dict or None] per source.

    Accepts JSON: a list (one object per source, in order) or an object keyed by layer
    name or by position ("0", "1" ...). Each object maps standard names to columns, e.g.
    ``{"parcel_code": "BSM", "land_use_raw": "DLMC"}``; an empty string unmaps a field.
    """
    result = [None] * len(layer_names)
    if not text or not str(text).strip():
        return result
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise SourceError(tr("MAPPINGS is not valid JSON: {}").format(exc)) from exc
    if isinstance(data, list):
        for i, item in enumerate(data[: len(layer_names)]):
            result[i] = item or None
    elif isinstance(data, dict):
        if data and all(k in INPUT_FIELDS for k in data) and len(layer_names) == 1:
            return [data]
        for key, item in data.items():
            idx = None
            if str(key).isdigit() and int(key) < len(layer_names):
                idx = int(key)
            elif key in layer_names:
                idx = layer_names.index(key)
            if idx is None:
                raise SourceError(tr("MAPPINGS names a source that is not among the inputs: {}").format(key))
            result[idx] = item or None
    else:
        raise SourceError(tr("MAPPINGS must be a JSON list or object"))
    for item in result:
        if item is not None and not isinstance(item, dict):
            raise SourceError(tr("MAPPINGS: each source's mapping must be an object of standard name to column"))
    return result


def dbf_path(path):
    base, ext = os.path.splitext(path)
    if ext.lower() not in (".shp", ".dbf"):
        return None
    for cand in (base + ".dbf", base + ".DBF"):
        if os.path.exists(cand):
            return cand
    return None


def _dbf_header(fh):
    """(record count, header length, record length, [(name bytes, type, length)]) of an open
    DBF, or None when the file is too short to hold a header."""
    header = fh.read(32)
    if len(header) < 32:
        return None
    n_records, header_len, record_len = struct.unpack("<IHH", header[4:12])
    descriptors = fh.read(max(0, header_len - 32))
    fields = []
    for i in range(0, len(descriptors) - 31, 32):
        desc = descriptors[i:i + 32]
        if desc[0] == 0x0D:
            break
        fields.append((desc[:11].split(b"\x00", 1)[0], chr(desc[11]), desc[16]))
    return n_records, header_len, record_len, fields


def _dbf_text_chunks(path, max_records=2000):
    """Field-name bytes and character-field bytes of the first records of a DBF."""
    chunks = []
    with open(path, "rb") as fh:
        header = _dbf_header(fh)
        if header is None:
            return chunks
        n_records, header_len, record_len, descriptors = header
        fields = []
        offset = 1  # deletion flag
        for name, ftype, length in descriptors:
            chunks.append(name)
            if ftype in "CM":
                fields.append((offset, length))
            offset += length
        if not fields or record_len <= 0:
            return chunks
        fh.seek(header_len)
        data = fh.read(record_len * min(n_records, max_records))
    for r in range(0, len(data) - record_len + 1, record_len):
        record = data[r:r + record_len]
        for off, length in fields:
            value = record[off:off + length].rstrip(b" \x00")
            if value and max(value) > 0x7F:
                chunks.append(value)
    return chunks


def detect_dbf_encoding(path):
    """'UTF-8', 'GBK' or 'GB18030' for a Shapefile's attributes (names and values)."""
    dbf = dbf_path(path)
    if not dbf:
        return None
    chunks = _dbf_text_chunks(dbf)
    best, best_fail = "UTF-8", None
    for encoding in ("utf-8", "gbk", "gb18030"):
        fails = 0
        for chunk in chunks:
            try:
                chunk.decode(encoding)
            except UnicodeDecodeError:
                # a value cut at the field width may end in half a character: forgive the tail
                try:
                    chunk[:-1].decode(encoding)
                except UnicodeDecodeError:
                    fails += 1
        if fails == 0:
            return {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}[encoding]
        if best_fail is None or fails < best_fail:
            best, best_fail = {"utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}[encoding], fails
    return best


def layer_file_path(layer):
    """The file behind an OGR layer, or None."""
    if layer.providerType() != "ogr":
        return None
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    return parts.get("path") or None


def open_source(layer, name=None):
    """The layer to read, reopened with the right encoding for GBK Shapefiles.

    Returns (layer, encoding or None). The user's layer object is never modified.
    """
    from qgis.core import QgsVectorLayer

    path = layer_file_path(layer)
    if not path or not dbf_path(path):
        return layer, None
    encoding = detect_dbf_encoding(path)
    if encoding in (None, "UTF-8"):
        return layer, encoding
    reopened = QgsVectorLayer(layer.source(), name or layer.name(), "ogr")
    if not reopened.isValid():
        return layer, encoding
    reopened.setProviderEncoding(encoding)
    return reopened, encoding


def _dbf_field_names(path, encoding):
    """Field names from a DBF header, decoded with ``encoding``."""
    with open(path, "rb") as fh:
        header = _dbf_header(fh)
    if header is None:
        return []
    return [name.decode(encoding, errors="replace") for name, _, _ in header[3]]


def field_names(layer):
    """The layer's field names as the build reads them: a GBK Shapefile opened as UTF-8 (no or
    a wrong .cpg) shows mojibake names in QGIS; its names are decoded from the DBF here, without
    reopening the layer (which would clear GDAL's SHAPE_ENCODING in the GUI process)."""
    names = layer.fields().names()
    path = layer_file_path(layer)
    dbf = dbf_path(path) if path else None
    if dbf:
        encoding = detect_dbf_encoding(path)
        if encoding not in (None, "UTF-8") and layer.dataProvider().encoding().upper() not in (encoding, "CP936"):
            decoded = _dbf_field_names(dbf, encoding.lower())
            if len(decoded) == len(names):
                return decoded
    return names


def detect_mapping(layer, names=None):
    """{standard name: column} auto-detected from the layer's field names (group base)."""
    return schema.detect_mapping(layer.fields().names() if names is None else names, wanted=list(INPUT_FIELDS))


def resolve_mapping(layer, explicit=None, names=None):
    """Auto-detected mapping overridden by an explicit one ('' or None removes a field).
    ``names``: the field names to detect from (default the layer's)."""
    mapping = detect_mapping(layer, names)
    for key, column in (explicit or {}).items():
        if key not in INPUT_FIELDS:
            raise SourceError(tr("Layer {}: unknown standard field in the mapping: {}").format(layer.name(), key))
        if column in (None, ""):
            mapping.pop(key, None)
        else:
            mapping[key] = column
    return mapping


def check_source(layer, mapping, label):
    """Raise SourceError naming the layer (and field) when the source cannot be used."""
    from qgis.core import QgsWkbTypes

    if layer is None or not layer.isValid():
        raise SourceError(tr("Source {} cannot be read (file missing or not a vector layer).").format(label))
    if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
        raise SourceError(tr("Source {} has no polygons (geometry type: {}).").format(
            label, QgsWkbTypes.geometryDisplayString(layer.geometryType())))
    if not layer.crs().isValid():
        raise SourceError(
            tr("Source {} has no coordinate reference system; set one (e.g. EPSG:4549) before building.").format(label))
    if layer.featureCount() == 0:
        raise SourceError(tr("Source {} contains no polygons.").format(label))
    names = layer.fields().names()
    for std, column in mapping.items():
        if column not in names:
            raise SourceError(tr("Source {}: mapped field {} ({}) does not exist in the layer.").format(
                label, column, schema.alias(std)))
    pk = set(layer.dataProvider().pkAttributeIndexes()) if layer.dataProvider() is not None else set()
    # the example names a field the planner could mean: not the table key, not already mapped
    spare = [n for i, n in enumerate(names) if i not in pk and n.lower() != "fid" and n not in mapping.values()]
    for std in REQUIRED_FIELDS:
        if not mapping.get(std):
            raise SourceError(tr("Source {}: no field for {} ({}); recognised names: {}. "
                                 "Map one in MAPPINGS, e.g. {}.").format(
                label, schema.alias(std), std, ", ".join(schema.fields()[std].get("names", [])[:8]),
                json.dumps({std: spare[0] if spare else "..."}, ensure_ascii=False)))
