"""处置方案: a proposed disposal path for every parcel, from rule sets kept as data files.

A rule set (resources/disposal/*.yaml, or any YAML file with the same keys) lists its paths
and an ordered list of rules ``{when, disposal, reason, clause}``: the first rule whose condition holds
gives the parcel's path. Conditions are written in LandEval's rule language (core/grading/condition.py, the
language of standards and of the clusters' filter: the familiar subset of QGIS expressions, three-valued
on missing data: a rule whose condition is unknown does not fire) and read the parcel's fields plus:

* ``"grade"`` — the effective grade, the reviewed ``grade_final`` over the computed one;
* ``"in_development_boundary"`` / ``"in_industrial_line"`` — at least SHARE (default 50 %) of
  the parcel's area lies inside the 城镇开发边界 / 工业保障线 polygons (computed here from the
  planning layers, in metres whatever their CRS; or taken from the parcel layer when it already
  carries them and no planning layer is given);
* ``@development_boundary_share`` / ``@industrial_line_share`` — the shares themselves (0–1).

Field names in rules are standard names (fields.yaml); a layer that carries them under their
Chinese names (闲置, 产业类别 …) is read through the same mapping as grading (schema.detect_mapping),
and every value through core/values.py (是/存在 → true, —/未知 → missing). An optional field that is
absent, or empty on some parcels, is a warning in the run's report naming how many parcels could not
be checked for what. A rule set carries ``assumptions`` (numbered); a rule resting on one names it
(``assumption: 2``) and its reason ends with "（假设2）"; ``clause`` names the seed document's clause
the rule implements (shown with the rule in the plan workbook). ``params`` are variables (``@name``),
so a reading the rule set chose can be switched in one line.

Reasons are texts with ``[% expression %]`` parts (QGIS expressions, filled for the rule that
fired). A path decided in review (``disposal_final`` / ``disposal_override_reason``) is kept over
the proposal, and carried forward from an earlier output by parcel code on a re-run.

"""
import os
import re

from qgis.core import QgsGeometry

from ...i18n import tr
from .. import limits, paths, schema, values, vocabulary
from ..clusters.cluster import WorkSpace, effective_grade
from ..grading.condition import Condition, ConditionError, with_line, yaml_key_lines
from ..values import to_text as _text

DEFAULT_RULESET = "taicang_2023"
LOCATION_FIELDS = ("in_development_boundary", "in_industrial_line")
# planning ranges that some rule sets read (Taicang: 已纳入征收范围、拆旧复垦范围): optional layers or attributes
EXTRA_LOCATION_FIELDS = ("in_expropriation", "in_reclamation")
# the room's decision on the path (研判): value, reason, who, when; carried over re-runs by parcel code
REVIEW_FIELDS = ("disposal_final", "disposal_override_reason", "disposal_override_by", "disposal_override_at")
OUTPUT_FIELDS = ("disposal", "disposal_reason") + LOCATION_FIELDS + REVIEW_FIELDS
TOP_KEYS = {"id", "name", "source", "description", "assumptions", "params", "paths", "optional_fields", "rules"}
RULE_KEYS = {"when", "disposal", "reason", "note", "assumption", "clause"}
SHARE_VARIABLES = {"in_development_boundary": "development_boundary_share",
                   "in_industrial_line": "industrial_line_share",
                   "in_expropriation": "expropriation_share",
                   "in_reclamation": "reclamation_share"}
ASSUMPTION_MARK = "（假设{}）"
NO_TOWN = "（未填镇街）"


_TEMPLATE_RE = re.compile(r"\[%(.*?)%\]", re.S)


class DisposalError(Exception):
    """Bad rule set or input; the message is translated and names the file, key or field."""


# ---------------------------------------------------------------------------------------
# rule sets
# ---------------------------------------------------------------------------------------
def presets_dir():
    return paths.resource("disposal")


def list_presets():
    """[(id, name)] of the rule sets shipped in resources/disposal, sorted by id."""
    out = []
    for name in sorted(os.listdir(presets_dir())):
        if name.endswith(".yaml"):
            data = schema.load_yaml(os.path.join(presets_dir(), name)) or {}
            out.append((data.get("id", name[:-5]), data.get("name", name[:-5])))
    return out


class Rule:
    __slots__ = ("key", "when", "disposal", "reason", "condition", "templated", "assumption", "clause")

    def __init__(self, key, when, disposal, reason, condition, assumption=None, clause=""):
        self.key, self.when, self.disposal, self.reason, self.condition = key, when, disposal, reason, condition
        self.assumption = assumption
        self.clause = clause
        self.templated = "[%" in reason


