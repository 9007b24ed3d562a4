"""Store test fixtures: the same tests on a GeoPackage store and on a PostGIS store of the
real PostgreSQL server that scripts/start_postgis.sh starts (LANDEVAL_PG_PORT), reached
through a QGIS connection whose credentials live in QGIS's authentication database."""
import os
import shutil
import subprocess
import uuid

import pytest

PG = dict(host="localhost", port=os.environ.get("LANDEVAL_PG_PORT", "5432"), dbname="landeval", user="landeval",
          password="landeval")
MASTER = "landeval-test-master"
# schema names as users type them: quotes, a semicolon, a percent sign, Chinese
HOSTILE_SCHEMA = 'le"; drop 评估 %s'


def pg_reason():
    """None when the server answers and psycopg2 imports, else why not."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "python3-psycopg2 is not installed (scripts/setup.sh installs it)"
    exe = shutil.which("pg_isready")
    if not exe:
        return "pg_isready not found: PostgreSQL is not installed"
    proc = subprocess.run([exe, "-h", PG["host"], "-p", PG["port"]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        return "no PostgreSQL server on {}:{} (scripts/start_postgis.sh starts it as root): {}".format(
            PG["host"], PG["port"], proc.stdout.decode(errors="replace").strip())
    return None


def need_pg():
    reason = pg_reason()
    if reason:
        # as root, `make test` has just started the server: its absence is a failure, not a skip
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("pg_ctlcluster"):
            pytest.fail(reason)
        pytest.skip(reason)


def admin_connection():
    import psycopg2

    conn = psycopg2.connect(connect_timeout=10, **PG)
    conn.autocommit = True
    return conn


def auth_config(user, password, name=None):
    """An authcfg id in QGIS's authentication database (Basic: user and password)."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword(MASTER, True)
    cfg = QgsAuthMethodConfig()
    cfg.setMethod("Basic")
    cfg.setName(name or "landeval test " + user)
    cfg.setConfig("username", user)
    cfg.setConfig("password", password)
    result = manager.storeAuthenticationConfig(cfg)
    ok = result[0] if isinstance(result, tuple) else result
    if isinstance(result, tuple) and len(result) > 1 and hasattr(result[1], "id"):
        cfg = result[1]
    assert ok and cfg.id()
    return cfg.id()


def qgis_connection(name, authcfg, port=None, host=None):
    """A saved QGIS PostgreSQL connection named ``name`` using ``authcfg`` (no password in it)."""
    from qgis.core import QgsDataSourceUri, QgsProviderRegistry

    uri = QgsDataSourceUri()
    uri.setConnection(host or PG["host"], str(port or PG["port"]), PG["dbname"], "", "", QgsDataSourceUri.SslPrefer,
                      authcfg)
    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    conn = md.createConnection(uri.uri(False), {})
    md.saveConnection(conn, name)
    return name


def drop_connection(name):
    from qgis.core import QgsProviderRegistry

    md = QgsProviderRegistry.instance().providerMetadata("postgres")
    try:
        md.deleteConnection(name)
    except Exception:
        pass


def drop_schema(schema):
    from psycopg2 import sql

    conn = admin_connection()
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    conn.close()


def drop_roles(roles):
    from psycopg2 import sql

    conn = admin_connection()
    with conn.cursor() as cur:
        for role in roles:
            cur.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    conn.close()


class PgPlace:
    """A fresh schema reached through a fresh QGIS connection; cleaned up afterwards."""

    def __init__(self):
        self.tag = uuid.uuid4().hex[:8]
        self.schema = HOSTILE_SCHEMA + " " + self.tag
        self.connection = "LandEval test " + self.tag
        self.authcfg = auth_config(PG["user"], PG["password"])
        qgis_connection(self.connection, self.authcfg)
        self.extra_schemas = []
        self.roles = []

    def reference(self, schema=None):
        from landeval_plugin.core import store

        return store.pg_reference(self.connection, schema or self.schema)

    def other_schema(self, label):
        name = "{} {} {}".format(HOSTILE_SCHEMA, label, self.tag)
        self.extra_schemas.append(name)
        return name

    def cleanup(self):
        for schema in [self.schema] + self.extra_schemas:
            drop_schema(schema)
        drop_roles(self.roles)
        drop_connection(self.connection)


BACKENDS = ["gpkg", "postgres"]


def store_places(request, tmp_path):
    """Body of each test module's ``store_place`` fixture (params=BACKENDS): yields (backend,
    reference of a store that does not exist yet, PgPlace or None)."""
    if request.param == "gpkg":
        yield "gpkg", str(tmp_path / "评估 store.gpkg"), None
        return
    need_pg()
    place = PgPlace()
    try:
        yield "postgres", place.reference(), place
    finally:
        place.cleanup()


def parcel_layer(n=6, towns=("甲镇", "乙镇"), extra=None, crs="EPSG:4549", name="parcels"):
    """A memory layer of ``n`` square parcels P000.. in alternating towns, with a hostile field."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer("Polygon?crs=" + crs, name, "memory")
    fields = [QgsField("parcel_code", QVariant.Type.String), QgsField("town", QVariant.Type.String),
              QgsField('亩均税收"; DROP TABLE x; --', QVariant.Type.Double), QgsField("grade", QVariant.Type.String)]
    for fname, ftype in (extra or []):
        fields.append(QgsField(fname, ftype))
    layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    feats = []
    for i in range(n):
        f = QgsFeature(layer.fields())
        x = 500000 + i * 100.0
        f.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 3400000, x + 50, 3400050)))
        f.setAttributes(["P{:03d}".format(i), towns[i % len(towns)], i * 1.25, "ABCD"[i % 4]]
                       + [None] * len(extra or []))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def file_sha(path):
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()
