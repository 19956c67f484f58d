"""Load a file's bytes safely and recognise its format from the content.

Gzip layers are unwrapped with a cap on the decompressed size; a zip holding exactly one
activity (Garmin Connect's "export original") is opened too. The format is decided by the
bytes (FIT header, XML root element), never by the file name alone.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    UnsupportedFormatError,
)

__all__ = ["MAX_DECOMPRESSED_BYTES", "RawSource", "load_source", "sniff_format"]

#: Cap on the bytes one activity may decompress to. A 24 h run at 1 s is ~4 MB as FIT and
#: ~60 MB as TCX; anything far beyond is a bomb, not a run.
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
_ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")

PathOrFile = str | os.PathLike[str] | BinaryIO | bytes


@dataclass(frozen=True, slots=True)
class RawSource:
    """The decompressed bytes of one activity file and what they are."""

    name: str
    data: bytes
    format: str
    compressed: bool


def load_source(path_or_file: PathOrFile, *, name: str | None = None) -> RawSource:
    """Read bytes from a path, a binary file object or a bytes value, unwrap gzip, sniff format.

    Parameters
    ----------
    path_or_file
        Where the activity is.
    name
        Name used in errors and metadata; defaults to the file name.

    Raises
    ------
    EmptyFileError, CorruptFileError, FileTooLargeError, UnsupportedFormatError
    """
    data, label = _read_bytes(path_or_file, name)
    compressed = False
    if data.startswith(_ZIP_MAGIC):
        data, inner = _single_member(data, label)
        compressed = True
        label = f"{label}!{inner}"
    while data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, label)
        compressed = True
    if not data.strip():
        raise EmptyFileError(label, "the file is empty" if not compressed else "decompresses to nothing")
    return RawSource(name=label, data=data, format=sniff_format(data, label), compressed=compressed)


def sniff_format(data: bytes, name: str = "<bytes>") -> str:
    """Return ``'fit'``, ``'gpx'`` or ``'tcx'`` from the content.

    Raises
    ------
    UnsupportedFormatError
        When the bytes are none of them.
    """
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        root = _xml_root_name(head)
        if root == b"gpx":
            return "gpx"
        if root == b"TrainingCenterDatabase":
            return "tcx"
        if root == b"Activities":
            raise CorruptFileError(name, "TCX content without its <TrainingCenterDatabase> root element")
        if root is not None:
            raise UnsupportedFormatError(name, f"XML with root <{root.decode(errors='replace')}> is not GPX or TCX")
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] != b".FIT":
        raise CorruptFileError(name, "FIT header without the '.FIT' signature")
    raise UnsupportedFormatError(name, "not a FIT, GPX or TCX file")


def _xml_root_name(head: bytes) -> bytes | None:
    """Name of the first element (skipping the declaration, comments and a DOCTYPE)."""
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0 or start + 1 >= len(head):
            return None
        if head.startswith((b"<?", b"<!"), start):
            position = start + 2
            continue
        match = _XML_ROOT.match(head, start)
        return match.group(2) if match else None


def _read_bytes(path_or_file: PathOrFile, name: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_file, bytes | bytearray | memoryview):
        return _capped(io.BytesIO(bytes(path_or_file)), name or "<bytes>"), name or "<bytes>"
    if isinstance(path_or_file, str | os.PathLike):
        path = Path(path_or_file)
        label = name or path.name
        try:
            with path.open("rb") as handle:
                return _capped(handle, label), label
        except FileNotFoundError as exc:
            raise EmptyFileError(label, "no such file") from exc
        except IsADirectoryError as exc:
            raise UnsupportedFormatError(label, "is a folder, not a file") from exc
        except OSError as exc:
            raise CorruptFileError(label, f"cannot be read: {exc.strerror or exc}") from exc
    label = name or Path(str(getattr(path_or_file, "name", "<stream>"))).name
    return _capped(path_or_file, label), label


def _capped(handle: BinaryIO, label: str) -> bytes:
    data = handle.read(MAX_DECOMPRESSED_BYTES + 1)
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise FileTooLargeError(label, f"larger than {MAX_DECOMPRESSED_BYTES // 2**20} MiB")
    return bytes(data)


def _gunzip(data: bytes, label: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptFileError(label, f"broken gzip data ({exc})") from exc
    if len(out) > MAX_DECOMPRESSED_BYTES:
        raise FileTooLargeError(label, f"decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MiB")
    return out


def _single_member(data: bytes, label: str) -> tuple[bytes, str]:
    """The one activity inside a zip (Garmin Connect "export original")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(_ACTIVITY_SUFFIXES)
            ]
            if len(members) != 1:
                raise UnsupportedFormatError(
                    label,
                    f"zip with {len(members)} activity files; point hk-analyze at it as a bundle",
                )
            info = members[0]
            if info.file_size > MAX_DECOMPRESSED_BYTES:
                raise FileTooLargeError(label, f"member {info.filename!r} is too large")
            with archive.open(info) as member:
                inner = member.read(MAX_DECOMPRESSED_BYTES + 1)
            if len(inner) > MAX_DECOMPRESSED_BYTES:
                raise FileTooLargeError(label, f"member {info.filename!r} is too large")
            return inner, Path(info.filename).name
    except zipfile.BadZipFile as exc:
        raise CorruptFileError(label, f"broken zip ({exc})") from exc
