"""The fast FIT decoder: fitparse's :class:`FitMessages`, decoded column by column with numpy.

Three steps: :func:`~.fit_walk.walk` finds every data message and its layout, following
fitparse's reading step by step (so a damaged file stops at the same byte, for the same reason);
:func:`~.fit_columns.records` decodes the records field by field for all messages at once; and
:func:`~.fit_rows.messages` decodes the few laps, events and sessions with fitparse's own rules.
The result equals fitparse's, bit for bit on the record columns (tests/test_fit_fast.py holds
the whole corpus to that). Whatever the fast path cannot promise to decode exactly as fitparse
does is decoded by fitparse, and :attr:`FitMessages.decoder` says why.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import CorruptFileError, TruncatedFileError
from .fit_columns import compressed_timestamps, records
from .fit_crc import crc16
from .fit_messages import CRC_WARNING, FitMessages, malformed_fields_warning, stopped_early
from .fit_rows import messages
from .fit_walk import CrcCheck, FastPathUnsupported, walk

__all__ = ["decode_fast"]

# fitparse's warning for a CRC mismatch (see fit_fitparse.decode_with_fitparse).


def decode_fast(data: bytes, name: str) -> FitMessages:
    """Decode a FIT file exactly as :func:`~.fit_fitparse.decode_with_fitparse` does, faster.

    About a hundred times faster on real files (docs/performance.md). Files the columnar path
    cannot decode exactly as fitparse does (a developer field used before it is declared, odd
    field layouts) are decoded by fitparse; ``decoder`` then reads
    ``'fitparse (fast path: <reason>)'``, else ``'fast'``.

    Raises
    ------
    CorruptFileError
        The header is invalid or nothing decodes before the damage.
    TruncatedFileError
        The file ends before its first record.
    """
    try:
        return _decode(data, name)
    except FastPathUnsupported as exc:
        # Imported here: fitparse takes a while to import and only the rare file off the fast path needs it.
        from .fit_fitparse import decode_with_fitparse

        messages = decode_with_fitparse(data, name)
        return dataclasses.replace(messages, decoder=f"fitparse (fast path: {exc.reason})")


def _decode(data: bytes, name: str) -> FitMessages:
    layout = walk(data)
    stop = layout.stop
    if not layout.part_starts and stop is not None:
        if stop.kind == "eof":
            raise TruncatedFileError(name, "the file ends inside its FIT header")
        raise CorruptFileError(name, f"invalid FIT header ({stop.text})")
    buffer = np.frombuffer(data, dtype=np.uint8)
    stamps = compressed_timestamps(buffer, layout)
    columns = records(buffer, layout, stamps)
    others = messages(data, layout, stamps)
    warnings = [CRC_WARNING] if any(_crc_mismatch(data, check) for check in layout.crc_checks) else []
    count = len(columns["timestamp"])
    if stop is not None:
        kind = stop.kind if stop.kind in ("eof", "header") else "broken"
        warnings.append(stopped_early(name, kind, stop.text, count))
    malformed = malformed_fields_warning((f.mesg_num, f.def_num, f.size, f.base_type) for f in layout.malformed)
    if malformed:
        warnings.append(malformed)
    return FitMessages(records=columns, messages=others, warnings=tuple(warnings), decoder="fast")


def _crc_mismatch(data: bytes, check: CrcCheck) -> bool:
    if check.allow_zero and check.stored == 0:
        return False
    return crc16(data, check.start, check.stop) != check.stored
