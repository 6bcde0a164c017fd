"""A person's page: the one place a team member opens to see what is theirs.

Opened from the People screen (p), the RACI screen (p on a person's column)
or the palette ("Page of <name>"). Like every screen over the workspace it
redraws after a change made elsewhere or a teammate's saved change: at once
while it is shown, else when it is shown again.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from gtm_tui.data.model import Person
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import RecordNotFound
from gtm_tui.overview.person_page import DueLine, PersonPage, person_markdown, person_page
from gtm_tui.screens.main.base import MainScreen
from gtm_tui.screens.widgets.footer import KeysFooter

ROLE_STYLES = {"A": "bold magenta", "R": "bold green", "A/R": "bold yellow", "C": "cyan", "I": "dim"}
STATUS_STYLES = {"done": "green", "dropped": "dim", "blocked": "bold red", "in progress": "yellow"}


def _roles_table(page: PersonPage) -> RenderableType:
    if not page.roles:
        return Text("No RACI role in either layer.", style="dim")
    table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
    table.add_column("stage / activity")
    table.add_column("today", justify="center")
    table.add_column("pilot", justify="center")
    for line in page.roles:
        label = Text(("◆ " if line.focus else "  ") + line.row, style="bold yellow" if line.focus else "")
        changed = "" if line.today == line.pilot else " *"
        table.add_row(label, Text(line.today or "·", style=ROLE_STYLES.get(line.today, "dim")),
                      Text((line.pilot or "·") + changed, style=ROLE_STYLES.get(line.pilot, "dim")))
    return table


def _due_table(entries: list[DueLine], empty: str) -> RenderableType:
    if not entries:
        return Text(empty, style="dim")
    table = Table(box=None, padding=(0, 2), show_edge=False, header_style="bold")
    table.add_column("due", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("where", no_wrap=True)
    table.add_column("what")
    for line in entries:
        due = Text(line.due or "—", style="bold red" if line.overdue else "")
        if line.overdue:
            due.append(" overdue", style="bold red")
        table.add_row(due, Text(line.status, style=STATUS_STYLES.get(line.status, "")), Text(line.where, style="dim"),
                      Text(line.text))
    return table


def page_renderable(page: PersonPage) -> RenderableType:
    """The whole page: who, a one-line summary, roles, checklist items, action items, work items."""
    person = page.person
    who = Text(person.name, style="bold")
    details = " · ".join(part for part in (person.role, person.team, person.contact) if part)
    if details:
        who.append(f"   {details}", style="dim")

    def heading(title: str) -> Text:
        return Text(f"\n{title}", style="bold underline")

    return Group(
        who,
        Text(page.summary()),
        Text(page.handoffs_line(), style="dim"),
        heading("RACI roles (◆ focus stage, * changed by the pilot)"),
        _roles_table(page),
        heading("Checklist items"),
        _due_table(page.checklist, "No checklist items."),
        heading("Action items"),
        _due_table(page.actions, "No action items."),
        heading("Work items"),
        _due_table(page.work, "No work items."),
    )


class PersonPageScreen(MainScreen):
    """Everything one person is responsible for; ← → go to the previous / next person."""

    SCREEN_NAME = "Person page"
    HELP_INTRO = ("Everything one person is responsible for: their RACI roles, checklist steps, fixes and pieces of "
                  "work. ← and → (or , and .) go to the previous and next person; m copies the page as Markdown.")
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("left,comma", "step(-1)", "Previous person", key_display="←"),
        Binding("right,full_stop", "step(1)", "Next person", key_display="→"),
        Binding("m", "copy_markdown", "Copy as Markdown"),
    ]
    DEFAULT_CSS = """
    PersonPageScreen #person-page { padding: 0 2; }
    """

    def __init__(self, person_id: str) -> None:
        super().__init__()
        self.person_id = person_id
        self.page: PersonPage | None = None  # what is shown (None when the person was deleted)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="person-scroll"):
            yield Static(id="person-page")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#person-scroll").focus()

    def refresh_view(self) -> None:
        try:
            page = person_page(self.workspace, self.person_id)
        except RecordNotFound:
            self.page = None
            self.query_one("#person-page", Static).update(Text("This person is no longer on the team.", style="dim"))
            return
        self.page = page
        self.sub_title = visible(f"Page of {page.person.name}")
        self.query_one("#person-page", Static).update(page_renderable(page))

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, offset: int) -> None:
        """Show the previous or next person's page (in the People order)."""
        ids = [person.id for person in self.workspace.all(Person)]
        if not ids:
            return
        index = ids.index(self.person_id) if self.person_id in ids else 0
        self.person_id = ids[(index + offset) % len(ids)]
        self.refresh_view()
        self.query_one("#person-scroll", VerticalScroll).scroll_home(animate=False)

    def action_copy_markdown(self) -> None:
        """Copy this page as Markdown."""
        try:
            page = person_page(self.workspace, self.person_id)
        except RecordNotFound:
            return
        self.app.copy_to_clipboard(person_markdown(page))
        self.notify(f"{page.person.name}'s page was copied as Markdown.")
