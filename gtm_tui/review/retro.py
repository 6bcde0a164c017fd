"""The review meeting's rules: questions, answers, themes, dot votes and the priority fixes.

Everything here is a plain function over records. A change that touches
several records (making a theme from notes, merging two themes) is first
worked out as a list of ``Step`` — pure, so it can be tested and shown — and
then ``apply``-ed through the Workspace as one save and one undo step.

Dots are operations (``add_to`` a person's count, or the tally), not new
values of the whole ``votes`` field: in a live review several people vote on
one theme at once, and each dot must count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from gtm_tui.data import clock
from gtm_tui.data.model import (
    ACTION_STATUSES,
    RECOMMENDATION_KINDS,
    ActionItem,
    Feedback,
    Person,
    Question,
    Record,
    Theme,
    ValidationError,
    as_date,
    parse_date,
    parse_number,
)
from gtm_tui.data.operations import Edit, Operation, add_to
from gtm_tui.data.order import next_position
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import MISSING, Row, Section, counted

PRIORITY_FIX_LIMIT = 3  # the method agrees on 2-3 priority fixes
ACTIVE_STATUSES = ("open", "in progress")


# --------------------------------------------------------------------------
# Change lists


@dataclass(frozen=True)
class Step:
    """One change of a change list: add a record, update it with ``changes`` and ``operations``, or delete it."""

    action: Literal["add", "update", "delete"]
    record: Record
    changes: dict[str, Any] = field(default_factory=dict)
    operations: tuple[Operation, ...] = ()

    @property
    def after(self) -> Record:
        """The record as this step leaves it, worked out on the copy the step was made from."""
        return Edit(self.record, self.changes, self.operations).after


def apply(workspace: Workspace, description: str, steps: Sequence[Step]) -> list[Record]:
    """Carry out ``steps`` as one save and one undo step; return the records as stored."""
    stored: list[Record] = []
    with workspace.batch(description):
        for step in steps:
            if step.action == "add":
                stored.append(workspace.add(step.record))
            elif step.action == "update":
                stored.append(workspace.update(step.record, *step.operations, **step.changes))
            else:
                workspace.delete(step.record)
    return stored


# --------------------------------------------------------------------------
# Questions and the answers given before the meeting


def question_text(text: str) -> str:
    """A question as typed, refused when empty."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("text", "a question needs some text")
    return text


def add_question(workspace: Workspace, text: str) -> Question:
    """Add a review question, as typed, after the others."""
    return workspace.add(Question(text=question_text(text), position=next_position(workspace.all(Question))))


def move_question(workspace: Workspace, question: Question, delta: int) -> bool:
    """Move ``question`` up (delta -1) or down (+1) among the questions; False when it is already at that end."""
    return workspace.move(question, delta, workspace.all(Question))


