"""Small geodesy helpers shared by the readers, the track fit and the simulator."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["EARTH_RADIUS_M", "haversine_m", "latlon_from_xy_m", "local_xy_m"]

#: Mean Earth radius (IUGG) [m].
EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1_deg: ArrayLike, lon1_deg: ArrayLike, lat2_deg: ArrayLike, lon2_deg: ArrayLike) -> np.ndarray:
    """Great-circle distance between points [m]; accepts scalars or arrays [deg]."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lat1_deg, lon1_deg, lat2_deg, lon2_deg)
    )
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def local_xy_m(
    lat_deg: np.ndarray, lon_deg: np.ndarray, origin_lat_deg: float, origin_lon_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """East/north offsets from an origin on a local tangent plane (equirectangular) [m].

    Accurate to well under a millimetre over a running track's few hundred metres.
    """
    lat0 = np.radians(origin_lat_deg)
    east = np.radians(np.asarray(lon_deg, dtype=np.float64) - origin_lon_deg) * EARTH_RADIUS_M * np.cos(lat0)
    north = np.radians(np.asarray(lat_deg, dtype=np.float64) - origin_lat_deg) * EARTH_RADIUS_M
    return east, north


def latlon_from_xy_m(
    east_m: np.ndarray, north_m: np.ndarray, origin_lat_deg: float, origin_lon_deg: float
) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`local_xy_m` [deg]."""
    lat0 = np.radians(origin_lat_deg)
    lat = origin_lat_deg + np.degrees(np.asarray(north_m, dtype=np.float64) / EARTH_RADIUS_M)
    lon = origin_lon_deg + np.degrees(np.asarray(east_m, dtype=np.float64) / (EARTH_RADIUS_M * np.cos(lat0)))
    return lat, lon
