"""Reading enterprise workbooks (.xlsx, .csv) the way bureaus actually send them.

Finds the header row below title rows, merges two-row headers, applies merged cells,
reads units from headers, recognises columns through ``schema.detect_mapping`` (plus the
user's saved mapping), and turns each data row into an :class:`EntRow` with cleaned values
in standard units. Every change and every problem is recorded with sheet, row and column.

Two .xlsx engines: ``fast`` streams the sheet XML out of the zip with compiled regular
expressions (measured about 4x faster than openpyxl on 300,000 rows: see
test/bench/bench_data.py) and ``openpyxl`` (read-only streaming). Both give identical rows;
the tests check that on every messy workbook.
"""
import csv
import functools
import html
import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections import namedtuple

from ...i18n import tr
from .. import limits, schema
from .enterprise_clean import (
    DECIMALS, NOT_FINITE, NumberCleaner, UNITS, clean_code, clean_scale, clean_text, clean_year, fold, has_control,
    is_missing_token, unit_factor, visible,
)

HEADER_SCAN_ROWS = 30
KEY_FIELDS = ("parcel_code", "credit_code")
TEXT_FIELDS = ("parcel_code", "credit_code", "enterprise_name", "year", "scale")
TOTAL_WORDS = ("合计", "总计", "小计", "累计", "全区合计", "总合计")
FORM_MARKER_SHEET = "_landeval"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

_YEAR_IN_HEADER_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年度|年)?")
_BRACKET_UNIT_RE = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]\s*$")
_SLASH_UNIT_RE = re.compile(r"[/／]\s*([^/／]+)$")
_UNIT_LABEL_RE = re.compile(r"单位\s*[:：]?\s*")
_CELL_REF_RE = re.compile(r"^([A-Z]{1,3})(\d+)$")
_LETTERS_RE = re.compile(r"^[A-Za-z]{1,3}$")

# sheet XML, matched in chunks that end on a row boundary
_ROW_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_R_RE = re.compile(rb"\br=[\"']([A-Z]+)(\d+)[\"']")
_ATTR_ROW_R_RE = re.compile(rb"\br=[\"'](\d+)[\"']")
_ATTR_T_RE = re.compile(rb"\bt=[\"'](\w+)[\"']")
_V_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_T_RE = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>|<(?:\w+:)?t\s*/>")
_RPH_RE = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_FAST_CELL_RE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(?:<f\b[^>]*?(?:/>|>([^<]*)</f>))?<v>([^<]*)</v></c>'
    rb'|><is><t(?:\s[^>]*)?>([^<]*)</t></is></c>|>(.*?)</c>)', re.S)
_F_RE = re.compile(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</(?:\w+:)?f>")
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([A-Z]+\d+):([A-Z]+\d+)[\"']")
_CODE_SPLIT_RE = re.compile(r"[,，、;；\n]+")
_CODE_SEPARATORS = frozenset(",，、;；\n")
_ESCAPE_X_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MAX_PIECE = 16 << 20  # sheet XML is parsed in pieces of about this size at most
_MERGES_END_RE = re.compile(rb"</(?:\w+:)?mergeCells>")


class FormulaCell(str):
    """A formula saved without its result (a workbook written by a program, never opened in
    Excel): the value is unknown, which the cleaners report instead of guessing."""


class TableError(Exception):
    """A workbook that cannot be used; the message is for the user (translated)."""


Column = namedtuple("Column", "index letter header field year unit factor note")


class EntRow:
    """One data row: keys and {year or None: {field: value in standard units}}."""

    __slots__ = ("sheet", "row", "parcel_codes", "credit_code", "name", "scale", "values")

    def __init__(self, sheet, row):
        self.sheet = sheet
        self.row = row
        self.parcel_codes = ()
        self.credit_code = None
        self.name = None
        self.scale = None
        self.values = {}

    def where(self):
        return "{}!{}".format(self.sheet, self.row)

    def identity(self):
        return self.credit_code or self.name or ""


class Table:
    """What was read: rows, columns per sheet and everything the report must list."""

    def __init__(self, path):
        self.path = path
        self.rows = []
        self.sheets = []           # names read
        self.columns = {}          # sheet -> [Column]
        self.header_rows = {}      # sheet -> (first, last) 1-based
        self.unused_columns = {}   # sheet -> [header]
        self.layout = None         # 'long' | 'wide' | 'none' (no year anywhere)
        self.years = set()
        self.changes = []          # (sheet, row, letter, header, original, cleaned, reason)
        self.problems = []         # (sheet, row, letter, header, original, problem)
        self.skipped = []          # (sheet, row, reason, text)
        self.encoding = None
        self.is_form = False
        self.form_attributes = {}  # parcel code -> {field: value} (一地一表 forms)
        self.data_rows = 0         # rows below the header (blank ones included)


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters):
    value = 0
    for ch in letters.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


