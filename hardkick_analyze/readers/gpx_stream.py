"""GPX too large for gpxpy's object model, streamed with the standard library's incremental parser.

gpxpy builds every track point as a Python object, with every field of the schema, beside the
whole XML tree: about eleven times the file's size in memory, and seconds per 100,000 points.
Above :data:`STREAM_ABOVE_BYTES` the GPX reader (:mod:`.gpx`) comes here instead:
``xml.etree.ElementTree.iterparse`` hands over one element at a time, each track point is read
into typed columns (8 bytes a number) and dropped from the tree, so memory grows with the
columns only.

It reads what the analysis uses the way gpxpy reads it, so both give the same samples (tested
on every GPX file of ``../shared``): the first default namespace is the GPX one (gpxpy strips
it); tracks, segments and points are direct children of the root, of a track and of a segment;
``lat``/``lon`` are numbers; ``ele`` and ``time`` (gpxpy's time grammar; a time it cannot read
is no time), ``speed`` in GPX 1.0 only, ``extensions`` in GPX 1.1 only; the track name and, in
GPX 1.1, its type. Unlike gpxpy, it does not check the fields it does not read (a broken
``<hdop>`` fails a small file and not a large one), and a point without coordinates is dropped
at once (gpxpy refuses the file, and the reader drops such points and parses it again).
"""

from __future__ import annotations

import calendar
import io
import math
import re
import xml.etree.ElementTree as ET
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import CorruptFileError

__all__ = ["STREAM_ABOVE_BYTES", "StreamedGPX", "stream_gpx"]

#: GPX files larger than this are streamed rather than read through gpxpy [bytes]. gpxpy peaks
#: at about eleven times the file's size (a 19 MiB, 24 h file at 1 s: 207 MiB; see
#: docs/performance.md); streamed, the same file peaks at a fraction of that.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024
_DEFAULT_NAMESPACE = re.compile(rb"""\sxmlns=(['"])([^'"]+)\1""")
# The times nearly every device writes; numpy reads a whole column of them at once, to the same
# microsecond as gpxpy's parser. Anything else goes through gpxpy's parser one by one.
_PLAIN_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z?")
#: Times read at a time [points]: their text is dropped once read.
_TIME_CHUNK = 65_536
#: numpy's "not a time" as a number.
_NAT = int(np.datetime64("NaT", "us").view(np.int64))


@dataclass(frozen=True, slots=True, eq=False)
class StreamedGPX:
    """The track points of a GPX file as columns, in the order gpxpy would list them, and the
    fields of the file the reader uses."""

    samples: pd.DataFrame
    creator: str | None
    track_names: tuple[str | None, ...]
    track_types: tuple[str | None, ...]
    dropped_points: int


class _Columns:
    """Numeric columns grown one point at a time, NaN where a point has no value."""

    def __init__(self) -> None:
        self.numbers: dict[str, array[float]] = {}
        self.present: dict[str, bool] = {}
        self.rows = 0

    def add(self, row: Mapping[str, float | None]) -> None:
        for name, value in row.items():
            column = self.numbers.get(name)
            if column is None:
                column = self.numbers[name] = array("d", [math.nan]) * self.rows
                self.present[name] = False
            column.append(math.nan if value is None else value)
            self.present[name] = self.present[name] or value is not None
        self.rows += 1
        for column in self.numbers.values():
            if len(column) < self.rows:
                column.append(math.nan)


def stream_gpx(body: bytes, name: str, extension_channels: Mapping[str, str]) -> StreamedGPX:
    """Read the track points of a checked GPX document (see :func:`.xml_safety.checked_xml`).

    ``extension_channels`` maps an extension element's local name (lower case) to its column.
    """
    default = _DEFAULT_NAMESPACE.search(body)
    prefix = "{" + default.group(2).decode("utf-8", errors="replace") + "}" if default else None
    # Each tag's name in the default namespace, worked out once per tag (a file has a dozen).
    locals_: dict[str, str] = {}

    def local(tag: str) -> str:
        name_ = locals_.get(tag)
        if name_ is None:
            name_ = locals_[tag] = tag[len(prefix) :] if prefix is not None and tag.startswith(prefix) else tag
        return name_

    columns = _Columns()
    times = _Times()
    names: list[str | None] = []
    types: list[str | None] = []
    creator: str | None = None
    version_11 = False
    dropped = 0
    path: list[str] = []
    elements: list[ET.Element] = []
    try:
        for event, element in ET.iterparse(io.BytesIO(body), events=("start", "end")):
            if event == "start":
                if not path:
                    creator = element.get("creator")
                    version_11 = element.get("version") == "1.1"
                path.append(local(element.tag))
                elements.append(element)
                continue
            tag = path.pop()
            elements.pop()
            if tag == "trk" and len(path) == 1:
                names.append(_text(element, "name", local))
                types.append(_text(element, "type", local) if version_11 else None)
                element.clear()
            elif tag == "trkpt" and path[1:] == ["trk", "trkseg"]:
                point = _point(element, local, version_11, extension_channels, name)
                if point is None:
                    dropped += 1
                else:
                    columns.add(point[0])
                    times.add(point[1])
                element.clear()
                elements[-1].remove(element)  # the segment keeps nothing it has handed over
    except ET.ParseError as exc:
        raise CorruptFileError(name, f"broken XML ({exc})") from exc
    return StreamedGPX(
        samples=_frame(columns, times),
        creator=creator,
        track_names=tuple(names),
        track_types=tuple(types),
        dropped_points=dropped,
    )


