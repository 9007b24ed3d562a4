"""Chinese field aliases on every layer LandEval writes (issue 14.4).

The attribute table, identify results and forms show a field's alias: LandEval's standard
fields get theirs from resources/schema/fields.yaml (``schema.alias``: 宗地代码, 亩均税收(上年)
...), source fields carried through under their own codes get the Chinese name of the national
data standards (``source_fields`` of fields.yaml: BSM 标识码, DLBM 地类编码 ...), a field whose
name is Chinese is its own alias, and anything else reads “源字段 NAME”. GeoPackage outputs
keep them in their default style (the ``layer_styles`` table), which QGIS applies whenever
the layer is opened, in any project; QGIS 3.22 does not read field aliases from the file itself.
"""
import functools
import re

from . import schema

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
FID_ALIAS = "要素号"
UNKNOWN_SOURCE = "源字段 {}"
ROUND_SUFFIXES = (("_a", "(前期)"), ("_b", "(后期)"))


def has_cjk(text):
    return bool(text) and bool(CJK.search(str(text)))


@functools.lru_cache(maxsize=1)
def source_field_names():
    """{code: Chinese name} of the ``source_fields`` section of fields.yaml (keys upper-cased)."""
    from . import files, paths

    data = files.load_yaml(paths.resource("schema", "fields.yaml")) or {}
    return {str(k).upper(): str(v) for k, v in (data.get("source_fields") or {}).items()}


def alias(name, current=""):
    """The Chinese alias of an output field ``name`` (``current``: the alias it has now, kept
    when it is Chinese already)."""
    if has_cjk(current):
        return current
    base, _ = schema.split_year_suffix(name)
    if base in schema.fields():
        return schema.alias(name)
    for suffix, when in ROUND_SUFFIXES:  # two evaluation years side by side (复评): grade_a, tax_per_mu_b ...
        if name.endswith(suffix) and name[: -len(suffix)] in schema.fields():
            return schema.alias(name[: -len(suffix)]) + when
    if has_cjk(name):
        return name
    if name.lower() == "fid":
        return FID_ALIAS
    known = source_field_names().get(name.upper())
    if known:
        return known
    return UNKNOWN_SOURCE.format(name)


def aliases_for(names, current=None):
    """{name: alias} for a list of field names."""
    current = current or {}
    return {n: alias(n, current.get(n, "")) for n in names}


def with_aliases(fields):
    """A copy of the QgsFields ``fields`` with every field's Chinese alias (for a writer or sink)."""
    from qgis.core import QgsField, QgsFields

    out = QgsFields()
    for field in fields:
        copy = QgsField(field)
        copy.setAlias(alias(field.name(), field.alias()))
        out.append(copy)
    return out


def apply(layer, known=None):
    """Set the Chinese alias of every field of the QgsVectorLayer ``layer`` (Chinese aliases it
    has are kept, and so are those of ``known``: {name: alias} the step gave its fields); returns
    the number of fields given one."""
    fields = layer.fields()
    known = known or {}
    n = 0
    for i in range(fields.count()):
        field = fields.at(i)
        text = alias(field.name(), layer.attributeAlias(i) or known.get(field.name(), ""))
        if text != layer.attributeAlias(i):
            layer.setFieldAlias(i, text)
            n += 1
    return n


def save_default_style(path, layer_name=None, known=None):
    """Store the Chinese aliases as the default style of layer ``layer_name`` of the GeoPackage
    ``path`` (its ``layer_styles`` table), or of the file ``path`` (a .qml beside it), keeping a
    default style already there (its renderer and labels). True when saved; a failure is not an
    error of the run (the data are written), so it is only reported by the return value.

    The style row is written with GDAL, not QgsVectorLayer.saveStyleToDatabase(): QGIS's own
    connection would leave the file in WAL mode with the row in a -wal file that a later reader
    folds in, changing the bytes of a file the next step reads as its input."""
    import os

    from qgis.core import QgsVectorLayer

    if not path or not os.path.exists(path):
        return False
    gpkg = os.path.splitext(path)[1].lower() == ".gpkg"
    if gpkg and not layer_name:
        return False
    uri = "{}|layername={}".format(path, layer_name) if gpkg else path
    layer = QgsVectorLayer(uri, layer_name or os.path.basename(path), "ogr")
    try:
        if not layer.isValid():
            return False
        apply(layer, known)
        if not gpkg:
            result = layer.saveDefaultStyle()
            return bool(result[1]) if isinstance(result, tuple) else bool(result)
        from qgis.PyQt.QtXml import QDomDocument

        doc = QDomDocument("qgis")
        if layer.exportNamedStyle(doc):
            return False
        qml = doc.toString()
    except Exception:
        return False
    finally:
        del layer
    try:
        return _write_style_row(path, layer_name, qml)
    except Exception:
        return False


