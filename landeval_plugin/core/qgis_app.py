"""Start a headless QGIS with Processing and the landeval provider (scripts, benchmarks)."""
_APP = None
_PROVIDER = None


def start(provider=True):
    """Idempotent: returns the QgsApplication, Processing initialised, provider registered."""
    global _APP
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
            global _PROVIDER
            _PROVIDER = LandEvalProvider()  # keep the Python object alive, or its algorithms lose their Python side
            registry.addProvider(_PROVIDER)
    return _APP