class RuleSet:
    def __init__(self, data, origin):
        self.origin = origin
        self.id = data["id"]
        self.name = data["name"]
        self.source = data.get("source", "")
        self.description = data.get("description", "")
        self.paths = dict(data["paths"])
        self.assumptions = [str(a).strip() for a in (data.get("assumptions") or [])]
        self.params = dict(data.get("params") or {})
        optional = data.get("optional_fields") or []
        # a list of names, or {name: what it decides} for the "N 宗地块未能判断 …" warning
        self.optional_fields = list(optional)
        self.optional_purpose = {k: str(v) for k, v in optional.items() if v} if isinstance(optional, dict) else {}
        self.rules = []

    def describe(self):
        """Chinese lines: the set, its source and its numbered assumptions (log, report, page, dossier)."""
        lines = ["处置规则：{}（{}）".format(self.name, self.id)]
        if self.source:
            lines.append("依据：{}".format(self.source))
        for n, text in enumerate(self.assumptions, 1):
            lines.append("假设{}：{}".format(n, text))
        for name, value in self.params.items():
            lines.append("参数 @{} = {}".format(name, value))
        return lines

    def rule_lines(self):
        """Chinese lines, one per rule: its number, condition, path and the clause it implements."""
        lines = []
        for n, rule in enumerate(self.rules, 1):
            line = "规则{}：{} → {}".format(n, rule.when.strip(), rule.disposal or "不提出处置路径")
            if rule.clause:
                line += "〔{}〕".format(rule.clause)
            if rule.assumption:
                line += "（假设{}）".format(rule.assumption)
            lines.append(line)
        return lines

    def referenced_columns(self):
        cols = set()
        for rule in self.rules:
            cols |= set(rule.condition.names)
        return cols


def resolve(id_or_path):
    """Path of a preset id (``taicang_2023``) or of a YAML file given by path."""
    text = (id_or_path or "").strip()
    if not text:
        raise DisposalError(tr("No disposal rule set given."))
    if os.path.isfile(text):
        return text
    candidate = os.path.join(presets_dir(), text + ".yaml")
    if os.path.isfile(candidate):
        return candidate
    raise DisposalError(tr("Disposal rule set “{}” not found: give a preset ({}) or the path of a YAML file.").format(
        text, "、".join(p for p, _ in list_presets())))


def load_ruleset(id_or_path):
    """Read and validate a rule set; every problem names the file and the key."""
    from qgis.core import QgsExpression

    path = resolve(id_or_path)
    where = os.path.basename(path)
    try:
        data = schema.load_yaml(path)
    except Exception as exc:  # yaml.YAMLError and I/O errors alike
        raise DisposalError(tr("{}: not a readable YAML file: {}").format(where, exc)) from exc
    if not isinstance(data, dict):
        raise DisposalError(tr("{}: expected keys id, name, paths, rules at the top level.").format(where))

    lines = yaml_key_lines(path)

    def bad(key, message):  # the file, the rule's key, the message (with the position) and the line
        raise DisposalError(with_line("{}: {}: {}".format(where, key, message), key, lines))

    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        bad(unknown[0], tr("unknown key (allowed: {})").format(", ".join(sorted(TOP_KEYS))))
    for key in ("id", "name", "paths", "rules"):
        if key not in data or data[key] in (None, "", [], {}):
            bad(key, tr("missing"))
    if not isinstance(data["paths"], dict):
        bad("paths", tr("must map each path to its description"))
    if not isinstance(data["rules"], list):
        bad("rules", tr("must be a list of rules"))
    if not isinstance(data.get("optional_fields") or [], (list, dict)):
        bad("optional_fields", tr("must be a list of field names"))
    if not isinstance(data.get("assumptions") or [], list):
        bad("assumptions", tr("must be a list of texts"))
    if not isinstance(data.get("params") or {}, dict):
        bad("params", tr("must map names to values"))
    ruleset = RuleSet(data, path)
    for n, raw in enumerate(data["rules"]):
        key = "rules[{}]".format(n)
        if not isinstance(raw, dict):
            bad(key, tr("must have when, disposal and reason"))
        extra = sorted(set(raw) - RULE_KEYS)
        if extra:
            bad("{}.{}".format(key, extra[0]), tr("unknown key (allowed: {})").format(", ".join(sorted(RULE_KEYS))))
        for part in ("when", "reason"):
            if not isinstance(raw.get(part), str) or not raw[part].strip():
                bad("{}.{}".format(key, part), tr("missing"))
        if "disposal" not in raw:
            bad("{}.disposal".format(key), tr("missing (write null for “no path”)"))
        disposal = raw["disposal"]
        if disposal is not None and str(disposal) not in ruleset.paths:
            bad("{}.disposal".format(key), tr("“{}” is not one of the paths ({})").format(
                disposal, "、".join(ruleset.paths)))
        try:
            condition = Condition(raw["when"])
        except ConditionError as exc:
            bad("{}.when".format(key), tr("the expression “{}” cannot be read: {}").format(raw["when"].strip(), exc))
        for var in condition.variables:
            if var not in ruleset.params and var not in SHARE_VARIABLES.values():
                bad("{}.when".format(key), tr("unknown variable @{} (the rule set's params: {}; and {})").format(
                    var, "、".join("@" + p for p in ruleset.params) or "—",
                    "、".join("@" + v for v in SHARE_VARIABLES.values())))
        clause = raw.get("clause")
        if clause is not None and (not isinstance(clause, str) or not clause.strip()):
            bad("{}.clause".format(key), tr("must be the text of the clause the rule implements"))
        for part in _TEMPLATE_RE.findall(raw["reason"]):
            check = QgsExpression(part)
            if check.hasParserError():
                bad("{}.reason".format(key),
                    tr("the part [% {} %] cannot be read: {}").format(part, check.parserErrorString()))
        reason = raw["reason"].strip()
        assumption = raw.get("assumption")
        if assumption is not None:
            if isinstance(assumption, bool) or not isinstance(assumption, int) or \
                    not 1 <= assumption <= len(ruleset.assumptions):
                bad("{}.assumption".format(key), tr("must be the number of one of the assumptions (1 to {})").format(
                    len(ruleset.assumptions)))
            reason += ASSUMPTION_MARK.format(assumption)
        ruleset.rules.append(Rule(key, raw["when"], None if disposal is None else str(disposal), reason, condition,
                                  assumption, (clause or "").strip()))
    return ruleset


