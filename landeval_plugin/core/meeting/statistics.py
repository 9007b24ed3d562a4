"""研判会 statistics: counts, 亩 and 万元 by class × town, tag, disposal path, cluster and year.

Read a layer once (``read_parcels``), then cross-tabulate it any number of ways (``crosstab``)::

    parcels = read_parcels(layer, expression='"town" = \\'分水镇\\'')
    tab = crosstab(parcels, "town", "class")        # rows: towns, columns: classes
    tab.value("分水镇", "D", "mu")                    # 亩 of the D parcels of 分水镇
    table = tab.table(("count", "mu"))              # flat Table: columns, rows, totals
    write_workbook("统计.xlsx", [table])             # formatted workbook
    render_chart(tab, "mu").save("统计.png")          # stacked bar chart (QImage)

What is counted (the same for the panel, the workbook and ``landeval:statistics``):

* class: ``coalesce(grade_final, grade)`` (the reviewed class wins); path:
  ``coalesce(disposal_final, disposal)``; tag: each tag of ``low_eff_tags`` (a parcel with
  two tags counts under both, the totals row counts it once); cluster: ``cluster_id``;
  year: the values of ``tax_10k``, ``tax_10k_y1``, ``tax_10k_y2`` (and ``output_10k...``) for
  ``data_year``, the year before and the one before that; or, for a layer of the LandEval store
  that holds several years (its ``year`` column: one row per parcel and year), each row in its
  year: year × class counts the parcels, 亩 and 万元 of every year, and every other table counts
  the latest year only (its notes say so) instead of counting a parcel once per year.
* area: from the geometry (planar in a projected CRS, ellipsoidal in a geographic one, as
  everywhere in LandEval); ``area_mu`` only for a parcel without geometry.
* tax and output: sums over the parcels that have a value. Missing is not zero: a cell whose
  parcels all lack a value is None (shown "—") and the table's notes say how many lacked it.
"""
import datetime
import math

from .. import values, vocabulary
from ..units import M2_PER_MU, AreaMeter
from .text import DOCUMENT_LOCALE, tr

MEASURES = ("count", "mu", "tax", "output")
DIMENSIONS = ("class", "town", "tag", "path", "cluster", "year")
TAG_SEPARATORS = ("、", ",", "，", ";", "；")
YEAR_SUFFIXES = ("_y2", "_y1", "")  # oldest first
NONE_KEY = ""  # the key of parcels without a value in a dimension (no class, no town ...)


class StatisticsError(ValueError):
    """The layer cannot give the asked table (a missing field, a bad filter); the message says which."""


# ---- words -----------------------------------------------------------------------------------
def measure_header(measure, locale=DOCUMENT_LOCALE):
    """Column header of a measure with its unit, e.g. 面积（亩）."""
    return {"count": tr("Parcels (count)", locale), "mu": tr("Area (mu)", locale),
            "tax": tr("Tax (10k yuan)", locale), "output": tr("Industrial output (10k yuan)", locale)}[measure]


def dimension_label(dim, locale=DOCUMENT_LOCALE):
    return {"class": tr("Class", locale), "town": tr("Town", locale), "tag": tr("Low-efficiency type", locale),
            "path": tr("Disposal path", locale), "cluster": tr("Renovation area", locale),
            "year": tr("Year", locale)}[dim]


def key_label(dim, key, locale=DOCUMENT_LOCALE):
    """How a key of ``dim`` is printed: 'A 鼓励支持', '（未填镇街）' ..."""
    if dim == "class":
        if key in vocabulary.grade_names():
            return vocabulary.grade_label(key)
        return tr("not graded", locale) if key == NONE_KEY else str(key)
    if key == NONE_KEY:
        return {"town": tr("(no town)", locale), "path": tr("No path proposed", locale),
                "cluster": tr("(not in a renovation area)", locale), "tag": tr("(no tag)", locale),
                "year": tr("(no year)", locale)}[dim]
    if dim == "year" and isinstance(key, str) and key.startswith("_"):
        return {"": tr("Year of the data", locale), "_y1": tr("Year before", locale),
                "_y2": tr("Two years before", locale)}.get(key[1:], key)
    return str(key)


# ---- reading the layer once ----------------------------------------------------------------------
class Parcel:
    """What the statistics need of one parcel (read once, tabulated many times)."""

    __slots__ = ("fid", "code", "name", "klass", "town", "tags", "path", "cluster", "mu", "tax", "output", "years",
                 "row_year")

    def __init__(self, fid, code=None, name=None, klass=NONE_KEY, town=NONE_KEY, tags=(), path=NONE_KEY,
                 cluster=NONE_KEY, mu=0.0, tax=None, output=None, years=None, row_year=None):
        self.fid, self.code, self.name = fid, code, name
        self.row_year = row_year  # the store's year column: the year of this row
        self.klass, self.town, self.tags, self.path, self.cluster = klass, town, tuple(tags), path, cluster
        self.mu, self.tax, self.output = mu, tax, output
        self.years = years or {}  # {year key: (tax, output)}


