"""Finding and reading the header of an enterprise sheet: which column is which field, in which unit.

Finds the header row below title rows, merges two-row headers, applies merged cells, reads
units from headers and unit rows, recognises columns through ``schema.detect_mapping`` plus
the user's saved mapping (``parse_mapping``).
"""
import functools
import re
import unicodedata
from collections import namedtuple

from ...i18n import tr
from .. import schema
from ..formats.xlsx_reader import TableError, column_index, column_letter
from .enterprise_clean import DECIMALS, UNITS, fold, unit_factor

_YEAR_IN_HEADER_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年度|年)?")
_BRACKET_UNIT_RE = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]\s*$")
_SLASH_UNIT_RE = re.compile(r"[/／]\s*([^/／]+)$")
_UNIT_LABEL_RE = re.compile(r"单位\s*[:：]?\s*")
_LETTERS_RE = re.compile(r"^[A-Za-z]{1,3}$")

Column = namedtuple("Column", "index letter header field year unit factor note")

HEADER_SCAN_ROWS = 30
KEY_FIELDS = ("parcel_code", "credit_code")
TEXT_FIELDS = ("parcel_code", "credit_code", "enterprise_name", "year", "scale")
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "全区合计", "总合计")


# ---------------------------------------------------------------------------------------
# header recognition

def _wanted():
    return ["parcel_code"] + [f for f in schema.field_names("enterprise")]


def _header_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


IGNORE_KEY = "ignore"


def parse_mapping(text):
    """User mapping from 'tax_10k=纳税额|元; credit_code=C; ignore=序号' or JSON.

    Returns {standard name: [(column reference, unit or None), ...]}: a reference is a header
    text or a column letter; a field may take several columns (wide layouts); an empty
    reference switches the field's automatic recognition off; ``ignore`` lists columns
    that must not be read.
    """
    if not text:
        return {}
    if isinstance(text, dict):
        items = []
        for key, value in text.items():
            for v in (value if isinstance(value, (list, tuple)) else [value]):
                items.append((key, v if not isinstance(v, tuple) else v[0] + ("|" + v[1] if v[1] else "")))
    else:
        text = str(text).strip()
        if text.startswith("{"):
            import json

            try:
                data = json.loads(text)
            except ValueError as exc:
                raise TableError(tr("The column mapping is not valid JSON ({}): {}").format(exc, text[:80])) from None
            return parse_mapping(data)
        items = []
        for part in re.split(r"[;\n；]+", text):
            if not part.strip():
                continue
            if "=" not in part:
                raise TableError(tr("Mapping entry '{}' is not 'field=column'.").format(part.strip()))
            key, value = part.split("=", 1)
            items.append((key.strip(), value.strip()))
    result = {}
    known = set(schema.fields()) | {IGNORE_KEY}
    for key, value in items:
        if key not in known:
            raise TableError(tr("Mapping names an unknown field '{}'.").format(key))
        value = "" if value is None else str(value)
        unit = None
        if "|" in value:
            value, unit = value.rsplit("|", 1)
            unit = unit.strip() or None
        result.setdefault(key, []).append((value.strip(), unit))
    return result


def as_mapping(mapping):
    """Mapping from text or dict, parsed as by :func:`parse_mapping`."""
    if not mapping:
        return {}
    if isinstance(mapping, dict) and all(isinstance(v, list) and all(isinstance(e, tuple) for e in v)
                                         for v in mapping.values()):
        return mapping
    return parse_mapping(mapping)


def mapping_to_text(mapping):
    """Inverse of parse_mapping, for the MAPPING parameter and the project: 'field=column|unit; ...'."""
    parts = []
    for key, entries in as_mapping(mapping).items():
        for ref, unit in entries:
            parts.append("{}={}{}".format(key, ref, "|" + unit if unit else ""))
    return "; ".join(parts)


def _split_unit(text):
    """(name without unit, unit text or None)."""
    m = _BRACKET_UNIT_RE.search(text)
    if m:
        return text[:m.start()].strip(), _UNIT_LABEL_RE.sub("", m.group(1)).strip() or None
    m = _SLASH_UNIT_RE.search(text)
    if m and any(unit_factor(k, m.group(1)) is not None for k in UNITS):
        return text[:m.start()].strip(), m.group(1).strip()
    # a unit word glued to the end: 税收总额万元
    for key in UNITS:
        for unit in sorted(UNITS[key], key=len, reverse=True):
            if len(unit) > 1 and text.endswith(unit) and len(text) > len(unit):
                return text[: -len(unit)].strip(), unit
    return text, None


