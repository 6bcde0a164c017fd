"""Who is at this keyboard: the person ticks, approvals, notes and votes are recorded for.

The answer is the app's ``session_person`` reactive, and the app keeps it in
the user's config folder per workspace (``gtm_tui/sharing/identity.py``), so
the next open knows it; the shared file never holds it. The first open of a
pilot on a machine asks; ``w`` changes it. "Just looking" records nothing
under anyone's name: a tick then goes to the item's owner, an approval or an
item without an owner asks. The title and the Checklists status line follow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from gtm_tui.data.model import Person, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.dialogs.forms import FormField, FormScreen

LOOKING = "looking"  # the choice "just looking"


def session_person(app: App) -> str | None:
    """The person at this keyboard, or None (just looking, or never said: ticks go to each item's owner)."""
    return app_state(app).session_person


def set_session_person(app: App, person_id: str | None) -> None:
    """Say who is at this keyboard (None: just looking); the app remembers it for this workspace."""
    app_state(app).say_who(person_id)


def ticking_as(app: App, workspace: Workspace) -> str:
    """Words for the status line: whom a tick is recorded for, once the question was answered in the user's words.

    "ticking as Maya Thornton"; after "Just looking": "just looking: ticks go to each item's owner"; only
    while nobody has said: "ticking as each item's owner".
    """
    person = workspace.find(Person, session_person(app))
    if person is not None:
        return f"ticking as {person.name}"
    if app_state(app).looking:
        return "just looking: ticks go to each item's owner"
    return "ticking as each item's owner"


def ask_who(app: App, workspace: Workspace, then: Callable[[str | None], Any] | None = None, *,
            first_open: bool = False) -> None:
    """Show the "Who are you?" picker; remember the answer and pass it to ``then``.

    ``first_open``: the question the first open of a pilot on this machine
    asks; escape there counts as "just looking", so it is not asked again.
    """
    people = workspace.all(Person)
    current = session_person(app) or LOOKING
    choices = [(person.name, person.id) for person in people] + [("Just looking", LOOKING)]

    def submit(values: dict[str, Any]) -> str:
        chosen = values.get("person")
        if not chosen:
            raise ValidationError("person", "choose a person of the pilot (or just looking)")
        return chosen

    def done(chosen: str | None) -> None:
        if chosen is None and not first_open:
            return
        set_session_person(app, None if chosen in (None, LOOKING) else chosen)
        if then is not None:
            then(session_person(app))

    field = FormField("person", "I am", current, kind="choice", choices=choices, required=True,
                      hint="kept on this machine for this pilot; your ticks, approvals, notes and votes carry it")
    title = f"Who are you in {workspace.pilot().name}?" if first_open else "Who are you?"
    app.push_screen(FormScreen(title, [field], submit), done)
