"""一套标准: a grading standard as a YAML data file, loaded and validated.

A district's rules change every year, so they live in ``resources/standards/*.yaml`` (or any
file the user saves), never in code. ``load()`` checks the whole file and raises
``StandardError`` listing every problem at once, each naming its key path
(``rules[2].when``, ``scoring.formulas[0].items[1].benchmark``) and what is wrong.
The format is documented in docs/standards.md.
"""
import copy
import glob
import math
import os

from ...i18n import tr
from .. import paths, schema, vocabulary
from .condition import Condition, ConditionError

GRADES = vocabulary.grades()  # ("A", "B", "C", "D", "T"): resources/schema/vocabulary.yaml
GRADE_NAMES = vocabulary.grade_names()
MISSING_POLICIES = ("not_graded", "group_average", "zero")
METHODS = ("ratio", "minmax", "thresholds")
AREA_NAMES = {"area_m2": ("用地面积", "平方米"), "area_mu": ("用地面积", "亩"), "area_ha": ("用地面积", "公顷")}
TOP_KEYS = {"id", "version", "name", "region", "year", "source", "description", "assumptions", "inputs",
            "params", "derived", "rules", "exclusions", "scoring", "classify", "tags", "include_tags",
            "low_eff_grades", "example", "period"}
EXAMPLE_MARK = "示例"


