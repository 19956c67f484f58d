"""The rep chart: each rep's pace against the target and its tolerance, kicks told apart.

Reps are numbered as in the text report (in the order run); planned reps that were not run come
after them, marked "not run". The band is the verdicts' tolerance
(:data:`hardkick_analyze.verdicts.ON_TARGET_S` on the rep's time), shown as pace.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter

from ..models import PlannedRep
from ..results import RepResult, SessionReport
from ..units import METRES_PER_MILE
from ..verdicts import ON_TARGET_S
from ..workout import planned_text
from .axes import pace_tick_label, pace_ticks, set_title, show_note
from .style import INK, KICK_FILL, MUTED, REP_FILL, TARGET, new_axes, style_context

__all__ = ["plot_reps"]

_WIDTH_IN, _HEIGHT_IN = 8.0, 4.0
_PLAIN_COLOUR = "#0072B2"


def plot_reps(report: SessionReport, ax: Axes | None = None, *, units: str = "km") -> Axes:
    """Each rep's pace against the target, with the tolerance band; kick reps marked.

    Parameters
    ----------
    report
        An analysed session.
    ax
        Axes to draw on; a new figure when None.
    units
        ``'km'`` or ``'mi'``: paces per kilometre or per mile.

    Returns
    -------
    Axes
        The axes drawn on. Artists carry ``gid``s for tests: ``rep-paces`` (every rep, in the
        order run), ``kick-reps``, ``target``, ``tolerance`` and ``missing``.
    """
    per_unit = METRES_PER_MILE / 1000.0 if units == "mi" else 1.0
    with style_context():
        axes = ax if ax is not None else new_axes(_WIDTH_IN, _HEIGHT_IN)
        set_title(axes, "Reps: pace against target", report, units)
        if not report.reps:
            show_note(axes, "no reps found")
            return axes
        planned = [rep.planned for rep in report.reps] + list(report.missing)
        _draw_target(axes, report, planned, per_unit)
        slots = np.array([rep.index for rep in report.reps], dtype=np.float64)
        paces = np.array([rep.pace_s_per_km for rep in report.reps]) * per_unit
        if all(rep.target_pace_s_per_km for rep in report.reps):
            # A stem from the target to each rep: how far off, and which way, at a glance.
            targets = np.array([rep.target_pace_s_per_km or 0.0 for rep in report.reps]) * per_unit
            axes.vlines(slots, targets, paces, color=_PLAIN_COLOUR, linewidth=1.0, zorder=3)
        axes.plot(
            slots, paces, color=_PLAIN_COLOUR, marker="o", markersize=7, linestyle="none", gid="rep-paces", zorder=4
        )
        kicks = [rep for rep in report.reps if rep.kick is not None]
        if kicks:
            axes.plot(
                [rep.index for rep in kicks],
                [rep.pace_s_per_km * per_unit for rep in kicks],
                marker="D",
                markersize=8,
                color=KICK_FILL,
                markeredgecolor="white",
                linestyle="none",
                gid="kick-reps",
                zorder=5,
            )
        _label_reps(axes, report.reps, per_unit)
        _pace_axis(axes, units)
        axes.set_xlim(0.4, len(planned) + 0.6)
        labels = [_rep_label(rep) for rep in report.reps] + [_missing_label(rep) for rep in report.missing]
        axes.set_xticks(range(1, len(planned) + 1), labels)
        axes.set_xlabel("rep")
    return axes


def _draw_target(axes: Axes, report: SessionReport, planned: list[PlannedRep], per_unit: float) -> None:
    """The target line and its band, one step per rep (reps may differ in distance and pace)."""
    run = len(report.reps)
    targets = [rep.target_pace_s_per_km for rep in report.reps]
    targets += [rep.pace_s_per_km or report.target_pace_s_per_km for rep in report.missing]
    if any(t is None for t in targets):
        return
    centre = np.array(targets, dtype=np.float64) * per_unit
    distances = [rep.distance_m for rep in report.reps]
    distances += [rep.expected_distance_m() or math.nan for rep in report.missing]
    tolerance = np.array([ON_TARGET_S * 1000.0 / d for d in distances]) * per_unit
    edges = np.arange(len(planned) + 1) + 0.5
    axes.stairs(
        centre + tolerance, edges, baseline=centre - tolerance, fill=True, color=REP_FILL, alpha=0.35, gid="tolerance"
    )
    axes.stairs(centre, edges, baseline=None, color=TARGET, linewidth=1.0, linestyle=(0, (5, 3)), gid="target")
    axes.text(
        edges[-1],
        centre[-1] + tolerance[-1],
        f"±{ON_TARGET_S:.0f} s on the rep time ",
        color=MUTED,
        ha="right",
        va="top",
        fontsize=7.5,
    )
    if report.missing:
        slots = np.arange(run + 1, len(planned) + 1)
        axes.plot(slots, centre[run:], marker="x", markersize=9, color=MUTED, linestyle="none", gid="missing", zorder=4)
        for slot, pace in zip(slots, centre[run:], strict=True):
            axes.text(float(slot), pace, "\nnot run", color=MUTED, ha="center", va="top", fontsize=8.0)


def _label_reps(axes: Axes, reps: tuple[RepResult, ...], per_unit: float) -> None:
    """Each rep's time error beside its point."""
    for rep in reps:
        pace = rep.pace_s_per_km * per_unit
        if rep.time_error_s is not None:
            axes.annotate(
                f"{rep.time_error_s:+.1f} s",
                (rep.index, pace),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.0,
                color=INK,
            )


def _pace_axis(axes: Axes, units: str) -> None:
    """Pace ticks, faster up: a runner reads 'up' as 'better'."""
    low, high = axes.get_ylim()
    span = high - low
    axes.set_ylim(high + 0.25 * span, low - 0.25 * span)
    axes.yaxis.set_major_locator(FixedLocator(pace_ticks(low - 0.25 * span, high + 0.25 * span).tolist()))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: pace_tick_label(value, units)))
    axes.set_ylabel(f"pace [min:s per {units}]")


def _rep_label(rep: RepResult) -> str:
    """``'5\n400+100 m\nkick -14 %'``: the rep's number, what was planned, its kick's fade."""
    label = f"{rep.index}\n{planned_text(rep.planned)}"
    return f"{label}\nkick -{rep.kick.fade_pct:.0f} %" if rep.kick is not None else label


def _missing_label(planned: PlannedRep) -> str:
    """A rep not run has no number, as in the text report: ``'-\n400 m'``."""
    return f"-\n{planned_text(planned)}"
