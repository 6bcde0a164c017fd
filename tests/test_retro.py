"""The review meeting's rules: grouping, merging, splitting, voting limits, ranking, priority fixes."""

from __future__ import annotations

import pytest

from gtm_tui.data.model import ActionItem, Feedback, Person, Question, Theme, ValidationError
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.summary import sections
from gtm_tui.review import retro


def _person(ws: Workspace, name: str) -> Person:
    return next(p for p in ws.all(Person) if p.name == name)


def _theme(ws: Workspace, start: str) -> Theme:
    return next(t for t in ws.all(Theme) if t.name.startswith(start))


def test_grouping_notes_makes_a_theme_in_one_undo_step(demo: Workspace):
    loose = [f for f in demo.all(Feedback) if f.theme_id is None]
    assert len(loose) == 3
    stored = retro.apply(demo, "group notes", retro.group_notes(loose[:2], "  RACI made roles clear "))
    theme = stored[0]
    assert isinstance(theme, Theme) and theme.name == "RACI made roles clear"
    assert [f.theme_id for f in demo.all(Feedback) if f.id in {n.id for n in loose[:2]}] == [theme.id, theme.id]
    demo.undo()
    assert demo.find(Theme, theme.id) is None
    assert all(demo.get(Feedback, n.id).theme_id is None for n in loose)


def test_grouping_refuses_no_notes_and_no_name(demo: Workspace):
    note = demo.all(Feedback)[0]
    with pytest.raises(ValidationError, match="select the notes"):
        retro.group_notes([], "Name")
    with pytest.raises(ValidationError, match="needs a name"):
        retro.group_notes([note], "  ")


def test_joining_moves_only_notes_not_already_there(demo: Workspace):
    approver = _theme(demo, "Nobody moves")
    notes = demo.all(Feedback)
    inside = next(n for n in notes if n.theme_id == approver.id)
    loose = next(n for n in notes if n.theme_id is None)
    steps = retro.join_theme([inside, loose], approver)
    assert [s.record.id for s in steps] == [loose.id]
    retro.apply(demo, "join", steps)
    assert demo.get(Feedback, loose.id).theme_id == approver.id


def test_merging_moves_notes_dots_and_fixes_and_deletes_the_other(demo: Workspace):
    keep, absorb = _theme(demo, "Review comments"), _theme(demo, "Freelance design")
    before_keep = demo.all(Feedback)
    moved = [n.id for n in before_keep if n.theme_id == absorb.id]
    designer = _person(demo, "Lukas Brenner")
    retro.apply(demo, "merge", retro.merge_themes(keep, absorb, demo.all(Feedback), demo.all(ActionItem)))
    assert demo.find(Theme, absorb.id) is None
    merged = demo.get(Theme, keep.id)
    assert merged.votes[designer.id] == 3  # 2 on keep + 1 on absorb
    assert merged.total_votes() == keep.total_votes() + absorb.total_votes()
    assert all(demo.get(Feedback, i).theme_id == keep.id for i in moved)
    assert any(a.theme_id == keep.id and a.title.startswith("Book fixed design days") for a in demo.all(ActionItem))
    with pytest.raises(ValidationError):
        retro.merge_themes(keep, keep, [], [])


def test_splitting_ungroups_or_moves_to_a_new_theme(demo: Workspace):
    scattered = _theme(demo, "Review comments")
    notes = [n for n in demo.all(Feedback) if n.theme_id == scattered.id]
    retro.apply(demo, "split", retro.split_notes(notes[:1]))
    assert demo.get(Feedback, notes[0].id).theme_id is None
    stored = retro.apply(demo, "split", retro.split_notes(notes[1:2], "Rework after design"))
    assert demo.get(Feedback, notes[1].id).theme_id == stored[0].id
    assert demo.get(Feedback, notes[2].id).theme_id == scattered.id


def test_voting_respects_the_per_person_limit(demo: Workspace):
    themes = demo.all(Theme)
    writer = _person(demo, "Priya Raman")  # 2 + 1 dots in the demo: all three used
    assert retro.dots_used(themes, writer.id) == 3
    checklists = _theme(demo, "Checklists")
    with pytest.raises(ValidationError, match="Priya Raman has used all 3 dots"):
        retro.vote(themes, checklists, writer, +1, 3)
    with pytest.raises(ValidationError, match="no dot on"):
        retro.vote(themes, checklists, writer, -1, 3)
    # Take one back, then the dot can go elsewhere.
    scattered = _theme(demo, "Review comments")
    retro.apply(demo, "unvote", [retro.vote(themes, scattered, writer, -1, 3)])
    themes = demo.all(Theme)
    retro.apply(demo, "vote", [retro.vote(themes, checklists, writer, +1, 3)])
    assert demo.get(Theme, checklists.id).votes[writer.id] == 1
    assert retro.dots_used(demo.all(Theme), writer.id) == 3
    # A higher limit lets the same person give more.
    assert retro.vote(demo.all(Theme), demo.get(Theme, checklists.id), writer, +1, 4).after.votes[writer.id] == 2


def test_taking_back_the_last_dot_removes_the_person_from_votes():
    person = Person(name="Ana")
    theme = Theme(name="T", votes={person.id: 1})
    assert retro.vote([theme], theme, person, -1, 3).after.votes == {}


