"""一地一档: the 体检表 (dossier sheet) of each parcel, printed from a QGIS layout atlas.

How it works, and why it is fast:
* ``SheetData`` reads the parcels once and computes every printed value (areas in m²/亩/公顷,
  grade names, veto items, "暂无数据" for missing data) into display fields ``d_*`` of an
  in-memory coverage layer, plus two small child tables (enterprises of the year,
  indicators of the year and the two before). The PDF and the workbook print the same
  values.
* ``DossierPrinter`` loads the template (``resources/layouts/dossier_a4.qpt`` or the
  user's), binds it to those layers in a private project and drives the layout atlas:
  one layout reused for every parcel, QGIS's own PDF exporter, the overview map rendered
  once into a cached image, neighbours styled by grade from a renderer built once.
* Outputs are written to temporary files and moved into place at the end, so a cancelled
  or failed run leaves nothing half-written.
"""
import datetime
import json
import os
import re
import shutil
import tempfile

from . import indicators, paths, schema
from . import values as _values
from .. import compat
from .units import AreaMeter, M2_PER_HA, M2_PER_MU

TEMPLATE_DEFAULT = "dossier_a4.qpt"
COVERAGE_NAME = "dossier_parcels"
ENTERPRISE_NAME = "dossier_enterprises"
INDICATOR_NAME = "dossier_indicators"


class DossierError(Exception):
    """A problem the user must fix (message already in the user's language)."""


def tr(text):
    from ..i18n import tr

    return tr(text)


# ---------------------------------------------------------------------------- vocabulary
_VOCAB = None


def vocabulary():
    """The sheet's words and colours from resources/layouts/dossier_sheet.yaml."""
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = schema.load_yaml(paths.resource("layouts", "dossier_sheet.yaml"))
    return _VOCAB


def grade_colours():
    """{grade: colour}; the grade style (resources/styles/grade.qml) wins when present."""
    colours = {g: spec["colour"] for g, spec in vocabulary()["grades"].items()}
    qml = paths.resource("styles", "grade.qml")
    if os.path.exists(qml):
        try:
            import xml.etree.ElementTree as ET

            root = ET.parse(qml).getroot()
            symbols = {}
            for sym in root.iter("symbol"):
                for prop in sym.iter("prop"):
                    if prop.get("k") == "color":
                        symbols.setdefault(sym.get("name"), prop.get("v"))
                for opt in sym.iter("Option"):
                    if opt.get("name") == "color":
                        symbols.setdefault(sym.get("name"), opt.get("value"))
            for cat in root.iter("category"):
                value, colour = cat.get("value"), symbols.get(cat.get("symbol"))
                if value in colours and colour:
                    rgba = [int(c) for c in colour.split(",")[:3]]
                    colours[value] = "#{:02x}{:02x}{:02x}".format(*rgba)
        except Exception:  # a broken style must not stop printing; the defaults are the same colours
            pass
    return colours


# ---------------------------------------------------------------------------- formatting
def is_missing(value):
    """No data (core/values.py: NULL, blank, —, 暂无 …)."""
    return _values.is_empty(value)


def plain(value):
    """QVariant/QDate/QDateTime → Python values; NULL and no-data words → None."""
    if _values.is_empty(value):
        return None
    return _values.plain(value)


def fmt_number(value, decimals=2):
    value = plain(value)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "{:,.{}f}".format(number, decimals)


def fmt_date(value):
    value = plain(value)
    if value is None:
        return None
    date = _values.to_date(value)
    return date.isoformat() if date is not None else str(value).strip()


# yes/no as everywhere else in the plugin (the sheet's veto list reads "存在" as the grade did)
as_bool = _values.to_bool


def break_lines(text, width=48.0):
    """Chinese text broken into lines of about ``width`` full-width characters (ASCII counts half):
    layout tables wrap only at spaces, and a sentence without any would run past the cell."""
    lines, line, used = [], "", 0.0
    for ch in str(text):
        w = 0.55 if ord(ch) < 0x2E80 else 1.0
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    return "\n".join(lines)


def split_tags(value):
    value = plain(value)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text) if str(v).strip()]
        except ValueError:
            pass
    return [t.strip() for t in re.split(r"[;,，；、|]", text) if t.strip()]


def parse_score_detail(value):
    """score_detail JSON (list of {indicator, value, benchmark, weight, score, note}) → list."""
    value = plain(value)
    if value is None:
        return []
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    if isinstance(items, dict):
        items = [dict(v, indicator=k) if isinstance(v, dict) else {"indicator": k, "score": v} for k, v in items.items()]
    return [i for i in items if isinstance(i, dict)]


# ---------------------------------------------------------------------------- sheet data
DISPLAY_FIELDS = (
    "d_code", "d_year", "d_title", "d_owner", "d_town", "d_address", "d_area", "d_land_use", "d_supply_date",
    "d_source", "d_devbound", "d_indline", "d_cluster", "d_grade", "d_grade_name", "d_grade_color", "d_class",
    "d_score", "d_rank", "d_reasons", "d_veto", "d_tags", "d_disposal", "d_disposal_final", "d_disposal_reason",
    "d_grade_final", "d_review", "d_review_by", "d_standard", "d_sources", "d_print_date", "d_file",
)


class Sheet:
    """Everything one 体检表 prints, as display text (``display``) and raw values (``raw``)."""

    def __init__(self, fid, code):
        self.fid = fid
        self.code = code
        self.display = {}
        self.raw = {}
        self.enterprises = []  # [{field: raw value}]
        self.indicators = []   # [{name, unit, v0, v1, v2, benchmark, weight, score, note}]


_STANDARD_INFO = {}


def describe_standards(text):
    """[(name with id, provenance line)] for a ``standard`` field value ("id vX + id2 vY").

    The name says 示例 for a worked example; the provenance names the published document and
    clause (or says it is an example) and how many assumptions the standard states. A standard
    that is no preset (a user's file) is shown by its id."""
    from . import standard as standards

    out = []
    for part in str(text or "").split(" + "):
        part = part.strip()
        if not part:
            continue
        sid = part.split(" v")[0]
        if sid not in _STANDARD_INFO:
            try:
                std = standards.load(sid)
                note = "{}；标准写明假设 {} 条，决定类别的假设见评价依据".format(std.provenance(), len(std.assumptions)) \
                    if std.assumptions else std.provenance()
                _STANDARD_INFO[sid] = ("{}（{}）".format(std.name, part), note)
            except Exception:
                _STANDARD_INFO[sid] = (part, "")
        out.append(_STANDARD_INFO[sid])
    return out


def _field_lookup(fields):
    """{standard name: layer field name} for the fields the sheet prints."""
    names = [f.name() for f in fields]
    found = {n: n for n in names if n in schema.fields() or schema.split_year_suffix(n)[0] in schema.fields()}
    detected = schema.detect_mapping([n for n in names if n not in found])
    for std, col in detected.items():
        found.setdefault(std, col)
    return found


