"""Text stays text in every workbook LandEval writes (docs/reliability/text.md).

Parcel codes, owner and enterprise names, addresses and the like come from the planner's or
a bureau's data. openpyxl stores a string that starts with ``=`` as a live formula (so
``=HYPERLINK(...)`` or a DDE payload ``=cmd|' /C calc'!A0`` would run when the sheet is
opened), turns ``#N/A`` into an error value and raises IllegalCharacterError on control
characters. Every writer puts such values into cells through this module:

* ``set_text(cell, value)`` / ``text_cell(ws, value)`` (write-only sheets): strings are stored
  with data_type 's' whatever they start with, and with Excel's quote prefix when they start
  with = + - @ (so editing the cell in Excel keeps it text); other values go in unchanged.
* control characters (\\x00-\\x1f except tab, line feed, carriage return, and \\x7f) are
  removed, text longer than Excel's 32,767 characters is cut; each change is recorded in a
  ``TextLog`` (where, what) when one is given, so the run can say which parcel and field.
* ``header_footer(text)``: data in a header or footer with ``&`` doubled (``&P`` would be
  read as the page number) and control characters removed.
"""
import re

FORMULA_START = ("=", "+", "-", "@")
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_CELL_CHARS = 32767


def clean(text, tr=None):
    """(text without control characters, cut to 32,767 characters; list of what was changed,
    in the language of ``tr``, QGIS's by default)."""
    if len(text) <= MAX_CELL_CHARS and not CONTROL_CHARS.search(text):
        return text, []
    if tr is None:
        from ...i18n import tr

    changes = []
    found = CONTROL_CHARS.findall(text)
    if found:
        text = CONTROL_CHARS.sub("", text)
        changes.append(tr("control characters removed: {}").format(
            " ".join(sorted({"\\x{:02x}".format(ord(c)) for c in found}))))
    if len(text) > MAX_CELL_CHARS:
        changes.append(tr("text cut from {} to {} characters (the most a cell holds)").format(
            len(text), MAX_CELL_CHARS))
        text = text[:MAX_CELL_CHARS]
    return text, changes


class TextLog:
    """What was cleaned, as (where, what): ``where`` names the sheet, parcel and field. ``tr``:
    the language of the notes (the forms are Chinese whatever QGIS shows)."""

    def __init__(self, tr=None):
        self.items = []
        self.tr = tr

    def add(self, where, what):
        self.items.append((CONTROL_CHARS.sub("?", str(where)), what))

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)

    def summary(self, limit=20):
        lines = ["{}: {}".format(where, what) for where, what in self.items[:limit]]
        if len(self.items) > limit:
            lines.append("… (+{})".format(len(self.items) - limit))
        return "; ".join(lines)


def _text(value, log, where, cell=None):
    text, changes = clean(value, getattr(log, "tr", None))
    if changes and log is not None:
        if where is None and cell is not None:  # the sheet and cell, e.g. 目录!B7
            parent = getattr(cell, "parent", None)
            where = "{}!{}".format(getattr(parent, "title", "?"), cell.coordinate)
        for what in changes:
            log.add(where or "?", what)
    return text


def set_text(cell, value, log=None, where=None):
    """Put ``value`` into an openpyxl cell; a string always stays a string (never a formula,
    never an error value). Returns the cell."""
    if isinstance(value, str):
        text = _text(value, log, where, cell)
        cell.value = text
        cell.data_type = "s"  # openpyxl infers a formula from '=...' and an error value from '#N/A'
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def text_cell(ws, value, log=None, where=None):
    """A write-only cell for ``ws`` holding ``value`` as set_text() would."""
    from openpyxl.cell import WriteOnlyCell

    return set_text(WriteOnlyCell(ws), value, log, where or getattr(ws, "title", None))


ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")  # openpyxl's ERROR_CODES


def plain_text(value):
    """True for a string openpyxl stores as text unaided (the fast path for big sheets)."""
    return (not value.startswith(FORMULA_START) and value not in ERROR_VALUES and len(value) <= MAX_CELL_CHARS
            and not CONTROL_CHARS.search(value))


def row_of_cells(ws, values, log=None, where=None):
    """A row for ``ws.append`` (normal or write-only sheets): every string stored as text, other
    values as they are. Plain text goes in as it is (openpyxl stores it as text; a cell object
    per value would slow down sheets of hundreds of thousands of lines)."""
    return [text_cell(ws, v, log, where) if isinstance(v, str) and not plain_text(v) else v for v in values]


def write_text(ws, row, column, value, log=None, where=None):
    """``ws.cell(row, column)`` holding ``value`` as set_text() would."""
    return set_text(ws.cell(row=row, column=column), value, log, where)


def header_footer(text, log=None, where=None):
    """Data for a header or footer: ``&`` doubled, control characters removed."""
    text = _text("" if text is None else str(text), log, where)
    return text.replace("&", "&&")
