"""The fast FIT decoder against fitparse, the reference: same messages, same activities, same failures.

Every FIT file of the real corpus and the bundled fixtures is decoded both ways; the record
columns must be bit-identical (both paths do the same float operations in the same order),
the other messages equal value for value and type for type, the warnings and errors the same.
Hand-built files pin the rarer parts of the format with values a person can check.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import io
import multiprocessing
import os
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardkick_analyze import HardkickError, read_activity
from hardkick_analyze.errors import CorruptFileError, TruncatedFileError
from hardkick_analyze.models import Activity
from hardkick_analyze.readers import fit_profile
from hardkick_analyze.readers.finalize import finalize
from hardkick_analyze.readers.fit import parsed_from_fit_messages
from hardkick_analyze.readers.fit_crc import crc16
from hardkick_analyze.readers.fit_fast import decode_fast
from hardkick_analyze.readers.fit_fitparse import decode_with_fitparse
from hardkick_analyze.readers.fit_messages import FIT_EPOCH_UNIX_S, FitMessages
from hardkick_analyze.readers.source import RawSource, load_source
from hardkick_analyze.simulate.benchmark import benchmark_cases

from .conftest import CORPUS, DATA

#: Corpus files the fast path hands to fitparse, and why (keep this short: each is a cost).
EXPECTED_FALLBACKS = {
    # fitparse resolves developer fields through a table shared by every file it has read, so
    # a developer field used before its developer_data_id has no answer of its own.
    "gpsbabel/lezyne_super_gps-garmin_fit-sample-bad-endian.fit": (
        "a developer field of a developer data index not declared before"
    ),
}

Outcome = FitMessages | tuple[str, str]


def _fit_files(root: Path) -> list[str]:
    """Files under ``root`` whose content is FIT (plain, gzipped or zipped)."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() in (".md", ".csv"):
            continue
        try:
            if load_source(path).format == "fit":
                found.append(str(path.relative_to(root)))
        except HardkickError:
            continue
    return found


CORPUS_FIT = _fit_files(CORPUS)
FIXTURES_FIT = _fit_files(DATA)


def _outcome(decode: Callable[[bytes, str], FitMessages], data: bytes, name: str) -> Outcome:
    try:
        return decode(data, name)
    except HardkickError as exc:
        return (type(exc).__name__, str(exc))


def _reference(file: tuple[bytes, str]) -> Outcome:
    raw = load_source(file[0], name=file[1])
    return _outcome(decode_with_fitparse, raw.data, raw.name)


def _references(files: dict[str, tuple[bytes, str]]) -> dict[str, Outcome]:
    """fitparse's decoding of each (bytes, name), on every core (it is the slow part here)."""
    # Biggest first, so that one large file does not run alone at the end.
    order = sorted(files, key=lambda key: -len(files[key][0]))
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(min(len(order), os.cpu_count() or 1), mp_context=context) as pool:
        return dict(zip(order, pool.map(_reference, [files[key] for key in order]), strict=True))


def assert_same_messages(reference: Outcome, fast: Outcome) -> None:
    """Equal errors, or equal records (NaN-aware, bit for bit), messages (with types), warnings."""
    if isinstance(reference, tuple) or isinstance(fast, tuple):
        assert fast == reference
        return
    assert fast.records.keys() == reference.records.keys()
    for column, expected in reference.records.items():
        np.testing.assert_array_equal(fast.records[column], expected, strict=True, err_msg=column)
    assert fast.messages == reference.messages
    for kind, rows in reference.messages.items():
        for expected_row, row in zip(rows, fast.messages[kind], strict=True):
            assert {k: type(v) for k, v in row.items()} == {k: type(v) for k, v in expected_row.items()}, kind
    assert fast.warnings == reference.warnings


def _activity(messages: Outcome, raw: RawSource) -> Activity | tuple[str, str]:
    if isinstance(messages, tuple):
        return messages
    try:
        return finalize(parsed_from_fit_messages(messages, raw.name), raw)
    except HardkickError as exc:
        return (type(exc).__name__, str(exc))


