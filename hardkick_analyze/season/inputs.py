"""Turn the PATHs a user gives into a flat list of session inputs, each with a loader of its bytes.

A PATH is an activity file, a folder (searched recursively) or an export bundle: a Strava bulk
export (``activities.csv`` plus ``activities/*.fit.gz|*.gpx.gz|*.tcx.gz``) or a Garmin account
export (zips inside zips). Bundles are untrusted: members are read into memory by their index in
the archive, never extracted by their own names, and the walk stops at caps on member count,
nesting depth and decompressed size. Nothing is lost: a bundle or member that cannot be walked
becomes an input whose loader raises the reason, so it is reported as failed like a bad file.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import unicodedata
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pandas as pd

from ..errors import (
    ArgumentError,
    BundleError,
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    HardkickError,
    NotAFileError,
    ReadError,
)
from ..readers.source import (
    MAX_DECOMPRESSED_BYTES,
    decompressed_cap,
    open_regular_file,
    zip_end_problem,
    zip_end_record,
)

__all__ = ["BundleCaps", "SessionInput", "expand_paths", "is_bundle"]

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
_ZIP_MAGIC = b"PK\x03\x04"
# An empty zip is only its end-of-central-directory record.
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_STRAVA_INDEX = "activities.csv"
# What damaged zip data raises from zipfile and zlib (a flipped byte in a deflate stream is zlib.error).
_ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error)
# Strava writes "Activity Date" in UTC, in this English format ("Mar 1, 2026, 7:00:00 AM").
_STRAVA_DATE_FORMAT = "%b %d, %Y, %I:%M:%S %p"


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


def expand_paths(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], *, caps: BundleCaps | None = None
) -> list[SessionInput]:
    """Expand files, folders and bundles into one flat, ordered list of inputs.

    Parameters
    ----------
    paths
        Activity files, folders (searched recursively for activity files and zips) and zip bundles;
        one path alone (a ``str`` or ``Path``) is one PATH, not a sequence of characters.
    caps
        Safety caps for bundles (defaults: :class:`BundleCaps`).

    Returns
    -------
    list of SessionInput
        In the order given (folders sorted by path). Names are relative to the folder or bundle;
        with several PATHs, folders and bundles prefix their own name (``export.zip!activities/1.fit.gz``;
        ``!`` marks a zip's members, also for zips inside zips). Names are unique: a
        repeat gets `` (2)``, `` (3)``, ...
    """
    limits = caps or BundleCaps()
    found: list[SessionInput] = []
    given = checked_paths(paths)
    prefix_names = len(given) > 1
    for path in given:
        prefix = path.name if prefix_names else ""
        if path.is_dir():
            found += _walk_folder(path, prefix, limits)
        elif is_bundle(path):
            found += _walk_bundle(path, prefix, limits)
        else:
            found.append(SessionInput(source_name=safe_name(path.name) or "file", loader=_FileLoader(path, limits)))
    return _unique(found)


def checked_paths(paths: object) -> list[Path]:
    """The PATHs as a list of :class:`Path`: one ``str`` or ``PathLike`` is one PATH.

    Raises
    ------
    ArgumentError
        Anything but a path or a sequence of paths (``None``, bytes, a number, a NUL in a path).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if isinstance(paths, bytes | bytearray) or not isinstance(paths, Sequence | set | frozenset):
        raise ArgumentError(repr(paths)[:60], f"expected paths (a list of str or Path), not {type(paths).__name__}")
    checked = []
    for raw in paths:
        if not isinstance(raw, str | os.PathLike):
            raise ArgumentError(repr(raw)[:60], f"expected a path (str or Path), not {type(raw).__name__}")
        path = Path(os.fsdecode(raw))
        if "\0" in str(path):
            raise ArgumentError(repr(str(path))[:60], "a path with a NUL character")
        checked.append(path)
    return checked


def is_bundle(path: str | os.PathLike[str]) -> bool:
    """Whether the file is a zip to walk as a bundle, rather than one activity zipped alone.

    A zip with exactly one activity member (Garmin Connect's "export original") and no
    ``activities.csv`` or nested zip is a single activity; every other zip is a bundle, and so
    is a zip that cannot be opened (it is reported as a failed bundle).
    """
    candidate = Path(path)
    try:
        # A FIFO or a device is refused here without blocking; its loader reports why.
        with open_regular_file(candidate, candidate.name) as handle:
            magic = handle.read(4)
            if magic == _EMPTY_ZIP_MAGIC:
                return True
            if magic != _ZIP_MAGIC or zip_end_problem(handle) is not None:
                return magic == _ZIP_MAGIC  # a cut zip is walked as a bundle, and fails with its reason
            with zipfile.ZipFile(handle) as archive:
                names = [i.filename.lower() for i in archive.infolist() if not _is_dir(i)]
    except HardkickError:
        return False
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return True
    activities = [n for n in names if n.endswith(ACTIVITY_SUFFIXES)]
    nested = [n for n in names if n.endswith(".zip")]
    return len(activities) != 1 or bool(nested) or any(PurePosixPath(n).name == _STRAVA_INDEX for n in names)


def safe_name(raw: str) -> str:
    """A member name fit to show: ``/`` separators, no empty, ``.`` or ``..`` parts, no control characters.

    The name is never used to write anything; this keeps it from looking like a path that
    leaves the bundle, and from carrying NUL or terminal escapes into reports.
    """
    cleaned = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in raw)
    parts = [p for p in cleaned.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts)


