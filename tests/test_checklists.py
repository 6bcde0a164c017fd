"""Checklist rules: progress, filters, due/overdue with a fixed today, order, ticking, typed values."""

from __future__ import annotations

from datetime import date

import pytest

from gtm_tui.checklists import checklist_items as checklists
from gtm_tui.checklists.checklist_items import ChecklistFilter, Progress
from gtm_tui.data import order
from gtm_tui.data.model import ChecklistItem, Person, Stage, ValidationError

TODAY = date(2026, 11, 18)


def item(text="x", stage="s1", *, position=0, owner=None, due=None, done=False, note="", **kw) -> ChecklistItem:
    return ChecklistItem(
        stage_id=stage, text=text, position=position, owner_id=owner, due=due, done=done, note=note, **kw
    )


def test_progress_per_stage_and_overall():
    items = [item(stage="a", done=True), item(stage="a"), item(stage="a", done=True), item(stage="b")]
    per_stage = checklists.stage_progress(items)
    assert per_stage == {"a": Progress(2, 3), "b": Progress(0, 1)}
    overall = checklists.overall_progress(items)
    assert (overall.done, overall.total, overall.percent) == (2, 4, 50)
    assert overall.label() == "2/4 done (50%)"
    assert Progress().label() == "no items" and Progress().fraction == 0


def test_progress_bar_never_looks_finished_or_empty_when_it_is_not():
    assert checklists.progress_bar(Progress(0, 4), 8) == "░" * 8
    assert checklists.progress_bar(Progress(4, 4), 8) == "█" * 8
    assert checklists.progress_bar(Progress(1, 100), 8) == "█" + "░" * 7
    assert checklists.progress_bar(Progress(99, 100), 8) == "█" * 7 + "░"
    assert checklists.progress_bar(Progress(1, 2), 10) == "█" * 5 + "░" * 5


def test_due_and_overdue_with_a_fixed_today():
    late = item(due="2026-11-15")
    today = item(due="2026-11-18")
    later = item(due="2026-11-20")
    done_late = item(due="2026-11-01", done=True)
    undated = item()
    assert [checklists.is_overdue(i, TODAY) for i in (late, today, later, done_late, undated)] == [
        True, False, False, False, False]
    assert [checklists.is_due_today(i, TODAY) for i in (late, today, later, done_late, undated)] == [
        False, True, False, False, False]
    assert checklists.days_late(late, TODAY) == 3
    assert checklists.days_late(today, TODAY) == 0
    assert checklists.due_words(late, TODAY) == "3 days overdue"
    assert checklists.due_words(item(due="2026-11-17"), TODAY) == "1 day overdue"
    assert checklists.due_words(today, TODAY) == "due today"
    assert checklists.due_words(later, TODAY) == "due in 2 days"
    assert checklists.due_words(undated, TODAY) == "no due date"
    assert checklists.due_tone(late, TODAY) == "bad" and checklists.due_tone(today, TODAY) == "warning"


def test_filters_by_owner_stage_open_overdue_and_search():
    a = item("Brief names the audience", "s1", owner="p1", due="2026-11-10")
    b = item("Alt text for every image", "s2", owner="p2", done=True)
    c = item("Claims cleared with legal", "s2", owner="p1", due="2026-11-25", note="ask Legal on Monday")
    items = [a, b, c]

    def shown(f: ChecklistFilter) -> list[ChecklistItem]:
        return [i for i in items if f.matches(i, TODAY)]

    assert shown(ChecklistFilter()) == items and not ChecklistFilter().active
    assert shown(ChecklistFilter(owner_id="p1")) == [a, c]
    assert shown(ChecklistFilter(stage_id="s2")) == [b, c]
    assert shown(ChecklistFilter(open_only=True)) == [a, c]
    assert shown(ChecklistFilter(overdue_only=True)) == [a]
    assert shown(ChecklistFilter(search="LEGAL")) == [c]
    assert shown(ChecklistFilter(search="monday legal")) == [c]  # every word, in text or note
    assert shown(ChecklistFilter(owner_id="p1", stage_id="s2", open_only=True)) == [c]
    people = {"p1": Person(id="0" * 12, name="Priya")}
    f = ChecklistFilter(owner_id="p1", open_only=True, search="legal")
    assert f.active and f.describe(people, {}) == "owner Priya, open only, “legal”"


