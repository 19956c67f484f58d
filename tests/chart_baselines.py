"""The image baselines of ``tests/test_plots.py``: the fixed session, how each chart is drawn, and
the command that redraws them after an intended change of the charts (the tests never do)::

    python -m tests.chart_baselines

Look at the images it writes before committing them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.plots import plot_kick_fade, plot_reps, plot_session_overview
from hardkick_analyze.results import SessionReport
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, Watch, simulate_session
from hardkick_analyze.simulate.scenarios import hard_kick_500

BASELINES = Path(__file__).parent / "baseline_images"
SPEC = "4x400@4:55/km, 2x(400@4:55/km+100@max)"
#: RMS difference allowed between a chart and its baseline (0-255 levels): room for anti-aliasing,
#: not for a point moved by 1 s/km (RMS 3.7), a line's colour (4.4) or a changed label (7.8).
IMAGE_TOLERANCE = 2.0
#: The baselines were drawn with this matplotlib (the dev extras pin it); others place text a pixel apart.
BASELINE_MATPLOTLIB = "3.11"
CHARTS: dict[str, Callable[[SessionReport], Axes]] = {
    "overview": plot_session_overview,
    "reps": plot_reps,
    "kicks": plot_kick_fade,
}


def fixed_config(**plan_changes: object) -> SessionConfig:
    """A 40-minute hard kick 500 on a typical watch with auto-pause: every part of the overview."""
    plan = SessionPlan(workout=hard_kick_500(295.0), rest_s=100.0, name="Hard kick 500")
    return SessionConfig(
        plan=dataclasses.replace(plan, **plan_changes),  # type: ignore[arg-type]
        athlete=Athlete(warmup_s=600.0, cooldown_s=300.0, rest_mode="walk_then_stand"),
        watch=Watch(auto_pause=True),
    )


def fixed_report() -> SessionReport:
    """The analysis of the fixed session, told its workout."""
    return analyze_session(read_activity(simulate_session(fixed_config(), seed=5).to_fit()), workout=SPEC)


def draw_chart(name: str, report: SessionReport, folder: Path) -> Path:
    """Draw one chart with matplotlib's default style into ``folder``; return the file."""
    path = folder / f"fixed_session_{name}.png"
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        axes = CHARTS[name](report)
        axes.figure.savefig(path, metadata={"Software": None})
    return path


def main() -> None:
    """Redraw every baseline."""
    if not matplotlib.__version__.startswith(BASELINE_MATPLOTLIB + "."):
        raise SystemExit(f"draw the baselines with matplotlib {BASELINE_MATPLOTLIB}, not {matplotlib.__version__}")
    report = fixed_report()
    for name in CHARTS:
        print(draw_chart(name, report, BASELINES))


if __name__ == "__main__":
    main()
