"""The self-contained ``report.html``: inline CSS, charts as base64 PNG, one small inline script, no external link.

A coach reads it in a minute: the season in three sentences and the goal chart, what to act on
(the flags ranked), each workout over time, then every session. Tables sort when a header is
clicked (or from a link ending ``#sort-<table id>-<column>-asc|desc``).

Every text taken from a file or bundle (names, titles, devices, reasons) passes through
:func:`html.escape`: a bundle is untrusted, and a file named ``<script>...</script>.gpx`` must show
as text. A Content-Security-Policy lets only this module's own style and script run (by hash),
and loads nothing from anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...season.checks import SessionCheck
from ...season.groups import SessionMetrics, WorkoutGroup
from ...season.records import SessionRecord
from ...season.review import SeasonResult
from ...units import format_clock, format_pace
from .words import (
    MODEL_NOTES,
    base_text,
    day_after_text,
    flag_text,
    group_label,
    group_sentence,
    season_sentences,
    spread_text,
)

__all__ = ["FITNESS_CHART", "MAX_FLAGS_LISTED", "Cell", "group_chart_stem", "render_season_html"]

#: Stem of the goal chart (``fitness.png``).
FITNESS_CHART = "fitness"
#: Flags listed at the top; the rest are in the sessions table.
MAX_FLAGS_LISTED = 12

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:76rem;
padding:0 1rem;color:#1d232a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccd}
h3{font-size:1.05rem;margin:1.4rem 0 .3rem}#summary{font-size:1.05rem;max-width:60rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #dde;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f4f8;white-space:nowrap}table.sortable th{cursor:pointer}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.flag{color:#a4201b}ol.flags li{margin:.2rem 0}figure{margin:1rem 0}figure img{max-width:100%;height:auto}
figcaption,.note{font-size:.85rem;color:#556}article{margin-bottom:2rem}
"""

