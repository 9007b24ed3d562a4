"""The store's schema as data (resources/store/schema.yaml) and what a version holds.

Nothing here talks to a database: the backends (gpkg.py, postgres.py) turn these
descriptions into their own DDL, so both always hold the same tables and columns.
"""
import functools

from .. import paths

KEY, INTEGER, REAL, TEXT, JSON, GEOMETRY = "key", "integer", "real", "text", "json", "geometry"
# columns every layer table manages itself: never taken from a written layer's fields
RESERVED = ("fid", "year", "run_id", "row_version", "geom")


class Column:
    def __init__(self, name, spec):
        self.name = name
        self.type = spec.get("type", TEXT)
        self.primary = bool(spec.get("primary")) or self.type == KEY
        self.required = bool(spec.get("required"))
        self.default = spec.get("default")
        self.since = int(spec.get("since", 1))
        self.status = bool(spec.get("status"))

    def __repr__(self):
        return "Column({!r}, {!r})".format(self.name, self.type)


class Table:
    def __init__(self, name, spec):
        self.name = name
        self.comment = spec.get("comment", "")
        self.layer = bool(spec.get("layer"))
        self.style = spec.get("style")
        self.since = int(spec.get("since", 1))
        self.all_columns = [Column(n, c or {}) for n, c in (spec.get("columns") or {}).items()]

    def columns(self, version=None):
        return [c for c in self.all_columns if version is None or c.since <= version]

    def column(self, name):
        for c in self.all_columns:
            if c.name == name:
                return c
        return None

    @property
    def key(self):
        return next(c.name for c in self.all_columns if c.primary)

    @property
    def geometry(self):
        return next((c.name for c in self.all_columns if c.type == GEOMETRY), None)

    @property
    def has_row_version(self):
        return self.column("row_version") is not None


class Schema:
    def __init__(self, data):
        self.version = int(data["version"])
        self.tool = data.get("tool", "landeval")
        self.statuses = list(data.get("statuses") or [])
        self.all_tables = [Table(n, t or {}) for n, t in data["tables"].items()]

    def tables(self, version=None):
        return [t for t in self.all_tables if version is None or t.since <= version]

    def table(self, name):
        for t in self.all_tables:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def layer_kinds(self):
        return [t.name for t in self.all_tables if t.layer]

    def added_in(self, version):
        """(new tables, [(table, column)] added to older tables) of one version step."""
        tables = [t for t in self.all_tables if t.since == version]
        columns = [(t, c) for t in self.all_tables if t.since < version for c in t.all_columns if c.since == version]
        return tables, columns


@functools.lru_cache(maxsize=1)
def load():
    import yaml

    with open(paths.resource("store", "schema.yaml"), encoding="utf-8") as fh:
        return Schema(yaml.safe_load(fh))


def field_type(field):
    """The store type of a QgsField: integer, real or text."""
    from qgis.PyQt.QtCore import QVariant

    t = field.type()
    if t in (QVariant.Type.Int, QVariant.Type.LongLong, QVariant.Type.UInt, QVariant.Type.ULongLong,
             QVariant.Type.Bool):
        return INTEGER
    if t == QVariant.Type.Double:
        return REAL
    return TEXT
