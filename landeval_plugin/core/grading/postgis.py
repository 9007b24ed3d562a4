"""The PostGIS path of grading: a PostGIS table graded inside the database (province scale).

At a million parcels the feature path holds every parcel as a Python dict (about 8 GB). Here the
parcels never leave PostgreSQL: areas (ST_Area), indicators, the standard's conditions, item
scores, benchmarks, ranks (window functions) and classes are computed in SQL, and the graded
table is written by one ``CREATE TABLE ... AS`` in the caller's transaction. Reasons and score
details are built in SQL with the same number formats as the engine (core/grading/grade.py):
``to_char`` rounds like C's printf, so ``%.2f``/``%.4f``/``%.10g`` and the engine's ``fmt`` give
the same text. Every value the SQL reads from users (thresholds, labels, reason texts) is a
bound parameter; every identifier (schema, table, column) is quoted.

Not every standard translates: what this module does not translate (direct rules, exclusions,
tags with conditions, derived values, a geographic CRS, infinite values in the data, text that
is not typed as the standard reads it) raises ``Untranslatable`` with the reason, and the caller
grades through the feature path and logs that reason: the two paths never silently differ.
test/test_grade_postgis.py compares both on the sample district for every preset.
"""
import json

from ...i18n import tr
from .. import schema
from ..units import M2_PER_HA, M2_PER_MU
from .condition import fmt
from .grade import (
    OUTPUT_FIELDS,
    REVIEW_FIELDS,
    TAG_MARK,
    InputPlan,
    converter,
    field_type,
    item_texts,
    shown_as_percent,
)


class Cancelled(Exception):
    """The run was cancelled; its transaction was rolled back."""


class Untranslatable(Exception):
    """This standard or this table cannot be graded in SQL with results equal to the engine's."""


def qi(name):
    """An identifier for PostgreSQL SQL: double quotes, inner quotes doubled; '%' doubled for psycopg2."""
    return '"{}"'.format(str(name).replace('"', '""')).replace("%", "%%")


# number formats of the engine, as SQL functions in the session's temporary schema
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION pg_temp.le_g(v float8, p int) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE e text; x int; s text;
BEGIN
  IF v = 0 THEN RETURN CASE WHEN text(v) LIKE '-%' THEN '-0' ELSE '0' END; END IF;
  e := btrim(to_char(v, '9.' || repeat('9', p - 1) || 'EEEE'));
  x := split_part(e, 'e', 2)::int;
  IF x >= -4 AND x < p THEN
    s := to_char(v, 'FM' || repeat('9', 24) || '0.' || repeat('0', p - 1 - x));
  ELSE
    s := split_part(e, 'e', 1);
  END IF;
  IF position('.' in s) > 0 THEN s := rtrim(rtrim(s, '0'), '.'); END IF;
  IF x >= -4 AND x < p THEN RETURN s; END IF;
  RETURN s || 'e' || CASE WHEN x < 0 THEN '-' ELSE '+' END || lpad(abs(x)::text, 2, '0');
END $$;
"""


def session_memory(cur):
    """Room for the run's temporary tables, sorts and hashes (PostgreSQL's defaults, 8 MB of
    temporary buffers and 4 MB per sort, send a province's run to disk). For this transaction only;
    temp_buffers can only be set before the session's first temporary table."""
    cur.execute("SAVEPOINT landeval_memory")
    try:
        cur.execute("SET LOCAL temp_buffers = '256MB'")
    except Exception:  # psycopg2.Error: the session has used temporary tables already
        cur.execute("ROLLBACK TO SAVEPOINT landeval_memory")
    cur.execute("SET LOCAL work_mem = '64MB'")
    cur.execute("RELEASE SAVEPOINT landeval_memory")


def sql_fix(expr, d):
    """SQL of printf's %.<d>f (to_char rounds as C's printf does)."""
    return raw("to_char(") + expr + raw(", 'FM{}0{}')".format("9" * 24, "." + "0" * d if d > 0 else ""))


def sql_trimmed(expr, d):
    """%.<d>f without trailing zeros (and without a trailing point)."""
    return raw("rtrim(rtrim(") + sql_fix(expr, d) + raw(", '0'), '.')") if d > 0 else sql_fix(expr, d)


def sql_fmt(expr):
    """SQL of condition.fmt() for a number (``expr`` should be a column: it is repeated)."""
    return (raw("(CASE WHEN abs(") + expr + raw(") >= 100 THEN ") + sql_trimmed(expr, 1) + raw(" WHEN abs(") + expr
            + raw(") >= 1 THEN ") + sql_trimmed(expr, 2) + raw(" ELSE ") + sql_trimmed(expr, 4) + raw(" END)"))


def sql_g(expr, p):
    """SQL of printf's %.<p>g: inline for 1e-4 <= |x| < 0.99e<p-1> (the decimals follow from log10; a
    value rounding up to the next power prints the same once trailing zeros go), else pg_temp.le_g."""
    fixed = (raw("rtrim(rtrim(to_char(") + expr + raw(", 'FM{}0.' || repeat('0', {} - floor(log(abs(".format(
        "9" * 24, p - 1)) + expr + raw(")))::int)), '0'), '.')"))
    return (raw("(CASE WHEN abs(") + expr + raw(") >= 0.0001 AND abs(") + expr
            + raw(") < {} THEN ".format(repr(0.99 * 10 ** (p - 1)))) + fixed + raw(" ELSE pg_temp.le_g(") + expr
            + raw(", {}) END)".format(p)))


_NUMERIC = {"double precision", "real", "numeric", "integer", "bigint", "smallint"}
_TEXT = {"text", "character varying", "character"}


class _Sql:
    """SQL text with %s placeholders and its parameters, built together."""

    def __init__(self, text="", params=()):
        self.text = text
        self.params = list(params)

    def __add__(self, other):
        if isinstance(other, str):
            return _Sql(self.text + other.replace("%", "%%"), self.params)
        return _Sql(self.text + other.text, self.params + other.params)


def raw(text):
    """SQL text written by this module (no user values): '%' stays as written (placeholders)."""
    return _Sql(text)


def val(v):
    return _Sql("%s", [v])


def join(parts, sep):
    out = _Sql()
    for k, p in enumerate(parts):
        out = out + (raw(sep) if k else raw("")) + p
    return out