class SheetData:
    """The prepared layers and per-parcel sheets for one print run.

    ``parcels``: iterable of QgsFeature (the features to print, e.g. a Processing source
    honouring the selection), ``fields``/``crs`` of that source. ``enterprises``: optional
    QgsVectorLayer table (docs/DEVELOPING.md contract). ``clusters``: optional polygon layer.
    """

    def __init__(self, parcels, fields, crs, year=None, enterprises=None, clusters=None, sources_note="",
                 feedback=None, print_date=None):
        from qgis.core import QgsFeature, QgsField, QgsFields, QgsVectorLayer, QgsWkbTypes
        from qgis.PyQt.QtCore import QVariant

        self.vocab = vocabulary()
        self.no_data = self.vocab["no_data"]
        self.colours = grade_colours()
        self.crs = crs
        self.lookup = _field_lookup(fields)
        if "parcel_code" not in self.lookup:
            raise DossierError(tr("The parcel layer has no parcel code field (parcel_code / 宗地代码); "
                                   "fields found: {}").format(", ".join(f.name() for f in fields)))
        self.print_date = print_date or datetime.date.today().isoformat()
        self.sources_note = sources_note
        self.enterprise_layer = enterprises
        self.clusters = clusters
        self.meter = AreaMeter(crs)
        self.tmpdir = None
        features = []
        for feature in parcels:
            if feedback is not None and feedback.isCanceled():
                break
            features.append(QgsFeature(feature))
        codes = [self._get(f, "parcel_code") for f in features]
        order = sorted(range(len(features)), key=lambda i: (str(codes[i]) if codes[i] is not None else "", i))
        self.year = year or self._guess_year(features)
        ent_rows = self._enterprise_rows({str(c) for c in codes if c is not None})
        cluster_index = self._cluster_index()

        # coverage layer: the source fields plus the display fields
        out_fields = QgsFields()
        for f in fields:
            out_fields.append(QgsField(f))
        for name in DISPLAY_FIELDS:
            if out_fields.indexOf(name) < 0:
                out_fields.append(QgsField(name, QVariant.Type.String))
        if out_fields.indexOf("parcel_code") < 0:
            out_fields.append(QgsField("parcel_code", QVariant.Type.String))
        wkb = features[0].geometry().wkbType() if features and features[0].hasGeometry() else QgsWkbTypes.MultiPolygon
        geom_type = QgsWkbTypes.displayString(QgsWkbTypes.multiType(QgsWkbTypes.flatType(wkb)))
        self.coverage = QgsVectorLayer("{}?crs={}".format(geom_type or "MultiPolygon", crs.authid() or crs.toWkt()),
                                       COVERAGE_NAME, "memory")
        if not crs.authid():
            self.coverage.setCrs(crs)
        self.coverage.dataProvider().addAttributes(out_fields.toList())
        self.coverage.updateFields()
        cov_fields = self.coverage.fields()
        self.sheets = []
        out_features = []
        from .safe_names import UniqueNames

        names = UniqueNames()
        for n, i in enumerate(order):
            if feedback is not None and n % 100 == 0 and feedback.isCanceled():
                break  # the caller sees the cancel and prints nothing
            src = features[i]
            code = codes[i]
            sheet = Sheet(src.id(), "" if code is None else str(code))
            self._fill(sheet, src, ent_rows.get(sheet.code, []), cluster_index)
            sheet.display["d_file"] = names.stem(sheet.code)
            self.sheets.append(sheet)
            out = QgsFeature(cov_fields)
            geom = src.geometry()
            if geom is not None and not geom.isEmpty() and not QgsWkbTypes.isMultiType(geom.wkbType()):
                geom.convertToMultiType()
            out.setGeometry(geom)
            attrs = [None] * cov_fields.count()
            for k, f in enumerate(fields):
                attrs[cov_fields.indexOf(f.name())] = src.attribute(k)
            attrs[cov_fields.indexOf("parcel_code")] = sheet.code
            for name in DISPLAY_FIELDS:
                attrs[cov_fields.indexOf(name)] = sheet.display.get(name) or ""
            out.setAttributes(attrs)
            out_features.append(out)
        self.coverage.dataProvider().addFeatures(out_features)
        self.coverage.updateExtents()
        self.enterprise_table = self._child_layer(ENTERPRISE_NAME, [
            ("parcel_code", QVariant.Type.String), ("seq", QVariant.Type.String), ("enterprise_name", QVariant.Type.String),
            ("credit_code", QVariant.Type.String), ("d_tax", QVariant.Type.String), ("d_output", QVariant.Type.String),
            ("d_employees", QVariant.Type.String), ("d_share", QVariant.Type.String)],
            ((s.code, e["_display"]) for s in self.sheets for e in s.enterprises))
        self.indicator_table = self._child_layer(INDICATOR_NAME, [
            ("parcel_code", QVariant.Type.String), ("name", QVariant.Type.String), ("v0", QVariant.Type.String),
            ("v1", QVariant.Type.String), ("v2", QVariant.Type.String), ("benchmark", QVariant.Type.String),
            ("weight", QVariant.Type.String), ("score", QVariant.Type.String), ("note", QVariant.Type.String)],
            ((s.code, r["_display"]) for s in self.sheets for r in s.indicators))

    # -- reading ---------------------------------------------------------------------
    def _get(self, feature, std):
        col = self.lookup.get(std)
        if col is None:
            return None
        idx = feature.fields().indexOf(col)
        if idx < 0:
            return None
        return plain(feature.attribute(idx))

    def has(self, std):
        return std in self.lookup

    def _guess_year(self, features):
        """The evaluation year: the year the parcels were graded for (``eval_year``), else the
        enterprise table's latest year, else the parcels' ``year``. The time of grading is only a
        last resort: a 2023 evaluation is often run in 2025, so the grade step records ``eval_year``."""
        found = self._first_year(features, "eval_year")
        if found is not None:
            return found
        layer = self.enterprise_layer
        if layer is not None and layer.fields().indexOf("year") >= 0:
            try:
                value = layer.maximumValue(layer.fields().indexOf("year"))
                if not is_missing(value):
                    return int(value)
            except (TypeError, ValueError):
                pass
        for name, back in (("year", 0), ("graded_at", 1)):
            found = self._first_year(features, name)
            if found is not None:
                return found - back
        return datetime.date.today().year - 1

    def _first_year(self, features, name):
        """The first readable year in field ``name`` of the first 50 features (a date or time
        counts by its first four digits), else None."""
        for f in features[:50]:
            value = self._get(f, name)
            if value is None:
                continue
            try:
                return int(str(value)[:4]) if name == "graded_at" else int(value)
            except (TypeError, ValueError):
                continue
        return None

    def _enterprise_rows(self, codes):
        """{parcel_code: [row dict]} of the evaluation year, from the enterprises table."""
        layer = self.enterprise_layer
        result = {}
        if layer is None:
            return result
        from qgis.core import QgsFeatureRequest

        names = layer.fields().names()
        wanted = ["parcel_code", "credit_code", "enterprise_name", "year", "share"] + [
            c["field"] for c in self.vocab["enterprise_columns"]]
        mapping = {n: n for n in wanted if n in names}
        mapping.update({k: v for k, v in schema.detect_mapping([n for n in names if n not in mapping.values()],
                                                               wanted=[w for w in wanted if w not in mapping]).items()})
        if "parcel_code" not in mapping:
            raise DossierError(tr("The enterprises table {} has no parcel_code field").format(layer.name()))
        request = QgsFeatureRequest().setFlags(QgsFeatureRequest.NoGeometry)
        request.setSubsetOfAttributes(list(set(mapping.values())), layer.fields())
        year_col = mapping.get("year")
        for feature in layer.getFeatures(request):
            code = plain(feature[mapping["parcel_code"]])
            if code is None or str(code) not in codes:
                continue
            if year_col is not None:
                y = plain(feature[year_col])
                try:
                    if y is not None and int(y) != int(self.year):
                        continue
                except (TypeError, ValueError):
                    continue
            row = {std: plain(feature[col]) for std, col in mapping.items()}
            result.setdefault(str(code), []).append(row)
        for rows in result.values():
            rows.sort(key=lambda r: (-(float(r.get("tax_10k") or 0)), str(r.get("enterprise_name") or "")))
        return result

    def _cluster_index(self):
        layer = self.clusters
        if layer is None:
            return None
        from qgis.core import QgsCoordinateTransform, QgsFeatureRequest, QgsProject, QgsSpatialIndex

        index = QgsSpatialIndex()
        geoms = {}
        id_col = "cluster_id" if layer.fields().indexOf("cluster_id") >= 0 else None
        transform = None
        if layer.crs() != self.crs:
            transform = QgsCoordinateTransform(layer.crs(), self.crs, QgsProject.instance())
        for f in layer.getFeatures(QgsFeatureRequest()):
            g = f.geometry()
            if g is None or g.isEmpty():
                continue
            if transform is not None:
                g.transform(transform)
            ident = plain(f[id_col]) if id_col else f.id()
            geoms[f.id()] = (g, ident)
            f.setGeometry(g)
            index.addFeature(f)
        return index, geoms

    # -- computing ---------------------------------------------------------------------
    def _text(self, value):
        value = plain(value)
        return self.no_data if value is None else str(value)

    def _fill(self, sheet, feature, enterprises, cluster_index):
        nd = self.no_data
        none = self.vocab["none"]
        d, raw = sheet.display, sheet.raw
        get = lambda std: self._get(feature, std)  # noqa: E731
        d["d_code"] = sheet.code or nd
        d["d_year"] = str(self.year)
        d["d_title"] = "{}年度产业用地综合绩效评估体检表".format(self.year)
        for std in ("owner", "town", "address", "source"):
            raw[std] = get(std)
            d["d_" + std] = self._text(raw[std])
        # area: the recorded area_m2 when present, else measured from the geometry
        m2 = get("area_m2")
        try:
            m2 = float(m2) if m2 is not None else None
        except (TypeError, ValueError):
            m2 = None
        if m2 is None:
            geom = feature.geometry()
            m2 = self.meter.m2(geom) if geom is not None and not geom.isEmpty() else None
        raw["area_m2"] = m2
        raw["area_mu"] = None if m2 is None else m2 / M2_PER_MU
        raw["area_ha"] = None if m2 is None else m2 / M2_PER_HA
        d["d_area"] = nd if m2 is None else "{} 平方米（{} 亩，{} 公顷）".format(
            fmt_number(m2, 2), fmt_number(raw["area_mu"], 2), fmt_number(raw["area_ha"], 4))
        land_use = get("land_use")
        land_use_raw = get("land_use_raw")
        raw["land_use"] = land_use if land_use is not None else land_use_raw
        d["d_land_use"] = nd if raw["land_use"] is None else (
            "{}（{}）".format(land_use, land_use_raw) if land_use and land_use_raw and str(land_use) != str(land_use_raw)
            else str(raw["land_use"]))
        raw["supply_date"] = fmt_date(get("supply_date"))
        d["d_supply_date"] = raw["supply_date"] or nd
        for std, key in (("in_development_boundary", "d_devbound"), ("in_industrial_line", "d_indline")):
            flag = as_bool(get(std))
            raw[std] = flag
            words = self.vocab["boundary"][std]
            d[key] = nd if flag is None else (words[0] if flag else words[1])
        # cluster: the parcel's cluster_id, else the cluster polygon it lies in
        cluster = get("cluster_id")
        if cluster is None and cluster_index is not None:
            index, geoms = cluster_index
            geom = feature.geometry()
            if geom is not None and not geom.isEmpty():
                point = geom.pointOnSurface()
                for cid in index.intersects(point.boundingBox()):
                    g, ident = geoms[cid]
                    if g.intersects(point):
                        cluster = ident
                        break
        raw["cluster_id"] = cluster
        d["d_cluster"] = str(cluster) if cluster is not None else (none if cluster_index is not None or self.has("cluster_id") else nd)
        # grade: the reviewed class wins over the computed one
        grade, grade_final = get("grade"), get("grade_final")
        effective = grade_final if grade_final is not None else grade
        raw["grade"], raw["grade_final"] = grade, grade_final
        raw["grade_effective"] = effective
        grades = self.vocab["grades"]
        if effective is None:
            d["d_grade"], d["d_grade_name"] = "—", nd
            d["d_grade_color"] = self.vocab["no_grade_colour"]
            d["d_class"] = nd
        else:
            letter = str(effective).strip().upper()[:1]
            name = grades.get(letter, {}).get("name", "")
            d["d_grade"], d["d_grade_name"] = letter, name or str(effective)
            d["d_grade_color"] = self.colours.get(letter, self.vocab["no_grade_colour"])
            d["d_class"] = "{} {}".format(letter, name).strip()
            if grade_final is not None and grade is not None and str(grade_final) != str(grade):
                d["d_class"] += "（研判调整，原评{}）".format(grade)
        score, rank = get("score"), get("rank")
        raw["score"], raw["rank"] = score, rank
        d["d_score"] = nd if score is None else fmt_number(score, 2)
        d["d_rank"] = nd if rank is None else str(int(float(rank))) if str(rank).replace(".", "", 1).isdigit() else str(rank)
        raw["grade_reason"] = get("grade_reason")
        d["d_reasons"] = self._text(raw["grade_reason"])
        # veto items present on the parcel
        vetoes, known = [], False
        for item in self.vocab["veto"]:
            if not self.has(item["field"]):
                continue
            known = True
            value = get(item["field"])
            if "values" in item:
                # listed values in the spelling grading compares with (淘汰类产能 → 淘汰)
                hit = value is not None and str(schema.canonical_value(item["field"], value)) in [
                    str(v) for v in item["values"]]
            else:
                hit = as_bool(value) is True
            if hit and item["text"] not in vetoes:
                vetoes.append(item["text"])
        raw["veto"] = vetoes
        d["d_veto"] = "；".join(vetoes) if vetoes else (none if known else nd)
        tags = split_tags(get("low_eff_tags"))
        low = as_bool(get("low_eff"))
        raw["low_eff_tags"] = tags
        d["d_tags"] = "；".join(tags) if tags else (
            "低效用地" if low else none if (low is False or self.has("low_eff_tags")) else nd)
        for std in ("disposal", "disposal_final", "disposal_reason"):
            raw[std] = get(std)
            d["d_" + std] = self._text(raw[std])
        if raw["disposal"] is None and raw["disposal_reason"] is not None:
            d["d_disposal"] = "不提出处置路径"   # the rule set decided "no path" and says why (处置依据)
        d["d_grade_final"] = self._text(grade_final)
        by, at = get("override_by"), fmt_date(get("override_at"))
        d["d_review_by"] = " / ".join(str(v) for v in (by, at) if v) or nd
        reasons = [str(v) for v in (get("override_reason"), get("disposal_override_reason")) if v]
        raw["override_reason"] = get("override_reason")
        raw["disposal_override_reason"] = get("disposal_override_reason")
        d["d_review"] = "；".join(reasons) if reasons else nd
        standard = get("standard")
        raw["standard"] = standard
        described = describe_standards(standard)
        d["d_standard"] = "＋".join(name for name, _ in described) if described else self._text(standard)
        sources = []
        if raw["source"]:
            sources.append("一张图：{}".format(raw["source"]))
        if self.enterprise_layer is not None:
            sources.append("企业数据：{}（{}年度）".format(self.enterprise_layer.name(), self.year))
        if standard:
            provs = [prov for _, prov in described if prov]
            sources.extend(("评价标准" + prov) for prov in provs) if provs else sources.append("评价标准：{}".format(standard))
        disposal_note = self._disposal_sources(get("disposal_ruleset"), raw["disposal_reason"])
        raw["disposal_assumptions"] = disposal_note[1]
        if disposal_note[0]:
            sources.append(disposal_note[0])
        if disposal_note[1]:  # the path rests on assumptions: their text under the reason, where the path is read
            d["d_disposal_reason"] = "{}\n{}".format(d["d_disposal_reason"], "\n".join(
                break_lines(t) for t in disposal_note[1]))
        if self.sources_note:
            sources.append(self.sources_note)
        d["d_sources"] = "；".join(sources) or nd
        d["d_print_date"] = self.print_date
        # enterprises of the year
        for n, row in enumerate(enterprises, 1):
            disp = {"seq": str(n), "enterprise_name": self._text(row.get("enterprise_name")),
                    "credit_code": row.get("credit_code") or "—"}
            for key, std, dec in (("d_tax", "tax_10k", 2), ("d_output", "output_10k", 2), ("d_employees", "employees", 0)):
                disp[key] = fmt_number(row.get(std), dec) or "—"
            share = row.get("share")
            try:
                disp["d_share"] = "—" if share is None else "{:.0f}%".format(float(share) * 100)
            except (TypeError, ValueError):
                disp["d_share"] = str(share)
            row = dict(row)
            row["_display"] = disp
            sheet.enterprises.append(row)
        sheet.indicators = self._indicator_rows(feature)

    def _disposal_sources(self, ruleset_id, reason):
        """("处置规则：… ；假设N：…", [assumption texts]) for the data-sources line: the rule set that
        proposed the path, its source, and the assumptions the parcel's path rests on (（假设N） in its reason)."""
        ruleset_id = _values.to_text(ruleset_id)
        if ruleset_id is None:
            return "", []
        cache = self.__dict__.setdefault("_rulesets", {})
        if ruleset_id not in cache:
            from .disposal import DisposalError, load_ruleset

            try:
                cache[ruleset_id] = load_ruleset(ruleset_id)
            except DisposalError:
                cache[ruleset_id] = None
        rs = cache[ruleset_id]
        if rs is None:
            return "处置规则：{}".format(ruleset_id), []
        numbers = [n for n in dict.fromkeys(int(n) for n in re.findall(r"（假设(\d+)）", str(reason or "")))
                   if 0 < n <= len(rs.assumptions)]
        texts = ["假设{}：{}".format(n, rs.assumptions[n - 1]) for n in numbers]
        # the footer has room for two lines: the set, its assumption count and the ones this path rests on
        # (their full text is printed under 处置依据; the workbook's sources cell carries it too)
        head = "处置规则：{}（{} 条假设".format(rs.name.split("：")[0], len(rs.assumptions))
        if numbers:
            head += "，本宗路径依据假设{}，全文见处置依据）".format("、".join(str(n) for n in numbers))
        elif rs.assumptions:
            head += "，本宗路径未用）"
        else:
            head += "）"
        return head, texts

    def _indicator_rows(self, feature):
        """Indicators of the year and the two before, with benchmark, weight and item score."""
        detail = parse_score_detail(self._get(feature, "score_detail"))
        names = [i.get("indicator") for i in detail if i.get("indicator")]
        if not names:  # no score detail: the indicators the layer carries
            names = [n for n in indicators.formulas() if self.has(n) and self._get(feature, n) is not None]
        # values of the two years before: the layer's _y1/_y2 fields, else from raw values
        values = {}
        for f in feature.fields():
            values[f.name()] = plain(feature[f.name()])
        std_values = {std: values.get(col) for std, col in self.lookup.items()}
        computed = indicators.compute(dict(std_values, area_m2=std_values.get("area_m2")))
        rows = []
        by_name = {i.get("indicator"): i for i in detail}
        for name in names:
            item = by_name.get(name, {})
            row = {"indicator": name}
            for key, suffix in (("v0", ""), ("v1", "_y1"), ("v2", "_y2")):
                value = std_values.get(name + suffix)
                if value is None:
                    value = computed.get(name + suffix)
                if key == "v0" and item.get("value") is not None:
                    value = item.get("value")
                row[key] = value
            for key in ("benchmark", "weight", "score", "note"):
                row[key] = item.get(key)
            ratio = name == "rnd_ratio"
            fmt = (lambda v: None if v is None else "{:.2f}%".format(float(v) * 100)) if ratio else (
                lambda v: fmt_number(v, 2))
            row["name"] = schema.alias(name) if name in schema.fields() else str(name)
            row["_display"] = {
                "name": row["name"], "v0": fmt(row["v0"]) or "—", "v1": fmt(row["v1"]) or "—",
                "v2": fmt(row["v2"]) or "—", "benchmark": fmt(row["benchmark"]) or "—",
                "weight": fmt_number(row["weight"], 0) if row["weight"] is not None else "—",
                "score": fmt_number(row["score"], 2) or "—", "note": str(row["note"] or ""),
            }
            rows.append(row)
        return rows

    def _child_layer(self, name, columns, rows):
        """A child table in a temporary GeoPackage with an index on parcel_code.

        The sheet's tables fetch their rows by parcel through that index, so the cost per
        sheet does not grow with the number of parcels printed.
        """
        import sqlite3

        from qgis.core import QgsFeature, QgsField, QgsVectorLayer

        mem = QgsVectorLayer("None", name, "memory")
        mem.dataProvider().addAttributes([QgsField(c, t) for c, t in columns])
        mem.updateFields()
        feats = []
        for code, disp in rows:
            f = QgsFeature(mem.fields())
            f.setAttributes([code] + [disp.get(c) for c, _ in columns[1:]])
            feats.append(f)
        mem.dataProvider().addFeatures(feats)
        if self.tmpdir is None:
            self.tmpdir = tempfile.mkdtemp(prefix="landeval-sheets-")
        path = os.path.join(self.tmpdir, name + ".gpkg")
        from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

        opts = QgsVectorFileWriter.SaveVectorOptions()
        opts.driverName = "GPKG"
        opts.layerName = name
        write = getattr(QgsVectorFileWriter, "writeAsVectorFormatV3", None) or QgsVectorFileWriter.writeAsVectorFormatV2
        result = write(mem, path, QgsCoordinateTransformContext(), opts)
        if result[0] != QgsVectorFileWriter.NoError:
            return mem
        con = sqlite3.connect(path)
        try:
            def qi(identifier):  # quoted, inner quotes doubled
                return '"{}"'.format(identifier.replace('"', '""'))

            con.execute('CREATE INDEX {} ON {} ("parcel_code")'.format(qi("idx_{}_code".format(name)), qi(name)))
            con.commit()
        finally:
            con.close()
        layer = QgsVectorLayer("{}|layername={}".format(path, name), name, "ogr")
        return layer if layer.isValid() else mem

    def close(self):
        """Remove the temporary child tables."""
        self.enterprise_table = self.indicator_table = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __len__(self):
        return len(self.sheets)


