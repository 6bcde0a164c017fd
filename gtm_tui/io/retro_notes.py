"""One retro note or action as a team wrote it, taken apart: text, author, votes, owner, due date.

Retro notes come from wiki pages and retro boards written in a hurry:
"Maya: the brief template saved us a day (+2)", "[Tom] - fix the upload
checklist by 2026-12-01", "- [x] Priya to write the style guide",
"Staging was down twice [Daniel]". ``read_card`` finds the votes, an author
prefix or suffix that names someone on the team (else the name stays in the
text), an owner and a due date for an action, and tells placeholders such as
"[your name]" from real names. ``intent_of`` says what a heading or column
title is about ("What went well", "Stop", "Lacked", "Action items"), so it
can be matched to the pilot's review questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from gtm_tui.data.model import Person
from gtm_tui.io.grids import inline_text
from gtm_tui.io.people_names import match_person
from gtm_tui.io.raci_codes import fold

# What a heading or a board column is about. Checked in this order: a negated "went well" is an obstacle.
INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("actions", re.compile(r"\b(action(s| items?| points?| plan)?|next steps?|to ?dos?|follow[- ]?ups?|tasks?|"
                           r"commitments?|decisions?|owners?|acciones|accion|massnahmen|actions a mener)\b")),
    ("obstacles", re.compile(r"\b(could have gone better|gone better|could have been better|didn'?t|did not|not|"
                             r"wasn'?t|went wrong|wrong|bad(ly)?|problems?|issues?|challenges?|obstacles?|blockers?|"
                             r"blocked|difficult(y|ies)|mad|sad|lacked|lacking|pain|"
                             r"frustrat\w*|confus\w*|struggles?|anchors?|rocks?|risks?|stop|less|minus|delta|"
                             r"grievances?|puzzles?|concerns?|hurt|slowed|worse|negatives?|dislikes?|disliked|"
                             r"hindered|impediments?|stuck|mal|problemas|dificultades)\b")),
    ("raci", re.compile(r"\b(raci|roles?|responsibilit(y|ies)|ownership|accountab\w*|who does what)\b")),
    ("lessons", re.compile(r"\b(lessons?|learn(ed|t|ings?)?|insights?|takeaways?|aprendizajes?)\b")),
    ("change", re.compile(r"\b(improve(d|ments?)?|improving|better|change|changes|try|start|ideas?|suggestions?|"
                          r"differently|longed|long for|wish(es)?|more of|next time|proposals?|experiments?|"
                          r"island|could|should|mejorar|mejoras|cambiar|ameliorer)\b")),
    ("went_well", re.compile(r"\b(went well|go well|well|worked|working|good|liked|likes|glad|keep|continue|wins?|"
                             r"succe\w*|highlights?|positives?|kudos|props|appreciations?|shout[- ]?outs?|proud|"
                             r"celebrat\w*|pluses|strengths?|accomplishments?|helped|sped up|faster|wind|great|bien|"
                             r"funciono)\b")),
)
# Sections that are not notes: checked when a heading is about none of the above.
META = re.compile(r"\b(summary|overview|information|info|metrics?|velocity|attendees|participants|agenda|"
                  r"prep(aration)?|properties|timeline|facilitator|goals?|background|purpose|template|instructions|"
                  r"how to use|notes for \w+|contents|links|resources|references|appendix|scores?|burndown|statistics|"
                  r"stats|kpis?|happiness|health check|dates?|schedule|duration|sprint info|rules|ground rules|"
                  r"guidelines|norms|prime directive|members|team members|roster|who was there)\b")
PLACEHOLDER = re.compile(r"^(\[[^\]]*\]|<[^>]*>|\{\{[^}]*\}\}|tbd|tba|n/?a|\?+|-+|…|\.\.\.|xxx|unassigned|nobody|"
                         r"anyone|someone|owner|name|your name|team member|everyone|all|team)$", re.IGNORECASE)
TEMPLATE_TEXT = re.compile(r"^((action|idea|item|note|task|issue|point|thing)\s*\d+|lorem ipsum.*|\.\.\.|…|tbd|"
                           r"\[[^\]]*\]|<[^>]*>|\{\{[^}]*\}\}|[-_.\s]*)$", re.IGNORECASE)
_VOTES = (
    re.compile(r"\s*[(\[]\s*\+?\s*(\d{1,3})\s*(?:votes?|dots?|likes?|👍)?\s*[)\]]\s*$", re.IGNORECASE),
    re.compile(r"\s+\+(\d{1,3})\s*$"),
    re.compile(r"\s*(?:👍|:\+1:|:thumbsup:)\s*[x×]?\s*(\d{1,3})\s*$"),
    re.compile(r"\s*[-–—,]?\s*(\d{1,3})\s+(?:votes?|dots?|likes?)\s*$", re.IGNORECASE),
)
_PLUS_ONES = re.compile(r"(?:\s*\+1\s+@?[\w.'-]+(?:\s+[A-Z][\w.'-]*)?)+\s*$")
_LEADING_VOTES = re.compile(r"^\s*[(\[]\s*\+(\d{1,3})\s*[)\]]\s*")
_CHECKBOX = re.compile(r"^\[( |x|X|✓|✔)\]\s*")
_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_KEY_VALUE = re.compile(r"^\s*(owner|assignee|assigned to|who|responsible|dri|due|deadline|by|target|"
                        r"target (?:completion|date)|when|date|eta)\s*[:=]\s*(.*)$", re.IGNORECASE)
OWNER_KEYS = ("owner", "assignee", "assigned to", "who", "responsible", "dri")


def intent_of(text: str) -> str | None:
    """What a heading, column title or question is about: went_well, obstacles, raci, lessons, change, actions, meta."""
    plain = fold(heading_clean(text)).replace("’", "'").replace("`", "'")
    main = re.sub(r"\s*[(\[][^)\]]*[)\]]", " ", plain).strip()
    for candidate in (main, plain):
        if not candidate:
            continue
        for name, pattern in INTENTS:
            if pattern.search(candidate):
                return name
    return "meta" if META.search(plain) else None


def heading_clean(text: str) -> str:
    """A heading as shown: no markup, numbering, emoji or trailing colon."""
    text = inline_text(text)
    text = re.sub(r"^[\W\d_]*(?=[^\W\d_])", "", text)  # leading emoji, numbering "3.", bullets
    text = re.sub(r"[^\w?!)\]]+$", "", text)  # trailing emoji, colons, spaces
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Card:
    """A note or an action as read, before it is matched to questions, people and themes."""

    text: str
    where: str
    kind: str = "note"  # note | action
    author: Person | None = None
    owner: Person | None = None
    owner_named: str = ""  # an owner written in the notes who is not on the team (kept in the action's note)
    votes: int = 0
    due: str | None = None
    done: bool = False
    group: str = ""  # a board's group of cards (a theme)
    live: bool = False  # said during the meeting (a comment in the discussion)
    found: list[str] = field(default_factory=list)  # what was read off the text, for the preview


def _strip_votes(text: str) -> tuple[str, int]:
    plus_ones = _PLUS_ONES.search(text)
    if plus_ones and plus_ones.start() > 0:
        return text[: plus_ones.start()].rstrip(), plus_ones.group(0).count("+1")
    match = _LEADING_VOTES.match(text)
    if match:
        return text[match.end():].strip(), int(match.group(1))
    for pattern in _VOTES:
        match = pattern.search(text)
        if match and match.start() > 0:
            return text[: match.start()].rstrip(" -–—,"), int(match.group(1))
    return text, 0


_PLACEHOLDER_WORDS = re.compile(r"\b(name|owner|member|person|someone|somebody|assignee|who|tbd|tba)\b", re.IGNORECASE)


ACTION_MARK = re.compile(r"^\s*(?:\[(?:action(?: items?| points?)?|ai|todo|to do)\]|"
                         r"(?:action(?: items?| points?)?|ai|todo|to do|follow[- ]?up)\s*:)\s*", re.IGNORECASE)


def action_marked(text: str) -> str | None:
    """The action in a line marked as one ("[Action Item] …", "Action: …", "TODO: …"), else None."""
    plain = inline_text(text)
    match = ACTION_MARK.match(plain)
    return plain[match.end():].strip() if match else None


def is_placeholder(name: str) -> bool:
    """"[your name]", "TBD", "<owner>", "Team member": a slot to fill in, not a person."""
    name = name.strip()
    inner = name.strip("[]<>{} ")
    return bool(PLACEHOLDER.match(name)) or not inner or bool(_PLACEHOLDER_WORDS.search(inner))


def is_template_text(text: str) -> bool:
    """An empty or template bullet: "", "[Positive team achievement]", "Action 1", "…"."""
    cleaned = re.sub(r"^[\W_]+", "", text).strip() if not text.strip().startswith(("[", "<", "{")) else text.strip()
    return not cleaned or bool(TEMPLATE_TEXT.match(cleaned))


def read_card(raw: str, where: str, people: Sequence[Person], *, action: bool = False, children: Sequence[str] = ()
              ) -> Card | None:
    """One line (and its sub-bullets) as a card; None when it is only a placeholder or empty."""
    text = inline_text(raw)
    marked = action_marked(raw)
    if marked is not None:
        text, action = marked, True
    done = False
    checkbox = _CHECKBOX.match(raw.strip())
    if checkbox:
        done = checkbox.group(1) != " "
        text = inline_text(raw.strip()[checkbox.end():])
        action = True
    text, votes = _strip_votes(text)
    card = Card(text, where, "action" if action else "note", votes=votes, done=done)
    if votes:
        card.found.append(f"{votes} vote{'s' if votes != 1 else ''}")
    card.text = _owner_prefix(card, card.text, people)
    if card.kind == "note":
        card.text = _author(card, card.text, people)
    else:
        card.text = _action_details(card, card.text, people)
    extra = []
    for child in children:
        line = inline_text(child)
        if card.kind == "action" and _take_key_value(card, line, people):
            continue
        if line and not is_template_text(line):
            extra.append(line)
    if extra:
        card.text = f"{card.text} — {'; '.join(extra)}" if card.text else "; ".join(extra)
    card.text = card.text.strip(" -–—|")
    if is_template_text(card.text):
        return None
    return card


def _owner_prefix(card: Card, text: str, people: Sequence[Person]) -> str:
    """``[owner] - action`` (or ``[owner] action`` on an action line): the owner, and the line is an action."""
    match = re.match(r"^\[([^\]]{1,60})\]\s*[-–—:]\s*(.+)$", text)
    if match:
        card.kind = "action"
        _set_owner(card, match.group(1), people)
        return match.group(2)
    if card.kind == "action":
        match = re.match(r"^\[([^\]]{1,60})\]\s+(.+)$", text) or re.match(r"^@(\w[\w.-]*)\s+(.+)$", text)
        if match:
            _set_owner(card, match.group(1), people)
            return match.group(2)
    return text


def _set_owner(card: Card, name: str, people: Sequence[Person]) -> None:
    name = name.strip().lstrip("@")
    if not name or is_placeholder(name):
        card.found.append(f"owner '{name or '?'}' is a placeholder: no owner")
        return
    person = match_person(name, people)
    if person is not None:
        card.owner = person
        card.found.append(f"owner {person.name}")
    else:
        card.owner_named = name
        card.found.append(f"owner '{name}' is not on the team: kept in the action's note")


def _author(card: Card, text: str, people: Sequence[Person]) -> str:
    """``Name: …``, ``[Name] …``, ``… [Name]``, ``… (Name)``, ``… — Name``, ``… @name``: its author, if known."""
    patterns = (
        (re.compile(r"^\[([^\]]{1,60})\]\s*(.+)$"), 1, 2),
        (re.compile(r"^@?([\w .'-]{1,40}?)\s*[:：]\s+(.+)$"), 1, 2),
        (re.compile(r"^(.+?)\s*\[([^\]]{1,60})\]$"), 2, 1),
        (re.compile(r"^(.+?)\s*\(([^()]{1,40})\)$"), 2, 1),
        (re.compile(r"^(.+)\s+(?:—|–|--|-|~)\s*@?([\w .'-]{1,40})$"), 2, 1),
        (re.compile(r"^(.+)\s+@([\w.-]{1,40})$"), 2, 1),
    )
    for pattern, name_group, text_group in patterns:
        match = pattern.match(text)
        if not match:
            continue
        person = match_person(match.group(name_group), people)
        if person is not None:
            card.author = person
            card.found.append(f"by {person.name}")
            return match.group(text_group).strip()
    return text


def _take_key_value(card: Card, line: str, people: Sequence[Person]) -> bool:
    match = _KEY_VALUE.match(line)
    if not match:
        return False
    key, value = match.group(1).lower(), match.group(2).strip()
    if key in OWNER_KEYS:
        _set_owner(card, value, people)
        return True
    date = _ISO.search(value)
    if date:
        card.due = date.group(1)
        card.found.append(f"due {card.due}")
    elif value and not is_placeholder(value):
        card.found.append(f"due '{value}' is not a date (YYYY-MM-DD): left in the text")
        return False
    return True


def _action_details(card: Card, text: str, people: Sequence[Person]) -> str:
    """Owner and due date from an action's own line: segments "Owner: X", "due 2026-12-01", "(X)", "X to …"."""
    segments = [part.strip() for part in re.split(r"\s+[-–—|]\s+|\s*\|\s*|;\s+", text) if part.strip()]
    kept = [segment for segment in segments if not _take_key_value(card, segment, people)]
    text = " - ".join(kept)
    due = re.search(r"\s*[(,]?\s*\b(?:due|by|before|until|deadline)\s*:?\s*(\d{4}-\d{2}-\d{2})\)?", text, re.IGNORECASE)
    if due:
        card.due = due.group(1)
        card.found.append(f"due {card.due}")
        text = (text[: due.start()] + text[due.end():]).strip()
    if card.owner is None and not card.owner_named:
        for pattern, name_group, text_group in (
            (re.compile(r"^(.+?)\s*[(\[]([^()\[\]]{1,40})[)\]]$"), 2, 1),
            (re.compile(r"^@?([\w.'-]+(?: [\w.'-]+)?)\s*[:：]\s+(.+)$"), 1, 2),
            (re.compile(r"^(.+)\s+(?:—|–|--|-)\s*@?([\w .'-]{1,40})$"), 2, 1),
            (re.compile(r"^(.+?)\s+@([\w.-]{1,40})$"), 2, 1),
        ):
            match = pattern.match(text)
            if not match:
                continue
            name = match.group(name_group).strip()
            if is_placeholder(name):
                card.found.append(f"owner '{name}' is a placeholder: no owner")
                return match.group(text_group).strip()
            person = match_person(name, people)
            if person is not None:
                card.owner = person
                card.found.append(f"owner {person.name}")
                return match.group(text_group).strip()
        match = re.match(r"^@?([\w.'-]+(?: [\w.'-]+)?) (?:to|will|should|must) (.+)$", text)
        if match:
            person = match_person(match.group(1), people)
            if person is not None:
                card.owner = person
                card.found.append(f"owner {person.name}")
    return text
