"""How fast gtm-tui starts, saves and switches screens, and how much memory it takes, at 200 to 50,000 records.

    python benchmarks/bench.py                      all sizes (200, 2,000, 10,000, 50,000), 5 runs each
    python benchmarks/bench.py --sizes 200,2000 --runs 3 --presses 20 --json out.json
    python benchmarks/bench.py --sizes 10000 --only startup,storage --runs 9     a subset, to iterate quickly

For every size it generates a workspace (``generate.py``, seeded) in a temp
folder, then measures, each figure the median of several runs:

* start-up of ``gtm-tui FILE`` as a whole process until the first screen is
  drawn and ready to take keys (and, apart, until the process ends: the
  Overview's figures are filled right after the first frame), against a minimal Textual app (header, label, footer)
  started the same way, alternating the two so load on the machine hits both;
  and, where they are installed, peer Textual apps (dooit, kanban-tui) the same way
  (the table says which are not installed); the same start-up once more with a
  person remembered on this machine ("For you" then has something to count);
* peak memory (ru_maxrss) of the app process that showed every main screen;
* keystroke to saved and to drawn again, for what a person does all day: a
  meeting note (Retro, m, enter), a RACI cell (RACI, r), a checklist tick
  (Checklists, space: every step ticked is a step of a run, so this is the
  run-step figure too) and a card moved a stage back on the Board (key 8,
  ``[``: its run there ends, a new one starts); until the save returned and the
  file holds the change (median, 95th percentile), and until the screen is
  drawn again;
* every main screen (keys 1..9): its first visit, a revisit with nothing
  changed, and a revisit after changes made on another screen;
* loading and saving the file alone, ours against TinyDB's stock JSONStorage
  (a save changes one record, as a keystroke does), ours and stock alternated
  save by save so load on the machine hits both;
* planning the import of a 500-card Trello board with its history into the
  workspace, and measuring a baseline from it (nothing written);
* every export format written from the file alone, and the workbook written by
  the app in its worker while the screens' keys are pressed one after another:
  how long each key waits meanwhile, and how long starting the export held the
  app's thread.

``--only`` measures some of these sections (startup, memory, storage, session,
import, export, peers); the rest of the table then shows "—" and their targets SKIP.

It prints one table, PASS/MISS per target, and writes everything as JSON
(default ``benchmarks/results/latest.json``) for comparing runs. Targets are
ratios or figures chosen so the machine's speed mostly cancels out; the
figures are still noisy on a busy machine, so none of this is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_workspace  # noqa: E402

RUNNER = HERE / "run_app.py"
DEFAULT_SIZES = (200, 2000, 10_000, 50_000)
DEFAULT_JSON = HERE / "results" / "latest.json"
DEMO_SIZE = 200
MB = 1024 * 1024


# --------------------------------------------------------------------------
# Running the app as a process


@dataclass
class ChildRun:
    seconds: float  # to the end of the process
    ready_seconds: float | None  # to its "ready" line (the first frame drawn), when it says one
    ready_cpu_seconds: float | None  # the child's own CPU time at that line
    cpu_seconds: float  # user + system time of the child: what a busy machine's load does not inflate
    peak_bytes: int
    output: str


# An installed gtm-tui runs from compiled bytecode (pip compiles it on install), as Textual itself
# does here; a PYTHONDONTWRITEBYTECODE in the environment would make every child compile our source.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_child(*args: str) -> ChildRun:
    """Run ``run_app.py args`` and return its wall-clock time, its own peak RSS and its stdout.

    ``os.wait4`` gives the rusage of that one child (``RUSAGE_CHILDREN``
    would give the largest of all children so far).
    """
    with tempfile.TemporaryFile() as err:
        start = perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(RUNNER), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
            env=CHILD_ENV,
        )
        assert process.stdout is not None
        ready, ready_cpu, lines = None, None, []
        for line in process.stdout:
            if ready is None and line.startswith(b"ready"):
                ready = perf_counter() - start
                ready_cpu = float(line.split()[1]) if len(line.split()) > 1 else None
            else:
                lines.append(line)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(
                f"run_app.py {' '.join(args)} failed ({process.returncode}):\n{err.read().decode()[-3000:]}"
            )
        # ru_maxrss is in kilobytes on Linux, bytes on macOS
        peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
        return ChildRun(seconds, ready, ready_cpu, usage.ru_utime + usage.ru_stime, peak, b"".join(lines).decode())


# --------------------------------------------------------------------------
# Measurements


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def measure_peers(runs: int) -> dict[str, Any]:
    """Start-up of each installed peer against the minimal app, alternated; None for a peer not installed."""
    sys.path.insert(0, str(HERE))
    from run_app import PEERS, peer_installed

    found: dict[str, Any] = {}
    for name in PEERS:
        if not peer_installed(name):
            found[name] = None
            continue
        try:
            peer, minimal, peaks = [], [], []
            run_child("peer", name)
            for _ in range(runs):
                small = run_child("minimal")
                minimal.append(small.ready_seconds or small.seconds)
                run = run_child("peer", name)
                peer.append(run.ready_seconds or run.seconds)
                peaks.append(run.peak_bytes)
        except RuntimeError as error:
            found[name] = {"error": str(error).splitlines()[0]}
            continue
        found[name] = {
            "ms": statistics.median(peer) * 1000,
            "ratio": statistics.median(peer) / statistics.median(minimal),
            "peak_mb": statistics.median(peaks) / MB,
        }
    return found


def first_person(path: Path) -> tuple[str, str]:
    """(pilot id, the id of the pilot's first person by name): someone to be on this machine."""
    tables = json.loads(path.read_bytes())
    people = sorted(tables["people"].values(), key=lambda person: (person["name"].casefold(), person["id"]))
    return min(tables["pilot"]), people[0]["id"]


def measure_startup(path: Path, runs: int) -> dict[str, Any]:
    """Whole-process start-up of gtm-tui FILE and of the minimal app, alternated.

    A third process opens the file as someone this machine remembers (the
    pilot's first person): what a teammate who said who they are waits for.
    """
    ours, minimal, ours_peak, minimal_peak, ours_cpu, minimal_cpu = [], [], [], [], [], []
    ours_end, minimal_end = [], []  # to the end of the process: the Overview's figures shown
    ours_ready_cpu, minimal_ready_cpu = [], []  # CPU time to the first frame
    person: list[float] = []
    remember = "{}:{}".format(*first_person(path))
    if runs > 1:  # warm the OS file cache for both, untimed (one run is only a smoke check)
        run_child("minimal")
        run_child("start", str(path))
    for _ in range(runs):
        small = run_child("minimal")
        minimal.append(small.ready_seconds or small.seconds)
        minimal_end.append(small.seconds)
        minimal_cpu.append(small.cpu_seconds)
        minimal_peak.append(small.peak_bytes)
        minimal_ready_cpu.append(small.ready_cpu_seconds or small.cpu_seconds)
        app = run_child("start", str(path))
        ours.append(app.ready_seconds or app.seconds)
        ours_end.append(app.seconds)
        ours_cpu.append(app.cpu_seconds)
        ours_peak.append(app.peak_bytes)
        ours_ready_cpu.append(app.ready_cpu_seconds or app.cpu_seconds)
        known = run_child("start", str(path), "--remember", remember)
        person.append(known.ready_seconds or known.seconds)
    ours_ms = statistics.median(ours) * 1000
    minimal_ms = statistics.median(minimal) * 1000
    return {
        "ours_ms": ours_ms,
        "minimal_ms": minimal_ms,
        "ratio": ours_ms / minimal_ms,
        "person_ms": statistics.median(person) * 1000,
        "person_ratio": statistics.median(person) * 1000 / minimal_ms,
        "cpu_ratio": statistics.median(ours_cpu) / statistics.median(minimal_cpu),
        "ready_cpu_ratio": statistics.median(ours_ready_cpu) / statistics.median(minimal_ready_cpu),
        "end_ratio": statistics.median(ours_end) / statistics.median(minimal_end),
        "ours_peak_mb": statistics.median(ours_peak) / MB,
        "minimal_peak_mb": statistics.median(minimal_peak) / MB,
    }


def measure_memory(path: Path) -> dict[str, Any]:
    """Peak RSS of the app process that started and showed every main screen."""
    visit = run_child("start", str(path), "--visit-all")
    return {"peak_mb": visit.peak_bytes / MB, "seconds": visit.seconds}


def measure_storage(path: Path, runs: int, scratch: Path) -> dict[str, Any]:
    """Load and save the file alone: gtm-tui's storage against TinyDB's stock JSONStorage (indent=2)."""
    from tinydb.storages import JSONStorage

    from gtm_tui.data.storage import WorkspaceStorage, read_file

    ours_copy = scratch / "ours.json"
    stock_copy = scratch / "stock.json"
    shutil.copy(path, ours_copy)
    shutil.copy(path, stock_copy)

    def timed(action: Callable[[], Any]) -> float:
        start = perf_counter()
        action()
        return perf_counter() - start

    ours = WorkspaceStorage(ours_copy)
    ours.read()
    edits = 0

    def changed() -> dict[str, Any]:
        """The tables after one keystroke: one checklist item ticked or unticked (a new table, as a save makes)."""
        nonlocal edits
        edits += 1
        current = dict(ours.read())
        items = dict(current["checklist_items"])
        item_id = next(iter(items))
        items[item_id] = {**items[item_id], "done": edits % 2 == 1}
        current["checklist_items"] = items
        return current

    def our_save() -> float:
        data = changed()  # told which table changed, as the Workspace tells it on every save
        return timed(lambda: ours.write(data, changed={"checklist_items"}))

    def stock_save() -> float:
        data = changed()
        storage = JSONStorage(str(stock_copy), indent=2)
        try:
            return timed(lambda: storage.write(data))
        finally:
            storage.close()

    def stock_load() -> float:
        storage = JSONStorage(str(stock_copy))
        try:
            return timed(storage.read)
        finally:
            storage.close()

    # Ours and stock alternated, load by load and save by save, so a busy moment of the
    # machine (the disk above all: a save is mostly its write and fsync) hits both alike.
    loads: list[float] = []
    stock_loads: list[float] = []
    for _ in range(runs):
        loads.append(timed(lambda: read_file(ours_copy)))
        stock_loads.append(stock_load())
    saves: list[float] = []
    stock_saves: list[float] = []
    our_save(), stock_save()  # untimed: the first save of a session takes the lock library in and dumps all
    for _ in range(max(runs, 5)):
        saves.append(our_save())
        stock_saves.append(stock_save())
    results = {
        "load_ms": statistics.median(loads) * 1000,
        "stock_load_ms": statistics.median(stock_loads) * 1000,
        "save_ms": statistics.median(saves) * 1000,
        "stock_save_ms": statistics.median(stock_saves) * 1000,
        # each pair measured side by side: the median of the pairs' ratios shrugs off a slow moment
        "save_pair_ratio": statistics.median(stock / ours for ours, stock in zip(saves, stock_saves, strict=True)),
    }
    results["load_ratio"] = results["stock_load_ms"] / results["load_ms"]
    results["save_ratio"] = results["stock_save_ms"] / results["save_ms"]
    return results


def trello_board(
    cards: int, lists: tuple[str, ...] = ("Ideas", "Writing", "Review", "Approval", "Done")
) -> dict[str, Any]:
    """A Trello board export with ``cards`` cards, each created, moved through every list, commented and checked."""
    start = int(datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp())

    def object_id(seconds: int, number: int) -> str:
        return f"{seconds:08x}{number:016x}"

    list_ids = {name: object_id(start, n) for n, name in enumerate(lists)}
    member = {"id": object_id(start, 99), "fullName": "Lea Fischer", "username": "lea"}
    board: dict[str, Any] = {"id": object_id(start, 98), "name": "Bench board", "members": [member], "checklists": [],
                             "lists": [{"id": list_ids[name], "name": name, "closed": False, "pos": n}
                                       for n, name in enumerate(lists)], "cards": [], "actions": []}
    for card in range(cards):
        created = start + card * 600
        card_id = object_id(created, 1000 + card)
        board["cards"].append({"id": card_id, "name": f"Card {card}", "idList": list_ids[lists[-1]], "closed": False,
                               "pos": card, "idMembers": [member["id"]], "labels": [{"name": "Blog", "color": "green"}],
                               "desc": "A description", "due": None, "dateLastActivity": None})
        board["checklists"].append({"id": object_id(created, 5000 + card), "idCard": card_id, "name": "Steps", "pos": 1,
                                    "checkItems": [{"id": object_id(created, 9000 + card * 3 + n), "name": f"Step {n}",
                                                    "state": "complete", "pos": n} for n in range(3)]})
        moments = [created + step * 86400 for step in range(len(lists))]
        card_ref = {"id": card_id, "name": f"Card {card}"}
        board["actions"].append(
            {
                "type": "createCard",
                "date": _iso(moments[0]),
                "data": {"card": card_ref, "list": {"id": list_ids[lists[0]]}},
            }
        )
        for before, after, moment in zip(lists, lists[1:], moments[1:], strict=False):
            board["actions"].append({"type": "updateCard", "date": _iso(moment), "data": {
                "card": card_ref, "listBefore": {"id": list_ids[before]}, "listAfter": {"id": list_ids[after]}}})
        board["actions"].append(
            {
                "type": "commentCard",
                "date": _iso(moments[1]),
                "data": {"card": card_ref, "text": "Looks good"},
                "memberCreator": member,
            }
        )
    return board


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def measure_import(path: Path, runs: int, scratch: Path, cards: int = 500) -> dict[str, Any]:
    """Planning a Trello board's import (with its history) and a baseline from it, into this workspace."""
    from gtm_tui.data.model import Stage
    from gtm_tui.data.workspace import Workspace
    from gtm_tui.io.baseline_import import plan_baseline_file
    from gtm_tui.io.importing import ReadOptions, plan_import

    board = scratch / "board.json"
    board.write_text(json.dumps(trello_board(cards)), encoding="utf-8")
    copy = scratch / "import.json"
    shutil.copy(path, copy)
    workspace = Workspace.open(copy)
    options = ReadOptions(tz="UTC")
    stages = [stage.name for stage in workspace.all(Stage)][:4]
    mapping = [
        f"{theirs}={ours}" for theirs, ours in zip(("Ideas", "Writing", "Review", "Approval"), stages, strict=False)
    ]
    baseline_options = ReadOptions(tz="UTC", mapping=mapping)

    def timed(action: Callable[[], Any]) -> float:
        begin = perf_counter()
        action()
        return perf_counter() - begin

    return {
        "cards": cards,
        "plan_ms": median_of(runs, lambda: timed(lambda: plan_import(workspace, board, "trello", options))) * 1000,
        "baseline_ms": median_of(
            runs, lambda: timed(lambda: plan_baseline_file(workspace, board, "trello", baseline_options))
        )
        * 1000,
    }


def measure_session(path: Path, runs: int, presses: int, scratch: Path) -> dict[str, Any]:
    """Screen switches and keystroke-to-saved, measured inside one app process on a copy of the file."""
    copy = scratch / "session.json"
    shutil.copy(path, copy)
    rounds = min(max(2, runs), 3)  # the first round is the first visit of each screen; later ones revisits
    child = run_child("session", str(copy), "--presses", str(presses), "--rounds", str(rounds))
    return json.loads(child.output.strip().splitlines()[-1])


EXPORT_FORMATS = ("xlsx", "csv", "ics", "handover", "html", "md")


def measure_export(path: Path, runs: int, scratch: Path) -> dict[str, Any]:
    """Each export format written from the file alone (``export`` as ``gtm-tui export`` runs it, the start of
    the process left out; the median of ``runs``), then the workbook written by the app while the screens' keys
    are pressed one after another until it is written: how long each key waits meanwhile.
    """
    from gtm_tui.data.workspace import Workspace
    from gtm_tui.io import exporter
    from gtm_tui.io.exporting import export

    workspace = Workspace.open(path)
    found: dict[str, Any] = {"formats": {}}
    for fmt in EXPORT_FORMATS:
        out = scratch / f"export{exporter(fmt).SUFFIX}"

        def once(fmt: str = fmt, out: Path = out) -> float:
            begin = perf_counter()
            export(workspace, fmt, out, replace=True)
            return perf_counter() - begin

        found["formats"][fmt] = median_of(runs, once)
    copy = scratch / "export-while-keys.json"
    shutil.copy(path, copy)
    child = run_child("export", str(copy), "--format", "xlsx")
    found["while_keys"] = json.loads(child.output.strip().splitlines()[-1])
    return found


SECTIONS = ("startup", "memory", "storage", "session", "import", "export", "peers")


def measure_size(
    size: int, runs: int, presses: int, folder: Path, seed: int, log: Callable[[str], None],
    sections: Collection[str] = SECTIONS,
) -> dict[str, Any]:
    """Every section of ``sections`` measured on a generated workspace of ``size`` records (the others left out)."""
    path = folder / f"pilot-{size}.json"
    records = write_workspace(path, size, seed)
    log(f"{size:>6} records: generated {path.stat().st_size / MB:.1f} MB")
    scratch = folder / f"scratch-{size}"
    scratch.mkdir()
    result: dict[str, Any] = {"records": records, "file_mb": path.stat().st_size / MB}
    steps: tuple[tuple[str, str, Callable[[], dict[str, Any]]], ...] = (
        ("startup", "start-up", lambda: measure_startup(path, runs)),
        ("memory", "memory", lambda: measure_memory(path)),
        ("storage", "load and save", lambda: measure_storage(path, runs, scratch)),
        ("session", "screens and keystrokes", lambda: measure_session(path, runs, presses, scratch)),
        ("import", "a Trello board's import and baseline, planned", lambda: measure_import(path, runs, scratch)),
        ("export", "exports, and keys while the workbook is written",
         lambda: measure_export(path, runs if size < 10_000 else 1, scratch)),
    )
    for section, words, measure in steps:
        if section in sections:
            log(f"{size:>6} records: {words}")
            result[section] = measure()
    return result


# --------------------------------------------------------------------------
# Targets and the table


COMPARE: dict[str, Callable[[float, float], bool]] = {
    "≤": lambda value, limit: value <= limit,
    "<": lambda value, limit: value < limit,
    "≥": lambda value, limit: value >= limit,
}


@dataclass
class Target:
    name: str
    size: int
    sign: str  # a key of COMPARE
    limit: float
    unit: str
    pick: Callable[[dict[str, Any]], float | None]

    def check(self, sizes: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """PASS or MISS, or SKIP when this size or figure was not measured in this run."""
        result = sizes.get(self.size)
        try:
            value = self.pick(result) if result is not None else None
        except KeyError:  # its section was left out (--only)
            value = None
        verdict = "SKIP" if value is None else "PASS" if COMPARE[self.sign](value, self.limit) else "MISS"
        return {
            "target": f"{self.name} at {self.size:,} records {self.sign} {self.limit:g}{self.unit}",
            "size": self.size,
            "value": value,
            "limit": self.limit,
            "verdict": verdict,
        }


KEYS = (  # (measure in run_app.py, what a person does, in the table)
    ("meeting_note", "meeting note (enter)"),
    ("raci_r", "RACI cell (r)"),
    ("checklist_space", "checklist tick, a step of a run (space)"),
    ("board_move", "card moved back on the Board ([)"),
)
SCREENS = ("Overview", "Process", "Checklists", "RACI", "Metrics", "Retro", "People", "Board", "Calendar")


def _key(measure: str, which: str = "to_saved", field: str = "median_ms") -> Callable[[dict[str, Any]], float | None]:
    def pick(result: dict[str, Any]) -> float | None:
        found = result["session"].get(measure, {})
        return found[which].get(field) if found.get("available") else None

    return pick


def _first_visit(screen: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda r: r["session"]["switch"]["screens"].get(screen, {}).get("first_ms")


def longest_wait(result: dict[str, Any]) -> float | None:
    """The longest a person waits for anything measured: a key drawn, a first visit, a changed revisit (ms)."""
    session = result["session"]
    waits = [figures.get("first_ms") for figures in session["switch"]["screens"].values()]
    waits += list(session.get("changed_revisit", {}).values())
    waits += [session[name]["to_drawn"].get("max_ms") for name, _ in KEYS if session.get(name, {}).get("available")]
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


TARGETS = (
    Target("start-up vs minimal Textual app", DEMO_SIZE, "≤", 1.3, "x", lambda r: r["startup"]["ratio"]),
    Target("start-up vs minimal Textual app", 10_000, "≤", 1.6, "x", lambda r: r["startup"]["ratio"]),
    *(Target(f"{label} → drawn, median", size, "≤", limit, " ms", _key(name, "to_drawn"))
      for size, limit in ((2000, 50), (10_000, 100)) for name, label in KEYS),
    *(Target(f"{label} → saved, median", size, "≤", limit, " ms", _key(name))
      for size, limit in ((2000, 15), (10_000, 50)) for name, label in KEYS),
    *(Target(f"first visit of {screen}", 10_000, "≤", 150, " ms", _first_visit(screen)) for screen in SCREENS[1:]),
    Target("save vs stock JSONStorage (times faster)", 10_000, "≥", 10, "x", lambda r: r["storage"]["save_ratio"]),
    Target("peak memory (all screens shown)", DEMO_SIZE, "≤", 60, " MiB", lambda r: r["memory"]["peak_mb"]),
    Target("peak memory (all screens shown)", 10_000, "≤", 150, " MiB", lambda r: r["memory"]["peak_mb"]),
    Target("longest wait for anything measured", 50_000, "≤", 1000, " ms", longest_wait),
    Target("longest key → drawn while the workbook is written", 50_000, "≤", 1000, " ms",
           lambda r: r["export"]["while_keys"]["keys"].get("max_ms")),
)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _cpu(result: dict[str, Any], figure: str) -> str:
    """" (cpu 12.3)": the CPU time the app spent on a figure, shown beside its wall-clock time."""
    cpu = result["session"].get("cpu_ms", {}).get(figure)
    return "" if cpu is None else f" (cpu {_ms(cpu)})"


def _key_cell(result: dict[str, Any], measure: str, which: str) -> str:
    found = result["session"].get(measure, {})
    if not found.get("available"):
        return "n/a"
    figures = found[which]
    cpu = _cpu(result, f"{measure} drawn") if which == "to_drawn" else ""
    return f"{_ms(figures.get('median_ms'))} / {_ms(figures.get('p95_ms'))}{cpu}"


def _screen_cell(result: dict[str, Any], screen: str) -> str:
    switch = result["session"]["switch"]["screens"].get(screen, {})
    changed = result["session"].get("changed_revisit", {}).get(screen)
    first = _ms(switch.get("first_ms")) + _cpu(result, f"{screen} first")
    return f"{first} / {_ms(switch.get('revisit_ms'))} / {_ms(changed)}{_cpu(result, f'{screen} changed')}"


def _keys_while_exporting(result: dict[str, Any]) -> str:
    keys = result["export"]["while_keys"]["keys"]
    if not keys.get("n"):
        return "— (written before a key)"
    return f"{_ms(keys['median_ms'])} / {_ms(keys['p95_ms'])} / {_ms(keys['max_ms'])} ({keys['n']})"


def _peers(result: dict[str, Any]) -> str:
    peers = result.get("peers") or {}
    shown = []
    for name, figures in peers.items():
        if figures is None:
            shown.append(f"{name} not installed")
        elif "error" in figures:
            shown.append(f"{name} did not start")
        else:
            shown.append(f"{name} {figures['ratio']:.2f}x")
    return "; ".join(shown) or "—"


ROWS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("records", lambda r: f"{r['records']:,}"),
    ("file size (MB)", lambda r: f"{r['file_mb']:.1f}"),
    ("start-up gtm-tui (ms)", lambda r: _ms(r["startup"]["ours_ms"])),
    ("start-up minimal Textual app (ms)", lambda r: _ms(r["startup"]["minimal_ms"])),
    ("start-up ratio", lambda r: f"{r['startup']['ratio']:.2f}x"),
    ("… with a person remembered on this machine (ratio)", lambda r: f"{r['startup']['person_ratio']:.2f}x"),
    ("… to the Overview's figures shown, process end (ratio)", lambda r: f"{r['startup']['end_ratio']:.2f}x"),
    ("… in CPU time to the first frame (ratio)", lambda r: f"{r['startup']['ready_cpu_ratio']:.2f}x"),
    ("… in CPU time, whole process (ratio)", lambda r: f"{r['startup']['cpu_ratio']:.2f}x"),
    ("peers, start-up ratio", _peers),
    ("peak memory, start-up (MiB)", lambda r: f"{r['startup']['ours_peak_mb']:.0f}"),
    ("peak memory, all main screens shown (MiB)", lambda r: f"{r['memory']['peak_mb']:.0f}"),
    *(
        (f"{label} → saved, median / p95 (ms)", lambda r, name=name: _key_cell(r, name, "to_saved"))
        for name, label in KEYS
    ),
    *(
        (f"{label} → drawn, median / p95 (ms, cpu median)", lambda r, name=name: _key_cell(r, name, "to_drawn"))
        for name, label in KEYS
    ),
    *(
        (f"{screen}: first / again / after a change (ms, cpu)", lambda r, screen=screen: _screen_cell(r, screen))
        for screen in SCREENS
    ),
    ("slowest first visit", lambda r: r["session"]["switch"]["slowest_first_visit"]),
    ("longest wait measured (ms)", lambda r: _ms(longest_wait(r))),
    (
        "load file: ours / stock JSONStorage (ms)",
        lambda r: f"{_ms(r['storage']['load_ms'])} / {_ms(r['storage']['stock_load_ms'])}",
    ),
    ("load ratio (stock ÷ ours)", lambda r: f"{r['storage']['load_ratio']:.1f}x"),
    (
        "save file: ours / stock JSONStorage (ms)",
        lambda r: f"{_ms(r['storage']['save_ms'])} / {_ms(r['storage']['stock_save_ms'])}",
    ),
    ("save ratio (stock ÷ ours)", lambda r: f"{r['storage']['save_ratio']:.1f}x"),
    ("… median of the side-by-side pairs' ratios", lambda r: f"{r['storage']['save_pair_ratio']:.1f}x"),
    *(
        (f"export {fmt}, written (s)", lambda r, fmt=fmt: f"{r['export']['formats'][fmt]:.2f}")
        for fmt in EXPORT_FORMATS
    ),
    ("workbook written by the app: started in (ms, the app's thread) / written in (s)",
     lambda r: f"{_ms(r['export']['while_keys']['start_ms'])} / {r['export']['while_keys']['export_s']:.1f}"),
    ("… meanwhile key → screen drawn, median / p95 / max (ms, keys)", lambda r: _keys_while_exporting(r)),
    ("Trello board, 500 cards with history: import planned (ms)", lambda r: _ms(r["import"]["plan_ms"])),
    ("… the same board as the baseline, planned (ms)", lambda r: _ms(r["import"]["baseline_ms"])),
)


def table(sizes: dict[int, dict[str, Any]]) -> list[str]:
    """The results as a Markdown table: one row a figure, one column a size."""
    header = ["", *(f"{size:,}" for size in sizes)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, cell in ROWS:
        lines.append("| " + " | ".join([label, *(_cell(cell, result) for result in sizes.values())]) + " |")
    return lines


def _cell(cell: Callable[[dict[str, Any]], str], result: dict[str, Any]) -> str:
    """A row's figure, or "—" when its section was left out (--only)."""
    try:
        return cell(result)
    except KeyError:
        return "—"


def notes(sizes: dict[int, dict[str, Any]]) -> list[str]:
    """Why a keystroke figure is missing, once per reason."""
    reasons = [
        "a checklist tick is a tick on a step of a run (every step ticked belongs to a run), "
        "so that row is the run-step figure too"
    ]
    for result in sizes.values():
        for measure, _ in KEYS:
            found = result.get("session", {}).get(measure, {})
            if (
                not found.get("available")
                and found.get("reason")
                and f"not available: {found['reason']}" not in reasons
            ):
                reasons.append(f"not available: {found['reason']}")
            if found.get("presses_without_save"):
                reasons.append(f"{measure}: {found['presses_without_save']} presses saved nothing (left out)")
        missing = [name for name, figures in (result.get("peers") or {}).items() if figures is None]
        if missing:
            reasons.append(f"peers not installed here, so no peer figures: {', '.join(missing)} "
                           "(install them in this environment to get a peer row)")
    return reasons


def markdown(lines: list[str]) -> str:
    """The printed report as a Markdown page (benchmarks/RESULTS.md)."""
    head, rest = lines[:2], lines[2:]
    return "\n".join(["# gtm-tui benchmark results", "", "Made with `python benchmarks/bench.py`; "
                      "see the README's Performance section for what the figures mean.", "",
                      *(f"{line}  " for line in head), *rest]) + "\n"


def machine() -> dict[str, Any]:
    import textual

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    commit = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return {
        "commit": commit.stdout.strip() or None,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in load] if load else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark gtm-tui: start-up, keystroke to saved, screens, storage, memory."
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated record counts")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is reported)")
    parser.add_argument("--presses", type=int, default=20, help="key presses per keystroke figure")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated workspaces")
    parser.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        help=f"where to write the results (default {DEFAULT_JSON.relative_to(HERE.parent)})",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write the table as Markdown here (e.g. benchmarks/RESULTS.md)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated workspaces (the folder is printed)")
    parser.add_argument(
        "--only", default=",".join(SECTIONS),
        help=f"comma-separated sections to measure, of {', '.join(SECTIONS)} (default: all)",
    )
    args = parser.parse_args(argv)
    sections = [part.strip() for part in args.only.split(",") if part.strip()]
    if not sections or set(sections) - set(SECTIONS):
        parser.error(f"--only takes sections of {', '.join(SECTIONS)}, not {args.only!r}")
    try:
        sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 50 or args.runs < 1 or args.presses < 1:
        parser.error("sizes must be 50 records or more; --runs and --presses at least 1")

    def log(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    started = datetime.now(UTC)
    before = machine()
    folder = Path(tempfile.mkdtemp(prefix="gtm-tui-bench-"))
    results: dict[int, dict[str, Any]] = {}
    try:
        for size in sizes:
            results[size] = measure_size(size, args.runs, args.presses, folder, args.seed, log, sections)
            if size == sizes[0] and "peers" in sections:  # peers do not read our file: one row, beside the first size
                log("peers: start-up of the installed ones")
                results[size]["peers"] = measure_peers(args.runs)
    finally:
        if args.keep:
            log(f"workspaces kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    checks = [target.check(results) for target in TARGETS]
    after = machine()
    lines = [f"gtm-tui benchmark — {started:%Y-%m-%d %H:%M} UTC, commit {before['commit']}, "
             f"{args.runs} runs, {args.presses} presses, seed {args.seed}"
             + ("" if len(sections) == len(SECTIONS) else f", only {', '.join(sections)}"),
             f"Python {before['python']}, Textual {before['textual']}, {before['cpus']} CPUs, "
             f"load average {before['load_average']} before, {after['load_average']} after", ""]
    lines += table(results)
    lines += ["", *(f"- {note}" for note in notes(results))]
    lines += ["", "Targets:"]
    for check in checks:
        value = "—" if check["value"] is None else f"{check['value']:.2f}"
        lines.append(f"- {check['verdict']:4}  {check['target']}: {value}")
    print("\n".join(lines))

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "started_at": started.isoformat(timespec="seconds"),
        "settings": {"sizes": sizes, "runs": args.runs, "presses": args.presses, "seed": args.seed,
                     "sections": sections},
        "machine": {**before, "load_average_after": after["load_average"]},
        "sizes": {str(size): result for size, result in results.items()},
        "targets": checks,
        "table": lines,
    }, indent=2) + "\n")
    if args.markdown:
        args.markdown.write_text(markdown(lines))
    print(f"\nWritten to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
