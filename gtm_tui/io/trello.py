"""A Trello board's JSON export (Board menu → Print, export and share → Export as JSON), brought in with its history.

Lists become stages (in the board's order) and cards work items, and the
board's actions are read for what happened to each card:

- ``createCard`` (or the time in the card's id, a Mongo ObjectId whose first
  8 hex digits are its creation in Unix seconds) opens the first visit, in the
  list it was created in; ``updateCard`` with ``listBefore``/``listAfter`` is a
  move: it closes one visit and opens the next at the same moment;
- a card in the done list (``--done-list NAME``, else a list named like Done /
  Готово / Terminado / 完了, else the last list) is done when it last entered
  it; a due date ticked complete also means done;
- ``commentCard`` actions become comments with their author and date; labels
  become tags; the description is kept; ``updateCheckItemStateOnCard`` says
  who ticked a check item and when;
- due dates are instants in UTC and become the day they fall on for the team
  (``--tz``, else this machine's zone);
- archived cards and lists are left out unless ``--include-archived`` brings
  them in as done, past work; the summary counts what was left out and why.

Trello's export holds only the newest 1,000 actions: for an older or busier
board the moves before them are not in the file, and the summary says so.
Every record remembers its origin in ``source`` ("trello:<id>").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from gtm_tui.data.workspace import Workspace
from gtm_tui.io.history import (
    Check,
    Comment,
    History,
    Item,
    Member,
    Place,
    Visit,
    local_date,
    parse_instant,
    pick_done_place,
    zone_of,
)
from gtm_tui.io.history_import import plan_history
from gtm_tui.io.importing import BadRow, ImportPlan, ReadOptions

PREFIX = "trello:"
OPTIONS = ("tz", "done_list", "include_archived")  # the ReadOptions this importer honours
ACTION_CAP = 1000  # what Trello's JSON export keeps, newest first
# Actions by which a card comes onto the board, in the list named in ``data.list``.
ARRIVALS = ("createCard", "copyCard", "convertToCardFromCheckItem", "emailCard", "moveCardToBoard")


def plan(workspace: Workspace, path: Path, options: ReadOptions | None = None) -> ImportPlan:
    """Plan the import of a Trello board JSON export (nothing is written)."""
    return plan_history(workspace, read(path, options or ReadOptions()))


def read(path: Path, options: ReadOptions) -> History:
    """The board's lists, cards and their history, as a ``History``."""
    board = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(board, dict) or "lists" not in board or "cards" not in board:
        raise BadRow(path.name, "is not a Trello board export (it has no lists and cards)")
    return read_board(board, path.name, options)


def _objects(board: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = board.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) and item.get("id") for item in items):
        raise BadRow(f"Trello board '{board.get('name', '')}'", f"'{key}' is not a list of Trello objects with ids")
    return items


def _pos(item: dict[str, Any]) -> float:
    try:
        return float(item.get("pos") or 0)
    except (TypeError, ValueError):
        return 0.0


