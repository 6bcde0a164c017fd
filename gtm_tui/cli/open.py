"""``gtm-tui [FILE]`` and ``gtm-tui --demo``: open a workspace in the app.

A file that cannot be a workspace is refused here, before the app starts,
with one line and exit 2; a missing file starts the app on its first-run
screen, which offers to create it.
"""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

from gtm_tui.app import GtmApp
from gtm_tui.cli.errors import OK, fail
from gtm_tui.data import clock
from gtm_tui.data.storage import WorkspaceFileError, collector_paused
from gtm_tui.data.workspace import Workspace


def run_app(path: Path, workspace: Workspace | None) -> int:
    """Run the app on ``path`` (``workspace`` None: the first-run screen creates it)."""
    GtmApp(path, workspace).run()
    return OK


def open_workspace(path: Path) -> Workspace:
    """Open ``path`` for the app (``WorkspaceFileError`` when it cannot be used).

    The file's tables live as long as the app: made with the garbage collector
    held off and then moved out of its reach (``gc.freeze``, as each screen
    does with what it builds on its first visit), the first frame does not pay
    for the collector walking a big pilot's hundreds of thousands of objects
    (17 ms at 10,000 records).
    """
    with collector_paused():
        workspace = Workspace.open(path)
        gc.freeze()
    return workspace


def open_file(path: Path) -> int:
    """Open ``path``, or offer to create it when it does not exist yet."""
    if path.is_dir():
        return fail(f"{path} is a folder; give the workspace file inside it")
    if not path.exists():
        if not path.parent.is_dir():
            return fail(f"folder {path.parent} does not exist")
        return run_app(path, None)
    try:
        workspace = open_workspace(path)
    except WorkspaceFileError as error:
        return fail(str(error))
    return run_app(path, workspace)


def open_demo() -> int:
    """Open a fresh copy of the demo pilot dated around today, and say where it stays afterwards."""
    # Imported for --demo only: the demo pilot's module is ~10 ms of every `gtm-tui FILE` start otherwise.
    from gtm_tui.data.demo import write_demo

    path = Path(tempfile.mkdtemp(prefix="gtm-tui-demo-")) / "demo-pilot.json"
    write_demo(path, clock.today())
    code = run_app(path, Workspace.open(path))
    print(f"The demo pilot you worked on is at {path}", file=sys.stderr)
    return code
