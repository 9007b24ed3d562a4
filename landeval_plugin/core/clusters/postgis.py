"""The PostGIS path of 连片整治: the neighbour pairs found inside the database (province scale).

The members (the filter translated to SQL, core/grading/postgis.py), their repaired geometries
and areas are selected in SQL; the neighbour relation of core/clusters/cluster.py is evaluated
by a GiST-indexed self-join with the same tests (gap > 0: distance ≤ gap; gap 0: a shared
stretch, an overlap of at least EPS × MIN_SHARED, or a contact of MIN_SHARED along which the
parcels lie within EPS, measured on the buffer of the parcel with fewer vertices, as GEOS does
in the feature path). Only the pairs (two integers each) come back to Python, where a
union-find makes the components and cluster.summarise the ids, sums and codes, so membership,
ids and areas are the feature path's. Outlines are unions of the members in SQL (with gap > 0,
closed by a gap/2 buffer in and out), not the feature path's bridged outlines.
"""
from ...i18n import tr
from .. import limits, units
from .. import values as _values
from ..grading.postgis import SqlCondition, Untranslatable, join, qi, raw, session_memory, val
from . import cluster as _cluster


class PgMember:
    """What cluster.summarise reads of a member (no geometry in Python)."""

    __slots__ = ("fid", "area_mu", "grade", "town", "tax", "code")

    def __init__(self, fid, area_mu, grade, town, tax, code):
        self.fid = fid
        self.area_mu = area_mu
        self.grade = grade
        self.town = town
        self.tax = tax
        self.code = code


def _number(value):
    """A member's tax as cluster.py reads it: a number, infinite values missing."""
    x = _values.to_float(value)
    return None if x in (float("inf"), float("-inf")) else x


