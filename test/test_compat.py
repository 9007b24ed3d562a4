"""landeval_plugin/compat.py: the helpers give the same answers on every QGIS version (3.22, 3.40, 3.44)."""
import pytest

from landeval_plugin import compat


def test_geographic_area_in_square_metres(qgis_app):
    """The 3.40 crash: convertAreaMeasurement(…, 0) raised; a 0.01° square at the equator is ~1.23 km²."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

    from landeval_plugin.core.units import AreaMeter

    square = QgsGeometry.fromWkt("POLYGON((120 0, 120.01 0, 120.01 0.01, 120 0.01, 120 0))")
    m2 = AreaMeter(QgsCoordinateReferenceSystem("EPSG:4490")).m2(square)   # CGCS2000
    # 0.01° of longitude and latitude at the equator on the GRS 1980 ellipsoid: 1113.19 m × 1105.75 m
    assert m2 == pytest.approx(1113.195 * 1105.744, rel=2e-4)
    assert AreaMeter(QgsCoordinateReferenceSystem("EPSG:4326")).m2(square) == pytest.approx(m2, rel=1e-6)


def test_unit_factors_for_metre_and_foot_crs(qgis_app):
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry

    from landeval_plugin.core.units import AreaMeter

    metres = QgsCoordinateReferenceSystem("EPSG:4549")   # CGCS2000 / 3-degree GK CM 120E
    feet = QgsCoordinateReferenceSystem("EPSG:2249")     # NAD83 / Massachusetts Mainland (ftUS)
    assert compat.metres_per_map_unit(metres) == 1.0
    # US survey foot (1200/3937 m; 3.40, 3.44) or, as 3.22 reads this CRS, the international foot (0.3048 m)
    foot = compat.metres_per_map_unit(feet)
    assert foot == pytest.approx(0.3048, rel=1e-5)
    assert foot in (0.3048, pytest.approx(1200 / 3937, rel=1e-12))
    assert compat.square_metres_per_map_unit2(feet) == pytest.approx(foot ** 2, rel=1e-9)
    square = QgsGeometry.fromWkt("POLYGON((0 0, 100 0, 100 100, 0 100, 0 0))")
    assert AreaMeter(feet).m2(square) == pytest.approx(10000 * foot ** 2, rel=1e-9)


def test_unit_enums_are_the_ones_this_qgis_expects(qgis_app):
    from qgis.core import Qgis, QgsCoordinateReferenceSystem

    from landeval_plugin.core.units import area_calculator

    da = area_calculator(QgsCoordinateReferenceSystem("EPSG:4549"))   # planar, metres
    # the call that raised on 3.40 with a plain 0; the unit objects work on every version
    assert da.convertAreaMeasurement(2.5, compat.area_square_meters()) == 2.5
    assert da.convertLengthMeasurement(2.5, compat.distance_meters()) == 2.5
    assert hasattr(Qgis, "AreaUnit") == (Qgis.QGIS_VERSION_INT >= 33000)


def test_dom_set_content_and_layout_text_formats(qgis_app):
    from qgis.core import QgsLayoutItemLabel, QgsPrintLayout, QgsProject
    from qgis.PyQt.QtXml import QDomDocument

    doc = QDomDocument()
    assert compat.dom_set_content(doc, b"<Layout name='x'/>") is True
    assert doc.documentElement().tagName() == "Layout"
    assert compat.dom_set_content(QDomDocument(), b"<Layout") is False
    layout = QgsPrintLayout(QgsProject.instance())
    from qgis.core import Qgis

    # absent in 3.22, present in 3.40 and 3.44
    assert compat.label_has_text_format(QgsLayoutItemLabel(layout)) == (Qgis.QGIS_VERSION_INT >= 32300)
