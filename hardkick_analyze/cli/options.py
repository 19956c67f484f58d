"""The command's options once parsed and checked, handed to either mode as one typed value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..season.inputs import is_bundle


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
    return len(paths) > 1 or any(p.is_dir() or is_bundle(p) for p in paths)
