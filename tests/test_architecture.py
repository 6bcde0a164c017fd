"""The rules that keep the house livable, checked mechanically.

The import contracts live in pyproject.toml ([tool.importlinter]); lint-imports and
grimp see screens/ as gtm_tui.screens through the symlink gtm_tui/screens, as installed.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]

# Broken on this tree (issue 14): expected failures, each on its own, saying what breaks.
# Strict: once fixed, its test passes unexpectedly and fails, so its line here goes with the fix.
# Contracts known broken, each with the reason (a strict xfail: mending one fails the test until
# it is taken off this list). None today.
BROKEN_CONTRACTS: dict[str, str] = {}

# Imports deferred on purpose, for start-up time (measured with python -X importtime; see
# ../shared/docs/performance.md). Nothing else imports inside a function or a TYPE_CHECKING
# block: not to dodge a cycle, not to hide a layer crossed.
DEFERRED_FOR_START_UP = {
    # The app: a pushed screen or dialog is imported when it is first opened, like the main
    # screens (MainScreenEntry.load); the first frame does not wait for it.
    ("gtm_tui/app.py", "gtm_tui.screens.pushed.firstrun"): "only when the file does not exist yet",
    ("gtm_tui/app.py", "gtm_tui.screens.pushed.conflicts"): "only when there are conflicts",
    ("gtm_tui/app.py", "gtm_tui.screens.pushed.help"): "only on ?",
    ("gtm_tui/app.py", "gtm_tui.screens.dialogs.export_import"): "only from the palette (27 ms)",
    ("gtm_tui/app.py", "gtm_tui.screens.dialogs.forms"): "the question before quitting with unsaved typing",
    (
        "gtm_tui/app.py",
        "gtm_tui.screens.dialogs.whoami",
    ): "the who-am-I form: at a first open on a new machine, or on its key",
    # A main screen's pushed screen, when its key is first pressed (a main screen's first visit
    # is what the user waits for).
    ("screens/main/checklists.py", "gtm_tui.screens.pushed.standup"): "stand-up mode (18 ms)",
    ("screens/main/overview.py", "gtm_tui.screens.dialogs.pilot_setup"): "the set-up form (25 ms)",
    ("screens/main/retro.py", "gtm_tui.screens.pushed.report"): "the report (74 ms)",
    ("screens/pushed/firstrun.py", "gtm_tui.data.demo"): "the demo builder, only for 'from the demo'",
    ("gtm_tui/cli/open.py", "gtm_tui.data.demo"): "the demo builder, only for --demo (10 ms of every start)",
    # What start-up counts right after the first frame: the reminders, what waits on you, conflict
    # copies beside the file, the Overview's sections (~20 ms of imports the first frame skips).
    ("gtm_tui/app.py", "gtm_tui.checklists.reminders"): "the start-up reminders, after the first frame",
    ("gtm_tui/app.py", "gtm_tui.overview.your_turn"): "what waits on you, after the first frame",
    ("gtm_tui/app.py", "gtm_tui.sharing.copies"): "conflict copies: after the first frame, and from the palette",
    ("screens/main/overview.py", "gtm_tui.overview"): "the Overview's sections, filled after the first frame",
    ("screens/main/overview.py", "gtm_tui.overview.your_turn"): "its For you section, likewise",
    # Types only: the first screen draws no table (textual's DataTable and ours, 4 ms).
    ("screens/main/base.py", "textual.widgets"): "row_key's type (TYPE_CHECKING)",
    ("screens/main/base.py", "gtm_tui.screens.widgets.line_table"): "row_key's type (TYPE_CHECKING)",
    ("gtm_tui/data/storage.py", "filelock"): "the lock library, at the first save (7 ms of every start)",
}
# Modules loaded by name from a table, for the same reason.
IMPORT_BY_NAME = {
    # so `gtm-tui check` never loads Textual (180 ms) and `serve` alone loads textual-serve (370 ms)
    "gtm_tui/cli/main.py": "the module of the verb asked for",
    "gtm_tui/app.py": "a main screen on its first visit",
    "gtm_tui/io/__init__.py": "an exporter when used (openpyxl, icalendar)",
    "gtm_tui/io/importing.py": "an importer when used",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def in_project(*argv: str) -> subprocess.CompletedProcess[str]:
    """A tool of this venv (``python`` is this interpreter), run in the project folder."""
    tool = sys.executable if argv[0] == "python" else str(Path(sys.executable).parent / argv[0])
    return subprocess.run([tool, *argv[1:]], capture_output=True, text=True, check=False, cwd=ROOT)


# -- import contracts ----------------------------------------------------------------


def _contract_param(contract: dict) -> object:
    reason = BROKEN_CONTRACTS.get(contract["id"])
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] if reason else []
    return pytest.param(contract["id"], id=contract["id"], marks=marks)


@pytest.mark.parametrize("contract_id", [_contract_param(c) for c in CONTRACTS])
def test_import_contract_is_kept(contract_id: str):
    result = in_project("lint-imports", "--no-cache", "--no-logo", "--contract", contract_id)
    output = result.stdout + result.stderr
    if "Contracts:" not in output:  # lint-imports could not check at all: never an expected failure
        pytest.fail(f"lint-imports did not run the contract:\n{output}")
    assert result.returncode == 0, output


def test_every_package_is_placed_in_the_contracts():
    """A new subpackage must be given its place (core or front end) before it can import freely."""
    front_end = {"gtm_tui.screens"}  # screens/, seen here through the symlink gtm_tui/screens
    core = {f"gtm_tui.{p.parent.name}" for p in (ROOT / "gtm_tui").glob("*/__init__.py")} - front_end
    by_id = {contract["id"]: contract for contract in CONTRACTS}
    assert set(by_id["core-without-textual"]["source_modules"]) == core
    assert set(by_id["core-below-front-ends"]["source_modules"]) == core - {"gtm_tui.cli"}
    layered = {name.strip() for layer in by_id["layers"]["layers"] for name in layer.split(":")}
    assert layered == core | {"gtm_tui.app"} | front_end


# -- the import graph ----------------------------------------------------------------

GRAPH_SCRIPT = """
import json, grimp
graph = grimp.build_graph("gtm_tui", cache_dir=None)
cycles = {}
for module in sorted(graph.modules):
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        back = graph.find_shortest_chain(importer=imported, imported=module)
        if back:
            cycles[module] = [module, *back]
            break
