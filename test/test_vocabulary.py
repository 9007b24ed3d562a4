"""One vocabulary (issue 13): the class names and colours, the low-efficiency tags and the disposal path names
of resources/schema/vocabulary.yaml are what every place shows: the grading engine and pickers, the map
styles, the dossier sheet (badge, location map, legend of the template), the disposal plan and the
translations of the same words. T reads 不参与评价 everywhere (the sheet said 暂不评价 before)."""
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from landeval_plugin.core import vocabulary  # noqa: E402 - after the test folder is on sys.path

GRADE_NAMES = {"A": "鼓励支持", "B": "保留提升", "C": "观察整改", "D": "整治退出", "T": "不参与评价"}


def rgb(colour):
    """'#2e9e45' or '46,158,69,255' -> (46, 158, 69)."""
    if colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(c) for c in colour.split(",")[:3])


def qml_categories(name):
    """[(value, label, colour, render)] of a categorized style in resources/styles, in legend order."""
    root = ET.parse(os.path.join(ROOT, "resources", "styles", name)).getroot()
    colours = {}
    for sym in root.find("renderer-v2").find("symbols"):
        colours[sym.get("name")] = next(o.get("value") for o in sym.iter("Option") if o.get("name") == "color")
    return [(c.get("value"), c.get("label"), rgb(colours[c.get("symbol")]), c.get("render") == "true")
            for c in root.iter("category")]


def test_the_vocabulary_holds_the_seeds_classes_in_order():
    assert vocabulary.grades() == ("A", "B", "C", "D", "T")
    assert vocabulary.grade_names() == GRADE_NAMES
    assert vocabulary.grade_label("T") == "T 不参与评价" and vocabulary.grade_label("X") == ""
    colours = list(vocabulary.grade_colours().values()) + [vocabulary.no_grade()["colour"]]
    assert len(set(colours)) == 6   # every class and 未评价 tell apart on the map
    paths = [p for p, _ in vocabulary.disposal_paths()]
    assert len(paths) == len(set(paths)) and len({c for _, c in vocabulary.disposal_paths()}) == len(paths)


def test_grading_engine_pickers_and_review_read_the_vocabulary():
    from landeval_plugin.core.grading import standard

    assert standard.GRADES == vocabulary.grades()
    assert standard.GRADE_NAMES == vocabulary.grade_names()


def test_styles_show_the_vocabularys_names_and_colours():
    grade = qml_categories("grade.qml")
    expected = [(g, vocabulary.grade_label(g), rgb(c), True) for g, c in vocabulary.grade_colours().items()]
    expected.append(("", "未评价", rgb(vocabulary.no_grade()["colour"]), False))
    assert grade == expected
    disposal = qml_categories("disposal.qml")
    expected = [(p, p, rgb(c), True) for p, c in vocabulary.disposal_paths()]
    expected.append(("", "不提出处置路径", rgb(vocabulary.no_path()["colour"]), True))
    assert disposal == expected
    root = ET.parse(os.path.join(ROOT, "resources", "styles", "low_eff.qml")).getroot()
    symbols = {s.get("name"): s for s in root.find("renderer-v2").find("symbols")}
    rules = [(r.get("label"), rgb(next(o.get("value") for o in symbols[r.get("symbol")].iter("Option")
                                       if o.get("name") == "color"))) for r in root.iter("rule") if r.get("label")]
    assert rules == [(vocabulary.low_eff(False)["name"], rgb(vocabulary.low_eff(False)["colour"])),
                     (vocabulary.low_eff(True)["name"], rgb(vocabulary.low_eff(True)["colour"]))] + \
        [(name, rgb(colour)) for name, colour in vocabulary.low_eff_tags()]


