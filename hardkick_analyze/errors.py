"""The one error tree of hardkick_analyze.

Every error the package raises on purpose derives from :class:`HardkickError` and carries the
file (or spec) it is about and a one-line reason, so the CLI can print ``source: reason`` and
exit 2 without a traceback. Third-party exceptions are wrapped once, with ``raise ... from exc``.

::

    HardkickError
     ├── ReadError                   a file could not be turned into an activity
     │    ├── UnsupportedFormatError   not FIT, GPX or TCX (or an unsupported FIT file type)
     │    ├── MissingFileError         no file (or folder) at that path
     │    ├── NotAFileError            a FIFO, a device, a socket: only regular files are read
     │    ├── EmptyFileError           zero bytes, or a container with nothing inside
     │    ├── CorruptFileError         bytes that do not decode (bad header, broken XML, ...)
     │    │    └── TruncatedFileError   the file ends before its first usable record
     │    ├── FileTooLargeError        decompressed size or member count over a safety cap
     │    ├── NoUsableDataError        decodes, but holds no timed samples to analyse
     │    └── BudgetExceededError      the file needs more memory or time than its budget
     ├── ArgumentError               an API argument of the wrong type or value (also a TypeError)
     ├── OutputPathError             an output path that cannot or must not be written
     ├── WorkoutSpecError            a workout spec that does not parse (points at the character)
     ├── PlanError                   a training-plan file that cannot be used
     └── BundleError                 an export bundle (zip) that cannot be walked safely
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "BudgetExceededError",
    "BundleError",
    "CorruptFileError",
    "EmptyFileError",
    "FileTooLargeError",
    "HardkickError",
    "MissingFileError",
    "NoUsableDataError",
    "NotAFileError",
    "OutputPathError",
    "PlanError",
    "ReadError",
    "TruncatedFileError",
    "UnsupportedFormatError",
    "WorkoutSpecError",
]


class HardkickError(Exception):
    """Base of every error raised on purpose by hardkick_analyze.

    Parameters
    ----------
    source
        The file name (or spec text) the error is about.
    reason
        One line saying what is wrong, for a person.
    """

    kind = "error"

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = " ".join(str(reason).split())
        super().__init__(f"{source}: {self.reason}")


class ReadError(HardkickError):
    """A file could not be turned into an activity."""

    kind = "unreadable"


class UnsupportedFormatError(ReadError):
    """The content is not a format we read."""

    kind = "unsupported"


class MissingFileError(ReadError):
    """Nothing exists at the path given."""

    kind = "missing"


class NotAFileError(ReadError):
    """The path is a FIFO, a device or a socket: reading it could block forever or never end."""

    kind = "not a file"


class EmptyFileError(ReadError):
    """The file holds no bytes (or a container holds nothing)."""

    kind = "empty"


class CorruptFileError(ReadError):
    """The bytes do not decode."""

    kind = "corrupt"


class TruncatedFileError(CorruptFileError):
    """The file breaks off before any usable record."""

    kind = "truncated"


class FileTooLargeError(ReadError):
    """A safety cap (decompressed size, member count, nesting) was exceeded."""

    kind = "too large"


class NoUsableDataError(ReadError):
    """The file decodes but has no timed samples."""

    kind = "no data"


class BudgetExceededError(ReadError):
    """Reading or analysing the file needed more memory or time than one file is allowed."""

    kind = "over budget"


class ArgumentError(HardkickError, TypeError):
    """A public function was given an argument of the wrong type or an impossible value.

    It is also a :class:`TypeError`, so callers who catch that keep working.
    """

    kind = "bad argument"


class OutputPathError(HardkickError):
    """An output path that cannot be written, or that would overwrite an input."""

    kind = "bad output"


class WorkoutSpecError(HardkickError):
    """A workout spec that does not parse.

    Parameters
    ----------
    spec
        The whole spec text.
    position
        0-based index of the offending character.
    reason
        What was expected there.
    """

    kind = "bad workout"

    def __init__(self, spec: str, position: int, reason: str) -> None:
        self.spec = spec
        self.position = position
        pointer = " " * position + "^"
        where = "at the end" if position >= len(spec) else f"at character {position + 1}"
        super().__init__(spec, f"{reason} {where}")
        self.pointer = pointer

    def caret(self) -> str:
        """The spec with a caret under the offending character (two lines)."""
        return f"{self.spec}\n{self.pointer}"


class PlanError(HardkickError):
    """A training-plan file (dates -> goal or pace) that cannot be used."""

    kind = "bad plan"


class BundleError(HardkickError):
    """An export bundle that cannot be walked safely."""

    kind = "bad bundle"