# ---------------------------------------------------------------------------------------
# location against the planning lines
# ---------------------------------------------------------------------------------------
class PlanningLayer:
    """Planning polygons (城镇开发边界 / 工业保障线) projected into the parcels' work CRS."""

    def __init__(self, source, ws, label, context=None, name_field=None):
        from qgis.core import (
            QgsCoordinateTransform,
            QgsCoordinateTransformContext,
            QgsGeometry,
            QgsProject,
            QgsSpatialIndex,
            QgsWkbTypes,
        )

        self.label = label
        self.names = []
        name_idx = None
        if name_field:
            name_idx = source.fields().lookupField(name_field)
            if name_idx < 0:
                raise DisposalError(
                    tr("The {} layer “{}” has no field “{}”.").format(label, source.sourceName(), name_field))
        if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
            raise DisposalError(tr("The {} layer “{}” must be polygons ({}).").format(
                label, source.sourceName(), QgsWkbTypes.displayString(source.wkbType())))
        ctx = context.transformContext() if context is not None else QgsProject.instance().transformContext()
        ctx = ctx or QgsCoordinateTransformContext()
        xform = None
        if source.sourceCrs() != ws.crs:
            xform = QgsCoordinateTransform(source.sourceCrs(), ws.crs, ctx)
        self.geoms = []
        self.index = QgsSpatialIndex()
        self.repaired = 0
        for f in source.getFeatures():
            g = f.geometry()
            if g is None or g.isEmpty():
                continue
            g = QgsGeometry(g)
            if limits.geometry_problem(g, geographic=source.sourceCrs().isGeographic()) is not None:
                continue  # NaN/infinite coordinates never reach GEOS
            if xform is not None:
                g.transform(xform)
            if not g.isGeosValid():
                g = g.makeValid()
                self.repaired += 1
            n = len(self.geoms)
            self.geoms.append(g)
            self.names.append(_text(f.attributes()[name_idx]) if name_idx is not None else str(f.id()))
            self.index.addFeature(n, g.boundingBox())
        self.engines = {}

    def name_at(self, geom):
        """Name of the polygon holding ``geom``'s point on surface (更新单元), or None."""
        point = geom.pointOnSurface()
        if point is None or point.isEmpty():
            return None
        for n in self.index.intersects(point.boundingBox()):
            if self.engine(n).intersects(point.constGet()):
                return self.names[n]
        return None

    def engine(self, n):
        eng = self.engines.get(n)
        if eng is None:
            eng = QgsGeometry.createGeometryEngine(self.geoms[n].constGet())
            eng.prepareGeometry()
            self.engines[n] = eng
        return eng

    def share(self, geom):
        """Share (0–1) of ``geom``'s area inside the union of the planning polygons."""
        area = geom.area()
        if area <= 0:
            return 0.0
        bbox = geom.boundingBox()
        pieces = []
        for n in self.index.intersects(bbox):
            eng = self.engine(n)
            if not eng.intersects(geom.constGet()):
                continue
            if eng.contains(geom.constGet()):
                return 1.0
            big = self.geoms[n]
            local = big.clipped(bbox.buffered(1.0)) if big.constGet().nCoordinates() > 200 else big
            piece = geom.intersection(local)
            if not piece.isEmpty():
                pieces.append(piece)
        if not pieces:
            return 0.0
        inside = pieces[0] if len(pieces) == 1 else QgsGeometry.unaryUnion(pieces)
        return min(inside.area() / area, 1.0)


