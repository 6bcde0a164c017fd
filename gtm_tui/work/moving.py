"""Moving a piece of work through the stages with its runs: the one way a screen moves an item.

Entering a stage starts the item's run there (its own copy of the stage's
steps, see ``checklists.runs``) and ends the run of the stage it leaves, in
one save and one undo step. Moving on (to a later stage) checks the run it
leaves: an open approval step refuses the move and says who must approve; any
other open step asks first (the screen confirms, then moves with
``confirmed=True``). Sending an item back (rework) is never held up: the run
it leaves stays as it was, and the stage it goes back to gets a new run.

The keys move along the process map (``step``): ``]`` to the stage the map
hands the item on to, ``[`` along the map's loop back (one send-back, one
rework), and the item goes to the R of the stage it enters (pilot RACI)
unless its owner is fixed. The move, the new owner and the runs are one undo step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gtm_tui.checklists.runs import (
    OpenWork,
    RunIndex,
    current_run,
    new_run,
    open_work,
    stamp,
)
from gtm_tui.data.model import ChecklistItem, Handoff, Person, Run, Stage, Step, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.planning import calendar_of
from gtm_tui.raci.matrix import approver_for, responsible_for
from gtm_tui.raci.raci_work import LAYER, default_owner, stage_owners
from gtm_tui.work import work_items as work


class MoveRefused(Exception):
    """The item may not move on yet; the message says why and who can change that. Nothing was saved."""


class MoveNeedsConfirmation(Exception):
    """The item would leave open steps behind; the message is the question to ask. Nothing was saved."""


def runs_of(workspace: Workspace, item_id: str) -> list[Run]:
    return sorted(
        (run for run in workspace.all(Run) if run.work_item_id == item_id), key=lambda r: (r.started_at, r.id)
    )


def steps_of(workspace: Workspace, run_id: str) -> list[ChecklistItem]:
    """A run's steps, in their order."""
    return [step for step in workspace.all(ChecklistItem) if step.run_id == run_id]


def index_of(workspace: Workspace) -> RunIndex:
    """Every run and its steps, indexed once (for screens that show many items)."""
    return RunIndex.of(workspace.all(Run), workspace.all(ChecklistItem))


@dataclass(frozen=True)
class MoveCheck:
    """What moving ``item`` to ``target`` would leave behind, and whether it may go."""

    item: WorkItem
    target: Stage | None
    forward: bool
    leaving: OpenWork
    refusal: str | None = None

    @property
    def question(self) -> str | None:
        """The question to ask before moving on with open steps (None: nothing to ask)."""
        if self.refusal or not self.forward or not self.leaving.steps:
            return None
        count = len(self.leaving.steps)
        where = self.target.name if self.target else "no stage"
        return (f"'{self.item.title}' has {count} open step{'s' if count != 1 else ''} in its current run. "
                f"Move it on to {where} anyway? The open steps stay in that run.")


def _position(stages: list[Stage], stage_id: str | None) -> int:
    ids = [stage.id for stage in stages]
    return ids.index(stage_id) if stage_id in ids else -1


def check_move(workspace: Workspace, item: WorkItem, target_id: str | None, runs: list[Run] | None = None) -> MoveCheck:
    """Whether ``item`` may move to ``target_id`` now: refused for an open approval step, asked for open steps.

    ``runs`` are the item's runs when the caller has them already.
    """
    stages = work.ordered_stages(workspace.all(Stage))
    target = workspace.find(Stage, target_id)
    forward = target_id is not None and _position(stages, target_id) > _position(stages, item.stage_id)
    run = current_run(runs if runs is not None else runs_of(workspace, item.id), item.stage_id)
    leaving = open_work(steps_of(workspace, run.id)) if run is not None else OpenWork()
    refusal = None
    if forward and leaving.approvals:
        step = leaving.approvals[0]
        stage = workspace.name_of(Stage, item.stage_id)
        approver = approver_for(workspace, item.stage_id, LAYER)
        who = (f"only {workspace.name_of(Person, approver)}, accountable for {stage}, can tick it" if approver
               else f"{stage} has no Accountable (A) in the pilot RACI to tick it; name one on the RACI screen (4)")
        refusal = f"'{item.title}' cannot move on: the approval step '{step.text}' is open, and {who}"
    return MoveCheck(item, target, forward, leaving, refusal)


def _start_run(workspace: Workspace, item: WorkItem, stage: Stage, now: datetime, *, rework: bool) -> Run:
    run, steps = new_run(item, stage, workspace.all(Step), stage_owners(workspace, stage.id), now,
                         calendar_of(workspace.pilot()), rework=rework)
    workspace.add(run)
    for step in steps:
        workspace.add(step)
    return run


def owner_in(workspace: Workspace, item: WorkItem, stage_id: str | None) -> str | None:
    """Whose the item is once in ``stage_id``: that stage's R in the pilot RACI, unless its owner is fixed.

    A stage without an R (or no stage) leaves the item with whoever has it.
    """
    if (item.fixed_owner and item.assignee_id) or stage_id is None:
        return item.assignee_id
    return responsible_for(workspace, stage_id, LAYER) or item.assignee_id