def assert_same_activity(reference: Activity | tuple[str, str], fast: Activity | tuple[str, str]) -> None:
    """Equal errors, or equal tracks, laps, pauses, workout steps, warnings and metadata."""
    if isinstance(reference, tuple) or isinstance(fast, tuple):
        assert fast == reference
        return
    pd.testing.assert_frame_equal(fast.track, reference.track, check_exact=True)
    assert fast.laps == reference.laps
    assert fast.pauses == reference.pauses
    assert fast.workout_steps == reference.workout_steps
    assert fast.warnings == reference.warnings
    assert dataclasses.replace(fast.metadata, decoder="") == dataclasses.replace(reference.metadata, decoder="")


def _check_both_ways(data: bytes, name: str, reference: Outcome) -> Outcome:
    """Decode the file the fast way; compare the messages and the whole activity with ``reference``."""
    raw = load_source(data, name=name)
    fast = _outcome(decode_fast, raw.data, raw.name)
    assert_same_messages(reference, fast)
    try:
        activity: Activity | tuple[str, str] = read_activity(data, name=name)
    except HardkickError as exc:
        activity = (type(exc).__name__, str(exc))
    assert_same_activity(_activity(reference, raw), activity)
    return fast


# --- the real corpus ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def references(corpus_dir: Path) -> dict[str, Outcome]:
    paths = {relative: corpus_dir / relative for relative in CORPUS_FIT}
    return _references({relative: (path.read_bytes(), path.name) for relative, path in paths.items()})


@pytest.mark.parametrize("relative", CORPUS_FIT or ["<corpus absent>"])
def test_corpus_file_decodes_as_fitparse_does(corpus_dir: Path, references: dict[str, Outcome], relative: str):
    path = corpus_dir / relative
    _check_both_ways(path.read_bytes(), path.name, references[relative])


def test_only_the_expected_files_fall_back(corpus_dir: Path):
    fallbacks = {}
    for relative in CORPUS_FIT:
        raw = load_source(corpus_dir / relative)
        fast = _outcome(decode_fast, raw.data, raw.name)
        if isinstance(fast, FitMessages) and fast.decoder != "fast":
            fallbacks[relative] = re.sub(r"^fitparse \(fast path: (.*)\)$", r"\1", fast.decoder)
    print("\n".join(f"fell back: {relative}: {reason}" for relative, reason in fallbacks.items()))
    assert fallbacks == EXPECTED_FALLBACKS


#: The corpus MANIFEST's corrupt FIT files, and what both decoders make of them.
KNOWN_CORRUPT = {
    "gpsbabel/lezyne_super_gps-garmin_fit-sample-bad-endian.fit": "decoding stopped at a broken message",
    "python-fitparse/activity-activity-filecrc.fit": "file CRC does not match",
    "python-fitparse/activity-filecrc.fit": "file CRC does not match",
    "python-fitparse/activity-settings-corruptheader.fit": "a chained FIT part has an invalid header",
    "python-fitparse/activity-settings-nodata.fit": "the file ends unexpectedly",
    "python-fitparse/activity-unexpected-eof.fit": "the file ends unexpectedly",
    # Read whole since both decoders read a field of an impossible size as invalid, as the SDK does.
    "python-fitparse/coros-pace-2-cycling-misaligned-fields.fit": (
        "malformed FIT definition: event field 3 (data) declared 1 byte of type 'uint32'"
    ),
    "python-fitparse/nick.fit": "the file ends unexpectedly",
    "python-fitparse/strava-android-app-201.10-b1218918.fit": "invalid local message type 11",
    "sports-lib/empty-activities.fit": "CorruptFileError",
}


def test_known_corrupt_files_are_met_the_same_way(corpus_dir: Path, references: dict[str, Outcome]):
    for relative, expected in KNOWN_CORRUPT.items():
        raw = load_source(corpus_dir / relative)
        fast = _outcome(decode_fast, raw.data, raw.name)
        assert_same_messages(references[relative], fast)
        said = " ".join(fast) if isinstance(fast, tuple) else " ".join(fast.warnings)
        assert expected in said, (relative, said)


# --- the bundled fixtures (no corpus needed) -----------------------------------------------


@pytest.mark.parametrize("name", FIXTURES_FIT)
def test_fixture_decodes_as_fitparse_does(data_dir: Path, name: str):
    data = (data_dir / name).read_bytes()
    fast = _check_both_ways(data, name, _reference((data, name)))
    assert isinstance(fast, tuple) or fast.decoder == "fast"


