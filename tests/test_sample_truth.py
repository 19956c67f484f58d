"""Each bundled sample is analysed, untold, and what is found is held to the simulator's truth.

The samples are simulated (``python -m hardkick_analyze.simulate.samples``), so their truth is
exact: the time each rep and kick crossed its line, its pace, the kick's speeds. The tolerances
below are what a runner can live with, with a margin over the worst errors measured on the samples
when they were set: boundaries 3.0 s (the noisy smart-recording file), pace 7.5 s/km (400 m reps
timed from 1-7 s samples), kick speed 0.19 m/s, fade 4.1 points.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hardkick_analyze import analyze_session
from hardkick_analyze.workout import parse_workout

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
TRUTHS = sorted(SAMPLES.glob("*.truth.json"))

#: A rep's or a kick's start and end [s].
BOUNDARY_TOLERANCE_S = 4.0
#: A rep's pace [s/km].
PACE_TOLERANCE_S_PER_KM = 12.0
#: A kick's average speed [m/s].
KICK_SPEED_TOLERANCE_MPS = 0.3
#: A kick's fade [percentage points].
FADE_TOLERANCE_PCT = 6.0


def _activity_file(truth: Path) -> Path:
    stem = truth.name.removesuffix(".truth.json")
    return next(p for p in SAMPLES.iterdir() if p.name.startswith(stem + ".") and p != truth)


@pytest.fixture(scope="module", params=TRUTHS, ids=lambda p: p.name.removesuffix(".truth.json"))
def sample(request):
    truth = json.loads(request.param.read_text(encoding="utf-8"))
    return truth, analyze_session(_activity_file(request.param))


def test_there_are_samples_with_truth():
    assert len(TRUTHS) >= 5


def test_the_truth_spec_is_notation_the_tool_reads(sample):
    truth, _ = sample
    assert len(parse_workout(truth["workout_spec"]).reps) == len(truth["reps"])


def test_every_run_rep_is_found_and_nothing_else(sample):
    truth, report = sample
    run = [rep for rep in truth["reps"] if not rep["missing"]]
    assert len(report.reps) == len(run)
    assert [rep.kick is not None for rep in report.reps] == [rep["kick"] is not None for rep in run]


def test_reps_are_timed_and_paced_like_the_truth(sample):
    truth, report = sample
    run = [rep for rep in truth["reps"] if not rep["missing"]]
    for found, true in zip(report.reps, run, strict=True):
        assert found.start_s == pytest.approx(true["start_s"], abs=BOUNDARY_TOLERANCE_S)
        assert found.end_s == pytest.approx(true["end_s"], abs=BOUNDARY_TOLERANCE_S)
        assert found.pace_s_per_km == pytest.approx(true["pace_s_per_km"], abs=PACE_TOLERANCE_S_PER_KM)


def test_kicks_are_measured_like_the_truth(sample):
    truth, report = sample
    run = [rep for rep in truth["reps"] if not rep["missing"]]
    pairs = [(found.kick, true["kick"]) for found, true in zip(report.reps, run, strict=True) if true["kick"]]
    assert pairs, "every sample holds at least one kick"
    for found, true in pairs:
        assert found is not None
        assert found.start_s == pytest.approx(true["start_s"], abs=BOUNDARY_TOLERANCE_S)
        assert found.avg_speed_mps == pytest.approx(true["avg_speed_mps"], abs=KICK_SPEED_TOLERANCE_MPS)
        assert found.fade_pct == pytest.approx(true["fade_pct"], abs=FADE_TOLERANCE_PCT)
