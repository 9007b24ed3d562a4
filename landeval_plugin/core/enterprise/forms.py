"""一地一表: one workbook per town, one protected sheet per parcel, for enterprises and town
staff to check and fill in; the filled-in workbook reads back through the data step.

Each parcel sheet has a locked title, instructions, parcel facts, a block of parcel
attributes (lists for yes/no and categories) and the enterprise table (one row per
enterprise and year, numbers only in number columns). A hidden ``_landeval`` sheet lists
the parcel sheets so the reader knows which to read. Every text from the data is stored as
text, never as a formula, with control characters removed (core/formats/xlsx_text.py).
"""
import datetime
import os
import re
import sys
import tempfile

from ...i18n import tr_in
from .. import schema
from .. import values as _values
from ..formats.xlsx_reader import XlsxBook, column_letter
from ..formats.xlsx_text import TextLog, row_of_cells, set_text
from .enterprise_clean import UNIT_LABELS, clean_code
from .header import value_fields

FORM_MARKER_SHEET = "_landeval"  # the hidden sheet that marks a LandEval 一地一表 forms workbook

SPARE_ROWS = 6
FORM_VERSION = "landeval-forms-1"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_BAD_FILE_CHARS = re.compile(r"[\\/:*?\"<>|\s\x00-\x1f\x7f]+")


def tr(message):
    """Form text in Chinese whatever language QGIS shows: the forms go to enterprises and town
    staff (English only when the compiled zh_CN translation is missing)."""
    return tr_in("zh_CN", message, frame=sys._getframe(1))


def enterprise_columns():
    """Standard fields of the enterprise table of a form, in order."""
    return ["parcel_code", "credit_code", "enterprise_name", "year", "scale"] + list(value_fields())


def attribute_fields():
    return schema.field_names("attribute")


def header_text(field):
    """Form header for a field: the Chinese name with the standard unit, as the reader expects."""
    spec = schema.fields()[field]
    alias = spec.get("alias", field)
    base = re.sub(r"[(（][^)）]*[)）]\s*$", "", alias)
    unit = UNIT_LABELS.get(spec.get("unit"))
    return "{}({})".format(base, unit) if unit else base


def _sheet_name(code, used):
    base = _BAD_SHEET_CHARS.sub("_", str(code or tr("parcel")))[:31] or "parcel"
    name = base
    n = 2
    while name.lower() in used or name == FORM_MARKER_SHEET:
        suffix = "_{}".format(n)
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def instructions(year):
    return tr(
        "Instructions: 1) Grey cells are locked; fill in the white cells only. 2) One row per enterprise and year "
        "({}–{}); amounts in 万元, energy in 吨标准煤, electricity in 万千瓦时, emissions in 吨, staff in 人. "
        "3) Leave a cell empty when there is no data (do not write 0). 4) 统一社会信用代码 has 18 characters. "
        "5) Choose 是/否 and categories from the drop-down lists. 6) More rows: 审阅 > 撤销工作表保护 "
        "(no password), insert rows inside the table. 7) Return the file unchanged in name and layout; "
        "it is read back by LandEval (landeval:joinenterprises).").format(year - 2, year)


