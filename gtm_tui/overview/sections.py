"""The Overview's building blocks: titled sections of plain rows.

Every part of the method contributes a section; they all build them from
these two records, so this module imports nothing of the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MISSING = "— not set"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """"1 error", "2 errors", "0 people": a count with its noun in the right number."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


@dataclass(frozen=True)
class Row:
    """One line of an Overview section. ``tone``: "" (plain), "good", "warning", "bad" or "muted"."""

    label: str
    value: str = ""
    tone: str = ""


@dataclass(frozen=True)
class Section:
    """A titled block of the Overview; an empty section is not shown."""

    title: str
    rows: list[Row] = field(default_factory=list)
