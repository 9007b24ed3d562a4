"""PostgreSQL/PostGIS backend of the store: one schema of a shared database.

The connection is a QGIS PostgreSQL connection, by name; its credentials come from QGIS's
authentication database (authcfg) and live only in memory: layer sources keep the authcfg,
never a password, and messages never show one. psycopg2 binds every value; identifiers
(schema, table, field and role names) are quoted with psycopg2's ``sql.Identifier``.
"""
import contextlib
import re

from ...i18n import tr
from . import schema as store_schema
from .base import Store, StoreError, StorePermission

CONNECT_TIMEOUT = 10
# tables a town account may change (its own town's rows), and that keep a change log by trigger
TOWN_TABLES = ("base_map", "graded", "reviews", "register", "enterprises")  # enterprises: their parcel's town
AUDITED = ("base_map", "graded", "reviews", "register", "clusters", "enterprises", "runs", "town_roles")


def _psycopg2():
    try:
        import psycopg2
        import psycopg2.sql
    except ImportError:
        raise StoreError(tr("PostgreSQL stores need the Python module psycopg2 (Debian: python3-psycopg2).")) from None
    return psycopg2


def connection_names():
    """Names of the PostgreSQL connections saved in QGIS."""
    from qgis.core import QgsProviderRegistry

    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    return sorted(md.connections().keys()) if md is not None else []


def connection_uri(name):
    """The QgsDataSourceUri of a saved QGIS PostgreSQL connection."""
    from qgis.core import QgsDataSourceUri, QgsProviderRegistry

    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    try:
        conn = md.findConnection(name)
    except Exception:
        conn = None
    if conn is None:
        raise StoreError(tr("QGIS has no PostgreSQL connection named '{}' (Browser > PostgreSQL > New "
                            "Connection).").format(name))
    return QgsDataSourceUri(conn.uri())


def credentials(uri):
    """(user, password) of a connection: from its authcfg when it has one (QGIS's authentication
    database), otherwise what the connection itself holds. Kept in memory only."""
    authcfg = uri.authConfigId()
    if authcfg:
        from qgis.core import QgsApplication, QgsAuthMethodConfig

        cfg = QgsAuthMethodConfig()
        manager = QgsApplication.authManager()
        if manager.isDisabled() or not manager.loadAuthenticationConfig(authcfg, cfg, True):
            raise StoreError(tr("Authentication configuration {} cannot be read (QGIS master password not set, or "
                                "the configuration was removed).").format(authcfg))
        return cfg.config("username"), cfg.config("password")
    return uri.username(), uri.password()


