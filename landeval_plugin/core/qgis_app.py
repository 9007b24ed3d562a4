"""Start a headless QGIS with Processing and the landeval provider (scripts, benchmarks)."""
_APP = None
_PROVIDER = None  # kept referenced: without it Python collects the provider and its algorithms lose their ids


def start(provider=True):
    """Idempotent: returns the QgsApplication, Processing initialised, provider registered."""
    global _APP, _PROVIDER
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    if _APP is None and QgsApplication.instance() is None:
        _APP = QgsApplication([], False)
        _APP.initQgis()
    elif _APP is None:
        _APP = QgsApplication.instance()
    import sys

    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    if provider:
        from ..processing.provider import LandEvalProvider

        registry = QgsApplication.processingRegistry()
        if registry.providerById("landeval") is None:
            _PROVIDER = LandEvalProvider()
            registry.addProvider(_PROVIDER)
    return _APP