# ---------------------------------------------------------------------------------------
# proposing
# ---------------------------------------------------------------------------------------
class Proposal:
    __slots__ = ("disposal", "reason", "rule", "location", "shares", "town", "area_mu", "unit", "assumption")


def _schema_type(name):
    spec = schema.fields().get(name)
    return spec.get("type", "string") if spec else None


def _reader(name):
    """How grading reads standard field ``name``: typed (core/values.py), text of listed values in one
    spelling (schema.canonical_value: 淘汰类产能 → 淘汰)."""
    from ..grading.grade import converter

    return converter(name)


def _qvariant_type(kind):
    from qgis.PyQt.QtCore import QVariant

    return {"bool": QVariant.Type.Bool, "double": QVariant.Type.Double, "int": QVariant.Type.Double}.get(
        kind, QVariant.Type.String)


def find_column(layer_names, name):
    """The layer column that holds standard field ``name``: the name itself (any case), else the
    Chinese and other names of fields.yaml (闲置 for idle, 产业类别 for industry_class ...), or None."""
    lower = {n.lower(): n for n in layer_names}
    if name.lower() in lower:
        return lower[name.lower()]
    spec = schema.fields().get(name)
    if not spec:
        return None
    found = schema.detect_mapping(layer_names, wanted=[name])
    if name in found:
        return found[name]
    alias = spec.get("alias")
    if alias:
        key = schema.normalise(alias)
        for col in layer_names:
            if schema.normalise(col) == key:
                return col
    return None


def _template_columns(reason):
    from qgis.core import QgsExpression

    cols = set()
    for part in _TEMPLATE_RE.findall(reason):
        cols |= {c for c in QgsExpression(part).referencedColumns() if c}
    return cols