# ---------------------------------------------------------------------------- template
def default_template():
    return paths.resource("layouts", TEMPLATE_DEFAULT)


def check_template(path):
    """Raise DossierError naming ``path`` when it is missing or not a layout template."""
    from qgis.PyQt.QtXml import QDomDocument

    if not path or not os.path.isfile(path):
        raise DossierError(tr("Layout template not found: {}").format(path))
    with open(path, "rb") as fh:
        data = fh.read()
    doc = QDomDocument()
    ok = compat.dom_set_content(doc, data)
    if not ok or doc.documentElement().tagName() != "Layout":
        raise DossierError(tr("Not a QGIS layout template (.qpt): {}").format(path))
    return doc


def load_template(path, project):
    """A QgsPrintLayout from the .qpt ``path`` in ``project``; errors name the file."""
    from qgis.core import QgsPrintLayout, QgsReadWriteContext

    doc = check_template(path)
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    result = layout.loadFromTemplate(doc, QgsReadWriteContext(), True)
    ok = result[1] if isinstance(result, tuple) else result
    if not ok or layout.pageCollection().pageCount() == 0:
        raise DossierError(tr("The layout template could not be read: {}").format(path))
    return layout


# ---------------------------------------------------------------------------- styles
def grade_renderer(fields):
    """Categorized renderer on coalesce("grade_final","grade") in the grade colours."""
    from qgis.core import QgsCategorizedSymbolRenderer, QgsFillSymbol, QgsRendererCategory

    names = fields.names()
    if "grade_final" in names and "grade" in names:
        expr = 'coalesce("grade_final", "grade")'
    elif "grade" in names:
        expr = '"grade"'
    elif "grade_final" in names:
        expr = '"grade_final"'
    else:
        expr = "''"
    categories = []
    vocab = vocabulary()
    for letter, colour in grade_colours().items():
        sym = QgsFillSymbol.createSimple({"color": colour, "outline_color": "#ffffff", "outline_width": "0.15"})
        sym.setOpacity(0.85)
        categories.append(QgsRendererCategory(letter, sym, "{} {}".format(letter, vocab["grades"][letter]["name"])))
    other = QgsFillSymbol.createSimple({"color": vocab["no_grade_colour"], "outline_color": "#ffffff",
                                        "outline_width": "0.15"})
    categories.append(QgsRendererCategory(None, other, vocab["no_data"]))
    return QgsCategorizedSymbolRenderer(expr, categories)


