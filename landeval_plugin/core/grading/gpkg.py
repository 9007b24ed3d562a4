"""The GeoPackage fast path of grading: a whole GeoPackage layer graded into a GeoPackage through sqlite3.

Reading 100,000 features through QgsFeature and writing them again through a feature sink costs
~4 s before any grading. For the common case (a whole GeoPackage layer graded into a new
GeoPackage) LandEval copies the file with SQLite's backup API (consistent even while QGIS holds
it open in WAL mode), reads only the needed columns with sqlite3, measures areas from the
geometry blobs with QgsGeometry, and writes the grade columns with one UPDATE per
parcel in a single transaction. The score details (about 1.7 KB a parcel as Python text) are
made as each parcel is written, from the numbers the engine hands over, not held in the results.
Any other input (selection, filter, other formats) takes the feature path.
"""
from operator import itemgetter

from ...i18n import tr
from .. import schema
from .grade import OUTPUT_FIELDS, REVIEW_FIELDS, Grader, InputPlan, finish, to_text

_SQL_TYPES = {"string": "TEXT", "double": "REAL", "int": "INTEGER", "bool": "BOOLEAN", "datetime": "TEXT"}


def _gpkg_wkb(blob):
    """WKB inside a GeoPackage geometry blob (None for empty or missing geometries)."""
    if blob is None or len(blob) < 8 or blob[0:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:  # empty geometry
        return None
    env = (0, 32, 48, 48, 64)[(flags >> 1) & 0x07] if ((flags >> 1) & 0x07) < 5 else 0
    return bytes(blob[8 + env:])


def _gpkg_functions(con):
    """The SQL functions GDAL's R-tree triggers name. The UPDATE changes no geometry and no fid,
    so the triggers never run their bodies; the envelope functions refuse rather than guess."""
    def is_empty(blob):
        return 1 if blob is None or _gpkg_wkb(blob) is None else 0

    def refuse(blob):
        raise ValueError("LandEval: geometry envelope requested during a grade-only update")

    con.create_function("ST_IsEmpty", 1, is_empty)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, refuse)


class _Details:
    """Each parcel's score detail (by row index) as the engine hands it over: its text, or the
    format and arguments that make it. The text (about 1.7 KB a parcel: Chinese labels make Python
    store it with two bytes a character) is made when the parcel is written, so a district's
    details are never all held in memory."""

    def __init__(self, n):
        self.data = [None] * n

    def add(self, i, detail):
        self.data[i] = detail

    def texts(self):
        for d in self.data:
            yield d if d is None or d.__class__ is str else d[0] % d[1]


# the tables that name a layer, and their columns naming it: what GDAL's ALTER TABLE … RENAME TO
# (GDAL 3.6) updates besides the table, its R-tree and their triggers
_NAMING_TABLES = (("gpkg_geometry_columns", "table_name"), ("gpkg_contents", "table_name"),
                  ("gpkg_extensions", "table_name"), ("gpkg_metadata_reference", "table_name"),
                  ("gpkg_data_columns", "table_name"), ("gpkg_ogr_contents", "table_name"),
                  ("gpkgext_relations", "base_table_name"), ("gpkgext_relations", "related_table_name"),
                  ("layer_styles", "f_table_name"))


def rename_layer(con, old, new):
    """Rename the GeoPackage layer ``old`` to ``new`` in the open SQLite connection ``con`` (no
    transaction open, ``_gpkg_functions`` registered), as GDAL's ``ALTER TABLE … RENAME TO`` does:
    the table, its R-tree, the rows of the GeoPackage tables that name it, and its R-tree and
    feature-count triggers (renamed; their bodies name the new tables). One transaction. Returns
    None when renamed, else why not (then nothing changed and GDAL renames it). Names that differ
    in case only (a layer 'Parcels' graded into 'parcels.gpkg', which SQLite and GDAL refuse as
    the same name) go through a name of their own."""
    import sqlite3
    import uuid

    try:
        con.execute("BEGIN")
        steps = [(old, new)]
        if con.execute("SELECT lower(?) = lower(?)", (old, new)).fetchone()[0]:
            mid = "landeval_renaming_" + uuid.uuid4().hex[:10]
            steps = [(old, mid), (mid, new)]
        for a, b in steps:
            why = _rename_step(con, a, b)
            if why is not None:
                con.rollback()
                return why
        con.commit()
    except sqlite3.Error as exc:
        con.rollback()
        return str(exc)
    return None


