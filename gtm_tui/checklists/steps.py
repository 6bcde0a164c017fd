"""A stage's steps: adding, editing and ordering them, and offering a change to the runs under way.

Editing a stage's steps changes the runs started afterwards. The runs already
under way get the change offered (``pending_offers`` says what it would do,
``apply_offers`` does it in one save), never forced: a piece halfway through a
stage keeps the list it started with unless someone chooses otherwise.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.checklists.runs import Offer, RunIndex, offers, stage_steps
from gtm_tui.data.model import (
    ChecklistItem,
    Run,
    Stage,
    Step,
    ValidationError,
    parse_number,
)
from gtm_tui.data.order import next_position
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.links import parse_links
from gtm_tui.process.planning import calendar_of
from gtm_tui.raci.raci_work import stage_owners


def step_values(values: dict[str, Any]) -> dict[str, Any]:
    """What a user typed into the step form, as ``Step`` fields; ``ValidationError`` names a bad field."""
    text = (values.get("text") or "").strip()
    if not text:
        raise ValidationError("text", "must not be empty (say what every piece must go through here)")
    offset = parse_number(values.get("offset_days"), "offset_days")
    role = values.get("owner_role") or "R"
    return {
        "text": text,
        "owner_id": values.get("owner_id") or None,
        "owner_role": role,
        "approval": bool(values.get("approval")),
        "links": parse_links(values.get("links") or ""),
        "offset_days": offset,
    }


def add_step(workspace: Workspace, stage_id: str, **fields: Any) -> Step:
    """Add a step at the end of a stage's steps."""
    if workspace.find(Stage, stage_id) is None:
        raise ValidationError("stage_id", "choose the stage this step belongs to")
    position = fields.pop("position", None)
    if position is None:
        position = next_position(stage_steps(workspace.all(Step), stage_id))
    return workspace.add(Step(stage_id=stage_id, position=position, **fields))


def open_runs(workspace: Workspace, stage_id: str) -> list[Run]:
    """The runs under way in a stage (the pieces in it now, and the stage's own run)."""
    return [run for run in workspace.all(Run) if run.stage_id == stage_id and run.open]


def pending_offers(workspace: Workspace, step: Step) -> list[Offer]:
    """What applying ``step`` to the open runs of its stage would change (empty: they all have it as it is)."""
    stage = workspace.get(Stage, step.stage_id)
    runs = open_runs(workspace, stage.id)
    index = RunIndex.of(runs, (s for s in workspace.all(ChecklistItem) if s.stage_id == stage.id))
    return offers(step, stage, runs, index, stage_owners(workspace, stage.id), calendar_of(workspace.pilot()))


def apply_offers(workspace: Workspace, step: Step, found: list[Offer]) -> int:
    """Apply the offers to their runs as one save and one undo step; return how many runs changed."""
    if not found:
        return 0
    with workspace.batch(f"apply stage step '{step.text}' to {len(found)} open run{'s' if len(found) != 1 else ''}"):
        for offer in found:
            if offer.add is not None:
                workspace.add(offer.add)
            elif offer.step is not None:
                workspace.update(workspace.get(ChecklistItem, offer.step.id), **offer.changes)
    return len(found)


def offer_words(found: list[Offer]) -> str:
    """The question to ask about the offers, e.g. "Add it to the 3 pieces in Copywriting now?"."""
    added = sum(1 for offer in found if offer.add is not None)
    changed = len(found) - added
    parts = []
    if added:
        parts.append(f"add it to {added} run{'s' if added != 1 else ''} under way")
    if changed:
        parts.append(f"update it in {changed} run{'s' if changed != 1 else ''} under way")
    return " and ".join(parts).capitalize() + "? Runs started from now on get it anyway."
