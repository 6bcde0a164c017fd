"""Feedback before the meeting in one pass: one form (or one shell command) answers every question."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import orjson
import pytest
from pilot_waits import press_and_wait, type_at_once

from gtm_tui.app import GtmApp
from gtm_tui.cli.main import main
from gtm_tui.data.model import Feedback, Person, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.review.answers import answers_of, save_answers
from gtm_tui.screens.dialogs.forms import FormScreen
from gtm_tui.sharing.identity import IdentityStore, workspace_key


def answers_in(path: Path) -> dict[str, tuple[str | None, str]]:
    notes = orjson.loads(path.read_bytes())["feedback"].values()
    return {note["text"]: (note["person_id"], note["question_id"]) for note in notes}


def test_answers_are_added_changed_and_taken_back_in_one_undo_step(workspace: Workspace):
    ann = workspace.add(Person(name="Ann"))
    questions = workspace.all(Question)
    saved = save_answers(workspace, ann, {questions[0].id: "Tags", questions[1].id: "Legal"})
    assert (saved.added, saved.changed, saved.taken_back) == (2, 0, 0)
    saved = save_answers(workspace, ann, {questions[0].id: "Tags", questions[1].id: "", questions[2].id: "Briefs"})
    assert (saved.added, saved.changed, saved.taken_back) == (1, 0, 1)
    assert [(a.question.id, a.given.text if a.given else None) for a in answers_of(workspace, ann.id)] == [
        (questions[0].id, "Tags"), (questions[1].id, None), (questions[2].id, "Briefs"), (questions[3].id, None)]
    workspace.undo()
    assert sorted(n.text for n in workspace.all(Feedback)) == ["Legal", "Tags"]


async def test_one_form_answers_all_four_questions(empty_file: Path, config_dir: Path):
    workspace = Workspace.open(empty_file)
    ann = workspace.add(Person(name="Ann Lee"))
    store = IdentityStore(config_dir)
    store.remember(workspace_key(workspace), ann.id, name=ann.name, file=empty_file)
    app = GtmApp(empty_file, workspace, identities=store)
    async with app.run_test(size=(100, 40)) as pilot:
        await press_and_wait(pilot, "6")
        await type_at_once(pilot, "A")
        assert isinstance(app.screen, FormScreen)
        keys = ["tab"]  # from "From" (Ann, who sits here) to the first answer
        for text in ("Tags", "Legal", "Briefs", "Tracker"):
            keys += [*text, "enter"]
        await type_at_once(pilot, *keys)
        assert not isinstance(app.screen, FormScreen)
    questions = {q.id for q in Workspace.open(empty_file).all(Question)}
    saved = answers_in(empty_file)
    assert set(saved) == {"Tags", "Legal", "Briefs", "Tracker"}
    assert {who for who, _ in saved.values()} == {ann.id}
    assert {question for _, question in saved.values()} == questions


def test_the_answer_verb_reads_one_line_per_question(empty_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]):
    workspace = Workspace.open(empty_file)
    workspace.add(Person(name="Ann Lee"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("Tags\n\nBriefs\nTracker\n"))
    assert main(["answer", str(empty_file), "--as", "ann lee"]) == 0
    assert "Ann Lee's answers: 3 new." in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("-\nLegal\n"))  # take back the first, answer the second
    assert main(["answer", str(empty_file), "--as", "Ann Lee"]) == 0
    assert sorted(answers_in(empty_file)) == ["Briefs", "Legal", "Tracker"]


def test_the_answer_verb_names_the_team_when_the_name_is_unknown(empty_file: Path,
                                                                 capsys: pytest.CaptureFixture[str]):
    Workspace.open(empty_file).add(Person(name="Ann Lee"))
    assert main(["answer", str(empty_file), "--as", "Zed"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("gtm-tui: nobody called 'Zed'") and "Ann Lee" in error
    assert main(["answer", str(empty_file.parent / "missing.json"), "--anonymous"]) == 2