class ParcelSet:
    """The parcels of a layer (after the filter), with what the layer has and lacks."""

    def __init__(self, parcels, fields, layer_name="", filter_text="", crs_id=""):
        self.parcels = parcels
        self.fields = set(fields)
        self.layer_name = layer_name
        self.filter_text = filter_text
        self.crs_id = crs_id
        # a store layer of several years: one row per parcel and year (a parcel code in two years;
        # a "year" field of another meaning, such as a building year, never repeats a parcel)
        self.store_years = store_years((p.code, p.row_year) for p in parcels)
        # the one year every table but year × … counts: the newest unless chosen (read_parcels' year)
        self.year = self.store_years[-1] if self.store_years else None

    def __len__(self):
        return len(self.parcels)

    def has(self, dim):
        """True when the layer carries the fields of ``dim``."""
        return not _missing_fields(dim, self.fields, self.year_keys())

    def year_keys(self):
        if self.store_years:
            return list(self.store_years)
        keys = set()
        for p in self.parcels:
            keys.update(k for k, (t, o) in p.years.items() if t is not None or o is not None)
        return _sorted_years(keys)

    def available_dimensions(self):
        """The dimensions this layer can be tabulated by (year only with two or more years of data)."""
        return [d for d in DIMENSIONS if self.has(d)]


def store_years(pairs):
    """The years of a layer of the LandEval store holding several years, from its (parcel code,
    year) pairs: sorted, when some parcel code is in two or more years; [] otherwise (a layer of
    one year, or a ``year`` field of another meaning). The walk-through, the presentation legend
    and the minutes (walkthrough.py) use the same rule."""
    years_of = {}
    for code, year in pairs:
        if year is not None and code:
            years_of.setdefault(code, set()).add(year)
    if any(len(ys) >= 2 for ys in years_of.values()):
        return sorted({y for ys in years_of.values() for y in ys})
    return []


def source_years(source, expression=None, context=None):
    """store_years of ``source`` (a layer or a Processing feature source) over the rows
    ``expression`` keeps: the years of a store layer of several years, [] otherwise."""
    from qgis.core import QgsFeatureRequest

    names = source.fields().names()
    if "parcel_code" not in names or "year" not in names:
        return []
    request, expr, context = filter_request(source, expression, None, context, StatisticsError)
    request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    ci, yi = names.index("parcel_code"), names.index("year")
    subset_attributes(request, source.fields(), {ci, yi}, expr)
    return store_years((values.to_text(f.attributes()[ci]), _year(f.attributes()[yi]))
                       for f in source.getFeatures(request) if passes_filter(expr, context, f, StatisticsError))


def year_choice(source, expression=None, year=None, context=None):
    """(the year to count, the years) on ``source``: for a store layer of several years (over the
    rows ``expression`` keeps) ``year`` when it holds it, else the newest; (None, []) for a layer
    of one year. Raises StatisticsError for a year the layer does not hold."""
    years = source_years(source, expression, context)
    if not years:
        return None, []
    if year is None:
        return years[-1], years
    if int(year) not in years:
        name = source.sourceName() if hasattr(source, "sourceName") else source.name()
        raise StatisticsError(tr("The layer {} holds the years {}, not {}.", None).format(
            name, "、".join(str(y) for y in years), year))
    return int(year), years


def _text_key(value):
    text = values.to_text(value)
    return text if text else NONE_KEY


def split_tags(text):
    """The tags of a ``low_eff_tags`` value, in the order written."""
    text = values.to_text(text) or ""
    for sep in TAG_SEPARATORS[1:]:
        text = text.replace(sep, TAG_SEPARATORS[0])
    return tuple(t.strip() for t in text.split(TAG_SEPARATORS[0]) if t.strip())


def filter_request(source, expression, feature_ids, context, error):
    """(QgsFeatureRequest, prepared QgsExpression or None, expression context) restricting
    ``source`` to ``feature_ids`` and ``expression`` (None or "" for all); ``context`` defaults to
    the layer's scopes. An expression that does not parse raises ``error``. Shared by the
    statistics and the published lists."""
    from qgis.core import (
        QgsExpression,
        QgsExpressionContext,
        QgsExpressionContextUtils,
        QgsFeatureRequest,
        QgsVectorLayer,
    )

    request = QgsFeatureRequest()
    if feature_ids is not None:
        request.setFilterFids(list(feature_ids))
    expr = None
    if expression and str(expression).strip():
        expr = QgsExpression(str(expression))
        if expr.hasParserError():
            raise error(tr("The filter expression {} is not valid: {}", None).format(
                expression, expr.parserErrorString().strip()))
        if context is None:
            context = QgsExpressionContext()
            if isinstance(source, QgsVectorLayer):
                context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(source))
        context.setFields(source.fields())
        expr.prepare(context)
    return request, expr, context


def passes_filter(expr, context, feature, error):
    """Whether ``feature`` passes the prepared filter ``expr`` (always, without one); an
    evaluation error raises ``error`` naming the feature."""
    if expr is None:
        return True
    context.setFeature(feature)
    ok = expr.evaluate(context)
    if expr.hasEvalError():
        raise error(tr("The filter expression fails on feature {}: {}", None).format(
            feature.id(), expr.evalErrorString()))
    return bool(ok) and not values.is_null(ok)


def field_index(names, *candidates):
    for name in candidates:
        if name in names:
            return names.index(name)
    return None


