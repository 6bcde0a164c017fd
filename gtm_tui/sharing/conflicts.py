"""The conflicts a merge left in the file, and what a person does about each.

``gtm-tui merge`` (or folding in a conflict copy) keeps the later value of a
field both sides changed and stores the other one as a ``Conflict`` record.
Here a person either keeps what the record holds now or takes the other
value; both end the conflict. A conflict about a whole record (deleted on one
side, changed on the other, so kept) is resolved by keeping it or deleting it.
"""

from __future__ import annotations

from typing import Any

import orjson

from gtm_tui.data.model import KIND_BY_TABLE, Conflict, Record
from gtm_tui.data.workspace import RecordNotFound, Workspace
from gtm_tui.overview.sections import Row, Section


def open_conflicts(workspace: Workspace) -> list[Conflict]:
    """Every conflict still to look at, oldest merge first, then by record and field."""
    return sorted(workspace.all(Conflict), key=lambda c: (c.when, c.table, c.record_id, c.field, c.id))


def show_value(value: Any, *, limit: int = 60) -> str:
    """A stored value as a person reads it: yes/no, "—" for nothing, JSON for lists and dicts."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def subject(workspace: Workspace, conflict: Conflict) -> str:
    """The record a conflict is about, named as the rest of the app names it."""
    kind = KIND_BY_TABLE.get(conflict.table)
    if kind is None:
        return f"a record of {conflict.table}"
    record = workspace.find(kind, conflict.record_id)
    if record is None:
        return f"a {kind.LABEL} that no longer exists"
    return workspace.describe(record)


def current_value(workspace: Workspace, conflict: Conflict) -> Any:
    """What the record holds now in the conflicting field (a teammate may have changed it since)."""
    kind = KIND_BY_TABLE.get(conflict.table)
    record = workspace.find(kind, conflict.record_id) if kind else None
    if record is None:
        return None
    if not conflict.field:
        return "kept"
    return record.to_dict().get(conflict.field)


def other_value_text(conflict: Conflict) -> str:
    return "deleted" if not conflict.field else show_value(conflict.losing)


def take_other(workspace: Workspace, conflict: Conflict) -> str:
    """Apply the value the merge did not keep (for a kept record: delete it) and end the conflict; says what it did."""
    kind = KIND_BY_TABLE.get(conflict.table)
    record: Record | None = workspace.find(kind, conflict.record_id) if kind else None
    with workspace.batch(f"take the other side's {conflict.field.replace('_', ' ') or 'deletion'} of "
                         f"{subject(workspace, conflict)}"):
        if record is None:
            message = "The record no longer exists; the conflict was closed."
        elif not conflict.field:
            workspace.delete(record)
            message = f"Deleted {workspace.describe(record)}, as the other side had."
        else:
            workspace.update(record, **{conflict.field: conflict.losing})
            field = conflict.field.replace("_", " ").capitalize()
            message = f"{field} of {workspace.describe(record)} is now {show_value(conflict.losing)}."
        workspace.delete(workspace.get(Conflict, conflict.id))
    return message


def keep_current(workspace: Workspace, conflict: Conflict) -> str:
    """End the conflict, keeping what the record holds now."""
    try:
        workspace.delete(workspace.get(Conflict, conflict.id))
    except RecordNotFound:
        return "That conflict was already resolved."
    return f"Kept the current value of {subject(workspace, conflict)}."


def conflicts_section(workspace: Workspace) -> Section:
    """The Overview's reminder that merged changes wait for a person's choice (empty when none)."""

    found = open_conflicts(workspace)
    if not found:
        return Section("Merge conflicts", [])
    rows = [Row(f"{len(found)} to review", "ctrl+p → Conflicts: keep the current value or take the other", "warning")]
    for conflict in found[:5]:
        what = (
            f"{conflict.field.replace('_', ' ')}: now {show_value(current_value(workspace, conflict), limit=30)}, "
            f"other {other_value_text(conflict)}"
            if conflict.field
            else "deleted on one side, kept"
        )
        name = subject(workspace, conflict)
        rows.append(Row(name if len(name) <= 30 else name[:29] + "…", what, "warning"))
    if len(found) > 5:
        rows.append(Row(f"… and {len(found) - 5} more", "", "muted"))
    return Section("Merge conflicts", rows)
