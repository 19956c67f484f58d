"""The self-contained ``report.html``: inline CSS, charts as base64 PNG, no script, no external link.

Every text taken from a file or bundle (names, titles, devices, reasons) passes through
:func:`html.escape`: a bundle is untrusted, and a file named ``<script>...</script>.gpx`` must show
as text.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..units import format_clock, format_pace
from .records import SeasonResult, SessionRecord

__all__ = ["CHART_TITLES", "render_season_html"]

#: Chart file stem -> caption, in the order the report shows them.
CHART_TITLES = {
    "pace_error": "Rep pace error over the season",
    "kick_speed": "Kick average speed over the season",
    "kick_fade": "Kick fade over the season",
    "rep_heatmap": "Pace error by rep and session",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1d232a;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
.summary{color:#445}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #dde;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f4f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{color:#a4201b}.ok{color:#1c6b34}figure{margin:1rem 0}figure img{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#556}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(28rem,1fr));
gap:1rem}
"""


def render_season_html(result: SeasonResult, charts: Mapping[str, bytes]) -> str:
    """The season report as one HTML document.

    Parameters
    ----------
    result
        The season.
    charts
        PNG bytes by chart stem (see :data:`CHART_TITLES`); missing charts are left out.

    Returns
    -------
    str
        A complete HTML5 document that opens from disk with nothing else beside it.
    """
    hard = result.of_kind("hard_kick")
    other = result.of_kind("other")
    failed = result.of_kind("failed")
    summary = (
        f"{len(result.records)} files: {len(hard)} hard-kick sessions, {len(other)} other activities, "
        f"{len(failed)} failed" + (f"; {result.cache_hits} from the cache" if result.cache_hits else "")
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Hard-kick season review</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Hard-kick season review</h1>",
        f'<p class="summary" id="summary">{_e(summary)}</p>',
        _charts(charts),
        "<h2>Hard-kick sessions</h2>",
        _hard_kick_table(result, hard),
        "<h2>Other activities</h2>",
        _table(
            ("date", "file", "title", "sport", "duration", "distance", "device"),
            [
                (
                    _date(r),
                    r.source,
                    r.title or "",
                    r.sport or "",
                    format_clock(r.duration_s),
                    _km(r.distance_m),
                    r.device or "",
                )
                for r in other
            ],
            table_id="other",
        ),
        "<h2>Files that could not be read</h2>",
        _table(
            ("file", "problem", "reason"),
            [(r.source, r.error_kind or "", r.error or "") for r in failed],
            table_id="failed",
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _hard_kick_table(result: SeasonResult, records: Sequence[SessionRecord]) -> str:
    rows = []
    for record in records:
        report: Mapping[str, Any] = record.report or {}
        workout = report.get("workout") or {}
        score = report.get("score") or {}
        kicks = [r["kick"] for r in report.get("reps", []) if r.get("kick")]
        check = result.check_for(record.source)
        target = workout.get("target_pace_s_per_km")
        source = workout.get("target_pace_source") or ""
        rows.append(
            (
                _date(record),
                record.source,
                record.title or "",
                workout.get("spec") or "",
                f"{format_pace(target)} ({source})" if target is not None else "-",
                f"{len(report.get('reps', []))}/{len(workout.get('planned', []))}",
                _number(score.get("mean_pace_error_s_per_km"), "{:+.1f}"),
                _number(score.get("pace_consistency_s_per_km"), "{:.1f}"),
                " / ".join(_number(k.get("avg_speed_mps"), "{:.2f}") for k in kicks) or "-",
                " / ".join(_number(k.get("fade_pct"), "{:.0f}") for k in kicks) or "-",
                _number(score.get("total"), "{:.0f}"),
                check.day_after if check else "",
                _number(check.base_km_per_week if check else None, "{:.1f}"),
                "; ".join(check.flags) if check else "",
            )
        )
    return _table(
        (
            "date",
            "file",
            "title",
            "workout",
            "target",
            "reps",
            "pace error [s/km]",
            "consistency [s/km]",
            "kick speed [m/s]",
            "kick fade [%]",
            "score",
            "day after",
            "base [km/week]",
            "flags",
        ),
        rows,
        table_id="hard-kick",
        flag_column=13,
    )


def _charts(charts: Mapping[str, bytes]) -> str:
    figures = []
    for stem, caption in CHART_TITLES.items():
        png = charts.get(stem)
        if png is None:
            continue
        encoded = base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure><img id="chart-{stem}" alt="{_e(caption)}" src="data:image/png;base64,{encoded}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    return '<div class="charts">' + "".join(figures) + "</div>" if figures else ""


def _table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, table_id: str, flag_column: int | None = None
) -> str:
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            css = ' class="flag"' if index == flag_column and cell else ""
            css = css or (' class="n"' if _numeric(cell) else "")
            cells.append(f"<td{css}>{_e(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(header)}">none</td></tr>')
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>' + "".join(body) + "</tbody></table>"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _date(record: SessionRecord) -> str:
    return record.start_time.date().isoformat() if record.start_time is not None else "-"


def _km(distance_m: float | None) -> str:
    return f"{distance_m / 1000:.2f} km" if distance_m is not None else "-"


def _number(value: float | None, template: str) -> str:
    return template.format(value) if value is not None else "-"


def _numeric(cell: str) -> bool:
    return bool(cell) and cell.lstrip("+-").replace(".", "", 1).isdigit()
