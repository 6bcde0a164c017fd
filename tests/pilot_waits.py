"""Waiting for the app in pilot and snapshot tests: by condition, never by the clock.

``pilot.press`` sends keys one after another and judges the app done with each by
the process looking idle, which a busy machine fakes. A key that brings up a screen
(a main screen, imported on its first visit; a dialog; a pushed screen) can then
return before that screen has mounted and taken focus, and the keys after it are
lost. These helpers wait for what the next step needs instead.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen

TIMEOUT_SECONDS = 30.0  # far beyond a slow run; reached only when the awaited thing never comes


async def until(pilot: Pilot, condition: Callable[[], object], what: str) -> None:
    """Let the app work until ``condition()`` is true; fail naming ``what`` if it never is."""
    deadline = monotonic() + TIMEOUT_SECONDS
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause()


async def press_and_wait(pilot: Pilot, *keys: str) -> Screen:
    """Press keys one at a time; after each, wait until the screen showing then has mounted and settled.

    For keys that open or close a screen. Returns the screen showing at the end.
    """
    for key in keys:
        await pilot.press(key)  # returns once the app itself has handled the key
        await until(pilot, lambda: pilot.app.screen.is_mounted, f"the screen after {key!r} to mount")
        await pilot.pause()  # the new screen's own queue: focus, first render
    return pilot.app.screen


async def wait_for_screen(pilot: Pilot, kind: type[Screen]) -> Screen:
    """Wait until a screen of type ``kind`` is showing, mounted and settled; return it.

    For what a key starts but finishes later (a dismissed dialog's callback, a palette command).
    """
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.is_mounted,
        f"a {kind.__name__} to show",
    )
    await pilot.pause()
    return pilot.app.screen


def showing(*keys: str) -> Callable[[Pilot], object]:
    """A snapshot's ``run_before``: press ``keys`` with :func:`press_and_wait`."""
    return lambda pilot: press_and_wait(pilot, *keys)


async def run_command(pilot: Pilot, typed: str, title: str, opens: type[Screen]) -> Screen:
    """Run a command from the palette as a user does: ctrl+p, type ``typed``, wait until ``title``
    is the highlighted match (the palette searches in a worker), enter; then wait for the screen
    of type ``opens`` that the command brings up (it runs after the palette closes)."""
    palette = await press_and_wait(pilot, "ctrl+p")
    assert isinstance(palette, CommandPalette)
    for char in typed:
        await pilot.press(char)

    def highlighted() -> str | None:
        matches = palette.query_one(CommandList)
        if matches.highlighted is None:
            return None
        option = matches.get_option_at_index(matches.highlighted)
        return str(option.hit.text) if isinstance(option, Command) else None

    await until(pilot, lambda: highlighted() == title, f"{title!r} to be the palette's highlighted match")
    await pilot.press("enter")
    return await wait_for_screen(pilot, opens)
