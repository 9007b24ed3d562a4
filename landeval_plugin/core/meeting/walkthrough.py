"""研判会 walk-through: a list of parcels gone through one by one, the room's decision on each,
and the 会议纪要 (minutes). No widgets: the 研判 page (gui/pages/review.py) is a thin view.

- ``build_list`` makes the list: the parcels of a town with a class (all D of 旧县街道), a
  cluster's members, the parcels whose class or path was changed by a 研判, the selection, or an
  expression; sorted by parcel code.
- ``Session`` is the list, the position and the log of decisions; it is stored in the project
  (``QgsProject.writeEntry``) so the meeting can be resumed after the project is reopened.
- ``decide`` records one decision in one undoable edit command (core/review.py ``edit_in_place``):
  the class (grade_final …) and, when the layer has a disposal proposal, the path (disposal_final …),
  with reason, who and when. Confirming keeps the values and needs no reason; a change needs one.
- A logged decision counts while the layer still carries it (``active_decisions``): undoing the
  edit (Ctrl+Z) takes it out of the progress and the minutes; redo brings it back.
- ``write_minutes`` writes the decisions to an Excel workbook (or a Word-friendly HTML table, or CSV).
- A layer of the LandEval store holding several years (its ``year`` column: one row per parcel and
  year; ``layer_years``, the rule of the statistics) is met on one year: the list, the card's
  parcel, the presentation legend (``class_counts``) and the minutes read only that year's rows
  (the newest unless the planner chooses; ``Session.year``), as the statistics count that year.
"""
import datetime
import html
import json
import os

from ...i18n import tr
from .. import files, gpkg_read, review, vocabulary
from ..disposal import disposal as _disposal
from ..formats import csv_text
from ..grading.grade import REVIEW_FIELDS as GRADE_REVIEW_FIELDS
from ..grading.standard import GRADE_NAMES, GRADES
from ..units import M2_PER_MU
from . import year_filter

SCOPE = "landeval"
KEY = "meeting/walkthrough"
TOWN, CLUSTER, CHANGED, SELECTION, EXPRESSION = "town", "cluster", "changed", "selection", "expression"
SINCE = "since"  # class changed since last year
KINDS = (TOWN, CLUSTER, CHANGED, SINCE, SELECTION, EXPRESSION)
CONFIRM, CHANGE = "confirm", "change"
# fields (or aliases) that carry last year's class on a graded layer
LAST_YEAR_FIELDS = ("grade_last", "grade_y1", "last_grade", "prev_grade", "grade_prev", "上年分类", "上年类别",
                    "上年度分类", "上年评价")


class MeetingError(ValueError):
    pass


