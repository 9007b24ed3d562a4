"""The one reader of cell values: empty, yes/no, numbers, dates and text, for the whole plugin.

Grading, disposal, clusters, the base map, forms and dossiers all read attribute values through
these functions, so a cell means the same everywhere: "存在" in 涉法涉诉 is a yes for the grade
and on the dossier's veto list alike. The words live in ``resources/schema/values.yaml``:

* ``yes`` / ``no``: the words of a yes/no field;
* ``none`` (无, 没有): no in a yes/no field, missing in a number cell, a value in a text field;
* ``empty`` (—, /, 暂无, 未知 …): no data in any cell, never no and never zero.

Every function takes Python values, QVariant (NULL included), QDate/QDateTime and text as it
arrives from layers and workbooks; missing is ``None``.
"""
import datetime
import functools
import re
import unicodedata

from . import paths

_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@functools.lru_cache(maxsize=1)
def words():
    """{"yes", "no", "none", "empty"}: frozensets of folded words from values.yaml."""
    from .schema import load_yaml

    data = load_yaml(paths.resource("schema", "values.yaml")) or {}
    out = {}
    for key in ("yes", "no", "none", "empty"):
        out[key] = frozenset(fold(str(w)).lower() for w in (data.get(key) or []))
    out["empty"] = out["empty"] | {""}
    out["longest_empty"] = max(len(w) for w in out["empty"]) + 1  # NFKC may shorten a word, never lengthen it much
    return out


def fold(text):
    """NFKC fold (full-width digits, letters and punctuation to ASCII) and strip."""
    return unicodedata.normalize("NFKC", text).strip()


def _key(text):
    return fold(text).lower()


@functools.lru_cache(maxsize=8192)
def word_class(text):
    """"yes", "no", "none", "empty" or None for a text (cells repeat: cached)."""
    k = _key(text)
    w = words()
    for kind in ("yes", "no", "none", "empty"):
        if k in w[kind]:
            return kind
    return None


def is_null(v):
    """None, QVariant NULL, NaN, an invalid QDate/QDateTime."""
    if v is None:
        return True
    t = v.__class__
    if t is str or t is int or t is bool:
        return False
    if t is float:
        return v != v
    if hasattr(v, "isNull") and callable(v.isNull) and t.__name__ in ("QVariant", "QDate", "QDateTime", "QTime"):
        return bool(v.isNull())
    return False


def plain(v):
    """QVariant → its value, QDate/QDateTime → date/datetime; NULL → None; others unchanged."""
    if is_null(v):
        return None
    name = v.__class__.__name__
    if name == "QVariant":
        return plain(v.value())
    if name == "QDateTime":
        return v.toPyDateTime() if v.isValid() else None
    if name == "QDate":
        return v.toPyDate() if v.isValid() else None
    return v


def is_empty(v):
    """No data: NULL, blank, or an ``empty`` word (—, /, 暂无, 未知 …)."""
    v = plain(v)
    if v is None:
        return True
    if isinstance(v, str):
        return word_class(v) == "empty"
    return False


def to_bool(v):
    """True / False / None (unknown). Numbers: non-zero is true. Words from values.yaml."""
    v = plain(v)
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    text = v if isinstance(v, str) else str(v)
    kind = word_class(text)
    if kind == "yes":
        return True
    if kind in ("no", "none"):
        return False
    if kind == "empty":
        return None
    try:
        return float(_key(text)) != 0
    except ValueError:
        return None


def to_float(v):
    """A float, or None for missing: NULL, NaN, blank, no-data words, 无, text that is no number.

    Text numbers may carry full-width digits and thousands separators ("1,234.5").
    """
    t = v.__class__
    if t is float:
        return v if v == v else None
    if t is int:
        return float(v)
    if v is None or t is bool:
        return None
    v = plain(v)
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if v == v else None
    text = fold(str(v)).replace(" ", "")
    if "," in text:
        if not _THOUSANDS_RE.match(text):
            return None
        text = text.replace(",", "")
    try:
        f = float(text)
    except ValueError:
        return None
    return f if f == f and f not in (float("inf"), float("-inf")) else None


def to_text(v):
    """Stripped text, or None for NULL, blank and no-data words (无 stays: it is a value)."""
    if v.__class__ is str:
        s = v.strip()
        if not s:
            return None
        if len(s) <= words()["longest_empty"] and word_class(s) == "empty":  # long texts are never a no-data word
            return None
        return s
    v = plain(v)
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return to_text(str(v))


def to_date(v):
    """datetime.date from QDate/QDateTime/date/datetime or text like 1999-01-01, 1999/1/1,
    1999年1月1日, 19990101; None when missing or not a valid date."""
    v = plain(v)
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        return v.date()
    if isinstance(v, datetime.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(int(v)) if float(v).is_integer() else str(v)
    text = fold(str(v))
    m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def to_iso_date(v):
    """'YYYY-MM-DD' of ``to_date`` (conditions compare dates as ISO text), or None."""
    d = to_date(v)
    return d.isoformat() if d is not None else None


def to_qdate(v):
    """QDate of ``to_date``, or None."""
    global _QDate
    d = to_date(v)
    if d is None:
        return None
    if _QDate is None:  # imported once (called for every parcel), and only where Qt is needed
        from qgis.PyQt.QtCore import QDate as _QDate
    return _QDate(d.year, d.month, d.day)


_QDate = None


def by_type(kind):
    """The reader for a fields.yaml type: bool, double/int, date/datetime, else text."""
    return {"bool": to_bool, "double": to_float, "int": to_float, "date": to_iso_date,
            "datetime": to_iso_date}.get(kind, to_text)


def truthy(v):
    """Whether a filter or rule result counts as true: yes words and non-zero numbers do, no,
    none and empty words do not, any other non-empty text does (as in a QGIS filter)."""
    b = to_bool(v)
    if b is not None:
        return b
    v = plain(v)
    return isinstance(v, str) and not is_empty(v)


def plain_sum(numbers):
    """Left-to-right float sum, the way SQLite and PostgreSQL add. Python 3.12+ (QGIS 3.40/3.44)
    made sum() compensated, so sum() gave other last bits there than on 3.22 and in the database:
    a benchmark mean or a total must not depend on the Python version (issue 18)."""
    total = 0  # as sum(): ints stay ints
    for n in numbers:
        total += n
    return total
