"""Joining enterprise rows to parcels: 一地多企 sums, 一企多地 splits, and an account of
every row that was not used.

Rows join by 宗地代码 when they carry one, otherwise by 统一社会信用代码 through the link
table. An enterprise on several parcels is split by the link table's share (or its area
column, or the parcels' areas when neither is given). Values on one parcel are summed per
field; a field that no enterprise reports stays missing. Each contribution is rounded
before summing, so the enterprises table re-adds exactly to the parcel values.
"""
import os
import struct
from array import array
from collections import OrderedDict
from collections.abc import Mapping

from ...i18n import tr, tr_noop
from .. import schema
from ..formats.xlsx_reader import TableError
from . import uscc
from .enterprise_clean import clean_code, clean_text, parse_share
from .enterprise_table import Values, open_sheet
from .header import HeaderInterpreter, decimals_for, detect_header, read_head, resolve_units, value_fields

SUFFIXES = ("", "_y1", "_y2")


class LinkTable:
    """Enterprise–parcel links: credit code -> [(parcel code, share, area, sheet, row)]."""

    def __init__(self, path):
        self.path = path
        self.by_credit = OrderedDict()
        self.rows = 0
        self.problems = []   # (sheet, row, letter, header, original, problem)
        self.invalid = []    # (sheet, row, code, name, reason)
        self.sheet = None


def read_link(path, sheet=None):
    """Read the enterprise–parcel link table (credit code, parcel code, share or area)."""
    name, rows, merges, close = open_sheet(path, sheet)
    try:
        wanted = ["credit_code", "parcel_code", "enterprise_name", "share", "link_area"]
        interpreter = HeaderInterpreter(wanted=wanted)
        head, rest = read_head(rows, merges)
        found = detect_header(head, interpreter)
        if not found:
            raise TableError(tr("The link table {} has no recognisable header (统一社会信用代码 and 宗地代码).")
                             .format(os.path.basename(path)))
        first, last, columns = found
        columns = resolve_units(columns)
        idx = {c.field: c for c in columns if c.field}
        if "credit_code" not in idx or "parcel_code" not in idx:
            raise TableError(tr("The link table {} needs both a 统一社会信用代码 and a 宗地代码 column.")
                             .format(os.path.basename(path)))
        link = LinkTable(path)
        link.sheet = name

        def data():
            for item in head:
                if item[0] > last:
                    yield item
            for item in rest:
                yield item

        def cell(values, field):
            col = idx.get(field)
            if col is None or col.index >= len(values):
                return None
            return values[col.index]

        for rnum, values in data():
            if all(v is None for v in values):
                continue
            link.rows += 1
            credit, _ = clean_code(cell(values, "credit_code"))
            parcel, _ = clean_code(cell(values, "parcel_code"))
            ent_name = clean_text(cell(values, "enterprise_name"))
            if not credit or not parcel:
                link.problems.append((name, rnum, "", "", " | ".join("" if v is None else str(v) for v in values),
                                      tr("link row without credit code or parcel code: not used")))
                continue
            reason = uscc.problem(credit)
            if reason:
                link.invalid.append((name, rnum, credit, ent_name, reason))
            share, was_percent = parse_share(cell(values, "share"))
            raw_share = cell(values, "share")
            if raw_share is not None and share is None:
                col = idx["share"]
                link.problems.append((name, rnum, col.letter, col.header, raw_share, tr("share is not a number")))
            elif share is not None and (share < 0 or share > (1.0 if was_percent else 100.0)):
                col = idx["share"]
                link.problems.append((name, rnum, col.letter, col.header, raw_share,
                                      _share_problem(credit, parcel, raw_share)))
                share = None
            area, _ = parse_share(cell(values, "link_area"))
            link.by_credit.setdefault(credit, []).append((parcel, share, area, name, rnum))
        # shares written as fractions beside one above 1 (0.5 and 1.5): neither a fraction nor a
        # percentage; the split falls back as if no share were given
        if "share" in idx:
            col = idx["share"]
            for credit, links in link.by_credit.items():
                given = [s for _, s, _, _, _ in links if s is not None]
                if any(s > 1.0 for s in given) and any(0.0 < s < 1.0 for s in given):
                    fixed = []
                    for parcel, s, a, lsheet, lrow in links:
                        if s is not None and s > 1.0:
                            link.problems.append((lsheet, lrow, col.letter, col.header, s,
                                                  _share_problem(credit, parcel, s)))
                            s = None
                        fixed.append((parcel, s, a, lsheet, lrow))
                    link.by_credit[credit] = fixed
        return link
    finally:
        close()


