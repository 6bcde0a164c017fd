"""Stand-up rules: whom to visit, what each person says, and the check-in it leaves — no UI.

A stand-up goes round the team one person at a time. For each person it shows
what they finished since the last stand-up, what of theirs is due today or
overdue, and their other open items in the two focus stages the pilot is
testing. Ending it saves a ``CheckIn``: the date, who was visited, the notes
and the blockers flagged on the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gtm_tui.data.model import CheckIn, ChecklistItem, Person, Pilot, Stage, WorkItem, as_datetime
from gtm_tui.data.order import order_key

# The timebox choices a facilitator cycles through, in seconds (None = off).
TIMEBOX_STEPS: tuple[int | None, ...] = (None, 60, 120, 180)


@dataclass(frozen=True)
class Agenda:
    """What one person covers in the stand-up."""

    person: Person
    finished: list[ChecklistItem] = field(default_factory=list)
    due: list[ChecklistItem] = field(default_factory=list)  # due today or overdue, oldest first
    focus: list[ChecklistItem] = field(default_factory=list)  # other open items in focus stages

    @property
    def empty(self) -> bool:
        return not (self.finished or self.due or self.focus)


def people_to_visit(people: Sequence[Person]) -> list[Person]:
    """Everyone on the team, in the People order: nobody is skipped because their list is empty."""
    return list(people)


def last_checkin(checkins: Iterable[CheckIn], now: datetime) -> CheckIn | None:
    """The most recent check-in held before ``now`` (by date, then the moment it was saved)."""
    past = [c for c in checkins if c.date and _held_at(c) <= now]
    return max(past, key=lambda c: (c.date, c.created_at), default=None)


def _held_at(checkin: CheckIn) -> datetime:
    """When a check-in ended: the moment it was saved, or the start of its date."""
    saved = as_datetime(checkin.created_at) if checkin.created_at else None
    if saved is not None and saved.date().isoformat() == checkin.date:
        return saved
    return as_datetime(f"{checkin.date}T00:00:00+00:00")  # type: ignore[return-value]


def since_moment(checkins: Iterable[CheckIn], now: datetime) -> datetime | None:
    """The moment "finished since the last stand-up" counts from (None = no stand-up yet)."""
    last = last_checkin(checkins, now)
    return _held_at(last) if last is not None else None


def focus_stage_ids(pilot: Pilot) -> list[str]:
    return [stage_id for stage_id in (pilot.focus_from_stage_id, pilot.focus_to_stage_id) if stage_id]


def agenda_for(
    person: Person,
    items: Iterable[ChecklistItem],
    *,
    today: date,
    since: datetime | None,
    focus_stages: Sequence[str],
) -> Agenda:
    """One person's part of the stand-up: finished since ``since``, due/overdue, open in focus stages.

    An item finished by the person counts even when someone else owns it; an
    item shows in one section only (due beats focus).
    """
    today_text = today.isoformat()
    finished, due, focus = [], [], []
    for item in items:
        if item.done:
            if (item.done_by or item.owner_id) == person.id and since_ok(item, since):
                finished.append(item)
            continue
        if item.owner_id != person.id:
            continue
        if item.due is not None and item.due <= today_text:
            due.append(item)
        elif item.stage_id in focus_stages:
            focus.append(item)
    finished.sort(key=lambda item: (item.done_at or "", item.id))
    due.sort(key=lambda item: (item.due or "", order_key(item)))
    focus.sort(key=lambda item: (focus_stages.index(item.stage_id), order_key(item)))
    return Agenda(person, finished, due, focus)


def since_ok(item: ChecklistItem, since: datetime | None) -> bool:
    """Was a done item finished after ``since``? (Everything done counts before the first stand-up.)"""
    if since is None:
        return True
    done_at = as_datetime(item.done_at)
    return done_at is not None and done_at > since


# --------------------------------------------------------------------------
# Everything open that is the person's, in the order to talk about it


@dataclass(frozen=True)
class Line:
    """One row of a person's stand-up: a step to tick, or a piece of work (assigned to them) to talk about."""

    kind: str  # "step" or "work"
    record: ChecklistItem | WorkItem
    why: str = ""  # "waiting 6 d", "your turn", "approval waits on you"
    aged: bool = False  # open longer than its stage's expected days


SECTIONS: tuple[tuple[str, str], ...] = (
    ("due", "Due today or overdue"),
    ("turn", "Your turn and waiting on you"),
    ("open", "Everything else open"),
    ("finished", "Finished since the last stand-up"),
)


