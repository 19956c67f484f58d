"""Shared fixtures: the bundled test files and the real corpus beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "real_activities"
#: Real interval sessions with their truth (truth.json), beside the corpus.
INTERVALS = SHARED / "real_intervals"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/real_activities is not beside the repository")
    return CORPUS