def _share_problem(credit, parcel, raw):
    return tr("share {} of enterprise {} on parcel {} is above 1 (100%) or below 0: not used; the enterprise is "
              "split as if no share were given").format(raw, credit, parcel)


class JoinResult:
    def __init__(self, year):
        self.year = year
        self.years = {year: "", year - 1: "_y1", year - 2: "_y2"}
        # code -> {suffix: {field: value}} (a Values: every value field, None if missing); once joined, a
        # read-only view on the join's sums
        self.parcel_values = {}
        self.parcel_count = {}    # (the dict join kept code -> {suffix: identities}; see enterprise_count)
        self.parcel_scale = {}    # code -> 规上/规下
        self.enterprises = []     # (parcel, EntRow, year, share, {field: value}): enterprise_records() for the table
        self.unmatched = []       # (sheet, row, credit, name, parcel codes, years, reason)
        self.duplicates = []      # (sheet, row, credit, name, parcel codes, year, first row, kind)
        self.invalid = []         # (source, sheet, row, code, name, reason)
        self.splits = []          # (credit, name, parcel, share, method, sheet, row)
        self.unused = []          # (sheet, row, credit, name, reason)
        self.partial = []         # (parcel, year, field, missing, total)
        self.checks = []          # (sheet, row, letter, header, original, problem): cross-field
        self.no_enterprise = []   # (parcel code, area_mu)
        self.layer_problems = []  # (parcel code, problem)
        self.notes = []           # log lines
        self.used_rows = 0
        self.total_rows = 0
        self.streamed_records = 0  # enterprise records handed to the writer as they were made (not kept)
        self.counts = None        # (parcel slots, enterprises per parcel slot × 3 + year no.) once joined

    def enterprise_records(self):
        """(parcel, credit, name, year, share, {field: value}, source row, scale) per record, in order."""
        for parcel, row, y, share, part in self.enterprises:
            yield parcel, row.credit_code, row.name, y, share, part, row.where(), row.scale

    def record_count(self):
        """Enterprise–parcel records made (kept in ``enterprises`` or written as they were made)."""
        return len(self.enterprises) + self.streamed_records

    def enterprise_count(self, parcel, suffix=""):
        """Enterprises (distinct identities) on ``parcel`` in the year of ``suffix``."""
        if self.counts is not None:
            slot = self.counts[0].get(parcel)
            return 0 if slot is None else self.counts[1][slot * 3 + _SUFFIX_NO[suffix]]
        ids = self.parcel_count.get(parcel, {}).get(suffix)
        return 0 if ids is None else 1 if ids.__class__ is str else len(ids)  # str, tuple or set


_INVALID_TEXT = {
    "length": tr_noop("not 18 characters"),
    "charset": tr_noop("contains I, O, Z, S, V or other characters not allowed"),
    "check": tr_noop("check digit does not match (GB 32100-2015)"),
    "empty": tr_noop("empty"),
}


def invalid_reason(key):
    return tr(_INVALID_TEXT.get(key, key))


