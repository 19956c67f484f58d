"""The decoder-independent view of a FIT file: the messages the analysis uses, as tables.

Two decoders fill :class:`FitMessages` (fitparse, the reference, and the fast columnar path);
:mod:`.fit` turns it into an :class:`~hardkick_analyze.models.Activity`, so both paths share one
normalization and cannot drift apart. Values are as the FIT profile defines them after scale and
offset (``distance`` in m, ``speed`` in m/s, positions still in semicircles); ``date_time``
fields stay raw seconds since the FIT epoch; enums are profile names (``'running'``,
``'manual'``), or the raw integer when the profile does not name the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import CorruptFileError, TruncatedFileError
from .fit_profile import MESSAGES

__all__ = [
    "CRC_WARNING",
    "FIT_EPOCH_UNIX_S",
    "WANTED_FIELDS",
    "FitMessages",
    "malformed_fields_warning",
    "stopped_early",
]

#: 1989-12-31T00:00:00Z, the origin of FIT ``date_time`` values, in Unix seconds.
FIT_EPOCH_UNIX_S = 631_065_600

#: Message name -> the fields kept (profile names; subfields by their own names).
WANTED_FIELDS: dict[str, tuple[str, ...]] = {
    "record": (
        "timestamp",
        "position_lat",
        "position_long",
        "distance",
        "speed",
        "enhanced_speed",
        "altitude",
        "enhanced_altitude",
        "heart_rate",
        "cadence",
        "fractional_cadence",
        "power",
        "vertical_oscillation",
        "stance_time",
        "stance_time_balance",
        "step_length",
        "vertical_ratio",
        "temperature",
    ),
    "lap": (
        "timestamp",
        "start_time",
        "total_elapsed_time",
        "total_timer_time",
        "total_distance",
        "lap_trigger",
        "intensity",
        "wkt_step_index",
        "sport",
    ),
    "event": ("timestamp", "event", "event_type", "timer_trigger"),
    "session": (
        "timestamp",
        "start_time",
        "total_elapsed_time",
        "total_timer_time",
        "total_distance",
        "sport",
        "sub_sport",
    ),
    "file_id": ("type", "manufacturer", "product", "garmin_product", "serial_number", "product_name"),
    "workout": ("wkt_name", "sport", "sub_sport", "num_valid_steps"),
    "workout_step": (
        "message_index",
        "wkt_step_name",
        "duration_type",
        "duration_value",
        "duration_time",
        "duration_distance",
        "duration_step",
        "target_type",
        "target_value",
        "target_speed_zone",
        "repeat_steps",
        "repeat_time",
        "repeat_distance",
        "custom_target_value_low",
        "custom_target_value_high",
        "custom_target_speed_low",
        "custom_target_speed_high",
        "intensity",
        "notes",
    ),
    "sport": ("sport", "sub_sport", "name"),
}

#: Record fields that hold numbers (all of them): decoded into float64 columns, NaN = invalid.
RECORD_FIELDS = WANTED_FIELDS["record"]


@dataclass(frozen=True, slots=True, kw_only=True)
class FitMessages:
    """Decoded messages of one FIT file (all chained parts, in file order).

    Attributes
    ----------
    records
        Column per field of :data:`RECORD_FIELDS`, float64, NaN where invalid or absent.
    messages
        For every other wanted message type, one dict per message holding the wanted fields
        that had a valid value.
    warnings
        One line per problem met while decoding (CRC mismatch, truncation, ...).
    decoder
        Which decoder produced this (``'fitparse'`` or ``'fast'``), and why a fallback happened.
    """

    records: dict[str, np.ndarray]
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    decoder: str = "fitparse"

    @property
    def record_count(self) -> int:
        """Number of record messages."""
        return len(self.records["timestamp"])


#: The warning both decoders give for a file whose CRC does not match (its data are kept).
CRC_WARNING = "file CRC does not match its contents; decoded anyway"


def stopped_early(name: str, kind: str, detail: str, records: int) -> str:
    """The warning for decoding that stopped early, or the error when no record came before.

    Shared by both decoders so that they meet damaged files in the same words.

    Parameters
    ----------
    name
        File name for the error.
    kind
        ``'eof'`` (the file ends), ``'header'`` (a chained part's header is invalid) or
        ``'broken'`` (a message does not decode).
    detail
        What the decoder said.
    records
        Records decoded before the break.

    Raises
    ------
    TruncatedFileError, CorruptFileError
        When ``records`` is 0.
    """
    if kind == "eof":
        if not records:
            raise TruncatedFileError(name, "the file ends before its first record")
        return f"the file ends unexpectedly (truncated?); kept the {records} records before the break"
    if kind == "header":
        if not records:
            raise CorruptFileError(name, f"invalid FIT header ({detail})")
        return f"a chained FIT part has an invalid header; kept the {records} records before it"
    if not records:
        raise CorruptFileError(name, f"undecodable FIT data ({detail})")
    return f"decoding stopped at a broken message ({detail}); kept the {records} records before it"


def malformed_fields_warning(fields: Iterable[tuple[int, int, int, str]]) -> str | None:
    """The one warning for fields declared with a size that is not a multiple of their type.

    Shared by both decoders. ``fields`` holds (message number, field number, declared size
    [bytes], base type name), maybe repeated; ``None`` when there is none.
    """
    distinct = list(dict.fromkeys(fields))
    if not distinct:
        return None
    described = "; ".join(
        f"{_field_name(mesg_num, def_num)} declared {size} byte{'s' if size != 1 else ''} of type '{base_type}'"
        for mesg_num, def_num, size, base_type in distinct
    )
    return f"malformed FIT definition: {described}, not a multiple of the type's size; its values read as invalid"


def _field_name(mesg_num: int, def_num: int) -> str:
    """'event field 3 (data)': message and field by profile name where the profile has them."""
    message = MESSAGES.get(mesg_num)
    if message is None:
        return f"message {mesg_num} field {def_num}"
    spec = message.fields.get(def_num)
    return f"{message.name} field {def_num}" + (f" ({spec.name})" if spec is not None else "")
