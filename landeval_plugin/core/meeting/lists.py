"""Published lists (名单): the A-class list, the 重点服务 list and the low-efficiency list.

    plist = build_list(layer, "key_service")          # ParcelList: rows, basis, assumptions
    write_list_workbook("重点服务企业名单.xlsx", plist)
    write_list_pdf("重点服务企业名单.pdf", plist)

Which parcels each list holds (printed on the list with its source):

* ``a_class`` 优质工业用地产权人名单: class A. Beijing E-Town 2023 (seed 004) 三、（四）"发布优质工业用地
  产权人名单", for the parcels "综合评价为A类".
* ``key_service`` 重点服务企业名单: classes A and B. Beijing E-Town 2023 三、（三）"将综合评价为A、B两类的
  工业用地产权人及其关联方纳入重点服务企业名单". Assumption printed on the list: it names the right
  holder of each parcel; related parties (关联方) are not in the data and are to be added by hand.
* ``low_efficiency`` 低效工业用地清单: every parcel with a low-efficiency tag (``low_eff`` or
  ``low_eff_tags``). Tonglu 2022 (seed 002): a parcel of any type is on the list.

The class is the reviewed class (``grade_final``) where there is one, else ``grade``; the
reason is the review's reason where the class was reviewed, else the grade's reason (score
details shortened to the score and rank), with the tags for the low-efficiency list.
"""
import datetime
import math
import re

from .. import values
from ..grading.grade import TAG_MARK
from ..units import M2_PER_MU, AreaMeter
from .statistics import Column, Table, write_workbook
from .text import DOCUMENT_LOCALE, tr

KINDS = ("a_class", "key_service", "low_efficiency")


class ListError(ValueError):
    """The layer cannot give the list (no class or tag field, a bad filter); the message says which."""


def list_title(kind, locale=DOCUMENT_LOCALE):
    return {"a_class": tr("List of high-quality industrial land right holders (class A)", locale),
            "key_service": tr("List of key service enterprises (classes A and B)", locale),
            "low_efficiency": tr("List of low-efficiency industrial land", locale)}[kind]


def list_basis(kind, locale=DOCUMENT_LOCALE):
    """(source and clause, [assumptions]) printed on the list."""
    if kind == "a_class":
        return (tr("Basis: Beijing E-Town 2023, section 3 (4): publish the list of high-quality industrial land "
                   "right holders; parcels graded A.", locale), [])
    if kind == "key_service":
        return (tr("Basis: Beijing E-Town 2023, section 3 (3): the right holders of industrial land graded A or B, "
                   "and their related parties, go on the key service enterprise list.", locale),
                [tr("Assumption: the list names the right holder of each A or B parcel; related parties are not in "
                    "the data and must be added by hand.", locale)])
    return (tr("Basis: Tonglu 2022: a parcel of any low-efficiency type (low tax per mu, idle, industrial land used "
               "otherwise, prohibited or obsolete industry, class D) is on the list of low-efficiency industrial "
               "land.", locale), [])


class ListRow:
    __slots__ = ("fid", "code", "name", "town", "mu", "klass", "reason", "tags")

    def __init__(self, fid, code, name, town, mu, klass, reason, tags=""):
        self.fid, self.code, self.name, self.town, self.mu = fid, code, name, town, mu
        self.klass, self.reason, self.tags = klass, reason, tags


