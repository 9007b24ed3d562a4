"""Where LandEval finds its data files (styles, templates, standards, schema).

In a deployed plugin they sit in ``landeval_plugin/resources``; in a source checkout
they sit in ``resources/`` beside the package. Both are tried, in that order.
"""
import os

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CANDIDATES = (
    os.path.join(PLUGIN_DIR, "resources"),
    os.path.join(os.path.dirname(PLUGIN_DIR), "resources"),
)


def resources_dir():
    for path in _CANDIDATES:
        if os.path.isdir(path):
            return path
    raise FileNotFoundError("LandEval resources folder not found; looked in: " + ", ".join(_CANDIDATES))


def resource(*parts):
    """Absolute path of a file under resources/, e.g. resource('styles', 'grade.qml')."""
    return os.path.join(resources_dir(), *parts)


def i18n_dirs():
    """Folders that may hold compiled translations (.qm)."""
    repo = os.path.dirname(PLUGIN_DIR)
    return [
        os.path.join(PLUGIN_DIR, "i18n"),
        os.path.join(repo, "build", "landeval_plugin", "i18n"),
    ]