# ---- conditions → SQL ----------------------------------------------------------------------------
class SqlCondition:
    """Translates a parsed condition (core/grading/condition.py) to SQL of the same three-valued meaning.

    ``column(name)`` -> (_Sql, kind) with kind 'num', 'text' or 'bool'. Numeric comparisons keep the
    engine's relative tolerance (condition.REL_TOL)."""

    def __init__(self, column, params):
        self.column = column
        self.params = params

    def expr(self, node):
        k = node.kind
        if k == "const":
            v = node.args[0]
            if v is None:
                return raw("NULL"), "null"
            if isinstance(v, bool):
                return raw("TRUE" if v else "FALSE"), "bool"
            if isinstance(v, (int, float)):
                return raw("CAST(%s AS float8)") + _Sql("", [float(v)]), "num"
            return raw("CAST(%s AS text)") + _Sql("", [str(v)]), "text"
        if k in ("name", "var"):
            name = node.args[0]
            if name in self.params:
                return self.expr(type(node)("const", self.params[name]))
            if k == "var":
                raise Untranslatable(tr("variable @{}").format(name))
            return self.column(name)
        if k == "neg":
            s, kind = self.expr(node.args[0])
            if kind != "num":
                raise Untranslatable(tr("sign of a non-number"))
            return raw("(-") + s + raw(")"), "num"
        if k == "arith":
            op = node.args[0]
            a, ka = self.expr(node.args[1])
            b, kb = self.expr(node.args[2])
            if ka != "num" or kb != "num":
                raise Untranslatable(tr("arithmetic on non-numbers"))
            if op in ("/", "%"):
                fn = "/" if op == "/" else "%"
                if fn == "%":
                    raise Untranslatable(tr("the % operator"))
                return raw("(CASE WHEN ") + b + raw(" = 0 THEN NULL ELSE ") + a + raw(" / ") + b + raw(" END)"), "num"
            return raw("(") + a + raw(" {} ".format(op)) + b + raw(")"), "num"
        if k == "call":
            fname, args = node.args
            parts = [self.expr(a) for a in args]
            if fname == "coalesce":
                kinds = {kd for _, kd in parts} - {"null"}
                if len(kinds) > 1:
                    raise Untranslatable(tr("coalesce of mixed types"))
                return raw("COALESCE(") + join([p for p, _ in parts], ", ") + raw(")"), (kinds.pop() if kinds
                                                                                             else "null")
            raise Untranslatable(tr("function {}()").format(fname))
        return self.truth(node), "bool"

    def truth(self, node):
        """SQL boolean (TRUE/FALSE/NULL) of a condition node."""
        k = node.kind
        if k == "not":
            return raw("(NOT ") + self.truth(node.args[0]) + raw(")")
        if k in ("and", "or"):
            return (raw("(") + self.truth(node.args[0]) + raw(" {} ".format(k.upper())) + self.truth(node.args[1])
                    + raw(")"))
        if k == "cmp":
            op = node.args[0]
            a, ka = self.expr(node.args[1])
            b, kb = self.expr(node.args[2])
            return self._compare(op, a, ka, b, kb)
        if k == "isnull":
            a, _ = self.expr(node.args[0])
            return raw("(") + a + raw(" IS NOT NULL)" if node.args[1] else " IS NULL)")
        if k == "in":
            a, ka = self.expr(node.args[0])
            items = [self.expr(n) for n in node.args[1]]
            # engine: missing value -> missing; else any(item = value) — a missing item never matches
            hits = [raw("COALESCE(") + self._compare("=", a, ka, b, kb) + raw(", FALSE)") for b, kb in items]
            body = join(hits, " OR ") if hits else raw("FALSE")
            body = raw("(NOT (") + body + raw("))") if node.args[2] else raw("(") + body + raw(")")
            return raw("(CASE WHEN ") + a + raw(" IS NULL THEN NULL ELSE ") + body + raw(" END)")
        if k == "like":
            a, ka = self.expr(node.args[0])
            pat = node.args[1]
            if ka != "text" or pat.kind != "const" or not isinstance(pat.args[0], str):
                raise Untranslatable(tr("LIKE on a value that is not text, or with a pattern that is not written out"))
            text = pat.args[0]
            import re

            # the engine reads only \%, \_ and \\ as escapes; PostgreSQL reads any backslash as one
            if re.search(r"\\(?![%_\\])", text.replace("\\\\", "")):
                raise Untranslatable(tr("a LIKE pattern with a backslash before another character"))
            op = ("NOT " if node.args[2] else "") + ("ILIKE" if node.args[3] else "LIKE")
            return raw("(") + a + raw(" {} ".format(op)) + val(text) + raw(")")
        if k in ("const", "name", "var", "call"):
            s, kind = self.expr(node)
            if kind == "bool":
                return s
            if kind == "num":
                return raw("(") + s + raw(" <> 0)")
            if kind == "text":
                return raw("(CASE WHEN ") + s + raw(" IS NULL THEN NULL ELSE ") + s + raw(" <> '' END)")
            return raw("CAST(NULL AS boolean)")
        raise Untranslatable(tr("{} in a condition").format(k))

    @staticmethod
    def _compare(op, a, ka, b, kb):
        if "null" in (ka, kb):
            return raw("CAST(NULL AS boolean)")
        if ka == "num" and kb == "num":
            tol = raw("(1e-9 * GREATEST(abs(") + a + raw("), abs(") + b + raw("), 1.0))")
            if op == ">=":
                return raw("(") + a + raw(" >= ") + b + raw(" - ") + tol + raw(")")
            if op == "<":
                return raw("(") + a + raw(" < ") + b + raw(" - ") + tol + raw(")")
            if op == ">":
                return raw("(") + a + raw(" > ") + b + raw(" + ") + tol + raw(")")
            if op == "<=":
                return raw("(") + a + raw(" <= ") + b + raw(" + ") + tol + raw(")")
            if op == "=":
                return raw("(abs(") + a + raw(" - ") + b + raw(") <= ") + tol + raw(")")
            return raw("(abs(") + a + raw(" - ") + b + raw(") > ") + tol + raw(")")
        if ka == "text" and kb == "text":
            sym = {"!=": "<>"}.get(op, op)
            if op in ("<", "<=", ">", ">="):
                return (raw("(") + a + raw(' COLLATE "C" {} '.format(sym)) + b + raw(' COLLATE "C")'))
            return raw("(") + a + raw(" {} ".format(sym)) + b + raw(")")
        if ka == "bool" and kb == "bool" and op in ("=", "!="):
            return raw("(") + a + raw(" {} ".format("=" if op == "=" else "<>")) + b + raw(")")
        raise Untranslatable(tr("comparison of {} with {}").format(ka, kb))


