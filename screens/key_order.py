"""Keys are handled one at a time, in the order typed, by the screen that is showing when their turn comes.

Textual hands each key to the focused widget's queue as soon as it arrives. A key
that opens a form (``a``) is acted on only when it comes back up to the app, so the
keys typed right after it were already handed to the screen below: "Typeahead"
arrived as "peahead", and "Lena" typed into a picker renamed a question with the
screen's ``e``. Here the app holds every key until the one before it has been
handled all the way up, any focus change it asked for has happened, and the
screen it opened is mounted: the keys after ``a`` go to the form, whole.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

# A key whose way up was cut (its screen closed under it) is taken as handled after this long at most.
STUCK_KEY_SECONDS = 1.0
LOOK_AGAIN_SECONDS = 0.02


def _has_work(node: object) -> bool:
    """Whether a widget has messages waiting that a key's handling left (an enter's Submitted, a Changed).

    Callbacks are not counted: those a key's action queued on the focused widget (a form's save after
    ctrl+s) are followed there by the KeyHandled, and others (a test's pause, Textual re-computing
    reactives) can wait on the screen's next refresh, which waiting here must not hold up.
    """
    queue = getattr(node, "_message_queue", None)
    if queue is None or not getattr(node, "message_queue_size", 0):
        return False
    return any(not isinstance(message, events.Callback) for message in list(queue.values))


class KeyHandled(Message):
    """Posted right behind a key to the widget it went to; back at the app, that key was handled."""


class KeysInOrderApp(App):
    """An App that hands keys on one at a time (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: deque[events.Key] = deque()
        self._busy = False  # a key is on its way, or the app waits for a screen or a focus change
        self._in_flight: tuple[KeyHandled, Widget] | None = None
        self._watch: Timer | None = None
        self._stuck: Timer | None = None
        self._mounting: asyncio.Task[None] | None = None
        self._patience_until: float | None = None  # when to stop waiting for the screen to be ready
        self.keys_handed_on = 0  # how many typed keys were handed on so far (for tests)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self.is_running:
            self._held_keys.append(event)
            await self._hand_on()
            return
        await super().on_event(event)

    @property
    def keys_waiting(self) -> int:
        """How many typed keys wait for their turn (for tests and the benchmark)."""
        return len(self._held_keys) + (1 if self._busy else 0)

    async def _hand_on(self) -> None:
        """Hand the next held key on, unless one is still on its way or the screen showing is not ready."""
        while self._held_keys and not self._busy:
            screen = self.screen
            if not self._screen_ready(screen):
                self._busy = True
                if not screen.is_mounted:
                    self._mounting = asyncio.create_task(self._after_mount(screen))
                else:
                    # Look again in a moment, not at once: what it waits for may wait for the app to be idle
                    # (a refresh, a call_after_refresh), which a look queued at once would never let it be.
                    self.set_timer(LOOK_AGAIN_SECONDS, self._resume)
                return
            self._patience_until = None
            await self._send(self._held_keys.popleft())

    def _screen_ready(self, screen: Screen) -> bool:
        """Whether the screen is mounted, has focused what it will (a form its first field), and the focused
        widget and the widgets around it have nothing left from the keys before (an enter's Submitted, a save
        queued behind it); or patience ran out."""
        if screen.is_mounted and (screen.focused is not None or not screen.focus_chain) and not any(
                _has_work(node) for node in (screen.focused or screen).ancestors_with_self):
            return True
        if self._patience_until is None:
            self._patience_until = monotonic() + STUCK_KEY_SECONDS
        return monotonic() > self._patience_until

    async def _after_mount(self, screen: Widget) -> None:
        await screen._mounted_event.wait()
        self.call_later(self._resume)  # behind the focus the new screen asked for in its on_mount

    async def _resume(self) -> None:
        self._busy = False
        await self._hand_on()

    async def _send(self, event: events.Key) -> None:
        """What Textual's App does with a key, then a KeyHandled behind it."""
        self.keys_handed_on += 1
        if self.screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
            self.screen.minimize()
            return
        if not await self._check_bindings(event.key, priority=True):
            (self.focused or self.screen)._forward_event(event)
        # Behind it, or behind what its action left with the focused widget (a form saves there, after the
        # characters typed before ctrl+s), a KeyHandled goes up the same way the key went.
        self._follow(self.focused or self.screen)

    def _follow(self, target: Widget) -> None:
        marker = KeyHandled()
        self._busy = True
        self._in_flight = (marker, target)
        target.post_message(marker)
        self._watch = self.set_interval(LOOK_AGAIN_SECONDS, self._look_at_flight)
        self._stuck = self.set_timer(STUCK_KEY_SECONDS, lambda: self._landed(marker))

    def on_key_handled(self, message: KeyHandled) -> None:
        message.stop()
        self._landed(message)

    def _look_at_flight(self) -> None:
        """A key whose widget or screen went away meanwhile will never send its KeyHandled up: count it handled."""
        if self._in_flight is None:
            return
        marker, target = self._in_flight
        if not target.is_attached or target.screen is not self.screen:
            self._landed(marker)

    def _landed(self, marker: KeyHandled) -> None:
        if self._in_flight is None or self._in_flight[0] is not marker:
            return
        self._in_flight = None
        if self._watch is not None:
            self._watch.stop()
        if self._stuck is not None:
            self._stuck.stop()
        self.call_later(self._resume)  # behind the focus changes the key asked for
