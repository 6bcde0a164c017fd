"""Waiting for the app in pilot and snapshot tests: by condition, never by the clock.

``pilot.press`` sends keys one after another and judges the app done with each by
the process looking idle, which a busy machine fakes. A key that brings up a screen
(a main screen, imported on its first visit; a dialog; a pushed screen) can then
return before that screen has mounted and taken focus, and the keys after it are
lost. These helpers wait for what the next step needs instead, and ``settle`` waits
for a still screen before a snapshot is taken (the footer, for one, rebuilds itself a
refresh after the bindings change).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual import events
from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

TIMEOUT_SECONDS = 30.0  # far beyond a slow run; reached only when the awaited thing never comes


async def until(pilot: Pilot, condition: Callable[[], object], what: str) -> None:
    """Let the app work until ``condition()`` is true; fail naming ``what`` if it never is."""
    deadline = monotonic() + TIMEOUT_SECONDS
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause()


async def started(pilot: Pilot) -> None:
    """Wait until start-up has said what it says once the first screen is up (the reminders, conflict copies).

    Its toasts come a refresh after the first frame; a key pressed before then (one that shows
    another screen, which clears the toasts of the one left) is overtaken by them, and a toast
    that lasts 10 s of wall-clock time is then in a snapshot or not by chance.
    """
    await until(pilot, lambda: getattr(pilot.app, "told_at_start_up", True), "start-up to say what it says")
    await pilot.pause()  # the toasts it raised: posted to the app, shown on its next turn


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


def footer_is_current(screen: Screen) -> bool:
    """Whether the screen's footer shows the keys its bindings offer now.

    The footer rebuilds itself after a refresh once the bindings change (a tab switched, the
    focus moved), so for a moment it can show the old keys, or none.
    """
    footers = screen.query(Footer)
    if not footers:
        return True
    # a key the bindings offer dimmed is drawn with the class -disabled (its widget stays enabled)
    shown = {(key.action, key.has_class("-disabled")) for key in footers.first().query("FooterKey")}
    offered = {(active.binding.action, not active.enabled)
               for active in screen.active_bindings.values() if active.binding.show}
    return offered <= shown and len(shown - offered) <= 1  # and the palette's key


async def settle(pilot: Pilot) -> None:
    """Wait until the screen is still: nothing queued for it or its widgets, the footer
    current, and the same picture after one more turn. For snapshots."""

    why: list[str] = []

    def quiet() -> bool:
        # The screen and its widgets only: the app's own queue gets the reload check's tick every
        # second, which a busy machine may never have drained when we look.
        screen = pilot.app.screen
        nodes = list(screen.walk_children(with_self=True))
        busy = [repr(node) for node in nodes if node.message_queue_size]
        # A widget holding its lock is rebuilding what it shows: a Markdown document is parsed in a
        # thread and mounted after, with no message queued meanwhile, so the picture can stay blank
        # for a few turns and only then fill in.
        updating = [repr(node) for node in nodes if isinstance(node, Widget) and node.lock.is_locked]
        why[:] = [f"busy: {busy}"] if busy else []
        if updating:
            why.append(f"updating: {updating}")
        if not footer_is_current(screen):
            why.append("footer not current")
        return not why

    deadline = monotonic() + TIMEOUT_SECONDS
    picture = None
    while monotonic() < deadline:
        try:
            await until(pilot, quiet, "the screen to settle")
        except AssertionError as error:
            raise AssertionError(f"{error}: {why}") from None
        latest = pilot.app.export_screenshot()
        if latest == picture:
            return
        picture = latest
        await pilot.pause()
    raise AssertionError("gave up waiting for the screen to stop changing")


def showing(*keys: str) -> Callable[[Pilot], object]:
    """A snapshot's ``run_before``: once :func:`started`, press ``keys`` with :func:`press_and_wait`,
    then :func:`settle`."""

    async def run_before(pilot: Pilot) -> None:
        await started(pilot)
        await press_and_wait(pilot, *keys)
        await settle(pilot)

    return run_before


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


async def type_at_once(pilot: Pilot, *keys: str) -> None:
    """Send ``keys`` all at once, as a fast typist, a paste or a loaded machine delivers them: none waits
    for the one before to be handled. Then wait until the app has handed every one of them on."""
    app = pilot.app
    start = app.keys_handed_on
    for key in keys:
        character = key if len(key) == 1 else " " if key == "space" else None
        event = events.Key(key, character)
        event.set_sender(app)
        app.post_message(event)
    await until(pilot, lambda: app.keys_handed_on >= start + len(keys) and not app.keys_waiting,
                "the typed keys to be handled")
    await pilot.pause()
