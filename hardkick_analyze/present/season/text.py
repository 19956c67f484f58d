"""The season at a terminal: one line per file, the counts, the three sentences and the flags ranked."""

from __future__ import annotations

from ...season.records import SessionRecord
from ...season.review import SeasonResult
from ...units import format_clock, format_pace
from .html import MAX_FLAGS_LISTED
from .words import count_text, flag_text, group_label, season_sentences

__all__ = ["render_season_text"]


def render_season_text(result: SeasonResult, units: str = "km") -> str:
    """One line per file, then the counts, the season in three sentences and what to act on."""
    lines = [_line(result, r, units) for r in result.records]
    kinds = {kind: len(result.of_kind(kind)) for kind in ("interval", "run", "other", "failed")}
    counts = (
        f"{count_text(len(result.records), 'file')}: {count_text(kinds['interval'], 'interval session')}, "
        f"{count_text(kinds['run'], 'run')}, {kinds['other']} other, {kinds['failed']} failed"
    )
    if result.cache_hits:
        counts += f" ({result.cache_hits} from the cache)"
    lines += [counts, "", *season_sentences(result, units)]
    flags = result.review.flags
    if flags:
        lines += ["", "What to act on:"]
        for flag in flags[:MAX_FLAGS_LISTED]:
            check = result.check_for(flag.source)
            if check is not None:
                lines.append(f"  {flag.start_time.date().isoformat()}  {flag.source}: {flag_text(flag, check, units)}")
        if len(flags) > MAX_FLAGS_LISTED:
            lines.append(f"  ... and {len(flags) - MAX_FLAGS_LISTED} more (see --out)")
    return "\n".join(lines)


def _line(result: SeasonResult, record: SessionRecord, units: str) -> str:
    date = record.start_time.date().isoformat() if record.start_time is not None else "----------"
    head = f"{date}  {record.kind:<8}  {record.source}"
    if record.kind == "failed":
        return f"{head}: {record.error_kind}: {record.error}"
    distance = f"{record.distance_m / 1000.0:.2f} km" if record.distance_m is not None else "-"
    if record.kind != "interval" or record.summary is None:
        sport = f" ({record.sport})" if record.kind == "other" else ""
        pace = f" at {format_pace(record.pace_s_per_km, units)}" if record.kind == "run" else ""
        return f"{head}  {distance} in {format_clock(record.duration_s)}{pace}{sport}"
    summary = record.summary
    group = result.review.group_of(record.source)
    estimate = result.review.fitness.for_session(record.source)
    score = summary.score.total if summary.score is not None else None
    parts = [
        f"{summary.structure} ({summary.workout.plan_source})",
        f"{len(summary.reps)} reps",
        f"workout {group_label(group)}" if group is not None and len(group.sessions) > 1 else "",
        f"score {score:.0f}" if score is not None else "",
        f"5 km ~{format_clock(estimate.time_5k_s)}" if estimate is not None else "",
    ]
    return f"{head}  " + ", ".join(p for p in parts if p)
