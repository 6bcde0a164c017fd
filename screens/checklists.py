"""Checklists (key 3): A precise checklist for every stage, and the stand-up mode."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gtm_tui.screens.base import MainScreen


class ChecklistsScreen(MainScreen):
    SCREEN_NAME = "Checklists"
    SCREEN_KEY = "3"
    HELP_INTRO = "A precise checklist for every stage, and the stand-up mode."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("Checklists", classes="screen-title")
        yield Static("A precise checklist for every stage, and the stand-up mode.\n\nThis screen is being built; the data it shows is already in the file.", classes="coming")
        yield from self.compose_footer()
