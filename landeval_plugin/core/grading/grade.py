"""Grading engine: 先直接判定, 再综合评分排序 (Songjiang), with tags and explanations.

Pure Python over one dict per parcel (``rows``), so it is testable without layers and fast:
conditions are closures (core/grading/condition.py). Order, per parcel:

1. direct rules in file order (first true condition decides: class + Chinese reason);
2. exclusions (class T, not graded, with reason);
3. a zero or missing area, when the standard needs area-based values: T with the reason;
4. the first scoring formula whose ``when`` holds (规上/规下 ...); missing indicators follow
   each item's explicit policy (not_graded -> T, group_average, zero);
5. classes by score thresholds or by rank quotas, optionally within ``group_by``;
6. low-efficiency tags (any tag -> ``low_eff``).

Missing data never becomes a silent zero: it is named in the reason or the score detail.
"""
import datetime
import json
import math
from itertools import count as _count
from itertools import repeat as _repeat
from operator import itemgetter

from ...i18n import tr
from .. import indicators, schema, values
from ..units import M2_PER_HA, M2_PER_MU
from .condition import fmt
from .standard import GRADE_NAMES

OUTPUT_FIELDS = ("grade", "score", "rank", "grade_reason", "score_detail", "low_eff", "low_eff_tags", "standard",
                 "eval_year", "graded_at")
# the same for every parcel of a run
RUN_FIELDS = ("standard", "eval_year", "graded_at")
REVIEW_FIELDS = ("grade_final", "override_reason", "override_by", "override_at")
TAG_MARK = " 【低效认定】"
TAG_SEP = "、"


class MissingInputsError(ValueError):
    """The layer lacks fields the standard needs; ``missing`` lists them all.

    ``needs``: for fields only some parcels need (one scoring formula's items), a list of
    (name, formula, count, example codes): the message says how many parcels need which.
    """

    def __init__(self, missing, labels, needs=None):
        self.missing = list(missing)
        self.needs = list(needs or [])
        def lab(n):
            return "{} ({})".format(labels.get(n, (n,))[0], n)

        if self.needs:
            parts = []
            for name, raw, formula, count, codes in self.needs:
                parts.append(tr("{} (from {}) for formula {}: {} parcel(s){}").format(
                    lab(name), "、".join(lab(r) for r in raw) or lab(name), formula, count,
                    (tr(", e.g. {}").format("、".join(codes)) if codes else "")))
            super().__init__(tr("The layer lacks fields that some parcels need (they cannot be computed from raw "
                                "values and the area): {}").format("; ".join(parts)))
            return
        text = "、".join(lab(n) for n in self.missing)
        super().__init__(tr("The layer lacks fields the standard needs (and they cannot be computed from raw values "
                            "and the area): {}").format(text))


# ---- values: one reader for the whole plugin (core/values.py, words in resources/schema/values.yaml) ----
_is_null = values.is_null
to_bool = values.to_bool
to_float = values.to_float
to_text = values.to_text
to_date = values.to_iso_date


_CONVERT = {"bool": to_bool, "double": to_float, "int": to_float, "string": to_text, "date": to_date,
            "datetime": to_date}


def converter(name, std=None):
    """The reader of one name's values: typed, and text of listed values in one spelling
    (schema.canonical_value: 禁止类 → 禁止, 工业用地/0601/M2 → 工业)."""
    kind = field_type(name, std)
    conv = _CONVERT.get(kind, to_text)
    base, _ = schema.split_year_suffix(name)
    spec = schema.fields().get(base) or {}
    if conv is to_text and (spec.get("values") or base == "land_use") and not (std is not None
                                                                               and name in std.extra_fields):
        def canonical(v, _name=base):
            return schema.canonical_value(_name, to_text(v))
        return canonical
    return conv


def field_type(name, std=None):
    if std is not None and name in std.extra_fields:
        return std.extra_fields[name].get("type", "string")
    base, _ = schema.split_year_suffix(name)
    spec = schema.fields().get(base)
    return spec.get("type", "string") if spec else "string"


