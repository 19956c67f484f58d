"""The season benchmark's realistic mix (bench/season_mix.py) and the profile summary (bench/profile.py)."""

from __future__ import annotations

import collections

import pytest

from bench.profile import shares
from bench.season_mix import KINDS, mix, write_season
from hardkick_analyze import read_activity
from hardkick_analyze.errors import HardkickError


def test_the_mix_holds_every_kind_in_its_share():
    kinds = collections.Counter(kind for kind, _ in mix(250))
    assert kinds == KINDS
    assert sorted(number for _, number in mix(250)) == list(range(250))
    small = collections.Counter(kind for kind, _ in mix(12))
    assert set(small) == set(KINDS) and sum(small.values()) == 12


def test_a_small_season_reads_back_as_written(tmp_path):
    files = write_season(tmp_path, 12)
    assert len(files) == 12 == len(list(tmp_path.iterdir()))
    for file in files:
        if file.kind == "broken":
            # Refused with a reason, or (a truncated FIT file) read as far as it goes, with a warning.
            try:
                assert read_activity(file.path).warnings
            except HardkickError as exc:
                assert exc.reason
            continue
        activity = read_activity(file.path)
        assert activity.metadata.sport == ("cycling" if file.kind == "ride" else "running")
        assert activity.duration_s == pytest.approx(file.duration_s, abs=1.0)
        # About an hour (or three); an interval session's warm-up fills what its reps leave.
        low, high = (3600.0, 7300.0) if file.kind == "ride" else (0.9 * file.hours * 3600, 1.3 * file.hours * 3600)
        assert low <= file.duration_s <= high
        assert file.recording in ("1s", "smart")


def test_shares_count_the_samples_inside_the_analysis(tmp_path):
    raw = tmp_path / "profile.txt"
    raw.write_text(
        "main (x.py:1);analyze_session (p.py:2);_track_stage (p.py:3);fit_track_positions (f.py:4) 30\n"
        "main (x.py:1);analyze_session (p.py:2);segment_session (s.py:5);place_rep (pl.py:6) 10\n"
        "main (x.py:1);analyze_session (p.py:2);make_grid (c.py:7) 60\n"
        "main (x.py:1);read_activity (r.py:8) 500\n",
        encoding="utf-8",
    )
    got = shares(raw)
    assert got["track stage: fitting the track"] == pytest.approx(0.3)
    assert got["segment: a plan's alignment, laps and boundaries"] == pytest.approx(0.1)
    assert got["... of which the boundaries"] == pytest.approx(0.1)
    assert got["clean: the grid"] == pytest.approx(0.6)
    assert got["score"] == 0.0
