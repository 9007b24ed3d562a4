"""The column engine: grading a district held as columns, not as one dict per parcel.

For the GeoPackage fast path (core/grading/gpkg.py). The row engine (grade.Grader) keeps a dict of
values and a dict of results per parcel, and its reasons as text: about 3 KB a parcel. Ranks,
classes and benchmarks need every parcel's score before any reason can be written, so this engine
works in two passes: the first keeps only numbers and shared texts per parcel (the read columns,
each item's score, the total, the class and the rank); the second, ``rows()``, makes each
parcel's reason and score detail as its row is written, with the same formats and the same
arithmetic in the same order as the row engine (``test/test_grade_columns.py`` compares both).

It grades standards made of scoring formulas (with bonus and penalty points) and classes by
thresholds or quotas; anything else goes to the row engine (``unsupported`` says why, for the log).
"""
import json
import math
from itertools import repeat as _repeat

from ...i18n import tr
from .condition import fmt
from .grade import Grader, benchmark_value, field_type, prepare_item, quota_cuts, rank_group_label, shown_as_percent
from .grade import template_text as _esc

_UNSET = object()
_FLOAT = float  # a key holding a number is not cached: -0.0 == 0.0, 1.0 == True


def unsupported(std, plan=None):
    """None when the column engine grades ``std`` exactly as the row engine; else why not (for the log)."""
    if not std.grades or not std.formulas:
        return tr("the standard does not score with formulas")
    if std.rules or std.exclusions:
        return tr("the standard has direct rules or exclusions")
    if std.active_tags or std.low_eff_grades:
        return tr("the standard tags low-efficiency parcels")
    if std.derived:
        return tr("the standard has derived values")
    if (std.classify or {}).get("method") not in ("thresholds", "quota"):
        return tr("the standard classifies neither by thresholds nor by quotas")
    if plan is not None and plan.deferred:
        return tr("the layer lacks fields that only some formulas need")
    return None


def _utf8_shower(show, it, std):
    """A column of values -> their texts in UTF-8 as ``show`` (grade._value_shower) writes them
    (None stays None): '3.48 万元/亩' (fmt: up to 4 decimals, no trailing zeros) or '3.02%' for
    fractions. The same digits: a float's %-format is the same in bytes as in text, and always
    holds a point unless it is inf or nan, which end in no zero (so fmt's test for a point is
    not needed); other values go through ``show``."""
    if shown_as_percent(it.indicator):
        def col(vs):
            return [b"%.2f%%" % (v * 100) if v.__class__ is float else None if v is None else show(v).encode()
                    for v in vs]
        return col
    unit = std.label(it.indicator)[1]
    suffix = (" " + unit).encode() if unit else b""

    def col(vs):  # fmt's thresholds as comparisons: NaN fails both, as abs(NaN) >= 100 and >= 1 fail
        return [(b"%.1f" % v if not -100 < v < 100 else b"%.2f" % v if not -1 < v < 1 else b"%.4f" % v)
                .rstrip(b"0").rstrip(b".") + suffix if v.__class__ is float
                else None if v is None else show(v).encode() for v in vs]
    return col


class Results:
    """The run's results as the callers read them (``not_finite``, the low-efficiency count): per
    parcel a dict of its grade, its low-efficiency fields and, for a parcel with infinite or NaN
    values, ``_not_finite``; the same dict for the parcels of one class (read only). Scores and
    ranks: the engine's ``score`` and ``rank``."""

    def __init__(self, engine):
        self._e = engine

    def __len__(self):
        return self._e.n

    def __iter__(self):
        bad = self._e.not_finite
        shared = {}
        for j, g in enumerate(self._e.grade):
            if j in bad:
                yield {"grade": g, "low_eff": None, "low_eff_tags": None, "_not_finite": bad[j]}
                continue
            r = shared.get(g)
            if r is None:
                r = shared[g] = {"grade": g, "low_eff": None, "low_eff_tags": None}
            yield r


