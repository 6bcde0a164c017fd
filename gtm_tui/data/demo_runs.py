"""The demo pilot's runs: every visit of every work item, as a run of that stage's steps.

A visit that ended left a run ended with it, its steps ticked by their owners
while the piece was there; a visit that ended by sending the piece back left
its last steps open (that is why it went back). The run of the stage a piece
is in now has a realistic spread: most steps already due are done, some are
overdue, some not yet due are done early. The steps the check-ins and the
review's fixes talk about are named here and left open (two of them blocked).

Owners and due dates follow the same rules as a run the app starts (the
stage's R, its A for an approval step, a named person where the step names
one; due from the day the piece entered, in working days) — the demo test
compares them with ``checklists.runs``. The demo week is Monday to Friday and
its days off fall after the runs, so the count here stays a plain one.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from gtm_tui.data.model import (
    ChecklistItem,
    Person,
    RaciAssignment,
    Record,
    Run,
    Stage,
    Step,
    WorkItem,
)

# Steps the check-ins and fixes refer to: key -> (work item key, stage key, start of the step's text).
KEYED_STEPS: dict[str, tuple[str, str, str]] = {
    "legal": ("thumb", "approval", "Claims such as"),
    "design_sources": ("onepager", "design", "Source files saved"),
    "review_window": ("news3", "review", "All comments in one Figma thread"),
    "review_handoff": ("news3", "review", "Reviewed files moved"),
    "go_live": ("webinar", "approval", "Final go-live approved"),
}
BLOCKED = {
    "legal": "Waiting for legal since last Thursday",
    "design_sources": "No access to the shared Design folder yet",
}
# The share of a current run's steps that are done: those already due, and those not due yet.
DONE_WHEN_DUE = 0.65
DONE_EARLY = 0.35


@dataclass
class DemoRuns:
    """What ``build_runs`` made: the records, in the order to add them, and the keyed steps' ids."""

    records: list[Record] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)


def _working(day: date) -> bool:
    return day.weekday() < 5


def _shift(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= _working(day)
    return day


def _on_or_after(day: date) -> date:
    while not _working(day):
        day += timedelta(days=1)
    return day


def due_of(step: Step, stage: Stage, entered: date) -> date | None:
    """The step's due date for a piece that entered ``stage`` on ``entered`` (see ``runs.step_due``)."""
    if step.offset_days is not None:
        return _shift(_on_or_after(entered), math.ceil(step.offset_days))
    if stage.expected_days is not None:
        return _shift(_on_or_after(entered), max(0, math.ceil(stage.expected_days) - 1))
    return None


def owners_of(tables: dict[str, dict[str, dict[str, Any]]]) -> dict[str, tuple[str | None, str | None]]:
    """Each stage's R and A in the pilot RACI (the first by name, as the RACI rules pick them)."""
    names = {pid: Person.from_dict(p).name.casefold() for pid, p in tables[Person.TABLE].items()}
    found: dict[str, tuple[str | None, str | None]] = {}
    for stage_id in tables[Stage.TABLE]:
        cells = [RaciAssignment.from_dict(r) for r in tables[RaciAssignment.TABLE].values()]
        row = [c for c in cells if c.stage_id == stage_id and c.layer == "pilot" and not c.activity]
        r = sorted((c.person_id for c in row if c.role in ("R", "A/R")), key=lambda p: (names[p], p))
        a = [c.person_id for c in row if c.role in ("A", "A/R")]
        found[stage_id] = (r[0] if r else None, a[0] if a else None)
    return found


def _key_of(item_key: str, stage_key: str, text: str) -> str | None:
    """The name the check-ins and fixes know a step by, or None."""
    return next((key for key, (item, stage, start) in KEYED_STEPS.items()
                 if (item, stage) == (item_key, stage_key) and text.startswith(start)), None)


def _moment(start: datetime, end: datetime, share: float) -> str:
    return (start + (end - start) * share).replace(microsecond=0, second=0).isoformat()


def build_runs(tables: dict[str, dict[str, dict[str, Any]]], today: date, new_id: Callable[[], str],
               rng: random.Random, item_keys: dict[str, str], stage_keys: dict[str, str]) -> DemoRuns:
    """The runs and run steps of every work item in ``tables``; ``*_keys`` map record ids to the demo's keys."""
    made = DemoRuns()
    stages = {sid: Stage.from_dict(data) for sid, data in tables[Stage.TABLE].items()}
    steps: dict[str, list[Step]] = {}
    for data in tables[Step.TABLE].values():
        step = Step.from_dict(data)
        steps.setdefault(step.stage_id, []).append(step)
    for stage_steps in steps.values():
        stage_steps.sort(key=lambda s: (s.position, s.id))
    owners = owners_of(tables)
    now = datetime.combine(today, time(9, 0), UTC)
    items = sorted((WorkItem.from_dict(d) for d in tables[WorkItem.TABLE].values()), key=lambda i: (i.created_at, i.id))
    for item in items:
        seen: set[str] = set()
        history = item.stage_history
        for index, visit in enumerate(history):
            stage = stages[visit["stage_id"]]
            entered = datetime.fromisoformat(visit["entered_at"])
            left = datetime.fromisoformat(visit["left_at"]) if visit.get("left_at") else None
            following = stages.get(history[index + 1]["stage_id"]) if index + 1 < len(history) else None
            sent_back = following is not None and following.position < stage.position
            run = Run(id=new_id(), work_item_id=item.id, stage_id=stage.id, started_at=visit["entered_at"],
                      ended_at=visit.get("left_at"), rework=stage.id in seen, created_at=visit["entered_at"],
                      updated_at=visit.get("left_at") or visit["entered_at"])
            seen.add(stage.id)
            made.records.append(run)
            responsible, approver = owners[stage.id]
            own = steps.get(stage.id, [])
            for position, step in enumerate(own):
                owner = step.owner_id or (approver or responsible if step.approval or step.owner_role == "A"
                                          else responsible)
                due = due_of(step, stage, entered.date())
                key = _key_of(item_keys.get(item.id, ""), stage_keys.get(stage.id, ""), step.text)
                if left is not None:
                    # Ended: ticked while the piece was there, except what sent it back.
                    done = not (sent_back and position >= len(own) - 2)
                    end = left
                elif key is not None:
                    done, end = False, now
                else:
                    chance = DONE_WHEN_DUE if due is not None and due < today else DONE_EARLY
                    done, end = rng.random() < chance, now
                done_at = _moment(entered, end, (position + 1) / (len(own) + 1)) if done else None
                record = ChecklistItem(
                    id=new_id(),
                    stage_id=stage.id,
                    run_id=run.id,
                    work_item_id=item.id,
                    step_id=step.id,
                    text=step.text,
                    position=position,
                    owner_id=owner,
                    due=due.isoformat() if due else None,
                    done=done,
                    done_by=owner if done else None,
                    done_at=done_at,
                    approval=step.approval,
                    links=[dict(link) for link in step.links],
                    blocked=BLOCKED.get(key or "", ""),
                    created_at=visit["entered_at"],
                    updated_at=done_at or visit["entered_at"],
                )
                made.records.append(record)
                if key is not None:
                    made.keys[key] = record.id
    return made
