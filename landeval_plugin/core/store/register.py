"""The disposal register (处置台账) of a store: filled from a disposal run, exported to a formatted
Excel 台账, and a parcel's history across years (复评) for the 一地一档 sheet (issue 16.2).

* ``sync_disposal(store, year, rows)``: every parcel on the low-efficiency list (a low-efficiency
  tag, or final class D) enters the register of ``year`` as 初步清单 with its path; a parcel
  already in the register keeps its status and history, only a changed path is written (row
  version checked). One transaction.
* ``history(store, code)``: per evaluation year, newest first, the parcel (or the parcels it came
  from, by ``prev_codes`` lineage) with its final class, path and register status.
* ``write_workbook(path, store, year)``: the year's low-efficiency list and register as one
  formatted workbook (title, units, frozen header, totals, the register status following the
  seeds' workflow, responsible unit, deadlines, dates, notes); every text cell through
  ``formats.xlsx_text`` (a name starting with "=" stays text).
"""
import json

from ...i18n import tr
from .compare import ORDER, on_list
from .errors import StoreError

FINAL_STATUSES = ("已完成", "已出库")


def final_class(row):
    value = row.get("grade_final") or row.get("grade")
    return str(value).strip().upper() if value not in (None, "") else None


def _rows_of_year(store, sql, year, codes=None):
    """Rows of ``sql`` (ending in ``WHERE year = ?``) for ``year``, limited to ``codes`` when given, by fid."""
    params = [int(year)]
    if codes is not None:
        codes = sorted({c for c in codes if c})
        if not codes:
            return []
        sql += " AND parcel_code IN ({})".format(", ".join(store.ph for _ in codes))
        params += codes
    return store.rows(sql + " ORDER BY fid", params)


def graded_rows(store, year, codes=None):
    """{code: row} of the year's graded parcels (the columns the register and history need)."""
    cols = {c.lower(): c for c in store.existing_columns("graded")}
    keep = [cols[c] for c in ("parcel_code", "town", "owner", "area_mu", "grade", "grade_final", "low_eff",
                              "low_eff_tags", "prev_codes", "disposal", "disposal_final") if c in cols]
    sql = "SELECT {} FROM {} WHERE year = {}".format(", ".join(store.q(c) for c in keep), store.t("graded"), store.ph)
    out = {}
    for r in _rows_of_year(store, sql, year, codes):
        r = {k.lower(): v for k, v in r.items()}
        if r.get("parcel_code"):
            out[r["parcel_code"]] = r
    return out


def register_rows(store, year, codes=None):
    """{code: latest register row} of ``year``."""
    sql = "SELECT * FROM {} WHERE year = {}".format(store.t("register"), store.ph)
    out = {}
    for r in _rows_of_year(store, sql, year, codes):
        out[r["parcel_code"]] = r
    return out


def sync_disposal(store, year, rows, feedback=None):
    """``rows``: (parcel code, town, path, on the low-efficiency list) of one disposal run.
    Returns {"added": n, "updated": n, "kept": n}."""
    counts = {"added": 0, "updated": 0, "kept": 0}
    with store.transaction():
        year = store.ensure_year(year)
        existing = register_rows(store, year)
        for code, town, path, listed in rows:
            if not code or not listed:
                continue
            if feedback is not None and feedback.isCanceled():
                raise StoreError(tr("Cancelled: the store was not changed."))
            old = existing.get(code)
            if old is None:
                store.register_add(year, code, path=path, town=town)
                counts["added"] += 1
            elif (old.get("path") or None) != (path or None):
                store.update_row("register", old["fid"], old["row_version"], {"path": path})
                counts["updated"] += 1
            else:
                counts["kept"] += 1
    return counts


def finish(store, year, codes, notes=None):
    """Walk the register rows of ``codes`` (added as 已入库 when missing) through the workflow to
    已完成 (整治提升 done), one transaction. Returns the codes changed."""
    statuses = store.schema.statuses
    done = []
    with store.transaction():
        year = store.ensure_year(year)
        existing = register_rows(store, year, codes)
        for code in sorted(set(codes)):
            row = existing.get(code)
            if row is None:
                fid = store.register_add(year, code, status="已入库", notes=notes)
                row = store.row("register", fid)
            if row["status"] in FINAL_STATUSES:
                continue
            version = row["row_version"]
            for status in statuses[statuses.index(row["status"]) + 1:statuses.index("已完成") + 1]:
                version = store.register_set_status(row["fid"], version, status,
                                                    notes=notes if status == "已完成" else None)
            done.append(code)
    return done


