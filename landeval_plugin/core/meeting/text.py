"""The language of the meeting documents.

Published tables, lists and maps go out in Chinese whatever language QGIS shows (they are
attached to the district's documents): ``tr(message)`` translates to ``zh_CN`` by default.
``locale=None`` follows QGIS's language (the panel shows the same tables on screen).
"""
from ...i18n import tr as _tr_ui
from ...i18n import tr_in

DOCUMENT_LOCALE = "zh_CN"


def tr(message, locale=DOCUMENT_LOCALE):
    """``message`` in ``locale`` (QGIS's language when None); the English source when the
    compiled translation is missing."""
    if locale is None:
        return _tr_ui(message)
    return tr_in(locale, message)