def test_tally_counts_dots_without_names_and_never_below_zero():
    theme = Theme(name="T", tally=1)
    assert retro.change_tally(theme, +2).after.tally == 3
    with pytest.raises(ValidationError, match="no counted dots"):
        retro.change_tally(theme, -2)


def test_dot_limit_value():
    assert retro.dot_limit_value("5") == 5
    for bad in ("", "0", "2.5", "abc", "50"):
        with pytest.raises(ValidationError):
            retro.dot_limit_value(bad)


def test_themes_rank_by_votes_then_notes(demo: Workspace):
    ranked = retro.ranked_themes(demo.all(Theme), demo.all(Feedback), demo.all(ActionItem))
    assert [(r.theme.name.split()[0], r.votes, r.notes, r.fixes) for r in ranked] == [
        ("Nobody", 8, 4, 1),
        ("Review", 7, 3, 1),
        ("Checklists", 3, 3, 0),
        ("Freelance", 3, 2, 1),
    ]
    # Equal votes: the theme with more notes comes first.
    tied = [r for r in ranked if r.votes == 3]
    assert [r.notes for r in tied] == sorted((r.notes for r in tied), reverse=True)


def test_answer_grid_and_feedback_grouped_by_question(demo: Workspace):
    questions, people = demo.all(Question), demo.all(Person)
    grid = retro.answer_grid(questions, people, demo.all(Feedback))
    assert len(grid) == len(people) + 1 and grid[-1].person is None
    designer = next(r for r in grid if r.person and r.person.name == "Lukas Brenner")
    assert designer.counts == (0, 2, 0, 1) and designer.answered == 2
    assert grid[-1].counts == (0, 1, 1, 0)  # the anonymous notes
    grouped = retro.feedback_by_question(questions, demo.all(Feedback))
    assert [len(notes) for _, notes in grouped] == [4, 4, 4, 3]


def test_moving_a_question_swaps_positions(demo: Workspace):
    questions = demo.all(Question)
    assert retro.move_question(demo, questions[0], -1) is False
    assert retro.move_question(demo, questions[3], -1)
    assert [q.id for q in demo.all(Question)] == [questions[0].id, questions[1].id, questions[3].id, questions[2].id]


def test_action_items_need_an_owner_and_a_deadline():
    with pytest.raises(ValidationError) as error:
        retro.action_item_values({"title": "Fix it", "owner": None, "deadline": "2026-12-01"})
    assert error.value.field == "owner"
    with pytest.raises(ValidationError) as error:
        retro.action_item_values({"title": "Fix it", "owner": "abc", "deadline": ""})
    assert error.value.field == "deadline"
    with pytest.raises(ValidationError, match="not a real date"):
        retro.action_item_values({"title": "Fix it", "owner": "abc", "deadline": "2026-02-30"})
    values = retro.action_item_values({"title": " Fix it ", "owner": "abc", "deadline": "2026-12-01"})
    assert values["title"] == "Fix it" and values["due"] == "2026-12-01" and values["priority"] is True


def test_priority_warning_beyond_three_open_fixes(demo: Workspace):
    actions = demo.all(ActionItem)
    assert len(retro.active_priority_fixes(actions)) == 2  # the third demo fix is done
    assert retro.priority_warning(actions) is None
    owner = demo.all(Person)[0]
    demo.add(ActionItem(title="Third", owner_id=owner.id, due="2026-12-01"))
    warning = retro.priority_warning(demo.all(ActionItem))
    assert warning and "already 3 open priority fixes" in warning
    demo.add(ActionItem(title="Not priority", owner_id=owner.id, due="2026-12-01", priority=False))
    assert len(retro.active_priority_fixes(demo.all(ActionItem))) == 3


def test_status_cycle_and_overdue():
    assert retro.next_status("open") == "in progress"
    assert retro.next_status("dropped") == "open"
    late = ActionItem(title="x", due="2026-11-17")
    assert retro.is_overdue(late)
    assert not retro.is_overdue(late.replace(status="done"))
    assert not retro.is_overdue(late.replace(due="2026-11-18"))


def test_follow_up_date_is_required_and_not_in_the_past():
    assert retro.follow_up_value("2026-12-16") == "2026-12-16"
    with pytest.raises(ValidationError, match="required"):
        retro.follow_up_value("")
    with pytest.raises(ValidationError, match="in the past"):
        retro.follow_up_value("2026-11-01")


def test_overview_shows_open_fixes_overdue_marked_and_the_follow_up(demo: Workspace):
    owner = _person(demo, "Sofia Alvarez")
    demo.add(ActionItem(title="Late fix", owner_id=owner.id, due="2026-11-10"))
    section = next(s for s in sections(demo) if s.title == "Priority fixes")
    rows = {row.label: row for row in section.rows}
    assert (
        rows["Late fix"].tone == "bad"
        and "OVERDUE" in rows["Late fix"].value
        and "Sofia Alvarez" in rows["Late fix"].value
    )
    assert not any(label.startswith("Book fixed design days") for label in rows)  # done: not shown
    assert rows["Follow-up check"].value == "2026-12-16"


def test_recommendation_values():
    assert retro.recommendation_values({"text": " Automate ", "kind": "automation", "stage": "s1"}) == {
        "text": "Automate", "kind": "automation", "stage_id": "s1"}
    with pytest.raises(ValidationError):
        retro.recommendation_values({"text": "", "kind": "other"})