def text_of(value):
    """A field value as stripped text, None for NULL or blank."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    text = str(value).strip()
    return text or None


def lookup(layer):
    """{standard name: field name} of ``layer`` (parcel_code may be 宗地代码, town 所属镇街 …): the
    standard names themselves first, then the names fields.yaml recognises (as the sheet reads them)."""
    from .. import schema

    names = layer.fields().names()
    found = {n: n for n in names if n in schema.fields() or schema.split_year_suffix(n)[0] in schema.fields()}
    for std, col in schema.detect_mapping([n for n in names if n not in found]).items():
        found.setdefault(std, col)
    return found


def has_grades(layer):
    return layer is not None and layer.fields().lookupField("grade") >= 0


def require_grades(layer):
    """Raise MeetingError unless ``layer`` is a graded parcel layer with a parcel code."""
    if layer is None or not layer.isValid():
        raise MeetingError(tr("Choose the graded parcel layer for the meeting."))
    if not has_grades(layer):
        raise MeetingError(tr("Layer “{}” has no classes (field grade): grade it on the Grading page first, "
                              "then review it here.").format(layer.name()))
    if "parcel_code" not in lookup(layer):
        raise MeetingError(tr("Layer “{}” has no parcel code field (parcel_code / 宗地代码).").format(
            layer.name()))


def effective(feature, final, computed):
    """The decided value over the computed one (grade_final over grade)."""
    names = feature.fields().names()
    value = text_of(feature[final]) if final in names else None
    if value is None and computed in names:
        value = text_of(feature[computed])
    return value


def effective_grade(feature):
    grade = effective(feature, "grade_final", "grade")
    return grade.upper()[:1] if grade else None


def effective_path(feature):
    return effective(feature, "disposal_final", "disposal")


def _code(feature, lk):
    col = lk.get("parcel_code")
    return text_of(feature[col]) if col else None


def distinct(layer, std):
    """Sorted distinct values of standard field ``std`` (town, cluster_id) on ``layer``."""
    col = lookup(layer).get(std)
    if col is None:
        return []
    idx = layer.fields().lookupField(col)
    return sorted({str(v) for v in (text_of(x) for x in layer.uniqueValues(idx)) if v is not None}) if idx >= 0 else []


def layer_years(layer):
    """The years of a layer of the store holding several years (sorted), [] for a layer of one
    year: the statistics' rule (statistics.store_years) on the layer's parcel codes and ``year``.
    A layer showing one year by LandEval's filter (year_filter.py) is read without it."""
    from qgis.core import QgsFeatureRequest

    from .statistics import store_years

    if layer is None:
        return []
    layer = year_filter.all_years(layer)
    fields = layer.fields()
    col = lookup(layer).get("parcel_code")
    if col is None or fields.lookupField("year") < 0:
        return []
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry).setSubsetOfAttributes(
        [col, "year"], fields)
    read = [0]

    def pairs():
        for f in layer.getFeatures(request):
            read[0] += 1
            yield text_of(f[col]), _year(f["year"])

    years = store_years(pairs())
    if not read[0]:  # the first read of a meeting: no rows read is said, never taken for "no years"
        reason = gpkg_read.empty_read_reason(layer, 0)
        if reason:
            raise MeetingError(reason)
    return years


def _year(value):
    text = text_of(value)
    try:
        number = float(text) if text is not None else None
    except ValueError:
        return None
    return int(number) if number is not None and number == int(number) else None


def meeting_year(layer, year=None):
    """The year a meeting on ``layer`` reads: None for a layer of one year; for a store layer of
    several years ``year`` when it holds it (MeetingError otherwise), else the newest."""
    years = layer_years(layer)
    if not years:
        return None
    if year is None:
        return years[-1]
    if int(year) not in years:
        raise MeetingError(tr("Layer “{}” holds the years {}, not {}.").format(
            layer.name(), "、".join(str(y) for y in years), year))
    return int(year)


def year_expression(year):
    """The QGIS filter of one year's rows of a store layer ('' for None)."""
    return "" if year is None else year_filter.year_clause(year)


def _year_request(request, year):
    if year is not None:
        request.setFilterExpression(year_expression(year))
    return request


