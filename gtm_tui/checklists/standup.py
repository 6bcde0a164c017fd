"""Stand-up rules: whom to visit, what each person covers, and the check-in it leaves — no UI.

A stand-up goes round the team one person at a time. For each person it lists
everything open that is theirs, each once (``their_work``): what is due today or
overdue; then the pieces that sit where they are R and the approvals waiting on
them; then everything else open, what has waited longer than its stage expects
first; then what they finished since the last stand-up. Steps come from the stage
checklists and the runs under way; the pieces of work assigned to them are listed
to talk about (they move on the Board). Ending it saves a ``CheckIn``: the date,
who was visited, the notes, the blockers flagged and the steps ticked on the way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from gtm_tui.checklists.checklist_items import open_due_words
from gtm_tui.data.model import CheckIn, ChecklistItem, Person, Stage, WorkItem, as_datetime
from gtm_tui.data.order import order_key

# The timebox choices a facilitator cycles through, in seconds (None = off).
TIMEBOX_STEPS: tuple[int | None, ...] = (None, 60, 120, 180)


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
    start = as_datetime(f"{checkin.date}T00:00:00+00:00")
    assert start is not None  # a check-in's date is validated as YYYY-MM-DD
    return start


def since_moment(checkins: Iterable[CheckIn], now: datetime) -> datetime | None:
    """The moment "finished since the last stand-up" counts from (None = no stand-up yet)."""
    last = last_checkin(checkins, now)
    return _held_at(last) if last is not None else None


def since_ok(item: ChecklistItem, since: datetime | None) -> bool:
    """Was a done item finished after ``since``? (Everything done counts before the first stand-up.)"""
    if since is None:
        return True
    done_at = as_datetime(item.done_at)
    return done_at is not None and done_at > since


# --------------------------------------------------------------------------
# Everything open that is the person's, in the order to talk about it


class TurnLike(Protocol):
    """What the stand-up needs of a ``your_turn.Turn``: what waits on the person, and what kind of thing it is."""

    @property
    def kind(self) -> str:
        """"work" (a piece in a stage where they are R), "approval" or "item"."""
        ...

    @property
    def record_id(self) -> str: ...


@dataclass(frozen=True)
class Line:
    """One row of a person's stand-up: a step to tick, or a piece of work (assigned to them) to talk about."""

    kind: str  # "step" or "work"
    record: ChecklistItem | WorkItem
    reason: str = ""  # why it is their turn: "your turn", "to approve"
    waiting: Waiting | None = None  # open longer than its stage's expected days

    @property
    def done(self) -> bool:
        record = self.record
        return record.done if isinstance(record, ChecklistItem) else record.status == "done"

    @property
    def tickable(self) -> bool:
        """A step is ticked here; a piece of work is talked about and moved on the Board."""
        return self.kind == "step"


SECTIONS: tuple[tuple[str, str], ...] = (
    ("due", "Due today or overdue"),
    ("turn", "Your turn and waiting on you"),
    ("open", "Everything else open"),
    ("finished", "Done since the last stand-up"),
)
TURN_REASONS = {"work": "your turn", "approval": "to approve"}


def their_work(person_id: str, steps: Sequence[ChecklistItem], work_items: Sequence[WorkItem],
               turns: Iterable[TurnLike], waiting: Iterable[Waiting], *, today: date,
               since: datetime | None) -> dict[str, list[Line]]:
    """Everything open that is the person's, each once, by section (see ``SECTIONS``).

    ``steps`` are the steps still to be worked (``runs.steps_to_work``: stage checklists
    and the runs under way). Due and overdue first, the oldest due first (their steps and
    the pieces assigned to them); then the pieces that sit where they are R and the
    approvals waiting on them (``turns``: ``your_turn.Turn``); then everything else open,
    what waits longer than its stage expects first, then by due date; then the steps they
    finished since the last stand-up.
    """
    today_text = today.isoformat()
    aged = {entry.record.id: entry for entry in waiting}
    steps_by_id = {step.id: step for step in steps}
    work_by_id = {item.id: item for item in work_items}
    shown: set[str] = set()
    sections: dict[str, list[Line]] = {key: [] for key, _ in SECTIONS}

    def line(kind: str, record: ChecklistItem | WorkItem, reason: str = "") -> Line:
        return Line(kind, record, reason, aged.get(record.id))

    mine_open = [step for step in steps if not step.done and step.owner_id == person_id]
    my_work = [item for item in work_items if item.status != "done" and item.assignee_id == person_id]
    due = [line("step", step) for step in mine_open if step.due is not None and step.due <= today_text]
    due += [line("work", item) for item in my_work if item.due is not None and item.due <= today_text]
    sections["due"] = sorted(due, key=lambda entry: (_due(entry), entry.kind, _order(entry.record)))
    shown.update(entry.record.id for entry in sections["due"])
    for turn in turns:
        found = (work_by_id if turn.kind == "work" else steps_by_id if turn.kind == "approval" else {}).get(
            turn.record_id)
        if found is None or found.id in shown:
            continue
        sections["turn"].append(line("work" if turn.kind == "work" else "step", found, TURN_REASONS[turn.kind]))
        shown.add(found.id)
    rest = [line("step", step) for step in mine_open if step.id not in shown]
    rest += [line("work", item) for item in my_work if item.id not in shown]
    rest.sort(key=lambda entry: (entry.waiting is None, -(entry.waiting.days if entry.waiting else 0),
                                 _due(entry) or "9999", entry.kind, _order(entry.record)))
    sections["open"] = rest
    finished = [step for step in steps if step.done and (step.done_by or step.owner_id) == person_id
                and since_ok(step, since)]
    finished.sort(key=lambda step: (step.done_at or "", step.id))
    sections["finished"] = [Line("step", step) for step in finished]
    return sections


