"""The 体检表 as a workbook: one printable sheet per parcel, the same values as the PDF."""
import os
import tempfile

from .errors import DossierError, tr
from .printer import RelayFeedback
from .publication import Publication, write_failure_reason
from .sheet_data import plain


# ---------------------------------------------------------------------------- workbook
def write_workbook(data, path, feedback=None, start=0, end=100, publication=None):
    """The same 体检表 as a workbook, one printable sheet per parcel; temp then move (or, with a
    ``publication``, registered there for the caller to publish). Every text from the data is
    stored as text (core/formats/xlsx_text.py); cleaned cells are reported as a warning."""
    try:
        import openpyxl
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    except ImportError as cause:
        raise DossierError(
            tr("Writing the workbook needs the Python package openpyxl (pip install openpyxl).")) from cause
    from ..formats.xlsx_text import TextLog, header_footer, write_text
    from ..safe_names import sheet_title

    relay = RelayFeedback(feedback, start, end)
    log = TextLog()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="3C3C3C")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    key_fill = PatternFill("solid", fgColor="EDF1F7")
    sec_fill = PatternFill("solid", fgColor="1F3B63")
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    taken = []
    # index sheet first: one row per parcel
    index = wb.create_sheet("目录")
    index.append(["宗地代码", "权利人", "所属镇街", "评价类别", "综合得分", "建议处置路径", "工作表"])
    for c in index[1]:
        c.font = Font(bold=True)
        c.fill = key_fill
        c.border = border
    taken.append("目录")
    total = len(data.sheets)
    for n, sheet in enumerate(data.sheets):
        if relay.canceled():
            return None
        d, raw = sheet.display, sheet.raw
        title = sheet_title(sheet.code, taken)
        ws = wb.create_sheet(title)
        where = "{} {}".format(tr("parcel"), sheet.code)
        r_index = index.max_row + 1
        for c, (head, value) in enumerate(zip(
                ("宗地代码", "权利人", "所属镇街", "评价类别", "综合得分", "建议处置路径", "工作表"),
                (sheet.code, raw.get("owner"), raw.get("town"), raw.get("grade_effective"), raw.get("score"),
                 raw.get("disposal"), title)), 1):
            write_text(index, r_index, c, value, log, "目录 {} {}".format(where, head))
        for col, width in zip("ABCDEFGH", (16, 14, 14, 14, 14, 12, 12, 18)):
            ws.column_dimensions[col].width = width
        row = [1]

        # this sheet's ws, row and where are bound as defaults (B023): the helpers never see a later sheet
        def merged(text, cols=8, font=None, fill=None, height=None, align=wrap, ws=ws, row=row, where=where):
            r = row[0]
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=cols)
            cell = write_text(ws, r, 1, text, log, where)
            cell.alignment = align
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if height:
                ws.row_dimensions[r].height = height
            row[0] += 1
            return cell

        def section(text):
            merged(text, font=Font(bold=True, color="FFFFFF"), fill=sec_fill, height=18)

        def pairs(items, ws=ws, row=row, where=where):
            """items: [(key, value, span)] laid out on one row across 8 columns."""
            r, c = row[0], 1
            for key, value, span in items:
                k = ws.cell(r, c, key)
                k.font, k.fill, k.border, k.alignment = Font(bold=True), key_fill, border, center
                v = write_text(ws, r, c + 1, value, log, "{} {}".format(where, key))
                v.border, v.alignment = border, wrap
                if span > 1:
                    ws.merge_cells(start_row=r, start_column=c + 1, end_row=r, end_column=c + span)
                for cc in range(c + 1, c + span + 1):
                    ws.cell(r, cc).border = border
                c += span + 1
            ws.row_dimensions[r].height = 20
            row[0] += 1

        merged(d["d_title"], font=Font(bold=True, size=16), align=center, height=30)
        merged("评价标准：{}　打印日期：{}".format(d["d_standard"], d["d_print_date"]), align=center)
        section("一、宗地基本信息")
        pairs([("宗地代码", sheet.code, 3), ("评价类别", d["d_class"], 3)])
        pairs([("权利人", d["d_owner"], 3), ("所属镇街", d["d_town"], 3)])
        pairs([("坐落", d["d_address"], 7)])
        pairs([("面积(平方米)", raw.get("area_m2"), 1), ("面积(亩)", raw.get("area_mu"), 1),
               ("面积(公顷)", raw.get("area_ha"), 1), ("供地日期", d["d_supply_date"], 1)])
        for r_cells in ws.iter_rows(min_row=row[0] - 1, max_row=row[0] - 1):
            for cell, fmt in zip(r_cells, (None, "#,##0.00", None, "#,##0.00", None, "#,##0.0000")):
                if fmt:
                    cell.number_format = fmt
        pairs([("用地类别", d["d_land_use"], 3), ("数据来源", d["d_source"], 3)])
        pairs([("开发边界", d["d_devbound"], 3), ("工业保障线", d["d_indline"], 3)])
        pairs([("连片编号", d["d_cluster"], 7)])
        section("二、用地企业（{}年度）".format(data.year))
        header = ["序号", "企业名称", "统一社会信用代码", "税收(万元)", "工业总产值(万元)", "从业人数", "用地份额"]
        for c, text in enumerate(header, 1):
            cell = ws.cell(row[0], c, text)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), key_fill, border, center
        row[0] += 1
        if not sheet.enterprises:
            merged(data.no_data, cols=7, align=center)
        for i, e in enumerate(sheet.enterprises, 1):
            values = [i, e.get("enterprise_name"), e.get("credit_code"), e.get("tax_10k"), e.get("output_10k"),
                      e.get("employees"), e.get("share")]
            for c, v in enumerate(values, 1):
                cell = write_text(ws, row[0], c, v, log, "{} {}".format(where, header[c - 1]))
                cell.border = border
                if c in (4, 5):
                    cell.number_format = "#,##0.00"
                elif c == 7:
                    cell.number_format = "0%"
            row[0] += 1
        section("三、评价指标（{}年度及前两年）".format(data.year))
        header = ["评价指标", str(data.year), str(data.year - 1), str(data.year - 2), "基准值", "权重", "得分", "备注"]
        for c, text in enumerate(header, 1):
            cell = ws.cell(row[0], c, text)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), key_fill, border, center
        row[0] += 1
        if not sheet.indicators:
            merged(data.no_data, align=center)
        for ind in sheet.indicators:
            values = [ind["name"], ind["v0"], ind["v1"], ind["v2"], ind["benchmark"], ind["weight"], ind["score"],
                      ind["note"]]
            for c, v in enumerate(values, 1):
                v = plain(v)
                cell = write_text(ws, row[0], c, v, log, "{} {}".format(where, header[c - 1]))
                cell.border = border
                if 2 <= c <= 7 and v is not None:
                    cell.number_format = "0.00%" if ind["indicator"] == "rnd_ratio" and c <= 5 else "#,##0.00"
            row[0] += 1
        section("四、评价结果")
        pairs([("综合得分", raw.get("score"), 1), ("排名", raw.get("rank"), 1), ("评价类别", d["d_class"], 3)])
        pairs([("评价依据", d["d_reasons"], 7)])
        pairs([("否决事项", d["d_veto"], 7)])
        pairs([("低效类型", d["d_tags"], 7)])
        section("五、处置路径与研判")
        pairs([("建议路径", d["d_disposal"], 3), ("研判路径", d["d_disposal_final"], 3)])
        pairs([("处置依据", d["d_disposal_reason"], 7)])
        pairs([("研判类别", d["d_grade_final"], 3), ("研判人/时间", d["d_review_by"], 3)])
        pairs([("研判理由", d["d_review"], 7)])
        if data.history is not None:  # printed with a LandEval store (landeval:dossiers STORE)
            pairs([("历年评价", d["d_history"], 7)])
        section("六、审核签署")
        r = row[0]
        for c0, head in ((1, "填报单位"), (4, "核查单位"), (7, "审核意见")):
            span = 3 if c0 < 7 else 2
            ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=c0 + span - 1)
            cell = ws.cell(r, c0, head)
            cell.font, cell.fill, cell.alignment = Font(bold=True), key_fill, center
            ws.merge_cells(start_row=r + 1, start_column=c0, end_row=r + 4, end_column=c0 + span - 1)
            body = ws.cell(r + 1, c0, "（盖章）\n经办人：\n　　年　月　日")
            body.alignment = Alignment(vertical="bottom", wrap_text=True)
            for rr in range(r, r + 5):
                for cc in range(c0, c0 + span):
                    ws.cell(rr, cc).border = border
        row[0] = r + 5
        merged("数据来源：{}".format(d["d_sources"]), font=Font(size=8, color="555555"))
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "宗地代码 {} 第 &P 页".format(header_footer(sheet.code, log, where))
        relay.set((n + 1) / float(max(total, 1)))
    index.column_dimensions["A"].width = 24
    index.column_dimensions["B"].width = 30
    if log:
        relay.warn(tr("Workbook {}: text cleaned in {} cells: {}").format(path, len(log), log.summary()))
    own = publication is None
    publication = publication or Publication()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".landeval-", suffix=".xlsx", dir=folder)
    os.close(fd)
    publication.temporary(tmp)
    try:
        try:
            from ..interrupt import raising

            with raising():  # half a minute for thousands of sheets, with no cancel check inside
                wb.save(tmp)
        except OSError as exc:
            raise DossierError(
                tr("Cannot write the workbook {}: {}").format(path, write_failure_reason(tmp, exc))) from exc
        import zipfile

        if not zipfile.is_zipfile(tmp):
            raise DossierError(tr("Cannot write the workbook {}: {}").format(
                path, write_failure_reason(tmp, tr("the file is incomplete"))))
        publication.add(tmp, path)
        if own:
            publication.commit()
    finally:
        if own:
            publication.discard()
    return path
