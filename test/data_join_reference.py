"""The enterprise join as it was before issue 17's compact storage (main f68b909): rows' values
as plain dicts, per-parcel sums and counts in dicts and sets, enterprise records as 8-tuples.
Kept only for test_data_join_compact.py, which proves the compact join gives the same result."""
import os
from collections import OrderedDict

from landeval_plugin.core.enterprise import uscc
from landeval_plugin.core.enterprise.enterprise_join import (
    SUFFIXES,
    JoinResult,
    _cross_checks,
    _targets,
    _year_of,
    invalid_reason,
)
from landeval_plugin.core.enterprise.header import decimals_for, value_fields
from landeval_plugin.core.formats.xlsx_reader import TableError
from landeval_plugin.i18n import tr


def join(table, parcels, year, link=None, feedback=None):
    """Join ``table`` rows to ``parcels`` ({parcel code: area m²}) for ``year`` and the two before.

    Raises TableError when the year is not in the data. Returns a :class:`JoinResult`.
    """
    res = JoinResult(year)
    years = res.years
    if table.layout != "none" and year not in table.years:
        raise TableError(tr("Year {} is not in {}; years found: {}.").format(
            year, os.path.basename(table.path), ", ".join(str(y) for y in sorted(table.years)) or "-"))
    if table.layout == "none":
        res.notes.append(tr("The table has no year column and no year in its headers: all values are taken as {}.")
                         .format(year))
    fields = value_fields()
    decimals = {f: decimals_for(f) for f in fields}
    if table.layout != "none":
        # a sheet without a 年度 column whose value columns carry no year (综合能耗 beside
        # 税收2021 … 税收2023, or a second sheet without years): those values are the evaluation year's
        for sheet, cols in table.columns.items():
            if any(c.field == "year" for c in cols):
                continue
            undated = [c.header for c in cols if c.field in fields and c.year is None]
            if undated:
                res.notes.append(tr("Sheet {}: the columns {} have no year and the sheet has no year column: their "
                                    "values are taken as {}.").format(sheet, ", ".join(undated), year))
    seen = {}
    res.total_rows = len(table.rows)
    # invalid credit codes, once per row
    checked = {}
    for row in table.rows:
        if row.credit_code:
            reason = checked.get(row.credit_code, "?")
            if reason == "?":
                reason = checked[row.credit_code] = uscc.problem(row.credit_code)
            if reason:
                res.invalid.append((os.path.basename(table.path), row.sheet, row.row, row.credit_code, row.name,
                                    invalid_reason(reason)))
    if link is not None:
        for sheet, rnum, code, name, reason in link.invalid:
            res.invalid.append((os.path.basename(link.path), sheet, rnum, code, name, invalid_reason(reason)))
    split_logged = set()
    parcel_values = res.parcel_values
    parcel_present = {}
    total = max(1, len(table.rows))
    for n, row in enumerate(table.rows):
        if feedback is not None and n % 5000 == 0:
            if feedback.isCanceled():
                return res
            feedback.setProgress(100.0 * n / total)
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
                res.unused.append((row.sheet, row.row, row.credit_code, row.name,
                                   tr("year {} is outside the evaluation years {}–{}").format(
                                       ", ".join(str(y) for y in sorted(y for y in row_values if y is not None))
                                       or "?", year - 2, year)))
            else:
                res.unused.append((row.sheet, row.row, row.credit_code, row.name,
                                   tr("no usable year or value on the row")))
            continue
        # targets: parcel codes on the row, or the link table
        targets, method, reason = _targets(row, parcels, link)
        if not targets:
            res.unmatched.append((row.sheet, row.row, row.credit_code, row.name, ", ".join(row.parcel_codes),
                                  ", ".join(str(y) for y in sorted(relevant)), reason))
            continue
        used = False
        for y in relevant:
            values = row_values[y]
            suffix = years[y]
            key = (row.credit_code or ("name", row.name), row.parcel_codes, y)
            first = seen.get(key)
            if first is not None:
                same = first[1] == values
                res.duplicates.append((row.sheet, row.row, row.credit_code, row.name, ", ".join(row.parcel_codes), y,
                                       "{}!{}".format(first[0].sheet, first[0].row),
                                       tr("identical duplicate: not counted again") if same else
                                       tr("same enterprise, parcel and year with different values: first row kept")))
                continue
            seen[key] = (row, values)
            _cross_checks(res, row, y, values)
            used = True
            for parcel, share in targets:
                if share == 1.0:
                    part = values
                else:
                    part = {f: round(v * share, decimals[f]) for f, v in values.items()}
                by_suffix = parcel_values.get(parcel)
                if by_suffix is None:
                    by_suffix = parcel_values[parcel] = {}
                pv = by_suffix.get(suffix)
                if pv is None:
                    pv = by_suffix[suffix] = {}
                for f, v in part.items():
                    pv[f] = pv.get(f, 0.0) + v
                present = parcel_present.setdefault((parcel, suffix), {})
                for f in part:
                    present[f] = present.get(f, 0) + 1
                res.parcel_count.setdefault(parcel, {}).setdefault(suffix, set()).add(row.identity() or row.where())
                if row.scale:
                    current = res.parcel_scale.get(parcel)
                    if current != "规上":
                        res.parcel_scale[parcel] = row.scale
                res.enterprises.append((parcel, row.credit_code, row.name, y, share, part, row.where(), row.scale))
                if len(targets) > 1 and (row.identity(), parcel, row.where()) not in split_logged:
                    split_logged.add((row.identity(), parcel, row.where()))
                    res.splits.append((row.credit_code, row.name, parcel, share, method, row.sheet, row.row))
        if used:
            res.used_rows += 1
        partial_missing = [c for c in row.parcel_codes if c not in parcels] if row.parcel_codes else []
        if partial_missing and targets:
            res.unmatched.append((row.sheet, row.row, row.credit_code, row.name, ", ".join(partial_missing),
                                  ", ".join(str(y) for y in sorted(relevant)),
                                  tr("parcel code not in the parcel layer; the enterprise went to its other parcels")))
        if link is not None and not row.parcel_codes and row.credit_code in link.by_credit and targets:
            links = link.by_credit[row.credit_code]
            # with shares or areas in the link table the missing parcel's part stays unassigned;
            # split by parcel area, the missing parcel has no area and the others take it all
            kept_apart = all(s is not None for _, s, _, _, _ in links) or \
                all(a is not None and a > 0 for _, _, a, _, _ in links)
            for parcel, _, _, lsheet, lrow in links:
                if parcel not in parcels:
                    res.unmatched.append((row.sheet, row.row, row.credit_code, row.name, parcel,
                                          ", ".join(str(y) for y in sorted(relevant)),
                                          (tr("the link table ({}!{}) names a parcel that is not in the parcel layer; "
                                              "that share is not assigned") if kept_apart else
                                           tr("the link table ({}!{}) names a parcel that is not in the parcel layer; "
                                              "no share given, so the enterprise went to its other parcels by area"))
                                          .format(lsheet, lrow)))
    # one line per duplicate row (its years together)
    merged = OrderedDict()
    for sheet, rnum, credit, name, codes, y, first, kind in res.duplicates:
        merged.setdefault((sheet, rnum, credit, name, codes, first, kind), []).append(str(y))
    res.duplicates = [(k[0], k[1], k[2], k[3], k[4], ", ".join(ys), k[5], k[6]) for k, ys in merged.items()]
    # round sums, missing fields, partial data
    for parcel, by_suffix in res.parcel_values.items():
        for suffix, values in by_suffix.items():
            count = len(res.parcel_count[parcel][suffix])
            present = parcel_present.get((parcel, suffix), {})
            for f in fields:
                if f in values:
                    values[f] = round(values[f], decimals[f])
                    if present.get(f, 0) < count:
                        res.partial.append((parcel, _year_of(year, suffix), f, count - present[f], count))
                else:
                    values[f] = None
    for parcel, area in parcels.items():
        if "" not in res.parcel_values.get(parcel, {}):
            res.no_enterprise.append((parcel, area))
    return res



def parcel_attributes(res, code, area_m2):
    """{field: value} to write on one parcel: values per year, indicators, count, scale."""
    from landeval_plugin.core import indicators

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
    counts = res.parcel_count.get(code, {})
    out["enterprise_count"] = len(counts.get("", ()))
    out["scale"] = res.parcel_scale.get(code)
    out["data_year"] = res.year
    return out

