"""RACI (key 4): Who is Responsible, Accountable, Consulted and Informed on each stage, today and in the pilot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gtm_tui.screens.base import MainScreen


class RaciScreen(MainScreen):
    SCREEN_NAME = "RACI"
    SCREEN_KEY = "4"
    HELP_INTRO = "Who is Responsible, Accountable, Consulted and Informed on each stage, today and in the pilot."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("RACI", classes="screen-title")
        yield Static("Who is Responsible, Accountable, Consulted and Informed on each stage, today and in the pilot.\n\nThis screen is being built; the data it shows is already in the file.", classes="coming")
        yield from self.compose_footer()
