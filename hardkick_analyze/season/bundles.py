"""Export bundles, walked safely: a Strava bulk export or a Garmin account export (zips in zips).

Members are read into memory by their index in the archive, never extracted by their own names,
and the walk stops at caps on member count, nesting depth and decompressed size. A member that
cannot be read becomes an input whose loader raises the reason.
"""

from __future__ import annotations

import csv
import io
import struct
import unicodedata
import weakref
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from ..errors import BundleError, CorruptFileError, EmptyFileError, FileTooLargeError, HardkickError
from ..readers.source import ACTIVITY_SUFFIXES, decompressed_cap, open_regular_file, zip_end_problem, zip_end_record
from .sources import BundleCaps, RaiseOnLoad, SessionInput, joined_name, safe_name

__all__ = ["STRAVA_INDEX", "is_dir_entry", "walk_bundle"]

STRAVA_INDEX = "activities.csv"
# What damaged zip data raises from zipfile and zlib (a flipped byte in a deflate stream is zlib.error).
_ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error)
# Strava writes "Activity Date" in UTC, in this English format ("Mar 1, 2026, 7:00:00 AM").
_STRAVA_DATE_FORMAT = "%b %d, %Y, %I:%M:%S %p"


def walk_bundle(path: Path, prefix: str, caps: BundleCaps) -> list[SessionInput]:
    label = prefix or safe_name(path.name) or "bundle"
    reader = _BundleReader(path, caps)
    try:
        archive = reader.outer(label)
    except HardkickError as exc:
        return [SessionInput(source_name=label, loader=RaiseOnLoad(exc))]
    # Inside a folder, or with several PATHs, "!" marks where the bundle's own names begin.
    members = prefix + "!" if prefix else ""
    found = list(_walk_archive(reader, archive, (), members, label, 1, _Budget(caps.max_total_bytes)))
    if not found:
        return [
            SessionInput(source_name=label, loader=RaiseOnLoad(EmptyFileError(label, "a zip with no activity files")))
        ]
    return found


def _walk_archive(
    reader: _BundleReader,
    archive: zipfile.ZipFile,
    chain: tuple[int, ...],
    prefix: str,
    label: str,
    depth: int,
    budget: _Budget,
) -> Iterator[SessionInput]:
    """The activity members of one archive (recursing into nested zips), or one failed input."""
    caps = reader.caps
    infos = archive.infolist()
    if len(infos) > caps.max_members:
        reason = f"zip with {len(infos)} entries, over the cap of {caps.max_members}"
        yield SessionInput(source_name=label, loader=RaiseOnLoad(FileTooLargeError(label, reason)))
        return
    hints = _strava_hints(archive, infos, caps) if depth == 1 else {}
    for index, info in enumerate(infos):
        lower = info.filename.lower()
        if is_dir_entry(info) or not lower.endswith((*ACTIVITY_SUFFIXES, ".zip")):
            continue
        name = joined_name(prefix, safe_name(info.filename) or f"member-{index}")
        member_chain = (*chain, index)
        problem = _member_problem(info, name, depth, budget, caps)
        if problem is not None:
            yield SessionInput(source_name=name, loader=RaiseOnLoad(problem))
        elif lower.endswith(".zip"):
            try:
                inner = _open_zip(io.BytesIO(_read_member(archive, info, caps.max_member_bytes, name)), name, caps)
            except HardkickError as exc:
                yield SessionInput(source_name=name, loader=RaiseOnLoad(exc))
                continue
            with inner:
                yield from _walk_archive(reader, inner, member_chain, name + "!", name, depth + 1, budget)
        else:
            date, title, kind = hints.pop(_index_key(info.filename), (None, None, None))
            loader = _MemberLoader(reader, member_chain, name)
            yield SessionInput(source_name=name, loader=loader, date_hint=date, title_hint=title, type_hint=kind)
    for missing, (date, title, kind) in sorted(hints.items()):
        name = joined_name(prefix, safe_name(missing))
        error = EmptyFileError(name, f"listed in {STRAVA_INDEX} but not in the bundle")
        yield SessionInput(
            source_name=name, loader=RaiseOnLoad(error), date_hint=date, title_hint=title, type_hint=kind
        )


def _member_problem(
    info: zipfile.ZipInfo, name: str, depth: int, budget: _Budget, caps: BundleCaps
) -> HardkickError | None:
    """Why a member must not be read (encrypted, too deep, too large), or None."""
    if info.flag_bits & 0x1:
        return BundleError(name, "encrypted zip member")
    if info.filename.lower().endswith(".zip") and depth >= caps.max_depth:
        return BundleError(name, f"zip nested deeper than {caps.max_depth} archives")
    if info.file_size > caps.max_member_bytes:
        return FileTooLargeError(name, f"decompresses to more than {caps.max_member_bytes} bytes")
    if info.file_size > decompressed_cap(info.compress_size):
        return FileTooLargeError(name, f"decompresses to {info.file_size} bytes from {info.compress_size}: padding")
    if not budget.take(info.file_size):
        return FileTooLargeError(name, f"the bundle decompresses to more than {caps.max_total_bytes} bytes in all")
    return None


def _open_zip(stream: BinaryIO, label: str, caps: BundleCaps) -> zipfile.ZipFile:
    """Open a zip after checking the entry count its end record declares against the cap.

    zipfile builds an object per entry as it opens the archive: a small nested zip whose
    central directory compresses well could otherwise declare millions of entries.
    """
    try:
        problem = zip_end_problem(stream)
        if problem is not None:
            raise CorruptFileError(label, problem)
        declared = _declared_entries(stream)
        if declared is not None and declared > caps.max_members:
            raise FileTooLargeError(label, f"zip with {declared} entries, over the cap of {caps.max_members}")
        return zipfile.ZipFile(stream)
    except _ZIP_FAILURES as exc:
        stream.close()
        raise CorruptFileError(label, f"broken zip ({exc})") from exc
    except HardkickError:
        stream.close()
        raise