class StandardError(ValueError):
    """A standard file with problems; ``problems`` is the list of 'key: what is wrong'."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = list(problems)
        super().__init__(tr("Standard {} has {} problem(s):").format(source, len(self.problems)) + "\n" +
                         "\n".join("  - " + p for p in self.problems))


def standards_dir():
    return paths.resource("standards")


def preset_ids():
    return sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(standards_dir(), "*.yaml")))


def resolve_path(id_or_path):
    """A preset id (``beijing_etown_2023``) or a path to a .yaml/.yml/.json file."""
    text = str(id_or_path or "").strip()
    if not text:
        raise StandardError("?", [tr("no standard given (a preset id or a file path)")])
    if os.path.exists(text):
        return text
    candidate = os.path.join(standards_dir(), text + ".yaml")
    if os.path.exists(candidate):
        return candidate
    raise StandardError(
        text, [tr("no preset named '{}' and no such file (presets: {})").format(text, ", ".join(preset_ids()))])


def load(id_or_path, year=None):
    """Load, merge included tag rules, validate; returns a Standard or raises StandardError."""
    path = resolve_path(id_or_path)
    try:
        data = schema.load_yaml(path) if not path.endswith(".json") else _load_json(path)
    except Exception as exc:  # YAML syntax: name the file and line
        raise StandardError(path, [tr("cannot read the file: {}").format(exc)]) from exc
    try:
        return Standard.from_dict(data, source=path, year=year)
    except StandardError as exc:  # each problem with the line of its key in the file
        if path.endswith(".json"):
            raise
        from .condition import with_line, yaml_key_lines

        lines = yaml_key_lines(path)
        raise StandardError(path, [with_line(p, p.split(": ", 1)[0], lines) for p in exc.problems]) from None


def _load_json(path):
    import json

    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def known_names():
    """{name: (label, unit)} for every standard name a condition may use without declaring it."""
    out = {}
    for name, spec in schema.fields().items():
        label, unit = split_alias(spec.get("alias", name))
        out[name] = (label, unit)
        if spec.get("group") in ("enterprise", "indicator"):
            out[name + "_y1"] = (label + "(上年)", unit)
            out[name + "_y2"] = (label + "(前年)", unit)
    out.update(AREA_NAMES)
    return out


def split_alias(alias):
    """'亩均税收(万元/亩)' -> ('亩均税收', '万元/亩')."""
    if alias.endswith(")") and "(" in alias:
        i = alias.rindex("(")
        unit = alias[i + 1:-1]
        if unit not in ("上年", "前年", "规上/规下"):
            return alias[:i], unit
    return alias, ""


class Item:
    """One scored indicator of a formula group."""

    def __init__(self, d, key):
        self.key = key
        self.indicator = d.get("indicator")
        self.label = d.get("label")
        self.method = d.get("method", "ratio")
        self.weight = d.get("weight")
        self.benchmark = d.get("benchmark")
        self.cap = d.get("cap")
        self.floor = d.get("floor", 0.2)
        self.steps = d.get("steps") or []
        self.else_points = d.get("else_points", 0)
        self.direction = d.get("direction", "higher")
        self.missing = d.get("missing")


class Standard:
    """A validated standard. Attributes mirror the file; ``data`` keeps the raw dict for saving."""

    def __init__(self):
        self.data = {}
        self.source = None

    # ---- construction and validation ---------------------------------------------------
    @classmethod
    def from_dict(cls, data, source="<dict>", year=None):
        problems = []
        if not isinstance(data, dict):
            raise StandardError(source, [tr("the file must be a mapping of keys (id, version, rules ...)")])
        data = copy.deepcopy(data)
        data = _merge_includes(data, source, problems)
        for path, value in _non_finite(data):  # YAML .nan, .inf, 1.0e+999: never a threshold or weight
            problems.append(tr("{}: {} is not a finite number").format(path, value))
        std = cls()
        std.data = data
        std.source = source
        std._build(year, problems)
        if problems:
            raise StandardError(source, problems)
        return std

    def _build(self, year, problems):
        d = self.data
        for key in d:
            if key not in TOP_KEYS:
                problems.append(tr("{}: unknown key (allowed: {})").format(key, ", ".join(sorted(TOP_KEYS))))
        for key in ("id", "version", "name"):
            if not d.get(key):
                problems.append(tr("{}: required").format(key))
        self.id = str(d.get("id") or "")
        self.version = str(d.get("version") or "")
        self.name = str(d.get("name") or self.id)
        self.default_year = d.get("year")
        self.year = int(year) if year else (int(d["year"]) if isinstance(d.get("year"), int) else None)
        self.assumptions = d.get("assumptions") or []
        self.description = d.get("description") or ""
        self.source_text = str(d.get("source") or "")
        # provenance: a published document and clause, or a worked example labelled 示例 in its name
        self.example = bool(d.get("example"))
        if self.example and EXAMPLE_MARK not in self.name:
            problems.append(tr("name: a worked example (example: true) must say {} in its name").format(EXAMPLE_MARK))
        self.warnings = []
        self.period_note = ""
        period = d.get("period")
        self.period = None
        if period is not None:
            if not (isinstance(period, list) and len(period) == 2 and all(isinstance(y, int) for y in period)):
                problems.append(tr("period: must be [first year, last year]"))
            else:
                self.period = tuple(period)
                if self.year and not period[0] <= self.year <= period[1]:
                    self.period_note = "评价年度 {} 年不在{}的期限（{}–{} 年）内，规则按原文沿用，请核对".format(
                        self.year, self.source_text or self.name, period[0], period[1])
                    self.warnings.append(tr("Evaluation year {} is outside the period {}–{} of {}: its rules are "
                                            "applied as written for the period, check them for this year.").format(
                        self.year, period[0], period[1], self.source_text or self.name))

        # inputs: extra layer fields and names that may be absent
        inputs = d.get("inputs") or {}
        if not isinstance(inputs, dict):
            problems.append(tr("inputs: must be a mapping (optional, fields)"))
            inputs = {}
        self.optional = set(inputs.get("optional") or [])
        self.extra_fields = {}
        for name, spec in (inputs.get("fields") or {}).items():
            spec = spec or {}
            if spec.get("type", "string") not in ("string", "double", "int", "bool", "date"):
                problems.append(tr("inputs.fields.{}.type: must be string, double, int, bool or date").format(name))
            self.extra_fields[name] = spec
        self.labels = known_names()
        for name, spec in self.extra_fields.items():
            self.labels[name] = split_alias(spec.get("alias", name)) if not spec.get("unit") else (
                spec.get("alias", name), spec.get("unit"))

        # params: named constants, optionally by year
        self.params = {}
        self.param_specs = {}
        self._param_path = {}
        for name, spec in (d.get("params") or {}).items():
            key = "params.{}".format(name)
            if not isinstance(spec, dict):
                spec = {"value": spec}
            value = spec.get("value")
            by_year = spec.get("by_year")
            if by_year:
                if not isinstance(by_year, dict):
                    problems.append(tr("{}.by_year: must map years to values").format(key))
                else:
                    # the latest year not after the evaluation year; before all of them: value
                    years = sorted(int(y) for y in by_year)
                    past = [y for y in years if self.year and y <= self.year]
                    if past:
                        value = by_year[past[-1]]
                        self._param_path[name] = ("params", name, "by_year", past[-1])
                    elif value is None:
                        value = by_year[years[0]]
                        self._param_path[name] = ("params", name, "by_year", years[0])
            if value is None:
                problems.append(tr("{}: needs a value (or by_year)").format(key))
            self.params[name] = value
            self.param_specs[name] = spec
            self.labels[name] = (spec.get("label", name), spec.get("unit", ""))

        # derived values: expressions over other names, computed per parcel
        self.derived = []
        for name, spec in (d.get("derived") or {}).items():
            key = "derived.{}".format(name)
            spec = spec if isinstance(spec, dict) else {"expr": spec}
            cond = self._condition(spec.get("expr"), key + ".expr", problems)
            if cond is not None:
                self.derived.append((name, cond))
            self.labels[name] = (spec.get("label", name), spec.get("unit", ""))

        # direct rules and exclusions
        self.rules = []
        for i, r in enumerate(d.get("rules") or []):
            key = "rules[{}]".format(i)
            if not isinstance(r, dict):
                problems.append(tr("{}: must be a mapping with grade, when, reason").format(key))
                continue
            if r.get("grade") not in GRADES:
                problems.append(tr("{}.grade: must be one of A, B, C, D, T (got {!r})").format(key, r.get("grade")))
            if not r.get("reason"):
                problems.append(tr("{}.reason: required (the Chinese reason printed for the parcel)").format(key))
            cond = self._condition(r.get("when"), key + ".when", problems)
            self.rules.append({"grade": r.get("grade"), "when": cond, "reason": r.get("reason", ""), "key": key,
                               "explain": r.get("explain", True), "clause": r.get("clause", ""),
                               "assumption": r.get("assumption", "")})
        self.exclusions = []
        for i, r in enumerate(d.get("exclusions") or []):
            key = "exclusions[{}]".format(i)
            if not isinstance(r, dict):
                problems.append(tr("{}: must be a mapping with when and reason").format(key))
                continue
            if not r.get("reason"):
                problems.append(tr("{}.reason: required (the Chinese reason printed for the parcel)").format(key))
            cond = self._condition(r.get("when"), key + ".when", problems)
            self.exclusions.append({"grade": "T", "when": cond, "reason": r.get("reason", ""), "key": key,
                                    "explain": r.get("explain", True), "clause": r.get("clause", ""),
                                    "assumption": r.get("assumption", "")})

        # scoring
        self.formulas = []
        self.bonus = []
        self.penalty = []
        sc = d.get("scoring")
        if sc is not None:
            if not isinstance(sc, dict):
                problems.append(tr("scoring: must be a mapping (formulas, bonus, penalty)"))
                sc = {}
            default_missing = sc.get("missing")
            if default_missing is not None and default_missing not in MISSING_POLICIES:
                problems.append(tr("scoring.missing: must be one of {} (got {!r})").format(
                    ", ".join(MISSING_POLICIES), default_missing))
            formulas = sc.get("formulas") or []
            if not formulas:
                problems.append(tr("scoring.formulas: at least one formula (a list of items) is needed"))
            for fi, f in enumerate(formulas):
                fkey = "scoring.formulas[{}]".format(fi)
                when = self._condition(f.get("when"), fkey + ".when", problems) if f.get("when") is not None else None
                items = []
                for ii, it in enumerate(f.get("items") or []):
                    ikey = "{}.items[{}]".format(fkey, ii)
                    item = Item(it, ikey)
                    if item.missing is None:
                        item.missing = default_missing
                    self._check_item(item, ikey, problems)
                    items.append(item)
                if not items:
                    problems.append(tr("{}.items: at least one scored indicator is needed").format(fkey))
                self.formulas.append({"name": f.get("name", "公式{}".format(fi + 1)), "when": when,
                                      "items": items, "key": fkey,
                                      "note": f.get("note", ""), "clause": f.get("clause", "")})
            for kind in ("bonus", "penalty"):
                for bi, b in enumerate(sc.get(kind) or []):
                    bkey = "scoring.{}[{}]".format(kind, bi)
                    cond = self._condition(b.get("when"), bkey + ".when", problems)
                    if not _is_number(b.get("points")):
                        problems.append(tr("{}.points: must be a number").format(bkey))
                    getattr(self, kind).append({"when": cond, "points": b.get("points", 0),
                                                "label": b.get("label", ""), "key": bkey})

        # classification
        self.classify = None
        cl = d.get("classify")
        if self.formulas and not cl:
            problems.append(tr("classify: a standard with scoring needs classify (thresholds or quota)"))
        if cl:
            method = cl.get("method")
            if method == "thresholds":
                th = cl.get("thresholds") or {}
                order = [g for g in ("A", "B", "C", "D") if g in th]
                bad = [g for g in th if g not in ("A", "B", "C", "D")]
                if bad:
                    problems.append(
                        tr("classify.thresholds: unknown class {} (use A, B, C, D)").format(", ".join(map(str, bad))))
                vals = [th[g] for g in order]
                if not all(_is_number(v) for v in vals):
                    problems.append(tr("classify.thresholds: every threshold must be a number"))
                elif any(a <= b for a, b in zip(vals, vals[1:])):
                    problems.append(tr("classify.thresholds: thresholds must fall from A to D (got {})").format(th))
                if not cl.get("else"):
                    cl["else"] = "D"
            elif method == "quota":
                q = cl.get("quotas") or {}
                bad = [g for g in q if g not in ("A", "B", "C", "D")]
                if bad:
                    problems.append(
                        tr("classify.quotas: unknown class {} (use A, B, C, D)").format(", ".join(map(str, bad))))
                elif not all(_is_number(v) and v >= 0 for v in q.values()):
                    problems.append(tr("classify.quotas: every quota must be a percentage >= 0"))
                elif abs(sum(q.values()) - 100) > 1e-6:
                    problems.append(tr("classify.quotas: must add up to 100 (now {})").format(sum(q.values())))
            else:
                problems.append(tr("classify.method: must be 'thresholds' or 'quota' (got {!r})").format(method))
            self.classify = cl
        self.group_by = (cl or {}).get("group_by")

        # low-efficiency tags
        self.tags = []
        for i, t in enumerate(d.get("tags") or []):
            key = "tags[{}]".format(i)
            if not t.get("name"):
                problems.append(tr("{}.name: required").format(key))
            cond = self._condition(t.get("when"), key + ".when", problems)
            years = t.get("years")
            if years is not None and not (isinstance(years, list) and all(isinstance(y, int) for y in years)):
                problems.append(tr("{}.years: a list of years the tag applies in").format(key))
                years = None
            self.tags.append({"name": t.get("name", ""), "when": cond, "reason": t.get("reason", ""), "key": key,
                              "clause": t.get("clause", ""), "assumption": t.get("assumption", ""), "years": years,
                              "explain": t.get("explain", True)})
        # tags bound to other years of a plan (重点整治 2022 / 2023) are not evaluated this year
        self.active_tags = [t for t in self.tags if not t["years"] or not self.year or self.year in t["years"]]
        self.low_eff_grades = list(d.get("low_eff_grades") or [])
        for g in self.low_eff_grades:
            if g not in GRADES:
                problems.append(tr("low_eff_grades: unknown class {!r}").format(g))
        if not (self.rules or self.formulas or self.tags):
            problems.append(tr("the standard has no rules, no scoring and no tags: nothing to evaluate"))

        # every name used must be known
        self._check_names(problems)

    def _condition(self, text, key, problems):
        if text is None or (isinstance(text, str) and not text.strip()):
            problems.append(tr("{}: condition required").format(key))
            return None
        if isinstance(text, bool):
            text = "true" if text else "false"
        try:
            return Condition(str(text))
        except ConditionError as exc:
            problems.append("{}: {}".format(key, exc))
            return None

    def _check_item(self, item, key, problems):
        if not item.indicator:
            problems.append(tr("{}.indicator: required").format(key))
        if item.method not in METHODS:
            problems.append(tr("{}.method: must be one of {} (got {!r})").format(key, ", ".join(METHODS), item.method))
        if not _is_number(item.weight) or item.weight <= 0:
            problems.append(tr("{}.weight: must be a number > 0").format(key))
        if item.direction not in ("higher", "lower"):
            problems.append(tr("{}.direction: must be 'higher' or 'lower'").format(key))
        if item.missing not in MISSING_POLICIES:
            problems.append(tr("{}.missing: say how a missing value is treated: {} (got {!r})").format(
                key, ", ".join(MISSING_POLICIES), item.missing))
        if item.method == "ratio":
            b = item.benchmark
            if isinstance(b, dict):
                if b.get("stat") not in ("mean", "median"):
                    problems.append(tr("{}.benchmark.stat: must be mean or median").format(key))
                if not b.get("of"):
                    problems.append(tr("{}.benchmark.of: name the indicator the statistic is taken of").format(key))
                if not _is_number(b.get("factor", 1)):
                    problems.append(tr("{}.benchmark.factor: must be a number").format(key))
            elif not _is_number(b) or b <= 0:
                problems.append(tr("{}.benchmark: must be a number > 0 (or stat/of/factor)").format(key))
        if item.cap is not None and (not _is_number(item.cap) or item.cap <= 0):
            problems.append(tr("{}.cap: must be a number of points > 0").format(key))
        if item.method == "minmax" and (not _is_number(item.floor) or not 0 <= item.floor < 1):
            problems.append(tr("{}.floor: must be a fraction between 0 and 1 (0.2 = 20 + 80·…)").format(key))
        if item.method == "thresholds":
            ok = isinstance(item.steps, list) and item.steps and all(
                isinstance(s, dict) and _is_number(s.get("at")) and _is_number(s.get("points")) for s in item.steps)
            if not ok:
                problems.append(tr("{}.steps: a list of {{at: value, points: n}}").format(key))

    def _check_names(self, problems):
        defined = set(self.labels) | set(self.params) | {n for n, _ in self.derived}
        for r in self.rules + self.exclusions:
            for name in reason_names(r["reason"]):
                if name not in defined:
                    problems.append(tr("{}.reason: unknown name '{{{}}}'").format(r["key"], name))
        zero = {n for n, v in self.params.items() if _is_number(v) and v == 0}
        for key, cond in self.conditions():
            for name in cond.divisors():
                if isinstance(name, str) and name in zero:
                    problems.append(tr("{}: divides by the param '{}', which is 0").format(key, name))
                elif _is_number(name) and name == 0:
                    problems.append(tr("{}: divides by 0 (the value would be missing for every parcel)").format(key))
            for name in cond.variables:  # @name reads a param, as in disposal rule sets
                if name not in self.params:
                    problems.append(tr("{}: unknown variable @{} (a standard's variables are its params: {})").format(
                        key, name, ", ".join(sorted(self.params)) or "—"))
            for name in cond.names:
                if name in cond.quoted:
                    continue
                if name not in defined:
                    problems.append(tr("{}: unknown name '{}' (not a standard field, indicator, param or derived "
                                       "value; write a layer field as \"{}\" or declare it under "
                                       "inputs.fields)").format(key, name, name))
        for f in self.formulas:
            for it in f["items"]:
                if it.indicator and it.indicator not in defined:
                    problems.append(tr("{}.indicator: unknown indicator '{}'").format(it.key, it.indicator))
                if isinstance(it.benchmark, dict) and it.benchmark.get("of") and it.benchmark["of"] not in defined:
                    problems.append(tr("{}.benchmark.of: unknown indicator '{}'").format(it.key, it.benchmark["of"]))

    # ---- queries ----------------------------------------------------------------------------
    def conditions(self, active_only=False):
        """(key, Condition) of every condition in the standard (``active_only``: this year's tags)."""
        out = [("derived." + n, c) for n, c in self.derived]
        tags = self.active_tags if active_only else self.tags
        for group in (self.rules, self.exclusions, tags, self.bonus, self.penalty):
            out += [(r["key"] + ".when", r["when"]) for r in group if r["when"] is not None]
        out += [(f["key"] + ".when", f["when"]) for f in self.formulas if f["when"] is not None]
        return out

    def names_needed(self):
        """Base names (not params or derived) the standard reads from each parcel."""
        names = set()
        for _, cond in self.conditions(active_only=True):
            names.update(cond.names)
        for r in self.rules + self.exclusions:
            names.update(reason_names(r["reason"]))
        for f in self.formulas:
            for it in f["items"]:
                names.add(it.indicator)
                if isinstance(it.benchmark, dict) and it.benchmark.get("of"):
                    names.add(it.benchmark["of"])
        names -= set(self.params)
        names -= {n for n, _ in self.derived}
        return names

    @property
    def grades(self):
        """Whether the standard assigns classes (else it only tags, keeping earlier grades)."""
        return bool(self.rules or self.formulas)

    def label(self, name):
        return self.labels.get(name, (name, ""))

    def display_id(self):
        return "{} v{}".format(self.id, self.version)

    def provenance(self):
        """Chinese line naming the document and clause, or saying the preset is a worked example."""
        if self.example:
            return "示例（非公开发布文件，仅作演示，使用前请按当地正式文件修改）：{}".format(self.source_text or "—")
        return "依据：{}".format(self.source_text or "未注明（请在 source 中写明文件名称和条款）")

    def where_used(self):
        """{name: set of uses} with uses 'condition', 'benchmark' or ('item', formula name)."""
        out = {}
        for _, cond in self.conditions(active_only=True):
            for n in cond.names:
                out.setdefault(n, set()).add("condition")
        for r in self.rules + self.exclusions:
            for n in reason_names(r["reason"]):
                out.setdefault(n, set()).add("condition")
        for f in self.formulas:
            for it in f["items"]:
                out.setdefault(it.indicator, set()).add(("item", f["name"]))
                if isinstance(it.benchmark, dict) and it.benchmark.get("of"):
                    out.setdefault(it.benchmark["of"], set()).add("benchmark")
        return out

    def tunables(self):
        """Numbers a planner may edit or move in a what-if: [(path, Chinese label, value, kind)]."""
        out = []
        for name, spec in self.param_specs.items():
            v = self.params.get(name)
            if _is_number(v):
                path = self._param_path.get(name, ("params", name, "value"))
                out.append((path,
                            "{}（{}）".format(spec.get("label", name), spec.get("unit", "")).replace("（）", ""),
                            v, "threshold"))
        for fi, f in enumerate(self.formulas):
            for ii, it in enumerate(f["items"]):
                lab = it.label or self.label(it.indicator)[0]
                base = ("scoring", "formulas", fi, "items", ii)
                if _is_number(it.benchmark):
                    out.append((base + ("benchmark",), "{}·{} 基准值".format(f["name"], lab),
                                it.benchmark, "threshold"))
                out.append((base + ("weight",), "{}·{} 权重".format(f["name"], lab), it.weight, "weight"))
        if self.classify and self.classify.get("method") == "thresholds":
            for g, v in self.classify.get("thresholds", {}).items():
                out.append((("classify", "thresholds", g), "{}类最低得分".format(g), v, "threshold"))
        return out

    def with_values(self, changes, new_id=None, new_version=None):
        """A copy with {path: value} changes applied (validated); for edits and what-if."""
        data = copy.deepcopy(self.data)
        for name, spec in list((data.get("params") or {}).items()):
            if not isinstance(spec, dict):
                data["params"][name] = {"value": spec}
        for path, value in changes.items():
            node = data
            for p in path[:-1]:
                node = node[p]
            node[path[-1]] = value
        if new_id:
            data["id"] = new_id
        if new_version:
            data["version"] = new_version
        data.pop("include_tags", None)  # already merged into data
        return Standard.from_dict(data, source=self.source, year=self.year)

    def save(self, path):
        """Write the standard as YAML (comments of the original are not kept)."""
        import yaml

        data = copy.deepcopy(self.data)
        data.pop("include_tags", None)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("# LandEval 评价标准 (saved from {})\n".format(os.path.basename(self.source or "")))
            yaml.safe_dump(data, fh, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)
        os.replace(tmp, path)
        return path

    def rules_table(self):
        """Rows (阶段, 类别, 条件, 依据) describing the standard in Chinese, for the page."""
        def lab(n):
            if n not in self.params:
                return self.label(n)[0]
            return "{}[{}]".format(self.label(n)[0], _fmt(self.params[n]))

        rows = []
        for r in self.rules:
            rows.append(("直接判定", r["grade"], r["when"].to_text(lab) if r["when"] else "", _basis(r["reason"], r)))
        for r in self.exclusions:
            rows.append(("不参评", "T", r["when"].to_text(lab) if r["when"] else "", _basis(r["reason"], r)))
        for f in self.formulas:
            cond = f["when"].to_text(lab) if f["when"] else "其余地块"
            for it in f["items"]:
                rows.append(("评分·" + f["name"], "", cond, _basis(describe_item(self, it), f)))
        for kind, sign in (("bonus", "+"), ("penalty", "−")):
            for b in getattr(self, kind):
                rows.append(("加分" if kind == "bonus" else "扣分", "", b["when"].to_text(lab) if b["when"] else "",
                             "{} {}{}".format(b["label"], sign, _fmt(b["points"]))))
        if self.classify:
            cl = self.classify
            grp = "（按 {} 分组）".format(self.label(self.group_by)[0]) if self.group_by else ""
            if cl.get("method") == "thresholds":
                text = "；".join("{} ≥ {}".format(g, _fmt(v)) for g, v in cl.get("thresholds", {}).items())
                rows.append(("分类", "", "得分阈值" + grp, text + "；其余 " + cl.get("else", "D")))
            else:
                text = "；".join("{} {}%".format(g, _fmt(v)) for g, v in cl.get("quotas", {}).items())
                if cl.get("per_formula"):
                    grp += "（各评分公式分别排序）"
                rows.append(("分类", "", "按排名比例" + grp, text + "（并列同档，取较好类别）"))
        for t in self.tags:
            stage = "低效认定" if not t["years"] else "低效认定（{} 年）".format("、".join(str(y) for y in t["years"]))
            if t["years"] and t not in self.active_tags:
                stage += "·本年度不适用"
            rows.append((stage, "", t["when"].to_text(lab) if t["when"] else "",
                         _basis(t["name"] + ("：" + t["reason"] if t["reason"] else ""), t)))
        for g in self.low_eff_grades:
            rows.append(("低效认定", g, "评价类别为 " + g, "综合评价{}类".format(g)))
        return rows


def describe_item(std, it):
    lab = it.label or std.label(it.indicator)[0]
    arrow = "（越低越好）" if it.direction == "lower" else ""
    miss = {"not_graded": "缺失不参评", "group_average": "缺失取同组平均分", "zero": "缺失计0分"}.get(it.missing, "")
    if it.method == "ratio":
        b = it.benchmark
        btxt = _fmt(b) if _is_number(b) else "{}×{}({})".format(_fmt(b.get("factor", 1)),
                                                                {"mean": "均值", "median": "中位数"}[b["stat"]],
                                                                std.label(b["of"])[0])
        ratio = (lab, btxt) if it.direction == "higher" else (btxt, lab)
        text = "{} ÷ {} × {}".format(ratio[0], ratio[1], _fmt(it.weight))
    elif it.method == "minmax":
        text = "{}：{}×({:g}+{:g}×(x−最小)/(最大−最小))".format(lab, _fmt(it.weight), it.floor, 1 - it.floor)
    else:
        sign = "≥" if it.direction == "higher" else "≤"
        steps = "，".join("{}{}得{}分".format(sign, _fmt(s["at"]), _fmt(s["points"])) for s in it.steps)
        text = "{}：{}".format(lab, steps)
    if it.cap is not None:
        text += "，封顶 {} 分".format(_fmt(it.cap))
    return "{}{}；{}".format(text, arrow, miss)


def _basis(text, entry):
    """Reason text with the clause it rests on and its assumption, for the page's rules table."""
    if entry.get("clause"):
        text += "〔{}〕".format(entry["clause"])
    if entry.get("assumption"):
        text += "（{}）".format(entry["assumption"])
    return text


_REASON_NAME_RE = None


def reason_names(text):
    """Names written as {name} in a reason text (filled with the parcel's value)."""
    global _REASON_NAME_RE
    import re

    if _REASON_NAME_RE is None:
        _REASON_NAME_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
    return _REASON_NAME_RE.findall(text or "")


def _fmt(v):
    from .condition import fmt_exact

    return fmt_exact(v)


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _non_finite(node, path=""):
    """(key path, value) of every NaN or infinite number in a loaded standard."""
    if isinstance(node, float) and not math.isfinite(node):
        yield path or "?", node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _non_finite(v, "{}.{}".format(path, k) if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _non_finite(v, "{}[{}]".format(path, i))


def _merge_includes(data, source, problems):
    """``include_tags: [tonglu_2022]`` copies another standard's tags (and their params) in."""
    inc = data.get("include_tags") or []
    if isinstance(inc, str):
        inc = [inc]
    for other_id in inc:
        try:
            other = schema.load_yaml(resolve_path(other_id))
        except Exception as exc:
            problems.append(tr("include_tags: cannot load '{}': {}").format(other_id, exc))
            continue
        params = data.setdefault("params", {}) or {}
        data["params"] = params
        for name, spec in (other.get("params") or {}).items():
            if name in params and params[name] != spec:
                problems.append(
                    tr("include_tags: param '{}' of '{}' differs from this standard's").format(name, other_id))
            params.setdefault(name, spec)
        inputs = data.setdefault("inputs", {}) or {}
        data["inputs"] = inputs
        opt = set(inputs.get("optional") or []) | set((other.get("inputs") or {}).get("optional") or [])
        inputs["optional"] = sorted(opt)
        data["tags"] = list(data.get("tags") or []) + list(other.get("tags") or [])
        data["low_eff_grades"] = sorted(set(data.get("low_eff_grades") or []) | set(other.get("low_eff_grades") or []))
    return data