# ---- input plan: which names come from which layer field, which are computed -------------
class InputPlan:
    """Where each needed name comes from: ``fields`` {name: layer field}, ``computed``
    {indicator: (numerator, denominator)}, ``area_from_geometry``; ``missing`` names."""

    def __init__(self, std, layer_fields, has_geometry=True):
        self.std = std
        self.layer_fields = list(layer_fields)
        self.has_geometry = has_geometry
        self.fields = {}
        self.computed = {}
        self.missing = []
        self.optional_absent = []
        # absent names only some parcels need (a formula's items): {name: (raw names absent, formulas)}
        self.deferred = {}
        self.notes = []  # set by the grading run: the engine's notes (benchmark fallbacks ...)
        # absent names a benchmark statistic is taken of: the standard's own fallback applies
        self.benchmark_absent = []
        self._uses = std.where_used()
        norm = {}
        for col in self.layer_fields:
            norm.setdefault(schema.normalise(col), col)
        self._norm = norm
        formulas = indicators.formulas()
        needed = std.names_needed()
        for name in sorted(needed):
            self._resolve(name, formulas, needed)
        # area fields are needed when any computed indicator divides by area
        self.needs_area = any(d in ("area_mu", "area_ha", "area_m2") for _, d in self.computed.values()) or bool(
            needed & {"area_m2", "area_mu", "area_ha"})
        if self.needs_area and not has_geometry:
            got = [a for a in ("area_m2", "area_mu", "area_ha") if self._find(a)]
            for a in got:
                self.fields[a] = self._find(a)
            if not got:
                self.missing.append("area_m2")
        self.missing = sorted(set(self.missing))
        # the parcel code, when the layer has one: named in messages about parcels
        if self.deferred and "parcel_code" not in self.fields and self._find("parcel_code"):
            self.fields["parcel_code"] = self._find("parcel_code")

    def _find(self, name):
        if name in self.layer_fields:
            return name
        if name == "land_use":  # the base map's 工业/仓储/研发, else the raw land use read through landuse.py
            return self._find_plain("land_use") or self._find_plain("land_use_raw")
        return self._find_plain(name)

    def _find_plain(self, name):
        if name in self.layer_fields:
            return name
        base, suffix = schema.split_year_suffix(name)
        spec = self.std.extra_fields.get(base) or schema.fields().get(base) or {}
        for cand in [base] + list(spec.get("names", [])) + ([spec["alias"]] if spec.get("alias") else []):
            col = self._norm.get(schema.normalise(cand + suffix))
            if col is not None:
                return col
        return None

    def _resolve(self, name, formulas, needed):
        if name in ("area_m2", "area_mu", "area_ha"):
            return True
        if name == "grade" and self.std.grades:
            return True  # computed by this standard itself
        col = self._find(name)
        if col is not None:
            self.fields[name] = col
            return True
        base, suffix = schema.split_year_suffix(name)
        if base in formulas:
            num, den = formulas[base]
            ok_num = self._find(num + suffix)
            ok_den = den in ("area_mu", "area_ha", "area_m2") or self._find(den + suffix)
            if ok_num and ok_den:
                self.fields[num + suffix] = ok_num
                if den not in ("area_mu", "area_ha", "area_m2"):
                    self.fields[den + suffix] = ok_den
                self.computed[name] = (num + suffix, den if den.startswith("area_") else den + suffix)
                return True
        if name in self.std.optional or name in ("grade_final", "grade"):
            self.optional_absent.append(name)
            return True
        uses = self._uses.get(name, set())
        if uses and "condition" not in uses:
            formulas_using = sorted(u[1] for u in uses if isinstance(u, tuple))
            if formulas_using:
                # needed only by the parcels a formula scores: checked on the rows (check_rows)
                raw = [name]
                if base in formulas:
                    num, den = formulas[base]
                    raw = [r for r in (num + suffix, den if den.startswith("area_") else den + suffix)
                           if not r.startswith("area_") and not self._find(r)] or [name]
                self.deferred[name] = (raw, formulas_using)
                self.optional_absent.append(name)
                return True
            if "benchmark" in uses:
                self.benchmark_absent.append(name)
                self.optional_absent.append(name)
                return True
        self.missing.append(name)
        return False

    def check(self):
        if self.missing:
            # with a field every parcel needs absent, which formula applies is unknown: list all of them
            raise MissingInputsError(sorted(set(self.missing) | set(self.deferred)), self.std.labels)

    def check_rows(self, rows, group_by=None):
        """Raise when a field absent from the layer is needed by some parcels (their formula's items),
        naming how many parcels and which formula; a field no parcel needs is no error."""
        if not self.deferred:
            return
        counts = Grader(self.std, group_by=group_by).needs(rows, set(self.deferred))
        needs = []
        for (name, formula), idx in sorted(counts.items()):
            codes = [str(rows[i].get("parcel_code")) for i in idx[:3] if rows[i].get("parcel_code")]
            needs.append((name, self.deferred[name][0], formula, len(idx), codes))
        if needs:
            raise MissingInputsError(sorted({n for n, *_ in needs}), self.std.labels, needs)

    def describe(self):
        """Chinese lines for the log: where each value comes from."""
        lines = []
        for name, col in sorted(self.fields.items()):
            lines.append("{} ← 字段 {}".format(self.std.label(name)[0] + "(" + name + ")", col))
        for name, (num, den) in sorted(self.computed.items()):
            lines.append("{} ← 计算 {} ÷ {}".format(self.std.label(name)[0] + "(" + name + ")", num, den))
        if self.needs_area:
            lines.append("用地面积 ← " + ("图形面积" if self.has_geometry else "面积字段"))
        for name in self.optional_absent:
            if name in self.deferred:
                lines.append("{} ← 图层无此字段；仅 {} 公式需要，无地块适用该公式时不影响评价".format(
                    name, "、".join(self.deferred[name][1])))
            elif name in self.benchmark_absent:
                lines.append("{} ← 图层无此字段；基准值按标准规定以本年数据代替".format(name))
            else:
                lines.append("{} ← 图层无此字段，按缺失处理".format(name))
        return lines

    def warnings(self):
        """Chinese lines the planner must see for this run (benchmark fallbacks)."""
        out = []
        for name in self.benchmark_absent:
            out.append("图层无 {}（{}）：基准值按标准规定以本年数据代替".format(self.std.label(name)[0], name))
        return out + [n for n in self.notes if n not in out]

    def add_field(self, name, col):
        """Also read layer field ``col`` as ``name`` (e.g. the GROUP_BY field); absent -> error."""
        if not col:
            raise MissingInputsError([name], self.std.labels)
        if name not in self.fields:
            self.fields[name] = col

    def bind(self, layer_field_names):
        """Prepare ``row_from_list`` for attribute lists in this field order (fast path)."""
        idx = {n: i for i, n in enumerate(layer_field_names)}
        self._bound = [(name, idx[col], converter(name, self.std)) for name, col in self.fields.items()]

    def rows_from_records(self, records, areas, offset=0):
        """All rows at once, column by column (several times faster than row_from_list in a loop).

        ``records``: sequences laid out like the bound field list, starting at ``offset``;
        ``areas``: m² per record (or None when the layer has no geometry).
        """
        n = len(records)
        cols = self.columns(lambda i: list(map(itemgetter(i + offset), records)), n, areas)
        names = list(cols)
        return [dict(zip(names, vals)) for vals in zip(*(cols[k] for k in names))] if n else []

    def columns(self, raw, n, areas):
        """{name: list of ``n`` values}, typed: ``raw(i)`` gives a new list of the values of bound field
        ``i``; ``areas``: m² per parcel (or None when the layer has no geometry)."""
        cols = {}
        for name, i, conv in self._bound:
            col = raw(i)
            if conv is to_float:
                if not set(map(type, col)) <= _FLOAT_OR_NONE:
                    col = [to_float(v) for v in col]
            else:
                # text columns repeat a few values (规上/规下, towns): each distinct text converted once
                texts = {v for v in col if v.__class__ is str}
                if len(texts) * 2 < n:
                    table = {v: conv(v) for v in texts}
                    col = [table[v] if v.__class__ is str else conv(v) for v in col]
                else:
                    col = [conv(v) for v in col]
            cols[name] = col
        for name in self.optional_absent:
            cols[name] = [None] * n
        if self.has_geometry:
            cols["area_m2"] = list(areas)
            cols["area_mu"] = [a / M2_PER_MU if a is not None else None for a in areas]
            cols["area_ha"] = [a / M2_PER_HA if a is not None else None for a in areas]
        else:
            tmp = [{k: cols[k][j] for k in ("area_m2", "area_mu", "area_ha") if k in cols} for j in range(n)]
            for r in tmp:
                self._areas(r)
            for k in ("area_m2", "area_mu", "area_ha"):
                cols[k] = [r[k] for r in tmp]
        for name, (num, den) in self.computed.items():
            cols[name] = [a / b if a is not None and b is not None and b > 0 else None
                          for a, b in zip(cols[num], cols[den])]
        return cols

    def row_from_list(self, attrs, area_m2=None):
        row = {name: conv(attrs[i]) for name, i, conv in self._bound}
        for name in self.optional_absent:
            row[name] = None
        if self.has_geometry:
            row["area_m2"] = area_m2
            row["area_mu"] = area_m2 / M2_PER_MU if area_m2 is not None else None
            row["area_ha"] = area_m2 / M2_PER_HA if area_m2 is not None else None
        else:
            self._areas(row)
        for name, (num, den) in self.computed.items():
            n, d = row.get(num), row.get(den)
            row[name] = n / d if n is not None and d is not None and d > 0 else None
        return row

    def row(self, attrs, area_m2=None):
        """One parcel's values from ``attrs`` {layer field: value} and its geometry area (m²)."""
        row = {}
        for name, col in self.fields.items():
            row[name] = converter(name, self.std)(attrs.get(col))
        for name in self.optional_absent:
            row[name] = None
        if self.has_geometry:
            row["area_m2"] = area_m2
        self._areas(row)
        for name, (num, den) in self.computed.items():
            row[name] = indicators.ratio(row.get(num), row.get(den))
        return row

    @staticmethod
    def _areas(row):
        m2, mu, ha = row.get("area_m2"), row.get("area_mu"), row.get("area_ha")
        if m2 is None:
            m2 = mu * M2_PER_MU if mu is not None else ha * M2_PER_HA if ha is not None else None
        row["area_m2"] = m2
        row["area_mu"] = m2 / M2_PER_MU if m2 is not None else None
        row["area_ha"] = m2 / M2_PER_HA if m2 is not None else None


