"""Season charts: what they draw, faster up, and labels that never overlap however long the season."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from hardkick_analyze.plots.season import plot_fitness, plot_group_trend


def _sessions(days: int, *, kicks: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A workout done every 3 days for ``days`` days, 2 s/km faster each time, three reps each."""
    starts = pd.date_range("2026-01-01T17:00Z", periods=days // 3, freq="3D")
    paces = 300.0 - 2.0 * np.arange(len(starts))
    sessions = pd.DataFrame(
        {
            "start_time": starts,
            "rep_pace_s_per_km": paces,
            "heart_rate_bpm": 170.0 - 0.2 * np.arange(len(starts)),
            "kick_speed_mps": 6.0 + 0.01 * np.arange(len(starts)) if kicks else np.nan,
            "kick_fade_pct": 10.0 - 0.1 * np.arange(len(starts)) if kicks else np.nan,
        }
    )
    reps = pd.DataFrame(
        [{"start_time": t, "pace_s_per_km": p + d} for t, p in zip(starts, paces, strict=True) for d in (-3, 0, 3)]
    )
    return sessions, reps


def _estimates(days: int) -> pd.DataFrame:
    starts = pd.date_range("2026-01-01T17:00Z", periods=days // 3, freq="3D")
    time_5k = 1500.0 - np.arange(len(starts))
    return pd.DataFrame(
        {
            "start_time": starts,
            "zone": ["I", "R", "T"] * (len(starts) // 3) + ["I"] * (len(starts) % 3),
            "time_5k_s": time_5k,
            "time_5k_fast_s": time_5k - 20.0,
            "time_5k_slow_s": time_5k + 25.0,
            "goal_5k_s": [1500.0] * (len(starts) // 2) + [1440.0] * (len(starts) - len(starts) // 2),
        }
    )


def test_the_group_chart_has_each_rep_each_mean_heart_rate_and_kicks():
    sessions, reps = _sessions(30)
    figure = plot_group_trend(sessions, reps, title="6x400 m, jog")
    pace, heart, speed, fade = figure.axes
    assert pace.get_title(loc="left") == "6x400 m, jog"  # the house style puts titles on the left
    dots, means = pace.lines[0], pace.lines[1]
    assert len(dots.get_ydata()) == 30 and list(means.get_ydata()) == list(sessions["rep_pace_s_per_km"])
    # Faster is up: the pace axis and the fade axis are upside down.
    assert pace.yaxis_inverted() and fade.yaxis_inverted() and not heart.yaxis_inverted()
    assert next(t.get_text() for t in pace.get_yticklabels() if t.get_text()).count(":") == 1
    # A heart rate that moves 2 bpm is not blown up to fill the panel.
    low, high = heart.get_ylim()
    assert high - low >= 10.0
    assert "kick speed" in speed.get_ylabel() and "fade" in fade.get_ylabel()


def test_without_kicks_or_heart_rate_there_is_no_empty_panel():
    sessions, reps = _sessions(12, kicks=False)
    sessions["heart_rate_bpm"] = np.nan
    assert len(plot_group_trend(sessions, reps, title="x").axes) == 1


def test_the_fitness_chart_has_each_estimate_its_range_the_goal_and_the_trend():
    estimates = _estimates(30)
    figure = plot_fitness(estimates, (1500.0, 1491.0), title="5 km")
    (ax,) = figure.axes
    assert ax.yaxis_inverted()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["I reps", "R reps", "T reps", "goal", "trend"]
    drawn = sorted(np.concatenate([c.lines[0].get_ydata() for c in ax.containers]))
    assert drawn == sorted(estimates["time_5k_s"])
    assert all(":" in t.get_text() for t in ax.get_yticklabels() if t.get_text())


def test_no_estimate_is_a_note():
    figure = plot_fitness(_estimates(0), None, title="5 km")
    assert "no session to estimate from" in [t.get_text() for t in figure.axes[0].texts]


@pytest.mark.parametrize("days", [6, 60, 400, 1500])
def test_labels_never_overlap(days):
    sessions, reps = _sessions(days)
    for figure in (plot_group_trend(sessions, reps, title="t"), plot_fitness(_estimates(days), None, title="t")):
        renderer = FigureCanvasAgg(figure).get_renderer()
        for ax in figure.axes:
            for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
                boxes = [t.get_window_extent(renderer) for t in labels if t.get_text() and t.get_visible()]
                for first, second in itertools.pairwise(boxes):
                    assert not first.overlaps(second), (days, [t.get_text() for t in labels])
