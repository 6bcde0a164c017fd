"""Overview (key 1): the pilot at a glance, as the sections listed in ``gtm_tui.overview.SECTIONS``."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from gtm_tui.data import clock
from gtm_tui.overview.sections import Section
from gtm_tui.screens.app_state import app_state
from gtm_tui.screens.main.base import MainScreen

TONES = {"": "", "good": "green", "warning": "yellow", "bad": "bold red", "muted": "dim"}


def section_renderable(section: Section) -> Group:
    """A section as a bold title over a two-column grid of rows."""
    table = Table.grid(padding=(0, 2))
    # Labels wrap (a reminder's label is the item's text); values keep room for "name · 3 days late".
    table.add_column(style="bold", max_width=70)
    table.add_column(min_width=30)
    for row in section.rows:
        style = TONES.get(row.tone, "")
        table.add_row(Text(row.label, style=style if not row.value else ""), Text(row.value, style=style))
    return Group(Text(section.title, style="bold underline"), table, Text(""))


class OverviewScreen(MainScreen):
    SCREEN_NAME = "Overview"
    SCREEN_KEY = "1"
    HELP_INTRO = ("The pilot at a glance: what waits on you (For you, once you say who you are with w), scope, "
                  "team set-up, rhythm, what is due and what the file holds.")
    BINDINGS = [Binding("s", "pilot_setup", "Pilot setup"), Binding("w", "app.who_am_i", "Who am I", show=False)]

    def action_pilot_setup(self) -> None:
        """Open the pilot set-up form (campaign, baseline, focus stages, lead, channel, check-ins, dates)."""
        # Imported on use, not for a cycle: the form widgets it pulls in cost the
        # first screen shown at start-up about 9 ms (python -X importtime).
        from gtm_tui.screens.dialogs.pilot_setup import open_pilot_setup

        open_pilot_setup(self)

    def __init__(self) -> None:
        super().__init__()
        self._filling = False  # the sections are about to be filled

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with VerticalScroll(id="overview"):
            yield Static(Text("Reading the pilot…", style="dim"), id="overview-sections")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "session_person", lambda _person: self.refresh_view(), init=False)

    def refresh_view(self) -> None:
        """Fill the sections just after the next frame: every section reads the whole pilot, and at start-up
        the screen (title, keys) is up before the figures are counted (benchmarks/bench.py)."""
        if not self._filling:
            self._filling = True
            self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        # The sections' modules (metrics, reminders, RACI, runs …) are imported here, after the first
        # frame: the screen shown at start-up does not wait for them (python -X importtime: ~20 ms).
        from gtm_tui.overview import summary as overview
        from gtm_tui.overview.your_turn import for_you_section

        self._filling = False
        mine = for_you_section(self.workspace, app_state(self).session_person, clock.now())
        sections = ([mine] if mine.rows else []) + overview.sections(self.workspace)
        self.query_one("#overview-sections", Static).update(Group(*(section_renderable(s) for s in sections)))
