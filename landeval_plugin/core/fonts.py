"""CJK fonts for printed sheets: a fallback chain resolved against the installed fonts.

A sheet printed without a CJK font shows boxes (豆腐块) and is worthless, so printing
resolves the first installed family of the chain and sets it on every text item; when
none is installed the caller tells the user which package/font to install first.
"""
from .. import compat

FONT_CHAIN = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
INSTALL_HINT = ("Noto Sans CJK SC (Debian/Ubuntu: apt install fonts-noto-cjk; Windows/macOS: "
                "https://github.com/notofonts/noto-cjk) or Source Han Sans SC / Microsoft YaHei / SimHei")


def installed_families():
    from qgis.PyQt.QtGui import QFontDatabase

    return set(QFontDatabase().families())


def resolve_cjk_family(chain=FONT_CHAIN, families=None):
    """First family of ``chain`` that is installed, or None."""
    families = installed_families() if families is None else set(families)
    lowered = {f.lower(): f for f in families}
    for name in chain:
        if name in families:
            return name
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def _with_family(qfont, family):
    from qgis.PyQt.QtGui import QFont

    qfont.setFamily(family)
    # CJK fonts substitute alternate digit/Latin glyphs when shaping Latin runs; Qt's PDF
    # writer cannot map those back to text, so codes like 330122000001GB00000 would vanish
    # from copy/paste and search. Plain glyphs keep every printed character searchable.
    qfont.setStyleStrategy(QFont.StyleStrategy(qfont.styleStrategy() | QFont.StyleStrategy.PreferNoShaping))
    return qfont


def _format_with_family(fmt, family):
    fmt.setFont(_with_family(fmt.font(), family))
    return fmt


def apply_family(layout, family):
    """Set ``family`` on every text item of ``layout`` (labels, tables, scale bars, legends).

    Sizes, weights and colours stay as designed; only the family changes, so a user's
    edited template keeps its look with whichever CJK font this machine has.
    """
    from qgis.core import (
        QgsLayoutItemLabel,
        QgsLayoutItemManualTable,
        QgsLayoutItemScaleBar,
        QgsLayoutTable,
    )

    count = 0
    for item in layout.items():
        if isinstance(item, QgsLayoutItemLabel):
            if compat.label_has_text_format(item):
                item.setTextFormat(_format_with_family(item.textFormat(), family))
            else:
                item.setFont(_with_family(item.font(), family))
            count += 1
        elif isinstance(item, QgsLayoutItemScaleBar):
            item.setTextFormat(_format_with_family(item.textFormat(), family))
            count += 1
    for frame in layout.multiFrames():
        if isinstance(frame, QgsLayoutTable):
            if hasattr(frame, "setContentTextFormat"):
                frame.setContentTextFormat(_format_with_family(frame.contentTextFormat(), family))
                frame.setHeaderTextFormat(_format_with_family(frame.headerTextFormat(), family))
            else:
                frame.setContentFont(_with_family(frame.contentFont(), family))
                frame.setHeaderFont(_with_family(frame.headerFont(), family))
            if isinstance(frame, QgsLayoutItemManualTable):  # cells may carry their own format
                rows = frame.tableContents()
                for row in rows:
                    for cell in row:
                        fmt = cell.textFormat()
                        if fmt.isValid():
                            cell.setTextFormat(_format_with_family(fmt, family))
                frame.setTableContents(rows)
            count += 1
    return count
