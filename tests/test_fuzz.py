"""Fuzzing with fixed seeds: every mutated input ends in a result or a HardkickError, quickly.

Three families (issue 12): FIT byte flips and truncations; GPX/TCX element and attribute mutations,
out-of-range times and numbers included; zip bundles truncated, nested and with traversal names.
A foreign exception, a crash or a case over :data:`CASE_SECONDS` fails the test with the seed.

The CI run is a few thousand cases in about half a minute. ``HARDKICK_FUZZ_SCALE=20 pytest
tests/test_fuzz.py`` runs twenty times as many (other seeds, same generators).
"""

from __future__ import annotations

import io
import os
import random
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from hardkick_analyze import analyze_session, read_activity
from hardkick_analyze.errors import HardkickError
from hardkick_analyze.season.inputs import BundleCaps, expand_paths

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
SCALE = int(os.environ.get("HARDKICK_FUZZ_SCALE", "1"))
#: A case slower than this is a hang for the purpose of the test [s] (a case takes 5-50 ms).
CASE_SECONDS = 10.0

FIT_FILES = ["run.fit", "garmin-fenix-5-run.fit", "compressed-speed-distance.fit", "sample_mulitple_header.fit"]
FIT_SAMPLES = ["noisy_smart_strides.fit"]
XML_FILES = ["garmin_connect.gpx", "track_with_speed.gpx", "run_garmin.tcx"]
XML_SAMPLES = ["hard_kick_500_strava.gpx", "hard_kick_250.tcx"]

#: Counts of each family's outcomes, printed at the end of the run (``-s``) for docs/reliability.md.
OUTCOMES: Counter[str] = Counter()

HOSTILE_TIMES = [
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "1677-09-21T00:12:43Z",
    "2262-04-11T23:47:17Z",
    "2026-13-45T99:99:99Z",
    "",
    "yesterday",
    "1e308",
    "-1",
    "2026-03-01T07:00:00+99:00",
]
HOSTILE_NUMBERS = ["1e308", "-1e308", "nan", "inf", "-inf", "-0", "", "abc", "9" * 40, "0x10", "1,5", "-1"]


def _outcome(family: str, label: str, action: Callable[[], object]) -> None:
    """Run one case: a result or a HardkickError, within the time limit; anything else fails."""
    started = time.monotonic()
    try:
        action()
        OUTCOMES[f"{family}: result"] += 1
    except HardkickError:
        OUTCOMES[f"{family}: HardkickError"] += 1
    except Exception as exc:  # the whole point: say which case, reproducibly
        pytest.fail(f"{label}: foreign exception {type(exc).__name__}: {exc}")
    elapsed = time.monotonic() - started
    assert elapsed < CASE_SECONDS, f"{label}: took {elapsed:.1f} s"


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 16])):
        # Headers and definitions matter most: favour the first kilobyte.
        position = rng.randrange(min(len(out), 1024)) if rng.random() < 0.5 else rng.randrange(len(out))
        out[position] = rng.choice([0x00, 0xFF, out[position] ^ (1 << rng.randrange(8)), rng.randrange(256)])
    return bytes(out)


@pytest.mark.parametrize("name", FIT_FILES + FIT_SAMPLES)
def test_fit_byte_flips_and_truncations(name):
    data = (DATA / name if (DATA / name).exists() else SAMPLES / name).read_bytes()
    rng = random.Random(f"fit-{name}-{SCALE}")
    for case in range(120 * SCALE):
        mutated = _flip(data, rng)
        _outcome("FIT byte flips", f"{name} flip case {case}", lambda m=mutated: read_activity(m, name=name))
    for case in range(40 * SCALE):
        cut = rng.randrange(len(data))
        _outcome("FIT truncations", f"{name} cut at {cut} (case {case})", lambda c=cut: read_activity(data[:c]))


