"""The user guide (docs/guide) and the panel's 帮助 button: each page opens its own section of the
guide in the user's language; every section anchor and every screenshot the guide names exists."""
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("name", ["zh_CN.md", "en.md"])
def test_guide_has_every_section_and_its_images(name):
    from landeval_plugin.gui.help import SECTIONS

    path = os.path.join(ROOT, "docs", "guide", name)
    text = open(path, encoding="utf-8").read()
    for section in SECTIONS:
        assert '<a id="{}"></a>'.format(section) in text, (name, section)
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 6
    for image in images:
        assert os.path.isfile(os.path.join(ROOT, "docs", "guide", image)), (name, image)


def test_guide_follows_the_locale():
    from landeval_plugin.gui.help import guide_url

    zh = guide_url("review", "zh-Hans")
    assert zh.toLocalFile().endswith(os.path.join("docs", "guide", "zh_CN.md")) and zh.fragment() == "review"
    en = guide_url("grading", "en_US")
    assert en.toLocalFile().endswith(os.path.join("docs", "guide", "en.md")) and en.fragment() == "grading"
    assert guide_url("nonsense", "zh-Hans").fragment() == ""


@pytest.mark.parametrize("locale,name", [("zh-Hans", "zh_CN.md"), ("en_US", "en.md")])
def test_help_window_shows_each_section_at_the_top(qgis_app, locale, name):
    """The rendered guide has an anchor for every page (Qt's Markdown reader drops the raw <a id>:
    help.py puts it on the heading), the window scrolls so that the section's heading is the first
    line shown, and the screenshots are found and fitted to the window."""
    from qgis.PyQt.QtCore import QUrl
    from qgis.PyQt.QtGui import QTextDocument

    from landeval_plugin.gui import help as help_module

    text = open(os.path.join(ROOT, "docs", "guide", name), encoding="utf-8").read()
    headings = help_module.section_headings(text)
    assert set(headings) == set(help_module.SECTIONS)
    try:
        for section in help_module.SECTIONS:
            url = help_module.open_guide(section, locale)
            assert url.fragment() == section and url.toLocalFile().endswith(name)
            window = help_module.guide_window()
            assert window.isVisible()
            qgis_app.processEvents()
            assert window.top_heading().strip() == headings[section], (locale, section)
        html = window.browser.document().toHtml()
        for section in help_module.SECTIONS:
            assert '<a name="{}"'.format(section) in html
        images = re.findall(r'<img src="([^"]+)"[^>]*width="(\d+)"', html)
        assert len(images) >= 6 and all(int(w) <= help_module.IMAGE_WIDTH for _, w in images)
        doc = window.browser.document()
        for src, _ in images:
            image = window.browser.loadResource(QTextDocument.ResourceType.ImageResource,
                                                doc.baseUrl().resolved(QUrl(src)))
            assert image is not None and not image.isNull(), src
        help_module.open_guide("nonsense", locale)
        assert window.browser.verticalScrollBar().value() == 0
    finally:
        if help_module.guide_window() is not None:
            help_module.guide_window().close()


def test_help_button_opens_the_section_of_the_page_in_front(qgis_iface, qgis_app):
    from qgis.PyQt.QtWidgets import QToolButton

    from landeval_plugin.gui import help as help_module
    from landeval_plugin.gui.dock import LandEvalDock

    dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
    try:
        button = dock.findChild(QToolButton, "LandEvalHelp")
        assert button is not None and button.text() in ("帮助", "Help")
        for name in ("grading", "review", "dossiers"):
            dock.show_page(name)
            button.click()
            window = help_module.guide_window()
            assert window is not None and window.isVisible() and window.section == name
            assert os.path.isfile(window.path)
            qgis_app.processEvents()
            text = open(window.path, encoding="utf-8").read()
            assert window.top_heading().strip() == help_module.section_headings(text)[name]
    finally:
        dock.unload()  # closes the help window
        assert help_module.guide_window() is None
        dock.deleteLater()
