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


def load_translator(locale):
    """(QTranslator, .qm path) of LandEval's translation for ``locale``, not installed;
    (None, None) for English or when no compiled file is found."""
    from . import core  # noqa: F401  (package import keeps paths importable)
    from .core import paths

    name = qm_name_for(locale)
    if not name:
        return None, None
    for folder in paths.i18n_dirs():
        path = os.path.join(folder, name + ".qm")
        if os.path.exists(path):
            translator = QTranslator()
            if translator.load(path):
                return translator, path
    return None, None


_fixed = {}


def tr_in(locale, message):
    """``message`` in ``locale`` whatever language QGIS shows (the source text when there is
    no translation): for documents that always go out in one language, like the 一地一表 forms."""
    if locale not in _fixed:
        _fixed[locale] = load_translator(locale)[0]
    translator = _fixed[locale]
    if translator is None:
        return message
    # PyQt5 takes the context and source text as char *: UTF-8 bytes for the Chinese in them
    return translator.translate(CONTEXT.encode(), message.encode("utf-8")) or message


def install_translator(locale=None):
    """Load the translation for ``locale`` (default: QGIS's) into the application."""
    global _translator
    remove_translator()
    translator, path = load_translator(locale if locale is not None else user_locale())
    if translator is None:
        return None
    QCoreApplication.installTranslator(translator)
    _translator = translator
    return path


def remove_translator():
    global _translator
    if _translator is not None:
        QCoreApplication.removeTranslator(_translator)
        _translator = None
