"""Control characters: dropped from new text by the model, drawn visibly for text already in a file."""

from __future__ import annotations

import pytest
from hostile import CLEAR, HOSTILE, OSC0, OSC8, OSC52, leaks

from gtm_tui.data.model import CheckIn, Person, Pilot, Stage, WorkItem
from gtm_tui.data.operations import append
from gtm_tui.data.safe_text import clean, has_control, strip, visible
from gtm_tui.data.workspace import Workspace


@pytest.mark.parametrize("attack", [OSC52, OSC0, CLEAR, OSC8, "\x9b31m", "\x00", "\x7f", "\x07"])
def test_clean_drops_every_control_character(attack):
    cleaned = clean(f"Eve{attack}Adams")
    assert not has_control(cleaned)
    assert cleaned.startswith("Eve") and cleaned.endswith("Adams")
    assert not leaks(cleaned)


def test_clean_keeps_line_breaks_only_where_a_field_allows_them():
    assert clean("one\r\ntwo\rthree\tfour") == "one two three four"
    assert clean("one\r\ntwo\rthree\tfour", allow_newlines=True) == "one\ntwo\nthree\tfour"
    assert clean("plain text, [/] and [bold red]markup[/]") == "plain text, [/] and [bold red]markup[/]"


def test_visible_draws_control_characters_as_pictures_one_cell_each():
    assert visible("a\x1b[2Jb\x07") == "a␛[2Jb␇"
    assert visible("x\x9by") == "x\\x9by"
    assert visible("x\x7f\x00") == "x␡␀"
    assert visible("line\nnext\ttab") == "line␊next␉tab"
    assert visible("line\r\nnext\ttab", allow_newlines=True) == "line\nnext\ttab"
    assert not leaks(visible(HOSTILE)) and not has_control(visible(HOSTILE))


def test_strip_keeps_everything_but_the_control_characters():
    assert strip("a\x1b]0;x\x07b\tc\nd") == "a]0;xb\tc\nd"
    assert strip("plain") == "plain"


def test_new_text_reaches_the_file_without_control_characters(workspace: Workspace):
    person = workspace.add(Person(name=f"Eve{OSC52}{OSC8}", role="writer\x1b[2J"))
    assert not has_control(person.name) and person.role == "writer[2J"
    stage = workspace.add(Stage(name="Brief\nreview", prerequisites="a\r\nb\x1b]52;c;x\x07"))
    assert stage.name == "Brief review"  # a name is one line
    assert stage.prerequisites == "a\nb]52;c;x"  # a note keeps its line breaks
    edited = workspace.update(person, team="Ops\x9b2J")
    assert edited.team == "Ops2J"
    saved = Workspace.open(workspace.path)
    assert not leaks(saved.path.read_text(encoding="utf-8"))
    assert saved.get(Person, person.id).name == person.name


def test_notes_inside_lists_and_the_baseline_keys_are_cleaned_too(workspace: Workspace):
    cycle = {"at": "2026-11-18T10:00:00+00:00", "note": "x\x1b[2J\ny"}
    item = workspace.add(WorkItem(title="Post", feedback_cycles=[cycle]))
    assert item.feedback_cycles[0]["note"] == "x[2J\ny"
    blocker = {"person_id": None, "item_id": "", "note": "b\x1b"}
    check_in = workspace.add(CheckIn(date="2026-11-18", notes="n\x07", blockers=[blocker]))
    assert check_in.notes == "n" and check_in.blockers[0]["note"] == "b"
    pilot = workspace.update(workspace.pilot(), name="Pilot\x1b]0;pwned\x07", baseline={"days\x1b[2J": 3})
    assert pilot.name == "Pilot]0;pwned" and pilot.baseline == {"days[2J": 3}


def test_a_new_workspace_gets_a_clean_pilot_name(tmp_path):
    workspace = Workspace.create(tmp_path / "p.json", Pilot(name=f"Launch{OSC0}"))
    assert workspace.pilot().name == "Launch]0;pwned"


def test_an_appended_entry_is_cleaned_on_its_way_to_the_file(workspace: Workspace):
    """A feedback cycle or a time-log note goes in as an operation on the newest file: cleaned the same way."""
    item = workspace.add(WorkItem(title="Post"))
    workspace.update(item, append("feedback_cycles", {"at": "2026-11-18T10:00:00+00:00", "note": "a\x1b]0;x\x07\r\nb"}))
    [cycle] = Workspace.open(workspace.path).get(WorkItem, item.id).feedback_cycles
    assert cycle["note"] == "a]0;x\nb"
    assert not leaks(workspace.path.read_text(encoding="utf-8"))