# ---------------------------------------------------------------------------------------
# file checks

def check_file(path):
    """Raise TableError for a missing, .xls, encrypted or corrupt workbook; returns the kind."""
    if not path or not os.path.exists(path):
        raise TableError(tr("File not found: {}").format(path))
    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        with open(path, "rb") as fh:
            data = fh.read(64 * 1024 * 1024)
        if _ENCRYPTION_INFO in data:
            raise TableError(tr("{} is password-protected (encrypted). Open it in Excel or WPS, remove the password "
                                "(文件 > 信息 > 保护工作簿), save it and try again.").format(os.path.basename(path)))
        raise TableError(tr("{} is an old Excel 97-2003 (.xls) workbook. Open it in Excel or WPS and save it as "
                            ".xlsx, then try again.").format(os.path.basename(path)))
    if ext in (".csv", ".txt"):
        return "csv"
    if ext == ".xls":
        raise TableError(tr("{} is an old Excel 97-2003 (.xls) workbook. Open it in Excel or WPS and save it as "
                            ".xlsx, then try again.").format(os.path.basename(path)))
    if not zipfile.is_zipfile(path):
        raise TableError(tr("{} is not a readable .xlsx workbook (the file is damaged or not an Excel file).")
                         .format(os.path.basename(path)))
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TableError(tr("{} is damaged and cannot be read: {}").format(os.path.basename(path), exc))
    if bad is not None or "xl/workbook.xml" not in names:
        raise TableError(tr("{} is damaged and cannot be read: {}").format(
            os.path.basename(path), bad or "xl/workbook.xml missing"))
    return "xlsx"


# ---------------------------------------------------------------------------------------
# .xlsx access

def _unescape(text):
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPE_X_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


