"""Text stays text in every CSV file LandEval writes (docs/reliability/text.md, "CSV files").

A spreadsheet opening a CSV file reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, a tab or carriage return) as a formula: a reason ``=HYPERLINK("http://…")`` or
a DDE payload ``=cmd|' /C calc'!A0`` typed at a meeting or read from a bureau's workbook would
run when the minutes are opened. As OWASP's "CSV Injection" advice says, such text is written
with a leading apostrophe ``'`` (Excel shows the text; the apostrophe is visible in a text editor
and says why). Numbers stay numbers: an int or float is written as it is, and so is text that is
a plain number (``-12.5``, ``+3``), which a spreadsheet reads as that number and never as a formula.

``cell(value)`` makes one value safe; ``writer(fh)`` is ``csv.writer`` whose rows are made safe.
"""
import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def needs_quote(text):
    """True for text a spreadsheet would read as a formula."""
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text.strip())


def cell(value):
    """``value`` for a CSV cell: formula-like text with a leading ``'``, anything else unchanged
    (None stays None: the caller decides how an empty cell is written)."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def row(values):
    return [cell(v) for v in values]


class _SafeWriter:
    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, values):
        return self._writer.writerow(row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def writer(fh, **kwargs):
    """A ``csv.writer`` over ``fh`` that writes every row through ``cell()``."""
    return _SafeWriter(fh, **kwargs)