print(json.dumps({"modules": sorted(graph.modules), "cycles": cycles}))
"""


@pytest.fixture(scope="module")
def import_graph() -> dict:
    result = in_project("python", "-c", GRAPH_SCRIPT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_graph_sees_the_screens_where_they_install(import_graph: dict):
    # Else every contract about gtm_tui.screens would hold for want of screens.
    assert "gtm_tui.screens.main.base" in import_graph["modules"]
    assert "gtm_tui.app" in import_graph["modules"]


def test_no_module_is_on_an_import_cycle(import_graph: dict):
    cycles = {module: " -> ".join(chain) for module, chain in import_graph["cycles"].items()}
    assert cycles == {}


# -- deferred imports -----------------------------------------------------------------


def deferred_imports(path: Path) -> list[tuple[int, str]]:
    """Imports inside a function, a class or an ``if TYPE_CHECKING:`` block: (line, module).

    An import by name (importlib.import_module, __import__) counts as deferred too: "*".
    """
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = deferred or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inside = True
            if deferred and isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif deferred and isinstance(child, ast.ImportFrom):
                found.append((child.lineno, child.module or ""))
            elif isinstance(child, ast.Call) and ast.unparse(child.func).split(".")[-1] in {
                "import_module", "__import__"}:
                found.append((child.lineno, "*"))
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _deferred_everywhere() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for path in sorted([*(ROOT / "gtm_tui").rglob("*.py"), *(ROOT / "screens").rglob("*.py")]):
        name = path.relative_to(ROOT).as_posix()
        for line, module in deferred_imports(path):
            found.setdefault((name, module), line)
    return found


def test_imports_are_deferred_only_for_start_up_time():
    unexplained = {
        f"{name}:{line} {module}"
        for (name, module), line in _deferred_everywhere().items()
        if (name, module) not in DEFERRED_FOR_START_UP and not (module == "*" and name in IMPORT_BY_NAME)
    }
    assert unexplained == set()


def test_every_start_up_exception_still_exists():
    """An allowance outlives nothing: once its import is gone (or moved), its line goes too."""
    found = _deferred_everywhere()
    assert [key for key in DEFERRED_FOR_START_UP if key not in found] == []
    assert [name for name in IMPORT_BY_NAME if (name, "*") not in found] == []


def test_screens_install_as_a_subpackage_of_gtm_tui():
    import gtm_tui.screens.main.people as people

    assert Path(people.__file__).resolve().parent == ROOT / "screens" / "main"


def test_screens_never_import_the_app():
    """The app imports the screens; screens reach its state through screens/app_state.py (even for type hints)."""
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "screens").rglob("*.py")
        if "gtm_tui.app" in imported_modules(path)
    ]
    assert offenders == []