# --- the simulator's files ---------------------------------------------------------------------

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
#: The benchmark's scenarios written as FIT (one seed each), and the FIT sample files.
SIMULATED = [f"{scenario.name}-{seed}" for scenario, seed in benchmark_cases(1) if "fit" in scenario.file_format]
SIMULATED += sorted(p.name for p in SAMPLE_DATA.glob("*.fit"))


@pytest.fixture(scope="module")
def simulated_files() -> dict[str, tuple[bytes, str]]:
    files = {}
    for scenario, seed in benchmark_cases(1):
        if "fit" in scenario.file_format:
            name = f"{scenario.name}-{seed}"
            files[name] = (scenario.file_bytes(scenario.simulate(seed)), f"{name}.{scenario.file_format}")
    for path in SAMPLE_DATA.glob("*.fit"):
        files[path.name] = (path.read_bytes(), path.name)
    return files


@pytest.fixture(scope="module")
def simulated_references(simulated_files: dict[str, tuple[bytes, str]]) -> dict[str, Outcome]:
    return _references(simulated_files)


@pytest.mark.parametrize("key", SIMULATED)
def test_simulated_file_decodes_as_fitparse_does(
    simulated_files: dict[str, tuple[bytes, str]], simulated_references: dict[str, Outcome], key: str
):
    data, name = simulated_files[key]
    fast = _check_both_ways(data, name, simulated_references[key])
    assert isinstance(fast, FitMessages) and fast.decoder == "fast"
    assert fast.record_count > 500


def test_fixture_values_by_hand(data_dir: Path):
    messages = decode_fast((data_dir / "garmin-fenix-5-run.fit").read_bytes(), "run.fit")
    assert messages.decoder == "fast"
    records = messages.records
    assert records["timestamp"][0] == 866126049  # 2017-06-12T14:34:09Z in FIT seconds
    assert records["distance"][:3].tolist() == [0.0, 0.5, 0.88]  # cm / 100
    assert records["altitude"][0] == 2511 / 5 - 500  # 2.2 m, to the last bit of fitparse's arithmetic
    assert records["enhanced_altitude"][0] == 2511 / 5 - 500  # expanded from altitude's component
    # product is read as garmin_product because manufacturer is garmin; enums by name.
    assert messages.messages["file_id"] == [
        {"serial_number": 3945849289, "manufacturer": "garmin", "garmin_product": "fenix5", "type": "activity"}
    ]
    assert messages.messages["lap"][0]["total_elapsed_time"] == 56.887  # ms / 1000


# --- hand-built files ------------------------------------------------------------------------

_RECORD, _EVENT, _FILE_ID = 20, 21, 0
_UINT8, _UINT16, _UINT32, _SINT32, _BYTE, _STRING = 0x02, 0x84, 0x86, 0x85, 0x0D, 0x07
T0 = 1_000_000_000  # FIT seconds: 2021-09-09


def _header(body_size: int) -> bytes:
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, body_size, b".FIT")
    return header + struct.pack("<H", crc16(header))


def _fit(*messages: bytes, good_crc: bool = True) -> bytes:
    body = b"".join(messages)
    data = _header(len(body)) + body
    crc = crc16(data) if good_crc else crc16(data) ^ 0x5A5A
    return data + struct.pack("<H", crc)


def _definition(
    local: int, mesg_num: int, fields: list[tuple[int, int, int]], *, big: bool = False, dev: list[Any] | None = None
) -> bytes:
    head = bytes([0x40 | local | (0x20 if dev is not None else 0), 0, int(big)])
    out = head + struct.pack(">H" if big else "<H", mesg_num) + bytes([len(fields)])
    out += b"".join(bytes(f) for f in fields)
    if dev is not None:
        out += bytes([len(dev)]) + b"".join(bytes(f) for f in dev)
    return out


def _data(header: int, fmt: str, *values: Any) -> bytes:
    return bytes([header]) + struct.pack(fmt, *values)


def _file_id() -> bytes:
    return _definition(0, _FILE_ID, [(0, 1, 0), (1, 2, _UINT16)]) + _data(0, "<BH", 4, 1)


