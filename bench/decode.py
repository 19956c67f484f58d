"""FIT decoding speed: the fast path against fitparse (the reference) and fitdecode, in records/s.

Run from the repository root (about three minutes, nearly all of it fitparse)::

    python -m bench.decode

It prints a Markdown table and writes ``docs/performance.md``. Measured, in one run:

* the fast path into :class:`~hardkick_analyze.readers.fit_messages.FitMessages`, and all the
  way through :func:`hardkick_analyze.read_activity` into the normalized track;
* fitparse into ``FitMessages``, and all the way (its decoding time plus the same normalization);
* fitdecode reading every record message (no normalization);

on every FIT file of ``../shared/real_activities`` and on a 100 000-record file, plus the time to
read a one-hour 1 s file (3600 records). Both files are simulated sessions written by the
simulator's FIT writer (:func:`simulated_fit`). The machine is shared, so every fast timing is
the best of several runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import fitdecode
import numpy as np

from bench.docs import write_section
from hardkick_analyze import HardkickError, read_activity
from hardkick_analyze.readers.finalize import finalize
from hardkick_analyze.readers.fit import parsed_from_fit_messages
from hardkick_analyze.readers.fit_fast import decode_fast
from hardkick_analyze.readers.fit_fitparse import decode_with_fitparse
from hardkick_analyze.readers.fit_messages import FitMessages
from hardkick_analyze.readers.source import RawSource, load_source
from hardkick_analyze.simulate import Athlete, SessionConfig, SessionPlan, simulate_session
from hardkick_analyze.simulate.scenarios import hard_kick_500

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "real_activities"
REPORT = ROOT / "docs" / "performance.md"
SECTION = "## Decoding FIT files"
COMMAND = "python -m bench.decode"
#: Targets from issue 8.
TARGET_SPEEDUP = 40.0
TARGET_HOUR_MS = 10.0


def main() -> None:
    """Measure, print the table, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of real activity files")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each fast measurement (best kept)")
    parser.add_argument("--no-report", action="store_true", help="print only, leave docs/performance.md")
    args = parser.parse_args()

    corpus = _fit_sources(args.corpus)
    big = _source(simulated_fit(98_123.0), "simulated-100k.fit")
    hour = _source(simulated_fit(1727.0), "simulated-1h.fit")
    load_before = os.getloadavg()
    rows = {
        "corpus": _measure(corpus, args.repeats),
        "100k": _measure([big], args.repeats),
    }
    hour_times = {
        "records": decode_fast(hour.data, hour.name).record_count,
        "fast": _best(lambda: read_activity(hour.data, name=hour.name), max(args.repeats, 20)),
        "fitparse": _best(lambda: _fitparse_activity(hour), 3),
    }
    load_after = os.getloadavg()
    fallbacks = sum(1 for m in _decode_all(decode_fast, corpus) if m is not None and m.decoder != "fast")
    table = _table(rows, len(corpus), fallbacks, hour_times)
    print(table)
    if not args.no_report:
        write_section(REPORT, SECTION, _report(table, load_before, load_after), title="Performance")
        print(f"\nwrote {REPORT.relative_to(ROOT)}")


# --- what is measured ------------------------------------------------------------------------


def _measure(sources: list[RawSource], repeats: int) -> dict[str, Any]:
    """Records and seconds for each path over ``sources``."""
    fast = _decode_all(decode_fast, sources)
    records = sum(m.record_count for m in fast if m is not None)
    started = time.perf_counter()
    reference = _decode_all(decode_with_fitparse, sources)
    fitparse_s = time.perf_counter() - started
    _check_same(fast, reference, sources)
    normalize_s = _best(lambda: _normalize_all(reference, sources), 1)
    return {
        "records": records,
        "fast": _best(lambda: _decode_all(decode_fast, sources), repeats),
        "fast_activity": _best(lambda: _read_all(sources), repeats),
        "fitparse": fitparse_s,
        "fitparse_activity": fitparse_s + normalize_s,
        "fitdecode": _best(lambda: _fitdecode_all(sources), 1),
    }


def _check_same(fast: list[FitMessages | None], reference: list[FitMessages | None], sources: list[RawSource]) -> None:
    """The paths timed must decode the same (tests/test_fit_fast.py checks it in depth)."""
    for mine, theirs, source in zip(fast, reference, sources, strict=True):
        same = (mine is None) == (theirs is None)
        if mine is not None and theirs is not None:
            same = mine.messages == theirs.messages and all(
                np.array_equal(mine.records[c], theirs.records[c], equal_nan=True) for c in theirs.records
            )
        if not same:
            sys.exit(f"{source.name}: the fast path and fitparse disagree")


def _decode_all(decode: Callable[[bytes, str], FitMessages], sources: list[RawSource]) -> list[FitMessages | None]:
    decoded: list[FitMessages | None] = []
    for source in sources:
        try:
            decoded.append(decode(source.data, source.name))
        except HardkickError:
            decoded.append(None)
    return decoded


def _read_all(sources: list[RawSource]) -> None:
    for source in sources:
        try:
            read_activity(source.data, name=source.name)
        except HardkickError:
            continue


def _normalize_all(decoded: list[FitMessages | None], sources: list[RawSource]) -> None:
    """What read_activity does after decoding: the shared normalization and repairs."""
    for messages, source in zip(decoded, sources, strict=True):
        if messages is None:
            continue
        try:
            finalize(parsed_from_fit_messages(messages, source.name), source)
        except HardkickError:
            continue


def _fitparse_activity(source: RawSource) -> None:
    finalize(parsed_from_fit_messages(decode_with_fitparse(source.data, source.name), source.name), source)


