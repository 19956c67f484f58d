"""Session simulator with ground truth: runners on a real track, recorded by an imperfect watch.

::

    from hardkick_analyze.models import PlannedRep, Workout
    from hardkick_analyze.simulate import SessionConfig, SessionPlan, simulate_session

    workout = Workout(spec="4x400 @ 4:55 + 400+100", reps=(...))
    session = simulate_session(SessionConfig(plan=SessionPlan(workout=workout)), seed=7)
    session.truth.reps[0].end_s     # when the first rep's 400 m were covered [s]
    session.to_fit()                # the watch file's bytes (also to_gpx(), to_tcx(), gzip=True)

Modules: :mod:`.config` (what to simulate), :mod:`.runner` (true distance and speed),
:mod:`.place` (where: track and roads), :mod:`.watch` (what the device records),
:mod:`.truth` (what an analysis should find), :mod:`.writers` (FIT, GPX, TCX bytes),
:mod:`.scenarios` (named, seeded scenarios), :mod:`.samples` (regenerates ``sample_data/``).
"""

from __future__ import annotations

from .config import Athlete, SessionConfig, SessionPlan, Track, Treadmill, Watch
from .session import FORMATS, SimulatedSession, simulate_session
from .truth import KickTruth, RepTruth, SessionTruth, StrideTruth

__all__ = [
    "FORMATS",
    "Athlete",
    "KickTruth",
    "RepTruth",
    "SessionConfig",
    "SessionPlan",
    "SessionTruth",
    "SimulatedSession",
    "StrideTruth",
    "Track",
    "Treadmill",
    "Watch",
    "simulate_session",
]
