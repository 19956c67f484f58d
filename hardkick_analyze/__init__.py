"""hardkick-analyze: how an interval session really went, from the watch file."""

from __future__ import annotations

from .errors import HardkickError
from .models import Activity
from .readers import read_activity

__all__ = ["Activity", "HardkickError", "read_activity"]
__version__ = "0.1.0"