STYLE_FIELDS = (("f_table_catalog", 256), ("f_table_schema", 256), ("f_table_name", 256),
                ("f_geometry_column", 256), ("styleName", 30), ("styleQML", 0), ("styleSLD", 0),
                ("useAsDefault", -1), ("description", 0), ("owner", 30), ("ui", 30), ("update_time", -2))


def _write_style_row(path, layer_name, qml):
    """The default-style row of ``layer_name`` in the GeoPackage's layer_styles table (made as
    QGIS makes it when missing); earlier LandEval rows of the layer are replaced."""
    import datetime

    from osgeo import ogr

    ds = ogr.Open(path, 1)
    if ds is None:
        return False
    try:
        data = ds.GetLayerByName(layer_name)
        if data is None:
            return False
        geometry_column = data.GetGeometryColumn() or ""
        styles = ds.GetLayerByName("layer_styles")
        if styles is None:
            styles = ds.CreateLayer("layer_styles", geom_type=ogr.wkbNone, options=["FID=id"])
            for name, width in STYLE_FIELDS:
                kind = ogr.OFTDateTime if width == -2 else ogr.OFTInteger if width == -1 else ogr.OFTString
                field = ogr.FieldDefn(name, kind)
                if width == -1:
                    field.SetSubType(ogr.OFSTBoolean)
                elif width > 0:
                    field.SetWidth(width)
                styles.CreateField(field)
        quoted = layer_name.replace("'", "''")
        ds.ExecuteSQL("DELETE FROM layer_styles WHERE f_table_name = '{}' AND description = 'LandEval'".format(quoted))
        ds.ExecuteSQL("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = '{}'".format(quoted))
        styles = ds.GetLayerByName("layer_styles")
        feature = ogr.Feature(styles.GetLayerDefn())
        now = datetime.datetime.utcnow()
        values = {"f_table_catalog": "", "f_table_schema": "", "f_table_name": layer_name,
                  "f_geometry_column": geometry_column, "styleName": layer_name[:30], "styleQML": qml,
                  "styleSLD": "", "useAsDefault": 1, "description": "LandEval", "owner": "", "ui": ""}
        for key, value in values.items():
            if styles.GetLayerDefn().GetFieldIndex(key) >= 0:
                feature.SetField(key, value)
        if styles.GetLayerDefn().GetFieldIndex("update_time") >= 0:
            feature.SetField("update_time", now.year, now.month, now.day, now.hour, now.minute,
                             now.second + now.microsecond / 1e6, 100)
        return styles.CreateFeature(feature) == 0
    finally:
        ds = None


def load_style(layer, qml, categories=None):
    """Apply the style file ``qml`` to ``layer`` and keep its Chinese aliases. (message, ok).

    A vector layer whose GeoPackage holds a default style (every LandEval output does, for the
    aliases) would load that one from ``loadNamedStyle(path)`` instead of the file: the file is
    asked for explicitly here. Without ``categories`` the whole style is applied."""
    from qgis.core import QgsMapLayer

    if categories is None:
        categories = QgsMapLayer.StyleCategory.AllStyleCategories
    try:
        result = layer.loadNamedStyle(qml, True, categories)  # QgsVectorLayer: the file, not the provider's style
    except TypeError:  # not a vector layer
        result = layer.loadNamedStyle(qml, categories)
    if hasattr(layer, "setFieldAlias"):
        apply(layer)  # a style's own <aliases> replace the layer's: Chinese again
    return result