class HeaderInterpreter:
    """Turns header texts into (field, year, unit) using the schema and the user's mapping."""

    def __init__(self, mapping=None, wanted=None):
        self.mapping = mapping or {}
        self._user_by_name = {}
        self._ignored = set()
        self._unmapped = set()
        for field, entries in self.mapping.items():
            for ref, unit in entries:
                if not ref:
                    self._unmapped.add(field)
                elif _LETTERS_RE.match(ref):
                    continue
                elif field == IGNORE_KEY:
                    self._ignored |= {fold(ref), schema.normalise(ref)}
                else:
                    self._user_by_name[schema.normalise(ref)] = (field, unit)
                    self._user_by_name[fold(ref)] = (field, unit)
        self._wanted = wanted or _wanted()
        self._cache = {}

    def interpret(self, text):
        """(field, year, unit, note) or None for one header text."""
        if not text:
            return None
        if text in self._cache:
            return self._cache[text]
        result = self._interpret(text)
        self._cache[text] = result
        return result

    def _interpret(self, text):
        text = fold(text)
        if text in self._ignored or schema.normalise(text) in self._ignored:
            return None
        user = self._user_by_name.get(text) or self._user_by_name.get(schema.normalise(text))
        year = None
        m = _YEAR_IN_HEADER_RE.search(text)
        base = text
        if m:
            year = int(m.group(1))
            base = (text[:m.start()] + text[m.end():]).strip()
        name, unit = _split_unit(base)
        if user is None:
            user = self._user_by_name.get(base) or self._user_by_name.get(schema.normalise(base)) \
                or self._user_by_name.get(name)
        if user is not None:
            field, user_unit = user
            return field, year, user_unit or unit, None
        found = schema.detect_mapping([name], wanted=self._wanted)
        if not found:
            found = schema.detect_mapping([base], wanted=self._wanted)
        if not found:
            return None
        field = next(iter(found))
        if field in self._unmapped:
            return None
        if field in TEXT_FIELDS or schema.fields()[field].get("group") == "link":
            year = None
        return field, year, unit, None


def _header_like(values):
    """A row that can be the lower half of a two-row header: text (or year numbers) only."""
    seen = False
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            if not (float(v).is_integer() and 1990 <= v <= 2100):
                return False
        elif isinstance(v, str):
            if re.match(r"^[\d.,\s]+$", v.strip()) and not re.match(r"^(19|20)\d{2}$", v.strip()):
                return False
        seen = True
    return seen


