"""GeoPackage backend of the store: one file, no server (the default).

Written through Python's sqlite3 in explicit transactions (BEGIN IMMEDIATE ... COMMIT), so a
failed or killed run leaves the file as it was (SQLite's journal rolls it back). A new store is
made in WAL mode (see create_gpkg). The tables
are listed in gpkg_contents / gpkg_geometry_columns, so QGIS opens them as ordinary layers.
"""
import os
import sqlite3
import struct

from ...i18n import tr
from .. import files
from . import schema as store_schema
from .base import Store, StoreError

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"


class GpkgStore(Store):
    backend = "gpkg"
    ph = "?"

    def __init__(self, path):
        super().__init__(path)
        self.path = os.path.abspath(path)
        self.conn = None
        self.srs_id = None

    def connect(self, must_exist=True):
        if must_exist and not os.path.isfile(self.path):
            raise StoreError(tr("Store file {} does not exist.").format(self.path))
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(tr("{} is not a GeoPackage ({}); nothing was changed.").format(self.path, exc)) from exc
        return self

    def describe(self):
        return tr("GeoPackage store {}").format(self.path)

    def short_name(self):
        return os.path.basename(self.path)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def q(self, name):
        return '"' + str(name).replace('"', '""') + '"'

    def _begin(self):
        self.conn.execute("BEGIN IMMEDIATE")

    def _commit(self):
        self.conn.execute("COMMIT")

    def _rollback(self):
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            pass  # SQLite already rolled back (e.g. after a disk error)

    def execute(self, sql, params=()):
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(tr("{} is locked by another program; nothing was changed.").format(self.path)) from exc
            raise

    def executemany(self, sql, rows):
        self.conn.executemany(sql, rows)

    def _insert(self, sql, params, key):
        cur = self.execute(sql, params)
        return cur.lastrowid if key else None

    def table_exists(self, name):
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def existing_columns(self, table):
        return [r[1] for r in self.conn.execute("PRAGMA table_info({})".format(self.q(table))).fetchall()]

    def existing_column_type(self, table, name):
        for r in self.conn.execute("PRAGMA table_info({})".format(self.q(table))).fetchall():
            if r[1] == name:
                t = (r[2] or "").upper()
                return store_schema.INTEGER if "INT" in t else store_schema.REAL if "REAL" in t else store_schema.TEXT
        return store_schema.TEXT

    def type_sql(self, col_type):
        return {store_schema.INTEGER: "INTEGER", store_schema.REAL: "REAL"}.get(col_type, "TEXT")

    def column_sql(self, c):
        if c.type == store_schema.KEY:
            return "{} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".format(self.q(c.name))
        out = "{} {}".format(self.q(c.name), self.type_sql(c.type))
        if c.primary:
            out += " PRIMARY KEY"
        if c.required:
            out += " NOT NULL"
        if c.default is not None:
            out += " DEFAULT " + (str(int(c.default)) if isinstance(c.default, int) else
                                  "'" + str(c.default).replace("'", "''") + "'")
        if c.status:
            statuses = store_schema.load().statuses
            out += " CHECK ({} IN ({}))".format(self.q(c.name), ", ".join("'" + s.replace("'", "''") + "'"
                                                                         for s in statuses))
        return out

    # ---- GeoPackage bookkeeping --------------------------------------------------------------------
    def init_file(self, crs_authid):
        """A new, empty GeoPackage (GDAL writes the required tables), with the store's CRS."""
        from osgeo import ogr

        if os.path.exists(self.path):
            raise StoreError(tr("{} already exists: choose a new file for the store.").format(self.path))
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(self.path)
        if ds is None:
            raise StoreError(tr("Cannot create {}.").format(self.path))
        ds = None
        self.connect()
        self.srs_id = self._ensure_srs(crs_authid)

    def _ensure_srs(self, crs_authid):
        from qgis.core import QgsCoordinateReferenceSystem

        crs = QgsCoordinateReferenceSystem(crs_authid)
        if not crs.isValid():
            raise StoreError(tr("Unknown coordinate reference system {}.").format(crs_authid))
        org, _, code = crs.authid().partition(":")
        srs_id = int(code) if org.upper() == "EPSG" and code.isdigit() else 100000
        if self.conn.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (srs_id,)).fetchone() is None:
            self.conn.execute("INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, "
                              "organization_coordsys_id, definition) VALUES (?, ?, ?, ?, ?)",
                              (crs.description() or crs.authid(), srs_id, org or "NONE", srs_id,
                               crs.toWkt()))
        return srs_id

    def srs(self):
        if self.srs_id is None:
            from qgis.core import QgsCoordinateReferenceSystem

            org, _, code = (self.crs_authid or "").partition(":")
            self.srs_id = int(code) if org.upper() == "EPSG" and code.isdigit() else 100000
            if not QgsCoordinateReferenceSystem(self.crs_authid).isValid():
                raise StoreError(tr("Unknown coordinate reference system {}.").format(self.crs_authid))
        return self.srs_id

    def add_geometry(self, table):
        self.execute("ALTER TABLE {} ADD COLUMN {} MULTIPOLYGON".format(self.t(table.name), self.q(table.geometry)))
        self.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                     "VALUES (?, ?, 'MULTIPOLYGON', ?, 0, 0)", (table.name, table.geometry, self.srs()))

    def register_table(self, table):
        kind = "features" if table.geometry else "attributes"
        self.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
                     "VALUES (?, ?, ?, ?, ?)", (table.name, kind, table.name, table.comment,
                                                self.srs() if table.geometry else None))

    def after_create(self, version):
        self.install_triggers()

    def after_upgrade(self, from_version, to_version):
        self.install_triggers()

    def install_triggers(self):
        """A direct edit (QGIS attribute table) that leaves row_version alone still bumps it, so a
        LandEval save based on the older version gets the conflict."""
        for table in self.schema.tables():
            if not table.has_row_version or not self.table_exists(table.name):
                continue
            name = self.q("landeval_row_version_" + table.name)
            self.execute("DROP TRIGGER IF EXISTS {}".format(name))
            self.execute("CREATE TRIGGER {n} AFTER UPDATE ON {t} FOR EACH ROW WHEN NEW.row_version = OLD.row_version "
                         "BEGIN UPDATE {t} SET row_version = OLD.row_version + 1 WHERE fid = NEW.fid; END".format(
                             n=name, t=self.t(table.name)))

    def geom_value(self, wkb):
        """GeoPackage geometry blob: header (magic, version, flags, srs id, XY envelope) + WKB."""
        if wkb is None:
            return None
        from qgis.core import QgsGeometry

        g = QgsGeometry()
        g.fromWkb(bytes(wkb))
        if g.isEmpty():
            return sqlite3.Binary(b"GP\x00\x11" + struct.pack("<i", self.srs()) + bytes(wkb))
        box = g.boundingBox()
        header = b"GP\x00\x03" + struct.pack("<i4d", self.srs(), box.xMinimum(), box.xMaximum(), box.yMinimum(),
                                               box.yMaximum())
        return sqlite3.Binary(header + bytes(wkb))

    def geom_wkb(self, value):
        if value is None:
            return None
        blob = bytes(value)
        if blob[:2] != b"GP":
            return blob
        flags = blob[3]
        env = (flags >> 1) & 0x07
        size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(env, 0)
        return blob[8 + size:]

    def layer_source(self, kind, year=None):
        uri = "{}|layername={}".format(self.path, kind)
        if year is not None and self.schema.table(kind).column("year") is not None:
            uri += "|subset=\"year\" = {}".format(int(year))
        return uri, "ogr"


