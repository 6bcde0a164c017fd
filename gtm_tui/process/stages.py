"""Stages and handoffs as the Process screen edits them: typed values, the process order, moving a stage.

The order of the process is the stages' ``position`` (see ``data/order.py``,
which keeps every ordered record): a new stage goes to the end, and moving one
is one save and one undo step.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data.model import Handoff, Stage, ValidationError, parse_number
from gtm_tui.data.order import next_position
from gtm_tui.data.workspace import Workspace
from gtm_tui.process.links import parse_links


def stage_values(values: dict[str, Any]) -> dict[str, Any]:
    """Stage fields from the stage form (``ValidationError`` names the field at fault)."""
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError("name", "a stage needs a name")
    result = {
        "name": name,
        "owner_id": values.get("owner_id") or None,
        "expected_days": parse_number(values.get("expected_days"), "expected_days"),
        "prerequisites": (values.get("prerequisites") or "").strip(),
        "bottleneck": (values.get("bottleneck") or "").strip(),
        "today_note": (values.get("today_note") or "").strip(),
    }
    if "links" in values:  # the form's "Where to find it", one link a line
        result["links"] = parse_links(values["links"] or "")
    return result


def handoff_values(values: dict[str, Any]) -> dict[str, Any]:
    """Handoff fields from the handoff form; a handoff from a stage to itself is refused here already."""
    source, target = values.get("from_stage_id"), values.get("to_stage_id")
    if not source:
        raise ValidationError("from_stage_id", "pick the stage the work comes from")
    if not target:
        raise ValidationError("to_stage_id", "pick the stage the work goes to")
    if source == target:
        raise ValidationError("to_stage_id", "a stage cannot hand off to itself; pick another stage")
    return {
        "from_stage_id": source,
        "to_stage_id": target,
        "what": (values.get("what") or "").strip(),
        "expected_days": parse_number(values.get("expected_days"), "expected_days"),
        "note": (values.get("note") or "").strip(),
    }


def add_stage(workspace: Workspace, values: dict[str, Any]) -> Stage:
    """Add a stage from the stage form at the end of the process."""
    return workspace.add(Stage(position=next_position(workspace.all(Stage)), **stage_values(values)))


def move_stage(workspace: Workspace, stage: Stage, offset: int) -> bool:
    """Move ``stage`` up (negative) or down in the process; False when it is already first/last."""
    return workspace.move(stage, offset, workspace.all(Stage))


def handoffs_of(workspace: Workspace, stage: Stage) -> list[Handoff]:
    """The handoffs into and out of ``stage``."""
    return [h for h in workspace.all(Handoff) if stage.id in (h.from_stage_id, h.to_stage_id)]
