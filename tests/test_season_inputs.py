"""Expanding PATHs: folders, Strava and Garmin bundles, and untrusted zips that must not escape or vanish."""

from __future__ import annotations

import gzip
import io
import os
import warnings
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardkick_analyze.errors import HardkickError
from hardkick_analyze.season.inputs import BundleCaps, expand_paths, is_bundle, safe_name

from .test_season_sessions import KINDS, gpx_bytes


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive, warnings.catch_warnings():
        # Repeated member names are part of what a hostile bundle may hold.
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, (2026, 3, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _outcomes(inputs) -> dict[str, object]:
    """Input name -> its bytes, or the error kind its loader raises."""
    found: dict[str, object] = {}
    for item in inputs:
        try:
            found[item.source_name] = item.loader()
        except HardkickError as exc:
            found[item.source_name] = exc.kind
    return found


def test_a_folder_is_searched_recursively_for_activity_files(tmp_path, data_dir):
    (tmp_path / "2026" / "march").mkdir(parents=True)
    (tmp_path / "2026" / "march" / "run.fit").write_bytes((data_dir / "run.fit").read_bytes())
    (tmp_path / "2026" / "ride.GPX.gz").write_bytes(gzip.compress(b"<gpx/>"))
    (tmp_path / "notes.txt").write_text("not an activity")
    (tmp_path / "a.tcx").write_bytes(b"")
    names = [i.source_name for i in expand_paths([tmp_path])]
    assert names == ["2026/march/run.fit", "2026/ride.GPX.gz", "a.tcx"]


def test_several_paths_prefix_folders_and_keep_names_unique(tmp_path, data_dir):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "run.fit").write_bytes(b"x")
    single = tmp_path / "run.fit"
    single.write_bytes(b"x")
    bundle = tmp_path / "export.zip"
    bundle.write_bytes(_zip([("activities/1.gpx", b"<gpx/>"), ("activities/2.gpx", b"<gpx/>")]))
    names = [i.source_name for i in expand_paths([tmp_path / "a", tmp_path / "b", single, single, bundle])]
    assert names == [
        "a/run.fit",
        "b/run.fit",
        "run.fit",
        "run.fit (2)",
        "export.zip!activities/1.gpx",
        "export.zip!activities/2.gpx",
    ]


def test_strava_bundle_gives_names_and_dates_from_activities_csv(tmp_path):
    index = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
        '1,"Mar 2, 2026, 7:00:00 AM",Hard kick <b>Tuesday</b>,Run,activities/1.gpx.gz\n'
        '2,"Mar 3, 2026, 6:30:00 PM",Easy,Run,activities/2.gpx.gz\n'
        '3,"Mar 4, 2026, 6:30:00 PM",Lost one,Run,activities/3.fit.gz\n'
        '4,"Mar 5, 2026, 6:30:00 PM",Manual entry,Run,\n'
    )
    bundle = tmp_path / "export_123.zip"
    bundle.write_bytes(
        _zip(
            [
                ("activities.csv", index.encode()),
                ("activities/1.gpx.gz", gzip.compress(gpx_bytes(KINDS[0]))),
                ("activities/2.gpx.gz", gzip.compress(gpx_bytes(KINDS[2]))),
                ("media/photo.jpg", b"\xff\xd8"),
                ("profile.json", b"{}"),
            ]
        )
    )
    assert is_bundle(bundle)
    inputs = expand_paths([bundle])
    by_name = {i.source_name: i for i in inputs}
    assert sorted(by_name) == ["activities/1.gpx.gz", "activities/2.gpx.gz", "activities/3.fit.gz"]
    first = by_name["activities/1.gpx.gz"]
    assert first.title_hint == "Hard kick <b>Tuesday</b>"
    assert first.type_hint == "Run"
    assert first.date_hint == pd.Timestamp("2026-03-02T07:00:00Z")
    assert by_name["activities/2.gpx.gz"].date_hint == pd.Timestamp("2026-03-03T18:30:00Z")
    assert gzip.decompress(first.loader()).startswith(b"<?xml")
    with pytest.raises(HardkickError, match=r"listed in activities\.csv but not in the bundle"):
        by_name["activities/3.fit.gz"].loader()


def test_garmin_export_zips_inside_zips_are_walked(tmp_path, data_dir):
    fit = (data_dir / "run.fit").read_bytes()
    inner = _zip([("123_ACTIVITY.fit", fit), ("456_ACTIVITY.fit", fit), ("readme.txt", b"hi")])
    bundle = tmp_path / "garmin.zip"
    bundle.write_bytes(
        _zip(
            [
                ("DI_CONNECT/DI-Connect-Fitness/summary.json", b"[]"),
                ("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner),
            ]
        )
    )
    outcomes = _outcomes(expand_paths([bundle]))
    prefix = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!"
    assert outcomes == {prefix + "123_ACTIVITY.fit": fit, prefix + "456_ACTIVITY.fit": fit}


def test_a_single_activity_zip_is_one_file_not_a_bundle(tmp_path, data_dir):
    single = tmp_path / "export_original.zip"
    single.write_bytes(_zip([("123.fit", (data_dir / "run.fit").read_bytes())]))
    assert not is_bundle(single)
    assert [i.source_name for i in expand_paths([single])] == ["export_original.zip"]


def test_member_names_never_leave_the_bundle_and_nothing_is_extracted(tmp_path, data_dir):
    fit = (data_dir / "run.fit").read_bytes()
    bundle = tmp_path / "evil.zip"
    bundle.write_bytes(_zip([("../../evil.fit", fit), ("/etc/passwd.gpx", b"<gpx/>"), ("a/./../b.tcx", b"")]))
    work = tmp_path / "work"
    work.mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    outcomes = _outcomes(expand_paths([bundle]))
    assert outcomes == {"evil.fit": fit, "etc/passwd.gpx": b"<gpx/>", "a/b.tcx": b""}
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "evil.fit").exists()


