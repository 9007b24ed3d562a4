"""Every difference between the QGIS versions LandEval runs on, in one place.

Tested on QGIS 3.22 (Debian bookworm, Qt 5), 3.40 LTR (Debian trixie) and 3.44 (Debian sid);
written for QGIS 4 (Qt 6) too. Code elsewhere calls these helpers instead of testing versions.
Each entry names the version that changed the behaviour. (The qgis_process command line, which
also differs, concerns only the tests and the demo: test/qgis_cli.py.)
"""


def _qgis():
    from qgis.core import Qgis

    return Qgis


# --- Unit enums -----------------------------------------------------------------------------
# QGIS 3.30 moved QgsUnitTypes.DistanceUnit/AreaUnit to Qgis.DistanceUnit/Qgis.AreaUnit. From
# 3.30 on (seen on 3.40.6) the Python bindings reject plain ints where one is expected:
# QgsDistanceArea.convertAreaMeasurement(area, 0) raises "argument 2 has unexpected type 'int'",
# which 3.22 accepted. QGIS 4 drops the old QgsUnitTypes.DistanceMeters-style names.
def distance_meters():
    """The 'metres' distance unit: Qgis.DistanceUnit.Meters (3.30+) or QgsUnitTypes.DistanceMeters (3.22)."""
    Qgis = _qgis()
    if hasattr(Qgis, "DistanceUnit"):
        return Qgis.DistanceUnit.Meters
    from qgis.core import QgsUnitTypes

    return QgsUnitTypes.DistanceMeters


def area_square_meters():
    """The 'm²' area unit: Qgis.AreaUnit.SquareMeters (3.30+) or QgsUnitTypes.AreaSquareMeters (3.22)."""
    Qgis = _qgis()
    if hasattr(Qgis, "AreaUnit"):
        return Qgis.AreaUnit.SquareMeters
    from qgis.core import QgsUnitTypes

    return QgsUnitTypes.AreaSquareMeters


def metres_per_map_unit(crs):
    """Metres in one map unit of ``crs`` (1.0 for metres, 0.3048 for feet, ...)."""
    from qgis.core import QgsUnitTypes

    return QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), distance_meters())


def square_metres_per_map_unit2(crs):
    """m² in one square map unit of ``crs``: the square of the linear factor. Not through
    QgsUnitTypes.distanceToAreaUnit(): 3.40 reads US-survey-foot CRSs (EPSG:2249) in
    FeetUSSurvey but maps that to the international SquareFeet, 4 ppm off (3.22 reads both
    as international feet)."""
    return metres_per_map_unit(crs) ** 2


# --- Layout text ----------------------------------------------------------------------------
# Layout labels carry a QgsTextFormat (QgsLayoutItemLabel.textFormat()/setTextFormat()) in 3.40
# and 3.44, which deprecate QgsLayoutItemLabel.setFont(); 3.22 has only font()/setFont().
# (Layout tables have content/header text formats on all three.)
def label_has_text_format(item):
    """True where a layout label carries a QgsTextFormat (3.40, 3.44), False on 3.22 (QFont only)."""
    return hasattr(item, "textFormat") and hasattr(item, "setTextFormat")


# --- Qt 5 / Qt 6 ------------------------------------------------------------------------------
def dom_set_content(doc, data):
    """QDomDocument.setContent(data) -> bool. PyQt5 returns (ok, message, line, column); Qt 6.5+
    (QGIS 4) returns a ParseResult that is true when parsing worked."""
    result = doc.setContent(data)
    return bool(result[0] if isinstance(result, tuple) else result)


# --- openpyxl's lxml writer -----------------------------------------------------------------------
# On Debian trixie (QGIS 3.40.6, Python 3.13.5, lxml 5.4.0, openpyxl 3.1.5) saving a workbook through
# openpyxl's lxml-based writer segfaulted inside lxml (openpyxl/worksheet/_writer.py get_stream) once
# enough else had been loaded in the process (seen in the full test run, not with a test alone).
# openpyxl's standard-library writer writes the same workbook; OPENPYXL_LXML=False selects it and
# must be set before openpyxl is first imported, so the package sets it on import.
def prefer_stdlib_xlsx_writer():
    import os

    os.environ.setdefault("OPENPYXL_LXML", "False")


# --- Layout export flags --------------------------------------------------------------------
# QgsLayoutRenderContext.FlagLosslessImageRendering (3.14+, still the only name in 3.40) became
# Qgis.LayoutRenderFlag.LosslessImageRendering by 3.44, the old name staying as an alias.
def lossless_image_flag():
    """The layout render flag that stores images losslessly (Flate) in PDFs, or None."""
    Qgis = _qgis()
    if hasattr(Qgis, "LayoutRenderFlag") and hasattr(Qgis.LayoutRenderFlag, "LosslessImageRendering"):
        return Qgis.LayoutRenderFlag.LosslessImageRendering
    from qgis.core import QgsLayoutRenderContext

    return getattr(QgsLayoutRenderContext, "FlagLosslessImageRendering", None)


# --- Field origins ----------------------------------------------------------------------------
# QgsFields.fieldOrigin() returns Qgis.FieldOrigin from 3.38 on (Qgis.FieldOrigin.Expression, seen
# on 3.40/3.44); 3.22 has only QgsFields.OriginExpression (an int enum). QGIS 4 drops the old name.
def has_expression_fields(layer):
    """True when ``layer`` has virtual (expression) fields."""
    from qgis.core import QgsFields

    Qgis = _qgis()
    origin = getattr(getattr(Qgis, "FieldOrigin", None), "Expression", None)
    if origin is None:
        origin = QgsFields.OriginExpression
    fields = layer.fields()
    return any(fields.fieldOrigin(i) == origin for i in range(fields.count()))
