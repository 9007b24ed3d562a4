"""LandEval's one vocabulary: class names and colours (A/B/C/D/T, in order), the low-efficiency tags and
the disposal path names, read from resources/schema/vocabulary.yaml (issue 13).

Kernel module: no QGIS import, so the grading engine, the dossier sheet, the pages and the scripts
that write the styles (scripts/vocabulary_styles.py) all read the same words. Colours are ``#rrggbb``.
"""
from . import paths
from .files import load_yaml

_DATA = None


def data():
    """The parsed vocabulary.yaml (cached; the file ships with the plugin and does not change at run time)."""
    global _DATA
    if _DATA is None:
        _DATA = load_yaml(paths.resource("schema", "vocabulary.yaml"))
    return _DATA


def grades():
    """The class codes in their order: ('A', 'B', 'C', 'D', 'T')."""
    return tuple(g["code"] for g in data()["grades"])


def grade_names():
    """{code: Chinese name}, in class order."""
    return {g["code"]: g["name"] for g in data()["grades"]}


def grade_colours():
    """{code: '#rrggbb'}, in class order."""
    return {g["code"]: g["colour"] for g in data()["grades"]}


def grade_label(code):
    """'A 鼓励支持' (the legend's and the pickers' text); '' for an unknown code."""
    name = grade_names().get(code)
    return "{} {}".format(code, name) if name else ""


def no_grade():
    """{'name': ..., 'colour': ...} of a parcel without a class."""
    return dict(data()["no_grade"])


def low_eff_tags():
    """[(tag name, colour)] in legend order."""
    return [(t["name"], t["colour"]) for t in data()["low_eff_tags"]]


def low_eff(flag=True):
    """{'name', 'colour'} of the 低效用地 (flag True) or 非低效 (False) legend entry."""
    return dict(data()["low_eff" if flag else "not_low_eff"])


def disposal_paths():
    """[(path name, colour)] of the known disposal paths, in legend order."""
    return [(p["name"], p["colour"]) for p in data()["disposal_paths"]]


def no_path():
    """{'name', 'colour'} of a parcel that no disposal rule gave a path."""
    return dict(data()["no_path"])