def test_grouped_orders_stages_and_items_and_hides_stages_without_matches_when_filtering():
    s1, s2 = Stage(name="One", position=0), Stage(name="Two", position=1)
    x = item("x", s1.id, position=2)
    y = item("y", s1.id, position=1)
    z = item("z", s2.id, position=0, done=True)
    groups = checklists.grouped([s1, s2], [x, y, z], ChecklistFilter(), TODAY)
    assert [(stage.name, [i.text for i in its]) for stage, its in groups] == [("One", ["y", "x"]), ("Two", ["z"])]
    groups = checklists.grouped([s1, s2], [x, y, z], ChecklistFilter(open_only=True), TODAY)
    assert [stage.name for stage, _ in groups] == ["One"]


def test_moving_an_item_swaps_only_two_positions():
    a, b, c = item("a", position=0), item("b", position=1), item("c", position=2)
    assert order.moved_positions([a, b, c], c.id, -1) == {c.id: 1, b.id: 2}
    assert order.moved_positions([a, b, c], a.id, +1) == {a.id: 1, b.id: 0}
    assert order.moved_positions([a, b, c], a.id, -1) == {}  # already first
    assert order.moved_positions([a, b, c], c.id, +1) == {}  # already last
    assert order.moved_positions([a, b, c], "nope", 1) == {}


def test_moving_with_tied_positions_renumbers_the_stage_once():
    a = item("a", position=0, created_at="2026-01-01T00:00:00+00:00")
    b = item("b", position=0, created_at="2026-01-02T00:00:00+00:00")
    c = item("c", position=0, created_at="2026-01-03T00:00:00+00:00")
    assert order.moved_positions([a, b, c], c.id, -1) == {c.id: 1, b.id: 2}


def test_moving_and_restaging_items_saves_through_the_workspace(workspace):
    one, two = workspace.add(Stage(name="One", position=0)), workspace.add(Stage(name="Two", position=1))
    a, b = (workspace.add(ChecklistItem(stage_id=one.id, text=t, position=p)) for t, p in (("a", 0), ("b", 1)))
    workspace.add(ChecklistItem(stage_id=two.id, text="c", position=4))
    assert checklists.move_item(workspace, b, -1)
    assert [i.text for i in checklists.stage_items(workspace, one.id)] == ["b", "a"]
    assert not checklists.move_item(workspace, workspace.get(ChecklistItem, b.id), -1)  # already first
    workspace.undo()  # the move was one step
    assert [i.text for i in checklists.stage_items(workspace, one.id)] == ["a", "b"]
    moved = checklists.update_item(workspace, workspace.get(ChecklistItem, a.id), {"stage_id": two.id, "text": "a2"})
    assert (moved.stage_id, moved.position, moved.text) == (two.id, 5, "a2")  # at the end of its new stage
    kept = checklists.update_item(workspace, workspace.get(ChecklistItem, b.id), {"stage_id": one.id, "text": "b2"})
    assert kept.position == 1


def test_next_position_puts_a_new_item_last():
    assert order.next_position([]) == 0
    assert order.next_position([item(position=3), item(position=7)]) == 8


def test_tick_records_who_and_when_and_untick_clears_both():
    open_item = item(owner="p2")
    assert checklists.toggle_changes(open_item, "p1", "2026-11-18T10:00:00+00:00") == {
        "done": True, "done_by": "p1", "done_at": "2026-11-18T10:00:00+00:00"}
    # Nobody chosen: the item's owner is who did it.
    assert checklists.toggle_changes(open_item, None, "2026-11-18T10:00:00+00:00")["done_by"] == "p2"
    done = item(done=True, done_by="p1", done_at="2026-11-18T10:00:00+00:00")
    assert checklists.toggle_changes(done, "p1") == {"done": False, "done_by": None, "done_at": None}
    assert checklists.tick_changes("p1")["done_at"] == "2026-11-18T10:00:00+00:00"  # the frozen clock


def test_item_values_parse_due_and_refuse_impossible_dates():
    values = checklists.item_values({"text": "  Alt text  ", "owner_id": None, "due": "2026-11-20", "note": " n "})
    assert values == {"text": "Alt text", "owner_id": None, "due": "2026-11-20", "note": "n"}
    with pytest.raises(ValidationError) as error:
        checklists.item_values({"text": "Alt text", "due": "2026-02-30"})
    assert error.value.field == "due" and "not a real date" in str(error.value)
    with pytest.raises(ValidationError) as error:
        checklists.item_values({"text": "  ", "due": ""})
    assert error.value.field == "text"


def test_normalise_ignores_case_spacing_and_trailing_dots():
    assert checklists.normalise("  Alt text  for EVERY image. ") == checklists.normalise("alt text for every image")
