"""The dossier step's error type and translation helper."""


class DossierError(Exception):
    """A problem the user must fix (message already in the user's language)."""


def tr(text):
    from ...i18n import tr

    return tr(text)
