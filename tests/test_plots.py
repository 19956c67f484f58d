"""The charts draw the analysed values, and look as they did when a person last checked them.

Data tests find each artist by its ``gid`` and compare what it holds with the report: the kick
line's points are the samples the kick was scored on, the shaded spans are the reps' times, the
rep chart's points are the reps' paces, the peak and final markers are the kick's numbers.

Image tests compare each chart of one fixed simulated session with the committed baseline in
``tests/baseline_images/``; they never write one. After an intended change of the charts, look at
the new images and regenerate the baselines with a separate command (:mod:`tests.chart_baselines`)::

    python -m tests.chart_baselines
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.plots import (
    kick_trace,
    lead_in_trace,
    plot_kick_fade,
    plot_reps,
    plot_session_overview,
    save_session_charts,
    session_spans,
)
from hardkick_analyze.plots.axes import pace_tick_label, pace_ticks
from hardkick_analyze.score import FADE_FINAL_SHARE, speed_trace
from hardkick_analyze.simulate import simulate_session

from .chart_baselines import (
    BASELINE_MATPLOTLIB,
    BASELINES,
    CHARTS,
    IMAGE_TOLERANCE,
    SPEC,
    draw_chart,
    fixed_config,
    fixed_report,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report():
    return fixed_report()


@pytest.fixture(scope="module")
def missing_report():
    session = simulate_session(fixed_config(skipped_reps=(2,)), seed=5)
    return analyze_session(read_activity(session.to_fit()), workout=SPEC)


@pytest.fixture(scope="module")
def sprint_report():
    """The sprinters' sample: smart recording, 50 m kicks whose windows are not exactly 50 m."""
    return analyze_session(ROOT / "sample_data" / "hard_kick_250.tcx")


def _by_gid(axes, gid):
    """The one artist with ``gid`` on the figure of ``axes`` (twin axes included)."""
    found = [a for ax in axes.figure.axes for a in ax.get_children() if a.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} artists with gid {gid!r}"
    return found[0]


def _scales(report):
    calibration = report.segmentation.calibration
    return calibration.distance_scale or 1.0, calibration.speed_scale or 1.0


# --- the data drawn are the analysed values -----------------------------------------------------


def test_the_session_has_what_the_charts_show(report, missing_report):
    assert report.is_hard_kick
    assert [r.kick is not None for r in report.reps] == [False] * 4 + [True] * 2
    assert report.grid.frame["stopped"].any()
    assert len(missing_report.reps) == 5
    assert len(missing_report.missing) == 1


@pytest.mark.parametrize("which", ["report", "sprint_report"])
def test_kick_lines_are_the_samples_the_kick_was_scored_on(which, request):
    report = request.getfixturevalue(which)
    axes = plot_kick_fade(report)
    distance_scale, speed_scale = _scales(report)
    kicks = [r.kick for r in report.reps if r.kick is not None]
    assert len(kicks) == 2
    for number, kick in enumerate(kicks, start=1):
        trace = speed_trace(
            report.grid, kick.start_s, kick.end_s, distance_scale=distance_scale, speed_scale=speed_scale
        )
        line = _by_gid(axes, f"kick-{number}")
        np.testing.assert_array_equal(line.get_xdata(), trace.distance_m)
        np.testing.assert_array_equal(line.get_ydata(), trace.speed_mps)
        # The same samples give the kick's average: the time-weighted mean of the line.
        assert np.trapezoid(trace.speed_mps, trace.time_s) / kick.duration_s == pytest.approx(
            kick.avg_speed_mps, rel=1e-12
        )
        assert trace.distance_m[0] == 0.0
        assert trace.distance_m[-1] == pytest.approx(kick.measured_distance_m / distance_scale)


@pytest.mark.parametrize("which", ["report", "sprint_report"])
def test_peak_final_and_bins_are_the_kick_numbers(which, request):
    report = request.getfixturevalue(which)
    axes = plot_kick_fade(report)
    kicked = [r for r in report.reps if r.kick is not None]
    for number, rep in enumerate(kicked, start=1):
        kick = rep.kick
        peak = _by_gid(axes, f"kick-{number}-peak")
        assert list(peak.get_xdata()) == [kick.distance_to_peak_m]
        assert list(peak.get_ydata()) == [kick.peak_speed_mps]
        final = _by_gid(axes, f"kick-{number}-final")
        covered = kick_trace(report, rep).distance_m[-1]
        np.testing.assert_allclose(final.get_xdata(), [(1 - FADE_FINAL_SHARE) * covered, covered])
        assert list(final.get_ydata()) == [kick.final_speed_mps] * 2
        bins = _by_gid(axes, f"kick-{number}-bins")
        values, edges, _baseline = bins.get_data()
        np.testing.assert_array_equal(values, [b.speed_mps for b in kick.bins])
        np.testing.assert_array_equal(edges, [0.0] + [b.to_m for b in kick.bins])
        # The fade arrow runs from the peak down to the final speed.
        arrow = _by_gid(axes, f"kick-{number}-fade")
        assert arrow.xy[1] == kick.final_speed_mps
        assert arrow.xyann[1] == kick.peak_speed_mps


