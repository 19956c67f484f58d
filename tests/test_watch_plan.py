"""The watch's planned workout: FIT workout steps read with their repeats, expanded into reps."""

from __future__ import annotations

import json

import pytest

from hardkick_analyze import read_activity
from hardkick_analyze.models import PlannedRep, Recovery, WorkoutStep
from hardkick_analyze.watch_plan import expand_steps, workout_from_steps, workout_from_title
from hardkick_analyze.workout import parse_workout

from .conftest import CORPUS, INTERVALS


def _step(index: int, intensity: str | None, kind: str, value: float | None = None, **more) -> WorkoutStep:
    return WorkoutStep(index=index, intensity=intensity, duration_type=kind, duration_value=value, **more)


def _repeat(index: int, start: int, count: int) -> WorkoutStep:
    return WorkoutStep(
        index=index, duration_type="repeat_until_steps_cmplt", repeat_from_step=start, repeat_count=count
    )


# The run-stats session: open warm-up, 6 x (400 m, 200 m jog), open cool-down.
SIX_BY_400 = (
    _step(0, "warmup", "open"),
    _step(1, "active", "distance", 400.0),
    _step(2, "recovery", "distance", 200.0),
    _repeat(3, 1, 6),
    _step(4, "cooldown", "open"),
)


def test_a_repeat_block_runs_its_count_in_all():
    run = [step.index for step, _ in expand_steps(SIX_BY_400)]
    assert run == [0, *[1, 2] * 6, 4]
    workout = workout_from_steps(SIX_BY_400, "Intervall 6x400m")
    assert workout is not None
    assert _sizes(workout) == _sizes(parse_workout("6x400"))
    assert workout.reps == (PlannedRep(distance_m=400.0, recovery=Recovery(distance_m=200.0)),) * 6
    assert (workout.name, workout.source, workout.target_source) == ("Intervall 6x400m", "watch", "none")


def test_nested_repeats_rerun_the_inner_block_in_full():
    # x3cl's 10 x 10 s: 5 x (10 s, 180 s rest), 300 s easy, all of it twice.
    steps = (
        _step(0, "warmup", "time", 900.0),
        _step(1, "interval", "time", 10.0, target_type="speed", target_low=5.0, target_high=6.0),
        _step(2, "rest", "time", 180.0),
        _repeat(3, 1, 5),
        _step(4, "recovery", "time", 300.0),
        _repeat(5, 1, 2),
        _step(6, "cooldown", "time", 600.0),
    )
    run = [step.index for step, _ in expand_steps(steps)]
    assert run == [0, *([1, 2] * 5 + [4]) * 2, 6]
    workout = workout_from_steps(steps, None)
    assert workout is not None
    assert _sizes(workout) == _sizes(parse_workout("10x10s"))
    assert workout.target_source == "watch"
    # 5.5 m/s, the middle of the range: 1000 / 5.5 = 181.8 s/km.
    assert workout.reps[0].pace_s_per_km == pytest.approx(1000 / 5.5)
    assert workout.reps[0].recovery == Recovery(duration_s=180.0, activity="walk")
    assert workout.reps[4].recovery == Recovery(duration_s=180.0, activity="walk")


def test_two_blocks_make_two_groups_and_a_lone_km():
    steps = (
        _step(0, "active", "time", 20.0, name="Stride"),
        _step(1, "recovery", "time", 60.0, name="Walk back"),
        _repeat(2, 0, 3),
        _step(3, "active", "time", 240.0),
        _step(4, "recovery", "time", 120.0),
        _repeat(5, 3, 4),
        _step(6, "active", "distance", 1000.0),
    )
    workout = workout_from_steps(steps, None)
    assert workout is not None
    assert _sizes(workout) == _sizes(parse_workout("3x20s, 4x4min, 1km"))
    assert [rep.kind for rep in workout.reps] == ["stride"] * 3 + ["work"] * 5
    assert workout.reps[0].recovery == Recovery(duration_s=60.0, activity="walk")
    assert workout.reps[3].recovery == Recovery(duration_s=120.0, activity="jog")
    assert workout.reps[-1].recovery is None


def test_steps_without_intensity_inside_a_block_are_reps():
    steps = (_step(0, None, "distance", 300.0), _step(1, None, "time", 90.0, name="Rest"), _repeat(2, 0, 8))
    workout = workout_from_steps(steps, None)
    assert workout is not None
    assert _sizes(workout) == _sizes(parse_workout("8x300"))
    assert workout.reps[0].recovery == Recovery(duration_s=90.0, activity="walk")