# ---------------------------------------------------------------------------- history (复评)
def history(store, code, upto_year=None):
    """[{"year", "codes", "grade", "grade_computed", "path", "status", "on_list"}] newest first:
    the parcel in every evaluation year of the store up to ``upto_year``, following ``prev_codes``
    back to the parcels it came from."""
    years = [y for y in store.years() if upto_year is None or y <= int(upto_year)]
    codes = {code}
    out = []
    started = False
    for year in sorted(years, reverse=True):
        graded = graded_rows(store, year, codes)
        if not graded:
            if started:
                break
            continue
        started = True
        register = register_rows(store, year, graded)
        reviews = {r["parcel_code"]: r for r in store.rows(
            "SELECT parcel_code, path FROM {} WHERE year = {} AND parcel_code IN ({}) ORDER BY fid".format(
                store.t("reviews"), store.ph, ", ".join(store.ph for _ in graded)), [year] + sorted(graded))}
        grades = [final_class(r) for r in graded.values()]
        known = [g for g in grades if g]
        paths, statuses = [], []
        for c, r in sorted(graded.items()):
            reg = register.get(c) or {}
            path = (reviews.get(c) or {}).get("path") or reg.get("path") or r.get("disposal_final") or r.get("disposal")
            if path and path not in paths:
                paths.append(path)
            if reg.get("status") and reg["status"] not in statuses:
                statuses.append(reg["status"])
        out.append({"year": year, "codes": sorted(graded),
                    "grade": min(known, key=lambda g: ORDER.get(g, 9)) if known else None,
                    "grade_computed": ",".join(sorted({str(r.get("grade")) for r in graded.values()
                                                       if r.get("grade")})) or None,
                    "path": "、".join(paths) or None, "status": "、".join(statuses) or None,
                    "on_list": any(on_list(r) for r in graded.values())})
        prev = set()
        for c, r in graded.items():
            parents = [p.strip() for p in str(r.get("prev_codes") or "").replace("，", ",").split(",") if p.strip()]
            prev.update(parents or [c])
        codes = prev
    return out


def format_history(entries, code, grade_names, no_data="暂无数据"):
    """The sheet's 历年评价 text: one line per year, oldest first, e.g.
    "2022年：D 整治退出｜整治｜台账 已完成" (Chinese: the sheet is a Chinese document)."""
    if not entries:
        return no_data
    lines = []
    before = None
    for e in sorted(entries, key=lambda e: e["year"]):
        grade = e["grade"]
        klass = "{} {}".format(grade, grade_names.get(grade, "")).strip() if grade else no_data
        if e["grade_computed"] and grade and e["grade_computed"] != grade:
            klass += "（原评{}）".format(e["grade_computed"])
        parts = ["{}年：{}".format(e["year"], klass), "处置路径 {}".format(e["path"] or "—"),
                 "台账 {}".format(e["status"] or "未入账")]
        if e["codes"] != [code]:
            parts.append("宗地 {}".format("、".join(e["codes"])))
        if before is not None and before["on_list"]:  # 复评 after a year on the low-efficiency list
            fixed = any(s in (before["status"] or "") for s in FINAL_STATUSES)
            stayed = "提升后仍为低效" if fixed else "仍在低效清单"
            parts.append(stayed if e["on_list"] else "出库（不再列入低效清单）")
        lines.append("｜".join(parts))
        before = e
    return "\n".join(lines)


# ---------------------------------------------------------------------------- Excel 台账
LIST_HEADERS = ("序号", "宗地代码", "镇街", "权利人", "面积（亩）", "评价类别", "低效类型", "处置路径", "台账状态")
REGISTER_HEADERS = ("序号", "宗地代码", "镇街", "权利人", "面积（亩）", "评价类别", "处置路径", "台账状态",
                    "责任单位", "完成时限", "入库时间", "状态日期", "完成日期", "备注", "附件", "最后修改人")
LIST_WIDTHS = (6, 24, 12, 28, 12, 10, 24, 14, 12)
REGISTER_WIDTHS = (6, 24, 12, 28, 12, 10, 14, 12, 18, 12, 12, 12, 12, 36, 24, 14)


def _mu(value):
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        return None


def _date(text):
    return str(text)[:10] if text else None


def _attachments(value):
    if not value:
        return None
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return "；".join(str(i) for i in items) if isinstance(items, list) else str(items)


