"""Readers: one module per format, dispatched by content; all return one :class:`Activity`."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..models import Activity
from .finalize import finalize
from .parsed import ParsedActivity
from .source import PathOrFile, RawSource, load_source

__all__ = ["read_activity"]


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
    return finalize(_parser(raw.format)(raw), raw)


def _parser(file_format: str) -> Callable[[RawSource], ParsedActivity]:
    """``parse_<format>`` of the reader module named by the format (``fit``, ``gpx``, ``tcx``).

    Imported on first use: a FIT file needs neither XML reader (nor ``xml.etree``), a GPX file
    no FIT decoder, and the command's start-up is shorter by what one file does not read.
    """
    parse: Callable[[RawSource], ParsedActivity] = getattr(
        importlib.import_module(f".{file_format}", __name__), f"parse_{file_format}"
    )
    return parse
