"""What a person does to a work item, as pure functions over a ``WorkItem``.

Nothing here saves. A function that sets fields (moving, status, flags)
returns the updated item; the caller saves it with
``Workspace.update(before, **changes(before, after))``. A function that adds
an entry to a list (time logged, a feedback cycle, a clarification) returns
an ``Edit`` whose ``append`` operation the Workspace applies to the newest
file, so two people logging on one item at once both keep their entry
(``as_edit`` turns either result into an ``Edit`` for ``Workspace.apply``).
Validation, saving, undo and refresh stay in one place. Every function that records a moment takes
``now`` explicitly, so tests can say exactly when things happened.

The stage history is the source of the metrics: moving an item closes the
current visit (``left_at``) and opens a new one; moving it back to an earlier
stage is what ``metrics.py`` counts as rework.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from gtm_tui.data.model import (
    WORK_STATUSES,
    Handoff,
    Stage,
    ValidationError,
    WorkItem,
    as_datetime,
    parse_number,
)
from gtm_tui.data.operations import Edit, append


def stamp(now: datetime) -> str:
    """``now`` as stored: ISO 8601 UTC, whole seconds."""
    return now.astimezone(UTC).replace(microsecond=0).isoformat()


def changes(before: WorkItem, after: WorkItem) -> dict[str, Any]:
    """The fields ``after`` changed, ready for ``Workspace.update(before, **changes)``."""
    old, new = before.to_dict(), after.to_dict()
    return {
        name: value
        for name, value in new.items()
        if old.get(name) != value and name not in ("id", "created_at", "updated_at")
    }


def as_edit(item: WorkItem, result: WorkItem | Edit[WorkItem]) -> Edit[WorkItem]:
    """What an action on ``item`` returned, as an ``Edit`` for ``Workspace.apply``."""
    return result if isinstance(result, Edit) else Edit(item, changes(item, result))


# --------------------------------------------------------------------------
# Moving through the stages


def ordered_stages(stages: Iterable[Stage]) -> list[Stage]:
    """Stages in process order (position, then name) — "next" and "previous" follow this order."""
    return sorted(stages, key=lambda stage: (stage.position, stage.name.casefold(), stage.id))


def move_to_stage(item: WorkItem, stage_id: str | None, now: datetime) -> WorkItem:
    """Put the item in ``stage_id``: close the open visit, open a new one. Same stage = unchanged.

    Moving out of every stage (``None``) only closes the open visit. A
    not-started item that enters a stage is in progress from then on.
    """
    if stage_id == item.stage_id:
        return item
    at = stamp(now)
    history = [dict(visit) for visit in item.stage_history]
    for visit in history:
        if visit.get("left_at") is None:
            visit["left_at"] = at
    result: dict[str, Any] = {"stage_id": stage_id, "stage_history": history}
    if stage_id is not None:
        history.append({"stage_id": stage_id, "entered_at": at, "left_at": None})
        if item.status == "not started":
            result["status"] = "in progress"
    return item.replace(**result)


def _mapped(item: WorkItem, order: list[Stage], handoffs: Iterable[Handoff]) -> list[int]:
    """The places (in process order) of the stages the map's handoffs lead to from the item's stage."""
    places = {stage.id: index for index, stage in enumerate(order)}
    return [places[h.to_stage_id] for h in handoffs if h.from_stage_id == item.stage_id and h.to_stage_id in places]


def next_stage(item: WorkItem, stages: Iterable[Stage], handoffs: Iterable[Handoff] = ()) -> Stage:
    """The stage the item goes on to: the nearest one the map hands it on to from its stage, else the next in order.

    An item in no stage goes into the first one. A handoff that skips ahead is
    followed when it is the only way on the map from there (the team drew it so).
    """
    order = ordered_stages(stages)
    if not order:
        raise ValidationError("stage_id", "the process has no stages yet; add them on the Process screen")
    ids = [stage.id for stage in order]
    if item.stage_id not in ids:
        return order[0]
    index = ids.index(item.stage_id)
    ahead = [place for place in _mapped(item, order, handoffs) if place > index]
    if ahead:
        return order[min(ahead)]
    if index + 1 >= len(order):
        raise ValidationError("stage_id", f"'{item.title}' is already at the last stage ({order[index].name})")
    return order[index + 1]


def previous_stage(item: WorkItem, stages: Iterable[Stage], handoffs: Iterable[Handoff] = ()) -> Stage:
    """The stage the item is sent back to: the map's loop back from its stage, else the one before in order.

    Following the loop back, one send-back is one backward visit (one rework),
    not a walk back through every stage in between. With several loops back
    from the stage, the nearest earlier stage is taken.
    """
    order = ordered_stages(stages)
    ids = [stage.id for stage in order]
    if item.stage_id not in ids:
        raise ValidationError("stage_id", f"'{item.title}' is not in a stage yet; ] moves it into the first one")
    index = ids.index(item.stage_id)
    back = [place for place in _mapped(item, order, handoffs) if place < index]
    if back:
        return order[max(back)]
    if index == 0:
        raise ValidationError("stage_id", f"'{item.title}' is already at the first stage ({order[0].name})")
    return order[index - 1]


def move_next(item: WorkItem, stages: Iterable[Stage], now: datetime, handoffs: Iterable[Handoff] = ()) -> WorkItem:
    """Hand the item on to the next stage (see ``next_stage``)."""
    return move_to_stage(item, next_stage(item, stages, handoffs).id, now)


def move_previous(item: WorkItem, stages: Iterable[Stage], now: datetime,
                  handoffs: Iterable[Handoff] = ()) -> WorkItem:
    """Send the item back (see ``previous_stage``): rework. A done item sent back is open again."""
    moved = move_to_stage(item, previous_stage(item, stages, handoffs).id, now)
    if moved.status == "done":
        moved = set_status(moved, "in progress", now)
    return moved


# --------------------------------------------------------------------------
# Status


def set_status(item: WorkItem, status: str, now: datetime) -> WorkItem:
    """Change the status; becoming done stamps ``done_at``, leaving done clears it."""
    if status not in WORK_STATUSES:
        raise ValidationError("status", f"must be one of {', '.join(WORK_STATUSES)}, not {status!r}")
    if status == item.status:
        return item
    done_at = (item.done_at or stamp(now)) if status == "done" else None
    return item.replace(status=status, done_at=done_at)


# --------------------------------------------------------------------------
# Time


def timer_running(item: WorkItem) -> bool:
    return item.timer_started_at is not None


def timer_minutes(item: WorkItem, now: datetime) -> int:
    """Whole minutes on the running timer (0 when it is not running)."""
    started = as_datetime(item.timer_started_at)
    if started is None:
        return 0
    return max(0, round((now - started).total_seconds() / 60))


def start_timer(item: WorkItem, now: datetime) -> Edit[WorkItem]:
    if timer_running(item):
        raise ValidationError("timer_started_at", f"the timer on '{item.title}' is already running")
    return Edit(item, {"timer_started_at": stamp(now)})


def stop_timer(item: WorkItem, now: datetime, person_id: str | None = None, note: str = "") -> Edit[WorkItem]:
    """Stop the timer and log its minutes (for ``person_id``, by default the assignee).

    Under half a minute logs nothing: a zero entry would only add noise.
    """
    if not timer_running(item):
        raise ValidationError("timer_started_at", f"no timer is running on '{item.title}'")
    minutes = timer_minutes(item, now)
    stopped = Edit(item, {"timer_started_at": None})
    if minutes <= 0:
        return stopped
    logged = log_minutes(item, minutes, person_id if person_id is not None else item.assignee_id, now, note or "timer")
    return stopped.then(operations=logged.operations)


def toggle_timer(item: WorkItem, now: datetime) -> Edit[WorkItem]:
    """Start the timer, or stop it and log the time."""
    return stop_timer(item, now) if timer_running(item) else start_timer(item, now)


def timer_words(before: WorkItem, after: WorkItem) -> str:
    """What pressing the timer key did, in a sentence: started, or stopped with what it logged (or that it did not)."""
    if not timer_running(before):
        return f"Timer started on '{after.title}'. t stops it."
    logged = logged_minutes(after) - logged_minutes(before)
    if logged <= 0:
        return "Timer stopped after under a minute: nothing is logged."
    return f"Timer stopped: {logged:g} min logged on '{after.title}'."


def log_minutes(item: WorkItem, minutes: Any, person_id: str | None, now: datetime, note: str = "") -> Edit[WorkItem]:
    """Add a time-log entry; ``minutes`` may be typed text ("45", "1.5")."""
    value = parse_number(minutes, "minutes", minimum=0)
    if value is None:
        raise ValidationError("minutes", "is required (a number of minutes)")
    if value <= 0:
        raise ValidationError("minutes", "must be more than 0")
    entry = {"at": stamp(now), "minutes": value, "person_id": person_id or None, "note": (note or "").strip()}
    return Edit(item, operations=(append("time_log", entry),))


def logged_minutes(item: WorkItem) -> float:
    return sum(entry.get("minutes") or 0 for entry in item.time_log)


# --------------------------------------------------------------------------
# Counters and hand-set flags


def add_feedback_cycle(item: WorkItem, now: datetime, note: str = "") -> Edit[WorkItem]:
    """One more round of feedback on the item (``+`` on the counter)."""
    return Edit(item, operations=(append("feedback_cycles", {"at": stamp(now), "note": (note or "").strip()}),))


def add_clarification(item: WorkItem, now: datetime, note: str = "") -> Edit[WorkItem]:
    """One more clarification request about the item."""
    return Edit(item, operations=(append("clarifications", {"at": stamp(now), "note": (note or "").strip()}),))


def toggle_rework(item: WorkItem) -> WorkItem:
    """Mark (or unmark) the item as needing rework by hand."""
    return item.replace(rework=not item.rework)


def toggle_delay(item: WorkItem) -> WorkItem:
    """Mark (or unmark) the item as delayed by hand."""
    return item.replace(delayed=not item.delayed)
