"""The ``hk-analyze`` command: the only home of typer and rich.

:mod:`.command` parses and checks the options, then hands them to one of two modes, each a short
function over one library call: :mod:`.session` (one file after a workout) and :mod:`.season`
(a folder, a bundle or several files). The library raises; errors become exit code 2 here.
"""

from __future__ import annotations

from .command import app, main

__all__ = ["app", "main"]