def apply_merges_to_head(head, merges):
    """Fill merged ranges in the buffered head rows with their top-left value.

    Only the head's rows and columns are walked: a range declared over the whole sheet
    (A1:XFD1048576) costs what the head holds, not what the range declares.
    """
    by_row = {r: list(v) for r, v in head}
    width = max((len(v) for _, v in head), default=0)
    for r1, c1, r2, c2 in merges:
        if r1 not in by_row or c1 >= width:
            continue
        top = by_row[r1]
        value = top[c1] if c1 < len(top) else None
        if value is None:
            continue
        c2 = min(c2, width - 1)
        for r, _ in head:
            if r < r1 or r > r2:
                continue
            row = by_row[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if row[c] is None:
                    row[c] = value
    return [(r, by_row[r]) for r, _ in head]


def _columns_for(texts, interpreter, lower=None, upper=None):
    """[Column] for header texts; two-row headers pass upper/lower parts as well."""
    columns = []
    for index, text in enumerate(texts):
        result = interpreter.interpret(text)
        used = text
        if result is None and lower is not None:
            for cand in (lower[index], upper[index]):
                if cand:
                    result = interpreter.interpret(cand)
                    if result is not None:
                        used = cand
                        break
            if result is not None and result[2] is None and upper[index] and used == lower[index]:
                _, unit = _split_unit(upper[index])
                if unit:
                    result = (result[0], result[1], unit, result[3])
            if result is not None and result[1] is None and used == lower[index] and upper[index]:
                m = _YEAR_IN_HEADER_RE.search(upper[index])
                if m and result[0] not in ("parcel_code", "credit_code", "enterprise_name", "scale", "year"):
                    result = (result[0], int(m.group(1)), result[2], result[3])
        letter = column_letter(index)
        if result is None:
            columns.append(Column(index, letter, text, None, None, None, None, None))
        else:
            columns.append(Column(index, letter, text, result[0], result[1], result[2], None, result[3]))
    return columns


def _score(columns):
    fields = {(c.field, c.year) for c in columns if c.field}
    keys = sum(1 for c in columns if c.field in KEY_FIELDS)
    return len(fields) + (2 if keys else 0)


def detect_header(head, interpreter):
    """(first header row, last header row, [Column]) from the buffered head rows.

    Tries every row and every pair of rows (two-row headers, the upper half forward-filled
    across its merged span) and keeps the one that recognises most columns; ties go to
    the single row. Raises TableError when no row names a key column.
    """
    singles = []
    for rnum, values in head:
        texts = [_header_text(v) for v in values]
        cols = _columns_for(texts, interpreter)
        cols = apply_letter_mapping(cols, interpreter.mapping, texts)
        filled = sum(1 for t in texts if t)
        singles.append((_score(cols), rnum, rnum, cols, filled))
    best = None
    for item in singles:  # ties: the row with more filled cells (a header, not a title)
        if best is None or (item[0], item[4]) > (best[0], best[4]):
            best = item
    best = best[:4] if best else None
    for i, (rnum, values) in enumerate(head):
        if i + 1 >= len(head) or head[i + 1][0] != rnum + 1 or not _header_like(head[i + 1][1]):
            continue
        distinct = {_header_text(v) for v in values if v is not None and _header_text(v)}
        if len(distinct) < 2:  # a title line (merged across the table) is not half a header
            continue
        lower_vals = head[i + 1][1]
        width = max(len(values), len(lower_vals))
        upper = [_header_text(values[j]) if j < len(values) else "" for j in range(width)]
        lower = [_header_text(lower_vals[j]) if j < len(lower_vals) else "" for j in range(width)]
        filled = list(upper)
        for j in range(1, width):  # a group title spans the blanks to its right
            if not filled[j] and filled[j - 1] and lower[j]:
                filled[j] = filled[j - 1]
        combined = []
        for j in range(width):
            if filled[j] and lower[j] and filled[j] != lower[j]:
                combined.append(filled[j] + lower[j])
            else:
                combined.append(lower[j] or filled[j])
        cols2 = _columns_for(combined, interpreter, lower=lower, upper=filled)
        cols2 = apply_letter_mapping(cols2, interpreter.mapping, combined)
        cols2 = [c._replace(header=(filled[c.index] + " / " + lower[c.index])
                            if filled[c.index] and lower[c.index] and filled[c.index] != lower[c.index]
                            else c.header) for c in cols2]
        score2 = _score(cols2)
        if score2 > max(singles[i][0], singles[i + 1][0]) and score2 > best[0] - 0:
            if score2 > best[0] or best[1] in (rnum, head[i + 1][0]):
                best = (score2, rnum, head[i + 1][0], cols2)
    if best is None or not any(c.field in KEY_FIELDS for c in best[3]):
        return None
    first, last, columns = best[1], best[2], best[3]
    last, columns = _unit_row(head, last, columns)
    columns = _table_unit(head, first, columns)
    return first, last, columns


_TABLE_UNIT_RE = re.compile(r"单位\s*[:：]\s*([^\s,，;；、]+)")
_UNIT_ROW_LABELS = frozenset(["单位", "计量单位", "单位名称单位", "unit"])


def _unit_text(value):
    """The unit written in a unit-row cell ('元', '(万元)', '单位：吨标准煤'), or None."""
    text = _header_text(value).strip("()（）[]【】 ")
    text = _UNIT_LABEL_RE.sub("", text).strip("()（）[]【】 ")
    if text and any(unit_factor(key, text) is not None for key in UNITS):
        return text
    return None


def _unit_row(head, last, columns):
    """A row of units right under the header (元 | 千克标准煤 | 人, as statistics tables print
    them): its units go to the columns that have none, and it becomes part of the header."""
    rows = dict(head)
    values = rows.get(last + 1)
    above = rows.get(last) or []
    if not values:
        return last, columns
    units = {}
    for j, v in enumerate(values):
        text = _header_text(v)
        if not text:
            continue
        if j < len(above) and _header_text(above[j]) == text:
            continue  # a header cell merged down over the unit row
        if fold(text).lower() in _UNIT_ROW_LABELS:
            continue
        unit = _unit_text(text)
        if unit is None:
            return last, columns  # a data row (or anything else): not a unit row
        units[j] = unit
    if not any(c.field and c.index in units for c in columns):
        return last, columns
    out = []
    for c in columns:
        unit = units.get(c.index)
        if c.field and unit and not c.unit:
            c = c._replace(unit=unit, header="{} ({})".format(c.header, unit))
        out.append(c)
    return last + 1, out


def _table_unit(head, first, columns):
    """'单位：元' written above the header applies to the columns of that kind without a unit."""
    found = None
    for rnum, values in head:
        if rnum >= first:
            break
        for v in values:
            if isinstance(v, str):
                m = _TABLE_UNIT_RE.search(fold(v))
                if m and _unit_text(m.group(1)):
                    found = _unit_text(m.group(1))
    if not found:
        return columns
    specs = schema.fields()
    out = []
    for c in columns:
        unit_key = specs.get(c.field, {}).get("unit") if c.field else None
        if unit_key in UNITS and not c.unit and unit_factor(unit_key, found) is not None:
            c = c._replace(unit=found, header="{} (单位：{})".format(c.header, found))
        out.append(c)
    return out


def resolve_units(columns):
    """Fill Column.factor from the header unit; a unit that does not fit the field is a note."""
    out = []
    specs = schema.fields()
    for c in columns:
        if c.field is None:
            out.append(c)
            continue
        unit_key = specs.get(c.field, {}).get("unit")
        if unit_key in UNITS:
            factor = unit_factor(unit_key, c.unit) if c.unit else None
            note = None
            if c.unit and factor is None:
                note = tr("unit '{}' in the header is not a unit of {}; values taken as {}").format(
                    c.unit, schema.alias(c.field), _unit_label(unit_key))
            out.append(c._replace(factor=factor, note=note))
        else:
            out.append(c)
    return out


def _unit_label(unit_key):
    from .enterprise_clean import UNIT_LABELS

    return UNIT_LABELS.get(unit_key, unit_key)


def apply_letter_mapping(columns, mapping, texts=None):
    """Mapping entries given as column letters ('tax_10k=F', 'ignore=A') override detection.

    With ``texts`` (header detection), a letter only counts where that row has text.
    """
    out = list(columns)
    for field, entries in mapping.items():
        letters = [(column_index(ref), unit) for ref, unit in entries if ref and _LETTERS_RE.match(ref)]
        if not letters:
            continue
        if field == IGNORE_KEY:
            out = [c._replace(field=None) if c.index in {i for i, _ in letters} else c for c in out]
            continue
        by_name = any(ref and not _LETTERS_RE.match(ref) for ref, _ in entries)
        wanted = {i for i, _ in letters}
        if not by_name:
            out = [c._replace(field=None) if c.field == field and c.index not in wanted else c for c in out]
        for idx, unit in letters:
            if texts is not None and (idx >= len(texts) or not texts[idx]):
                continue
            while idx >= len(out):
                out.append(Column(len(out), column_letter(len(out)), "", None, None, None, None, None))
            c = out[idx]
            text = fold(c.header or "")
            m = _YEAR_IN_HEADER_RE.search(text)
            year = int(m.group(1)) if m and field not in TEXT_FIELDS else None
            _, header_unit = _split_unit(text)
            out[idx] = c._replace(field=field, year=year, unit=unit or header_unit)
    return out


def dedupe_columns(columns, sheet, table):
    """Two columns for the same field and year: keep the first, report the other."""
    seen = {}
    out = []
    for c in columns:
        if c.field is None:
            out.append(c)
            continue
        key = (c.field, c.year)
        if key in seen:
            table.problems.append((sheet, None, c.letter, c.header, "",
                                   tr("column also recognised as {} (already column {}): not used").format(
                                       schema.alias(c.field), seen[key])))
            out.append(c._replace(field=None))
        else:
            seen[key] = c.letter
            out.append(c)
    return out


# ---------------------------------------------------------------------------------------
# reading

def read_head(rows, merges):
    """(buffered head rows with merges applied, the rest of the iterator)."""
    rows = iter(rows)
    head = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    return apply_merges_to_head(head, merges), rows


@functools.lru_cache(maxsize=1)
def value_fields():
    """Numeric enterprise fields in schema order (tax_10k ... fixed_assets_10k)."""
    specs = schema.fields()
    return tuple(f for f in schema.field_names("enterprise") if f not in TEXT_FIELDS
            and specs[f].get("type") in ("double", "int"))


def decimals_for(field):
    return DECIMALS.get(schema.fields()[field].get("unit"), 6)