def propose(source, ruleset, development_boundary=None, industrial_line=None, share=0.5, context=None,
            feedback=None, layer_name="", expropriation=None, reclamation=None, update_units=None, unit_field=None):
    """{fid: Proposal} for every parcel of ``source``, plus a report dict.

    ``expropriation`` / ``reclamation``: optional 征收范围 / 拆旧复垦范围 polygons; ``update_units``:
    optional 更新单元 polygons named by ``unit_field`` (default: feature id). The report holds
    ``warnings`` (Chinese, for the run's summary), ``counts`` per path, ``plan`` {(town, path): [n, 亩]},
    ``unit_plan`` {(unit, path): [n, 亩]}, ``fields`` {standard name: layer column read}.

    Raises DisposalError when the rule set needs a field or planning layer the input lacks.
    """
    from qgis.core import (
        QgsExpression,
        QgsExpressionContext,
        QgsExpressionContextScope,
        QgsExpressionContextUtils,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsGeometry,
        QgsWkbTypes,
    )

    from ..units import M2_PER_MU, AreaMeter

    if not 0 < share <= 1:
        raise DisposalError(
            tr("The share inside a planning polygon must be above 0 and at most 1 (got {}).").format(share))
    name = layer_name or source.sourceName()
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise DisposalError(tr("Layer “{}” is not a polygon layer ({}).").format(
            name, QgsWkbTypes.displayString(source.wkbType())))
    fields = source.fields()
    layer_names = fields.names()
    report = {"warnings": [], "counts": {}, "no_geometry": [], "plan": {}, "unit_plan": {},
              "fields": {}, "location_unknown": 0}

    ws = WorkSpace(source.sourceCrs(), source.sourceExtent())
    planning = {}
    for fname, layer, label in (("in_development_boundary", development_boundary, tr("development boundary")),
                                ("in_industrial_line", industrial_line, tr("industrial line")),
                                ("in_expropriation", expropriation, tr("expropriation range")),
                                ("in_reclamation", reclamation, tr("reclamation range"))):
        if layer is not None:
            planning[fname] = PlanningLayer(layer, ws, label, context)
    units_layer = None
    if update_units is not None:
        units_layer = PlanningLayer(update_units, ws, tr("update unit"), context, unit_field)

    referenced = set(ruleset.referenced_columns())
    for rule in ruleset.rules:
        referenced |= _template_columns(rule.reason)
    optional = {c.lower() for c in ruleset.optional_fields}
    # where each referenced name comes from: a layer column (standard or Chinese name), a planning layer, nothing
    source_col = {}
    missing = []
    for ref in sorted(referenced, key=str.lower):
        if ref.lower() in SHARE_VARIABLES and ref.lower() in planning:
            continue
        col = find_column(layer_names, ref)
        if col is not None:
            source_col[ref] = col
            continue
        if ref.lower() in LOCATION_FIELDS:
            raise DisposalError(tr("Rule set “{}” decides by “{}” ({}), but no {} layer was given and the parcel layer "
                                   "“{}” has no such field.").format(
                ruleset.id, ref, schema.alias(ref),
                tr("development "
                   "boundary") if ref.lower() == "in_development_boundary" else tr("industrial line"), name))
        missing.append(ref)
    required_missing = [c for c in missing if c.lower() not in optional]
    if required_missing:
        hint = tr(" Grade the parcels first on the Grading page (分类评价; in Processing: "
                  "landeval:grade).") if "grade" in required_missing else ""
        raise DisposalError(tr("Rule set “{}” uses field {} that layer “{}” does not have.{}").format(
            ruleset.id, "、".join("“{}”".format(c) for c in required_missing), name, hint))
    report["fields"] = dict(source_col)
    for ref, col in sorted(source_col.items()):
        if col != ref and feedback is not None:
            feedback.pushInfo(
                tr("Rule field “{}” ({}) read from the layer's column “{}”.").format(ref, schema.alias(ref), col))

    # the fields rules see: the layer's (standard names typed), standard names read from other columns,
    # the location flags, and the optional names the layer lacks (empty)
    typed = {}  # eval index -> reader
    eval_fields = QgsFields()
    exact = {col.lower(): ref for ref, col in source_col.items() if col.lower() == ref.lower()}
    for k in range(fields.count()):
        f = fields.at(k)
        ref = exact.get(f.name().lower())
        kind = _schema_type(ref) if ref else None
        if kind is not None and ref.lower() not in SHARE_VARIABLES:
            eval_fields.append(QgsField(f.name(), _qvariant_type(kind)))
            typed[k] = _reader(ref)
        else:
            eval_fields.append(QgsField(f))
    n_src = fields.count()
    virtual = []  # (eval index, source index or None, reader)
    for ref, col in sorted(source_col.items()):
        if col.lower() == ref.lower():
            continue
        kind = _schema_type(ref) or "string"
        eval_fields.append(QgsField(ref, _qvariant_type(kind)))
        virtual.append((eval_fields.count() - 1, fields.lookupField(col), _reader(ref)))
    for fname in SHARE_VARIABLES:
        if eval_fields.lookupField(fname) < 0:
            eval_fields.append(QgsField(fname, _qvariant_type("bool")))
    for c in missing:
        if eval_fields.lookupField(c) < 0:
            eval_fields.append(QgsField(c, _qvariant_type(_schema_type(c) or "string")))
    loc_index = {fname: eval_fields.lookupField(fname) for fname in SHARE_VARIABLES}
    loc_source = {}
    for fname in SHARE_VARIABLES:
        col = find_column(layer_names, fname) if fname not in planning else None
        loc_source[fname] = fields.lookupField(col) if col else None
    grade_src = fields.lookupField(source_col["grade"]) if "grade" in source_col else None
    idx_grade = eval_fields.lookupField("grade") if grade_src is not None else None
    final_col = find_column(layer_names, "grade_final")
    idx_final = fields.lookupField(final_col) if final_col else None
    town_col = find_column(layer_names, "town")
    idx_town = fields.lookupField(town_col) if town_col else None
    # optional fields with a purpose: how many parcels could not be checked (absent field: all of them)
    watch = {}
    for ref in ruleset.optional_purpose:
        if ref.lower() in planning:
            continue
        col = find_column(layer_names, ref)
        watch[ref] = [fields.lookupField(col) if col else None, 0]

    ectx = QgsExpressionContext(context.expressionContext()) if context is not None else QgsExpressionContext()
    if context is None:
        ectx.appendScope(QgsExpressionContextUtils.globalScope())
    params_scope = QgsExpressionContextScope("landeval_disposal_params")
    for pname, pvalue in ruleset.params.items():
        params_scope.setVariable(pname, pvalue)
    ectx.appendScope(params_scope)
    scope = QgsExpressionContextScope("landeval_disposal")
    ectx.appendScope(scope)
    ectx.setFields(eval_fields)
    # the rules' conditions read the row of values below (typed like grading) and the variables:
    # the params and the shares of the parcel inside the planning polygons
    variables = dict(ruleset.params)

    def resolve(name):
        k = eval_fields.lookupField(name)
        if k < 0:  # every referenced name was given a field above
            raise DisposalError("internal: no field for {}".format(name))
        return lambda row, _k=k: values.plain(row[_k])

    def variable(name):
        return lambda row, _n=name: variables.get(_n)

    tests = [(rule, rule.condition.predicate(resolve, variable)) for rule in ruleset.rules]

    needs_geometry = any("$" in rule.reason for rule in ruleset.rules)
    meter = AreaMeter(source.sourceCrs())
    feat = QgsFeature(eval_fields)  # one feature reused for every parcel: rules only read it
    proposals = {}
    total = max(source.featureCount(), 1)
    uses_location = {f for f in SHARE_VARIABLES if f in {r.lower() for r in referenced}}
    for n, f in enumerate(source.getFeatures()):
        if feedback is not None and n % 1000 == 0:
            if feedback.isCanceled():
                return None, report
            feedback.setProgress(90.0 * n / total)
        p = Proposal()
        p.location, p.shares = {}, {}
        raw = f.attributes()
        attrs = list(raw) + [None] * (eval_fields.count() - n_src)
        for k, reader in typed.items():
            attrs[k] = reader(raw[k])
        for k, src_k, reader in virtual:
            attrs[k] = reader(raw[src_k])
        geom = f.geometry()
        work = None
        if geom is not None and not geom.isEmpty() and limits.geometry_problem(
                geom, geographic=source.sourceCrs().isGeographic()) is not None:
            report["no_geometry"].append(f.id())  # NaN/infinite coordinates: location unknown, never GEOS
        elif geom is not None and not geom.isEmpty():
            work = ws.project(QgsGeometry(geom))
            if not work.isGeosValid():
                work = work.makeValid()
        elif planning:
            report["no_geometry"].append(f.id())
        for fname in SHARE_VARIABLES:
            if fname in planning:
                s = planning[fname].share(work) if work is not None else None
                p.shares[fname] = s
                p.location[fname] = None if s is None else s >= share - 1e-9
            else:
                k = loc_source[fname]
                p.location[fname] = values.to_bool(raw[k]) if k is not None else None
                p.shares[fname] = None
            attrs[loc_index[fname]] = p.location[fname]
            scope.setVariable(SHARE_VARIABLES[fname], p.shares[fname])
            variables[SHARE_VARIABLES[fname]] = p.shares[fname]
        if any(p.location[fname] is None for fname in uses_location & set(LOCATION_FIELDS)):
            report["location_unknown"] += 1
        if idx_grade is not None:
            attrs[idx_grade] = effective_grade(f, grade_src, idx_final, raw)
        for entry in watch.values():
            if entry[0] is None or values.is_empty(raw[entry[0]]):
                entry[1] += 1
        feat.setId(f.id())
        feat.setAttributes(attrs)
        if needs_geometry:
            feat.setGeometry(geom)
        ectx.setFeature(feat)
        p.disposal, p.reason, p.rule, p.assumption = None, tr("No rule of “{}” applies.").format(ruleset.id), None, None
        for rule, holds in tests:
            if holds(attrs):
                p.disposal = rule.disposal
                p.reason = QgsExpression.replaceExpressionText(rule.reason, ectx) if rule.templated else rule.reason
                p.rule = rule.key
                p.assumption = rule.assumption
                break
        p.town = (_text(raw[idx_town]) if idx_town is not None else None) or NO_TOWN
        p.area_mu = meter.m2(geom) / M2_PER_MU if geom is not None and not geom.isEmpty() else 0.0
        p.unit = units_layer.name_at(work) if units_layer is not None and work is not None else None
        report["counts"][p.disposal] = report["counts"].get(p.disposal, 0) + 1
        for key, table in (((p.town, p.disposal), report["plan"]), ((p.unit, p.disposal), report["unit_plan"])):
            if table is report["unit_plan"] and units_layer is None:
                continue
            cell = table.setdefault(key, [0, 0.0])
            cell[0] += 1
            cell[1] += p.area_mu
        proposals[f.id()] = p
    n_all = len(proposals)
    for layer in planning.values():
        if layer.repaired:
            report["warnings"].append(
                tr("{} invalid polygons of the {} layer were repaired.").format(layer.repaired, layer.label))
    if report["location_unknown"]:
        report["warnings"].append(tr("{} parcels lack location data (development boundary or industrial line): "
                                     "no path proposed (缺少区位数据).").format(report["location_unknown"]))
    for ref, (_, count) in watch.items():
        if count:
            report["warnings"].append(tr("{} missing: {} parcels could not be checked for {}").format(
                "{}（{}）".format(schema.alias(ref), ref), count, ruleset.optional_purpose[ref]))
    for c in missing:
        if c not in watch:
            report["warnings"].append(tr("Layer “{}” has no field “{}” ({}): rules of “{}” that use it see it as empty "
                                         "for all {} parcels.").format(name, c, schema.alias(c), ruleset.id, n_all))
    return proposals, report


