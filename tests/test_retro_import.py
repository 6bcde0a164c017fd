"""Retro notes from a Markdown page, a retro board export and Parabol's CSV, onto the review questions."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from gtm_tui.data.model import ActionItem, Feedback, Person, Question, Theme
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.import_report import ReviewedPlan
from gtm_tui.io.importing import BadRow, ReadOptions, apply_plan, plan_import
from gtm_tui.io.retro_notes import intent_of, read_card

RETRO = Path(__file__).parent / "fixtures" / "retro"


def retro_plan(workspace: Workspace, path: Path, **options) -> ReviewedPlan:
    plan = plan_import(workspace, path, "retro", ReadOptions(**options))
    assert isinstance(plan, ReviewedPlan)
    return plan


def notes_by_question(workspace: Workspace) -> dict[str, list[str]]:
    questions = {q.id: q.text for q in workspace.all(Question)}
    found: dict[str, list[str]] = {}
    for note in workspace.all(Feedback):
        found.setdefault(questions[note.question_id], []).append(note.text)
    return found


def actions(workspace: Workspace) -> dict[str, tuple[str, str | None, str]]:
    """title -> (owner's name or "", due, status)."""
    return {a.title: (workspace.name_of(Person, a.owner_id, ""), a.due, a.status) for a in workspace.all(ActionItem)}


SPED_UP, OBSTACLES, RACI_QUESTION, ONE_CHANGE = (
    "Which workflow steps sped up your work?",
    "Where did you hit obstacles or confusion?",
    "Did the RACI roles clarify responsibilities or create uncertainty?",
    "What one change would improve the process?",
)


def test_markdown_retro_sections_go_to_the_right_questions(demo: Workspace):
    before = {q.text for q in demo.all(Question)}
    existing_notes = demo.count(Feedback)
    plan = retro_plan(demo, RETRO / "campaign-retro.md")
    mapping = {line.source: line.becomes for line in plan.mapping}
    assert mapping["What went well"] == f"question 1 '{SPED_UP}'"
    assert mapping["Things that could be improved"] == f"question 4 '{ONE_CHANGE}'"
    assert mapping["What went wrong"] == f"question 2 '{OBSTACLES}'"
    assert mapping["Lessons learned"] == "a new question 'Lessons learned'"
    assert mapping["Action items"] == "action items"
    assert mapping["Q3 product launch — retrospective"] == "left out (the document's title)"
    assert "campaign-retro.md: Markdown retro; 6 sections, 11 notes, 5 action items, 8 votes" in plan.read_as
    apply_plan(demo, plan)
    assert {q.text for q in demo.all(Question)} - before == {"Lessons learned"}
    assert demo.count(Feedback) == existing_notes + 11
    notes = notes_by_question(demo)
    assert "the brief template saved us a day on every piece" in notes[SPED_UP]
    assert ("Copy reviews came back within 24 hours — mostly because the reviewers were named up front; "
            "and Slack reminders") in notes[SPED_UP]  # nested bullets stay with their parent
    assert "Nobody told sales about the date change" in notes[OBSTACLES]
    assert "Name the approver for every stage before kick-off" in notes["Lessons learned"]
    by_text = {note.text: note for note in demo.all(Feedback)}
    brief = by_text["the brief template saved us a day on every piece"]
    assert demo.name_of(Person, brief.person_id) == "Maya Thornton"
    assert demo.name_of(Person, by_text["Design handoff was smooth this time"].person_id) == "Lukas Brenner"
    assert demo.name_of(Person, by_text["the upload checklist is out of date"].person_id) == "Tom Becker"
    found = actions(demo)
    assert found["name an approver and a backup for every stage"] == ("Maya Thornton", "2026-11-30", "open")
    assert found["Priya to update the style guide"] == ("Priya Raman", None, "done")
    assert found["write the launch checklist v2"] == ("", None, "open")  # "[your name]": no owner
    assert found["refresh the upload checklist"] == ("Tom Becker", "2026-12-05", "open")
    bob = next(a for a in demo.all(ActionItem) if a.title == "Ask legal for a 48h review SLA")
    assert bob.owner_id is None and "Owner named in the notes: Bob (not on the team)" in bob.note
    assert not any(a.priority for a in demo.all(ActionItem) if a.note.startswith("From the retro notes"))
    themes = {t.name: t.tally for t in demo.all(Theme)}
    assert themes["Legal review took 6 days; nobody knew who had to chase it"] == 4


def test_reimporting_the_same_notes_updates_instead_of_duplicating(demo: Workspace):
    apply_plan(demo, retro_plan(demo, RETRO / "campaign-retro.md"))
    counts = (demo.count(Feedback), demo.count(ActionItem), demo.count(Theme), demo.count(Question))
    again = retro_plan(demo, RETRO / "campaign-retro.md")
    assert again.planned == []
    apply_plan(demo, again)
    assert (demo.count(Feedback), demo.count(ActionItem), demo.count(Theme), demo.count(Question)) == counts


def test_retro_board_csv_with_votes_authors_and_ragged_columns(demo: Workspace):
    plan = retro_plan(demo, RETRO / "board.csv")
    assert plan.read_as == ["board.csv: retro board; 3 sections, 8 notes, 3 action items, 10 votes"]
    apply_plan(demo, plan)
    notes = notes_by_question(demo)
    assert {"brief template saved a day", "Fast copy reviews", "Launch checklist worked"} <= set(notes[SPED_UP])
    assert {"Legal review took too long", "Too many tools for one handoff"} <= set(notes[ONE_CHANGE])
    themes = {t.name: t.tally for t in demo.all(Theme)}
    assert themes["Legal review took too long"] == 4 and themes["brief template saved a day"] == 2
    assert actions(demo)["name a backup approver for every stage"][0] == "Maya Thornton"
    assert actions(demo)["write checklist v2"][0] == ""


def test_parabol_export_groups_become_themes_and_tasks_action_items(demo: Workspace):
    plan = retro_plan(demo, RETRO / "parabol.csv")
    assert plan.read_as == ["parabol.csv: Parabol export; 3 sections, 8 notes, 2 action items, 9 votes"]
    apply_plan(demo, plan)
    themes = {t.name: t for t in demo.all(Theme)}
    assert themes["Legal review"].tally == 5 and themes["Brief template"].tally == 3
    assert "Sales not told" not in themes  # one card, no votes: a note, not a theme
    legal = [n for n in demo.all(Feedback) if n.theme_id == themes["Legal review"].id]
    assert {n.text for n in legal} == {"Legal review took six days", "Nobody knew who chases legal",
                                       "We should agree a 48h SLA with legal", "Agreed, and name a backup approver"}
    live = {n.text: n for n in legal if n.phase == "live"}
    assert demo.name_of(Person, live["Agreed, and name a backup approver"].person_id) == "Daniel Okafor"
    assert {n.question_id for n in legal} == {next(q.id for q in demo.all(Question) if q.text == OBSTACLES)}
    task = next(a for a in demo.all(ActionItem) if a.title == "Ask legal for a 48h review SLA")
    assert demo.name_of(Person, task.owner_id) == "Maya Thornton" and task.theme_id == themes["Legal review"].id


def test_four_ls_with_underlined_and_html_headings_and_author_lines(demo: Workspace):
    plan = retro_plan(demo, RETRO / "four-ls.md")
    mapping = {line.source: line.becomes for line in plan.mapping}
    assert mapping == {
        "Liked": f"question 1 '{SPED_UP}'", "Learned": "a new question 'Learned'",
        "Lacked": f"question 2 '{OBSTACLES}'", "Longed for": f"question 4 '{ONE_CHANGE}'",
    }
    apply_plan(demo, plan)
    by_text = {note.text: note for note in demo.all(Feedback)}
    assert demo.name_of(Person, by_text["We need the copy freeze earlier."].person_id) == "Daniel Okafor"
    assert next(t for t in demo.all(Theme) if t.name == "Short stand-ups").tally == 2


def test_a_real_release_retro_with_nested_discussion_and_action_items(workspace: Workspace):
    workspace.add(Person(name="Rui Tanaka"))
    plan = retro_plan(workspace, RETRO / "release-retro-kubeflow.md")
    skipped = "\n".join(plan.skipped)
    assert "'Links'" in skipped and "'Rules'" in skipped and "the document's title" in skipped
    apply_plan(workspace, plan)
    notes = notes_by_question(workspace)
    assert len(notes[SPED_UP]) == 4 and len(notes[OBSTACLES]) == 5
    assert "The timeline was defined from the start of the release process" in notes[SPED_UP]
    assert "[Jo Berg] Document the process for the release blog post" in notes[OBSTACLES]  # not on the team: kept
    assert workspace.count(ActionItem) == 6
    assert "Add the step to create an issue in the handbook" in actions(workspace)


def test_mapping_changes_where_a_section_goes(demo: Workspace):
    plan = retro_plan(demo, RETRO / "campaign-retro.md",
                      mapping=["Lessons learned=3", "What went wrong=skip", "Things that could be improved=new"])
    mapping = {line.source: line.becomes for line in plan.mapping}
    assert mapping["Lessons learned"] == f"question 3 '{RACI_QUESTION}'"
    assert mapping["What went wrong"] == "left out (mapped)"
    assert mapping["Things that could be improved"] == "a new question 'Things that could be improved'"
    choices = next(line.choices for line in plan.mapping if line.source == "Lessons learned")
    assert (f"question 2: {OBSTACLES}", OBSTACLES) in choices and ("action items", "actions") in choices
    with pytest.raises(BadRow, match="there is no question 9"):
        retro_plan(demo, RETRO / "campaign-retro.md", mapping=["Lessons learned=9"])


def test_notes_without_sections_are_refused(workspace: Workspace, tmp_path: Path):
    path = tmp_path / "notes.md"
    path.write_text("Just a paragraph about the weather.\n", encoding="utf-8")
    with pytest.raises(BadRow, match="holds no retro notes"):
        retro_plan(workspace, path)


@pytest.mark.parametrize("heading, intent", [
    ("What went well", "went_well"), ("Things that went well", "went_well"), ("## 🎉 What went well", "went_well"),
    ("What could be improved", "change"), ("What went wrong", "obstacles"), ("What didn’t go well", "obstacles"),
    ("Lessons learned", "lessons"), ("Action items", "actions"), ("Next steps", "actions"),
    ("Start", "change"), ("Stop", "obstacles"), ("Continue", "went_well"), ("Mad", "obstacles"), ("Glad", "went_well"),
    ("Sprint summary", "meta"), ("Attendees", "meta"), ("Questions", None),
])
def test_heading_intents(heading: str, intent: str | None):
    assert intent_of(heading) == intent


@pytest.mark.parametrize("line, text, votes", [
    ("Great teamwork (+2)", "Great teamwork", 2), ("Great teamwork (3)", "Great teamwork", 3),
    ("(+4) Fewer meetings", "Fewer meetings", 4), ("Great teamwork +1 Rui +1 Ana", "Great teamwork", 2),
    ("Great teamwork 👍 5", "Great teamwork", 5), ("Shipped v2 on time", "Shipped v2 on time", 0),
])
def test_votes_as_boards_write_them(line: str, text: str, votes: int):
    card = read_card(line, "here", [])
    assert card is not None and (card.text, card.votes) == (text, votes)


def test_placeholders_are_no_owner_and_template_bullets_no_card():
    assert read_card("[Positive team achievement]", "here", []) is None
    assert read_card("Action 1 - Owner: [name] - Due: [date]", "here", [], action=True) is None
    card = read_card("[Team Member] - update the doc", "here", [])
    assert card is not None and card.kind == "action" and card.owner is None and not card.owner_named


def test_a_markdown_table_with_retro_columns_is_read_as_a_board(demo: Workspace, tmp_path: Path):
    path = tmp_path / "sprint-12.md"
    path.write_text("# Retro – Sprint 12\n\n| Went well 😀 | To improve 🤔 | Actions 🚀 |\n|---|---|---|\n"
                    "| Pairing (+2) | Flaky CI | [Maya] - fix CI |\n| Demo day | Long stand-ups (+3) | |\n",
                    encoding="utf-8")
    plan = retro_plan(demo, path)
    assert [line.source for line in plan.mapping] == ["Went well", "To improve", "Actions"]
    apply_plan(demo, plan)
    assert actions(demo)["fix CI"][0] == "Maya Thornton"
    assert {"Pairing", "Demo day"} <= set(notes_by_question(demo)[SPED_UP])


def test_a_plain_text_board_export_with_vote_counts(demo: Workspace, tmp_path: Path):
    path = tmp_path / "Sprint9board.txt"
    path.write_text("Sprint 9 board\n\nWent Well\n- Fast reviews (4)\n- Good docs (1)\n\n"
                    "To Improve\n- Slow builds (5)\n\n"
                    "Action Items\n- Fix the build cache (2)\n", encoding="utf-8")
    plan = plan_import(demo, path)  # the format is guessed from what is inside
    assert isinstance(plan, ReviewedPlan) and plan.fmt == "retro"
    assert plan.read_as == ["Sprint9board.txt: Markdown retro; 3 sections, 3 notes, 1 action item, 12 votes"]
    apply_plan(demo, plan)
    cache = next(a for a in demo.all(ActionItem) if a.title == "Fix the build cache")
    assert next(t for t in demo.all(Theme) if t.id == cache.theme_id).tally == 2


def test_a_retro_board_in_a_workbook_sheet_by_name_or_number(demo: Workspace, tmp_path: Path):
    book = Workbook()
    book.active.title = "Notes"
    board = book.create_sheet("Board")
    for row in (["Went well", "To improve"], ["Quick reviews (+2)", "Late legal review"]):
        board.append(row)
    path = tmp_path / "retro.xlsx"
    book.save(path)
    for sheet in ("Board", "2"):
        plan = retro_plan(demo, path, sheet=sheet)
        assert [line.source for line in plan.mapping] == ["Went well", "To improve"]
    with pytest.raises(BadRow, match="has no sheet named 'Votes'"):
        retro_plan(demo, path, sheet="Votes")