def read_parcels(source, expression=None, feature_ids=None, context=None, feedback=None, year=None):
    """A ParcelSet of ``source`` (a QgsVectorLayer or a Processing QgsFeatureSource).

    ``expression``: a QGIS expression restricting the parcels (None or "" for all);
    ``feature_ids``: only these features (e.g. ``layer.selectedFeatureIds()``); both may be
    given. ``context``: a QgsExpressionContext (the layer's scopes by default). ``year``: for a
    layer of the store holding several years, the year the tables count (None: the newest; a
    layer of one year ignores it). Returns None when ``feedback`` is cancelled. Raises
    StatisticsError for an expression that does not parse or fails on a parcel (naming it), or a
    year the store layer does not hold."""
    names = source.fields().names()
    request, expr, context = filter_request(source, expression, feature_ids, context, StatisticsError)
    idx = {
        "code": field_index(names, "parcel_code"),
        "name": field_index(names, "enterprise_name", "owner"),
        "grade": field_index(names, "grade"), "grade_final": field_index(names, "grade_final"),
        "town": field_index(names, "town"), "tags": field_index(names, "low_eff_tags"),
        "disposal": field_index(names, "disposal"), "disposal_final": field_index(names, "disposal_final"),
        "cluster": field_index(names, "cluster_id"), "area_mu": field_index(names, "area_mu"),
        "year": field_index(names, "data_year", "eval_year"),
        "row_year": field_index(names, "year"),
    }
    year_idx = {s: (field_index(names, "tax_10k" + s), field_index(names, "output_10k" + s)) for s in YEAR_SUFFIXES}
    wanted = {v for v in idx.values() if v is not None}
    wanted |= {v for pair in year_idx.values() for v in pair if v is not None}
    subset_attributes(request, source.fields(), wanted, expr)
    meter = AreaMeter(source.sourceCrs()) if hasattr(source, "sourceCrs") else AreaMeter(source.crs())
    total = source.featureCount() if hasattr(source, "featureCount") else -1
    parcels = []

    def get(attrs, key):
        i = idx[key]
        return None if i is None else attrs[i]

    for k, f in enumerate(source.getFeatures(request)):
        if feedback is not None and k % 1000 == 0:
            if feedback.isCanceled():
                return None
            if total and total > 0:
                feedback.setProgress(100.0 * k / total)
        if not passes_filter(expr, context, f, StatisticsError):
            continue
        attrs = f.attributes()
        geom = f.geometry()
        if geom is not None and not geom.isEmpty():
            mu = meter.m2(geom) / M2_PER_MU
        else:
            mu = values.to_float(get(attrs, "area_mu")) or 0.0
        if not math.isfinite(mu):
            mu = 0.0
        base_year = values.to_float(get(attrs, "year"))
        years = {}
        for offset, s in enumerate(reversed(YEAR_SUFFIXES)):  # "", _y1, _y2
            ti, oi = year_idx[s]
            if ti is None and oi is None:
                continue
            t = _finite(attrs[ti]) if ti is not None else None
            o = _finite(attrs[oi]) if oi is not None else None
            key = int(base_year) - offset if base_year is not None else "_" + s
            years[key] = (t, o)
        now = years.get(int(base_year) if base_year is not None else "_", (None, None))
        parcels.append(Parcel(
            f.id(), code=values.to_text(get(attrs, "code")), name=values.to_text(get(attrs, "name")),
            klass=_text_key(get(attrs, "grade_final")) or _text_key(get(attrs, "grade")),
            town=_text_key(get(attrs, "town")), tags=split_tags(get(attrs, "tags")),
            path=_text_key(get(attrs, "disposal_final")) or _text_key(get(attrs, "disposal")),
            cluster=_text_key(get(attrs, "cluster")), mu=mu, tax=now[0], output=now[1], years=years,
            row_year=_year(get(attrs, "row_year"))))
    layer_name = source.sourceName() if hasattr(source, "sourceName") else ""
    crs = source.sourceCrs() if hasattr(source, "sourceCrs") else source.crs()
    out = ParcelSet(parcels, names, layer_name, str(expression or ""), crs.authid())
    if year is not None and out.store_years:
        if int(year) not in out.store_years:
            raise StatisticsError(tr("The layer {} holds the years {}, not {}.", None).format(
                layer_name, "、".join(str(y) for y in out.store_years), year))
        out.year = int(year)
    return out


def _year(value):
    v = values.to_float(value)
    return int(v) if v is not None and math.isfinite(v) and v == int(v) else None


def subset_attributes(request, fields, indices, expr=None):
    """Fetch only ``indices`` (and the fields ``expr`` reads): a parcel layer has 150 columns and
    reading them all costs most of the time."""
    from qgis.core import QgsFeatureRequest

    wanted = set(indices)
    if expr is not None:
        cols = expr.referencedColumns()
        if QgsFeatureRequest.ALL_ATTRIBUTES in cols:
            return request
        wanted |= {fields.lookupField(c) for c in cols if fields.lookupField(c) >= 0}
    return request.setSubsetOfAttributes(sorted(wanted))


def _finite(value):
    v = values.to_float(value)
    return v if v is not None and math.isfinite(v) else None


