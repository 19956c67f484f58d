"""The ground truth of a simulated session, by the analysis issue's definitions.

* A rep's ``start_s`` is when the runner crosses its start line (already moving: the speed-up
  begins a second or two before, as on real laps); its ``end_s`` is when the runner has covered
  the planned distance (for a kick rep, the kick's mark). Its pace is its duration over the
  planned distance.
* A kick's ``end_s`` is when the kick distance is covered; its average speed, peak speed and
  fade are measured as :mod:`.kinematics` defines them.
* Every ``*_s`` is seconds of clock time since the timestamp of the file's **first record**
  (pauses included); absolute UTC times are given too.

Reps come in plan order, skipped ones marked ``missing``; an extra rep (``planned_index=None``)
follows the rep it was run after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .kinematics import kick_kinematics
from .trajectory import Phase, Trajectory

__all__ = ["KickTruth", "RepTruth", "SessionTruth", "StrideTruth", "session_truth"]


@dataclass(frozen=True, slots=True, kw_only=True)
class KickTruth:
    """The sprint at the end of a kick rep [s, m, m/s, %]."""

    distance_m: float
    start_s: float
    end_s: float
    start_time: pd.Timestamp
    end_time: pd.Timestamp
    avg_speed_mps: float
    peak_speed_mps: float
    final_speed_mps: float
    fade_pct: float

    @property
    def duration_s(self) -> float:
        """How long the kick took [s]."""
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True, kw_only=True)
class RepTruth:
    """One planned (or extra) rep: its paced part, and its kick if it has one.

    ``number`` counts the reps actually run (0-based; ``None`` when missing). Times are
    ``None`` for a missing rep.
    """

    number: int | None
    planned_index: int | None
    distance_m: float
    planned_pace_s_per_km: float | None
    kick_m: float
    missing: bool
    start_s: float | None = None
    end_s: float | None = None
    start_time: pd.Timestamp | None = None
    end_time: pd.Timestamp | None = None
    kick: KickTruth | None = None

    @property
    def duration_s(self) -> float | None:
        """Time taken by the paced part [s]."""
        return None if self.start_s is None or self.end_s is None else self.end_s - self.start_s

    @property
    def pace_s_per_km(self) -> float | None:
        """True pace of the paced part: its duration over the planned distance [s/km]."""
        duration = self.duration_s
        return None if duration is None else 1000.0 * duration / self.distance_m


@dataclass(frozen=True, slots=True, kw_only=True)
class StrideTruth:
    """A warm-up stride: a short acceleration that looks like a kick but is no rep [s, m, m/s]."""

    start_s: float
    end_s: float
    distance_m: float
    peak_speed_mps: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionTruth:
    """Everything true about a simulated session that an analysis should recover.

    Attributes
    ----------
    scenario, seed
        Which scenario and seed produced it.
    workout_spec
        The planned workout's spec.
    first_record_time
        Timestamp of the file's first record, the origin of every ``*_s`` [UTC].
    reps
        Planned reps in plan order (skipped ones ``missing``), extra reps after the one they
        followed.
    strides
        Warm-up strides.
    duration_s, distance_m
        Length of the session [s] and the true distance covered [m].
    """

    scenario: str | None
    seed: int
    workout_spec: str
    first_record_time: pd.Timestamp
    reps: tuple[RepTruth, ...]
    strides: tuple[StrideTruth, ...]
    duration_s: float
    distance_m: float

    @property
    def missing_planned_indices(self) -> tuple[int, ...]:
        """Planned reps that were not run."""
        return tuple(r.planned_index for r in self.reps if r.missing and r.planned_index is not None)

    @property
    def run_reps(self) -> tuple[RepTruth, ...]:
        """The reps actually run, in order."""
        return tuple(r for r in self.reps if not r.missing)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: times as ISO 8601 UTC, seconds to 0.1 ms, speeds to 1 mm/s."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "workout_spec": self.workout_spec,
            "first_record_time": _iso(self.first_record_time),
            "time_origin": "seconds since first_record_time, pauses included",
            "duration_s": round(self.duration_s, 4),
            "distance_m": round(self.distance_m, 3),
            "missing_planned_indices": list(self.missing_planned_indices),
            "reps": [_rep_dict(r) for r in self.reps],
            "strides": [
                {
                    "start_s": round(s.start_s, 4),
                    "end_s": round(s.end_s, 4),
                    "distance_m": round(s.distance_m, 3),
                    "peak_speed_mps": round(s.peak_speed_mps, 3),
                }
                for s in self.strides
            ],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text, ending with a newline."""
        return json.dumps(self.to_dict(), indent=2) + "\n"


