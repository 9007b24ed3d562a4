"""Translation: every user-facing string goes through ``tr()``; zh_CN is the first locale.

Source strings are English; the Chinese lives in ``i18n/landeval_zh_CN.ts`` (Qt Linguist's
format, one context per class as pylupdate makes them) and is compiled to ``landeval_zh_CN.qm``
by ``make build`` (``scripts/i18n.py``). QGIS reports its Chinese locale as ``zh-Hans``;
``zh-Hans``, ``zh_CN``, ``zh-CN`` and ``zh`` all load the zh_CN file.

Contexts follow the Qt convention: ``tr()`` called inside a class (its methods, nested
functions, class body) uses the class name; elsewhere the module's context, its dotted name
inside the package (``core.grade``, ``gui.pages.disposal``). ``scripts/i18n.py update`` extracts
the same contexts from the code. Strings that reach ``tr()`` through a variable (lists of
labels) are marked where they are written with ``tr_noop()``; at run time a string that has no
translation in the caller's context is looked up in its module's context and then in
``LandEval``, which ``make build`` fills with every translated string (so a label translated
where it is written is found wherever it is shown). A second argument of ``tr()`` is Qt's
disambiguation; a ``#:`` comment on the lines just above the call is the translator comment.
"""
import ast
import os
import sys

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

CONTEXT = "LandEval"  # the catch-all context (every translated string, first translation wins)
PACKAGE = __name__.rsplit(".", 1)[0]
_translator = None
_qt_translator = None
_class_ranges = {}


def tr_noop(message, disambiguation=None):
    """Marks a string for translation where it is written (Qt's QT_TR_NOOP); returns it unchanged."""
    return message


def module_context(module_name):
    """``landeval_plugin.core.grade`` -> ``core.grade`` (the package's own module: ``landeval_plugin``)."""
    name = module_name or ""
    head, _, rest = name.partition(".")
    return rest or head or CONTEXT


def class_ranges(filename):
    """[(first line, last line, class name)] of every class in a source file, outermost first."""
    if filename not in _class_ranges:
        ranges = []
        try:
            with open(filename, encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), filename)
        except (OSError, SyntaxError, ValueError):
            tree = None
        if tree is not None:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    ranges.append((node.lineno, getattr(node, "end_lineno", node.lineno), node.name))
        _class_ranges[filename] = ranges
    return _class_ranges[filename]


def class_at(ranges, line):
    """The innermost class whose lines hold ``line`` (None at module level)."""
    found, span = None, None
    for first, last, name in ranges:
        if first <= line <= last and (span is None or last - first < span):
            found, span = name, last - first
    return found


_contexts = {}


def contexts_of(frame):
    """Contexts to look a string up in, for a tr() called in ``frame``: class, module, catch-all
    (cached per source line: tr() runs in loops over parcels)."""
    key = (frame.f_code.co_filename, frame.f_lineno)
    found = _contexts.get(key)
    if found is None:
        module = module_context(frame.f_globals.get("__name__"))
        klass = class_at(class_ranges(frame.f_code.co_filename), frame.f_lineno)
        found = _contexts[key] = tuple(c for c in (klass, module, CONTEXT) if c)
    return found


def _lookup(translate, frame, message, disambiguation):
    for context in contexts_of(frame):
        text = translate(context, message, disambiguation)
        if text and text != message:
            return text
    return message


def _app_translate(context, message, disambiguation):
    return QCoreApplication.translate(context, message, disambiguation)


def tr(message, disambiguation=None):
    """``message`` in QGIS's language, in the context of the code that calls tr()."""
    if _translator is None:  # English: only LandEval's own file translates LandEval's contexts
        return message
    return _lookup(_app_translate, sys._getframe(1), message, disambiguation)


def tr_for_caller(message, disambiguation=None):
    """For a module's own ``tr`` wrapper: the context of the code that calls the wrapper."""
    if _translator is None:
        return message
    return _lookup(_app_translate, sys._getframe(2), message, disambiguation)


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


def load_qt_translator(locale):
    """(QTranslator, path) of Qt's own translation (qtbase_zh_CN.qm: the standard buttons of
    message boxes and file dialogs) for a Chinese ``locale``; (None, None) when Qt's
    translations are not installed (Debian: qttranslations5-l10n) or the locale is not Chinese."""
    from qgis.PyQt.QtCore import QLibraryInfo

    name = qm_name_for(locale)
    if not name or not name.endswith("zh_CN"):
        return None, None
    try:
        folder = QLibraryInfo.location(QLibraryInfo.LibraryLocation.TranslationsPath)
    except AttributeError:  # Qt 6
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for base in ("qtbase_zh_CN", "qt_zh_CN"):
        path = os.path.join(folder, base + ".qm")
        if os.path.exists(path):
            translator = QTranslator()
            if translator.load(path):
                return translator, path
    return None, None


_fixed = {}


def _fixed_translator(locale):
    if locale not in _fixed:
        _fixed[locale] = load_translator(locale)[0]
    return _fixed[locale]


def tr_in(locale, message, disambiguation=None, frame=None):
    """``message`` in ``locale`` whatever language QGIS shows (the source text when there is
    no translation): for documents that always go out in one language, like the 一地一表 forms.
    ``frame``: the caller's frame whose context applies (by default the caller of tr_in)."""
    translator = _fixed_translator(locale)
    if translator is None:
        return message

    def translate(context, text, comment):
        # PyQt5 takes the context and source text as char *: UTF-8 bytes for the Chinese in them
        return translator.translate(context.encode(), text.encode("utf-8"),
                                    comment.encode("utf-8") if comment else None)

    return _lookup(translate, frame or sys._getframe(1), message, disambiguation)


def installed_translators():
    """[path] of the .qm files LandEval installed into the application (its own, Qt's)."""
    return [t.objectName() for t in (_translator, _qt_translator) if t is not None]


def install_translator(locale=None):
    """Load the translation for ``locale`` (default: QGIS's) into the application, with Qt's
    own for the standard buttons when QGIS has not loaded one. Returns LandEval's .qm path."""
    global _translator, _qt_translator
    remove_translator()
    locale = locale if locale is not None else user_locale()
    translator, path = load_translator(locale)
    if translator is None:
        return None
    translator.setObjectName(path)
    QCoreApplication.installTranslator(translator)
    _translator = translator
    if QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel":
        qt_translator, qt_path = load_qt_translator(locale)
        if qt_translator is not None:
            qt_translator.setObjectName(qt_path)
            QCoreApplication.installTranslator(qt_translator)
            _qt_translator = qt_translator
    return path


def remove_translator():
    global _translator, _qt_translator
    for translator in (_translator, _qt_translator):
        if translator is not None:
            QCoreApplication.removeTranslator(translator)
    _translator = _qt_translator = None