def previous_reviews(source):
    """{parcel_code: {review field: value}} of the decided parcels of an earlier output
    (disposal_final and, where the layer has them, reason, who and when)."""
    fields = source.fields()
    idx_code = fields.lookupField("parcel_code")
    idx_final = fields.lookupField("disposal_final")
    if idx_code < 0 or idx_final < 0:
        raise DisposalError(tr("The earlier disposal layer “{}” needs the fields parcel_code and "
                               "disposal_final.").format(
            source.sourceName()))
    idx = {name: fields.lookupField(name) for name in REVIEW_FIELDS}
    out = {}
    for f in source.getFeatures():
        attrs = f.attributes()
        code = _text(attrs[idx_code])
        final = _text(attrs[idx_final])
        if code and final:
            out[code] = {name: (_text(attrs[k]) if k >= 0 else None) for name, k in idx.items()}
    return out


# ---------------------------------------------------------------------------------------
# 研判 of the path on an editable layer (the 处置 page): one undoable edit command
# ---------------------------------------------------------------------------------------
def decision_values(path, reason, by, at=None, paths=None):
    """{review field: value} of one decision on the path, checked: a path (one of ``paths`` when
    given), a reason and who decided are required."""
    import datetime

    path = (path or "").strip()
    if not path:
        raise DisposalError(tr("Choose the disposal path to confirm or set."))
    if paths is not None and path not in paths:
        raise DisposalError(tr("“{}” is not one of the rule set's paths ({}).").format(path, "、".join(paths)))
    if not (reason or "").strip():
        raise DisposalError(tr("A decision on the path needs a reason (处置研判理由)."))
    if not (by or "").strip():
        raise DisposalError(tr("Say who decided (处置研判人)."))
    at = at or datetime.datetime.now().replace(microsecond=0)
    return {"disposal_final": path, "disposal_override_reason": reason.strip(), "disposal_override_by": by.strip(),
            "disposal_override_at": at.isoformat(sep=" ") if hasattr(at, "isoformat") else str(at)}