def _both(data: bytes) -> FitMessages:
    fast = _outcome(decode_fast, data, "made.fit")
    assert_same_messages(_outcome(decode_with_fitparse, data, "made.fit"), fast)
    assert isinstance(fast, FitMessages)
    assert fast.decoder == "fast"
    return fast


def test_big_endian_records_are_scaled_as_the_profile_says():
    record = _definition(1, _RECORD, [(253, 4, _UINT32), (6, 2, _UINT16), (2, 2, _UINT16), (5, 4, _UINT32)], big=True)
    # speed 3500 mm/s, altitude (100 m + 500) * 5, distance 12345 cm
    data = _fit(_file_id(), record, _data(1, ">IHHI", T0, 3500, 3000, 12345))
    records = _both(data).records
    assert records["speed"][0] == 3.5
    assert records["enhanced_speed"][0] == 3.5  # expanded from speed's component
    assert records["altitude"][0] == 100.0
    assert records["distance"][0] == 123.45
    assert records["timestamp"][0] == T0


def test_compressed_timestamps_roll_over_every_32_seconds():
    # T0 ends in binary ...00000: offsets 10, 31, 2 mean T0+10, T0+31, T0+34 (rolled over).
    base = T0 - T0 % 32
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    short = _definition(1, _RECORD, [(3, 1, _UINT8)])
    compressed = [_data(0x80 | (1 << 5) | offset, "<B", 150 + offset) for offset in (10, 31, 2)]
    data = _fit(_file_id(), record, short, _data(0, "<IB", base, 140), *compressed)
    records = _both(data).records
    assert records["timestamp"].tolist() == [base, base + 10, base + 31, base + 34]
    assert records["heart_rate"].tolist() == [140, 160, 181, 152]


def test_compressed_distance_accumulates_over_its_12_bits():
    # compressed_speed_distance: speed in the low 12 bits (1/100 m/s), distance in the high
    # 12 bits (1/16 m) counting up and wrapping at 4096.
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (8, 3, _BYTE)])

    def packed(speed: int, distance: int) -> bytes:
        return (speed | distance << 12).to_bytes(3, "little")

    rows = [_data(0, "<I3s", T0 + i, packed(350, d)) for i, d in enumerate((4000, 4090, 10, 100))]
    records = _both(_fit(_file_id(), record, *rows)).records
    assert records["speed"].tolist() == [3.5] * 4
    assert records["distance"].tolist() == [4000 / 16, 4090 / 16, (4096 + 10) / 16, (4096 + 100) / 16]


def test_chained_parts_and_a_crc_mismatch():
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    first = _fit(_file_id(), record, _data(0, "<IB", T0, 120))
    second = _fit(_file_id(), record, _data(0, "<IB", T0 + 1, 121), good_crc=False)
    messages = _both(first + second)
    assert messages.records["heart_rate"].tolist() == [120, 121]
    assert messages.warnings == ("file CRC does not match its contents; decoded anyway",)


def test_broken_messages_stop_where_fitparse_stops():
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    good = _data(0, "<IB", T0, 120)
    zero_size = _definition(1, _EVENT, [(0, 0, 0)]) + bytes([1])
    undefined = bytes([7])
    for tail, text in (
        (zero_size, "Invalid struct format: <0B"),
        (undefined, "Got data message with invalid local message type 7"),
    ):
        messages = _both(_fit(_file_id(), record, good, tail, good))
        assert messages.warnings == (f"decoding stopped at a broken message ({text}); kept the 1 records before it",)
    with pytest.raises(CorruptFileError, match="local message type 7"):
        decode_fast(_fit(_file_id(), undefined), "made.fit")


def test_a_field_of_an_impossible_size_is_invalid_and_decoding_goes_on():
    # A COROS quirk: event.data (uint32) declared with 1 byte. fitparse alone would stop here;
    # the SDK reads the field as invalid and goes on, and so do both decoders.
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    event = _definition(1, _EVENT, [(253, 4, _UINT32), (0, 1, 0), (3, 1, _UINT32), (1, 1, 0)])
    timer_start = _data(1, "<IBBB", T0 + 1, 0, 7, 0)  # event timer, data 7, type start
    rows = [_data(0, "<IB", T0 + i, 120 + i) for i in range(3)]
    messages = _both(_fit(_file_id(), record, rows[0], event, timer_start, *rows[1:], event, timer_start))
    assert messages.records["heart_rate"].tolist() == [120, 121, 122]
    assert messages.messages["event"] == [{"timestamp": T0 + 1, "event": "timer", "event_type": "start"}] * 2
    assert messages.warnings == (
        "malformed FIT definition: event field 3 (data) declared 1 byte of type 'uint32', not a multiple of "
        "the type's size; its values read as invalid",
    )