def test_lead_in_is_the_last_100_m_before_the_kick(report):
    axes = plot_kick_fade(report)
    for number, rep in enumerate([r for r in report.reps if r.kick is not None], start=1):
        lead = lead_in_trace(report, rep)
        line = _by_gid(axes, f"lead-{number}")
        np.testing.assert_array_equal(line.get_xdata(), lead.distance_m)
        assert lead.time_s[-1] == rep.kick.start_s
        assert lead.distance_m[-1] == 0.0
        assert lead.distance_m[0] == pytest.approx(-100.0, abs=1.0)
    assert _by_gid(axes, "target").get_ydata()[0] == pytest.approx(1000.0 / 295.0)


def test_overview_spans_are_the_reps_kicks_and_rests(report):
    axes = plot_session_overview(report)

    def extent(gid):
        patch = _by_gid(axes, gid)
        return patch.get_x(), patch.get_x() + patch.get_width()

    for n, rep in enumerate(report.reps, start=1):
        assert extent(f"rep-{n}") == pytest.approx((rep.start_s, rep.end_s), abs=1e-9)
        if n < len(report.reps):
            following = report.reps[n].start_s
            effort_end = rep.kick.end_s if rep.kick else rep.end_s
            assert extent(f"rest-{n}") == pytest.approx((effort_end, following), abs=1e-9)
    kicks = [r.kick for r in report.reps if r.kick is not None]
    for n, kick in enumerate(kicks, start=1):
        assert extent(f"kick-{n}") == pytest.approx((kick.start_s, kick.end_s), abs=1e-9)
    assert extent("warm-up-1") == pytest.approx((0.0, report.reps[0].start_s), abs=1e-9)
    assert extent("cool-down-1") == pytest.approx((kicks[-1].end_s, report.grid.time_s[-1]), abs=1e-9)
    kinds = [kind for kind, *_ in session_spans(report)]
    assert kinds == ["warm-up"] + ["rep", "rest"] * 4 + ["rep", "kick", "rest", "rep", "kick", "cool-down"]


def test_overview_lines_are_the_grid_with_pauses_left_blank(report):
    axes = plot_session_overview(report)
    frame = report.grid.frame
    stopped = frame["stopped"].to_numpy()
    speed = _by_gid(axes, "speed")
    np.testing.assert_array_equal(speed.get_xdata(), report.grid.time_s)
    np.testing.assert_array_equal(speed.get_ydata(), np.where(stopped, np.nan, frame["speed_mps"]))
    heart = _by_gid(axes, "heart-rate")
    np.testing.assert_array_equal(heart.get_ydata(), np.where(stopped, np.nan, frame["heart_rate_bpm"]))
    # One hatched span per pause, covering exactly the stopped samples.
    runs = np.flatnonzero(np.diff(np.concatenate([[0], stopped.astype(int), [0]])))
    first_start = report.grid.time_s[runs[0]]
    assert _by_gid(axes, "paused-1").get_x() == first_start
    assert _by_gid(axes, f"paused-{len(runs) // 2}")


def test_rep_chart_points_are_the_rep_paces(report, missing_report):
    for rep_report in (report, missing_report):
        axes = plot_reps(rep_report)
        points = _by_gid(axes, "rep-paces")
        np.testing.assert_array_equal(points.get_xdata(), [r.index for r in rep_report.reps])
        np.testing.assert_array_equal(points.get_ydata(), [r.pace_s_per_km for r in rep_report.reps])
        kicks = _by_gid(axes, "kick-reps")
        assert list(kicks.get_ydata()) == [r.pace_s_per_km for r in rep_report.reps if r.kick is not None]
    # The rep not run comes after the five that were, at the target.
    missing = _by_gid(axes, "missing")
    assert list(missing.get_xdata()) == [6]
    assert list(missing.get_ydata()) == [295.0]
    labels = [t.get_text() for t in axes.get_xticklabels()]
    assert labels[0] == "1\n400 m"
    assert labels[4].startswith("5\n400+100 m\nkick -")
    assert labels[5] == "-\n400 m"


