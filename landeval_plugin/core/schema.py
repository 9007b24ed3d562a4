"""The standard field schema (resources/schema/fields.yaml) and source-name matching.

Every step reads and writes fields under standard names (``parcel_code``, ``tax_10k`` ...)
with Chinese aliases; users' layers and workbooks arrive with Chinese or pinyin-initial
column names, which are matched here so that each step recognises them the same way.
"""
import functools
import re

from . import paths

_NORMALISE_RE = re.compile(r"[\s\u3000_\-/（）()\[\]【】:：]+")
_UNIT_SUFFIX_RE = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]\s*$")


def load_yaml(path):
    import yaml

    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
