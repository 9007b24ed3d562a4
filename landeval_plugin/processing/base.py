"""Common base for LandEval Processing algorithms: naming, translation, groups, help."""
from qgis.core import QgsProcessingAlgorithm, QgsProcessingException

from ..i18n import tr


class LandEvalAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set NAME, and implement displayName/group/shortHelpString via tr()."""

    NAME = None
    GROUP_ID = "landeval"

    def name(self):
        return self.NAME

    def groupId(self):  # noqa: N802
        return self.GROUP_ID

    def tr(self, message):
        return tr(message)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def fail(self, message):
        """Stop the run with a message for the user (already translated)."""
        raise QgsProcessingException(message)
