"""Pickers that default to the layer that fits (core.layer_fit decides, GUI-free).

``follow(combo, kind)`` chooses the best layer now and again whenever the layer that fits best
arrives in the project (the layer the previous step just produced), never simply the first
layer of the project (e.g. the base map's QA layer). A planner's own choice stays until then.
"""
from qgis.core import QgsProject, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt import sip

from ..core import layer_fit

# a custom property of the layers LandEval adds for a while (the 研判 统计 map filter's copy): never a
# step's input or result, so no picker and no 从这里开始 line takes them
TEMPORARY = "landeval/temporary"

_GEOMETRY = {QgsWkbTypes.PolygonGeometry: "polygon", QgsWkbTypes.LineGeometry: "line",
             QgsWkbTypes.PointGeometry: "point"}


def is_temporary(layer):
    return layer.customProperty(TEMPORARY, False) in (True, "true", "1", 1)


def layer_info(layer):
    return layer_fit.LayerInfo(layer.id(), layer.name(),
                               _GEOMETRY.get(QgsWkbTypes.geometryType(layer.wkbType()), "table"),
                               layer.fields().names())


def layer_infos(project=None):
    """The project's valid vector layers as LayerInfo, newest first (top of the layer tree first);
    LandEval's temporary copies (``TEMPORARY``) left out."""
    project = project or QgsProject.instance()
    ordered = []
    for layer_id in project.layerTreeRoot().findLayerIds():
        layer = project.mapLayer(layer_id)
        if layer is not None and layer not in ordered:
            ordered.append(layer)
    rest = [layer for layer in project.mapLayers().values() if layer not in ordered]
    ordered = rest[::-1] + ordered  # not (yet) in the tree: just added
    return [layer_info(layer) for layer in ordered
            if isinstance(layer, QgsVectorLayer) and layer.isValid() and not is_temporary(layer)]


def best(kind, project=None):
    project = project or QgsProject.instance()
    layer_id = layer_fit.best_layer(kind, layer_infos(project))
    return project.mapLayer(layer_id) if layer_id else None


def pick(combo, kind, project=None):
    """Set ``combo`` to the layer that fits ``kind`` best; leaves it alone when none fits."""
    layer = best(kind, project)
    if layer is not None and combo.currentLayer() is not layer:
        combo.setLayer(layer)
    return layer


class Follower:
    """Keeps ``combo`` on the best fitting layer when that layer is newly added; ``stop()`` on unload."""

    def __init__(self, combo, kind, busy=None, initial=True):
        self.combo, self.kind, self.busy = combo, kind, busy
        if initial:
            pick(combo, kind)
        QgsProject.instance().layersAdded.connect(self._added)

    def _added(self, layers):
        if sip.isdeleted(self.combo):  # the page is gone without unload()
            self.stop()
            return
        try:
            if self.busy is not None and self.busy():
                return
            layer = best(self.kind)
            if layer is not None and layer in layers:
                self.combo.setLayer(layer)
        except RuntimeError:  # a wrapped Qt object was deleted meanwhile
            self.stop()

    def stop(self):
        try:
            QgsProject.instance().layersAdded.disconnect(self._added)
        except (TypeError, RuntimeError):
            pass


def follow(combo, kind, busy=None, initial=True):
    return Follower(combo, kind, busy, initial)
