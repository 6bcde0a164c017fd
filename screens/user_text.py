"""Showing text from the file on screen: never parsed as markup, never a control character to the terminal.

A name may hold ``[/]`` (which crashes a markup parser) or ``[bold red]`` (which
would style the toast), or an escape sequence (which the terminal would obey).
Widgets get user text as ``shown(...)`` (a Rich ``Text``: no markup, control
characters drawn as ``␛`` …); the few Textual APIs that only take markup
strings (a palette entry's help) get ``markup_safe(...)``. Toasts and the title
are made safe once in the app. As a last line of defence ``ControlFilter``
drops any control character still in a line the app draws, wherever it came
from, before the line reaches the terminal or a browser session.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.command import DiscoveryHit, Hit, Hits
from textual.content import Content
from textual.filter import LineFilter
from textual.markup import escape
from textual.system_commands import SystemCommandsProvider
from textual.visual import Style
from textual.widget import Widget

from gtm_tui.data.safe_text import CONTROL_RE, strip, visible


def shown(text: object, style: str = "", *, multiline: bool = False) -> Text:
    """User text for a widget: literal (no markup), control characters visible, line breaks only when ``multiline``."""
    return Text(visible(str(text), allow_newlines=multiline), style=style)


def markup_safe(text: object, *, multiline: bool = False) -> str:
    """User text for an API that parses markup: control characters visible, every ``[`` escaped."""
    return escape(visible(str(text), allow_newlines=multiline))


def clamped(text: Text, widget: Widget) -> Text:
    """``text`` as ``widget`` shows it wrapped: when it needs more lines than the widget's max-height gives, the
    last line shown ends in "…", so a cut text says so instead of stopping mid-sentence.

    Before the widget is laid out (no width yet) the text is given whole.
    """
    width = widget.content_region.width
    max_height = widget.styles.max_height
    if width <= 0 or max_height is None or not max_height.is_cells:
        return text
    room = int(max_height.value) - widget.styles.gutter.height
    lines = text.wrap(widget.app.console, width)
    if room <= 0 or len(lines) <= room:
        return text
    kept = list(lines)[:room]
    last = kept[-1]
    last.rstrip()
    last.truncate(width - 1)
    last.append("…")
    return Text("\n").join(kept)


class ControlFilter(LineFilter):
    """Drop control characters from every segment of text the app draws (its own control segments pass).

    Dropping keeps the line's width (a control character takes no cell), so the
    layout stays as Textual computed it.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(not control and CONTROL_RE.search(text) for text, _style, control in segments):
            return segments
        return [
            segment if segment.control else Segment(strip(segment.text), segment.style)
            for segment in segments
        ]


def _highlighted(title: str, offsets: Iterable[int], style: Style) -> Content:
    """``title`` as plain content with the letters the query matched highlighted (as Textual's matcher does)."""
    content = Content(title)
    for offset in offsets:
        if offset < len(title) and not title[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class SafeSystemCommands(SystemCommandsProvider):
    """The app's palette commands with titles and help shown as typed.

    Textual's own provider reads a command's title and help as markup, so a
    person named ``[/]`` in "Page of [/]" would crash the palette.
    """

    async def discover(self) -> Hits:
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda command: command[0])
        for name, help_text, callback, discover in commands:
            if discover:
                title = visible(name)
                yield DiscoveryHit(Content(title), callback, text=title, help=markup_safe(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            title = visible(name)
            score, offsets = matcher.fuzzy_search.match(matcher.query, title)
            if score > 0:
                yield Hit(
                    score,
                    _highlighted(title, offsets, matcher.match_style),
                    callback,
                    text=title,
                    help=markup_safe(help_text),
                )