def test_open_steps_and_no_reps_give_no_workout():
    assert workout_from_steps((_step(0, "active", "open"), _step(1, "rest", "time", 60.0)), None) is None
    assert workout_from_steps((_step(0, "warmup", "time", 600.0), _step(1, "cooldown", "time", 600.0)), None) is None
    assert workout_from_steps((), None) is None


def test_a_repeat_without_count_or_pointing_forward_runs_once():
    until_time = WorkoutStep(index=1, duration_type="repeat_until_time", repeat_from_step=0)
    forward = _repeat(1, 5, 3)
    for repeat in (until_time, forward):
        assert [s.index for s, _ in expand_steps((_step(0, "active", "distance", 400.0), repeat))] == [0]


def test_a_repeat_loop_is_bounded():
    # 250**3 passes of one step, and 200**3 passes of nothing: both stop at the bound.
    looping = (_step(0, "active", "time", 30.0), *(_repeat(i, 0, 250) for i in range(1, 4)))
    assert len(expand_steps(looping)) <= 1000
    empty = (*(_repeat(i, 0, 200) for i in range(3)), _step(3, "active", "time", 30.0))
    assert len(expand_steps(empty)) <= 1


def _sizes(workout):
    """Each rep's planned distance, time and kick: what the runner's notation says."""
    return [(r.distance_m, r.duration_s, r.kick_m) for r in workout.reps]


@pytest.mark.parametrize(
    ("title", "spec"),
    [
        ("W03 - Reps 6x600m @4.15", "6x600"),
        ("HM 060425 - W7 Mon Intervals 4x800m 7x400m", "4x800, 7x400"),
        ("Track 10 x 400", "10x400"),
        ("Z4 5x(4m/2m rest)", None),  # 4 m is no rep: the title's own shorthand is not guessed at
        ("MM 301125- W4 Wed Intervals 1.2km reps", None),
        (None, None),
    ],
)
def test_a_title_that_spells_out_the_repeats(title, spec):
    workout = workout_from_title(title)
    assert (workout.spec if workout else None) == spec
    assert workout is None or (workout.source == "title" and workout.name == title)


# --- real files ------------------------------------------------------------------------------


def _workout_of(path):
    activity = read_activity(path)
    return activity, workout_from_steps(activity.workout_steps, activity.metadata.workout_name)


def test_the_run_stats_files_plan_six_400s():
    files = sorted((CORPUS / "run-stats").glob("*.fit"))
    if not files:
        pytest.skip("../shared/real_activities is not beside the repository")
    for path in files:
        activity, workout = _workout_of(path)
        repeat = next(step for step in activity.workout_steps if step.is_repeat)
        assert (repeat.repeat_from_step, repeat.repeat_count) == (1, 6)
        assert workout is not None
        assert _sizes(workout) == _sizes(parse_workout("6x400"))
        assert [rep.distance_m for rep in workout.reps] == [400.0] * 6
        assert all(rep.recovery == Recovery(distance_m=200.0) for rep in workout.reps)
        assert workout.name == "Intervall 6x400m"
        # One lap per step run: the reps' laps point at step 1, the recoveries' at step 2.
        assert [lap.wkt_step_index for lap in activity.laps].count(1) == 6


WATCH_WORKOUTS = [
    "jasonjdd_610138634.fit",
    "jasonjdd_596255697.fit",
    "x3cl_115218638.fit",
    "x3cl_204685264.fit",
    "x3cl_203966566.fit",
    "irvingbennett_105582947072.fit",
    "irvingbennett_135416604177.fit",
]


@pytest.mark.parametrize("name", WATCH_WORKOUTS)
def test_the_watch_plan_is_the_truth(name: str):
    if not (INTERVALS / "truth.json").is_file():
        pytest.skip("../shared/real_intervals is not beside the repository")
    truth = json.loads((INTERVALS / "truth.json").read_text(encoding="utf-8"))[name]
    activity, workout = _workout_of(INTERVALS / name)
    assert workout is not None
    assert _sizes(workout) == _sizes(parse_workout(truth["workout"]))
    assert len(workout.reps) == len(truth["reps"])
    # The laps keep the step they ran and, on Garmin, the step's intensity.
    assert any(lap.wkt_step_index is not None for lap in activity.laps)


def test_laps_keep_the_step_intensity():
    path = INTERVALS / "jasonjdd_610138634.fit"
    if not path.is_file():
        pytest.skip("../shared/real_intervals is not beside the repository")
    laps = read_activity(path).laps
    assert [lap.intensity for lap in laps if lap.wkt_step_index == 1] == ["interval"] * 8
    # The watch skipped the last recovery (Garmin's "skip last recovery"): 7 recovery laps.
    assert [lap.intensity for lap in laps if lap.wkt_step_index == 2] == ["recovery"] * 7
