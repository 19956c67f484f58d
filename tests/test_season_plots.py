"""Season trend charts: drawn on the axes given, from the long reps table, and calm with no data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from hardkick_analyze.plots.season import (
    plot_kick_fade_trend,
    plot_kick_speed_trend,
    plot_pace_error_trend,
    plot_rep_heatmap,
    season_figures,
)
from hardkick_analyze.season.outputs import REPS_COLUMNS


def _reps() -> pd.DataFrame:
    rows = []
    for date, file, errors, kicks in (
        ("2026-03-02", "a.fit", [4.0, 2.0, 0.0], [(6.0, 8.0), (5.8, 12.0)]),
        ("2026-03-09", "b.fit", [2.0, 1.0], [(6.2, 6.0)]),
    ):
        for rep, error in enumerate(errors, start=1):
            rows.append({"date": date, "file": file, "rep": rep, "part": "rep", "pace_error_s_per_km": error})
        for rep, (speed, fade) in enumerate(kicks, start=len(errors) + 1):
            rows.append(
                {"date": date, "file": file, "rep": rep, "part": "kick", "avg_speed_mps": speed, "fade_pct": fade}
            )
    return pd.DataFrame(rows, columns=list(REPS_COLUMNS))


def test_the_pace_error_trend_has_every_rep_and_each_session_mean():
    ax = Figure().add_subplot()
    assert plot_pace_error_trend(_reps(), ax=ax) is ax
    dots, means = ax.lines[0], ax.lines[1]
    assert len(dots.get_ydata()) == 5
    assert list(means.get_ydata()) == [2.0, 1.5]


@pytest.mark.parametrize(("draw", "means"), [(plot_kick_speed_trend, [5.9, 6.2]), (plot_kick_fade_trend, [10.0, 6.0])])
def test_the_kick_trends_average_each_session(draw, means):
    ax = draw(_reps())
    assert np.allclose(ax.lines[1].get_ydata(), means)


def test_the_heat_map_is_rep_by_session():
    ax = plot_rep_heatmap(_reps())
    values = ax.images[0].get_array()
    assert values.shape == (3, 2)
    assert values[2, 1] is np.ma.masked
    assert values[0, 0] == 4.0


def test_no_hard_kick_session_draws_a_note_not_an_error():
    empty = pd.DataFrame(columns=list(REPS_COLUMNS))
    figures = season_figures(empty)
    assert sorted(figures) == ["kick_fade", "kick_speed", "pace_error", "rep_heatmap"]
    for figure in figures.values():
        assert isinstance(figure, Figure)
        assert "no hard-kick sessions" in [t.get_text() for t in figure.axes[0].texts]
