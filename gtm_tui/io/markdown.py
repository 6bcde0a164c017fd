"""Markdown export: the short report for leadership (``gtm-tui export FILE --format md -o report.md``).

It is also how the Report screen saves (``s``): ``exporting.export(workspace,
"md", …)``, by default to ``<workspace stem>-report.md`` beside the file.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data.workspace import Workspace
from gtm_tui.review.report import build_report

SUFFIX = "-report.md"  # pilot.json's report is pilot-report.md, whoever saves it


def render(workspace: Workspace, **options: Any) -> str:
    """The report as Markdown text."""
    return build_report(workspace)