def join(table, parcels, year, link=None, feedback=None, records=None):
    """Join ``table`` rows to ``parcels`` ({parcel code: area m²}) for ``year`` and the two before.

    Raises TableError when the year is not in the data. Returns a :class:`JoinResult`.
    ``records``: see :class:`Joiner`.
    """
    _check_year(table, year)
    joiner = Joiner(table, parcels, year, link=link, records=records)
    total = max(1, len(table.rows))
    add = joiner.add
    for n, row in enumerate(table.rows):
        if feedback is not None and n % 5000 == 0:
            if feedback.isCanceled():
                return joiner.res
            feedback.setProgress(100.0 * n / total)
        add(row)
    return joiner.finish()


def _check_year(table, year):
    if table.layout != "none" and year not in table.years:
        raise TableError(tr("Year {} is not in {}; years found: {}.").format(
            year, os.path.basename(table.path), ", ".join(str(y) for y in sorted(table.years)) or "-"))


_SUFFIX_NO = {"": 0, "_y1": 1, "_y2": 2}
_HEAD = struct.Struct("<III")  # a first row kept for the duplicate check: field order no., sheet no., row


class Joiner:
    """The join one row at a time: ``add(row)`` for each row in order, then ``finish()``; what
    :func:`join` does over ``table.rows``, and what the algorithm does while the workbook streams
    (``table.layout`` must be known before the first row; the evaluation year is checked in
    ``finish``, once every year of the table was seen).

    Kept per row: nothing but, for the duplicate check, each (enterprise, parcels, year) met
    with its first row and values, packed in a few bytes. Per parcel and year: the sums in one
    array for all parcels (NaN where no enterprise gave a value: values are finite and
    non-negative, so a sum is never NaN), how many enterprises gave each, their identities.
    ``records``: None keeps the enterprise records in ``res.enterprises``; a function
    ``records(parcel, row, year, share, values)`` takes each record as it is made instead."""

    def __init__(self, table, parcels, year, link=None, records=None):
        self.table, self.parcels, self.year, self.link, self.records = table, parcels, year, link, records
        self.res = JoinResult(year)
        self._fields = fields = value_fields()
        self._decimals = {f: decimals_for(f) for f in fields}
        self._position = {f: i for i, f in enumerate(fields)}
        self._slot = {code: i for i, code in enumerate(parcels)}
        cells = 3 * len(self._slot)
        self._sums = array("d", [_NAN]) * (cells * len(fields))
        self._present = array("l", [0]) * (cells * len(fields))
        self._ids = [None] * cells   # enterprise identity, then a tuple, a set from the ninth on
        self._touched = array("l")   # cells (parcel slot × 3 + year no.) in the order first given a value
        self._seen = {}
        self._orders = {}            # id of a Values field order, or a field tuple -> number
        self._order_keys = []        # number -> (field tuple, the order object kept alive)
        self._sheet_no = {}
        self._sheet_names = []
        self._checked = {}
        self._split_logged = set()
        self._file = os.path.basename(table.path)

    def add(self, row):
        res, table, year, years, parcels, link = self.res, self.table, self.year, self.res.years, self.parcels, \
            self.link
        res.total_rows += 1
        credit = row.credit_code
        if credit:  # invalid credit codes, once per row
            checked = self._checked
            reason = checked.get(credit, "?")
            if reason == "?":
                if len(checked) > 4096:
                    checked.clear()  # a memo of the last codes (a code's years are usually together)
                reason = checked[credit] = uscc.problem(credit)
            if reason:
                res.invalid.append((self._file, row.sheet, row.row, credit, row.name, invalid_reason(reason)))
        row_values = row.values
        if table.layout == "none":
            row_values = {year: row_values.get(None, {})}
        elif None in row_values:
            row_values = dict(row_values)
            undated = row_values.pop(None)
            row_values[year] = dict(undated, **row_values.get(year, {}))  # a column with the year wins
        relevant = [y for y in row_values if y in years]
        if not relevant:
            if row_values:
                res.unused.append((row.sheet, row.row, credit, row.name,
                                   tr("year {} is outside the evaluation years {}–{}").format(
                                       ", ".join(str(y) for y in sorted(y for y in row_values if y is not None))
                                       or "?", year - 2, year)))
            else:
                res.unused.append((row.sheet, row.row, credit, row.name, tr("no usable year or value on the row")))
            return
        # targets: parcel codes on the row, or the link table
        targets, method, reason = _targets(row, parcels, link)
        if not targets:
            res.unmatched.append((row.sheet, row.row, credit, row.name, ", ".join(row.parcel_codes),
                                  ", ".join(str(y) for y in sorted(relevant)), reason))
            return
        used = False
        seen = self._seen
        sums, present, ids, slot_of, position = self._sums, self._present, self._ids, self._slot, self._position
        nfields = len(self._fields)
        head = ("c" + credit) if credit else "N" if row.name is None else "n" + row.name
        for y in relevant:
            values = row_values[y]
            suffix = years[y]
            key = "\x00".join((head, suffix) + row.parcel_codes)
            if key.count("\x00") != len(row.parcel_codes) + 1:  # a separator inside a text: the plain key
                key = (credit or ("name", row.name), row.parcel_codes, y)
            first = seen.get(key)
            if first is not None:
                first_where, same = self._compare(first, values)
                res.duplicates.append((row.sheet, row.row, credit, row.name, ", ".join(row.parcel_codes), y,
                                       first_where,
                                       tr("identical duplicate: not counted again") if same else
                                       tr("same enterprise, parcel and year with different values: first row kept")))
                continue
            seen[key] = self._pack(row, values)
            _cross_checks(res, row, y, values)
            used = True
            k = _SUFFIX_NO[suffix]
            for parcel, share in targets:
                if share == 1.0:
                    part = values
                else:
                    part = {f: round(v * share, self._decimals[f]) for f, v in values.items()}
                cell = slot_of[parcel] * 3 + k
                base = cell * nfields
                for f, v in part.items():
                    i = position.get(f)
                    if i is None:  # not a value field: never written on the parcel
                        continue
                    s = sums[base + i]
                    sums[base + i] = (0.0 if s != s else s) + v  # NaN: no enterprise gave it yet
                    present[base + i] += 1
                ident = row.identity() or row.where()
                known = ids[cell]
                if known is None:
                    ids[cell] = ident
                    self._touched.append(cell)
                elif known.__class__ is str:
                    if known != ident:
                        ids[cell] = (known, ident)
                elif known.__class__ is tuple:
                    if ident not in known:
                        ids[cell] = known + (ident,) if len(known) < 8 else set(known + (ident,))
                else:
                    known.add(ident)
                if row.scale:
                    current = res.parcel_scale.get(parcel)
                    if current != "规上":
                        res.parcel_scale[parcel] = row.scale
                if self.records is None:
                    res.enterprises.append((parcel, row, y, share, part))
                else:
                    self.records(parcel, row, y, share, part)
                    res.streamed_records += 1
                if len(targets) > 1 and (row.identity(), parcel, row.where()) not in self._split_logged:
                    self._split_logged.add((row.identity(), parcel, row.where()))
                    res.splits.append((credit, row.name, parcel, share, method, row.sheet, row.row))
        if used:
            res.used_rows += 1
        partial_missing = [c for c in row.parcel_codes if c not in parcels] if row.parcel_codes else []
        if partial_missing and targets:
            res.unmatched.append((row.sheet, row.row, credit, row.name, ", ".join(partial_missing),
                                  ", ".join(str(y) for y in sorted(relevant)),
                                  tr("parcel code not in the parcel layer; the enterprise went to its other parcels")))
        if link is not None and not row.parcel_codes and credit in link.by_credit and targets:
            links = link.by_credit[credit]
            # with shares or areas in the link table the missing parcel's part stays unassigned;
            # split by parcel area, the missing parcel has no area and the others take it all
            kept_apart = all(s is not None for _, s, _, _, _ in links) or \
                all(a is not None and a > 0 for _, _, a, _, _ in links)
            for parcel, _, _, lsheet, lrow in links:
                if parcel not in parcels:
                    res.unmatched.append((row.sheet, row.row, credit, row.name, parcel,
                                          ", ".join(str(y) for y in sorted(relevant)),
                                          (tr("the link table ({}!{}) names a parcel that is not in the parcel layer; "
                                              "that share is not assigned") if kept_apart else
                                           tr("the link table ({}!{}) names a parcel that is not in the parcel layer; "
                                              "no share given, so the enterprise went to its other parcels by area"))
                                          .format(lsheet, lrow)))

    def _pack(self, row, values):
        """The first row of a key for the duplicate check: bytes (field order, sheet, row, the
        values as doubles with −0.0 as 0.0, which compare the same), or (sheet, row, values)."""
        if values.__class__ is Values and values._values.__class__ is array:
            order = values._index
            no = self._orders.get(id(order))
            if no is None:
                no = self._orders[id(order)] = len(self._order_keys)
                self._order_keys.append((tuple(order), order))
            numbers = values._values
        elif values.__class__ is dict and all(v.__class__ is float for v in values.values()):
            order = tuple(values)
            no = self._orders.get(order)
            if no is None:
                no = self._orders[order] = len(self._order_keys)
                self._order_keys.append((order, None))
            numbers = array("d", values.values())
        else:
            return (row.sheet, row.row, values)
        sheet_no = self._sheet_no.get(row.sheet)
        if sheet_no is None:
            sheet_no = self._sheet_no[row.sheet] = len(self._sheet_names)
            self._sheet_names.append(row.sheet)
        if numbers != numbers or row.row.__class__ is not int or not 0 <= row.row <= 0xFFFFFFFF:
            return (row.sheet, row.row, values)  # NaN (never equal) or an odd row number: kept as they are
        return _HEAD.pack(no, sheet_no, row.row) + _plain_zeros(numbers).tobytes()

    def _compare(self, first, values):
        """('sheet!row' of the first row, whether its values equal ``values``)."""
        if first.__class__ is not bytes:
            return "{}!{}".format(first[0], first[1]), first[2] == values
        no, sheet_no, rnum = _HEAD.unpack_from(first)
        where = "{}!{}".format(self._sheet_names[sheet_no], rnum)
        packed = first[_HEAD.size:]
        keys, order = self._order_keys[no]
        if order is not None and values.__class__ is Values and values._index is order \
                and values._values.__class__ is array:
            return where, _plain_zeros(values._values).tobytes() == packed
        numbers = array("d")
        numbers.frombytes(packed)
        return where, dict(zip(keys, numbers)) == values

    def finish(self):
        """The year checked, notes, duplicates one line per row, sums rounded, partial data, parcels
        without enterprises; returns the :class:`JoinResult`."""
        res, table, year, parcels = self.res, self.table, self.year, self.parcels
        _check_year(table, year)
        fields = self._fields
        if table.layout == "none":
            res.notes.append(tr("The table has no year column and no year in its headers: all values are taken as "
                                "{}.").format(year))
        else:
            # a sheet without a 年度 column whose value columns carry no year (综合能耗 beside
            # 税收2021 … 税收2023, or a second sheet without years): those values are the evaluation year's
            for sheet, cols in table.columns.items():
                if any(c.field == "year" for c in cols):
                    continue
                undated = [c.header for c in cols if c.field in fields and c.year is None]
                if undated:
                    res.notes.append(tr("Sheet {}: the columns {} have no year and the sheet has no year column: "
                                        "their values are taken as {}.").format(sheet, ", ".join(undated), year))
        if self.link is not None:
            for sheet, rnum, code, name, reason in self.link.invalid:
                res.invalid.append((os.path.basename(self.link.path), sheet, rnum, code, name,
                                    invalid_reason(reason)))
        self._seen = self._split_logged = self._checked = None
        # one line per duplicate row (its years together)
        merged = OrderedDict()
        for sheet, rnum, credit, name, codes, y, first, kind in res.duplicates:
            merged.setdefault((sheet, rnum, credit, name, codes, first, kind), []).append(str(y))
        res.duplicates = [(k[0], k[1], k[2], k[3], k[4], ", ".join(ys), k[5], k[6]) for k, ys in merged.items()]
        # enterprises per parcel and year
        counts = array("l", (0 if ids is None else 1 if ids.__class__ is str else len(ids) for ids in self._ids))
        self._ids = None
        # round sums, missing fields, partial data: parcels in the order they first got a value,
        # each parcel's years in theirs
        codes = list(self._slot)
        years_of = OrderedDict()
        for cell in self._touched:
            years_of.setdefault(cell // 3, []).append(cell % 3)
        sums, present, decimals, nfields = self._sums, self._present, self._decimals, len(fields)
        for slot, ks in years_of.items():
            parcel = codes[slot]
            for k in ks:
                cell = slot * 3 + k
                count = counts[cell]
                base = cell * nfields
                for i, f in enumerate(fields):
                    s = sums[base + i]
                    if s == s:
                        sums[base + i] = round(s, decimals[f])
                        if present[base + i] < count:
                            res.partial.append((parcel, year - k, f, count - present[base + i], count))
        self._present = None
        res.parcel_values = _ParcelValues(self._slot, years_of, sums, self._position)
        res.counts = (self._slot, counts)
        for parcel, area in parcels.items():
            if counts[self._slot[parcel] * 3] == 0:
                res.no_enterprise.append((parcel, area))
        return res


def _plain_zeros(numbers):
    """The doubles with −0.0 as 0.0 (equal as numbers, different as bytes)."""
    if 0.0 in numbers:
        return array("d", (v + 0.0 for v in numbers))
    return numbers


class _ParcelValues(Mapping):
    """{parcel code: {suffix: values}} as the join's arrays hold them: a parcel's years are made
    when asked for (in the order the parcel first got them), nothing is kept per parcel."""

    def __init__(self, slot, years_of, sums, position):
        self._slot, self._years_of, self._sums, self._position = slot, years_of, sums, position
        self._codes = None

    def __getitem__(self, code):
        slot = self._slot.get(code)
        ks = None if slot is None else self._years_of.get(slot)
        if ks is None:
            raise KeyError(code)
        n = len(self._position)
        return {SUFFIXES[k]: _Sums(self._position, self._sums[(slot * 3 + k) * n:(slot * 3 + k + 1) * n])
                for k in ks}

    def __iter__(self):
        if self._codes is None:
            self._codes = list(self._slot)
        codes = self._codes
        return (codes[slot] for slot in self._years_of)

    def __len__(self):
        return len(self._years_of)

    def __contains__(self, code):
        slot = self._slot.get(code)
        return slot is not None and slot in self._years_of


_NAN = float("nan")


class _Sums(Values):
    """A parcel's values of one year: every value field, None where no enterprise gave it
    (stored as NaN in the array: sums of finite, non-negative values are never NaN)."""

    __slots__ = ()

    def __getitem__(self, key):
        v = self._values[self._index[key]]
        return None if v != v else v

    def get(self, key, default=None):
        i = self._index.get(key)
        if i is None:
            return default
        v = self._values[i]
        return None if v != v else v

    def items(self):
        return ((k, None if v != v else v) for k, v in zip(self._index, self._values))

    def values(self):
        return (None if v != v else v for v in self._values)

    def __eq__(self, other):
        return dict(self.items()) == dict(other.items()) if isinstance(other, Mapping) else NotImplemented

    __hash__ = None


def _year_of(year, suffix):
    return year - {"": 0, "_y1": 1, "_y2": 2}[suffix]


def _targets(row, parcels, link):
    """([(parcel, share)], method text, reason when empty)."""
    if row.parcel_codes:
        found = [c for c in row.parcel_codes if c in parcels]
        if not found:
            return [], None, tr("parcel code {} is not in the parcel layer").format(", ".join(row.parcel_codes))
        if len(found) == 1:
            return [(found[0], 1.0)], None, None
        return (_by_area([(c, parcels[c]) for c in found]),
                tr("several parcel codes in one cell: split by parcel area"), None)
    if link is None:
        return [], None, tr("no parcel code on the row and no link table given")
    if not row.credit_code:
        return [], None, tr("no parcel code and no credit code to look up in the link table")
    links = link.by_credit.get(row.credit_code)
    if not links:
        return [], None, tr("credit code {} is not in the link table").format(row.credit_code)
    found = [(p, s, a) for p, s, a, _, _ in links if p in parcels]
    if not found:
        return [], None, tr("the link table puts this enterprise on parcels that are not in the parcel layer: "
                            "{}").format(
            ", ".join(p for p, _, _, _, _ in links))
    if len(links) == 1:
        return [(found[0][0], 1.0)], None, None
    shares = [s for _, s, _, _, _ in links]
    if all(s is not None for s in shares):
        total = sum(shares)
        if any(s > 1.0 for s in shares):  # written as percentages
            shares = [s / 100.0 for s in shares]
            total = sum(shares)
        norm = [s / total if total > 0 else 0.0 for s in shares]
        out = [(p, norm[i]) for i, (p, _, _, _, _) in enumerate(links) if p in parcels]
        method = tr("split by the link table's shares")
        if abs(total - 1.0) > 0.001:
            method = tr("split by the link table's shares (they sum to {:.4g}; rescaled to 100%)").format(total)
        return out, method, None
    areas = [a for _, _, a, _, _ in links]
    if all(a is not None and a > 0 for a in areas):
        total = sum(areas)
        return ([(p, areas[i] / total) for i, (p, _, _, _, _) in enumerate(links) if p in parcels],
                tr("split by the link table's areas"), None)
    return _by_area([(p, parcels[p]) for p, _, _ in found]), tr("no share given: split by parcel area"), None


def _by_area(items):
    total = sum(a for _, a in items if a)
    if total <= 0:
        return [(c, 1.0 / len(items)) for c, _ in items]
    return [(c, (a or 0.0) / total) for c, a in items]


def _cross_checks(res, row, year, values):
    va, out, rnd, rev = (values.get(k) for k in ("value_added_10k", "output_10k", "rnd_10k", "revenue_10k"))
    if va is not None and out is not None and va > out > 0:
        res.checks.append((row.sheet, row.row, "", schema.alias("value_added_10k"), "{} > {}".format(va, out),
                           tr("{}: value added is larger than gross output (kept; please check)").format(year)))
    if rnd is not None and rev is not None and rnd > rev > 0:
        res.checks.append((row.sheet, row.row, "", schema.alias("rnd_10k"), "{} > {}".format(rnd, rev),
                           tr("{}: R&D spending is larger than revenue (kept; please check)").format(year)))


def parcel_attributes(res, code, area_m2):
    """{field: value} to write on one parcel: values per year, indicators, count, scale."""
    from .. import indicators

    out = {}
    values = res.parcel_values.get(code, {})
    fields = value_fields()
    raw = {"area_m2": area_m2}
    for suffix in SUFFIXES:
        sv = values.get(suffix)
        for f in fields:
            v = sv.get(f) if sv else None
            out[f + suffix] = v
            raw[f + suffix] = v
    out.update(indicators.compute(raw))
    out["enterprise_count"] = res.enterprise_count(code)
    out["scale"] = res.parcel_scale.get(code)
    out["data_year"] = res.year
    return out


def output_field_names():
    """Fields the data step adds to the parcel layer, in order."""
    from .. import indicators

    names = []
    for suffix in SUFFIXES:
        names += [f + suffix for f in value_fields()]
    for suffix in SUFFIXES:
        names += [i + suffix for i in indicators.formulas()]
    return names + ["enterprise_count", "scale", "data_year"]