class ParcelList:
    """One published list: ``rows`` (ListRow, by town then code), ``title``, ``basis``,
    ``assumptions``, ``filter_text``, ``layer_name``; ``count`` and ``total_mu``."""

    def __init__(self, kind, rows, layer_name="", filter_text="", locale=DOCUMENT_LOCALE):
        self.kind, self.rows, self.layer_name, self.filter_text = kind, rows, layer_name, filter_text
        self.locale = locale
        self.title = list_title(kind, locale)
        self.basis, self.assumptions = list_basis(kind, locale)

    @property
    def count(self):
        return len(self.rows)

    @property
    def total_mu(self):
        return sum(r.mu for r in self.rows)

    def headers(self):
        lo = self.locale
        return [tr("No.", lo), tr("Parcel code", lo), tr("Right holder", lo), tr("Town", lo), tr("Area (mu)", lo),
                tr("Class", lo), tr("Reason", lo)]

    def preamble(self):
        lines = [self.basis] + list(self.assumptions)
        if self.filter_text:
            lines.append(tr("Filter: {}", self.locale).format(self.filter_text))
        return lines

    def table(self):
        """The list as a statistics.Table (the workbook writer and a panel draw it)."""
        from .. import vocabulary

        h = self.headers()
        cols = [Column(h[0], kind="int"), Column(h[1], kind="text"), Column(h[2], kind="text"),
                Column(h[3], kind="text"), Column(h[4], kind="float"), Column(h[5], kind="text"),
                Column(h[6], kind="longtext")]
        rows = [[k, r.code or "", r.name or "", r.town or "", r.mu,
                 (vocabulary.grade_label(r.klass) or r.klass) if r.klass else "", r.reason or ""]
                for k, r in enumerate(self.rows, 1)]
        in_all = tr("{} parcel(s) in all", self.locale).format(self.count)
        totals = [tr("Total", self.locale), in_all, "", "", self.total_mu, "", ""]
        return Table(self.title, cols, rows, totals, notes=[], sheet_name=self.title[:31], preamble=self.preamble())