def _rename_step(con, old, new):
    """rename_layer's work inside its transaction; why not, or None."""
    qi = quote_identifier
    q = con.execute
    if q("SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?) AND type IN ('table', 'view')",
         (new,)).fetchone():
        return tr("a table named {} exists").format(new)
    geom = q("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (old,)).fetchone()
    tables = {r[0] for r in q("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rtree_old = rtree_new = None
    if geom is not None and "rtree_{}_{}".format(old, geom[0]) in tables:
        rtree_old, rtree_new = "rtree_{}_{}".format(old, geom[0]), "rtree_{}_{}".format(new, geom[0])
    renamed = []  # (old trigger name, new trigger name, literal naming the table in its body or None)
    for name, sql in q("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                       (old,)).fetchall():
        literal = None
        if rtree_old is not None and name.startswith(rtree_old + "_"):
            to = rtree_new + name[len(rtree_old):]
        elif name in ("trigger_insert_feature_count_" + old, "trigger_delete_feature_count_" + old):
            to = name[:-len(old)] + new
            literal = "lower('{}')".format(old.replace("'", "''"))
            if sql.count(literal) != 1:
                return tr("the trigger {} is not as GDAL writes it").format(name)
        else:
            continue  # another trigger keeps its name; SQLite renames the table in its body
        if not sql.startswith("CREATE TRIGGER {} ".format(qi(name))):
            return tr("the trigger {} is not as GDAL writes it").format(name)
        renamed.append((name, to, literal))
    for t, c in _NAMING_TABLES:
        if t not in tables:
            continue
        if t == "gpkg_contents":
            q("UPDATE gpkg_contents SET identifier = ? WHERE lower(table_name) = lower(?) AND identifier = ?",
              (new, old, old))
        q("UPDATE {} SET {} = ? WHERE lower({}) = lower(?)".format(qi(t), qi(c), qi(c)), (new, old))
    q("ALTER TABLE {} RENAME TO {}".format(qi(old), qi(new)))
    if rtree_old is not None:
        q("ALTER TABLE {} RENAME TO {}".format(qi(rtree_old), qi(rtree_new)))
    for name, to, literal in renamed:
        sql = q("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).fetchone()[0]
        body = sql[len("CREATE TRIGGER {} ".format(qi(name))):]
        if literal is not None:
            body = body.replace(literal, "lower('{}')".format(new.replace("'", "''")))
        q("DROP TRIGGER {}".format(qi(name)))
        q("CREATE TRIGGER {} {}".format(qi(to), body))
    return None


def quote_identifier(name):
    """A table or column name for SQLite SQL: in double quotes, inner quotes doubled."""
    return '"{}"'.format(str(name).replace('"', '""'))


def _read_only_uri(path):
    """sqlite3 URI opening ``path`` read-only (?, # and % in the path quoted)."""
    import os
    import pathlib

    return pathlib.Path(os.path.abspath(path)).as_uri() + "?mode=ro"


def gpkg_tables(path):
    import sqlite3

    con = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        # QGIS's style table (every LandEval output has one, for its Chinese field aliases) is not a layer
        return [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE table_name != 'layer_styles'")]
    finally:
        con.close()


def grade_gpkg(src_path, table, dest_path, std, crs, group_by=None, feedback=None, now=None):
    """Grade one GeoPackage layer into a GeoPackage. Returns (results, areas_mu, plan, finals, uri);
    the results carry no score details (they are written to the output only).

    The graded layer is named after ``dest_path`` (as QGIS names a layer written to a plain
    path). It is built in a hidden temporary file beside ``dest_path``, checked and moved into
    place at the end (files.publish_gpkg_layer): an existing GeoPackage keeps its other
    layers, and a cancelled or failed run (disk full, no permission) leaves nothing behind and
    raises files.OutputError naming ``dest_path``. The source file is only read.
    """
    import os
    import sqlite3

    from qgis.core import QgsGeometry

    from .. import files
    from ..units import AreaMeter
    from . import columns as column_engine  # not at start-up: qgis_process list loads this module

    files.ensure_folder(dest_path)  # before any work: a missing or read-only folder is named
    out_layer = os.path.splitext(os.path.basename(dest_path))[0]
    src = sqlite3.connect(_read_only_uri(src_path), uri=True)
    qi = quote_identifier
    try:
        geom_col = src.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                               (table,)).fetchone()
        if geom_col is None:
            raise ValueError(tr("{}: layer '{}' is not a GeoPackage feature table").format(src_path, table))
        geom_col = geom_col[0]
        info = src.execute("PRAGMA table_info({})".format(qi(table))).fetchall()
        pk = next((c[1] for c in info if c[5]), "fid")
        columns = [c[1] for c in info if c[1] not in (pk, geom_col)]
        plan = InputPlan(std, columns, has_geometry=True)
        plan.check()
        group_by = group_by or std.group_by
        if group_by:
            plan.add_field(group_by, group_by if group_by in columns else plan._find(group_by))
        if plan._find("parcel_code"):  # names the parcel in messages (non-finite values)
            plan.add_field("parcel_code", plan._find("parcel_code"))
        prev_cols = [c for c in OUTPUT_FIELDS + REVIEW_FIELDS if c in columns]
        read_cols = sorted(set(plan.fields.values()) | set(prev_cols))
        plan.bind(read_cols)
        meter = AreaMeter(crs)
        # every identifier quoted: a layer named 'parcels" --' must not read the table 'parcels'
        q = "SELECT {}, {}{} FROM {}".format(qi(pk), qi(geom_col), "".join(", " + qi(c) for c in read_cols), qi(table))
        total = src.execute("SELECT count(*) FROM {}".format(qi(table))).fetchone()[0] or 1
        # the column engine (core/grading/columns.py) keeps numbers per parcel, not a dict of values and results
        by_columns = column_engine.unsupported(std, plan)
        if by_columns is not None and feedback is not None:
            feedback.pushInfo(tr("Graded parcel by parcel (more memory), not by columns: {}").format(by_columns))
        by_columns = by_columns is None
        if by_columns:
            read = _read_columns(src.execute(q), len(read_cols), meter, feedback, total)
            if read is None:
                return None
            fids, raw, areas = read
            del read
            prev_raw = {c: raw[read_cols.index(c)] for c in prev_cols}
            cols = plan.columns(lambda i: list(raw[i]), len(fids), areas)
            del raw, areas
        else:
            fids, records, areas = [], [], []
            geom = QgsGeometry()
            for k, rec in enumerate(src.execute(q)):
                if feedback is not None and k % 10000 == 0:
                    if feedback.isCanceled():
                        return None
                    feedback.setProgress(30.0 * k / total)
                wkb = _gpkg_wkb(rec[1])
                area = None
                if wkb is not None:
                    geom.fromWkb(wkb)
                    area = meter.m2(geom)
                fids.append(rec[0])
                records.append(rec)
                areas.append(area)
            prev_pos = [(c, 2 + read_cols.index(c)) for c in prev_cols]
            previous = [{c: rec[p] for c, p in prev_pos} for rec in records] if prev_pos else [{}] * len(records)
            rows = plan.rows_from_records(records, areas, offset=2)
            del records
            plan.check_rows(rows, group_by)
        single_layer = len(gpkg_tables(src_path)) == 1
        tmp = files.temp_path(dest_path, ".gpkg")
        if single_layer:
            try:
                dst = sqlite3.connect(tmp)
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode = DELETE")  # a WAL-mode source: one self-contained copy
                finally:
                    dst.close()
            except (sqlite3.Error, OSError) as exc:
                files.remove_quietly(tmp)
                raise files.write_failed(dest_path, exc) from exc
    finally:
        src.close()
    tmp_table = table
    if not single_layer:
        from osgeo import gdal

        gdal.UseExceptions()
        try:
            gdal.VectorTranslate(tmp, src_path, format="GPKG", layers=[table], layerName=out_layer, accessMode=None)
        except (RuntimeError, OSError) as exc:
            files.remove_quietly(tmp)
            raise files.write_failed(dest_path, exc) from exc
        tmp_table = out_layer

    if by_columns:
        if "grade_final" not in cols:
            cols["grade_final"] = ([to_text(v) for v in prev_raw["grade_final"]] if "grade_final" in prev_raw
                                   else [None] * len(fids))
    else:
        for row, prev in zip(rows, previous):
            row.setdefault("grade_final", to_text(prev.get("grade_final")) if prev else None)
            if not std.grades and "grade" not in plan.fields:
                row["grade"] = to_text(prev.get("grade"))
    # what wrote the copy besides SQLite here (its errors raise): GDAL may meet a full disk without
    # reporting it, so a copy GDAL wrote to is checked whole at the end (files.check_gpkg_layer)
    gdal_wrote = not single_layer
    try:
        con = sqlite3.connect(tmp)
        _gpkg_functions(con)
        con.execute("PRAGMA synchronous = OFF")
        if tmp_table != out_layer:  # the layer is renamed here, in one small transaction, not by GDAL
            con.execute("PRAGMA journal_mode = MEMORY")
            why = rename_layer(con, tmp_table, out_layer)
            if why is None:
                tmp_table = out_layer
            elif feedback is not None:
                feedback.pushInfo(tr("The graded layer is renamed by GDAL and the copy checked whole: {}").format(why))
        # a private temporary file until os.replace below: no journal needed, it is deleted on failure
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA cache_size = -16000")  # 16 MB: the update runs in fid order; 200 MB only raised the peak
    except sqlite3.Error as exc:
        files.remove_quietly(tmp)
        raise files.write_failed(dest_path, exc) from exc
    if by_columns:
        grader = column_engine.ColumnGrader(std, group_by=group_by, now=now)
    else:
        details = _Details(len(rows))
        grader = Grader(std, group_by=group_by, now=now, detail_sink=details.add)
    try:
        results = grader.run(cols, len(fids), feedback) if by_columns else grader.run(rows, feedback)
    except BaseException as exc:
        con.close()
        files.remove_quietly(tmp)
        if isinstance(exc, sqlite3.Error):
            raise files.write_failed(dest_path, exc) from exc
        raise
    if results is None:
        con.close()
        files.remove_quietly(tmp)
        return None
    plan.notes = grader.notes
    if by_columns:
        areas_mu = cols["area_mu"]
        finals_of = prev_raw.get("grade_final")
        del cols
    else:
        areas_mu = [r.get("area_mu") for r in rows]
        del rows, grader  # the parcels' values are not needed any more: their memory is free for the update
        finish(results, previous, std)
    if feedback is not None:
        feedback.setProgress(80)
    table = tmp_table
    try:
        qt = qi(table)
        have = {c[1] for c in con.execute("PRAGMA table_info({})".format(qt))}
        for name in OUTPUT_FIELDS + REVIEW_FIELDS:
            if name not in have:
                con.execute("ALTER TABLE {} ADD COLUMN {} {}".format(qt, qi(name),
                                                                     _SQL_TYPES[schema.fields()[name]["type"]]))
        # GDAL's R-tree triggers would call back into Python for every row; geometry and fid do
        # not change, so they are set aside for the update and restored in the same transaction
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                               "AND sql LIKE '%ST_%'", (table,)).fetchall()
        for name, _ in triggers:
            con.execute("DROP TRIGGER {}".format(qi(name)))
        # one UPDATE per parcel writes every field (the fields of the run too): each row is rewritten once;
        # a score detail's text is made here, as its parcel is written
        if by_columns:  # the reasons and score details are made here, as each row is written
            # the scored parcels' texts come as UTF-8 bytes, stored as text by the cast (the same bytes)
            utf8 = con.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
            as_text = {"grade_reason", "score_detail"} if utf8 else set()
            updated = con.executemany("UPDATE {} SET {} WHERE {} = ?".format(
                qt, ", ".join(("{} = CAST(? AS TEXT)" if n in as_text else "{} = ?").format(qi(n))
                              for n in OUTPUT_FIELDS), qi(pk)),
                grader.rows(fids, utf8=utf8)).rowcount
            results = grader.results()
        else:
            per_row = [n for n in OUTPUT_FIELDS if n != "score_detail"]
            sets = ", ".join("{} = ?".format(qi(n)) for n in per_row)
            pick = itemgetter(*per_row)
            updated = con.executemany("UPDATE {} SET {}, {} = coalesce(?, ?) WHERE {} = ?".format(
                qt, sets, qi("score_detail"), qi(pk)),
                (pick(res) + (d, res["score_detail"], fid)
                 for res, d, fid in zip(results, details.texts(), fids))).rowcount
        for _, sql in triggers:
            con.execute(sql)
        con.execute("UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                    "WHERE table_name = ?", (table,))
        con.commit()
        con.close()
        if table != out_layer:
            from osgeo import gdal

            gdal.UseExceptions()
            ds = gdal.OpenEx(tmp, gdal.OF_VECTOR | gdal.OF_UPDATE)
            ds.ExecuteSQL('ALTER TABLE "{}" RENAME TO "{}"'.format(table.replace('"', '""'),
                                                                   out_layer.replace('"', '""')))
            ds = None
            gdal_wrote = True
        # every parcel's row was updated (SQLite raised on any write it could not make, a full disk
        # too; files.publish_gpkg_layer's fsync raises on what the disk refuses later); a copy GDAL
        # wrote to is read whole once more
        if updated != len(fids) or (gdal_wrote and files.check_gpkg_layer(tmp, out_layer) != len(fids)):
            raise files.OutputError(tr("Cannot write {}: {}. Nothing was replaced; earlier files are kept.").format(
                dest_path, tr("the copy does not hold every feature")))
    except files.OutputError:
        files.remove_quietly(tmp)
        raise
    except Exception as exc:  # sqlite3/GDAL/OS errors: name the file and the reason
        files.remove_quietly(tmp)
        raise files.write_failed(dest_path, exc) from exc
    uri = files.publish_gpkg_layer(tmp, out_layer, dest_path)
    from .. import aliases

    aliases.save_default_style(dest_path, out_layer)  # Chinese field aliases in the layer's default style
    if by_columns:  # one small dict at a time (grade.summary reads them once)
        shared = {}
        finals = (shared.get(g) or shared.setdefault(g, {"grade": g})
                  for g in (grader.grade if finals_of is None else
                            [to_text(p) or g for g, p in zip(grader.grade, finals_of)]))
    else:
        finals = [{"grade": (to_text(p.get("grade_final")) if p else None) or r["grade"]}
                  for r, p in zip(results, previous)]
    return results, areas_mu, plan, finals, uri


def _read_columns(cursor, width, meter, feedback, total, chunk=10000):
    """(fids, [list of values per read column], areas m²) from ``SELECT fid, geometry, columns...``:
    a chunk of rows at a time, so the district's rows are never all held as tuples."""
    from qgis.core import QgsGeometry

    fids, areas = [], []
    raw = [[] for _ in range(width)]
    geom = QgsGeometry()
    from_wkb, m2, add = geom.fromWkb, meter.m2, areas.append
    while True:
        if feedback is not None:
            if feedback.isCanceled():
                return None
            feedback.setProgress(30.0 * len(fids) / total)
        rows = cursor.fetchmany(chunk)
        if not rows:
            break
        for rec in rows:
            wkb = _gpkg_wkb(rec[1])
            if wkb is None:
                add(None)
            else:
                from_wkb(wkb)
                add(m2(geom))
        fids.extend(map(itemgetter(0), rows))
        for k, col in enumerate(raw, 2):
            col.extend(map(itemgetter(k), rows))  # three times faster than zip(*rows)
    return fids, raw, areas
