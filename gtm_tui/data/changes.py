"""What changed between two versions of a workspace, in a line a person reads.

Used when the app reloads a file a teammate changed: the diff of the old and
new tables becomes "Teammate changes: 2 checklist items, 1 person".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from gtm_tui.data.model import KIND_BY_TABLE

META_TABLE = "meta"


class RecordChange(NamedTuple):
    """One record that differs: ``before`` None = added, ``after`` None = deleted."""

    table: str
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def diff_tables(old: dict[str, Any], new: dict[str, Any]) -> list[RecordChange]:
    """Every record added, changed or deleted from ``old`` to ``new`` (meta excluded), in a stable order."""
    found: list[RecordChange] = []
    for table in sorted((old.keys() | new.keys()) - {META_TABLE}):
        before_table, after_table = old.get(table) or {}, new.get(table) or {}
        if before_table is after_table or before_table == after_table:
            continue
        for record_id in sorted(before_table.keys() | after_table.keys()):
            before, after = before_table.get(record_id), after_table.get(record_id)
            if before != after:
                found.append(RecordChange(table, record_id, before, after))
    return found


def plural(table: str, count: int) -> str:
    """"1 person", "2 people", "3 checklist items" — in the words of the record kind."""
    kind = KIND_BY_TABLE.get(table)
    label = kind.LABEL if kind else table.replace("_", " ")
    if count == 1:
        return f"1 {label}"
    return f"{count} " + ("people" if label == "person" else f"{label}s")


def summary(changes: Iterable[RecordChange | tuple]) -> str:
    """What changed, counted by kind, most first: "2 checklist items, 1 person" ("" when nothing)."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change[0]] = counts.get(change[0], 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(plural(table, count) for table, count in ordered)


def teammate_message(changes: Iterable[RecordChange | tuple]) -> str:
    """The notification after a reload; says the file was reloaded even when no record differs."""
    text = summary(changes)
    return f"Teammate changes: {text}." if text else "The file was changed elsewhere and reloaded."
