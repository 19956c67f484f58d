"""One simulated session: the runner, the place, the watch and the truth, from a config and a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import SessionConfig, Track
from .positions import TruePositions, locate
from .runner import simulate_trajectory
from .trajectory import Trajectory
from .truth import SessionTruth, session_truth
from .watch import Recording, record
from .writers import GpxFlavor, write_fit, write_gpx, write_tcx

__all__ = ["FORMATS", "SimulatedSession", "simulate_session"]

#: File formats a session can be written in (``.gz``: gzipped).
FORMATS = ("fit", "fit.gz", "gpx", "gpx.gz", "tcx", "tcx.gz")


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatedSession:
    """A simulated session: what happened (``trajectory``, ``positions``), what the watch recorded
    (``recorded``) and what an analysis should find (``truth``)."""

    config: SessionConfig
    seed: int
    trajectory: Trajectory
    positions: TruePositions | None
    recorded: Recording
    truth: SessionTruth

    def to_fit(self, *, gzip: bool = False) -> bytes:
        """The recording as a FIT activity file."""
        return write_fit(self.recorded, gzip=gzip)

    def to_gpx(self, *, gzip: bool = False, flavor: GpxFlavor = "strava") -> bytes:
        """The recording as GPX, exported the way Strava (default) or Garmin Connect does."""
        return write_gpx(self.recorded, gzip=gzip, flavor=flavor)

    def to_tcx(self, *, gzip: bool = False) -> bytes:
        """The recording as a Garmin-style TCX file."""
        return write_tcx(self.recorded, gzip=gzip)

    def to_bytes(self, file_format: str) -> bytes:
        """The recording in one of :data:`FORMATS` (e.g. ``'gpx.gz'``)."""
        if file_format not in FORMATS:
            raise ValueError(f"unknown format {file_format!r}; choose one of {', '.join(FORMATS)}")
        kind, _, compressed = file_format.partition(".")
        writer = {"fit": self.to_fit, "gpx": self.to_gpx, "tcx": self.to_tcx}[kind]
        return writer(gzip=bool(compressed))


def simulate_session(config: SessionConfig, seed: int, *, scenario: str | None = None) -> SimulatedSession:
    """Simulate one session.

    Parameters
    ----------
    config
        Plan, athlete, venue and watch.
    seed
        Makes the session reproducible: the same config and seed give the same bytes.
    scenario
        Name recorded in the truth.

    Returns
    -------
    SimulatedSession
        The truth and the recording, ready to be written as FIT, GPX or TCX.
    """
    # Independent streams: changing the watch does not change the runner, and so on.
    runner_seed, place_seed, watch_seed = np.random.SeedSequence(seed).spawn(3)
    trajectory = simulate_trajectory(config, np.random.default_rng(runner_seed))
    venue = config.venue
    positions = locate(trajectory, venue, np.random.default_rng(place_seed)) if isinstance(venue, Track) else None
    recorded = record(trajectory, positions, config, np.random.default_rng(watch_seed))
    planned = tuple((r.distance_m, r.pace_s_per_km, r.kick_m) for r in config.plan.workout.reps)
    truth = session_truth(
        trajectory,
        config.plan.workout.spec,
        planned,
        recorded.first_record_time,
        config.plan.start_time,
        seed=seed,
        scenario=scenario,
    )
    return SimulatedSession(
        config=config, seed=seed, trajectory=trajectory, positions=positions, recorded=recorded, truth=truth
    )