def short_reason(text, limit=40):
    """A grade reason without its long parenthesised details (the item scores): what a list prints."""
    text = values.to_text(text) or ""
    out, depth, start = [], 0, 0
    pieces = []
    for i, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                start = i
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                pieces.append((start, i + 1))
    last = 0
    for a, b in pieces:
        if b - a > limit:
            out.append(text[last:a])
            last = b
    out.append(text[last:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _is_low(low_eff, tags):
    return bool(tags) or values.to_bool(low_eff) is True


def build_list(source, kind, expression=None, feature_ids=None, context=None, locale=DOCUMENT_LOCALE,
               feedback=None):
    """ParcelList of ``kind`` (one of KINDS) from a QgsVectorLayer or QgsFeatureSource.

    ``expression`` / ``feature_ids`` restrict the parcels first (e.g. one town, the selection).
    Raises ListError when the layer lacks the fields the list reads (naming them) or the
    expression is invalid. Returns None when ``feedback`` is cancelled."""
    from .statistics import field_index, filter_request, passes_filter, split_tags, subset_attributes

    if kind not in KINDS:
        raise ListError(tr("Unknown list {} (one of {})", None).format(kind, ", ".join(KINDS)))
    names = source.fields().names()
    layer_name = source.sourceName() if hasattr(source, "sourceName") else source.name()
    if kind in ("a_class", "key_service") and "grade" not in names and "grade_final" not in names:
        raise ListError(tr("The layer {} has no class (grade): grade it before printing the {}.", None).format(
            layer_name, list_title(kind, None)))
    if kind == "low_efficiency" and "low_eff" not in names and "low_eff_tags" not in names:
        raise ListError(tr("The layer {} has no low-efficiency tags (low_eff, low_eff_tags): grade it with a "
                           "standard that tags low-efficiency land (e.g. tonglu_2022).", None).format(layer_name))
    request, expr, context = filter_request(source, expression, feature_ids, context, ListError)
    crs = source.sourceCrs() if hasattr(source, "sourceCrs") else source.crs()
    meter = AreaMeter(crs)

    def idx(*cands):
        return field_index(names, *cands)

    i = {"code": idx("parcel_code"), "name": idx("owner", "enterprise_name"), "town": idx("town"),
         "grade": idx("grade"), "final": idx("grade_final"), "reason": idx("grade_reason"),
         "override": idx("override_reason"), "low": idx("low_eff"), "tags": idx("low_eff_tags"),
         "area_mu": idx("area_mu")}
    subset_attributes(request, source.fields(), [v for v in i.values() if v is not None], expr)
    rows = []
    for k, f in enumerate(source.getFeatures(request)):
        if feedback is not None and k % 1000 == 0 and feedback.isCanceled():
            return None
        if not passes_filter(expr, context, f, ListError):
            continue
        a = f.attributes()

        def get(key, a=a):
            return None if i[key] is None else a[i[key]]

        final = values.to_text(get("final"))
        klass = final or values.to_text(get("grade"))
        tags = split_tags(get("tags"))
        if kind == "a_class" and klass != "A":
            continue
        if kind == "key_service" and klass not in ("A", "B"):
            continue
        if kind == "low_efficiency" and not _is_low(get("low"), tags):
            continue
        override = values.to_text(get("override"))
        reason = (tr("Review: {}", locale).format(override) if final and override
                  else short_reason(get("reason")))
        if kind == "low_efficiency":
            reason = reason.split(TAG_MARK.strip())[0].strip().rstrip("；;")  # the tags follow anyway
            tag_text = "、".join(tags) if tags else tr("low-efficiency (no type given)", locale)
            reason = tr("Types: {}", locale).format(tag_text) + ("；" + reason if reason else "")
        geom = f.geometry()
        mu = meter.m2(geom) / M2_PER_MU if geom is not None and not geom.isEmpty() else (
            values.to_float(get("area_mu")) or 0.0)
        rows.append(ListRow(f.id(), values.to_text(get("code")), values.to_text(get("name")),
                            values.to_text(get("town")), mu if math.isfinite(mu) else 0.0, klass, reason,
                            "、".join(tags)))
    rows.sort(key=lambda r: (r.town or "\uffff", r.code or "", r.fid))
    return ParcelList(kind, rows, layer_name, str(expression or ""), locale)


def write_list_workbook(path, plist, title=None, stage=False, when=None):
    """The list as a formatted .xlsx (title, date, basis and assumptions, headers, rows, totals,
    frozen header, the reason column wrapped); values only, never formulas."""
    return write_workbook(path, [plist.table()], title=title, notes=[], locale=plist.locale, stage=stage,
                          when=when, info_sheet=False)


COLUMN_SHARES = (0.05, 0.16, 0.21, 0.09, 0.08, 0.09, 0.32)  # of the page width: No. … reason


def write_list_pdf(path, plist, title=None, stage=False, when=None, font_family=None):
    """The list as an A4 landscape PDF: title, date, basis and assumptions, the table (the header
    row repeated on every page, long reasons wrapped, the totals row), 第 n 页 / 共 N 页 under each
    page. Drawn with QPainter row by row (linear in the rows: a district's list of 20,000 parcels
    prints in seconds). CJK font from core/fonts.py; written beside ``path`` and moved into place.
    Raises ListError when no CJK font is installed (a Chinese list without one prints boxes)."""
    from .. import files, fonts

    family = font_family or fonts.resolve_cjk_family()
    if family is None:
        raise ListError(tr("No CJK font is installed; install {}", None).format(fonts.INSTALL_HINT))

    def write(tmp):
        _paint_pdf(tmp, plist, title, when or datetime.date.today().isoformat(), family)

    if stage:
        return files.stage_write(path, write)
    return files.atomic_write(path, write)


def _paint_pdf(path, plist, title, when, family):
    from qgis.PyQt.QtCore import QMarginsF, QRectF, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

    table = plist.table()
    lo = plist.locale
    writer = QPdfWriter(path)
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 14), QPageLayout.Unit.Millimeter))
    writer.setTitle(plist.title)
    writer.setCreator("LandEval")
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    page_w, page_h = float(page.width()), float(page.height())
    px_per_mm = writer.resolution() / 25.4
    pad = 1.2 * px_per_mm

    def font(size, bold=False):
        f = QFont(family)
        f.setPointSizeF(size)
        f.setBold(bold)
        f.setStyleStrategy(QFont.StyleStrategy(f.styleStrategy() | QFont.StyleStrategy.PreferNoShaping))
        return f

    body, head, big, small = font(9), font(9, True), font(16, True), font(8.5)
    wrap = Qt.TextFlag.TextWordWrap
    widths = [page_w * share for share in COLUMN_SHARES]
    xs = [sum(widths[:k]) for k in range(len(widths))]

    def cell_texts(values_):
        return ["{:,.2f}".format(v) if isinstance(v, float) else str(v) for v in values_]

    def height(texts, f):
        fm = QFontMetricsF(f, writer)
        return max(fm.boundingRect(QRectF(0, 0, (page_w if len(texts) == 1 else widths[k]) - 2 * pad, 1e7), int(wrap),
                                   t).height() for k, t in enumerate(texts)) + 2 * pad

    header = [c.label for c in table.columns]
    head_h = height(header, head)
    rows = [(cell_texts(r), False) for r in table.rows]
    empty = not rows
    if empty:  # one line across the table
        rows = [([tr("No parcel is on this list.", lo)], False)]
    rows.append((cell_texts(table.totals), True))
    heights = [height(t, head if bold else body) for t, bold in rows]
    sub = tr("{} · generated {}", lo).format(title, when) if title else tr("Generated {}", lo).format(when)
    fm_small = QFontMetricsF(small, writer)
    intro = [(table.title, big, Qt.AlignmentFlag.AlignHCenter), (sub, body, Qt.AlignmentFlag.AlignHCenter)]
    intro += [(line, small, Qt.AlignmentFlag.AlignLeft) for line in table.preamble]
    intro_h = []
    for text, f, _ in intro:
        fm = fm_small if f is small else QFontMetricsF(f, writer)
        intro_h.append(fm.boundingRect(QRectF(0, 0, page_w, 1e7), int(wrap), text).height() + 1.5 * px_per_mm)
    # pages: [(first row, last row + 1)]; the first page starts below the title block
    pages, k, top = [], 0, sum(intro_h) + 2 * px_per_mm
    while k < len(rows) or not pages:
        y, first = top + head_h, k
        while k < len(rows) and (y + heights[k] <= page_h or k == first):
            y += heights[k]
            k += 1
        pages.append((first, k))
        top = 0.0
    numbers = [c.kind in ("int", "float") for c in table.columns]
    painter = QPainter(writer)
    try:
        grid = QPen(QColor("#808080"))
        grid.setWidthF(0.2 * px_per_mm)
        for n, (first, last) in enumerate(pages):
            if n:
                writer.newPage()
            y = 0.0
            if n == 0:
                for (text, f, align), h in zip(intro, intro_h):
                    painter.setFont(f)
                    painter.setPen(QColor("#000000"))
                    painter.drawText(QRectF(0, y, page_w, h), int(align | wrap), text)
                    y += h
                y += 2 * px_per_mm

            def draw_row(texts, y, h, f, fill=None):
                painter.setFont(f)
                for c, text in enumerate(texts):
                    rect = QRectF(xs[c], y, page_w if len(texts) == 1 else widths[c], h)
                    if fill is not None:
                        painter.fillRect(rect, QColor(fill))
                    painter.setPen(grid)
                    painter.drawRect(rect)
                    painter.setPen(QColor("#000000"))
                    align = Qt.AlignmentFlag.AlignRight if numbers[c] and fill != "#dde7f3" else (
                        Qt.AlignmentFlag.AlignHCenter if fill == "#dde7f3" else Qt.AlignmentFlag.AlignLeft)
                    painter.drawText(rect.adjusted(pad, pad, -pad, -pad),
                                     int(align | Qt.AlignmentFlag.AlignVCenter | wrap), text)

            draw_row(header, y, head_h, head, "#dde7f3")
            y += head_h
            for r in range(first, last):
                texts, bold = rows[r]
                draw_row(texts, y, heights[r], head if bold else body, "#f2f2f2" if bold else None)
                y += heights[r]
            painter.setFont(small)
            painter.setPen(QColor("#555555"))
            painter.drawText(QRectF(0, page_h + 3 * px_per_mm, page_w, 8 * px_per_mm),
                             int(Qt.AlignmentFlag.AlignHCenter), tr("Page {} of {}", lo).format(n + 1, len(pages)))
    finally:
        painter.end()
