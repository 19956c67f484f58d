"""Readers: one module per format, dispatched by content; all return one :class:`Activity`."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Activity
from .finalize import finalize
from .fit import parse_fit
from .gpx import parse_gpx
from .parsed import ParsedActivity
from .source import PathOrFile, RawSource, load_source
from .tcx import parse_tcx

__all__ = ["read_activity"]

_PARSERS: dict[str, Callable[[RawSource], ParsedActivity]] = {
    "fit": parse_fit,
    "gpx": parse_gpx,
    "tcx": parse_tcx,
}


def read_activity(path_or_file: PathOrFile, *, name: str | None = None) -> Activity:
    """Read a FIT, GPX or TCX file (plain, gzipped, or alone in a zip) into an :class:`Activity`.

    Parameters
    ----------
    path_or_file
        A path, a binary file object (e.g. ``io.BytesIO``) or the file's bytes.
    name
        Name to report in errors and metadata (defaults to the file name).

    Returns
    -------
    Activity
        The normalized track (see :mod:`hardkick_analyze.schema`) with laps, pauses, workout
        steps, metadata and one warning per repair made to messy data.

    Raises
    ------
    hardkick_analyze.errors.ReadError
        Empty, corrupt, truncated, unsupported or data-less input.
    """
    raw = load_source(path_or_file, name=name)
    return finalize(_PARSERS[raw.format](raw), raw)
