"""What a person typed that could not be saved into the workspace, kept in a text file beside it.

When the shared file was deleted, emptied or replaced by a newer gtm-tui
while a form was open, or its record vanished, the form keeps the text and
offers to write it here, so nothing typed is lost even if the app is closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gtm_tui.data import clock
from gtm_tui.data.storage import write_atomically


def side_file_for(workspace_path: Path | str) -> Path:
    """A new side file's name beside the workspace: ``pilot.unsaved-2026-11-18-100000.txt`` (never an existing one)."""
    path = Path(workspace_path)
    stamp = f"{clock.now():%Y-%m-%d-%H%M%S}"
    target = path.with_name(f"{path.stem}.unsaved-{stamp}.txt")
    number = 2
    while target.exists():
        target = path.with_name(f"{path.stem}.unsaved-{stamp}-{number}.txt")
        number += 1
    return target


def save_unsaved(workspace_path: Path | str, title: str, fields: Iterable[tuple[str, Any]], reason: str = "") -> Path:
    """Write ``title`` and each (label, value) to a side file beside the workspace; return its path.

    Raises ``OSError`` when the folder cannot be written.
    """
    lines = [
        title,
        f"Not saved into {Path(workspace_path).name} on {clock.now():%Y-%m-%d %H:%M}"
        + (f": {reason}" if reason else "."),
        "",
    ]
    for label, value in fields:
        text = "" if value is None else str(value)
        if "\n" in text:
            lines += [f"{label}:", *(f"    {line}" for line in text.splitlines())]
        else:
            lines.append(f"{label}: {text}")
    target = side_file_for(workspace_path)
    write_atomically(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return target
