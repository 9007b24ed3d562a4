"""The one post-processor of LandEval outputs that QGIS loads when a run ends (toolbox runs).

``style_on_load(context, destination, ...)`` gives the loaded layer its LandEval style (a .qml of
resources/styles, or a function such as the grade step's legend with counts) and a name. Processing
holds only a C++ pointer to a post-processor, so the Python objects are kept alive here.
"""
from qgis.core import QgsProcessingLayerPostProcessorInterface

from ..core import aliases, paths

_ALIVE = []


class StyleOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Applies ``style``: a .qml file name in resources/styles, or a function of the layer."""

    def __init__(self, style):
        super().__init__()
        self.style = style

    def postProcessLayer(self, layer, context, feedback):
        if callable(self.style):
            self.style(layer)
        else:
            # the file itself: loadNamedStyle(path) would load the GeoPackage's default style (core/aliases.py)
            aliases.load_style(layer, paths.resource("styles", self.style))
        layer.triggerRepaint()


def style_on_load(context, destination, style, name=None):
    """Attach a StyleOnLoad to ``destination`` when QGIS will load it; the post-processor, else None.

    ``name``, when given, is the name the layer is added under (the layer details' name).
    """
    if not context.willLoadLayerOnCompletion(destination):
        return None
    post = StyleOnLoad(style)
    _ALIVE.append(post)
    details = context.layerToLoadOnCompletionDetails(destination)
    if name:
        details.name = name
    details.setPostProcessor(post)
    return post