def _mutate_xml(text: str, rng: random.Random) -> str:
    """One to three mutations of elements, attributes, times and numbers."""
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(8)
        if kind == 0:  # a time out of range or not a time
            times = list(re.finditer(r"<(time|Time)>([^<]*)<", text))
            if times:
                hit = rng.choice(times)
                text = text[: hit.start(2)] + rng.choice(HOSTILE_TIMES) + text[hit.end(2) :]
        elif kind == 1:  # a number element out of range or not a number
            numbers = list(re.finditer(r">(-?[0-9][0-9.eE+-]*)<", text))
            if numbers:
                hit = rng.choice(numbers)
                text = text[: hit.start(1)] + rng.choice(HOSTILE_NUMBERS) + text[hit.end(1) :]
        elif kind == 2:  # an attribute value (lat, lon, StartTime, Sport)
            attributes = list(re.finditer(r'(\w+)="([^"]*)"', text))
            if attributes:
                hit = rng.choice(attributes)
                value = rng.choice(HOSTILE_NUMBERS + HOSTILE_TIMES)
                text = text[: hit.start(2)] + value + text[hit.end(2) :]
        elif kind == 3:  # an element removed
            elements = list(re.finditer(r"<(\w+)[^>]*>[^<]*</\1>", text))
            if elements:
                hit = rng.choice(elements)
                text = text[: hit.start()] + text[hit.end() :]
        elif kind == 4:  # an element repeated
            elements = list(re.finditer(r"<(\w+)[^>]*>[^<]*</\1>", text))
            if elements:
                hit = rng.choice(elements)
                text = text[: hit.end()] + hit.group() * rng.choice([1, 2, 50]) + text[hit.end() :]
        elif kind == 5:  # a tag renamed or its closing tag lost
            tags = list(re.finditer(r"</?(\w+)", text))
            if tags:
                hit = rng.choice(tags)
                text = text[: hit.start(1)] + rng.choice(["x", "trkpt", "Trackpoint", "Lap", ""]) + text[hit.end(1) :]
        elif kind == 6:  # cut short
            text = text[: rng.randrange(len(text))]
        else:  # nesting, a comment or an entity where none belongs
            position = rng.randrange(len(text))
            insert = rng.choice(
                ["<a>" * 300 + "</a>" * 300, "<!-- " + "x" * 5000 + " -->", "&lt;&#0;&#xFFFFFF;", "\x00"]
            )
            text = text[:position] + insert + text[position:]
    return text


@pytest.mark.parametrize("name", XML_FILES)
def test_gpx_and_tcx_mutations_are_read_or_refused(name):
    text = (DATA / name).read_text(encoding="utf-8")
    rng = random.Random(f"xml-{name}-{SCALE}")
    for case in range(200 * SCALE):
        mutated = _mutate_xml(text, rng).encode("utf-8", "surrogatepass")
        _outcome("GPX/TCX mutations", f"{name} case {case}", lambda m=mutated: read_activity(m, name=name))


@pytest.mark.parametrize("name", XML_SAMPLES + FIT_SAMPLES)
def test_mutated_sessions_are_analysed_or_refused(name):
    """The whole analysis, not only the reader, on fewer cases (each takes about a second)."""
    data = (SAMPLES / name).read_bytes()
    rng = random.Random(f"session-{name}-{SCALE}")
    for case in range(4 * SCALE):
        if name.endswith(".fit"):
            mutated = _flip(data, rng)
        else:
            mutated = _mutate_xml(data.decode("utf-8"), rng).encode("utf-8", "surrogatepass")
        _outcome("sessions analysed", f"{name} case {case}", lambda m=mutated: analyze_session(io.BytesIO(m)))


def _bundle(rng: random.Random, depth: int) -> bytes:
    fit = (DATA / "garmin-fenix-5-run.fit").read_bytes()
    gpx = (DATA / "track_with_speed.gpx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])) as archive:
        names = ["activities/1.fit", "../../escape.fit", "/etc/absolute.gpx", "C:\\win\\x.fit", "a/../../b.gpx"]
        for name in rng.sample(names, rng.randint(1, len(names))):
            archive.writestr(name, rng.choice([fit, gpx]))
        if rng.random() < 0.3:
            archive.writestr("activities.csv", "Filename,Activity Date\nactivities/1.fit,Mar 1 2026\n")
        if depth > 0:
            archive.writestr(f"nested{depth}.zip", _bundle(rng, depth - 1))
    return buffer.getvalue()


def test_zip_bundles_truncated_nested_and_with_traversal(tmp_path):
    rng = random.Random(f"zip-{SCALE}")
    caps = BundleCaps(max_depth=3)
    for case in range(60 * SCALE):
        data = _bundle(rng, depth=rng.randint(0, 5))
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data))]
        elif rng.random() < 0.5:
            data = _flip(data, rng)
        folder = tmp_path / f"case{case}"
        folder.mkdir()
        (folder / "export.zip").write_bytes(data)

        def walk(folder: Path = folder, case: int = case) -> None:
            for item in expand_paths([folder / "export.zip"], caps=caps):
                # Members are read by index, never extracted: the names may say what they like.
                assert ".." not in item.source_name.split("/") and not item.source_name.startswith("/")
                _outcome("zip members", f"zip case {case} {item.source_name}", lambda i=item: read_activity(i.loader()))

        _outcome("zip bundles", f"zip case {case}", walk)
        assert sorted(p.name for p in folder.iterdir()) == ["export.zip"]  # nothing written beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"case{c}" for c in range(60 * SCALE))


def test_print_the_counts(capsys):
    """Not a check: the outcome counts for docs/reliability.md (run with -s to see them)."""
    with capsys.disabled():
        for key, count in sorted(OUTCOMES.items()):
            print(f"fuzz {key}: {count}")
