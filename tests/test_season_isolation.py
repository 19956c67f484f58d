"""Issue 12: a file that crashes its worker is retried alone and fails with the reason, no other file is
lost; a file over its memory or time budget fails as 'over budget'; a killed run leaves no process behind."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from hardkick_analyze import analyze_season
from hardkick_analyze.season import batch, isolation
from hardkick_analyze.season.isolation import FileBudget

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "hard_kick_250.tcx"
real_analyze_file = isolation.analyze_file

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork, signals and /proc as on Linux")


def _misbehaving(name, data, options):
    """analyze_file, except that 'crash.fit' kills its process, 'slow.fit' hangs and 'hog.fit' eats memory."""
    if name == "crash.fit":
        faulthandler.disable()  # pytest's would print the forked child's stack
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "slow.fit":
        time.sleep(60)
    if name == "hog.fit":
        hoard = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GiB, far over the budget
        return {"kind": "failed", "error": f"{len(hoard)} blocks", "error_kind": "x", "internal_error": False}
    return real_analyze_file(name, data, options)


@pytest.fixture
def forked_workers(monkeypatch):
    """Workers forked from this process, so that they run the misbehaving analysis above."""
    monkeypatch.setattr(isolation, "analyze_file", _misbehaving)
    monkeypatch.setattr(batch, "_process_context", lambda: multiprocessing.get_context("fork"))


def _season(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "season"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((DATA / "run.fit").read_bytes())
    return folder


def test_a_file_that_crashes_its_worker_fails_alone_and_no_other_file_is_lost(tmp_path, forked_workers):
    folder = _season(tmp_path, ["a.fit", "b.fit", "crash.fit", "c.fit", "d.fit"])
    result = analyze_season([folder], workers=2)
    outcomes = {r.source: r.kind for r in result.records}
    assert outcomes == {"a.fit": "run", "b.fit": "run", "c.fit": "run", "d.fit": "run", "crash.fit": "failed"}
    crashed = next(r for r in result.records if r.source == "crash.fit")
    assert crashed.error_kind == "crashed"
    assert "SIGSEGV" in (crashed.error or "")


def test_one_isolated_worker_also_survives_a_crashing_file(tmp_path, forked_workers):
    # What --workers 1 does on the command line (issue 12 row 1: it died with no output).
    folder = _season(tmp_path, ["a.fit", "crash.fit", "b.fit"])
    result = analyze_season([folder], workers=1, isolate=True)
    assert {r.source: r.error_kind or r.kind for r in result.records} == {
        "a.fit": "run",
        "b.fit": "run",
        "crash.fit": "crashed",
    }


def test_a_file_over_its_time_budget_fails_and_the_season_goes_on(tmp_path, forked_workers):
    folder = _season(tmp_path, ["a.fit", "slow.fit"])
    result = analyze_season([folder], workers=2, budget=FileBudget(time_s=2.0))
    slow = next(r for r in result.records if r.source == "slow.fit")
    assert (slow.kind, slow.error_kind, slow.error) == (
        "failed",
        "over budget",
        "took longer than the 2 s one file may take",
    )
    assert next(r for r in result.records if r.source == "a.fit").kind == "run"


def test_a_file_over_its_memory_budget_fails_and_the_season_goes_on(tmp_path, forked_workers):
    folder = _season(tmp_path, ["a.fit", "hog.fit"])
    result = analyze_season([folder], workers=2, budget=FileBudget(memory_bytes=512 * 2**20))
    hog = next(r for r in result.records if r.source == "hog.fit")
    assert (hog.kind, hog.error_kind) == ("failed", "over budget")
    assert "memory" in (hog.error or "")
    assert next(r for r in result.records if r.source == "a.fit").kind == "run"


def test_workers_are_clamped_to_the_cores(tmp_path, monkeypatch):
    started = []

    class Recording(batch._LazyProcessPool):
        def __init__(self, workers, budget):
            started.append(workers)
            super().__init__(workers, budget)

    monkeypatch.setattr(batch, "_LazyProcessPool", Recording)
    monkeypatch.setattr(batch, "default_workers", lambda: 2)
    analyze_season([_season(tmp_path, ["a.fit", "b.fit"])], workers=1000)
    assert started == [2]


def test_a_run_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(40):
        (folder / f"s{index}.tcx").write_bytes(SAMPLE.read_bytes())
    code = f"from hardkick_analyze import analyze_season; analyze_season([{str(folder)!r}], workers=2)"
    run = subprocess.Popen([sys.executable, "-c", code])
    descendants: list[psutil.Process] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(descendants) < 2:  # two workers (forked: no fork server)
        time.sleep(0.2)
        descendants = psutil.Process(run.pid).children(recursive=True)
    assert len(descendants) >= 2, "the pool never started"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    _, alive = psutil.wait_procs(descendants, timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def test_workers_are_forked_only_from_a_process_running_no_other_thread():
    code = """
import threading
from hardkick_analyze.season.batch import _process_context
alone = _process_context().get_start_method()
stop = threading.Event()
thread = threading.Thread(target=stop.wait)
thread.start()
crowded = _process_context().get_start_method()
stop.set()
print(alone, crowded)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["fork", "forkserver"]