# ---- the engine ------------------------------------------------------------------------------
class Grader:
    """Grades a list of parcel rows with one standard. ``run(rows)`` -> list of result dicts."""

    def __init__(self, std, group_by=None, now=None, area_based=None, detail_sink=None):
        self.std = std
        # detail_sink(row index, detail): takes each parcel's score detail instead of its result: the
        # text, or (format, arguments) whose % gives the text (made when it is written, not held)
        self.detail_sink = detail_sink
        self.group_by = group_by if group_by else std.group_by
        self.now = now or datetime.datetime.now().replace(microsecond=0)
        self.notes = []  # Chinese lines for the run's log (benchmark fallbacks ...)
        params = std.params
        self._derived_names = {n for n, _ in std.derived}

        def resolve(name):
            if name in params:
                v = params[name]
                return lambda row: v
            return lambda row: row.get(name)

        self._resolve = resolve

        def label(name):
            if name in params:
                return None
            lab, unit = std.label(name)
            spec = schema.fields().get(schema.split_year_suffix(name)[0]) or {}
            if name in self._derived_names or spec.get("group") in ("indicator", "enterprise") \
                    or name.startswith("area_") or spec.get("type") in ("double", "int") \
                    or (std.extra_fields.get(name, {}).get("type") in ("double", "int")):
                return lab, unit
            return None

        self._derived = [(n, c.compile(resolve)) for n, c in std.derived]
        self._rules = [self._compile_rule(r, resolve, label, std.label) for r in std.rules]
        self._excl = [self._compile_rule(r, resolve, label, std.label) for r in std.exclusions]
        self._tags = [self._compile_rule(r, resolve, label, std.label) for r in std.active_tags]
        self._bonus = [(b, b["when"].truth(resolve)) for b in std.bonus]
        self._penalty = [(b, b["when"].truth(resolve)) for b in std.penalty]
        self._formulas = [(f, f["when"].truth(resolve) if f["when"] else (lambda row: True)) for f in std.formulas]
        # names whose value depends on the area: a zero or missing area makes them uncomputable
        if area_based is None:
            area_based = {n for n, (num, den) in indicators.formulas().items() if den.startswith("area_")}
        self.area_based = area_based

    @staticmethod
    def _compile_rule(r, resolve, label, name_label=None):
        cond = r["when"]
        fn = cond.truth(resolve)  # True / False / None: the rule language's three-valued truth
        explain = cond.explainer(resolve, label, name_label) if r.get("explain", True) else (lambda row: [])
        return r, fn, explain, cond

    def needs(self, rows, absent):
        """{(name, formula name): [row indexes]} of the parcels whose scoring formula has an item in
        ``absent`` (names missing from the layer): the same order of decisions as run()."""
        out = {}
        needs_area = self._needs_area()
        for i, row in enumerate(rows):
            for name, fn in self._derived:
                row[name] = fn(row)
            if any(fn(row) is True for _, fn, _, _ in self._rules):
                continue
            if any(fn(row) is True for _, fn, _, _ in self._excl):
                continue
            area = row.get("area_m2")
            if needs_area and (area is None or area <= 0):
                continue
            formula = next((f for f, fn in self._formulas if fn(row) is True), None)
            if formula is None:
                continue
            for it in formula["items"]:
                if it.indicator in absent:
                    out.setdefault((it.indicator, formula["name"]), []).append(i)
        return out

    def _needs_area(self):
        names = self.std.names_needed()
        return bool({n for n in names if schema.split_year_suffix(n)[0] in self.area_based}
                    | (names & {"area_m2", "area_mu", "area_ha"}))

    def run(self, rows, feedback=None):
        std = self.std
        needs_area = self._needs_area()
        stamp = self.now.isoformat(sep=" ")
        results = []
        pending = []  # (index, formula, row) to score
        n = len(rows)
        # every value the standard reads: an infinite or NaN one (1e309 typed in a cell, a NaN
        # geometry's area) is never compared, scored or ranked
        checked = sorted({k for k in std.names_needed() if field_type(k, std) in ("double", "int")}
                         | {"area_m2", "area_mu", "area_ha"})
        isfinite = math.isfinite
        # a column whose floats add up to a finite sum holds no infinite or NaN value: only the
        # other columns are looked at parcel by parcel (the same names, in the same order)
        checked = [k for k in checked
                   if not isfinite(sum([v for v in [row.get(k) for row in rows] if v.__class__ is float]))]
        for i, row in enumerate(rows):
            if feedback is not None and i % 2000 == 0:
                if feedback.isCanceled():
                    return None
                feedback.setProgress(60.0 * i / max(n, 1))
            bad = [k for k in checked if row.get(k).__class__ is float and not isfinite(row[k])]
            for k in bad:
                row[k] = None
            for name, fn in self._derived:
                row[name] = fn(row)
                if row[name].__class__ is float and not isfinite(row[name]):
                    row[name] = None
                    bad.append(name)
            res = {"grade": None, "score": None, "rank": None, "grade_reason": None, "score_detail": None,
                   "low_eff": None, "low_eff_tags": None, "standard": std.display_id(), "eval_year": std.year,
                   "graded_at": stamp}
            results.append(res)
            if bad:
                res["_not_finite"] = (row.get("parcel_code"), bad)
            if not std.grades:
                continue
            if bad:
                res["grade"] = "T"
                res["grade_reason"] = "{}的值不是有限数（无穷大或非数，数据有误），不参与评价 → T".format(
                    "、".join(dict.fromkeys(std.label(k)[0] for k in bad)))
                continue
            decided = False
            for r, fn, explain, _ in self._rules:
                if fn(row) is True:
                    res["grade"] = r["grade"]
                    res["grade_reason"] = _reason(_fill(r["reason"], row), explain(row), r["grade"],
                                                  r.get("assumption"))
                    decided = True
                    break
            if decided:
                continue
            for r, fn, explain, _ in self._excl:
                if fn(row) is True:
                    res["grade"] = "T"
                    res["grade_reason"] = _reason(_fill(r["reason"], row), explain(row), "T", r.get("assumption"))
                    decided = True
                    break
            if decided:
                continue
            area = row.get("area_m2")
            if needs_area and (area is None or area <= 0):
                res["grade"] = "T"
                res["grade_reason"] = "用地面积{}，无法计算地均/亩均指标，不参与评价 → T".format(
                    "缺失" if area is None else "为零")
                continue
            if not self._formulas:
                res["grade"] = "T"
                conds = [c for _, _, _, c in self._rules]
                miss = self._missing_in(conds, row)
                known = self._attributes_in(conds, row)
                text = "；".join(x for x in (known, "缺失：" + "、".join(miss) if miss else "") if x)
                res["grade_reason"] = "未满足任何直接判定规则（{}），需人工研判 → T".format(text)
                continue
            formula = None
            for f, fn in self._formulas:
                if fn(row) is True:
                    formula = f
                    break
            if formula is None:
                miss = self._missing_in([f["when"] for f, _ in self._formulas if f["when"]], row)
                res["grade"] = "T"
                res["grade_reason"] = "无适用的评分公式（{}）→ T".format(
                    "缺失：" + "、".join(miss) if miss else "不属于 " + "/".join(f["name"] for f, _ in self._formulas))
                continue
            missing = [it for it in formula["items"] if it.missing == "not_graded" and row.get(it.indicator) is None]
            if missing:
                res["grade"] = "T"
                res["grade_reason"] = "{}缺失，按标准不参与评分 → T".format("、".join(
                    std.label(it.indicator)[0] for it in missing))
                continue
            pending.append((i, formula, row))

        if std.formulas:
            self._score(pending, rows, results)
            self._classify(pending, rows, results)
        if self._tags or std.low_eff_grades:
            self._tag(rows, results)
        if feedback is not None:
            feedback.setProgress(70)
        return results

    def _attributes_in(self, conds, row):
        """'项目类型 自用工业用地项目，违规违约 是' for the non-numeric names the rules read."""
        seen, parts = set(), []
        for c in conds:
            for n in c.names:
                if n in seen or n in self.std.params or n in self._derived_names:
                    continue
                seen.add(n)
                v = row.get(n)
                if isinstance(v, str) or isinstance(v, bool):
                    parts.append("{} {}".format(self.std.label(n)[0], fmt(v)))
        return "，".join(parts)

    def _missing_in(self, conds, row):
        names = []
        for c in conds:
            for n in c.names:
                if n in self.std.params or n in names:
                    continue
                if row.get(n) is None:
                    names.append(n)
        return [self.std.label(n)[0] for n in names]

    # ---- scoring --------------------------------------------------------------------------
    def _benchmark(self, it, rows):
        return benchmark_value(self.std, self.notes, it,
                               lambda of: [r.get(of) for r in rows if r.get(of) is not None])

    def _score(self, pending, rows, results):
        std = self.std
        by_formula = {}
        for entry in pending:
            by_formula.setdefault(id(entry[1]), []).append(entry)
        for f in std.formulas:
            group = by_formula.get(id(f), [])
            if not group:
                continue
            # per item: benchmark, population range, raw item scores and the texts' formats
            # formulas ranked apart (classify.per_formula) take statistics over their own parcels
            pool = [row for _, _, row in group] if (std.classify or {}).get("per_formula") else rows
            prepared = []
            for it in f["items"]:
                bench, bnote = self._benchmark(it, pool) if it.method == "ratio" else (None, "")
                prepared.append(prepare_item(std, f, it, bench, bnote, [row.get(it.indicator) for _, _, row in group]))
            # Column by column, then one string format per parcel for its whole detail and its
            # item list: an item scored the simple way (value present, no cap) formats inside the
            # parcel's template; any other item is formatted here and goes in through "%s".
            n = len(group)
            finals, fails = [], [None] * n
            d_tmpl, p_tmpl, args = [], [], []
            for it, part, templates, vals, scores, avg, bnote, lab, show in prepared:
                t_val = templates[("", True)]
                simple = it.cap is None and all(v is not None and sc is not None for v, sc in zip(vals, scores))
                if simple:
                    finals.append(scores)
                    d_tmpl.append(t_val)
                    p_tmpl.append(part)
                    args.extend((vals, scores, scores, [show(v) for v in vals]))
                    continue
                fcol, dcol, pcol = [], [], []
                for k, (v, sc) in enumerate(zip(vals, scores)):
                    note = ""
                    if v is None:
                        if it.missing == "group_average" and avg is not None:
                            sc, note = avg, "avg"
                        elif it.missing == "group_average":
                            fails[k] = fails[k] or "{}缺失且同组无可用数据".format(lab)
                        elif it.missing == "zero":
                            sc, note = 0.0, "zero"
                    elif it.cap is not None and sc is not None and sc > it.cap:
                        sc, note = float(it.cap), "cap"
                    if sc is None:
                        fails[k] = fails[k] or "{}无法计分（{}）".format(lab, bnote or "基准值缺失")
                        fcol.append(0.0)
                        dcol.append("")
                        pcol.append("")
                        continue
                    fcol.append(sc)
                    dcol.append(templates[(note, False)] % sc if v is None else templates[(note, True)] % (v, sc))
                    vtext = {"avg": "缺失，取同组平均分", "zero": "缺失，计0分"}.get(note) if v is None else show(v)
                    if note == "cap":
                        vtext += "，封顶{}分".format(fmt(it.cap))
                    pcol.append(part % (sc, vtext))
                finals.append(fcol)
                d_tmpl.append("%s")
                p_tmpl.append("%s")
                args.append(dcol)
                args.append(pcol)
            totals = [values.plain_sum(col) for col in zip(*finals)]
            # argument order per parcel follows the items: (value, score | detail) then (score | part)
            d_args, p_args, pos = [], [], 0
            for t in d_tmpl:
                if t == "%s":
                    d_args.append(args[pos])
                    p_args.append(args[pos + 1])
                    pos += 2
                else:
                    d_args.extend((args[pos], args[pos + 1]))
                    p_args.extend((args[pos + 2], args[pos + 3]))
                    pos += 4
            head = f["name"] + "："
            detail_fmt = "[" + ",".join(d_tmpl) + "]"
            parts_fmt = _esc(head) + "，".join(p_tmpl)
            # one parcel at a time: a district's details are never all held at once here; each
            # detail is its format's arguments until its text is needed (detail_fmt % arguments)
            d_rows = zip(*d_args) if d_args else _repeat((), n)
            parts = (parts_fmt % a for a in zip(*p_args)) if p_args else _repeat(head, n)
            has_extra = bool(self._bonus or self._penalty)
            sink = self.detail_sink
            for k, (i, _, row), d_row, part in zip(_count(), group, d_rows, parts):
                res = results[i]
                if fails[k]:
                    res["grade"] = "T"
                    res["grade_reason"] = fails[k] + " → T"
                    continue
                total = totals[k]
                detail = None
                if has_extra:
                    detail = detail_fmt % d_row
                    for kind, items, sign in (("bonus", self._bonus, 1), ("penalty", self._penalty, -1)):
                        for b, fn in items:
                            if fn(row) is True:
                                pts = sign * b["points"]
                                total += pts
                                extra = json.dumps({"indicator": kind, "label": b["label"], "unit": "", "value": None,
                                                    "benchmark": None, "weight": None, "score": pts,
                                                    "note": "加分" if sign > 0 else "扣分"}, ensure_ascii=False,
                                                   separators=(",", ":"))
                                detail = detail[:-1] + ("," if len(detail) > 2 else "") + extra + "]"
                                part += ("" if part == head else "，") + "{}{}{}".format(
                                    b["label"], "+" if sign > 0 else "−", fmt(abs(pts)))
                if not math.isfinite(total):  # finite values whose score overflows (1e308 × weight)
                    res["grade"] = "T"
                    res["grade_reason"] = "综合得分不是有限数（指标值超出范围，数据有误），不参与排序 → T"
                    res["_not_finite"] = (row.get("parcel_code"), ["score"])
                    continue
                res["score"] = round(total, 4)
                if sink is None:
                    res["score_detail"] = detail if detail is not None else detail_fmt % d_row
                else:  # the caller makes the text when it writes it (the GeoPackage fast path); None here
                    sink(i, detail if detail is not None else (detail_fmt, d_row))
                res["_parts"] = part

    # ---- classification and ranking ----------------------------------------------------------
    def _classify(self, pending, rows, results):
        cl = self.std.classify
        groups = {}
        per_formula = bool(cl.get("per_formula"))
        notes = {}
        for i, f, row in pending:
            if results[i]["score"] is None:
                continue
            key = row.get(self.group_by) if self.group_by else None
            key = key if key is not None else ""
            if per_formula:
                key = (f["name"], key)
            notes[key] = f.get("note", "")
            groups.setdefault(key, []).append(i)
        for key, idx in groups.items():
            idx.sort(key=lambda i: -results[i]["score"])
            n = len(idx)
            ranks = []
            prev, rank = None, 0
            for pos, i in enumerate(idx, 1):
                s = results[i]["score"]
                if s != prev:
                    rank, prev = pos, s
                ranks.append(rank)
            cuts = quota_cuts(cl, n)
            grp = rank_group_label(key, per_formula, self.group_by)
            note = notes.get(key, "")
            th = [(g, t, "≥ " + fmt(t)) for g, t in cl.get("thresholds", {}).items()]
            below = "< {}".format(fmt(th[-1][1])) if th else ""
            whys = {}
            for i, rank in zip(idx, ranks):
                res = results[i]
                res["rank"] = rank
                s = res["score"]
                if cl["method"] == "thresholds":
                    grade, why = cl.get("else", "D"), below
                    for g, t, txt in th:
                        if s >= t:
                            grade, why = g, txt
                            break
                else:
                    grade = cuts[-1][0]
                    for g, cut in cuts:
                        if rank <= cut:
                            grade = g
                            break
                    why = whys.get(grade)
                    if why is None:  # the same text for every parcel of a class
                        why = whys[grade] = "{}类为前 {}%".format(
                            grade, fmt(sum(v for g2, v in cl["quotas"].items() if g2 <= grade)))
                res["grade"] = grade
                res["grade_reason"] = "综合得分 {:.2f}（{}）；第 {}/{} 名{}；{} → {}".format(
                    s, res.pop("_parts", ""), rank, n, grp, why, grade) + ("（{}）".format(note) if note else "")
        for res in results:
            res.pop("_parts", None)

    # ---- low-efficiency tags -------------------------------------------------------------------
    def _tag(self, rows, results):
        std = self.std
        undecided = {}  # tag name -> [count, missing labels]: the planner sees what could not be judged
        for row, res in zip(rows, results):
            if std.grades:
                row["grade"] = res["grade"]
            tags, why = [], []
            for t, fn, explain, cond in self._tags:
                held = fn(row)
                if held is None:
                    entry = undecided.setdefault(t["name"], [0, []])
                    entry[0] += 1
                    for lab in self._missing_in([cond], row):
                        if lab not in entry[1]:
                            entry[1].append(lab)
                if held is True:
                    tags.append(t["name"])
                    ex = explain(row) + ([t["assumption"]] if t.get("assumption") else [])
                    why.append("{}（{}）".format(t["name"], "；".join(ex)) if ex else t["name"])
            g = row.get("grade_final") or (res["grade"] if std.grades else row.get("grade"))
            if g in std.low_eff_grades and "综合评价{}类".format(g) not in tags:
                tags.append("综合评价{}类".format(g))
                why.append("综合评价{}类".format(g))
            res["low_eff"] = bool(tags)
            res["low_eff_tags"] = TAG_SEP.join(tags) if tags else None
            if why and std.period_note and self._tags:
                why.insert(0, "注意：" + std.period_note)
            res["_tag_reason"] = "；".join(why)
        for name, (count, labels) in undecided.items():
            self.notes.append(
                "{}：{} 宗地块因数据缺失未能判断（缺：{}）".format(name, count, "、".join(labels[:6]) or "—"))