def created_at(object_id: str) -> datetime | None:
    """When a Trello object was created, from the Unix time in the first 8 hex digits of its id."""
    try:
        return datetime.fromtimestamp(int(object_id[:8], 16), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _data(action: dict[str, Any]) -> dict[str, Any]:
    data = action.get("data")
    return data if isinstance(data, dict) else {}


def _ref_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else None


def read_board(board: dict[str, Any], file: str, options: ReadOptions) -> History:
    zone = zone_of(options)
    history = History(
        f"Trello board '{board.get('name') or file}'",
        file,
        "trello",
        missing=["feedback cycles per item", "clarification requests per item"],
        keep_archived=options.include_archived,
    )
    members = _objects(board, "members")
    history.members = [
        Member(
            PREFIX + m["id"],
            (m.get("fullName") or m.get("username") or "").strip(),
            f"@{m['username']} on Trello" if m.get("username") else "",
        )
        for m in members
    ]
    history.members = [member for member in history.members if member.name]
    lists = sorted(_objects(board, "lists"), key=_pos)
    history.places = [
        Place(PREFIX + found["id"], (found.get("name") or "").strip() or found["id"], bool(found.get("closed")))
        for found in lists
    ]
    actions = sorted(
        (a for a in board.get("actions") or [] if isinstance(a, dict)),
        key=lambda a: (str(a.get("date") or ""), str(a.get("id") or "")),
    )
    _places_from_actions(history, actions)
    history.done_place, why = pick_done_place(history.places, options.done_list)
    if why:
        history.notes.append(why[0].upper() + why[1:] + ".")
    by_card = _actions_by_card(actions)
    labels = {label["id"]: label for label in board.get("labels") or [] if isinstance(label, dict) and label.get("id")}
    archived_lists = {place.key for place in history.places if place.archived}
    skipped_cards = skipped_in_lists = 0
    oldest = parse_instant(actions[0].get("date")) if actions else None
    incomplete = missing_comments = 0
    for card in sorted(_objects(board, "cards"), key=lambda c: (_list_order(history, c), _pos(c))):
        in_archived_list = PREFIX + str(card.get("idList")) in archived_lists
        if (card.get("closed") or in_archived_list) and not options.include_archived:
            skipped_cards += bool(card.get("closed"))
            skipped_in_lists += bool(in_archived_list and not card.get("closed"))
            continue
        item = _card(card, by_card.get(card["id"], []), history, labels, zone, options)
        if oldest is not None and len(actions) >= ACTION_CAP and item.visits and item.visits[0].entered < oldest:
            incomplete += 1
        badges: dict[str, Any] = card["badges"] if isinstance(card.get("badges"), dict) else {}
        missing_comments += max(0, int(badges.get("comments") or 0) - len(item.comments))
        history.items.append(item)
    _checklists(history, _objects(board, "checklists"), by_card)
    _say_what_was_left_out(history, actions, skipped_cards, skipped_in_lists, incomplete, missing_comments, options)
    return history


def _list_order(history: History, card: dict[str, Any]) -> int:
    keys = [place.key for place in history.places]
    key = PREFIX + str(card.get("idList"))
    return keys.index(key) if key in keys else len(keys)


def _places_from_actions(history: History, actions: list[dict[str, Any]]) -> None:
    """Lists the history names but the board no longer holds (deleted or moved away), after the board's own."""
    known = {place.key for place in history.places}
    for action in actions:
        data = _data(action)
        for ref in (data.get("listBefore"), data.get("listAfter"), data.get("list")):
            list_id = _ref_id(ref)
            if list_id and isinstance(ref, dict) and PREFIX + list_id not in known:
                known.add(PREFIX + list_id)
                history.places.append(
                    Place(PREFIX + list_id, str(ref.get("name") or list_id).strip(), True, on_board=False)
                )


def _actions_by_card(actions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for action in actions:
        card_id = _ref_id(_data(action).get("card"))
        if card_id:
            found.setdefault(card_id, []).append(action)
    return found


def _card(
    card: dict[str, Any],
    actions: list[dict[str, Any]],
    history: History,
    labels: dict[str, dict[str, Any]],
    zone: tzinfo | None,
    options: ReadOptions,
) -> Item:
    title = (card.get("name") or "").strip() or card["id"]
    item = Item(PREFIX + card["id"], title, f"Trello card '{title[:60]}'", place=PREFIX + str(card.get("idList")))
    item.visits = _visits(card, actions)
    due = parse_instant(card.get("due"))
    if card.get("due") and due is None:
        raise BadRow(item.where, f"due: '{card.get('due')}' is not a date")
    item.due = local_date(due, zone).isoformat() if due else None
    item.assignees = [PREFIX + member for member in card.get("idMembers") or [] if isinstance(member, str)]
    item.description = str(card.get("desc") or "")
    card_labels: list[Any] = card["labels"] if isinstance(card.get("labels"), list) else []
    card_labels = card_labels or [labels.get(label_id, {}) for label_id in card.get("idLabels") or []]
    for label in card_labels:
        if isinstance(label, dict):
            name = str(label.get("name") or label.get("color") or "").strip()
            if name and name not in item.tags:
                item.tags.append(name)
    for action in actions:
        if action.get("type") == "commentCard":
            creator: dict[str, Any] = action["memberCreator"] if isinstance(action.get("memberCreator"), dict) else {}
            text = str(_data(action).get("text") or "")
            if text.strip():
                item.comments.append(
                    Comment(
                        parse_instant(action.get("date")),
                        str(creator.get("fullName") or creator.get("username") or ""),
                        text,
                    )
                )
    item.done_at = _done_at(card, actions, item, history, options)
    item.archived = bool(card.get("closed"))
    return item


def _visits(card: dict[str, Any], actions: list[dict[str, Any]]) -> list[Visit]:
    """The card's stays in lists: from its creation, one visit per list, closed by each move."""
    created = created_at(card["id"])
    first_list = None
    moves: list[tuple[datetime, str | None, str]] = []
    for action in actions:
        data, moment = _data(action), parse_instant(action.get("date"))
        if moment is None:
            continue
        if action.get("type") in ARRIVALS:
            arrived = _ref_id(data.get("list"))
            if action.get("type") == "createCard" or created is None:
                created = moment
            if arrived and not moves:
                first_list = arrived
        after = _ref_id(data.get("listAfter"))
        if action.get("type") == "updateCard" and after:
            moves.append((moment, _ref_id(data.get("listBefore")), after))
    current = PREFIX + str(card.get("idList"))
    start_list = moves[0][1] if moves and moves[0][1] else first_list or (moves[0][2] if moves else card.get("idList"))
    entered = created or (moves[0][0] if moves else None)
    if entered is None:
        return []
    visits = [Visit(PREFIX + str(start_list), entered)]
    for moment, _before, after in moves:
        moment = max(moment, visits[-1].entered)
        if PREFIX + after == visits[-1].place:
            continue
        visits[-1].left = moment
        visits.append(Visit(PREFIX + after, moment))
    if visits[-1].place != current:  # moved by a way the export does not show (or before its oldest action)
        moment = max(parse_instant(card.get("dateLastActivity")) or visits[-1].entered, visits[-1].entered)
        visits[-1].left = moment
        visits.append(Visit(current, moment))
    return visits


def _done_at(
    card: dict[str, Any], actions: list[dict[str, Any]], item: Item, history: History, options: ReadOptions
) -> datetime | None:
    last_activity = parse_instant(card.get("dateLastActivity"))
    if item.place == history.done_place and item.visits:
        return item.visits[-1].entered
    if card.get("dueComplete"):
        return last_activity or (item.visits[-1].entered if item.visits else None)
    if card.get("closed") and options.include_archived:
        archived = [
            parse_instant(a.get("date"))
            for a in actions
            if a.get("type") == "updateCard"
            and isinstance(_data(a).get("old"), dict)
            and _data(a)["old"].get("closed") is False
        ]
        return next((moment for moment in reversed(archived) if moment), None) or last_activity
    place = history.place(item.place)
    if place is not None and place.archived and options.include_archived:
        return last_activity or (item.visits[-1].entered if item.visits else None)
    return None


def _checklists(history: History, checklists: list[dict[str, Any]], by_card: dict[str, list[dict[str, Any]]]) -> None:
    """Each check item of a kept card, with who ticked it and when from ``updateCheckItemStateOnCard``."""
    items = {item.key: item for item in history.items}
    for checklist in sorted(checklists, key=_pos):
        item = items.get(PREFIX + str(checklist.get("idCard")))
        if item is None:
            continue
        ticks: dict[str, tuple[datetime | None, str | None]] = {}
        for action in by_card.get(str(checklist.get("idCard")), []):
            if action.get("type") != "updateCheckItemStateOnCard":
                continue
            check_id = _ref_id(_data(action).get("checkItem"))
            state = (_data(action).get("checkItem") or {}).get("state")
            if check_id:
                who = action.get("idMemberCreator") or _ref_id(action.get("memberCreator"))
                ticks[check_id] = (
                    (parse_instant(action.get("date")), PREFIX + who if who else None)
                    if state == "complete"
                    else (None, None)
                )
        for check in sorted(checklist.get("checkItems") or [], key=_pos):
            text = (check.get("name") or "").strip()
            if not check.get("id"):
                raise BadRow(f"Trello checklist item '{text}' on card '{item.title}'", "has no id")
            done = check.get("state") == "complete"
            when, who = ticks.get(check["id"], (None, None)) if done else (None, None)
            due = parse_instant(check.get("due"))
            if check.get("due") and due is None:
                raise BadRow(
                    f"Trello checklist item '{text}' on card '{item.title}'", f"due: '{check.get('due')}' is not a date"
                )
            item.checks.append(
                Check(
                    PREFIX + check["id"],
                    text or check["id"],
                    done=done,
                    done_at=when,
                    done_by=who,
                    owner=PREFIX + check["idMember"] if check.get("idMember") else None,
                    due=due.date().isoformat() if due else None,
                    note=f"From Trello card '{item.title}', checklist '{checklist.get('name') or ''}'",
                )
            )


def _say_what_was_left_out(
    history: History,
    actions: list[dict[str, Any]],
    skipped_cards: int,
    skipped_in_lists: int,
    incomplete: int,
    missing_comments: int,
    options: ReadOptions,
) -> None:
    archived_lists = [place for place in history.places if place.archived and place.on_board]
    if options.include_archived:
        if skipped_cards or archived_lists:
            history.notes.append("Archived cards and lists came in as done, past work (--include-archived).")
    else:
        left = []
        if skipped_cards:
            left.append(f"{skipped_cards} archived card{'s' if skipped_cards != 1 else ''}")
        if skipped_in_lists:
            left.append(
                f"{skipped_in_lists} card{'s' if skipped_in_lists != 1 else ''} in "
                f"{len(archived_lists)} archived list{'s' if len(archived_lists) != 1 else ''}"
            )
        elif archived_lists:
            left.append(f"{len(archived_lists)} archived list{'s' if len(archived_lists) != 1 else ''}")
        if left:
            history.notes.append(
                f"Left out: {' and '.join(left)} (archived on Trello; --include-archived brings "
                "them in as done, past work)."
            )
        else:
            history.notes.append("Nothing on the board is archived: every card came in.")
    if len(actions) >= ACTION_CAP:
        oldest = str(actions[0].get("date") or "")[:10]
        history.notes.append(
            f"Trello's export keeps only the newest {ACTION_CAP:,} actions (back to {oldest}): moves, "
            f"comments and ticks before then are not in the file; {incomplete} card"
            f"{'s have' if incomplete != 1 else ' has'} history older than that."
        )
    if missing_comments:
        history.notes.append(
            f"{missing_comments} comment{'s are' if missing_comments != 1 else ' is'} counted on the "
            "cards but not in the export's actions, so not kept."
        )
