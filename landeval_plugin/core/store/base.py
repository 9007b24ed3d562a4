"""The LandEval store: what both backends share (issue 16).

A store holds, per evaluation year, the base map, enterprise data, evaluation runs, review
decisions, clusters and the disposal register (resources/store/schema.yaml). Every write
runs in one transaction: a failed or killed run leaves the store as it was. Updates of
parcels, reviews and register rows carry the row version the writer read: a second writer
of the same row gets ``StoreConflict``, never a silent overwrite.

Identifiers (schema, table and field names, which come from users and files) are always
quoted by the backend's ``q()``; values are always bound parameters.
"""
import contextlib
import datetime
import hashlib
import json
import uuid

from ...i18n import tr
from . import schema as store_schema
from .errors import StoreConflict, StoreError, StorePermission


def now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(value):
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Store:
    """Common logic; a backend subclass provides the connection, quoting and types."""

    backend = None
    ph = "?"

    def __init__(self, target):
        self.target = target
        self.schema = store_schema.load()
        self._depth = 0
        self.crs_authid = None
        self.version = None

    # ---- backend hooks --------------------------------------------------------------------
    def q(self, name):
        raise NotImplementedError

    def t(self, table):
        return self.q(table)

    def _begin(self):
        raise NotImplementedError

    def _commit(self):
        raise NotImplementedError

    def _rollback(self):
        raise NotImplementedError

    def execute(self, sql, params=()):
        raise NotImplementedError

    def table_exists(self, name):
        raise NotImplementedError

    def existing_columns(self, table):
        raise NotImplementedError

    def column_sql(self, column):
        raise NotImplementedError

    def add_column_sql(self, table, name, col_type):
        return "ALTER TABLE {} ADD COLUMN {} {}".format(self.t(table), self.q(name), self.type_sql(col_type))

    def type_sql(self, col_type):
        raise NotImplementedError

    def geom_param(self):
        return self.ph

    def geom_value(self, wkb):
        raise NotImplementedError

    def geom_select(self, column):
        return self.q(column)

    def geom_wkb(self, value):
        raise NotImplementedError

    def describe(self):
        raise NotImplementedError

    def close(self):
        raise NotImplementedError

    def user(self):
        """Who writes: the same name the review records (QGIS's user full name, else the login)."""
        from ..review import reviewer

        return reviewer()

    # ---- transactions -----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self):
        """All writes inside happen together or not at all (nested blocks join the outer one)."""
        outer = self._depth == 0
        if outer:
            self._begin()
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if outer:
                self._rollback()
            raise
        self._depth -= 1
        if outer:
            self._commit()

    def rows(self, sql, params=()):
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    # ---- creation and versions ----------------------------------------------------------------
    def create_tables(self, version, crs_authid):
        for table in self.schema.tables(version):
            self.create_table(table, version)
        self.set_meta("tool", self.schema.tool)
        self.set_meta("schema_version", str(version))
        self.set_meta("crs", crs_authid)
        self.set_meta("created_at", now_text())
        self.after_create(version)

    def create_table(self, table, version):
        cols = [self.column_sql(c) for c in table.columns(version) if c.type != store_schema.GEOMETRY]
        self.execute("CREATE TABLE {} ({})".format(self.t(table.name), ", ".join(cols)))
        self.register_table(table)
        if table.geometry:
            self.add_geometry(table)

    def add_geometry(self, table):
        raise NotImplementedError

    def register_table(self, table):
        """GeoPackage: list the table in gpkg_contents; PostGIS: nothing."""

    def after_create(self, version):
        """Backend extras after the tables exist (PostGIS: triggers)."""

    def after_upgrade(self, from_version, to_version):
        """Backend extras after an upgrade (PostGIS: triggers of the new tables)."""

    def meta(self):
        if not self.table_exists("landeval_meta"):
            return {}
        return {r["key"]: r["value"] for r in self.rows("SELECT key, value FROM {}".format(self.t("landeval_meta")))}

    def set_meta(self, key, value):
        self.execute("DELETE FROM {} WHERE key = {}".format(self.t("landeval_meta"), self.ph), (key,))
        self.execute("INSERT INTO {} (key, value) VALUES ({}, {})".format(self.t("landeval_meta"), self.ph, self.ph),
                     (key, value))

    def check_version(self, upgrade=True):
        """Read the store's version; upgrade an older one (one transaction), refuse a newer one or
        something that is not a LandEval store."""
        meta = self.meta()
        if meta.get("tool") != self.schema.tool or "schema_version" not in meta:
            raise StoreError(tr("{} is not a LandEval store (it belongs to another tool or is empty); "
                                "nothing was changed.").format(self.describe()))
        try:
            version = int(meta["schema_version"])
        except ValueError:
            raise StoreError(tr("{} records an unreadable schema version '{}'; nothing was changed.").format(
                self.describe(), meta["schema_version"])) from None
        if version > self.schema.version:
            raise StoreError(tr("{} has schema version {}, newer than this LandEval supports ({}): update the "
                                "LandEval plugin; nothing was changed.").format(self.describe(), version,
                                                                               self.schema.version))
        self.crs_authid = meta.get("crs")
        if version < self.schema.version:
            if not upgrade:
                raise StoreError(tr("{} has schema version {} and needs an upgrade to {}.").format(
                    self.describe(), version, self.schema.version))
            from . import migrations

            migrations.upgrade(self, version)
            version = self.schema.version
        self.version = version
        return version

    # ---- writing ------------------------------------------------------------------------------
    def ensure_year(self, year):
        year = int(year)
        if not self.rows("SELECT year FROM {} WHERE year = {}".format(self.t("years"), self.ph), (year,)):
            self.execute("INSERT INTO {} (year, created_at) VALUES ({}, {})".format(self.t("years"), self.ph, self.ph),
                         (year, now_text()))
        return year

    def years(self):
        return [r["year"] for r in self.rows("SELECT year FROM {} ORDER BY year".format(self.t("years")))]

    def record_run(self, year, step, standard_id=None, standard_version=None, parameters=None, who=None,
                   counts=None, started_at=None, finished_at=None, run_id=None):
        """One evaluation run (standard, parameters, who, when, counts per class); returns its id."""
        run_id = run_id or uuid.uuid4().hex
        with self.transaction():
            year = self.ensure_year(year)
            self.insert("runs", {"run_id": run_id, "year": year, "step": step, "standard_id": standard_id,
                                 "standard_version": None if standard_version is None else str(standard_version),
                                 "parameters": _json(parameters), "who": who or self.user(),
                                 "started_at": started_at or now_text(), "finished_at": finished_at or now_text(),
                                 "counts": _json(counts)})
        return run_id

    def insert(self, table, values, returning=False):
        spec = self.schema.table(table)
        newer = {c.name for c in spec.all_columns if self.version is not None and c.since > self.version}
        names = [n for n in values if n not in newer]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(self.t(table), ", ".join(self.q(n) for n in names),
                                                      ", ".join(self.ph for _ in names))
        return self._insert(sql, [values[n] for n in names], self.schema.table(table).key if returning else None)

    def _insert(self, sql, params, key):
        cur = self.execute(sql, params)
        return cur.lastrowid if key else None

    def log_change(self, table, row_fid, operation, old=None, new=None):
        """change_log row written by the API (PostGIS also logs each row change by triggers)."""
        self.insert("change_log", {"at": now_text(), "who": self.user(), "table_name": table, "row_fid": row_fid,
                                   "operation": operation, "old_values": _json(old), "new_values": _json(new)})

    def write_layer(self, year, kind, layer, run_id=None, feedback=None):
        """Replace the ``kind`` rows (base_map, enterprises, graded, clusters) of ``year`` by the
        features of ``layer`` (a QgsVectorLayer or feature source), in one transaction. Fields the
        table lacks become new columns (names quoted as they are). Returns the number of rows."""
        table = self.schema.table(kind)
        if not table.layer:
            raise StoreError(tr("'{}' is not a layer table of the store.").format(kind))
        fields = layer.fields()
        fixed = {c.name for c in table.all_columns}
        plan = []  # (layer field index, column name)
        for i, field in enumerate(fields):
            name = field.name()
            if name.lower() in store_schema.RESERVED or name.lower() == "fid":
                continue
            plan.append((i, name, store_schema.field_type(field)))
        transform = self._transform(layer) if table.geometry else None
        with self.transaction():
            year = self.ensure_year(year)
            existing = {n.lower(): n for n in self.existing_columns(kind)}
            for _, name, col_type in plan:
                self.check_name(name)
                if name not in fixed and name.lower() not in existing:
                    self.execute(self.add_column_sql(kind, name, col_type))
                    existing[name.lower()] = name
            old = self.rows("SELECT COUNT(*) AS n FROM {} WHERE year = {}".format(self.t(kind), self.ph),
                            (year,))[0]["n"]
            self.delete_year_rows(kind, year)
            names = ["year"] + (["run_id"] if table.column("run_id") else []) + [existing.get(n.lower(), n)
                                                                               for _, n, _ in plan]
            holders = [self.ph] * len(names)
            if table.geometry:
                names.append(table.geometry)
                holders.append(self.geom_param())
            sql = "INSERT INTO {} ({}) VALUES ({})".format(self.t(kind), ", ".join(self.q(n) for n in names),
                                                          ", ".join(holders))
            batch, count = [], 0
            total = max(1, layer.featureCount() if hasattr(layer, "featureCount") else 1)
            for f in layer.getFeatures():
                if feedback is not None and feedback.isCanceled():
                    raise StoreError(tr("Cancelled: the store was not changed."))
                attrs = f.attributes()
                row = [year] + ([run_id] if table.column("run_id") else [])
                row += [self.value_in(attrs[i], t) for i, _, t in plan]
                if table.geometry:
                    row.append(self.geometry_in(f.geometry(), transform))
                batch.append(row)
                count += 1
                if len(batch) >= 2000:
                    self.executemany(sql, batch)
                    batch = []
                    if feedback is not None:
                        feedback.setProgress(100.0 * count / total)
            if batch:
                self.executemany(sql, batch)
            self.log_change(kind, None, "WRITE_LAYER", {"year": year, "rows": old},
                            {"year": year, "rows": count, "run_id": run_id})
        return count

    def delete_year_rows(self, kind, year):
        self.execute("DELETE FROM {} WHERE year = {}".format(self.t(kind), self.ph), (year,))

    def executemany(self, sql, rows):
        for row in rows:
            self.execute(sql, row)

    def check_name(self, name):
        """Refuse a field name the backend cannot hold as it is."""
        if not name or "\x00" in name:
            raise StoreError(tr("Field name '{}' cannot be stored.").format(name))

    @staticmethod
    def value_in(value, col_type):
        from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

        if value is None or (isinstance(value, QVariant) and value.isNull()):
            return None
        if isinstance(value, (QDate, QDateTime, QTime)):
            if not value.isValid():
                return None
            return value.toString("yyyy-MM-dd") if isinstance(value, QDate) else value.toString(
                "yyyy-MM-ddTHH:mm:ss" if isinstance(value, QDateTime) else "HH:mm:ss")
        if col_type == store_schema.INTEGER:
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
        if col_type == store_schema.REAL:
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return str(value) if not isinstance(value, str) else value

    def _transform(self, layer):
        from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

        src = layer.crs() if hasattr(layer, "crs") else layer.sourceCrs()
        dst = QgsCoordinateReferenceSystem(self.crs_authid)
        if not src.isValid() or src == dst:
            return None
        return QgsCoordinateTransform(src, dst, QgsProject.instance())

    def geometry_in(self, geometry, transform):
        from qgis.core import QgsWkbTypes

        if geometry is None or geometry.isNull():
            return None
        g = type(geometry)(geometry)
        if transform is not None:
            g.transform(transform)
        if g.type() != QgsWkbTypes.PolygonGeometry:
            return None
        if not g.isMultipart():
            g.convertToMultiType()
        return self.geom_value(bytes(g.asWkb()))

    # ---- row-version checked updates --------------------------------------------------------------
    def update_row(self, table, fid, expected_version, changes):
        """Change ``changes`` ({column: value}) of row ``fid`` only if nobody saved it since the
        writer read ``expected_version``; returns the new version. Raises StoreConflict,
        StorePermission or StoreError (row gone), the store unchanged."""
        spec = self.schema.table(table)
        if not spec.has_row_version:
            raise StoreError(tr("Table {} has no row version.").format(table))
        changes = dict(changes)
        for name in list(changes):
            if name in store_schema.RESERVED:
                raise StoreError(tr("Column {} cannot be changed directly.").format(name))
        if table == "register" and "status" in changes:
            self.check_status(changes["status"])
        if "updated_by" in {c.name for c in spec.all_columns}:
            changes.setdefault("updated_by", self.user())
            changes.setdefault("updated_at", now_text())
        sets = ", ".join("{} = {}".format(self.q(n), self.ph) for n in changes)
        sql = "UPDATE {} SET {}, row_version = row_version + 1 WHERE fid = {} AND row_version = {}".format(
            self.t(table), sets, self.ph, self.ph)
        with self.transaction():
            before = self.rows("SELECT * FROM {} WHERE fid = {}".format(self.t(table), self.ph), (fid,))
            cur = self.execute(sql, list(changes.values()) + [fid, expected_version])
            if cur.rowcount != 1:
                self._explain_no_update(table, fid, expected_version, before)
            if self.backend != "postgres":  # PostGIS logs by trigger
                old = {k: v for k, v in before[0].items() if k in changes} if before else None
                self.log_change(table, fid, "UPDATE", old, changes)
        return int(expected_version) + 1

    def _explain_no_update(self, table, fid, expected_version, before):
        # read again: a concurrent writer may have committed while this update waited for the row
        before = self.rows("SELECT * FROM {} WHERE fid = {}".format(self.t(table), self.ph), (fid,))
        if not before:
            raise StoreError(tr("Row {} of {} no longer exists in the store (deleted by someone else?).").format(
                fid, table))
        row = before[0]
        label = row.get("parcel_code") or fid
        if int(row.get("row_version") or 0) != int(expected_version):
            raise StoreConflict(tr("Conflict: parcel {} ({} row {}) was saved by someone else since you read it "
                                   "(version {} now, yours {}). Reload it and apply your change again; nothing was "
                                   "overwritten.").format(label, table, fid, row.get("row_version"), expected_version))
        raise StorePermission(tr("Account {} may not change parcel {} of town {} ({} row {}); nothing was "
                                 "changed.").format(self.user(), label, row.get("town") or "-", table, fid))

    def check_status(self, status):
        if status not in self.schema.statuses:
            raise StoreError(tr("Register status '{}' is not one of {}.").format(
                status, "/".join(self.schema.statuses)))

    def row(self, table, fid):
        rows = self.rows("SELECT * FROM {} WHERE fid = {}".format(self.t(table), self.ph), (fid,))
        return rows[0] if rows else None

    def find(self, table, year, parcel_code):
        return self.rows("SELECT * FROM {} WHERE year = {} AND parcel_code = {} ORDER BY fid".format(
            self.t(table), self.ph, self.ph), (int(year), parcel_code))

    # ---- reviews and register ---------------------------------------------------------------------
    def record_review(self, year, parcel_code, why, grade=None, path=None, who=None, at=None, town=None,
                      run_id=None):
        """One review decision (研判): grade and/or path, who, when, why. Returns its fid."""
        if not (why or "").strip():
            raise StoreError(tr("A review needs a reason (研判理由)."))
        if not parcel_code:
            raise StoreError(tr("A review needs a parcel code."))
        with self.transaction():
            year = self.ensure_year(year)
            if town is None:
                town = self._town_of(year, parcel_code)
            values = {"year": year, "parcel_code": parcel_code, "town": town, "grade": grade, "path": path,
                      "who": who or self.user(), "at": at or now_text(), "why": why.strip(), "run_id": run_id}
            fid = self._insert_checked("reviews", values, parcel_code, town)
            if self.backend != "postgres":
                self.log_change("reviews", fid, "INSERT", None, values)
        return fid

    def _insert_checked(self, table, values, parcel_code, town):
        try:
            return self.insert(table, values, returning=True)
        except StorePermission:
            raise StorePermission(tr("Account {} may not add parcel {} of town {} to {}; nothing was changed.").format(
                self.user(), parcel_code, town or "-", table_title(table))) from None

    def _town_of(self, year, parcel_code):
        for kind in ("graded", "base_map"):
            cols = {c.lower() for c in self.existing_columns(kind)}
            if "town" not in cols:
                continue
            rows = self.rows("SELECT town FROM {} WHERE year = {} AND parcel_code = {} AND town IS NOT NULL".format(
                self.t(kind), self.ph, self.ph), (year, parcel_code))
            if rows:
                return rows[0]["town"]
        return None

    def register_add(self, year, parcel_code, path=None, status=None, town=None, responsible_unit=None,
                     deadline=None, notes=None, attachments=None, entered_at=None):
        """A parcel enters the disposal register (台账); returns its fid."""
        status = status or self.schema.statuses[0]
        self.check_status(status)
        with self.transaction():
            year = self.ensure_year(year)
            if town is None:
                town = self._town_of(year, parcel_code)
            values = {"year": year, "parcel_code": parcel_code, "town": town, "path": path, "status": status,
                      "responsible_unit": responsible_unit, "deadline": deadline, "notes": notes,
                      "attachments": _json(list(attachments) if attachments else None),
                      "entered_at": entered_at or now_text(), "status_at": now_text(),
                      "updated_by": self.user(), "updated_at": now_text()}
            fid = self._insert_checked("register", values, parcel_code, town)
            if self.backend != "postgres":
                self.log_change("register", fid, "INSERT", None, values)
        return fid

    def register_set_status(self, fid, expected_version, status, notes=None, **more):
        changes = dict(more, status=status, status_at=now_text())
        if notes is not None:
            changes["notes"] = notes
        if status == "已完成":
            changes.setdefault("completed_at", now_text())
        return self.update_row("register", fid, expected_version, changes)

    # ---- whole-store copy and check ---------------------------------------------------------------
    def table_names(self):
        return [t.name for t in self.schema.tables(self.version)]

    def dump(self, table):
        """(column names, rows) of a table in fid/key order, geometry as WKB bytes."""
        spec = self.schema.table(table)
        cols = self.existing_columns(table)
        select = ", ".join(self.geom_select(c) if c == spec.geometry else self.q(c) for c in cols)
        rows = self.execute("SELECT {} FROM {} ORDER BY {}".format(select, self.t(table), self.q(spec.key))).fetchall()
        if spec.geometry in cols:
            gi = cols.index(spec.geometry)
            rows = [tuple(self.geom_wkb(v) if i == gi else v for i, v in enumerate(r)) for r in rows]
        return cols, [tuple(r) for r in rows]

    def digest(self):
        """{table: (rows, sha256 of the rows)}: equal digests mean equal content, across backends."""
        out = {}
        for table in self.table_names():
            cols, rows = self.dump(table)
            order = sorted(range(len(cols)), key=lambda i: cols[i])
            h = hashlib.sha256()
            h.update(json.dumps([cols[i] for i in order], ensure_ascii=False).encode())
            for r in rows:
                h.update(json.dumps([_canon(r[i]) for i in order], ensure_ascii=False).encode())
            out[table] = (len(rows), h.hexdigest())
        return out

    def copy_into(self, other, feedback=None):
        """Copy every row of this store into ``other`` (an empty store of the same version), in
        one transaction of ``other``; then check both digests agree. Returns the digest."""
        if other.version != self.version:
            raise StoreError(tr("Cannot copy a store of version {} into one of version {}.").format(
                self.version, other.version))
        with other.transaction():
            other.begin_bulk()
            for table in self.table_names():
                spec = self.schema.table(table)
                cols, rows = self.dump(table)
                have = {c.lower() for c in other.existing_columns(table)}
                for c in cols:
                    if c.lower() not in have:
                        other.execute(other.add_column_sql(table, c, self.column_type(table, c)))
                other.execute("DELETE FROM {}".format(other.t(table)))
                holders = [other.geom_param() if c == spec.geometry else other.ph for c in cols]
                sql = "INSERT INTO {} ({}) VALUES ({})".format(other.t(table), ", ".join(other.q(c) for c in cols),
                                                              ", ".join(holders))
                gi = cols.index(spec.geometry) if spec.geometry in cols else -1
                other.executemany(sql, [[other.geom_value(v) if i == gi and v is not None else v
                                         for i, v in enumerate(r)] for r in rows])
                other.after_copy(table)
                if feedback is not None and feedback.isCanceled():
                    raise StoreError(tr("Cancelled: the store was not changed."))
            mine, theirs = self.digest(), other.digest()
            lost = [t for t in mine if mine[t] != theirs.get(t)]
            if lost:
                raise StoreError(tr("Copy check failed for {}: {}; nothing was written.").format(
                    ", ".join(lost), "; ".join("{} {} -> {}".format(t, mine[t][0], theirs.get(t, (0,))[0])
                                                for t in lost)))
        return mine

    def after_copy(self, table):
        """PostGIS: move the fid sequence past the copied rows."""

    def begin_bulk(self):
        """PostGIS: the owner's copy is not logged row by row (the copied change_log is the log)."""

    def column_type(self, table, name):
        col = self.schema.table(table).column(name)
        if col is not None:
            return store_schema.TEXT if col.type == store_schema.JSON else col.type
        return self.existing_column_type(table, name)

    def existing_column_type(self, table, name):
        return store_schema.TEXT

    # ---- layers for QGIS -------------------------------------------------------------------------
    def layer_source(self, kind, year=None):
        """(uri, provider) of a store table for QgsVectorLayer (no password in it)."""
        raise NotImplementedError

    def load_layers(self, project=None, year=None, kinds=None):
        """Add the store's tables of ``year`` (default the latest) to ``project`` with LandEval's
        styles, in a group named after the store; returns the layers."""
        from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer

        from .. import paths

        project = project or QgsProject.instance()
        years = self.years()
        if year is None and years:
            year = years[-1]
        kinds = kinds or [t.name for t in self.schema.tables(self.version) if t.layer] + ["register", "reviews"]
        root = project.layerTreeRoot()
        group = root.addGroup(tr("LandEval store {} ({})").format(self.short_name(), year if year else "-"))
        layers = []
        for kind in kinds:
            uri, provider = self.layer_source(kind, year)
            layer = QgsVectorLayer(uri, "{} {}".format(table_title(kind), year or ""), provider)
            if not layer.isValid():
                raise StoreError(tr("Cannot load table {} of {}.").format(kind, self.describe()))
            style = self.schema.table(kind).style
            if style:
                if style == "grade":
                    from ..grading import grade

                    grade.apply_style(layer, "grade")
                else:
                    layer.loadNamedStyle(paths.resource("styles", style + ".qml"), categories=QgsMapLayer.Symbology)
            project.addMapLayer(layer, False)
            group.addLayer(layer)
            layers.append(layer)
        return layers

    def short_name(self):
        return self.describe()


def table_title(kind):
    return {"base_map": tr("Base map"), "enterprises": tr("Enterprises"), "graded": tr("Graded parcels"),
            "clusters": tr("Clusters"), "register": tr("Disposal register"),
            "reviews": tr("Review decisions")}.get(kind, kind)


def _canon(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bool):
        return int(value)
    return value
