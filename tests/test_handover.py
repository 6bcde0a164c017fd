"""The handover pack: one folder a person reads without the app, from the command line and the palette."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar

from gtm_tui.app import GtmApp
from gtm_tui.cli.main import main
from gtm_tui.data.model import Person, Recommendation, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import handover
from gtm_tui.io.handover import slug
from gtm_tui.screens.dialogs.forms import FormScreen


def test_the_pack_holds_every_part(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "handover"
    assert main(["export", str(demo_file), "--format", "handover", "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"Wrote {out}\n"
    workspace = Workspace.open(demo_file)
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"index.md", "flowchart.md", "raci.md", "recommendations.md", "report.md", "report.html",
            "calendar.ics"} <= names
    assert len([n for n in names if n.startswith("checklists/")]) == workspace.count(Stage)
    assert len([n for n in names if n.startswith("people/")]) == workspace.count(Person)
    index = (out / "index.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)<>]+)\)", index):  # every relative link in the index leads to a file
        assert (out / target).is_file(), target
    flowchart = (out / "flowchart.md").read_text(encoding="utf-8")
    assert "```mermaid\n" in flowchart and "\nflowchart TD\n" in flowchart and flowchart.rstrip().endswith("```")
    raci = (out / "raci.md").read_text(encoding="utf-8")
    assert "## In the pilot" in raci and "## Today (before the pilot)" in raci
    design = next(p for p in out.glob("checklists/*creative-design.md"))
    text = design.read_text(encoding="utf-8")
    assert (
        "[Figma: Launch / Design](<https://www.figma.com/" in text
        and "`/Shared drives/Marketing/Brand/Brand kit v3`" in text
    )
    assert "- [ ] " in text or "- [x] " in text
    priya = (out / "people" / "priya-raman.md").read_text(encoding="utf-8")
    for heading in ("## RACI roles", "## What I hand over", "## What I receive", "## Where to find it"):
        assert heading in priya
    assert "Copywriting → Creative design — Final copy" in priya
    recommendations = (out / "recommendations.md").read_text(encoding="utf-8")
    assert all(" ".join(r.text.split()) in recommendations for r in workspace.all(Recommendation))
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Q4 product launch workflow pilot")
    assert Calendar.from_ical((out / "calendar.ics").read_text(encoding="utf-8")).walk("VEVENT")


def test_a_pilot_without_dates_gets_a_pack_that_says_why_there_is_no_calendar(empty_file: Path, tmp_path: Path):
    out = tmp_path / "pack"
    assert main(["export", str(empty_file), "--format", "handover", "-o", str(out)]) == 0
    assert not (out / "calendar.ics").exists()
    assert "No calendar: nothing in this pilot has a date yet" in (out / "index.md").read_text(encoding="utf-8")


def test_names_become_safe_distinct_file_names():
    taken: set[str] = set()
    assert slug("Idea & brief", taken) == "idea-brief"
    assert slug("Idea / Brief!", taken) == "idea-brief-2"
    assert slug("../../etc/passwd", taken) == "etc-passwd"
    assert slug("✨", taken) == "untitled"


def test_hostile_names_stay_inert_in_the_pack(workspace: Workspace, tmp_path: Path):
    workspace.add(Person(name="Eve](http://evil) | <script>"))
    workspace.add(Stage(name="Stage | with [brackets]", links=[{"label": "x](javascript:alert(1)) [", "target": "https://ok.example"}]))
    out = tmp_path / "pack"
    assert main(["export", str(workspace.path), "--format", "handover", "-o", str(out)]) == 0
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[x\\](javascript:alert(1)) \\[](<https://ok.example>)" in index
    assert "Stage \\| with [brackets]" in index


async def test_the_palette_offers_the_handover_pack(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert "Handover pack…" in commands
        commands["Handover pack…"].callback()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()  # written in a worker
        pack = demo_file.with_name("demo-pilot-handover")
        assert (pack / "index.md").is_file() and (pack / "report.html").is_file()


@pytest.mark.parametrize("dated", [True, False])
def test_the_files_an_export_asks_about_are_the_files_it_writes(demo_file: Path, empty_file: Path, tmp_path: Path,
                                                                 dated: bool):
    """The pack's file names are listed without building the pack (a big pilot's takes seconds): the same list."""
    workspace = Workspace.open(demo_file if dated else empty_file)
    out = tmp_path / "pack"
    listed = handover.files(workspace, out)
    handover.write(workspace, out)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert listed == [out / name for name in handover.Pack(workspace).build()]
    assert sorted(listed) == written and (out / "calendar.ics" in listed) is dated
