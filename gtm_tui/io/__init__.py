"""Exporters and importers, one module a format (adding a format is adding a file and a line here).

An exporter module defines ``SUFFIX``, what follows the workspace's stem in
the default file name (".xlsx", "-report.md", "-csv" for a folder), and either
``render(workspace, **options) -> str`` for a text format (the CLI prints it
or writes it to ``-o``) or ``write(workspace, out: Path, **options) -> None``
for a binary file or a folder. ``exporting.export`` writes either kind.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# format name -> module that exports it
EXPORTERS: dict[str, str] = {
    "xlsx": "gtm_tui.io.xlsx",
    "csv": "gtm_tui.io.csv_folder",
    "ics": "gtm_tui.io.ics",
    "raci-csv": "gtm_tui.io.raci_csv",
    "md": "gtm_tui.io.markdown",
    "mermaid": "gtm_tui.io.mermaid",
    "html": "gtm_tui.io.html",
    "handover": "gtm_tui.io.handover",
}


def exporter(name: str) -> ModuleType:
    """The module that exports ``name``; KeyError when there is none."""
    return importlib.import_module(EXPORTERS[name])
