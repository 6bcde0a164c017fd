"""Moving a work item from any screen (Metrics, Board, Checklists): the same rules, asked the same way.

The rules live in ``gtm_tui.work.moving``; this module turns its answers into
what a person sees: a refusal as a warning that says who must approve, open
steps as a yes/no question, and then the move, saved at once.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from gtm_tui.data import clock
from gtm_tui.data.model import Stage, ValidationError, WorkItem
from gtm_tui.data.workspace import RecordNotFound, SaveError, Workspace
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen
from gtm_tui.work import moving
from gtm_tui.work import work_items as work


def target_of(workspace: Workspace, item: WorkItem, direction: int) -> str | None:
    """The stage id one step on (``direction`` 1) or back (-1); ``ValidationError`` at either end."""
    stages = workspace.all(Stage)
    return (work.next_stage(item, stages) if direction > 0 else work.previous_stage(item, stages)).id


def move_item(screen: Screen, workspace: Workspace, item: WorkItem, target_id: str | None,
              done: Callable[[WorkItem], None] | None = None) -> None:
    """Move ``item`` to ``target_id`` as ``moving.move`` allows: refuse, ask first, or move at once."""

    def go(confirmed: bool) -> None:
        try:
            moved = moving.move(workspace, item, target_id, clock.now(), confirmed=confirmed)
        except moving.MoveRefused as refusal:
            screen.notify(f"{refusal}.", title="Not moved", severity="warning", timeout=8)
        except moving.MoveNeedsConfirmation as question:
            def answer(yes: bool | None) -> None:
                if yes:
                    go(True)

            screen.app.push_screen(ConfirmScreen(str(question), yes="Move on"), answer)
        except (ValidationError, RecordNotFound) as error:
            screen.notify(str(error.args[0] if isinstance(error, RecordNotFound) and error.args else error),
                          title="Not moved", severity="warning")
        except SaveError as error:
            screen.notify(str(error), title="Not saved", severity="error", timeout=10)
            app_state(screen).show_save_error(str(error))
        else:
            where = workspace.name_of(Stage, moved.stage_id, "no stage")
            screen.notify(f"'{moved.title}' moved to {where}" + (": a new run started." if moved.stage_id else "."))
            if done is not None:
                done(moved)

    go(False)


def move_by(screen: Screen, workspace: Workspace, item: WorkItem, direction: int,
            done: Callable[[WorkItem], None] | None = None) -> None:
    """Move ``item`` to the next stage (1) or back one (-1)."""
    try:
        target = target_of(workspace, item, direction)
    except ValidationError as error:
        screen.notify(error.reason, severity="warning")
        return
    move_item(screen, workspace, item, target, done)
