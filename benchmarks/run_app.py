"""The app processes ``bench.py`` starts and times; one process per measurement.

    python benchmarks/run_app.py start FILE        gtm-tui FILE, headless; exit once the first screen is ready
    python benchmarks/run_app.py start FILE --visit-all   ... then show every main screen (1..9), then exit
    python benchmarks/run_app.py start FILE --remember PILOT:PERSON   ... as that person, remembered on this machine
    python benchmarks/run_app.py minimal           a minimal Textual app (Header, Label, Footer), same exit rule
    python benchmarks/run_app.py peer dooit        a peer Textual app (dooit, kanban-tui), when installed,
                                                   same exit rule
    python benchmarks/run_app.py session FILE      in-process timings (screen switches, keystroke to saved) as JSON
    python benchmarks/run_app.py export FILE --format xlsx   an export started as Export… does, the screens'
                                                   keys pressed until it is written; timings as JSON

"Ready to take keys" means: the first main screen is mounted, has rendered
its data (``refresh_view`` ran in its ``on_mount``) and the compositor has
drawn it once. ``start``, ``minimal`` and ``peer`` print "ready CPU-SECONDS" at exactly
that point and exit right after (``start`` once the screen's own after-frame
work is done: the Overview fills its figures then), so the parent's
wall-clock time to that line is the start-up a user waits for, Python's
start and the imports included, and the time to the process's end includes
the Overview's figures.

``session`` changes FILE (it types meeting notes, sets RACI roles, ticks steps
of runs and moves cards on the Board), so the parent hands it a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

SETTLE_SECONDS = 2.0  # how long to wait for a save a key press should cause


# --------------------------------------------------------------------------
# start / minimal: whole-process start-up


def _machine_that_never_asks(remembers: tuple[str, str] | None = None) -> Any:
    """An identity store in a temp folder that skips the first-open question, so no dialog waits for a key
    (and the real home is never written); ``remembers`` (pilot id, person id): who sits here for that pilot."""
    import tempfile

    from gtm_tui.sharing.identity import FILE_NAME, IdentityStore

    folder = Path(tempfile.mkdtemp(prefix="gtm-bench-config-"))
    content: dict[str, Any] = {"ask_on_first_open": False}
    if remembers is not None:
        content["workspaces"] = {remembers[0]: {"person_id": remembers[1], "name": "", "file": "", "at": ""}}
    (folder / FILE_NAME).write_text(json.dumps(content), encoding="utf-8")
    return IdentityStore(folder)



async def _after_refresh(node: Any) -> None:
    """Return once ``node`` has been refreshed (drawn) after this call."""
    drawn = asyncio.Event()
    node.call_after_refresh(drawn.set)
    await drawn.wait()


def say_ready() -> None:
    """Tell the parent (bench.py) the first frame is drawn: it times the start-up to this line, which also
    says the CPU time this process spent to get there (what a busy machine's load does not inflate)."""
    print(f"ready {process_time():.6f}", flush=True)


def _opener() -> Any:
    """How ``gtm-tui FILE`` opens the file for the app (an older version, measured for a before/after,
    opened it with ``Workspace.open`` alone)."""
    import gtm_tui.cli.open as opening
    from gtm_tui.data.workspace import Workspace

    return getattr(opening, "open_workspace", Workspace.open)


def run_gtm(path: Path, visit_all: bool, remember: tuple[str, str] | None = None) -> int:
    # What ``gtm-tui FILE`` imports and does: the command line's entry, then the module that opens a file.
    import gtm_tui.cli.main  # noqa: F401
    from gtm_tui.app import GtmApp
    from gtm_tui.screens.main.base import MainScreen

    open_workspace = _opener()

    first_mount = MainScreen.on_mount

    def on_mount_then_stop(screen: MainScreen) -> None:
        MainScreen.on_mount = first_mount  # only the first screen ends the run
        # Registered before the screen's own work after its first frame (the Overview fills its
        # figures then), so "ready" is said when the first frame is drawn and keys are taken.
        screen.call_after_refresh(say_ready)
        first_mount(screen)
        if visit_all:
            screen.call_after_refresh(lambda: screen.app.run_worker(_visit_every_screen(screen.app)))
        else:
            screen.call_after_refresh(screen.app.exit)

    identities = _machine_that_never_asks(remember)
    MainScreen.on_mount = on_mount_then_stop  # type: ignore[method-assign]
    app = GtmApp(path, open_workspace(path), identities=identities)
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
            self.call_after_refresh(say_ready)
            self.call_after_refresh(self.exit)

    app = MinimalApp()
    app.run(headless=True, size=(120, 40))
    return 0


# Peers: other Textual apps started the same way, when they are installed (module, App class).
PEERS = {"dooit": ("dooit.ui.tui", "Dooit"), "kanban-tui": ("kanban_tui.app", "KanbanTui")}


def peer_installed(name: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(PEERS[name][0].split(".")[0]) is not None
    except (ImportError, ValueError):
        return False


def run_peer(name: str) -> int:
    """Start a peer's App headless and exit once its first screen is drawn, like ``run_minimal``.

    Textual calls the ``on_mount`` of every class of an app, so the subclass
    adds the exit without touching the peer's own start-up.
    """
    from importlib import import_module

    module, class_name = PEERS[name]
    peer = getattr(import_module(module), class_name)

    class TimedPeer(peer):  # type: ignore[misc, valid-type]
        def on_mount(self) -> None:
            self.call_after_refresh(say_ready)
            self.call_after_refresh(self.exit)

    app = TimedPeer()
    app.run(headless=True, size=(120, 40))
    return 0


# --------------------------------------------------------------------------
# session: in-process timings

# Keys whose name is not the character they type.
CHARACTERS = {"space": " ", "enter": "\r", "right_square_bracket": "]", "left_square_bracket": "["}


def send_key(app: Any, key: str) -> None:
    """Deliver one key press to the app as the terminal driver would, without the
    pilot's wait-until-idle pauses (each of those sleeps 20 ms or more)."""
    from textual import events

    char = CHARACTERS.get(key, key if len(key) == 1 else None)
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

        def timed_write(data: dict[str, Any], *args: Any, **kwargs: Any) -> None:
            original(data, *args, **kwargs)
            self.moments.append(perf_counter())

        storage.write = timed_write  # only this process's instance


class Stopwatch:
    """Wall-clock and CPU time from its start: on a busy machine the CPU time is what the app itself spent."""

    def __init__(self) -> None:
        self.wall, self.cpu = perf_counter(), process_time()

    def read(self) -> tuple[float, float]:
        return perf_counter() - self.wall, process_time() - self.cpu


CPU_TIMES: dict[str, list[float]] = {}  # what each figure cost in CPU time, by figure (seconds)


async def show(app: Any, entry: Any, figure: str = "") -> float:
    """Press a main screen's key; seconds until that screen is current and drawn."""
    watch = Stopwatch()
    send_key(app, entry.key)
    if not await wait_until(lambda: type(app.screen).__name__ == entry.class_name, limit=600):
        raise RuntimeError(f"key {entry.key} did not show {entry.name}")
    await _after_refresh(app.screen)
    wall, cpu = watch.read()
    if figure:
        CPU_TIMES.setdefault(figure, []).append(cpu)
    return wall


async def measure_switching(app: Any, pilot: Any, rounds: int) -> dict[str, Any]:
    """Keys 2..9 then 1, ``rounds`` times: until the screen is current and drawn.

    The first round is each screen's first visit (the Overview's was at
    start-up, so its first switch is a revisit); later rounds are revisits
    with nothing changed in between.
    """
    from gtm_tui.app import MAIN_SCREENS

    order = [*MAIN_SCREENS[1:], MAIN_SCREENS[0]]
    per_screen: dict[str, dict[str, list[float]]] = {entry.name: {"first": [], "again": []} for entry in order}
    for round_number in range(rounds):
        for entry in order:
            is_first = round_number == 0 and entry is not MAIN_SCREENS[0]
            took = await show(app, entry, f"{entry.name} {'first' if is_first else 'again'}")
            per_screen[entry.name]["first" if is_first else "again"].append(took)
            await pilot.pause()
    first = [t for figures in per_screen.values() for t in figures["first"]]
    again = [t for figures in per_screen.values() for t in figures["again"]]
    return {
        "first_visit": summary_ms(first),
        "revisit": summary_ms(again),
        "screens": {name: {"first_ms": figures["first"][0] * 1000 if figures["first"] else None,
                           "revisit_ms": statistics.median(figures["again"]) * 1000 if figures["again"] else None}
                    for name, figures in per_screen.items()},
        "slowest_first_visit": max((n for n in per_screen if per_screen[n]["first"]),
                                   key=lambda n: per_screen[n]["first"][0]),
    }


def change_elsewhere(workspace: Any) -> None:
    """What a teammate's busy minute does: a tick, a note, a move and a RACI cell, saved one by one."""
    from gtm_tui.data import clock
    from gtm_tui.data.model import ChecklistItem, Feedback, Person, Question, ValidationError, WorkItem
    from gtm_tui.raci import matrix as raci
    from gtm_tui.raci.raci_work import toggle_tick
    from gtm_tui.work import moving

    item = workspace.all(ChecklistItem)[0]
    if item.approval:  # only the stage's A may tick it: change its note instead
        workspace.update(item, note=item.note + ".")
    else:
        toggle_tick(workspace, item, None)
    workspace.add(Feedback(question_id=workspace.all(Question)[0].id, text="A note from the bench", phase="live"))
    now = clock.now()

    def moved(piece: Any) -> bool:
        """On, with its runs, as a move on the Board or Metrics makes it; back one when an open approval
        (or the last stage) holds it. False when it can go neither way."""
        try:
            moving.move_next(workspace, piece, now, confirmed=True)
            return True
        except (moving.MoveRefused, ValidationError):
            pass
        try:
            moving.move_previous(workspace, piece, now)
            return True
        except (moving.MoveRefused, ValidationError):
            return False

    # A small pilot may have no piece left that can move after the Board's measure moved them all back.
    next((piece for piece in workspace.all(WorkItem) if piece.status != "done" and moved(piece)), None)
    matrix = raci.Matrix.of(workspace)
    raci.press_letter(workspace, "pilot", matrix.rows[0], workspace.all(Person)[0].id, "C", matrix)


async def measure_changed_revisits(app: Any, pilot: Any) -> dict[str, float]:
    """Each main screen shown again after changes made while another screen was on top (ms)."""
    from gtm_tui.app import MAIN_SCREENS

    found = {}
    for index, entry in enumerate(MAIN_SCREENS):
        await show(app, MAIN_SCREENS[index - 1])
        await pilot.pause()
        change_elsewhere(app.workspace)
        await pilot.pause()
        found[entry.name] = await show(app, entry, f"{entry.name} changed") * 1000
        await pilot.pause()
    return found


def _why_not_measurable(screen: Any) -> str | None:
    """Why the screen cannot be measured, or None when it shows rows to press keys on."""
    from textual.widgets import DataTable, Input, ListView, OptionList, Tree

    kinds = [DataTable, OptionList, ListView, Tree, Input]
    try:
        from gtm_tui.screens.widgets.line_table import LineTable  # the fast table, where this version has it

        kinds.append(LineTable)
    except ImportError:
        pass
    rows = [w for kind in kinds for w in screen.query(kind) if w.display]
    if not rows:
        return f"{screen.SCREEN_NAME} screen shows no table or list to press keys on"
    return None


def _table_in_file(path: Path, table: str) -> dict[str, Any]:
    import orjson

    return orjson.loads(path.read_bytes()).get(table, {})


@dataclass(frozen=True)
class KeyMeasure:
    """One keystroke a person makes all day: the keys that open its screen, the key(s) pressed, the table it saves."""

    name: str
    opens: tuple[str, ...]
    keys: tuple[str, ...]  # pressed in turn, one per press (a move forward, then back …)
    table: str
    typed: str = ""  # text typed (untimed) before each press, for a note
    find_row: bool = True  # move through the first rows until the key saves


KEY_MEASURES = (
    KeyMeasure("meeting_note", ("6", "m"), ("enter",), "feedback", typed="Note from the bench", find_row=False),
    KeyMeasure("raci_r", ("4",), ("r",), "raci"),
    KeyMeasure("checklist_space", ("3",), ("space",), "checklist_items"),
)


async def measure_key_to_saved(
    app: Any, pilot: Any, measure: KeyMeasure, presses: int, clock: SaveClock
) -> dict[str, Any]:
    """Press ``measure.keys`` on its screen, timing each press to the end of its save and to the screen drawn again.

    Finds a row the key works on through the screen's widgets (moving right
    past a grid's row labels and down until the key saves), then presses
    ``presses`` times. After every press the file is read back: it must hold
    a changed ``measure.table`` record, or the press does not count.
    """
    from textual.screen import ModalScreen

    for key in measure.opens:
        await pilot.press(key)
        await pilot.pause()
    main_screen = app.screen
    reason = _why_not_measurable(main_screen)
    if reason:
        return {"available": False, "reason": reason}
    if app.focused is None:
        main_screen.focus_next()
        await pilot.pause()

    path = app.path
    on_disk = _table_in_file(path, measure.table)
    count = 0

    async def press_once() -> tuple[float, float] | None:
        nonlocal on_disk, count
        if measure.typed:
            app.focused.value = f"{measure.typed} {count}"  # typing the note is not what is timed
            await pilot.pause()
        key = measure.keys[count % len(measure.keys)]
        count += 1
        before = len(clock.moments)
        watch = Stopwatch()
        start = watch.wall
        send_key(app, key)
        if not await wait_until(lambda: len(clock.moments) > before):
            if isinstance(app.screen, ModalScreen):  # the key asked something instead of saving
                await pilot.press("escape")
            return None
        saved = clock.moments[before] - start
        await _after_refresh(app.screen)
        drawn, cpu = watch.read()
        now_on_disk = _table_in_file(path, measure.table)
        changed = now_on_disk != on_disk  # a record added, changed or (a cleared RACI cell) removed
        on_disk = now_on_disk
        if changed:
            CPU_TIMES.setdefault(f"{measure.name} drawn", []).append(cpu)
        return (saved, drawn) if changed else None

    # Find a row (and, in a grid, a cell past the row labels) the key works on.
    moves = (
        (None, "right", "down", "right", "down", "down", "down", "down", "down", "down")
        if measure.find_row
        else (None,)
    )
    for move in moves:
        if move:
            await pilot.press(move)
            await pilot.pause()
        if await press_once() is not None:
            break
    else:
        return {
            "available": False,
            "reason": f"{'/'.join(measure.keys)} saved nothing on the first rows of {main_screen.SCREEN_NAME}",
        }

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
    while len(app.screen_stack) > 1:  # leave meeting mode
        app.pop_screen()
        await pilot.pause()
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
        watch = Stopwatch()
        send_key(app, "left_square_bracket")
        if not await wait_until(lambda: len(clock.moments) > before):
            return None
        took = clock.moments[before] - watch.wall
        await _after_refresh(app.screen)
        drawn, cpu = watch.read()
        if stage_in_file(card.item.id) == before_stage:
            return None
        CPU_TIMES.setdefault("board_move drawn", []).append(cpu)
        return took, drawn

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
    from gtm_tui.app import MAIN_SCREENS, GtmApp

    workspace = _opener()(path)
    clock = SaveClock(workspace)
    app = GtmApp(path, workspace, identities=_machine_that_never_asks())
    results: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        results["switch"] = await measure_switching(app, pilot, rounds)
        for measure in KEY_MEASURES:
            await show(app, MAIN_SCREENS[0])
            await pilot.pause()
            results[measure.name] = await measure_key_to_saved(app, pilot, measure, presses, clock)
        await show(app, MAIN_SCREENS[0])
        await pilot.pause()
        results["board_move"] = await measure_board_move(app, pilot, presses, clock)
        results["changed_revisit"] = await measure_changed_revisits(app, pilot)
    results["cpu_ms"] = {figure: statistics.median(times) * 1000 for figure, times in CPU_TIMES.items()}
    return results


async def export_while_keys(path: Path, fmt: str) -> dict[str, Any]:
    """Start an export as Export… does, then press the screens' keys (2..9, 1, round) until it is written.

    Each key is timed until its screen is current and drawn, first visits
    included: what a person waits for while the export's worker writes the
    file. Also how long starting it held the app's thread (the target
    checked, the snapshot taken) and how long the export took in the app.
    """
    from gtm_tui.app import MAIN_SCREENS, GtmApp
    from gtm_tui.io import exporter
    from gtm_tui.io.exporting import check_target
    from gtm_tui.screens.export_jobs import GROUP

    app = GtmApp(path, _opener()(path), identities=_machine_that_never_asks())
    out = path.with_name(f"{path.stem}-while-keys{exporter(fmt).SUFFIX}")
    order = [*MAIN_SCREENS[1:], MAIN_SCREENS[0]]
    waits: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        begin = perf_counter()
        check_target(app.workspace, fmt, out, replace=True)
        app.exports.start(app.workspace, fmt, out)
        started = perf_counter() - begin
        while any(worker.group == GROUP for worker in app.workers):
            waits.append(await show(app, order[len(waits) % len(order)]))
        await app.workers.wait_for_complete()
        took = perf_counter() - begin
        written = out.exists()
    return {"format": fmt, "start_ms": started * 1000, "export_s": took, "written": written,
            "keys": summary_ms(waits)}


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    start = sub.add_parser("start")
    start.add_argument("file", type=Path)
    start.add_argument("--visit-all", action="store_true")
    start.add_argument("--remember", help="PILOT_ID:PERSON_ID, who this machine says sits here")
    sub.add_parser("minimal")
    peer = sub.add_parser("peer")
    peer.add_argument("name", choices=sorted(PEERS))
    measure = sub.add_parser("session")
    measure.add_argument("file", type=Path)
    measure.add_argument("--presses", type=int, default=20)
    measure.add_argument("--rounds", type=int, default=3)
    exporting = sub.add_parser("export")
    exporting.add_argument("file", type=Path)
    exporting.add_argument("--format", default="xlsx")
    args = parser.parse_args(argv)
    if args.what == "start":
        remember = tuple(args.remember.split(":", 1)) if args.remember else None
        return run_gtm(args.file, args.visit_all, remember)  # type: ignore[arg-type]
    if args.what == "minimal":
        return run_minimal()
    if args.what == "peer":
        return run_peer(args.name)
    if args.what == "export":
        print(json.dumps(asyncio.run(export_while_keys(args.file, args.format))))
        return 0
    results = asyncio.run(session(args.file, args.presses, args.rounds))
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