class PgStore(Store):
    backend = "postgres"
    ph = "%s"

    def __init__(self, connection, schema_name, params=None):
        super().__init__((connection, schema_name))
        self.connection = connection
        self.schema_name = schema_name
        self._params = params
        self.conn = None
        self._login = None
        self._may_log = None
        self.roles_outdated = False  # a shared store whose grants predate this LandEval (security.ROLES_VERSION)

    # ---- connection ---------------------------------------------------------------------------
    def connect(self):
        psycopg2 = _psycopg2()
        if self._params is not None:
            params, where = dict(self._params), "{}:{}".format(self._params.get("host"), self._params.get("port"))
        else:
            uri = connection_uri(self.connection)
            user, password = credentials(uri)
            params = {"dbname": uri.database() or None, "user": user or None, "password": password or None}
            if uri.service():
                params["service"] = uri.service()
            if uri.host():
                params["host"] = uri.host()
            if uri.port():
                params["port"] = uri.port()
            where = "{}:{}".format(uri.host() or "localhost", uri.port() or "5432")
        params = {k: v for k, v in params.items() if v not in (None, "")}
        try:
            self.conn = psycopg2.connect(connect_timeout=CONNECT_TIMEOUT, application_name="LandEval", **params)
        except psycopg2.OperationalError as exc:
            text = str(exc)
            if "password authentication failed" in text or "no password supplied" in text or \
                    "authentication failed" in text:
                raise StoreError(tr("PostgreSQL connection '{}' ({}): the user name or password was refused; "
                                    "nothing was changed.").format(self.connection, where)) from None
            if "does not exist" in text and "database" in text:
                raise StoreError(tr("PostgreSQL connection '{}' ({}): the database does not exist; nothing was "
                                    "changed.").format(self.connection, where)) from None
            raise StoreError(tr("PostgreSQL connection '{}': the server {} cannot be reached ({}); nothing was "
                                "changed.").format(self.connection, where, _first_line(text))) from None
        finally:
            params.pop("password", None)
        self.conn.autocommit = True  # transactions are explicit (transaction())
        self._login = self.conn.info.user
        return self

    def describe(self):
        return tr("PostgreSQL store {} (connection {})").format(self.schema_name, self.connection)

    def short_name(self):
        return "{}.{}".format(self.connection, self.schema_name)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def user(self):
        return self._login or super().user()

    # ---- versions and accounts -------------------------------------------------------------------
    def is_owner(self):
        """True when the login acts as the schema's owner (creates tables, grants, bypasses the
        row-level security)."""
        rows = self.rows("SELECT pg_has_role(session_user, nspowner, 'USAGE') AS owner FROM pg_namespace "
                         "WHERE nspname = %s", (self.schema_name,))
        return bool(rows and rows[0]["owner"])

    def log_change(self, table, row_fid, operation, old=None, new=None):
        # an account without INSERT on change_log (a town, the reviewer) has each row it changes
        # logged by trigger, under its login: the summary row is the owner's
        if self._may_log is None:
            self._may_log = bool(self.rows("SELECT has_table_privilege(%s, 'INSERT') AS ok",
                                           (self.t("change_log").replace("%%", "%"),))[0]["ok"])
        if self._may_log:
            super().log_change(table, row_fid, operation, old, new)

    def record_run(self, year, step, **kwargs):
        try:
            return super().record_run(year, step, **kwargs)
        except StorePermission as exc:
            if self.roles_outdated:
                raise StorePermission(tr("{} The roles of {} were set up by an older LandEval: its owner opens the "
                                         "store once (or runs the shared set-up again) so that town accounts may "
                                         "record their runs.").format(exc, self.describe())) from exc
            raise

    # ---- SQL ------------------------------------------------------------------------------------
    def q(self, name):
        from psycopg2 import sql

        # every statement goes through %-formatting (execute always passes a tuple): a % in a name doubles
        return sql.Identifier(str(name)).as_string(self.conn).replace("%", "%%")

    def t(self, table):
        return "{}.{}".format(self.q(self.schema_name), self.q(table))

    def _begin(self):
        self.conn.autocommit = False

    def _commit(self):
        self.conn.commit()
        self.conn.autocommit = True

    def _rollback(self):
        try:
            self.conn.rollback()
        finally:
            if not self.conn.closed:
                self.conn.autocommit = True

    def execute(self, sql, params=()):
        cur = self.conn.cursor()
        with self._refusals():
            cur.execute(sql, tuple(params))
        return cur

    @contextlib.contextmanager
    def _refusals(self):
        """A refusal by the server (no grant, row-level security, a check) as the store's errors."""
        psycopg2 = _psycopg2()
        try:
            yield
        except psycopg2.errors.InsufficientPrivilege as exc:
            raise StorePermission(tr("Account {} may not do this in {}: {}; nothing was changed.").format(
                self.user(), self.describe(), _first_line(str(exc)))) from exc
        except psycopg2.errors.CheckViolation as exc:
            raise StoreError(tr("A value was refused by {}: {}; nothing was changed.").format(
                self.describe(), _first_line(str(exc)))) from exc

    def executemany(self, sql, rows):
        from psycopg2 import extras

        cur = self.conn.cursor()
        if not rows:
            return
        # execute_batch sends pages of statements: far fewer round trips than one execute per row
        with self._refusals():
            extras.execute_batch(cur, sql, [tuple(r) for r in rows], page_size=500)

    def _insert(self, sql, params, key):
        if key:
            cur = self.execute(sql + " RETURNING " + self.q(key), params)
            return cur.fetchone()[0]
        self.execute(sql, params)
        return None

    def table_exists(self, name):
        return bool(self.rows("SELECT 1 AS x FROM information_schema.tables WHERE table_schema = %s AND "
                              "table_name = %s", (self.schema_name, name)))

    def schema_exists(self):
        return bool(self.rows("SELECT 1 AS x FROM pg_namespace WHERE nspname = %s", (self.schema_name,)))

    def schema_tables(self):
        return [r["table_name"] for r in self.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (self.schema_name,))]

    def existing_columns(self, table):
        return [r["column_name"] for r in self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s "
            "ORDER BY ordinal_position", (self.schema_name, table))]

    def existing_column_type(self, table, name):
        rows = self.rows("SELECT data_type FROM information_schema.columns WHERE table_schema = %s AND "
                         "table_name = %s AND column_name = %s", (self.schema_name, table, name))
        t = rows[0]["data_type"] if rows else "text"
        return store_schema.INTEGER if "int" in t else store_schema.REAL if t in ("double precision", "real",
                                                                                  "numeric") else store_schema.TEXT

    def type_sql(self, col_type):
        return {store_schema.INTEGER: "bigint", store_schema.REAL: "double precision"}.get(col_type, "text")

    def column_sql(self, c):
        if c.type == store_schema.KEY:
            return "{} bigserial PRIMARY KEY".format(self.q(c.name))
        out = "{} {}".format(self.q(c.name), self.type_sql(c.type))
        if c.primary:
            out += " PRIMARY KEY"
        if c.required:
            out += " NOT NULL"
        if c.default is not None:
            out += " DEFAULT " + (str(int(c.default)) if isinstance(c.default, int) else
                                  self.literal(str(c.default)))
        if c.status:
            out += " CHECK ({} IN ({}))".format(self.q(c.name), ", ".join(self.literal(s) for s in
                                                                         store_schema.load().statuses))
        return out

    def check_name(self, name):
        super().check_name(name)
        if len(name.encode("utf-8")) > 63:
            raise StoreError(tr("Field name '{}' is longer than PostgreSQL's 63 bytes; rename it before writing it "
                                "to the store.").format(name))

    def literal(self, text):
        """A string constant for DDL, where PostgreSQL takes no parameters (quoted by psycopg2)."""
        from psycopg2.extensions import adapt

        a = adapt(text)
        a.prepare(self.conn)
        return a.getquoted().decode("utf-8").replace("%", "%%")

    def srid(self):
        org, _, code = (self.crs_authid or "").partition(":")
        if org.upper() != "EPSG" or not code.isdigit():
            raise StoreError(tr("A PostgreSQL store needs an EPSG coordinate reference system (got {}).").format(
                self.crs_authid))
        return int(code)

    def add_geometry(self, table):
        self.execute("ALTER TABLE {} ADD COLUMN {} geometry(MultiPolygon, {})".format(
            self.t(table.name), self.q(table.geometry), self.srid()))
        self.execute("CREATE INDEX ON {} USING gist ({})".format(self.t(table.name), self.q(table.geometry)))

    def create_table(self, table, version):
        super().create_table(table, version)
        if table.column("year") is not None and table.name != "years":
            self.execute("CREATE INDEX ON {} (year)".format(self.t(table.name)))

    def geom_param(self):
        return "ST_Multi(ST_GeomFromWKB(%s, {}))".format(self.srid())

    def geom_value(self, wkb):
        from psycopg2 import Binary

        return None if wkb is None else Binary(bytes(wkb))

    def geom_select(self, column):
        return "ST_AsBinary({}) AS {}".format(self.q(column), self.q(column))

    def geom_wkb(self, value):
        return None if value is None else bytes(value)

    def begin_bulk(self):
        self.execute("SET LOCAL landeval.bulk = 'on'")

    def delete_year_rows(self, kind, year):
        # the owner's bulk replacement is logged as one WRITE_LAYER row, not one per parcel
        self.execute("SET LOCAL landeval.bulk = 'on'")
        super().delete_year_rows(kind, year)

    def write_layer(self, year, kind, layer, run_id=None, feedback=None):
        with self.transaction():
            self.execute("SET LOCAL landeval.bulk = 'on'")
            return super().write_layer(year, kind, layer, run_id=run_id, feedback=feedback)

    def after_copy(self, table):
        spec = self.schema.table(table)
        if any(c.type == store_schema.KEY for c in spec.all_columns):
            self.execute("SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(1, (SELECT COALESCE(MAX({}), 0) "
                         "FROM {})), (SELECT COUNT(*) > 0 FROM {}))".format(self.q(spec.key), self.t(table),
                                                                            self.t(table)),
                         (self.t(table).replace("%%", "%"), spec.key))

    # ---- triggers --------------------------------------------------------------------------------
    def after_create(self, version):
        self.install_triggers()

    def after_upgrade(self, from_version, to_version):
        self.install_triggers()

    def install_triggers(self):
        """Row versions and the change log, by trigger, on every table people edit."""
        s = self.q(self.schema_name)
        self.execute("""
CREATE OR REPLACE FUNCTION {s}.landeval_row_version() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  NEW.row_version := OLD.row_version + 1;
  RETURN NEW;
END $f$""".format(s=s))
        self.execute("""
CREATE OR REPLACE FUNCTION {s}.landeval_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $f$
DECLARE o jsonb; n jsonb; o2 jsonb; n2 jsonb;
BEGIN
  IF coalesce(current_setting('landeval.bulk', true), '') = 'on' AND pg_has_role(session_user,
     (SELECT nspowner FROM pg_namespace WHERE nspname = TG_TABLE_SCHEMA), 'MEMBER') THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD) - 'geom'; END IF;
  IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW) - 'geom'; END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(e.key, e.value) INTO o2 FROM jsonb_each(o) e WHERE (n -> e.key) IS DISTINCT FROM e.value;
    SELECT jsonb_object_agg(e.key, e.value) INTO n2 FROM jsonb_each(n) e WHERE (o -> e.key) IS DISTINCT FROM e.value;
    IF (to_jsonb(OLD) -> 'geom') IS DISTINCT FROM (to_jsonb(NEW) -> 'geom') THEN
      o2 := coalesce(o2, '{{}}'::jsonb) || jsonb_build_object('geom', 'changed');
    END IF;
    o := o2; n := n2;
  END IF;
  EXECUTE format('INSERT INTO %%I.change_log (at, who, table_name, row_fid, operation, old_values, new_values) '
                 'VALUES ($1, $2, $3, $4, $5, $6, $7)', TG_TABLE_SCHEMA)
  USING to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), session_user::text, TG_TABLE_NAME::text,
        (coalesce(n ->> 'fid', o ->> 'fid', to_jsonb(NEW) ->> 'fid', to_jsonb(OLD) ->> 'fid'))::bigint, TG_OP::text,
        o::text, n::text;
  RETURN NULL;
END $f$""".format(s=s))
        for table in self.schema.tables():
            if not self.table_exists(table.name):
                continue
            t = self.t(table.name)
            if table.has_row_version:
                self.execute("DROP TRIGGER IF EXISTS landeval_row_version ON {}".format(t))
                self.execute("CREATE TRIGGER landeval_row_version BEFORE UPDATE ON {} FOR EACH ROW EXECUTE FUNCTION "
                             "{}.landeval_row_version()".format(t, s))
            if table.name in AUDITED:
                self.execute("DROP TRIGGER IF EXISTS landeval_audit ON {}".format(t))
                self.execute("CREATE TRIGGER landeval_audit AFTER INSERT OR UPDATE OR DELETE ON {} FOR EACH ROW "
                             "EXECUTE FUNCTION {}.landeval_audit()".format(t, s))

    # ---- layers ---------------------------------------------------------------------------------
    def layer_source(self, kind, year=None):
        """The layer's URI through the QGIS connection: host, database and authcfg, never a password."""
        uri = connection_uri(self.connection) if self._params is None else None
        from qgis.core import QgsDataSourceUri

        if uri is None:
            uri = QgsDataSourceUri()
            uri.setConnection(str(self._params.get("host", "")), str(self._params.get("port", "")),
                              self._params.get("dbname", ""), "", "")
        uri.setPassword("")
        if uri.authConfigId():
            uri.setUsername("")
        spec = self.schema.table(kind)
        subset = '"year" = {}'.format(int(year)) if year is not None and spec.column("year") is not None else ""
        uri.setDataSource(self.schema_name, kind, spec.geometry or "", subset, spec.key)
        if spec.geometry:
            uri.setSrid(str(self.srid()))
            from qgis.core import QgsWkbTypes

            uri.setWkbType(QgsWkbTypes.MultiPolygon)
        return uri.uri(False), "postgres"


