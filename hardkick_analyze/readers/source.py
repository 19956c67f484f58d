"""Load a file's bytes safely and recognise its format from the content.

Gzip layers are unwrapped with a cap on the decompressed size; a zip holding exactly one
activity (Garmin Connect's "export original") is opened too. The format is decided by the
bytes (FIT header, XML root element), never by the file name alone.
"""

from __future__ import annotations

import io
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import (
    ArgumentError,
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    MissingFileError,
    NotAFileError,
    ReadError,
    UnsupportedFormatError,
)

__all__ = [
    "ACTIVITY_SUFFIXES",
    "EMPTY_ZIP_MAGIC",
    "MAX_DECOMPRESSED_BYTES",
    "ZIP_MAGIC",
    "RawSource",
    "decompressed_cap",
    "load_source",
    "open_regular_file",
    "sniff_format",
    "zip_end_problem",
]

#: Cap on the bytes one activity may decompress to. A 24 h run at 1 s is ~4 MB as FIT and
#: ~60 MB as TCX; anything far beyond is a bomb, not a run.
MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
#: Decompressed bytes per compressed byte beyond which the content is padding, not samples.
#: GPX and TCX compress 10-30 times, FIT 2-5 times; a run of blanks compresses about 1,000 times.
MAX_COMPRESSION_RATIO = 100
#: Below this decompressed size [bytes] any ratio is allowed: a small file cannot hurt.
RATIO_FREE_BYTES = 32 * 1024 * 1024
#: How far into an XML document its root element is looked for [bytes] (comments may come first).
SNIFF_BYTES = 64 * 1024
# Compressed bytes fed to zlib at a time: one step can grow by at most ~1,032 times this.
_INFLATE_STEP = 16 * 1024
#: An empty zip is only its end-of-central-directory record, which starts with these bytes.
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
#: The end record (22 bytes), its comment, and the zip64 end record and locator before it.
_EOCD_SEARCH_BYTES = 22 + 65_535 + 56 + 20

_GZIP_MAGIC = b"\x1f\x8b"
#: A zip starts with a local file header.
ZIP_MAGIC = b"PK\x03\x04"
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
#: The names of activity files, plain or gzipped, in a folder or a bundle.
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")

PathOrFile = str | os.PathLike[str] | BinaryIO | bytes


@dataclass(frozen=True, slots=True)
class RawSource:
    """The decompressed bytes of one activity file and what they are."""

    name: str
    data: bytes
    format: str
    compressed: bool
    warnings: tuple[str, ...] = ()


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
    if name is not None and not isinstance(name, str):
        raise ArgumentError(repr(name)[:60], f"name must be a str, not {type(name).__name__}")
    data, label = _read_bytes(path_or_file, name)
    compressed = False
    warnings: list[str] = []
    if data.startswith(ZIP_MAGIC):
        data, inner = _single_member(data, label)
        compressed = True
        label = f"{label}!{inner}"
    while data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, label, warnings)
        compressed = True
    if not data.strip():
        raise EmptyFileError(label, "the file is empty" if not compressed else "decompresses to nothing")
    return RawSource(
        name=label, data=data, format=sniff_format(data, label), compressed=compressed, warnings=tuple(warnings)
    )


def decompressed_cap(compressed_bytes: int) -> int:
    """The most bytes ``compressed_bytes`` of gzip or deflate data may decompress to [bytes].

    :data:`MAX_DECOMPRESSED_BYTES` in all, and beyond :data:`RATIO_FREE_BYTES` no more than
    :data:`MAX_COMPRESSION_RATIO` times the compressed size, so that memory follows the data
    kept, not padding that compresses to nothing.
    """
    return min(MAX_DECOMPRESSED_BYTES, max(RATIO_FREE_BYTES, MAX_COMPRESSION_RATIO * compressed_bytes))


