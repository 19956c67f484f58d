"""The season's charts kept by what they show: a warm season review draws nothing it drew before.

A chart's key is a hash of the table it draws, its title and units, the chart code and the
matplotlib that draws it; the PNG is stored under the result cache's folder. A missing or
unreadable entry is drawn again, never an error.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ChartCache"]

#: The modules whose code decides how a season chart looks.
_CHART_CODE = ("plots/season.py", "plots/style.py", "present/season/files.py")


class ChartCache:
    """Season chart PNGs by content in ``directory`` (None: draw every chart, keep nothing)."""

    def __init__(self, directory: str | os.PathLike[str] | None) -> None:
        self.directory = Path(directory) if directory is not None else None

    def png(self, tables: tuple[pd.DataFrame, ...], label: str, draw: Callable[[], Figure], dpi: float) -> bytes:
        """The chart of ``tables`` labelled ``label``: from the cache, else drawn by ``draw`` and kept."""
        path = self._path(tables, label, dpi)
        if path is not None:
            try:
                return path.read_bytes()
            except OSError:
                pass
        buffer = io.BytesIO()
        draw().savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        data = buffer.getvalue()
        if path is not None:
            _write_atomically(path, data)
        return data

    def _path(self, tables: tuple[pd.DataFrame, ...], label: str, dpi: float) -> Path | None:
        if self.directory is None:
            return None
        digest = hashlib.sha256(_code_fingerprint().encode())
        digest.update(f"{label}\0{dpi}".encode())
        for table in tables:
            digest.update(table.to_csv(index=False).encode())
        return self.directory / f"{digest.hexdigest()[:32]}.png"


@cache
def _code_fingerprint() -> str:
    """The chart code and the matplotlib version: a chart drawn by other code never matches."""
    import importlib.metadata

    package = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256(importlib.metadata.version("matplotlib").encode())
    for relative in _CHART_CODE:
        digest.update((package / relative).read_bytes())
    return digest.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the PNG under a temporary name, then move it in place; a failure keeps nothing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
    except OSError:
        return
