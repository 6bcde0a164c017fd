"""Overview (key 1): the pilot at a glance."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from gtm_tui import overview
from gtm_tui.screens.base import MainScreen


def facts_table(rows: list[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table


class OverviewScreen(MainScreen):
    SCREEN_NAME = "Overview"
    SCREEN_KEY = "1"
    HELP_INTRO = "The pilot at a glance: scope, team set-up, rhythm and what the file holds."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="overview"):
            yield Static(id="pilot-facts")
            yield Static(id="pilot-counts")
        yield from self.compose_footer()

    def refresh_view(self) -> None:
        self.query_one("#pilot-facts", Static).update(facts_table(overview.pilot_facts(self.workspace)))
        self.query_one("#pilot-counts", Static).update(
            Text("\n") + Text("In this file", style="bold underline") + Text("\n") + Text(overview.counts_line(self.workspace))
        )
