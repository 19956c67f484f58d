"""The command's options once parsed and checked, handed to either mode as one typed value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..errors import HardkickError
from ..readers.source import EMPTY_ZIP_MAGIC, ZIP_MAGIC, open_regular_file


class Units(str, Enum):
    """Distance unit for paces in the text report and the charts."""

    km = "km"
    mi = "mi"


class ChartFormat(str, Enum):
    """File format of the charts."""

    png = "png"
    svg = "svg"


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """Every option of ``hk-analyze`` (see ``--help``), checked; paces already in s/km."""

    workout: str | None = None
    pace_s_per_km: float | None = None
    goal_5k: str | None = None
    units: Units = Units.km
    as_json: bool = False
    csv: Path | None = None
    summary: bool = False
    out: Path | None = None
    workers: int | None = None
    no_cache: bool = False
    cache_dir: Path | None = None
    plan: Path | None = None
    dask_scheduler: str | None = None
    charts: Path | None = None
    chart_format: ChartFormat = ChartFormat.png


def is_season(paths: Sequence[Path]) -> bool:
    """Several PATHs, a folder or a bundle make a season review; one plain file does not."""
    return len(paths) > 1 or any(p.is_dir() or _is_bundle(p) for p in paths)


def _is_bundle(path: Path) -> bool:
    """:func:`hardkick_analyze.season.inputs.is_bundle`, asked only of a file that starts as a zip.

    Every other file is no bundle (is_bundle says so from the same four bytes), and the season's
    modules are then not imported: one watch file after a workout starts sooner without them.
    """
    try:
        with open_regular_file(path, path.name) as handle:
            if handle.read(4) not in (ZIP_MAGIC, EMPTY_ZIP_MAGIC):
                return False
    except HardkickError:
        return False
    except OSError:
        pass  # is_bundle decides (a file that cannot be read is walked as a bundle and fails with its reason)
    from ..season.inputs import is_bundle

    return is_bundle(path)
