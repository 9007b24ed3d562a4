"""Translation: every user-facing string goes through ``tr()``; zh_CN is the first locale.

Source strings are English; the Chinese lives in i18n/zh_CN/*.tsv and is compiled to
``landeval_zh_CN.qm`` by ``make build``. QGIS reports its Chinese locale as ``zh-Hans``;
``zh-Hans``, ``zh_CN``, ``zh-CN`` and ``zh`` all load the zh_CN file.
"""
import os

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "LandEval"
_translator = None


def tr(message):
    return QCoreApplication.translate(CONTEXT, message)


def qm_name_for(locale):
    """Translation file base name for a QGIS locale string, or None for English."""
    if not locale:
        return None
    loc = str(locale).replace("-", "_")
    low = loc.lower()
    if low in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg") or low.startswith("zh_hans"):
        return "landeval_zh_CN"
    if low.startswith("en"):
        return None
    return "landeval_" + loc


def user_locale():
    """The locale QGIS shows its own interface in: the user's override when the override flag
    is set (Settings > Options > General), otherwise the system locale."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QLocale

    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        override = settings.value("locale/userLocale", "") or ""
        if override:
            return override
    return QLocale.system().name()


def install_translator(locale=None):
    """Load the translation for ``locale`` (default: QGIS's) into the application."""
    global _translator
    from . import core  # noqa: F401  (package import keeps paths importable)
    from .core import paths

    name = qm_name_for(locale if locale is not None else user_locale())
    remove_translator()
    if not name:
        return None
    for folder in paths.i18n_dirs():
        path = os.path.join(folder, name + ".qm")
        if os.path.exists(path):
            translator = QTranslator()
            if translator.load(path):
                QCoreApplication.installTranslator(translator)
                _translator = translator
                return path
    return None


def remove_translator():
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
