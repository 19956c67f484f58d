"""The season composer: inputs -> (cache or executor) -> records -> checks. No analysis of its own.

Bytes are loaded and hashed in this process; only files the cache does not hold go to the
executor, as ``analyze_file(name, bytes, options)``. Any ``concurrent.futures.Executor`` works:
the default process pool, a thread pool in tests, or a Dask cluster's ``Client.get_executor()``.
At most a few tasks per worker are in flight, so memory stays flat however long the season.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ArgumentError, HardkickError
from .cache import ResultCache
from .inputs import BundleCaps, SessionInput, checked_paths, expand_paths
from .isolation import FileBudget, analyze_alone, analyze_budgeted, start_worker
from .plan import Plan
from .records import ENTRY_KINDS, SessionRecord, record_from_entry
from .review import SeasonResult, review_season
from .worker import AnalysisOptions, analyze_file

__all__ = ["ProgressCallback", "analyze_season", "default_workers", "fork_is_safe"]

#: Called after each file with (files done, files in all, the file's name).
ProgressCallback = Callable[[int, int, str], None]
# Tasks in flight per worker: enough to keep every worker busy while results come back.
_IN_FLIGHT_PER_WORKER = 4


def default_workers() -> int:
    """The cores this process may use [count]."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:
        return os.cpu_count() or 1


def analyze_season(
    inputs: Sequence[SessionInput] | Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    cache: ResultCache | None = None,
    workout: str | None = None,
    pace_s_per_km: float | None = None,
    goal_5k: str | None = None,
    plan: Plan | None = None,
    caps: BundleCaps | None = None,
    progress: ProgressCallback | None = None,
    budget: FileBudget | None = None,
    isolate: bool = False,
) -> SeasonResult:
    """Analyse every file of a season, then check, group and estimate its sessions (:func:`.review.review_season`).

    Parameters
    ----------
    inputs
        :class:`SessionInput` values (see :func:`expand_paths`), or paths of files, folders and
        bundles to expand; one ``str`` or ``Path`` is one path.
    executor, workers
        What runs the per-file analysis (default: a pool of ``workers`` processes, none when every
        file is cached or ``workers`` is 1) and how many processes [count] (default and most:
        every core; with an executor, it only sets how many tasks are kept in flight).
    cache
        Where results are kept by file content; None analyses every file.
    workout, pace_s_per_km, goal_5k, plan
        What each file is analysed against, as in :func:`~hardkick_analyze.analyze_session`
        (spec or preset, target pace [s/km], 5 km goal ``'25:00'``); the plan (:func:`read_plan`)
        sets them by date, and these hold for the files it does not cover.
    caps
        Safety caps for bundles, when ``inputs`` are paths.
    progress
        Called after each file (see :data:`ProgressCallback`).
    budget, isolate
        Memory and time one file may take in a worker process (default :class:`FileBudget`; a file
        over it fails as ``'over budget'``), and whether ``workers=1`` still runs in one worker
        process for that budget and crash isolation (the command line always isolates). Files
        analysed in this process or by a given executor have no budget.

    Returns one record per input (never fewer), the season's review (checks, workout groups,
    fitness against the goal), and how many results came from the cache.
    """
    items = _as_inputs(inputs, caps)
    options = AnalysisOptions(workout=workout, pace_s_per_km=pace_s_per_km, goal_5k=goal_5k, plan=plan)
    run = _Run(items=items, options=options, cache=cache, progress=progress, budget=budget or FileBudget())
    _execute(run, executor, _worker_count(workers, executor), isolate=isolate)
    if len(run.records) != len(items):
        # Nothing may be lost: a gap here is a bug in this module, never a bad file.
        raise RuntimeError(f"season bookkeeping lost {len(items) - len(run.records)} of {len(items)} inputs")
    records = tuple(sorted(run.records.values(), key=_order))
    return SeasonResult(
        records=records,
        review=review_season(records, goal_5k=goal_5k, plan=plan),
        analysed_now=run.analysed_now,
        cache_hits=run.cache_hits,
    )


def _worker_count(workers: int | None, executor: Executor | None) -> int:
    """The processes to run, checked: every core by default, never more than the cores for a local pool."""
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ArgumentError("workers", f"a number of processes (1 or more), not {workers!r}")
    count = workers if workers is not None else default_workers()
    # More processes than cores only adds memory (each holds pandas): 1,000 asked on 2 cores is 2.
    return count if executor is not None else min(count, default_workers())


def _execute(run: _Run, executor: Executor | None, count: int, *, isolate: bool) -> None:
    """Run every file: on the given executor, here (one worker, not isolated), or in a process pool."""
    if executor is not None:
        run.execute(executor, in_flight=max(count, 1) * _IN_FLIGHT_PER_WORKER)
    elif count <= 1 and not isolate:
        run.execute(None, in_flight=1)
    else:
        with _LazyProcessPool(count, run.budget) as pool:
            run.execute(pool, in_flight=count * _IN_FLIGHT_PER_WORKER)


def _as_inputs(
    inputs: Sequence[SessionInput] | Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    caps: BundleCaps | None,
) -> list[SessionInput]:
    if isinstance(inputs, str | os.PathLike):
        return expand_paths(inputs, caps=caps)  # one PATH, not a sequence of characters
    if isinstance(inputs, Sequence) and all(isinstance(i, SessionInput) for i in inputs):
        return [i for i in inputs if isinstance(i, SessionInput)]
    if isinstance(inputs, Sequence) and any(isinstance(i, SessionInput) for i in inputs):
        raise ArgumentError("inputs", "give either SessionInput values or paths, not both")
    return expand_paths(checked_paths(inputs), caps=caps)


