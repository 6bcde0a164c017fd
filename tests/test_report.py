"""The report for leadership: every section, with the demo's real figures; and the Markdown export."""

from __future__ import annotations

from pathlib import Path

from gtm_tui.cli.main import main
from gtm_tui.data.model import ActionItem, Feedback, Person, Question, Theme
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import report

SECTIONS = (
    "## Scope and team",
    "## Key figures against baseline",
    "## What worked and the obstacles",
    "## RACI findings",
    "## Priority fixes",
    "## Follow-up",
    "## Recommendations",
)


def test_the_demo_report_has_every_section_in_order(demo: Workspace):
    text = report.build_report(demo)
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert text.startswith("# Q4 product launch workflow pilot — report for leadership")
    assert "_As of 2026-11-18._" in text


def test_scope_and_team(demo: Workspace):
    text = report.build_report(demo)
    assert "**Focus handoff:** Creative review → Launch approval" in text
    assert "lead Maya Thornton" in text and "**Team (7):**" in text
    assert "Priya Raman (Content writer)" in text


def test_key_figures_sit_next_to_the_baseline(demo: Workspace):
    figures = {f.measure: f for f in report.key_figures(demo)}
    assert set(demo.pilot().baseline) <= set(figures)
    brief_to_live = figures["days from brief to live"]  # measured from the launch board's baseline items
    assert brief_to_live.origin == "measured" and brief_to_live.pilot is not None and brief_to_live.pilot > 0
    assert figures["feedback cycles per item"].origin == "typed"  # the board cannot tell it
    assert figures["cost per lead (EUR)"].change == "—"
    text = report.build_report(demo)
    assert "| days from brief to live | 18.8 | 14 | -26% |" in text.replace(" %", "%")
    assert "| cost per lead (EUR) | 48 (typed, not measured) | — | — |" in text
    assert "Counted over 13 work items of the pilot" in text
    assert "Delayed: past its due date and not done, or a stage took longer" in text
    assert "Baseline measured from Trello board 'Insights 3.0 launch' (insights-3-launch-board.json)" in text
    assert "| wait Creative review → Launch approval (focus) | 4.8 d | 3.3 d | -30 % |" in text


def test_themes_are_split_into_worked_and_obstacles_ordered_by_votes(demo: Workspace):
    worked, obstacles = report.worked_and_obstacles(demo)
    assert [r.theme.name for r in worked] == ["Checklists make briefs and handoffs complete"]
    assert [(r.notes, r.votes) for r in obstacles] == [(4, 8), (3, 7), (2, 3)]
    text = report.build_report(demo)
    assert "| Nobody moves reviewed work on to launch approval | 4 | 8 |" in text
    assert text.index("Nobody moves") < text.index("Review comments in three places")
    assert "15 notes from 7 people (2 anonymous, 0 taken live in the meeting)" in text


def test_priority_fixes_with_owners_deadlines_follow_up_and_recommendations(demo: Workspace):
    text = report.build_report(demo)
    assert "| Tag one accountable approver when the review is done; the approver answers within one working day " \
           "| Maya Thornton | 2026-11-20 | in progress |" in text
    assert "Follow-up check: **2026-12-16**." in text
    assert "- **Simplify** (Launch approval): Let short social posts skip" in text
    overdue = demo.add(ActionItem(title="Late | fix", owner_id=demo.all(Person)[0].id, due="2026-11-01"))
    text = report.build_report(demo)
    assert "| Late \\| fix |" in text and "open — **overdue**" in text
    demo.update(overdue, status="dropped")
    assert "Late \\| fix" not in report.build_report(demo)


def test_raci_findings_name_the_gaps(demo: Workspace):
    from gtm_tui.data.model import RaciAssignment

    accountable = next(
        c for c in demo.all(RaciAssignment) if c.layer == "pilot" and not c.activity and c.role in ("A", "A/R")
    )
    demo.delete(accountable)
    assert any("accountable" in finding.lower() for finding in report.raci_findings(demo))
    assert "## RACI findings" in report.build_report(demo)


def test_an_empty_pilot_still_gets_a_report(workspace: Workspace):
    text = report.build_report(workspace)
    assert all(heading in text for heading in SECTIONS)
    assert "_No priority fixes agreed yet._" in text and "not scheduled yet" in text


def test_the_report_fits_on_two_pages(demo: Workspace):
    # Two printed pages hold roughly 115 lines of this Markdown (the answers no theme covers take one line
    # per question, with their blank line).
    assert len(report.build_report(demo).splitlines()) <= 115


def test_what_worked_and_the_obstacles_include_the_answers_no_theme_covers(workspace):
    from gtm_tui.data.model import Feedback, Person, Question

    questions = workspace.all(Question)
    people = [workspace.add(Person(name=f"Person {n}")) for n in range(5)]
    for person in people:
        workspace.add(Feedback(question_id=questions[0].id, person_id=person.id, text=f"Tags by {person.name}"))
    workspace.add(Feedback(question_id=questions[1].id, text="Legal came late"))
    text = report.build_report(workspace)
    worked = text[text.index("**What worked**"):text.index("**Obstacles**")]
    obstacles = text[text.index("**Obstacles**"):text.index("## RACI")]
    assert "None recorded" not in worked
    assert f"answers to “{questions[0].text}” (5): Tags by Person" in worked and "… and 2 more" in worked
    assert f"answers to “{questions[1].text}” (1): Legal came late" in obstacles


def test_live_notes_are_counted(demo: Workspace):
    question = demo.all(Question)[1]
    demo.add(Feedback(question_id=question.id, text="Live one", phase="live"))
    assert "16 notes from 7 people (3 anonymous, 1 taken live in the meeting)" in report.build_report(demo)
    assert demo.count(Theme) == 4


def test_export_md_writes_the_report(demo_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "report.md"
    assert main(["export", str(demo_file), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# Q4 product launch workflow pilot")
    assert text == report.build_report(Workspace.open(demo_file))


def test_findings_and_figures_come_from_the_raci_and_metrics_features(demo: Workspace):
    findings = report.raci_findings(demo)
    assert len(findings) == len(set(findings))
    assert any("changes" in f and "cells compared with" in f for f in findings)
    assert {f.measure: f for f in report.key_figures(demo)}["rework rate (%)"].pilot is not None


def test_the_report_counts_the_steps_done_on_time(demo):
    from gtm_tui.checklists.runs import steps_to_work, timeliness
    from gtm_tui.data import clock
    from gtm_tui.data.model import ChecklistItem
    from gtm_tui.review.report import build_report

    counted = timeliness([s for s in demo.all(ChecklistItem) if s.done]
                         + [s for s in steps_to_work(demo) if not s.done], clock.today())
    assert counted.done > 100 and counted.late and counted.open_late
    assert (f"Steps of the runs with a due date: {counted.on_time} of {counted.done} done on time "
            f"({counted.share:.0f} %), {counted.late} done late, {counted.open_late} still open past their due date."
            ) in build_report(demo)