def note_text(text: str) -> str:
    """A feedback note as typed, refused when empty."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("text", "type the note first")
    return text


@dataclass(frozen=True)
class AnswerRow:
    """Who answered which question: ``counts[i]`` notes for the i-th question. ``person`` None = anonymous."""

    person: Person | None
    counts: tuple[int, ...]

    @property
    def answered(self) -> int:
        return sum(1 for count in self.counts if count)


def answer_grid(
    questions: Sequence[Question], people: Sequence[Person], feedback: Iterable[Feedback]
) -> list[AnswerRow]:
    """The status of the feedback collected before the meeting: one row per person, plus anonymous."""
    index = {q.id: i for i, q in enumerate(questions)}
    counts: dict[str | None, list[int]] = {p.id: [0] * len(questions) for p in people}
    counts[None] = [0] * len(questions)
    for note in feedback:
        if note.phase == "before" and note.question_id in index and note.person_id in counts:
            counts[note.person_id][index[note.question_id]] += 1
    rows = [AnswerRow(p, tuple(counts[p.id])) for p in people]
    return rows + [AnswerRow(None, tuple(counts[None]))]


def note_order(note: Feedback) -> tuple[bool, str, int, str]:
    """Where a note sorts among its question's notes: those given before the meeting first, then in the
    order typed (the second it was saved, then its place among the notes saved in that second)."""
    return (note.phase != "before", note.created_at, note.position, note.id)


def next_note_position(notes: Iterable[Feedback]) -> int:
    """The position that puts a new note after every note there is (two typed in one second keep their order)."""
    return max((note.position for note in notes), default=-1) + 1


def feedback_by_question(
    questions: Sequence[Question], feedback: Iterable[Feedback]
) -> list[tuple[Question, list[Feedback]]]:
    """Every question with its notes (before the meeting first, then live), in question order."""
    by_question: dict[str, list[Feedback]] = {q.id: [] for q in questions}
    for note in sorted(feedback, key=note_order):
        if note.question_id in by_question:
            by_question[note.question_id].append(note)
    return [(q, by_question[q.id]) for q in questions]


# --------------------------------------------------------------------------
# Themes: grouping, renaming, merging, splitting


def theme_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "a theme needs a name")
    return name


def group_notes(notes: Sequence[Feedback], name: str) -> list[Step]:
    """Steps that make a new theme called ``name`` from ``notes``."""
    if not notes:
        raise ValidationError("notes", "select the notes to group first (space marks a note)")
    theme = Theme(name=theme_name(name))
    return [Step("add", theme)] + [Step("update", note, {"theme_id": theme.id}) for note in notes]


def join_theme(notes: Sequence[Feedback], theme: Theme) -> list[Step]:
    """Steps that put ``notes`` into an existing ``theme`` (notes already in it stay as they are)."""
    if not notes:
        raise ValidationError("notes", "select the notes to group first (space marks a note)")
    return [Step("update", note, {"theme_id": theme.id}) for note in notes if note.theme_id != theme.id]


def merge_themes(keep: Theme, absorb: Theme, notes: Iterable[Feedback], actions: Iterable[ActionItem]) -> list[Step]:
    """Steps that fold ``absorb`` into ``keep``: its notes, its dots and its action items move over."""
    if keep.id == absorb.id:
        raise ValidationError("theme", "pick a different theme to merge with")
    dots = [add_to("votes", count, person_id) for person_id, count in sorted(absorb.votes.items()) if count]
    if absorb.tally:
        dots.append(add_to("tally", absorb.tally))
    steps = [Step("update", keep, operations=tuple(dots))]
    steps += [Step("update", n, {"theme_id": keep.id}) for n in notes if n.theme_id == absorb.id]
    steps += [Step("update", a, {"theme_id": keep.id}) for a in actions if a.theme_id == absorb.id]
    return steps + [Step("delete", absorb)]


def split_notes(notes: Sequence[Feedback], new_name: str = "") -> list[Step]:
    """Steps that take ``notes`` out of their themes: ungrouped, or into a new theme when named."""
    if not notes:
        raise ValidationError("notes", "select the notes to split off first (space marks a note)")
    if new_name.strip():
        return group_notes(notes, new_name)
    return [Step("update", note, {"theme_id": None}) for note in notes if note.theme_id]


# --------------------------------------------------------------------------
# Dot voting


def dots_used(themes: Iterable[Theme], person_id: str) -> int:
    return sum(theme.votes.get(person_id, 0) for theme in themes)


def vote(themes: Sequence[Theme], theme: Theme, person: Person, delta: int, limit: int) -> Step:
    """The step that gives (``delta`` > 0) or takes back (< 0) a person's dots, within their limit."""
    current = theme.votes.get(person.id, 0)
    if current + delta < 0:
        raise ValidationError("votes", f"{person.name} has no dot on '{theme.name}' to take back")
    used = dots_used(themes, person.id)
    if delta > 0 and used + delta > limit:
        raise ValidationError(
            "votes", f"{person.name} has used all {counted(limit, 'dot')}; take one back from another theme first"
        )
    return Step("update", theme, operations=(add_to("votes", delta, person.id),))


def dots_progress(themes: Sequence[Theme], people: Sequence[Person], limit: int) -> str:
    """"7 of 12 dots given · still to vote: Bo, Cy" — the facilitator's count while each person votes."""
    themes = list(themes)
    given = {person.id: dots_used(themes, person.id) for person in people}
    waiting = [person.name.split(" ")[0] for person in people if given[person.id] < limit]
    line = f"{sum(given.values())} of {limit * len(people)} dots given"
    return line + (f" · still to vote: {', '.join(waiting)}" if waiting else " · everyone has voted")


def change_tally(theme: Theme, delta: int) -> Step:
    """The step that adds to (or takes from) the dots counted without names."""
    if theme.tally + delta < 0:
        raise ValidationError("tally", f"'{theme.name}' has no counted dots to take back")
    return Step("update", theme, operations=(add_to("tally", delta),))


def dot_limit_value(text: str) -> int:
    """The dots per person as typed: a whole number from 1 to 20."""
    value = parse_number(text, "dot_limit", minimum=1)
    if value is None:
        raise ValidationError("dot_limit", "is required (dots per person, e.g. 3)")
    if not isinstance(value, int) or value > 20:
        raise ValidationError("dot_limit", "must be a whole number from 1 to 20")
    return value


