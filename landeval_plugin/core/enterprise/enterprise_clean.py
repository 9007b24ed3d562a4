"""Cell cleaning for enterprise workbooks, with a reason for every change.

Bureau workbooks store numbers as text with thousands separators, full-width digits,
units typed into the cell ("120万元"), and write "—", "/", "无" for "no data". Each cleaner
returns the value plus the reasons it changed something, so the join report can list every
change; missing stays missing (None), never zero.
"""
import re
import unicodedata
from collections import namedtuple
from decimal import Decimal, InvalidOperation

from ...i18n import tr
from .. import values as _values

# Tokens that mean "no data" in a number or code cell (folded, stripped, lower-cased): the
# "empty" and "none" words of resources/schema/values.yaml (core/values.py), one list for the plugin
MISSING_TOKENS = _values.words()["empty"] | _values.words()["none"]

# Units by the standard unit of fields.yaml: {unit key: {written unit: factor to standard}}
UNITS = {
    "10k_yuan": {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "百万元": Decimal(100),
                 "亿元": Decimal(10000), "万": Decimal(1), "亿": Decimal(10000)},
    "tce": {"吨标准煤": Decimal(1), "吨标煤": Decimal(1), "tce": Decimal(1), "吨": Decimal(1),
            "千克标准煤": Decimal("0.001"), "公斤标准煤": Decimal("0.001"), "千克标煤": Decimal("0.001"),
            "kgce": Decimal("0.001"), "万吨标准煤": Decimal(10000), "万吨标煤": Decimal(10000)},
    "10k_kwh": {"万千瓦时": Decimal(1), "万kwh": Decimal(1), "万度": Decimal(1), "千瓦时": Decimal("0.0001"),
                "kwh": Decimal("0.0001"), "度": Decimal("0.0001"), "亿千瓦时": Decimal(10000)},
    "t": {"吨": Decimal(1), "t": Decimal(1), "千克": Decimal("0.001"), "公斤": Decimal("0.001"),
          "kg": Decimal("0.001"), "万吨": Decimal(10000)},
    "person": {"人": Decimal(1), "名": Decimal(1), "个": Decimal(1), "万人": Decimal(10000)},
}
# Standard units as written in Chinese (for messages and form headers)
UNIT_LABELS = {"10k_yuan": "万元", "tce": "吨标准煤", "10k_kwh": "万千瓦时", "t": "吨", "person": "人"}
# Decimal places kept after unit conversion: 万元 to the cent is 6 places
DECIMALS = {"10k_yuan": 6, "tce": 6, "10k_kwh": 6, "t": 6, "person": 4}

_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_UNIT_RE = re.compile(r"^([+-]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?)\s*([^\d\s.,].*)$")
_YEAR_RE = re.compile(r"^((?:19|20)\d{2})(?:\.0+)?\s*(?:年度?|年)?$")

Change = namedtuple("Change", "original cleaned reason")
# C0/C1 control characters (tab, line feed and carriage return are whitespace, tidied apart):
# invisible, refused by Excel/openpyxl in cells, and never part of a name or a code
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control(text):
    return isinstance(text, str) and _CONTROL_RE.search(text) is not None


def without_control(text):
    """``text`` without control characters (other values unchanged)."""
    return _CONTROL_RE.sub("", text) if isinstance(text, str) else text


def visible(text):
    """``text`` with control characters shown as \\xNN, for reports that must name them."""
    if not isinstance(text, str):
        return text
    return _CONTROL_RE.sub(lambda m: "\\x{:02x}".format(ord(m.group(0))), text)


def FORMULA_WITHOUT_VALUE():  # noqa: N802
    return tr("formula without a saved result: open the workbook in Excel or WPS, save it, and run again")


_INF = float("inf")


def NOT_FINITE():  # noqa: N802
    return tr("not a finite number (infinite or NaN): left missing")


def unit_factor(unit_key, written):
    """Factor from ``written`` unit to the standard unit ``unit_key``, or None if unknown."""
    if not written:
        return None
    table = UNITS.get(unit_key, {})
    text = unicodedata.normalize("NFKC", str(written)).strip().lower().replace(" ", "")
    return table.get(text)


def fold(text):
    """NFKC fold (full-width digits, letters, brackets, comma to ASCII) and strip."""
    return unicodedata.normalize("NFKC", text).strip()


def is_missing_token(value):
    if value is None:
        return True
    if isinstance(value, str):
        return fold(value).lower() in MISSING_TOKENS
    return False


