"""Turn the PATHs a user gives into a flat list of session inputs, each with a loader of its bytes.

A PATH is an activity file, a folder (searched recursively) or an export bundle: a Strava bulk
export (``activities.csv`` plus ``activities/*.fit.gz|*.gpx.gz|*.tcx.gz``) or a Garmin account
export (zips inside zips). Bundles are untrusted: members are read into memory by their index in
the archive, never extracted by their own names, and the walk stops at caps on member count,
nesting depth and decompressed size. Nothing is lost: a bundle or member that cannot be walked
becomes an input whose loader raises the reason, so it is reported as failed like a bad file.
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from ..errors import (
    ArgumentError,
    HardkickError,
    NotAFileError,
    ReadError,
)
from ..readers.source import (
    ACTIVITY_SUFFIXES,
    EMPTY_ZIP_MAGIC,
    ZIP_MAGIC,
    open_regular_file,
    zip_end_problem,
)
from .bundles import STRAVA_INDEX, is_dir_entry, walk_bundle
from .sources import BundleCaps, FileLoader, RaiseOnLoad, SessionInput, joined_name, safe_name

__all__ = ["BundleCaps", "SessionInput", "expand_paths", "is_bundle", "safe_name"]


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
            found += walk_bundle(path, prefix, limits)
        else:
            found.append(SessionInput(source_name=safe_name(path.name) or "file", loader=FileLoader(path, limits)))
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
            if magic == EMPTY_ZIP_MAGIC:
                return True
            if magic != ZIP_MAGIC or zip_end_problem(handle) is not None:
                return magic == ZIP_MAGIC  # a cut zip is walked as a bundle, and fails with its reason
            with zipfile.ZipFile(handle) as archive:
                names = [i.filename.lower() for i in archive.infolist() if not is_dir_entry(i)]
    except HardkickError:
        return False
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        return True
    activities = [n for n in names if n.endswith(ACTIVITY_SUFFIXES)]
    nested = [n for n in names if n.endswith(".zip")]
    return len(activities) != 1 or bool(nested) or any(PurePosixPath(n).name == STRAVA_INDEX for n in names)


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
                candidates.append((safe_name(joined_name(prefix, file_path.relative_to(folder).as_posix())), file_path))
    found = []
    for relative, path in sorted(candidates, key=lambda pair: pair[0]):
        if isinstance(path, HardkickError):
            found.append(SessionInput(source_name=relative, loader=RaiseOnLoad(path)))
        elif path.name.lower().endswith(".zip") and is_bundle(path):
            found += walk_bundle(path, relative, caps)
        else:
            found.append(SessionInput(source_name=relative, loader=FileLoader(path, caps)))
    return found


def _folder_name(prefix: str, folder: Path, where: Path) -> str:
    try:
        relative = where.relative_to(folder).as_posix()
    except ValueError:
        relative = where.name
    return (safe_name(joined_name(prefix, relative)) or safe_name(folder.name) or "folder") + "/"


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