# ---- the run ------------------------------------------------------------------------------------
class PgGrader:
    """Grades ``schema.table`` into ``dest_schema.dest_table`` on a psycopg2 connection.

    ``where`` (_Sql or None): the rows to grade (e.g. one store year). ``key``: the table's unique
    integer key; ``geom``: its geometry column (metres per CRS unit: ``metres_per_unit``).
    """

    def __init__(self, conn, std, table, dest, key="fid", geom="geom", where=None, group_by=None, now=None,
                 metres_per_unit=1.0, geographic=False, feedback=None):
        import datetime

        self.feedback = feedback
        self.steps = 0
        self.conn = conn
        self.std = std
        self.src_schema, self.src_table = table
        self.dest_schema, self.dest_table = dest
        self.key = key
        self.geom = geom
        self.where = where
        self.group_by = group_by or std.group_by
        self.now = now or datetime.datetime.now().replace(microsecond=0)
        self.m2_factor = metres_per_unit * metres_per_unit
        self.geographic = geographic
        self.notes = []
        self.counts = {}

    # -- helpers
    def _exec(self, cur, sql):
        if self.feedback is not None:  # between statements: a cancelled run rolls back, nothing is written
            if self.feedback.isCanceled():
                raise Cancelled()
            self.steps += 1
            self.feedback.setProgress(min(95.0, 3.0 * self.steps))
        cur.execute(sql.text, sql.params)

    def _scalar(self, cur, sql):
        self._exec(cur, sql)
        return cur.fetchone()[0]

    def src(self):
        return raw("{}.{}".format(qi(self.src_schema), qi(self.src_table)))

    def check(self):
        """Raise Untranslatable when this standard has parts the SQL path does not translate."""
        std = self.std
        if self.geographic:
            raise Untranslatable(tr("a geographic CRS (areas on the ellipsoid)"))
        names = {t["name"] for t in std.active_tags}
        if std.low_eff_grades and any(n.startswith("综合评价") and n.endswith("类") for n in names):
            raise Untranslatable(tr("a tag named like the class tag 综合评价X类"))

    def run(self):
        """Grade; returns {class: count}. Raises Untranslatable before writing anything."""
        self.check()
        with self.conn.cursor() as cur:
            session_memory(cur)
            cur.execute(_FUNCTIONS)
            cols = self._columns(cur)
            plan = InputPlan(self.std, [c for c in cols if c not in (self.key, self.geom)], has_geometry=True)
            plan.check()
            if self.group_by:
                plan.add_field(self.group_by, self.group_by if self.group_by in cols else plan._find(self.group_by))
            if plan.deferred:
                raise Untranslatable(tr("fields only some formulas need are absent: {}").format(
                    ", ".join(sorted(plan.deferred))))
            if plan.benchmark_absent:
                raise Untranslatable(tr("benchmark fields absent: {}").format(", ".join(plan.benchmark_absent)))
            self.plan = plan
            self._values(cur, cols)
            self._decide(cur)
            for fi, f in enumerate(self.std.formulas):
                self._score(cur, fi, f)
            self._classify(cur)
            self._write(cur, cols)
            self._exec(cur, raw("SELECT grade, count(*) FROM {}.{} GROUP BY 1".format(qi(self.dest_schema),
                                                                                    qi(self.dest_table))))
            self.counts = dict(cur.fetchall())
            for t in ("le_v", "le_s", "le_res", *getattr(self, "_maps", [])):
                cur.execute("DROP TABLE IF EXISTS {}".format(t))
        return self.counts

    def _columns(self, cur):
        cur.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname FROM pg_attribute a "
                    "JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = CAST(%s AS regclass) AND a.attnum > 0 "
                    "AND NOT a.attisdropped ORDER BY a.attnum",
                    ("{}.{}".format(qi(self.src_schema).replace("%%", "%"), qi(self.src_table).replace("%%", "%")),))
        out = {}
        for name, fmt_type, typname in cur.fetchall():
            base = fmt_type.split("(")[0]
            out[name] = ("num" if base in _NUMERIC else "text" if base in _TEXT else "bool" if base == "boolean"
                         else "geometry" if typname == "geometry" else base)
        if self.key not in out or self.geom not in out:
            raise Untranslatable(tr("the table has no column {} or {}").format(self.key, self.geom))
        return out

    # -- values: one row per parcel with every name the standard reads, typed as the engine reads it
    def _values(self, cur, cols):
        std, plan = self.std, self.plan
        sel = [raw("s.{} AS k".format(qi(self.key)))]
        self.names = {}  # name -> (column in le_v, kind)
        joins = []
        n = 0
        for name, col in sorted(plan.fields.items()):
            kind = cols[col]
            want = field_type(name, std)
            alias = "c{}".format(n)
            n += 1
            src = raw("s.{}".format(qi(col)))
            target = {"double": "num", "int": "num", "bool": "bool", "string": "text", "date": "text",
                      "datetime": "text"}.get(want)
            if target is None:
                raise Untranslatable(tr("field {} of type {}").format(col, want))
            if kind == "num" and target == "num":
                sel.append(raw("CAST(") + src + raw(" AS float8) AS {}".format(alias)))
            elif kind == "bool" and target == "bool":
                sel.append(src + raw(" AS {}".format(alias)))
            else:
                # the engine's reading of each distinct value (trimmed text, synonyms, no-data words,
                # 是/否 as yes/no, numbers written as text, dates) as a table joined to the parcels
                mapping = self._mapping(cur, name, col, kind, target, n)
                if mapping is None:
                    sel.append(src + raw(" AS {}".format(alias)))
                else:
                    joins.append(raw(" LEFT JOIN {t} ON {t}.raw = ".format(t=mapping)) + src)
                    sel.append(raw("{}.val AS {}".format(mapping, alias)))
            self.names[name] = (alias, target)
        for name in plan.optional_absent:
            self.names[name] = ("NULL", "null")
        # the engine's rows also carry the layer's earlier grade_final (and grade, for a tags-only
        # standard) read as text, when the standard itself does not name them
        from .grade import to_text

        prev = ["grade_final"] + (["grade"] if not std.grades else [])
        for name in prev:
            if name in plan.fields or name not in cols:
                continue
            alias = "c{}".format(n)
            n += 1
            src = raw("s.{}".format(qi(name)))
            mapping = self._mapping(cur, name, name, cols[name], "text", n, conv=to_text)
            if mapping is None:
                sel.append(src + raw(" AS {}".format(alias)))
            else:
                joins.append(raw(" LEFT JOIN {t} ON {t}.raw = ".format(t=mapping)) + src)
                sel.append(raw("{}.val AS {}".format(mapping, alias)))
            self.names[name] = (alias, "text")
        g = raw("s.{}".format(qi(self.geom)))
        area = (raw("(CASE WHEN ") + g + raw(" IS NULL THEN NULL WHEN ST_IsEmpty(") + g
                + raw(") THEN 0.0 ELSE ST_Area(")
                + g + raw(") * ") + val(self.m2_factor) + raw(" END)"))
        sel.append(area + raw(" AS area_m2"))
        src_sql = raw("FROM ") + self.src() + raw(" s") + join(joins, "")
        if self.where is not None:
            src_sql = src_sql + raw(" WHERE ") + self.where
        cur.execute("DROP TABLE IF EXISTS le_v")
        self._exec(cur, raw("CREATE TEMP TABLE le_v AS SELECT row_number() OVER (ORDER BY k) AS ord, q.*, "
                            "q.area_m2 / ") + val(M2_PER_MU) + raw(" AS area_mu, q.area_m2 / ") + val(M2_PER_HA)
                   + raw(" AS area_ha FROM (SELECT ") + join(sel, ", ") + raw(" ") + src_sql + raw(") q"))
        for a in ("area_m2", "area_mu", "area_ha"):
            self.names[a] = (a, "num")
        computed, later = [], []
        for name, (num, den) in sorted(plan.computed.items()):
            a, b = self.names[num][0], self.names[den][0]
            alias = "c{}".format(n)
            n += 1
            computed.append("ADD COLUMN {} float8".format(alias))
            self.names[name] = (alias, "num")
            later.append((alias, a, b))
        if computed:
            cur.execute("ALTER TABLE le_v " + ", ".join(computed))
            cur.execute("UPDATE le_v SET " + ", ".join(
                "{} = CASE WHEN {a} IS NOT NULL AND {b} IS NOT NULL AND {b} > 0 THEN {a} / {b} END".format(
                    c, a=a, b=b) for c, a, b in later))
        for name, c in std.derived:
            expr, kind = SqlCondition(self.column, std.params).expr(c.root)
            if kind == "null":
                self.names[name] = ("NULL", "null")
                continue
            alias = "c{}".format(n)
            n += 1
            cur.execute("ALTER TABLE le_v ADD COLUMN {} {}".format(alias, {"num": "float8", "text": "text",
                                                                           "bool": "boolean"}[kind]))
            self._exec(cur, raw("UPDATE le_v v SET {} = ".format(alias)) + expr)
            self.names[name] = (alias, kind)
        cur.execute("CREATE UNIQUE INDEX ON le_v (k)")
        # infinite or NaN values: the engine names the parcel and sets it T; not translated
        checked = sorted({k for k in std.names_needed() if field_type(k, std) in ("double", "int")}
                         | {"area_m2", "area_mu", "area_ha"})
        checked += [d for d, _ in std.derived]
        cond = [self.names[k][0] for k in checked if k in self.names and self.names[k][1] == "num"]
        if cond:
            cur.execute("SELECT count(*) FROM le_v WHERE " + " OR ".join(
                "{} IN ('Infinity', '-Infinity', 'NaN')".format(c) for c in cond))
            bad = cur.fetchone()[0]
            if bad:
                raise Untranslatable(tr("{} parcel(s) hold infinite or NaN values").format(bad))
        cur.execute("SELECT count(*) FROM le_v")
        self.total = cur.fetchone()[0]

    def _mapping(self, cur, name, col, kind, target, n, conv=None):
        """A temporary table (raw value -> value as the engine reads it) for ``col``, or None when
        every value already reads as itself (text columns of plain text)."""
        conv = conv or converter(name, self.std)
        cur.execute("SELECT DISTINCT {} FROM {}.{} LIMIT 20001".format(
            qi(col), qi(self.src_schema), qi(self.src_table)).replace("%%", "%"))
        distinct = [r[0] for r in cur.fetchall()]
        if len(distinct) > 20000:
            raise Untranslatable(tr("field {} holds more than 20,000 different values").format(col))
        mapped = []
        for v in distinct:
            if v is None:
                continue
            got = conv(v)
            if got is not None:
                ok = {"num": isinstance(got, float) and not isinstance(got, bool), "bool": isinstance(got, bool),
                      "text": isinstance(got, str)}[target]
                if not ok:
                    raise Untranslatable(tr("field {}: value {!r} reads as {!r}").format(col, v, got))
            mapped.append((v, got))
        if kind == target and all(a == b for a, b in mapped):
            return None
        types = {"num": "float8", "bool": "boolean", "text": "text"}
        src_type = {"num": "float8", "bool": "boolean", "text": "text"}.get(kind)
        if src_type is None:
            cur.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                        "CAST(%s AS regclass) AND attname = %s",
                        ("{}.{}".format(qi(self.src_schema), qi(self.src_table)).replace("%%", "%"), col))
            src_type = cur.fetchone()[0]
        table = "le_map{}".format(n)
        cur.execute("DROP TABLE IF EXISTS {}".format(table))
        cur.execute("CREATE TEMP TABLE {} (raw {} PRIMARY KEY, val {})".format(table, src_type, types[target]))
        cur.executemany("INSERT INTO {} VALUES (%s, %s)".format(table), mapped)
        self._maps = getattr(self, "_maps", []) + [table]
        return table

    def column(self, name):
        if name not in self.names:
            raise Untranslatable(tr("name {}").format(name))
        alias, kind = self.names[name]
        if alias == "NULL":
            return raw("NULL"), "null"
        if alias.startswith("!"):  # an expression of the final statement (the grade just computed)
            return raw(alias[1:]), kind
        return raw("v." + alias), kind

    def cond(self, c):
        return SqlCondition(self.column, self.std.params).truth(c.root)

    # -- which parcels are scored by which formula; T reasons for the others
    def _decide(self, cur):
        std = self.std
        from .grade import Grader

        needs_area = Grader(std)._needs_area()
        if not std.grades:  # tags only: no class decided here
            cur.execute("DROP TABLE IF EXISTS le_s")
            cur.execute("CREATE TEMP TABLE le_s AS SELECT k, ord, CAST(NULL AS integer) AS fi, CAST(NULL AS text) "
                        "AS t_grade, CAST(NULL AS text) AS t_reason, CAST(NULL AS float8) AS score, CAST(NULL AS text) "
                        "AS detail, CAST(NULL AS text) AS parts FROM le_v")
            cur.execute("CREATE UNIQUE INDEX ON le_s (k)")
            return

        def first(rules):
            if not rules:
                return raw("CAST(NULL AS integer)")
            return raw("(CASE ") + join([raw("WHEN ") + self.cond(r["when"]) + raw(" IS TRUE THEN {}".format(i))
                                         for i, r in enumerate(rules)], " ") + raw(" END)")

        def reasons(rules, col, grade=None):
            return join([raw("WHEN {} THEN ".format(i)) + self.rule_reason(r, grade or r["grade"])
                         for i, r in enumerate(rules)], " ")

        cases = []
        if needs_area:
            cases.append(raw("WHEN v.area_m2 IS NULL THEN -1 WHEN v.area_m2 <= 0 THEN -2"))
        for fi, f in enumerate(std.formulas):
            cases.append(raw("WHEN ") + (self.cond(f["when"]) if f["when"] else raw("TRUE"))
                         + raw(" IS TRUE THEN {}".format(fi)))
        fsql = raw("(CASE ") + join(cases, " ") + raw(" ELSE {} END)".format(-3 if std.formulas else -4))
        # formula found, but a not_graded item is missing: T naming them
        miss = []
        for fi, f in enumerate(std.formulas):
            labels = [self.if_null(it.indicator, std.label(it.indicator)[0]) for it in f["items"]
                      if it.missing == "not_graded"]
            if labels:
                miss.append(raw("WHEN {} THEN NULLIF(concat_ws('、', ".format(fi)) + join(labels, ", ")
                            + raw("), '')"))
        msql = raw("(CASE d.fi ") + join(miss, " ") + raw(" END)") if miss else raw("CAST(NULL AS text)")
        # no formula: the names its conditions miss, else 不属于 …
        miss_no = self.missing_labels([f["when"] for f in std.formulas if f["when"]])
        no_formula = "不属于 " + "/".join(f["name"] for f in std.formulas)
        none_sql = (raw("'无适用的评分公式（' || COALESCE('缺失：' || NULLIF(") + miss_no + raw(", ''), ")
                    + val(no_formula) + raw(") || '）→ T'"))
        # no formula at all (rules only): the facts the rules read, and those missing
        conds = [r["when"] for r in std.rules]
        known = self.known_attributes(conds)
        text = raw("concat_ws('；', NULLIF(") + known + raw(", ''), '缺失：' || NULLIF(") + self.missing_labels(conds) \
            + raw(", ''))")
        manual = raw("'未满足任何直接判定规则（' || ") + text + raw(" || '），需人工研判 → T'")
        cur.execute("DROP TABLE IF EXISTS le_s")
        rule_reason = (raw("CASE d.ri ") + reasons(std.rules, "ri") + raw(" END")) if std.rules else raw("NULL")
        excl_reason = (raw("CASE d.ei ") + reasons(std.exclusions, "ei", "T") + raw(" END")) if std.exclusions \
            else raw("NULL")
        rule_grade = (raw("CASE d.ri ") + join([raw("WHEN {} THEN ".format(i)) + val(r["grade"])
                                                for i, r in enumerate(std.rules)], " ") + raw(" END")) \
            if std.rules else raw("NULL")
        self._exec(cur, raw("CREATE TEMP TABLE le_s AS SELECT d.k, d.ord, CASE WHEN d.ri IS NULL AND d.ei IS NULL "
                            "AND d.fi >= 0 AND m.miss IS NULL THEN d.fi END AS fi, CASE WHEN d.ri IS NOT NULL THEN ")
                   + rule_grade + raw(" ELSE 'T' END AS t_grade, CASE WHEN d.ri IS NOT NULL THEN ") + rule_reason
                   + raw(" WHEN d.ei IS NOT NULL THEN ") + excl_reason + raw(" WHEN d.fi = -1 THEN ")
                   + val("用地面积缺失，无法计算地均/亩均指标，不参与评价 → T") + raw(" WHEN d.fi = -2 THEN ")
                   + val("用地面积为零，无法计算地均/亩均指标，不参与评价 → T") + raw(" WHEN d.fi = -3 THEN ")
                   + none_sql
                   + raw(" WHEN d.fi = -4 THEN ") + manual
                   + raw(" ELSE m.miss || '缺失，按标准不参与评分 → T' END AS t_reason, "
                         "CAST(NULL AS float8) AS score, CAST(NULL AS text) AS detail, CAST(NULL AS text) AS parts "
                         "FROM (SELECT v.k, v.ord, ") + first(std.rules) + raw(" AS ri, ") + first(std.exclusions)
                   + raw(" AS ei, ") + fsql + raw(" AS fi FROM le_v v) d JOIN le_v v ON v.k = d.k "
                                                 "CROSS JOIN LATERAL (SELECT ") + msql + raw(" AS miss) m"))
        cur.execute("CREATE UNIQUE INDEX ON le_s (k)")

    # -- texts of reasons, as the engine writes them
    def if_null(self, name, label):
        """SQL: ``label`` when the parcel's ``name`` is missing, else NULL."""
        expr, kind = self.column(name)
        if kind == "null":
            return val(label)
        return raw("CASE WHEN ") + expr + raw(" IS NULL THEN ") + val(label) + raw(" END")

    def missing_labels(self, conds):
        """SQL text: '、'-joined labels of the names the conditions read that the parcel misses
        (engine: _missing_in)."""
        names = []
        for c in conds:
            for n in c.names:
                if n in self.std.params or n in names:
                    continue
                names.append(n)
        if not names:
            return raw("''")
        return raw("concat_ws('、', ") + join([self.if_null(n, self.std.label(n)[0]) for n in names], ", ") + raw(")")

    def known_attributes(self, conds):
        """SQL text: '项目类型 自用工业用地项目，违规违约 是' (engine: _attributes_in)."""
        seen, parts = set(), []
        derived = {n for n, _ in self.std.derived}
        for c in conds:
            for n in c.names:
                if n in seen or n in self.std.params or n in derived:
                    continue
                seen.add(n)
                expr, kind = self.column(n)
                if kind in ("text", "bool"):
                    parts.append(raw("CASE WHEN ") + expr + raw(" IS NOT NULL THEN ") + val(self.std.label(n)[0] + " ")
                                 + raw(" || ") + _fmt_any(expr, kind) + raw(" END"))
        if not parts:
            return raw("''")
        return raw("concat_ws('，', ") + join(parts, ", ") + raw(")")

    def label(self, name):
        """Grader's label(): (label, unit) of the names explained with their values, None for the others."""
        std = self.std
        if name in std.params:
            return None
        lab, unit = std.label(name)
        spec = schema.fields().get(schema.split_year_suffix(name)[0]) or {}
        derived = {n for n, _ in std.derived}
        if name in derived or spec.get("group") in ("indicator", "enterprise") or name.startswith("area_") \
                or spec.get("type") in ("double", "int") or std.extra_fields.get(name, {}).get("type") in ("double",
                                                                                                          "int"):
            return lab, unit
        return None

    def value(self, node):
        """(_Sql, kind) of an expression node, params as constants."""
        return SqlCondition(self.column, self.std.params).expr(node)

    def explain(self, cond):
        """SQL text of the engine's explainer (condition.explainer) joined by '；' ('' when nothing)."""
        parts = []
        for node in walk(cond.root):
            if node.kind == "isnull" and not node.args[1] and node.args[0].kind == "name":
                name = node.args[0].args[0]
                if name in self.std.params:
                    continue
                parts.append(self.if_null(name, self.std.label(name)[0] + " 缺失"))
        for node in cond.comparisons():
            name = node.args[1].args[0]
            lab = self.label(name)
            if lab is None:
                continue
            text, unit = lab
            op = node.args[0]
            v, kv = self.value(node.args[1])
            b, kb = self.value(node.args[2])
            if kv == "null":
                parts.append(val(text + " 缺失"))
                continue
            held = SqlCondition._compare(op, v, kv, b, kb)
            sym = (raw("(CASE WHEN ") + held + raw(" IS NULL THEN ") + val(SHOW[op]) + raw(" WHEN ") + held
                   + raw(" THEN ") + val(HELD[(op, True)]) + raw(" ELSE ") + val(HELD[(op, False)]) + raw(" END)"))
            shown_b = raw("'None'") if kb == "null" else raw("COALESCE(") + _fmt_any(b, kb, exact=True) + raw(
                ", 'None')")
            parts.append(raw("CASE WHEN ") + v + raw(" IS NULL THEN ") + val(text + " 缺失") + raw(" ELSE ")
                         + val(text + " ") + raw(" || ") + _fmt_any(v, kv) + raw(" || ") + val(
                             (" " + unit if unit else "") + " ") + raw(" || ") + sym + raw(" || ' ' || ") + shown_b
                         + raw(" END"))
        if not parts:
            return raw("''")
        return raw("concat_ws('；', ") + join(parts, ", ") + raw(")")

    def fill(self, text):
        """SQL text of a reason with its {name} parts filled in (engine: _fill)."""
        import re

        if "{" not in text:
            return val(text)
        out, pos = [], 0
        for m in re.finditer(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", text):
            out.append(val(text[pos:m.start()]))
            name = m.group(1)
            if name in self.names and self.names[name][1] != "null":
                expr, kind = self.column(name)
                out.append(raw("COALESCE(") + _fmt_any(expr, kind) + raw(", '—')"))
            else:
                out.append(val("—"))
            pos = m.end()
        out.append(val(text[pos:]))
        return raw("(") + join(out, " || ") + raw(")")

    def rule_reason(self, r, grade):
        body = self.fill(r["reason"])
        if r.get("assumption"):
            body = body + raw(" || ") + val("（{}）".format(r["assumption"]))
        if r.get("explain", True):
            ex = self.explain(r["when"])
            body = body + raw(" || COALESCE('：' || NULLIF(") + ex + raw(", ''), '')")
        return raw("(") + body + raw(" || ") + val(" → " + grade) + raw(")")

    # -- scores of one formula's parcels
    def _benchmark(self, cur, it, fi):
        b = it.benchmark
        if not isinstance(b, dict):
            return b, ""
        per_formula = bool((self.std.classify or {}).get("per_formula"))
        pool = raw(" FROM le_v v JOIN le_s s ON s.k = v.k WHERE s.fi = {}".format(fi)) if per_formula else raw(
            " FROM le_v v WHERE TRUE")

        def stat(name, kind):
            col = self.column(name)[0]
            if self.column(name)[1] == "null":
                return None
            if kind == "mean":
                return self._scalar(cur, raw("SELECT sum(") + col + raw(" ORDER BY v.ord) / count(") + col
                                    + raw(")") + pool)
            vals = self._scalar(cur, raw("SELECT array_agg(") + col + raw(" ORDER BY ") + col + raw(")") + pool
                                + raw(" AND ") + col + raw(" IS NOT NULL"))
            if not vals:
                return None
            m = len(vals) // 2
            return vals[m] if len(vals) % 2 else (vals[m - 1] + vals[m]) / 2

        value = stat(b["of"], b["stat"])
        note = ""
        if value is None:
            note = "{}无数据，以本年{}代替".format(self.std.label(b["of"])[0],
                                                   {"mean": "均值", "median": "中位数"}[b["stat"]])
            line = "基准值：{}".format(note)
            if line not in self.notes:
                self.notes.append(line)
            value = stat(it.indicator, b["stat"])
        if value is None:
            return None, "无数据，无法计算基准值"
        return value * b.get("factor", 1), note

    def _score(self, cur, fi, f):
        in_group = raw(" FROM le_v v JOIN le_s s ON s.k = v.k WHERE s.fi = {}".format(fi))
        if not self._scalar(cur, raw("SELECT count(*)") + in_group):
            return
        items = []
        for it in f["items"]:
            v, kind = self.column(it.indicator)
            if kind == "null":
                v = raw("CAST(NULL AS float8)")
            bench, bnote = self._benchmark(cur, it, fi) if it.method == "ratio" else (None, "")
            lo = hi = None
            if it.method == "minmax":
                self._exec(cur, raw("SELECT min(") + v + raw("), max(") + v + raw(")") + in_group)
                lo, hi = cur.fetchone()
            w = it.weight
            if it.method == "ratio" and it.direction == "higher" and bench:
                sc = v + raw(" * ") + val(w / bench)
            elif it.method == "ratio":
                if bench is None or bench == 0:
                    sc = raw("CAST(NULL AS float8)")
                elif it.direction == "higher":
                    sc = raw("(") + v + raw(" / ") + val(float(bench)) + raw(" * ") + val(w) + raw(")")
                else:
                    sc = (raw("(CASE WHEN ") + v + raw(" > 0 THEN ") + val(float(bench)) + raw(" / ") + v + raw(" * ")
                          + val(w) + raw(" ELSE ") + (val(float(it.cap)) if it.cap is not None
                                                      else raw("CAST(NULL AS float8)")) + raw(" END)"))
            elif it.method == "minmax":
                if hi is None:
                    sc = raw("CAST(NULL AS float8)")
                elif hi == lo:
                    sc = val(float(w))
                else:
                    frac = ((raw("(") + v + raw(" - ") + val(lo) + raw(") / ") + val(hi - lo))
                            if it.direction == "higher" else
                            (raw("(") + val(hi) + raw(" - ") + v + raw(") / ") + val(hi - lo)))
                    sc = (val(w) + raw(" * (") + val(it.floor) + raw(" + ") + val(1 - it.floor) + raw(" * ") + frac
                          + raw(")"))
            else:
                cases = []
                for s in sorted(it.steps, key=lambda s: s["at"], reverse=(it.direction == "higher")):
                    op = ">=" if it.direction == "higher" else "<="
                    cases.append(raw("WHEN ") + v + raw(" {} ".format(op)) + val(float(s["at"])) + raw(" THEN ")
                                 + val(float(s["points"])))
                sc = raw("(CASE ") + join(cases, " ") + raw(" ELSE ") + val(float(it.else_points)) + raw(" END)") \
                    if cases else val(float(it.else_points))
            sc = raw("(CASE WHEN ") + v + raw(" IS NULL THEN NULL ELSE ") + sc + raw(" END)")
            avg = None
            if it.missing == "group_average":
                avg = self._scalar(cur, raw("SELECT sum(x ORDER BY o) / count(x) FROM (SELECT v.ord AS o, ") + sc
                                   + raw(" AS x") + in_group + raw(") q"))
            items.append((it, v, sc, bench, bnote, lo, hi, avg))
        self._score_sql(cur, fi, f, items)

    def _score_sql(self, cur, fi, f, items):
        std = self.std
        cols_a, cols, fails, finals, dparts, pparts = [], [], [], [], [], []
        for j, (it, v, sc, bench, bnote, lo, hi, avg) in enumerate(items):
            lab, unit, head, mid, notes, tail = item_texts(std, f, it, bench, bnote, lo, hi)
            tails = {k: ',"note":{}}}'.format(json.dumps(t, ensure_ascii=False)) for k, t in notes.items()}
            # note kind per parcel: '' value scored, 'avg'/'zero' missing, 'cap' capped
            x = "i{}".format(j)
            if it.missing == "group_average":
                missing_sc = val(avg) if avg is not None else raw("CAST(NULL AS float8)")
                missing_note = "avg"
            elif it.missing == "zero":
                missing_sc, missing_note = val(0.0), "zero"
            else:
                missing_sc, missing_note = raw("CAST(NULL AS float8)"), ""
            cap = val(float(it.cap)) if it.cap is not None else None
            vx, rx = raw("v.{}_v".format(x)), raw("v.{}_r".format(x))
            final = (raw("(CASE WHEN ") + vx + raw(" IS NULL THEN ") + missing_sc
                     + ((raw(" WHEN ") + rx + raw(" > ") + cap + raw(" THEN ") + cap) if cap is not None else raw(""))
                     + raw(" ELSE ") + rx + raw(" END)"))
            note = (raw("(CASE WHEN ") + vx + raw(" IS NULL THEN ") + val(missing_note)
                    + ((raw(" WHEN ") + rx + raw(" > ") + cap + raw(" THEN 'cap'")) if cap is not None else raw(""))
                    + raw(" ELSE '' END)"))
            cols_a += [v + raw(" AS {}_v".format(x)), sc + raw(" AS {}_r".format(x))]
            cols += [final + raw(" AS {}_s".format(x)), note + raw(" AS {}_n".format(x))]
            if it.missing == "group_average":
                fail = "{}缺失且同组无可用数据".format(lab) if avg is None else None
                fails.append((x, fail, "{}无法计分（{}）".format(lab, bnote or "基准值缺失")))
            else:
                fails.append((x, None, "{}无法计分（{}）".format(lab, bnote or "基准值缺失")))
            finals.append(x)
            tail_case = join([raw("WHEN '{}' THEN ".format(k)) + val(t) for k, t in tails.items()], " ")
            xv, xs = raw("{}_v".format(x)), raw("{}_s".format(x))
            dparts.append(val(head) + raw(" || COALESCE(") + sql_g(xv, 10) + raw(", 'null') || ") + val(mid)
                          + raw(" || ") + sql_fix(xs, 4) + raw(" || (CASE {x}_n ".format(x=x)) + tail_case
                          + raw(" END)"))
            if shown_as_percent(it.indicator):
                show = sql_fix(raw("({}_v * 100)".format(x)), 2) + raw(" || '%%'")
            else:
                show = sql_fmt(xv) + ((raw(" || ") + val(" " + unit)) if unit else raw(""))
            vtext = (raw("(CASE {x}_n WHEN 'avg' THEN '缺失，取同组平均分' WHEN 'zero' THEN '缺失，计0分' "
                         "WHEN 'cap' THEN ".format(x=x)) + show + raw(" || ") + val("，封顶{}分".format(
                             fmt(it.cap) if it.cap is not None else "")) + raw(" ELSE ") + show + raw(" END)"))
            pparts.append(val(lab) + raw(" || ") + sql_fix(xs, 2) + raw(" || '分（' || ") + vtext + raw(" || ")
                          + val(tail + "）"))
        fail_sql = []
        for x, fail_missing, fail_none in fails:
            if fail_missing:
                fail_sql.append(raw("WHEN {x}_v IS NULL THEN ".format(x=x)) + val(fail_missing))
            fail_sql.append(raw("WHEN {x}_s IS NULL THEN ".format(x=x)) + val(fail_none))
        total = "(" * len(finals) + "0.0::float8" + "".join(" + {}_s)".format(x) for x in finals)
        extra_total = []
        for kind, bl, sign in (("bonus", std.bonus, 1), ("penalty", std.penalty, -1)):
            for b in bl:
                pts = sign * b["points"]
                extra = json.dumps({"indicator": kind, "label": b["label"], "unit": "", "value": None,
                                    "benchmark": None, "weight": None, "score": pts,
                                    "note": "加分" if sign > 0 else "扣分"}, ensure_ascii=False, separators=(",", ":"))
                text = "{}{}{}".format(b["label"], "+" if sign > 0 else "−", fmt(abs(pts)))
                extra_total.append((self.cond(b["when"]), pts, extra, text))
        head = f["name"] + "："
        # bonus and penalty in file order: each adds its points, a detail entry and a part
        tot = raw(total)
        d_extra, p_extra = [], []
        for b, (c, pts, extra, text) in enumerate(extra_total):
            cols.append(raw("(") + c + raw(" IS TRUE) AS h{}".format(b)))
            tot = raw("(") + tot + raw(" + CASE WHEN h{} THEN ".format(b)) + val(float(pts)) + raw(" ELSE 0.0 END)")
            d_extra.append(raw("CASE WHEN h{} THEN ',' || ".format(b)) + val(extra) + raw(" ELSE '' END"))
            p_extra.append(raw("CASE WHEN h{} THEN '，' || ".format(b)) + val(text) + raw(" ELSE '' END"))
        # items joined by ',', then the extras, each carrying its own ','
        detail = raw("'[' || ") + join(dparts, " || ',' || ") + (
            (raw(" || ") + join(d_extra, " || ")) if d_extra else raw("")) + raw(" || ']'")
        parts = val(head) + raw(" || ") + join(pparts, " || '，' || ") + (
            (raw(" || ") + join(p_extra, " || ")) if p_extra else raw(""))
        fail_expr = raw("(CASE ") + join(fail_sql, " ") + raw(" END)") if fail_sql else raw("CAST(NULL AS text)")
        # three levels: item values and raw scores; final scores, notes, bonus hits; texts and totals
        inner = (raw("(SELECT v.*, ") + join(cols_a, ", ") + raw(" FROM le_v v JOIN le_s s ON s.k = v.k "
                                                                 "WHERE s.fi = {} OFFSET 0) v".format(fi)))
        # OFFSET 0: each level is computed once, not folded into the next (which would repeat its expressions)
        middle = raw("(SELECT v.*, ") + join(cols, ", ") + raw(" FROM ") + inner + raw(" OFFSET 0) v")
        # Python's round(total, 4): the correctly rounded decimal read back (printf rounds the same way)
        self._exec(cur, raw("UPDATE le_s s SET score = CASE WHEN q.fail IS NULL AND q.total NOT IN ('Infinity', "
                            "'-Infinity', 'NaN') THEN CAST(") + sql_fix(raw("q.total"), 4) + raw(" AS float8) END, "
                            "t_reason = CASE WHEN q.fail IS NOT NULL THEN q.fail || ' → T' WHEN q.total IN "
                            "('Infinity', '-Infinity', 'NaN') THEN ")
                   + val("综合得分不是有限数（指标值超出范围，数据有误），不参与排序 → T")
                   + raw(" END, detail = CASE WHEN q.fail IS NULL THEN q.detail END, parts = CASE WHEN q.fail IS NULL "
                         "THEN q.parts END FROM (SELECT v.k, ") + fail_expr + raw(" AS fail, ") + tot
                   + raw(" AS total, ") + detail + raw(" AS detail, ") + parts + raw(" AS parts FROM ") + middle
                   + raw(") q WHERE s.k = q.k"))

    # -- ranks and classes
    def _classify(self, cur):
        std = self.std
        cl = std.classify
        if not cl:
            cur.execute("DROP TABLE IF EXISTS le_res")
            cur.execute("CREATE TEMP TABLE le_res AS SELECT k, score, CAST(NULL AS bigint) AS rnk, detail, "
                        "t_grade AS grade, t_reason AS reason FROM le_s")
            return
        per_formula = bool(cl.get("per_formula"))
        grp = raw("v.{}".format(self.names[self.group_by][0])) if self.group_by else None
        part = []
        part.append(raw("(s.score IS NULL)"))  # unscored parcels are ranked apart (and not kept)
        if per_formula:
            part.append(raw("s.fi"))
        if grp is not None:
            part.append(raw("COALESCE(CAST(") + grp + raw(" AS text), '')"))
        over = raw("PARTITION BY ") + join(part, ", ") + raw(" ")
        names = join([raw("WHEN {} THEN ".format(fi)) + val(f["name"]) for fi, f in enumerate(std.formulas)], " ")
        notes = join([raw("WHEN {} THEN ".format(fi)) + val(f.get("note", "")) for fi, f in enumerate(std.formulas)],
                     " ")
        if per_formula:
            grp_text = raw("'（' || (CASE s.fi ") + names + raw(" END)") + (
                raw(" || '·' || COALESCE(CAST(") + grp + raw(" AS text), '')") if grp is not None else raw("")) + raw(
                " || '）'")
        elif grp is not None:
            grp_text = raw("'（' || COALESCE(CAST(") + grp + raw(" AS text), '') || '）'")
        else:
            grp_text = raw("''")
        if cl["method"] == "thresholds":
            th = list(cl.get("thresholds", {}).items())
            cases = join([raw("WHEN r.score >= ") + val(float(t)) + raw(" THEN ") + val(g) for g, t in th], " ")
            whys = join([raw("WHEN r.score >= ") + val(float(t)) + raw(" THEN ") + val("≥ " + fmt(t)) for g, t in th],
                        " ")
            below = "< {}".format(fmt(th[-1][1])) if th else ""
            grade = raw("(CASE ") + cases + raw(" ELSE ") + val(cl.get("else", "D")) + raw(" END)") if th else val(
                cl.get("else", "D"))
            why = raw("(CASE ") + whys + raw(" ELSE ") + val(below) + raw(" END)") if th else val(below)
        else:
            cuts, acc = [], 0.0
            for g in ("A", "B", "C", "D"):
                if g in cl["quotas"]:
                    acc += cl["quotas"][g]
                    cuts.append((g, acc))
            cases = join([raw("WHEN r.rnk <= floor(") + val(a) + raw(" * r.n / 100.0 + 0.5) THEN ") + val(g)
                          for g, a in cuts], " ")
            grade = raw("(CASE ") + cases + raw(" ELSE ") + val(cuts[-1][0]) + raw(" END)")
            self._why_of = {g: "{}类为前 {}%".format(g, fmt(sum(v for g2, v in cl["quotas"].items() if g2 <= g)))
                            for g, _ in cuts}
        ranked = (raw("(SELECT s.k, s.score, s.detail, s.parts, s.t_reason, s.t_grade, "
                      "CASE WHEN s.score IS NOT NULL THEN rank() OVER (") + over
                  + raw("ORDER BY s.score DESC) END AS rnk, CASE WHEN s.score IS NOT NULL THEN count(s.score) OVER (")
                  + over + raw(") END AS n, ") + grp_text + raw(" AS grp, (CASE s.fi ") + notes
                  + raw(" END) AS note FROM le_s s JOIN le_v v ON v.k = s.k OFFSET 0) r"))
        graded = raw("(SELECT r.*, CASE WHEN r.score IS NOT NULL THEN ") + grade + raw(" END AS grade FROM ") + ranked \
            + raw(" OFFSET 0) r")
        if cl["method"] == "quota":
            why = raw("(CASE r.grade ") + join([raw("WHEN ") + val(g) + raw(" THEN ") + val(t)
                                                for g, t in self._why_of.items()], " ") + raw(" END)")
        reason = (raw("'综合得分 ' || ") + sql_fix(raw("r.score"), 2)
                  + raw(" || '（' || r.parts || '）；第 ' || r.rnk || '/' || r.n || ' 名' || r.grp || '；' || ")
                  + why + raw(" || ' → ' || r.grade || COALESCE('（' || NULLIF(r.note, '') || '）', '')"))
        self._exec(cur, raw("DROP TABLE IF EXISTS le_res"))
        self._exec(cur, raw("CREATE TEMP TABLE le_res AS SELECT r.k, r.score, r.detail, r.rnk, CASE WHEN r.score IS "
                            "NULL THEN COALESCE(r.t_grade, 'T') ELSE r.grade END AS grade, CASE WHEN r.score IS NULL "
                            "THEN r.t_reason ELSE ") + reason + raw(" END AS reason FROM ") + graded)

    def _tags(self):
        """(tags list SQL, why SQL, low_eff SQL) of the final statement (engine: Grader._tag)."""
        std = self.std
        lows = list(std.low_eff_grades)
        if std.grades:
            self.names["grade"] = ("!r.grade", "text")
        g_row = self.column("grade") if "grade" in self.names else (raw("NULL"), "null")
        final = self.column("grade_final") if "grade_final" in self.names else (raw("NULL"), "null")
        g = raw("COALESCE(") + (final[0] if final[1] != "null" else raw("CAST(NULL AS text)")) + raw(", ") + (
            g_row[0] if g_row[1] != "null" else raw("CAST(NULL AS text)")) + raw(")")
        held, why = [], []
        for t in std.active_tags:
            h = self.cond(t["when"])
            ex = self.explain(t["when"]) if t.get("explain", True) else raw("''")
            if t.get("assumption"):
                ex = raw("concat_ws('；', NULLIF(") + ex + raw(", ''), ") + val(t["assumption"]) + raw(")")
            held.append(raw("CASE WHEN ") + h + raw(" IS TRUE THEN ") + val(t["name"]) + raw(" END"))
            why.append(raw("CASE WHEN ") + h + raw(" IS TRUE THEN ") + val(t["name"])
                       + raw(" || COALESCE('（' || NULLIF(")
                       + ex + raw(", '') || '）', '') END"))
        if lows:
            cls = (raw("CASE WHEN ") + g + raw(" = ANY(") + val(lows) + raw(") THEN '综合评价' || ") + g
                   + raw(" || '类' END"))
            held.append(cls)
            why.append(cls)
        if not held:
            return raw("CAST(NULL AS text)"), raw("CAST(NULL AS text)"), raw("CAST(NULL AS boolean)")
        tags = raw("NULLIF(concat_ws('、', ") + join(held, ", ") + raw("), '')")
        whys = raw("NULLIF(concat_ws('；', ") + join(why, ", ") + raw("), '')")
        if std.period_note and std.active_tags:
            whys = raw("('注意：' || ") + val(std.period_note) + raw(" || '；' || ") + whys + raw(")")
        return tags, whys, raw("TRUE")

    def _tag_notes(self, cur):
        """The engine's notes on tags it could not judge for missing data (count and the names missing)."""
        from_sql = raw(" FROM le_v v JOIN le_res r ON r.k = v.k")
        for t in self.std.active_tags:
            h = self.cond(t["when"])
            count = self._scalar(cur, raw("SELECT count(*)") + from_sql + raw(" WHERE ") + h + raw(" IS NULL"))
            if not count:
                continue
            names = [n for n in t["when"].names if n not in self.std.params]
            firsts = []
            for j, n in enumerate(names):
                expr, kind = self.column(n)
                where = raw(" WHERE ") + h + raw(" IS NULL") + (raw(" AND ") + expr + raw(" IS NULL")
                                                                 if kind != "null" else raw(""))
                first = self._scalar(cur, raw("SELECT min(v.ord)") + from_sql + where)
                if first is not None:
                    firsts.append((first, j, self.std.label(n)[0]))
            labels = []
            for _, _, lab in sorted(firsts):
                if lab not in labels:
                    labels.append(lab)
            self.notes.append("{}：{} 宗地块因数据缺失未能判断（缺：{}）".format(
                t["name"], count, "、".join(labels[:6]) or "—"))

    def _write(self, cur, cols):
        std = self.std
        tags, whys, has_tags = self._tags()
        ours = set(OUTPUT_FIELDS) | set(REVIEW_FIELDS)
        keep = [c for c in cols if c not in ours and c != self.key]
        review = []
        for name in REVIEW_FIELDS:
            if name in cols:
                review.append(raw("s.{} AS {}".format(qi(name), qi(name))))
            else:
                review.append(raw("CAST(NULL AS text) AS {}".format(qi(name))))
        stamp = self.now.isoformat(sep=" ")
        dest = raw("{}.{}".format(qi(self.dest_schema), qi(self.dest_table)))
        low_eff = raw("(t.tags IS NOT NULL)") if has_tags.text == "TRUE" else raw("CAST(NULL AS boolean)")
        if std.grades:
            out = (raw("r.grade AS grade, r.score AS score, CAST(r.rnk AS integer) AS rank, r.reason || COALESCE(")
                   + val(TAG_MARK) + raw(" || t.why, '') AS grade_reason, r.detail AS score_detail, ") + low_eff
                   + raw(" AS low_eff, t.tags AS low_eff_tags, ") + val(std.display_id()) + raw(" AS standard, CAST(")
                   + val(std.year) + raw(" AS integer) AS eval_year, ") + val(stamp) + raw(" AS graded_at"))
        else:
            # a tags-only standard keeps the layer's grades and adds its id to the standards named
            def prev(name, sql_type):
                return raw("s.{}".format(qi(name))) if name in cols else raw("CAST(NULL AS {})".format(sql_type))

            base = prev("grade_reason", "text")
            base = raw("NULLIF(CASE WHEN strpos(") + base + raw(", ") + val(TAG_MARK) + raw(") > 0 THEN left(") + base \
                + raw(", strpos(") + base + raw(", ") + val(TAG_MARK) + raw(") - 1) ELSE ") + base + raw(" END, '')")
            old = prev("standard", "text")
            kept = (raw("array_to_string(ARRAY(SELECT p FROM unnest(string_to_array(COALESCE(") + old
                    + raw(", ''), ' + ')) WITH ORDINALITY AS x(p, o) WHERE p <> '' AND NOT starts_with(p, ")
                    + val(std.id + " ") + raw(") ORDER BY o), ' + ')"))
            year = (raw("CAST(") + val(std.year) + raw(" AS integer)")) if std.year is not None else prev("eval_year",
                                                                                                         "integer")
            out = (prev("grade", "text") + raw(" AS grade, ") + prev("score", "float8") + raw(" AS score, ")
                   + prev("rank", "integer") + raw(" AS rank, CASE WHEN t.why IS NOT NULL THEN COALESCE(") + base
                   + raw(", '') || ") + val(TAG_MARK) + raw(" || t.why ELSE ") + base + raw(" END AS grade_reason, ")
                   + prev("score_detail", "text") + raw(" AS score_detail, ") + low_eff
                   + raw(" AS low_eff, t.tags AS low_eff_tags, COALESCE(NULLIF(") + kept
                   + raw(", '') || ' + ', '') || ")
                   + val(std.display_id()) + raw(" AS standard, ") + year + raw(" AS eval_year, ")
                   + prev("graded_at", "text") + raw(" AS graded_at"))
        sel = [raw("s.{}".format(qi(self.key)))] + [raw("s.{}".format(qi(c))) for c in keep] + [out] + review
        self._exec(cur, raw("DROP TABLE IF EXISTS ") + dest)
        self._exec(cur, raw("CREATE TABLE ") + dest + raw(" AS SELECT ") + join(sel, ", ") + raw(" FROM ")
                   + self.src() + raw(" s JOIN le_res r ON r.k = s.{k} JOIN le_v v ON v.k = s.{k} "
                                      "CROSS JOIN LATERAL (SELECT ".format(k=qi(self.key))) + tags
                   + raw(" AS tags, ") + whys + raw(" AS why) t ORDER BY s.{}".format(qi(self.key))))
        self._exec(cur, raw("ALTER TABLE ") + dest + raw(" ADD PRIMARY KEY ({})".format(qi(self.key))))
        self._exec(cur, raw("CREATE INDEX ON ") + dest + raw(" USING gist ({})".format(qi(self.geom))))
        self._tag_notes(cur)


def _fmt_any(expr, kind, exact=False):
    """SQL text of a value as the engine's fmt() (fmt_exact() with ``exact``) shows it."""
    if kind == "num":
        return sql_g(expr, 8) if exact else sql_fmt(expr)
    if kind == "bool":
        return raw("(CASE WHEN ") + expr + raw(" THEN '是' WHEN NOT ") + expr + raw(" THEN '否' END)")
    if kind == "text":
        return expr
    return raw("CAST(NULL AS text)")


# the symbols of explanations, as core/grading/condition.py writes them (test_grade_postgis checks they agree)
HELD = {
    (">=", True): "≥", (">=", False): "<", ("<", True): "<", ("<", False): "≥",
    (">", True): ">", (">", False): "≤", ("<=", True): "≤", ("<=", False): ">",
    ("=", True): "=", ("=", False): "≠", ("!=", True): "≠", ("!=", False): "=",
}
SHOW = {">=": "≥", "<=": "≤", "!=": "≠", "=": "=", "<": "<", ">": ">"}


def walk(node):
    """Every node of a parsed condition, in the order of condition.py's explainer."""
    yield node
    for a in node.args:
        if hasattr(a, "kind") and hasattr(a, "args"):
            yield from walk(a)
        elif isinstance(a, list):
            for b in a:
                yield from walk(b)


def grade_table(conn, std, table, dest, log=None, **kw):
    """Grade in PostGIS in one transaction; returns the PgGrader (counts, notes) or None when this
    standard or table is not translated (``log`` receives the reason; nothing was written)."""
    grader = PgGrader(conn, std, table, dest, **kw)
    autocommit = conn.autocommit
    if autocommit:
        conn.autocommit = False  # one transaction: the graded table appears whole or not at all
    try:
        with conn:
            grader.run()
    except Untranslatable as exc:
        if log is not None:
            log(str(exc))
        return None
    finally:
        if autocommit:
            conn.autocommit = True
    return grader


__all__ = ["Cancelled", "PgGrader", "Untranslatable", "grade_table"]
