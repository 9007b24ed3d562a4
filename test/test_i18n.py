"""Translations: Qt .ts with contexts per class, the catch-all for labels passed through
variables, Qt's own buttons, and the Chinese labels the YAML resources carry."""
import glob
import importlib.util
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", os.path.join(ROOT, "scripts", "i18n.py"))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_ts_file_has_contexts_per_class_and_module():
    tool = _tool()
    messages = tool.read_ts(tool.ts_path())
    contexts = {ctx for ctx, _src, _c in messages}
    # an algorithm's self.tr() is in the algorithm's class, a page's in its Page class, module code in its module
    assert {"GradeAlgorithm", "LandEvalDock", "core.grading.standard"} <= contexts
    assert messages[("GradeAlgorithm", "Grade parcels with a standard (A/B/C/D)", "")].translation
    # the tsv files were folded into the .ts and are gone
    assert not glob.glob(os.path.join(ROOT, "i18n", "*", "*.tsv"))


def test_extraction_gives_the_context_the_runtime_looks_up(qgis_app):
    from landeval_plugin import i18n
    from landeval_plugin.processing.algorithms.grade import GradeAlgorithm

    tool = _tool()
    found = tool.extract()
    assert ("GradeAlgorithm", "Grade parcels with a standard (A/B/C/D)", "") in found
    # the runtime names the same context for a frame inside the class
    import inspect

    path = inspect.getsourcefile(GradeAlgorithm)
    line = inspect.getsourcelines(GradeAlgorithm.displayName)[1] + 1
    assert i18n.class_at(i18n.class_ranges(path), line) == "GradeAlgorithm"
    assert i18n.module_context("landeval_plugin.core.grading.grade") == "core.grading.grade"


def test_class_context_and_catch_all_in_chinese(qgis_app):
    from landeval_plugin.gui import dock
    from landeval_plugin.i18n import install_translator, remove_translator, tr
    from landeval_plugin.processing.algorithms.grade import GradeAlgorithm

    path = install_translator("zh-Hans")
    try:
        assert path
        assert GradeAlgorithm().displayName() == "按评价标准分类评价地块（A/B/C/D）"
        # a page title written with tr_noop() in gui.dock and shown through tr(variable) in LandEvalDock
        assert [tr(title) for _m, title in dock.PAGES][:3] == ["一张图", "数据", "分类评价"]
    finally:
        remove_translator()
    assert GradeAlgorithm().displayName() == "Grade parcels with a standard (A/B/C/D)"


def test_strings_passed_through_variables_are_marked():
    """Every tr() whose text is not a literal was reviewed: its strings are marked with tr_noop()
    where they are written (so the translation check sees them). A new one must be added here
    after marking its strings."""
    tool = _tool()
    sites = sorted(re.sub(r":\d+:", ":", s) for s in tool.dynamic_calls())
    assert sites == sorted([
        "landeval_plugin/core/enterprise/enterprise_join.py: _INVALID_TEXT.get(key, key)",
        "landeval_plugin/gui/dock.py: title",
        "landeval_plugin/processing/algorithms/join_enterprises.py: label",
        "landeval_plugin/processing/base.py: text",
    ]), sites
    marked = {m.source for m in tool.extract().values()}
    assert {"not 18 characters", "Dossiers", "Parcels without enterprises"} <= marked


def test_qt_standard_buttons_are_chinese_with_the_plugin_translator(qgis_app):
    """Qt's own texts (QMessageBox/QDialogButtonBox buttons, file dialogs) come from qtbase_zh_CN.qm
    (Debian qttranslations5-l10n, installed by scripts/setup.sh), which LandEval loads when QGIS has
    not: QGIS 3.22 looks for qt_zh-Hans, which Qt does not ship."""
    from qgis.PyQt.QtCore import QCoreApplication
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    from landeval_plugin.i18n import install_translator, installed_translators, load_qt_translator, remove_translator

    translator, qm = load_qt_translator("zh-Hans")
    assert translator is not None, "qtbase_zh_CN.qm not found: install qttranslations5-l10n (scripts/setup.sh)"
    assert load_qt_translator("en_US") == (None, None)
    install_translator("zh-Hans")
    try:
        assert qm in installed_translators()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel |
                               QDialogButtonBox.StandardButton.Close)
        texts = {box.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok,
                                                  QDialogButtonBox.StandardButton.Cancel,
                                                  QDialogButtonBox.StandardButton.Close)}
        assert texts == {"确定", "取消", "关闭"}, texts
        assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "是(&Y)"
    finally:
        remove_translator()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


@pytest.mark.parametrize("folder", ["standards", "disposal", "landuse"])
def test_yaml_resources_carry_chinese_labels(folder):
    """Standards, rule sets and land-use tables are shown by their own Chinese names (no tr()):
    each has one, and so has every class, path and indicator label they define."""
    import yaml

    files = sorted(glob.glob(os.path.join(ROOT, "resources", folder, "*.yaml")))
    assert files
    for path in files:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        assert CJK.search(str(data.get("name") or "")), "{}: name without Chinese".format(path)
        for section in ("paths", "grades", "classes", "indicators"):
            items = data.get(section)
            if isinstance(items, dict):
                items = [dict(v, id=k) if isinstance(v, dict) else {"id": k, "label": v} for k, v in items.items()]
            for item in items or []:
                if not isinstance(item, dict):
                    continue
                label = item.get("label") or item.get("name") or item.get("alias") or item.get("title")
                if label is not None:
                    assert CJK.search(str(label)), "{}: {} {} has the label {!r}".format(
                        path, section, item.get("id"), label)


def test_every_algorithm_has_a_chinese_help_with_inputs_outputs_and_basis(qgis_app, qgis_processing):
    """Issue 15.6: the toolbox shows each algorithm's help in Chinese: what it does, every input and
    output (by description and name) and the documents the step follows."""
    from landeval_plugin.i18n import install_translator, remove_translator
    from landeval_plugin.processing.provider import LandEvalProvider

    provider = LandEvalProvider()
    provider.loadAlgorithms()
    algorithms = provider.algorithms()
    assert len(algorithms) >= 9
    install_translator("zh-Hans")
    try:
        for alg in algorithms:
            text = alg.shortHelpString()
            assert text and len(CJK.findall(text)) > 40, (alg.id(), text)
            assert "输入：" in text and "输出：" in text and "依据：" in text, (alg.id(), text)
            basis = text.split("依据：", 1)[1]
            assert CJK.search(basis), (alg.id(), basis)
            for d in alg.parameterDefinitions():
                assert "{} ({})".format(d.description(), d.name()) in text, (alg.id(), d.name())
            for d in alg.outputDefinitions():
                assert "({})".format(d.name()) in text, (alg.id(), d.name())
        grade = [a for a in algorithms if a.name() == "grade"][0].shortHelpString()
        assert "依据：" in grade.split("依据：", 1)[1] or "示例" in grade  # the presets' documents
    finally:
        remove_translator()
    english = [a for a in algorithms if a.name() == "clusters"][0].shortHelpString()
    assert "Inputs:" in english and "Follows:" in english
