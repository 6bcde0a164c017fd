"""Process (key 2): The process map: stages, handoffs, the flowchart and the timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gtm_tui.screens.base import MainScreen


class ProcessScreen(MainScreen):
    SCREEN_NAME = "Process"
    SCREEN_KEY = "2"
    HELP_INTRO = "The process map: stages, handoffs, the flowchart and the timeline."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("Process", classes="screen-title")
        yield Static("The process map: stages, handoffs, the flowchart and the timeline.\n\nThis screen is being built; the data it shows is already in the file.", classes="coming")
        yield from self.compose_footer()
