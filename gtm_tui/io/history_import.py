"""A source's ``History`` planned into the pilot: places → stages, items → work items with their visits.

Members become people (a name already on the team is that person), places
become stages after the existing ones in the source's order (a stage of the
same name is that stage), items become work items whose ``stage_history`` is
the source's visits, and check items / subtasks become checklist items of
their item's stage, tied to that item. Done items are done at the moment the
source says; a title longer than ours is shortened with "…" and kept whole in
the item's note, never refused. Every record keeps its origin in ``source``,
so importing the same export again updates what came from it.
"""

from __future__ import annotations

from typing import Any

from gtm_tui.data import order
from gtm_tui.data.model import TITLE_MAX, ChecklistItem, Person, Stage, WorkItem
from gtm_tui.data.workspace import Workspace
from gtm_tui.io.history import History, Item, fit, stamp
from gtm_tui.io.importing import ImportPlan, PlanBuilder
from gtm_tui.overview.sections import counted

NAME_MAX = 80  # a person's or a stage's name
CHECK_MAX = 500  # a checklist item's text


def plan_history(workspace: Workspace, history: History) -> ImportPlan:
    """Plan the import of ``history`` into the pilot's own records (nothing is written)."""
    builder = PlanBuilder(workspace, history.label)
    people = plan_people(builder, history)
    stages = _plan_places(builder, history)
    shortened = dropped = 0
    first_stage = next(iter(stages.values()), None)
    for item in history.items:
        work_item, was_shortened, left_out = _plan_item(builder, item, stages, people, first_stage)
        shortened += was_shortened
        dropped += left_out
        shortened += _plan_checks(builder, item, work_item, people)
    for note in history.notes:
        builder.note(note)
    if shortened:
        builder.note(
            f"{shortened} title{'s were' if shortened != 1 else ' was'} longer than gtm-tui keeps: shortened "
            "with '…', the whole text kept in the note."
        )
    if dropped:
        builder.note(
            f"{dropped} visit{'s' if dropped != 1 else ''} to lists that are not stages here (archived or "
            "gone) count as waiting between the stages around them."
        )
    return builder.plan


def plan_people(builder: PlanBuilder, history: History) -> dict[str, str]:
    """Member key -> person id; a member whose name is already on the team is that person."""
    found: dict[str, str] = {}
    for member in history.members:
        name, _ = fit(member.name, NAME_MAX)
        where = f"{history.label}, member '{name}'"
        person = builder.by_source(Person, member.key) or builder.by_name(Person, name)
        if person is None:
            person = Person(name=name, contact=member.contact, source=member.key)
        elif not person.source:
            person = person.replace(source=member.key, contact=person.contact or member.contact)
        found[member.key] = builder.put(person, where).id
    return found


def _plan_places(builder: PlanBuilder, history: History) -> dict[str, str]:
    """Place key -> stage id for the places on the board (archived ones only when they were asked for)."""
    found: dict[str, str] = {}
    next_position = order.next_position(builder.all(Stage))
    wanted = [place for place in history.places if place.on_board and (not place.archived or history.keep_archived)]
    for place in wanted:
        name, _ = fit(place.name, NAME_MAX)
        where = f"{history.label}, {'list' if history.fmt == 'trello' else 'stage'} '{name}'"
        stage = builder.by_source(Stage, place.key)
        if stage is not None:
            stage = stage.replace(name=name)
        else:
            stage = builder.by_name(Stage, name)
            if stage is None:
                stage = Stage(name=name, position=next_position, source=place.key)
                next_position += 1
            elif not stage.source:
                stage = stage.replace(source=place.key)
        found[place.key] = builder.put(stage, where).id
    return found


