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


def test_help_button_opens_the_section_of_the_page_in_front(qgis_iface, monkeypatch):
    from qgis.PyQt.QtWidgets import QToolButton

    from landeval_plugin.gui import help as help_module
    from landeval_plugin.gui.dock import LandEvalDock

    opened = []
    monkeypatch.setattr(help_module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dock = LandEvalDock(qgis_iface, qgis_iface.mainWindow())
    try:
        button = dock.findChild(QToolButton, "LandEvalHelp")
        assert button is not None and button.text() in ("帮助", "Help")
        for name in ("grading", "review", "dossiers"):
            dock.show_page(name)
            button.click()
            assert opened[-1].fragment() == name
            assert os.path.isfile(opened[-1].toLocalFile())
    finally:
        dock.unload()
        dock.deleteLater()