_FLOAT_OR_NONE = {float, type(None)}
_PERCENT_INDICATORS = {"rnd_ratio"}  # stored as a fraction, shown as % (domain: R&D 占比)


def shown_as_percent(indicator):
    """True for an indicator stored as a fraction and shown as % in reasons (R&D 占比)."""
    return schema.split_year_suffix(indicator)[0] in _PERCENT_INDICATORS


def _value_shower(indicator, unit):
    """value -> '3.48 万元/亩' (or '3.02%' for fractions), for reasons."""
    if schema.split_year_suffix(indicator)[0] in _PERCENT_INDICATORS:
        return lambda v: "{:.2f}%".format(v * 100)
    suffix = " " + unit if unit else ""
    return lambda v: fmt(v) + suffix


def _show_benchmark(indicator, bench):
    if schema.split_year_suffix(indicator)[0] in _PERCENT_INDICATORS:
        return "{:.2f}%".format(bench * 100)
    from .condition import fmt_exact

    return fmt_exact(bench)


def _esc(text):
    """Text made safe inside a %-format template."""
    return text.replace("%", "%%")


def json_number(v):
    """A number in score_detail JSON (null for missing, NaN and infinities)."""
    if v is None or v != v or v in (float("inf"), float("-inf")):
        return "null"
    return repr(float(v)) if not isinstance(v, bool) else ("true" if v else "false")