def open_gpkg(path, upgrade=True):
    store = GpkgStore(path).connect()
    try:
        store.check_version(upgrade)
    except Exception:
        store.close()
        raise
    return store


def create_gpkg(path, crs_authid="EPSG:4549", version=None):
    """A new GeoPackage store at ``version`` (default: the current one)."""
    store = GpkgStore(path)
    version = version or store.schema.version
    store.init_file(crs_authid)
    try:
        # WAL from the start: QGIS then opens the store's layers with locking (GDAL declines its
        # NOLOCK option on a WAL file), and those handles still read the file when a layer of it
        # enters edit mode; handles opened without locking on a rollback-journal file fail from the
        # moment QGIS switches the file to WAL (core/gpkg_read.py). A new file: nobody holds it yet.
        # Not on a network share: WAL is unsafe there, and QGIS does not switch such a file either.
        if files.is_local_file(path):
            store.conn.execute("PRAGMA journal_mode = WAL")
        with store.transaction():
            store.conn.execute("PRAGMA application_id = {}".format(GPKG_APPLICATION_ID))
            store.create_tables(version, crs_authid)
    except BaseException:
        store.close()
        try:
            os.remove(path)
        except OSError:
            pass
        raise
    store.crs_authid = crs_authid
    store.version = version
    return store