def _walk_folder(folder: Path, prefix: str, caps: BundleCaps) -> list[SessionInput]:
    candidates: list[tuple[str, Path | HardkickError]] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        name = _folder_name(prefix, folder, where)
        candidates.append((name, ReadError(name, f"folder cannot be read: {exc.strerror or exc}")))

    for root, folders, files in os.walk(folder, onerror=unreadable):
        for folder_name in folders:
            linked = Path(root) / folder_name
            if linked.is_symlink():
                # Not followed: a link can lead out of the folder given, or round in a loop.
                name = _folder_name(prefix, folder, linked)
                candidates.append((name, NotAFileError(name, "a symbolic link to a folder, not followed")))
        for file_name in files:
            if file_name.lower().endswith((*ACTIVITY_SUFFIXES, ".zip")):
                file_path = Path(root) / file_name
                candidates.append((safe_name(_join(prefix, file_path.relative_to(folder).as_posix())), file_path))
    found = []
    for relative, path in sorted(candidates, key=lambda pair: pair[0]):
        if isinstance(path, HardkickError):
            found.append(SessionInput(source_name=relative, loader=_Raise(path)))
        elif path.name.lower().endswith(".zip") and is_bundle(path):
            found += _walk_bundle(path, relative, caps)
        else:
            found.append(SessionInput(source_name=relative, loader=_FileLoader(path, caps)))
    return found


def _folder_name(prefix: str, folder: Path, where: Path) -> str:
    try:
        relative = where.relative_to(folder).as_posix()
    except ValueError:
        relative = where.name
    return (safe_name(_join(prefix, relative)) or safe_name(folder.name) or "folder") + "/"