def _text(parent: ET.Element, tag: str, local: Callable[[str], str]) -> str | None:
    """The text of the first child ``tag`` (in the default namespace) of a track, as gpxpy reads it."""
    for child in parent:
        if local(child.tag) == tag:
            return child.text
    return None


def _point(
    element: ET.Element,
    local: Callable[[str], str],
    version_11: bool,
    extension_channels: Mapping[str, str],
    name: str,
) -> tuple[dict[str, float | None], str | None] | None:
    """One track point's numbers and its time text; None when it has no coordinates."""
    lat, lon = element.get("lat"), element.get("lon")
    if lat is None or lon is None:
        return None
    children: dict[str, ET.Element] = {}
    for child in element:
        children.setdefault(local(child.tag), child)
    row: dict[str, float | None] = {
        "lat_deg": _number(lat, "lat", name),
        "lon_deg": _number(lon, "lon", name),
        "elevation_m": _number(children["ele"].text, "ele", name) if "ele" in children else None,
    }
    if not version_11 and "speed" in children:
        speed = _number(children["speed"].text, "speed", name)
        if speed is not None:
            row["speed_mps"] = speed
    if version_11 and "extensions" in children:
        for extension in children["extensions"]:
            for item in extension.iter():
                column = extension_channels.get(item.tag.rsplit("}", 1)[-1].lower())
                if column and column not in row and item.text and item.text.strip():
                    try:
                        row[column] = float(item.text)
                    except ValueError:
                        continue
    time = children["time"].text if "time" in children else None
    return row, time


def _number(text: str | None, field: str, name: str) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError as exc:
        raise CorruptFileError(name, f"invalid GPX (Invalid value for <{field}>... {text} ({exc}))") from exc


def _frame(columns: _Columns, times: _Times) -> pd.DataFrame:
    """The points as gpxpy's rows would make them: a column of nothing but missing values stays
    one of None, as in a frame built from rows."""
    data: dict[str, object] = {"time": times.series()}
    for name, values in columns.numbers.items():
        numbers = np.frombuffer(values, dtype=np.float64) if len(values) else np.zeros(0)
        data[name] = numbers.copy() if columns.present[name] else np.full(len(numbers), None, dtype=object)
    return pd.DataFrame(data)


class _Times:
    """Point times, read as gpxpy reads them, to the microsecond in UTC (a time without a zone
    is UTC); kept as 8-byte numbers, the text of at most :data:`_TIME_CHUNK` points at a time."""

    def __init__(self) -> None:
        self.pending: list[str | None] = []
        self.micros: array[int] = array("q")
        self.any = False

    def add(self, text: str | None) -> None:
        self.pending.append(text)
        if len(self.pending) >= _TIME_CHUNK:
            self._flush()

    def series(self) -> pd.Series:
        """The times; no time at all is a column of None, as in a frame built from gpxpy's points."""
        self._flush()
        if not self.any:
            return pd.Series([None] * len(self.micros), dtype=object)
        return pd.Series(np.array(self.micros, dtype=np.int64).astype("datetime64[us]")).dt.tz_localize("UTC")

    def _flush(self) -> None:
        texts, self.pending = self.pending, []
        if not texts:
            return
        self.any = self.any or any(t is not None for t in texts)
        if all(t is not None and _PLAIN_TIME.fullmatch(t) for t in texts):
            try:
                plain = [t.rstrip("Z") for t in texts if t is not None]
                self.micros.frombytes(np.array(plain, dtype="datetime64[us]").view(np.int64).tobytes())
                return
            except ValueError:
                pass
        self.micros.extend(_NAT if m is None else m for m in map(_micros, texts))


def _micros(text: str | None) -> int | None:
    """Microseconds since 1970 of one time, by gpxpy's parser; None when it reads none."""
    from gpxpy.gpxfield import parse_time  # only for the rare time numpy does not read

    if text is None:
        return None
    try:
        moment = parse_time(text)
    except Exception:  # gpxpy's own converter turns every failure into no time
        return None
    if moment is None:
        return None
    return calendar.timegm(moment.utctimetuple()) * 1_000_000 + moment.microsecond
