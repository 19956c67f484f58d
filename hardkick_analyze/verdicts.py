"""Plain-language verdicts, and whether a session is the hard-kick workout at all."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .models import PlannedRep
from .results import Effort, RepResult, Segmentation, SessionScore
from .session_score import MIN_COOLDOWN_S, MIN_WARMUP_S, NO_WARMUP_S
from .units import format_clock, format_pace
from .workout import planned_text

__all__ = ["is_hard_kick", "session_verdicts", "sparse_recording_warnings"]

#: A hard-kick session has at least this many reps found ...
MIN_REPS = 3
#: ... run at paces this close to each other (coefficient of variation; a first rep 5 % fast
#: and a fade of 2 % a rep stay within it) ...
MAX_PACE_SPREAD = 0.07
#: ... with rests between them no longer than this (the workout rests 1-3 min) [s] ...
MAX_REST_S = 10 * 60.0
#: ... and at least one kick reaching this share of the rep speed on average [%].
MIN_KICK_SPEED_PCT = 110.0
#: More kicks (or sprints) than this are summed up in one sentence.
MAX_KICKS_LISTED = 3
#: A rep whose measured distance is off the planned one by more than this share is flagged.
DISTANCE_MISMATCH_SHARE = 0.1
#: A kick recorded with holes longer than this cannot be timed to a second [s].
SPARSE_KICK_GAP_S = 2.5
#: Reps within this many seconds of the target time count as on target [s] ...
ON_TARGET_S = 2.0
#: ... and reps set by time within this many seconds per km of the target pace [s/km].
ON_TARGET_S_PER_KM = 5.0


def is_hard_kick(segmentation: Segmentation, reps: Sequence[RepResult]) -> bool:
    """Whether the reps found are the hard-kick workout: enough reps at one pace close together,
    ending in at least one real kick (reps without a kick are an interval session, not this one)."""
    if len(reps) < MIN_REPS or any((r.rest_after_s or 0.0) > MAX_REST_S for r in reps):
        return False
    paces = [r.pace_s_per_km for r in reps]
    mean = sum(paces) / len(paces)
    spread = math.sqrt(sum((p - mean) ** 2 for p in paces) / len(paces)) / mean
    kicks = [r.kick for r in reps if r.kick is not None]
    kicked = any(k.speed_vs_rep_pct >= MIN_KICK_SPEED_PCT for k in kicks)
    return spread <= MAX_PACE_SPREAD and kicked


def session_verdicts(
    reps: Sequence[RepResult],
    missing: Sequence[PlannedRep],
    score: SessionScore | None,
    unplanned: Sequence[Effort] = (),
) -> tuple[str, ...]:
    """A few sentences a runner reads first: pacing, kicks, reps missing or beyond the plan,
    distances unlike the plan's, warm-up, form."""
    verdicts = [_pacing(reps)]
    kicks = [(r.index, r.kick) for r in reps if r.kick is not None]
    if len(kicks) > MAX_KICKS_LISTED:
        verdicts.append(_kicks_summary([r for r in reps if r.kick is not None]))
    elif kicks:
        verdicts.append(
            "; ".join(
                f"kick {n} (rep {rep}) {k.avg_speed_mps:.2f} m/s, peak {k.peak_speed_mps:.2f}, faded {k.fade_pct:.0f} %"
                for n, (rep, k) in enumerate(kicks, start=1)
            )
        )
        if len(kicks) >= 2:
            first, last = kicks[0][1], kicks[-1][1]
            if last.fade_pct > first.fade_pct + 3:
                verdicts.append(f"the last kick faded more ({last.fade_pct:.0f} % vs {first.fade_pct:.0f} %)")
    if missing:
        plural = "s" if len(missing) > 1 else ""
        verdicts.append(f"{len(missing)} planned rep{plural} not run ({_describe(missing[0])})")
    if unplanned:
        plural = "s" if len(unplanned) > 1 else ""
        when = ", ".join(format_clock(e.start_s) for e in unplanned[:4])
        verdicts.append(f"{len(unplanned)} rep{plural} beyond the plan (at {when})")
    verdicts += _distance_mismatches(reps)
    if score is not None:
        if score.warmup_s < NO_WARMUP_S:
            verdicts.append("no warm-up in the file: it starts at the first rep (the workout calls for a long one)")
        elif score.warmup_s < MIN_WARMUP_S:
            verdicts.append(f"warm-up only {format_clock(score.warmup_s)}: the workout calls for a long one")
        if score.cooldown_s < MIN_COOLDOWN_S:
            verdicts.append(f"cool-down only {format_clock(score.cooldown_s)}")
    for rep in reps:
        for form, where in (
            (rep.form, f"rep {rep.index}"),
            (rep.kick.form if rep.kick else None, "its kick"),
        ):
            if form is not None and form.breakdown:
                verdicts.append(f"form slipped in {where}: {', '.join(form.notes)}")
    return tuple(v for v in verdicts if v)


