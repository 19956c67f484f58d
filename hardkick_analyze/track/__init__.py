"""The track stage, between the grid and the segmentation: recognise a 400 m track in the GPS
trace and measure the distance on its running lines (:mod:`.recognise` detects, :mod:`.correct`
corrects).

Watches correct GPS on a track only live, in a track mode the runner has to remember; on a
track a plain GPS distance is routinely 2-5 % off (390 m or 420 m "laps"), about 3 s per 400 m.
This stage does the correction afterwards, on any file with positions.
"""

from __future__ import annotations

from ..clean import SessionGrid
from ..models import Activity
from .correct import TRACK_COLUMNS, TrackCorrection, correct_grid, track_correction
from .recognise import TrackFit, fit_track, fit_track_positions, stadium_offset_m

__all__ = [
    "TRACK_COLUMNS",
    "TrackCorrection",
    "TrackFit",
    "correct_grid",
    "correct_session",
    "fit_track",
    "stadium_offset_m",
    "track_correction",
]


def correct_session(
    grid: SessionGrid, activity: Activity, *, enabled: bool = True
) -> tuple[SessionGrid, TrackFit | None]:
    """Fit the track and correct the grid when there is one.

    Parameters
    ----------
    grid
        The session on its uniform grid; not modified.
    activity
        The activity the grid came from.
    enabled
        False skips the stage (the input grid and None come back).

    Returns
    -------
    grid, fit
        The corrected grid and the fit, or the input grid and None when the session was not
        run on a 400 m track.
    """
    fit, positions = fit_track_positions(grid, activity) if enabled else (None, None)
    if fit is None:
        return grid, None
    return correct_grid(grid, fit, positions), fit