def _last_class(cl):
    keys = list(cl.get("thresholds", {}))
    return keys[-1] if keys else "D"


def _reason(text, explained, grade, assumption=None):
    body = text
    if assumption:
        body += "（{}）".format(assumption)
    if explained:
        body += "：" + "；".join(explained)
    return "{} → {}".format(body, grade)


def _fill(text, row):
    """A reason's {name} parts replaced by the parcel's values (the name of a 优质企业名单 entry ...)."""
    if "{" not in text:
        return text
    import re

    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: fmt(row.get(m.group(1))) if row.get(m.group(1)) is not None
                  else "—", text)


def _item_score(it, v, bench, lo, hi):
    w = it.weight
    if it.method == "ratio":
        if bench is None or bench == 0:
            return None
        if it.direction == "higher":
            return v / bench * w
        return (bench / v * w) if v > 0 else (it.cap if it.cap is not None else None)
    if it.method == "minmax":
        if hi is None:
            return None
        if hi == lo:
            return float(w)
        frac = (v - lo) / (hi - lo) if it.direction == "higher" else (hi - v) / (hi - lo)
        return w * (it.floor + (1 - it.floor) * frac)
    # thresholds: points of the best step reached
    best = None
    for s in sorted(it.steps, key=lambda s: s["at"], reverse=(it.direction == "higher")):
        if (it.direction == "higher" and v >= s["at"]) or (it.direction == "lower" and v <= s["at"]):
            best = s["points"]
            break
    return float(best if best is not None else it.else_points)


