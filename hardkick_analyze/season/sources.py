"""What a season's inputs are: a name and a loader of the bytes, made safely from files and bundles."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import FileTooLargeError, HardkickError, ReadError
from ..readers.source import MAX_DECOMPRESSED_BYTES, open_regular_file

__all__ = ["BundleCaps", "FileLoader", "RaiseOnLoad", "SessionInput", "joined_name", "read_capped_file", "safe_name"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BundleCaps:
    """Safety caps for walking untrusted bundles.

    Attributes
    ----------
    max_members
        Entries one archive may list (any kind of entry) [count].
    max_depth
        Archives inside archives: 1 is a plain bundle, 2 a zip inside it [count].
    max_member_bytes
        Decompressed size of one member, activity or nested zip [bytes].
    max_total_bytes
        Decompressed size of all the members walked in one bundle [bytes].
    """

    max_members: int = 100_000
    max_depth: int = 3
    max_member_bytes: int = MAX_DECOMPRESSED_BYTES
    max_total_bytes: int = 8 * 1024**3


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInput:
    """One activity to analyse and where its bytes come from.

    Attributes
    ----------
    source_name
        The file's name inside the folder or bundle, unique within one expansion; safe to show
        (no control characters, no ``..`` or absolute parts), but still text from the file, so
        escape it in HTML.
    loader
        Returns the file's bytes (as stored: a ``.gz`` stays compressed). It raises a
        :class:`~hardkick_analyze.errors.HardkickError` when the bytes cannot be had. Loaders
        are called in the process that expands the paths, one at a time.
    date_hint
        Start time the bundle's index gives (Strava ``Activity Date``), UTC.
    title_hint
        Name the bundle's index gives (Strava ``Activity Name``).
    type_hint
        Activity type the bundle's index gives (Strava ``Activity Type``, e.g. ``'Run'``).
    """

    source_name: str
    loader: Callable[[], bytes] = field(repr=False, compare=False)
    date_hint: pd.Timestamp | None = None
    title_hint: str | None = None
    type_hint: str | None = None


def safe_name(raw: str) -> str:
    """A member name fit to show: ``/`` separators, no empty, ``.`` or ``..`` parts, no control characters.

    The name is never used to write anything; this keeps it from looking like a path that
    leaves the bundle, and from carrying NUL or terminal escapes into reports.
    """
    cleaned = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in raw)
    parts = [p for p in cleaned.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def joined_name(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith("!") else f"{prefix}/{name}"


def read_capped_file(path: Path, cap: int, label: str) -> bytes:
    try:
        with open_regular_file(path, label) as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise ReadError(label, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > cap:
        raise FileTooLargeError(label, f"larger than {cap} bytes")
    return data


@dataclass(frozen=True, slots=True)
class FileLoader:
    """Bytes of a file on disk, read with the member cap."""

    path: Path
    caps: BundleCaps

    def __call__(self) -> bytes:
        return read_capped_file(self.path, self.caps.max_member_bytes, self.path.name)


@dataclass(frozen=True, slots=True)
class RaiseOnLoad:
    """A loader for an input that cannot be read: it raises the reason found while walking."""

    error: HardkickError

    def __call__(self) -> bytes:
        raise self.error
