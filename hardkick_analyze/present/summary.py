"""The JSON contract of one session as typed values: what the season (and any reader of ``--json``) works on.

:class:`SessionSummary` mirrors :func:`hardkick_analyze.present.report_json.report_to_dict` field for
field: ``SessionSummary.from_dict(report_to_dict(r)).to_dict() == report_to_dict(r)``. The field
names are the JSON keys, so a key renamed in the contract makes :meth:`SessionSummary.from_dict`
fail loudly (the round-trip test catches it) instead of leaving a reader with empty values.
Numbers are in the units their names say; None where the contract has null.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import pandas as pd

from ..results import SessionReport
from .report_json import SCHEMA_VERSION, report_to_dict

__all__ = [
    "EffortSummary",
    "FormSummary",
    "KickSummary",
    "MissingRep",
    "PlannedSummary",
    "RecoverySummary",
    "RepSummary",
    "ScoreSummary",
    "SegmentationSummary",
    "SessionSummary",
    "SpeedBinSummary",
    "SummaryError",
    "TrackSummary",
    "WorkoutSummary",
]

#: A segmentation diagnostic: one of the path's thresholds or costs.
Diagnostic = int | float | str | None
_T = TypeVar("_T")


class SummaryError(ValueError):
    """A session's JSON does not follow the contract (a key missing, a value of the wrong type)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RecoverySummary:
    """The planned recovery after a rep: a distance or a duration, and how it is spent."""

    distance_m: float | None
    duration_s: float | None
    activity: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedSummary:
    """One planned rep: its distance or duration, kick, pace, kind (``work``, ``stride``, ``sprint``) and recovery."""

    distance_m: float | None
    duration_s: float | None
    kick_m: float
    pace_s_per_km: float | None
    max_effort: bool
    kind: str
    recovery: RecoverySummary | None

    @property
    def size(self) -> tuple[str, float]:
        """What the rep is prescribed by: (``'m'``, distance) or (``'s'``, duration)."""
        if self.distance_m is not None:
            return ("m", self.distance_m)
        return ("s", self.duration_s if self.duration_s is not None else 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkoutSummary:
    """The plan the reps were matched to, where it came from, and the target pace."""

    plan_source: str
    spec: str
    name: str | None
    target_pace_s_per_km: float | None
    target_pace_source: str
    planned: tuple[PlannedSummary, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FormSummary:
    """Running form at the start vs the end of an effort [% of the start value]."""

    cadence_change_pct: float | None
    step_length_change_pct: float | None
    ground_contact_change_pct: float | None
    vertical_oscillation_change_pct: float | None
    breakdown: bool
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeedBinSummary:
    """Speed over one distance bin of a kick."""

    from_m: float
    to_m: float
    speed_mps: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class KickSummary:
    """How one kick went (see :class:`hardkick_analyze.results.KickResult`)."""

    start_s: float | None
    end_s: float | None
    duration_s: float | None
    distance_m: float | None
    measured_distance_m: float | None
    gps_distance_m: float | None
    distance_error_m: float | None
    avg_speed_mps: float | None
    peak_speed_mps: float | None
    final_speed_mps: float | None
    fade_pct: float | None
    time_to_peak_s: float | None
    distance_to_peak_m: float | None
    speed_vs_rep_pct: float | None
    bins: tuple[SpeedBinSummary, ...]
    form: FormSummary | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RepSummary:
    """How one rep went (see :class:`hardkick_analyze.results.RepResult`); ``kind`` is ``kick`` for a work rep
    ending in a kick."""

    index: int
    kind: str
    planned: PlannedSummary
    start_s: float | None
    end_s: float | None
    duration_s: float | None
    distance_m: float | None
    measured_distance_m: float | None
    gps_distance_m: float | None
    distance_error_m: float | None
    pace_s_per_km: float | None
    target_pace_s_per_km: float | None
    pace_error_s_per_km: float | None
    time_error_s: float | None
    first_half_s: float | None
    second_half_s: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    heart_rate_drop_60s_bpm: float | None
    rest_after_s: float | None
    form: FormSummary | None
    boundaries: Mapping[str, str]
    kick: KickSummary | None

    @property
    def is_work(self) -> bool:
        """A rep of the workout proper (``work`` or ``kick``), not a stride or a sprint."""
        return self.kind in ("work", "kick")


@dataclass(frozen=True, slots=True, kw_only=True)
class MissingRep:
    """A planned rep the analysis did not find."""

    planned: PlannedSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class EffortSummary:
    """A fast stretch that matched no planned rep."""

    start_s: float | None
    end_s: float | None
    distance_m: float | None
    mean_speed_mps: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackSummary:
    """The 400 m track the positions fit, and the correction made on it."""

    centre_lat_deg: float
    centre_lon_deg: float
    bearing_deg: float
    direction: str
    scale: float
    lane: int
    lane_probability: float
    lanes: tuple[int, ...]
    residual_rms_m: float
    on_track_share: float
    coverage: float
    laps: float
    quality: float
    source: str
    on_track_m: float
    device_scale: float | None
    rep_error_pct: float
    rep_error_m: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentationSummary:
    """How the reps were found and what was measured about the watch.

    ``diagnostics`` are the path's thresholds and costs; the JSON writes them among the other
    keys of ``segmentation``, so every key not named here is one.
    """

    method: str
    speed_source: str
    speed_lag_s: float
    distance_lag_s: float
    lag_correlation: float | None
    distance_scale: float | None
    speed_scale: float | None
    sharp_reps: int
    start_line_m: float | None
    diagnostics: Mapping[str, Diagnostic] = field(default_factory=lambda: MappingProxyType({}))
    track_corrected: bool
    track: TrackSummary | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreSummary:
    """The 0-100 score, its components, and the session-level numbers behind them."""

    total: float
    components: Mapping[str, float]
    mean_pace_error_s_per_km: float | None
    mean_abs_pace_error_s_per_km: float | None
    pace_consistency_s_per_km: float | None
    kick_decrement_pct: float | None
    warmup_s: float | None
    cooldown_s: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSummary:
    """One analysed session as the JSON contract states it (see :mod:`hardkick_analyze.present.report_json`).

    ``structure`` is what the session was in runners' words (None with no reps).
    """

    schema_version: str
    source: str
    format: str
    start_time: pd.Timestamp
    structure: str | None
    workout: WorkoutSummary
    segmentation: SegmentationSummary
    is_hard_kick: bool
    reps: tuple[RepSummary, ...]
    missing_reps: tuple[MissingRep, ...]
    extra_efforts: tuple[EffortSummary, ...]
    score: ScoreSummary | None
    verdicts: tuple[str, ...]
    warnings: tuple[str, ...]

    @classmethod
    def from_report(cls, report: SessionReport) -> SessionSummary:
        """The summary of an analysed session, exactly as ``--json`` states it."""
        return cls.from_dict(report_to_dict(report))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionSummary:
        """Read the JSON contract; raises :class:`SummaryError` naming the first key that does not follow it."""
        version = data.get("schema_version") if isinstance(data, Mapping) else None
        if not isinstance(version, str) or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise SummaryError(f"schema_version: expected {SCHEMA_VERSION}, got {version!r}")
        return _from_dict(cls, data, "")

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (plain values only), as :func:`.report_json.report_to_dict` writes it."""
        encoded = _encode(self)
        if not isinstance(encoded, dict):
            raise TypeError("a summary encodes to a dict")
        return encoded

    @property
    def work_reps(self) -> tuple[RepSummary, ...]:
        """The reps of the workout proper: no strides, no sprints."""
        return tuple(r for r in self.reps if r.is_work)

    @property
    def kicks(self) -> tuple[KickSummary, ...]:
        """The kicks of the session's reps, in order."""
        return tuple(r.kick for r in self.reps if r.kick is not None)


def _encode(value: object) -> object:
    """A summary value as plain JSON values: dataclasses as dicts in field order, tuples as lists."""
    if isinstance(value, SegmentationSummary):
        plain: dict[str, object] = {}
        for item in dataclasses.fields(value):
            if item.name == "diagnostics":
                plain.update(value.diagnostics)
            else:
                plain[item.name] = _encode(getattr(value, item.name))
        return plain
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _encode(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


# Field types by class, resolved once: a season reads thousands of reps.
_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def _from_dict(cls: type[_T], data: object, where: str) -> _T:
    if not isinstance(data, Mapping):
        raise SummaryError(f"{where or 'session'}: expected an object, got {type(data).__name__}")
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for name, hint in hints.items():
        here = f"{where}.{name}" if where else name
        if cls is SegmentationSummary and name == "diagnostics":
            known = set(hints) - {"diagnostics"}
            diagnostic = _decoder(Diagnostic)
            values[name] = MappingProxyType(
                {k: diagnostic(v, f"{where}.{k}") for k, v in data.items() if k not in known}
            )
            continue
        if name not in data:
            raise SummaryError(f"{here}: missing")
        values[name] = _decoder(hint)(data[name], here)
    return cls(**values)


#: A decoder by field type, made once: a season reads tens of thousands of values, and working out
#: what a type hint asks for each time took most of the reading.
_DECODERS: dict[Any, Callable[[object, str], Any]] = {}


def _decoder(hint: Any) -> Callable[[object, str], Any]:
    """What turns a JSON value into ``hint``'s type (a value and where it is, for errors)."""
    if hint not in _DECODERS:
        _DECODERS[hint] = _made_decoder(hint)
    return _DECODERS[hint]


def _made_decoder(hint: Any) -> Callable[[object, str], Any]:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return _union_decoder(get_args(hint))
    if origin is tuple:
        item = _decoder(get_args(hint)[0])

        def decode_tuple(value: object, where: str) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise SummaryError(f"{where}: expected a list, got {type(value).__name__}")
            return tuple(item(v, f"{where}[{i}]") for i, v in enumerate(value))

        return decode_tuple
    if origin is Mapping:
        entry = _decoder(get_args(hint)[1])

        def decode_mapping(value: object, where: str) -> Mapping[str, Any]:
            if not isinstance(value, Mapping):
                raise SummaryError(f"{where}: expected an object, got {type(value).__name__}")
            return MappingProxyType({str(k): entry(v, f"{where}.{k}") for k, v in value.items()})

        return decode_mapping
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(_from_dict, hint)
    return functools.partial(_scalar, hint)


def _union_decoder(args: tuple[Any, ...]) -> Callable[[object, str], Any]:
    optional = type(None) in args
    options = [_decoder(a) for a in args if a is not type(None)]

    def decode_union(value: object, where: str) -> Any:
        if value is None and optional:
            return None
        if len(options) == 1:
            return options[0](value, where)
        for option in options:
            try:
                return option(value, where)
            except SummaryError:
                continue
        raise SummaryError(f"{where}: unexpected {value!r}")

    return decode_union


def _scalar(hint: Any, value: object, where: str) -> Any:
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint in (bool, str) and isinstance(value, hint):
        return value
    if hint is pd.Timestamp and isinstance(value, str):
        try:
            stamp = pd.Timestamp(value)
        except ValueError:
            raise SummaryError(f"{where}: not a time: {value!r}") from None
        return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    raise SummaryError(f"{where}: expected {getattr(hint, '__name__', hint)}, got {value!r}")
