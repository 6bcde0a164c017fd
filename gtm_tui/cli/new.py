"""``gtm-tui new FILE [--name N] [--from-demo]``: create a workspace file, never over an existing one."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from gtm_tui.cli.errors import OK, fail
from gtm_tui.data import clock
from gtm_tui.data.demo import write_demo
from gtm_tui.data.model import Pilot, ValidationError
from gtm_tui.data.storage import SaveError, WorkspaceFileError
from gtm_tui.data.workspace import Workspace


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="gtm-tui new", description="Create a new workspace file.")
    parser.add_argument("file", help="the file to create (it must not exist)")
    parser.add_argument("--name", default="", help="the pilot's name (default: from the file name)")
    parser.add_argument("--from-demo", action="store_true", help="start from a copy of the demo pilot")
    args = parser.parse_args(argv)
    path = Path(args.file)
    if path.exists():
        return fail(f"{path} already exists; it was left untouched")
    try:
        if args.from_demo:
            if not path.parent.is_dir():
                return fail(f"folder {path.parent} does not exist")
            write_demo(path, clock.today())
        else:
            name = args.name.strip() or path.stem.replace("-", " ").replace("_", " ").strip() or "New pilot"
            Workspace.create(path, Pilot(name=name))
    except (WorkspaceFileError, ValidationError, SaveError) as error:
        return fail(str(error))
    print(f"Created {path}")
    return OK