class NumberCleaner:
    """Cleans the cells of one numeric column (one standard field, one header unit)."""

    def __init__(self, unit_key, header_factor=None):
        self.unit_key = unit_key
        self.factor = Decimal(1) if header_factor is None else Decimal(header_factor)
        self.is_one = self.factor == 1
        self.decimals = DECIMALS.get(unit_key, 6)
        self._float_factor = float(self.factor)

    def _scale(self, number, factor):
        if factor == 1:
            return float(number)
        return round(float(Decimal(repr(number) if isinstance(number, float) else str(number)) * factor), self.decimals)

    def clean(self, raw):
        """(value or None, [reasons], error or None).

        ``reasons``: changes made (for the cleaning log). ``error``: the cell could not be
        read as a number (text in a numeric column); the value is then None.
        """
        if raw is None:
            return None, (), None
        if isinstance(raw, bool):
            return None, (), tr("a yes/no value in a numeric column")
        if isinstance(raw, (int, float)):
            if raw != raw or raw in (_INF, -_INF):  # NaN, ±inf (1e309 in a cell)
                return None, (), NOT_FINITE()
            value = self._scale(raw, self.factor)
            if value in (_INF, -_INF):
                return None, (), NOT_FINITE()
            return value, (), None
        if hasattr(raw, "year") and not isinstance(raw, str):
            return None, (), tr("a date in a numeric column")
        if type(raw).__name__ == "FormulaCell":
            return None, (), FORMULA_WITHOUT_VALUE()
        text = str(raw)
        reasons = []
        folded = fold(text)
        if folded != text.strip():
            reasons.append(tr("full-width characters converted"))
        if folded.lower() in MISSING_TOKENS:
            notes = (tr("'{}' means no data: left missing, not zero").format(text.strip()),) if text.strip() else ()
            return None, notes, None
        factor = self.factor
        body = folded.replace(" ", "")
        match = _NUM_UNIT_RE.match(body)
        if match and not _NUMBER_RE.match(body):
            cell_factor = unit_factor(self.unit_key, match.group(2).strip("()[]【】"))
            if cell_factor is None:
                return None, (), tr("text '{}' in a numeric column").format(text.strip())
            body = match.group(1)
            factor = cell_factor
            reasons.append(tr("unit '{}' removed from the cell and converted").format(match.group(2)))
        if "," in body:
            if not _THOUSANDS_RE.match(body):
                return None, (), tr("text '{}' in a numeric column").format(text.strip())
            body = body.replace(",", "")
            reasons.append(tr("thousands separators removed"))
        if not _NUMBER_RE.match(body):
            return None, (), tr("text '{}' in a numeric column").format(text.strip())
        try:
            number = Decimal(body) * factor
        except InvalidOperation:
            return None, (), tr("text '{}' in a numeric column").format(text.strip())
        reasons.append(tr("number stored as text converted"))
        value = round(float(number), self.decimals)
        if value in (_INF, -_INF) or value != value:
            return None, (), NOT_FINITE()
        return value, tuple(reasons), None


def clean_code(raw):
    """(code or None, reasons): credit or parcel codes, upper case, no spaces, no quotes.

    Numbers (codes typed into Excel as numbers) become their integer digits.
    """
    if raw is None or type(raw).__name__ == "FormulaCell":
        return None, ()
    if isinstance(raw, str) and raw.isascii() and raw.isalnum() and (raw.isupper() or raw.isdigit()):
        return raw, ()
    reasons = []
    if isinstance(raw, float):
        if raw != raw:
            return None, ()
        if raw.is_integer():
            raw = int(raw)
            if abs(raw) >= 2 ** 53:
                reasons.append(tr("code stored as a number: digits beyond 15 may have been lost by Excel"))
        text = str(raw)
    else:
        text = str(raw)
    folded = unicodedata.normalize("NFKC", text).strip().strip("'\"‘’“”").upper()
    folded = "".join(folded.split())
    if _CONTROL_RE.search(folded):
        folded = _CONTROL_RE.sub("", folded)
        reasons.append(tr("control characters removed"))
    if folded.lower() in MISSING_TOKENS:
        return None, ()
    if folded != text and not reasons:
        if unicodedata.normalize("NFKC", text) != text:
            reasons.append(tr("full-width characters converted"))
        else:
            reasons.append(tr("spaces, quotes or lower case removed from the code"))
    return folded, tuple(reasons)


def clean_text(raw):
    """Names keep their characters; only surrounding spaces and runs of spaces are tidied."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = " ".join(without_control(str(raw)).split())
    return text or None


def clean_year(raw):
    """Year as int from 2023, 2023.0, '2023', '2023年', '２０２３年度'; None if not a year."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        if float(raw).is_integer() and 1900 <= raw <= 2100:
            return int(raw)
        if 3000 < raw < 80000:  # an Excel date serial (a date typed in the 年度 column)
            import datetime

            return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(raw))).year
        return None
    if hasattr(raw, "year"):
        return int(raw.year)
    match = _YEAR_RE.match(fold(str(raw)).replace(" ", ""))
    return int(match.group(1)) if match else None


def clean_scale(raw):
    """规上 / 规下 from 规上, 规模以上, 是, Y, 1 ... (None if blank or unknown)."""
    text = clean_text(raw)
    if text is None:
        return None
    folded = fold(text).lower()
    if folded in ("规上", "规模以上", "规上企业", "规模以上企业", "是", "y", "yes", "1", "上"):
        return "规上"
    if folded in ("规下", "规模以下", "规下企业", "规模以下企业", "否", "n", "no", "0", "下"):
        return "规下"
    return None


def parse_share(raw):
    """(fraction or None, was_percent): '60%' -> 0.6; 60 -> 60 (caller decides percent); 0.6 -> 0.6."""
    if raw is None:
        return None, False
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, (int, float)):
        return (None, False) if raw != raw or raw in (_INF, -_INF) else (float(raw), False)
    text = fold(str(raw)).replace(" ", "").replace(",", "")
    if text.lower() in MISSING_TOKENS:
        return None, False
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if not _NUMBER_RE.match(text):
        return None, False
    value = float(Decimal(text))
    if value in (_INF, -_INF):
        return None, False
    return (value / 100.0, True) if percent else (value, False)