@dataclass(frozen=True)
class RankedTheme:
    """A theme with what the meeting weighs it by."""

    theme: Theme
    notes: int
    votes: int
    fixes: int


def ranked_themes(
    themes: Iterable[Theme], notes: Iterable[Feedback], actions: Iterable[ActionItem] = ()
) -> list[RankedTheme]:
    """Themes by votes, then by how many notes they gather, then by name: the top is what to fix first."""
    # Counted once over the notes and fixes, not once per theme (hundreds of themes, thousands of notes).
    note_counts = Counter(n.theme_id for n in notes)
    fix_counts = Counter(a.theme_id for a in actions if a.status != "dropped")
    ranked = [RankedTheme(t, note_counts[t.id], t.total_votes(), fix_counts[t.id]) for t in themes]
    return sorted(ranked, key=lambda r: (-r.votes, -r.notes, r.theme.name.casefold()))


# --------------------------------------------------------------------------
# Decisions: priority fixes, follow-up, recommendations


def active_priority_fixes(actions: Iterable[ActionItem]) -> list[ActionItem]:
    """Priority fixes still being worked on (open or in progress), soonest deadline first."""
    active = [a for a in actions if a.priority and a.status in ACTIVE_STATUSES]
    return sorted(active, key=lambda a: (a.due or "9999", a.title.casefold()))


def priority_warning(actions: Iterable[ActionItem]) -> str | None:
    """A warning when one more priority fix would go beyond the method's 2-3; None when it is fine."""
    count = len(active_priority_fixes(actions))
    if count < PRIORITY_FIX_LIMIT:
        return None
    return (f"There are already {count} open priority fixes. The method agrees on 2-3; "
            "more fixes at once tend to stall. Add another anyway?")


def action_item_values(values: dict[str, Any]) -> dict[str, Any]:
    """What an action item form holds, as stored fields; an owner and a deadline are both required."""
    title = (values.get("title") or "").strip()
    if not title:
        raise ValidationError("title", "say what will be fixed")
    owner = values.get("owner")
    if not owner:
        raise ValidationError("owner", "is required: every fix needs one person who owns it")
    due = parse_date(values.get("deadline"), "deadline", required=True)
    return {"title": title, "owner_id": owner, "due": due, "note": (values.get("note") or "").strip(),
            "priority": bool(values.get("priority", True))}


def next_status(status: str) -> str:
    """The next action item status in the cycle open → in progress → done → dropped → open."""
    return ACTION_STATUSES[(ACTION_STATUSES.index(status) + 1) % len(ACTION_STATUSES)]


def is_overdue(item: ActionItem, today: date | None = None) -> bool:
    due = as_date(item.due)
    return bool(due and item.status in ACTIVE_STATUSES and due < (today or clock.today()))


def follow_up_value(text: str) -> str:
    """The follow-up check date as typed: required, and not in the past."""
    value = parse_date(text, "follow_up_date", required=True)
    assert value is not None
    if value < clock.today().isoformat():
        raise ValidationError("follow_up_date", f"{value} is in the past; the follow-up check is still to come")
    return value


def recommendation_values(values: dict[str, Any]) -> dict[str, Any]:
    text = (values.get("text") or "").strip()
    if not text:
        raise ValidationError("text", "say what is recommended")
    kind = values.get("kind") or "other"
    if kind not in RECOMMENDATION_KINDS:
        raise ValidationError("kind", f"must be one of {', '.join(RECOMMENDATION_KINDS)}")
    return {"text": text, "kind": kind, "stage_id": values.get("stage") or None}


def review_section(workspace: Workspace) -> Section:
    """The Overview's "Priority fixes" block: open fixes with owner and deadline (overdue marked), and the follow-up."""

    rows = []
    today = clock.today()
    for item in active_priority_fixes(workspace.all(ActionItem)):
        owner = workspace.name_of(Person, item.owner_id, "no owner")
        late = is_overdue(item, today)
        value = f"{owner} · due {item.due or '—'} · {item.status}" + (" · OVERDUE" if late else "")
        rows.append(Row(item.title, value, "bad" if late else ""))
    follow_up = workspace.pilot().follow_up_date
    if rows or follow_up:
        rows.append(Row("Follow-up check", follow_up or MISSING, "" if follow_up else "muted"))
    return Section("Priority fixes", rows)
