"""Markdown export: the short report for leadership (``gtm-tui export FILE --format md -o report.md``)."""

from __future__ import annotations

from typing import Any

from gtm_tui.review.report import build_report
from gtm_tui.data.workspace import Workspace

SUFFIX = ".md"


def render(workspace: Workspace, **options: Any) -> str:
    """The report as Markdown text."""
    return build_report(workspace)