def session_truth(
    trajectory: Trajectory,
    workout_spec: str,
    planned: tuple[tuple[float | None, float | None, float], ...],
    first_record_time: pd.Timestamp,
    start_time: pd.Timestamp,
    *,
    seed: int,
    scenario: str | None = None,
) -> SessionTruth:
    """Build the truth of a session from its trajectory.

    Parameters
    ----------
    trajectory
        The true motion (times since ``start_time``).
    workout_spec
        The workout's spec, for the record.
    planned
        Per planned rep: (distance [m] or None for a timed rep, pace [s/km] or None, kick [m]);
        a timed rep's true distance is the distance run.
    first_record_time
        Timestamp of the recording's first record [UTC].
    start_time
        When the trajectory's clock reads 0 [UTC].
    seed, scenario
        Provenance.
    """
    timing = _Timing(shift_s=(first_record_time - start_time).total_seconds(), start_time=start_time)
    run = {p.planned_index: p for p in trajectory.phases_of("rep") if p.planned_index is not None}
    extras = _extras_by_predecessor(trajectory)
    runs_by_number = {phase.rep: r for phase, r in zip(trajectory.phases_of("rep"), trajectory.reps, strict=True)}

    def extra_truths(after: int) -> list[RepTruth]:
        found = []
        for phase in extras.get(after, []):
            r = runs_by_number[phase.rep]
            found.append(_rep_truth(trajectory, timing, phase, None, (r.distance_m, r.planned_pace_s_per_km, r.kick_m)))
        return found

    reps = extra_truths(-1)
    for index, plan in enumerate(planned):
        phase = run.get(index)
        reps.append(
            _missing_truth(index, plan) if phase is None else _rep_truth(trajectory, timing, phase, index, plan)
        )
        reps += extra_truths(index)
    return SessionTruth(
        scenario=scenario,
        seed=seed,
        workout_spec=workout_spec,
        first_record_time=first_record_time,
        reps=tuple(reps),
        strides=_stride_truths(trajectory, timing),
        duration_s=trajectory.duration_s - timing.shift_s,
        distance_m=float(trajectory.distance_m[-1]),
    )


@dataclass(frozen=True, slots=True)
class _Timing:
    """From the trajectory's clock to the truth's: seconds since the first record, and UTC times."""

    shift_s: float
    start_time: pd.Timestamp

    def since_first_record(self, seconds: float) -> float:
        return seconds - self.shift_s

    def clock(self, seconds: float) -> pd.Timestamp:
        return self.start_time + pd.Timedelta(seconds=seconds)


def _extras_by_predecessor(trajectory: Trajectory) -> dict[int, list[Phase]]:
    """Extra reps (no planned index) by the planned rep run before them; -1 before any."""
    extras: dict[int, list[Phase]] = {}
    last_planned: int | None = None
    for phase in trajectory.phases_of("rep"):
        if phase.planned_index is None:
            extras.setdefault(-1 if last_planned is None else last_planned, []).append(phase)
        else:
            last_planned = phase.planned_index
    return extras


def _missing_truth(index: int, plan: tuple[float | None, float | None, float]) -> RepTruth:
    """A planned rep the runner skipped."""
    distance, pace, kick_m = plan
    return RepTruth(
        number=None,
        planned_index=index,
        distance_m=distance if distance is not None else 0.0,
        planned_pace_s_per_km=pace,
        kick_m=kick_m,
        missing=True,
    )


