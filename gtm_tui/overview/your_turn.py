"""Your turn: what is waiting on one person, and how long it has waited.

Work waits on a person in three ways, all read from the pilot RACI and the
records, so nothing has to be announced by hand:

* a work item sits in a stage where they are R (it crossed a handoff into
  their hands), since it entered that stage;
* an approval step waits on them as the stage's A once every other step of
  its run (of its stage, for steps in no run) is ticked, since the last of
  those was ticked;
* a step of a run under way is theirs (they own it) and open, since it was
  written (what a run left open when it ended is history, not a turn).

``turns_for`` lists them oldest first, for the Overview's "For you" and the
digest; ``new_turns`` tells which appeared since the last look, so the app
says so once (a notification) when a reload or one's own change adds some.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.data.model import Stage, WorkItem, as_datetime
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import Row, Section
from gtm_tui.raci.matrix import Matrix, RowKey, approver_for, has_r
from gtm_tui.work.metrics import duration_text

LAYER = "pilot"
SHOWN = 8  # rows of "For you" before "… and N more"
KIND_WORDS = {"work": "in your stage", "approval": "approval", "item": "your item"}


@dataclass(frozen=True)
class Turn:
    """One thing waiting on ``person_id``: ``kind`` is "work", "approval" or "item"."""

    kind: str
    record_id: str
    person_id: str
    text: str  # what it is, in words
    stage_id: str | None
    since: datetime

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes it the same turn from one look to the next (a move to another stage of mine is new)."""
        return (self.kind, self.record_id, self.stage_id or "")

    def waited(self, now: datetime) -> str:
        """"3 d 2 h", "under 1 h"."""
        return duration_text(max(0.0, (now - self.since).total_seconds() / 86400))


def _entered(work: WorkItem) -> datetime | None:
    for visit in reversed(work.stage_history):
        if visit.get("stage_id") == work.stage_id and not visit.get("left_at"):
            return as_datetime(visit.get("entered_at"))
    return as_datetime(work.updated_at)


def _responsible(matrix: Matrix, stage_id: str | None) -> list[str]:
    if not stage_id:
        return []
    cells = matrix.layers.get(LAYER, {}).get(RowKey(stage_id), {})
    return [person_id for person_id, role in cells.items() if has_r(role)]


def all_turns(workspace: Workspace, person_id: str | None = None) -> list[Turn]:
    """Everything waiting on anyone in the pilot, or on ``person_id`` only (unsorted; do not change the list).

    One pass over the work items and two over the checklist items, so it is
    cheap enough to run after every change: about 65 ms on a 10,000-record
    pilot (benchmarks/generate.py), most of it reading the records in order.
    Kept until the next change (``Workspace.memo``): the Overview's "For you"
    and the app's "your turn" notice ask for the same person's after each one.
    """
    return workspace.memo(f"your_turn.all_turns {person_id}", lambda: _all_turns(workspace, person_id))


def _all_turns(workspace: Workspace, person_id: str | None) -> list[Turn]:
    wanted = (lambda someone: True) if person_id is None else (lambda someone: someone == person_id)
    matrix = Matrix.of(workspace)
    stages = {stage.id: stage for stage in workspace.all(Stage)}
    found: list[Turn] = []
    for work in workspace.all(WorkItem):
        if work.status == "done" or work.stage_id not in stages:
            continue
        people = [someone for someone in _responsible(matrix, work.stage_id) if wanted(someone)]
        since = _entered(work) if people else None
        for someone in people if since is not None else ():
            found.append(Turn("work", work.id, someone, f"{work.title} — in {stages[work.stage_id].name}",
                              work.stage_id, since))  # type: ignore[arg-type]
    items = steps_to_work(workspace)
    titles = {work.id: work.title for work in workspace.all(WorkItem)}
    # Per run (per stage for steps in no run): how many non-approval steps are still open, and when the last was ticked.
    open_work: dict[str, int] = {}
    last_tick: dict[str, datetime] = {}
    for item in items:
        if item.approval:
            continue
        group = item.run_id or item.stage_id
        if not item.done:
            open_work[group] = open_work.get(group, 0) + 1
        elif (ticked := as_datetime(item.done_at)) is not None:
            last_tick[group] = max(ticked, last_tick.get(group, ticked))
    approvers: dict[str, str | None] = {}
    for item in items:
        if item.done:
            continue
        stage_name = stages[item.stage_id].name if item.stage_id in stages else "?"
        if item.work_item_id in titles:
            stage_name = f"{titles[item.work_item_id]}, {stage_name}"
        group = item.run_id or item.stage_id
        if item.approval:
            if open_work.get(group):
                continue
            if item.stage_id not in approvers:
                approvers[item.stage_id] = approver_for(workspace, item.stage_id, LAYER, matrix)
            approver = approvers[item.stage_id]
            since = last_tick.get(group) or as_datetime(item.created_at)
            if approver is not None and wanted(approver) and since is not None:
                found.append(Turn("approval", item.id, approver, f"{item.text} — {stage_name}", item.stage_id, since))
        elif item.owner_id and wanted(item.owner_id):
            since = as_datetime(item.created_at)
            if since is not None:
                found.append(Turn("item", item.id, item.owner_id, f"{item.text} — {stage_name}", item.stage_id, since))
    return found


def turns_for(workspace: Workspace, person_id: str | None, turns: Iterable[Turn] | None = None) -> list[Turn]:
    """What waits on ``person_id``, oldest first (none for nobody)."""
    if not person_id:
        return []
    mine = [
        turn for turn in (all_turns(workspace, person_id) if turns is None else turns) if turn.person_id == person_id
    ]
    return sorted(mine, key=lambda turn: (turn.since, turn.kind, turn.record_id))


def new_turns(before: set[tuple[str, str, str]], now_waiting: Iterable[Turn]) -> list[Turn]:
    """The turns not waiting at the last look (``before`` holds their keys)."""
    return [turn for turn in now_waiting if turn.key not in before]


def notice(fresh: list[Turn]) -> str:
    """The one message for what has just become someone's turn."""
    if len(fresh) == 1:
        turn = fresh[0]
        lead = {"work": "Your turn", "approval": "Waiting on your approval", "item": "Assigned to you"}[turn.kind]
        return f"{lead}: {turn.text}"
    return f"{len(fresh)} new things wait on you: " + "; ".join(turn.text for turn in fresh[:3]) + (
        " …" if len(fresh) > 3 else "")


def for_you_section(workspace: Workspace, person_id: str | None, now: datetime) -> Section:
    """The Overview's "For you": what waits on the person at this keyboard, oldest first (empty: not shown)."""
    mine = turns_for(workspace, person_id)
    if not person_id:
        return Section("For you")
    if not mine:
        return Section("For you", [Row("Nothing waits on you.", "", "good")])
    rows = [Row(f"  {turn.text}", f"{KIND_WORDS[turn.kind]} · waiting {turn.waited(now)}",
                "bad" if turn.kind != "item" else "warning") for turn in mine[:SHOWN]]
    if len(mine) > SHOWN:
        rows.append(Row(f"  … and {len(mine) - SHOWN} more (Checklists, key 3: f filters by owner)", "", "muted"))
    return Section(f"For you ({len(mine)})", rows)
