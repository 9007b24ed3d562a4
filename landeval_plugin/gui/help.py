"""帮助: the user guide (docs/guide/zh_CN.md or en.md) at the section of a panel page.

Each section of the guide starts with an anchor named after the page module
(``<a id="review"></a>``) followed by its heading, so the page's section is ``zh_CN.md#review``.
A system viewer ignores the fragment of a Markdown file (and Windows drops it from a file URL), so
the guide is shown in LandEval's own help window: the Markdown rendered by Qt
(``QTextDocument.setMarkdown``, Qt 5.14+, so every QGIS from 3.22), the screenshots fitted to the
window, each section's heading carrying its anchor, and the window scrolled to the page's section.
The guide ships in the plugin under ``docs/guide`` (make build copies it); in a source checkout it
is read from the repository's docs/guide.
"""
import os
import re

from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices, QTextCharFormat, QTextCursor, QTextDocument
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ..core import paths
from ..i18n import qm_name_for, tr, user_locale

SECTIONS = ("start", "basemap", "data", "grading", "clusters", "disposal", "review", "dossiers")
ANCHOR = re.compile(r'<a id="([\w-]+)"></a>\s*\n\s*#+\s*(.+)')
IMAGE_WIDTH = 760  # px: a 1366 px screenshot fitted to the help window
_window = None


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


def section_headings(text):
    """{anchor: heading text without Markdown marks} of the guide's ``text``."""
    return {name: re.sub(r"[*_`]", "", heading).strip() for name, heading in ANCHOR.findall(text)}


def guide_document(path, image_width=IMAGE_WIDTH, parent=None):
    """The guide at ``path`` as a QTextDocument: Markdown rendered by Qt, every section heading an
    anchor named as in the guide (Qt's Markdown reader drops the raw ``<a id>``), images found
    beside the guide and no wider than ``image_width`` px."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    doc = QTextDocument(parent)
    folder = os.path.dirname(os.path.abspath(path))
    doc.setBaseUrl(QUrl.fromLocalFile(folder + os.sep))
    if hasattr(doc, "setMarkdown"):
        doc.setMarkdown(text)
    else:  # Qt before 5.14: the text as it is (no QGIS from 3.22 on ships such a Qt)
        doc.setPlainText(text)
    wanted = {heading: name for name, heading in section_headings(text).items()}
    anchors, images = [], []
    block = doc.begin()
    while block.isValid():
        name = wanted.get(block.text().strip()) if block.blockFormat().headingLevel() > 0 else None
        if name is not None:
            anchors.append((block.position(), block.length() - 1, name))
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isImageFormat():
                images.append((fragment.position(), fragment.length(), fragment.charFormat().toImageFormat()))
            it += 1
        block = block.next()
    cursor = QTextCursor(doc)
    for position, length, name in anchors:
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorNames([name])
        cursor.mergeCharFormat(fmt)
    for position, length, image in images:
        size = _image_size(os.path.join(folder, image.name()))
        if size is not None and size[0] > image_width:
            image.setWidth(image_width)
            image.setHeight(round(size[1] * image_width / size[0]))
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image)
    return doc


def _image_size(path):
    from qgis.PyQt.QtGui import QImageReader

    reader = QImageReader(path)
    size = reader.size()
    return (size.width(), size.height()) if size.isValid() else None


class GuideWindow(QDialog):
    """The user guide in a window of its own (not modal), scrolled to a page's section."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("LandEvalGuide")
        self.setWindowTitle(tr("LandEval user guide"))
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("LandEvalGuideText")
        self.browser.setOpenExternalLinks(True)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.browser_button = buttons.addButton(tr("Open in the browser"), QDialogButtonBox.ButtonRole.ActionRole)
        self.browser_button.clicked.connect(self.open_outside)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.path = None
        self.section = None
        self.resize(860, 640)

    def load(self, path):
        if path != self.path:
            self.browser.setSearchPaths([os.path.dirname(os.path.abspath(path))])
            self.browser.setDocument(guide_document(path, parent=self.browser))
            self.path = path

    def show_section(self, section):
        """Scroll to ``section`` (the top when it is not a section)."""
        self.section = section if section in SECTIONS else None
        if self.section is None:
            self.browser.verticalScrollBar().setValue(0)
        else:
            self.browser.scrollToAnchor(self.section)

    def top_heading(self):
        """The text of the first block shown at the top of the window (for the tests)."""
        return self.browser.cursorForPosition(self.browser.viewport().rect().topLeft()).block().text()

    def open_outside(self):
        if self.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.path))


def open_guide(section, locale=None, parent=None):
    """Show the guide at ``section`` in the help window; returns the URL of the guide and
    section (None: no guide)."""
    global _window
    url = guide_url(section, locale)
    if url is None:
        return None
    try:
        if _window is not None:
            _window.isVisible()  # raises when Qt deleted it with its parent
    except RuntimeError:
        _window = None
    if _window is None or (parent is not None and _window.parent() is not parent):
        _window = GuideWindow(parent)
    _window.load(url.toLocalFile())
    _window.show()
    _window.raise_()
    _window.activateWindow()
    _window.browser.document().adjustSize()
    _window.show_section(section)
    return url


def guide_window():
    """The help window when it was opened, else None."""
    return _window


def close_guide():
    """Close and forget the help window (the plugin is unloaded)."""
    global _window
    window, _window = _window, None
    if window is not None:
        try:
            window.close()
            window.deleteLater()
        except RuntimeError:  # already deleted with its parent
            pass