def tables(store, year):
    """(list rows, register rows) of ``year`` as tuples in the header order."""
    graded = graded_rows(store, year)
    register = register_rows(store, year)
    listed = sorted((r for r in graded.values() if on_list(r)), key=lambda r: (str(r.get("town") or "\uffff"),
                                                                              r["parcel_code"]))
    list_rows = []
    for n, r in enumerate(listed, 1):
        reg = register.get(r["parcel_code"]) or {}
        list_rows.append((n, r["parcel_code"], r.get("town"), r.get("owner"), _mu(r.get("area_mu")), final_class(r),
                          r.get("low_eff_tags"), reg.get("path") or r.get("disposal_final") or r.get("disposal"),
                          reg.get("status") or "未入账"))
    order = {s: i for i, s in enumerate(store.schema.statuses)}
    regs = sorted(register.values(), key=lambda r: (order.get(r["status"], 99), str(r.get("town") or "\uffff"),
                                                     r["parcel_code"]))
    reg_rows = []
    for n, reg in enumerate(regs, 1):
        g = graded.get(reg["parcel_code"]) or {}
        reg_rows.append((n, reg["parcel_code"], reg.get("town") or g.get("town"), g.get("owner"),
                         _mu(g.get("area_mu")), final_class(g) if g else None, reg.get("path"), reg["status"],
                         reg.get("responsible_unit"), _date(reg.get("deadline")), _date(reg.get("entered_at")),
                         _date(reg.get("status_at")), _date(reg.get("completed_at")), reg.get("notes"),
                         _attachments(reg.get("attachments")), reg.get("updated_by")))
    return list_rows, reg_rows


def write_workbook(path, store, year, when=None):
    """The year's 低效用地清单 and 处置台账 (and a count per status) as one formatted .xlsx, written
    to a temporary file and moved into place. Returns {"list": n, "register": n}."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from .. import files
    from ..formats.xlsx_text import header_footer, write_text

    year = int(year)
    if year not in store.years():
        raise StoreError(tr("{} holds no evaluation year {} (years: {}).").format(
            store.describe(), year, ", ".join(str(v) for v in store.years()) or "-"))
    when = when or datetime.date.today().isoformat()
    list_rows, reg_rows = tables(store, year)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="1F3B63")
    total_fill = PatternFill("solid", fgColor="EDF1F7")
    wb = Workbook()

    def sheet(ws, title, headers, widths, rows, area_col, count=None):
        last = len(headers)
        write_text(ws, 1, 1, title)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 26
        write_text(ws, 2, 1, "数据来源：{}　评估年度：{}　面积单位：亩　日期：{}".format(store.describe(), year, when))
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
        ws.cell(row=2, column=1).font = Font(size=9, color="555555")
        for c, text in enumerate(headers, 1):
            cell = write_text(ws, 3, c, text)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = head_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        for r, values in enumerate(rows, 4):
            for c, value in enumerate(values, 1):
                cell = write_text(ws, r, c, value)
                cell.border = border
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > 12)
                if c == area_col:
                    cell.number_format = "#,##0.00"
        total_row = 4 + len(rows)
        area = round(sum(v[area_col - 1] or 0.0 for v in rows), 2)
        write_text(ws, total_row, 1, "合计")
        write_text(ws, total_row, 2, "{} 宗".format(len(rows) if count is None else count))
        write_text(ws, total_row, area_col, area).number_format = "#,##0.00"
        for c in range(1, last + 1):
            cell = ws.cell(row=total_row, column=c)
            cell.font = Font(bold=True)
            cell.fill = total_fill
            cell.border = border
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = width
        ws.freeze_panes = "C4"
        ws.print_title_rows = "3:3"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = header_footer(title) + " 第 &P 页，共 &N 页"
        ws.auto_filter.ref = "A3:{}{}".format(ws.cell(row=3, column=last).column_letter, max(3, total_row - 1))
        return area

    ws = wb.active
    ws.title = "低效用地清单"
    sheet(ws, "{}年度低效工业用地清单".format(year), LIST_HEADERS, LIST_WIDTHS, list_rows, 5)
    ws = wb.create_sheet("处置台账")
    sheet(ws, "{}年度低效工业用地处置台账".format(year), REGISTER_HEADERS, REGISTER_WIDTHS, reg_rows, 5)
    # count and area per register status, in the workflow's order (初步清单 … 已出库)
    ws = wb.create_sheet("状态汇总")
    statuses = list(store.schema.statuses)
    summary = []
    for n, status in enumerate(statuses, 1):
        rows = [r for r in reg_rows if r[7] == status]
        summary.append((n, status, len(rows), round(sum(r[4] or 0.0 for r in rows), 2)))
    sheet(ws, "{}年度处置台账状态汇总".format(year), ("序号", "台账状态", "宗数", "面积（亩）"), (6, 14, 10, 14),
          summary, 4, count=len(reg_rows))
    ws.freeze_panes = "A4"
    files.atomic_write(path, wb.save)
    return {"list": len(list_rows), "register": len(reg_rows),
            "status": {s: c for _, s, c, _ in summary if c}}
