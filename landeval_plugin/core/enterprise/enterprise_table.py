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
import os
import re
from array import array
from collections.abc import Mapping

from ...i18n import tr
from .. import schema
from ..formats.xlsx_reader import TableError, XlsxBook, check_file, column_letter, openpyxl_rows, read_csv_rows
from .enterprise_clean import (
    NOT_FINITE,
    NumberCleaner,
    clean_code,
    clean_scale,
    clean_text,
    clean_year,
    fold,
    has_control,
    is_missing_token,
    visible,
)
from .forms import FORM_MARKER_SHEET
from .header import (
    HEADER_SCAN_ROWS,
    TEXT_FIELDS,
    TOTAL_WORDS,
    HeaderInterpreter,
    apply_merges_to_head,
    as_mapping,
    dedupe_columns,
    detect_header,
    resolve_units,
)

_CODE_SPLIT_RE = re.compile(r"[,，、;；\n]+")
_CODE_SEPARATORS = frozenset(",，、;；\n")


class Values(Mapping):
    """A row's {field: value} for one year, read-only and compact: the field order (a dict
    {field: position}) is shared by every row with the same fields, the numbers sit in an
    array of doubles (8 bytes each instead of a float object and a dict entry). Behaves as the
    dict it was made from: same keys in the same order, same values, equal to that dict."""

    __slots__ = ("_index", "_values")

    def __init__(self, index, values):
        self._index, self._values = index, values

    @classmethod
    def of(cls, mapping, shared):
        """From a dict; ``shared``: {field tuple: index dict} of the table being read."""
        keys = tuple(mapping)
        index = shared.get(keys)
        if index is None:
            index = shared[keys] = {k: i for i, k in enumerate(keys)}
        numbers = list(mapping.values())
        if all(v.__class__ is float for v in numbers):
            return cls(index, array("d", numbers))
        return cls(index, tuple(numbers))  # anything but plain floats is kept as it came

    def __getitem__(self, key):
        return self._values[self._index[key]]

    def get(self, key, default=None):
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key):
        return key in self._index

    def __iter__(self):
        return iter(self._index)

    def __len__(self):
        return len(self._index)

    def keys(self):
        return self._index.keys()

    def items(self):
        return zip(self._index, self._values)

    def values(self):
        return iter(self._values)

    def __eq__(self, other):
        if isinstance(other, Values) and other._index is self._index:
            return self._values == other._values if self._values.__class__ is other._values.__class__ \
                else list(self._values) == list(other._values)
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(dict(self.items()))


class EntRow:
    """One data row: keys and {year or None: {field: value in standard units}} (read-only
    :class:`Values` once the row is read)."""

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
        self._shared_keys = {}     # field tuple -> {field: position}, shared by the rows' Values


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
    try:
        names = _visible_sheets(book, path)
        sheet = sheet or names[0]
        _check_sheet(book, sheet, names, path)
    except TableError:
        book.close()
        raise
    return sheet, book.rows(sheet), book.merges(sheet), book.close


def _visible_sheets(book, path):
    """The visible sheet names of ``book``; TableError when there is none."""
    names = book.sheet_names(include_hidden=False)
    if not names:
        raise TableError(tr("{} has no visible sheet.").format(os.path.basename(path)))
    return names


def _check_sheet(book, sheet, names, path):
    """TableError naming the visible sheets ``names`` when ``book`` has no sheet ``sheet``."""
    if sheet not in book.sheet_names():
        raise TableError(tr("Sheet '{}' not found in {}; sheets: {}").format(
            sheet, os.path.basename(path), ", ".join(names)))


def _no_header(sheet, path):
    """The error for a sheet without a recognisable key column in its head."""
    return TableError(tr("Sheet '{}' of {} has no recognisable key column (宗地代码 or 统一社会信用代码) in its "
                         "first {} rows. Check the header row or set the column mapping.").format(
        sheet, os.path.basename(path), HEADER_SCAN_ROWS))


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
            names = _visible_sheets(book, path)
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
    head = apply_merges_to_head(head, merges)
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
    stream = TableStream(path, sheet=sheet, mapping=mapping, engine=engine)
    table = stream.table
    try:
        table.rows = list(stream.rows(feedback))
    finally:
        stream.close()
    table.layout = _layout(table.columns.values())
    return table


