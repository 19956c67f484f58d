"""Charts. This package is the only importer of matplotlib, always with the non-interactive Agg
backend; importing :mod:`hardkick_analyze` or producing JSON never imports it.

Every chart function takes an optional ``ax`` (or ``fig``), returns what it drew on, and never
calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
