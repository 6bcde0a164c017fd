"""Feedback before the meeting in one pass: a person answers every review question at once — no UI.

"My answers" in the app and ``gtm-tui answer FILE --as NAME`` both go through
here: each question with the person's answer given before the meeting (the
latest, when there are several), and one save for all of them. A named person
changes their own answers in place; an empty answer takes theirs back. An
anonymous answer can never be found again (it carries nobody's name), so
anonymous answers are only ever added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gtm_tui.data.model import Feedback, Person, Question
from gtm_tui.data.workspace import Workspace
from gtm_tui.review.retro import next_note_position


@dataclass(frozen=True)
class Answer:
    """A question and what the person answered before the meeting (None: nothing yet)."""

    question: Question
    given: Feedback | None


def answers_of(workspace: Workspace, person_id: str | None) -> list[Answer]:
    """Every question in order with the person's latest answer before the meeting (anonymous: none to find)."""
    latest: dict[str, Feedback] = {}
    if person_id is not None:
        for note in workspace.all(Feedback):
            if note.person_id == person_id and note.phase == "before":
                current = latest.get(note.question_id)
                if current is None or (note.created_at, note.position) >= (current.created_at, current.position):
                    latest[note.question_id] = note
    return [Answer(question, latest.get(question.id)) for question in workspace.all(Question)]


@dataclass(frozen=True)
class Saved:
    added: int = 0
    changed: int = 0
    taken_back: int = 0

    def describe(self, who: str) -> str:
        parts = [f"{count} {words}" for count, words in ((self.added, "new"), (self.changed, "changed"),
                                                            (self.taken_back, "taken back")) if count]
        return f"{who}'s answers: {', '.join(parts)}." if parts else f"Nothing changed in {who}'s answers."


def save_answers(workspace: Workspace, person: Person | None, typed: Mapping[str, str]) -> Saved:
    """Save the answers typed per question id as one change (one save, one undo step).

    Text equal to the answer there is leaves it alone; other text replaces it or is added;
    empty text takes a named person's answer back (and adds nothing for anonymous).
    """
    answers = {answer.question.id: answer for answer in answers_of(workspace, person.id if person else None)}
    added = changed = taken_back = 0
    who = person.name if person else "anonymous"
    with workspace.batch(f"answers of {who} before the review"):
        for question_id, raw in typed.items():
            answer = answers.get(question_id)
            if answer is None:
                continue  # a question deleted meanwhile
            text = " ".join(raw.split()) if "\n" not in raw else raw.strip()
            given = answer.given
            if given is not None and text == given.text:
                continue
            if given is not None and not text:
                workspace.delete(given)
                taken_back += 1
            elif given is not None:
                workspace.update(given, text=text)
                changed += 1
            elif text:
                position = next_note_position(n for n in workspace.all(Feedback) if n.question_id == question_id)
                workspace.add(Feedback(question_id=question_id, person_id=person.id if person else None, text=text,
                                       phase="before", position=position))
                added += 1
    return Saved(added, changed, taken_back)
