"""The ``landeval`` Processing provider.

Algorithms are discovered from the modules of ``processing/algorithms``: every
LandEvalAlgorithm subclass with a NAME is registered, so adding a capability is adding
one file.
"""
import importlib
import inspect
import pkgutil

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core import paths
from ..i18n import tr
from .base import LandEvalAlgorithm

PROVIDER_ID = "landeval"


def algorithm_classes():
    from . import algorithms

    classes = []
    for info in sorted(pkgutil.iter_modules(algorithms.__path__), key=lambda i: i.name):
        try:
            module = importlib.import_module(algorithms.__name__ + "." + info.name)
        except Exception as exc:  # a broken module must not hide the others
            QgsMessageLog.logMessage(
                "LandEval: cannot load algorithm module {}: {}".format(info.name, exc), "LandEval", Qgis.Critical
            )
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, LandEvalAlgorithm) and obj.NAME and obj.__module__ == module.__name__:
                classes.append(obj)
    return classes


class LandEvalProvider(QgsProcessingProvider):
    def id(self):
        return PROVIDER_ID

    def name(self):
        return tr("LandEval industrial land")

    def longName(self):
        return self.name()

    def icon(self):
        return QIcon(paths.resource("icons", "landeval.svg"))

    def loadAlgorithms(self):
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
