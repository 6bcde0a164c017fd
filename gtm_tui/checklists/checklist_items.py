"""Checklist rules: progress, filters, order, due dates and ticking — no UI.

A checklist item belongs to a stage; the stage's items are kept in the order
of their ``position`` (``data/order.py``). Ticking records who and when;
un-ticking clears both, so the file never claims someone finished what is open
again. Everything here but the changes at the end works on plain records and a
given ``today``, so tests fix the date and the screens stay thin.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from gtm_tui.data.model import ChecklistItem, Person, Stage, ValidationError, as_date, now_stamp, parse_date
from gtm_tui.data.order import next_position, order_key
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.links import parse_links

# --------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class Progress:
    """How many of a group of items are done."""

    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.fraction * 100)

    def plus(self, done: int, total: int) -> Progress:
        return Progress(self.done + done, self.total + total)

    def label(self) -> str:
        """"3/5 done (60%)", or "no items" for an empty group."""
        if not self.total:
            return "no items"
        return f"{self.done}/{self.total} done ({self.percent}%)"


def progress_bar(progress: Progress, width: int = 10) -> str:
    """The progress drawn as ``width`` block characters (full = done, light = open)."""
    if width <= 0:
        return ""
    filled = round(progress.fraction * width)
    if progress.done and not filled:
        filled = 1  # something done always shows
    if progress.done < progress.total and filled == width:
        filled = width - 1  # not finished never looks finished
    return "█" * filled + "░" * (width - filled)


def stage_progress(items: Iterable[ChecklistItem]) -> dict[str, Progress]:
    """Progress per stage id, in one pass over the items."""
    counts: dict[str, list[int]] = {}
    for item in items:
        pair = counts.setdefault(item.stage_id, [0, 0])
        pair[0] += 1 if item.done else 0
        pair[1] += 1
    return {stage_id: Progress(done, total) for stage_id, (done, total) in counts.items()}


def overall_progress(items: Iterable[ChecklistItem]) -> Progress:
    done = total = 0
    for item in items:
        total += 1
        done += 1 if item.done else 0
    return Progress(done, total)


# --------------------------------------------------------------------------
# Due dates


def is_overdue(item: ChecklistItem, today: date) -> bool:
    """Open and due before today."""
    return not item.done and item.due is not None and item.due < today.isoformat()


def is_due_today(item: ChecklistItem, today: date) -> bool:
    return not item.done and item.due == today.isoformat()


def days_late(item: ChecklistItem, today: date) -> int:
    """How many days past its due date an open item is (0 when not late)."""
    due = as_date(item.due)
    if item.done or due is None or due >= today:
        return 0
    return (today - due).days


def due_words(item: ChecklistItem, today: date) -> str:
    """The due date in words relative to today: "due today", "3 days overdue", "due in 2 days"."""
    if item.done and as_date(item.due) is not None:
        return f"was due {item.due}"
    return open_due_words(item.due, today)


def open_due_words(due_text: str | None, today: date) -> str:
    """``due_words`` for anything still open with a due date (a step, a piece of work)."""
    due = as_date(due_text)
    if due is None:
        return "no due date"
    delta = (due - today).days
    if delta == 0:
        return "due today"
    if delta < 0:
        return f"{-delta} day{'s' if delta != -1 else ''} overdue"
    return f"due in {delta} day{'s' if delta != 1 else ''}"


def due_tone(item: ChecklistItem, today: date) -> str:
    """"bad" when overdue, "warning" when due today, "" otherwise (the Overview's tones)."""
    if is_overdue(item, today):
        return "bad"
    if is_due_today(item, today):
        return "warning"
    return ""


# --------------------------------------------------------------------------
# Filters


def normalise(text: str) -> str:
    """Text compared the way a person would: case, spacing and trailing dots ignored."""
    return " ".join(text.casefold().split()).rstrip(" .;:")


@dataclass(frozen=True)
class ChecklistFilter:
    """What the Checklists screen shows. Empty = everything."""

    owner_id: str | None = None
    stage_id: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    search: str = ""

    @property
    def active(self) -> bool:
        return bool(self.owner_id or self.stage_id or self.open_only or self.overdue_only or self.search.strip())

    def matches(self, item: ChecklistItem, today: date) -> bool:
        if self.owner_id and item.owner_id != self.owner_id:
            return False
        if self.stage_id and item.stage_id != self.stage_id:
            return False
        if self.open_only and item.done:
            return False
        if self.overdue_only and not is_overdue(item, today):
            return False
        words = self.search.casefold().split()
        if words:
            haystack = f"{item.text}\n{item.note}\n{item.blocked}".casefold()
            if not all(word in haystack for word in words):
                return False
        return True

    def describe(self, people: dict[str, Person], stages: dict[str, Stage]) -> str:
        """The filter in words, for the status line ("" when nothing is filtered)."""
        parts = []
        if self.owner_id:
            parts.append(f"owner {people[self.owner_id].name if self.owner_id in people else '?'}")
        if self.stage_id:
            parts.append(f"stage {stages[self.stage_id].name if self.stage_id in stages else '?'}")
        if self.open_only:
            parts.append("open only")
        if self.overdue_only:
            parts.append("overdue only")
        if self.search.strip():
            parts.append(f"“{self.search.strip()}”")
        return ", ".join(parts)


def grouped(
    stages: Sequence[Stage], items: Iterable[ChecklistItem], item_filter: ChecklistFilter, today: date
) -> list[tuple[Stage, list[ChecklistItem]]]:
    """The stages in process order, each with its matching items in checklist order.

    With a filter on, stages without a match are left out; without one every
    stage shows (an empty stage invites adding its checklist).
    """
    by_stage: dict[str, list[ChecklistItem]] = {stage.id: [] for stage in stages}
    for item in items:
        if item.stage_id in by_stage and item_filter.matches(item, today):
            by_stage[item.stage_id].append(item)
    result = []
    for stage in stages:
        matching = sorted(by_stage[stage.id], key=order_key)
        if matching or not item_filter.active or item_filter.stage_id == stage.id:
            result.append((stage, matching))
    return result


# --------------------------------------------------------------------------
# Ticking


def tick_changes(person_id: str | None, stamp: str | None = None) -> dict[str, Any]:
    """The fields that mark an item done by ``person_id`` now (or at ``stamp``)."""
    return {"done": True, "done_by": person_id, "done_at": stamp or now_stamp()}


def untick_changes() -> dict[str, Any]:
    """The fields that make an item open again: who and when are cleared."""
    return {"done": False, "done_by": None, "done_at": None}


def toggle_changes(item: ChecklistItem, person_id: str | None, stamp: str | None = None) -> dict[str, Any]:
    """Tick an open item (by ``person_id``, falling back to its owner) or untick a done one."""
    if item.done:
        return untick_changes()
    return tick_changes(person_id or item.owner_id, stamp)


# --------------------------------------------------------------------------
# Typed values


def item_values(values: dict[str, Any]) -> dict[str, Any]:
    """What a user typed into the item form, as record fields; ``ValidationError`` names a bad field."""
    text = (values.get("text") or "").strip()
    if not text:
        raise ValidationError("text", "must not be empty (say what has to be done)")
    result = {
        "text": text,
        "owner_id": values.get("owner_id") or None,
        "due": parse_date(values.get("due"), "due"),
        "note": (values.get("note") or "").strip(),
    }
    if "links" in values:  # the form's "Where to find it", one link a line
        result["links"] = parse_links(values["links"] or "")
    return result


# --------------------------------------------------------------------------
# Changes: an item's place in its stage


def stage_items(workspace: Workspace, stage_id: str | None) -> list[ChecklistItem]:
    """The items of one stage, in checklist order."""
    return [item for item in workspace.all(ChecklistItem) if item.stage_id == stage_id]


def update_item(workspace: Workspace, item: ChecklistItem, changes: dict[str, Any]) -> ChecklistItem:
    """Save ``changes`` to ``item``; an item moved to another stage goes to the end of that stage's checklist."""
    if changes.get("stage_id", item.stage_id) != item.stage_id:
        changes = {**changes, "position": next_position(stage_items(workspace, changes["stage_id"]))}
    return workspace.update(item, **changes)


def move_item(workspace: Workspace, item: ChecklistItem, delta: int) -> bool:
    """Move ``item`` up (negative) or down within its stage; False when it is already first/last there."""
    return workspace.move(item, delta, stage_items(workspace, item.stage_id))