def highlight_renderer():
    """Only the atlas parcel, outlined: thick yellow halo under a dark red line."""
    from qgis.core import QgsFillSymbol, QgsRuleBasedRenderer, QgsSimpleLineSymbolLayer

    sym = QgsFillSymbol.createSimple({"color": "255,255,255,0", "outline_color": "#ffd400", "outline_width": "1.1"})
    inner = QgsSimpleLineSymbolLayer.create({"line_color": "#b00000", "line_width": "0.35"})
    sym.appendSymbolLayer(inner)
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "$id = @atlas_featureid", "本宗地"))
    return QgsRuleBasedRenderer(root)


def cluster_renderer():
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    return QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
        {"color": "123,44,191,25", "outline_color": "#7b2cbf", "outline_width": "0.5", "outline_style": "dash"}))


# ---------------------------------------------------------------------------- printing
class _RelayFeedback:
    """Maps a sub-task's 0–100 progress into [start, end] of the caller's feedback."""

    def __init__(self, feedback, start, end):
        self.feedback, self.start, self.end = feedback, start, end

    def set(self, fraction):
        if self.feedback is not None:
            self.feedback.setProgress(self.start + (self.end - self.start) * max(0.0, min(1.0, fraction)))

    def canceled(self):
        return self.feedback is not None and self.feedback.isCanceled()

    def warn(self, text):
        if self.feedback is not None and hasattr(self.feedback, "pushWarning"):
            self.feedback.pushWarning(text)


def _fit_extent(extent, item):
    """``extent`` grown to the map item's aspect ratio, centred (setExtent would distort)."""
    from qgis.core import QgsRectangle

    rect = item.rect()
    if rect.height() <= 0 or extent.height() <= 0:
        return QgsRectangle(extent)
    aspect = rect.width() / rect.height()
    w, h = extent.width(), extent.height()
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    c = extent.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