def export_forms(parcels, enterprises, year, out_dir, feedback=None):
    """Write one workbook per town into ``out_dir``; returns the paths written.

    ``parcels``: list of dicts with parcel_code, town, address, owner, land_use, area_m2 and
    any attribute fields. ``enterprises``: {parcel code: [(credit, name, year, scale,
    {field: value})]}. Files are built in a temporary folder and moved in at the end; an
    existing file is never overwritten (a time stamp is added to the new name).
    """
    by_town = {}
    for p in parcels:
        by_town.setdefault(p.get("town") or tr("no town"), []).append(p)
    os.makedirs(out_dir, exist_ok=True)
    tmp_dir = tempfile.mkdtemp(prefix=".landeval-forms-", dir=out_dir)
    written = []
    try:
        done = 0
        total = max(1, len(parcels))
        staged = []
        for town in sorted(by_town):
            if feedback is not None and feedback.isCanceled():
                return []
            name = "一地一表_{}_{}.xlsx".format(_BAD_FILE_CHARS.sub("_", str(town)), year)
            tmp_path = os.path.join(tmp_dir, name)
            log = _write_workbook(tmp_path, town, by_town[town], enterprises, year)
            if log and feedback is not None:
                feedback.pushWarning(tr("Forms {}: text cleaned in {} cells: {}").format(name, len(log), log.summary()))
            staged.append((tmp_path, name))
            done += len(by_town[town])
            if feedback is not None:
                feedback.setProgress(100.0 * done / total)
        stamp = datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
        for tmp_path, name in staged:
            target = os.path.join(out_dir, name)
            if os.path.exists(target):
                target = os.path.join(out_dir, name[:-5] + "_" + stamp + ".xlsx")
            os.replace(tmp_path, target)
            written.append(target)
        return written
    finally:
        for f in os.listdir(tmp_dir):
            os.remove(os.path.join(tmp_dir, f))
        os.rmdir(tmp_dir)