def ensure_review_fields(layer):
    """Add the missing decision fields (with Chinese aliases) to an editable layer."""
    from ..review import add_text_fields

    add_text_fields(layer, REVIEW_FIELDS, DisposalError)


def apply_decision(layer, fids, path, reason, by, at=None, paths=None):
    """Record the decision on the path of features ``fids`` as one undoable edit command (the layer
    stays in edit mode: saved with the layer's edits, undone with Ctrl+Z). Returns the number changed."""
    from ..review import edit_in_place

    values_ = decision_values(path, reason, by, at, paths)
    fids = list(fids)
    if not fids:
        raise DisposalError(tr("No parcels chosen for the decision."))
    values_ = {n: values_[n] for n in REVIEW_FIELDS}
    return len(edit_in_place(layer, {fid: values_ for fid in fids},
                             tr("Disposal path of {} parcel(s): {}").format(len(fids), values_["disposal_final"]),
                             ensure_review_fields, error=DisposalError))


def repropose_in_place(layer, fids, ruleset, grade_values=None, context=None, **planning):
    """Run ``ruleset`` again for the features ``fids`` of the disposal layer ``layer`` (after a grade
    研判 changed their class) and write the new proposal (disposal, disposal_reason) in one undoable
    edit command. ``grade_values``: {fid: {grade review field: value}} copied first (the class the
    rules read). ``planning``: the planning layers of the run (development_boundary, industrial_line,
    expropriation, reclamation); without them the location fields on the layer are read.
    Returns [(fid, old path, new path)] of the parcels whose proposal changed."""
    from qgis.core import QgsFeature, QgsFeatureRequest, QgsVectorLayer

    from ..grading.grade import REVIEW_FIELDS as GRADE_REVIEW_FIELDS

    fids = list(fids)
    if not fids:
        return []
    grade_values = grade_values or {}
    # a memory copy of the chosen parcels with the new class: propose() reads it like any source
    uri = "{}?crs={}".format(_memory_geometry(layer), layer.crs().authid() or "")
    mem = QgsVectorLayer(uri, layer.name(), "memory")
    if not layer.crs().authid():
        mem.setCrs(layer.crs())
    mem.dataProvider().addAttributes(layer.fields().toList())
    mem.updateFields()
    names = mem.fields().names()
    feats, old = [], {}
    for f in layer.getFeatures(QgsFeatureRequest().setFilterFids(fids)):
        g = QgsFeature(mem.fields())
        g.setGeometry(f.geometry())
        attrs = list(f.attributes())
        for name, value in (grade_values.get(f.id()) or {}).items():
            if name in GRADE_REVIEW_FIELDS and name in names:
                attrs[names.index(name)] = value
        g.setAttributes(attrs)
        feats.append((f.id(), g))
        old[f.id()] = _text(f["disposal"]) if "disposal" in names else None
    ok, added = mem.dataProvider().addFeatures([g for _, g in feats])
    if not ok:
        raise DisposalError(tr("Cannot copy parcels of layer {} to propose again.").format(layer.name()))
    by_mem = {a.id(): fid for a, (fid, _) in zip(added, feats)}
    proposals, _report = propose(mem, ruleset, planning.get("development_boundary"), planning.get("industrial_line"),
                                 planning.get("share", 0.5), context, None, layer.name(),
                                 planning.get("expropriation"), planning.get("reclamation"))
    from ..review import edit_in_place

    changes, changed = {}, []
    for mem_id, p in (proposals or {}).items():
        fid = by_mem[mem_id]
        values_ = {"disposal": p.disposal, "disposal_reason": p.reason}
        values_.update({n: v for n, v in (grade_values.get(fid) or {}).items() if n in GRADE_REVIEW_FIELDS})
        changes[fid] = values_
        if old.get(fid) != p.disposal:
            changed.append((fid, old.get(fid), p.disposal))
    edit_in_place(layer, changes, tr("Propose the path again for {} parcel(s)").format(len(fids)), error=DisposalError)
    return changed


