"""Coverage-over-time charts drawn as inline SVG on the server: no script, no external file.

Reports are counted in time buckets (hour to month, picked so the chart has a readable number
of bars) and stacked by a group such as language or outlet. Every label is escaped; colours
and geometry are numbers we compute, never article text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from markupsafe import Markup, escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f")  # fmt: skip
_STEPS = (
    (timedelta(hours=1), "%d %b %H:%M"),
    (timedelta(hours=6), "%d %b %H:%M"),
    (timedelta(days=1), "%d %b %Y"),
    (timedelta(days=7), "%d %b %Y"),
    (timedelta(days=30), "%b %Y"),
)
MAX_BARS = 40


@dataclass(frozen=True)
class Bar:
    """One time bucket: its start and the count per group."""

    start: datetime
    counts: dict[str, int]


def parse_time(value: str | None) -> datetime | None:
    """A naive-or-aware ISO timestamp (or date) as an aware UTC datetime; None if unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def bucket(points: Iterable[tuple[str | None, str]]) -> tuple[list[Bar], timedelta, str]:
    """Count (time, group) points per time bucket; returns bars, the bucket size and its label."""
    timed = [(t, g) for t, g in ((parse_time(s), g) for s, g in points) if t is not None]
    if not timed:
        return [], _STEPS[2][0], _STEPS[2][1]
    first = min(t for t, _ in timed)
    last = max(t for t, _ in timed)
    step, fmt = _STEPS[-1]
    for size, label in _STEPS:
        if (last - first) / size < MAX_BARS:
            step, fmt = size, label
            break
    origin = first.replace(minute=0, second=0, microsecond=0)
    if step >= timedelta(days=1):
        origin = origin.replace(hour=0)
    n = int((last - origin) / step) + 1
    bars = [Bar(origin + i * step, {}) for i in range(n)]
    for t, g in timed:
        counts = bars[int((t - origin) / step)].counts
        counts[g] = counts.get(g, 0) + 1
    return bars, step, fmt


def coverage_svg(points: Iterable[tuple[str | None, str]], title: str,
                 width: int = 640, height: int = 220) -> Markup:  # fmt: skip
    """A stacked bar chart of reports over time by group, with a legend and hover titles."""
    bars, step, fmt = bucket(points)
    if not bars:
        return Markup('<p class="muted">No dated reports to chart.</p>')
    groups = sorted({g for b in bars for g in b.counts},
                    key=lambda g: -sum(b.counts.get(g, 0) for b in bars))  # fmt: skip
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    peak = max(sum(b.counts.values()) for b in bars)
    left, top, bottom = 30, 10, 40
    legend_h = 18 * ((len(groups) + 2) // 3)
    plot_w, plot_h = width - left - 10, height - top - bottom
    slot = plot_w / len(bars)
    bar_w = max(2.0, slot * 0.8)
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height + legend_h}" '
        f'width="{width}" height="{height + legend_h}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 10}" text-anchor="end" font-size="10">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, bar in enumerate(bars):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(top + plot_h)
        when = bar.start.strftime(fmt)
        for g in groups:
            n = bar.counts.get(g, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{colour[g]}"><title>{escape(when)}: {n} from {escape(g)}</title></rect>'
            )
    for i in sorted({0, len(bars) // 2, len(bars) - 1}):
        x = left + i * slot + slot / 2
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10">'
            f"{escape(bars[i].start.strftime(fmt))}</text>"
        )
    unit = {3600: "hour", 21600: "6 hours", 86400: "day", 604800: "week"}.get(
        int(step.total_seconds()), "month"
    )
    out.append(
        f'<text x="{width - 10}" y="{top + plot_h + 28}" text-anchor="end" font-size="10" '
        f'fill="#555">reports per {unit} (UTC)</text>'
    )
    for i, g in enumerate(groups):
        x = left + (i % 3) * ((width - left) / 3)
        y = height + 18 * (i // 3)
        out.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour[g]}"/>')
        total = sum(b.counts.get(g, 0) for b in bars)
        out.append(
            f'<text x="{x + 14:.1f}" y="{y}" font-size="11">{escape(_short(g))} ({total})</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def _short(label: str, size: int = 26) -> str:
    """A legend label cut to fit its column."""
    return label if len(label) <= size else label[: size - 1] + "…"