def _order(record: SessionRecord) -> tuple[bool, pd.Timestamp, str]:
    start = record.start_time if record.start_time is not None else pd.Timestamp.max.tz_localize("UTC")
    return (record.start_time is None, start, record.source)


@dataclass(slots=True)
class _Pending:
    position: int
    item: SessionInput
    sha256: str
    key: str | None
    data: bytes = field(repr=False)


@dataclass(slots=True)
class _Run:
    """The bookkeeping of one season run: every input ends in exactly one record."""

    items: list[SessionInput]
    options: AnalysisOptions
    cache: ResultCache | None
    progress: ProgressCallback | None
    budget: FileBudget
    records: dict[int, SessionRecord] = field(default_factory=dict)
    # Files whose worker died under them; each is analysed again alone once the pool is done.
    crashed: list[_Pending] = field(default_factory=list)
    analysed_now: int = 0
    cache_hits: int = 0

    def execute(self, executor: Executor | None, *, in_flight: int) -> None:
        futures: dict[Future[dict[str, Any]], _Pending] = {}
        options_key = self.options.as_key()
        for position, item in enumerate(self.items):
            loaded = self._load(position, item, options_key)
            if loaded is None:
                continue
            pending, data = loaded
            if executor is None:
                self._finish(pending, analyze_file(item.source_name, data, self.options))
                continue
            while len(futures) >= in_flight:
                self._collect(futures)
            futures[self._submit(executor, item.source_name, data)] = pending
        while futures:
            self._collect(futures)
        for pending in self.crashed:
            # Alone, in a fresh process: the file that killed its worker fails with the reason;
            # the others that were in the same worker's queue are analysed as normal.
            entry = analyze_alone(pending.item.source_name, pending.data, self.options, self.budget, _process_context())
            self._finish(pending, entry)
        self.crashed.clear()

    def _submit(self, executor: Executor, name: str, data: bytes) -> Future[dict[str, Any]]:
        if isinstance(executor, _LazyProcessPool):
            return executor.submit(analyze_budgeted, name, data, self.options, self.budget.time_s)
        return executor.submit(analyze_file, name, data, self.options)

    def _load(self, position: int, item: SessionInput, options_key: dict[str, Any]) -> tuple[_Pending, bytes] | None:
        """Read and hash the bytes; settle the input here when they cannot be read or are cached."""
        try:
            data = item.loader()
        except HardkickError as exc:
            self._record(position, {"kind": "failed", "error": exc.reason, "error_kind": exc.kind}, None, cached=False)
            return None
        sha256 = hashlib.sha256(data).hexdigest()
        key = None
        if self.cache is not None:
            key = self.cache.key(sha256, options_key)
            entry = self.cache.get(key, sha256)
            if entry is not None and entry.get("kind") in ENTRY_KINDS:
                self.cache_hits += 1
                self._record(position, entry, sha256, cached=True)
                return None
        return _Pending(position=position, item=item, sha256=sha256, key=key, data=data), data

    def _collect(self, futures: dict[Future[dict[str, Any]], _Pending]) -> None:
        for future in wait(futures, return_when=FIRST_COMPLETED).done:
            pending = futures.pop(future)
            try:
                entry = future.result()
            except Exception:
                # The worker itself died (a segfault, out of memory, a lost Dask worker) with this
                # file and maybe others in it: which one did it is found by running each alone.
                self.crashed.append(pending)
                continue
            pending.data = b""  # done with: keep memory flat over a long season
            self._finish(pending, entry)

    def _finish(self, pending: _Pending, entry: dict[str, Any]) -> None:
        self.analysed_now += 1
        if self.cache is not None and pending.key is not None and not entry.get("internal_error"):
            self.cache.put(pending.key, entry, pending.sha256)
        self._record(pending.position, entry, pending.sha256, cached=False)

    def _record(self, position: int, entry: dict[str, Any], sha256: str | None, *, cached: bool) -> None:
        item = self.items[position]
        self.records[position] = record_from_entry(
            entry,
            source=item.source_name,
            content_sha256=sha256,
            cached=cached,
            date_hint=item.date_hint,
            title_hint=item.title_hint,
            traceback=entry.get("traceback"),
        )
        if self.progress is not None:
            self.progress(len(self.records), len(self.items), item.source_name)


class _LazyProcessPool(Executor):
    """A process pool started on the first submit, so a fully cached run starts no process.

    Workers start without importing pandas again: forked from this process, or from a fork server
    that has imported the analysis once when this process runs other threads (see
    :func:`_process_context`).
    """

    def __init__(self, workers: int, budget: FileBudget) -> None:
        self.workers = workers
        self.budget = budget
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            # A worker died and took the pool with it; the files still to come get a new one.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args, **kwargs)

    def _new_pool(self) -> ProcessPoolExecutor:
        # Workers die with this process, even when it is killed with SIGKILL (see isolation.py).
        return ProcessPoolExecutor(
            self.workers,
            mp_context=_process_context(),
            initializer=start_worker,
            initargs=(os.getpid(), self.budget),
        )

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def fork_is_safe() -> bool:
    """Whether this process may fork workers: on Linux, running no other thread (see
    :func:`_process_context`)."""
    return (
        sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    )


def _process_context() -> multiprocessing.context.BaseContext:
    """How the workers start. Forked from this process when it runs no other thread: the analysis
    is imported here already, so a worker starts at once, where a fork server would first import
    it again (0.6 s before the first file of a cold run). A process running other threads (a
    notebook's, a test runner's) is never forked, as a lock one of them held would stay held in
    the copy: its workers come from a fork server that imported the analysis once, else are
    spawned. Only on Linux: elsewhere the system's libraries do not survive a fork."""
    if fork_is_safe():
        return multiprocessing.get_context("fork")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([analyze_budgeted.__module__])
        return context
    return multiprocessing.get_context("spawn")
