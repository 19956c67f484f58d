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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ChartCache", "ChartMap", "ChartRequest", "render_png"]

#: The modules whose code decides how a season chart looks.
_CHART_CODE = ("plots/season.py", "plots/style.py", "present/season/files.py")


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """One chart: the ``tables`` it draws, its ``label`` (title and units), how to ``draw`` it
    (a picklable callable returning the figure) and its resolution [dots per inch]."""

    tables: tuple[pd.DataFrame, ...]
    label: str
    draw: Callable[[], Figure]
    dpi: float


#: Draws the charts not in the cache: ``map(render_png, requests)``, or the same on processes.
ChartMap = Callable[[Callable[[ChartRequest], bytes], list[ChartRequest]], Iterable[bytes]]


#: zlib's level for the PNGs: 3 takes two thirds of the time of the default 6 (a third of a
#: chart's drawing) for files 7 % larger.
PNG_COMPRESS_LEVEL = 3


def render_png(request: ChartRequest) -> bytes:
    """The request's chart drawn, as PNG bytes (no timestamp: the same chart, the same bytes)."""
    buffer = io.BytesIO()
    request.draw().savefig(
        buffer,
        format="png",
        dpi=request.dpi,
        metadata={"Software": None},
        pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
    )
    return buffer.getvalue()


class ChartCache:
    """Season chart PNGs by content in ``directory`` (None: draw every chart, keep nothing)."""

    def __init__(self, directory: str | os.PathLike[str] | None) -> None:
        self.directory = Path(directory) if directory is not None else None

    def pngs(self, requests: Sequence[ChartRequest], draw: ChartMap = map) -> list[bytes]:
        """Each requested chart: from the cache, else drawn (all those missing in one ``draw``
        call, which may draw them side by side) and kept."""
        paths = [self._path(r.tables, r.label, r.dpi) for r in requests]
        found = [_read(path) for path in paths]
        missing = [k for k, data in enumerate(found) if data is None]
        for k, data in zip(missing, draw(render_png, [requests[k] for k in missing]), strict=True):
            found[k] = data
            if (path := paths[k]) is not None:
                _write_atomically(path, data)
        return [data for data in found if data is not None]

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


def _read(path: Path | None) -> bytes | None:
    """A kept chart, or None (not kept, or unreadable: drawn again)."""
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


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
