"""Meeting mode as a room runs it: phases, a theme across questions, notes in typed order, each screen's own
notes hidden from the others until the reveal, and each person's own dots from their own screen."""

from __future__ import annotations

from pathlib import Path

import orjson
from pilot_waits import press_and_wait, type_at_once, until

from gtm_tui.app import GtmApp
from gtm_tui.data.model import Feedback, Person, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.review import meeting
from gtm_tui.screens.pushed.meeting import MeetingScreen
from gtm_tui.sharing import identity
from gtm_tui.sharing.identity import IdentityStore, workspace_key


def stored(path: Path, table: str) -> list[dict]:
    return list(orjson.loads(path.read_bytes())[table].values())


async def test_notes_typed_within_one_second_show_in_the_order_typed(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        words = ["one", "two", "three", "four", "five", "six"]
        for word in words:  # the clock is frozen: every note has the same stamp
            await type_at_once(pilot, *word, "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert [n.text for n in screen.notes()] == words
        assert screen.query_one("#notes").row_keys() == [n.id for n in screen.notes()]


async def test_four_notes_on_four_questions_become_one_theme(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        questions = app.workspace.all(Question)
        assert len(questions) == 4
        for number in range(4):
            await type_at_once(pilot, *f"slow approvals {number}", "enter", "tab", "space", "shift+tab")
            if number < 3:
                await type_at_once(pilot, "ctrl+n")
        screen = app.screen
        assert len(screen.selected_notes) == 4
        assert "4 selected on 4 questions" in str(screen.query_one("#notes-pane").border_subtitle)
        await type_at_once(pilot, "ctrl+t", *"Approvals", "ctrl+s")
        themes = stored(empty_file, "themes")
        assert [t["name"] for t in themes] == ["Approvals"]
        notes = stored(empty_file, "feedback")
        assert {n["theme_id"] for n in notes} == {themes[0]["id"]}
        assert {n["question_id"] for n in notes} == {q.id for q in questions}


async def test_the_phase_moves_on_by_key_and_a_timer_counts_down(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_and_wait(pilot, "6", "m")
        await type_at_once(pilot, "ctrl+g")
        assert app.workspace.pilot().review_phase == "write"
        await type_at_once(pilot, "ctrl+r", "5", "enter")
        assert app.workspace.pilot().phase_ends_at is not None
        phase_line = str(app.screen.query_one("#phase").render())
        assert "Write" in phase_line and "5:00 left" in phase_line
        await type_at_once(pilot, "ctrl+g", "ctrl+g", "ctrl+g", "ctrl+g")
        assert (app.workspace.pilot().review_phase, app.workspace.pilot().phase_ends_at) == ("decide", None)


def listed(screen: MeetingScreen) -> list[str]:
    """The notes a screen lists, as drawn by its own app (two apps run here: a screen's methods called from
    the test would reach the app started last)."""
    texts = {note["id"]: note["text"] for note in stored(screen.workspace.path, "feedback")}
    return [texts[key] for key in screen.query_one("#notes").row_keys()]


def _identity_store(config_dir: Path, name: str) -> IdentityStore:
    folder = config_dir / name
    folder.mkdir()
    (folder / "who-am-i.json").write_bytes(orjson.dumps({"ask_on_first_open": False}))
    return IdentityStore(folder)


async def test_two_screens_write_in_private_then_each_gives_their_own_dots(empty_file: Path, config_dir: Path):
    workspace = Workspace.open(empty_file)
    ann = workspace.add(Person(name="Ann Lee"))
    bob = workspace.add(Person(name="Bob Stone"))
    workspace.update(workspace.pilot(), review_phase="write", dot_limit=2)
    stores = {}
    for person in (ann, bob):
        stores[person.id] = _identity_store(config_dir, person.name.split()[0])
        stores[person.id].remember(workspace_key(workspace), person.id, name=person.name, file=empty_file)
    facilitator = GtmApp(empty_file, Workspace.open(empty_file), identities=stores[ann.id])
    teammate = GtmApp(empty_file, Workspace.open(empty_file), identities=stores[bob.id])
    # Each app notices the other's saves as it does a teammate's: by looking at the file every second.
    async with facilitator.run_test(size=(120, 40)) as ann_pilot, teammate.run_test(size=(120, 40)) as bob_pilot:
        await press_and_wait(ann_pilot, "6", "m")
        await press_and_wait(bob_pilot, "6", "m")
        ann_screen, bob_screen = facilitator.screen, teammate.screen
        assert isinstance(ann_screen, MeetingScreen) and isinstance(bob_screen, MeetingScreen)
        await type_at_once(ann_pilot, "ctrl+o", *"ann", "enter", *"Handoffs are slow", "enter")
        await type_at_once(bob_pilot, "ctrl+o", *"bs", "enter", *"Briefs lack a goal", "enter")
        await type_at_once(bob_pilot, "ctrl+o", "enter", *"Nobody reads the tracker", "enter")  # anonymous
        await until(ann_pilot, lambda: "2 notes from 2 writers hidden" in str(
            ann_screen.query_one("#notes-pane").border_title), "the facilitator to count the hidden notes")
        assert listed(ann_screen) == ["Handoffs are slow"]
        assert listed(bob_screen) == ["Briefs lack a goal", "Nobody reads the tracker"]
        anonymous = next(n for n in stored(empty_file, "feedback") if n["text"] == "Nobody reads the tracker")
        assert anonymous["person_id"] is None  # hidden, and still anonymous

        # The reveal: the facilitator moves to grouping; every screen shows every note.
        await type_at_once(ann_pilot, "ctrl+g")
        assert len(listed(ann_screen)) == 3
        await until(bob_pilot, lambda: len(listed(bob_screen)) == 3, "the teammate's screen to show every note")

        # Two themes, then the vote: each screen gives its own dots.
        await type_at_once(ann_pilot, "tab", "space", "down", "space", "ctrl+t", *"Handoffs", "ctrl+s")
        await type_at_once(ann_pilot, "tab", "space", "ctrl+t", *"Tracker", "ctrl+s")
        await type_at_once(ann_pilot, "ctrl+g")
        themes = {t["name"]: t["id"] for t in stored(empty_file, "themes")}
        assert set(themes) == {"Handoffs", "Tracker"}
        await until(bob_pilot, lambda: bob_screen.query_one("#themes").row_count == 2, "the themes on Bob's screen")
        for pilot, screen, name in ((ann_pilot, ann_screen, "Handoffs"), (bob_pilot, bob_screen, "Handoffs"),
                                    (bob_pilot, bob_screen, "Tracker")):
            table = screen.query_one("#themes")
            for _ in range(4):
                if screen.focused is table:
                    break
                await type_at_once(pilot, "tab")
            assert screen.focused is table
            table.move_cursor(row=table.get_row_index(themes[name]))
            await type_at_once(pilot, "plus")
        votes = {t["name"]: t["votes"] for t in stored(empty_file, "themes")}
        assert votes == {"Handoffs": {ann.id: 1, bob.id: 1}, "Tracker": {bob.id: 1}}
        await until(ann_pilot, lambda: "3 of 4 dots given · still to vote: Ann" in str(
            ann_screen.query_one("#meeting-status").render()), "the facilitator's count of the dots")


def test_a_speaker_is_found_by_initials_a_first_name_or_the_start_of_a_name():
    people = [Person(name="Ann Lee"), Person(name="Anna Berg"), Person(name="Bob Stone")]
    assert identity.match_person(people, "bs").name == "Bob Stone"
    assert identity.match_person(people, "bob").name == "Bob Stone"
    assert identity.match_person(people, "al").name == "Ann Lee"
    assert identity.match_person(people, "Ann Lee").name == "Ann Lee"
    assert identity.match_person(people, "") is None and identity.match_person(people, "anon") is None
    for typed, words in (("an", "could be Ann Lee, Anna Berg"), ("zed", "nobody on the team")):
        try:
            identity.match_person(people, typed)
        except Exception as error:  # a ValidationError names the field and says why
            assert words in str(error)
        else:
            raise AssertionError(f"{typed!r} should be refused")


def test_only_the_write_phase_hides_the_notes_of_others():
    mine = Feedback(question_id="q", text="a", person_id="me")
    theirs = Feedback(question_id="q", text="b", person_id="them")
    typed_here = Feedback(question_id="q", text="c")
    shown = meeting.notes_shown([mine, theirs, typed_here], "write", "me", {typed_here.id})
    assert ([n.text for n in shown.notes], shown.hidden, shown.hidden_writers) == (["a", "c"], 1, 1)
    assert meeting.notes_shown([mine, theirs], "group", "me", set()).hidden == 0


async def test_ten_notes_on_three_questions_become_three_themes_in_47_keys_besides_the_typing(empty_file: Path):
    app = GtmApp(empty_file, Workspace.open(empty_file))
    async with app.run_test(size=(80, 24)) as pilot:
        await press_and_wait(pilot, "6", "m")
        notes = [["H1", "U1", "T1", "H2"], ["H3", "U2", "T2"], ["H4", "U3", "T3"]]  # the theme each note goes to
        keys: list[str] = []
        for number, texts in enumerate(notes):
            for text in texts:
                await type_at_once(pilot, *f"note {text}", "enter")
                keys.append("enter")
            if number < 2:
                keys.append("ctrl+n")
                await type_at_once(pilot, "ctrl+n")
        # On question 3, the cursor on its last note: the T notes, walking back a question at a time ...
        steps = [["tab", "space", "ctrl+b", "space", "ctrl+b", "space", "ctrl+t", "Tools", "ctrl+s"],
                 # ... the U notes, walking forward ...
                 ["up", "up", "space", "ctrl+n", "up", "space", "ctrl+n", "up", "space", "ctrl+t", "Unclear", "ctrl+s"],
                 # ... and the H notes, two of them on question 1.
                 ["up", "up", "space", "ctrl+b", "up", "space", "ctrl+b", "up", "space", "down", "down", "space",
                  "ctrl+t", "Handoffs", "ctrl+s"]]
        for step in steps:
            for key in step:
                await type_at_once(pilot, *(key if key[0].isupper() else [key]))
            keys += [key for key in step if not key[0].isupper()]
        themes = {t["id"]: t["name"] for t in stored(empty_file, "themes")}
        grouped = {n["text"].removeprefix("note "): themes.get(n["theme_id"]) for n in stored(empty_file, "feedback")}
        assert grouped == {text: {"T": "Tools", "U": "Unclear", "H": "Handoffs"}[text[0]]
                           for texts in notes for text in texts}
        # Before the marks were kept across questions: about 90 (each question's notes joined to the theme
        # through the form's picker).
        assert len(["6", "m", *keys]) == 47