_SCRIPT = """
(function () {
  function value(cell) {
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    return !isNaN(x) && !isNaN(y) ? x - y : a.localeCompare(b);
  }
  function sort(table, column, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r, s) {
      var a = value(r.cells[column] || r.cells[0]), b = value(s.cells[column] || s.cells[0]);
      if (a === "" || b === "") { return a === b ? 0 : a === "" ? 1 : -1; }
      return direction * compare(a, b);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) {
      heads[i].setAttribute("aria-sort", i === column ? (direction > 0 ? "ascending" : "descending") : "none");
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (head, column) {
      head.tabIndex = 0;
      head.setAttribute("aria-sort", "none");
      head.title = "Sort by this column";
      function go() { sort(table, column, head.getAttribute("aria-sort") === "ascending" ? -1 : 1); }
      head.addEventListener("click", go);
      head.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); go(); }
      });
    });
  });
  var asked = /^#sort-([a-z0-9-]+)-([0-9]+)-(asc|desc)$/.exec(window.location.hash);
  if (asked) {
    var table = document.getElementById(asked[1]);
    if (table && table.classList.contains("sortable")) { sort(table, Number(asked[2]), asked[3] === "asc" ? 1 : -1); }
  }
  document.documentElement.setAttribute("data-sortable", "ready");
})();
"""


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: the text shown (escaped when written), the value it sorts by (a number or an ISO
    date; None: by the text), a CSS class, and links made here (HTML, written as it is)."""

    text: str
    sort: float | str | None = None
    css: str | None = None
    links: str = ""


def render_season_html(
    result: SeasonResult,
    charts: Mapping[str, bytes],
    *,
    units: str = "km",
    session_charts: Mapping[str, Sequence[Path]] | None = None,
    out_dir: Path | None = None,
) -> str:
    """The season report as one HTML document.

    Parameters
    ----------
    result
        The season.
    charts
        PNG bytes by chart stem: :data:`FITNESS_CHART` and :func:`group_chart_stem` of each
        workout; missing charts are left out.
    units
        ``'km'`` or ``'mi'`` for paces.
    session_charts
        Each session's own chart files, by the session's file name; its row links to them.
    out_dir
        Where the report is written, so the links to the session charts are relative to it.

    Returns
    -------
    str
        A complete HTML5 document that opens from disk with nothing else beside it.
    """
    links = _links(session_charts or {}, out_dir)
    sentences = " ".join(season_sentences(result, units))
    body = [
        "<h1>Season review</h1>",
        f'<p id="summary">{_e(sentences)}</p>',
        _figure(charts, FITNESS_CHART, "The 5 km time each session's reps say, against the goal"),
        "<h2>What to act on</h2>",
        _flags(result, units),
        "<h2>Workouts over the season</h2>",
        _groups(result, charts, units),
        "<h2>Sessions</h2>",
        "<h3>Interval sessions</h3>",
        ""
        if session_charts
        else '<p class="note">Each file links to its own session, rep and kick-fade charts '
        "when <code>--charts DIR</code> draws them.</p>",
        _interval_table(result, units, links),
        "<h3>Runs without reps</h3>",
        _runs_table(result.of_kind("run"), units),
        "<h3>Other activities</h3>",
        _other_table(result.of_kind("other")),
        "<h3>Files that could not be read</h3>",
        _table(
            "failed",
            ("file", "problem", "reason"),
            [[Cell(r.source), Cell(r.error_kind or ""), Cell(r.error or "")] for r in result.of_kind("failed")],
        ),
        "<h2>How the 5 km estimate is made</h2>",
        *(f'<p class="note">{_e(note)}</p>' for note in MODEL_NOTES),
    ]
    return _document(body)


def _document(body: Sequence[str]) -> str:
    """The page around the body: the policy that lets only this module's style and script run."""
    policy = (
        f"default-src 'none'; img-src data:; style-src '{_hash(_CSS)}'; script-src '{_hash(_SCRIPT)}'; "
        "base-uri 'none'; form-action 'none'"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # The policy is this module's own text (base64 hashes, no quote or bracket in it).
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Season review</title>",
        f"<style>{_CSS}</style></head><body>",
        *body,
        f"<script>{_SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def group_chart_stem(group: WorkoutGroup) -> str:
    """File stem of a workout's chart: ``group-`` and its key, in safe characters."""
    return "group-" + _slug(group.key)


def _flags(result: SeasonResult, units: str) -> str:
    flags = result.review.flags
    if not flags:
        return '<p class="note">Nothing to flag in the sessions the folder holds.</p>'
    items = []
    for flag in flags[:MAX_FLAGS_LISTED]:
        check = result.check_for(flag.source)
        if check is None:
            continue
        items.append(
            f'<li><time datetime="{flag.start_time.date().isoformat()}">{flag.start_time.date().isoformat()}</time> '
            f"{_e(flag.source)}: {_e(flag_text(flag, check, units))}</li>"
        )
    more = len(flags) - MAX_FLAGS_LISTED
    tail = f'<p class="note">{more} more in the sessions table.</p>' if more > 0 else ""
    return '<ol class="flags" id="flags">' + "".join(items) + "</ol>" + tail


def _groups(result: SeasonResult, charts: Mapping[str, bytes], units: str) -> str:
    groups = result.review.groups
    repeated = [g for g in groups if len(g.sessions) >= 2]
    once = [g for g in groups if len(g.sessions) == 1]
    parts = []
    for group in repeated:
        stem = group_chart_stem(group)
        parts.append(
            f'<article id="{stem}"><h3>{_e(group_label(group))}</h3>'
            f"<p>{_e(group_sentence(group, units))}</p>"
            + _figure(charts, stem, f"{group_label(group)} over the season")
            + _group_table(stem + "-sessions", group.sessions, units)
            + "</article>"
        )
    if not repeated:
        parts.append('<p class="note">No workout was done more than once.</p>')
    if once:
        parts.append("<h3>Done once</h3>")
        rows = [
            [
                Cell(group_label(g)),
                _date_cell(g.sessions[0].start_time.date().isoformat()),
                Cell(g.sessions[0].source),
                Cell(g.sessions[0].structure),
                *_metric_cells(g.sessions[0], units),
            ]
            for g in once
        ]
        header = ("workout", "date", "file", "structure", "rep pace", "spread", "heart rate", "kick speed", "fade")
        parts.append(_table("once", header, rows))
    return "\n".join(parts)


def _group_table(table_id: str, sessions: Sequence[SessionMetrics], units: str) -> str:
    rows = [
        [
            _date_cell(s.start_time.date().isoformat()),
            Cell(s.source),
            Cell(s.structure),
            _number(s.reps, "{:.0f}"),
            *_metric_cells(s, units),
        ]
        for s in sessions
    ]
    header = ("date", "file", "structure", "reps", "rep pace", "spread", "heart rate", "kick speed", "fade")
    return _table(table_id, header, rows)


def _metric_cells(session: SessionMetrics, units: str) -> list[Cell]:
    return [
        _pace(session.rep_pace_s_per_km, units),
        _spread(session.rep_spread_s_per_km, units),
        _number(session.heart_rate_bpm, "{:.0f} bpm"),
        _number(session.kick_speed_mps, "{:.2f} m/s"),
        _number(session.kick_fade_pct, "{:.0f} %"),
    ]


def _interval_table(result: SeasonResult, units: str, links: Mapping[str, str]) -> str:
    fitness = result.review.fitness
    rows = []
    for record in result.of_kind("interval"):
        summary = record.summary
        if summary is None:
            continue
        group = result.review.group_of(record.source)
        metrics = result.review.metrics_of(record.source)
        estimate = fitness.for_session(record.source)
        check = result.check_for(record.source)
        target = summary.workout.target_pace_s_per_km
        rows.append(
            [
                _date_cell(_date(record)),
                Cell(record.source, record.source, links=links.get(record.source, "")),
                Cell(record.title or ""),
                Cell(summary.structure or ""),
                Cell(summary.workout.plan_source),
                Cell(f"{len(summary.reps)}/{len(summary.workout.planned)}", len(summary.reps)),
                _pace(metrics.rep_pace_s_per_km if metrics else None, units),
                Cell(
                    f"{format_pace(target, units)} ({summary.workout.target_pace_source})" if target else "-",
                    target if target else "",
                ),
                _number(summary.score.total if summary.score else None, "{:.0f}"),
                Cell(
                    f"{format_clock(estimate.time_5k_s)} ({estimate.zone})" if estimate else "-",
                    estimate.time_5k_s if estimate else "",
                ),
                Cell(group_label(group) if group else ""),
                Cell(_day_after(check, units)),
                Cell(base_text(check) if check else ""),
                Cell("; ".join(flag_text(f, check, units) for f in check.flags) if check else "", css="flag"),
            ]
        )
    header = (
        "date",
        "file",
        "title",
        "structure",
        "plan",
        "reps",
        "rep pace",
        "target",
        "score",
        "5 km estimate",
        "workout",
        "day after",
        "base",
        "flags",
    )
    return _table("intervals", header, rows)


def _runs_table(records: Sequence[SessionRecord], units: str) -> str:
    rows = [
        [
            _date_cell(_date(r)),
            Cell(r.source),
            Cell(r.title or ""),
            _number(r.distance_m / 1000.0 if r.distance_m is not None else None, "{:.2f} km"),
            Cell(format_clock(r.duration_s), r.duration_s if r.duration_s is not None else ""),
            _pace(r.pace_s_per_km, units),
            Cell(r.device or ""),
        ]
        for r in records
    ]
    return _table("runs", ("date", "file", "title", "distance", "time", "pace", "device"), rows)


def _other_table(records: Sequence[SessionRecord]) -> str:
    rows = [
        [
            _date_cell(_date(r)),
            Cell(r.source),
            Cell(r.title or ""),
            Cell(r.sport or ""),
            _number(r.distance_m / 1000.0 if r.distance_m is not None else None, "{:.2f} km"),
            Cell(format_clock(r.duration_s), r.duration_s if r.duration_s is not None else ""),
            Cell(r.device or ""),
        ]
        for r in records
    ]
    return _table("other", ("date", "file", "title", "sport", "distance", "time", "device"), rows)


def _day_after(check: SessionCheck | None, units: str) -> str:
    if check is None:
        return ""
    return f"{check.day_after}: {day_after_text(check, units)}" if check.day_after != "unknown" else "unknown"


def _table(table_id: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A sortable table; every cell's text is escaped."""
    body = []
    for row in rows:
        cells = []
        for cell in row:
            attributes = ""
            if cell.sort is not None:
                attributes += f' data-v="{_e(cell.sort)}"'
            css = cell.css if cell.css and cell.text else ("n" if isinstance(cell.sort, float | int) else None)
            if css:
                attributes += f' class="{css}"'
            cells.append(f"<td{attributes}>{_e(cell.text)}{cell.links}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(header)}">none</td></tr>')
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    return (
        f'<table class="sortable" id="{table_id}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>"
    )


def _links(session_charts: Mapping[str, Sequence[Path]], out_dir: Path | None) -> dict[str, str]:
    links = {}
    for source, paths in session_charts.items():
        anchors = []
        for path in paths:
            target = Path(os.path.relpath(path, out_dir)) if out_dir is not None else path.resolve()
            href = urllib.parse.quote(target.as_posix()) if out_dir is not None else target.as_uri()
            what = path.stem.rsplit("_", 1)[-1]
            anchors.append(f'<a href="{_e(href)}">{_e(_CHART_NAMES.get(what, what))}</a>')
        if anchors:
            links[source] = " (" + ", ".join(anchors) + ")"
    return links


_CHART_NAMES = {"overview": "session", "reps": "reps", "kicks": "kick fade"}


def _figure(charts: Mapping[str, bytes], stem: str, caption: str) -> str:
    png = charts.get(stem)
    if png is None:
        return ""
    encoded = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img id="chart-{_e(stem)}" alt="{_e(caption)}" src="data:image/png;base64,{encoded}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _pace(pace_s_per_km: float | None, units: str) -> Cell:
    return Cell(format_pace(pace_s_per_km, units), pace_s_per_km if pace_s_per_km is not None else "")


def _spread(spread_s_per_km: float | None, units: str) -> Cell:
    if spread_s_per_km is None:
        return Cell("-", "")
    return Cell(spread_text(spread_s_per_km, units), spread_s_per_km)


def _number(value: float | None, template: str) -> Cell:
    return Cell(template.format(value), float(value)) if value is not None else Cell("-", "")


def _date_cell(day: str) -> Cell:
    return Cell(day, day)


def _date(record: SessionRecord) -> str:
    return record.start_time.date().isoformat() if record.start_time is not None else "-"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "group"


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