def benchmark_value(std, notes, it, present):
    """(benchmark, note) of item ``it``: the standard's number, or the mean or median (times its
    factor) of ``present(name)``, the parcels' values of indicator ``name`` that are not missing;
    of the item's own indicator this year when ``of`` has none (the line is added to ``notes``).
    Shared by both engines (Grader and columns.ColumnGrader), which differ only in ``present``."""
    b = it.benchmark
    if not isinstance(b, dict):
        return b, ""
    vals = present(b["of"])
    note = ""
    if not vals:
        vals = present(it.indicator)
        note = "{}无数据，以本年{}代替".format(std.label(b["of"])[0],
                                               {"mean": "均值", "median": "中位数"}[b["stat"]])
        line = "基准值：{}".format(note)
        if line not in notes:
            notes.append(line)
    if not vals:
        return None, "无数据，无法计算基准值"
    if b["stat"] == "mean":
        stat = values.plain_sum(vals) / len(vals)
    else:
        s = sorted(vals)
        m = len(s) // 2
        stat = s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2
    return stat * b.get("factor", 1), note


def item_texts(std, f, it, bench, bnote, lo, hi):
    """The texts written around one item's numbers, the same for every engine (rows, columns,
    PostGIS): (label, unit, score-detail JSON before the value, between the value and the score,
    notes by kind ('' scored, 'avg' / 'zero' missing, 'cap' capped), the reason's tail after the
    value: benchmark, its note, weight). ``lo``, ``hi``: the item's smallest and largest value."""
    lab, unit = std.label(it.indicator)
    lab = it.label or lab
    head = '{{"indicator":{},"label":{},"unit":{},"value":'.format(
        json.dumps(it.indicator), json.dumps(lab, ensure_ascii=False), json.dumps(unit, ensure_ascii=False))
    mid = ',"benchmark":{},"weight":{},"score":'.format(json_number(bench), json_number(it.weight))
    base_note = bnote
    if it.method == "minmax" and lo is not None:
        base_note = "最小 {}，最大 {}".format(fmt(lo), fmt(hi))
    notes = {
        "": base_note,
        "avg": "缺失，取{}组平均得分".format(f["name"]),
        "zero": "缺失，按标准计0分",
        "cap": (base_note + "；" if base_note else "") + "封顶{}分".format(fmt(it.cap or 0)),
    }
    tail = "".join(x for x in (
        "，基准 {}".format(_show_benchmark(it.indicator, bench)) if bench is not None else "",
        "，{}".format(bnote) if bnote else "",
        "，权重 {}".format(fmt(it.weight)) if it.weight is not None else "") if x)
    return lab, unit, head, mid, notes, tail


