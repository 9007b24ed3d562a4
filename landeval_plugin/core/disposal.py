"""处置方案: a proposed disposal path for every parcel, from rule sets kept as data files.

A rule set (resources/disposal/*.yaml, or any YAML file with the same keys) lists its paths
and an ordered list of rules ``{when, disposal, reason}``: the first rule whose condition holds
gives the parcel's path. Conditions are QGIS expressions (what planners already write in
QGIS) evaluated on the parcel's fields plus:

* ``"grade"`` — the effective grade, the reviewed ``grade_final`` over the computed one;
* ``"in_development_boundary"`` / ``"in_industrial_line"`` — at least SHARE (default 50 %) of
  the parcel's area lies inside the 城镇开发边界 / 工业保障线 polygons (computed here from the
  planning layers, in metres whatever their CRS; or taken from the parcel layer when it already
  carries them and no planning layer is given);
* ``@development_boundary_share`` / ``@industrial_line_share`` — the shares themselves (0–1).

Reasons are texts with ``[% expression %]`` parts. A path decided in review
(``disposal_final`` / ``disposal_override_reason``) is kept over the proposal, and carried
forward from an earlier output by parcel code on a re-run.

The grading helper's standards engine (core/standard.py) was built in parallel; conditions
here use QgsExpression on purpose, kept in this module, so the two can converge later.
"""
import os
import re

from qgis.core import QgsGeometry

from ..i18n import tr
from . import paths, schema
from .cluster import WorkSpace, _text, effective_grade

DEFAULT_RULESET = "taicang_2023"
LOCATION_FIELDS = ("in_development_boundary", "in_industrial_line")
REVIEW_FIELDS = ("disposal_final", "disposal_override_reason")
OUTPUT_FIELDS = ("disposal", "disposal_reason") + LOCATION_FIELDS + REVIEW_FIELDS
TOP_KEYS = {"id", "name", "source", "description", "paths", "optional_fields", "rules"}
RULE_KEYS = {"when", "disposal", "reason", "note"}
SHARE_VARIABLES = {"in_development_boundary": "development_boundary_share",
                   "in_industrial_line": "industrial_line_share"}


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
    __slots__ = ("key", "when", "disposal", "reason", "expression", "templated")

    def __init__(self, key, when, disposal, reason, expression):
        self.key, self.when, self.disposal, self.reason, self.expression = key, when, disposal, reason, expression
        self.templated = "[%" in reason


class RuleSet:
    def __init__(self, data, origin):
        self.origin = origin
        self.id = data["id"]
        self.name = data["name"]
        self.source = data.get("source", "")
        self.description = data.get("description", "")
        self.paths = dict(data["paths"])
        self.optional_fields = list(data.get("optional_fields") or [])
        self.rules = []

    def referenced_columns(self):
        cols = set()
        for rule in self.rules:
            cols |= {c for c in rule.expression.referencedColumns() if c}
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
        raise DisposalError(tr("{}: not a readable YAML file: {}").format(where, exc))
    if not isinstance(data, dict):
        raise DisposalError(tr("{}: expected keys id, name, paths, rules at the top level.").format(where))

    def bad(key, message):
        raise DisposalError("{}: {}: {}".format(where, key, message))

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
    if not isinstance(data.get("optional_fields") or [], list):
        bad("optional_fields", tr("must be a list of field names"))
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
        expr = QgsExpression(raw["when"])
        if expr.hasParserError():
            bad("{}.when".format(key), tr("the expression “{}” cannot be read: {}").format(raw["when"], expr.parserErrorString()))
        for part in _TEMPLATE_RE.findall(raw["reason"]):
            check = QgsExpression(part)
            if check.hasParserError():
                bad("{}.reason".format(key), tr("the part [% {} %] cannot be read: {}").format(part, check.parserErrorString()))
        ruleset.rules.append(Rule(key, raw["when"], None if disposal is None else str(disposal), raw["reason"].strip(), expr))
    return ruleset