def _due(entry: Line) -> str:
    return entry.record.due or ""


def _order(record: ChecklistItem | WorkItem) -> tuple[Any, ...]:
    return order_key(record) if isinstance(record, ChecklistItem) else (0, record.created_at, record.id)


def when_words(entry: Line, today: date) -> tuple[str, str]:
    """What the "Due" column says of a row, and its tone ("bad", "warning", "turn", "done" or "").

    A finished step: the day it was done, whole ("done 2026-11-17"). Due or overdue: in words
    ("2 days overdue"). Otherwise why it is their turn, else the due date in words.
    """
    record = entry.record
    if entry.done:
        done_at = record.done_at or ""
        return (f"done {done_at[:10]}" if done_at else "done"), "done"
    due = record.due
    if due is not None and due <= today.isoformat():
        return open_due_words(due, today), "bad" if due < today.isoformat() else "warning"
    if entry.reason:
        return entry.reason, "turn"
    return (open_due_words(due, today), "") if due else ("", "")


def waited_words(entry: Line) -> str:
    """How long a row has waited in its stage, when longer than the stage expects: "15 d", "6 h" (else "")."""
    return entry.waiting.words.removeprefix("waiting ") if entry.waiting is not None else ""


def line_detail(entry: Line, today: date, *, stage: str, piece: str = "") -> str:
    """Everything about the row under the cursor in one sentence (the table cuts long text with "…")."""
    record = entry.record
    if isinstance(record, WorkItem):
        parts = [f"Piece of work: {record.title}", stage, "moved on the Board, its steps ticked here"]
    else:
        parts = [record.text + (f" — {piece}" if piece else ""), stage]
    if entry.done:
        parts.append(when_words(entry, today)[0])
    else:
        parts.append(entry.reason)
        if record.due:
            parts.append(f"{open_due_words(record.due, today)} ({record.due})")
    if entry.waiting is not None:
        parts.append(f"{entry.waiting.words} (its stage expects {entry.waiting.expected:g} d)")
    if isinstance(record, ChecklistItem) and record.blocked and not record.done:
        parts.append(f"⚑ blocked: {record.blocked}")
    return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class RoundUp:
    """One person's line at the end of the stand-up: what they ticked, and what is still theirs."""

    name: str
    ticked: int
    due: int
    turn: int
    open: int
    blockers: int

    def line(self) -> str:
        """"Ann — ticked 3 · 2 due · 1 your turn · 5 open · 1 blocker" (what is 0 left out)."""
        parts = [f"ticked {self.ticked}"] if self.ticked else []
        parts += [f"{count} {words}" for count, words in ((self.due, "due"), (self.turn, "your turn"),
                                                           (self.open, "open")) if count]
        if self.blockers:
            parts.append(f"{self.blockers} blocker{'s' if self.blockers != 1 else ''}")
        return f"{self.name} — {' · '.join(parts) if parts else 'nothing open'}"


def round_up(name: str, sections: dict[str, list[Line]], ticked: int, blockers: int) -> RoundUp:
    """A person's round-up from their sections (``their_work``), the steps ticked for them and their blockers."""
    counts = {key: len(sections.get(key, ())) for key in ("due", "turn", "open")}
    return RoundUp(name, ticked, counts["due"], counts["turn"], counts["open"], blockers)


def summary_line(name: str, sections: dict[str, list[Line]], ticked: int, blockers: int) -> str:
    """One line per person at the end of the stand-up (``RoundUp.line``)."""
    return round_up(name, sections, ticked, blockers).line()


def short_names(names: Sequence[str]) -> list[str]:
    """First names for a narrow screen's row of people; a first name two people share keeps a last initial."""
    firsts = [name.split()[0] if name.split() else name for name in names]
    taken = {first: firsts.count(first) for first in firsts}
    return [first if taken[first] == 1 or len(name.split()) < 2 else f"{first} {name.split()[-1][0]}."
            for first, name in zip(firsts, names, strict=True)]


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