def prepare_item(std, f, it, bench, bnote, vals):
    """One item of formula ``f`` over its parcels' values ``vals`` (None where missing):
    (it, reason part format, score-detail formats by (note kind, value present), vals, raw scores,
    average of the present scores, bnote, label, value shower). The formats are made once per item
    (json.dumps per parcel is too slow at 100k; compact separators: at 100k parcels score_detail
    is most of what the output holds). Shared by both engines."""
    present = [v for v in vals if v is not None]
    lo, hi = (min(present), max(present)) if present else (None, None)
    if it.method == "ratio" and it.direction == "higher" and bench:
        k = it.weight / bench
        scores = [v * k if v is not None else None for v in vals]
    else:
        scores = [_item_score(it, v, bench, lo, hi) if v is not None else None for v in vals]
    avail = [s for s in scores if s is not None]
    avg = values.plain_sum(avail) / len(avail) if avail else None
    lab, unit, head, mid, notes, tail = item_texts(std, f, it, bench, bnote, lo, hi)
    templates = {}
    for kind, text in notes.items():
        note = ',"note":{}}}'.format(_esc(json.dumps(text, ensure_ascii=False)))
        templates[(kind, True)] = _esc(head) + "%.10g" + _esc(mid) + "%.4f" + note
        templates[(kind, False)] = _esc(head) + "null" + _esc(mid) + "%.4f" + note
    # the reason names each item's points, value with its unit, benchmark and weight (issue 12):
    # 亩均税收4.33分（3.48 万元/亩，基准 24.097，权重 30）
    show = _value_shower(it.indicator, unit)
    return (it, _esc(lab) + "%.2f分（%s" + _esc(tail) + "）", templates, vals, scores, avg, bnote, lab, show)


def quota_cuts(cl, n):
    """[(class, last rank of the class)] of a quota classification of ``n`` ranked parcels (the
    quotas' cumulative percentages, rounded half up); None for other methods. Both engines."""
    if cl["method"] != "quota":
        return None
    cuts, acc = [], 0.0
    for g in ("A", "B", "C", "D"):
        if g in cl["quotas"]:
            acc += cl["quotas"][g]
            cuts.append((g, int(math.floor(acc * n / 100.0 + 0.5))))
    return cuts


def rank_group_label(key, per_formula, group_by):
    """The reason's name of a rank group: （formula·town）, （town） or nothing. Both engines."""
    if per_formula:
        fname, sub = key
        return "（{}{}）".format(fname, "·{}".format(sub) if group_by else "")
    return "（{}）".format(key) if group_by else ""


# the reason's text escaped for a %-format, in the column engine too (core/grading/columns.py)
template_text = _esc


def finish(results, previous=None, std=None):
    """Merge tag explanations into reasons; for a tags-only standard keep earlier grade fields.

    ``previous``: list of {field: value} from the input layer (grade fields, if present).
    """
    for k, res in enumerate(results):
        tag_reason = res.pop("_tag_reason", "")
        prev = previous[k] if previous else {}
        if std is not None and not std.grades:
            for f in ("grade", "score", "rank", "grade_reason", "score_detail", "graded_at"):
                res[f] = prev.get(f)
            old_std = prev.get("standard") or ""
            old_std = " + ".join(p for p in old_std.split(" + ") if p and not p.startswith(std.id + " "))
            res["standard"] = (old_std + " + " if old_std else "") + std.display_id()
            if res.get("eval_year") is None:
                res["eval_year"] = prev.get("eval_year")
            base = res.get("grade_reason") or ""
            if TAG_MARK in base:
                base = base[: base.index(TAG_MARK)]
            res["grade_reason"] = base or None
        if tag_reason:
            res["grade_reason"] = (res.get("grade_reason") or "") + TAG_MARK + tag_reason
    return results


def grade_rows(std, rows, group_by=None, now=None, previous=None):
    """Convenience for tests and the page: grade dict rows, tags merged into the reasons."""
    results = Grader(std, group_by=group_by, now=now).run(rows)
    return finish(results, previous, std)


def not_finite(results):
    """[(parcel code or None, [names])] of the parcels whose values were infinite or NaN."""
    return [r["_not_finite"] for r in results if r.get("_not_finite")]


def summary(results, areas_mu=None, field="grade"):
    """{class: (count, 亩)} over results (or any list of dicts with ``field``)."""
    out = {g: [0, 0.0] for g in GRADE_NAMES}
    for k, res in enumerate(results):
        g = res.get(field) or "T"
        out.setdefault(g, [0, 0.0])
        out[g][0] += 1
        if areas_mu is not None and areas_mu[k] is not None and math.isfinite(areas_mu[k]):
            out[g][1] += areas_mu[k]
    return {g: tuple(v) for g, v in out.items()}


# ---- layers -----------------------------------------------------------------------------------
def output_fields(source_fields):
    """Input fields (minus earlier grade/review fields, replaced) + grade fields + review fields."""
    from qgis.core import QgsField, QgsFields
    from qgis.PyQt.QtCore import QVariant

    types = {"string": QVariant.Type.String, "double": QVariant.Type.Double, "int": QVariant.Type.Int,
             "bool": QVariant.Type.Bool,
             "datetime": QVariant.Type.String}
    ours = set(OUTPUT_FIELDS) | set(REVIEW_FIELDS)
    keep = [i for i, f in enumerate(source_fields) if f.name() not in ours]
    out = QgsFields()
    for i in keep:
        out.append(source_fields.at(i))
    for name in OUTPUT_FIELDS + REVIEW_FIELDS:
        spec = schema.fields()[name]
        field = QgsField(name, types[spec["type"]])
        field.setAlias(spec.get("alias", name))
        out.append(field)
    return out, keep


def read_rows(source, std, group_by=None, feedback=None, request=None):
    """(features, rows, previous, plan, records) of a QgsFeatureSource for ``std``; None when cancelled.

    Raises MissingInputsError naming every field the standard needs that the layer lacks.
    """
    from qgis.core import QgsFeatureRequest

    from ..units import AreaMeter

    src_fields = source.fields()
    names = src_fields.names()
    has_geom = source.wkbType() not in (0, 100)  # Unknown/NoGeometry
    plan = InputPlan(std, names, has_geometry=has_geom)
    plan.check()
    group_by = group_by or std.group_by
    if group_by:
        plan.add_field(group_by, group_by if group_by in names else plan._find(group_by))
    if plan._find("parcel_code"):  # names the parcel in messages (non-finite values)
        plan.add_field("parcel_code", plan._find("parcel_code"))
    plan.bind(names)
    meter = AreaMeter(source.sourceCrs()) if has_geom else None
    prev_idx = {f: names.index(f) for f in OUTPUT_FIELDS + REVIEW_FIELDS if f in names}
    features, records, areas, previous = [], [], [], []
    total = source.featureCount() or 1
    req = request or QgsFeatureRequest()
    for k, f in enumerate(source.getFeatures(req)):
        if feedback is not None and k % 5000 == 0:
            if feedback.isCanceled():
                return None
            feedback.setProgress(30.0 * k / total)
        attrs = f.attributes()
        area = None
        if has_geom:
            g = f.geometry()
            area = meter.m2(g) if g is not None and not g.isNull() else None
        records.append(attrs)
        areas.append(area)
        previous.append(
            {n: (None if _is_null(attrs[i]) else attrs[i]) for n, i in prev_idx.items()} if prev_idx else {})
        features.append(f)
    rows = plan.rows_from_records(records, areas if has_geom else [None] * len(records))
    plan.check_rows(rows, group_by)
    for row, prev in zip(rows, previous):
        if "grade_final" not in row:
            row["grade_final"] = to_text(prev.get("grade_final"))
        if not std.grades and "grade" not in plan.fields:
            row["grade"] = to_text(prev.get("grade"))
    return features, rows, previous, plan, records