def test_truncation_anywhere_keeps_what_came_before():
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    data = _fit(_file_id(), record, *(_data(0, "<IB", T0 + i, 100 + i) for i in range(5)))
    for end in range(len(data)):
        fast = _outcome(decode_fast, data[:end], "cut.fit")
        assert_same_messages(_outcome(decode_with_fitparse, data[:end], "cut.fit"), fast)
    with pytest.raises(TruncatedFileError):
        decode_fast(data[:10], "cut.fit")


def test_long_runs_of_records_are_read_as_message_by_message():
    # Runs longer than the walk reads at once (fit_walk._RUN_CHUNK), broken by an event, and
    # cut inside them: the same records and the same stop as fitparse.
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (3, 1, _UINT8)])
    event = _definition(1, _EVENT, [(253, 4, _UINT32), (0, 1, 0), (1, 1, 0)])
    rows = [_data(0, "<IB", T0 + i, 60 + i % 150) for i in range(700)]
    data = _fit(_file_id(), record, event, *rows[:300], _data(1, "<IBB", T0 + 300, 0, 4), *rows[300:])
    whole = _both(data)
    assert whole.records["heart_rate"].tolist() == [60 + i % 150 for i in range(700)]
    for end in (len(data) - 3, len(data) - 4, len(data) - 600, len(data) - 2400, len(data) - 4200):
        assert_same_messages(
            _outcome(decode_with_fitparse, data[:end], "cut.fit"), _outcome(decode_fast, data[:end], "cut.fit")
        )


def test_a_definition_claiming_huge_messages_ends_at_the_file_end():
    # 255 fields of 255 bytes: a 65 kB message the file does not hold.
    huge = _definition(1, 132, [(i, 255, _BYTE) for i in range(255)])
    record = _definition(0, _RECORD, [(253, 4, _UINT32)])
    messages = _both(_fit(_file_id(), record, _data(0, "<I", T0), huge, bytes([1]) + b"\0" * 100))
    assert messages.warnings[-1].startswith("the file ends unexpectedly")


def test_developer_field_named_like_a_profile_field_is_kept_as_fitparse_keeps_it():
    dev_id = _definition(1, 207, [(3, 1, _UINT8)]) + _data(1, "<B", 0)
    description = _definition(2, 206, [(0, 1, _UINT8), (1, 1, _UINT8), (2, 1, _UINT8), (3, 11, _STRING)])
    describe = _data(2, "<BBB11s", 0, 5, _UINT8, b"heart_rate\0")
    record = _definition(0, _RECORD, [(253, 4, _UINT32)], dev=[(5, 1, 0)])
    messages = _both(_fit(_file_id(), dev_id, description, describe, record, _data(0, "<IB", T0, 133)))
    assert messages.records["heart_rate"].tolist() == [133.0]


def test_float_fields_are_invalid_when_nan_even_a_signalling_one():
    # A device writing enhanced_speed as float32 and distance as float64; the first row holds
    # signalling NaNs (which numpy would warn about when converting them).
    record = _definition(0, _RECORD, [(253, 4, _UINT32), (73, 4, 0x88), (5, 8, 0x89)])
    rows = _data(0, "<I4s8s", T0, bytes.fromhex("0100807f"), bytes.fromhex("010000000000f07f"))
    rows += _data(0, "<Ifd", T0 + 1, 2500.0, 12345.0)
    records = _both(_fit(_file_id(), record, rows)).records
    assert records["enhanced_speed"][1] == 2.5  # 2500 mm/s: the profile's scale applies to floats too
    assert records["distance"][1] == 123.45
    assert np.isnan(records["enhanced_speed"][0]) and np.isnan(records["distance"][0])