def _missing_fields(dim, fields, year_keys=()):
    need = {"class": ("grade", "grade_final"), "town": ("town",), "tag": ("low_eff_tags",),
            "path": ("disposal", "disposal_final"), "cluster": ("cluster_id",)}
    if dim == "year":
        return [] if len(year_keys) >= 2 else ["tax_10k_y1"]
    if dim not in need:
        raise StatisticsError(tr("Unknown dimension {} (one of {})", None).format(dim, ", ".join(DIMENSIONS)))
    return [] if any(n in fields for n in need[dim]) else [need[dim][0]]


def _sorted_years(keys):
    ints = sorted(k for k in keys if isinstance(k, int))
    texts = [k for k in ("_" + s for s in YEAR_SUFFIXES) if k in keys]
    return ints + texts


# ---- cross tables --------------------------------------------------------------------------------
class Cell:
    """Sums of one cell: parcels, 亩, tax and output (over parcels with a value) and how many lacked it."""

    __slots__ = ("count", "mu", "tax_sum", "tax_n", "output_sum", "output_n")

    def __init__(self):
        self.count, self.mu = 0, 0.0
        self.tax_sum, self.tax_n, self.output_sum, self.output_n = 0.0, 0, 0.0, 0

    def add(self, mu, tax, output):
        self.count += 1
        self.mu += mu
        if tax is not None:
            self.tax_sum += tax
            self.tax_n += 1
        if output is not None:
            self.output_sum += output
            self.output_n += 1

    @property
    def tax(self):
        return self.tax_sum if self.tax_n else None

    @property
    def output(self):
        return self.output_sum if self.output_n else None

    def value(self, measure):
        return {"count": self.count, "mu": self.mu, "tax": self.tax, "output": self.output}[measure]


class CrossTab:
    """Sums of ``row_dim`` × ``col_dim`` (``col_dim`` None: one column, 合计).

    ``rows`` / ``cols``: the keys in display order; ``label(dim, key)`` prints one.
    ``value(row, col, measure)``; ``col=None`` is the row's total, ``row=None`` the column's.
    ``distinct_totals``: True when a parcel may sit in several rows (tags): the totals row counts
    each parcel once, so it is less than the sum of the rows. ``has_totals_row``: False for years
    (a sum of several years' tax is not a figure anyone reports)."""

    def __init__(self, row_dim, col_dim, rows, cols, cells, row_totals, col_totals, total, missing, parcels,
                 locale=DOCUMENT_LOCALE):
        self.row_dim, self.col_dim = row_dim, col_dim
        self.rows, self.cols = rows, cols
        self.cells, self.row_totals, self.col_totals, self.total = cells, row_totals, col_totals, total
        self.missing = missing  # {"tax": parcels without tax, "output": ...} among those tabulated
        self.parcels = parcels  # the ParcelSet tabulated
        self.locale = locale
        self.distinct_totals = row_dim == "tag"
        self.has_totals_row = row_dim != "year"

    def label(self, dim, key):
        return key_label(dim, key, self.locale)

    def cell(self, row, col=None):
        if row is None and col is None:
            return self.total
        if col is None or self.col_dim is None:
            return self.row_totals.get(row) or Cell() if row is not None else self.total
        if row is None:
            return self.col_totals.get(col) or Cell()
        return self.cells.get((row, col)) or Cell()

    def value(self, row, col=None, measure="count"):
        return self.cell(row, col).value(measure)

    def title(self):
        if self.col_dim is None:
            return tr("By {}", self.locale).format(dimension_label(self.row_dim, self.locale))
        return tr("{} × {}", self.locale).format(dimension_label(self.row_dim, self.locale),
                                                  dimension_label(self.col_dim, self.locale))

    def notes(self):
        """Lines for under the table: the filter, what was counted and what was missing."""
        lo = self.locale
        out = []
        if self.parcels.filter_text:
            out.append(tr("Filter: {}", lo).format(self.parcels.filter_text))
        if self.row_dim == "class" or self.col_dim == "class":
            out.append(tr("Class: the reviewed class (grade_final) where there is one, else the computed class.", lo))
        if self.row_dim == "path" or self.col_dim == "path":
            out.append(tr("Disposal path: the path decided in review where there is one, else the proposed path.", lo))
        if self.distinct_totals:
            out.append(tr("A parcel with several low-efficiency types counts under each; the total counts it once.",
                          lo))
        if self.row_dim == "year" and self.parcels.store_years:
            out.append(tr("Per year: the parcels of each year in the store; no total over years.", lo))
        elif self.row_dim == "year":
            out.append(tr("Per year: the parcels with tax or output data that year; no total over years.", lo))
        elif self.parcels.store_years:
            out.append(tr("The layer holds the years {}: this table counts {} only (the table by year shows each "
                          "year).", lo).format("、".join(str(y) for y in self.parcels.store_years),
                                               self.parcels.year))
        out.append(tr("Area from the parcel geometry (1 mu = 10000/15 m²).", lo))
        for measure in ("tax", "output"):
            n = self.missing.get(measure, 0)
            if n:
                out.append(tr("{} parcel(s) without {} data: left out of its sums, not counted as 0.", lo).format(
                    n, measure_header(measure, lo)))
        return out

    def table(self, measures=MEASURES, title=None):
        """A flat Table: first column the row labels, then for each column key (and 合计) one
        column per measure; the totals row when the table has one."""
        lo = self.locale
        cols = [Column(dimension_label(self.row_dim, lo), kind="text")]
        groups = [(c, self.label(self.col_dim, c)) for c in self.cols] if self.col_dim else []
        groups.append((None, tr("Total", lo)))
        for key, group_label in groups:
            for m in measures:
                cols.append(Column(measure_header(m, lo), group=group_label if self.col_dim else "",
                                   kind="int" if m == "count" else "float", measure=m, key=key))
        rows = []
        for r in self.rows:
            rows.append([self.label(self.row_dim, r)] + [self.value(r, c.key, c.measure) for c in cols[1:]])
        totals = None
        totals_label = ""
        if self.has_totals_row:
            totals_label = tr("Total (each parcel once)", lo) if self.distinct_totals else tr("Total", lo)
            totals = [totals_label] + [self.cell(None, c.key).value(c.measure) for c in cols[1:]]
        return Table(title or self.title(), cols, rows, totals, notes=self.notes(),
                     distinct_totals=self.distinct_totals, sheet_name=self.title())

    def long_rows(self, measures=MEASURES):
        """[(row label, column label or 合计, {measure: value})] for a table layer or CSV."""
        lo = self.locale
        out = []
        for r in self.rows:
            for c in (self.cols if self.col_dim else []) + [None]:
                cell = self.cell(r, c)
                col_label = self.label(self.col_dim, c) if c is not None else tr("Total", lo)
                out.append((self.label(self.row_dim, r), col_label,
                            {m: cell.value(m) for m in measures}))
        if self.has_totals_row:
            for c in (self.cols if self.col_dim else []) + [None]:
                cell = self.cell(None, c)
                out.append((tr("Total", lo), self.label(self.col_dim, c) if c is not None else tr("Total", lo),
                            {m: cell.value(m) for m in measures}))
        return out