class DossierPrinter:
    """The template bound to a SheetData; prints sheets to PDFs or images.

    ``neighbours``: the full parcel layer (all parcels, not only those printed) so the
    location map shows every neighbour styled by grade; defaults to the printed ones.
    """

    def __init__(self, data, template=None, neighbours=None, font_family=None, dpi=200):
        from qgis.core import QgsProject

        from . import fonts

        self.data = data
        self.template = template or default_template()
        self.dpi = dpi
        self.font_family = font_family or fonts.resolve_cjk_family()
        if self.font_family is None:
            raise DossierError(tr("No Chinese font is installed, sheets would print as boxes. Install {} "
                                   "and restart QGIS.").format(fonts.INSTALL_HINT))
        self.project = QgsProject()
        self.project.setCrs(data.crs)
        self._tmp = tempfile.mkdtemp(prefix="landeval-dossier-")
        self.neighbours = self._neighbour_layer(neighbours)
        self.highlight = data.coverage
        self.highlight.setRenderer(highlight_renderer())
        self.cluster_layer = None
        if data.clusters is not None:
            self.cluster_layer = data.clusters.clone() if data.clusters.providerType() != "memory" else \
                data.clusters.materialize(__import__("qgis.core", fromlist=["QgsFeatureRequest"]).QgsFeatureRequest())
            self.cluster_layer.setRenderer(cluster_renderer())
        layers = [data.coverage, self.neighbours, data.enterprise_table, data.indicator_table]
        if self.cluster_layer is not None:
            layers.append(self.cluster_layer)
        self.project.addMapLayers(layers, False)
        self.overview_layer = self._overview_cache()
        if self.overview_layer is not None:
            self.project.addMapLayer(self.overview_layer, False)
        self.layout = load_template(self.template, self.project)
        self._bind()
        fonts.apply_family(self.layout, self.font_family)

    # -- set-up ----------------------------------------------------------------------
    def _neighbour_layer(self, layer):
        from qgis.core import QgsFeatureRequest

        if layer is None:
            copy = self.data.coverage.materialize(QgsFeatureRequest())
        elif layer.providerType() == "memory":
            copy = layer.materialize(QgsFeatureRequest())
        else:
            copy = layer.clone()
            copy.setSubsetString(layer.subsetString())
        copy.setName("dossier_neighbours")
        copy.setRenderer(grade_renderer(copy.fields()))
        return copy

    VECTOR_OVERVIEW_LIMIT = 20000

    def _overview_cache(self):
        """The district by grade, prepared once: a few dissolved, simplified polygons.

        Drawing the whole parcel layer in the small overview of every sheet would cost more
        than the sheet itself; one polygon per grade costs almost nothing. Very large
        districts (where dissolving is slow) get a georeferenced image instead.
        """
        if self.neighbours.featureCount() <= self.VECTOR_OVERVIEW_LIMIT:
            layer = self._overview_vector()
            if layer is not None:
                return layer
        return self._overview_image()

    def _overview_vector(self):
        from qgis.core import (QgsExpression, QgsExpressionContext, QgsExpressionContextUtils, QgsFeature,
                               QgsFeatureRequest, QgsField, QgsGeometry, QgsRectangle, QgsVectorLayer)
        from qgis.PyQt.QtCore import QVariant

        extent = QgsRectangle(self.neighbours.extent())
        if extent.isEmpty() or extent.width() <= 0 or extent.height() <= 0:
            return None
        tolerance = max(extent.width(), extent.height()) / 800.0
        expression = QgsExpression(self.neighbours.renderer().classAttribute())
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.layerScope(self.neighbours))
        groups = {}
        for feature in self.neighbours.getFeatures(QgsFeatureRequest()):
            geom = feature.geometry()
            if geom is None or geom.isEmpty():
                continue
            context.setFeature(feature)
            value = expression.evaluate(context)
            key = "" if is_missing(value) else str(value).strip().upper()[:1]
            groups.setdefault(key, []).append(geom)
        layer = QgsVectorLayer("MultiPolygon?crs={}".format(self.data.crs.authid()), "dossier_overview", "memory")
        if not self.data.crs.authid():
            layer.setCrs(self.data.crs)
        layer.dataProvider().addAttributes([QgsField("grade", QVariant.Type.String)])
        layer.updateFields()
        feats = []
        for key, geoms in groups.items():
            union = QgsGeometry.unaryUnion(geoms)
            if union is None or union.isEmpty():  # an invalid parcel makes GEOS give up: repair, then retry
                union = QgsGeometry.unaryUnion([g.makeValid() for g in geoms])
            if union is None or union.isEmpty():
                union = QgsGeometry.unaryUnion([g.buffer(tolerance / 2, 1) for g in geoms])
            if union is None or union.isEmpty():
                continue
            simple = union.simplify(tolerance)
            f = QgsFeature(layer.fields())
            f.setGeometry(simple if simple is not None and not simple.isEmpty() else union)
            f.setAttributes([key])
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        layer.setRenderer(grade_renderer(layer.fields()))
        if self.cluster_layer is not None:
            extent.combineExtentWith(self.cluster_layer.extent())
        extent.scale(1.05)
        self.overview_extent = extent
        return layer

    def _overview_image(self):
        """The district, styled by grade, rendered once to a georeferenced image."""
        from qgis.core import QgsMapRendererCustomPainterJob, QgsMapSettings, QgsRasterLayer, QgsRectangle
        from qgis.PyQt.QtCore import QSize
        from qgis.PyQt.QtGui import QColor, QImage, QPainter

        extent = QgsRectangle(self.neighbours.extent())
        if self.cluster_layer is not None:
            extent.combineExtentWith(self.cluster_layer.extent())
        if extent.isEmpty() or extent.width() <= 0 or extent.height() <= 0:
            return None
        extent.scale(1.05)
        width = 900
        height = max(1, int(round(width * extent.height() / extent.width())))
        if height > 1800:
            height, width = 1800, max(1, int(round(1800 * extent.width() / extent.height())))
        settings = QgsMapSettings()
        settings.setDestinationCrs(self.data.crs)
        settings.setOutputSize(QSize(width, height))
        settings.setExtent(extent)
        settings.setBackgroundColor(QColor("#ffffff"))
        settings.setLayers([l for l in (self.cluster_layer, self.neighbours) if l is not None])
        image = QImage(QSize(width, height), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        job = QgsMapRendererCustomPainterJob(settings, painter)
        job.renderSynchronously()
        painter.end()
        extent = settings.visibleExtent()
        path = os.path.join(self._tmp, "overview.png")
        image.save(path, "PNG")
        px, py = extent.width() / image.width(), extent.height() / image.height()
        with open(os.path.join(self._tmp, "overview.pgw"), "w") as fh:
            fh.write("{}\n0\n0\n{}\n{}\n{}\n".format(px, -py, extent.xMinimum() + px / 2, extent.yMaximum() - py / 2))
        layer = QgsRasterLayer(path, "dossier_overview", "gdal")
        if not layer.isValid():
            return None
        layer.setCrs(self.data.crs)
        self.overview_extent = extent
        return layer

    def _bind(self):
        from qgis.core import (QgsExpression, QgsExpressionContext, QgsExpressionContextUtils,
                               QgsLayoutItemAttributeTable, QgsLayoutItemMap, QgsRelation,
                               QgsRelationContext)

        layout = self.layout
        context = QgsExpressionContext()
        context.appendScope(QgsExpressionContextUtils.layerScope(self.data.coverage))
        first = next(self.data.coverage.getFeatures(), None)
        if first is not None:
            context.setFeature(first)
        atlas = layout.atlas()
        atlas.setCoverageLayer(self.data.coverage)
        atlas.setEnabled(True)
        atlas.setHideCoverage(False)
        atlas.setFilenameExpression('"d_file"')
        atlas.setPageNameExpression('"d_code"')
        atlas.setSortFeatures(False)
        maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        main = layout.itemById("location_map") or next((m for m in maps if m.atlasDriven()), None)
        over = layout.itemById("overview_map")
        if main is None:
            raise DossierError(tr("The template has no atlas-driven map (item id location_map): {}").format(self.template))
        main.setCrs(self.data.crs)
        # the atlas keeps the ratio of the map's current extent and setExtent() resizes the item
        # to it: start from an extent with the item's own ratio so the frame never changes size
        start = self.data.coverage.extent()
        if start.isEmpty():
            from qgis.core import QgsRectangle

            start = QgsRectangle(0, 0, main.rect().width(), main.rect().height())
        main.setExtent(_fit_extent(start, main))
        main.setLayers([l for l in (self.highlight, self.cluster_layer, self.neighbours) if l is not None])
        main.setKeepLayerSet(True)
        main.setAtlasDriven(True)
        self.main_map = main
        if over is not None:
            over.setCrs(self.data.crs)
            if self.overview_layer is not None:
                from qgis.core import QgsVectorLayer

                vector = isinstance(self.overview_layer, QgsVectorLayer)
                over.setLayers([l for l in (self.cluster_layer if vector else None, self.overview_layer) if l is not None])
                over.setExtent(_fit_extent(self.overview_extent, over))
            else:
                over.setLayers([self.neighbours])
                over.setExtent(_fit_extent(self.neighbours.extent(), over))
            over.setKeepLayerSet(True)
        for frame in layout.multiFrames():
            if not isinstance(frame, QgsLayoutItemAttributeTable):
                continue
            attrs = " ".join(c.attribute() for c in frame.columns())
            if "enterprise_name" in attrs:
                layer = self.data.enterprise_table
            elif "benchmark" in attrs or "\"v0\"" in attrs:
                layer = self.data.indicator_table
            else:
                continue
            columns = list(frame.columns())
            frame.setVectorLayer(layer)
            # rows of the atlas parcel through a relation: the request filters on a literal
            # code (indexed), where a filter expression would scan every row for every sheet
            relation = QgsRelation(QgsRelationContext(self.project))
            relation.setId("dossier_rel_" + layer.name())
            relation.setName(layer.name())
            relation.setReferencingLayer(layer.id())
            relation.setReferencedLayer(self.data.coverage.id())
            relation.addFieldPair("parcel_code", "parcel_code")
            if relation.isValid():
                self.project.relationManager().addRelation(relation)
                frame.setRelationId(relation.id())
                frame.setSource(QgsLayoutItemAttributeTable.RelationChildren)
                frame.setFilterFeatures(False)
            for col in columns:  # headings may hold expressions such as [% "d_year" - 1 %]年
                if "[%" in col.heading():
                    col.setHeading(QgsExpression.replaceExpressionText(col.heading(), context))
            frame.setColumns(columns)
            frame.setEmptyTableMessage(self.data.no_data)
            frame.refresh()
            if layer is self.data.enterprise_table:
                self.enterprise_frame = frame
        self._add_continuation_pages()

    def _add_continuation_pages(self):
        """Enough 续页 for the longest enterprise list; unused ones are hidden per parcel."""
        from qgis.core import (QgsLayoutFrame, QgsLayoutItemLabel, QgsLayoutItemPage, QgsLayoutPoint,
                               QgsLayoutSize)

        table = getattr(self, "enterprise_frame", None)
        counts = [len(s.enterprises) for s in self.data.sheets]
        if table is None or not counts or max(counts) == 0 or table.frameCount() == 0:
            return
        biggest = counts.index(max(counts))
        atlas = self.layout.atlas()
        atlas.beginRender()
        try:
            atlas.seekTo(biggest)
            table.refreshAttributes()
            rows = max(counts)
            row_h = table.totalSize().height() / float(rows + 1)
            if row_h <= 0:
                return

            def capacity(frame):
                return max(0, int((frame.rect().height() - row_h) / row_h) - 1)

            frames = [table.frame(i) for i in range(table.frameCount())]
            cap = sum(capacity(f) for f in frames)
            last = frames[-1]
            pages = self.layout.pageCollection()
            added = 0
            while cap < rows and added < 200:
                page = QgsLayoutItemPage(self.layout)
                page.setPageSize(pages.page(pages.pageCount() - 1).pageSize())
                pages.addPage(page)
                number = pages.pageCount() - 1
                pos = last.pagePositionWithUnits()
                frame = QgsLayoutFrame(self.layout, table)
                frame.attemptResize(last.sizeWithUnits())
                frame.attemptMove(QgsLayoutPoint(pos.x(), pos.y(), pos.units()), page=number)
                frame.setHidePageIfEmpty(True)
                table.addFrame(frame)
                note = QgsLayoutItemLabel(self.layout)
                note.setText('附表　用地企业名单（续）　宗地代码：[% "d_code" %]')
                self.layout.addLayoutItem(note)
                note.attemptMove(QgsLayoutPoint(pos.x(), max(5.0, pos.y() - 10.0)), page=number)
                note.attemptResize(QgsLayoutSize(last.sizeWithUnits().width(), 7))
                cap += capacity(frame)
                added += 1
            table.recalculateFrameSizes()
        finally:
            atlas.endRender()

    # -- export ----------------------------------------------------------------------
    def pdf_settings(self):
        from qgis.core import QgsLayoutExporter, QgsRenderContext

        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = self.dpi
        settings.rasterizeWholeImage = False
        settings.forceVectorOutput = False
        settings.appendGeoreference = False
        settings.exportMetadata = False
        settings.simplifyGeometries = True
        settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
        return settings

    def exported_pages(self):
        pages = self.layout.pageCollection()
        return sum(1 for p in range(pages.pageCount()) if pages.shouldExportPage(p))

    def print_folder(self, folder, feedback=None, start=0, end=100, publication=None):
        """One PDF per parcel in ``folder`` (name from parcel_code); returns [(code, path, pages)].

        The PDFs are written into a hidden staging folder inside ``folder`` and checked; with a
        ``publication`` they are only registered there (the caller publishes every output of
        the run together), else they are moved into place here. None when cancelled.
        """
        from qgis.core import QgsLayoutExporter

        relay = _RelayFeedback(feedback, start, end)
        own = publication is None
        publication = publication or Publication()
        os.makedirs(folder, exist_ok=True)
        stage = tempfile.mkdtemp(prefix=".landeval-dossiers-", dir=folder)
        publication.temporary(stage)
        atlas = self.layout.atlas()
        written = []
        try:
            atlas.beginRender()
            settings = self.pdf_settings()
            total = len(self.data.sheets)
            for i in range(total):
                if relay.canceled():
                    return None
                atlas.seekTo(i)
                sheet = self.data.sheets[i]
                tmp = os.path.join(stage, sheet.display["d_file"] + ".pdf")
                target = os.path.join(folder, os.path.basename(tmp))
                result = QgsLayoutExporter(self.layout).exportToPdf(tmp, settings)
                if relay.canceled():
                    return None
                check_pdf_export(result, tmp, target, tr("the sheet of parcel {}").format(sheet.code))
                written.append((sheet.code, tmp, self.exported_pages()))
                relay.set((i + 1) / float(max(total, 1)))
            atlas.endRender()
            final = []
            for code, tmp, pages in written:
                target = os.path.join(folder, os.path.basename(tmp))
                publication.add(tmp, target)
                final.append((code, target, pages))
            if own:
                publication.commit()
            return final
        finally:
            if atlas.enabled():
                atlas.endRender()
            if own:
                publication.discard()

    def print_combined(self, pdf_path, feedback=None, start=0, end=100, publication=None):
        """All sheets in one PDF with a bookmark per parcel; returns [(code, first page, pages)].

        Written to a hidden temporary file beside ``pdf_path`` and checked; published here, or
        registered in ``publication`` for the caller to publish. None when cancelled.
        """
        from qgis.core import QgsFeedback, QgsLayoutExporter

        relay = _RelayFeedback(feedback, start, end)
        own = publication is None
        publication = publication or Publication()
        folder = os.path.dirname(os.path.abspath(pdf_path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".landeval-", suffix=".pdf", dir=folder)
        os.close(fd)
        publication.temporary(tmp)
        atlas = self.layout.atlas()
        pages = []

        def on_feature(*_):
            pages.append(self.exported_pages())

        inner = QgsFeedback()
        if feedback is not None:
            feedback.canceled.connect(inner.cancel) if hasattr(feedback, "canceled") else None
            inner.progressChanged.connect(lambda p: relay.set(p / 100.0))
        atlas.featureChanged.connect(on_feature)
        try:
            result = QgsLayoutExporter.exportToPdf(atlas, tmp, self.pdf_settings(), inner)
            code = result[0] if isinstance(result, tuple) else result
            if relay.canceled() or code == QgsLayoutExporter.Canceled:
                return None
            check_pdf_export(code, tmp, pdf_path, tr("the combined PDF"))
            index, first = [], 0
            for sheet, count in zip(self.data.sheets, pages):
                index.append((sheet.code, first, count))
                first += count
            try:
                add_pdf_outline(tmp, [("{}  {}".format(s.code, s.display.get("d_owner", "")), first)
                                      for (code, first, _), s in zip(index, self.data.sheets)],
                                title=self.data.sheets[0].display["d_title"] if self.data.sheets else "")
            except OSError as exc:
                raise DossierError(tr("Cannot write the PDF {}: {}").format(
                    pdf_path, write_failure_reason(tmp, exc)))
            reason = pdf_problem(tmp)
            if reason:
                raise DossierError(tr("Cannot write the PDF {}: {}").format(pdf_path, write_failure_reason(tmp, reason)))
            publication.add(tmp, pdf_path)
            if own:
                publication.commit()
            return index
        finally:
            atlas.featureChanged.disconnect(on_feature)
            if own:
                publication.discard()

    def render_images(self, index, dpi=110):
        """QImages of the pages of sheet ``index`` (preview in the map tool)."""
        from qgis.core import QgsLayoutExporter

        atlas = self.layout.atlas()
        atlas.beginRender()
        try:
            atlas.seekTo(index)
            exporter = QgsLayoutExporter(self.layout)
            pages = self.layout.pageCollection()
            return [exporter.renderPageToImage(p, dpi=dpi) for p in range(pages.pageCount()) if pages.shouldExportPage(p)]
        finally:
            atlas.endRender()

    def close(self):
        """Release the layout and the private project; the SheetData's layers stay usable."""
        if self.project is None:
            return
        self.layout = None
        for layer in (self.data.coverage, self.data.enterprise_table, self.data.indicator_table):
            if layer is not None and self.project.mapLayer(layer.id()) is not None:
                self.project.takeMapLayer(layer)  # ownership back to the SheetData
        self.project.removeAllMapLayers()
        self.project = None
        self.overview_layer = None
        shutil.rmtree(self._tmp, ignore_errors=True)


# ---------------------------------------------------------------------------- workbook
def write_workbook(data, path, feedback=None, start=0, end=100, publication=None):
    """The same 体检表 as a workbook, one printable sheet per parcel; temp then move (or, with a
    ``publication``, registered there for the caller to publish). Every text from the data is
    stored as text (core/xlsx_text.py); cleaned cells are reported as a warning."""
    try:
        import openpyxl
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    except ImportError:
        raise DossierError(tr("Writing the workbook needs the Python package openpyxl (pip install openpyxl)."))
    from .safe_names import sheet_title
    from .xlsx_text import TextLog, header_footer, write_text

    relay = _RelayFeedback(feedback, start, end)
    log = TextLog()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="3C3C3C")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    key_fill = PatternFill("solid", fgColor="EDF1F7")
    sec_fill = PatternFill("solid", fgColor="1F3B63")
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    taken = []
    # index sheet first: one row per parcel
    index = wb.create_sheet("目录")
    index.append(["宗地代码", "权利人", "所属镇街", "评价类别", "综合得分", "建议处置路径", "工作表"])
    for c in index[1]:
        c.font = Font(bold=True)
        c.fill = key_fill
        c.border = border
    taken.append("目录")
    total = len(data.sheets)
    for n, sheet in enumerate(data.sheets):
        if relay.canceled():
            return None
        d, raw = sheet.display, sheet.raw
        title = sheet_title(sheet.code, taken)
        ws = wb.create_sheet(title)
        where = "{} {}".format(tr("parcel"), sheet.code)
        r_index = index.max_row + 1
        for c, (head, value) in enumerate(zip(
                ("宗地代码", "权利人", "所属镇街", "评价类别", "综合得分", "建议处置路径", "工作表"),
                (sheet.code, raw.get("owner"), raw.get("town"), raw.get("grade_effective"), raw.get("score"),
                 raw.get("disposal"), title)), 1):
            write_text(index, r_index, c, value, log, "目录 {} {}".format(where, head))
        for col, width in zip("ABCDEFGH", (16, 14, 14, 14, 14, 12, 12, 18)):
            ws.column_dimensions[col].width = width
        row = [1]

        def merged(text, cols=8, font=None, fill=None, height=None, align=wrap):
            r = row[0]
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=cols)
            cell = write_text(ws, r, 1, text, log, where)
            cell.alignment = align
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if height:
                ws.row_dimensions[r].height = height
            row[0] += 1
            return cell

        def section(text):
            merged(text, font=Font(bold=True, color="FFFFFF"), fill=sec_fill, height=18)

        def pairs(items):
            """items: [(key, value, span)] laid out on one row across 8 columns."""
            r, c = row[0], 1
            for key, value, span in items:
                k = ws.cell(r, c, key)
                k.font, k.fill, k.border, k.alignment = Font(bold=True), key_fill, border, center
                v = write_text(ws, r, c + 1, value, log, "{} {}".format(where, key))
                v.border, v.alignment = border, wrap
                if span > 1:
                    ws.merge_cells(start_row=r, start_column=c + 1, end_row=r, end_column=c + span)
                for cc in range(c + 1, c + span + 1):
                    ws.cell(r, cc).border = border
                c += span + 1
            ws.row_dimensions[r].height = 20
            row[0] += 1

        merged(d["d_title"], font=Font(bold=True, size=16), align=center, height=30)
        merged("评价标准：{}　打印日期：{}".format(d["d_standard"], d["d_print_date"]), align=center)
        section("一、宗地基本信息")
        pairs([("宗地代码", sheet.code, 3), ("评价类别", d["d_class"], 3)])
        pairs([("权利人", d["d_owner"], 3), ("所属镇街", d["d_town"], 3)])
        pairs([("坐落", d["d_address"], 7)])
        pairs([("面积(平方米)", raw.get("area_m2"), 1), ("面积(亩)", raw.get("area_mu"), 1),
               ("面积(公顷)", raw.get("area_ha"), 1), ("供地日期", d["d_supply_date"], 1)])
        for r_cells in ws.iter_rows(min_row=row[0] - 1, max_row=row[0] - 1):
            for cell, fmt in zip(r_cells, (None, "#,##0.00", None, "#,##0.00", None, "#,##0.0000")):
                if fmt:
                    cell.number_format = fmt
        pairs([("用地类别", d["d_land_use"], 3), ("数据来源", d["d_source"], 3)])
        pairs([("开发边界", d["d_devbound"], 3), ("工业保障线", d["d_indline"], 3)])
        pairs([("连片编号", d["d_cluster"], 7)])
        section("二、用地企业（{}年度）".format(data.year))
        header = ["序号", "企业名称", "统一社会信用代码", "税收(万元)", "工业总产值(万元)", "从业人数", "用地份额"]
        for c, text in enumerate(header, 1):
            cell = ws.cell(row[0], c, text)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), key_fill, border, center
        row[0] += 1
        if not sheet.enterprises:
            merged(data.no_data, cols=7, align=center)
        for i, e in enumerate(sheet.enterprises, 1):
            values = [i, e.get("enterprise_name"), e.get("credit_code"), e.get("tax_10k"), e.get("output_10k"),
                      e.get("employees"), e.get("share")]
            for c, v in enumerate(values, 1):
                cell = write_text(ws, row[0], c, v, log, "{} {}".format(where, header[c - 1]))
                cell.border = border
                if c in (4, 5):
                    cell.number_format = "#,##0.00"
                elif c == 7:
                    cell.number_format = "0%"
            row[0] += 1
        section("三、评价指标（{}年度及前两年）".format(data.year))
        header = ["评价指标", str(data.year), str(data.year - 1), str(data.year - 2), "基准值", "权重", "得分", "备注"]
        for c, text in enumerate(header, 1):
            cell = ws.cell(row[0], c, text)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), key_fill, border, center
        row[0] += 1
        if not sheet.indicators:
            merged(data.no_data, align=center)
        for ind in sheet.indicators:
            values = [ind["name"], ind["v0"], ind["v1"], ind["v2"], ind["benchmark"], ind["weight"], ind["score"],
                      ind["note"]]
            for c, v in enumerate(values, 1):
                v = plain(v)
                cell = write_text(ws, row[0], c, v, log, "{} {}".format(where, header[c - 1]))
                cell.border = border
                if 2 <= c <= 7 and v is not None:
                    cell.number_format = "0.00%" if ind["indicator"] == "rnd_ratio" and c <= 5 else "#,##0.00"
            row[0] += 1
        section("四、评价结果")
        pairs([("综合得分", raw.get("score"), 1), ("排名", raw.get("rank"), 1), ("评价类别", d["d_class"], 3)])
        pairs([("评价依据", d["d_reasons"], 7)])
        pairs([("否决事项", d["d_veto"], 7)])
        pairs([("低效类型", d["d_tags"], 7)])
        section("五、处置路径与研判")
        pairs([("建议路径", d["d_disposal"], 3), ("研判路径", d["d_disposal_final"], 3)])
        pairs([("处置依据", d["d_disposal_reason"], 7)])
        pairs([("研判类别", d["d_grade_final"], 3), ("研判人/时间", d["d_review_by"], 3)])
        pairs([("研判理由", d["d_review"], 7)])
        section("六、审核签署")
        r = row[0]
        for c0, head in ((1, "填报单位"), (4, "核查单位"), (7, "审核意见")):
            span = 3 if c0 < 7 else 2
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + span - 1)
            cell = ws.cell(r, c0, head)
            cell.font, cell.fill, cell.alignment = Font(bold=True), key_fill, center
            ws.merge_cells(start_row=r + 1, start_column=c0, end_row=r + 4, end_column=c0 + span - 1)
            body = ws.cell(r + 1, c0, "（盖章）\n经办人：\n　　年　月　日")
            body.alignment = Alignment(vertical="bottom", wrap_text=True)
            for rr in range(r, r + 5):
                for cc in range(c0, c0 + span):
                    ws.cell(rr, cc).border = border
        row[0] = r + 5
        merged("数据来源：{}".format(d["d_sources"]), font=Font(size=8, color="555555"))
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "宗地代码 {} 第 &P 页".format(header_footer(sheet.code, log, where))
        relay.set((n + 1) / float(max(total, 1)))
    index.column_dimensions["A"].width = 24
    index.column_dimensions["B"].width = 30
    if log:
        relay.warn(tr("Workbook {}: text cleaned in {} cells: {}").format(path, len(log), log.summary()))
    own = publication is None
    publication = publication or Publication()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".landeval-", suffix=".xlsx", dir=folder)
    os.close(fd)
    publication.temporary(tmp)
    try:
        try:
            from .interrupt import raising

            with raising():  # half a minute for thousands of sheets, with no cancel check inside
                wb.save(tmp)
        except OSError as exc:
            raise DossierError(tr("Cannot write the workbook {}: {}").format(path, write_failure_reason(tmp, exc)))
        import zipfile

        if not zipfile.is_zipfile(tmp):
            raise DossierError(tr("Cannot write the workbook {}: {}").format(
                path, write_failure_reason(tmp, tr("the file is incomplete"))))
        publication.add(tmp, path)
        if own:
            publication.commit()
    finally:
        if own:
            publication.discard()
    return path


