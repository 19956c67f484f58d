"""The true trajectory: distance and speed of the runner through the whole session, at 10 Hz.

The session is a chain of phases (standstill, warm-up, strides, reps, kicks, easing off, rests,
cool-down). Each phase is integrated on its own 0.1 s grid from the speed the previous one ended
with, so the speed is continuous; phases that end on distance (a rep, a kick, a stride) end on
an exactly solved sample, so a rep's paced part ends, and its kick starts, exactly at the planned
distance. Speed is piecewise linear between samples and distance its exact integral.

What is modelled, and why:

* Rep starts approach the rep speed exponentially (time constant ``Athlete.accel_tau_s``), the
  mono-exponential sprint-start model (Furusawa, Hill & Parkinson 1927); the steady speed is
  chosen so the rep takes the time the runner aims at, so the start costs nothing in pace.
* A runner speeds up *into* the start line, eases off *through* the finish line and winds up a
  kick before its mark, as the laps of real sessions show (``bench/ramps.py --format fit``: a lap
  starts about 0.3 of the way up the recorded speed ramp from a stand, 0.57 from a jog, and ends
  as the ramp down begins). The truth stays where the line is (a rep covers exactly its
  distance); the speed change begins ``Athlete.start_lead_*_s``, ``end_lead_s`` or
  ``kick_lead_s`` before it. The steady speed also pays back the easing (or the wind-up's
  gain) before the finish line, so a runner without pace drift crosses it exactly at the
  aimed time: the truth's pace is the pace run.
* Pace wanders within a rep (an Ornstein-Uhlenbeck drift of about 1 %) and between reps (scatter,
  a too-fast first rep, fading reps) as the athlete's fields say.
* A kick rises to its top speed along a smoothstep in ``kick_rise_s`` (about 3 s), then decays
  linearly; the decay rate is solved so the kick's fade, measured by the analysis issue's
  definition, hits a value drawn from ``kick_fade_pct``.
* Efforts end with a smooth deceleration (about 1 m/s^2) to the rest's walk, jog or standstill.
* On a treadmill the belt caps the top speed and limits how fast speed changes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .config import Athlete, RestMode, SessionConfig, Treadmill, Venue
from .curves import (
    SpeedChange,
    continued_from,
    cut_at,
    integral,
    kick_level_ratio,
    raised_cosine,
    run_up_m,
    smoothstep,
    steady_mps,
    time_grid,
    to_distance,
)
from .kinematics import kick_kinematics
from .processes import ornstein_uhlenbeck
from .trajectory import Phase, PhaseKind, RepRun, Trajectory, reps_to_run

__all__ = ["simulate_trajectory"]

#: Average deceleration when easing off after an effort [m/s^2].
_EASE_DECEL_MPS2 = 1.0
#: How quickly easy running settles to its speed after a change [s].
_EASY_TAU_S = 3.0


def simulate_trajectory(config: SessionConfig, rng: np.random.Generator) -> Trajectory:
    """Simulate the runner's true distance and speed for the whole session.

    Parameters
    ----------
    config
        Plan, athlete and venue (the watch plays no part here).
    rng
        Source of the session's natural variation.

    Returns
    -------
    Trajectory
        Samples about every :data:`STEP_S` seconds plus every phase boundary.
    """
    athlete, plan = config.athlete, config.plan
    runs = reps_to_run(config, rng)
    session = _Builder(athlete, config.venue, rng)
    session.hold("standstill", 0.0, rng.uniform(4.0, 10.0))
    session.warmup(athlete.warmup_speed_mps, athlete.warmup_s, "warmup")
    fastest = max(1000.0 / r.aimed_pace_s_per_km for r in runs) if runs else athlete.jog_speed_mps * 2
    if athlete.strides and not isinstance(config.venue, Treadmill):
        for _ in range(athlete.strides):
            session.stride(athlete.stride_m, fastest)
            session.rest(rng.uniform(30.0, 50.0), "walk", standing_start=False)
    # Before the first rep: shed a layer, drink, line up. Without a warm-up the watch is started
    # on the line and the file begins with rep 1.
    if athlete.warmup_s > 0 or athlete.strides:
        first_rest_s = max(plan.rest_s, 90.0) + rng.uniform(0.0, 60.0)
        session.rest(first_rest_s, "walk" if athlete.rolling_start else "walk_then_stand", not athlete.rolling_start)
    for ordinal, run in enumerate(runs):
        last = ordinal == len(runs) - 1
        resting = rng.uniform(60.0, 120.0) if last else plan.rest_s + rng.uniform(-1, 1) * plan.rest_jitter_s
        mode: RestMode = athlete.rest_mode if not last else "walk"
        rest_speed = session.rest_speed(mode)
        session.lead_in(run)
        session.rep(run, ordinal, then_mps=None if run.kick_m > 0 else rest_speed)
        if run.kick_m > 0:
            session.kick(run, ordinal)
        session.ease_and_rest(resting, mode, not athlete.rolling_start, speed=rest_speed)
    session.warmup(athlete.cooldown_speed_mps, athlete.cooldown_s, "cooldown")
    session.ease_and_rest(rng.uniform(5.0, 10.0), "stand", standing_start=False)
    return session.trajectory(runs)


class _Builder:
    """Appends phases, each integrated from the state the previous one ended in."""

    def __init__(self, athlete: Athlete, venue: Venue, rng: np.random.Generator) -> None:
        self.athlete = athlete
        self.rng = rng
        self.treadmill = venue if isinstance(venue, Treadmill) else None
        self.t: list[np.ndarray] = [np.zeros(1)]
        self.v: list[np.ndarray] = [np.zeros(1)]
        self.d: list[np.ndarray] = [np.zeros(1)]
        self.phases: list[Phase] = []
        # A speed change begun before a line and continued after it, and the seconds of it already
        # run (see _cross); the fade the coming kick aims at.
        self._pending: tuple[SpeedChange, float] | None = None
        self._kick_fade_pct = 0.0

    # -- state -------------------------------------------------------------------------------
    @property
    def now_s(self) -> float:
        return float(self.t[-1][-1])

    @property
    def speed_mps(self) -> float:
        return float(self.v[-1][-1])

    @property
    def distance_m(self) -> float:
        return float(self.d[-1][-1])

    def _append(
        self,
        kind: PhaseKind,
        t: np.ndarray,
        v: np.ndarray,
        d: np.ndarray,
        *,
        rep: int | None = None,
        planned_index: int | None = None,
        target_fade_pct: float | None = None,
    ) -> None:
        """Append a chunk whose first sample repeats the current state."""
        start_s, start_m = self.now_s, self.distance_m
        self.t.append(start_s + t[1:])
        self.v.append(v[1:])
        self.d.append(start_m + d[1:])
        self.phases.append(
            Phase(
                kind=kind,
                start_s=start_s,
                end_s=self.now_s,
                start_m=start_m,
                end_m=self.distance_m,
                rep=rep,
                planned_index=planned_index,
                target_fade_pct=target_fade_pct,
            )
        )

    def _cap(self, speed_mps: float) -> float:
        return min(speed_mps, self.treadmill.max_speed_mps) if self.treadmill else speed_mps

    def _ramp_s(self, v0: float, v1: float) -> float:
        """How long a smooth speed change takes (a belt changes speed slowly)."""
        decel = self.treadmill.accel_mps2 if self.treadmill else _EASE_DECEL_MPS2
        return max(abs(v1 - v0) / decel, 1.0)

    # -- phases --------------------------------------------------------------------------------
    def hold(self, kind: PhaseKind, speed_mps: float, duration_s: float) -> None:
        t = time_grid(duration_s)
        self._append(kind, t, np.full(len(t), speed_mps), speed_mps * t)

    def ramp(self, kind: PhaseKind, speed_mps: float) -> None:
        if kind == "ease" and self._pending is not None:
            # The rest of an ease begun before the finish line.
            change, done = self._pending
            self._pending = None
            if change.duration_s - done > 1e-6:
                t = time_grid(change.duration_s - done)
                v = continued_from(change, done, self.speed_mps)(t)
                self._append(kind, t, v, integral(t, v))
            return
        v0 = self.speed_mps
        if abs(speed_mps - v0) < 1e-9:
            return
        t = time_grid(self._ramp_s(v0, speed_mps))
        v = speed_mps + (v0 - speed_mps) * (1.0 + np.cos(np.pi * t / t[-1])) / 2.0
        self._append(kind, t, v, integral(t, v))

    def warmup(self, speed_mps: float, duration_s: float, kind: PhaseKind) -> None:
        """Easy running with a slowly wandering pace (3 %, over about a minute)."""
        if duration_s <= 0:
            return
        t = time_grid(duration_s)
        drift = ornstein_uhlenbeck(t, 0.03, 60.0, self.rng)
        v0 = self.speed_mps
        steady = self._cap(speed_mps) * (1.0 + drift)
        v = steady + (v0 - steady[0]) * np.exp(-t / _EASY_TAU_S)
        self._append(kind, t, v, integral(t, v))

    def stride(self, distance_m: float, fastest_rep_mps: float) -> None:
        """A short acceleration from a jog to ~90 % of kick speed in ~4.5 s, floated to the end."""
        athlete = self.athlete
        self.ramp("warmup", athlete.jog_speed_mps)
        v0 = self.speed_mps
        ratio = athlete.kick_peak_ratio or kick_level_ratio(fastest_rep_mps)
        kick_top = min(ratio * fastest_rep_mps, athlete.sprint_speed_max_mps)
        top = max(0.9 * kick_top * self.rng.uniform(0.95, 1.03), v0 + 1.0)

        def speed(t: np.ndarray) -> np.ndarray:
            rise = v0 + (top - v0) * smoothstep(t / 4.5)
            return np.where(t < 4.5, rise, top * (1.0 - 0.01 * (t - 4.5)))

        t, v, d = to_distance(speed, distance_m)
        self._append("stride", t, v, d)
        self.ramp("ease", athlete.walk_speed_mps)

    def lead_in(self, run: RepRun) -> None:
        """The end of the rest: the runner starts speeding up before the start line.

        From a stand or a walk the press of the lap and the first steps are nearly one; from a
        jog the runner builds up over a few seconds and crosses the line mid-ramp.
        """
        athlete = self.athlete
        target = self._cap(1000.0 / run.aimed_pace_s_per_km)
        v0 = self.speed_mps
        standing = v0 < 0.4 * target
        lead = float(self.rng.uniform(*(athlete.start_lead_stand_s if standing else athlete.start_lead_jog_s)))
        if lead <= 0:
            return
        tau = self._start_tau(run)
        t = time_grid(lead)
        v = target - (target - v0) * np.exp(-t / tau)
        self._append("rest", t, v, integral(t, v))

    def _start_tau(self, run: RepRun) -> float:
        tau = self.athlete.accel_tau_s
        if self.treadmill:
            tau = max(tau, 1000.0 / run.aimed_pace_s_per_km / self.treadmill.accel_mps2 / 3.0)
        return tau

    def rep(self, run: RepRun, ordinal: int, *, then_mps: float | None = None) -> None:
        """The paced part: from the current speed towards the steady speed, until the distance.

        ``then_mps`` is the rest's speed the runner eases to after the line (a kick follows when
        None); the easing, or a kick's wind-up, begins before the line. The steady speed pays
        back the start, the easing and the wind-up, so the line is reached in the aimed time.
        """
        athlete = self.athlete
        v0 = self.speed_mps
        aimed_s = run.distance_m * run.aimed_pace_s_per_km / 1000.0
        tau = self._start_tau(run)
        horizon = 3.0 * aimed_s + 30.0
        t_grid = time_grid(horizon)
        drift = ornstein_uhlenbeck(
            t_grid, athlete.pace_drift_pct / 100.0, athlete.pace_drift_tau_s, self.rng, start=0.0
        )
        change: Callable[[float], SpeedChange] | None = None
        lead = 0.0
        if run.kick_m > 0:
            change = self._wind_up(run)
            lead = float(self.rng.uniform(*athlete.kick_lead_s))
        elif then_mps is not None:
            rest_mps = then_mps

            def change(v_line: float) -> SpeedChange:
                return SpeedChange(v_line, rest_mps, self._ramp_s(v_line, rest_mps), raised_cosine)

            lead = float(self.rng.uniform(*athlete.end_lead_s))
        steady = self._cap(steady_mps(run.distance_m, aimed_s, v0, tau, change, lead))

        def speed(t: np.ndarray) -> np.ndarray:
            wander = np.interp(t, t_grid, drift)
            return self._cap_array(steady * (1.0 + wander) - (steady - v0) * np.exp(-t / tau))

        t, v, d = to_distance(speed, run.distance_m, horizon)
        self._cross(t, v, d, change, lead, run.distance_m, rep=ordinal, planned_index=run.planned_index)

    def _wind_up(self, run: RepRun) -> Callable[[float], SpeedChange]:
        """The kick's rise to its top speed from a speed at the mark; top and fade drawn once."""
        athlete = self.athlete
        rep_speed = 1000.0 / run.aimed_pace_s_per_km
        ratio = athlete.kick_peak_ratio or kick_level_ratio(rep_speed)
        drawn = min(ratio * rep_speed, athlete.sprint_speed_max_mps) * self.rng.uniform(0.97, 1.03)
        self._kick_fade_pct = float(self.rng.uniform(*athlete.kick_fade_pct))

        def change(v_mark: float) -> SpeedChange:
            top = self._cap(max(drawn, 1.15 * v_mark))
            return SpeedChange(v_mark, top, self._kick_rise_s(v_mark, top), smoothstep)

        return change

    def _cross(
        self,
        t: np.ndarray,
        v: np.ndarray,
        d: np.ndarray,
        change: Callable[[float], SpeedChange] | None,
        lead_s: float,
        distance_m: float,
        *,
        rep: int,
        planned_index: int | None,
    ) -> None:
        """Append a paced chunk that ends at ``distance_m``, its speed change begun ``lead_s`` before.

        ``change(v)`` is the speed change from speed ``v``; the paced chunk is cut where that
        change, run until the line, lands exactly on ``distance_m``, and the rest of the change
        is left for the next phase.
        """
        if change is None or lead_s <= 0:
            self._append("rep", t, v, d, rep=rep, planned_index=planned_index)
            self._pending = None if change is None else (change(float(v[-1])), 0.0)
            return
        # The distance the change covers in lead_s, from the speed at the line, then once more
        # from the speed where the paced chunk is cut (the pace barely moves in a second).
        run_up = run_up_m(change(float(v[-1])), lead_s)
        t_cut, v_cut, d_cut = cut_at(t, v, d, max(distance_m - run_up, float(d[1]) if len(d) > 1 else 0.0))
        profile = change(float(v_cut[-1]))
        u, w, x = to_distance(profile, distance_m - float(d_cut[-1]), max(2.0 * lead_s, 1.0))
        t_all = np.concatenate([t_cut, t_cut[-1] + u[1:]])
        v_all = np.concatenate([v_cut, w[1:]])
        d_all = np.concatenate([d_cut, d_cut[-1] + x[1:]])
        self._append("rep", t_all, v_all, d_all, rep=rep, planned_index=planned_index)
        self._pending = (profile, float(u[-1]))

    def _kick_rise_s(self, v0: float, top: float) -> float:
        rise = self.athlete.kick_rise_s
        if self.treadmill:
            rise = max(rise, (top - v0) / self.treadmill.accel_mps2 * 1.5)
        return rise

    def kick(self, run: RepRun, ordinal: int) -> None:
        """The sprint: smoothstep to the top speed, then a linear decay solved for the fade.

        The wind-up began before the kick's mark (:meth:`rep`); the smoothstep runs on from there.
        """
        if self._pending is None:
            raise RuntimeError("a kick follows the paced part of its rep")
        wind_up, done = self._pending
        self._pending = None
        top, rise, target_fade = wind_up.v_to_mps, wind_up.duration_s, self._kick_fade_pct
        now_mps = self.speed_mps

        def profile(rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            def sprint(since: np.ndarray) -> np.ndarray:
                decay = np.maximum(top * (1.0 - rate * (since - rise)), 0.4 * top)
                return np.where(since < rise, wind_up(since), decay)

            return to_distance(continued_from(sprint, done, now_mps), run.kick_m)

        def fade(rate: float) -> float:
            t, v, d = profile(rate)
            return kick_kinematics(t, d, v, 0.0, run.kick_m).fade_pct

        # Fade grows with the decay rate: bisect for the rate that gives the drawn fade.
        low, high = 0.0, 0.2
        if fade(high) <= target_fade:
            low = high
        for _ in range(30):
            middle = (low + high) / 2.0
            if fade(middle) < target_fade:
                low = middle
            else:
                high = middle
        t, v, d = profile(low)
        self._append("kick", t, v, d, rep=ordinal, planned_index=run.planned_index, target_fade_pct=target_fade)

    def ease_and_rest(
        self, duration_s: float, mode: RestMode, standing_start: bool, speed: float | None = None
    ) -> None:
        """Ease off to the rest's speed, then rest; the easing counts as part of the rest."""
        end = self.now_s + duration_s
        speed = self.rest_speed(mode) if speed is None else speed
        self.ramp("ease", speed)
        self.rest(end - self.now_s, mode, standing_start, speed=speed)

    def rest(self, duration_s: float, mode: RestMode, standing_start: bool, speed: float | None = None) -> None:
        """Stand, walk or jog; a standing start ends the rest with a few seconds on the line."""
        end = self.now_s + max(duration_s, 4.0)
        if mode == "stand":
            self.hold("rest", 0.0, end - self.now_s)
            return
        stopping = standing_start or mode == "walk_then_stand"
        if mode == "walk_then_stand":
            stop_at = self.now_s + (end - self.now_s) * self.rng.uniform(0.4, 0.7)
        else:
            stop_at = end - (self.rng.uniform(3.0, 8.0) if stopping else 0.0)
        speed = self.rest_speed(mode) if speed is None else speed
        self.ramp("rest", speed)
        if stop_at - self.now_s > 1.0:
            t = time_grid(stop_at - self.now_s)
            wander = ornstein_uhlenbeck(t, 0.05, 15.0, self.rng)
            steady = speed * (1.0 + wander)
            v = steady + (self.speed_mps - steady[0]) * np.exp(-t / _EASY_TAU_S)
            self._append("rest", t, v, integral(t, v))
        if stopping:
            self.ramp("rest", 0.0)
            self.hold("rest", 0.0, max(end - self.now_s, 1.0))

    def rest_speed(self, mode: RestMode) -> float:
        """The speed of a rest of this kind, drawn for this rest [m/s]."""
        if mode == "stand":
            return 0.0
        jog = self.athlete.jog_speed_mps
        base = jog if mode == "jog" else self.athlete.walk_speed_mps
        return base * self.rng.uniform(0.9, 1.1)

    def _cap_array(self, speed: np.ndarray) -> np.ndarray:
        return np.minimum(speed, self.treadmill.max_speed_mps) if self.treadmill else speed

    # -- result --------------------------------------------------------------------------------
    def trajectory(self, runs: tuple[RepRun, ...]) -> Trajectory:
        t, d, v = (np.concatenate(chunks) for chunks in (self.t, self.d, self.v))
        v = np.maximum(v, 0.0)
        for array in (t, d, v):
            array.setflags(write=False)
        return Trajectory(t_s=t, distance_m=d, speed_mps=v, phases=tuple(self.phases), reps=runs)