def _write_workbook(path, town, parcels, enterprises, year):
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    log = TextLog(tr)  # notes in the forms' language
    info = wb.active
    info.title = tr("Instructions")
    title_font = Font(bold=True, size=14)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    head_fill = PatternFill("solid", fgColor="BDD7EE")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    unlocked = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    styles = _Styles(info)
    styles.define("title", font=title_font)
    styles.define("wrap", alignment=wrap)
    styles.define("bold", font=bold)
    styles.define("label", font=bold, fill=grey)
    styles.define("fact", fill=grey)
    styles.define("hint", font=Font(italic=True, color="666666"))
    styles.define("input", protection=unlocked, border=box)
    styles.define("number", protection=unlocked, border=box, number_format="0.00####")
    styles.define("locked", fill=grey, border=box)
    styles.define("head", font=bold, fill=head_fill, border=box,
                  alignment=Alignment(wrap_text=True, horizontal="center"))
    apply = styles.apply

    set_text(info["A1"], tr("{} {} industrial land performance forms (一地一表)").format(town, year), log)
    info["A1"].font = title_font
    info["A2"] = instructions(year)
    info["A2"].alignment = wrap
    info.merge_cells("A2:F2")
    info.row_dimensions[2].height = 150
    for col, text in zip("ABCD", (tr("parcel code"), tr("address"), tr("owner"), tr("sheet"))):
        info["{}4".format(col)] = text
        info["{}4".format(col)].font = bold
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 36
    info.column_dimensions["C"].width = 30
    info.column_dimensions["D"].width = 24

    marker = wb.create_sheet(FORM_MARKER_SHEET)
    marker.append(["form", FORM_VERSION])
    marker.append(["year", year])
    marker.append(row_of_cells(marker, ["town", str(town)], log))
    marker.sheet_state = "hidden"

    columns = enterprise_columns()
    attrs = attribute_fields()
    specs = schema.fields()
    used = {tr("Instructions").lower()}
    years = [year - 2, year - 1, year]
    for i, parcel in enumerate(parcels):
        code = parcel.get("parcel_code")
        ws = wb.create_sheet(_sheet_name(code, used))
        marker.append(row_of_cells(marker, ["sheet", ws.title, code], log))
        link_row = 5 + i
        set_text(info.cell(row=link_row, column=1), code, log)
        set_text(info.cell(row=link_row, column=2), parcel.get("address"), log)
        set_text(info.cell(row=link_row, column=3), parcel.get("owner"), log)
        c = set_text(info.cell(row=link_row, column=4), ws.title, log)
        c.hyperlink = "#'{}'!A1".format(ws.title.replace("'", "''"))
        last_col = column_letter(len(columns) - 1)
        ws["A1"] = tr("{} industrial land performance form (一地一表)").format(year)
        apply(ws["A1"], "title")
        ws.merge_cells("A1:{}1".format(last_col))
        ws["A2"] = instructions(year)
        apply(ws["A2"], "wrap")
        ws.merge_cells("A2:{}2".format(last_col))
        ws.row_dimensions[2].height = 75
        # parcel facts (locked)
        alias = schema.alias
        facts = [(alias("parcel_code"), code), (alias("town"), parcel.get("town")),
                 (alias("address"), parcel.get("address")), (alias("owner"), parcel.get("owner")),
                 (alias("land_use"), parcel.get("land_use")),
                 (tr("area (m²)"), _round(parcel.get("area_m2"), 2)),
                 (tr("area (mu)"), _round((parcel.get("area_m2") or 0) / (10000.0 / 15.0), 4)
                  if parcel.get("area_m2") else None)]
        row = 4
        apply(ws.cell(row=3, column=1, value=tr("Parcel")), "bold")
        for j, (label, value) in enumerate(facts):
            r, cpos = row + j // 2, 1 + (j % 2) * 3
            apply(ws.cell(row=r, column=cpos, value=label), "label")
            cell = ws.cell(row=r, column=cpos + 1)
            set_text(cell, value, log)
            apply(cell, "fact")
        row = 4 + (len(facts) + 1) // 2 + 1
        apply(ws.cell(row=row, column=1, value=tr("Parcel situation (choose or fill in)")), "bold")
        row += 1
        validations = {}

        def validation(key, ws=ws, validations=validations, **kwargs):  # this sheet's, bound (B023)
            if key not in validations:
                dv = DataValidation(allow_blank=True, showErrorMessage=True, **kwargs)
                dv.errorTitle = tr("Invalid input")
                ws.add_data_validation(dv)
                validations[key] = dv
            return validations[key]

        for field in attrs:
            spec = specs[field]
            apply(ws.cell(row=row, column=1, value=spec.get("alias", field)), "label")
            cell = ws.cell(row=row, column=2)
            value = parcel.get(field)
            kind = spec.get("type")
            if kind == "bool":
                flag = _values.to_bool(value)  # unknown stays blank, never 否
                set_text(cell, None if flag is None else ("是" if flag else "否"), log)
                dv = validation("bool", type="list", formula1='"是,否"')
                dv.error = tr("Choose 是 or 否.")
                hint = "是 / 否"
            elif spec.get("values"):
                set_text(cell, value, log)
                dv = validation(field, type="list", formula1='"{}"'.format(",".join(spec["values"])))
                dv.error = tr("Choose a value from the list.")
                hint = " / ".join(spec["values"])
            elif kind in ("double", "int"):
                cell.value = value
                dv = validation("number", type="decimal", operator="greaterThanOrEqual", formula1="0")
                dv.error = tr("Enter a number (0 or more).")
                hint = tr("number")
            else:
                set_text(cell, value, log)
                dv = None
                hint = ""
            if dv is not None:
                dv.add(cell.coordinate)
            apply(cell, "input")
            apply(ws.cell(row=row, column=3, value=hint), "hint")
            row += 1
        row += 1
        apply(
            ws.cell(row=row, column=1, value=tr("Enterprises on the parcel (one row per enterprise and year)")), "bold")
        row += 1
        header_row = row
        for j, field in enumerate(columns):
            cell = ws.cell(row=row, column=j + 1, value=header_text(field))
            apply(cell, "head")
            ws.column_dimensions[column_letter(j)].width = 22 if j < 3 else 13
        ws.row_dimensions[row].height = 32
        ws.freeze_panes = ws.cell(row=row + 1, column=1)
        lines = sorted(enterprises.get(code, []), key=lambda e: (str(e[0] or e[1] or ""), e[2] or 0))
        first_data = row + 1
        rows_out = [(e[0], e[1], e[2], e[3], e[4]) for e in lines] + [(None, None, None, None, {})] * SPARE_ROWS
        for credit, name, y, scale, values in rows_out:
            row += 1
            for j, field in enumerate(columns):
                cell = ws.cell(row=row, column=j + 1)
                if field == "parcel_code":
                    set_text(cell, code, log)
                    apply(cell, "locked")
                    continue
                apply(cell, "input")
                if field == "credit_code":
                    set_text(cell, credit, log)
                elif field == "enterprise_name":
                    set_text(cell, name, log)
                elif field == "year":
                    cell.value = y
                elif field == "scale":
                    set_text(cell, scale, log)
                else:
                    cell.value = values.get(field)
                    apply(cell, "number")
        last_row = row
        if last_row >= first_data:
            rng = "{}{}:{}{}"
            dv = validation("year", type="list", formula1='"{}"'.format(",".join(str(y) for y in years)))
            dv.error = tr("Choose one of the evaluation years.")
            dv.add(rng.format(column_letter(columns.index("year")), first_data,
                              column_letter(columns.index("year")), last_row))
            dv = validation("scale", type="list", formula1='"规上,规下"')
            dv.error = tr("Choose 规上 or 规下.")
            dv.add(rng.format(column_letter(columns.index("scale")), first_data,
                              column_letter(columns.index("scale")), last_row))
            dv = validation("number", type="decimal", operator="greaterThanOrEqual", formula1="0")
            dv.error = tr("Enter a number (0 or more).")
            first_value = columns.index(value_fields()[0])
            dv.add(rng.format(column_letter(first_value), first_data, column_letter(len(columns) - 1), last_row))
            dv = validation("code", type="textLength", operator="equal", formula1="18")
            dv.error = tr("统一社会信用代码 has 18 characters.")
            dv.showErrorMessage = True
            col = column_letter(columns.index("credit_code"))
            dv.add(rng.format(col, first_data, col, last_row))
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.print_title_rows = "{0}:{0}".format(header_row)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
    wb.save(path)
    return log


