"""RACI drives the work: default owners, who may tick an approval, missing handoffs, handoff counts.

The RACI matrix says who does a stage's work (R) and who answers for it (A).
These rules put that to use, so the matrix is not a document nobody reads:
new work in a stage goes to its R unless someone else is chosen; an approval
item can only be ticked by the stage's A; where the R changes between two
consecutive stages but no handoff joins them, the work crosses hands
unmapped, so a handoff is suggested. The pilot layer is the one in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gtm_tui.checklists.checklist_items import stage_items, toggle_changes
from gtm_tui.checklists.runs import StageOwners
from gtm_tui.data.model import ChecklistItem, Handoff, Person, Stage, WorkItem
from gtm_tui.data.order import next_position
from gtm_tui.data.workspace import Workspace
from gtm_tui.raci.matrix import Matrix, approver_for, responsible_for
from gtm_tui.work.work_items import ordered_stages

LAYER = "pilot"


def default_owner(workspace: Workspace, stage_id: str | None, chosen: str | None = None) -> str | None:
    """The owner a new checklist item or work item gets: the one chosen, else the stage's R (or None)."""
    return chosen or responsible_for(workspace, stage_id, LAYER)


def stage_owners(workspace: Workspace, stage_id: str, matrix: Matrix | None = None) -> StageOwners:
    """The stage's R and A in the pilot RACI: whom a run's steps go to when it starts."""
    matrix = matrix or Matrix.of(workspace)
    return StageOwners(responsible_for(workspace, stage_id, LAYER, matrix),
                       approver_for(workspace, stage_id, LAYER, matrix))


def add_checklist_item(workspace: Workspace, **fields: Any) -> ChecklistItem:
    """Add a checklist item at the end of its stage; with no owner given it goes to the stage's R."""
    stage_id = fields.get("stage_id")
    fields["owner_id"] = default_owner(workspace, stage_id, fields.get("owner_id"))
    if "position" not in fields:
        fields["position"] = next_position(stage_items(workspace, stage_id))
    return workspace.add(ChecklistItem(**fields))


def add_work_item(workspace: Workspace, item: WorkItem) -> WorkItem:
    """Add a work item; with no assignee and a stage given it goes to the stage's R."""
    assignee = default_owner(workspace, item.stage_id, item.assignee_id)
    return workspace.add(item.replace(assignee_id=assignee) if assignee != item.assignee_id else item)


class ApprovalRefused(Exception):
    """Someone other than the stage's A tried to tick (or untick) an approval item; the message says who may."""


def approver(workspace: Workspace, item: ChecklistItem) -> str | None:
    """The one person who may tick approval ``item``: its stage's A in the pilot RACI (None when it has none)."""
    return approver_for(workspace, item.stage_id, LAYER)


def asks_who_ticks(item: ChecklistItem, person_id: str | None) -> bool:
    """Whether ticking ``item`` must first ask who is ticking, as nobody said (``person_id`` None).

    An approval is ticked by a named person, never by the owner fallback; an
    open item without an owner has nobody to fall back on.
    """
    return person_id is None and (item.approval or (not item.done and item.owner_id is None))


def approval_refusal(workspace: Workspace, item: ChecklistItem, person_id: str | None) -> str | None:
    """Why ``person_id`` may not tick (or untick) ``item``, or None when they may.

    Only approval items are guarded. The ticking person is whoever is at the
    keyboard (the session's "who am I", or the person shown in the stand-up).
    """
    if not item.approval:
        return None
    stage = workspace.name_of(Stage, item.stage_id)
    approver_id = approver(workspace, item)
    if approver_id is None:
        return (
            f"{stage} has no Accountable (A) in the pilot RACI; "
            "name one on the RACI screen (4) before this approval is ticked"
        )
    if person_id == approver_id:
        return None
    verb = "untick" if item.done else "tick"
    return f"Only {workspace.name_of(Person, approver_id)}, accountable for {stage}, can {verb} this approval"


def toggle_tick(workspace: Workspace, item: ChecklistItem, person_id: str | None) -> ChecklistItem:
    """Tick ``item`` for ``person_id`` (its owner when None) or untick it, saved at once.

    The Checklists screen and the stand-up both tick through here, so an
    approval is guarded the same way everywhere: ``ApprovalRefused`` (nothing
    saved) when ``person_id`` is not the stage's A.
    """
    refusal = approval_refusal(workspace, item, person_id)
    if refusal:
        raise ApprovalRefused(refusal)
    return workspace.update(item, **toggle_changes(item, person_id))


@dataclass(frozen=True)
class HandoffSuggestion:
    """Two consecutive stages whose R differs with no handoff from the first to the second."""

    from_stage: Stage
    to_stage: Stage
    from_r: str  # person id
    to_r: str  # person id

    def words(self, workspace: Workspace) -> str:
        return (f"{self.from_stage.name} → {self.to_stage.name}: work passes from "
                f"{workspace.name_of(Person, self.from_r)} to {workspace.name_of(Person, self.to_r)} with no handoff")

    def handoff(self, workspace: Workspace) -> Handoff:
        """The handoff to add for this suggestion (what is handed over is left for the team to say)."""
        return Handoff(from_stage_id=self.from_stage.id, to_stage_id=self.to_stage.id,
                       note=f"added where the R changes ({workspace.name_of(Person, self.from_r)} → "
                            f"{workspace.name_of(Person, self.to_r)})")


def missing_handoffs(workspace: Workspace) -> list[HandoffSuggestion]:
    """Consecutive stages (process order) whose R changes and that no forward handoff joins.

    Both stages need an R: a stage without one is a RACI problem the RACI
    screen already reports. A handoff back (rework loop) does not count, since
    it carries work the other way.
    """
    matrix = Matrix.of(workspace)
    joined = {(h.from_stage_id, h.to_stage_id) for h in workspace.all(Handoff)}
    stages = ordered_stages(workspace.all(Stage))
    found = []
    for first, second in zip(stages, stages[1:], strict=False):
        before = responsible_for(workspace, first.id, LAYER, matrix)
        after = responsible_for(workspace, second.id, LAYER, matrix)
        if before and after and before != after and (first.id, second.id) not in joined:
            found.append(HandoffSuggestion(first, second, before, after))
    return found


@dataclass(frozen=True)
class HandoffCount:
    handed_in: int = 0
    handed_out: int = 0


def handoff_counts(workspace: Workspace, person_id: str) -> HandoffCount:
    """How many handoffs a person receives and passes on, by the pilot RACI.

    A handoff counts as *out* for the R of its from-stage and as *in* for the
    R of its to-stage (the stage's R being the first R in column order). A
    person who is R on both ends counts it both ways.
    """
    matrix = Matrix.of(workspace)
    handed_in = handed_out = 0
    for handoff in workspace.all(Handoff):
        if responsible_for(workspace, handoff.from_stage_id, LAYER, matrix) == person_id:
            handed_out += 1
        if responsible_for(workspace, handoff.to_stage_id, LAYER, matrix) == person_id:
            handed_in += 1
    return HandoffCount(handed_in, handed_out)
