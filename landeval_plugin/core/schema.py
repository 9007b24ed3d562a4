"""The standard field schema (resources/schema/fields.yaml) and source-name matching.

Every step reads and writes fields under standard names (``parcel_code``, ``tax_10k`` ...)
with Chinese aliases; users' layers and workbooks arrive with Chinese or pinyin-initial
column names, which are matched here so that each step recognises them the same way.
"""
import functools
import re

from . import paths
from .files import load_yaml

_NORMALISE_RE = re.compile(r"[\s\u3000_\-/（）()\[\]【】:：]+")
_UNIT_SUFFIX_RE = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]\s*$")


@functools.lru_cache(maxsize=1)
def fields():
    """{standard name: spec dict} from fields.yaml, in file order."""
    data = load_yaml(paths.resource("schema", "fields.yaml"))
    return data["fields"]


def alias(name):
    """Chinese alias of a standard field (the name itself for derived _y1/_y2 fields)."""
    base, suffix = split_year_suffix(name)
    spec = fields().get(base)
    if not spec:
        return name
    text = spec.get("alias", name)
    if suffix == "_y1":
        return text + "(上年)"
    if suffix == "_y2":
        return text + "(前年)"
    return text


def split_year_suffix(name):
    for suffix in ("_y1", "_y2"):
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def normalise(name):
    """Key for comparing column names: unit suffix dropped, punctuation and case folded."""
    if name is None:
        return ""
    text = str(name).strip()
    text = _UNIT_SUFFIX_RE.sub("", text)
    return _NORMALISE_RE.sub("", text).lower()


def field_names(group=None):
    return [k for k, v in fields().items() if group is None or v.get("group") == group]


def detect_mapping(columns, group=None, wanted=None):
    """Map standard names to the user's column names.

    ``columns``: the user's names. ``group`` or ``wanted`` restrict the standard names
    considered. Exact standard names win, then the listed synonyms in order of the list.
    Returns {standard name: column}; each column is used at most once.
    """
    norm = {}
    for col in columns:
        norm.setdefault(normalise(col), col)
    result = {}
    used = set()
    names = wanted or field_names(group)
    for std in names:
        spec = fields().get(std, {})
        candidates = [std] + list(spec.get("names", []))
        for cand in candidates:
            col = norm.get(normalise(cand))
            if col is not None and col not in used:
                result[std] = col
                used.add(col)
                break
    return result


@functools.lru_cache(maxsize=1)
def _value_tables():
    """{field: ({spelling key: canonical}, [canonical values])} for fields with ``values``."""
    import unicodedata

    out = {}
    for name, spec in fields().items():
        values = spec.get("values")
        if not values:
            continue
        table = {}
        for v in values:
            table[unicodedata.normalize("NFKC", str(v)).strip()] = v
        for k, v in (spec.get("synonyms") or {}).items():
            table[unicodedata.normalize("NFKC", str(k)).strip()] = v
        out[name] = (table, list(values))
    return out


def canonical_value(name, value):
    """A text value of field ``name`` in the one spelling the standards compare with.

    The one place where spellings are read: ``industry_class`` 禁止类 / 淘汰类产能 / 落后产能 → 禁止 / 淘汰
    (the ``synonyms`` of fields.yaml), ``land_use`` 工业用地 / 0601 / M2 → 工业 (core/basemap/landuse.py).
    A value that matches nothing is returned as it is (trimmed), so a rule never fires on a guess.
    """
    if value is None:
        return None
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    base, _ = split_year_suffix(name)
    if base == "land_use":
        if text in ("工业", "仓储", "研发"):
            return text
        return _land_use_classifier().classify(text) or text
    tables = _value_tables().get(base)
    if tables is None:
        return text
    table, values = tables
    if text in table:
        return table[text]
    compact = re.sub(r"[\s()（）\[\]【】]+", "", text)
    if compact in table:
        return table[compact]
    # '淘汰类（落后产能）', '禁止类项目（2019年目录）': the leading canonical word followed by 类 decides
    # (a bare prefix would read 出租情况 "无偿出租" as 无, not leased)
    hits = [v for v in values if compact.startswith(str(v) + "类")]
    return hits[0] if len(hits) == 1 else text


@functools.lru_cache(maxsize=1)
def _land_use_classifier():
    from .basemap import landuse

    return landuse.Classifier()