def open_work(person_id: str, steps: Sequence[ChecklistItem], work_items: Sequence[WorkItem],
              turns: Iterable[Any], waiting: Iterable[Waiting], *, today: date,
              since: datetime | None) -> dict[str, list[Line]]:
    """Everything open that is the person's, each once, by section (see ``SECTIONS``).

    Due and overdue first (their steps and the pieces assigned to them); then the pieces that
    sit where they are R and the approvals waiting on them (``turns``: ``your_turn.Turn``);
    then everything else open, what waits longer than its stage expects first; then what
    they finished since the last stand-up.
    """
    today_text = today.isoformat()
    aged = {entry.record.id: entry for entry in waiting}
    steps_by_id = {step.id: step for step in steps}
    work_by_id = {item.id: item for item in work_items}
    shown: set[str] = set()
    sections: dict[str, list[Line]] = {key: [] for key, _ in SECTIONS}

    def line(kind: str, record: ChecklistItem | WorkItem, why: str = "") -> Line:
        entry = aged.get(record.id)
        waited = entry.words.removeprefix("waiting ") if entry and why else entry.words if entry else ""
        words = ", ".join(part for part in (why, waited) if part)  # "your turn, 6 d"
        return Line(kind, record, words, entry is not None)

    mine_open = [step for step in steps if not step.done and step.owner_id == person_id]
    my_work = [item for item in work_items if item.status != "done" and item.assignee_id == person_id]
    due: list[tuple[str, Line]] = [(step.due or "", line("step", step)) for step in mine_open
                                   if step.due is not None and step.due <= today_text]
    due += [(item.due or "", line("work", item)) for item in my_work if item.due is not None and item.due <= today_text]
    for _, entry in sorted(due, key=lambda pair: (pair[0], pair[1].kind, _order(pair[1].record))):
        sections["due"].append(entry)
        shown.add(entry.record.id)
    for turn in turns:
        if turn.kind == "work" and turn.record_id in work_by_id and turn.record_id not in shown:
            sections["turn"].append(line("work", work_by_id[turn.record_id], "your turn"))
        elif turn.kind == "approval" and turn.record_id in steps_by_id and turn.record_id not in shown:
            sections["turn"].append(line("step", steps_by_id[turn.record_id], "approval waits on you"))
        else:
            continue
        shown.add(turn.record_id)
    rest = [line("step", step) for step in mine_open if step.id not in shown]
    rest += [line("work", item) for item in my_work if item.id not in shown]
    rest.sort(key=lambda entry: (not entry.aged, -(aged[entry.record.id].days if entry.aged else 0),
                                 getattr(entry.record, "due", None) or "9999", entry.kind, _order(entry.record)))
    sections["open"] = rest
    finished = [step for step in steps if step.done and (step.done_by or step.owner_id) == person_id
                and since_ok(step, since)]
    finished.sort(key=lambda step: (step.done_at or "", step.id))
    sections["finished"] = [Line("step", step) for step in finished]
    return sections


def _order(record: ChecklistItem | WorkItem) -> tuple[Any, ...]:
    return order_key(record) if isinstance(record, ChecklistItem) else (0, record.created_at, record.id)


def summary_line(name: str, sections: dict[str, list[Line]], ticked: int, blockers: int) -> str:
    """One line per person at the end of the stand-up: "Ann — ticked 3 · 2 due · 1 your turn · 5 open · 1 blocker"."""
    parts = [f"ticked {ticked}"] if ticked else []
    for key, words in (("due", "due"), ("turn", "your turn"), ("open", "open")):
        if sections.get(key):
            parts.append(f"{len(sections[key])} {words}")
    if blockers:
        parts.append(f"{blockers} blocker{'s' if blockers != 1 else ''}")
    return f"{name} — {' · '.join(parts) if parts else 'nothing open'}"


def tick_entry(person_id: str | None, item: ChecklistItem) -> dict[str, Any]:
    """A step ticked during the stand-up, as the check-in lists it."""
    return {"person_id": person_id, "item_id": item.id, "text": item.text}


# --------------------------------------------------------------------------
# Pieces: blockers