def test_rep_chart_tolerance_is_two_seconds_on_the_rep_time(report):
    axes = plot_reps(report)
    band = _by_gid(axes, "tolerance")
    values, _edges, baseline = band.get_data()
    # 2 s on 400 m is 5 s/km either side of 4:55/km.
    np.testing.assert_allclose(values, [300.0] * 6)
    np.testing.assert_allclose(baseline, [290.0] * 6)


def test_rep_chart_in_miles(report):
    axes = plot_reps(report, units="mi")
    points = _by_gid(axes, "rep-paces")
    np.testing.assert_allclose(points.get_ydata(), [r.pace_s_per_km * 1.609344 for r in report.reps])
    assert axes.get_ylabel() == "pace [min:s per mi]"


def test_pace_ticks_and_labels():
    assert pace_tick_label(295.0) == "4:55"
    assert pace_tick_label(474.8, "mi") == "7:55"
    np.testing.assert_array_equal(pace_ticks(148.0, 322.0), [150, 180, 210, 240, 270, 300])
    np.testing.assert_array_equal(pace_ticks(283.0, 307.0), [285, 290, 295, 300, 305])


# --- the plotting API ----------------------------------------------------------------------------


@pytest.mark.parametrize("chart", [plot_session_overview, plot_reps, plot_kick_fade])
def test_charts_draw_on_the_axes_given(chart, report):
    figure = Figure()
    given = figure.add_subplot(2, 1, 2)
    assert chart(report, ax=given) is given
    assert given.get_title(loc="left")
    assert given.lines


@pytest.mark.parametrize("chart", [plot_session_overview, plot_reps, plot_kick_fade])
def test_charts_of_a_run_that_is_no_session(chart, data_dir):
    easy = analyze_session(data_dir / "garmin_connect.gpx")
    assert not easy.is_hard_kick
    axes = chart(easy)
    assert axes.figure is not None


def test_caption_names_the_date_the_workout_and_the_target(report, sprint_report):
    axes = plot_reps(report)
    caption = [t.get_text() for t in axes.texts if "2026" in t.get_text()]
    assert caption == ["Tue 12 May 2026 · 4x400 m, 2x(400+100 m) · target 4:55/km"]
    axes = plot_reps(sprint_report)
    # The sample's true rep paces are 3:10-3:13/km (sample_data/hard_kick_250.truth.json).
    assert "Tue 12 May 2026 · hard-kick-250: 4x200 m, 2x(200+50 m) · target 3:11/km (inferred)" in [
        t.get_text() for t in axes.texts
    ]


def test_save_session_charts(report, tmp_path):
    paths = save_session_charts(report, tmp_path / "charts")
    assert [p.name for p in paths] == ["session_overview.png", "session_reps.png", "session_kicks.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)
    svgs = save_session_charts(report, tmp_path / "svg", "svg")
    assert [p.suffix for p in svgs] == [".svg"] * 3
    # Deterministic SVG: the same session gives the same bytes.
    again = save_session_charts(report, tmp_path / "again", "svg")
    assert [p.read_bytes() for p in svgs] == [p.read_bytes() for p in again]
    with pytest.raises(ValueError, match="png, svg"):
        save_session_charts(report, tmp_path, "pdf")


def test_charts_are_named_after_the_file(tmp_path):
    report = analyze_session(ROOT / "sample_data" / "hard_kick_250.tcx")
    paths = save_session_charts(report, tmp_path)
    assert [p.name for p in paths] == [
        "hard_kick_250_overview.png",
        "hard_kick_250_reps.png",
        "hard_kick_250_kicks.png",
    ]


def test_extras_draw_on_the_overview(report):
    calls = []
    axes = plot_session_overview(report, extras=[lambda ax, rep: calls.append((ax, rep))])
    assert calls == [(axes, report)]


def test_the_callers_rc_params_are_left_alone(report):
    with matplotlib.rc_context({"font.size": 17.0}):
        axes = plot_kick_fade(report)
        assert matplotlib.rcParams["font.size"] == 17.0
    assert axes.title.get_fontsize() == 11.0


# --- the images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_image(name, report, tmp_path):
    assert matplotlib.__version__.startswith(BASELINE_MATPLOTLIB + "."), (
        f"the baselines were drawn with matplotlib {BASELINE_MATPLOTLIB}, this is {matplotlib.__version__}: "
        "install the dev extras, which pin it"
    )
    actual = draw_chart(name, report, tmp_path)
    difference = compare_images(str(BASELINES / actual.name), str(actual), tol=IMAGE_TOLERANCE)
    assert difference is None, difference
