"""The app processes ``bench.py`` starts and times; one process per measurement.

    python benchmarks/run_app.py start FILE        gtm-tui FILE, headless; exit once the first screen is ready
    python benchmarks/run_app.py start FILE --visit-all   ... then show every main screen (1..7), then exit
    python benchmarks/run_app.py minimal           a minimal Textual app (Header, Label, Footer), same exit rule
    python benchmarks/run_app.py session FILE      in-process timings (screen switches, keystroke to saved) as JSON

"Ready to take keys" means: the first main screen is mounted, has rendered
its data (``refresh_view`` ran in its ``on_mount``) and the compositor has
drawn it once. ``start`` and ``minimal`` exit at exactly that point, so the
parent's wall-clock time around the whole process is the start-up a user
waits for, Python's start and the imports included.

``session`` changes FILE (it ticks steps of runs, sets RACI roles and moves cards on the Board), so
the parent hands it a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
from pathlib import Path
from time import perf_counter
from typing import Any

SETTLE_SECONDS = 2.0  # how long to wait for a save a key press should cause


# --------------------------------------------------------------------------
# start / minimal: whole-process start-up


def _machine_that_never_asks() -> Any:
    """An identity store in a temp folder that skips the first-open question, so no dialog waits for a key
    (and the real home is never written)."""
    import tempfile

    from gtm_tui.sharing.identity import FILE_NAME, IdentityStore

    folder = Path(tempfile.mkdtemp(prefix="gtm-bench-config-"))
    (folder / FILE_NAME).write_text('{"ask_on_first_open": false}', encoding="utf-8")
    return IdentityStore(folder)


async def _after_refresh(node: Any) -> None:
    """Return once ``node`` has been refreshed (drawn) after this call."""
    drawn = asyncio.Event()
    node.call_after_refresh(drawn.set)
    await drawn.wait()


def run_gtm(path: Path, visit_all: bool) -> int:
    # The same imports ``gtm-tui FILE`` pays for: the CLI module pulls in the core.
    from gtm_tui import cli  # noqa: F401
    from gtm_tui.app import GtmApp
    from gtm_tui.data.workspace import Workspace
    from gtm_tui.screens.main.base import MainScreen

    first_mount = MainScreen.on_mount

    def on_mount_then_stop(screen: MainScreen) -> None:
        first_mount(screen)
        MainScreen.on_mount = first_mount  # only the first screen ends the run
        if visit_all:
            screen.call_after_refresh(lambda: screen.app.run_worker(_visit_every_screen(screen.app)))
        else:
            screen.call_after_refresh(screen.app.exit)

    MainScreen.on_mount = on_mount_then_stop  # type: ignore[method-assign]
    app = GtmApp(path, Workspace.open(path), identities=_machine_that_never_asks())
    app.run(headless=True, size=(120, 40))
    return 0 if app.return_code in (None, 0) else 1


async def _visit_every_screen(app: Any) -> None:
    """Show every main screen once (as keys 1..9 would), so memory counts them all."""
    for mode in list(app.MODES):
        await app.switch_mode(mode)
        await _after_refresh(app.screen)
    app.exit()


def run_minimal() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Label

    class MinimalApp(App):
        """The yardstick: what any Textual app pays to show a header, a label and a footer."""

        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("Hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    app = MinimalApp()
    app.run(headless=True, size=(120, 40))
    return 0


# --------------------------------------------------------------------------
# session: in-process timings


def send_key(app: Any, key: str) -> None:
    """Deliver one key press to the app as the terminal driver would, without the
    pilot's wait-until-idle pauses (each of those sleeps 20 ms or more)."""
    from textual import events

    char = " " if key == "space" else (key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def wait_until(condition: Any, limit: float = SETTLE_SECONDS) -> bool:
    """Yield to the app until ``condition()`` holds (True) or ``limit`` seconds pass (False)."""
    start = perf_counter()
    while not condition():
        if perf_counter() - start > limit:
            return False
        await asyncio.sleep(0)
    return True


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary_ms(values: list[float]) -> dict[str, Any]:
    """Median, 95th percentile and max of durations in seconds, as milliseconds."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median_ms": statistics.median(values) * 1000,
        "p95_ms": percentile(values, 0.95) * 1000,  # type: ignore[operator]
        "max_ms": max(values) * 1000,
    }


class SaveClock:
    """Records the moment each save of the workspace file returned (the file then holds the change)."""

    def __init__(self, workspace: Any) -> None:
        self.moments: list[float] = []
        storage = workspace.storage
        original = storage.write

        def timed_write(data: dict[str, Any]) -> None:
            original(data)
            self.moments.append(perf_counter())

        storage.write = timed_write  # only this process's instance


async def measure_switching(app: Any, pilot: Any, rounds: int) -> dict[str, Any]:
    """Keys 2..9 then 1, ``rounds`` times: until the screen is current and drawn."""
    from gtm_tui.app import MAIN_SCREENS

    order = [*MAIN_SCREENS[1:], MAIN_SCREENS[0]]
    first: list[float] = []
    again: list[float] = []
    per_screen: dict[str, list[float]] = {}
    for round_number in range(rounds):
        for entry in order:
            start = perf_counter()
            send_key(app, entry.key)
            if not await wait_until(lambda entry=entry: type(app.screen).__name__ == entry.class_name):
                raise RuntimeError(f"key {entry.key} did not show {entry.name}")
            await _after_refresh(app.screen)
            took = perf_counter() - start
            # the overview was already shown at start-up, so its first switch is a revisit
            is_first = round_number == 0 and entry is not MAIN_SCREENS[0]
            (first if is_first else again).append(took)
            per_screen.setdefault(entry.name, []).append(took)
            await pilot.pause()
    return {
        "first_visit": summary_ms(first),
        "revisit": summary_ms(again),
        "slowest_screen": max(per_screen, key=lambda name: statistics.median(per_screen[name])),
    }


def _why_not_measurable(screen: Any) -> str | None:
    """Why the screen cannot be measured, or None when it shows real rows."""
    from textual.widgets import DataTable, ListView, OptionList, Tree

    rows = [w for kind in (DataTable, OptionList, ListView, Tree) for w in screen.query(kind) if w.display]
    if not rows:
        return f"{screen.SCREEN_NAME} screen shows no table or list to press keys on"
    return None


def _table_in_file(path: Path, table: str) -> dict[str, Any]:
    import orjson

    return orjson.loads(path.read_bytes()).get(table, {})


async def measure_key_to_saved(
    app: Any, pilot: Any, screen_key: str, key: str, table: str, presses: int, clock: SaveClock
) -> dict[str, Any]:
    """Press ``key`` on the first row of screen ``screen_key`` that saves a change to ``table``.

    Finds that row through the screen's widgets (moving right past a grid's
    row labels and down until the key saves), then presses it ``presses`` times, timing each press to the end of
    its save and, separately, to the screen drawn again. After every press the
    file is read back: it must hold a changed ``table`` record, or the press
    does not count.
    """
    from textual.screen import ModalScreen

    await pilot.press(screen_key)
    await pilot.pause()
    main_screen = app.screen
    reason = _why_not_measurable(main_screen)
    if reason:
        return {"available": False, "reason": reason}
    if app.focused is None:
        main_screen.focus_next()
        await pilot.pause()

    path = app.path
    on_disk = _table_in_file(path, table)

    async def press_once() -> tuple[float, float] | None:
        nonlocal on_disk
        before = len(clock.moments)
        start = perf_counter()
        send_key(app, key)
        if not await wait_until(lambda: len(clock.moments) > before):
            if isinstance(app.screen, ModalScreen):  # the key asked something instead of saving
                await pilot.press("escape")
            return None
        saved = clock.moments[before] - start
        await _after_refresh(app.screen)
        drawn = perf_counter() - start
        now_on_disk = _table_in_file(path, table)
        changed = now_on_disk != on_disk  # a record added, changed or (a cleared RACI cell) removed
        on_disk = now_on_disk
        return (saved, drawn) if changed else None

    # Find a row (and, in a grid, a cell past the row labels) the key works on.
    for move in (None, "right", "down", "right", "down", "down", "down", "down", "down", "down"):
        if move:
            await pilot.press(move)
            await pilot.pause()
        if await press_once() is not None:
            break
    else:
        return {"available": False, "reason": f"'{key}' saved nothing on the first rows of {main_screen.SCREEN_NAME}"}

    saved_times: list[float] = []
    drawn_times: list[float] = []
    misses = 0
    for _ in range(presses):
        result = await press_once()
        await pilot.pause()
        if result is None:
            misses += 1
            continue
        saved_times.append(result[0])
        drawn_times.append(result[1])
    return {
        "available": True,
        "to_saved": summary_ms(saved_times),
        "to_drawn": summary_ms(drawn_times),
        "presses_without_save": misses,
    }


async def measure_board_move(app: Any, pilot: Any, presses: int, clock: SaveClock) -> dict[str, Any]:
    """Move cards on the Board (key 8) with [ (back a stage), timing each move to the end of its save.

    A move back is never held up (moving on could be refused by an open
    approval step or ask about open steps), and it does all a move does: the
    piece changes stage, its run there ends and a new run of the stage it
    enters starts with its copies of the steps, in one save. A card is moved
    back stage by stage until it reaches the first column, then the next card
    is taken. After every move the file must hold the card in its new stage.
    """
    await pilot.press("8")
    await pilot.pause()
    view = getattr(app.screen, "board_view", None)
    if view is None or not view.board.columns:
        return {"available": False, "reason": "the Board shows no columns"}
    path = app.path

    def stage_in_file(item_id: str) -> str | None:
        return _table_in_file(path, "work_items")[item_id]["stage_id"]

    async def move_back() -> tuple[float, float] | None:
        card = view.selected_card()
        if card is None:
            return None
        before_stage = stage_in_file(card.item.id)
        before = len(clock.moments)
        start = perf_counter()
        send_key(app, "left_square_bracket")
        if not await wait_until(lambda: len(clock.moments) > before):
            return None
        took = clock.moments[before] - start
        await _after_refresh(app.screen)
        drawn = perf_counter() - start
        return (took, drawn) if stage_in_file(card.item.id) != before_stage else None

    # Cards from the last columns first: each can be moved back once per column it is past the first.
    candidates = [card.item.id for column in reversed(view.board.columns[1:]) for card in column.cards]
    saved_times: list[float] = []
    drawn_times: list[float] = []
    misses = 0
    for item_id in candidates:
        found = view.board.find(item_id)
        while found is not None and found[0] > 0 and len(saved_times) < presses:
            view.cursor_x, view.cursor_y = found
            await pilot.pause()
            result = await move_back()
            await pilot.pause()
            if result is None:
                misses += 1
                break
            saved_times.append(result[0])
            drawn_times.append(result[1])
            found = view.board.find(item_id)
        if len(saved_times) >= presses or misses > presses:
            break
    if not saved_times:
        return {"available": False, "reason": "no card on the Board could be moved"}
    return {"available": True, "to_saved": summary_ms(saved_times), "to_drawn": summary_ms(drawn_times),
            "presses_without_save": misses}


async def session(path: Path, presses: int, rounds: int) -> dict[str, Any]:
    from gtm_tui.app import GtmApp
    from gtm_tui.data.workspace import Workspace

    workspace = Workspace.open(path)
    clock = SaveClock(workspace)
    app = GtmApp(path, workspace, identities=_machine_that_never_asks())
    results: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        results["switch"] = await measure_switching(app, pilot, rounds)
        results["checklist_space"] = await measure_key_to_saved(app, pilot, "3", "space", "checklist_items", presses, clock)
        results["raci_r"] = await measure_key_to_saved(app, pilot, "4", "r", "raci", presses, clock)
        results["board_move"] = await measure_board_move(app, pilot, presses, clock)
    return results


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    start = sub.add_parser("start")
    start.add_argument("file", type=Path)
    start.add_argument("--visit-all", action="store_true")
    sub.add_parser("minimal")
    measure = sub.add_parser("session")
    measure.add_argument("file", type=Path)
    measure.add_argument("--presses", type=int, default=20)
    measure.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.what == "start":
        return run_gtm(args.file, args.visit_all)
    if args.what == "minimal":
        return run_minimal()
    results = asyncio.run(session(args.file, args.presses, args.rounds))
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
