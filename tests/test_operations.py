"""Lists, dicts and counters change by operations: two people adding at once both keep their entry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gtm_tui.data.model import Person, Theme, WorkItem
from gtm_tui.data.operations import Edit, add_to, append, applied, remove
from gtm_tui.data.storage import read_file
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import retro
from gtm_tui.work import work_items as work

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def in_file(workspace: Workspace, table: str, record_id: str) -> dict:
    return read_file(workspace.path)[table][record_id]


# -- the operations themselves -------------------------------------------------------


def test_append_gives_an_entry_an_id_and_remove_takes_out_exactly_that_entry():
    first, second = (
        append("feedback_cycles", {"at": "x", "note": ""}),
        append("feedback_cycles", {"at": "x", "note": ""}),
    )
    assert first.entry["id"] != second.entry["id"]
    data = applied({"feedback_cycles": []}, [first, second])
    assert len(data["feedback_cycles"]) == 2
    assert applied(data, [first.inverse()])["feedback_cycles"] == [second.entry]
    # An entry written before entries had ids is found by being equal.
    assert applied({"time_log": [{"at": "a"}, {"at": "b"}]}, [remove("time_log", {"at": "a"})])["time_log"] == [
        {"at": "b"}
    ]


def test_add_to_counts_never_go_below_zero_and_a_count_of_zero_is_dropped():
    data = applied(
        {"votes": {"ann": 1}, "tally": 0}, [add_to("votes", 2, "bob"), add_to("votes", -1, "ann"), add_to("tally", 3)]
    )
    assert data == {"votes": {"bob": 2}, "tally": 3}
    assert applied(data, [add_to("tally", -5), add_to("votes", -9, "bob")]) == {"votes": {}, "tally": 0}
    assert add_to("votes", 2, "bob").inverse() == add_to("votes", -2, "bob")


def test_an_edit_shows_what_it_leaves_on_the_copy_it_was_made_from():
    item = WorkItem(title="Post", time_log=[{"at": "a", "minutes": 5}])
    edit = Edit(item, {"title": "Post 2"}, (append("time_log", {"at": "b", "minutes": 7}),))
    assert edit.after.title == "Post 2"
    assert [entry["minutes"] for entry in edit.after.time_log] == [5, 7]
    assert item.title == "Post"  # the original is untouched


# -- two people on one file ------------------------------------------------------------


@pytest.fixture
def teammate(workspace: Workspace) -> Workspace:
    """A second app on the same file, opened now: from here on each side's copy goes stale."""
    return Workspace.open(workspace.path)


def test_feedback_cycles_time_and_clarifications_from_two_people_at_once_all_stay(workspace: Workspace):
    item = workspace.add(WorkItem(title="Post"))
    teammate = Workspace.open(workspace.path)
    mine, theirs = workspace.get(WorkItem, item.id), teammate.get(WorkItem, item.id)
    teammate.apply(work.add_feedback_cycle(theirs, NOW, "theirs"))
    teammate.apply(work.log_minutes(theirs, "30", None, NOW))
    workspace.apply(work.add_feedback_cycle(mine, NOW, "mine"))  # made on a copy without theirs
    workspace.apply(work.log_minutes(mine, "15", None, NOW))
    workspace.apply(work.add_clarification(mine, NOW))
    saved = in_file(workspace, "work_items", item.id)
    assert sorted(entry["note"] for entry in saved["feedback_cycles"]) == ["mine", "theirs"]
    assert sorted(entry["minutes"] for entry in saved["time_log"]) == [15, 30]
    assert len(saved["clarifications"]) == 1
    assert len(workspace.get(WorkItem, item.id).feedback_cycles) == 2  # memory follows the file


def test_stopping_a_timer_logs_on_top_of_a_teammates_entry(workspace: Workspace):
    item = workspace.add(WorkItem(title="Post"))
    running = workspace.apply(work.start_timer(item, NOW.replace(hour=9)))
    teammate = Workspace.open(workspace.path)
    teammate.apply(work.log_minutes(teammate.get(WorkItem, item.id), "20", None, NOW))
    workspace.apply(work.stop_timer(running, NOW))
    saved = in_file(workspace, "work_items", item.id)
    assert saved["timer_started_at"] is None
    assert sorted(entry["minutes"] for entry in saved["time_log"]) == [20, 60]


def test_dots_from_two_people_at_once_all_count(workspace: Workspace):
    ann, bob = workspace.add(Person(name="Ann")), workspace.add(Person(name="Bob"))
    theme = workspace.add(Theme(name="Handoffs"))
    teammate = Workspace.open(workspace.path)
    retro.apply(teammate, "vote", [retro.vote(teammate.all(Theme), teammate.get(Theme, theme.id), bob, +1, 3)])
    retro.apply(teammate, "tally", [retro.change_tally(teammate.get(Theme, theme.id), +2)])
    retro.apply(workspace, "vote", [retro.vote(workspace.all(Theme), workspace.get(Theme, theme.id), ann, +1, 3)])
    retro.apply(workspace, "tally", [retro.change_tally(workspace.get(Theme, theme.id), +1)])
    saved = in_file(workspace, "themes", theme.id)
    assert saved["votes"] == {ann.id: 1, bob.id: 1}
    assert saved["tally"] == 3


def test_merging_themes_moves_the_dots_given_meanwhile_too(workspace: Workspace):
    ann, bob = workspace.add(Person(name="Ann")), workspace.add(Person(name="Bob"))
    keep, absorb = workspace.add(Theme(name="Keep")), workspace.add(Theme(name="Absorb", votes={ann.id: 1}))
    teammate = Workspace.open(workspace.path)
    retro.apply(teammate, "vote", [retro.vote(teammate.all(Theme), teammate.get(Theme, keep.id), bob, +1, 3)])
    retro.apply(
        workspace, "merge", retro.merge_themes(workspace.get(Theme, keep.id), workspace.get(Theme, absorb.id), [], [])
    )
    assert in_file(workspace, "themes", keep.id)["votes"] == {ann.id: 1, bob.id: 1}


def test_undo_takes_back_only_my_entry_and_my_dot(workspace: Workspace):
    ann, bob = workspace.add(Person(name="Ann")), workspace.add(Person(name="Bob"))
    item, theme = workspace.add(WorkItem(title="Post")), workspace.add(Theme(name="Handoffs"))
    workspace.apply(work.add_feedback_cycle(item, NOW, "mine"))
    retro.apply(workspace, "vote", [retro.vote(workspace.all(Theme), workspace.get(Theme, theme.id), ann, +1, 3)])
    teammate = Workspace.open(workspace.path)
    teammate.apply(work.add_feedback_cycle(teammate.get(WorkItem, item.id), NOW, "theirs"))
    retro.apply(teammate, "vote", [retro.vote(teammate.all(Theme), teammate.get(Theme, theme.id), bob, +1, 3)])
    workspace.undo()  # my dot
    workspace.undo()  # my feedback cycle
    assert in_file(workspace, "themes", theme.id)["votes"] == {bob.id: 1}
    assert [entry["note"] for entry in in_file(workspace, "work_items", item.id)["feedback_cycles"]] == ["theirs"]


def test_a_scalar_field_still_goes_to_the_later_save(workspace: Workspace):
    item = workspace.add(WorkItem(title="Post"))
    teammate = Workspace.open(workspace.path)
    teammate.update(teammate.get(WorkItem, item.id), status="blocked")
    workspace.update(workspace.get(WorkItem, item.id), status="done")
    assert in_file(workspace, "work_items", item.id)["status"] == "done"