class Publication:
    """The outputs of one run, staged beside their targets and moved into place together.

    ``add(staged, target)`` registers a finished file, ``temporary(path)`` a staging file or
    folder to remove at the end. ``commit()`` moves every staged file onto its target (renames
    on the same disk); when one move fails, the files moved before are put back as they were
    (an earlier run's file is restored), so the run publishes all or nothing. ``discard()``
    removes whatever is still staged (always call it, in a finally).
    """

    BACKUP_SUFFIX = ".landeval-previous"

    def __init__(self):
        self.moves = []
        self.temps = []

    def temporary(self, path):
        self.temps.append(path)

    def add(self, staged, target):
        self.moves.append((staged, target))

    def commit(self):
        umask = os.umask(0)
        os.umask(umask)
        done = []
        target = None
        try:
            for staged, target in self.moves:
                os.chmod(staged, 0o666 & ~umask)  # mkstemp makes 0600: normal permissions
                backup = None
                if os.path.lexists(target):
                    if os.path.isdir(target) and not os.path.islink(target):
                        raise IsADirectoryError(21, os.strerror(21))
                    backup = staged + self.BACKUP_SUFFIX
                    os.replace(target, backup)
                try:
                    os.replace(staged, target)
                except OSError:
                    if backup:
                        os.replace(backup, target)
                    raise
                done.append((target, backup))
        except OSError as exc:
            for moved, backup in reversed(done):  # all or nothing: put back what was there
                try:
                    if backup:
                        os.replace(backup, moved)
                    else:
                        os.remove(moved)
                except OSError:
                    pass
            raise DossierError(tr("Cannot replace {} (is it open in another program?): {}").format(
                target, exc.strerror or exc))
        for _, backup in done:
            if backup:
                try:
                    os.remove(backup)
                except OSError:
                    pass
        self.moves = []

    def discard(self):
        for staged, _ in self.moves:
            for path in (staged, staged + self.BACKUP_SUFFIX):
                if os.path.isfile(path):
                    os.remove(path)
        for path in self.temps:
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                try:
                    os.remove(path)
                except OSError:
                    pass
        self.moves = []
        self.temps = []


