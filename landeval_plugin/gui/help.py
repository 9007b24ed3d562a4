"""帮助: open the user guide (docs/guide/zh_CN.md or en.md) at the section of a panel page.

Each section of the guide starts with an anchor named after the page module
(``<a id="review"></a>``), so the page's section is ``zh_CN.md#review``. The guide ships in the
plugin under ``docs/guide`` (make build copies it); in a source checkout it is read from the
repository's docs/guide.
"""
import os

from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices

from ..core import paths
from ..i18n import qm_name_for, user_locale

SECTIONS = ("start", "basemap", "data", "grading", "clusters", "disposal", "review", "dossiers")


def guide_file(locale=None):
    """The guide in the user's language (Chinese for a Chinese QGIS, else English), or None."""
    name = "zh_CN.md" if qm_name_for(locale if locale is not None else user_locale()) == "landeval_zh_CN" \
        else "en.md"
    for folder in (os.path.join(paths.PLUGIN_DIR, "docs", "guide"),
                   os.path.join(os.path.dirname(paths.PLUGIN_DIR), "docs", "guide")):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def guide_url(section, locale=None):
    """file:// URL of the guide at ``section`` (a page module name), or None without a guide."""
    path = guide_file(locale)
    if path is None:
        return None
    url = QUrl.fromLocalFile(path)
    if section in SECTIONS:
        url.setFragment(section)
    return url


def open_guide(section, locale=None):
    """Open the guide at ``section`` with the system's viewer; returns the URL (None: no guide)."""
    url = guide_url(section, locale)
    if url is not None:
        QDesktopServices.openUrl(url)
    return url
