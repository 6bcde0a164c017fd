"""Runs: every piece of work's own copy of a stage's steps, as pure rules — nothing here saves.

When a work item enters a stage it gets a run: a copy of the stage's steps
(``model.Step``), each with an owner (the step's person, else the stage's R —
or its A for an approval step — as the RACI says when the run starts), a due
date (the day it entered plus the step's offset in working days, else the end
of the stage's expected days) and its own tick. Going back to a stage the
item had been in starts a new run marked ``rework``; the old one stays, ended.

A run's steps are ``ChecklistItem`` records, one record a step, so two people
ticking different steps of one run at the same moment (or in two copies of
the file) change different records and both ticks are kept.

Steps of an ended run that were left open stay as they were (the item's
history shows them) but no longer count as anyone's open work: ``live_steps``
is what reminders, the stand-up and the Overview look at.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from gtm_tui.checklists.checklist_items import Progress
from gtm_tui.data.model import ChecklistItem, Run, Stage, Step, WorkItem
from gtm_tui.data.order import order_key
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.planning import WorkCalendar


def stamp(now: datetime) -> str:
    """``now`` as stored: ISO 8601 UTC, whole seconds."""
    return now.astimezone(UTC).replace(microsecond=0).isoformat()


def stage_steps(steps: Iterable[Step], stage_id: str) -> list[Step]:
    """A stage's steps in their order."""
    return sorted((step for step in steps if step.stage_id == stage_id), key=order_key)


# --------------------------------------------------------------------------
# Starting a run


@dataclass(frozen=True)
class StageOwners:
    """Who the pilot RACI names on a stage when a run starts: its R and its A."""

    responsible: str | None = None
    approver: str | None = None


def step_owner(step: Step, owners: StageOwners) -> str | None:
    """The owner a run's copy of ``step`` gets: the step's person, else the stage's A or R by the step's role.

    An approval step goes to the stage's A (the only one who may tick it).
    """
    if step.owner_id:
        return step.owner_id
    if step.approval or step.owner_role == "A":
        return owners.approver or owners.responsible
    return owners.responsible


def step_due(step: Step, stage: Stage, entered: date, calendar: WorkCalendar) -> date | None:
    """When a run's copy of ``step`` falls due for a piece that entered ``stage`` on ``entered``.

    With an offset: that many working days after the day it entered (0 = that
    day, or the next working day). Without: the last working day of the
    stage's expected days (a 3-day stage entered on Monday is due Wednesday).
    No offset and no expected days: no due date.
    """
    if step.offset_days is not None:
        return calendar.shift(calendar.on_or_after(entered), math.ceil(step.offset_days - 1e-9))
    if stage.expected_days is not None:
        return calendar.add(entered, stage.expected_days)
    return None


def run_steps_for(run: Run, stage: Stage, steps: Sequence[Step], owners: StageOwners, entered: date,
                  calendar: WorkCalendar, start_position: int = 0) -> list[ChecklistItem]:
    """The run's copies of ``steps`` (in their order), owned and dated."""
    made = []
    for offset, step in enumerate(steps):
        due = step_due(step, stage, entered, calendar)
        made.append(
            ChecklistItem(
                stage_id=stage.id,
                run_id=run.id,
                work_item_id=run.work_item_id,
                step_id=step.id,
                text=step.text,
                position=start_position + offset,
                owner_id=step_owner(step, owners),
                due=due.isoformat() if due else None,
                approval=step.approval,
                links=[dict(link) for link in step.links],
                source=step.source,
            )
        )
    return made


def new_run(item: WorkItem, stage: Stage, steps: Iterable[Step], owners: StageOwners, now: datetime,
            calendar: WorkCalendar, *, rework: bool = False) -> tuple[Run, list[ChecklistItem]]:
    """The run ``item`` gets on entering ``stage`` at ``now``, and its steps (nothing is saved)."""
    run = Run(work_item_id=item.id, stage_id=stage.id, started_at=stamp(now), rework=rework)
    return run, run_steps_for(run, stage, stage_steps(steps, stage.id), owners, now.date(), calendar)


# --------------------------------------------------------------------------
# Finding runs and their steps


@dataclass
class RunIndex:
    """Runs by work item and steps by run, built in one pass over the records (for lists and boards)."""

    runs: dict[str, Run] = field(default_factory=dict)
    by_item: dict[str | None, list[Run]] = field(default_factory=dict)  # None: the stages' own runs
    steps: dict[str, list[ChecklistItem]] = field(default_factory=dict)  # run id -> its steps, in order
    loose: list[ChecklistItem] = field(default_factory=list)  # steps in no run

    @classmethod
    def of(cls, runs: Iterable[Run], steps: Iterable[ChecklistItem]) -> RunIndex:
        index = cls()
        for run in runs:
            index.runs[run.id] = run
            index.by_item.setdefault(run.work_item_id, []).append(run)
        for item_runs in index.by_item.values():
            item_runs.sort(key=lambda run: (run.started_at, run.created_at, run.id))
        for step in steps:
            if step.run_id and step.run_id in index.runs:
                index.steps.setdefault(step.run_id, []).append(step)
            else:
                index.loose.append(step)
        for run_steps in index.steps.values():
            run_steps.sort(key=order_key)
        return index

    def runs_of(self, item_id: str) -> list[Run]:
        """The item's runs, oldest first."""
        return self.by_item.get(item_id, [])

    def stage_runs(self, stage_id: str) -> list[Run]:
        """A stage's own runs (the schema-1 checklist carried over)."""
        return [run for run in self.by_item.get(None, []) if run.stage_id == stage_id]

    def current(self, item: WorkItem) -> Run | None:
        """The open run of the stage the item is in now (the newest, should there be two)."""
        return current_run(self.runs_of(item.id), item.stage_id)

    def steps_of(self, run_id: str | None) -> list[ChecklistItem]:
        return self.steps.get(run_id or "", [])

    def progress(self, run_id: str | None) -> Progress:
        steps = self.steps_of(run_id)
        return Progress(sum(1 for step in steps if step.done), len(steps))

    def is_live(self, step: ChecklistItem) -> bool:
        """Whether the step is still work to do: in an open run, or in no run at all."""
        run = self.runs.get(step.run_id or "")
        return run is None or run.open