class _Styles:
    """Cell styles built once per workbook and copied onto cells (openpyxl hashes every style
    object assigned to a cell; copying the style array is ~10x faster for thousands of sheets)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.cache = {}

    def define(self, key, **attrs):
        from openpyxl.cell.cell import Cell

        cell = Cell(self.sheet)
        for name, value in attrs.items():
            setattr(cell, name, value)
        self.cache[key] = cell._style

    def apply(self, cell, key):
        from copy import copy

        cell._style = copy(self.cache[key])


def _round(value, digits):
    try:
        return None if value is None else round(float(value), digits)
    except (TypeError, ValueError):
        return None


def parse_attribute(field, raw):
    """Form cell -> attribute value (bool for yes/no fields, number, text); None when blank."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = schema.fields()[field].get("type")
    if kind == "bool":
        return _values.to_bool(raw)
    if kind in ("double", "int"):
        return _values.to_float(raw)
    return _values.to_text(raw)


def read_form_attributes(path, sheets):
    """{parcel code: {attribute field: value}} from the attribute blocks of form sheets."""
    specs = schema.fields()
    by_alias = {specs[f].get("alias"): f for f in attribute_fields()}
    code_label = schema.alias("parcel_code")
    result = {}
    book = XlsxBook(path)
    try:
        for sheet in sheets:
            code = None
            values = {}
            for rnum, row in book.rows(sheet):
                if rnum > 60:
                    break
                if not row:
                    continue
                label = row[0] if isinstance(row[0], str) else None
                if label == code_label and len(row) > 1:
                    if code:  # the enterprise table's header: the attribute block is over
                        break
                    code, _ = clean_code(row[1])
                elif label in by_alias:
                    field = by_alias[label]
                    value = parse_attribute(field, row[1] if len(row) > 1 else None)
                    if value is not None:
                        values[field] = value
            if code:
                result[code] = values
    finally:
        book.close()
    return result