def _memory_geometry(layer):
    from qgis.core import QgsWkbTypes

    return QgsWkbTypes.displayString(layer.wkbType()) or "MultiPolygon"


# ---------------------------------------------------------------------------------------
# the year's plan: parcels and 亩 per town × path (and per 更新单元 × path)
# ---------------------------------------------------------------------------------------
def plan_rows(plan, path_order):
    """[(name, path, parcels, 亩)] sorted by name then the rule set's path order; no path last."""
    order = {p: i for i, p in enumerate(path_order)}
    rows = [(name, path, n, mu) for (name, path), (n, mu) in plan.items()]
    rows.sort(key=lambda r: (str(r[0] or ""), order.get(r[1], len(order)) if r[1] is not None else len(order) + 1))
    return rows


def plan_json(plan):
    """{name: {path or "无": {"parcels": n, "mu": 亩}}} for the run's report."""
    out = {}
    for (name, path), (n, mu) in plan.items():
        out.setdefault(str(name or NO_TOWN), {})[path or "无"] = {"parcels": n, "mu": round(mu, 2)}
    return out


def write_plan(path, ruleset, report, run_date=None, stage=False):
    """The year's plan as an XLSX workbook: town × path, 更新单元 × path (when given), the rule set
    with its source and assumptions, and the run's warnings. Written to a temporary file first."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from ..formats.xlsx_text import row_of_cells  # town and unit names, rule texts: stored as text, never formulas

    run_date = run_date or datetime.date.today().isoformat()
    no_path = vocabulary.no_path()["name"]   # the map's and the sheet's words for "no path"
    bold = Font(bold=True)
    wb = Workbook()

    def table(ws, title, head, rows):
        ws.append(row_of_cells(ws, [title]))
        ws["A1"].font = Font(bold=True, size=13)
        ws.append(head)
        for cell in ws[2]:
            cell.font = bold
        totals = {}
        for name, pth, n, mu in rows:
            ws.append(row_of_cells(ws, [name, pth if pth else no_path, n, round(mu, 2)]))
            t = totals.setdefault(pth, [0, 0.0])
            t[0] += n
            t[1] += mu
        for pth in [p for p in ruleset.paths if p in totals] + ([None] if None in totals else []):
            ws.append(row_of_cells(ws, ["合计", pth if pth else no_path, totals[pth][0],
                                        round(totals[pth][1], 2)]))
            ws.cell(row=ws.max_row, column=1).font = bold
        for col, width in zip("ABCD", (22, 26, 10, 14)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A3"

    ws = wb.active
    ws.title = "镇街×路径"
    table(ws, "{} 年度推进计划（{}，{}）".format(run_date[:4], ruleset.name, run_date),
          ["镇街", "处置路径", "宗数", "面积（亩）"], plan_rows(report["plan"], list(ruleset.paths)))
    if report.get("unit_plan"):
        table(wb.create_sheet("更新单元×路径"), "更新单元 × 处置路径（{}）".format(ruleset.name),
              ["更新单元", "处置路径", "宗数", "面积（亩）"],
              [("（不在更新单元内）" if r[0] is None else r[0],) + r[1:]
               for r in plan_rows(report["unit_plan"], list(ruleset.paths))])
    info = wb.create_sheet("规则与假设")
    info.column_dimensions["A"].width = 110
    for line in ruleset.describe():
        info.append(row_of_cells(info, [line]))
    for p, text in ruleset.paths.items():
        info.append(row_of_cells(info, ["路径 {}：{}".format(p, text)]))
    for line in ruleset.rule_lines():  # each rule with the clause it implements
        info.append(row_of_cells(info, [line]))
    if report.get("warnings"):
        info.append([])
        info.append(["本次运行提示"])
        info.cell(row=info.max_row, column=1).font = bold
        for w in report["warnings"]:
            info.append(row_of_cells(info, [w]))
    for row in info.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    from .. import files

    # temporary file beside ``path``, flushed, moved into place; stage=True: the caller
    # publishes it (files.publish) together with its other outputs
    return files.stage_write(path, wb.save) if stage else files.atomic_write(path, wb.save)