def current_run(runs: Iterable[Run], stage_id: str | None) -> Run | None:
    """The newest open run of ``stage_id`` among ``runs``."""
    found = [run for run in runs if run.stage_id == stage_id and run.open]
    return max(found, key=lambda run: (run.started_at, run.created_at, run.id), default=None)


def live_steps(steps: Iterable[ChecklistItem], runs: Iterable[Run]) -> list[ChecklistItem]:
    """The steps still to be worked: those of open runs and those in no run (ended runs' leftovers are history)."""
    ended = {run.id for run in runs if not run.open}
    return [step for step in steps if step.run_id not in ended]


def steps_to_work(workspace: Workspace) -> list[ChecklistItem]:
    """Every step still to be worked in the workspace (see ``live_steps``)."""
    return live_steps(workspace.all(ChecklistItem), workspace.all(Run))


def run_progress(steps: Iterable[ChecklistItem]) -> Progress:
    steps = list(steps)
    return Progress(sum(1 for step in steps if step.done), len(steps))


def progress_text(progress: Progress) -> str:
    """A run's progress as a card shows it: "4/6", or "—" for a run without steps."""
    return f"{progress.done}/{progress.total}" if progress.total else "—"


@dataclass(frozen=True)
class Timeliness:
    """How the steps with a due date were done: on time (by the end of their due day), late, or still open and late."""

    on_time: int = 0
    late: int = 0
    open_late: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def share(self) -> float | None:
        """Per cent of the done steps done on time (None when none is done)."""
        return 100.0 * self.on_time / self.done if self.done else None


def timeliness(steps: Iterable[ChecklistItem], today: date) -> Timeliness:
    """Count the steps done on time, done late and open past their due date (steps without a due date left out)."""
    on_time = late = open_late = 0
    for step in steps:
        if not step.due:
            continue
        if step.done:
            finished = (step.done_at or "")[:10]
            if finished and finished <= step.due:
                on_time += 1
            else:
                late += 1
        elif step.due < today.isoformat():
            open_late += 1
    return Timeliness(on_time, late, open_late)


# --------------------------------------------------------------------------
# Leaving a stage


@dataclass(frozen=True)
class OpenWork:
    """What is still open in a run when its piece is to move on."""

    steps: tuple[ChecklistItem, ...] = ()

    @property
    def approvals(self) -> tuple[ChecklistItem, ...]:
        return tuple(step for step in self.steps if step.approval)

    @property
    def others(self) -> tuple[ChecklistItem, ...]:
        return tuple(step for step in self.steps if not step.approval)


def open_work(steps: Iterable[ChecklistItem]) -> OpenWork:
    return OpenWork(tuple(sorted((step for step in steps if not step.done), key=order_key)))


# --------------------------------------------------------------------------
# Changing a stage's steps: offered to the runs under way, never forced


@dataclass(frozen=True)
class Offer:
    """How applying a stage step to one open run would change it: a step to add, or fields to update."""

    run: Run
    add: ChecklistItem | None = None
    step: ChecklistItem | None = None  # the run's copy to update
    changes: dict = field(default_factory=dict)


COPIED_FIELDS = ("text", "approval", "links")


def offers(step: Step, stage: Stage, open_runs: Iterable[Run], index: RunIndex, owners: StageOwners,
           calendar: WorkCalendar) -> list[Offer]:
    """What applying ``step`` (new or edited) to each open run of its stage would do; runs already in step left out.

    A run without a copy gets one at its end (due from the day the run
    started); a run whose copy differs gets the step's text, approval and link
    (its tick, owner and due date stay the run's own).
    """
    found = []
    for run in open_runs:
        if run.stage_id != step.stage_id or not run.open:
            continue
        run_steps = index.steps_of(run.id)
        copy = next((s for s in run_steps if s.step_id == step.id), None)
        if copy is None:
            started = datetime.fromisoformat(run.started_at).date()
            position = max((s.position for s in run_steps), default=-1) + 1
            found.append(Offer(run, add=run_steps_for(run, stage, [step], owners, started, calendar, position)[0]))
            continue
        changes = {name: getattr(step, name) for name in COPIED_FIELDS if getattr(copy, name) != getattr(step, name)}
        if changes:
            found.append(Offer(run, step=copy, changes=changes))
    return found