def _declared_entries(stream: BinaryIO) -> int | None:
    """Total entries from the end of central directory record (zip64 too), None when absent."""
    _size, tail, end = zip_end_record(stream)
    if end is None:
        return None
    total = int(struct.unpack_from("<H", tail, end + 10)[0])
    if total != 0xFFFF:
        return total
    end64 = tail.rfind(b"PK\x06\x06", 0, end)
    return int(struct.unpack_from("<Q", tail, end64 + 32)[0]) if end64 >= 0 and end64 + 40 <= len(tail) else None


@dataclass(slots=True)
class _Budget:
    """Decompressed bytes still allowed for one bundle (declared sizes; reads are capped again)."""

    left: int

    def take(self, size: int) -> bool:
        if size > self.left:
            return False
        self.left -= size
        return True


def _strava_hints(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], caps: BundleCaps
) -> dict[str, tuple[pd.Timestamp | None, str | None, str | None]]:
    """Strava's ``activities.csv``: member name -> (start time, activity name, activity type)."""
    index = [i for i in infos if safe_name(i.filename).lower() == STRAVA_INDEX]
    if not index:
        return {}
    try:
        text = _read_member(archive, index[0], caps.max_member_bytes, STRAVA_INDEX).decode("utf-8-sig", "replace")
    except HardkickError:
        return {}
    hints = {}
    for row in csv.DictReader(io.StringIO(text)):
        file_name = (row.get("Filename") or "").strip()
        if file_name:
            date = _strava_date(row.get("Activity Date") or "")
            hints[_index_key(file_name)] = (date, _hint(row.get("Activity Name")), _hint(row.get("Activity Type")))
    return hints


def _strava_date(text: str) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(datetime.strptime(text.strip(), _STRAVA_DATE_FORMAT).replace(tzinfo=timezone.utc))
    except ValueError:
        pass
    try:
        parsed = pd.Timestamp(text.strip())
    except ValueError:
        return None
    if pd.isna(parsed):
        return None
    return parsed.tz_localize("UTC") if parsed.tzinfo is None else parsed.tz_convert("UTC")


def _hint(value: str | None) -> str | None:
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in value or "").strip()
    return cleaned or None


def is_dir_entry(info: zipfile.ZipInfo) -> bool:
    # ZipInfo.is_dir() fails on an empty name, which a NUL at the start of a name produces.
    return info.filename.endswith("/")


def _index_key(name: str) -> str:
    return safe_name(name).lower()


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, label: str) -> bytes:
    """A member's bytes by its ZipInfo (never by name: names may repeat), read with a cap."""
    # A member may not grow far beyond its compressed size either (padding in a bomb).
    cap = min(cap, decompressed_cap(info.compress_size))
    try:
        with archive.open(info) as member:
            data = member.read(cap + 1)
    except (*_ZIP_FAILURES, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise CorruptFileError(label, f"unreadable zip member ({exc})") from exc
    if len(data) > cap:
        raise FileTooLargeError(label, f"decompresses to more than {cap} bytes")
    return data


class _BundleReader:
    """Reads members of one bundle by their index chain.

    The bundle itself stays open on disk (a Garmin export can be gigabytes); a nested zip is
    held in memory, one at a time: members of one nested zip are listed one after another, so
    each nested zip is decompressed once per run instead of once per member.
    """

    def __init__(self, path: Path, caps: BundleCaps) -> None:
        self.path = path
        self.caps = caps
        self._outer: zipfile.ZipFile | None = None
        self._cached_chain: tuple[int, ...] | None = None
        self._cached: zipfile.ZipFile | None = None

    def outer(self, label: str) -> zipfile.ZipFile:
        if self._outer is None:
            handle = open_regular_file(self.path, label)
            self._outer = _open_zip(handle, label, self.caps)
            # Inputs outlive the walk; the archive closes when the last loader is gone.
            weakref.finalize(self, _close_all, self._outer, handle)
        return self._outer

    def read(self, chain: tuple[int, ...], label: str) -> bytes:
        archive = self._archive(chain[:-1], label)
        return _read_member(archive, archive.infolist()[chain[-1]], self.caps.max_member_bytes, label)

    def _archive(self, chain: tuple[int, ...], label: str) -> zipfile.ZipFile:
        if not chain:
            return self.outer(label)
        if chain == self._cached_chain and self._cached is not None:
            return self._cached
        archive = self.outer(label)
        for index in chain:
            data = _read_member(archive, archive.infolist()[index], self.caps.max_member_bytes, label)
            archive = zipfile.ZipFile(io.BytesIO(data))
        self._cached_chain, self._cached = chain, archive
        return archive


def _close_all(archive: zipfile.ZipFile, handle: BinaryIO) -> None:
    # A ZipFile given an open file leaves closing the file to its caller.
    archive.close()
    handle.close()


@dataclass(frozen=True, slots=True)
class _MemberLoader:
    """Bytes of one bundle member, found by its index chain."""

    reader: _BundleReader
    chain: tuple[int, ...]
    label: str

    def __call__(self) -> bytes:
        try:
            return self.reader.read(self.chain, self.label)
        except (*_ZIP_FAILURES, IndexError) as exc:
            raise CorruptFileError(self.label, f"unreadable zip member ({exc})") from exc
