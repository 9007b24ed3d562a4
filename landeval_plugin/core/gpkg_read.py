"""Reading a GeoPackage layer that QGIS holds open beside other layers of the same file.

QGIS (3.22 and later, with GDAL 3.4.2 or later) opens a GeoPackage for reading with GDAL's
NOLOCK open option while the file is in SQLite's rollback-journal mode, and switches the file to
WAL mode when a layer of it enters edit mode (a 研判 meeting, Toggle Editing). SQLite cannot read
a WAL file through a connection opened without locking: every later read through a handle opened
before the switch fails with "unable to open database file". QGIS keeps such handles (one per file,
shared by the layers of its tables) and hands them to a layer opened afterwards whenever the
file's time stamp has not moved past the time it noted at its last open, a comparison decided
within milliseconds: the new layer then counts -1 rows, has an empty extent, or reads nothing,
and QGIS only logs it.

- ``fresh_copy`` opens a layer of the same source through a dataset of its own (an open option,
  GDAL's default ``LIST_ALL_TABLES=AUTO``, makes QGIS's cache key differ), so GDAL looks at the
  file's journal mode now; LandEval's private read-only copies of a layer use it.
- ``empty_read_reason`` tells an empty read from a failed one: SQLite counts the layer's rows
  in the file itself (read-only, with locking, whatever the journal mode).
"""
import os
import sqlite3
from urllib.parse import quote

from ..i18n import tr

OWN_DATASET = "LIST_ALL_TABLES=AUTO"  # GDAL's default for GeoPackage: only QGIS's cache key changes


def table_of(layer):
    """(file path, table name) of an OGR GeoPackage layer, else None."""
    if layer is None or layer.providerType() != "ogr":
        return None
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path, table = parts.get("path") or "", parts.get("layerName") or ""
    if not path.lower().endswith(".gpkg") or not table or not os.path.isfile(path):
        return None
    return path, table


def fresh_copy(layer, name=None, options=None):
    """A new layer of ``layer``'s source (its filter too), read through a GDAL dataset of its own when
    it is a GeoPackage table; other providers get a plain new layer of the same source."""
    from qgis.core import QgsProviderRegistry, QgsVectorLayer

    source = layer.source()
    if table_of(layer) is not None:
        registry = QgsProviderRegistry.instance()
        parts = registry.decodeUri("ogr", source)
        opened = list(parts.get("openOptions") or [])
        if OWN_DATASET not in opened:
            parts["openOptions"] = opened + [OWN_DATASET]
            source = registry.encodeUri("ogr", parts)
    args = (source, name if name is not None else layer.name(), layer.providerType())
    return QgsVectorLayer(*args, options) if options is not None else QgsVectorLayer(*args)


def rows_in_file(layer):
    """The rows of ``layer``'s GeoPackage table its filter keeps, counted by SQLite in the file;
    None when ``layer`` is not a GeoPackage table or SQLite cannot count them."""
    where = table_of(layer)
    if where is None:
        return None
    path, table = where
    sql = 'SELECT COUNT(*) FROM "{}"'.format(table.replace('"', '""'))
    subset = (layer.subsetString() or "").strip()
    if subset:
        if subset.lower().startswith("select"):
            return None
        sql += " WHERE " + subset
    try:
        con = sqlite3.connect("file:{}?mode=ro".format(quote(os.path.abspath(path))), uri=True, timeout=10)
        try:
            return int(con.execute(sql).fetchone()[0])
        finally:
            con.close()
    except (sqlite3.Error, TypeError, ValueError):
        return None


def empty_read_reason(layer, got=0):
    """'' unless reading ``layer`` gave ``got`` rows (none, a count of -1) while its GeoPackage
    holds rows for it: then why, for the planner (the file and layer named)."""
    if got is not None and got > 0:
        return ""
    held = rows_in_file(layer)
    if not held:
        return ""
    path, table = table_of(layer)
    return tr("QGIS could not read layer “{}” (table {} of {}): it returned no rows, the file holds {}. "
              "Another layer of this GeoPackage entered edit mode since QGIS opened it (SQLite: unable to "
              "open database file). Remove the layer from the project and add it again, or restart QGIS; "
              "nothing was changed.").format(layer.name(), table, path, held)
