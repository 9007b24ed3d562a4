"""The join report (.xlsx): every unmatched, duplicate, unused or cleaned row on a line.

Written with openpyxl's write-only mode (fast for hundreds of thousands of lines) into a
temporary file beside the target, then moved into place. Every text is stored as text, never
as a formula, and control characters are removed (core/formats/xlsx_text.py).
"""
from ...i18n import tr
from .. import files, schema
from ..formats.xlsx_text import FORMULA_START, row_of_cells, text_cell  # noqa: F401  (FORMULA_START, text_cell: kept importable)


def layout_label(layout):
    """The workbook's layout in words ('wide', 'long' and 'none' are the reader's codes)."""
    return {"wide": tr("one column per value and year (years side by side)"),
            "long": tr("one row per enterprise and year (a year column)"),
            "none": tr("no year in the workbook (one year of data)")}.get(layout, layout or "")

def _row(ws, values, log=None, where=None):
    """Text as text cells (plain text goes straight in: openpyxl stores it as text), decimals as floats."""
    ws.append(row_of_cells(ws, [float(v) if hasattr(v, "as_tuple") else v for v in values], log, where))


def atomic_write(path, write):
    """Call ``write(tmp_path)`` then move the temp file onto ``path`` (nothing half-written)."""
    return files.atomic_write(path, write)


def summary_lines(table, res, link=None):
    """(label, number) pairs for the log and the summary sheet."""
    return [
        (tr("rows read from the workbook"), res.total_rows + len(table.skipped)),
        (tr("enterprise rows used"), res.used_rows),
        (tr("enterprise rows not matched to a parcel"), len({(u[0], u[1]) for u in res.unmatched})),
        (tr("duplicate rows"), len(res.duplicates)),
        (tr("rows of other years or without a year"), len(res.unused)),
        (tr("rows skipped (totals, empty form lines)"), len([s for s in table.skipped if s[1] is not None])),
        (tr("invalid credit codes"), len(res.invalid)),
        (tr("cells cleaned"), len(table.changes)),
        (tr("data problems (text in numeric columns, negatives, checks)"), len(table.problems) + len(res.checks)),
        (tr("parcels with enterprises in the evaluation year"), sum(1 for v in res.parcel_values.values() if "" in v)),
        (tr("parcels without any enterprise"), len(res.no_enterprise)),
        (tr("enterprise–parcel records written"), res.record_count()),
        (tr("link table rows"), link.rows if link is not None else 0),
    ]


def write_report(path, table, res, link=None, params=None, stage=False):
    """Write the report workbook at ``path`` (atomically); returns the TextLog of cleaned cells.
    stage=True: returns (temporary file, TextLog); the caller publishes it with files.publish()
    once its other outputs are ready."""
    from ..formats.xlsx_text import TextLog

    log = TextLog()

    def write(tmp):
        import openpyxl
        from openpyxl.styles import Font

        wb = openpyxl.Workbook(write_only=True)
        bold = Font(bold=True)

        def sheet(title, headers, rows):
            ws = wb.create_sheet(title)
            ws.freeze_panes = "A2"
            head = []
            for h in headers:
                c = text_cell(ws, h)
                c.font = bold
                head.append(c)
            ws.append(head)
            for n, r in enumerate(rows, 2):
                _row(ws, r, log, "{} {}".format(title, n))
            return ws

        summary = [(tr("workbook"), table.path), (tr("sheets read"), ", ".join(table.sheets)),
                   (tr("evaluation year"), res.year), (tr("layout"), layout_label(table.layout))]
        if table.encoding:
            summary.append((tr("text encoding"), table.encoding))
        if link is not None:
            summary.append((tr("link table"), link.path))
        for key, value in (params or {}).items():
            summary.append((key, value))
        summary += summary_lines(table, res, link)
        for note in res.notes:
            summary.append((tr("note"), note))
        for sheet_name, cols in table.columns.items():
            for c in cols:
                if c.field:
                    summary.append((tr("column {}!{} '{}'").format(sheet_name, c.letter, c.header),
                                    "{}{}{}".format(schema.alias(c.field), " {}".format(c.year) if c.year else "",
                                                    " ×{}".format(c.factor) if c.factor not in (None, 1) else "")))
            unused = table.unused_columns.get(sheet_name) or []
            if unused:
                summary.append((tr("columns not used in {}").format(sheet_name), ", ".join(unused)))
        sheet(tr("Summary"), [tr("item"), tr("value")], summary)
        sheet(tr("Unmatched enterprises"), [tr("sheet"), tr("row"), tr("credit code"), tr("enterprise name"),
                                            tr("parcel code"), tr("years"), tr("reason")], res.unmatched)
        sheet(tr("Parcels without enterprises"), [tr("parcel code"), tr("area (mu)")],
              [(c, round(a / (10000.0 / 15.0), 4) if a else None) for c, a in res.no_enterprise])
        sheet(tr("Duplicate rows"), [tr("sheet"), tr("row"), tr("credit code"), tr("enterprise name"),
                                     tr("parcel code"), tr("year"), tr("first row"), tr("handling")], res.duplicates)
        sheet(tr("Invalid credit codes"), [tr("file"), tr("sheet"), tr("row"), tr("credit code"),
                                           tr("enterprise name"), tr("reason")], res.invalid)
        sheet(tr("Cleaning log"), [tr("sheet"), tr("row"), tr("column"), tr("header"), tr("original"),
                                   tr("cleaned"), tr("reason")], table.changes)
        problems = list(table.problems) + list(res.checks)
        if link is not None:
            problems += [(s, r, c, h, o, p) for s, r, c, h, o, p in link.problems]
        sheet(tr("Data problems"), [tr("sheet"), tr("row"), tr("column"), tr("header"), tr("original"),
                                    tr("problem")], problems)
        sheet(tr("Rows not used"), [tr("sheet"), tr("row"), tr("credit code"), tr("enterprise name"), tr("reason")],
              list(res.unused) + [(s, r, None, t, reason) for s, r, reason, t in table.skipped])
        sheet(tr("Splits"), [tr("credit code"), tr("enterprise name"), tr("parcel code"), tr("share"),
                             tr("method"), tr("sheet"), tr("row")], res.splits)
        sheet(tr("Incomplete parcel data"), [tr("parcel code"), tr("year"), tr("field"),
                                             tr("enterprises without it"), tr("enterprises")],
              [(p, y, schema.alias(f), m, n) for p, y, f, m, n in res.partial])
        if res.layer_problems:
            sheet(tr("Parcel layer problems"), [tr("parcel code"), tr("problem")], res.layer_problems)
        wb.save(tmp)

    if stage:
        return files.stage_write(path, write), log
    atomic_write(path, write)
    return log