def _pacing(reps: Sequence[RepResult]) -> str:
    """How the reps went against their targets: times for reps set by distance, paces for reps
    set by time."""
    scored = [r for r in reps if r.time_error_s is not None or r.pace_error_s_per_km is not None]
    if not scored and all(r.planned.max_effort for r in reps):
        return ""  # sprints are run flat out: their speeds say how they went
    if not scored:
        paces = ", ".join(format_pace(r.pace_s_per_km) for r in reps)
        return f"rep paces {paces} (no target given)"
    on_target = [r for r in scored if _miss(r) <= 1.0]
    if len(on_target) == len(scored):
        return f"reps {_span(scored)} on target"
    worst = max(scored, key=_miss)
    if worst.time_error_s is not None:
        error, unit = worst.time_error_s, "s"
    else:
        error, unit = worst.pace_error_s_per_km or 0.0, "s/km"
    direction = "slow" if error > 0 else "fast"
    return (
        f"{len(on_target)} of {len(scored)} reps on target; "
        f"rep {worst.index} {abs(error):.1f} {unit} {direction} ({format_pace(worst.pace_s_per_km)} "
        f"vs {format_pace(worst.target_pace_s_per_km)})"
    )


def _miss(rep: RepResult) -> float:
    """How far off target a rep was, in units of the tolerance (1 or less: on target)."""
    if rep.time_error_s is not None:
        return abs(rep.time_error_s) / ON_TARGET_S
    return abs(rep.pace_error_s_per_km or 0.0) / ON_TARGET_S_PER_KM


def _kicks_summary(reps: Sequence[RepResult]) -> str:
    """Many kicks or sprints in one sentence: the fastest, the slowest, the typical fade."""
    speed = {r.index: r.kick.avg_speed_mps for r in reps if r.kick is not None}
    fades = [r.kick.fade_pct for r in reps if r.kick is not None]
    fastest, slowest = max(speed, key=speed.__getitem__), min(speed, key=speed.__getitem__)
    what = "sprints" if all(r.planned.max_effort for r in reps) else "kicks"
    return (
        f"{len(speed)} {what}: fastest rep {fastest} at {speed[fastest]:.2f} m/s, "
        f"slowest rep {slowest} at {speed[slowest]:.2f} m/s, median fade {float(np.nanmedian(fades)):.0f} %"
    )


def _distance_mismatches(reps: Sequence[RepResult]) -> list[str]:
    """Reps whose measured distance is far from the planned one (told 400, ran 340)."""
    notes = []
    for rep in reps:
        planned = rep.planned.distance_m
        if planned is None or not math.isfinite(rep.measured_distance_m):
            continue
        if abs(rep.measured_distance_m - planned) > DISTANCE_MISMATCH_SHARE * planned:
            notes.append(f"rep {rep.index} measured {rep.measured_distance_m:.0f} m for a planned {planned:.0f} m")
    return notes


def _span(reps: Sequence[RepResult]) -> str:
    numbers = [r.index for r in reps]
    return f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _describe(rep: PlannedRep) -> str:
    return planned_text(rep)


def sparse_recording_warnings(sample_times_s: np.ndarray, reps: Sequence[RepResult]) -> tuple[str, ...]:
    """Warn when "smart" recording left holes around a kick: its times are then uncertain.

    ``sample_times_s`` are the recorded samples' offsets from the first record [s].
    """
    warnings = []
    kicks = [(rep.index, rep.kick) for rep in reps if rep.kick is not None]
    for number, (rep_index, kick) in enumerate(kicks, start=1):
        around = sample_times_s[
            (sample_times_s >= kick.start_s - SPARSE_KICK_GAP_S) & (sample_times_s <= kick.end_s + SPARSE_KICK_GAP_S)
        ]
        edges = np.concatenate([[kick.start_s - SPARSE_KICK_GAP_S], around, [kick.end_s + SPARSE_KICK_GAP_S]])
        widest = float(np.max(np.diff(edges)))
        if widest > SPARSE_KICK_GAP_S:
            warnings.append(
                f"kick {number} (rep {rep_index}): the watch recorded only every {widest:.0f} s around it "
                f"(smart recording), so its times and speeds are uncertain by about {widest / 2:.0f} s; "
                "record every second for kick sessions"
            )
    return tuple(warnings)
