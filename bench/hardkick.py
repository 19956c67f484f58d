"""The real analyzer, adapted to the benchmark's contract: with the track correction (the
default) and without it, so the benchmark compares the two on the same sessions."""

from __future__ import annotations

from dataclasses import dataclass

from hardkick_analyze.models import Activity, Workout
from hardkick_analyze.pipeline import analyze_session

from . import PredictedKick, PredictedRep, Prediction

__all__ = ["MeasuredRep", "hardkick", "hardkick_uncorrected"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasuredRep(PredictedRep):
    """A rep with the distances the analyzer measured over its paced part [m].

    ``measured_distance_m`` is the analyzer's (track-corrected when it found a track);
    ``gps_distance_m`` the watch's own distance over the same seconds.
    """

    measured_distance_m: float | None = None
    gps_distance_m: float | None = None


def hardkick(activity: Activity, workout: Workout) -> Prediction:
    """``analyze_session`` with the planned workout."""
    return _predict(activity, workout, track_correction=True)


def hardkick_uncorrected(activity: Activity, workout: Workout) -> Prediction:
    """The same without the track correction: distances as the watch measured them."""
    return _predict(activity, workout, track_correction=False)


def _predict(activity: Activity, workout: Workout, *, track_correction: bool) -> Prediction:
    report = analyze_session(activity, workout=workout, track_correction=track_correction)
    planned_index = {b.start_s: b.planned_index for b in report.segmentation.reps}
    reps = []
    for rep in report.reps:
        kick = rep.kick
        reps.append(
            MeasuredRep(
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
                measured_distance_m=rep.measured_distance_m,
                gps_distance_m=rep.gps_distance_m,
            )
        )
    return Prediction(reps=tuple(reps), missing_planned_indices=tuple(report.segmentation.missing))
