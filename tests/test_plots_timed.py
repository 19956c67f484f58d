"""The session chart names a missing rep that was set by time (found by the season's --charts on a real file)."""

from __future__ import annotations

import dataclasses

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.plots import plot_session_overview
from hardkick_analyze.simulate import SessionConfig, SessionPlan, simulate_session
from hardkick_analyze.simulate.scenarios import timed_reps


def test_a_missing_timed_rep_is_named_not_a_crash():
    workout = timed_reps(270.0, count=6, duration_s=60.0)
    plan = SessionPlan(workout=workout, rest_s=90.0, skipped_reps=(3,))
    session = simulate_session(SessionConfig(plan=plan), seed=11)
    report = analyze_session(read_activity(session.to_fit()), workout=dataclasses.replace(workout, name=None))
    assert [r.duration_s for r in report.missing] == [60.0]
    axes = plot_session_overview(report)
    notes = [t.get_text() for ax in axes.figure.axes for t in ax.texts if t.get_text().startswith("not run")]
    assert notes == ["not run: 60 s"]
