"""Workout specs: the notation runners write, presets, and errors that point at the character."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hardkick_analyze.errors import WorkoutSpecError
from hardkick_analyze.models import PlannedRep, Recovery, Workout
from hardkick_analyze.plan import resolve_targets
from hardkick_analyze.workout import (
    describe_workout,
    format_workout,
    goal_5k_to_rep_pace,
    parse_clock,
    parse_workout,
)


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
    workout = resolve_targets(parse_workout("5x400, 1x400@80s"), (270.0, "pace"), {})
    assert [r.pace_s_per_km for r in workout.reps] == [270.0] * 5 + [200.0]
    assert workout.target_source == "spec"
    assert resolve_targets(parse_workout("2x400"), (300.0, "goal"), {}).target_source == "goal"


def test_targets_are_inferred_per_rep_size():
    workout = resolve_targets(parse_workout("2x800, 2x400"), None, {0: 250.0, 1: 260.0, 2: 230.0, 3: 240.0})
    assert [r.pace_s_per_km for r in workout.reps] == [255.0, 255.0, 235.0, 235.0]
    assert workout.target_source == "inferred"


@pytest.mark.parametrize(
    ("name", "plain", "distance", "kick"), [("hard-kick-500", 4, 400, 100), ("hard-kick-250", 4, 200, 50)]
)
def test_presets(name, plain, distance, kick):
    workout = resolve_targets(parse_workout(name), (295.0, "pace"), {})
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


# The notation grown to what runners write: times, sprints, strides, recoveries, ladders and sets.


def _rep(distance=None, *, s=None, pace=None, kick=0.0, rec=None, kind="work"):
    return PlannedRep(
        distance_m=distance,
        duration_s=s,
        pace_s_per_km=pace,
        kick_m=kick,
        recovery=rec,
        kind=kind,
        max_effort=kind == "sprint",
    )


JOG_200 = Recovery(distance_m=200.0)


@pytest.mark.parametrize(
    ("spec", "reps"),
    [
        ("5x60s", [_rep(s=60.0)] * 5),
        ("6x4min", [_rep(s=240.0)] * 6),
        ("8x2 min", [_rep(s=120.0)] * 8),
        ("3x20sec", [_rep(s=20.0)] * 3),
        ("6x1:30", [_rep(s=90.0)] * 6),
        ("1:02:05", [_rep(s=3725.0)]),
        ("6x4min@3:30/km", [_rep(s=240.0, pace=210.0)] * 6),
        ("10x10s@max", [_rep(s=10.0, kind="sprint")] * 10),
        ("6x150@max", [_rep(150.0, kind="sprint")] * 6),
        ("6x60m sprints", [_rep(60.0, kind="sprint")] * 6),
        ("6x20s strides", [_rep(s=20.0, kind="stride")] * 6),
        ("4x100 strides", [_rep(100.0, kind="stride")] * 4),
        ("400, 800, 1200", [_rep(400.0), _rep(800.0), _rep(1200.0)]),
        ("ladder 400-800-1200", [_rep(400.0), _rep(800.0), _rep(1200.0)]),
        ("pyramid 1-2-3-2-1min", [_rep(s=60.0), _rep(s=120.0), _rep(s=180.0), _rep(s=120.0), _rep(s=60.0)]),
        ("8x400/200m jog", [_rep(400.0, rec=JOG_200)] * 8),
        ("8x400 /200m", [_rep(400.0, rec=JOG_200)] * 8),
        ("8x400, 200m jog", [_rep(400.0, rec=JOG_200)] * 8),
        ("10x400 r60s", [_rep(400.0, rec=Recovery(duration_s=60.0))] * 10),
        ("400r60s", [_rep(400.0, rec=Recovery(duration_s=60.0))]),
        ("6x800 r2min", [_rep(800.0, rec=Recovery(duration_s=120.0))] * 6),
        ("6x800 r90s walk", [_rep(800.0, rec=Recovery(duration_s=90.0, activity="walk"))] * 6),
        ("4x1km/2min", [_rep(1000.0, rec=Recovery(duration_s=120.0))] * 4),
        ("6x20s strides r40s walk", [_rep(s=20.0, kind="stride", rec=Recovery(duration_s=40.0, activity="walk"))] * 6),
        ("6x20s r40s walk strides", [_rep(s=20.0, kind="stride", rec=Recovery(duration_s=40.0, activity="walk"))] * 6),
        ("8x400@75s/200m jog", [_rep(400.0, pace=187.5, rec=JOG_200)] * 8),
        ("2x6x400", [_rep(400.0)] * 12),
        ("2x(1600, 4x400)", ([_rep(1600.0)] + [_rep(400.0)] * 4) * 2),
        (
            # The group's recovery goes to the reps without one of their own.
            "2x(1600 r3min, 2x400) r60s",
            ([_rep(1600.0, rec=Recovery(duration_s=180.0))] + [_rep(400.0, rec=Recovery(duration_s=60.0))] * 2) * 2,
        ),
        ("3x(800@3:50/km+200@max)/400m", [_rep(800.0, pace=230.0, kick=200.0, rec=Recovery(distance_m=400.0))] * 3),
        (
            "2x(ladder 200-400) r1min rest",
            [
                _rep(200.0, rec=Recovery(duration_s=60.0, activity="rest")),
                _rep(400.0, rec=Recovery(duration_s=60.0, activity="rest")),
            ]
            * 2,
        ),
    ],
)
def test_notation(spec, reps):
    assert list(parse_workout(spec).reps) == reps


def test_sprints_and_strides_take_no_pace():
    workout = resolve_targets(parse_workout("6x400, 6x150@max, 4x20s strides"), (280.0, "pace"), {})
    assert [r.pace_s_per_km for r in workout.reps] == [280.0] * 6 + [None] * 10
    assert [r.kind for r in workout.reps] == ["work"] * 6 + ["sprint"] * 6 + ["stride"] * 4
    # A timed rep takes the pace too: it says how far the rep should go.
    timed = resolve_targets(parse_workout("5x60s"), (240.0, "pace"), {})
    assert timed.reps[0].expected_distance_m() == pytest.approx(250.0)


@pytest.mark.parametrize(
    ("spec", "position", "reason"),
    [
        ("99:99/km", 3, "seconds must be below 60"),
        ("4x400@4:75/km", 8, "seconds must be below 60"),
        ("4x400@1:75:00/km", 8, "minutes must be below 60"),
        ("1000000x400", 0, "at most 200 reps"),
        ("9" * 5000 + "x400", 0, "at most 200 reps"),
        ("100x400, 101x200", 9, "at most 200 reps"),
        ("10x(10x(3x400))", 0, "at most 200 reps"),
        ("3x(67x400)", 0, "at most 200 reps"),
        ("((((((400))))))", 4, "nest at most 4"),
        ("6x60s@75s", 6, "timed rep takes a pace"),
        ("6x4min@3:30", 7, "timed rep takes a pace"),
        ("6x200@75s strides", 10, "no target"),
        ("6x300 strides", 6, "at most 30 s or 200 m"),
        ("6x40s strides", 6, "at most 30 s or 200 m"),
        ("6x20s@max strides", 10, "relaxed"),
        ("(400+100@max) sprints", 14, "no kick"),
        ("400+60s@max", 4, "a kick is a distance"),
        ("8x400 r60s, 200m jog", 12, "already have a recovery"),
        ("8x400 r60s /200m", 11, "one recovery"),
        ("200m jog, 4x400", 5, "','"),
        ("ladder 400", 10, "a ladder lists its steps"),
        ("6x2s", 2, "between 5 s and 240 min"),
        ("6x400 r2h", 8, "unexpected 'h'"),
        ("6x400 r0s", 7, "between 1 s and 60 min"),
        ("400@fast", 4, "or max"),
    ],
)
def test_notation_errors_point_at_the_character(spec, position, reason):
    with pytest.raises(WorkoutSpecError) as caught:
        parse_workout(spec)
    assert caught.value.position == position
    assert reason in caught.value.reason


def test_hostile_repeat_is_refused_at_once():
    started = time.perf_counter()
    for spec in ("1000000x400", "999999999999x(400)", "200x200x200x200x400", "400," * 100_000, "(" * 100_000):
        with pytest.raises(WorkoutSpecError):
            parse_workout(spec)
    # Generous: the point is that no million-rep list is ever built.
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("spec", "written"),
    [
        ("4x400@4:55/km, 2x(400@4:55/km+100@max)", "4x400@4:55/km, 2x(400@4:55/km+100@max)"),
        ("3x(800@3:50/km+200@max)", "3x(800@3:50/km+200@max)"),
        ("6x200@75s", "6x200@6:15/km"),
        ("8x400@75s", "8x400@75s"),
        ("1mi@8:00/mi", "1mi@8:00/mi"),
        ("1200@4:01.234/km", "1200@4:01.234/km"),
        ("5x60s", "5x60s"),
        ("6x1:30", "6x90s"),
        ("6x150s", "6x2:30"),
        ("6x4min@3:30/km r2min", "6x4min@3:30/km r2min jog"),
        ("8x400/200m jog", "8x400 r200m jog"),
        ("6x800 r90s walk", "6x800 r90s walk"),
        ("4x1km/2min", "4x1km r2min jog"),
        ("10x10s@max", "10x10s@max"),
        ("6x60 sprints", "6x60@max"),
        ("15x20s strides", "15x20s strides"),
        ("ladder 400-800-1200", "400, 800, 1200"),
        ("2x6x400", "12x400"),
        ("2x(1600, 2x400)", "1600, 2x400, 1600, 2x400"),
        ("hard-kick-500", "hard-kick-500"),
        ("HARD-KICK-250", "hard-kick-250"),
    ],
)
def test_format_workout(spec, written):
    workout = parse_workout(spec)
    assert format_workout(workout) == written
    assert parse_workout(written).reps == workout.reps


def test_format_preset_with_a_pace_spells_it_out():
    workout = resolve_targets(parse_workout("hard-kick-500"), (295.0, "pace"), {})
    assert format_workout(workout) == "4x400@4:55/km, 2x(400@4:55/km+100@max)"


@pytest.mark.parametrize(
    ("spec", "described"),
    [
        ("8x400/400m jog", "8x400 m, 400 m jog"),
        ("5x60s", "5x60 s"),
        ("6x4min@3:30/km r90s walk", "6x4 min at 3:30/km, 90 s walk"),
        ("ladder 400-800-1200", "ladder 400-800-1200 m"),
        ("1200, 800, 400", "ladder 1200-800-400 m"),
        ("200, 400, 600, 400, 200", "pyramid 200-400-600-400-200 m"),
        ("ladder 1-2-3min@4:00/km r1min", "ladder 1-2-3 min at 4:00/km, 60 s jog"),
        ("400, 800, 400, 800", "400 m; 800 m; 400 m; 800 m"),
        ("15x20s strides", "15x20 s strides"),
        ("10x10s@max", "10x10 s sprints"),
        ("3x(800@3:50/km+200@max), 1mi", "3x800 m at 3:50/km + 200 m kick; 1 mi"),
        ("2x1km", "2x1 km"),
        ("hard-kick-500", "hard kick 500"),
        ("hard-kick-250", "hard kick 250"),
    ],
)
def test_describe_workout(spec, described):
    assert describe_workout(parse_workout(spec)) == described


_LENGTH_M = st.one_of(st.sampled_from([100.0, 200.0, 400.0, 1000.0, 1609.344]), st.floats(10.0, 50_000.0))
_LENGTH_S = st.one_of(st.sampled_from([20.0, 60.0, 90.0, 150.0, 240.0]), st.floats(5.0, 4 * 3600.0))
_PACE = st.one_of(st.none(), st.sampled_from([295.0, 187.5, 480 / 1.609344]), st.floats(120.0, 900.0))
_KICK = st.one_of(st.just(0.0), st.sampled_from([50.0, 100.0, 200.0]), st.floats(10.0, 50_000.0))
_RECOVERY = st.one_of(
    st.none(),
    st.builds(Recovery, distance_m=st.floats(10.0, 10_000.0), activity=st.sampled_from(["jog", "walk", "rest"])),
    st.builds(Recovery, duration_s=st.floats(1.0, 3600.0), activity=st.sampled_from(["jog", "walk", "rest"])),
)


@st.composite
def _planned_reps(draw):
    timed = draw(st.booleans())
    kind = draw(st.sampled_from(["work", "work", "sprint", "stride"]))
    if kind == "stride":
        length = draw(st.floats(5.0, 30.0) if timed else st.floats(10.0, 200.0))
    else:
        length = draw(_LENGTH_S if timed else _LENGTH_M)
    return PlannedRep(
        distance_m=None if timed else length,
        duration_s=length if timed else None,
        pace_s_per_km=draw(_PACE) if kind == "work" else None,
        max_effort=kind == "sprint",
        kick_m=0.0 if kind == "stride" else draw(_KICK),
        recovery=draw(_RECOVERY),
        kind=kind,
    )


@given(st.lists(st.tuples(st.integers(1, 6), _planned_reps()), min_size=1, max_size=6))
def test_format_reads_back_any_workout(groups):
    reps = tuple(rep for count, rep in groups for _ in range(count))
    workout = Workout(spec="generated", reps=reps)
    assert parse_workout(format_workout(workout)).reps == reps


_PACES = ["", "@max", "@4:55/km", "@7:30/mi"]
_WRITTEN_REP = st.one_of(
    st.tuples(st.sampled_from(["1km", "1mi", "0.8km", "1 mile"]), st.sampled_from(_PACES)),
    # A rep time is a pace only for a distance it suits.
    st.tuples(st.sampled_from(["400", "200m"]), st.sampled_from([*_PACES, "@75s", "@1:31.5"])),
    st.tuples(st.sampled_from(["60s", "1:30", "4min", "20 sec"]), st.sampled_from(_PACES)),
).map("".join)
_WRITTEN_SUFFIX = st.sampled_from(["", " r60s", "/200m jog", " r2min walk", "/1:30 rest"])


@st.composite
def _written_items(draw, children):
    count = draw(st.integers(1, 3))
    inner = ", ".join(draw(st.lists(children, min_size=1, max_size=3)))
    return f"{count}x({inner}){draw(_WRITTEN_SUFFIX)}"


_WRITTEN = st.recursive(
    st.tuples(st.integers(1, 4), _WRITTEN_REP, _WRITTEN_SUFFIX).map(lambda t: f"{t[0]}x{t[1]}{t[2]}"),
    _written_items,
    max_leaves=6,
)


@given(_WRITTEN)
def test_format_reads_back_written_specs(spec):
    try:
        workout = parse_workout(spec)
    except WorkoutSpecError as error:
        # Too many reps or groups nested too deep: the only refusals this grammar of valid pieces meets.
        assume("at most" not in error.reason)
        raise
    assert parse_workout(format_workout(workout)).reps == workout.reps
