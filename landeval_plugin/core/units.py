"""Area and value units used by Chinese land administration.

Areas are always computed from geometry: planar in a projected CRS, ellipsoidal in a
geographic one (never planar degrees). 1 亩 = 10000/15 m², 1 公顷 = 15 亩.
"""

from .. import compat

M2_PER_MU = 10000.0 / 15.0
M2_PER_HA = 10000.0
MU_PER_HA = 15.0
MU_PER_KM2 = 1500.0
WAN_PER_YI = 10000.0  # 1 亿元 = 10,000 万元


def m2_to_mu(m2):
    return None if m2 is None else m2 / M2_PER_MU


def m2_to_ha(m2):
    return None if m2 is None else m2 / M2_PER_HA


def mu_to_m2(mu):
    return None if mu is None else mu * M2_PER_MU


def ha_to_m2(ha):
    return None if ha is None else ha * M2_PER_HA


def per_mu_to_per_ha(value):
    """万元/亩 -> 万元/公顷."""
    return None if value is None else value * MU_PER_HA


def per_ha_to_per_mu(value):
    return None if value is None else value / MU_PER_HA


def wan_to_yi(value):
    """万元 -> 亿元."""
    return None if value is None else value / WAN_PER_YI


def yi_to_wan(value):
    return None if value is None else value * WAN_PER_YI


def area_calculator(crs, transform_context=None):
    """A QgsDistanceArea giving m² for geometries in ``crs``.

    Projected CRS: planar area in the CRS units converted to m². Geographic CRS:
    ellipsoidal area on the CRS ellipsoid (CGCS2000 for EPSG:4490, WGS84 for 4326).
    """
    from qgis.core import QgsCoordinateTransformContext, QgsDistanceArea, QgsProject

    da = QgsDistanceArea()
    ctx = transform_context or QgsProject.instance().transformContext() or QgsCoordinateTransformContext()
    da.setSourceCrs(crs, ctx)
    if crs.isGeographic():
        ellipsoid = crs.ellipsoidAcronym() or "EPSG:7019"
        da.setEllipsoid(ellipsoid)
    else:
        da.setEllipsoid("NONE")
    return da


class AreaMeter:
    """Measures polygon areas in m² for one CRS, the same way everywhere in LandEval."""

    def __init__(self, crs, transform_context=None):
        self.crs = crs
        self.geographic = crs.isGeographic()
        self._da = area_calculator(crs, transform_context)
        self._factor = 1.0
        if not self.geographic:
            self._factor = compat.square_metres_per_map_unit2(crs)
        self._m2_unit = compat.area_square_meters()

    def m2(self, geometry):
        if geometry is None or geometry.isEmpty():
            return 0.0
        if self.geographic:
            return self._da.convertAreaMeasurement(self._da.measureArea(geometry), self._m2_unit)
        return geometry.area() * self._factor

    def areas(self, geometry):
        """(m², 亩, 公顷) of a geometry."""
        m2 = self.m2(geometry)
        return m2, m2 / M2_PER_MU, m2 / M2_PER_HA
