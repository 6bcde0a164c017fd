"""Writing an export: which formats there are, where a file goes by default, and writing it.

The one path for every export: ``gtm-tui export``, the app's Export… form and
the Report screen's save all come here, so a format added to ``EXPORTERS``
shows up everywhere and a text export (the report too) is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gtm_tui.io import EXPORTERS, exporter
from gtm_tui.data.model import ValidationError
from gtm_tui.data.storage import write_atomically
from gtm_tui.data.workspace import Workspace

LABELS = {
    "xlsx": "Excel workbook (.xlsx)",
    "csv": "CSV files in a folder",
    "ics": "Calendar of deadlines and check-ins (.ics)",
    "md": "Markdown report",
    "html": "Report as one HTML page (prints to PDF)",
    "mermaid": "Mermaid flowchart",
    "handover": "Handover pack (a folder to read without the app)",
}


def formats() -> list[tuple[str, str]]:
    """``(label, name)`` of every export format, ours first."""
    names = sorted(EXPORTERS, key=lambda name: (name not in LABELS, list(LABELS).index(name) if name in LABELS else 0, name))
    return [(LABELS.get(name, name), name) for name in names]


def default_path(workspace_path: Path, fmt: str) -> Path:
    """Next to the workspace, named after it: ``pilot.xlsx``, ``pilot-report.md``, the folder ``pilot-csv``."""
    return workspace_path.with_name(workspace_path.stem + exporter(fmt).SUFFIX)


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


def as_text(workspace: Workspace, fmt: str, **options: Any) -> str | None:
    """A text format's export (what ``gtm-tui export`` prints without ``-o``); None for a workbook or a folder."""
    render = getattr(exporter(fmt), "render", None)
    if render is None:
        return None
    text: str = render(workspace, **options)
    return text


def export(workspace: Workspace, fmt: str, out: Path, **options: Any) -> Path:
    """Write ``fmt`` to ``out``; ``ValidationError`` on the path when it cannot be written.

    ``options`` go to the exporter (``lanes`` for mermaid, ``layer`` for
    raci-csv; the others ignore them). A text file replaces ``out`` atomically.
    """
    if fmt not in EXPORTERS:
        raise ValidationError("format", f"pick one of {', '.join(EXPORTERS)}")
    if not out.parent.is_dir():
        raise ValidationError("path", f"folder {out.parent} does not exist")
    try:
        text = as_text(workspace, fmt, **options)
        if text is None:
            exporter(fmt).write(workspace, out, **options)
        else:
            write_atomically(out, text.encode("utf-8"))
    except OSError as error:
        raise ValidationError("path", f"cannot write {out}: {error.strerror or error}") from None
    return out
