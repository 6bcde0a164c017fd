"""Conflict copies a synced folder leaves beside the file: finding them and folding them in.

When two people save the shared file while a sync service (Dropbox,
OneDrive, Syncthing …) cannot reach the other, it keeps one version as the
file and the other as a "conflicted copy" beside it. The app and ``gtm-tui
merge --into`` fold such copies in with the rules of ``merge.py`` and move
each folded copy into the backups, so no one's work is lost and the folder is
tidy again.

A synced folder names a copy "pilot (1).json"; so would a person who made a
second pilot there with ``gtm-tui new``. Folding that one in would mix two
teams' pilots and move the other team's file away, so only copies of the same
workspace (its pilot's id, ``merge.workspace_id``) are folded in; the others
are listed as skipped and left where they are.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtm_tui.data import backups, migrations
from gtm_tui.data.storage import SaveError, WorkspaceFileError, read_file
from gtm_tui.data.workspace import Workspace, vet_records
from gtm_tui.sharing.merge import MergeResult, find_conflict_copies, merge, two_way_base, workspace_id


@dataclass
class FoldReport:
    """What ``fold_in`` did.

    Copies folded in, conflicts found, repairs, copies it could not read or of another pilot.
    """

    folded: list[str] = field(default_factory=list)
    conflicts: int = 0
    notes: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def conflict_copies(workspace: Workspace) -> list[Path]:
    """The conflict copies of the workspace's file beside it (see ``merge.find_conflict_copies``), sorted."""
    folder = workspace.path.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [folder / name for name in find_conflict_copies(workspace.path.name, names)]


def fold_in(workspace: Workspace, copies: Iterable[Path | str]) -> FoldReport:
    """Merge conflict copies into the workspace (same rules as ``gtm-tui merge``) and move each into the backups.

    There is no common ancestor, so the base comes from ``merge.two_way_base``
    over the file's backups: a copy's record with the later ``updated_at``
    wins, both sides' new records are kept, nothing is deleted. Each copy is
    merged into the newest file under its lock (``Workspace.replace_all``),
    after a "before-fold" backup. A copy that cannot be read is left where it
    is and listed in ``unreadable``; a file of another pilot is left where it
    is and listed in ``skipped``; ``SaveError`` when the file cannot be
    written (it is then as it was).
    """
    report = FoldReport()
    history = backups.history(workspace.path)
    ours = workspace.pilot().id
    for copy in map(Path, copies):
        try:
            theirs = migrations.upgrade(read_file(copy))
            vet_records(theirs, copy)
        except WorkspaceFileError as error:
            report.unreadable.append(str(error))
            continue
        if workspace_id(theirs) != ours:
            report.skipped.append(f"{copy.name} is another pilot ('{_pilot_name(theirs)}'), not a copy of this one; "
                                  "it was left as it is")
            continue
        try:
            result = _merge_into(workspace, copy.name, theirs, history)
        except SaveError as error:
            raise SaveError(f"could not fold in {copy.name}: {error}") from None
        try:
            moved = backups.backup(workspace.path, "folded-copy", payload=copy.read_bytes())
            copy.unlink()
        except OSError as error:
            raise SaveError(f"{copy.name} was folded in but could not be moved into the backups "
                            f"({error.strerror or error}); it is still beside the file") from None
        report.folded.append(copy.name)
        report.conflicts += len(result.conflicts)
        report.notes.extend(result.notes)
        report.notes.append(f"{copy.name} was moved to {moved.parent.name}/{moved.name}")
    return report


def _pilot_name(tables: dict[str, Any]) -> str:
    pilot: Any = next(iter((tables.get("pilot") or {}).values()), {})
    name = pilot.get("name") if isinstance(pilot, dict) else None
    return name if isinstance(name, str) else "?"


def _merge_into(workspace: Workspace, name: str, theirs: dict[str, Any], history: list[dict[str, Any]]) -> MergeResult:
    """Merge the copy ``name`` (its tables ``theirs``) into the newest file, after a "before-fold" backup."""
    merged: list[MergeResult] = []

    def fold(ours: dict[str, Any]) -> dict[str, Any]:
        base = two_way_base(ours, theirs, history)
        result = merge(base, ours, theirs, ours_label=workspace.path.name, theirs_label=name)
        backups.backup(workspace.path, "before-fold")
        merged.append(result)
        return result.tables

    workspace.replace_all(f"folded in {name}", fold)
    return merged[0]
