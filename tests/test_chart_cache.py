"""The season's charts are kept by what they show: a warm review draws nothing it drew before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from hardkick_analyze.cli.season_charts import draw_side_by_side
from hardkick_analyze.present.season import files
from hardkick_analyze.present.season.chart_cache import ChartCache, ChartRequest
from hardkick_analyze.season import analyze_season

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def season():
    return analyze_season([SAMPLES], workers=1)


def _png(cache, tables, label, draw, dpi):
    """One chart through the cache."""
    (data,) = cache.pngs([ChartRequest(tables, label, draw, dpi)])
    return data


def _pngs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.png"))}


def test_a_warm_review_draws_no_chart_and_writes_the_same_files(season, tmp_path, monkeypatch):
    cache = ChartCache(tmp_path / "charts")
    files.write_season(season, tmp_path / "cold", chart_cache=cache)
    cold = _pngs(tmp_path / "cold")
    assert "fitness.png" in cold and any(name.startswith("group-") for name in cold)

    def no_drawing(*args, **kwargs):
        raise AssertionError("a chart was drawn although the cache holds it")

    monkeypatch.setattr(files, "_fitness_figure", no_drawing)
    monkeypatch.setattr(files, "_group_figure", no_drawing)
    files.write_season(season, tmp_path / "warm", chart_cache=cache)
    assert _pngs(tmp_path / "warm") == cold
    report = (tmp_path / "warm" / "report.html").read_text(encoding="utf-8")
    assert report == (tmp_path / "cold" / "report.html").read_text(encoding="utf-8")


def test_a_chart_of_other_values_is_drawn_again(tmp_path):
    cache = ChartCache(tmp_path)
    drawn = []

    def draw():
        from matplotlib.figure import Figure

        drawn.append(1)
        figure = Figure(figsize=(1, 1))
        figure.add_subplot().plot([0, 1], [0, len(drawn)])
        return figure

    first = _png(cache, (pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m", draw, 50)
    assert _png(cache, (pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m", draw, 50) == first
    assert len(drawn) == 1
    _png(cache, (pd.DataFrame({"pace": [295.0, 297.0]}),), "6x400 m", draw, 50)
    _png(cache, (pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m, mi", draw, 50)
    assert len(drawn) == 3


def test_without_a_folder_every_chart_is_drawn(tmp_path):
    cache = ChartCache(None)
    drawn = []

    def draw():
        from matplotlib.figure import Figure

        drawn.append(1)
        return Figure(figsize=(1, 1))

    _png(cache, (pd.DataFrame({"a": [1]}),), "x", draw, 50)
    _png(cache, (pd.DataFrame({"a": [1]}),), "x", draw, 50)
    assert len(drawn) == 2


def test_the_command_draws_charts_side_by_side_with_the_same_bytes_as_one_after_the_other():
    code = """
import functools, os
import pandas as pd
from hardkick_analyze.cli.season_charts import draw_side_by_side
from hardkick_analyze.present.season.chart_cache import ChartRequest, render_png

def draw(height, title_with_process):
    from matplotlib.figure import Figure
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([0, 1], [0, height])
    figure.suptitle(str(os.getpid()) if title_with_process else "chart")
    return figure

for marked in (False, True):
    requests = [ChartRequest((pd.DataFrame({"a": [k]}),), str(k), functools.partial(draw, k, marked), 40) for k in range(4)]
    side_by_side = draw_side_by_side(render_png, requests, workers=2)
    here = [render_png(r) for r in requests]
    print(len(side_by_side), sum(a != b for a, b in zip(side_by_side, here)))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # The same bytes; and each drawn in another process (titled with its id, every one differs).
    assert result.stdout.split() == ["4", "0", "4", "4"]


def test_one_after_the_other_when_one_worker_is_asked_for():
    drawn = []
    requests = [ChartRequest((pd.DataFrame({"a": [k]}),), str(k), Figure, 40) for k in range(3)]
    assert len(draw_side_by_side(lambda r: drawn.append(os.getpid()) or b"", requests, workers=1)) == 3
    assert drawn == [os.getpid()] * 3
