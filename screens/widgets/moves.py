"""Moving a work item from any screen (Metrics, Board, Checklists): the same rules, asked the same way.

The rules live in ``gtm_tui.work.moving`` (along the process map, to the R of
the stage entered); this module turns its answers into what a person sees: a
refusal as a warning that says who must approve, open steps as a yes/no
question, and then the move, saved at once, with whose the item is now.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from gtm_tui.data import clock
from gtm_tui.data.model import ValidationError, WorkItem
from gtm_tui.data.workspace import RecordNotFound, SaveError, Workspace
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import ConfirmScreen
from gtm_tui.work import moving


def move_item(screen: Screen, workspace: Workspace, item: WorkItem, target_id: str | None,
              done: Callable[[WorkItem], None] | None = None, *, hand_on: bool = False) -> None:
    """Move ``item`` to ``target_id`` as ``moving.move`` allows: refuse, ask first, or move at once."""

    def go(confirmed: bool) -> None:
        try:
            moved = moving.move(workspace, item, target_id, clock.now(), confirmed=confirmed, hand_on=hand_on)
        except moving.MoveRefused as refusal:
            screen.notify(f"{refusal}.", title="Not moved", severity="warning", timeout=8, markup=False)
        except moving.MoveNeedsConfirmation as question:
            def answer(yes: bool | None) -> None:
                if yes:
                    go(True)

            screen.app.push_screen(ConfirmScreen(str(question), yes="Move on"), answer)
        except (ValidationError, RecordNotFound) as error:
            screen.notify(str(error.args[0] if isinstance(error, RecordNotFound) and error.args else error),
                          title="Not moved", severity="warning", markup=False)
        except SaveError as error:
            screen.notify(str(error), title="Not saved", severity="error", timeout=10, markup=False)
            app_state(screen).show_save_error(str(error))
        else:
            screen.notify(moving.move_words(workspace, item, moved), markup=False)
            if done is not None:
                done(moved)

    go(False)


def move_by(screen: Screen, workspace: Workspace, item: WorkItem, direction: int,
            done: Callable[[WorkItem], None] | None = None) -> None:
    """Move ``item`` on (1) or send it back (-1) along the map, to the R of the stage it enters."""
    try:
        target = moving.target_of(workspace, item, direction)
    except ValidationError as error:
        screen.notify(error.reason, severity="warning", markup=False)
        return
    move_item(screen, workspace, item, target.id, done, hand_on=True)
