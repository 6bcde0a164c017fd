"""Retro (key 6): The review meeting: feedback, live notes, themes, votes and the priority fixes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gtm_tui.screens.base import MainScreen


class RetroScreen(MainScreen):
    SCREEN_NAME = "Retro"
    SCREEN_KEY = "6"
    HELP_INTRO = "The review meeting: feedback, live notes, themes, votes and the priority fixes."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("Retro", classes="screen-title")
        yield Static("The review meeting: feedback, live notes, themes, votes and the priority fixes.\n\nThis screen is being built; the data it shows is already in the file.", classes="coming")
        yield from self.compose_footer()
