"""Copies of a workspace kept beside it, so a bad migration, merge or day can be undone by hand.

A copy goes into ``<stem>-backups/`` next to the file (``pilot.json`` ->
``pilot-backups/``) before any schema migration, at the first save of each
day, and when a conflict copy is folded in (the copy itself is moved there).
A content already backed up is not copied again (a file refused at every
open must not push the good backups out). Only the newest ``KEEP`` are kept. Names sort by time:
``pilot.2026-11-18.100000.daily.json``.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from gtm_tui.data import clock
from gtm_tui.data.storage import WorkspaceFileError, read_file, remove_stale_temp_files, write_atomically

KEEP = 10


def folder_for(path: Path | str) -> Path:
    """The backups folder of a workspace file."""
    path = Path(path)
    return path.with_name(f"{path.stem}-backups")


def list_backups(path: Path | str) -> list[Path]:
    """The backups of ``path``, oldest first."""
    path = Path(path)
    folder = folder_for(path)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    prefix, suffix = f"{path.stem}.", path.suffix
    return [
        folder / name
        for name in sorted(names)
        if name.startswith(prefix) and name.endswith(suffix) and not name.startswith(".")
    ]


def _target(path: Path, reason: str) -> Path:
    folder = folder_for(path)
    stamp = f"{clock.today().isoformat()}.{clock.now():%H%M%S}"
    target = folder / f"{path.stem}.{stamp}.{reason}{path.suffix}"
    number = 2
    while target.exists():
        target = folder / f"{path.stem}.{stamp}-{number}.{reason}{path.suffix}"
        number += 1
    return target


def backup(path: Path | str, reason: str, *, payload: bytes | None = None) -> Path:
    """Copy the file (or ``payload``) into the backups folder as it is now; prune to the newest ``KEEP``.

    When a backup with exactly this content exists, that one is returned and
    nothing is written. Raises ``OSError`` when the copy cannot be written.
    """
    path = Path(path)
    content = path.read_bytes() if payload is None else payload
    existing = _same_content(path, content)
    if existing is not None:
        return existing
    folder = folder_for(path)
    folder.mkdir(exist_ok=True)
    target = _target(path, reason)
    write_atomically(target, content)
    prune(path)
    return target


def _same_content(path: Path, content: bytes) -> Path | None:
    """The backup of ``path`` holding exactly ``content``, if there is one (sizes are compared first)."""
    for candidate in reversed(list_backups(path)):
        try:
            if candidate.stat().st_size == len(content) and candidate.read_bytes() == content:
                return candidate
        except OSError:
            continue
    return None


def prune(path: Path | str, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    old = list_backups(path)[:-keep] if keep else list_backups(path)
    for backup_path in old:
        with contextlib.suppress(OSError):
            backup_path.unlink()
    return old


def has_backup_today(path: Path | str) -> bool:
    """True when a backup of ``path`` was made today (any reason)."""
    marker = f"{Path(path).stem}.{clock.today().isoformat()}."
    return any(candidate.name.startswith(marker) for candidate in list_backups(path))


def daily_backup(path: Path | str) -> Path | None:
    """At the first save of a day, copy the file as it was before that save. None when one exists already."""
    path = Path(path)
    if not path.exists() or has_backup_today(path):
        return None
    return backup(path, "daily")


def history(path: Path | str) -> list[dict]:
    """Every readable backup of ``path``, parsed, oldest first (unreadable ones are skipped)."""
    found = []
    for backup_path in list_backups(path):
        with contextlib.suppress(WorkspaceFileError):
            found.append(read_file(backup_path))
    return found


def cleanup_temp_files(path: Path | str) -> list[Path]:
    """Remove the temp files a killed backup left in the backups folder (see ``storage.cleanup_temp_files``)."""
    path = Path(path)
    return remove_stale_temp_files(folder_for(path), f".{path.stem}.")
