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
from .fit_messages import CRC_WARNING, RECORD_FIELDS, WANTED_FIELDS, FitMessages, stopped_early

__all__ = ["decode_with_fitparse"]

_WANTED_SETS = {name: frozenset(fields) for name, fields in WANTED_FIELDS.items()}
# Everything fitparse (or the bytes) can throw while walking a damaged file.
_DECODE_ERRORS = (fitparse.FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError)


class _RawTimeProcessor(FitFileDataProcessor):
    """Keep ``date_time`` fields as raw FIT seconds: converted to UTC once, vectorised, later."""

    def process_type_date_time(self, field_data: Any) -> None:
        return None

    def process_type_local_date_time(self, field_data: Any) -> None:
        return None

    def process_type_localtime_into_day(self, field_data: Any) -> None:
        return None


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
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=check_crc, data_processor=_RawTimeProcessor())
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
