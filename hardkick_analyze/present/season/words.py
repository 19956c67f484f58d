"""The season in words for a runner or a coach: workout names, what changed, the goal, the flags.

Every pace is formatted here (in ``units``: ``'km'`` or ``'mi'``); the season package hands over
numbers only.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ...models import PlannedRep, Workout
from ...season.checks import BASE_WEEKS, MIN_BASE_KM_PER_WEEK, Flag, NextDay, SessionCheck
from ...season.fitness import SeasonFitness
from ...season.groups import MetricTrend, RepSize, WorkoutGroup
from ...season.review import SeasonResult
from ...session_score import MIN_COOLDOWN_S, MIN_WARMUP_S, NO_WARMUP_S
from ...units import METRES_PER_MILE, format_clock, format_pace
from ...workout import describe_workout, parse_workout

__all__ = [
    "MODEL_NAME",
    "MODEL_NOTES",
    "base_text",
    "count_text",
    "day_after_text",
    "day_text",
    "fitness_sentence",
    "flag_text",
    "group_label",
    "group_sentence",
    "pace_difference",
    "season_sentences",
    "spread_text",
]

#: The fitness model, as the report names it.
MODEL_NAME = "Daniels' VDOT"
#: Words for a difference of one measure (a difference and the units -> words).
WordsFor = Callable[[float, str], str]
#: Differences smaller than these read as "the same" [s/km, bpm].
_SAME_PACE_S_PER_KM = 1.0
_SAME_HEART_RATE_BPM = 1.0


def day_text(when: pd.Timestamp | None) -> str:
    """``'11 May 2021'`` (UTC), ``'-'`` for no date."""
    if when is None:
        return "-"
    return f"{when.day} {when:%b %Y}"


def pace_difference(delta_s_per_km: float, units: str = "km") -> str:
    """``-3.2`` -> ``'3 s/km faster'``; under a second, ``'the same pace'``."""
    per_unit = delta_s_per_km * (METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
    if abs(per_unit) < _SAME_PACE_S_PER_KM:
        return "the same pace"
    return f"{abs(per_unit):.0f} s/{units} {'faster' if per_unit < 0 else 'slower'}"


def group_label(group: WorkoutGroup) -> str:
    """The workout as a runner names it: ``'5-6x400 m (jog)'``, ``'hard kick 500'``, ``'4x800 m; 7x400 m (rest)'``."""
    if group.preset is not None:
        text = describe_workout(parse_workout(group.preset))
    else:
        text = "; ".join(
            _block_text(block, fewest, most)
            for block, (fewest, most) in zip(group.shape, group.block_reps, strict=True)
        )
    return text + (f" ({group.recovery})" if group.recovery else "")


def _block_text(block: RepSize, fewest: int, most: int) -> str:
    """``'5-6x400 m'``, ``'4x800 m'``, ``'600 m'``: the reps of one block as a runner counts them."""
    rep = _rep(block)
    if most <= 1:
        return describe_workout(Workout(spec="", reps=(rep,)))
    text = describe_workout(Workout(spec="", reps=(rep,) * most))
    return f"{fewest}-{text}" if fewest != most else text


def group_sentence(group: WorkoutGroup, units: str = "km") -> str:
    """What changed in a workout since its first session and since the one before the latest."""
    latest = group.sessions[-1]
    pace = format_pace(latest.rep_pace_s_per_km, units)
    if len(group.sessions) == 1:
        parts = [f"Once, on {day_text(latest.start_time)}: reps at {pace}"]
        if latest.rep_spread_s_per_km is not None:
            parts.append(f"{spread_text(latest.rep_spread_s_per_km, units)} between the fastest and the slowest")
        if latest.heart_rate_bpm is not None:
            parts.append(f"heart rate {latest.heart_rate_bpm:.0f} bpm")
        return ", ".join(parts) + "."
    first = group.sessions[0]
    head = (
        f"{len(group.sessions)} sessions from {day_text(first.start_time)} to {day_text(latest.start_time)}. "
        f"Latest: reps at {pace}"
    )
    parts = [head + _since(group.pace, units, _pace_words)]
    if group.spread is not None:
        parts.append(f"spread {spread_text(group.spread.latest, units)}" + _since(group.spread, units, _spread_words))
    if group.heart_rate is not None:
        parts.append(f"heart rate {group.heart_rate.latest:.0f} bpm" + _since(group.heart_rate, units, _beats_words))
    if group.kick_speed is not None:
        parts.append(f"kicks at {group.kick_speed.latest:.2f} m/s" + _since(group.kick_speed, units, _speed_words))
    if group.kick_fade is not None:
        parts.append(f"fading {group.kick_fade.latest:.0f} %" + _since(group.kick_fade, units, _fade_words))
    verdict = _heart_rate_verdict(group)
    return "; ".join(parts) + "." + (f" {verdict}" if verdict else "")


def fitness_sentence(fitness: SeasonFitness) -> str:
    """The goal sentence: on course or not, the estimate and its range, the model."""
    if fitness.time_5k_s is None:
        return "No interval session had reps long enough (45 s or more) to estimate a 5 km time."
    estimate = (
        f"5 km in about {format_clock(fitness.time_5k_s)} "
        f"({format_clock(fitness.time_5k_fast_s)}-{format_clock(fitness.time_5k_slow_s)}, {MODEL_NAME})"
    )
    goal = format_clock(fitness.goal_5k_s)
    if fitness.status == "on course":
        return f"Your interval sessions say you are on course for {goal}: {estimate}."
    if fitness.status == "ahead":
        return f"Your interval sessions say you are ahead of your {goal} goal: {estimate}."
    if fitness.status == "behind":
        reach = (
            f"; at the season's trend you get there around {day_text(fitness.goal_reached_at)}"
            if fitness.goal_reached_at is not None
            else ""
        )
        return f"Your interval sessions say you are not yet on course for {goal}: {estimate}{reach}."
    return f"Your interval sessions put you at {estimate}; give --goal-5k or a plan to set a goal."


def season_sentences(result: SeasonResult, units: str = "km") -> tuple[str, str, str]:
    """The season in three sentences: what it holds, the workout done most, the goal."""
    return (_holds(result), _most_done(result, units), fitness_sentence(result.review.fitness))


def flag_text(flag: Flag, check: SessionCheck, units: str = "km") -> str:
    """One flag for a person (the session's date and file are shown beside it)."""
    if flag.code == "hard_next_day":
        return f"hard session the next day: {day_after_text(check, units)}"
    if flag.code == "thin_base":
        return f"thin base: {check.base_km_per_week:.1f} km/week of running before (at least {MIN_BASE_KM_PER_WEEK:g})"
    if flag.code == "short_warmup":
        if (check.warmup_s or 0.0) < NO_WARMUP_S:
            # Many runners start the watch at the first rep: say what the file shows, not what was run.
            return f"no warm-up in the file: it starts at the first rep (at least {format_clock(MIN_WARMUP_S)})"
        return f"warm-up only {format_clock(check.warmup_s)} (at least {format_clock(MIN_WARMUP_S)})"
    if flag.code == "short_cooldown":
        return f"cool-down only {format_clock(check.cooldown_s)} (at least {format_clock(MIN_COOLDOWN_S)})"
    raise ValueError(f"unknown flag {flag.code!r}")


def day_after_text(check: SessionCheck, units: str = "km") -> str:
    """What the day after held, for a person."""
    if check.day_after == "rest":
        return "no activity recorded"
    if check.day_after == "unknown":
        return "the folder holds no everyday activities around that day"
    hard = [n for n in check.next_day if n.not_recovery is not None]
    if hard:
        return "; ".join(f"{_why_not_recovery(n, check, units)} ({n.source})" for n in hard)
    return ", ".join(_run_text(n, units) for n in check.next_day)


def base_text(check: SessionCheck) -> str:
    """The base before a session, or why it could not be judged."""
    if check.base_km_per_week is not None:
        return f"{check.base_km_per_week:.1f} km/week"
    missing = sum(w is None for w in check.weekly_run_km)
    return f"could not judge: the folder holds no everyday activities in {missing} of the {BASE_WEEKS} weeks before"


def _holds(result: SeasonResult) -> str:
    counts = {kind: len(result.of_kind(kind)) for kind in ("interval", "run", "other", "failed")}
    dated = [r.start_time for r in result.records if r.start_time is not None]
    workouts = len(result.review.groups)
    text = (
        f"{count_text(counts['interval'], 'interval session')} in {count_text(workouts, 'workout')}, "
        f"{count_text(counts['run'], 'run')} without reps and "
        f"{count_text(counts['other'], 'other activity', 'other activities')}"
    )
    if dated:
        text += f" from {day_text(min(dated))} to {day_text(max(dated))}"
    if counts["failed"]:
        text += f"; {count_text(counts['failed'], 'file')} could not be read"
    return text + "."


def _most_done(result: SeasonResult, units: str) -> str:
    repeated = [g for g in result.review.groups if len(g.sessions) >= 2]
    if not repeated:
        if result.review.groups:
            return "No workout was repeated: each interval session is its own."
        return "There are no interval sessions in these files."
    group = repeated[0]
    first, latest = group.sessions[0], group.sessions[-1]
    text = (
        f"The workout done most ({len(group.sessions)} times), {group_label(group)}, went from "
        f"{format_pace(first.rep_pace_s_per_km, units)} to {format_pace(latest.rep_pace_s_per_km, units)} mean rep pace"
    )
    if first.heart_rate_bpm is not None and latest.heart_rate_bpm is not None:
        text += f" at {_beats(latest.heart_rate_bpm - first.heart_rate_bpm)} heart rate"
    return text + "."


def _rep(block: RepSize) -> PlannedRep:
    if block.unit == "m":
        return PlannedRep(distance_m=block.amount, kind=block.kind, kick_m=block.kick_m)
    return PlannedRep(duration_s=block.amount, kind=block.kind, kick_m=block.kick_m)


def _since(trend: MetricTrend | None, units: str, words: WordsFor) -> str:
    if trend is None:
        return ""
    first = _versus(words(trend.since_first, units), "the first")
    previous = _versus(words(trend.since_previous, units), "the one before")
    return f" ({first}, {previous})"


def _versus(difference: str, whom: str) -> str:
    return f"the same as {whom}" if difference == "the same" else f"{difference} than {whom}"


def _pace_words(delta: float, units: str) -> str:
    return pace_difference(delta, units).replace("the same pace", "the same")


def _spread_words(delta: float, units: str) -> str:
    text = pace_difference(delta, units)
    return text.replace("faster", "tighter").replace("slower", "wider").replace("the same pace", "the same")


def _beats_words(delta: float, units: str) -> str:
    return _beats(delta).replace(" heart rate", "")


def _speed_words(delta: float, units: str) -> str:
    if abs(delta) < 0.05:
        return "the same"
    return f"{abs(delta):.2f} m/s {'faster' if delta > 0 else 'slower'}"


def _fade_words(delta: float, units: str) -> str:
    if abs(delta) < 1.0:
        return "the same"
    return f"{abs(delta):.0f} points {'more' if delta > 0 else 'less'}"


def _beats(delta_bpm: float) -> str:
    if abs(delta_bpm) < _SAME_HEART_RATE_BPM:
        return "the same"
    return f"{abs(delta_bpm):.0f} bpm {'higher' if delta_bpm > 0 else 'lower'}"


def _heart_rate_verdict(group: WorkoutGroup) -> str:
    """The same pace (or faster) at a lower heart rate is progress; slower at a higher one is not."""
    if group.pace is None or group.heart_rate is None:
        return ""
    pace, beats = group.pace.since_first, group.heart_rate.since_first
    if pace <= _SAME_PACE_S_PER_KM and beats <= -_SAME_HEART_RATE_BPM:
        return "As fast or faster at a lower heart rate than the first time: progress."
    if pace >= -_SAME_PACE_S_PER_KM and beats >= _SAME_HEART_RATE_BPM:
        return "As slow or slower at a higher heart rate than the first time: tired, ill, hot, or losing fitness."
    return ""


def spread_text(spread_s_per_km: float, units: str = "km") -> str:
    """A spread of paces in ``units``: ``'4 s/km'``."""
    per_unit = spread_s_per_km * (METRES_PER_MILE / 1000.0 if units == "mi" else 1.0)
    return f"{per_unit:.0f} s/{units}"


def _why_not_recovery(day: NextDay, check: SessionCheck, units: str) -> str:
    if day.not_recovery == "hard session":
        return "another hard session"
    if day.not_recovery == "other sport":
        return f"{day.sport or 'another sport'} activity, not rest or an easy run"
    if day.not_recovery == "fast":
        return (
            f"run at {format_pace(day.pace_s_per_km, units)}, "
            f"faster than easy ({format_pace(check.easy_pace_s_per_km, units)})"
        )
    return f"{format_clock(day.duration_s)} run, longer than a recovery run"


def _run_text(day: NextDay, units: str) -> str:
    pace = f" at {format_pace(day.pace_s_per_km, units)}" if day.pace_s_per_km is not None else ""
    return f"{format_clock(day.duration_s)} run{pace} ({day.source})"


def count_text(number: int, singular: str, plural: str | None = None) -> str:
    """``'1 run'``, ``'2 runs'``, ``'3 other activities'`` (with ``plural``)."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


#: How the 5 km estimate is made and what it cannot see, for the report's last section.
MODEL_NOTES = (
    "The 5 km estimate reads each interval session's reps with Daniels' VDOT (J. Daniels and J. Gilbert, "
    "Oxygen Power, 1979; J. Daniels, Daniels' Running Formula, 3rd ed., 2014): running at a speed costs a "
    "known amount of oxygen, and a race of a given length is run at a known share of VO2max, so one race "
    "gives the VDOT and the VDOT gives the time of any other race.",
    "Reps are no race. Daniels prescribes each kind of rep at the pace of a race, and the estimate reads that "
    "backwards: R reps (under 2 min, with at least twice as long to recover) are taken as run between 1500 m "
    "and 3000 m race pace, I reps (2-6 min, or shorter with shorter recoveries) between 3000 m and 5000 m "
    "race pace, T reps (6 min or more) between 10 km and half-marathon race pace. The two ends give the "
    "range (widened by twice the standard error of the reps' mean pace, at least 1 %), the distance between "
    "them the estimate; the season's estimate is the median of the sessions of "
    "its last 4 weeks, and its trend a least-squares fit over the season.",
    "Limits: it assumes the reps were run as Daniels prescribes. Reps run easier than that, or to a target "
    "pace set from a goal, say less than the runner can do; reps raced say more. Strides, sprints and kicks "
    "measure speed, not aerobic fitness, and are left out, as are reps under 45 s. Heat, hills, wind, a track "
    "or a road, and a tired runner are not seen. Daniels' equations are fitted on races of about 3.5 min to "
    "4 hours by trained runners.",
)
