"""Speed curves and their distance: the integration grid, smooth speed changes, and the exact
distance of a piecewise-linear speed, cut where it reaches a mark. Pure functions of their inputs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Integration step of the true trajectory [s].
STEP_S = 0.1


def time_grid(duration_s: float) -> np.ndarray:
    """0, STEP_S, 2 STEP_S, ... and exactly ``duration_s`` as the last sample."""
    steps = np.arange(0.0, duration_s, STEP_S)
    if duration_s - steps[-1] < 1e-6:
        steps = steps[:-1]
    return np.append(steps, duration_s)


def integral(t: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Cumulative distance of a piecewise-linear speed (trapezoid rule, exact for it) [m]."""
    return np.concatenate([[0.0], np.cumsum(np.diff(t) * (v[1:] + v[:-1]) / 2.0)])


def to_distance(
    speed: Callable[[np.ndarray], np.ndarray], distance_m: float, horizon_s: float = 120.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrate ``speed`` until ``distance_m``; the last sample lands exactly on it."""
    while True:
        t = time_grid(horizon_s)
        v = np.maximum(speed(t), 0.0)
        d = integral(t, v)
        if d[-1] >= distance_m:
            break
        horizon_s *= 2.0
    return cut_at(t, v, d, distance_m)


def cut_at(t: np.ndarray, v: np.ndarray, d: np.ndarray, distance_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A chunk of piecewise-linear speed cut where it reaches ``distance_m``."""
    k = int(np.searchsorted(d, distance_m, side="left"))
    if k == 0:
        return t[:1], v[:1], d[:1]
    if k >= len(d):
        return t, v, d
    step = t[k] - t[k - 1]
    accel = (v[k] - v[k - 1]) / step
    gap = distance_m - d[k - 1]
    if abs(accel) < 1e-12:
        tau = gap / max(v[k - 1], 1e-9)
    else:
        tau = (-v[k - 1] + np.sqrt(max(v[k - 1] ** 2 + 2.0 * accel * gap, 0.0))) / accel
    tau = min(max(tau, 0.0), step)
    t_end, v_end = t[k - 1] + tau, v[k - 1] + accel * tau
    return np.append(t[:k], t_end), np.append(v[:k], v_end), np.append(d[:k], distance_m)


@dataclass(frozen=True, slots=True)
class SpeedChange:
    """A smooth speed change from one speed to another over ``duration_s``, held after it [m/s, s].

    ``shape`` maps the elapsed fraction (0-1) to the fraction of the change made.
    """

    v_from_mps: float
    v_to_mps: float
    duration_s: float
    shape: Callable[[np.ndarray], np.ndarray]

    def __call__(self, u: np.ndarray) -> np.ndarray:
        fraction = self.shape(np.clip(np.asarray(u) / self.duration_s, 0.0, 1.0))
        return self.v_from_mps + (self.v_to_mps - self.v_from_mps) * fraction


def continued_from(
    speed: Callable[[np.ndarray], np.ndarray], done_s: float, now_mps: float
) -> Callable[[np.ndarray], np.ndarray]:
    """``speed`` continued ``done_s`` into it, starting from the speed recorded at the line.

    The line's sample was solved inside a step, so it sits on the chord, not on the curve; the
    first step bends back to the curve, keeping distance the exact integral of the speed.
    """

    def continued(t: np.ndarray) -> np.ndarray:
        t = np.asarray(t)
        return np.where(t == 0.0, now_mps, speed(t + done_s))

    return continued


def run_up_m(change: SpeedChange, lead_s: float) -> float:
    """Distance covered in the first ``lead_s`` of a speed change, on the integration grid [m]."""
    t = time_grid(lead_s)
    return float(integral(t, change(t))[-1])


def steady_mps(
    distance_m: float,
    aimed_s: float,
    v0_mps: float,
    tau_s: float,
    change: Callable[[float], SpeedChange] | None,
    lead_s: float,
) -> float:
    """The steady speed that covers ``distance_m`` in ``aimed_s`` from ``v0_mps`` at the line.

    The approach ``v(t) = v - (v - v0) exp(-t / tau)`` covers ``v t - (v - v0) tau (1 - exp(-t /
    tau))`` in ``t``; the last ``lead_s`` before the finish line are the speed change begun
    there (easing off or winding up a kick), whose distance depends on ``v`` itself, so the
    speed is found by fixed-point iteration (the change is a second's worth of a minute or more
    of running: each step shrinks the error by ``lead_s / aimed_s``).
    """
    if change is None or lead_s <= 0:
        lead_s = 0.0
    paced_s = aimed_s - lead_s
    settle_s = tau_s * (1.0 - np.exp(-paced_s / tau_s))
    steady = (distance_m - v0_mps * settle_s) / (aimed_s - settle_s)
    if lead_s == 0.0 or change is None:
        return float(steady)
    for _ in range(50):
        run_up = run_up_m(change(steady), lead_s)
        update = (distance_m - run_up - v0_mps * settle_s) / (paced_s - settle_s)
        if abs(update - steady) < 1e-12:
            break
        steady = update
    return float(update)


def smoothstep(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3.0 - 2.0 * u)


def raised_cosine(u: np.ndarray) -> np.ndarray:
    return (1.0 - np.cos(np.pi * np.clip(u, 0.0, 1.0))) / 2.0


def kick_level_ratio(rep_speed_mps: float) -> float:
    """Kick top speed / rep speed by level: 2.0 at 2.5 m/s, 1.4 at 5.5 m/s (linear, clipped)."""
    return float(np.interp(rep_speed_mps, [2.5, 5.5], [2.0, 1.4]))