def _keys_of(parcel, dim, store=False):
    """[(key, tax, output)] of one parcel in ``dim``; ``store``: the layer holds several years of
    the store (the year is the row's)."""
    if dim == "class":
        return [(parcel.klass, parcel.tax, parcel.output)]
    if dim == "town":
        return [(parcel.town, parcel.tax, parcel.output)]
    if dim == "tag":
        return [(t, parcel.tax, parcel.output) for t in parcel.tags]
    if dim == "path":
        return [(parcel.path, parcel.tax, parcel.output)]
    if dim == "cluster":
        return [(parcel.cluster, parcel.tax, parcel.output)]
    if dim == "year":
        if store:
            return [(parcel.row_year, parcel.tax, parcel.output)] if parcel.row_year is not None else []
        return [(k, t, o) for k, (t, o) in parcel.years.items() if t is not None or o is not None]
    raise StatisticsError(tr("Unknown dimension {} (one of {})", None).format(dim, ", ".join(DIMENSIONS)))


def _order(dim, keys, cells_mu=None):
    keys = set(keys)
    none = [NONE_KEY] if NONE_KEY in keys else []
    keys.discard(NONE_KEY)
    if dim == "class":
        order = vocabulary.grades()
        return [g for g in order if g in keys] + sorted(k for k in keys if k not in order) + none
    if dim == "tag":
        order = [t for t, _ in vocabulary.low_eff_tags()]
        return [t for t in order if t in keys] + sorted(k for k in keys if k not in order) + none
    if dim == "year":
        return _sorted_years(keys) + none
    if dim == "path" and cells_mu is not None:  # the biggest path first
        return sorted(keys, key=lambda k: (-cells_mu.get(k, 0.0), str(k))) + none
    return sorted(keys, key=str) + none


def crosstab(parcels, row_dim, col_dim=None, locale=DOCUMENT_LOCALE):
    """CrossTab of a ParcelSet by ``row_dim`` (and ``col_dim``): one of DIMENSIONS.

    Raises StatisticsError when the layer lacks the dimension's fields (naming them), or when
    both dimensions are year."""
    for dim in (row_dim, col_dim):
        if dim is None:
            continue
        missing = _missing_fields(dim, parcels.fields, parcels.year_keys() if dim == "year" else ())
        if missing:
            if dim == "year":
                raise StatisticsError(tr("The layer {} has values of fewer than two years (tax_10k, tax_10k_y1, "
                                         "tax_10k_y2): no table by year.", None).format(parcels.layer_name))
            raise StatisticsError(tr("The layer {} has no field {} ({}): it cannot be tabulated by {}.", None).format(
                parcels.layer_name, missing[0], dimension_label(dim, None), dimension_label(dim, None)))
    if col_dim == "year" and row_dim != "year":
        raise StatisticsError(tr("Years go in the rows: tabulate by year × {}.", None).format(
            dimension_label(row_dim, None)))
    if row_dim == col_dim:
        col_dim = None
    cells, row_totals, col_totals, total = {}, {}, {}, Cell()
    missing = {"tax": 0, "output": 0}
    store = bool(parcels.store_years)
    latest = parcels.year if store else None
    for p in parcels.parcels:
        if store and row_dim != "year" and p.row_year != latest:
            continue  # a store of several years: one year per table, not each parcel once per year
        rows = _keys_of(p, row_dim, store)
        if not rows:
            continue
        cols = [c for c, _, _ in _keys_of(p, col_dim, store)] if col_dim else []
        if col_dim and not cols:
            continue
        seen_cols = set()
        for r, tax, output in rows:
            row_totals.setdefault(r, Cell()).add(p.mu, tax, output)
            for c in cols:
                cells.setdefault((r, c), Cell()).add(p.mu, tax, output)
                if row_dim != "year" and c not in seen_cols:  # each parcel once per column
                    seen_cols.add(c)
                    col_totals.setdefault(c, Cell()).add(p.mu, tax, output)
                elif row_dim == "year":
                    col_totals.setdefault(c, Cell()).add(p.mu, tax, output)
        if row_dim != "year":
            total.add(p.mu, p.tax, p.output)
            missing["tax"] += p.tax is None
            missing["output"] += p.output is None
    row_mu = {k: v.mu for k, v in row_totals.items()}
    col_mu = {k: v.mu for k, v in col_totals.items()}
    row_keys = _order(row_dim, row_totals, row_mu)
    col_keys = _order(col_dim, col_totals, col_mu) if col_dim else []
    return CrossTab(row_dim, col_dim, row_keys, col_keys, cells, row_totals, col_totals, total, missing, parcels,
                    locale)