def _walk_bundle(path: Path, prefix: str, caps: BundleCaps) -> list[SessionInput]:
    label = prefix or safe_name(path.name) or "bundle"
    reader = _BundleReader(path, caps)
    try:
        archive = reader.outer(label)
    except HardkickError as exc:
        return [SessionInput(source_name=label, loader=_Raise(exc))]
    # Inside a folder, or with several PATHs, "!" marks where the bundle's own names begin.
    members = prefix + "!" if prefix else ""
    found = list(_walk_archive(reader, archive, (), members, label, 1, _Budget(caps.max_total_bytes)))
    if not found:
        return [SessionInput(source_name=label, loader=_Raise(EmptyFileError(label, "a zip with no activity files")))]
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
        yield SessionInput(source_name=label, loader=_Raise(FileTooLargeError(label, reason)))
        return
    hints = _strava_hints(archive, infos, caps) if depth == 1 else {}
    for index, info in enumerate(infos):
        lower = info.filename.lower()
        if _is_dir(info) or not lower.endswith((*ACTIVITY_SUFFIXES, ".zip")):
            continue
        name = _join(prefix, safe_name(info.filename) or f"member-{index}")
        member_chain = (*chain, index)
        problem = _member_problem(info, name, depth, budget, caps)
        if problem is not None:
            yield SessionInput(source_name=name, loader=_Raise(problem))
        elif lower.endswith(".zip"):
            try:
                inner = _open_zip(io.BytesIO(_read_member(archive, info, caps.max_member_bytes, name)), name, caps)
            except HardkickError as exc:
                yield SessionInput(source_name=name, loader=_Raise(exc))
                continue
            with inner:
                yield from _walk_archive(reader, inner, member_chain, name + "!", name, depth + 1, budget)
        else:
            date, title, kind = hints.pop(_index_key(info.filename), (None, None, None))
            loader = _MemberLoader(reader, member_chain, name)
            yield SessionInput(source_name=name, loader=loader, date_hint=date, title_hint=title, type_hint=kind)
    for missing, (date, title, kind) in sorted(hints.items()):
        name = _join(prefix, safe_name(missing))
        error = EmptyFileError(name, f"listed in {_STRAVA_INDEX} but not in the bundle")
        yield SessionInput(source_name=name, loader=_Raise(error), date_hint=date, title_hint=title, type_hint=kind)


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
    index = [i for i in infos if safe_name(i.filename).lower() == _STRAVA_INDEX]
    if not index:
        return {}
    try:
        text = _read_member(archive, index[0], caps.max_member_bytes, _STRAVA_INDEX).decode("utf-8-sig", "replace")
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


def _is_dir(info: zipfile.ZipInfo) -> bool:
    # ZipInfo.is_dir() fails on an empty name, which a NUL at the start of a name produces.
    return info.filename.endswith("/")


def _index_key(name: str) -> str:
    return safe_name(name).lower()


def _join(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith("!") else f"{prefix}/{name}"


def _unique(inputs: Iterable[SessionInput]) -> list[SessionInput]:
    seen: dict[str, int] = {}
    unique = []
    for item in inputs:
        name = item.source_name
        count = seen.get(name, 0)
        while count:
            candidate = f"{item.source_name} ({count + 1})"
            if candidate not in seen:
                name = candidate
                break
            count += 1
        seen[item.source_name] = seen.get(item.source_name, 0) + 1
        seen.setdefault(name, 1)
        unique.append(item if name == item.source_name else _renamed(item, name))
    return unique


def _renamed(item: SessionInput, name: str) -> SessionInput:
    return SessionInput(
        source_name=name,
        loader=item.loader,
        date_hint=item.date_hint,
        title_hint=item.title_hint,
        type_hint=item.type_hint,
    )


def _read_capped_file(path: Path, cap: int, label: str) -> bytes:
    try:
        with open_regular_file(path, label) as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise ReadError(label, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > cap:
        raise FileTooLargeError(label, f"larger than {cap} bytes")
    return data


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


@dataclass(frozen=True, slots=True)
class _FileLoader:
    """Bytes of a file on disk, read with the member cap."""

    path: Path
    caps: BundleCaps

    def __call__(self) -> bytes:
        return _read_capped_file(self.path, self.caps.max_member_bytes, self.path.name)


@dataclass(frozen=True, slots=True)
class _Raise:
    """A loader for an input that cannot be read: it raises the reason found while walking."""

    error: HardkickError

    def __call__(self) -> bytes:
        raise self.error


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
