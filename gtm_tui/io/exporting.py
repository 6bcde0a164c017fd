"""Writing an export: which formats there are, where a file goes by default, what may be written over, and writing it.

The one path for every export: ``gtm-tui export``, the app's Export… form and
the Report screen's save all come here, so a format added to ``EXPORTERS``
shows up everywhere, a text export (the report too) is written atomically, and
the rules on where an export may go hold for all of them:

* never over the workspace itself, its lock or temp files, or its backups
  (an export named ``pilot.json`` would turn the team's file into a report);
* never over an existing file unless the caller says so (``replace``): the CLI
  wants ``--force``, the app asks first (``WouldReplace`` carries the question);
* in a browser session of ``gtm-tui serve`` only under the folder the server's
  owner chose (``under``), so a teammate in a browser cannot write anywhere
  else on the server's disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gtm_tui.data.backups import folder_for
from gtm_tui.data.model import ValidationError
from gtm_tui.data.storage import write_atomically
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import EXPORTERS, exporter
from gtm_tui.io.stopping import stop_point, stopping
from gtm_tui.sharing.sessions import SESSION_FOLDER_VARIABLE

LABELS = {
    "xlsx": "Excel workbook (.xlsx)",
    "csv": "CSV files in a folder",
    "ics": "Calendar of deadlines and check-ins (.ics)",
    "md": "Markdown report",
    "html": "Report as one HTML page (prints to PDF)",
    "mermaid": "Mermaid flowchart",
    "handover": "Handover pack (a folder to read without the app)",
}


def session_folder(workspace_path: Path, *, in_browser: bool) -> Path | None:
    """The folder a browser session's exports are kept under (None in a terminal, where the user owns the disk).

    The server's owner chooses it (``gtm-tui serve --exports DIR``); by default
    it is the workspace's own folder.
    """
    chosen = os.environ.get(SESSION_FOLDER_VARIABLE)
    if chosen:
        return Path(chosen)
    return workspace_path.resolve().parent if in_browser else None


class WouldReplace(Exception):
    """The export would replace existing files: ask (or pass ``--force``) before writing over them."""

    def __init__(self, existing: list[Path]) -> None:
        self.existing = existing
        names = ", ".join(str(path) for path in existing[:3])
        if len(existing) > 3:
            names += f" and {len(existing) - 3} more"
        super().__init__(f"{names} already exist{'s' if len(existing) == 1 else ''}")


def formats() -> list[tuple[str, str]]:
    """``(label, name)`` of every export format, ours first."""
    names = sorted(
        EXPORTERS, key=lambda name: (name not in LABELS, list(LABELS).index(name) if name in LABELS else 0, name)
    )
    return [(LABELS.get(name, name), name) for name in names]


def default_path(workspace_path: Path, fmt: str) -> Path:
    """Next to the workspace, named after it: ``pilot.xlsx``, ``pilot-report.md``, the folder ``pilot-csv``."""
    return workspace_path.with_name(workspace_path.stem + exporter(fmt).SUFFIX)


def chosen_path(workspace_path: Path, fmt: str, typed: str, *, folder: Path | None = None) -> Path:
    """Where to write: what was typed (relative to ``folder``, by default the workspace's), or the default for ``fmt``.

    A path still holding another format's default (the form was filled for
    xlsx, then the format changed) follows the format.
    """
    folder = folder or workspace_path.parent
    default = folder / default_path(workspace_path, fmt).name
    typed = typed.strip()
    others = [default_path(workspace_path, other) for other in EXPORTERS if other != fmt]
    if not typed or any(typed in (str(other), str(folder / other.name)) for other in others):
        return default
    path = Path(typed).expanduser()
    return path if path.is_absolute() else folder / path


def path_for_format(workspace_path: Path, typed: str, old: str | None, new: str, *,
                    folder: Path | None = None) -> str:
    """The Export… form's path once the format changes from ``old`` to ``new``: the ending follows the format.

    Empty, or ``old``'s default: ``new``'s default (``pilot.xlsx`` → ``pilot.ics``).
    A name of the user's own keeps its name and takes the new ending when it
    ended the way ``old`` names its files (``q3.xlsx`` → ``q3.mmd``,
    ``q3-report.md`` → ``q3-report.html``); any other name is left as typed.
    """
    folder = folder or workspace_path.parent
    default = str(folder / default_path(workspace_path, new).name)
    text = typed.strip()
    if not text or old is None or old not in EXPORTERS:
        return default
    old_default = default_path(workspace_path, old)
    if text in (str(old_default), str(folder / old_default.name)):
        return default
    old_suffix, new_suffix = exporter(old).SUFFIX, exporter(new).SUFFIX
    if text.endswith(old_suffix) and len(text) > len(old_suffix):
        return text[: -len(old_suffix)] + new_suffix
    old_ending, new_ending = Path("x" + old_suffix).suffix, Path("x" + new_suffix).suffix
    if old_ending and text.endswith(old_ending) and len(text) > len(old_ending):
        return text[: -len(old_ending)] + (new_ending or new_suffix)
    return typed


def as_text(workspace: Workspace, fmt: str, **options: Any) -> str | None:
    """A text format's export (what ``gtm-tui export`` prints without ``-o``); None for a workbook or a folder."""
    render = getattr(exporter(fmt), "render", None)
    if render is None:
        return None
    text: str = render(workspace, **options)
    return text


