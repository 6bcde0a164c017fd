"""Who is at the keyboard this session: the person a tick is recorded for.

Kept on the running app (its ``session_person`` reactive, not in the file):
two teammates opening the same shared file each say who they are. Until
someone says, a tick is recorded for the item's owner; an item without an
owner asks once. The title and the Checklists status line follow the choice.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.app import App

from gtm_tui.data.model import Person, ValidationError
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import FormField, FormScreen
from gtm_tui.data.workspace import Workspace

OWNER = "owner"  # the choice "each item's owner"


def session_person(app: App) -> str | None:
    """The person chosen this session, or None (ticks go to each item's owner)."""
    return app_state(app).session_person


def set_session_person(app: App, person_id: str | None) -> None:
    app_state(app).session_person = person_id


def ticking_as(app: App, workspace: Workspace) -> str:
    """Words for the status line: whom a tick is recorded for."""
    person = workspace.find(Person, session_person(app))
    return person.name if person else "each item's owner"


def ask_who(app: App, workspace: Workspace, then: Callable[[str | None], Any] | None = None) -> None:
    """Show the "Who am I?" picker; remember the answer for the session and pass it to ``then``."""
    people = workspace.all(Person)
    current = session_person(app) or OWNER
    choices = [("Each item's owner", OWNER)] + [(person.name, person.id) for person in people]

    def submit(values: dict[str, Any]) -> str:
        chosen = values.get("person")
        if not chosen:
            raise ValidationError("person", "choose a person (or each item's owner)")
        return chosen

    def done(chosen: str | None) -> None:
        if chosen is None:
            return
        set_session_person(app, None if chosen == OWNER else chosen)
        if then is not None:
            then(session_person(app))

    field = FormField("person", "I am", current, kind="choice", choices=choices, required=True,
                      hint="ticks you make are recorded with this name")
    app.push_screen(FormScreen("Who is ticking items off?", [field], submit), done)
