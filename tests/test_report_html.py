"""The report leadership reads: the lead's conclusion first; one self-contained HTML page that prints to PDF.

The browser check drives Debian's headless chromium through Playwright, as
tests/test_serve_browser.py does (no browser is downloaded); it is skipped,
saying why, where either is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gtm_tui.cli.main import main
from gtm_tui.data.model import ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import html
from gtm_tui.process.setup import pilot_changes
from gtm_tui.review.report import build_report

CHROMIUM = Path("/usr/bin/chromium")


def conclude(workspace: Workspace, conclusion: str, note: str) -> None:
    workspace.update(workspace.pilot(), conclusion=conclusion, conclusion_note=note)


def test_the_conclusion_comes_first(demo: Workspace):
    report = build_report(demo)
    assert report.index("## The lead's conclusion") < report.index("## Scope and team")
    assert "_Not given yet: Maya Thornton records it in Pilot setup" in report
    conclude(demo, "adjust and rerun", "The approver rule works.\nRerun with two more campaigns.")
    report = build_report(demo)
    assert (
        "**Recommendation: Adjust and rerun.** — Maya Thornton\n\n"
        "The approver rule works.\nRerun with two more campaigns."
        in report
    )


def test_the_set_up_form_takes_the_conclusion_and_refuses_an_unknown_one(demo: Workspace):
    base = {"name": "P", "status": "running"}
    assert (
        pilot_changes({**base, "conclusion": "stop", "conclusion_note": " Too costly. "}, [], [])["conclusion_note"]
        == "Too costly."
    )
    with pytest.raises(ValidationError) as refused:
        pilot_changes({**base, "conclusion": "maybe"}, [], [])
    assert refused.value.field == "conclusion"
    with pytest.raises(ValidationError, match="not a time zone"):
        pilot_changes({**base, "time_zone": "Europe/Atlantis"}, [], [])


def test_the_html_report_is_one_self_contained_page(demo: Workspace):
    conclude(demo, "roll out", "Ship it <script>alert('x')</script> [click](javascript:alert(1))")
    page = html.render(demo)
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page and "<table>" in page
    assert "<script" not in page and "javascript:" not in page.replace("[click](javascript:alert(1))", "")
    assert "&lt;script&gt;alert" in page
    assert 'src="http' not in page and '<link' not in page  # nothing fetched
    assert page.index("The lead") < page.index("Scope and team")


def test_the_html_report_from_the_command_line(demo_file: Path, tmp_path: Path):
    out = tmp_path / "report.html"
    assert main(["export", str(demo_file), "--format", "html", "-o", str(out)]) == 0
    assert "<h1>Q4 product launch workflow pilot — report for leadership</h1>" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(
    not CHROMIUM.is_file(), reason=f"no chromium at {CHROMIUM} (apt-get install -y chromium; .ci/run does it as root)"
)
def test_the_html_report_prints_to_pdf_in_headless_chromium(demo: Workspace, tmp_path: Path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    from test_serve_browser import CHROMIUM_FLAGS

    conclude(demo, "roll out", "The focus handoff now takes half a day.")
    page_file = tmp_path / "report.html"
    page_file.write_text(html.render(demo), encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.goto(page_file.as_uri())
            assert page.locator("h1").inner_text().startswith("Q4 product launch workflow pilot")
            assert page.locator("h2").first.inner_text() == "The lead’s conclusion" or \
                page.locator("h2").first.inner_text() == "The lead's conclusion"
            assert page.locator("table").count() >= 3
            shot = page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
    (tmp_path / "report.pdf").write_bytes(pdf)
