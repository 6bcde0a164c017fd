"""The handover pack: the pilot as one folder a person can read without the app (the method's wrap-up).

``gtm-tui export FILE --format handover -o DIR`` (and Export… in the app)
writes::

    index.md               what the pilot is, who is who, where to find what, and what is in this folder
    flowchart.md           the process as a Mermaid flowchart (GitHub, GitLab and most wikis draw it)
    checklists/NN-<stage>.md   each stage's checklist with its links, owners and due dates
    raci.md                the RACI, both layers (today and the pilot)
    people/<name>.md       each person's page: what I am responsible for, what I hand over and
                           receive, where to find it
    recommendations.md     what the review recommends
    report.md, report.html the report for leadership (the HTML prints to PDF)
    calendar.ics           deadlines and check-ins (left out, and said so in index.md, when
                           nothing in the pilot has a date)

Every file is made before the first is written, and each is written
atomically; the folder is created when missing and the pack's own files in
it are replaced, nothing else is touched. User text is made inert for
Markdown tables and headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gtm_tui.data.model import ChecklistItem, Handoff, Person, Recommendation, Stage, ValidationError
from gtm_tui.data.safe_text import visible
from gtm_tui.data.storage import write_atomically
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import html, ics, mermaid
from gtm_tui.io.stopping import stop_point
from gtm_tui.overview.person_page import person_markdown, person_page
from gtm_tui.overview.summary import pilot_facts
from gtm_tui.process.links import is_web
from gtm_tui.raci.matrix import Matrix, RowKey, has_r, md_cell, raci_markdown
from gtm_tui.review.report import build_report
from gtm_tui.work.work_items import ordered_stages

SUFFIX = "-handover"  # a folder: pilot.json's pack is pilot-handover/


def slug(text: str, taken: set[str]) -> str:
    """A file name from a name: lower case, letters and digits joined by dashes, unique in ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:48] or "untitled"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def _line(text: Any) -> str:
    return " ".join(str(text).split())


def _link_md(link: dict[str, Any]) -> str:
    """A link as a Markdown list entry: a web address clickable, a path as code (copy it)."""
    label = re.sub(r"([\[\]])", r"\\\1", md_cell(_line(link.get("label") or link["target"])))
    target = str(link["target"])
    if is_web(target):
        return f"[{label}](<{target.replace('>', '%3E')}>)"
    return f"{label}: `{target.replace('`', '')}`" if link.get("label") else f"`{target.replace('`', '')}`"


def _links_block(links: Iterable[dict[str, Any]]) -> list[str]:
    return [f"- {_link_md(link)}" for link in links]