# ---------------------------------------------------------------------------------------
# location against the planning lines
# ---------------------------------------------------------------------------------------
class PlanningLayer:
    """Planning polygons (城镇开发边界 / 工业保障线) projected into the parcels' work CRS."""

    def __init__(self, source, ws, label, context=None):
        from qgis.core import (QgsCoordinateTransform, QgsCoordinateTransformContext, QgsGeometry, QgsProject,
                               QgsSpatialIndex, QgsWkbTypes)

        self.label = label
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
            if xform is not None:
                g.transform(xform)
            if not g.isGeosValid():
                g = g.makeValid()
                self.repaired += 1
            n = len(self.geoms)
            self.geoms.append(g)
            self.index.addFeature(n, g.boundingBox())
        self.engines = {}

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
    __slots__ = ("disposal", "reason", "rule", "location", "shares")


def _bool_or_none(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes", "y", "是")
    return bool(value)


def propose(source, ruleset, development_boundary=None, industrial_line=None, share=0.5, context=None,
            feedback=None, layer_name=""):
    """{fid: Proposal} for every parcel of ``source``, plus a report dict.

    Raises DisposalError when the rule set needs a field or planning layer the input lacks.
    """
    from qgis.core import (QgsExpression, QgsExpressionContext, QgsExpressionContextScope,
                           QgsExpressionContextUtils, QgsFeature, QgsField, QgsFields, QgsGeometry, QgsWkbTypes)
    from qgis.PyQt.QtCore import QVariant

    if not 0 < share <= 1:
        raise DisposalError(tr("The share inside a planning polygon must be above 0 and at most 1 (got {}).").format(share))
    name = layer_name or source.sourceName()
    if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PolygonGeometry:
        raise DisposalError(tr("Layer “{}” is not a polygon layer ({}).").format(
            name, QgsWkbTypes.displayString(source.wkbType())))
    fields = source.fields()
    names = {f.name().lower() for f in fields}
    report = {"warnings": [], "counts": {}, "no_geometry": [], "eval_errors": []}

    ws = WorkSpace(source.sourceCrs(), source.sourceExtent())
    planning = {}
    for fname, layer, label in (("in_development_boundary", development_boundary, tr("development boundary")),
                                ("in_industrial_line", industrial_line, tr("industrial line"))):
        if layer is not None:
            planning[fname] = PlanningLayer(layer, ws, label, context)
    referenced = {c.lower() for c in ruleset.referenced_columns()}
    optional = {c.lower() for c in ruleset.optional_fields}
    for fname in LOCATION_FIELDS:
        if fname in referenced and fname not in planning and fname not in names:
            raise DisposalError(tr("Rule set “{}” decides by “{}” ({}), but no {} layer was given and the parcel layer "
                                   "“{}” has no such field.").format(
                ruleset.id, fname, schema.alias(fname),
                tr("development boundary") if fname == "in_development_boundary" else tr("industrial line"), name))
    computed = set(LOCATION_FIELDS)
    missing = sorted(c for c in referenced if c not in names and c not in computed)
    required_missing = [c for c in missing if c not in optional]
    if required_missing:
        hint = tr(" Run the grading step first (landeval:grade).") if "grade" in required_missing else ""
        raise DisposalError(tr("Rule set “{}” uses field {} that layer “{}” does not have.{}").format(
            ruleset.id, "、".join("“{}”".format(c) for c in required_missing), name, hint))
    for c in missing:
        report["warnings"].append(tr("Layer “{}” has no field “{}”: rules of “{}” that use it see it as empty.").format(
            name, c, ruleset.id))

    # the fields rules see: the layer's, the location flags, and the optional ones it lacks
    eval_fields = QgsFields(fields)
    for fname in LOCATION_FIELDS:
        if eval_fields.lookupField(fname) < 0:
            eval_fields.append(QgsField(fname, QVariant.Bool))
    for c in missing:
        eval_fields.append(QgsField(c, QVariant.String))
    loc_index = {fname: eval_fields.lookupField(fname) for fname in LOCATION_FIELDS}
    idx_grade = fields.lookupField("grade") if fields.lookupField("grade") >= 0 else None
    idx_final = fields.lookupField("grade_final") if fields.lookupField("grade_final") >= 0 else None

    ectx = QgsExpressionContext(context.expressionContext()) if context is not None else QgsExpressionContext()
    if context is None:
        ectx.appendScope(QgsExpressionContextUtils.globalScope())
    scope = QgsExpressionContextScope("landeval_disposal")
    ectx.appendScope(scope)
    ectx.setFields(eval_fields)
    for rule in ruleset.rules:
        rule.expression.prepare(ectx)

    needs_geometry = any(rule.expression.needsGeometry() or "$" in rule.reason for rule in ruleset.rules)
    feat = QgsFeature(eval_fields)  # one feature reused for every parcel: rules only read it
    proposals = {}
    total = max(source.featureCount(), 1)
    n_src = fields.count()
    for n, f in enumerate(source.getFeatures()):
        if feedback is not None and n % 1000 == 0:
            if feedback.isCanceled():
                return None, report
            feedback.setProgress(90.0 * n / total)
        p = Proposal()
        p.location, p.shares = {}, {}
        attrs = list(f.attributes()) + [None] * (eval_fields.count() - n_src)
        geom = f.geometry()
        work = None
        if geom is not None and not geom.isEmpty():
            work = ws.project(QgsGeometry(geom))
            if not work.isGeosValid():
                work = work.makeValid()
        elif planning:
            report["no_geometry"].append(f.id())
        for fname in LOCATION_FIELDS:
            if fname in planning:
                s = planning[fname].share(work) if work is not None else None
                p.shares[fname] = s
                p.location[fname] = None if s is None else s >= share - 1e-9
            else:
                p.location[fname] = _bool_or_none(attrs[loc_index[fname]]) if fname in names else None
                p.shares[fname] = None
            attrs[loc_index[fname]] = p.location[fname]
            scope.setVariable(SHARE_VARIABLES[fname], p.shares[fname])
        if idx_grade is not None:
            attrs[idx_grade] = effective_grade(f, idx_grade, idx_final, attrs)
        feat.setId(f.id())
        feat.setAttributes(attrs)
        if needs_geometry:
            feat.setGeometry(geom)
        ectx.setFeature(feat)
        p.disposal, p.reason, p.rule = None, tr("No rule of “{}” applies.").format(ruleset.id), None
        for rule in ruleset.rules:
            value = rule.expression.evaluate(ectx)
            if rule.expression.hasEvalError():
                report["eval_errors"].append((f.id(), rule.key, rule.expression.evalErrorString()))
                continue
            if _truthy(value):
                p.disposal = rule.disposal
                p.reason = QgsExpression.replaceExpressionText(rule.reason, ectx) if rule.templated else rule.reason
                p.rule = rule.key
                break
        report["counts"][p.disposal] = report["counts"].get(p.disposal, 0) + 1
        proposals[f.id()] = p
    for fname, layer in planning.items():
        if layer.repaired:
            report["warnings"].append(tr("{} invalid polygons of the {} layer were repaired.").format(layer.repaired, layer.label))
    return proposals, report


def _truthy(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return False
    return bool(value)


def previous_reviews(source):
    """{parcel_code: (disposal_final, disposal_override_reason)} from an earlier output."""
    fields = source.fields()
    idx_code = fields.lookupField("parcel_code")
    idx_final = fields.lookupField("disposal_final")
    idx_reason = fields.lookupField("disposal_override_reason")
    if idx_code < 0 or idx_final < 0:
        raise DisposalError(tr("The earlier disposal layer “{}” needs the fields parcel_code and disposal_final.").format(
            source.sourceName()))
    out = {}
    for f in source.getFeatures():
        code = _text(f.attributes()[idx_code])
        final = _text(f.attributes()[idx_final])
        if code and final:
            reason = _text(f.attributes()[idx_reason]) if idx_reason >= 0 else None
            out[code] = (final, reason)
    return out