# ---------------------------------------------------------------------------- checking writes
def pdf_problem(path):
    """Why the file at ``path`` is not a complete PDF (translated), or None when it is one.

    A full disk or a file size limit leaves 0-byte or truncated files behind while the
    exporter still reports success: the file must hold bytes, start with %PDF-, end with the
    %%EOF trailer, and its last startxref must point at a cross-reference table in the file.
    """
    try:
        size = os.path.getsize(path)
        if size == 0:
            return tr("the file is empty (0 bytes)")
        with open(path, "rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 1024))
            tail = fh.read()
            if head != b"%PDF-":
                return tr("the file is not a PDF")
            if b"%%EOF" not in tail:
                return tr("the file is incomplete ({} bytes, no %%EOF trailer)").format(size)
            found = re.findall(rb"startxref\s+(\d+)", tail)
            if not found or int(found[-1]) >= size:
                return tr("the file is damaged (no cross-reference table)")
            fh.seek(int(found[-1]))
            if fh.read(4) != b"xref":
                return tr("the file is damaged (no cross-reference table)")
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def write_failure_reason(path, reason):
    """``reason`` (text or OSError) for a failed write of ``path``, saying so when the disk is full."""
    import errno

    if isinstance(reason, OSError):
        if reason.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return tr("the disk is full")
        if reason.errno == errno.EFBIG:
            return tr("the file is larger than this system allows")
        reason = reason.strerror or str(reason)
    try:
        st = os.statvfs(os.path.dirname(os.path.abspath(path)))
        free = st.f_bavail * st.f_frsize
    except (OSError, AttributeError):  # no statvfs on Windows
        free = None
    if free is not None and free < 1024 * 1024:
        return tr("{}; the disk is full ({} KB free)").format(reason, free // 1024)
    return reason


def check_pdf_export(result, tmp, target, what):
    """Raise DossierError naming ``target`` when the exporter failed or ``tmp`` is no complete PDF."""
    from qgis.core import QgsLayoutExporter

    if result != QgsLayoutExporter.Success:
        names = {getattr(QgsLayoutExporter, n, None): n for n in (
            "FileError", "PrintError", "MemoryError", "SvgLayerError", "IteratorError", "Canceled")}
        reason = tr("the layout exporter reported {}").format(names.get(result, result))
    else:
        reason = pdf_problem(tmp)
    if reason:
        raise DossierError(tr("Cannot write {} to {}: {}").format(what, target, write_failure_reason(tmp, reason)))


def check_writable(folder):
    """Raise DossierError when ``folder`` cannot take new files.

    Nothing is created: a folder that does not exist yet is checked through its nearest
    existing parent, so a check followed by a cancelled run leaves no empty folder behind.
    """
    path = os.path.abspath(folder)
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    try:
        if not os.path.isdir(path):
            raise NotADirectoryError(20, os.strerror(20))
        fd, probe = tempfile.mkstemp(prefix=".landeval-probe-", dir=path)
        os.close(fd)
        os.remove(probe)
    except OSError as exc:
        raise DossierError(tr("Cannot write to the output folder {}: {}").format(folder, exc.strerror or exc))


# ---------------------------------------------------------------------------- PDF bookmarks
def _pdf_text(text):
    """A PDF text string (UTF-16BE with BOM, hex) so Chinese titles show in every viewer."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _read_xref(fh, size):
    """{object number: offset} and the trailer text of a classic-xref PDF (as Qt writes)."""
    fh.seek(max(0, size - 2048))
    tail = fh.read().decode("latin-1")
    start = int(re.findall(r"startxref\s+(\d+)", tail)[-1])
    fh.seek(start)
    text = fh.read(size - start).decode("latin-1")
    if not text.startswith("xref"):
        raise ValueError("not a classic xref table")
    offsets = {}
    lines = text.split("\n")
    i = 1
    while i < len(lines) and not lines[i].startswith("trailer"):
        parts = lines[i].split()
        if len(parts) == 2:
            first, count = int(parts[0]), int(parts[1])
            for k in range(count):
                entry = lines[i + 1 + k].split()
                if entry[2] == "n":
                    offsets[first + k] = int(entry[0])
            i += count + 1
        else:
            i += 1
    trailer = text[text.index("trailer"):]
    return offsets, trailer, start


def _read_object(fh, offset):
    fh.seek(offset)
    chunk = b""
    while b"endobj" not in chunk:
        data = fh.read(4096)
        if not data:
            break
        chunk += data
    text = chunk.decode("latin-1")
    return text[: text.index("endobj")]


def add_pdf_outline(path, entries, title=""):
    """Append bookmarks (title, 0-based page) to a PDF by an incremental update.

    QGIS's exporter (Qt's PDF engine) writes no outline; an incremental update adds the
    outline and a new catalog after the original bytes, so the pages are not rewritten
    and memory stays flat however many sheets the file holds.
    """
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        offsets, trailer, xref_start = _read_xref(fh, size)
        root = int(re.search(r"/Root\s+(\d+)\s+0\s+R", trailer).group(1))
        info = re.search(r"/Info\s+(\d+)\s+0\s+R", trailer)
        catalog = _read_object(fh, offsets[root])
        pages_ref = int(re.search(r"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
        kids = []
        stack = [pages_ref]
        while stack:  # walk the page tree in order
            node = _read_object(fh, offsets[stack.pop(0)])
            match = re.search(r"/Kids\s*\[([^\]]*)\]", node)
            if match and "/Pages" in node:
                refs = [int(r) for r in re.findall(r"(\d+)\s+0\s+R", match.group(1))]
                children = []
                for r in refs:
                    child = _read_object(fh, offsets[r])
                    if re.search(r"/Type\s*/Pages\b", child):
                        children.append(r)
                    else:
                        kids.append(r)
                stack = children + stack
    entries = [(t, p) for t, p in entries if 0 <= p < len(kids)]
    if not entries:
        return 0
    next_num = max(max(offsets), root, pages_ref) + 1
    outline_num = next_num
    item_nums = list(range(next_num + 1, next_num + 1 + len(entries)))
    body = catalog[catalog.index("<<") + 2: catalog.rindex(">>")]
    body = re.sub(r"/Outlines\s+\d+\s+0\s+R", "", body)
    body = re.sub(r"/PageMode\s*/\w+", "", body)
    objects = {root: "<<{}\n/Outlines {} 0 R\n/PageMode /UseOutlines\n>>".format(body, outline_num)}
    objects[outline_num] = "<<\n/Type /Outlines\n/First {} 0 R\n/Last {} 0 R\n/Count {}\n>>".format(
        item_nums[0], item_nums[-1], len(item_nums))
    for k, ((text, page), num) in enumerate(zip(entries, item_nums)):
        parts = ["/Title " + _pdf_text(text), "/Parent {} 0 R".format(outline_num),
                 "/Dest [{} 0 R /XYZ null null null]".format(kids[page])]
        if k > 0:
            parts.append("/Prev {} 0 R".format(item_nums[k - 1]))
        if k + 1 < len(item_nums):
            parts.append("/Next {} 0 R".format(item_nums[k + 1]))
        objects[num] = "<<\n" + "\n".join(parts) + "\n>>"
    with open(path, "ab") as out:
        pos = size
        with open(path, "rb") as check:
            check.seek(size - 1)
            needs_newline = check.read(1) not in (b"\n", b"\r")
        if needs_newline:
            out.write(b"\n")
            pos += 1
        new_offsets = {}
        for num in sorted(objects):
            data = "{} 0 obj\n{}\nendobj\n".format(num, objects[num]).encode("latin-1")
            new_offsets[num] = pos
            out.write(data)
            pos += len(data)
        xref = ["xref", "0 1", "0000000000 65535 f "]
        nums = sorted(new_offsets)
        groups, group = [], [nums[0]]
        for num in nums[1:]:
            if num == group[-1] + 1:
                group.append(num)
            else:
                groups.append(group)
                group = [num]
        groups.append(group)
        for g in groups:
            xref.append("{} {}".format(g[0], len(g)))
            xref.extend("{:010d} 00000 n ".format(new_offsets[n]) for n in g)
        trailer_parts = ["/Size {}".format(item_nums[-1] + 1), "/Root {} 0 R".format(root), "/Prev {}".format(xref_start)]
        if info:
            trailer_parts.append("/Info {} 0 R".format(info.group(1)))
        text = "\n".join(xref) + "\ntrailer\n<<\n" + "\n".join(trailer_parts) + "\n>>\nstartxref\n{}\n%%EOF\n".format(pos)
        out.write(text.encode("latin-1"))
    return len(entries)


def read_pdf_outline(path):
    """[(title, 0-based page)] of a PDF's top-level bookmarks (for checks and tests)."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        offsets = {}
        # follow the chain of xref sections, newest first
        fh.seek(max(0, size - 2048))
        start = int(re.findall(r"startxref\s+(\d+)", fh.read().decode("latin-1"))[-1])
        trailer_root = None
        while start is not None:
            fh.seek(start)
            text = fh.read(size - start).decode("latin-1")
            lines = text.split("\n")
            i = 1
            while i < len(lines) and not lines[i].startswith("trailer"):
                parts = lines[i].split()
                first, count = int(parts[0]), int(parts[1])
                for k in range(count):
                    entry = lines[i + 1 + k].split()
                    if entry[2] == "n":
                        offsets.setdefault(first + k, int(entry[0]))
                i += count + 1
            trailer = text[text.index("trailer"): text.index("startxref")]
            if trailer_root is None:
                trailer_root = int(re.search(r"/Root\s+(\d+)", trailer).group(1))
            prev = re.search(r"/Prev\s+(\d+)", trailer)
            start = int(prev.group(1)) if prev else None
        catalog = _read_object(fh, offsets[trailer_root])
        outlines = re.search(r"/Outlines\s+(\d+)\s+0\s+R", catalog)
        if not outlines:
            return []
        pages_ref = int(re.search(r"/Pages\s+(\d+)\s+0\s+R", catalog).group(1))
        kids = [int(r) for r in re.findall(r"(\d+)\s+0\s+R",
                                           re.search(r"/Kids\s*\[([^\]]*)\]", _read_object(fh, offsets[pages_ref])).group(1))]
        node = _read_object(fh, offsets[int(outlines.group(1))])
        current = re.search(r"/First\s+(\d+)", node)
        result = []
        while current:
            item = _read_object(fh, offsets[int(current.group(1))])
            hexed = re.search(r"/Title\s*<FEFF([0-9A-F]*)>", item).group(1)
            dest = int(re.search(r"/Dest\s*\[\s*(\d+)", item).group(1))
            result.append((bytes.fromhex(hexed).decode("utf-16-be"), kids.index(dest)))
            current = re.search(r"/Next\s+(\d+)", item)
        return result
