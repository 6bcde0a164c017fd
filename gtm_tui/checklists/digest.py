"""The digest for the team's channel: what a stand-up needs, as text, Markdown or Slack mrkdwn.

Per person: their overdue and due steps (checklist items due by the next
check-in), what blocks them, the work waiting on them at a handoff and for how
long, and what they finished since the last stand-up (or ``since``). For the
team: the next check-in, the open priority fixes and the follow-up date.
``gtm-tui digest`` prints it or posts it (``sharing/webhook.py``); a cron job
or a git hook can post it every morning.

The content is one structure (``Digest``), rendered three ways, so the
formats cannot say different things. User text is escaped for each format:
Slack's mrkdwn wants ``&``, ``<`` and ``>`` as entities (a ``<`` would start
a link or a mention), Markdown wants its markers inert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from gtm_tui.checklists.checklist_items import days_late
from gtm_tui.checklists.reminders import checkin_words, next_checkin
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.checklists.standup import since_moment
from gtm_tui.data.model import ActionItem, CheckIn, ChecklistItem, Person, Stage, WorkItem, as_datetime
from gtm_tui.data.order import order_key
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.your_turn import all_turns

FORMATS = ("text", "md", "slack")
DUE_AHEAD_DAYS = 7  # without a check-in day, "due" looks this far ahead


@dataclass
class PersonDigest:
    """One person's part; ``empty`` when there is nothing to say about them."""

    name: str
    overdue: list[str] = field(default_factory=list)
    due: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due or self.blocked or self.waiting or self.done)


@dataclass
class Digest:
    pilot: str
    today: date
    since: date | None
    people: list[PersonDigest]
    next_checkin: str
    fixes: list[str]
    follow_up: str


def _oneline(text: str) -> str:
    return " ".join(str(text).split())


def _due_until(workspace: Workspace, now: datetime, today: date) -> date:
    """Steps due up to the next check-in count as "due" (a week ahead without a check-in day)."""
    moment = next_checkin(workspace.pilot(), now.astimezone().replace(tzinfo=None))
    return moment.date() if moment is not None else today + timedelta(days=DUE_AHEAD_DAYS)


def build(workspace: Workspace, now: datetime, today: date, *, person_id: str | None = None,
          since: date | None = None) -> Digest:
    """The digest as of ``now``; ``person_id`` keeps one person's part, ``since`` the start of "finished"."""
    pilot = workspace.pilot()
    stages = {stage.id: stage.name for stage in workspace.all(Stage)}
    # The steps of the runs under way, and every step done (what an ended run left open is history).
    live = {step.id for step in steps_to_work(workspace)}
    items = sorted((i for i in workspace.all(ChecklistItem) if i.done or i.id in live),
                   key=lambda i: (i.due or "9999", order_key(i)))
    titles = {work.id: work.title for work in workspace.all(WorkItem)}
    until = _due_until(workspace, now, today)
    if since is None:
        moment = since_moment(workspace.all(CheckIn), now)
        since = moment.date() if moment is not None else None
    turns = [turn for turn in all_turns(workspace) if turn.kind == "work"]
    people = [p for p in workspace.all(Person) if person_id is None or p.id == person_id]
    parts = []
    for person in people:
        part = PersonDigest(person.name)
        for item in items:
            where = stages.get(item.stage_id, "?")
            if item.work_item_id in titles:
                where = f"{titles[item.work_item_id]}, {where}"
            if item.done:
                finished = as_datetime(item.done_at)
                if (item.done_by or item.owner_id) == person.id and finished is not None and (
                        since is None or finished.date() >= since):
                    part.done.append(f"{_oneline(item.text)} ({where})")
                continue
            if item.owner_id != person.id:
                continue
            if item.blocked:
                part.blocked.append(f"{_oneline(item.text)} ({where}): {_oneline(item.blocked)}")
            due = date.fromisoformat(item.due) if item.due else None
            if due is not None and due < today:
                late = days_late(item, today)
                part.overdue.append(f"{_oneline(item.text)} ({where}) — {late} day{'s' if late != 1 else ''} late")
            elif due is not None and due <= until:
                when = "today" if due == today else due.isoformat()
                part.due.append(f"{_oneline(item.text)} ({where}) — due {when}")
        for turn in sorted((t for t in turns if t.person_id == person.id), key=lambda t: t.since):
            part.waiting.append(f"{_oneline(turn.text)} — waiting {turn.waited(now)}")
        parts.append(part)
    moment = next_checkin(pilot, now.astimezone().replace(tzinfo=None))
    fixes = []
    for action in sorted(workspace.all(ActionItem), key=lambda a: (a.due or "9999", a.title)):
        if action.priority and action.status in ("open", "in progress"):
            owner = workspace.name_of(Person, action.owner_id, "no owner")
            mark = " — OVERDUE" if action.due and action.due < today.isoformat() else ""
            fixes.append(f"{_oneline(action.title)} — {owner}, due {action.due or 'no date'}{mark}")
    return Digest(
        pilot=_oneline(pilot.name),
        today=today,
        since=since,
        people=parts,
        next_checkin=checkin_words(moment, today) if moment else "no check-in day set",
        fixes=fixes,
        follow_up=pilot.follow_up_date or "not scheduled",
    )