def test_caps_on_nesting_member_count_and_size_fail_inputs_without_losing_them(tmp_path):
    gpx = b"<gpx>" + b" " * 100
    deep = _zip([("level3.zip", _zip([("deepest.gpx", gpx)]))])
    bundle = tmp_path / "nested.zip"
    bundle.write_bytes(_zip([("level2.zip", deep), ("ok.gpx", gpx), ("big.gpx", b" " * 5000)]))
    caps = BundleCaps(max_depth=2, max_member_bytes=1000)
    outcomes = _outcomes(expand_paths([bundle], caps=caps))
    assert outcomes == {"level2.zip!level3.zip": "bad bundle", "ok.gpx": gpx, "big.gpx": "too large"}

    crowded = tmp_path / "crowded.zip"
    crowded.write_bytes(_zip([(f"{n}.gpx", gpx) for n in range(5)]))
    assert _outcomes(expand_paths([crowded], caps=BundleCaps(max_members=4))) == {"crowded.zip": "too large"}

    total = BundleCaps(max_total_bytes=2 * len(gpx) + 1)
    outcomes = _outcomes(expand_paths([crowded], caps=total))
    assert list(outcomes.values()) == [gpx, gpx, "too large", "too large", "too large"]


def test_a_nested_zip_declaring_too_many_entries_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    crowded = _zip([(f"{n}.gpx", b"") for n in range(50)])
    bundle = tmp_path / "outer.zip"
    bundle.write_bytes(_zip([("inner.zip", crowded), ("ok.gpx", b"<gpx/>")]))
    opened = []
    real = zipfile.ZipFile

    def spy(file, *args, **kwargs):
        opened.append(file)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(zipfile, "ZipFile", spy)
    outcomes = _outcomes(expand_paths([bundle], caps=BundleCaps(max_members=10)))
    assert outcomes == {"inner.zip": "too large", "ok.gpx": b"<gpx/>"}
    # The outer zip was opened (to check it and to walk it); the crowded inner one never.
    assert all(not isinstance(f, io.BytesIO) for f in opened)


def test_a_nested_zip_deeper_than_the_cap_is_reported(tmp_path):
    gpx = b"<gpx/>"
    nested = _zip([("deepest.gpx", gpx)])
    for level in range(4):
        nested = _zip([(f"level{level}.zip", nested)])
    bundle = tmp_path / "deep.zip"
    bundle.write_bytes(nested)
    outcomes = _outcomes(expand_paths([bundle], caps=BundleCaps(max_depth=3)))
    assert outcomes == {"level3.zip!level2.zip!level1.zip": "bad bundle"}


def test_broken_and_empty_bundles_are_failed_inputs(tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(64))
    empty = tmp_path / "empty.zip"
    empty.write_bytes(_zip([]))
    only_photos = tmp_path / "photos.zip"
    only_photos.write_bytes(_zip([("a.jpg", b"\xff"), ("b.jpg", b"\xff")]))
    outcomes = _outcomes(expand_paths([broken, empty, only_photos]))
    assert outcomes == {"broken.zip": "corrupt", "empty.zip": "empty", "photos.zip": "empty"}


def test_a_missing_path_is_a_failed_input(tmp_path):
    assert _outcomes(expand_paths([tmp_path / "nope.fit"])) == {"nope.fit": "missing"}


def test_safe_name_drops_traversal_and_control_characters():
    assert safe_name("../../evil.fit") == "evil.fit"
    assert safe_name("C:\\Users\\..\\x.fit") == "C:/Users/x.fit"
    assert safe_name("/abs//a/./b.gpx") == "abs/a/b.gpx"
    assert safe_name("nul\x00\x1b[31m.tcx") == "nul\ufffd\ufffd[31m.tcx"


_NAME_PARTS = st.one_of(
    st.sampled_from(["..", ".", "", "/", "\\", "\x00", "C:", "~", "\u202e", "\x1b"]),
    st.text(min_size=1, max_size=8),
)


@st.composite
def member_name(draw) -> str:
    parts = draw(st.lists(_NAME_PARTS, min_size=1, max_size=6))
    suffix = draw(st.sampled_from([".fit", ".gpx", ".tcx.gz", ".FIT", ".txt", ".zip"]))
    return "/".join(parts) + suffix


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(member_name(), min_size=1, max_size=8))
def test_random_member_names_never_escape_and_are_all_accounted_for(tmp_path, names):
    folder = tmp_path / "walk"
    folder.mkdir(exist_ok=True)
    bundle = folder / "bundle.zip"
    members = []
    for position, name in enumerate(names):
        payload = _zip([("x.gpx", b"<gpx/>")]) if name.lower().endswith(".zip") else f"data {position}".encode()
        members.append((name, payload))
    bundle.write_bytes(_zip(members, zipfile.ZIP_STORED))
    with zipfile.ZipFile(bundle) as archive:
        # zipfile cuts a name at NUL and marks names ending in '/' as folders: count what it stored.
        stored = [i.filename for i in archive.infolist() if not i.filename.endswith("/")]
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    inputs = expand_paths([bundle])
    outcomes = _outcomes(inputs)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    expected = sum(1 for n in stored if n.lower().endswith((".fit", ".gpx", ".tcx.gz", ".zip")))
    assert len(inputs) == max(expected, 1)
    assert len(set(outcomes)) == len(inputs)
    for item in inputs:
        name = item.source_name
        assert name and not name.startswith("/")
        assert ".." not in name.replace("!", "/").split("/")
        assert not any(ord(c) < 32 for c in name)