def build_list(layer, kind, value=None, grade="D", expression=None, previous=None, year=None):
    """[(fid, parcel code)] of the meeting's list, sorted by parcel code.

    ``kind``: TOWN (``value`` the town, None for all towns; ``grade`` the decided-or-computed class,
    "" for all), CLUSTER (``value`` the cluster_id), CHANGED (class or path differs from the
    proposal), SINCE (the class differs from last year's: a field of the layer such as grade_y1 /
    上年分类, or the class on ``previous``, last year's graded layer; parcels new this year count),
    SELECTION (the layer's selected parcels) or EXPRESSION (``expression``).
    ``year``: on a store layer of several years, the year whose rows make the list (None: the
    newest, see meeting_year); ignored on a layer of one year.
    Raises MeetingError with the reason when the list cannot be made or is empty."""
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest

    require_grades(layer)
    lk = lookup(layer)
    year = meeting_year(layer, year)
    request = _year_request(QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry), year)
    what = ""
    if kind == TOWN:
        town_col = lk.get("town")
        if value and town_col is None:
            raise MeetingError(tr("Layer “{}” has no town field (town / 所属镇街).").format(layer.name()))
        grade = (grade or "").strip().upper()

        def keep(f):
            return (not value or text_of(f[town_col]) == value) and (not grade or effective_grade(f) == grade)

        what = tr("{} · class {}").format(value or tr("all towns"), grade or tr("all"))
    elif kind == CLUSTER:
        col = lk.get("cluster_id")
        if col is None:
            raise MeetingError(tr("Layer “{}” has no cluster field (cluster_id): run the Clusters step on it "
                                  "first.").format(layer.name()))

        def keep(f):
            return text_of(f[col]) == str(value)

        what = tr("cluster {}").format(value)
    elif kind == CHANGED:
        names = layer.fields().names()

        def keep(f):
            g, gf = text_of(f["grade"]), (text_of(f["grade_final"]) if "grade_final" in names else None)
            p = text_of(f["disposal"]) if "disposal" in names else None
            pf = text_of(f["disposal_final"]) if "disposal_final" in names else None
            return (gf is not None and gf != g) or (pf is not None and pf != p)

        what = tr("class or path changed")
    elif kind == SINCE:
        earlier = last_year_classes(layer, previous, year)
        if earlier is None:
            raise MeetingError(tr("Layer “{}” has no last year's class (grade_y1 / 上年分类): choose last year's "
                                  "graded layer.").format(layer.name()))

        def keep(f):
            code = _code(f, lk)
            now = effective_grade(f)
            before = earlier(f, code)
            return now != before

        what = tr("class changed since last year")
    elif kind == SELECTION:
        ids = list(layer.selectedFeatureIds())
        if not ids:
            raise MeetingError(tr("No parcels are selected on layer “{}”: select them on the map first.").format(
                layer.name()))
        request.setFilterFids(ids)

        def keep(f):
            return True

        what = tr("{} selected parcels").format(len(ids))
    elif kind == EXPRESSION:
        text = (expression or "").strip()
        if not text:
            raise MeetingError(tr("Write the expression that picks the parcels."))
        expr = QgsExpression(text)
        if expr.hasParserError():
            raise MeetingError(tr("The expression “{}” cannot be read: {}").format(text, expr.parserErrorString()))
        ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        expr.prepare(ctx)

        def keep(f):
            ctx.setFeature(f)
            result = expr.evaluate(ctx)
            if expr.hasEvalError():
                raise MeetingError(tr("The expression “{}” fails on parcel {}: {}").format(
                    text, _code(f, lk) or f.id(), expr.evalErrorString()))
            return bool(result) and not (hasattr(result, "isNull") and result.isNull())

        what = text
    else:
        raise MeetingError(tr("Unknown kind of list: {}").format(kind))
    if year is not None:
        what = tr("{} · year {}").format(what, year)
    items = [(f.id(), _code(f, lk) or str(f.id())) for f in year_filter.features(layer, year, request) if keep(f)]
    if not items:
        raise MeetingError(tr("The list is empty: no parcel of layer “{}” fits “{}”.").format(
            layer.name(), what))
    items.sort(key=lambda it: (it[1], it[0]))
    return items, what


