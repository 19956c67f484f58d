"""Decode FIT bytes with fitparse, the reference decoder. The only module that imports fitparse."""

from __future__ import annotations

import io
from typing import Any

import fitparse
import fitparse.records
import numpy as np
from fitparse.processors import FitFileDataProcessor
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError

from ..errors import CorruptFileError, TruncatedFileError
from .fit_messages import (
    CRC_WARNING,
    RECORD_FIELDS,
    WANTED_FIELDS,
    FitMessages,
    malformed_fields_warning,
    stopped_early,
)

__all__ = ["decode_with_fitparse"]

_WANTED_SETS = {name: frozenset(fields) for name, fields in WANTED_FIELDS.items()}
# Everything fitparse (or the bytes) can throw while walking a damaged file.
_DECODE_ERRORS = (fitparse.FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError)
_BYTE_TYPE = 0x0D
# FIT's invalid field number, in no message of the profile: a field read under it is unknown.
_UNKNOWN_FIELD = 255


class _RawTimeProcessor(FitFileDataProcessor):
    """Keep ``date_time`` fields as raw FIT seconds: converted to UTC once, vectorised, later."""

    def process_type_date_time(self, field_data: Any) -> None:
        return None

    def process_type_local_date_time(self, field_data: Any) -> None:
        return None

    def process_type_localtime_into_day(self, field_data: Any) -> None:
        return None


class _LenientFitFile(fitparse.FitFile):
    """fitparse, reading a field whose size is not a multiple of its type as the FIT SDK does.

    fitparse stops at such a field ("Invalid field size"); the SDK and fitdecode read it as
    invalid and go on. Before fitparse parses a definition, its field list is peeked at; a
    malformed field is then handed to fitparse as an unknown byte field (field number 255,
    base type byte), so its bytes are skipped and nothing is read from them. The CRC is still
    computed over the file's own bytes.
    """

    def __init__(self, fileish: Any, **kwargs: Any) -> None:
        #: File offset -> the byte fitparse reads there instead (for the definition being parsed).
        self._patches: dict[int, int] = {}
        #: (message number, field number, declared size, base type name) of each malformed field.
        self.malformed: list[tuple[int, int, int, str]] = []
        super().__init__(fileish, **kwargs)

    def _parse_definition_message(self, header: Any) -> Any:
        start = self._file.tell()
        head = self._file.read(5)
        fields = self._file.read(3 * head[4]) if len(head) == 5 else b""
        self._file.seek(start)
        if len(head) == 5:
            mesg_num = int.from_bytes(head[2:4], "big" if head[1] else "little")
            for offset in range(0, len(fields) - 2, 3):
                def_num, size, base_num = fields[offset : offset + 3]
                base = fitparse.records.BASE_TYPES.get(base_num, fitparse.records.BASE_TYPE_BYTE)
                if size % base.size:
                    self.malformed.append((mesg_num, def_num, size, base.name))
                    self._patches[start + 5 + offset] = _UNKNOWN_FIELD
                    self._patches[start + 5 + offset + 2] = _BYTE_TYPE
        try:
            return super()._parse_definition_message(header)
        finally:
            self._patches.clear()

    def _read(self, size: int) -> Any:
        start = self._file.tell()
        data = super()._read(size)
        if self._patches and data is not None:
            patched = [(o - start, b) for o, b in self._patches.items() if start <= o < start + len(data)]
            if patched:
                mutable = bytearray(data)
                for index, byte in patched:
                    mutable[index] = byte
                data = bytes(mutable)
        return data


def decode_with_fitparse(data: bytes, name: str) -> FitMessages:
    """Decode every chained part of a FIT file into :class:`FitMessages`.

    A CRC mismatch, a truncated tail or a broken message after some records become warnings
    and the records before the break are kept.

    Raises
    ------
    CorruptFileError
        The header is invalid or nothing decodes before the damage.
    TruncatedFileError
        The file ends before its first record.
    """
    try:
        return _decode(data, name, check_crc=True, warnings=[])
    except FitCRCError:
        return _decode(data, name, check_crc=False, warnings=[CRC_WARNING])


def _decode(data: bytes, name: str, *, check_crc: bool, warnings: list[str]) -> FitMessages:
    # fitparse keeps developer-field declarations in a module-global table: without a reset a
    # file that uses a developer field before declaring it decodes differently depending on
    # the files read before it in the same process.
    fitparse.records.DEV_TYPES.clear()
    columns: dict[str, list[float]] = {f: [] for f in RECORD_FIELDS}
    messages: dict[str, list[dict[str, Any]]] = {m: [] for m in WANTED_FIELDS if m != "record"}
    try:
        fit = _LenientFitFile(io.BytesIO(data), check_crc=check_crc, data_processor=_RawTimeProcessor())
    except FitHeaderError as exc:
        raise CorruptFileError(name, f"invalid FIT header ({exc})") from exc
    except FitEOFError as exc:
        raise TruncatedFileError(name, "the file ends inside its FIT header") from exc
    try:
        for message in fit.get_messages():
            kind = message.name
            wanted = _WANTED_SETS.get(kind)
            if wanted is None:
                continue
            values = _first_valid_values(message.fields, wanted)
            if kind == "record":
                for column in RECORD_FIELDS:
                    value = values.get(column)
                    columns[column].append(np.nan if value is None else float(value))
            else:
                messages[kind].append(values)
    except FitCRCError:
        raise
    except FitEOFError as exc:
        warnings.append(stopped_early(name, "eof", str(exc), len(columns["timestamp"])))
    except FitHeaderError as exc:
        warnings.append(stopped_early(name, "header", str(exc), len(columns["timestamp"])))
    except _DECODE_ERRORS as exc:
        warnings.append(stopped_early(name, "broken", str(exc), len(columns["timestamp"])))
    malformed = malformed_fields_warning(fit.malformed)
    if malformed:
        warnings.append(malformed)
    records = {c: np.asarray(v, dtype=np.float64) for c, v in columns.items()}
    return FitMessages(records=records, messages=messages, warnings=tuple(warnings), decoder="fitparse")


def _first_valid_values(fields: list[Any], wanted: frozenset[str]) -> dict[str, Any]:
    """Field values by name, keeping the first valid one.

    fitparse can yield a name twice in one message (a real value, then an empty one expanded
    from a component); a plain dict would keep the empty one and blank whole channels.
    """
    values: dict[str, Any] = {}
    for field_data in fields:
        field_name = field_data.name
        if field_name in wanted and field_name not in values:
            value = field_data.value
            if value is not None and not isinstance(value, tuple):
                values[field_name] = value
    return values