def test_a_timestamp_beyond_uint32_is_no_time_not_a_crash():
    # A damaged file declaring the timestamp as float64: 1e12 s after 1989 is past pandas'
    # nanosecond range; that record has no time, the others are read.
    record = _definition(0, _RECORD, [(253, 8, 0x89), (3, 1, _UINT8)])
    data = _fit(
        _file_id(),
        record,
        _data(0, "<dB", 1e12, 150),
        _data(0, "<dB", float(T0), 151),
        _data(0, "<dB", float(T0 + 1), 152),
    )
    activity = read_activity(data, name="far.fit")
    assert activity.track["heart_rate_bpm"].tolist() == [151.0, 152.0]
    assert any("without a valid time" in w for w in activity.warnings)


def test_crc_check_value():
    # The CRC-16/ARC check value, and a message followed by its CRC sums to zero.
    assert crc16(b"123456789") == 0xBB3D
    data = bytes(range(256)) * 50
    assert crc16(data + struct.pack("<H", crc16(data))) == 0
    assert crc16(data, 7, 1000) == crc16(data[7:1000])


# --- fuzzing: damaged real files ---------------------------------------------------------------

_FUZZ_SOURCES = ["garmin-fenix-5-run.fit", "compressed-speed-distance.fit", "sample_mulitple_header.fit"]
_FUZZ_BYTES = {name: (DATA / name).read_bytes() for name in _FUZZ_SOURCES}


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    data = bytearray(_FUZZ_BYTES[draw(st.sampled_from(_FUZZ_SOURCES))])
    # Small files keep fitparse (the reference) quick; the damage sits in what is kept.
    data = data[: draw(st.integers(min_value=0, max_value=min(len(data), 6000)))]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=4))]
        else:
            del data[position:]
    return bytes(data)


# Derandomized: the same damaged files every run, so a failure is a regression, not luck.
FUZZ = settings(max_examples=150, deadline=2000, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(damaged_files())
def test_damaged_files_raise_only_our_errors(data: bytes):
    with contextlib.suppress(HardkickError):
        read_activity(data, name="damaged.fit")


@FUZZ
@given(damaged_files())
def test_damaged_files_decode_as_fitparse_decodes_them(data: bytes):
    assert_same_messages(
        _outcome(decode_with_fitparse, data, "damaged.fit"), _outcome(decode_fast, data, "damaged.fit")
    )


# --- the contract of the generated profile ------------------------------------------------------


def test_profile_table_matches_fitparse():
    from fitparse.profile import MESSAGE_TYPES

    for number, message in fit_profile.MESSAGES.items():
        reference = MESSAGE_TYPES[number]
        assert message.name == reference.name
        for def_num, field in message.fields.items():
            expected = reference.fields[def_num]
            assert (field.name, field.scale, field.offset) == (expected.name, expected.scale, expected.offset)
            assert [s.name for s in field.subfields] == [s.name for s in expected.subfields or ()]
            names = getattr(expected.type, "values", None)
            assert fit_profile.TYPE_NAMES.get(field.type or "") == (dict(names) if names else None)


def test_only_the_fitparse_reader_imports_fitparse():
    package = Path(__file__).resolve().parents[1] / "hardkick_analyze"
    importers = {
        path.name
        for path in package.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+fitparse", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert importers == {"fit_fitparse.py"}


def test_zipped_fit_goes_the_fast_way(data_dir: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.fit", (data_dir / "run.fit").read_bytes())
    assert read_activity(buffer.getvalue(), name="export.zip").metadata.decoder == "fast"


def test_a_float_timestamp_keeps_its_fraction_of_a_second():
    # A damaged file declaring the timestamp as float64 with fractions of a second: the times
    # are read to the millisecond, as whole-second timestamps are read to the second.
    record = _definition(0, _RECORD, [(253, 8, 0x89), (3, 1, _UINT8)])
    data = _fit(_file_id(), record, _data(0, "<dB", T0 + 0.5, 150), _data(0, "<dB", T0 + 1.25, 151))
    activity = read_activity(data, name="fraction.fit")
    start = pd.Timestamp(T0 + FIT_EPOCH_UNIX_S, unit="s", tz="UTC")
    assert list(activity.track.index) == [start + pd.Timedelta("500ms"), start + pd.Timedelta("1250ms")]
    assert activity.track["elapsed_s"].tolist() == [0.0, 0.75]
