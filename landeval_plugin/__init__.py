"""LandEval: industrial land performance evaluation and classified disposal for QGIS."""


def classFactory(iface):  # noqa: N802  (QGIS entry point name)
    from .plugin import LandEvalPlugin

    return LandEvalPlugin(iface)