def grade_source(source, std, group_by=None, feedback=None, now=None, request=None):
    """Read a QgsFeatureSource, grade it. Returns (features, out_fields, results, areas_mu, plan).

    Nothing is written here, so a cancelled or failed run leaves no output behind. Features
    come back with their output attributes set (input values, grade fields, review fields).
    """
    read = read_rows(source, std, group_by, feedback, request)
    if read is None:
        return None
    features, rows, previous, plan, records = read
    src_fields = source.fields()
    names = src_fields.names()
    grader = Grader(std, group_by=group_by, now=now)
    results = grader.run(rows, feedback)
    if results is None:
        return None
    plan.notes = grader.notes
    prev_clean = previous
    finish(results, prev_clean, std)
    out, keep = output_fields(src_fields)
    keep_all = len(keep) == len(names)
    for f, res, prev, attrs in zip(features, results, prev_clean, records):
        base = attrs if keep_all else [attrs[i] for i in keep]
        f.setFields(out, False)
        f.setAttributes(base + [res[n] for n in OUTPUT_FIELDS] + [prev.get(n) for n in REVIEW_FIELDS])
    areas_mu = [r.get("area_mu") for r in rows]
    return features, out, results, areas_mu, plan


# ---- styles ------------------------------------------------------------------------------------
def layer_counts(layer):
    """{class: (count, 亩)} on coalesce(grade_final, grade), areas from the geometry."""
    from qgis.core import QgsFeatureRequest

    from ..units import AreaMeter

    names = layer.fields().names()
    if "grade" not in names:
        return {}
    gi = names.index("grade")
    fi = names.index("grade_final") if "grade_final" in names else None
    meter = AreaMeter(layer.crs())
    req = QgsFeatureRequest().setSubsetOfAttributes([i for i in (gi, fi) if i is not None])
    out = {}
    for f in layer.getFeatures(req):
        attrs = f.attributes()
        g = (to_text(attrs[fi]) if fi is not None else None) or to_text(attrs[gi])
        n, mu = out.get(g, (0, 0.0))
        out[g] = (n + 1, mu + meter.m2(f.geometry()) / M2_PER_MU)
    return out


def legend_label(grade, count, mu):
    return "{} {}（{} 宗，{:,.1f} 亩）".format(grade, GRADE_NAMES.get(grade, ""), count, mu)


def label_counts(renderer, counts):
    """Write ``counts`` ({class: (count, 亩)}) into the grade style's category labels."""
    for i, cat in enumerate(renderer.categories()):
        value = cat.value()
        if value in GRADE_NAMES:
            n, mu = counts.get(value, (0, 0.0))
            renderer.updateCategoryLabel(i, legend_label(value, n, mu))
        elif not value:
            n, mu = counts.get(None, (0, 0.0))
            renderer.updateCategoryLabel(i, "未评价（{} 宗）".format(n))
            renderer.updateCategoryRenderState(i, n > 0)


def has_counted_labels(layer):
    """True when ``layer`` is drawn by the grade style with LandEval's counts in its labels
    (apply_style): they must be counted again when the layer's rows change (a filter)."""
    import re

    renderer = layer.renderer() if layer is not None else None
    if renderer is None or renderer.type() != "categorizedSymbol":
        return False
    counted = re.compile(r"^(\S+ .*（[\d,]+ 宗，[\d,.]+ 亩）|未评价（[\d,]+ 宗）)$")
    labels = [(cat.value(), cat.label()) for cat in renderer.categories()]
    return bool(labels) and all(counted.match(label or "") for value, label in labels
                                if value in GRADE_NAMES or not value)


def apply_style(layer, kind="grade", counts=None):
    """Load resources/styles/<kind>.qml (symbology only); grade legend labels get counts and 亩."""
    from qgis.core import QgsMapLayer

    from .. import aliases, paths

    aliases.load_style(layer, paths.resource("styles", kind + ".qml"), QgsMapLayer.Symbology)
    renderer = layer.renderer()
    if kind == "grade" and renderer is not None and renderer.type() == "categorizedSymbol":
        label_counts(renderer, counts if counts is not None else layer_counts(layer))
    elif kind == "score" and renderer is not None and renderer.type() == "graduatedSymbol":
        renderer.updateClasses(layer, 5)
        for i, rng in enumerate(renderer.ranges()):
            renderer.updateRangeLabel(i, "{:.1f} – {:.1f}".format(rng.lowerValue(), rng.upperValue()))
    layer.triggerRepaint()
    return layer


# ---- what-if ----------------------------------------------------------------------------------------
def whatif(std, rows, group_by=None, step=0.10, feedback=None, kinds=("threshold",)):
    """How many parcels change class (or low-efficiency tags) when each threshold moves ±step.

    Returns [(label, value, changed_at_minus, changed_at_plus)] in the order of std.tunables().
    ``rows`` come from read_rows(); they are re-used for every variant.
    """
    def outcome(s):
        res = Grader(s, group_by=group_by).run([dict(r) for r in rows])
        return [(r["grade"], r["low_eff_tags"]) for r in res]

    base = outcome(std)
    tun = [t for t in std.tunables() if t[3] in kinds]
    out = []
    for k, (path, label, value, _kind) in enumerate(tun):
        if feedback is not None:
            if feedback.isCanceled():
                return None
            feedback.setProgress(100.0 * k / max(len(tun), 1))
        changed = []
        for factor in (1 - step, 1 + step):
            try:
                variant = std.with_values({path: value * factor})
            except Exception:
                changed.append(None)
                continue
            changed.append(sum(1 for a, b in zip(base, outcome(variant)) if a != b))
        out.append((label, value, changed[0], changed[1]))
    return out