class XlsxBook:
    """Sheets, shared strings and streamed rows of an .xlsx without loading it whole."""

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            self._sheets = self._read_sheets()
        except (KeyError, ET.ParseError, zipfile.BadZipFile) as exc:
            raise TableError(tr("{} is damaged and cannot be read: {}").format(os.path.basename(path), exc))
        self._strings = None
        self._done = {}

    def close(self):
        self.zip.close()

    def _read_sheets(self):
        rels = {}
        with self.zip.open("xl/_rels/workbook.xml.rels") as fh:
            for el in ET.parse(fh).getroot():
                target = el.get("Target", "")
                if target.startswith("/"):
                    target = target[1:]
                elif not target.startswith("xl/"):
                    target = "xl/" + target
                rels[el.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
        sheets = []
        with self.zip.open("xl/workbook.xml") as fh:
            root = ET.parse(fh).getroot()
        for el in root.iter(_NS_MAIN + "sheet"):
            rid = el.get(_NS_REL + "id")
            sheets.append((el.get("name"), rels.get(rid), el.get("state", "visible")))
        return sheets

    def sheet_names(self, include_hidden=True):
        return [n for n, _, state in self._sheets if include_hidden or state == "visible"]

    def _member(self, sheet):
        for name, target, _ in self._sheets:
            if name == sheet:
                return target
        raise TableError(tr("Sheet '{}' not found in {}; sheets: {}").format(
            sheet, os.path.basename(self.path), ", ".join(self.sheet_names())))

    def strings(self):
        if self._strings is None:
            self._strings = []
            if "xl/sharedStrings.xml" in self.zip.namelist():
                size = self.zip.getinfo("xl/sharedStrings.xml").file_size
                if size > limits.MAX_SHARED_STRINGS_BYTES:
                    raise TableError(tr("{}: the shared text of the workbook is {:,} MB, more than the {:,} MB LandEval "
                                        "reads; split the workbook.").format(
                        os.path.basename(self.path), size // (1 << 20), limits.MAX_SHARED_STRINGS_BYTES // (1 << 20)))
                with self.zip.open("xl/sharedStrings.xml") as fh:
                    data = fh.read()
                for m in re.finditer(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", data, re.S):
                    inner = m.group(1) or b""
                    if b"rPh" in inner:
                        inner = _RPH_RE.sub(b"", inner)
                    raw = b"".join(t.group(1) or b"" for t in _T_RE.finditer(inner))
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise TableError(tr("{} is damaged: shared text no. {} is not valid UTF-8 ({!r}). Open the "
                                            "workbook in Excel or WPS, save it again and retry.").format(
                            os.path.basename(self.path), len(self._strings) + 1, raw[:40])) from None
                    self._strings.append(_unescape(text))
        return self._strings

    def merges(self, sheet):
        """[(first_row, first_col, last_row, last_col)] 1-based rows, 0-based columns.

        mergeCells sits after sheetData, so the member is decompressed once just to reach it
        (cheap next to parsing) and rows can then stream with merges known.
        """
        member = self._member(sheet)
        tail = b""
        found = False
        with self.zip.open(member) as fh:
            while True:
                chunk = fh.read(1 << 22)
                if not chunk:
                    break
                if found:
                    tail += chunk
                    if _MERGES_END_RE.search(tail, max(0, len(tail) - len(chunk) - 32)):
                        break  # what follows (formats, validations, hyperlinks) is not needed
                    if len(tail) > 64 * limits.MAX_MERGED_RANGES:  # ~64 bytes per <mergeCell>
                        if b"mergeCell" not in tail:
                            tail = b""  # no merged ranges: the rest is something else
                            break
                        raise self._too_many_merges(sheet)
                    continue
                joined = tail[-32:] + chunk
                pos = joined.find(b"</sheetData>")
                if pos < 0:
                    pos = joined.find(b":sheetData>") if b"</" in joined and b":sheetData>" in joined else -1
                if pos >= 0:
                    found = True
                    tail = joined[pos:]
                    if _MERGES_END_RE.search(tail):
                        break
                else:
                    tail = joined[-32:]
        result = set()
        for a, b in _MERGE_RE.findall(tail):
            ma, mb = _CELL_REF_RE.match(a.decode()), _CELL_REF_RE.match(b.decode())
            if ma is None or mb is None:  # more than three letters: beyond XFD
                raise self._beyond_sheet(sheet, "{}:{}".format(a.decode(), b.decode()))
            r1, c1, r2, c2 = int(ma.group(2)), column_index(ma.group(1)), int(mb.group(2)), column_index(mb.group(1))
            r1, r2 = min(r1, r2), max(r1, r2)
            c1, c2 = min(c1, c2), max(c1, c2)
            if r1 < 1 or r2 > limits.MAX_ROWS or c2 >= limits.MAX_COLUMNS:
                raise self._beyond_sheet(sheet, "{}:{}".format(a.decode(), b.decode()))
            result.add((r1, c1, r2, c2))
            if len(result) > limits.MAX_MERGED_RANGES:
                raise self._too_many_merges(sheet)
        return sorted(result)

    def _too_many_merges(self, sheet):
        return TableError(tr("{}, sheet '{}': more than {:,} merged cell ranges; LandEval does not read such a sheet. "
                             "Unmerge the cells (or copy the values into a new sheet) and try again.").format(
            os.path.basename(self.path), sheet, limits.MAX_MERGED_RANGES))

    def _beyond_sheet(self, sheet, ref):
        return TableError(tr("{}, sheet '{}': cell reference {} lies beyond the largest Excel sheet ({:,} rows × {:,} "
                             "columns, A1:XFD1048576); the workbook is damaged or was not written by Excel.").format(
            os.path.basename(self.path), sheet, ref, limits.MAX_ROWS, limits.MAX_COLUMNS))

    def _bad_cell(self, sheet, ref, exc):
        return TableError(tr("{}, sheet '{}', cell {}: the stored value cannot be read ({}); the workbook is damaged. "
                             "Open it in Excel or WPS, save it again and retry.").format(
            os.path.basename(self.path), sheet, ref, exc))

    def rows(self, sheet):
        """Yield (row number 1-based, [values]) for the sheet, in order; empty rows skipped.

        Fast path: Excel, WPS and openpyxl write ``<c r="B7" ...>`` with the reference on every
        cell, so one regular expression over the text gives row, column, type and value.
        Sheets written without references (or with a namespace prefix) take the slower
        row-by-row path.
        """
        member = self._member(sheet)
        with self.zip.open(member) as fh:
            probe = fh.read(1 << 16)
        start = probe.find(b"<sheetData")
        sample = probe[start:] if start >= 0 else probe
        sample = sample[:sample.rfind(b">") + 1]  # a tag cut at the probe's end ('<c r') is not a cell without r=
        fast = b"<c " in sample and sample.count(b"<c ") == sample.count(b'<c r="')
        if not fast and b"<c>" not in sample and b"<c " not in sample and b":c " not in sample:
            fast = True  # empty sheet or only empty rows
        return self._rows_fast(member, sheet) if fast else self._rows_slow(member, sheet)

    def fraction(self, sheet):
        """Share of the sheet's XML streamed so far (0–1), for progress bars."""
        member = self._member(sheet)
        size = self.zip.getinfo(member).file_size or 1
        return min(1.0, self._done.get(member, 0) / size)

    def _chunks(self, member, boundary, start=None, sheet=None):
        """Pieces of the member that end on ``boundary``. Without one for 16 MB (a sheet of empty
        self-closing cells, or a hostile one), the piece ends before the last element ``start``
        instead, so memory stays bounded whatever the sheet declares."""
        buf = b""
        self._done[member] = 0
        with self.zip.open(member) as fh:
            while True:
                chunk = fh.read(1 << 20)
                self._done[member] += len(chunk)
                if not chunk:
                    if buf:
                        yield buf
                    return
                buf += chunk
                cut = buf.rfind(boundary)
                if cut < 0:
                    if len(buf) < _MAX_PIECE or start is None:
                        continue
                    cut = buf.rfind(start)
                    if cut <= 0:
                        if start != b"<c ":  # one row longer than 16 MB
                            raise TableError(tr("{}, sheet '{}': a row of the sheet is longer than {} MB; the workbook "
                                                "is damaged or was not written by Excel.").format(
                                os.path.basename(self.path), sheet, _MAX_PIECE >> 20))
                        cut = len(buf)  # no cell starts in it: nothing is cut in two
                    yield buf[:cut]
                    buf = buf[cut:]
                    continue
                cut += len(boundary)
                yield buf[:cut]
                buf = buf[cut:]

    def _rows_fast(self, member, sheet=None):
        strings = self.strings()
        col_cache = {}
        current = None
        values = None
        findall = _FAST_CELL_RE.findall
        max_cols = limits.MAX_COLUMNS
        letters = rownum = b""
        for part in self._chunks(member, b"</c>", b"<c ", sheet):
            try:  # a damaged cell (bad shared-string index, text stored as a number) is named
                for letters, rownum, attrs, formula, v, istext, inner in findall(part):
                    if rownum != current:
                        if len(rownum) > 7 and int(rownum) > limits.MAX_ROWS:
                            raise self._beyond_sheet(sheet, (letters + rownum).decode())
                        if values:
                            while values and values[-1] is None:
                                values.pop()
                            if values:
                                yield int(current), values
                        current = rownum
                        values = []
                    col = col_cache.get(letters)
                    if col is None:
                        if len(letters) > 3 or column_index(letters.decode()) >= max_cols:
                            raise self._beyond_sheet(sheet, (letters + rownum).decode())
                        col = col_cache[letters] = column_index(letters.decode())
                    if v:
                        if b"t=" in attrs:
                            tm = _ATTR_T_RE.search(attrs)
                            kind = tm.group(1) if tm else b"n"
                            if kind == b"s":
                                value = strings[int(v)]
                            elif kind == b"n":
                                value = _number(v) if v else None
                            elif kind == b"b":
                                value = v == b"1"
                            else:
                                value = _unescape(v.decode("utf-8"))
                        else:
                            value = _number(v) if v else None
                    elif formula:
                        value = FormulaCell("=" + _unescape(formula.decode("utf-8")))
                    elif istext:
                        value = _unescape(istext.decode("utf-8"))
                    elif inner:
                        value = _cell_value(attrs, inner, strings)
                    else:
                        value = None
                    if value is None:
                        continue
                    n = len(values)
                    if col > n:
                        values.extend([None] * (col - n))
                        values.append(value)
                    elif col == n:
                        values.append(value)
                    else:
                        values[col] = value
            except (IndexError, ValueError, UnicodeDecodeError, OverflowError) as exc:
                raise self._bad_cell(sheet, (letters + rownum).decode("ascii", "replace"), exc) from None
        if values:
            while values and values[-1] is None:
                values.pop()
            if values:
                yield int(current), values

    def _rows_slow(self, member, sheet=None):
        self._last_ref = "?"
        try:
            yield from self._rows_slow_loop(member, sheet)
        except (IndexError, ValueError, UnicodeDecodeError, OverflowError) as exc:
            raise self._bad_cell(sheet, self._last_ref, exc) from None

    def _rows_slow_loop(self, member, sheet):
        strings = self.strings()
        next_row = 1
        for part in self._chunks(member, b"row>", b"<row", sheet):
            for row_match in _ROW_RE.finditer(part):
                attrs, inner = row_match.groups()
                rr = _ATTR_ROW_R_RE.search(attrs)
                rownum = int(rr.group(1)) if rr else next_row
                next_row = rownum + 1
                self._last_ref = "row {}".format(rownum)
                if rownum > limits.MAX_ROWS:
                    raise self._beyond_sheet(sheet, self._last_ref)
                if not inner:
                    continue
                values = []
                col = 0
                for cell in _CELL_RE.finditer(inner):
                    cattrs, cinner = cell.groups()
                    ref = _ATTR_R_RE.search(cattrs)
                    if ref:
                        self._last_ref = (ref.group(1) + ref.group(2)).decode("ascii", "replace")
                        col = column_index(ref.group(1).decode())
                    else:
                        self._last_ref = "{}{}".format(column_letter(col), rownum)
                    if col >= limits.MAX_COLUMNS:
                        raise self._beyond_sheet(sheet, self._last_ref)
                    if col > len(values):
                        values.extend([None] * (col - len(values)))
                    values.append(_cell_value(cattrs, cinner, strings))
                    col += 1
                while values and values[-1] is None:
                    values.pop()
                if values:
                    yield rownum, values


def _number(raw):
    if b"." in raw or b"E" in raw or b"e" in raw:
        return float(raw)
    number = int(raw)
    return number if abs(number) < 10 ** 15 else float(number)


def _cell_value(attrs, inner, strings):
    if not inner:
        return None
    tm = _ATTR_T_RE.search(attrs)
    kind = tm.group(1) if tm else b"n"
    if kind == b"inlineStr":
        text = b"".join(t.group(1) or b"" for t in _T_RE.finditer(_RPH_RE.sub(b"", inner))).decode("utf-8")
        return _unescape(text)
    vm = _V_RE.search(inner)
    if vm is None:
        fm = _F_RE.search(inner)
        return FormulaCell("=" + _unescape(fm.group(1).decode("utf-8"))) if fm else None
    raw = vm.group(1)
    if kind == b"n":
        if not raw:
            return None
        return _number(raw)
    if kind == b"s":
        return strings[int(raw)]
    if kind == b"b":
        return raw == b"1"
    return _unescape(raw.decode("utf-8"))  # str, e (errors such as #N/A), d


def _openpyxl_rows(path, sheet):
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet]
        if (ws.max_row or 0) > limits.MAX_ROWS or (ws.max_column or 0) > limits.MAX_COLUMNS:
            raise TableError(tr("{}, sheet '{}': cell reference {} lies beyond the largest Excel sheet ({:,} rows × {:,} "
                                "columns, A1:XFD1048576); the workbook is damaged or was not written by Excel.").format(
                os.path.basename(path), sheet, "{}{}".format(column_letter(max(ws.max_column or 1, 1) - 1),
                                                             ws.max_row or 1), limits.MAX_ROWS, limits.MAX_COLUMNS))
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            if number > limits.MAX_ROWS:  # openpyxl yields the empty rows before a far one, one by one
                raise TableError(tr("{}, sheet '{}': cell reference {} lies beyond the largest Excel sheet ({:,} rows "
                                    "× {:,} columns, A1:XFD1048576); the workbook is damaged or was not written by "
                                    "Excel.").format(os.path.basename(path), sheet, "A{}".format(number),
                                                     limits.MAX_ROWS, limits.MAX_COLUMNS))
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            if values:
                yield number, [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else v
                               for v in values]
    finally:
        wb.close()


# ---------------------------------------------------------------------------------------
# .csv access

def read_csv_rows(path):
    """(encoding, [(row number, values)]): UTF-8 (with or without BOM), else GBK/GB18030."""
    with open(path, "rb") as fh:
        data = fh.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(tr("{} is neither UTF-8 nor GBK text.").format(os.path.basename(path)))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), 1):
        values = [None if v.strip() == "" else v for v in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return ("GBK" if encoding == "gb18030" else "UTF-8"), rows


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


def _apply_merges_to_head(head, merges):
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


def _dedupe_columns(columns, sheet, table):
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

def sheet_names(path):
    """Visible sheet names of a workbook (one pseudo-sheet for .csv)."""
    kind = check_file(path)
    if kind == "csv":
        return [os.path.splitext(os.path.basename(path))[0]]
    book = XlsxBook(path)
    try:
        return book.sheet_names(include_hidden=False)
    finally:
        book.close()


def _form_info(book):
    """(is a LandEval 一地一表 forms workbook, [parcel sheets])."""
    names = book.sheet_names()
    if FORM_MARKER_SHEET not in names:
        return False, []
    sheets = []
    for _, values in book.rows(FORM_MARKER_SHEET):
        if len(values) >= 2 and values[0] == "sheet" and values[1]:
            sheets.append(str(values[1]))
    return True, sheets


def open_sheet(path, sheet=None):
    """(sheet name, [(row, values)] or row iterator, merges, close function) for one sheet."""
    kind = check_file(path)
    if kind == "csv":
        _, rows = read_csv_rows(path)
        return os.path.splitext(os.path.basename(path))[0], iter(rows), [], lambda: None
    book = XlsxBook(path)
    names = book.sheet_names(include_hidden=False)
    if not names:
        book.close()
        raise TableError(tr("{} has no visible sheet.").format(os.path.basename(path)))
    sheet = sheet or names[0]
    if sheet not in book.sheet_names():
        book.close()
        raise TableError(tr("Sheet '{}' not found in {}; sheets: {}").format(
            sheet, os.path.basename(path), ", ".join(names)))
    return sheet, book.rows(sheet), book.merges(sheet), book.close


def read_head(rows, merges):
    """(buffered head rows with merges applied, the rest of the iterator)."""
    rows = iter(rows)
    head = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    return _apply_merges_to_head(head, merges), rows


def preview(path, sheet=None, mapping=None):
    """(sheet names, chosen sheet, [Column] or None, header rows) for the mapping editor."""
    kind = check_file(path)
    interpreter = HeaderInterpreter(as_mapping(mapping))
    if kind == "csv":
        _, rows = read_csv_rows(path)
        names = [os.path.splitext(os.path.basename(path))[0]]
        head = rows[:HEADER_SCAN_ROWS]
        merges = []
    else:
        book = XlsxBook(path)
        try:
            names = book.sheet_names(include_hidden=False)
            if not names:
                raise TableError(tr("{} has no visible sheet.").format(os.path.basename(path)))
            is_form, form_sheets = _form_info(book)
            if not sheet or sheet in ("*", "全部"):  # all sheets: show the first one's columns
                sheet = form_sheets[0] if is_form and form_sheets else names[0]
            head = []
            for item in book.rows(sheet):
                head.append(item)
                if len(head) >= HEADER_SCAN_ROWS:
                    break
            merges = book.merges(sheet)
        finally:
            book.close()
    sheet = sheet or names[0]
    head = _apply_merges_to_head(head, merges)
    found = detect_header(head, interpreter)
    if not found:
        return names, sheet, None, None
    first, last, columns = found
    return names, sheet, resolve_units(columns), (first, last)


def read_table(path, sheet=None, mapping=None, engine="fast", feedback=None):
    """Read a workbook into a :class:`Table` (all rows of the chosen sheet(s)).

    ``sheet``: a name, '*' for every visible sheet, or None/'' for the first sheet (for a
    LandEval forms workbook: all parcel sheets). ``mapping``: text or dict from
    :func:`parse_mapping`. Raises TableError for unusable files, sheets or headers.
    """
    kind = check_file(path)
    interpreter = HeaderInterpreter(as_mapping(mapping))
    table = Table(path)
    if kind == "csv":
        table.encoding, rows = read_csv_rows(path)
        name = os.path.splitext(os.path.basename(path))[0]
        _read_sheet(table, name, iter(rows), [], interpreter, feedback, quiet_text_numbers=True)
    else:
        book = XlsxBook(path)
        try:
            names = book.sheet_names(include_hidden=False)
            if not names:
                raise TableError(tr("{} has no visible sheet.").format(os.path.basename(path)))
            is_form, form_sheets = _form_info(book)
            table.is_form = is_form
            if sheet in ("*", "全部"):
                chosen = [n for n in names if n != FORM_MARKER_SHEET]
            elif sheet:
                if sheet not in book.sheet_names():
                    raise TableError(tr("Sheet '{}' not found in {}; sheets: {}").format(
                        sheet, os.path.basename(path), ", ".join(names)))
                chosen = [sheet]
            elif is_form:
                chosen = [n for n in form_sheets if n in names]
            else:
                chosen = [names[0]]
            for i, name in enumerate(chosen):
                if feedback is not None and feedback.isCanceled():
                    return table
                merges = book.merges(name)
                rows = book.rows(name) if engine == "fast" else _openpyxl_rows(path, name)
                single = len(chosen) == 1
                _read_sheet(table, name, rows, merges, interpreter, feedback if single else None,
                            allow_no_header=not single, progress=(lambda n=name: book.fraction(n)) if single else None)
                if feedback is not None and not single:
                    feedback.setProgress(100.0 * (i + 1) / len(chosen))
            if is_form:
                from .forms import read_form_attributes

                table.form_attributes = read_form_attributes(path, chosen)
        finally:
            book.close()
    if not table.sheets:
        raise TableError(tr("No sheet of {} has a recognisable key column (宗地代码 or 统一社会信用代码). "
                            "Check the header row or set the column mapping.").format(os.path.basename(path)))
    has_year_col = any(c.field == "year" for cols in table.columns.values() for c in cols)
    has_wide = any(c.year is not None and c.field not in TEXT_FIELDS for cols in table.columns.values() for c in cols)
    table.layout = "wide" if has_wide else "long" if has_year_col else "none"
    return table


def _read_sheet(table, sheet, rows, merges, interpreter, feedback, quiet_text_numbers=False, allow_no_header=False,
                progress=None):
    head = []
    rows = iter(rows)
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    filled_head = _apply_merges_to_head(head, merges)
    found = detect_header(filled_head, interpreter)
    if not found:
        if allow_no_header:
            table.skipped.append((sheet, None, tr("sheet has no recognisable key column: not read"), ""))
            return
        raise TableError(tr("Sheet '{}' of {} has no recognisable key column (宗地代码 or 统一社会信用代码) in its "
                            "first {} rows. Check the header row or set the column mapping.").format(
            sheet, os.path.basename(table.path), HEADER_SCAN_ROWS))
    first, last, columns = found
    columns = resolve_units(columns)
    columns = _dedupe_columns(columns, sheet, table)
    table.sheets.append(sheet)
    table.columns[sheet] = columns
    table.header_rows[sheet] = (first, last)
    table.unused_columns[sheet] = [c.header for c in columns if c.field is None and c.header]
    for c in columns:
        if c.note:
            table.problems.append((sheet, None, c.letter, c.header, c.unit or "", c.note))
    specs = schema.fields()
    used = [c for c in columns if c.field]
    numeric = []
    for c in used:
        unit_key = specs[c.field].get("unit")
        if c.field not in TEXT_FIELDS and specs[c.field].get("type") in ("double", "int"):
            numeric.append((c.index, c.field, c.year, NumberCleaner(unit_key, c.factor), c.letter, c.header,
                            unit_key))
    text_cols = {c.field: c.index for c in used if c.field in TEXT_FIELDS}
    pc_idx = text_cols.get("parcel_code")
    cc_idx = text_cols.get("credit_code")
    nm_idx = text_cols.get("enterprise_name")
    yr_idx = text_cols.get("year")
    sc_idx = text_cols.get("scale")
    letters = {c.index: (c.letter, c.header) for c in columns}
    # merged cells in the data: text keys are copied down/right, numbers stay in the first cell.
    # Ranges are clipped to the table's columns and applied to the rows the sheet really has
    # (a sweep over ranges sorted by first row), so a range over the whole sheet costs nothing.
    width = len(columns)
    numeric_idx = {n[0] for n in numeric}
    data_merges = sorted((r1, c1, r2, min(c2, width - 1)) for r1, c1, r2, c2 in merges
                         if r2 > last and c1 < width)
    sources_by_row = {}
    for r1, c1, _, _ in data_merges:
        sources_by_row.setdefault(r1, []).append(c1)
    merge_pos, active = 0, []
    merged_source = {}
    changes, problems, skipped = table.changes, table.problems, table.skipped
    out_rows = table.rows

    def data_rows():
        for item in head:
            if item[0] > last:
                yield item
        for item in rows:
            yield item

    text_number_reason = tr("number stored as text converted")
    negative_reason = tr("negative value: flagged and left missing")
    years_seen = table.years
    scale_cache = {}
    count = 0
    for rnum, values in data_rows():
        count += 1
        if feedback is not None and count % 5000 == 0:
            if feedback.isCanceled():
                return
            if progress is not None:
                feedback.setProgress(99.0 * progress())
        if rnum in sources_by_row:
            for c in sources_by_row[rnum]:
                if c < len(values) and values[c] is not None:
                    merged_source[(rnum, c)] = values[c]
        targets = None
        if data_merges:
            while merge_pos < len(data_merges) and data_merges[merge_pos][0] <= rnum:
                active.append(data_merges[merge_pos])
                merge_pos += 1
            if active:
                active = [m for m in active if m[2] >= rnum]
                targets = [(c, (r1, c1)) for r1, c1, r2, c2 in active for c in range(max(c1, 0), c2 + 1)
                           if (rnum, c) != (r1, c1)]
                if len(targets) > 1 and len({c for c, _ in targets}) < len(targets):  # a cell in two ranges:
                    # overlapping merged ranges, which Excel refuses to open
                    raise TableError(tr("{}, sheet '{}': merged cell ranges overlap on row {}; the workbook is "
                                        "damaged. Unmerge the cells and try again.").format(
                        os.path.basename(table.path), sheet, rnum))
        if targets:
            values = list(values)
            for c, src in targets:
                if src not in merged_source:
                    continue
                if c >= len(values):
                    values.extend([None] * (c + 1 - len(values)))
                if values[c] is not None:
                    continue
                if c in numeric_idx:
                    letter, header = letters.get(c, (column_letter(c), ""))
                    changes.append((sheet, rnum, letter, header, merged_source[src], None,
                                    tr("merged cell: the number counts once, on row {}").format(src[0])))
                else:
                    values[c] = merged_source[src]
        table.data_rows += 1
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank line: no content at all, nothing to report
        texts = [v for v in values[:6] if isinstance(v, str) and "计" in v]
        if texts and any(fold(t).replace(" ", "") in TOTAL_WORDS for t in texts):
            skipped.append((sheet, rnum, tr("total row (合计/小计): not an enterprise"), _row_text(values)))
            continue
        ent = EntRow(sheet, rnum)
        if pc_idx is not None and pc_idx < len(values) and values[pc_idx] is not None:
            raw = values[pc_idx]
            codes = []
            parts = _CODE_SPLIT_RE.split(raw) if isinstance(raw, str) and _CODE_SEPARATORS.intersection(raw) \
                else [raw]
            for part in parts:
                code, reasons = clean_code(part)
                if code:
                    codes.append(code)
                for reason in reasons:
                    changes.append((sheet, rnum, letters[pc_idx][0], letters[pc_idx][1], visible(raw), code, reason))
            if len(codes) > 1:
                changes.append((sheet, rnum, letters[pc_idx][0], letters[pc_idx][1], visible(raw), " | ".join(codes),
                                tr("several parcel codes in one cell: the enterprise is split over them")))
            ent.parcel_codes = tuple(dict.fromkeys(codes))
        if cc_idx is not None and cc_idx < len(values):
            code, reasons = clean_code(values[cc_idx])
            ent.credit_code = code
            for reason in reasons:
                changes.append((sheet, rnum, letters[cc_idx][0], letters[cc_idx][1], visible(values[cc_idx]), code,
                                reason))
        if nm_idx is not None and nm_idx < len(values):
            ent.name = clean_text(values[nm_idx])
            if has_control(values[nm_idx]):
                changes.append((sheet, rnum, letters[nm_idx][0], letters[nm_idx][1], visible(values[nm_idx]),
                                ent.name, tr("control characters removed")))
        if sc_idx is not None and sc_idx < len(values) and values[sc_idx] is not None:
            raw_scale = values[sc_idx]
            ent.scale = scale_cache.get(raw_scale, "?")
            if ent.scale == "?":
                ent.scale = scale_cache[raw_scale] = clean_scale(raw_scale)
            if ent.scale is None and not is_missing_token(values[sc_idx]):
                problems.append((sheet, rnum, letters[sc_idx][0], letters[sc_idx][1], values[sc_idx],
                                 tr("not 规上 or 规下: left empty")))
        row_year = None
        year_problem = None  # reported once the row is known to be an enterprise row
        if yr_idx is not None:
            raw = values[yr_idx] if yr_idx < len(values) else None
            row_year = clean_year(raw)
            if row_year is None and raw is not None and not is_missing_token(raw):
                year_problem = (sheet, rnum, letters[yr_idx][0], letters[yr_idx][1], raw,
                                tr("not a year: the row's values cannot be dated"))
            elif row_year is None:
                year_problem = (sheet, rnum, letters[yr_idx][0], letters[yr_idx][1], raw,
                                tr("year missing: the row's values cannot be dated"))
        has_value = False
        nvals = len(values)
        row_dict = None
        for idx, field, col_year, cleaner, letter, header, unit_key in numeric:
            if idx >= nvals:
                continue
            raw = values[idx]
            if raw is None:
                continue
            cls = raw.__class__
            if (cls is float or cls is int) and cleaner.is_one:
                value = float(raw)  # the common case: a plain number in a standard-unit column
                if value - value != 0.0:  # inf - inf and NaN - NaN are NaN: 1e309 in a cell
                    problems.append((sheet, rnum, letter, header, visible(str(raw)), NOT_FINITE()))
                    continue
            else:
                value, reasons, error = cleaner.clean(raw)
                if error is not None:
                    problems.append((sheet, rnum, letter, header, visible(raw), visible(error)))
                    continue
                if reasons and not (quiet_text_numbers and len(reasons) == 1 and value is not None
                                    and reasons[0] == text_number_reason):
                    changes.append((sheet, rnum, letter, header, raw, value, "; ".join(reasons)))
                if value is None:
                    continue
            if value < 0:
                problems.append((sheet, rnum, letter, header, raw, negative_reason))
                continue
            if col_year is None:
                if row_year is None:
                    if yr_idx is not None:
                        continue
                if row_dict is None:
                    row_dict = ent.values.setdefault(row_year, {})
                row_dict[field] = value
            else:
                ent.values.setdefault(col_year, {})[field] = value
                years_seen.add(col_year)
            has_value = True
        if row_year is not None:
            years_seen.add(row_year)
            if row_dict is None:
                ent.values.setdefault(row_year, {})
        if not ent.parcel_codes and not ent.credit_code and not ent.name and not has_value:
            skipped.append((sheet, rnum, tr("no enterprise, no code and no value: not an enterprise row"),
                            _row_text(values)))
            continue
        if not ent.credit_code and not ent.name and not has_value:
            # an unused spare line of a form (parcel code only): listed once, not also as a data problem
            skipped.append((sheet, rnum, tr("only a parcel code, no enterprise and no value (empty form line)"),
                            _row_text(values)))
            continue
        if year_problem is not None:
            problems.append(year_problem)
        out_rows.append(ent)


def _row_text(values):
    return visible(" | ".join("" if v is None else str(v) for v in values)[:200])


@functools.lru_cache(maxsize=1)
def value_fields():
    """Numeric enterprise fields in schema order (tax_10k ... fixed_assets_10k)."""
    specs = schema.fields()
    return tuple(f for f in schema.field_names("enterprise") if f not in TEXT_FIELDS
            and specs[f].get("type") in ("double", "int"))


def decimals_for(field):
    return DECIMALS.get(schema.fields()[field].get("unit"), 6)