def is_folder(fmt: str) -> bool:
    """Whether ``fmt`` writes a folder of files (its module names them with ``files``) rather than one file."""
    return hasattr(exporter(fmt), "files")


def targets(workspace: Workspace, fmt: str, out: Path) -> list[Path]:
    """The files an export of ``fmt`` to ``out`` writes: ``out`` itself, or those a folder format names."""
    return list(exporter(fmt).files(workspace, out)) if is_folder(fmt) else [out]


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return first.resolve() == second.resolve()


def protected_reason(workspace_path: Path, path: Path) -> str | None:
    """Why ``path`` must never be written by an export of this workspace (None when it may be)."""
    workspace_path = workspace_path.resolve()
    target = path.resolve()
    if _same_file(target, workspace_path):
        return f"{path} is the workspace itself"
    if target.parent == workspace_path.parent and (
        target.name == f"{workspace_path.name}.lock"
        or (target.name.startswith(f".{workspace_path.name}.") and target.name.endswith(".tmp"))
    ):
        return f"{path} is the workspace's lock or a save in progress"
    backups = folder_for(workspace_path)
    if target == backups or backups in target.parents:
        return f"{path} is in the workspace's backups ({backups.name}/)"
    return None


def check_target(
    workspace: Workspace, fmt: str, out: Path, *, replace: bool = False, under: Path | None = None
) -> list[Path]:
    """The files the export would write, after every rule above; raises ``ValidationError`` or ``WouldReplace``."""
    if under is not None:
        folder = under.resolve()
        if out.resolve() != folder and folder not in out.resolve().parents:
            raise ValidationError("path", f"in a shared session exports go under {folder}; give a name inside it")
    if out.is_dir() and not is_folder(fmt):
        raise ValidationError("path", f"{out} is a folder; give a file name")
    if out.exists() and not out.is_dir() and is_folder(fmt):
        raise ValidationError("path", f"{out} is a file; this export is a folder")
    if not out.parent.is_dir():
        raise ValidationError("path", f"folder {out.parent} does not exist")
    files = targets(workspace, fmt, out)
    for path in [out, *files]:
        reason = protected_reason(workspace.path, path)
        if reason:
            raise ValidationError("path", f"{reason}; an export never writes over it — give another name")
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing and not replace:
        raise WouldReplace(existing)
    return files


def export(
    workspace: Workspace, fmt: str, out: Path, *, replace: bool = False, under: Path | None = None, **options: Any
) -> Path:
    """Write ``fmt`` to ``out``; refusals as ``ValidationError`` (on the path) or ``WouldReplace``.

    ``options`` go to the exporter (``lanes`` for mermaid, ``layer`` for
    raci-csv; the others ignore them). A text file or the workbook replaces
    ``out`` atomically.
    """
    if fmt not in EXPORTERS:
        raise ValidationError("format", f"pick one of {', '.join(EXPORTERS)}")
    check_target(workspace, fmt, out, replace=replace, under=under)
    return write_export(workspace, fmt, out, **options)


def write_export(
    workspace: Workspace, fmt: str, out: Path, *, stop: Callable[[], bool] | None = None, **options: Any
) -> Path:
    """Write ``fmt`` to ``out`` once ``check_target`` allowed it: the part that takes seconds on a big pilot.

    The app runs it on a worker thread over a ``Workspace.snapshot``. Once
    ``stop()`` is true (the app quits) it raises ``ExportStopped`` before any
    file is replaced (see ``stopping``); a failure to write is a ``ValidationError``.
    """
    try:
        with stopping(stop):
            text = as_text(workspace, fmt, **options)
            if text is None:
                exporter(fmt).write(workspace, out, **options)
            else:
                write_atomically(out, text.encode("utf-8"), before_replace=stop_point)
    except OSError as error:
        raise ValidationError("path", f"cannot write {out}: {error.strerror or error}") from None
    return out