def _fitdecode_all(sources: list[RawSource]) -> int:
    """Record messages fitdecode reads (it decodes every field of each), damage tolerated."""
    count = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in sources:
            try:
                reader = fitdecode.FitReader(
                    source.data, check_crc=fitdecode.CrcCheck.DISABLED, error_handling=fitdecode.ErrorHandling.IGNORE
                )
                with reader:
                    for frame in reader:
                        if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record":
                            count += 1
            except (fitdecode.FitError, ValueError):
                continue  # it gives up on some damaged files (ValueError: size) even when told to ignore
    return count


def _best(run: Callable[[], object], repeats: int) -> float:
    """Shortest wall time of ``repeats`` runs [s] (the machine is shared: noise only adds)."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


# --- inputs -------------------------------------------------------------------------------------


def _fit_sources(folder: Path) -> list[RawSource]:
    """Every FIT file in ``folder`` (gzip and zip unwrapped), in name order."""
    if not folder.is_dir():
        sys.exit(f"no corpus at {folder}; pass --corpus")
    sources = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() not in (".md", ".csv"):
            try:
                source = load_source(path)
            except HardkickError:
                continue
            if source.format == "fit":
                sources.append(source)
    return sources


def _source(data: bytes, name: str) -> RawSource:
    return RawSource(name=name, data=data, format="fit", compressed=False)


def simulated_fit(warmup_s: float) -> bytes:
    """A simulated interval session as the simulator's FIT writer writes it: 1 s records.

    The length is set by the warm-up; the seed fixes everything else, so the bytes are always
    the same (warm-up 1727 s: 3598 records, one hour; 98123 s: 99976 records).
    """
    config = SessionConfig(
        plan=SessionPlan(workout=hard_kick_500(295.0), rest_s=120.0, name="Hard kick 500"),
        athlete=Athlete(warmup_s=warmup_s, cooldown_s=300.0),
    )
    return simulate_session(config, seed=8).to_fit()


# --- the report -----------------------------------------------------------------------------------


#: Row label, and the fitparse row it is compared with.
_ROWS = {
    "fast": ("fast path -> FitMessages", "fitparse"),
    "fast_activity": ("fast path -> read_activity (normalized track)", "fitparse_activity"),
    "fitparse": ("fitparse -> FitMessages", "fitparse"),
    "fitparse_activity": ("fitparse -> normalized track", "fitparse_activity"),
    "fitdecode": ("fitdecode, records only", "fitparse"),
}


def _table(rows: dict[str, dict[str, Any]], files: int, fallbacks: int, hour: dict[str, Any]) -> str:
    corpus, big = rows["corpus"], rows["100k"]
    lines = [
        f"| path | corpus: {files} files, {corpus['records']:,} records | x fitparse "
        f"| simulated file, {big['records']:,} records | x fitparse |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, (label, reference) in _ROWS.items():
        cells = []
        for row in (corpus, big):
            cells += [f"{row['records'] / row[key]:,.0f} rec/s", f"{row[reference] / row[key]:.1f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    speedup = corpus["fitparse_activity"] / corpus["fast_activity"]
    hour_ms = hour["fast"] * 1000
    lines += [
        "",
        f"One-hour 1 s file ({hour['records']:,} records), `read_activity` end to end: fast path "
        f"**{hour_ms:.1f} ms**, fitparse {hour['fitparse'] * 1000:.0f} ms.",
        "",
        f"Targets: the corpus into the normalized track at >= {TARGET_SPEEDUP:.0f}x fitparse: "
        f"**{speedup:.0f}x, {'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}**; the one-hour file under "
        f"{TARGET_HOUR_MS:.0f} ms: **{'met' if hour_ms < TARGET_HOUR_MS else 'NOT met'}**. "
        f"{fallbacks} corpus file(s) fell back to fitparse; their time is in the fast rows.",
    ]
    return "\n".join(lines)


def _machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("numpy", "pandas", "fitparse", "fitdecode"))
    return (
        f"{os.cpu_count()} cores ({model}), {platform.system()}, Python {platform.python_version()}; {versions}. "
        "One process, one core used."
    )


def _report(table: str, load_before: tuple[float, ...], load_after: tuple[float, ...]) -> str:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    return f"""Measured {today} with

    {COMMAND}

Machine: {_machine()}

The machine was shared with other jobs (load average {load_before[0]:.1f} before the run,
{load_after[0]:.1f} after), so each fast-path figure is the best of several runs; fitparse and
fitdecode ran once (they take minutes), and noise only ever makes a run slower.

{table}

What the rows measure, on the same decompressed bytes (records/s = the file's record messages
over the wall time):

* **fast path -> FitMessages**: `readers.fit_fast.decode_fast`, the columnar decoder, fallbacks
  to fitparse included.
* **fast path -> read_activity**: `read_activity(bytes)`, what the analysis calls: decoding, the
  shared FIT normalization (`readers/fit.py`) and the repairs (`readers/finalize.py`).
* **fitparse -> FitMessages**: `readers.fit_fitparse.decode_with_fitparse`, the reference.
* **fitparse -> normalized track**: its decoding time plus the same normalization, timed on its
  messages (the normalization takes the same time whichever decoder filled them).
* **fitdecode, records only**: `fitdecode.FitReader` over every frame, CRC check off, errors
  ignored, touching each record's fields; nothing normalized.

The corpus is every FIT file in `../shared/real_activities/` (the real device files, gzipped and
zipped ones unwrapped, corrupt ones included). The simulated file and the one-hour file are
interval sessions on a 400 m track from `hardkick_analyze.simulate`, written by its FIT writer
with 1 s records (`simulated_fit` in `bench/decode.py`: fixed seed, the length set by the
warm-up).
"""


if __name__ == "__main__":
    main()
