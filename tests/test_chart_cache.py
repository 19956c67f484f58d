"""The season's charts are kept by what they show: a warm review draws nothing it drew before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hardkick_analyze.present.season import files
from hardkick_analyze.present.season.chart_cache import ChartCache
from hardkick_analyze.season import analyze_season

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def season():
    return analyze_season([SAMPLES], workers=1)


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

    first = cache.png((pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m", draw, dpi=50)
    assert cache.png((pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m", draw, dpi=50) == first
    assert len(drawn) == 1
    cache.png((pd.DataFrame({"pace": [295.0, 297.0]}),), "6x400 m", draw, dpi=50)
    cache.png((pd.DataFrame({"pace": [295.0, 296.0]}),), "6x400 m, mi", draw, dpi=50)
    assert len(drawn) == 3


def test_without_a_folder_every_chart_is_drawn(tmp_path):
    cache = ChartCache(None)
    drawn = []

    def draw():
        from matplotlib.figure import Figure

        drawn.append(1)
        return Figure(figsize=(1, 1))

    cache.png((pd.DataFrame({"a": [1]}),), "x", draw, dpi=50)
    cache.png((pd.DataFrame({"a": [1]}),), "x", draw, dpi=50)
    assert len(drawn) == 2