STANDARD_TABLES = (("town", "class"), ("tag", "town"), ("path", "town"), ("cluster", "class"), ("year", "class"))


def standard_crosstabs(parcels, locale=DOCUMENT_LOCALE, tables=STANDARD_TABLES):
    """The meeting's tables that this layer can give: class × town (towns in rows), tags × town,
    paths × town, clusters × class, years × class; a column dimension the layer lacks is dropped
    (e.g. no classes: towns alone). Raises StatisticsError when it can give none."""
    out = []
    for row_dim, col_dim in tables:
        if not parcels.has(row_dim):
            continue
        if col_dim is not None and not parcels.has(col_dim):
            col_dim = None
        tab = crosstab(parcels, row_dim, col_dim, locale)
        if tab.rows:
            out.append(tab)
    if not out:
        raise StatisticsError(tr("The layer {} has none of the fields the statistics read (town, grade, "
                                 "low_eff_tags, disposal, cluster_id).", None).format(parcels.layer_name))
    return out


# ---- flat tables -----------------------------------------------------------------------------------
class Column:
    """One column of a Table: ``label`` (with its unit), ``group`` (the header above, e.g. a class),
    ``kind`` text / longtext (wrapped, wide) / int / float; ``measure`` and ``key`` say where the numbers come from."""

    def __init__(self, label, group="", kind="float", measure=None, key=None):
        self.label, self.group, self.kind, self.measure, self.key = label, group, kind, measure, key

    def __repr__(self):
        return "Column({!r}, group={!r})".format(self.label, self.group)


class Table:
    """A table as a panel draws it and the workbook prints it.

    ``columns``: [Column]; ``rows``: [[value per column]] (None: no data, printed "—");
    ``totals``: the totals row (same length) or None; ``notes``: lines printed under the table.
    ``distinct_totals``: the totals row counts each parcel once (it is not the column sum).
    ``preamble``: lines printed between the title and the table (a list's basis)."""

    def __init__(self, title, columns, rows, totals=None, notes=(), distinct_totals=False, sheet_name=None,
                 preamble=()):
        self.title, self.columns, self.rows, self.totals = title, list(columns), list(rows), totals
        self.notes = list(notes)
        self.preamble = list(preamble)
        self.distinct_totals = distinct_totals
        self.sheet_name = sheet_name or title

    def header_groups(self):
        """[(group label, first column index, span)] of the header row above the column labels."""
        out = []
        for i, c in enumerate(self.columns):
            if out and out[-1][0] == c.group and c.group:
                out[-1] = (c.group, out[-1][1], out[-1][2] + 1)
            else:
                out.append((c.group, i, 1))
        return out

    def has_groups(self):
        return any(c.group for c in self.columns)

    def column_sums(self):
        """Sum of each numeric column over the rows (None for text columns; missing counts as 0)."""
        return [None if c.kind in ("text", "longtext") else sum((r[i] or 0) for r in self.rows)
                for i, c in enumerate(self.columns)]


# ---- workbook ----------------------------------------------------------------------------------------
def _display_width(text):
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def _safe_sheet_title(title, taken):
    import re

    name = re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31] or "Sheet"
    base, k = name, 2
    while name in taken:
        suffix = "({})".format(k)
        name = base[:31 - len(suffix)] + suffix
        k += 1
    taken.add(name)
    return name


