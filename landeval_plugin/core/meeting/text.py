"""The language of the meeting documents.

Published tables, lists and maps go out in Chinese whatever language QGIS shows (they are
attached to the district's documents): ``tr(message)`` translates to ``zh_CN`` by default.
``locale=None`` follows QGIS's language (the panel shows the same tables on screen).
"""
import sys

from ...i18n import tr_for_caller, tr_in

DOCUMENT_LOCALE = "zh_CN"


def tr(message, locale=DOCUMENT_LOCALE):
    """``message`` in ``locale`` (QGIS's language when None); the English source when the
    compiled translation is missing."""
    # the context of the code that calls this helper (its class, else its module), as the .ts has it
    if locale is None:
        return tr_for_caller(message)
    return tr_in(locale, message, frame=sys._getframe(1))
