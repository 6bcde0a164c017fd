"""Export from inside the app: which formats there are, where a file goes by default, and writing it.

The CLI and the app's Export… form share this, so a format added to
``EXPORTERS`` shows up in both.
"""

from __future__ import annotations

from pathlib import Path

from gtm_tui.io import EXPORTERS, exporter
from gtm_tui.data.model import ValidationError
from gtm_tui.data.workspace import Workspace

LABELS = {
    "xlsx": "Excel workbook (.xlsx)",
    "csv": "CSV files in a folder",
    "ics": "Calendar of deadlines and check-ins (.ics)",
    "md": "Markdown report",
    "mermaid": "Mermaid flowchart",
}


def formats() -> list[tuple[str, str]]:
    """``(label, name)`` of every export format, ours first."""
    names = sorted(EXPORTERS, key=lambda name: (name not in LABELS, list(LABELS).index(name) if name in LABELS else 0, name))
    return [(LABELS.get(name, name), name) for name in names]


def default_path(workspace_path: Path, fmt: str) -> Path:
    """Next to the workspace, named after it: ``pilot.xlsx``, ``pilot.ics``, the folder ``pilot-csv``."""
    suffix = getattr(exporter(fmt), "SUFFIX", "")
    if not suffix:
        return workspace_path.with_name(f"{workspace_path.stem}-{fmt}")
    return workspace_path.with_suffix(suffix)


def chosen_path(workspace_path: Path, fmt: str, typed: str) -> Path:
    """Where to write: what was typed (relative to the workspace's folder), or the default for ``fmt``.

    A path still holding another format's default (the form was filled for
    xlsx, then the format changed) follows the format.
    """
    typed = typed.strip()
    if not typed or any(typed == str(default_path(workspace_path, other)) for other in EXPORTERS if other != fmt):
        return default_path(workspace_path, fmt)
    path = Path(typed).expanduser()
    return path if path.is_absolute() else workspace_path.parent / path


def export(workspace: Workspace, fmt: str, out: Path) -> Path:
    """Write ``fmt`` to ``out``; ``ValidationError`` on the path when it cannot be written."""
    if fmt not in EXPORTERS:
        raise ValidationError("format", f"pick one of {', '.join(EXPORTERS)}")
    if not out.parent.is_dir():
        raise ValidationError("path", f"folder {out.parent} does not exist")
    module = exporter(fmt)
    try:
        if hasattr(module, "render"):
            out.write_text(module.render(workspace), encoding="utf-8")
        else:
            module.write(workspace, out)
    except OSError as error:
        raise ValidationError("path", f"cannot write {out}: {error.strerror or error}") from None
    return out
