"""People (key 7): who is on the pilot team — list, add, edit, delete."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from gtm_tui.data.model import Person
from gtm_tui.screens.dialogs.forms import ConfirmScreen, FormField, FormScreen
from gtm_tui.screens.main.base import MainScreen, row_key
from gtm_tui.screens.pushed.person_page import PersonPageScreen
from gtm_tui.screens.user_text import shown
from gtm_tui.screens.widgets.line_table import LineTable


def person_fields(person: Person | None = None) -> list[FormField]:
    person = person or Person()
    return [
        FormField("name", "Name", person.name, required=True, hint="e.g. Dana Levi"),
        FormField("role", "Role", person.role, hint="e.g. Content writer"),
        FormField("team", "Team", person.team, hint="e.g. Marketing"),
        FormField("contact", "Contact", person.contact, hint="e-mail or @handle"),
        FormField("external", "External (freelancer / agency)", person.external, kind="yesno"),
    ]


def _person_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"].strip(),
        "role": values["role"].strip(),
        "team": values["team"].strip(),
        "contact": values["contact"].strip(),
        "external": bool(values["external"]),
    }


class PeopleScreen(MainScreen):
    SCREEN_NAME = "People"
    SCREEN_KEY = "7"
    HELP_INTRO = "The pilot team: everyone who does, approves, is consulted on or hears about the work."
    BINDINGS = [
        Binding("a", "add", "Add person"),
        Binding("e,enter", "edit", "Edit", key_display="e"),
        Binding("d,delete", "delete", "Delete", key_display="d"),
        Binding("p", "person_page", "Person page"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("People", classes="screen-title")
        table = LineTable(id="people", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Role", "Team", "Contact", "External")
        yield table
        yield Static("", id="people-hint", classes="empty-hint")
        yield from self.compose_footer()

    def refresh_view(self) -> None:
        table = self.query_one("#people", LineTable)
        selected = self.selected_id()
        table.clear()
        people = self.workspace.all(Person)
        for person in people:
            table.add_row(
                shown(person.name),
                shown(person.role),
                shown(person.team),
                shown(person.contact),
                "yes" if person.external else "",
                key=person.id,
            )
        ids = [p.id for p in people]
        if selected in ids:
            table.move_cursor(row=ids.index(selected))
        hint = self.query_one("#people-hint", Static)
        hint.update("" if people else "No one yet. Press a to add the first person.")
        hint.display = not people

    def selected_id(self) -> str | None:
        return row_key(self.query_one("#people", LineTable))

    def selected(self) -> Person | None:
        return self.workspace.find(Person, self.selected_id())

    def _select(self, person_id: str) -> None:
        table = self.query_one("#people", LineTable)
        table.move_cursor(row=table.get_row_index(person_id))

    def action_add(self) -> None:
        def submit(values: dict[str, Any]) -> Person:
            return self.workspace.add(Person(**_person_values(values)))

        def done(person: Person | None) -> None:
            if person:
                self._select(person.id)
                self.notify(f"Added {person.name}.")

        def form() -> FormScreen:
            return FormScreen("Add a person", person_fields(), submit, add_another=form)

        self.app.push_screen(form(), done)

    def action_edit(self) -> None:
        person = self.selected()
        if person is None:
            self.notify("No person selected. Press a to add one.")
            return

        def submit(values: dict[str, Any]) -> Person:
            return self.workspace.update(person, **_person_values(values))

        self.app.push_screen(FormScreen(f"Edit {person.name}", person_fields(person), submit))

    def action_person_page(self) -> None:
        """Open the selected person's page: their roles, checklist items, action items and work items."""
        person = self.selected()
        if person is None:
            self.notify("No person selected. Press a to add one.")
            return
        self.app.push_screen(PersonPageScreen(person.id))

    def action_delete(self) -> None:
        person = self.selected()
        if person is None:
            self.notify("No person selected.")
            return
        effects = [effect.text for effect in self.workspace.consequences(person)]

        def answer(confirmed: bool | None) -> None:
            if confirmed and self.attempt(lambda: self.workspace.delete(person)) is not None:
                self.notify(f"Deleted {person.name}. ctrl+z undoes it.")

        self.app.push_screen(
            ConfirmScreen(f"Delete {person.name}?", effects or ["nothing else refers to them"], yes="Delete"), answer
        )