class ColumnGrader(Grader):
    """``run(cols, n)`` grades ``n`` parcels whose values are ``cols`` {name: list}; ``rows()``
    then yields each parcel's output values in the order of grade.OUTPUT_FIELDS. ``cols`` is
    consumed: infinite and NaN values become None (as the row engine does in its rows) and the
    columns the standard does not read are dropped."""

    def run(self, cols, n, feedback=None):
        std = self.std
        self.n = n
        self.cols = cols
        none_col = [None] * n
        self._none_col = none_col
        col = cols.get
        needs_area = self._needs_area()
        self.stamp = self.now.isoformat(sep=" ")
        self.grade = grade = [None] * n
        self.score = [None] * n
        self.rank = [None] * n
        self.reasons = reasons = {}  # parcel -> its reason, for the parcels not scored
        self.not_finite = bad_of = {}  # parcel -> (parcel code, [names])
        self.fidx = fidx = [None] * n  # parcel -> index of its scoring formula
        isfinite = math.isfinite
        checked = sorted({k for k in std.names_needed() if field_type(k, std) in ("double", "int")}
                         | {"area_m2", "area_mu", "area_ha"})
        codes = col("parcel_code") or none_col
        for k in checked:
            c = col(k)
            if c is None:
                continue
            try:  # the column holds floats and None: a finite sum of its numbers holds no infinite or NaN one
                if isfinite(sum(filter(None, c))):
                    continue
            except TypeError:
                pass
            for j, v in enumerate(c):
                if v.__class__ is float and not isfinite(v):
                    bad_of.setdefault(j, []).append(k)
                    c[j] = None
        # only what the standard reads stays (and the area in 亩 the caller sums): the raw values
        # the indicators were computed from are not read again
        keep = std.names_needed() | {"parcel_code", "area_m2", "area_mu", "grade_final", self.group_by}
        for name in [x for x in cols if x not in keep]:
            del cols[name]
        for j, names in bad_of.items():
            bad_of[j] = (codes[j], names)
            grade[j] = "T"
            reasons[j] = "{}的值不是有限数（无穷大或非数，数据有误），不参与评价 → T".format(
                "、".join(dict.fromkeys(std.label(k)[0] for k in names)))
        if feedback is not None:
            if feedback.isCanceled():
                return None
            feedback.setProgress(35)
        # the formulas' conditions read only these names: decided once per distinct combination
        fnames = sorted({x for f, _ in self._formulas if f["when"] for x in f["when"].names + f["when"].variables})
        fcols = [col(x) or none_col for x in fnames]
        keys = zip(*fcols) if fcols else _repeat((), n)
        choice = {}
        area = col("area_m2") or none_col
        formulas = self._formulas
        nograde = [[(it, col(it.indicator) or none_col) for it in f["items"] if it.missing == "not_graded"]
                   for f, _ in formulas]
        groups = [[] for _ in formulas]
        for j, key in enumerate(keys):
            if j in bad_of:
                continue
            if needs_area:
                a = area[j]
                if a is None or a <= 0:
                    grade[j] = "T"
                    reasons[j] = "用地面积{}，无法计算地均/亩均指标，不参与评价 → T".format(
                        "缺失" if a is None else "为零")
                    continue
            fi = choice.get(key, _UNSET) if _FLOAT not in map(type, key) else _UNSET
            if fi is _UNSET:
                row = dict(zip(fnames, key))
                fi = next((x for x, (f, fn) in enumerate(formulas) if fn(row) is True), None)
                if fi is None:
                    miss = self._missing_in([f["when"] for f, _ in formulas if f["when"]], row)
                    fi = "无适用的评分公式（{}）→ T".format(
                        "缺失：" + "、".join(miss) if miss else "不属于 " + "/".join(f["name"] for f, _ in formulas))
                choice[key] = fi
            if fi.__class__ is str:
                grade[j] = "T"
                reasons[j] = fi
                continue
            missing = [it for it, c in nograde[fi] if c[j] is None]
            if missing:
                grade[j] = "T"
                reasons[j] = "{}缺失，按标准不参与评分 → T".format(
                    "、".join(std.label(it.indicator)[0] for it in missing))
                continue
            fidx[j] = fi
            groups[fi].append(j)
        del choice, keys
        if feedback is not None:
            if feedback.isCanceled():
                return None
            feedback.setProgress(45)
        self._formula_state = [self._score_columns(f, g) if g else None for (f, _), g in zip(formulas, groups)]
        if feedback is not None:
            feedback.setProgress(55)
        self._classify_columns()
        self.cols = None  # what the texts need is kept per formula: the read columns can go
        if feedback is not None:
            feedback.setProgress(70)
        return self

    # ---- scoring: numbers only; the texts' formats are prepared once per formula --------------------
    def _benchmark_column(self, it, pool):
        """Grader._benchmark over the parcels ``pool`` (None: all), read from the columns."""
        def present(name):
            c = self.cols.get(name)
            if c is None:
                return []
            return [v for v in (c if pool is None else [c[j] for j in pool]) if v is not None]

        return benchmark_value(self.std, self.notes, it, present)

    def _score_columns(self, f, group):
        """Grader._score for one formula's parcels ``group`` (indexes), keeping numbers per parcel."""
        std = self.std
        pool = group if (std.classify or {}).get("per_formula") else None
        m = len(group)
        prepared = []
        for it in f["items"]:
            bench, bnote = self._benchmark_column(it, pool) if it.method == "ratio" else (None, "")
            c = self.cols.get(it.indicator)
            vals = [c[j] for j in group] if c is not None else [None] * m
            prepared.append(prepare_item(std, f, it, bench, bnote, vals))
        # per item: (simple, values, final scores, note kinds or None); the texts are made in rows()
        finals, fails = [], {}
        texts = []
        for it, part, templates, vals, scores, avg, bnote, lab, show in prepared:
            simple = it.cap is None and all(v is not None and sc is not None for v, sc in zip(vals, scores))
            if simple:
                finals.append(scores)
                texts.append((True, part, templates, vals, scores, None, show, it))
                continue
            fcol, ncol = [], []
            for k, (v, sc) in enumerate(zip(vals, scores)):
                note = ""
                if v is None:
                    if it.missing == "group_average" and avg is not None:
                        sc, note = avg, "avg"
                    elif it.missing == "group_average":
                        fails[k] = fails.get(k) or "{}缺失且同组无可用数据".format(lab)
                    elif it.missing == "zero":
                        sc, note = 0.0, "zero"
                elif it.cap is not None and sc is not None and sc > it.cap:
                    sc, note = float(it.cap), "cap"
                if sc is None:
                    fails[k] = fails.get(k) or "{}无法计分（{}）".format(lab, bnote or "基准值缺失")
                    fcol.append(0.0)
                    ncol.append(None)
                    continue
                fcol.append(sc)
                ncol.append(note)
            finals.append(fcol)
            texts.append((False, part, templates, vals, fcol, ncol, show, it))
        # values.plain_sum per parcel (from 0, left to right), item column by item column
        totals = [0 + x for x in finals[0]] if finals else []
        for c in finals[1:]:
            totals = [t + x for t, x in zip(totals, c)]
        del finals
        head = f["name"] + "："
        detail_fmt = "[" + ",".join(t[2][("", True)] if t[0] else "%s" for t in texts) + "]"
        parts_fmt = _esc(head) + "，".join(t[1] if t[0] else "%s" for t in texts)
        extras = {}  # place in the group -> [(kind, bonus, sign)] that apply
        score, grade, reasons, bad_of = self.score, self.grade, self.reasons, self.not_finite
        codes = self.cols.get("parcel_code") or self._none_col
        if self._bonus or self._penalty:
            conds = [(kind, b, fn, sign)
                     for kind, lst, sign in (("bonus", self._bonus, 1), ("penalty", self._penalty, -1))
                     for b, fn in lst]
            names = sorted({x for _, b, _, _ in conds for x in b["when"].names + b["when"].variables})
            ncols = [self.cols.get(x) or self._none_col for x in names]
            seen = {}
            for k, j in enumerate(group):
                key = tuple(c[j] for c in ncols)
                got = seen.get(key)
                if got is None:
                    row = dict(zip(names, key))
                    got = seen[key] = [(kind, b, sign) for kind, b, fn, sign in conds if fn(row) is True]
                if got and k not in fails:
                    extras[k] = got
                    for _, b, sign in got:
                        totals[k] += sign * b["points"]
        for k, j in enumerate(group):
            if k in fails:
                grade[j] = "T"
                reasons[j] = fails[k] + " → T"
                continue
            total = totals[k]
            if not math.isfinite(total):
                grade[j] = "T"
                reasons[j] = "综合得分不是有限数（指标值超出范围，数据有误），不参与排序 → T"
                bad_of[j] = (codes[j], ["score"])
                continue
            score[j] = round(total, 4)
        return {"texts": texts, "detail_fmt": detail_fmt, "parts_fmt": parts_fmt, "head": head, "extras": extras,
                "group": group}

    # ---- classes and ranks ------------------------------------------------------------------
    def _classify_columns(self):
        cl = self.std.classify
        per_formula = bool(cl.get("per_formula"))
        score, rank, grade, fidx = self.score, self.rank, self.grade, self.fidx
        keycol = (self.cols.get(self.group_by) or self._none_col) if self.group_by else None
        groups, notes = {}, {}
        fnames = [f["name"] for f, _ in self._formulas]
        fnotes = [f.get("note", "") for f, _ in self._formulas]
        for i, fi in enumerate(fidx):
            if fi is None or score[i] is None:
                continue
            key = keycol[i] if keycol is not None else None
            key = key if key is not None else ""
            if per_formula:
                key = (fnames[fi], key)
            notes[key] = fnotes[fi]
            groups.setdefault(key, []).append(i)
        # per parcel: its group's place in self.rank_groups, and the reason's class text
        self.rank_group = rgroup = [None] * self.n
        self.why = whycol = [None] * self.n
        self.rank_groups = []
        th = [(g, t, "≥ " + fmt(t)) for g, t in cl.get("thresholds", {}).items()]
        below = "< {}".format(fmt(th[-1][1])) if th else ""
        for key, idx in groups.items():
            idx.sort(key=lambda i: -score[i])
            n = len(idx)
            cuts = quota_cuts(cl, n)
            grp = rank_group_label(key, per_formula, self.group_by)
            note = notes.get(key, "")
            gid = len(self.rank_groups)
            self.rank_groups.append((n, grp, "（{}）".format(note) if note else ""))
            whys = {}
            prev, r = None, 0
            for p, i in enumerate(idx, 1):
                s = score[i]
                if s != prev:
                    r, prev = p, s
                rank[i] = r
                rgroup[i] = gid
                if cl["method"] == "thresholds":
                    g, why = cl.get("else", "D"), below
                    for g2, t, txt in th:
                        if s >= t:
                            g, why = g2, txt
                            break
                else:
                    g = cuts[-1][0]
                    for g2, cut in cuts:
                        if r <= cut:
                            g = g2
                            break
                    why = whys.get(g)
                    if why is None:
                        why = whys[g] = "{}类为前 {}%".format(
                            g, fmt(sum(v for g2, v in cl["quotas"].items() if g2 <= g)))
                grade[i] = g
                whycol[i] = why

    # ---- the second pass: each parcel's texts as its row is written -------------------------
    def _texts(self, st, batch=2000):
        """(grade_reason, score_detail) of each parcel of one formula's group in turn, as UTF-8
        bytes (None for the parcels it does not score): the row engine's texts, made a batch of
        parcels at a time, item by item. Bytes: the Chinese labels make a Python text two bytes
        a character, which SQLite would have to encode once more; a number's %-format gives the
        same digits in bytes as in text."""
        score, rank, grade, why, rgroup = self.score, self.rank, self.grade, self.why, self.rank_group
        groups = [(n, grp.encode(), note.encode()) for n, grp, note in self.rank_groups]
        enc = {}  # the classes' texts (few) in UTF-8
        group, extras = st["group"], st["extras"]
        head = st["head"].encode()
        detail_fmt, parts_fmt = st["detail_fmt"].encode(), st["parts_fmt"].encode()
        reason_fmt = "综合得分 %.2f（%s）；第 %d/%d 名%s；%s → %s%s".encode()
        items = []
        for simple, part, templates, vals, scores, ncol, show, it in st["texts"]:
            templates = {k: t.encode() for k, t in templates.items()}
            cap = "，封顶{}分".format(fmt(it.cap)).encode() if it.cap is not None else b""
            items.append((simple, part.encode(), templates, vals, scores, ncol, _utf8_shower(show, it, self.std),
                          cap))
        missing = {"avg": "缺失，取同组平均分".encode(), "zero": "缺失，计0分".encode(), "": None, "cap": None}
        for k0 in range(0, len(group), batch):
            k1 = min(k0 + batch, len(group))
            ks = [k for k in range(k0, k1) if score[group[k]] is not None]
            if len(ks) == k1 - k0:
                def take(values, k0=k0, k1=k1):
                    return values[k0:k1]
            else:
                def take(values, ks=ks):
                    return [values[k] for k in ks]
            d_cols, p_cols = [], []
            for simple, part, templates, vals, scores, ncol, show, cap in items:
                vs, scs = take(vals), take(scores)
                if simple:
                    d_cols += (vs, scs)
                    p_cols += (scs, show(vs))
                    continue
                dcol, pcol = [], []
                for v, sc, note, vtext in zip(vs, scs, take(ncol), show(vs)):
                    if v is None:
                        dcol.append(templates[(note, False)] % sc)
                        vtext = missing.get(note)
                    else:
                        dcol.append(templates[(note, True)] % (v, sc))
                    if note == "cap":
                        vtext += cap
                    pcol.append(part % (sc, vtext))
                d_cols.append(dcol)
                p_cols.append(pcol)
            details = [detail_fmt % t for t in zip(*d_cols)] if d_cols else [detail_fmt % ()] * len(ks)
            parts = [parts_fmt % t for t in zip(*p_cols)] if p_cols else [head] * len(ks)
            for at, k in enumerate(ks):
                extra = extras.get(k)
                if not extra:
                    continue
                detail, part = details[at], parts[at]
                for kind, b, sign in extra:
                    pts = sign * b["points"]
                    text = json.dumps({"indicator": kind, "label": b["label"], "unit": "", "value": None,
                                       "benchmark": None, "weight": None, "score": pts,
                                       "note": "加分" if sign > 0 else "扣分"}, ensure_ascii=False,
                                      separators=(",", ":")).encode()
                    detail = detail[:-1] + (b"," if len(detail) > 2 else b"") + text + b"]"
                    part += (b"" if part == head else "，".encode()) + "{}{}{}".format(
                        b["label"], "+" if sign > 0 else "−", fmt(abs(pts))).encode()
                details[at], parts[at] = detail, part
            reasons = []
            for j, part in zip(take(group), parts):
                g = groups[rgroup[j]]
                w, c = why[j], grade[j]
                wb, cb = enc.get(w), enc.get(c)
                if wb is None:
                    wb = enc[w] = w.encode()
                if cb is None:
                    cb = enc[c] = c.encode()
                reasons.append(reason_fmt % (score[j], part, rank[j], g[0], g[1], wb, cb, g[2]))
            if len(ks) == k1 - k0:
                yield from zip(reasons, details)
                continue
            made = iter(zip(ks, reasons, details))
            nxt = next(made, None)
            for k in range(k0, k1):
                if nxt is None or nxt[0] != k:
                    yield None
                    continue
                yield nxt[1], nxt[2]
                nxt = next(made, None)

    def rows(self, keys=None, utf8=False):
        """Per parcel, in order: (grade, score, rank, grade_reason, score_detail, low_eff, low_eff_tags,
        standard, eval_year, graded_at, key), the texts made now; ``keys``: one per parcel (its fid),
        else the key is None. ``utf8``: the reasons and score details of the scored parcels as UTF-8
        bytes (the others' as text), for SQL that casts them to text."""
        std_id, year, stamp = self.std.display_id(), self.std.year, self.stamp
        reasons = self.reasons
        texts = [self._texts(st) if st is not None else None for st in self._formula_state]
        for j, (g, s, r, fi, key) in enumerate(zip(self.grade, self.score, self.rank, self.fidx,
                                                    keys if keys is not None else _repeat(None))):
            if fi is None:
                yield (g, None, None, reasons.get(j), None, None, None, std_id, year, stamp, key)
                continue
            made = next(texts[fi])
            if s is None:
                yield (g, None, None, reasons.get(j), None, None, None, std_id, year, stamp, key)
            elif utf8:
                yield (g, s, r, made[0], made[1], None, None, std_id, year, stamp, key)
            else:
                yield (g, s, r, made[0].decode(), made[1].decode(), None, None, std_id, year, stamp, key)

    def results(self):
        return Results(self)
