"""Last quarter's retro — a Markdown page, a retro board export, a Parabol CSV — as review feedback.

``gtm-tui import pilot.json retro.md --from retro [--map "Heading=Question"]``.

Each section (heading or board column) goes to the closest review question:
the same text, else the same intent — "What went well" / "Keep" / "Glad" to
the question about what sped work up, "What went wrong" / "Stop" / "Lacked"
to obstacles, "Could be improved" / "Start" / "Ideas" to the one change,
anything about roles to the RACI question. A section about none of these
becomes a question of its own; a section of actions ("Action items", "Next
steps") becomes action items; summaries, metrics and attendee lists are
left out. ``--map`` (or ``m`` in the preview) changes any of it.

Notes keep their author when the prefix or suffix names someone on the team
(else the name stays in the text); votes make the note a theme with that
many dots (a Parabol group is one theme with its notes); an action keeps its
owner when on the team, its due date and whether it was ticked. Importing the
same file again updates what it brought (same question and text, same action
title, same theme name) instead of adding copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from gtm_tui.data.model import ActionItem, Feedback, Person, Question, Theme
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.grids import (
    MARKDOWN_SUFFIXES,
    XLSX_SUFFIXES,
    Grid,
    GridError,
    read_csv_grid,
    read_text,
    read_xlsx_grids,
)
from gtm_tui.io.import_report import MappingLine, ReviewedPlan, loose, mapping_pairs, parse_mapping
from gtm_tui.io.importing import BadRow, PlanBuilder, ReadOptions
from gtm_tui.io.raci_codes import fold
from gtm_tui.io.retro_notes import Card, intent_of
from gtm_tui.io.retro_sources import RetroSource, Section, is_card_list, read_board, read_card_list, read_markdown_retro
from gtm_tui.overview.sections import counted

OPTIONS = ("mapping", "sheet")
SKIP, NEW, ACTIONS = "skip", "new", "actions"
TITLE = re.compile(r"\b(retro(spective)?s?|sprint \d+|meeting notes|minutes|post[- ]?mortem)\b", re.IGNORECASE)
NOTE_MAX, TITLE_MAX, THEME_MAX, QUESTION_MAX = 2000, 200, 120, 300


def read_source(path: Path, people: list[Person], sheet: str | None = None) -> RetroSource:
    """The retro file as sections of cards; ``BadRow`` when it cannot be read."""
    suffix = path.suffix.lower()
    try:
        if suffix in MARKDOWN_SUFFIXES:
            text, _ = read_text(path)
            return read_markdown_retro(text, path.name, people)
        if suffix in XLSX_SUFFIXES:
            grids = read_xlsx_grids(path)
            grid = _sheet(grids, sheet, path)
        else:
            grid = read_csv_grid(path)
    except GridError as error:
        raise BadRow(path.name, str(error)) from None
    header = next((row for row in grid.rows if any(row)), [])
    return read_card_list(grid, people) if is_card_list(header) else read_board(grid, people)


def _sheet(grids: list[Grid], sheet: str | None, path: Path) -> Grid:
    if not grids:
        raise BadRow(path.name, "has no sheets")
    if not sheet:
        return grids[0]
    found = [g for g in grids if fold(g.name) == fold(f"sheet '{sheet}'")]
    if not found and sheet.isdigit() and 0 < int(sheet) <= len(grids):
        found = [grids[int(sheet) - 1]]
    if not found:
        raise BadRow(path.name, f"has no sheet named '{sheet}' (it has {', '.join(g.name for g in grids)})")
    return found[0]


# -- where a section goes ------------------------------------------------------------------


@dataclass
class Destination:
    """Where a section's cards go: a question (existing or new), the action items, or nowhere."""

    kind: str  # question | actions | skip
    question: Question | None = None
    new_text: str = ""
    why: str = ""


def destination(heading: str, questions: list[Question], mapping: dict[str, str], *,
                first: bool = False) -> Destination:
    """Where a heading goes: the mapping, the question with the same text, or with the same intent, else its own."""
    chosen = mapping.get(loose(heading))
    if chosen is not None:
        return _mapped(chosen, heading, questions)
    same = next((q for q in questions if loose(q.text) == loose(heading)), None)
    if same is not None:
        return Destination("question", same, why="same text")
    intent = intent_of(heading)
    if intent == "actions":
        return Destination("actions", why="a list of actions")
    if intent == "meta":
        return Destination("skip", why="not retro notes (a summary, metrics or attendees)")
    if intent is not None:
        match = next((q for q in questions if intent_of(q.text) == intent), None)
        if match is not None:
            return Destination("question", match, why=f"about {intent.replace('_', ' ')}")
    if intent is None and first and TITLE.search(heading):
        return Destination("skip", why="the document's title")
    return Destination("question", None, new_text=heading[:QUESTION_MAX], why="no question like it")


