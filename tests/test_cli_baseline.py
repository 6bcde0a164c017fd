"""``gtm-tui baseline``: a past campaign's board measured into the pilot's baseline, beside the pilot's figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from pilot_waits import press_and_wait
from rich.console import Console
from textual.widgets import Static

from gtm_tui.app import GtmApp
from gtm_tui.cli.main import main
from gtm_tui.data.model import BaselineItem, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import report
from gtm_tui.work import baseline

FIXTURES = Path(__file__).parent / "fixtures"
BOARD = FIXTURES / "trello-spring-launch.json"
MAPPING = [
    "--map",
    "Ideas=Idea & brief",
    "--map",
    "writing = copywriting",
    "--map",
    "Review=Creative review",
    "--map",
    "Approval=Launch approval; Done=Publish",
]


def _tables(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_past_campaign_sets_per_stage_and_per_handoff_baseline_figures(demo_file: Path, capsys):
    assert main(["baseline", str(demo_file), str(BOARD), "--tz", "UTC", *MAPPING]) == 0
    out = capsys.readouterr().out
    assert "baseline items: 5 added, 6 removed" in out  # the demo's earlier baseline is replaced
    assert "Not mapped (their time counts as waiting between the stages around them): Ready for approval" in out
    workspace = Workspace.open(demo_file)
    source = workspace.pilot().baseline_source
    assert (source["file"], source["items"], source["first"], source["last"]) == (
        "trello-spring-launch.json",
        5,
        "2026-03-02",
        "2026-03-13",
    )
    assert source["mapping"]["Writing"] == "Copywriting" and source["unmapped"] == ["Ready for approval"]
    items = {item.title: item for item in workspace.all(BaselineItem)}
    assert workspace.count(WorkItem) == 13  # the pilot's own work items are untouched
    against = baseline.compare(workspace, FIXED_NOW)
    # The newsletter: review 05 09:00 → 06 09:00 and 09 09:00 → 10 10:00; the blog: 06 15:00 → 09 11:00.
    review = next(s for s in against.stages if s.name == "Creative review")
    assert review.baseline.visits == 4  # the blog's, the newsletter's two, the hero's (open until the board's last day)
    # The focus handoff: "Ready for approval" is unmapped, so its time is the wait: blog 3 d - 2 h, newsletter 1 d.
    focus = next(w for w in against.waits if w.focus)
    assert focus.baseline.waits == 2 and focus.baseline.median_days == pytest.approx((70 / 24 + 1) / 2)
    rows = {c.measure: c for c in against.measures}
    # brief to live: the blog 02 09:00 → 13 16:00 (11 d 7 h), the newsletter 03 08:00 → 12 10:00 (9 d 2 h)
    assert rows["days from brief to live"].baseline == pytest.approx((11 + 7 / 24 + 9 + 2 / 24) / 2)
    assert rows["rework rate (%)"].baseline == 20  # the newsletter, 1 of 5
    assert rows["feedback cycles per item"].origin == "typed"  # Trello cannot tell it: the typed 3.4 stands
    assert "Launch blog post: Spring collection is here" in items
    text = report.build_report(workspace)
    assert (
        "Baseline measured from Trello board 'Spring launch' (trello-spring-launch.json), "
        "2026-03-02 → 2026-03-13, 5 items" in text
    )
    assert "| wait Creative review → Launch approval (focus) | 2 d | 3.3 d |" in text


@pytest.mark.parametrize(
    "mapping, says",
    [
        (
            ["--map", "Icebox=Copywriting"],
            "--map 'Icebox=Copywriting': the Trello board 'Spring launch' has no list named 'Icebox'",
        ),
        (
            ["--map", "Writing=Writing things"],
            "--map 'Writing=Writing things': the pilot has no stage named 'Writing things'",
        ),
        (["--map", "Writing"], "--map 'Writing': write it as \"Their list=Our stage\""),
    ],
)
def test_a_mapping_that_names_nothing_takes_no_baseline(demo_file: Path, capsys, mapping, says):
    before = demo_file.read_bytes()
    assert main(["baseline", str(demo_file), str(BOARD), *mapping]) == 1
    assert says in capsys.readouterr().err
    assert demo_file.read_bytes() == before


def test_a_board_none_of_whose_lists_is_a_stage_says_how_to_map(empty_file: Path, capsys):
    workspace = Workspace.open(empty_file)
    assert main(["baseline", str(empty_file), str(BOARD)]) == 1
    assert "the pilot has no stages yet" in capsys.readouterr().err
    workspace.add(Stage(name="Copywriting", position=0))
    assert main(["baseline", str(empty_file), str(BOARD)]) == 1
    assert "is a stage of the pilot; map them with --map" in capsys.readouterr().err


def test_names_alike_map_themselves_and_a_jira_export_can_be_the_baseline(empty_file: Path, capsys):
    workspace = Workspace.open(empty_file)
    for position, name in enumerate(["To do", "in progress", "Done"]):
        workspace.add(Stage(name=name, position=position))
    assert main(["baseline", str(empty_file), str(FIXTURES / "jira-cloud-en.csv"), "--tz", "UTC", "--dry-run"]) == 0
    assert "Would measure" in capsys.readouterr().out
    assert Workspace.open(empty_file).count(BaselineItem) == 0
    assert main(["baseline", str(empty_file), str(FIXTURES / "jira-cloud-en.csv"), "--tz", "UTC"]) == 0
    out = capsys.readouterr().out
    assert "Not mapped (their time counts as waiting between the stages around them): In Review" in out
    assert Workspace.open(empty_file).count(BaselineItem) == 4


def test_our_own_export_of_an_earlier_pilot_is_a_baseline_with_feedback_cycles(demo_file: Path, tmp_path: Path, capsys):
    folder = tmp_path / "last-quarter"
    assert main(["export", str(demo_file), "--format", "csv", "-o", str(folder)]) == 0
    assert main(["baseline", str(demo_file), str(folder)]) == 0
    workspace = Workspace.open(demo_file)
    rows = {c.measure: c for c in baseline.compare(workspace, FIXED_NOW).measures}
    assert rows["feedback cycles per item"].origin == "measured"
    # the demo's own 18 cycles on the 12 items that entered a stage (the one not started never reached one)
    assert rows["feedback cycles per item"].baseline == pytest.approx(18 / 12)
    assert rows["days from brief to live"].baseline == pytest.approx(rows["days from brief to live"].pilot)


async def test_metrics_shows_pilot_and_baseline_side_by_side(demo_file: Path):
    app = GtmApp(demo_file, Workspace.open(demo_file))
    async with app.run_test(size=(160, 60)) as pilot:
        await press_and_wait(pilot, "5", "v")
        console = Console(width=150, record=True, color_system=None)
        for selector in ("#baseline", "#delay-rule", "#stage-table", "#handoff-waits"):
            console.print(app.screen.query_one(selector, Static).content)
        shown = console.export_text()
        assert "Baseline measured from Trello board 'Insights 3.0 launch' (insights-3-launch-board.json)" in shown
        assert "cost per lead (EUR)" in shown and "typed, not measured" in shown
        assert (
            "Delayed: past its due date and not done, or a stage took longer than its expected days plus 25 %" in shown
        )
        approval = next(line for line in shown.splitlines() if line.startswith("Launch approval "))
        assert approval.split()[-4:] == ["2.0", "d", "-39", "%"]  # the launch's median 2 d against the pilot's 1.2 d
        focus = next(line for line in shown.splitlines() if "◆ focus" in line)
        assert focus.split()[-4:] == ["4.8", "d", "-30", "%"]