def move(workspace: Workspace, item: WorkItem, target_id: str | None, now: datetime, *,
         confirmed: bool = False, hand_on: bool = False) -> WorkItem:
    """Move ``item`` to ``target_id`` with its runs, saved as one change; return the moved item.

    Raises ``MoveRefused`` (an open approval step) or, unless ``confirmed``,
    ``MoveNeedsConfirmation`` (other open steps) when moving on; nothing is
    saved then. A done item sent back is open again. ``hand_on``: the item
    goes to the R of the stage it enters (see ``owner_in``) in the same change.
    """
    current = workspace.get(WorkItem, item.id)
    if target_id == current.stage_id:
        return current
    runs = runs_of(workspace, current.id)
    check = check_move(workspace, current, target_id, runs)
    if check.refusal:
        raise MoveRefused(check.refusal)
    if check.question and not confirmed:
        raise MoveNeedsConfirmation(check.question)
    target = check.target
    visited = {visit.get("stage_id") for visit in current.stage_history}
    moved = work.move_to_stage(current, target_id, now)
    if not check.forward and moved.status == "done":
        moved = work.set_status(moved, "in progress", now)
    if hand_on:
        moved = moved.replace(assignee_id=owner_in(workspace, current, target_id))
    where = target.name if target else "no stage"
    handed = (f" and hand it to {workspace.name_of(Person, moved.assignee_id)}"
              if moved.assignee_id != current.assignee_id and moved.assignee_id else "")
    with workspace.batch(f"move '{current.title}' to {where}{handed}"):
        result = workspace.update(current, **work.changes(current, moved))
        for run in runs:
            if run.open:
                workspace.update(run, ended_at=stamp(now))
        if target is not None:
            _start_run(workspace, result, target, now, rework=target.id in visited or not check.forward)
    return result


def target_of(workspace: Workspace, item: WorkItem, direction: int) -> Stage:
    """Where ``]`` (``direction`` 1) or ``[`` (-1) takes the item along the process map.

    ``ValidationError`` at either end (see ``work_items.next_stage`` and ``previous_stage``).
    """
    stages, handoffs = workspace.all(Stage), workspace.all(Handoff)
    if direction > 0:
        return work.next_stage(item, stages, handoffs)
    return work.previous_stage(item, stages, handoffs)


def step(workspace: Workspace, item: WorkItem, direction: int, now: datetime, *, confirmed: bool = False) -> WorkItem:
    """Move the item on (1) or send it back (-1) along the map, to the R of the stage it enters (see ``move``)."""
    return move(workspace, item, target_of(workspace, item, direction).id, now, confirmed=confirmed, hand_on=True)


def move_next(workspace: Workspace, item: WorkItem, now: datetime, *, confirmed: bool = False) -> WorkItem:
    """Hand the item on to the next stage on the map, and to that stage's R (see ``step``)."""
    return step(workspace, item, 1, now, confirmed=confirmed)


def move_previous(workspace: Workspace, item: WorkItem, now: datetime) -> WorkItem:
    """Send the item back along the map's loop back for rework: a new run there, the one it leaves kept as it was."""
    return step(workspace, item, -1, now)


def owner_words(workspace: Workspace, before: WorkItem, after: WorkItem) -> str:
    """Whose the item is after a move, when that is news: "now Lena's (was Sam's)", "stays Sam's (fixed owner)"."""
    if after.assignee_id != before.assignee_id:
        was = f"was {workspace.name_of(Person, before.assignee_id)}'s" if before.assignee_id else "had no owner"
        return f"now {workspace.name_of(Person, after.assignee_id)}'s ({was})"
    if after.stage_id is None:
        return ""
    responsible = responsible_for(workspace, after.stage_id, LAYER)
    who = f"{workspace.name_of(Person, after.assignee_id)}'s" if after.assignee_id else "no one's"
    if responsible is None:
        return f"still {who}: {workspace.name_of(Stage, after.stage_id)} has no R in the pilot RACI"
    if after.fixed_owner and after.assignee_id and responsible != after.assignee_id:
        return f"stays {who} (fixed owner)"
    return ""


def move_words(workspace: Workspace, before: WorkItem, after: WorkItem) -> str:
    """What a move did, in a sentence for the toast: where the item went, whose it is now, its new run."""
    text = f"'{after.title}' moved to {workspace.name_of(Stage, after.stage_id, 'no stage')}"
    owner = owner_words(workspace, before, after)
    if owner:
        text += f" · {owner}"
    return text + (". A new run started." if after.stage_id else ".")


def start_run(workspace: Workspace, item: WorkItem, now: datetime) -> Run:
    """Give an item that sits in a stage without a run there (say, from before runs existed) its run now."""
    stage = workspace.find(Stage, item.stage_id)
    if stage is None:
        raise MoveRefused(f"'{item.title}' is in no stage; ] moves it into the first one")
    if current_run(runs_of(workspace, item.id), stage.id) is not None:
        raise MoveRefused(f"'{item.title}' already has a run in {stage.name}")
    visits = [visit for visit in item.stage_history if visit.get("stage_id") == stage.id]
    with workspace.batch(f"start the run of '{item.title}' in {stage.name}"):
        return _start_run(workspace, item, stage, now, rework=len(visits) > 1)


def add_item(workspace: Workspace, item: WorkItem, now: datetime) -> WorkItem:
    """Add a work item (no assignee: the stage's R); in a stage, it starts that stage's run at once."""
    assignee = default_owner(workspace, item.stage_id, item.assignee_id)
    draft = item.replace(assignee_id=assignee) if assignee != item.assignee_id else item
    stage = workspace.find(Stage, draft.stage_id)
    if stage is None:
        return workspace.add(draft)
    if not draft.stage_history:
        draft = work.move_to_stage(draft.replace(stage_id=None), stage.id, now)
    with workspace.batch(f"add work item '{draft.title}'"):
        added = workspace.add(draft)
        _start_run(workspace, added, stage, now, rework=False)
    return added