def write_workbook(path, tables, title=None, notes=(), locale=DOCUMENT_LOCALE, stage=False, when=None,
                   info_sheet=True):
    """Write ``tables`` (Table objects) to an .xlsx workbook, one sheet each, and a 说明 sheet.

    Each sheet: the title (merged, bold), the date and ``title`` of the whole, a group header row
    (classes, towns ...) when the table has one, the column headers with units, the rows, the
    totals row (bold), frozen headers and first column, widths from the contents, printed A4
    landscape fitted to the page width with the headers repeated. Every cell
    holds a value, never a formula. Written beside ``path`` and moved into place (``stage``:
    returns the temporary file for files.publish())."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from .. import files
    from ..formats.xlsx_text import row_of_cells, set_text

    when = when or datetime.date.today().isoformat()
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F3")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    taken = set()
    for table in tables:
        ws = wb.create_sheet(_safe_sheet_title(table.sheet_name, taken))
        n = len(table.columns)
        set_text(ws.cell(row=1, column=1), table.title)
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(n, 1))
        sub = tr("{} · generated {}", locale).format(title, when) if title else tr("Generated {}", locale).format(when)
        set_text(ws.cell(row=2, column=1), sub)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(n, 1))
        row = 3
        for line in table.preamble:
            set_text(ws.cell(row=row, column=1), line)
            ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(n, 1))
            ws.row_dimensions[row].height = 15 * (1 + _display_width(line) // 150)
            row += 1
        header_first = row
        if table.has_groups():
            for label, start, span in table.header_groups():
                cell = set_text(ws.cell(row=row, column=start + 1), label or "")
                if span > 1:
                    ws.merge_cells(start_row=row, start_column=start + 1, end_row=row, end_column=start + span)
            for c in range(1, n + 1):
                ws.cell(row=row, column=c).font = bold
                ws.cell(row=row, column=c).alignment = centre
                ws.cell(row=row, column=c).fill = head_fill
                ws.cell(row=row, column=c).border = box
            row += 1
        for c, col in enumerate(table.columns, 1):
            if table.has_groups() and not col.group:  # spans both header rows: the text goes in the top cell
                cell = set_text(ws.cell(row=row - 1, column=c), col.label)
                ws.merge_cells(start_row=row - 1, start_column=c, end_row=row, end_column=c)
            else:
                cell = set_text(ws.cell(row=row, column=c), col.label)
            cell.font, cell.alignment, cell.fill, cell.border = bold, centre, head_fill, box
        first_data = row + 1
        ws.freeze_panes = ws.cell(row=first_data, column=2)
        ws.print_title_rows = "{}:{}".format(header_first, row)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

        def put(r, values_, total=False, ws=ws, table=table):
            for c, (col, v) in enumerate(zip(table.columns, values_), 1):
                if v is None and col.kind not in ("text", "longtext"):
                    cell = set_text(ws.cell(row=r, column=c), "—")
                    cell.alignment = Alignment(horizontal="right")
                else:
                    cell = set_text(ws.cell(row=r, column=c), v)  # full value; the format shows 2 decimals
                    if col.kind == "int":
                        cell.number_format = "#,##0"
                    elif col.kind == "float":
                        cell.number_format = "#,##0.00"
                cell.border = box
                if col.kind == "longtext":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if total:
                    cell.font = bold
                    cell.fill = total_fill

        r = first_data
        for values_ in table.rows:
            put(r, values_)
            r += 1
        if table.totals is not None:
            put(r, table.totals, total=True)
            r += 1
        r += 1
        for line in table.notes:
            set_text(ws.cell(row=r, column=1), line)
            r += 1
        for c, col in enumerate(table.columns, 1):
            texts = [col.label] + [_fmt(v) for v in [row_[c - 1] for row_ in table.rows]]
            if table.totals is not None:
                texts.append(_fmt(table.totals[c - 1]))
            width = max(_display_width(t) for t in texts) + 2
            cap = 70 if col.kind == "longtext" else 40
            ws.column_dimensions[get_column_letter(c)].width = min(max(width, 8 if c > 1 else 12), cap)
        ws.row_dimensions[row].height = 32
    if not info_sheet:
        if stage:
            return files.stage_write(path, wb.save)
        return files.atomic_write(path, wb.save)
    info = wb.create_sheet(_safe_sheet_title(tr("Notes", locale), taken))
    info.column_dimensions["A"].width = 110
    info.append(row_of_cells(info, [title or tr("Statistics", locale)]))
    info["A1"].font = Font(bold=True, size=14)
    info.append(row_of_cells(info, [tr("Generated {}", locale).format(when)]))
    for line in notes:
        info.append(row_of_cells(info, [line]))
    for table in tables:
        info.append([])
        info.append(row_of_cells(info, [table.title]))
        info.cell(row=info.max_row, column=1).font = bold
        for line in table.notes:
            info.append(row_of_cells(info, [line]))
    if stage:
        return files.stage_write(path, wb.save)
    return files.atomic_write(path, wb.save)


def _fmt(v):
    if v is None:
        return "—"
    if isinstance(v, float):
        return "{:,.2f}".format(v)
    if isinstance(v, int):
        return "{:,d}".format(v)
    return str(v)


# ---- chart -------------------------------------------------------------------------------------------
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#86bcb6", "#d37295")


def series_colours(dim, keys):
    """{key: '#rrggbb'}: the vocabulary's colours (resources/schema/vocabulary.yaml, as on the maps) for
    classes, disposal paths and low-efficiency types; a palette for the rest."""
    fixed = {}
    if dim == "class":
        fixed = dict(vocabulary.grade_colours(), **{NONE_KEY: vocabulary.no_grade()["colour"]})
    elif dim == "path":
        fixed = dict(vocabulary.disposal_paths())
        fixed[NONE_KEY] = vocabulary.no_path()["colour"]
    elif dim == "tag":
        fixed = dict(vocabulary.low_eff_tags())
    out, k = {}, 0
    for key in keys:
        colour = fixed.get(key)
        if colour is None:
            colour = PALETTE[k % len(PALETTE)]
            k += 1
        out[key] = colour
    return out


def chart_series(tab, measure):
    """(bar labels, [(series label, colour, [value per bar])]) of a CrossTab: one bar per row,
    one stacked segment per column (one segment when there are no columns)."""
    bars = [tab.label(tab.row_dim, r) for r in tab.rows]
    if tab.col_dim is None:
        return bars, [(measure_header(measure, tab.locale), PALETTE[0],
                       [tab.value(r, None, measure) or 0 for r in tab.rows])]
    colours = series_colours(tab.col_dim, tab.cols)
    series = [(tab.label(tab.col_dim, c), colours[c], [tab.value(r, c, measure) or 0 for r in tab.rows])
              for c in tab.cols]
    return bars, series


def _nice_step(top):
    if top <= 0:
        return 1.0
    raw = top / 5.0
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def render_chart(tab, measure="mu", width=1600, height=900, title=None, font_family=None):
    """A stacked bar chart of ``tab`` for ``measure`` as a QImage (white background): bars are the
    rows (towns ...), segments the columns (classes ...), the total printed above each bar,
    a legend on the right, the title on top. Needs a QGuiApplication (QGIS running)."""
    from qgis.PyQt.QtCore import QRectF, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen

    from .. import fonts

    family = font_family or fonts.resolve_cjk_family() or QFont().family()
    bars, series = chart_series(tab, measure)
    totals = [sum(s[2][i] for s in series) for i in range(len(bars))]
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = height / 900.0
    font = QFont(family)

    def set_font(px, bold=False):
        font.setPixelSize(max(8, int(px * scale)))
        font.setBold(bold)
        p.setFont(font)

    title = title or "{} — {}".format(tab.title(), measure_header(measure, tab.locale))
    set_font(34, True)
    p.setPen(QColor("#000000"))
    p.drawText(QRectF(20, 10, width - 40, 60 * scale), Qt.AlignmentFlag.AlignCenter, title)
    legend_w = int(min(width * 0.28, 420 * scale)) if len(series) > 1 else 0
    left, right = int(110 * scale), width - legend_w - int(30 * scale)
    top, bottom = int(100 * scale), height - int(130 * scale)
    peak = max(totals) if totals else 0
    step = _nice_step(peak)
    ymax = step * max(1, math.ceil(peak / step)) if peak > 0 else step * 5
    set_font(20)
    grid = QPen(QColor("#d9d9d9"))
    k = 0
    while k * step <= ymax + 1e-9:
        y = bottom - (bottom - top) * (k * step / ymax)
        p.setPen(grid)
        p.drawLine(left, int(y), right, int(y))
        p.setPen(QColor("#404040"))
        p.drawText(QRectF(0, y - 14 * scale, left - 10, 28 * scale),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, _fmt_axis(k * step))
        k += 1
    p.setPen(QPen(QColor("#404040")))
    p.drawLine(left, bottom, right, bottom)
    n = max(1, len(bars))
    slot = (right - left) / n
    bar_w = slot * 0.62
    for i, label in enumerate(bars):
        x = left + slot * i + (slot - bar_w) / 2
        y = bottom
        for _, colour, vals in series:
            v = vals[i]
            if v <= 0:
                continue
            h = (bottom - top) * v / ymax
            p.fillRect(QRectF(x, y - h, bar_w, h), QColor(colour))
            y -= h
        p.setPen(QColor("#000000"))
        set_font(18)
        p.drawText(QRectF(x - slot * 0.2, y - 30 * scale, bar_w + slot * 0.4, 26 * scale),
                   Qt.AlignmentFlag.AlignCenter, _fmt_axis(totals[i], exact=True))
        set_font(20 if n <= 12 else 16)
        p.drawText(QRectF(left + slot * i, bottom + 8 * scale, slot, 110 * scale),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, label)
    if legend_w:
        set_font(20)
        lx, ly = right + int(30 * scale), top
        p.drawText(QRectF(lx, ly - 34 * scale, legend_w, 30 * scale), Qt.AlignmentFlag.AlignLeft,
                   dimension_label(tab.col_dim, tab.locale))
        for label, colour, _ in series:
            p.fillRect(QRectF(lx, ly, 26 * scale, 22 * scale), QColor(colour))
            p.drawText(QRectF(lx + 36 * scale, ly - 4 * scale, legend_w - 40 * scale, 30 * scale),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            ly += 34 * scale
    p.end()
    return image


def _fmt_axis(v, exact=False):
    if exact:
        return "{:,.0f}".format(v) if abs(v) >= 100 else "{:,.1f}".format(v).rstrip("0").rstrip(".")
    return "{:,.0f}".format(v) if v == int(v) else "{:,.1f}".format(v)


def save_chart(path, tab, measure="mu", width=1600, height=900, title=None):
    """render_chart() saved as PNG (written beside ``path`` and moved into place); returns ``path``."""
    from .. import files

    image = render_chart(tab, measure, width, height, title)

    def write(tmp):
        if not image.save(tmp, "PNG"):
            raise OSError(0, tr("the image cannot be saved", None))

    return files.atomic_write(path, write)
