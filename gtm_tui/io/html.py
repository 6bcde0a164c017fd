"""The report as one self-contained HTML file: what leadership opens in a browser and prints to PDF.

The text is the Markdown report (``review/report.py``), rendered with
markdown-it-py (CommonMark with tables). Nothing is fetched: the styles are
inline, there are no scripts, fonts or images, so the file reads the same
from an e-mail attachment, a shared drive or offline. Raw HTML in user text
is not passed through (``html: False``): a note holding ``<script>`` shows as
text; markdown-it also refuses ``javascript:`` links. Print styles keep
tables and headings from splitting across pages.
"""

from __future__ import annotations

import html
from typing import Any

from markdown_it import MarkdownIt

from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.review.report import build_report

SUFFIX = "-report.html"

STYLE = """
:root { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1d2330; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid #dfe3ea; }
p, ul { margin: .4rem 0 .8rem; }
li { margin: .15rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95em; }
th, td { border: 1px solid #d5dae3; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f4f8; }
td, th { font-variant-numeric: tabular-nums; }
em { color: #5a6475; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, tr, li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def markdown_to_html(text: str) -> str:
    """The body HTML of a Markdown text (CommonMark + tables; raw HTML in the text stays text)."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def page(title: str, body_markdown: str) -> str:
    """A whole, self-contained HTML page around a Markdown text."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{markdown_to_html(body_markdown)}</body>\n</html>\n"
    )


def render(workspace: Workspace, **_options: Any) -> str:
    """The report for leadership as one HTML file."""
    # the page is text from the file: a control character shows as a picture (␛), never raw
    return visible(
        page(f"{workspace.pilot().name} — report for leadership", build_report(workspace)), allow_newlines=True
    )
