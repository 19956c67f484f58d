"""The track inset: drawn from a corrected session, refused for an uncorrected one."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from hardkick_analyze import read_activity
from hardkick_analyze.pipeline import analyze_session
from hardkick_analyze.plots import plot_session_overview
from hardkick_analyze.plots.track import plot_track
from hardkick_analyze.simulate.benchmark import TRACK_BENCHMARK


@pytest.fixture(scope="module")
def reports():
    scenario = next(s for s in TRACK_BENCHMARK if s.name == "track_clockwise")
    session = scenario.simulate(3)
    activity = read_activity(scenario.file_bytes(session), name="clockwise.fit")
    workout = session.config.plan.workout
    return analyze_session(activity, workout=workout), analyze_session(
        activity, workout=workout, track_correction=False
    )


def test_the_track_and_every_rep_are_drawn(reports):
    report, _ = reports
    ax = Figure().add_subplot()
    assert plot_track(report, ax=ax) is ax
    kicks = sum(1 for r in report.reps if r.kick is not None)
    # The kerb, 8 lane lines and the finish line, the GPS trace, then a line and a start marker
    # per rep and a line per kick.
    assert len(ax.lines) == 11 + 2 * len(report.reps) + kicks
    assert [t.get_text() for t in ax.texts] == [str(r.index) for r in report.reps]
    width, height = ax.get_xlim(), ax.get_ylim()
    # The outer lane line is 176 m x 92 m: the whole track is in view.
    assert width[1] - width[0] > 170.0
    assert height[1] - height[0] > 90.0


def test_the_session_overview_gains_the_track_inset(reports):
    report, uncorrected = reports
    insets = [a for a in plot_session_overview(report).child_axes if a.get_gid() == "track-inset"]
    assert len(insets) == 1
    assert [t.get_text() for t in insets[0].texts] == [str(r.index) for r in report.reps]
    assert plot_session_overview(uncorrected).child_axes == []


def test_an_uncorrected_session_has_no_track_to_draw(reports):
    _, uncorrected = reports
    with pytest.raises(ValueError, match="not corrected on a track"):
        plot_track(uncorrected)
