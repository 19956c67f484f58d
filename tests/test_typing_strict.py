"""mypy --strict on the season package and the presentation layer, as issue 14 asks (skipped without mypy).

Imported modules are checked by their own settings (``--follow-imports=silent``): this test holds
these two packages, not the rest of the code, to the strict checks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_season_and_present_pass_mypy_strict():
    pytest.importorskip("mypy")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "hardkick_analyze/season",
            "hardkick_analyze/present",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")
