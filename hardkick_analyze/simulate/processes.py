"""Random and filtering processes shared by the runner, the place and the watch."""

from __future__ import annotations

import numpy as np

__all__ = ["first_order_lag", "ornstein_uhlenbeck"]


def ornstein_uhlenbeck(
    t_s: np.ndarray, sigma: float, tau_s: float, rng: np.random.Generator, start: float | None = None
) -> np.ndarray:
    """A stationary Ornstein-Uhlenbeck path sampled at times ``t_s``.

    Parameters
    ----------
    t_s
        Increasing sample times [s], any spacing.
    sigma
        Stationary standard deviation (in the unit of the result).
    tau_s
        Correlation time [s]: the autocorrelation falls to 1/e after ``tau_s``.
    rng
        Random source; ``len(t_s)`` normal draws are taken whatever ``sigma`` is.
    start
        Value at the first sample; drawn from the stationary law when ``None``.
    """
    # Drawn even when sigma is 0, so switching one imperfection off leaves the rest unchanged.
    noise = rng.standard_normal(len(t_s))
    if sigma == 0.0:
        return np.zeros(len(t_s))
    out = np.empty(len(t_s))
    value = sigma * float(noise[0]) if start is None else start
    out[0] = value
    decay = np.exp(-np.diff(t_s) / tau_s)
    scale = sigma * np.sqrt(1.0 - decay**2)
    for i, (a, s, e) in enumerate(zip(decay.tolist(), scale.tolist(), noise[1:].tolist(), strict=True)):
        value = a * value + s * e
        out[i + 1] = value
    return out


def first_order_lag(
    t_s: np.ndarray, target: np.ndarray, tau_up_s: float, tau_down_s: float | None = None
) -> np.ndarray:
    """Follow ``target`` with a first-order lag, exact for a target held between samples.

    Parameters
    ----------
    t_s
        Increasing sample times [s].
    target
        What the output moves towards.
    tau_up_s, tau_down_s
        Time constants while rising and falling [s] (``tau_down_s`` defaults to ``tau_up_s``);
        0 means no lag.
    """
    tau_down_s = tau_up_s if tau_down_s is None else tau_down_s
    if tau_up_s == 0.0 and tau_down_s == 0.0:
        return np.asarray(target, dtype=np.float64).copy()
    steps = np.diff(t_s)
    goals = np.asarray(target, dtype=np.float64).tolist()
    out = np.empty(len(goals))
    value = goals[0]
    out[0] = value
    up = (np.exp(-steps / tau_up_s) if tau_up_s > 0 else np.zeros(len(steps))).tolist()
    down = (np.exp(-steps / tau_down_s) if tau_down_s > 0 else np.zeros(len(steps))).tolist()
    for i, goal in enumerate(goals[1:]):
        keep = up[i] if goal > value else down[i]
        value = goal + (value - goal) * keep
        out[i + 1] = value
    return out
