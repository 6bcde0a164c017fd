"""The one place the app asks what time it is, so tests can fix "today"."""

from __future__ import annotations

from datetime import date, datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """The current moment, aware, in UTC (or the frozen moment in tests)."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def today() -> date:
    """Today's date as the user sees it (local time), or the frozen one."""
    if _frozen is not None:
        return _frozen.date()
    return datetime.now().date()


def freeze(moment: datetime | None) -> None:
    """Fix the clock at ``moment`` (None lets it run again). For tests, snapshots and benchmarks."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    _frozen = moment