def _first_line(text):
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def open_pg(connection, schema_name, upgrade=True, params=None):
    store = PgStore(connection, schema_name, params).connect()
    try:
        if not store.schema_exists():
            raise StoreError(tr("Schema {} does not exist in PostgreSQL connection '{}': create the store first "
                                "(landeval:createstore).").format(schema_name, connection))
        if not store.table_exists("landeval_meta"):
            raise StoreError(tr("{} is not a LandEval store (it belongs to another tool or is empty); nothing was "
                                "changed.").format(store.describe()))
        store.check_version(upgrade)
    except Exception:
        store.close()
        raise
    return store


def create_pg(connection, schema_name, crs_authid="EPSG:4549", version=None, params=None):
    """A new store in schema ``schema_name`` (created, or an existing empty one)."""
    if not schema_name or not schema_name.strip():
        raise StoreError(tr("Name the PostgreSQL schema of the store."))
    if re.search(r"[\x00]", schema_name):
        raise StoreError(tr("Schema name '{}' cannot be used.").format(schema_name))
    store = PgStore(connection, schema_name, params).connect()
    version = version or store.schema.version
    store.crs_authid = crs_authid
    try:
        if not store.rows("SELECT 1 AS x FROM pg_extension WHERE extname = 'postgis'"):
            raise StoreError(tr("The database of connection '{}' has no PostGIS extension (CREATE EXTENSION "
                                "postgis, as its owner).").format(connection))
        if not store.rows("SELECT 1 AS x FROM spatial_ref_sys WHERE srid = %s", (store.srid(),)):
            raise StoreError(tr("PostGIS does not know {}.").format(crs_authid))
        if store.schema_exists():
            tables = store.schema_tables()
            if "landeval_meta" in tables:
                raise StoreError(tr("{} already holds a LandEval store: open it instead.").format(store.describe()))
            if tables:
                raise StoreError(tr("Schema {} already holds {} table(s) of another tool ({}); choose a new schema. "
                                    "Nothing was changed.").format(schema_name, len(tables),
                                                                   ", ".join(sorted(tables)[:5])))
        with store.transaction():
            if not store.schema_exists():
                store.execute("CREATE SCHEMA {}".format(store.q(schema_name)))
            store.create_tables(version, crs_authid)
    except BaseException:
        store.close()
        raise
    store.version = version
    return store
