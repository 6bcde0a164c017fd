"""The one place the app asks what time it is, so tests can fix "today"."""

from __future__ import annotations

import contextlib
import os
import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

_frozen: datetime | None = None


def now() -> datetime:
    """The current moment, aware, in UTC (or the frozen moment in tests)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date as the user sees it (local time), or the frozen one."""
    if _frozen is not None:
        return _frozen.date()
    return datetime.now().date()


def freeze(moment: datetime | None) -> None:
    """Fix the clock at ``moment`` (None lets it run again). For tests, snapshots and benchmarks."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    _frozen = moment


def machine_time_zone() -> str:
    """The IANA name of this machine's time zone ("Europe/Berlin"), "UTC" when it cannot be told.

    A calendar needs the name, not today's offset, so that a weekly event
    keeps its local time across a daylight-saving change. Looked up from
    ``TZ``, then ``/etc/localtime``'s link into the zoneinfo folder, then
    ``/etc/timezone`` (Debian).
    """
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and is_time_zone(name):
            return name
    return "UTC"


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (zoneinfo, or the tzdata package)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
