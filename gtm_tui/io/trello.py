"""A Trello board, exported as JSON (Board menu → Print, export and share → Export as JSON), brought in.

Lists become stages (in the board's order), cards become work items in the
stage of their list (due date; the first member as assignee; a due date
ticked complete means done), card checklists become checklist items of that
stage, and board members become people. Archived lists and cards
(``closed: true``) and the cards in an archived list are left out.

Every record remembers its origin in ``source`` ("trello:<id>"), so importing
the board again updates what came from it instead of adding copies. A member
whose name is already on the team is that person.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gtm_tui.io.importing import BadRow, ImportPlan, PlanBuilder
from gtm_tui.data.model import ChecklistItem, Person, Stage, WorkItem
from gtm_tui.data import order
from gtm_tui.data.workspace import Workspace

PREFIX = "trello:"


def _date(value: Any, where: str, field: str) -> str | None:
    """Trello's ``2026-11-20T16:00:00.000Z`` as the day it falls on (UTC)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadRow(where, f"{field}: '{value}' is not a date") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date().isoformat()


def _stamp(value: Any) -> str | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _by_pos(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: (float(item.get("pos") or 0)))


def _objects(board: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = board.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) and item.get("id") for item in items):
        raise BadRow(f"Trello board '{board.get('name', '')}'", f"'{key}' is not a list of Trello objects with ids")
    return items


def plan(workspace: Workspace, path: Path) -> ImportPlan:
    """Plan the import of a Trello board JSON export (nothing is written)."""
    board = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(board, dict) or "lists" not in board or "cards" not in board:
        raise BadRow(path.name, "is not a Trello board export (it has no lists and cards)")
    return plan_board(workspace, board, path.name)


def plan_board(workspace: Workspace, board: dict[str, Any], source: str) -> ImportPlan:
    builder = PlanBuilder(workspace, f"Trello board '{board.get('name') or source}'")
    people = _plan_members(builder, _objects(board, "members"))
    stages = _plan_lists(builder, _objects(board, "lists"))
    cards = _plan_cards(builder, _objects(board, "cards"), stages, people)
    _plan_checklists(builder, _objects(board, "checklists"), cards, people)
    return builder.plan


def _plan_members(builder: PlanBuilder, members: list[dict[str, Any]]) -> dict[str, str]:
    """Trello member id -> person id."""
    found = {}
    for member in members:
        name = (member.get("fullName") or member.get("username") or "").strip()
        where = f"Trello member '{name or member['id']}'"
        if not name:
            raise BadRow(where, "has neither a full name nor a username")
        source = PREFIX + member["id"]
        person = builder.by_source(Person, source) or builder.by_name(Person, name)
        if person is None:
            username = member.get("username") or ""
            person = Person(name=name, contact=f"@{username} on Trello" if username else "", source=source)
        elif not person.source:
            person = person.replace(source=source)
        found[member["id"]] = builder.put(person, where).id
    return found


def _plan_lists(builder: PlanBuilder, lists: list[dict[str, Any]]) -> dict[str, str]:
    """Open Trello list id -> stage id, new stages placed after the existing ones in the board's order."""
    found = {}
    next_position = order.next_position(builder.all(Stage))
    for trello_list in _by_pos(lists):
        if trello_list.get("closed"):
            continue
        name = (trello_list.get("name") or "").strip()
        where = f"Trello list '{name or trello_list['id']}'"
        source = PREFIX + trello_list["id"]
        stage = builder.by_source(Stage, source)
        if stage is not None:
            stage = stage.replace(name=name)
        else:
            stage = builder.by_name(Stage, name) if name else None
            if stage is None:
                stage = Stage(name=name, position=next_position, source=source)
                next_position += 1
            elif not stage.source:
                stage = stage.replace(source=source)
        found[trello_list["id"]] = builder.put(stage, where).id
    return found


def _plan_cards(
    builder: PlanBuilder, cards: list[dict[str, Any]], stages: dict[str, str], people: dict[str, str]
) -> dict[str, tuple[str, str]]:
    """Open cards in open lists -> (stage id, card name), in list then card order."""
    order = {list_id: index for index, list_id in enumerate(stages)}
    kept = [card for card in cards if not card.get("closed") and card.get("idList") in stages]
    kept.sort(key=lambda card: (order[card["idList"]], float(card.get("pos") or 0)))
    found = {}
    for card in kept:
        title = (card.get("name") or "").strip()
        where = f"Trello card '{title or card['id']}'"
        members = [people[m] for m in card.get("idMembers") or [] if m in people]
        done = bool(card.get("dueComplete"))
        values: dict[str, Any] = {
            "title": title,
            "due": _date(card.get("due"), where, "due"),
            "stage_id": stages[card["idList"]],
            "assignee_id": members[0] if members else None,
        }
        source = PREFIX + card["id"]
        item = builder.by_source(WorkItem, source)
        if item is None:
            item = WorkItem(**values, source=source)
        else:
            item = item.replace(**values)
        if done and item.status != "done":
            item = item.replace(status="done", done_at=_stamp(card.get("dateLastActivity")))
        elif not done and item.status == "done":
            item = item.replace(status="in progress", done_at=None)
        builder.put(item, where)
        found[card["id"]] = (values["stage_id"], title)
    return found


def _plan_checklists(
    builder: PlanBuilder, checklists: list[dict[str, Any]], cards: dict[str, tuple[str, str]], people: dict[str, str]
) -> None:
    """Each check item of a kept card's checklists -> a checklist item of the card's stage."""
    next_position: dict[str, int] = {}
    for checklist in _by_pos(checklists):
        if checklist.get("idCard") not in cards:
            continue
        stage_id, card_name = cards[checklist["idCard"]]
        for check in _by_pos(checklist.get("checkItems") or []):
            text = (check.get("name") or "").strip()
            where = f"Trello checklist item '{text or check.get('id')}' on card '{card_name}'"
            if not check.get("id"):
                raise BadRow(where, "has no id")
            source = PREFIX + check["id"]
            values: dict[str, Any] = {
                "stage_id": stage_id,
                "text": text,
                "done": check.get("state") == "complete",
                "due": _date(check.get("due"), where, "due"),
                "owner_id": people.get(check.get("idMember") or ""),
                "note": f"From Trello card '{card_name}', checklist '{checklist.get('name') or ''}'",
            }
            item = builder.by_source(ChecklistItem, source)
            if item is None:
                if stage_id not in next_position:
                    stage_items = (i for i in builder.all(ChecklistItem) if i.stage_id == stage_id)
                    next_position[stage_id] = order.next_position(stage_items)
                item = ChecklistItem(**values, position=next_position[stage_id], source=source)
                next_position[stage_id] += 1
            else:
                item = item.replace(**values)
            builder.put(item, where)
