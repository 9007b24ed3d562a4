"""Which of the project's layers fits a page's picker, and what the project already has.

GUI-free: a layer is described by ``LayerInfo(id, name, geometry, fields)`` (geometry is
"polygon", "line", "point" or "table"), so the choice is unit-tested without QGIS. Layers are
passed newest first (the layer tree's order, top down), so that among equally good layers the
one the previous step just produced wins; never simply the first layer of the project.
"""
from collections import namedtuple

LayerInfo = namedtuple("LayerInfo", "id name geometry fields")

# the base map's QA layer (core.basemap.basemap.QA_FIELDS): never a parcel layer
QA_MARKS = ("kind", "source_id", "message")

# picker -> tiers of (fields the layer must have, fields it must not have); first tier that fits wins
TIERS = {
    # 数据: the base map (parcels with codes), not a result of a later step
    "data": ((("parcel_code",), ("enterprise_count", "grade", "cluster_id", "disposal")),
             (("parcel_code",), ())),
    # 分类评价: parcels with joined enterprise data
    "grading": ((("enterprise_count",), ("grade", "cluster_id", "disposal")),
                (("enterprise_count",), ()),
                (("parcel_code",), ("grade",)),
                (("parcel_code",), ())),
    # 连片: the graded parcels
    "clusters": ((("grade",), ("cluster_id", "disposal")),
                 (("grade",), ())),
    # 一地一档: the most complete result
    "dossiers": ((("grade", "disposal"), ()),
                 (("grade", "cluster_id"), ()),
                 (("grade",), ()),
                 (("parcel_code",), ())),
}

PLANNING_WORDS = {
    "development_boundary": ("城镇开发边界", "开发边界", "czkfbj"),
    "industrial_line": ("工业保障线", "工业用地保障线", "gybzx"),
}

# fields only LandEval's own outputs carry: a layer with one of them is no source of the base map
OUTPUT_MARKS = ("parcel_code", "enterprise_count", "grade", "cluster_id", "disposal") + QA_MARKS


def is_qa(info):
    return all(name in info.fields for name in QA_MARKS)


def best_layer(kind, layers):
    """The id of the layer that fits picker ``kind`` best, or None (then the picker stays empty)."""
    candidates = [info for info in layers if info.geometry == "polygon" and not is_qa(info)]
    for wanted, unwanted in TIERS[kind]:
        for info in candidates:
            if all(f in info.fields for f in wanted) and not any(f in info.fields for f in unwanted):
                return info.id
    return None


def fits(kind, info):
    """Whether ``info`` is a reasonable choice for picker ``kind`` (any tier)."""
    return best_layer(kind, [info]) is not None


def planning_layer(key, layers):
    """The id of the planning layer ``key`` (by name: exact first, then contained), or None."""
    words = [w.lower() for w in PLANNING_WORDS[key]]
    polygons = [info for info in layers if info.geometry == "polygon"]
    for exact in (True, False):
        for info in polygons:
            name = (info.name or "").lower()
            if any((name == w) if exact else (w in name) for w in words):
                return info.id
    return None


def source_layers(layers):
    """Ids of polygon layers that may be sources of the base map (not LandEval outputs, not planning)."""
    planning = {planning_layer(key, layers) for key in PLANNING_WORDS}
    return [info.id for info in layers if info.geometry == "polygon" and info.id not in planning
            and not any(f in info.fields for f in OUTPUT_MARKS)]


def project_status(layers, workbook=""):
    """What each step needs and whether the project has it:
    {"sources": [ids], "base_map": id|None, "workbook": path|"", "graded": id|None,
     "development_boundary": id|None, "industrial_line": id|None}."""
    return {
        "sources": source_layers(layers),
        "base_map": best_layer("data", layers),
        "workbook": workbook or "",
        "graded": best_layer("clusters", layers),
        "development_boundary": planning_layer("development_boundary", layers),
        "industrial_line": planning_layer("industrial_line", layers),
    }