def _root(parent, x):
    """Union-find root of ``x`` with path halving."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _kinds(cur, schema_name, table):
    cur.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = "
                "CAST(%s AS regclass) AND a.attnum > 0 AND NOT a.attisdropped",
                ('{}.{}'.format(qi(schema_name), qi(table)).replace("%%", "%"),))
    out = {}
    for name, t in cur.fetchall():
        base = t.split("(")[0]
        out[name] = ("num" if base in ("double precision", "real", "numeric", "integer", "bigint", "smallint")
                     else "text" if base in ("text", "character varying", "character") else
                     "bool" if base == "boolean" else base)
    return out


def find_clusters_pg(conn, table, filter_text=_cluster.DEFAULT_FILTER, gap_m=0.0, corners=False, min_area_mu=0.0,
                     min_parcels=2, key="fid", geom="geom", where=None, metres_per_unit=1.0, geographic=False,
                     outlines=True, feedback=None):
    """Clusters of ``table`` (schema, name) computed in PostGIS. Returns a cluster.Result whose clusters
    carry their outline (table CRS) as ``geometry``, or raises Untranslatable."""
    from ..grading.condition import parse

    if gap_m is None or gap_m < 0:
        raise _cluster.ClusterError("The gap must be 0 or more metres (got {}).".format(gap_m))
    if geographic:
        raise Untranslatable(tr("a geographic CRS (the feature path projects to a metric zone)"))
    schema_name, name = table
    src = raw("{}.{}".format(qi(schema_name), qi(name)))
    with conn.cursor() as cur:
        session_memory(cur)
        kinds = _kinds(cur, schema_name, name)
        if key not in kinds or geom not in kinds:
            raise Untranslatable(tr("the table has no column {} or {}").format(key, geom))
        lower = {n.lower(): n for n in kinds}

        def col(n):
            return lower.get(n.lower())

        grade_col, final_col = col("grade"), col("grade_final")
        eff = None
        if grade_col and final_col:
            eff = raw("COALESCE(NULLIF(btrim(s.{}), ''), NULLIF(btrim(s.{}), ''))".format(qi(final_col), qi(grade_col)))
        elif grade_col:
            eff = raw("NULLIF(btrim(s.{}), '')".format(qi(grade_col)))

        def column(n):
            c = col(n)
            if c is None:
                raise _cluster.ClusterError("The layer has no field {}.".format(n))
            if c == grade_col:
                return eff, "text"
            kind = kinds[c]
            if kind not in ("num", "text", "bool"):
                raise Untranslatable(tr("field {} of type {}").format(c, kind))
            if kind == "text":
                return raw("NULLIF(btrim(s.{}), '')".format(qi(c))), "text"
            return raw("s.{}".format(qi(c))), kind

        total = raw("SELECT count(*) FROM ") + src + raw(" s") + ((raw(" WHERE ") + where) if where is not None
                                                                  else raw(""))
        cur.execute(total.text, total.params)
        read_all = cur.fetchone()[0]
        cond = raw("TRUE")
        if (filter_text or "").strip():
            cond = raw("(") + SqlCondition(column, {}).truth(parse(filter_text).root) + raw(" IS TRUE)")
        if where is not None:
            cond = cond + raw(" AND ") + where

        def text_of(n):
            c = col(n)
            if c is None:
                return raw("CAST(NULL AS text)")
            return raw("CAST(s.{} AS text)".format(qi(c)))

        area_c, tax_c = col("area_mu"), col("tax_10k")
        g = raw("s.{}".format(qi(geom)))
        f2 = metres_per_unit * metres_per_unit
        eff_sel = eff if eff is not None else raw("CAST(NULL AS text)")
        cur.execute("DROP TABLE IF EXISTS le_cm")
        sql = (raw("CREATE TEMP TABLE le_cm AS SELECT s.{} AS fid, ".format(qi(key))) + g + raw(" AS g0, ")
               + eff_sel + raw(" AS grade, ") + text_of("town") + raw(" AS town, ")
               + (raw("s.{}".format(qi(tax_c))) if tax_c and kinds[tax_c] == "num" else raw("CAST(NULL AS float8)"))
               + raw(" AS tax, ") + text_of("parcel_code") + raw(" AS code, ")
               + (raw("s.{}".format(qi(area_c))) if area_c and kinds[area_c] == "num" else raw("CAST(NULL AS float8)"))
               + raw(" AS area_field FROM ") + src + raw(" s WHERE ") + cond)
        cur.execute(sql.text, sql.params)
        cur.execute("SELECT count(*) FROM le_cm")
        read = cur.fetchone()[0]
        # what the feature path refuses or repairs: empty, too many vertices or parts, invalid
        cur.execute("ALTER TABLE le_cm ADD COLUMN problem text, ADD COLUMN g geometry")
        cur.execute("UPDATE le_cm SET problem = CASE WHEN g0 IS NULL OR ST_IsEmpty(g0) THEN 'empty' "
                    "WHEN ST_NPoints(g0) > %s THEN 'vertices' WHEN ST_NumGeometries(g0) > %s THEN 'parts' END",
                    (limits.MAX_PARCEL_VERTICES, limits.MAX_PARCEL_PARTS))
        cur.execute("UPDATE le_cm SET g = CASE WHEN ST_IsValid(g0) THEN g0 ELSE ST_MakeValid(g0) END "
                    "WHERE problem IS NULL")
        cur.execute("UPDATE le_cm SET problem = 'empty' WHERE problem IS NULL AND ST_IsEmpty(g)")
        report = {"read": None, "members": 0, "no_geometry": [], "repaired": [], "filter_errors": 0, "refused": []}
        cur.execute("SELECT fid, problem, code FROM le_cm WHERE problem IS NOT NULL ORDER BY fid")
        for fid, problem, code in cur.fetchall():
            if problem == "empty":
                report["no_geometry"].append(fid)
            else:
                report["refused"].append((fid, code, problem))
        cur.execute("SELECT fid FROM le_cm WHERE problem IS NULL AND NOT ST_IsValid(g0) ORDER BY fid")
        report["repaired"] = [r[0] for r in cur.fetchall()]
        cur.execute("DELETE FROM le_cm WHERE problem IS NOT NULL")
        cur.execute("DROP TABLE IF EXISTS le_c")
        cur.execute("CREATE TEMP TABLE le_c AS SELECT row_number() OVER (ORDER BY fid) - 1 AS i, fid, g, "
                    "ST_NPoints(g) AS nv, grade, town, tax, code, CASE WHEN area_field > 0 AND area_field < "
                    "'Infinity' THEN area_field ELSE ST_Area(g) * %s / %s END AS area_mu FROM le_cm",
                    (f2, units.M2_PER_MU))
        cur.execute("DROP TABLE le_cm")
        cur.execute("CREATE INDEX ON le_c USING gist (g)")
        cur.execute("ANALYZE le_c")
        cur.execute("SELECT i, fid, area_mu, grade, town, tax, code FROM le_c ORDER BY i")
        members = [PgMember(fid, area, _values.to_text(grade), _values.to_text(town),
                            _number(tax), _values.to_text(code))
                   for _, fid, area, grade, town, tax, code in cur.fetchall()]
        report["members"] = len(members)
        report["read"] = read_all
        report["chosen"] = read
        if feedback is not None:
            feedback.setProgress(30)
        gap = gap_m / metres_per_unit
        eps = _cluster.EPS_M / metres_per_unit
        min_shared = _cluster.MIN_SHARED_M / metres_per_unit
        if gap > 0:
            test = raw("ST_DWithin(a.g, b.g, ") + val(gap * (1 + 1e-12)) + raw(")")
            search = gap * (1 + 1e-12)
        else:
            contact = (raw("(CASE WHEN a.nv >= b.nv THEN ST_Area(ST_Intersection(a.g, ST_Buffer(b.g, ") + val(eps)
                       + raw(", 'quad_segs=2'))) ELSE ST_Area(ST_Intersection(b.g, ST_Buffer(a.g, ") + val(eps)
                       + raw(", 'quad_segs=2'))) END / ") + val(eps) + raw(" >= ") + val(min_shared) + raw(")"))
            touch = raw("TRUE") if corners else contact
            test = (raw("(CASE WHEN ST_Intersects(a.g, b.g) THEN (CASE WHEN left(ST_Relate(a.g, b.g), 1) = '2' "
                        "THEN ST_Area(ST_Intersection(a.g, b.g)) >= ") + val(eps * min_shared)
                    + raw(" ELSE substr(ST_Relate(a.g, b.g), 5, 1) = '1' END) OR ") + touch
                    + raw(" ELSE ST_DWithin(a.g, b.g, ") + val(eps) + raw(") AND ") + touch + raw(" END)"))
            search = eps
        sql = (raw("SELECT a.i, b.i FROM le_c a JOIN le_c b ON a.i < b.i AND ST_DWithin(a.g, b.g, ") + val(search)
               + raw(") WHERE ") + test)
        cur.execute(sql.text, sql.params)
        n = len(members)
        parent = list(range(n))
        for i, j in cur:
            ri, rj = _root(parent, i), _root(parent, j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        groups = {}
        for i in range(n):
            groups.setdefault(_root(parent, i), []).append(i)
        groups = list(groups.values())
        if feedback is not None:
            feedback.setProgress(80)
        clusters, dropped = _cluster.summarise(members, groups, min_area_mu, min_parcels)
        report["groups"] = len(groups)
        assignment = {}
        for c in clusters:
            for fid in c.fids:
                assignment[fid] = c.cluster_id
        if outlines and clusters:
            cur.execute("DROP TABLE IF EXISTS le_ca")
            cur.execute("CREATE TEMP TABLE le_ca (k integer, i bigint)")
            cur.executemany("INSERT INTO le_ca VALUES (%s, %s)", [(k, i) for k, c in enumerate(clusters)
                                                                 for i in c.indices])
            shape = (raw("ST_Multi(ST_Union(c.g))") if gap <= 0 else
                     raw("ST_Multi(ST_Buffer(ST_Union(ST_Buffer(c.g, ") + val(gap / 2) + raw(")), ")
                     + val(-gap / 2) + raw("))"))
            sql = (raw("SELECT a.k, ST_AsBinary(") + shape + raw(") FROM le_ca a JOIN le_c c ON c.i = a.i "
                                                                  "GROUP BY a.k"))
            cur.execute(sql.text, sql.params)
            wkbs = dict(cur.fetchall())
            from qgis.core import QgsGeometry

            for k, c in enumerate(clusters):
                g = QgsGeometry()
                if wkbs.get(k) is not None:
                    g.fromWkb(bytes(wkbs[k]))
                c.geometry = g
            cur.execute("DROP TABLE le_ca")
        cur.execute("DROP TABLE le_c")
    conn.commit()
    params = {"gap_m": float(gap_m), "filter": (filter_text or "").strip(), "corners": bool(corners),
              "min_area_mu": float(min_area_mu or 0.0), "min_parcels": int(min_parcels or 1)}
    return _cluster.Result(clusters, assignment, report, dropped, params)


__all__ = ["PgMember", "find_clusters_pg", "join"]
