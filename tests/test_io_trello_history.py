"""A Trello board with its history (tests/fixtures/trello-spring-launch.json): list moves become visits, and more."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.io import trello
from gtm_tui.io.importing import BadRow, ReadOptions, apply_plan, plan_import

BOARD = Path(__file__).parent / "fixtures" / "trello-spring-launch.json"
UTC = ReadOptions(tz="UTC")


def imported(workspace, options=UTC, path=BOARD):
    plan = plan_import(workspace, path, "trello", options)
    apply_plan(workspace, plan)
    return plan, {item.title: item for item in workspace.all(WorkItem)}


def visits(workspace, item):
    return [(workspace.name_of(Stage, v["stage_id"]), v["entered_at"], v["left_at"]) for v in item.stage_history]


def test_list_moves_become_visits_whose_times_match_the_moves(workspace):
    _, items = imported(workspace)
    news = items["Newsletter #1: spring edit"]
    assert visits(workspace, news) == [
        ("Ideas", "2026-03-03T08:00:00+00:00", "2026-03-04T09:00:00+00:00"),  # createCard opens the first visit
        ("Writing", "2026-03-04T09:00:00+00:00", "2026-03-05T09:00:00+00:00"),
        ("Review", "2026-03-05T09:00:00+00:00", "2026-03-06T09:00:00+00:00"),
        ("Writing", "2026-03-06T09:00:00+00:00", "2026-03-09T09:00:00+00:00"),  # sent back: rework
        ("Review", "2026-03-09T09:00:00+00:00", "2026-03-10T10:00:00+00:00"),
        ("Ready for approval", "2026-03-10T10:00:00+00:00", "2026-03-11T10:00:00+00:00"),
        ("Approval", "2026-03-11T10:00:00+00:00", "2026-03-12T10:00:00+00:00"),
        ("Done", "2026-03-12T10:00:00+00:00", None),
    ]
    # a Done list's cards are done, at their last move into it
    assert (news.status, news.done_at) == ("done", "2026-03-12T10:00:00+00:00")
    hero = items["Landing page hero"]
    assert (hero.status, hero.done_at, workspace.name_of(Stage, hero.stage_id)) == ("in progress", None, "Review")
    # no createCard in the export: the card's id tells when it was created
    quiet = items["Customer story: Harbor Logistics"]
    assert visits(workspace, quiet) == [("Ideas", "2026-03-05T14:00:00+00:00", None)]
    assert quiet.status == "not started"


def test_comments_labels_description_and_who_ticked_what(workspace):
    _, items = imported(workspace)
    blog = items["Launch blog post: Spring collection is here"]
    assert blog.tags == ["Blog", "red"]  # a label without a name is known by its colour
    assert blog.note == "Angle from the product marketing doc.\nLink the lookbook."
    assert blog.comments == [
        {"at": "2026-03-04T11:30:00+00:00", "author": "Sam Ortiz", "text": "Can we add the lookbook link?"},
        {"at": "2026-03-07T09:15:00+00:00", "author": "Lea Fischer", "text": "Done, and the [bold]alt text[/bold]."},
    ]
    people = {p.id: p.name for p in workspace.all(Person)}
    checks = {c.text: c for c in workspace.all(ChecklistItem)}
    outline = checks["Outline approved by the campaign manager"]
    assert (outline.done, outline.done_at, people[outline.done_by]) == (
        True,
        "2026-03-05T12:00:00+00:00",
        "Lea Fischer",
    )
    assert outline.work_item_id == blog.id and outline.stage_id == blog.stage_id
    link = checks["Lookbook link in the second paragraph"]
    assert (link.done, link.done_by, people[link.owner_id], link.due) == (False, None, "Sam Ortiz", "2026-03-05")


def test_a_300_character_title_is_shortened_and_kept_whole_in_the_note(workspace):
    board = json.loads(BOARD.read_text(encoding="utf-8"))
    long_title = next(card["name"] for card in board["cards"] if card["name"].startswith("Social carousel"))
    assert len(long_title) == 300
    plan, items = imported(workspace)
    item = next(item for title, item in items.items() if title.startswith("Social carousel"))
    assert len(item.title) == 200 and item.title.endswith("…") and long_title.startswith(item.title[:-1])
    assert item.note == f"Full title: {long_title}"
    assert (
        "1 title was longer than gtm-tui keeps: shortened with '…', the whole text kept in the note." in plan.summary()
    )


def test_archived_cards_and_lists_are_counted_or_brought_in(workspace):
    plan, items = imported(workspace)
    assert "Old promo from the winter sale" not in items and "Podcast idea" not in items
    assert (
        "Left out: 1 archived card and 1 card in 1 archived list (archived on Trello; --include-archived brings "
        "them in as done, past work)."
    ) in plan.summary()
    assert "Parking lot" not in [stage.name for stage in workspace.all(Stage)]
    plan, items = imported(workspace, ReadOptions(tz="UTC", include_archived=True))
    old = items["Old promo from the winter sale"]
    assert (old.status, old.done_at) == ("done", "2026-03-03T10:00:00+00:00")  # in Done: done when it got there
    parked = items["Podcast idea"]
    assert parked.status == "done" and workspace.name_of(Stage, parked.stage_id) == "Parking lot"


def test_due_dates_fall_on_the_teams_own_day(workspace):
    """The hero is due at 02:00 UTC on 20 March: in New York that is still the 19th."""
    _, items = imported(workspace, ReadOptions(tz="America/New_York"))
    assert items["Landing page hero"].due == "2026-03-19"
    _, items = imported(workspace, ReadOptions(tz="Asia/Tokyo"))
    assert items["Landing page hero"].due == "2026-03-20"
    with pytest.raises(BadRow, match="--tz 'Mars/Olympus': is not a time zone"):
        plan_import(workspace, BOARD, "trello", ReadOptions(tz="Mars/Olympus"))


def test_the_done_list_can_be_named_or_is_the_last_list(workspace, tmp_path):
    history = trello.read(BOARD, ReadOptions(done_list="approval", tz="UTC"))
    assert history.place(history.done_place).name == "Approval"
    assert "'Approval' is the done list, as asked." in history.notes
    with pytest.raises(BadRow, match="--done-list 'Shipped': there is no list by that name"):
        trello.read(BOARD, ReadOptions(done_list="Shipped"))
    board = json.loads(BOARD.read_text(encoding="utf-8"))
    for trello_list in board["lists"]:
        if trello_list["name"] == "Done":
            trello_list["name"] = "Готово"
    path = tmp_path / "ru.json"
    path.write_text(json.dumps(board, ensure_ascii=False), encoding="utf-8")
    assert trello.read(path, UTC).place(trello.read(path, UTC).done_place).name == "Готово"
    for trello_list in board["lists"]:
        if trello_list["name"] == "Готово":
            trello_list["name"] = "Shipped to the site"
    path.write_text(json.dumps(board, ensure_ascii=False), encoding="utf-8")
    history = trello.read(path, UTC)
    assert history.place(history.done_place).name == "Shipped to the site"  # none named like done: the last open list
    assert any("the last one, 'Shipped to the site', is taken as done" in note for note in history.notes)


def test_an_export_at_trellos_action_cap_says_older_history_is_missing(workspace, tmp_path):
    board = json.loads(BOARD.read_text(encoding="utf-8"))
    filler = dict(board["actions"][-1], type="updateBoard", data={"board": board["actions"][-1]["data"]["board"]})
    board["actions"] += [dict(filler, id=f"{n:024x}") for n in range(1000 - len(board["actions"]))]
    path = tmp_path / "busy.json"
    path.write_text(json.dumps(board), encoding="utf-8")
    plan = plan_import(workspace, path, "trello", UTC)
    assert any(line.startswith("Trello's export keeps only the newest 1,000 actions") for line in plan.summary())


def test_importing_the_board_again_changes_nothing(workspace):
    imported(workspace)
    plan = plan_import(workspace, BOARD, "trello", UTC)
    assert plan.planned == []
