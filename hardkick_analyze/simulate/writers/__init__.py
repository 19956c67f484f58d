"""Writers: a :class:`~hardkick_analyze.simulate.watch.Recording` to the bytes of a watch file."""

from __future__ import annotations

from .fit import write_fit
from .gpx import GpxFlavor, write_gpx
from .tcx import write_tcx

__all__ = ["GpxFlavor", "write_fit", "write_gpx", "write_tcx"]