def _mapped(chosen: str, heading: str, questions: list[Question]) -> Destination:
    word = fold(chosen)
    if word == SKIP:
        return Destination("skip", why="mapped")
    if word in (ACTIONS, "action items", "action"):
        return Destination("actions", why="mapped")
    if word == NEW:
        return Destination("question", None, new_text=heading[:QUESTION_MAX], why="mapped")
    if chosen.isdigit():
        number = int(chosen)
        if not 0 < number <= len(questions):
            raise BadRow("--map", f"there is no question {number} (there are {len(questions)})")
        return Destination("question", questions[number - 1], why="mapped")
    same = next((q for q in questions if loose(q.text) == loose(chosen)), None)
    if same is not None:
        return Destination("question", same, why="mapped")
    return Destination("question", None, new_text=chosen[:QUESTION_MAX], why="mapped")


# -- planning ------------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class RetroPlanner:
    """Sections and cards into questions, notes, themes and action items, checked as they come."""

    def __init__(self, workspace: Workspace, path: Path) -> None:
        self.builder = PlanBuilder(workspace, f"retro notes {path.name}")
        self.path = path
        self.next_position = max((q.position for q in workspace.all(Question)), default=-1) + 1
        self.new_questions: dict[str, str] = {}  # loose text -> question id
        self.themes: dict[str, str] = {}  # loose name -> theme id
        self.notes: list[str] = []

    def question(self, target: Destination, where: str) -> str:
        if target.question is not None:
            return target.question.id
        key = loose(target.new_text)
        if key not in self.new_questions:
            existing = next((q for q in self.builder.all(Question) if loose(q.text) == key), None)
            question = existing or Question(text=target.new_text, position=self.next_position)
            if existing is None:
                self.next_position += 1
            self.new_questions[key] = self.builder.put(question, where).id
        return self.new_questions[key]

    def theme(self, name: str, votes: int, where: str) -> str:
        name = _short(name, THEME_MAX)
        key = loose(name)
        if key in self.themes:
            theme = self.builder.find(Theme, self.themes[key])
            assert theme is not None
            if votes > theme.tally:
                self.builder.put(theme.replace(tally=votes), where)
            return theme.id
        theme = next((t for t in self.builder.all(Theme) if loose(t.name) == key), None)
        theme = theme.replace(tally=votes) if theme is not None else Theme(name=name, tally=votes)
        self.themes[key] = self.builder.put(theme, where).id
        return self.themes[key]

    def note(self, card: Card, question_id: str, theme_id: str | None) -> None:
        text = card.text
        if len(text) > NOTE_MAX:
            self.notes.append(f"{card.where}: note shortened to {NOTE_MAX} characters")
            text = _short(text, NOTE_MAX)
        values: dict[str, Any] = {
            "question_id": question_id, "text": text, "person_id": card.author.id if card.author else None,
            "phase": "live" if card.live else "before", "theme_id": theme_id,
        }
        existing = next((f for f in self.builder.all(Feedback)
                         if f.question_id == question_id and loose(f.text) == loose(text)), None)
        if existing is not None:
            values = {**values, "person_id": values["person_id"] or existing.person_id,
                      "theme_id": theme_id or existing.theme_id}
            self.builder.put(existing.replace(**values), card.where)
        else:
            self.builder.put(Feedback(**values), card.where)

    def action(self, card: Card, theme_id: str | None) -> None:
        title = _short(card.text, TITLE_MAX)
        details = [f"From the retro notes {self.path.name}"]
        if title != " ".join(card.text.split()):
            details.append(f"Full text: {card.text}")
            self.notes.append(f"{card.where}: action title shortened to {TITLE_MAX} characters; "
                              "the whole text is in its note")
        if card.owner_named:
            details.append(f"Owner named in the notes: {card.owner_named} (not on the team)")
        due = card.due
        if due:
            try:
                date.fromisoformat(due)
            except ValueError:
                self.notes.append(f"{card.where}: due '{due}' is not a real date; left out")
                details.append(f"Due in the notes: {due}")
                due = None
        existing = next((a for a in self.builder.all(ActionItem) if loose(a.title) == loose(title)), None)
        if existing is not None:
            changes = {"owner_id": card.owner.id if card.owner else existing.owner_id, "due": due or existing.due,
                       "theme_id": theme_id or existing.theme_id}
            if card.done:
                changes["status"] = "done"
            self.builder.put(existing.replace(**changes), card.where)
            return
        self.builder.put(ActionItem(title=title, owner_id=card.owner.id if card.owner else None, due=due,
                                    status="done" if card.done else "open", priority=False, theme_id=theme_id,
                                    note="\n".join(details)), card.where)


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ReviewedPlan:
    """Plan the import of retro notes (nothing is written); ``BadRow`` when nothing in it reads as notes."""
    options = options or ReadOptions()
    mapping, sheet = options.mapping, options.sheet
    people = workspace.all(Person)
    source = read_source(path, people, sheet)
    lookup = parse_mapping(mapping)
    questions = workspace.all(Question)
    planner = RetroPlanner(workspace, path)
    report = ReviewedPlan(planner.builder.plan.source, fmt="retro", path=str(path),
                          options=replace(options, mapping=mapping_pairs(mapping)),
                          problems_title="to look at after the import", mapping_title="sections → questions")
    sections = [section for section in source.sections if section.cards]
    if not sections:
        reason = "; ".join(source.skipped[:2]) or "no headings or board columns with notes under them"
        raise BadRow(path.name, f"holds no retro notes ({reason})")
    groups = _qualifying_groups(sections)
    rows: list[list[str]] = []
    counts = {"notes": 0, "actions": 0, "votes": 0}
    for section in sections:
        target = destination(section.heading, questions, lookup, first=section is source.sections[0])
        report.mapping.append(_mapping_line(section, target, questions))
        if target.kind == "skip":
            report.skipped.append(f"'{section.heading}' ({section.where}, {len(section.cards)} "
                                  f"card{'s' if len(section.cards) != 1 else ''}): {target.why}")
            continue
        question_id = planner.question(target, section.where) if target.kind == "question" else None
        for card in section.cards:
            if card.found:
                report.interpreted.append(f"{card.where}: {', '.join(card.found)}")
            theme_id = None
            if card.group and card.group in groups:
                theme_id = planner.theme(card.group or card.text, groups[card.group], card.where)
            elif card.votes and not card.group:
                theme_id = planner.theme(card.text, card.votes, card.where)
            if card.kind == "action" or question_id is None:
                planner.action(card, theme_id)
                counts["actions"] += 1
                who = card.owner.name if card.owner else (f"{card.owner_named}?" if card.owner_named else "no owner")
                rows.append([section.heading, "action", _short(card.text, 60), who, str(card.votes or "")])
            else:
                planner.note(card, question_id, theme_id)
                counts["notes"] += 1
                rows.append([section.heading, "note" + (" (live)" if card.live else ""), _short(card.text, 60),
                             card.author.name if card.author else "", str(card.votes or "")])
            counts["votes"] += card.votes if not card.group else 0
    counts["votes"] += sum(groups.values())
    report.read_as = [f"{path.name}: {source.kind}; {len(sections)} section{'s' if len(sections) != 1 else ''}, "
                      f"{counted(counts['notes'], 'note')}, {counted(counts['actions'], 'action item')}, "
                      f"{counted(counts['votes'], 'vote')}"]
    report.skipped = report.skipped + source.skipped
    report.interpreted += planner.notes
    if groups:
        report.interpreted.append(f"{len(groups)} group{'s' if len(groups) != 1 else ''} of cards with votes or "
                                  f"several cards became themes")
    report.planned, report.unchanged = planner.builder.plan.planned, planner.builder.plan.unchanged
    no_owner = [row for row in rows if row[1] == "action" and (row[3] == "no owner" or row[3].endswith("?"))]
    if no_owner:
        items = "action item" + ("s" if len(no_owner) != 1 else "")
        report.problems.append(f"{len(no_owner)} {items} without an owner on the team: "
                               "give each one on the Retro screen (6)")
    report.grid = (["section", "becomes", "text", "who", "votes"], rows)
    return report


def _qualifying_groups(sections: list[Section]) -> dict[str, int]:
    """Board groups that become themes: those with votes or more than one card; value = the group's votes."""
    cards: dict[str, list[Card]] = {}
    for section in sections:
        for card in section.cards:
            if card.group and card.kind == "note" and not card.live:
                cards.setdefault(card.group, []).append(card)
    return {group: max(card.votes for card in found) for group, found in cards.items()
            if len(found) > 1 or any(card.votes for card in found)}


def _mapping_line(section: Section, target: Destination, questions: list[Question]) -> MappingLine:
    if target.kind == "skip":
        becomes = f"left out ({target.why})"
    elif target.kind == "actions":
        becomes = "action items"
    elif target.question is not None:
        becomes = f"question {questions.index(target.question) + 1} '{target.question.text}'"
    else:
        becomes = f"a new question '{target.new_text}'"
    choices = [(f"question {i + 1}: {q.text}", q.text) for i, q in enumerate(questions)]
    choices += [("action items", ACTIONS), (f"a new question '{section.heading}'", NEW), ("leave it out", SKIP)]
    return MappingLine(section.heading, becomes, section.where, choices)
