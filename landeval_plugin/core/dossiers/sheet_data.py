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

from .. import indicators, paths, schema
from .. import values as _values
from .. import vocabulary as _vocabulary
from ..units import M2_PER_HA, M2_PER_MU, AreaMeter
from .errors import DossierError, tr

TEMPLATE_DEFAULT = "dossier_a4.qpt"
COVERAGE_NAME = "dossier_parcels"
ENTERPRISE_NAME = "dossier_enterprises"
INDICATOR_NAME = "dossier_indicators"


# ---------------------------------------------------------------------------- vocabulary
_VOCAB = None


def vocabulary():
    """The sheet's own words from resources/layouts/dossier_sheet.yaml (no data, vetoes, columns); class
    names and colours come from the one vocabulary (core/vocabulary.py), as on the map."""
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = schema.load_yaml(paths.resource("layouts", "dossier_sheet.yaml"))
    return _VOCAB


def grade_colours():
    """{grade: colour} in class order, from resources/schema/vocabulary.yaml (grade.qml is written from it)."""
    return _vocabulary.grade_colours()


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
        items = [
            dict(v, indicator=k) if isinstance(v, dict) else {"indicator": k, "score": v} for k, v in items.items()]
    return [i for i in items if isinstance(i, dict)]


# ---------------------------------------------------------------------------- sheet data
DISPLAY_FIELDS = (
    "d_code", "d_year", "d_title", "d_owner", "d_town", "d_address", "d_area", "d_land_use", "d_supply_date",
    "d_source", "d_devbound", "d_indline", "d_cluster", "d_grade", "d_grade_name", "d_grade_color", "d_class",
    "d_score", "d_rank", "d_reasons", "d_veto", "d_tags", "d_disposal", "d_disposal_final", "d_disposal_reason",
    "d_grade_final", "d_review", "d_review_by", "d_standard", "d_sources", "d_print_date", "d_file",
    "d_history",
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
    from ..grading import standard as standards

    out = []
    for part in str(text or "").split(" + "):
        part = part.strip()
        if not part:
            continue
        sid = part.split(" v")[0]
        if sid not in _STANDARD_INFO:
            try:
                std = standards.load(sid)
                note = "{}；标准写明假设 {} 条，决定类别的假设见评价依据".format(
                    std.provenance(), len(std.assumptions)) \
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
                 feedback=None, print_date=None, history=None):
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
        # history(code, year) -> the 历年评价 text of a parcel (a LandEval store's years), or None
        self.history = history
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
        from ..safe_names import UniqueNames

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
            ("parcel_code", QVariant.Type.String), ("seq", QVariant.Type.String),
            ("enterprise_name", QVariant.Type.String),
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
            "{}（{}）".format(land_use, land_use_raw) if land_use and land_use_raw
            and str(land_use) != str(land_use_raw)
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
        d["d_cluster"] = str(cluster) if cluster is not None else (none if cluster_index is not None
                                                                   or self.has("cluster_id") else nd)
        # grade: the reviewed class wins over the computed one
        grade, grade_final = get("grade"), get("grade_final")
        effective = grade_final if grade_final is not None else grade
        raw["grade"], raw["grade_final"] = grade, grade_final
        raw["grade_effective"] = effective
        names, no_grade_colour = _vocabulary.grade_names(), _vocabulary.no_grade()["colour"]
        if effective is None:
            d["d_grade"], d["d_grade_name"] = "—", nd
            d["d_grade_color"] = no_grade_colour
            d["d_class"] = nd
        else:
            letter = str(effective).strip().upper()[:1]
            name = names.get(letter, "")
            d["d_grade"], d["d_grade_name"] = letter, name or str(effective)
            d["d_grade_color"] = self.colours.get(letter, no_grade_colour)
            d["d_class"] = "{} {}".format(letter, name).strip()
            if grade_final is not None and grade is not None and str(grade_final) != str(grade):
                d["d_class"] += "（研判调整，原评{}）".format(grade)
        score, rank = get("score"), get("rank")
        raw["score"], raw["rank"] = score, rank
        d["d_score"] = nd if score is None else fmt_number(score, 2)
        d["d_rank"] = nd if rank is None else \
            str(int(float(rank))) if str(rank).replace(".", "", 1).isdigit() else str(rank)
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
            d["d_disposal"] = _vocabulary.no_path()["name"]   # the rule set decided "no path" and says why (处置依据)
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
            if provs:
                sources.extend(("评价标准" + prov) for prov in provs)
            else:
                sources.append("评价标准：{}".format(standard))
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
        d["d_history"] = (self.history(sheet.code, self.year) if self.history is not None and sheet.code else None) \
            or nd
        # enterprises of the year
        for n, row in enumerate(enterprises, 1):
            disp = {"seq": str(n), "enterprise_name": self._text(row.get("enterprise_name")),
                    "credit_code": row.get("credit_code") or "—"}
            for key, std, dec in (("d_tax", "tax_10k", 2), ("d_output", "output_10k", 2),
                                  ("d_employees", "employees", 0)):
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
            from ..disposal.disposal import DisposalError, load_ruleset

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
