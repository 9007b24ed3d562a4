"""LandEval: industrial land performance evaluation and classified disposal for QGIS."""
from .compat import prefer_stdlib_xlsx_writer

prefer_stdlib_xlsx_writer()  # before anything imports openpyxl (see compat.py)


def classFactory(iface):  # QGIS entry point name
    from .plugin import LandEvalPlugin

    return LandEvalPlugin(iface)