def stage_history(item: Item, stages: dict[str, str]) -> tuple[list[dict[str, Any]], int]:
    """The item's visits to places that are stages, as stored; a visit elsewhere is left out (and counted).

    Leaving a place out turns its time into a wait between the stages around it;
    two visits to the same stage in a row (two lists mapped onto one stage) are one.
    """
    history: list[dict[str, Any]] = []
    left_out = 0
    for visit in item.visits:
        stage_id = stages.get(visit.place)
        if stage_id is None:
            left_out += 1
            continue
        if history and history[-1]["stage_id"] == stage_id:
            history[-1]["left_at"] = stamp(visit.left)
            if not visit.inferred:
                history[-1].pop("inferred", None)
            continue
        entry: dict[str, Any] = {"stage_id": stage_id, "entered_at": stamp(visit.entered), "left_at": stamp(visit.left)}
        if visit.inferred:
            entry["inferred"] = True
        history.append(entry)
    if history and item.done and history[-1]["left_at"] is None and item.place not in stages:
        history[-1]["left_at"] = stamp(item.done_at)  # done in a place that is not a stage: the last stage ends there
    return history, left_out


def item_note(item: Item, shortened: bool) -> str:
    """The item's note: its whole title when it had to be shortened, then its description."""
    parts = [f"Full title: {item.title}"] if shortened else []
    if item.description.strip():
        parts.append(item.description.strip())
    return "\n\n".join(parts)


def comments_of(item: Item) -> list[dict[str, Any]]:
    return [{"at": stamp(comment.at), "author": comment.author, "text": comment.text} for comment in item.comments]


def _plan_item(
    builder: PlanBuilder, item: Item, stages: dict[str, str], people: dict[str, str], first_stage: str | None
) -> tuple[WorkItem, bool, int]:
    title, shortened = fit(item.title, TITLE_MAX)
    visits, left_out = stage_history(item, stages)
    stage_id = stages.get(item.place or "") or (visits[-1]["stage_id"] if visits else None)
    assignee = next((people[key] for key in item.assignees if key in people), None)
    if item.done:
        status = "done"
    elif len(visits) > 1 or (stage_id is not None and stage_id != first_stage):
        status = "in progress"
    else:
        status = "not started"
    values: dict[str, Any] = {
        "title": title,
        "due": item.due,
        "stage_id": stage_id,
        "assignee_id": assignee,
        "status": status,
        "done_at": stamp(item.done_at),
        "stage_history": visits,
        "tags": list(item.tags),
        "note": item_note(item, shortened),
        "comments": comments_of(item),
    }
    if item.feedback_cycles:
        values["feedback_cycles"] = list(item.feedback_cycles)
    if item.clarifications:
        values["clarifications"] = list(item.clarifications)
    existing = builder.by_source(WorkItem, item.key)
    work_item = existing.replace(**values) if existing is not None else WorkItem(**values, source=item.key)
    return builder.put(work_item, item.where), shortened, left_out  # type: ignore[return-value]


def _plan_checks(builder: PlanBuilder, item: Item, work_item: WorkItem, people: dict[str, str]) -> int:
    """The item's check items as checklist items of its stage, tied to it; returns how many were shortened."""
    if not item.checks:
        return 0
    if work_item.stage_id is None:
        builder.note(f"{item.where}: its {counted(len(item.checks), 'check item')} were left out: "
                     "the item is in no stage.")
        return 0
    shortened = 0
    next_position = order.next_position(c for c in builder.all(ChecklistItem) if c.stage_id == work_item.stage_id)
    for check in item.checks:
        text, cut = fit(check.text, CHECK_MAX)
        shortened += cut
        note = check.note + (f"\nFull text: {check.text}" if cut else "")
        values: dict[str, Any] = {
            "stage_id": work_item.stage_id,
            "work_item_id": work_item.id,
            "text": text,
            "done": check.done,
            "done_at": stamp(check.done_at) if check.done else None,
            "done_by": people.get(check.done_by or "") if check.done else None,
            "owner_id": people.get(check.owner or ""),
            "due": check.due,
            "note": note,
        }
        existing = builder.by_source(ChecklistItem, check.key)
        if existing is None:
            record = ChecklistItem(**values, position=next_position, source=check.key)
            next_position += 1
        else:
            record = existing.replace(**values)
        builder.put(record, f"{item.where}, check item '{text[:60]}'")
    return shortened
