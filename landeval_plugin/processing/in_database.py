"""Grading and clusters inside PostGIS (issue 17: a province's parcels never leave the database).

landeval:grade and landeval:clusters take this path when the parcels are a whole PostGIS table
(or one year of a LandEval store's table: the subset ``"year" = N``) and IN_DATABASE is on (the
default); landeval:grade also needs its output to be a table of the same database
(``postgis:`` destination). What the SQL does not translate is graded feature by feature, with
the reason in the log. The connection's credentials come from QGIS's authentication database
(authcfg) or the layer's own source, and are kept in memory only.
"""
import re

from ..core.grading.postgis import raw, val
from ..i18n import tr

CANCELLED = "cancelled"
_YEAR_SUBSET = re.compile(r'^\s*"year"\s*=\s*(\d{1,4})\s*$')


class PgTable:
    """A PostGIS table behind a layer: its URI, schema, table, key and geometry columns, and
    the rows it shows (``where``: None for the whole table, or one store year)."""

    def __init__(self, uri, schema, table, key, geom, where, crs):
        self.uri = uri
        self.schema = schema
        self.table = table
        self.key = key
        self.geom = geom
        self.where = where
        self.crs = crs

    def same_database(self, other_uri):
        a, b = self.uri, other_uri
        return (a.host() or "", a.port() or "5432", a.database(), a.service()) == (
            b.host() or "", b.port() or "5432", b.database(), b.service())


def postgis_table(layer):
    """PgTable of a QgsVectorLayer read through the postgres provider, or None (another provider,
    a selection, edits, a filter other than one store year, a query instead of a table)."""
    from qgis.core import QgsDataSourceUri

    if layer is None or layer.providerType() != "postgres" or layer.isModified():
        return None
    uri = QgsDataSourceUri(layer.source())
    if not uri.table() or uri.table().lstrip().startswith("(") or not uri.geometryColumn() or not uri.keyColumn():
        return None
    if "," in uri.keyColumn():
        return None
    subset = (layer.subsetString() or uri.sql() or "").strip()
    where = None
    if subset:
        m = _YEAR_SUBSET.match(subset)
        if m is None:
            return None
        where = raw('s."year" = ') + val(int(m.group(1)))
    return PgTable(uri, uri.schema() or "public", uri.table(), uri.keyColumn(), uri.geometryColumn(), where,
                   layer.crs())


def destination(value):
    """QgsDataSourceUri of a ``postgis:`` output (Processing's "save to database table"), or None."""
    from qgis.core import QgsDataSourceUri, QgsProcessingOutputLayerDefinition

    if isinstance(value, QgsProcessingOutputLayerDefinition):
        sink = value.sink.staticValue() if hasattr(value.sink, "staticValue") else value.sink
        value = sink
    text = str(value or "")
    if not text.startswith("postgis:"):
        return None
    uri = QgsDataSourceUri(text[len("postgis:"):])
    return uri if uri.table() else None


def connect(uri):
    """A psycopg2 connection for a layer's QgsDataSourceUri (authcfg resolved in memory)."""
    from ..core.store.postgres import CONNECT_TIMEOUT, credentials

    try:
        import psycopg2
    except ImportError:
        raise RuntimeError(tr("PostgreSQL stores need the Python module psycopg2 (Debian: python3-psycopg2).")) \
            from None
    user, password = credentials(uri)
    params = {"dbname": uri.database(), "user": user, "password": password, "host": uri.host(),
              "port": uri.port(), "service": uri.service()}
    params = {k: v for k, v in params.items() if v not in (None, "")}
    try:
        return psycopg2.connect(connect_timeout=CONNECT_TIMEOUT, application_name="LandEval", **params)
    except psycopg2.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        raise RuntimeError(tr("PostgreSQL {}:{} database {}: cannot connect ({}).").format(
            uri.host() or "localhost", uri.port() or "5432", uri.database(), first)) from None


def metres_per_unit(crs):
    """Metres per CRS unit of a projected CRS (1 for metres), None for a geographic CRS."""
    if crs.isGeographic():
        return None
    from ..compat import metres_per_map_unit

    return metres_per_map_unit(crs)