class Pack:
    """The files of a pack by relative path, built from one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.stages = ordered_stages(workspace.all(Stage))
        self.people = workspace.all(Person)
        taken: set[str] = set()
        self.stage_files = {s.id: f"checklists/{n:02d}-{slug(s.name, taken)}.md" for n, s in enumerate(self.stages, 1)}
        taken = set()
        self.person_files = {p.id: f"people/{slug(p.name, taken)}.md" for p in self.people}
        self.files: dict[str, str] = {}
        self.calendar_note = ""

    def names(self) -> list[str]:
        """The files ``build`` makes, in its order, without making them (a big pilot's pack takes seconds)."""
        return ["flowchart.md", *(self.stage_files[stage.id] for stage in self.stages), "raci.md",
                *(self.person_files[person.id] for person in self.people), "recommendations.md", "report.md",
                "report.html", *(["calendar.ics"] if ics.has_events(self.workspace) else []), "index.md"]

    def build(self) -> dict[str, str]:
        self.files["flowchart.md"] = self._flowchart()
        for stage in self.stages:
            stop_point()
            self.files[self.stage_files[stage.id]] = self._checklist(stage)
        self.files["raci.md"] = self._raci()
        for person in self.people:
            stop_point()
            self.files[self.person_files[person.id]] = self._person(person)
        self.files["recommendations.md"] = self._recommendations()
        stop_point()
        self.files["report.md"] = build_report(self.workspace)
        stop_point()
        self.files["report.html"] = html.render(self.workspace)
        try:
            self.files["calendar.ics"] = ics.render(self.workspace)
        except ValidationError as error:
            self.calendar_note = error.reason
        self.files["index.md"] = self._index()
        # text from the file, written visibly (␛); the calendar is already, and keeps its CR LF line ends
        return {
            name: text if name.endswith(".ics") else visible(text, allow_newlines=True)
            for name, text in self.files.items()
        }

    # -- the parts ----------------------------------------------------------------
    def _flowchart(self) -> str:
        name = _line(self.workspace.pilot().name)
        return (f"# {md_cell(name)} — the process\n\nFrom deciding on a piece of content until it is live. "
                "Dotted arrows loop back for rework; the focus handoff of the pilot is drawn thick.\n\n"
                f"```mermaid\n{mermaid.render(self.workspace).rstrip()}\n```\n")

    def _checklist(self, stage: Stage) -> str:
        workspace = self.workspace
        items = [i for i in workspace.all(ChecklistItem) if i.stage_id == stage.id]
        lines = [f"# {md_cell(_line(stage.name))}", ""]
        facts = [("Owner", workspace.name_of(Person, stage.owner_id, "—")),
                 ("Expected days", f"{stage.expected_days:g}" if stage.expected_days is not None else "—"),
                 ("Ready beforehand", stage.prerequisites or "—"), ("Bottleneck", stage.bottleneck or "—")]
        lines += [f"- **{label}:** {_line(value)}" for label, value in facts] + [""]
        if stage.links:
            lines += ["## Where to find it", "", *_links_block(stage.links), ""]
        lines += ["## Checklist", ""]
        if not items:
            lines.append("_No items yet._")
        for item in items:
            tick = "x" if item.done else " "
            extra = [f"owner {workspace.name_of(Person, item.owner_id, 'nobody')}"]
            if item.due:
                extra.append(f"due {item.due}")
            if item.approval:
                extra.append("approval: the stage's A ticks it")
            lines.append(f"- [{tick}] {_line(item.text)} ({', '.join(_line(e) for e in extra)})")
            lines += [f"    - {_link_md(link)}" for link in item.links]
        return "\n".join(lines).rstrip() + "\n"

    def _raci(self) -> str:
        return ("# RACI\n\nR does the work, A answers for it (one per row), C is consulted, I is informed. "
                "Focus stages are in bold.\n\n## In the pilot\n\n" + raci_markdown(self.workspace, "pilot")
                + "\n## Today (before the pilot)\n\n" + raci_markdown(self.workspace, "today"))

    def _handoffs(self, person: Person) -> tuple[list[str], list[str]]:
        """What the person hands over (R of the from-stage) and receives (R of the to-stage), in words."""
        workspace = self.workspace
        matrix = Matrix.of(workspace)
        names = {s.id: s.name for s in self.stages}

        def is_r(stage_id: str) -> bool:
            return has_r(matrix.layers.get("pilot", {}).get(RowKey(stage_id), {}).get(person.id))

        give, take = [], []
        for handoff in workspace.all(Handoff):
            what = f" — {_line(handoff.what)}" if handoff.what else ""
            words = (
                f"{_line(names.get(handoff.from_stage_id, '?'))} → {_line(names.get(handoff.to_stage_id, '?'))}{what}"
            )
            if is_r(handoff.from_stage_id):
                give.append(f"- {md_cell(words)}")
            if is_r(handoff.to_stage_id):
                take.append(f"- {md_cell(words)}")
        return give, take

    def _person(self, person: Person) -> str:
        workspace = self.workspace
        page = person_page(workspace, person.id)
        lines = [person_markdown(page).rstrip(), ""]
        give, take = self._handoffs(person)
        lines += ["## What I hand over", "", *(give or ["_Nothing, by the pilot RACI._"]), ""]
        lines += ["## What I receive", "", *(take or ["_Nothing, by the pilot RACI._"]), ""]
        matrix = Matrix.of(workspace)
        mine = [s for s in self.stages
                if any(matrix.layers.get("pilot", {}).get(row.key, {}).get(person.id) for row in matrix.rows
                       if row.key.stage_id == s.id)]
        found: list[str] = []
        for stage in mine:
            found += [f"- {md_cell(_line(stage.name))}: {_link_md(link)}" for link in stage.links]
        for item in workspace.all(ChecklistItem):
            if item.owner_id == person.id:
                found += [f"- {md_cell(_line(item.text))}: {_link_md(link)}" for link in item.links]
        lines += ["## Where to find it", "", *(found or ["_No links on my stages or items yet._"]), ""]
        checklists = [f"- [{md_cell(_line(s.name))}](../{self.stage_files[s.id]})" for s in mine]
        if checklists:
            lines += ["## My stages' checklists", "", *checklists, ""]
        return "\n".join(lines).rstrip() + "\n"

    def _recommendations(self) -> str:
        workspace = self.workspace
        lines = [
            "# Recommendations",
            "",
            "What the review recommends: simplify stages, coordinate better, automate.",
            "",
        ]
        recommendations = workspace.all(Recommendation)
        if not recommendations:
            lines.append("_None recorded._")
        for rec in recommendations:
            where = f" ({_line(workspace.name_of(Stage, rec.stage_id))})" if rec.stage_id else ""
            lines.append(f"- **{rec.kind.capitalize()}**{where}: {_line(rec.text)}")
        return "\n".join(lines) + "\n"

    def _index(self) -> str:
        workspace = self.workspace
        pilot = workspace.pilot()
        lines = [f"# {md_cell(_line(pilot.name))} — handover", "",
                 ("Everything the team needs after the pilot, readable without gtm-tui: who is responsible for what, "
                  "the checklists, the process and where to find each tool."), "", "## The pilot", ""]
        lines += [f"- **{label}:** {_line(value)}" for label, value in pilot_facts(workspace)] + [""]
        lines += ["## People", ""]
        lines += [f"- [{md_cell(_line(p.name))}]({self.person_files[p.id]})" + (f" — {_line(p.role)}" if p.role else "")
                  for p in self.people] or ["_Nobody yet._"]
        lines += ["", "## The process and its checklists", "", "- [Flowchart](flowchart.md)"]
        lines += [f"- [{md_cell(_line(s.name))}]({self.stage_files[s.id]})" for s in self.stages]
        lines += ["", "## Where to find it", ""]
        linked = [f"- {md_cell(_line(s.name))}: {_link_md(link)}" for s in self.stages for link in s.links]
        lines += linked or ["_No links on the stages yet._"]
        lines += ["", "## In this folder", "",
                  "- [RACI, both layers](raci.md)", "- [Recommendations](recommendations.md)",
                  "- [Report for leadership](report.md) ([HTML, prints to PDF](report.html))"]
        if "calendar.ics" in self.files:
            lines.append("- [Calendar of deadlines and check-ins](calendar.ics) (import or subscribe in your calendar)")
        else:
            lines.append(f"- No calendar: {self.calendar_note}")
        return "\n".join(lines) + "\n"


def files(workspace: Workspace, out: Path) -> list[Path]:
    """The files ``write`` puts in the folder ``out`` (so an export can ask before replacing any of them)."""
    return [out / relative for relative in Pack(workspace).names()]


def write(workspace: Workspace, out: Path, **_options: Any) -> None:
    """Write the pack into folder ``out`` (made when missing); ``OSError`` when it cannot be written."""
    files = Pack(workspace).build()  # every file made before any is written: a stop leaves the folder as it was
    if out.exists() and not out.is_dir():
        raise ValidationError("path", f"{out} is a file; the handover pack is a folder")
    stop_point()
    for relative, text in files.items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, text.encode("utf-8"))
