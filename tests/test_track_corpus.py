"""Track detection on the real corpus: every run with GPS in ../shared/real_activities/.

The corpus MANIFEST drives the parametrisation: each file it describes as a run (or a walk, or
a GPX/TCX whose sport is unknown or running) with GPS fixes is read and fitted. Exactly the
sessions judged to be on a 400 m track by looking at them must be detected:

* ``Runalyze/FR920xt-with-Stryd.fit``: 16 laps of a stadium-shaped loop whose straights and
  bends match the standard track to 3 m RMS (the fast running in the outer lanes).

Not tracks, though flagged as track-like: ``runpandas/run_garmin.tcx`` is shuttle running
along a 95 m line with an L-shaped path beside it (no bends at all); ``sports-lib/6914538454.fit``
is an out-and-back on a 230 m line.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from hardkick_analyze import HardkickError, read_activity
from hardkick_analyze.clean import make_grid
from hardkick_analyze.track import fit_track

from .conftest import CORPUS

#: Real sessions run on a 400 m track (judged by looking at them; see the module docstring).
TRACK_SESSIONS = frozenset({"Runalyze/FR920xt-with-Stryd.fit"})
#: Sports (the manifest's first field) that can hold a run.
RUNNING = re.compile(r"^(running|generic|walking|training|other|creator=)", re.IGNORECASE)


def _runs_with_gps(manifest: Path) -> list[str]:
    """Files the manifest describes as runs (or of unknown sport) with GPS fixes."""
    if not manifest.is_file():
        return []
    files, folder = [], None
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            folder = line[4:].split()[0]
            continue
        cells = [c.strip() for c in line.split("|")]
        if folder is None or len(cells) < 7 or cells[1] in ("file", "---"):
            continue
        name, description = cells[1], cells[5]
        sports = description.split(";")[0]
        if (RUNNING.match(description) or "running" in sports.lower()) and "GPS box" in description:
            files.append(f"{folder}/{name}")
    return files


RUNS = _runs_with_gps(CORPUS / "MANIFEST.md")


def test_the_manifest_lists_the_track_sessions():
    if not CORPUS.is_dir():
        pytest.skip("../shared/real_activities is not beside the repository")
    assert TRACK_SESSIONS.issubset(RUNS)
    assert len(RUNS) > 50


@pytest.mark.parametrize("name", RUNS)
def test_a_track_is_found_exactly_where_there_is_one(corpus_dir, name):
    try:
        with warnings.catch_warnings():
            # Messy files warn about their repairs; the readers' own tests check those.
            warnings.simplefilter("ignore")
            activity = read_activity(corpus_dir / name)
    except HardkickError:
        pytest.skip("not readable (the reader's tests cover it)")
    if activity.track["lat_deg"].notna().sum() < 2:
        pytest.skip("no positions")
    fit = fit_track(make_grid(activity), activity)
    if name in TRACK_SESSIONS:
        assert fit is not None
        assert fit.coverage > 0.9
        assert fit.residual_rms_m < 4.0
    else:
        assert fit is None, f"{name} taken for a track: {fit}"
