"""The typed session summary against the real JSON of real analyses: a key renamed in one is caught."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from hardkick_analyze.pipeline import analyze_session
from hardkick_analyze.present.report_json import report_to_dict
from hardkick_analyze.present.summary import SessionSummary, SummaryError

from .conftest import INTERVALS

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
#: A kick session on a track (kicks, bins, form, track), a GPX track without laps, a treadmill,
#: strides; a run with no reps (no structure, score None).
FILES = [
    SAMPLES / "hard_kick_500_laps.fit",
    SAMPLES / "hard_kick_500_strava.gpx",
    SAMPLES / "treadmill.fit",
    SAMPLES / "noisy_smart_strides.fit",
    Path(__file__).parent / "data" / "run.fit",
]


@pytest.fixture(scope="module")
def contracts() -> dict[str, dict[str, object]]:
    return {path.name: report_to_dict(analyze_session(path)) for path in FILES}


@pytest.mark.parametrize("name", [p.name for p in FILES])
def test_the_summary_round_trips_the_real_json(contracts, name):
    contract = contracts[name]
    summary = SessionSummary.from_dict(contract)
    assert summary.to_dict() == contract
    # Through the JSON text too: the same bytes, key order included.
    text = json.dumps(contract, allow_nan=False)
    assert json.dumps(SessionSummary.from_dict(json.loads(text)).to_dict(), allow_nan=False) == text


def test_the_typed_values_are_the_analysis_values(contracts):
    summary = SessionSummary.from_dict(contracts["hard_kick_500_laps.fit"])
    assert summary.is_hard_kick
    assert summary.structure == "hard kick 500"
    assert summary.workout.plan_source in {"watch", "preset", "detected"}
    assert [r.kind for r in summary.reps] == ["work"] * 4 + ["kick"] * 2
    assert len(summary.kicks) == 2 and all(k.avg_speed_mps and k.avg_speed_mps > 5.0 for k in summary.kicks)
    assert summary.segmentation.track is not None and summary.segmentation.track.source
    assert summary.score is not None and 0.0 <= summary.score.total <= 100.0
    # The run with no reps says so in its structure, and has no score.
    run = SessionSummary.from_dict(contracts["run.fit"])
    assert run.structure is not None and run.structure.endswith("no intervals")
    assert run.reps == () and run.score is None


def test_from_report_is_the_json_read_back():
    report = analyze_session(SAMPLES / "hard_kick_250.tcx")
    assert SessionSummary.from_report(report) == SessionSummary.from_dict(report_to_dict(report))


@pytest.mark.parametrize(
    ("path", "rename"),
    [
        ((), ("structure", "shape")),
        (("score",), ("warmup_s", "warm_up_s")),
        (("workout",), ("target_pace_s_per_km", "target_pace")),
        (("reps", 0), ("pace_s_per_km", "pace")),
        (("reps", 4, "kick"), ("fade_pct", "fade")),
    ],
)
def test_a_renamed_key_is_an_error_not_an_empty_value(contracts, path, rename):
    contract = json.loads(json.dumps(contracts["hard_kick_500_laps.fit"]))
    node = contract
    for step in path:
        node = node[step]
    old, new = rename
    node[new] = node.pop(old)
    with pytest.raises(SummaryError, match=old):
        SessionSummary.from_dict(contract)


def test_a_wrong_type_or_schema_is_an_error(contracts):
    contract = json.loads(json.dumps(contracts["hard_kick_500_laps.fit"]))
    contract["reps"][0]["duration_s"] = "80 s"
    with pytest.raises(SummaryError, match=r"reps\[0\].duration_s"):
        SessionSummary.from_dict(contract)
    with pytest.raises(SummaryError, match="schema_version"):
        SessionSummary.from_dict({**contracts["run.fit"], "schema_version": "1.0"})


def test_summaries_are_frozen(contracts):
    summary = SessionSummary.from_dict(contracts["treadmill.fit"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.source = "other"  # type: ignore[misc]


@pytest.mark.skipif(not INTERVALS.is_dir(), reason="../shared/real_intervals is not beside the repository")
def test_a_real_interval_session_round_trips():
    contract = report_to_dict(analyze_session(INTERVALS / "jasonjdd_468216855723540488.fit"))
    assert SessionSummary.from_dict(contract).to_dict() == contract