class TableStream:
    """A workbook read row by row: the rows are yielded as they are read (nothing kept per row),
    everything else goes into ``table`` as :func:`read_table` fills it, in the same order.

    Opening it reads every chosen sheet's header first (and its merged ranges, kept for the
    rows), so ``table.layout`` is known before the first row: a join needs it (a layout of
    ``none`` takes a row's undated values as the evaluation year's). An error met there on a
    later sheet (merged ranges, a damaged head) is raised when the rows reach that sheet, as
    reading sheet by sheet raised it; ``layout_confirmed()`` says, once every row is read,
    whether the columns read give the layout announced."""

    def __init__(self, path, sheet=None, mapping=None, engine="fast"):
        kind = check_file(path)
        self._interpreter = HeaderInterpreter(as_mapping(mapping))
        self.table = table = Table(path)
        self._engine = engine
        self._book = None
        self._csv_rows = None
        self._sheets = []        # [(sheet name, merges)] in reading order
        self._deferred = None    # (position in _sheets, TableError): raised when the rows reach that sheet
        self._done = False
        heads = []               # [(sheet, columns or None)]
        if kind == "csv":
            table.encoding, self._csv_rows = read_csv_rows(path)
            name = os.path.splitext(os.path.basename(path))[0]
            self._chosen = [name]
            self._sheets.append((name, []))
            heads.append((name, self._head_columns(name, iter(self._csv_rows), [])))
        else:
            self._book = book = XlsxBook(path)
            try:
                names = _visible_sheets(book, path)
                is_form, form_sheets = _form_info(book)
                table.is_form = is_form
                if sheet in ("*", "全部"):
                    chosen = [n for n in names if n != FORM_MARKER_SHEET]
                elif sheet:
                    _check_sheet(book, sheet, names, path)
                    chosen = [sheet]
                elif is_form:
                    chosen = [n for n in form_sheets if n in names]
                else:
                    chosen = [names[0]]
                self._chosen = chosen
                for i, name in enumerate(chosen):
                    try:
                        merges = book.merges(name)
                        self._sheets.append((name, merges))
                        heads.append((name, self._head_columns(name, self._sheet_rows(name), merges)))
                    except Exception as exc:  # re-raised where sheet-by-sheet reading met it
                        if i == 0:
                            raise  # nothing is read before it: raised now, as sheet by sheet
                        self._deferred = (i, exc)
                        del self._sheets[i:]
                        break
            except BaseException:
                book.close()
                raise
        self._single = len(self._chosen) == 1
        if self._single and heads[0][1] is None:
            self.close()
            raise _no_header(heads[0][0], path)
        if self._deferred is None and not any(cols is not None for _, cols in heads):
            try:
                if table.is_form:  # read before the error, as sheet by sheet
                    from .forms import read_form_attributes

                    table.form_attributes = read_form_attributes(path, self._chosen)
            finally:
                self.close()
            raise self._no_sheet()
        table.layout = _layout([cols for _, cols in heads if cols is not None])

    def _sheet_rows(self, name):
        return self._book.rows(name) if self._engine == "fast" else openpyxl_rows(self.table.path, name)

    def _head_columns(self, name, rows, merges):
        """The sheet's columns as the rows will be read with them (None: no header found)."""
        head = []
        for item in rows:
            head.append(item)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        close = getattr(rows, "close", None)
        if close is not None:
            close()
        found = detect_header(apply_merges_to_head(head, merges), self._interpreter)
        if not found:
            return None
        return dedupe_columns(resolve_units(found[2]), name, _Scratch())

    def _no_sheet(self):
        return TableError(tr("No sheet of {} has a recognisable key column (宗地代码 or 统一社会信用代码). "
                             "Check the header row or set the column mapping.").format(
            os.path.basename(self.table.path)))

    def rows(self, feedback=None):
        """Yield every :class:`EntRow` of the chosen sheet(s), in order (once)."""
        table = self.table
        if self._csv_rows is not None:
            rows, self._csv_rows = self._csv_rows, None
            name = self._sheets[0][0]
            yield from _read_sheet(table, name, iter(rows), [], self._interpreter, feedback, quiet_text_numbers=True)
        else:
            book = self._book
            chosen = self._chosen
            single = self._single
            for i, name in enumerate(chosen):
                if feedback is not None and feedback.isCanceled():
                    return
                if self._deferred is not None and i == self._deferred[0]:
                    raise self._deferred[1]
                merges = self._sheets[i][1]
                yield from _read_sheet(table, name, self._sheet_rows(name), merges, self._interpreter,
                                       feedback if single else None, allow_no_header=not single,
                                       progress=(lambda n=name: book.fraction(n)) if single else None)
                if feedback is not None and not single:
                    feedback.setProgress(100.0 * (i + 1) / len(chosen))
            if table.is_form:
                from .forms import read_form_attributes

                table.form_attributes = read_form_attributes(table.path, chosen)
        if not table.sheets:
            raise self._no_sheet()
        self._done = True

    def layout_confirmed(self):
        """True once every row was read and the columns read give the layout announced."""
        return self._done and _layout(self.table.columns.values()) == self.table.layout

    def close(self):
        if self._book is not None:
            self._book.close()
            self._book = None


class _Scratch:
    """Where the header pass's column notes go (the rows' pass reports them, in its order)."""

    def __init__(self):
        self.problems = []


def _layout(column_lists):
    column_lists = list(column_lists)
    has_year_col = any(c.field == "year" for cols in column_lists for c in cols)
    has_wide = any(c.year is not None and c.field not in TEXT_FIELDS for cols in column_lists for c in cols)
    return "wide" if has_wide else "long" if has_year_col else "none"


def _read_sheet(table, sheet, rows, merges, interpreter, feedback, quiet_text_numbers=False, allow_no_header=False,
                progress=None):
    """Yield the sheet's :class:`EntRow` s as they are read; columns, changes, problems and
    skipped rows go into ``table``."""
    head = []
    rows = iter(rows)
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    filled_head = apply_merges_to_head(head, merges)
    found = detect_header(filled_head, interpreter)
    if not found:
        if allow_no_header:
            table.skipped.append((sheet, None, tr("sheet has no recognisable key column: not read"), ""))
            return
        raise _no_header(sheet, table.path)
    first, last, columns = found
    columns = resolve_units(columns)
    columns = dedupe_columns(columns, sheet, table)
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
    shared_keys = table._shared_keys
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
        for idx, field, col_year, cleaner, letter, header, _unit_key in numeric:
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
        # compact (see Values): {year: {field: value}} as Values of Values
        ent.values = Values.of({y: Values.of(d, shared_keys) for y, d in ent.values.items()}, shared_keys)
        yield ent


def _row_text(values):
    return visible(" | ".join("" if v is None else str(v) for v in values)[:200])