def output_uri(table_uri, schema, table, geom, key):
    """The layer source of a table written beside ``table_uri`` (no password: authcfg or none)."""
    from qgis.core import QgsDataSourceUri

    uri = QgsDataSourceUri(table_uri.uri(False))
    uri.setDataSource(schema, table, geom, "", key)
    return uri.uri(False)


def grade(layer, out_value, std, group_by, feedback):
    """Grade ``layer`` inside PostGIS into the ``postgis:`` output ``out_value``.

    Returns (output layer source, {class: (count, 亩)}, low-efficiency count, notes), None when
    this run is not for the database (the reason is logged when it could have been), or CANCELLED."""
    from ..core.grading import postgis as pg_grading
    from ..core.units import M2_PER_MU

    table = postgis_table(layer)
    if table is None:
        return None
    dest = destination(out_value)
    if dest is None or not table.same_database(dest):
        feedback.pushInfo(tr("The parcels are a PostGIS table: with an output table in the same database "
                             "(Save to PostGIS table), they are graded inside the database."))
        return None
    if (dest.schema() or "public", dest.table()) == (table.schema, table.table):
        raise RuntimeError(tr("The output table {}.{} is the input table: choose another table. Nothing was "
                              "changed.").format(table.schema, table.table))
    mpu = metres_per_unit(table.crs)
    conn = connect(table.uri)
    try:
        reasons = []
        try:
            grader = pg_grading.grade_table(
                conn, std, (table.schema, table.table), (dest.schema() or "public", dest.table()),
                log=reasons.append, key=table.key, geom=table.geom, where=table.where, group_by=group_by,
                metres_per_unit=mpu or 1.0, geographic=mpu is None, feedback=feedback)
        except pg_grading.Cancelled:
            return CANCELLED
        if grader is None:
            feedback.pushWarning(tr("Grading inside PostGIS is not possible here ({}): the parcels are graded "
                                    "feature by feature.").format(reasons[0] if reasons else "-"))
            return None
        q = pg_grading.qi
        with conn.cursor() as cur:
            cur.execute("SELECT COALESCE(NULLIF(btrim({f}), ''), grade), count(*), sum(ST_Area({g})) * %s / %s, "
                        "count(*) FILTER (WHERE low_eff) FROM {s}.{t} GROUP BY 1".format(
                            f=q("grade_final"), g=q(table.geom), s=q(dest.schema() or "public"), t=q(dest.table())),
                        ((mpu or 1.0) ** 2, M2_PER_MU))
            rows = cur.fetchall()
        conn.commit()
    finally:
        conn.close()
    counts = {g: (n, mu or 0.0) for g, n, mu, _ in rows}
    tagged = sum(t for *_, t in rows)
    feedback.pushInfo(tr("Graded inside PostGIS: {}.{}").format(dest.schema() or "public", dest.table()))
    return output_uri(table.uri, dest.schema() or "public", dest.table(), table.geom, table.key), counts, tagged, \
        grader.notes


def clusters(layer, filter_text, gap, corners, min_area, min_parcels, feedback):
    """cluster.Result computed inside PostGIS, or None (not a PostGIS table, or not translated: logged)."""
    from ..core.clusters import postgis as pg_clusters
    from ..core.grading.postgis import Untranslatable

    table = postgis_table(layer)
    if table is None:
        return None
    mpu = metres_per_unit(table.crs)
    conn = connect(table.uri)
    try:
        try:
            result = pg_clusters.find_clusters_pg(
                conn, (table.schema, table.table), filter_text, gap, corners, min_area, min_parcels, key=table.key,
                geom=table.geom, where=table.where, metres_per_unit=mpu or 1.0, geographic=mpu is None,
                feedback=feedback)
        except Untranslatable as exc:
            conn.rollback()
            feedback.pushWarning(tr("Clusters inside PostGIS are not possible here ({}): they are computed "
                                    "feature by feature.").format(exc))
            return None
    finally:
        conn.close()
    feedback.pushInfo(tr("Clusters computed inside PostGIS ({}.{}).").format(table.schema, table.table))
    return result