def test_template_legend_shows_the_vocabularys_names_and_colours():
    root = ET.parse(os.path.join(ROOT, "resources", "layouts", "dossier_a4.qpt")).getroot()
    legend = {}
    for row in root.iter("row"):
        cells = [{o.get("name"): o.get("value") for o in m.findall("Option")} for m in row.findall("Option")]
        if len(cells) == 2 and (cells[1].get("content") or "")[:2] in {g + " " for g in vocabulary.grades()}:
            legend[cells[1]["content"]] = rgb(cells[0]["background"])
    assert legend == {vocabulary.grade_label(g): rgb(c) for g, c in vocabulary.grade_colours().items()}
    # the sheet's own word file no longer carries class names or colours (they disagreed: T 暂不评价)
    from landeval_plugin.core.files import load_yaml

    sheet_words = load_yaml(os.path.join(ROOT, "resources", "layouts", "dossier_sheet.yaml"))
    assert "grades" not in sheet_words and "no_grade_colour" not in sheet_words


def test_style_writer_finds_nothing_to_change():
    """scripts/vocabulary_styles.py --check: every style and the template agree with the vocabulary."""
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "vocabulary_styles.py"), "--check"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout


def test_shipped_rule_sets_and_standards_use_vocabulary_words():
    """Every path of a shipped rule set has its colour in the vocabulary, and every tag a standard
    gives is one the low-efficiency style draws."""
    import glob

    from landeval_plugin.core.files import load_yaml

    known_paths = {p for p, _ in vocabulary.disposal_paths()}
    for path in sorted(glob.glob(os.path.join(ROOT, "resources", "disposal", "*.yaml"))):
        assert set(load_yaml(path)["paths"]) <= known_paths, path
    known_tags = {t for t, _ in vocabulary.low_eff_tags()}
    for path in sorted(glob.glob(os.path.join(ROOT, "resources", "standards", "*.yaml"))):
        tags = {t["name"] for t in load_yaml(path).get("tags") or []}
        assert tags <= known_tags, (path, tags - known_tags)


def test_translations_say_the_vocabularys_words():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_tool", os.path.join(ROOT, "scripts", "i18n.py"))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    rows = {}  # every context of i18n/landeval_zh_CN.ts (and any leftover tsv lines)
    for msg in tool.translations().values():
        rows.setdefault(msg.source, msg.translation)
    assert rows["not graded"] == vocabulary.no_grade()["name"]
    assert rows["No path proposed"] == vocabulary.no_path()["name"]


@pytest.mark.parametrize("grade", ["A", "T"])
def test_sheet_badge_and_location_map_use_the_vocabulary(qgis_app, grade):
    from dossier_fixture import make_district

    from landeval_plugin.core.dossiers.printer import grade_renderer
    from landeval_plugin.core.dossiers.sheet_data import SheetData

    parcels, _enterprises, _clusters = make_district(5)   # grades A, B, C, D, T in turn
    data = SheetData(parcels.getFeatures(), parcels.fields(), parcels.crs())
    sheet = next(s for s in data.sheets if s.display["d_grade"] == grade)
    assert sheet.display["d_class"] == vocabulary.grade_label(grade)
    assert sheet.display["d_grade_name"] == GRADE_NAMES[grade]
    assert sheet.display["d_grade_color"] == vocabulary.grade_colours()[grade]
    renderer = grade_renderer(parcels.fields())
    cat = next(c for c in renderer.categories() if c.value() == grade)
    assert cat.label() == vocabulary.grade_label(grade)
    assert rgb(cat.symbol().color().name()) == rgb(vocabulary.grade_colours()[grade])


def test_disposal_plan_names_no_path_as_the_map_does(qgis_app, tmp_path):
    from openpyxl import load_workbook

    from landeval_plugin.core.disposal import disposal

    ruleset = disposal.load_ruleset("songjiang_2023")
    report = {"plan": {("新桥镇", None): (2, 30.0), ("新桥镇", "提质"): (1, 15.0)}, "warnings": []}
    disposal.write_plan(str(tmp_path / "plan.xlsx"), ruleset, report, run_date="2026-11-30")
    rows = list(load_workbook(str(tmp_path / "plan.xlsx"))["镇街×路径"].iter_rows(values_only=True))
    assert ("新桥镇", "不提出处置路径", 2, 30.0) in rows and ("合计", "不提出处置路径", 2, 30.0) in rows
    assert ("新桥镇", "提质", 1, 15.0) in rows
