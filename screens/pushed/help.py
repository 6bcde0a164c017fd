"""The help screen (``?`` / F1): every key of the screen it was opened from, and the app's."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Built from the bindings themselves, so it can never drift from the footer."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 84; max-width: 100%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close help")]

    def __init__(self, title: str, sections: Iterable[tuple[str, list[tuple[str, str]]]], intro: str = "") -> None:
        super().__init__()
        self.help_title = title
        self.sections = list(sections)
        self.intro = intro

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(self.help_title, style="bold"))
            if self.intro:
                yield Static(Text(self.intro, style="italic"))
            for heading, keys in self.sections:
                table = Table(title=heading, title_justify="left", show_header=False, box=None, expand=True)
                # Every section's keys in one column of the same width: the descriptions take what is left.
                table.add_column("key", style="bold cyan", width=16)
                table.add_column("does", ratio=1)
                for key, description in keys:
                    table.add_row(Text(key), Text(description))
                yield Static(table)
            yield Static(Text("\nctrl+p opens the command palette: type to find any screen or action.", style="dim"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
