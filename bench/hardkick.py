"""The real analyzer, adapted to the benchmark's contract."""

from __future__ import annotations

from hardkick_analyze.models import Activity, Workout
from hardkick_analyze.pipeline import analyze_session

from . import PredictedKick, PredictedRep, Prediction

__all__ = ["hardkick"]


def hardkick(activity: Activity, workout: Workout) -> Prediction:
    """``analyze_session`` with the planned workout; a session it rejects predicts nothing."""
    report = analyze_session(activity, workout=workout)
    planned_index = {b.start_s: b.planned_index for b in report.segmentation.reps}
    reps = []
    for rep in report.reps:
        kick = rep.kick
        reps.append(
            PredictedRep(
                planned_index=planned_index[rep.start_s],
                start_s=rep.start_s,
                end_s=rep.end_s,
                kick=None
                if kick is None
                else PredictedKick(
                    start_s=kick.start_s,
                    end_s=kick.end_s,
                    avg_speed_mps=kick.avg_speed_mps,
                    peak_speed_mps=kick.peak_speed_mps,
                    fade_pct=kick.fade_pct,
                ),
            )
        )
    missing = report.segmentation.missing if report.is_hard_kick else tuple(range(len(workout.reps)))
    return Prediction(reps=tuple(reps), missing_planned_indices=tuple(missing))