def _rep_truth(
    trajectory: Trajectory,
    timing: _Timing,
    phase: Phase,
    index: int | None,
    plan: tuple[float | None, float | None, float],
) -> RepTruth:
    """A rep that was run; ``plan`` is (distance [m] or None when timed, pace [s/km], kick [m])."""
    distance, pace, kick_m = plan
    kick = next((k for k in trajectory.phases_of("kick") if k.rep == phase.rep), None)
    return RepTruth(
        number=phase.rep,
        planned_index=index,
        distance_m=distance if distance is not None else phase.end_m - phase.start_m,
        planned_pace_s_per_km=pace,
        kick_m=kick_m,
        missing=False,
        start_s=timing.since_first_record(phase.start_s),
        end_s=timing.since_first_record(phase.end_s),
        start_time=timing.clock(phase.start_s),
        end_time=timing.clock(phase.end_s),
        kick=None if kick is None else _kick_truth(trajectory, kick, kick_m, timing),
    )


def _stride_truths(trajectory: Trajectory, timing: _Timing) -> tuple[StrideTruth, ...]:
    return tuple(
        StrideTruth(
            start_s=timing.since_first_record(p.start_s),
            end_s=timing.since_first_record(p.end_s),
            distance_m=p.end_m - p.start_m,
            peak_speed_mps=float(
                trajectory.speed_mps[(trajectory.t_s >= p.start_s) & (trajectory.t_s <= p.end_s)].max()
            ),
        )
        for p in trajectory.phases_of("stride")
    )


def _kick_truth(trajectory: Trajectory, phase: Phase, kick_m: float, timing: _Timing) -> KickTruth:
    measured = kick_kinematics(trajectory.t_s, trajectory.distance_m, trajectory.speed_mps, phase.start_s, kick_m)
    return KickTruth(
        distance_m=kick_m,
        start_s=timing.since_first_record(phase.start_s),
        end_s=timing.since_first_record(phase.end_s),
        start_time=timing.clock(phase.start_s),
        end_time=timing.clock(phase.end_s),
        avg_speed_mps=kick_m / (phase.end_s - phase.start_s),
        peak_speed_mps=measured.peak_speed_mps,
        final_speed_mps=measured.final_speed_mps,
        fade_pct=measured.fade_pct,
    )


def _iso(when: pd.Timestamp | None) -> str | None:
    if when is None:
        return None
    return when.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _rep_dict(rep: RepTruth) -> dict[str, Any]:
    out: dict[str, Any] = {
        "number": rep.number,
        "planned_index": rep.planned_index,
        "distance_m": rep.distance_m,
        "planned_pace_s_per_km": rep.planned_pace_s_per_km,
        "kick_m": rep.kick_m,
        "missing": rep.missing,
    }
    if rep.start_s is None or rep.end_s is None:
        return out
    duration = rep.end_s - rep.start_s
    out |= {
        "start_s": round(rep.start_s, 4),
        "end_s": round(rep.end_s, 4),
        "duration_s": round(duration, 4),
        "pace_s_per_km": round(1000.0 * duration / rep.distance_m, 3),
        "start_time": _iso(rep.start_time),
        "end_time": _iso(rep.end_time),
        "kick": None,
    }
    if rep.kick is not None:
        kick = rep.kick
        out["kick"] = {
            "distance_m": kick.distance_m,
            "start_s": round(kick.start_s, 4),
            "end_s": round(kick.end_s, 4),
            "duration_s": round(kick.duration_s, 4),
            "start_time": _iso(kick.start_time),
            "end_time": _iso(kick.end_time),
            "avg_speed_mps": round(kick.avg_speed_mps, 4),
            "peak_speed_mps": round(kick.peak_speed_mps, 4),
            "final_speed_mps": round(kick.final_speed_mps, 4),
            "fade_pct": round(kick.fade_pct, 3),
        }
    return out
