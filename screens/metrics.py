"""Metrics (key 5): How work moves: time in stage, waits at handoffs, feedback cycles, rework and delays."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gtm_tui.screens.base import MainScreen


class MetricsScreen(MainScreen):
    SCREEN_NAME = "Metrics"
    SCREEN_KEY = "5"
    HELP_INTRO = "How work moves: time in stage, waits at handoffs, feedback cycles, rework and delays."

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield Static("Metrics", classes="screen-title")
        yield Static("How work moves: time in stage, waits at handoffs, feedback cycles, rework and delays.\n\nThis screen is being built; the data it shows is already in the file.", classes="coming")
        yield from self.compose_footer()
