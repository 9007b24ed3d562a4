"""The dossier step's error type and translation helper."""


class DossierError(Exception):
    """A problem the user must fix (message already in the user's language)."""


def tr(text, disambiguation=None):
    """tr() in the context of the code that calls this helper (its class, else its module)."""
    from ...i18n import tr_for_caller

    return tr_for_caller(text, disambiguation)
