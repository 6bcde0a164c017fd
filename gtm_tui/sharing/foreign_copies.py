"""Files beside a workspace that look like its conflict copies but belong to another pilot.

A synced folder names a conflict copy "pilot (1).json"; so would a person
who made a second pilot there with ``gtm-tui new``. Folding that one in would
mix two teams' pilots and move the other team's file away, so a copy is
folded in only when it is of the same workspace (its pilot's id, see
``merge.workspace_id``); the others are listed as skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from gtm_tui.data.storage import WorkspaceFileError, read_file
from gtm_tui.sharing.merge import workspace_id


def split_copies(ours: dict[str, Any], copies: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The copies of the same pilot as ``ours`` (the open file's tables), and a sentence for each other one.

    A copy that cannot be read stays with the first list: folding it in reports why.
    """
    mine = workspace_id(ours)
    same: list[Path] = []
    skipped: list[str] = []
    for copy in copies:
        try:
            theirs = read_file(copy)
        except WorkspaceFileError:
            same.append(copy)
            continue
        if workspace_id(theirs) == mine:
            same.append(copy)
            continue
        pilot = next(iter((theirs.get("pilot") or {}).values()), {})
        name = pilot.get("name") if isinstance(pilot, dict) and isinstance(pilot.get("name"), str) else "?"
        skipped.append(f"{copy.name} is another pilot ('{name}'), not a copy of this one; it was left as it is")
    return same, skipped
