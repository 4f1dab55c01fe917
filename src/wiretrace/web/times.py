"""One way to show times: instants in UTC as ``YYYY-MM-DD HH:MM UTC``, and gaps as ``+7 h``.

Pages mix publication times stated with an offset, without one, as epochs (already UTC) or as
bare dates. Every page formats them here, so the home and story pages cannot disagree: a time
with an offset is converted to UTC, a time without one is shown as written (it cannot be placed
on the UTC line and is not pretended to be), and a bare date stays a date.
"""

from __future__ import annotations

from datetime import UTC, datetime


def parse(value: str | None) -> datetime | None:
    """The instant a stamp names, in UTC, if it has a time and an offset (or ``Z``)."""
    if not value or len(value) <= 10:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt.astimezone(UTC) if dt.tzinfo is not None else None


def best(published: str | None, published_utc: str | None = None) -> str | None:
    """The stamp to show and sort by: the UTC instant if known, else the page's own stamp."""
    return published_utc or published


def display(value: str | None) -> str:
    """``2023-10-03 04:01 UTC`` for an instant, ``2023-10-03 04:01`` for a local time, dates as is."""
    if not value:
        return "undated"
    dt = parse(value)
    if dt is not None:
        return dt.strftime("%Y-%m-%d %H:%M UTC")
    if len(value) > 10 and "T" in value:
        return value[:16].replace("T", " ")
    return value


def machine(value: str | None) -> str:
    """The ``datetime`` attribute of a ``<time>`` element: ISO UTC when known."""
    dt = parse(value)
    if dt is not None:
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value or ""


def hours_between(a: str | None, b: str | None) -> float | None:
    """Hours from ``a`` to ``b`` when both are instants (or both bare dates, at day precision)."""
    da, db = parse(a), parse(b)
    if da is None or db is None:
        if a and b and len(a) >= 10 and len(b) >= 10:
            try:
                d0 = datetime.fromisoformat(a[:10])
                d1 = datetime.fromisoformat(b[:10])
            except ValueError:
                return None
            return (d1 - d0).total_seconds() / 3600
        return None
    return (db - da).total_seconds() / 3600


def gap(hours: float | None) -> str:
    """A signed, rounded gap: ``+35 min``, ``+7 h``, ``+3 d``."""
    if hours is None:
        return ""
    sign = "+" if hours >= 0 else "−"
    h = abs(hours)
    if h < 1:
        return f"{sign}{round(h * 60)} min"
    if h < 48:
        return f"{sign}{round(h)} h"
    return f"{sign}{round(h / 24)} d"