def blockers_by_item(person_id: str, steps: Iterable[ChecklistItem],
                     work_items: Iterable[WorkItem]) -> list[tuple[WorkItem | None, list[ChecklistItem]]]:
    """The blocked open steps that concern the person (theirs, or on a piece assigned to them), per piece.

    Steps of a stage's own run come under ``None``. Pieces in title order.
    """
    items = {item.id: item for item in work_items}
    grouped: dict[str | None, list[ChecklistItem]] = {}
    for step in steps:
        if step.done or not step.blocked:
            continue
        item = items.get(step.work_item_id or "")
        if step.owner_id == person_id or (item is not None and item.assignee_id == person_id):
            grouped.setdefault(item.id if item else None, []).append(step)
    ordered = sorted(grouped, key=lambda key: ("" if key is None else items[key].title.casefold(), key or ""))
    return [(items.get(key or ""), sorted(grouped[key], key=order_key)) for key in ordered]


def blocker_entry(person_id: str | None, item_id: str, note: str) -> dict[str, Any]:
    """A blocker as a check-in stores it."""
    return {"person_id": person_id, "item_id": item_id, "note": note.strip()}


def build_checkin(
    day: date, visited: Sequence[str], notes: str, blockers: Sequence[dict[str, Any]],
    ticked: Sequence[dict[str, Any]] = (),
) -> CheckIn:
    """The record a finished stand-up leaves: attendees in the order they were visited, no repeats.

    A blocker flagged twice on the same item keeps only its latest note; a step ticked
    (``tick_entry``) is listed once.
    """
    attendees = list(dict.fromkeys(visited))
    latest: dict[str, dict[str, Any]] = {}
    for blocker in blockers:
        latest[blocker["item_id"]] = blocker
    ticks = list({entry["item_id"]: entry for entry in ticked}.values())
    return CheckIn(date=day.isoformat(), attendee_ids=attendees, notes=notes.strip(), blockers=list(latest.values()),
                   ticked=ticks)


def next_timebox(current: int | None) -> int | None:
    """The next timebox in the cycle off → 1 → 2 → 3 minutes → off."""
    index = TIMEBOX_STEPS.index(current) if current in TIMEBOX_STEPS else 0
    return TIMEBOX_STEPS[(index + 1) % len(TIMEBOX_STEPS)]


def countdown_text(seconds_left: int) -> str:
    """"1:05 left", or "0:12 over" once the time is up."""
    sign = "left" if seconds_left >= 0 else "over"
    seconds = abs(seconds_left)
    return f"{seconds // 60}:{seconds % 60:02d} {sign}"


# --------------------------------------------------------------------------
# Aging: what has waited longer than its stage should take


@dataclass(frozen=True)
class Waiting:
    """An open checklist item or work item that has been in its stage longer than the stage's expected days."""

    kind: str  # "item" (checklist item) or "work" (work item)
    record: ChecklistItem | WorkItem
    stage_id: str
    days: float  # how long it has waited
    expected: float

    @property
    def words(self) -> str:
        """"waiting 6 d" (whole days), or hours while under a day."""
        if self.days < 1:
            return f"waiting {int(self.days * 24)} h"
        return f"waiting {int(self.days)} d"


def _days_since(stamp: str | None, now: datetime) -> float | None:
    moment = as_datetime(stamp)
    return None if moment is None else (now - moment).total_seconds() / 86400


def _entered_current_stage(work: WorkItem) -> str | None:
    """When the work item entered the stage it is in now (its open visit), or None."""
    for visit in reversed(work.stage_history):
        if visit.get("stage_id") == work.stage_id and not visit.get("left_at"):
            return visit.get("entered_at")
    return None


def aging_for(
    person_id: str,
    items: Iterable[ChecklistItem],
    work_items: Iterable[WorkItem],
    stages: Iterable[Stage],
    now: datetime,
) -> list[Waiting]:
    """The person's open items older than their stage's expected days, oldest first.

    A checklist item's age runs from when it was created, while it is open;
    a work item's from when it entered its current stage, until it is done.
    Stages without expected days never age anything.
    """
    expected = {stage.id: stage.expected_days for stage in stages if stage.expected_days is not None}
    found: list[Waiting] = []
    for item in items:
        if item.done or item.owner_id != person_id or item.stage_id not in expected:
            continue
        days = _days_since(item.created_at, now)
        if days is not None and days > expected[item.stage_id]:
            found.append(Waiting("item", item, item.stage_id, days, expected[item.stage_id]))
    for work in work_items:
        if work.status == "done" or work.assignee_id != person_id or work.stage_id not in expected:
            continue
        days = _days_since(_entered_current_stage(work), now)
        if days is not None and days > expected[work.stage_id]:
            found.append(Waiting("work", work, work.stage_id, days, expected[work.stage_id]))
    found.sort(key=lambda waiting: (-waiting.days, waiting.record.id))
    return found
