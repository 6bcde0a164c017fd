"""Hostile text in the file is inert on every screen: no escape sequence reaches the terminal, no markup is parsed.

A person, a stage and every other free-text field of the demo pilot are
written straight into the file (past validation, as another tool could) with
OSC 52, OSC 0, ``ESC[2J``, OSC 8, a C1 CSI, a NUL, ``[/]`` and
``[bold red]…[/]``. The app then runs with a driver that records every byte it
would send to the terminal, and is walked through every main screen, their
views, the pushed screens, the palette and toasts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile import HOSTILE, MARKUP, leaks, poison
from textual.command import CommandPalette
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Input

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Person
from gtm_tui.data.safe_text import has_control
from gtm_tui.data.workspace import Workspace
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.screens.widgets.line_table import LineTable

SGR_AND_MOVES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """What the app wrote to the terminal since the last look."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def take(self) -> str:
        text, self.written = "".join(self.written), []
        return text


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """Run ``run_test`` apps through the headless driver, but have them render and record what they write."""
    recorded = Terminal()
    monkeypatch.setattr(HeadlessDriver, "is_headless", property(lambda self: False))
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: recorded.written.append(data))
    return recorded


@pytest.fixture
def hostile_file(demo_file: Path) -> Path:
    poison(demo_file)
    return demo_file


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def shown_text(output: str) -> str:
    """The characters drawn, without Textual's own colour and cursor sequences."""
    return SGR_AND_MOVES.sub("", output)


# every main screen, their views and the screens pushed from them, by the keys a person presses
WALK = [
    ("1",), ("2",), ("h",), ("f",), ("t",), ("l",),
    ("3",), ("s",), ("escape",),
    ("4",), ("o",), ("o",), ("t",),
    ("5",), ("v",),
    ("6",), ("right_square_bracket",), ("right_square_bracket",), ("m",), ("escape",), ("w",), ("escape",),
    ("7",), ("p",), ("escape",), ("question_mark",), ("escape",),
]


async def test_every_screen_shows_hostile_text_inert(hostile_file: Path, terminal: Terminal):
    app = GtmApp(hostile_file, Workspace.open(hostile_file))
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        first = terminal.take()
        assert first and not leaks(first), leaks(first)
        for keys in WALK:
            await pilot.press(*keys)
            await settle(pilot)
            output = terminal.take()
            assert not leaks(output), (keys, type(app.screen).__name__, leaks(output))
            # Rich markup in a name is shown as typed, never turned into style (or a crash)
            plain = shown_text(output)
            assert not re.search(r"(?<!red\])loud", plain), (keys, type(app.screen).__name__)
        assert not has_control(app.title) and not has_control(app.sub_title)


async def test_the_people_screen_shows_markup_as_typed(hostile_file: Path, terminal: Terminal):
    app = GtmApp(hostile_file, Workspace.open(hostile_file))
    async with app.run_test(size=(240, 40)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        plain = shown_text(terminal.take())
    assert MARKUP in plain
    assert "Eve name␛]52;c;" in plain  # the escape drawn as a picture, the rest of the sequence as text: inert


async def test_the_edit_form_and_the_delete_question_name_a_hostile_person_inertly(demo_file: Path, terminal: Terminal):
    person_id = poison(demo_file)["people"]
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("7")
        await settle(pilot)
        table = app.screen.query_one("#people", LineTable)
        table.move_cursor(row=table.get_row_index(person_id))
        terminal.take()
        await pilot.press("e")
        await settle(pilot)
        edit = terminal.take()
        await pilot.press("escape", "d")
        await settle(pilot)
        question = terminal.take()
        await pilot.press("n")
        await settle(pilot)
    for output in (edit, question):
        assert not leaks(output), leaks(output)
    assert "Edit Eve" in shown_text(edit) and "name␛]52;c;" in shown_text(edit)  # the long title wraps
    assert "Delete" in shown_text(question) and "Eve name␛]52;c;" in shown_text(question)  # the long name wraps
    assert person_id in {p.id for p in Workspace.open(demo_file).all(Person)}


async def test_the_palette_lists_a_hostile_name_without_crashing(hostile_file: Path, terminal: Terminal):
    app = GtmApp(hostile_file, Workspace.open(hostile_file))
    async with app.run_test(size=(240, 50)) as pilot:
        await pilot.press("4")
        await settle(pilot)
        terminal.take()
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Page of Eve")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        output = terminal.take()
        assert not leaks(output), leaks(output)
        plain = shown_text(output)
        assert "Page of Eve name" in plain and MARKUP in plain
        assert "␛]52;c;" in plain  # the palette draws the escape visibly
        await pilot.press("escape")


async def test_toasts_show_names_as_typed(demo_file: Path, terminal: Terminal):
    name = "Ann [/] [bold red]x[/]"
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await pilot.press("7", "a")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-name", Input).value = name
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        messages = [n.message for n in app._notifications]
        assert f"Added {name}." in messages
        app.notify(f"Teammate renamed {HOSTILE}", title=f"Reloaded {HOSTILE}")
        await settle(pilot)
        output = terminal.take()
    assert not leaks(output)
    plain = shown_text(output)
    assert f"Added {name}." in plain
    assert "Teammate renamed" in plain and "Reloaded" in plain and "␛]52;c;" in plain  # drawn, inert
    assert name in {p.name for p in Workspace.open(demo_file).all(Person)}


async def test_typing_at_machine_speed_then_ctrl_s_saves_every_key(demo_file: Path):
    """ctrl+s arriving before the field processed the keys typed ahead of it (a browser session, a paste)."""
    from textual import events

    names = [f"Fast Typist {n}" for n in range(8)]
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("7")
        for name in names:
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            driver = app._driver
            assert driver is not None
            for char in name:  # all at once, no pause between keys
                driver.send_message(events.Key("space" if char == " " else char, char))
            driver.send_message(events.Key("ctrl+s", None))
            for _ in range(100):
                await pilot.pause()
                if not isinstance(app.screen, FormScreen):
                    break
            assert not isinstance(app.screen, FormScreen), app.screen.query_one("#form-error").render()
    saved = {p.name for p in Workspace.open(demo_file).all(Person)}
    assert set(names) <= saved
