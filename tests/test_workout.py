"""Workout specs: the notation runners write, presets, and errors that point at the character."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardkick_analyze.errors import WorkoutSpecError
from hardkick_analyze.models import PlannedRep
from hardkick_analyze.workout import goal_5k_to_rep_pace, parse_clock, parse_workout, with_pace


def test_hard_kick_spec():
    workout = parse_workout("4x400@4:55/km, 2x(400@4:55/km+100@max)")
    assert (
        workout.reps
        == (PlannedRep(distance_m=400, pace_s_per_km=295),) * 4
        + (PlannedRep(distance_m=400, pace_s_per_km=295, kick_m=100),) * 2
    )
    assert not workout.flexible_plain_reps


def test_long_kick_after_800s():
    workout = parse_workout("3x(800@3:50/km+200@max)")
    assert [r.kick_m for r in workout.reps] == [200.0] * 3
    assert {r.pace_s_per_km for r in workout.reps} == {230.0}


def test_rep_time_instead_of_pace():
    # 75 s for 200 m is 375 s/km.
    assert parse_workout("6x200@75s").reps[0].pace_s_per_km == pytest.approx(375.0)
    assert parse_workout("6x200@75").reps[0].pace_s_per_km == pytest.approx(375.0)
    # 1:30 for 400 m is 3:45/km.
    assert parse_workout("400@1:30").reps[0].pace_s_per_km == pytest.approx(225.0)


def test_units_and_mile_pace():
    workout = parse_workout("1x1mi@8:00/mi; 2x1km@4:00/km, 1x0.4km")
    assert workout.reps[0].distance_m == pytest.approx(1609.344)
    assert workout.reps[0].pace_s_per_km == pytest.approx(480 / 1.609344)
    assert [r.distance_m for r in workout.reps[1:]] == [1000.0, 1000.0, 400.0]
    assert workout.reps[-1].pace_s_per_km is None


def test_pace_fills_reps_without_one():
    workout = parse_workout("5x400, 1x400@80s", pace_s_per_km=270.0)
    assert [r.pace_s_per_km for r in workout.reps] == [270.0] * 5 + [200.0]
    assert with_pace(parse_workout("2x400"), 300.0).reps[1].pace_s_per_km == 300.0


@pytest.mark.parametrize(
    ("name", "plain", "distance", "kick"), [("hard-kick-500", 4, 400, 100), ("hard-kick-250", 4, 200, 50)]
)
def test_presets(name, plain, distance, kick):
    workout = parse_workout(name, pace_s_per_km=295.0)
    assert workout.flexible_plain_reps
    assert [r.kick_m for r in workout.reps] == [0.0] * plain + [float(kick)] * 2
    assert {r.distance_m for r in workout.reps} == {float(distance)}
    assert {r.pace_s_per_km for r in workout.reps} == {295.0}


def test_goal_5k():
    assert goal_5k_to_rep_pace("25:00") == 295.0
    assert goal_5k_to_rep_pace("20:00") == 235.0


def test_parse_clock():
    assert parse_clock("4:55") == 295.0
    assert parse_clock("1:02:05") == 3725.0
    with pytest.raises(WorkoutSpecError):
        parse_clock("4:75")


@pytest.mark.parametrize(
    ("spec", "position", "reason"),
    [
        ("4x400@4:55/km, 2x(400@4:55/km+100@fast)", 34, "@max"),
        ("4x400@4:55/km 2x400", 14, "','"),
        ("4y400", 1, "unexpected 'y'"),
        ("4x@4:55/km", 2, "distance"),
        ("2x(400@4:55/km+100@max", 22, "')'"),
        ("4x400@1:10/km", 6, "between 2:00 and 15:00"),
        ("0x400", 0, "whole number"),
        ("", 0, "empty"),
    ],
)
def test_errors_point_at_the_character(spec, position, reason):
    with pytest.raises(WorkoutSpecError) as caught:
        parse_workout(spec)
    error = caught.value
    assert error.position == position
    assert reason in error.reason
    assert error.caret().splitlines()[1] == " " * position + "^"


@given(
    st.lists(
        st.tuples(
            st.integers(1, 9),
            st.sampled_from([200, 400, 800, 1000]),
            st.integers(200, 420),
            st.sampled_from([0, 50, 100, 200]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_written_specs_parse_back(groups):
    text = ", ".join(
        f"{n}x({d}@{p // 60}:{p % 60:02d}/km+{k}@max)" if k else f"{n}x{d}@{p // 60}:{p % 60:02d}/km"
        for n, d, p, k in groups
    )
    workout = parse_workout(text)
    expected = [PlannedRep(distance_m=d, pace_s_per_km=p, kick_m=k) for n, d, p, k in groups for _ in range(n)]
    assert list(workout.reps) == expected