def open_regular_file(path: str | os.PathLike[str], label: str) -> BinaryIO:
    """Open a path for reading in binary, refusing anything but a regular file.

    A FIFO or a device is opened without blocking and refused, so neither hangs the reader.

    Raises
    ------
    MissingFileError, NotAFileError, UnsupportedFormatError, ReadError, ArgumentError
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise MissingFileError(label, "no such file") from exc
    except IsADirectoryError as exc:
        raise UnsupportedFormatError(label, "is a folder, not a file") from exc
    except OSError as exc:
        raise ReadError(label, f"cannot be read: {exc.strerror or exc}") from exc
    except ValueError as exc:  # a NUL in the path
        raise ArgumentError(label, f"not a usable path ({exc})") from exc
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise UnsupportedFormatError(label, "is a folder, not a file")
        raise NotAFileError(label, f"is a {_special_kind(mode)}, not a regular file")
    return os.fdopen(descriptor, "rb")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def zip_end_record(stream: BinaryIO) -> tuple[int, bytes, int | None]:
    """The zip's size, the bytes where its end record may lie, and the record's offset in them
    (None when there is no whole record); the stream is left at its start."""
    size = stream.seek(0, io.SEEK_END)
    tail_length = min(size, _EOCD_SEARCH_BYTES)
    stream.seek(size - tail_length)
    tail = stream.read(tail_length)
    stream.seek(0)
    end = tail.rfind(EMPTY_ZIP_MAGIC)
    return size, tail, end if end >= 0 and end + 22 <= len(tail) else None


def zip_end_problem(stream: BinaryIO) -> str | None:
    """Why a zip's end record cannot be trusted, or None.

    zipfile looks for the end record in the last 64 KiB and takes data before the archive it
    describes as a prefix: a bundle cut in half then opens as the last zip stored inside it,
    and everything else is silently lost. The end record must end the file.
    """
    size, tail, end = zip_end_record(stream)
    tail_length = len(tail)
    if end is None:
        return "no zip end record: the zip is cut short"
    (comment_length,) = struct.unpack_from("<H", tail, end + 20)
    if end + 22 + comment_length != len(tail):
        return "the zip is cut short or damaged (its end record is not at the end of the file)"
    directory_size, directory_offset = struct.unpack_from("<II", tail, end + 12)
    if directory_offset != 0xFFFFFFFF and directory_offset + directory_size != size - tail_length + end:
        # The directory is not where the end record says: the archive found is the tail of a larger one.
        return "the zip is cut short or damaged (its directory is not where its end record says)"
    return None


def sniff_format(data: bytes, name: str = "<bytes>") -> str:
    """Return ``'fit'``, ``'gpx'`` or ``'tcx'`` from the content.

    Raises
    ------
    UnsupportedFormatError
        When the bytes are none of them.
    """
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "fit"
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
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
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            if end < 0:
                return None
            position = end + 3
            continue
        if head.startswith((b"<?", b"<!"), start):
            position = start + 2
            continue
        match = _XML_ROOT.match(head, start)
        return match.group(2) if match else None


def _read_bytes(path_or_file: PathOrFile, name: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_file, bytes | bytearray | memoryview):
        return _capped(io.BytesIO(bytes(path_or_file)), name or "<bytes>"), name or "<bytes>"
    if isinstance(path_or_file, str | os.PathLike):
        try:
            path = Path(os.fsdecode(path_or_file))
        except TypeError as exc:
            raise ArgumentError(name or repr(path_or_file)[:60], f"not a usable path ({exc})") from exc
        label = name or path.name or str(path)
        with open_regular_file(path, label) as handle:
            return _capped(handle, label), label
    label = name or Path(str(getattr(path_or_file, "name", "<stream>"))).name
    if not callable(getattr(path_or_file, "read", None)):
        raise ArgumentError(
            label if name else type(path_or_file).__name__,
            f"expected a path, a binary file object or bytes, not {type(path_or_file).__name__}",
        )
    if getattr(path_or_file, "closed", False):
        raise ArgumentError(label, "the file object is closed")
    return _capped(path_or_file, label), label


def _capped(handle: BinaryIO, label: str) -> bytes:
    try:
        data = handle.read(MAX_DECOMPRESSED_BYTES + 1)
    except OSError as exc:
        raise ReadError(label, f"cannot be read: {exc.strerror or exc}") from exc
    except ValueError as exc:  # closed, or not open for reading
        raise ArgumentError(label, f"the file object cannot be read ({exc})") from exc
    if isinstance(data, str):
        raise ArgumentError(label, "a text-mode file: open it with 'rb' (watch files are binary)")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ArgumentError(label, f"read() returned {type(data).__name__}, not bytes")
    if len(data) > MAX_DECOMPRESSED_BYTES:
        raise FileTooLargeError(label, f"larger than {MAX_DECOMPRESSED_BYTES // 2**20} MiB")
    return bytes(data)


def _gunzip(data: bytes, label: str, warnings: list[str]) -> bytes:
    """Every gzip member's data, as ``gzip -d`` recovers it: trailing bytes and a cut end are warnings.

    Input is fed in small steps so that a cut or damaged stream keeps what came before, and the
    output is checked against :func:`decompressed_cap` at every step.
    """
    cap = decompressed_cap(len(data))
    out = bytearray()
    rest = data
    while rest.startswith(_GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=31)
        fed = 0
        try:
            while fed < len(rest) and not inflater.eof:
                out += inflater.decompress(rest[fed : fed + _INFLATE_STEP])
                fed += _INFLATE_STEP
                if len(out) > cap:
                    raise FileTooLargeError(label, _too_large(cap, len(data)))
        except zlib.error as exc:
            if not out:
                raise CorruptFileError(label, f"broken gzip data ({exc})") from exc
            warnings.append(f"the gzip data is damaged ({exc}); kept the {len(out)} bytes before the damage")
            return bytes(out)
        if not inflater.eof:
            if not out:
                raise CorruptFileError(label, "broken gzip data (cut short before any data)")
            warnings.append(f"the gzip data is cut short; kept the {len(out)} bytes it holds")
            return bytes(out)
        rest = inflater.unused_data + rest[fed:]
    if rest.strip(b"\x00"):
        warnings.append(f"{len(rest)} bytes after the gzip data ignored")
    return bytes(out)


def _too_large(cap: int, compressed: int) -> str:
    if cap < MAX_DECOMPRESSED_BYTES:
        return (
            f"decompresses to more than {cap // 2**20} MiB, over {MAX_COMPRESSION_RATIO} times its "
            f"{compressed} bytes: padding, not a recording"
        )
    return f"decompresses to more than {MAX_DECOMPRESSED_BYTES // 2**20} MiB"


def _single_member(data: bytes, label: str) -> tuple[bytes, str]:
    """The one activity inside a zip (Garmin Connect "export original")."""
    problem = zip_end_problem(io.BytesIO(data))
    if problem is not None:
        raise CorruptFileError(label, problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(ACTIVITY_SUFFIXES)
            ]
            if len(members) != 1:
                raise UnsupportedFormatError(
                    label,
                    f"zip with {len(members)} activity files; point hk-analyze at it as a bundle",
                )
            info = members[0]
            cap = decompressed_cap(info.compress_size)
            if info.file_size > cap:
                raise FileTooLargeError(label, f"member {info.filename!r}: {_too_large(cap, info.compress_size)}")
            with archive.open(info) as member:
                inner = member.read(cap + 1)
            if len(inner) > cap:
                raise FileTooLargeError(label, f"member {info.filename!r}: {_too_large(cap, info.compress_size)}")
            return inner, Path(info.filename).name
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as exc:
        raise CorruptFileError(label, f"broken zip ({exc})") from exc
    except (OSError, zlib.error) as exc:
        raise CorruptFileError(label, f"broken zip ({exc})") from exc