# --------------------------------------------------------------------------
# Rendering

_SLACK_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def slack_escape(text: str) -> str:
    """User text for Slack mrkdwn: ``&``, ``<`` and ``>`` as entities (Slack's own rule), nothing else."""
    return "".join(_SLACK_ESCAPES.get(char, char) for char in text)


def md_escape(text: str) -> str:
    """User text inert in Markdown: its markers backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", text)


_SECTIONS = (
    ("overdue", "Overdue"),
    ("due", "Due"),
    ("blocked", "Blocked"),
    ("waiting", "Waiting at a handoff"),
    ("done", "Done"),
)


def render(digest: Digest, fmt: str = "text") -> str:
    """The digest in ``fmt``: "text" (a terminal, an e-mail), "md" (Markdown) or "slack" (mrkdwn)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    esc = slack_escape if fmt == "slack" else md_escape if fmt == "md" else (lambda text: text)
    bold = (lambda t: f"*{t}*") if fmt == "slack" else (lambda t: f"**{t}**") if fmt == "md" else (lambda t: t)
    bullet = "•" if fmt == "slack" else "-"
    title = f"Stand-up digest: {esc(digest.pilot)} — {digest.today.isoformat()}"
    lines = [f"# {title}" if fmt == "md" else bold(title), ""]
    done_word = f"Done since {digest.since.isoformat()}" if digest.since else "Done"
    shown = [part for part in digest.people if not part.empty]
    for part in shown:
        lines.append(f"## {esc(part.name)}" if fmt == "md" else bold(esc(part.name)))
        for attribute, heading in _SECTIONS:
            entries = getattr(part, attribute)
            if entries:
                label = done_word if attribute == "done" else heading
                lines.append(f"{bullet} {label}:" if fmt != "md" else f"- {label}:")
                lines += [f"    {bullet} {esc(entry)}" if fmt != "md" else f"    - {esc(entry)}" for entry in entries]
        lines.append("")
    if not shown:
        lines += ["Nothing due, late, blocked or waiting.", ""]
    team = [
        ("Next check-in", digest.next_checkin),
        ("Follow-up check", digest.follow_up),
    ]
    lines.append("## Team" if fmt == "md" else bold("Team"))
    lines += [f"{bullet} {label}: {esc(value)}" for label, value in team]
    if digest.fixes:
        lines.append(f"{bullet} Open priority fixes:")
        lines += [f"    {bullet} {esc(fix)}" for fix in digest.fixes]
    else:
        lines.append(f"{bullet} Open priority fixes: none")
    return "\n".join(lines).rstrip() + "\n"