class Session:
    """One meeting's list, position and decision log (plain data, stored as JSON in the project)."""

    def __init__(self, layer_id, items, kind="", describe="", title="", date=None, position=0, decisions=None,
                 layer_name="", year=None):
        self.layer_id = layer_id
        self.year = None if year is None else int(year)  # a store layer of several years: the year met on
        self.layer_name = layer_name
        self.items = [(int(fid), str(code)) for fid, code in items]
        self.kind = kind
        self.describe = describe
        self.title = title or tr("Review meeting")
        self.date = date or datetime.date.today().isoformat()
        self.position = max(0, min(int(position), len(self.items) - 1)) if self.items else 0
        self.decisions = list(decisions or [])

    # ---- list and position ----------------------------------------------------------------
    def __len__(self):
        return len(self.items)

    def current(self):
        return self.items[self.position] if self.items else (None, None)

    def move(self, step):
        """Go ``step`` parcels on (negative: back), within the list; returns the new position."""
        if self.items:
            self.position = max(0, min(self.position + step, len(self.items) - 1))
        return self.position

    def go(self, position):
        if self.items:
            self.position = max(0, min(int(position), len(self.items) - 1))
        return self.position

    # ---- storage in the project -------------------------------------------------------------
    def to_json(self):
        return json.dumps({"layer_id": self.layer_id, "layer_name": self.layer_name, "items": self.items,
                           "kind": self.kind, "describe": self.describe, "title": self.title, "date": self.date,
                           "position": self.position, "decisions": self.decisions, "year": self.year},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        return cls(data["layer_id"], data.get("items") or [], data.get("kind", ""), data.get("describe", ""),
                   data.get("title", ""), data.get("date"), data.get("position", 0), data.get("decisions"),
                   data.get("layer_name", ""), data.get("year"))

    def save(self, project):
        """Store the session in ``project`` (saved with the project file)."""
        project.writeEntry(SCOPE, KEY, self.to_json())

    @classmethod
    def load(cls, project):
        """The session stored in ``project``, or None."""
        text, ok = project.readEntry(SCOPE, KEY, "")
        if not ok or not text:
            return None
        try:
            return cls.from_json(text)
        except (ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def forget(project):
        project.removeEntry(SCOPE, KEY)

    def layer(self, project):
        """The session's layer in ``project``; MeetingError when it is gone."""
        layer = project.mapLayer(self.layer_id)
        if layer is None:
            raise MeetingError(tr("The meeting's layer “{}” is no longer in the project: open it again and start a "
                                  "new list.").format(self.layer_name or self.layer_id))
        return layer


def find_feature(layer, fid, code, year=None):
    """The parcel of a list entry: by feature id when its code (and ``year``, on a store layer of
    several years) still matches, else by code in that year; None when it was deleted."""
    from qgis.core import QgsExpression, QgsFeatureRequest

    lk = lookup(layer)
    f = None
    if fid is not None:  # (another year than the layer shows: read without LandEval's filter)
        f = next(year_filter.features(layer, year, QgsFeatureRequest(int(fid))), None)
    if f is not None and f.isValid() and (_code(f, lk) or str(f.id())) == code and (
            year is None or _year(f["year"]) == int(year)):
        return f
    col = lk.get("parcel_code")
    if col is None:
        return None
    expr = "{} = {}".format(QgsExpression.quotedColumnRef(col), QgsExpression.quotedValue(code))
    if year is not None:
        expr += " AND " + year_expression(year)
    for g in year_filter.features(layer, year, QgsFeatureRequest().setFilterExpression(expr)):
        return g
    return None


def codes_to_features(layer, year=None):
    """{parcel code: QgsFeature} without geometry (for the checks over the whole log); ``year``:
    that year's rows of a store layer of several years."""
    from qgis.core import QgsFeatureRequest

    lk = lookup(layer)
    out = {}
    request = _year_request(QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry), year)
    for f in year_filter.features(layer, year, request):
        out.setdefault(_code(f, lk) or str(f.id()), f)
    return out


def _carries(feature, record):
    names = feature.fields().names()

    def val(name):
        return text_of(feature[name]) if name in names else None

    if record.get("grade_after") is not None and (val("grade_final") != record["grade_after"] or
                                                  val("override_at") != record["at"] or
                                                  val("override_by") != record["by"]):
        return False
    if record.get("path_after") is not None and (val("disposal_final") != record["path_after"] or
                                                 val("disposal_override_at") != record["at"]):
        return False
    return True


def active_decisions(layer, session, features=None):
    """The logged decisions the layer still carries (an undone one does not), the latest per
    parcel, in the order they were taken. A parcel deleted after its decision keeps its latest
    decision, marked ``deleted`` (the room decided it: the minutes say so, nothing is lost)."""
    latest = {}
    for n, record in enumerate(session.decisions):
        # by feature id (one read per decision, fast on a large layer), else the map given
        f = features.get(record["code"]) if features is not None else find_feature(layer, record.get("fid"),
                                                                                    record["code"], session.year)
        if f is None:
            latest[record["code"]] = (n, dict(record, deleted=True))
        elif _carries(f, record):
            latest[record["code"]] = (n, record)
    return [r for _, r in sorted(latest.values(), key=lambda nr: nr[0])]


def progress(layer, session):
    """(parcels of the list with a decision, parcels in the list)."""
    codes = {code for _, code in session.items}
    done = {r["code"] for r in active_decisions(layer, session)} & codes
    return len(done), len(session.items)


def decided_codes(layer, session):
    return {r["code"] for r in active_decisions(layer, session)}


def decide(layer, session, fid, code, grade=None, path=None, reason="", by="", at=None, paths=None):
    """Record the room's decision on one parcel in one undoable edit command and log it.

    ``grade``/``path``: the decided class and path (None: keep the current one). Keeping both is a
    confirmation (the reason may be empty: 研判会确认 is written); changing either needs a reason.
    ``by`` (who) is required. Returns the logged record."""
    require_grades(layer)
    shown = year_filter.shown_year(layer)
    if shown is not None and session.year is not None and shown != session.year:
        # that year's rows are not on the layer now (its filter shows another year), and QGIS changes
        # a filter only when the layer has no unsaved edits
        raise MeetingError(tr("Layer “{}” shows year {} alone, not {}: save or discard its edits (Layer › "
                              "Toggle Editing) so that it can show {}; nothing was recorded for parcel {}.").format(
            layer.name(), shown, session.year, session.year, code))
    feature = find_feature(layer, fid, code, session.year)
    if feature is None:
        raise MeetingError(tr("Parcel {} is no longer on layer “{}” (deleted?): nothing was recorded; go on "
                              "with the next one.").format(code, layer.name()))
    by = (by or "").strip()
    if not by:
        raise MeetingError(tr("Say who decided (研判人) before recording parcel {}.").format(code))
    names = layer.fields().names()
    grade_before = effective_grade(feature)
    path_before = effective_path(feature)
    has_path = "disposal" in names or "disposal_final" in names or bool(path)
    grade_after = (grade or "").strip().upper() or grade_before
    path_after = (path or "").strip() or path_before
    if grade_after is None:
        raise MeetingError(tr("Parcel {} has no class to confirm: choose its class.").format(code))
    if grade_after not in GRADES:
        raise MeetingError(tr("Class “{}” of parcel {} is not one of {}.").format(
            grade_after, code, "、".join(GRADES)))
    changed = grade_after != grade_before or (has_path and path_after != path_before)
    reason = (reason or "").strip()
    if changed and not reason:
        raise MeetingError(tr("Parcel {}: changing the class or the path needs a reason (研判理由); nothing was "
                              "recorded.").format(code))
    if paths is not None and has_path and path_after and path_after != path_before and path_after not in paths:
        raise MeetingError(tr("“{}” is not one of the rule set's paths ({}).").format(
            path_after, "、".join(paths)))
    if not reason:
        reason = tr("Confirmed at the review meeting")
    at = (at or datetime.datetime.now()).replace(microsecond=0)
    stamp = at.isoformat(sep=" ")
    values = dict(zip(GRADE_REVIEW_FIELDS, (grade_after, reason, by, stamp)))
    wanted = list(GRADE_REVIEW_FIELDS)
    if has_path and path_after:
        values.update(dict(zip(_disposal.REVIEW_FIELDS, (path_after, reason, by, stamp))))
        wanted += list(_disposal.REVIEW_FIELDS)

    def ensure_all(lay):
        ensure_fields(lay, wanted)

    label = tr("Review meeting: parcel {} {}").format(code, grade_after + (" · " + path_after if has_path and
                                                                            path_after else ""))
    done = review.edit_in_place(layer, {feature.id(): values}, label, ensure_all, error=MeetingError)
    if not done:
        raise MeetingError(tr("Parcel {} could not be changed on layer “{}”.").format(code, layer.name()))
    record = {"code": code, "fid": feature.id(), "action": CHANGE if changed else CONFIRM,
              "grade_before": grade_before, "grade_after": grade_after,
              "path_before": path_before if has_path else None, "path_after": path_after if has_path and path_after
              else None, "reason": reason, "by": by, "at": stamp}
    session.decisions.append(record)
    return record


def ensure_fields(layer, names):
    """Add the missing decision fields ``names`` (text, Chinese alias) to an editable layer. The
    alias is set on the layer after the field is added: a field added with an alias differs from the
    one the GeoPackage reports back, and saving the edits then fails ("field ... is not the same")."""
    from qgis.core import QgsField
    from qgis.PyQt.QtCore import QVariant

    from .. import schema

    for name in names:
        if layer.fields().lookupField(name) < 0:
            if not layer.addAttribute(QgsField(name, QVariant.Type.String, "String")):
                raise MeetingError(tr("Cannot add field {} to layer {}.").format(name, layer.name()))
    layer.updateFields()
    for name in names:
        idx = layer.fields().lookupField(name)
        if idx >= 0 and not layer.fields().at(idx).alias():
            layer.setFieldAlias(idx, schema.alias(name))


def class_counts(layer, year=None):
    """{class: (parcels, 亩)} of the decided-or-computed class over ``layer`` in the order A B C D T,
    then '' for parcels without a class (the presentation legend). ``year``: on a store layer of
    several years, that year's rows (None: the newest, as the statistics); a layer of one year is
    counted whole."""
    from qgis.core import QgsFeatureRequest

    from ..units import AreaMeter

    meter = AreaMeter(layer.crs())
    out = {}
    year = meeting_year(layer, year)
    for f in year_filter.features(layer, year, _year_request(QgsFeatureRequest(), year)):
        g = effective_grade(f) or ""
        geom = f.geometry()
        mu = meter.m2(geom) / M2_PER_MU if geom is not None and not geom.isEmpty() else 0.0
        n, total = out.get(g, (0, 0.0))
        out[g] = (n + 1, total + mu)
    order = {g: i for i, g in enumerate(GRADES)}
    return {g: out[g] for g in sorted(out, key=lambda g: (g == "", order.get(g, len(order)), g))}


# ---- the card -------------------------------------------------------------------------------
def last_year_class(feature, previous=None, code=None, previous_year=None):
    """Last year's class: a field of the layer (grade_y1, 上年分类 …), else the decided-or-computed
    class of the parcel on ``previous`` (an earlier graded layer; ``previous_year``: its rows of
    that year, for a store layer of several years, which may be the meeting's layer itself), else
    None."""
    names = feature.fields().names()
    for name in LAST_YEAR_FIELDS:
        if name in names and text_of(feature[name]):
            return text_of(feature[name])
    for k, field in enumerate(feature.fields()):
        if field.alias() in LAST_YEAR_FIELDS and text_of(feature[k]):
            return text_of(feature[k])
    if previous is not None and code:
        if not has_grades(previous) or "parcel_code" not in lookup(previous):
            return None
        g = find_feature(previous, None, code, previous_year)
        if g is not None:
            return effective_grade(g)
    return None


def year_before(layer, year):
    """The store layer's year before ``year`` (None when there is none, or no year)."""
    if year is None:
        return None
    earlier = [y for y in layer_years(layer) if y < int(year)]
    return earlier[-1] if earlier else None


def last_year_source(layer, year, previous=None):
    """(layer, year) where the card reads last year's class: ``previous`` (its year before
    ``year``, or its newest, when it is a store layer of several years), else, for a meeting on
    one year of a store layer, that layer's year before; (None, None) when there is none."""
    if previous is not None and previous is not layer:
        years = layer_years(previous)
        if not years:
            return previous, None
        earlier = [y for y in years if year is None or y < int(year)]
        return (previous, earlier[-1]) if earlier else (None, None)
    before = year_before(layer, year)
    return (layer, before) if before is not None else (None, None)


def last_year_classes(layer, previous=None, year=None):
    """A function (feature, code) -> last year's class (one letter) or None, from a field of
    ``layer`` (LAST_YEAR_FIELDS, by name or alias) or else from ``previous`` (read once, by parcel
    code), else, on a store layer of several years met on ``year``, from its rows of the year
    before; None when none gives last year's class."""
    names = layer.fields().names()
    field = next((n for n in LAST_YEAR_FIELDS if n in names), None)
    if field is None:
        field = next((f.name() for f in layer.fields() if f.alias() in LAST_YEAR_FIELDS), None)
    if field is not None:
        def from_field(feature, code):
            v = text_of(feature[field])
            return v.upper()[:1] if v else None

        return from_field
    source, source_year = last_year_source(layer, year, previous)
    if source is None or not has_grades(source) or "parcel_code" not in lookup(source):
        return None
    before = {code: effective_grade(f) for code, f in codes_to_features(source, source_year).items()}

    def from_layer(feature, code):
        return before.get(code)

    return from_layer


def card(layer, feature, enterprises=None, previous=None, previous_year=None):
    """Everything the large-print card shows for one parcel: {key: value}, read the way the
    一地一档 sheet reads it (core/dossier.py). ``previous_year``: last year's rows of ``previous``
    (a store layer of several years; the meeting's layer itself when no other is chosen)."""
    from ..dossiers.sheet_data import SheetData

    data = SheetData([feature], layer.fields(), layer.crs(), enterprises=enterprises)
    try:
        sheet = data.sheets[0]
        d, raw = sheet.display, sheet.raw
        grade = effective_grade(feature)
        names = feature.fields().names()
        computed = text_of(feature["grade"]) if "grade" in names else None
        out = {
            "code": sheet.code,
            "owner": d.get("d_owner"),
            "town": d.get("d_town"),
            "address": d.get("d_address"),
            "area_mu": raw.get("area_mu"),
            "grade": grade,
            "grade_name": GRADE_NAMES.get(grade or "", ""),
            "grade_computed": computed,
            "colour": data.colours.get(grade or "", vocabulary.no_grade()["colour"]),
            "score": d.get("d_score"),
            "rank": d.get("d_rank"),
            "reasons": d.get("d_reasons"),
            "veto": d.get("d_veto"),
            "tags": d.get("d_tags"),
            "indicators": [dict(r["_display"]) for r in sheet.indicators],
            "enterprises": [dict(e["_display"]) for e in sheet.enterprises],
            "path": effective_path(feature),
            "path_proposed": text_of(feature["disposal"]) if "disposal" in names else None,
            "path_reason": text_of(feature["disposal_reason"]) if "disposal_reason" in names else None,
            "has_path": "disposal" in names or "disposal_final" in names,
            "decision": text_of(feature["override_reason"]) if "override_reason" in names else None,
            "decision_by": text_of(feature["override_by"]) if "override_by" in names else None,
            "decision_at": text_of(feature["override_at"]) if "override_at" in names else None,
            "last_year": last_year_class(feature, previous, sheet.code, previous_year),
            "no_data": data.no_data,
        }
    finally:
        data.close()
    return out


# ---- minutes --------------------------------------------------------------------------------
def minutes_headers():
    return [tr("No."), tr("Parcel code"), tr("Owner"), tr("Town"), tr("Area (mu)"), tr("Class before"),
            tr("Class decided"), tr("Path before"), tr("Path decided"), tr("Conclusion"), tr("Reason"),
            tr("Reviewer"), tr("Time")]


def minutes_rows(layer, session):
    """One row per active decision of the session (minutes_headers() order)."""
    from ..units import AreaMeter

    lk = lookup(layer)
    meter = AreaMeter(layer.crs())
    rows = []
    for n, r in enumerate(active_decisions(layer, session), 1):
        f = find_feature(layer, r.get("fid"), r["code"], session.year)
        owner = town = None
        mu = None
        if f is not None:
            owner = text_of(f[lk["owner"]]) if "owner" in lk else None
            town = text_of(f[lk["town"]]) if "town" in lk else None
            area = text_of(f[lk["area_m2"]]) if "area_m2" in lk else None
            try:
                mu = float(area) / M2_PER_MU if area is not None else None
            except ValueError:
                mu = None
            if mu is None and f.hasGeometry():
                mu = meter.m2(f.geometry()) / M2_PER_MU
        rows.append([n, r["code"], owner or "", town or "", None if mu is None else round(mu, 2),
                     r.get("grade_before") or "", r.get("grade_after") or "", r.get("path_before") or "",
                     r.get("path_after") or "", _conclusion(r),
                     r["reason"], r["by"], r["at"]])
    return rows


def _conclusion(record):
    text = tr("Confirmed") if record["action"] == CONFIRM else tr("Changed")
    return tr("{} (parcel deleted since)").format(text) if record.get("deleted") else text


def write_minutes(path, layer, session):
    """Write the 会议纪要 of ``session`` to ``path`` (.xlsx, .html/.htm or .csv), replaced whole or not
    at all; returns the number of decisions written."""
    rows = minutes_rows(layer, session)
    if not rows:
        raise MeetingError(tr("No decision has been recorded in this meeting yet: nothing to write to {}.").format(
            path))
    done, total = progress(layer, session)
    meta = [(tr("Meeting"), session.title), (tr("Date"), session.date), (tr("List"), session.describe),
            (tr("Layer"), layer.name()), (tr("Progress"), tr("Reviewed {} / {}").format(done, total))]
    if session.year is not None:  # a store layer of several years: the decisions are that year's
        meta.insert(1, (tr("Evaluation year"), str(session.year)))
    ext = os.path.splitext(path)[1].lower()
    if ext in (".html", ".htm"):
        writer = _html_writer
    elif ext == ".csv":
        writer = _csv_writer
    elif ext == ".xlsx":
        writer = _xlsx_writer
    else:
        raise MeetingError(tr("Minutes are written as .xlsx, .html or .csv, not “{}”.").format(path))
    try:
        files.atomic_write(path, lambda tmp: writer(tmp, session, meta, rows))
    except files.OutputError as exc:
        raise MeetingError(str(exc)) from exc
    return len(rows)


def _title(session):
    return tr("{} minutes").format(session.title)


def _xlsx_writer(tmp, session, meta, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from ..formats.xlsx_text import write_text

    headers = minutes_headers()
    wb = Workbook()
    ws = wb.active
    ws.title = tr("Minutes")
    ncol = len(headers)
    # the title, the meeting's details and every decision are text typed by people or read from the
    # data: stored as text, never as a formula ("=…") or an error value
    write_text(ws, 1, 1, _title(session)).font = Font(size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    write_text(ws, 2, 1, "；".join("{}：{}".format(k, v) for k, v in meta if v))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(headers, 1):
        cell = ws.cell(3, c, h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            cell = write_text(ws, r, c, value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if c == 5 and value is not None:
                cell.number_format = "#,##0.00"
    widths = [6, 24, 24, 12, 11, 9, 9, 11, 11, 9, 40, 12, 20]
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sign = len(rows) + 5
    ws.cell(sign, 1, tr("Recorded by:") + "　" * 8 + tr("Chair:") + "　" * 8 + tr("Date:"))
    ws.merge_cells(start_row=sign, start_column=1, end_row=sign, end_column=ncol)
    wb.save(tmp)


def _csv_writer(tmp, session, meta, rows):
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:  # the BOM: Excel opens it as UTF-8
        w = csv_text.writer(fh)  # text a spreadsheet would run as a formula gets a leading '
        w.writerow([_title(session)])
        for k, v in meta:
            w.writerow([k, v])
        w.writerow(minutes_headers())
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def _html_writer(tmp, session, meta, rows):
    """A plain HTML table Word opens as a document (文件 › 打开, or paste)."""
    e = html.escape
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>{}</title>'.format(e(_title(session))),
           "<style>body{font-family:'SimSun','Noto Serif CJK SC',serif;font-size:10.5pt}"
           "table{border-collapse:collapse;width:100%}th,td{border:1px solid #000;padding:3pt;vertical-align:top}"
           "th{background:#dde6f0}h1{font-size:16pt;text-align:center}</style></head><body>",
           "<h1>{}</h1>".format(e(_title(session)))]
    out.append("<p>" + "<br>".join("{}：{}".format(e(k), e(str(v))) for k, v in meta if v) + "</p>")
    out.append("<table><tr>" + "".join("<th>{}</th>".format(e(h)) for h in minutes_headers()) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join("<td>{}</td>".format(e("" if v is None else (
            "{:,.2f}".format(v) if isinstance(v, float) else str(v)))) for v in row) + "</tr>")
    out.append("</table><p>{}</p></body></html>".format(e(tr("Recorded by:") + "　" * 8 + tr("Chair:") + "　" * 8 +
                                                           tr("Date:"))))
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out))
