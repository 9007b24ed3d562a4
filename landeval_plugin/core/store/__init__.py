"""The LandEval store (issue 16): a GeoPackage file or a PostgreSQL/PostGIS schema holding,
year after year, the base map, enterprise data, evaluation runs, review decisions, clusters
and the disposal register.

A store is named by one text, used by the Processing algorithms' STORE parameters and the
panel: a GeoPackage path (``D:/评估/landeval.gpkg``), or ``postgres://<connection>/<schema>``
with the name of a QGIS PostgreSQL connection and a schema (both percent-encoded when they
hold ``/``, ``%`` or spaces: :func:`pg_reference` writes it).

    store = open_store("landeval.gpkg")            # upgrades an older store, refuses a newer one
    run = store.record_run(2025, "grade", standard_id=..., counts=...)
    store.write_layer(2025, "graded", layer, run_id=run)
    store.record_review(2025, code, why="...", grade="C")
"""
from urllib.parse import quote, unquote

from ...i18n import tr
from .base import Store, StoreConflict, StoreError, StorePermission, now_text  # noqa: F401

PG_PREFIX = "postgres://"


def pg_reference(connection, schema_name):
    return PG_PREFIX + quote(connection, safe="") + "/" + quote(schema_name, safe="")


def parse(reference):
    """("gpkg", path) or ("postgres", (connection, schema)) of a store reference."""
    text = (reference or "").strip()
    if not text:
        raise StoreError(tr("No store given: a GeoPackage path or postgres://<connection>/<schema>."))
    if text.startswith(PG_PREFIX):
        rest = text[len(PG_PREFIX):]
        conn, sep, schema_name = rest.partition("/")
        if not sep or not conn or not schema_name:
            raise StoreError(tr("Store '{}': write postgres://<QGIS connection name>/<schema>.").format(text))
        return "postgres", (unquote(conn), unquote(schema_name))
    return "gpkg", text


def open_store(reference, upgrade=True):
    kind, where = parse(reference)
    if kind == "postgres":
        from .postgres import open_pg

        store = open_pg(where[0], where[1], upgrade=upgrade)
        if upgrade:
            from . import security

            try:
                security.check_roles(store)  # a shared store's grants from an older LandEval
            except BaseException:
                store.close()
                raise
        return store
    from .gpkg import open_gpkg

    return open_gpkg(where, upgrade=upgrade)


def create_store(reference, crs_authid="EPSG:4549", version=None):
    kind, where = parse(reference)
    if kind == "postgres":
        from .postgres import create_pg

        return create_pg(where[0], where[1], crs_authid, version=version)
    from .gpkg import create_gpkg

    if not where.lower().endswith(".gpkg"):
        raise StoreError(tr("A GeoPackage store needs a file name ending in .gpkg (got {}).").format(where))
    return create_gpkg(where, crs_authid, version=version)


def export_store(reference, gpkg_path, feedback=None):
    """Whole store into a new GeoPackage store (backup); returns the checked digest."""
    from .gpkg import create_gpkg

    source = open_store(reference, upgrade=False)
    try:
        import os

        if os.path.exists(gpkg_path):
            raise StoreError(tr("{} already exists: choose a new file for the backup.").format(gpkg_path))
        tmp = gpkg_path + ".part.gpkg"
        if os.path.exists(tmp):
            os.remove(tmp)
        target = create_gpkg(tmp, source.crs_authid, version=source.version)
        try:
            digest = source.copy_into(target, feedback)
        except BaseException:
            target.close()
            os.remove(tmp)
            raise
        target.close()
        os.replace(tmp, gpkg_path)
        return digest
    finally:
        source.close()


def import_store(gpkg_path, reference, feedback=None):
    """A GeoPackage backup into a store: ``reference`` must be a new or empty store (created at the
    backup's version when it does not exist). One transaction, checked; returns the digest."""
    import os

    from .gpkg import open_gpkg

    backup = open_gpkg(gpkg_path, upgrade=False)
    try:
        kind, where = parse(reference)
        exists = os.path.exists(where) if kind == "gpkg" else _pg_store_exists(where)
        if exists:
            target = open_store(reference, upgrade=False)
            try:
                nonempty = [t for t in ("years", "runs", "reviews", "register", "base_map", "graded")
                            if target.rows("SELECT COUNT(*) AS n FROM {}".format(target.t(t)))[0]["n"]]
            except BaseException:
                target.close()
                raise
            if nonempty:
                target.close()
                raise StoreError(tr("{} already holds data ({}): import a backup only into a new or empty "
                                    "store.").format(target.describe(), ", ".join(nonempty)))
        else:
            target = create_store(reference, backup.crs_authid, version=backup.version)
        try:
            if target.version != backup.version:
                raise StoreError(tr("The backup has schema version {} and the store {}: import into a new "
                                    "store.").format(backup.version, target.version))
            return backup.copy_into(target, feedback)
        finally:
            target.close()
    finally:
        backup.close()


def _pg_store_exists(where):
    from .postgres import PgStore

    probe = PgStore(where[0], where[1]).connect()
    try:
        return probe.schema_exists() and probe.table_exists("landeval_meta")
    finally:
        probe.close()
