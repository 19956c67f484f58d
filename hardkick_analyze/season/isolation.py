"""Worker processes that cannot outlive the run, stay within a per-file budget, and isolate a crash.

- **No orphans**: each worker dies with the process that started the run, even when that process is
  killed with SIGKILL (no cleanup runs then): on Linux the kernel sends the worker SIGKILL when its
  parent goes (``PR_SET_PDEATHSIG``), and everywhere a watcher thread checks every second that the
  run's process is still alive.
- **Budgets**: a file may use :attr:`FileBudget.memory_bytes` of memory (an address-space limit on
  the worker, Linux and macOS) and :attr:`FileBudget.time_s` of time (an interval timer); a file over
  either fails with ``error_kind`` ``'over budget'`` and the worker goes on with the next file.
- **Crash isolation**: :func:`analyze_alone` runs one file in a fresh process and turns a crash of
  that process (a segfault, the kernel's out-of-memory killer) into a failed entry with the reason.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from .worker import AnalysisOptions, analyze_file

__all__ = ["FileBudget", "analyze_alone", "analyze_budgeted", "start_worker"]

# How often a worker checks that the run's process is alive [s].
_PARENT_POLL_S = 1.0
_PR_SET_PDEATHSIG = 1
# Slack on top of the time budget for starting a fresh process and sending the entry back [s].
_ALONE_SLACK_S = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class FileBudget:
    """What one file may cost in a worker process.

    Attributes
    ----------
    memory_bytes
        Memory one file may add to a worker [bytes]. The largest real files need a few hundred MB.
    time_s
        Wall-clock time one file may take [s]. Real files take 0.2-20 s.
    """

    memory_bytes: int = 3 * 1024**3
    time_s: float = 300.0


def start_worker(parent_pid: int, budget: FileBudget) -> None:
    """Initialise a worker process: die with the run's process, and cap the memory one file may take."""
    _die_with_parent(parent_pid)
    _limit_memory(budget.memory_bytes)


def analyze_budgeted(name: str, data: bytes, options: AnalysisOptions, time_s: float) -> dict[str, Any]:
    """:func:`analyze_file` under the time budget, with running out of memory reported as a failure."""
    previous = signal.signal(signal.SIGALRM, _out_of_time) if hasattr(signal, "SIGALRM") else None
    if previous is not None:
        signal.setitimer(signal.ITIMER_REAL, time_s)
    try:
        entry = analyze_file(name, data, options)
    except _OutOfTime:
        return _over_budget(f"took longer than the {time_s:.0f} s one file may take")
    except MemoryError:
        return _over_budget("needed more memory than one file may use")
    finally:
        if previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if entry.get("internal_error") and str(entry.get("error", "")).startswith("MemoryError"):
        # analyze_file caught it as a bug; it is the memory budget speaking.
        return _over_budget("needed more memory than one file may use")
    return entry


def analyze_alone(
    name: str,
    data: bytes,
    options: AnalysisOptions,
    budget: FileBudget,
    context: multiprocessing.context.BaseContext,
) -> dict[str, Any]:
    """Analyse one file in a fresh process; a crash of that process becomes a failed entry.

    Used for the files that were in a worker when it died: the culprit fails with the reason,
    the others are analysed as if nothing had happened.
    """
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(  # type: ignore[attr-defined]
        target=_alone_main, args=(os.getpid(), name, data, options, budget, sender), daemon=True
    )
    process.start()
    sender.close()
    deadline = time.monotonic() + budget.time_s + _ALONE_SLACK_S
    entry: dict[str, Any] | None = None
    timed_out = False
    try:
        while True:
            if receiver.poll(0.2):  # an entry, or the end of the pipe when the process died
                with contextlib.suppress(EOFError, OSError):
                    entry = receiver.recv()
                break
            if not process.is_alive():
                break
            if time.monotonic() > deadline:
                timed_out = True
                break
    finally:
        receiver.close()
    if timed_out:
        process.kill()
        process.join()
        return _over_budget(f"took longer than the {budget.time_s:.0f} s one file may take")
    # The process is on its way out (it sent its entry, or died): wait for its exit code.
    process.join(_ALONE_SLACK_S)
    if process.is_alive():
        process.kill()
        process.join()
    if entry is not None:
        return entry
    return _crashed(process.exitcode)


def _alone_main(
    parent_pid: int, name: str, data: bytes, options: AnalysisOptions, budget: FileBudget, sender: Connection
) -> None:
    start_worker(parent_pid, budget)
    sender.send(analyze_budgeted(name, data, options, budget.time_s))
    sender.close()


def _crashed(exitcode: int | None) -> dict[str, Any]:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            how += ", most likely out of memory"
    else:
        how = f"exit code {exitcode}"
    return {
        "kind": "failed",
        "error": f"the analysis crashed its process twice, the second time alone ({how})",
        "error_kind": "crashed",
        # A crash is never the file's fault alone (a bug, or the machine): not cached, flagged.
        "internal_error": True,
    }


def _over_budget(reason: str) -> dict[str, Any]:
    return {"kind": "failed", "error": reason, "error_kind": "over budget", "internal_error": False}


class _OutOfTime(BaseException):
    """Raised in the worker by the interval timer when a file is over its time budget.

    A BaseException, so that analyze_file's net for bugs (``except Exception``) lets it through.
    """


def _out_of_time(signum: int, frame: FrameType | None) -> None:
    raise _OutOfTime


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError, TypeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The worker's parent may be a fork server rather than the run's process: watch that one too.
    watcher = threading.Thread(target=_watch_parent, args=(parent_pid,), name="hardkick-lifeline", daemon=True)
    watcher.start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(_PARENT_POLL_S)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            continue  # alive, owned by someone else (cannot happen for our own parent, but harmless)


def _limit_memory(extra_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit; the time budget still applies
        return
    used = _address_space_bytes()
    if used is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = used + extra_bytes
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_bytes() -> int | None:
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
