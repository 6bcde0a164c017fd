"""The rules that keep the house livable, checked mechanically."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_imports_no_textual():
    offenders = []
    for path in (ROOT / "gtm_tui").rglob("*.py"):
        if path.relative_to(ROOT).as_posix() == "gtm_tui/app.py":
            continue
        if any(name == "textual" or name.startswith("textual.") for name in imported_modules(path)):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


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
