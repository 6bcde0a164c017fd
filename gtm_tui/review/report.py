"""The short report for leadership, as Markdown: scope, figures, themes, RACI, fixes, follow-up, ideas.

``build_report(workspace)`` only reads; the CLI exporter and the in-app report
view both show exactly this text. It is saved one way, as the Markdown export
(``io.exporting.export(workspace, "md", path)``: atomic, by default
``<workspace stem>-report.md`` beside the file), from the Report screen,
Export… and ``gtm-tui export``. It is meant to fit on two printed pages, so
every list is short and every figure is one the file can back.

Key figures come from ``work.metrics`` and the RACI findings from
``raci.matrix``: the report says what the screens say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gtm_tui.checklists.runs import steps_to_work, timeliness
from gtm_tui.data import clock
from gtm_tui.data.model import (
    ActionItem,
    BaselineItem,
    ChecklistItem,
    Feedback,
    Person,
    Question,
    Recommendation,
    Stage,
    Theme,
    WorkItem,
)
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import counted
from gtm_tui.overview.summary import checkin_rhythm, focus_handoff
from gtm_tui.raci import matrix as raci
from gtm_tui.review import fix_loop, retro
from gtm_tui.work import baseline, metrics

MAX_THEMES = 6  # per table: the report must stay short


# Markdown that would turn user text into a link, an image (a tracking pixel) or HTML: shown literally instead.
_MARKDOWN_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\[", "]": "\\]", "<": "\\<", ">": "\\>"})


def _line(text: Any) -> str:
    """User text on one line, its link, image and HTML syntax escaped (a note is never a disguised link)."""
    return " ".join(str(text).split()).translate(_MARKDOWN_ESCAPES)


def _cell(text: Any) -> str:
    """User text made safe for one Markdown table cell."""
    return _line(text).replace("|", "\\|")


def _figure(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") + unit


# --------------------------------------------------------------------------
# Key figures


@dataclass(frozen=True)
class Figure:
    """A measure during the pilot, next to the baseline figure of the same name (None when there is none)."""

    measure: str
    pilot: float | None
    baseline: float | None = None
    origin: str = ""  # where the baseline figure came from: measured, typed, or typed and not measured
    items: int | None = None  # how many items the pilot's figure is built on

    @property
    def change(self) -> str:
        if self.origin == baseline.TYPED_ONLY:
            return "—"
        return baseline.change_of(self.pilot, self.baseline, self.items)


def key_figures(workspace: Workspace, now: datetime | None = None) -> list[Figure]:
    """Baseline measures first (measured or typed, with the pilot's figure), then the pilot's other figures."""
    now = now or clock.now()
    against = baseline.compare(workspace, now)
    figures = [Figure(c.measure, c.pilot, c.baseline, c.origin, c.pilot_items) for c in against.measures]
    found = metrics.figures(workspace, now)
    shown = {figure.measure for figure in figures}
    figures += [Figure(measure, value) for measure, compute in baseline.MEASURES.items()
                if measure not in shown and (value := compute(found)) is not None]
    return figures


# --------------------------------------------------------------------------
# RACI findings


def raci_findings(workspace: Workspace) -> list[str]:
    """The RACI screen's checks on the pilot layer, its focus-handover warnings and how much the pilot changes."""
    found = [str(problem) for problem in raci.problems(workspace, "pilot")]
    found += [str(problem) for problem in raci.focus_handover_warnings(workspace)]
    found = list(dict.fromkeys(found))  # a focus warning may be among the problems already
    changed = len(raci.layer_diff(workspace))
    if changed:
        found.append(f"The pilot RACI changes {counted(changed, 'cell')} compared with how the work is done today.")
    return found


# --------------------------------------------------------------------------
# The report


def _scope(workspace: Workspace) -> list[str]:
    pilot = workspace.pilot()
    team = workspace.all(Person)
    members = ", ".join(f"{p.name} ({p.role})" if p.role else p.name for p in team) or "no one yet"
    lines = [
        "## Scope and team",
        "",
        f"- **Campaign:** {_line(pilot.campaign) or '—'}"
        + (f" ({pilot.campaign_start} → {pilot.campaign_end})" if pilot.campaign_start else ""),
        f"- **Focus handoff:** {_line(focus_handoff(workspace))}",
        f"- **Goal:** {_line(pilot.goal) or '—'}",
        f"- **Pilot:** {pilot.start_date or '?'} → {pilot.end_date or '?'} · status {pilot.status}"
        f" · lead {_line(workspace.name_of(Person, pilot.lead_id))} · {_line(pilot.channel) or 'no channel'}"
        f" · check-ins {checkin_rhythm(workspace)}",
        f"- **Team ({len(team)}):** {_line(members)}",
        "",
    ]
    return lines


def _figures(workspace: Workspace, now: datetime) -> list[str]:
    lines = ["## Key figures against baseline", "", "| Measure | Baseline | Pilot | Change |", "|---|---:|---:|---:|"]
    for figure in key_figures(workspace, now):
        shown = _figure(figure.baseline) if figure.baseline is not None else "—"
        if figure.origin in (baseline.TYPED, baseline.TYPED_ONLY):
            shown += f" ({figure.origin})"
        lines.append(f"| {_cell(figure.measure)} | {shown} | {_figure(figure.pilot)} | {figure.change} |")
    items = workspace.all(WorkItem)
    done = sum(1 for i in items if i.status == "done")
    lines += ["", f"Counted over {counted(len(items), 'work item')} of the pilot, {done} of them live.",
              metrics.records_of(workspace).rule.text()]
    source = baseline.BaselineSource.of(workspace.pilot().baseline_source)
    if source is not None and workspace.count(BaselineItem):
        lines.append(f"Baseline measured from {_line(source.text())} with the same rules.")
    # Every step done, and the open ones of the runs under way (what an ended run left open is history).
    seen = [s for s in workspace.all(ChecklistItem) if s.done] + [s for s in steps_to_work(workspace) if not s.done]
    steps = timeliness(seen, clock.today())
    if steps.done or steps.open_late:
        share = f" ({steps.share:.0f} %)" if steps.share is not None else ""
        lines.append(f"Steps of the runs with a due date: {steps.on_time} of {steps.done} done on time{share}, "
                     f"{steps.late} done late, {steps.open_late} still open past their due date.")
    return lines + [""] + _per_stage(workspace, now)


def _per_stage(workspace: Workspace, now: datetime) -> list[str]:
    """Median days per stage and median wait per handoff, the pilot beside its measured baseline."""
    against = baseline.compare(workspace, now)
    if against.measured is None:
        return []
    lines = ["## Per stage and per handoff, against the baseline", "",
             "| Stage / handoff | Baseline median | Pilot median | Change |", "|---|---:|---:|---:|"]
    for stage in against.stages:
        past = stage.baseline.median_days if stage.baseline else None
        lines.append(f"| {_cell(stage.name)} | {_figure(past, ' d')} | {_figure(stage.pilot.median_days, ' d')} | "
                     f"{baseline.change_of(stage.pilot.median_days, past)} |")
    for wait in against.waits:
        past = wait.baseline.median_days if wait.baseline else None
        days = wait.pilot.median_days if wait.pilot else None
        if past is None and not wait.focus:
            continue  # a handoff only the pilot went through: the table above the report already has it
        name = f"wait {workspace.name_of(Stage, wait.from_stage_id)} → {workspace.name_of(Stage, wait.to_stage_id)}"
        name += " (focus)" if wait.focus else ""
        lines.append(
            f"| {_cell(name)} | {_figure(past, ' d')} | {_figure(days, ' d')} | {baseline.change_of(days, past)} |"
        )
    return lines + [""]


MAX_LOOSE_ANSWERS = 3  # per question, in the report's lists of answers no theme covers


def ungrouped_answers(workspace: Workspace) -> tuple[list[tuple[Question, list[Feedback]]],
                                                     list[tuple[Question, list[Feedback]]]]:
    """The answers no theme covers, under their question: the first question's count as what worked, the
    others' as obstacles (as the themes are split). Questions without such answers are left out."""
    questions = workspace.all(Question)
    by_question = retro.feedback_by_question(questions, [n for n in workspace.all(Feedback) if not n.theme_id])
    found = [(question, notes) for question, notes in by_question if notes]
    first = questions[0].id if questions else None
    return [pair for pair in found if pair[0].id == first], [pair for pair in found if pair[0].id != first]


def _loose_lines(groups: list[tuple[Question, list[Feedback]]]) -> list[str]:
    """One line per question: the answers to it that no theme covers (the report stays short)."""
    if not groups:
        return []
    lines = []
    for question, notes in groups:
        shown = " · ".join(_line(note.text) for note in notes[:MAX_LOOSE_ANSWERS])
        more = f" · … and {len(notes) - MAX_LOOSE_ANSWERS} more" if len(notes) > MAX_LOOSE_ANSWERS else ""
        lines.append(f"- Not in a theme, answers to “{_line(question.text)}” ({len(notes)}): {shown}{more}")
    return lines + [""]


def _theme_table(rows: list[retro.RankedTheme], loose: Iterable[tuple[Question, list[Feedback]]] = ()) -> list[str]:
    if not rows:
        return _loose_lines(list(loose)) or ["_None recorded._", ""]
    lines = ["| Theme | Notes | Votes |", "|---|---:|---:|"]
    lines += [f"| {_cell(r.theme.name)} | {r.notes} | {r.votes} |" for r in rows[:MAX_THEMES]]
    if len(rows) > MAX_THEMES:
        lines.append(f"| … and {len(rows) - MAX_THEMES} more | | |")
    return lines + [""] + _loose_lines(list(loose))


def worked_and_obstacles(workspace: Workspace) -> tuple[list[retro.RankedTheme], list[retro.RankedTheme]]:
    """Themes split by where their notes came from: mostly answers to the first question ("what sped
    up your work?") count as what worked; the rest are obstacles. Each list is ordered by votes."""
    questions = workspace.all(Question)
    first = questions[0].id if questions else None
    notes = workspace.all(Feedback)
    by_theme: dict[str, list[Feedback]] = {}
    for note in notes:  # grouped once: a walk over every note per theme took 0.8 s at 50,000 records
        if note.theme_id:
            by_theme.setdefault(note.theme_id, []).append(note)
    worked: list[retro.RankedTheme] = []
    obstacles: list[retro.RankedTheme] = []
    for ranked in retro.ranked_themes(workspace.all(Theme), notes, workspace.all(ActionItem)):
        own = by_theme.get(ranked.theme.id, [])
        positive = sum(1 for n in own if n.question_id == first)
        (worked if own and positive * 2 > len(own) else obstacles).append(ranked)
    return worked, obstacles


def _themes(workspace: Workspace) -> list[str]:
    notes = workspace.all(Feedback)
    people = {n.person_id for n in notes if n.person_id}
    anonymous = sum(1 for n in notes if not n.person_id)
    live = sum(1 for n in notes if n.phase == "live")
    loose = sum(1 for n in notes if not n.theme_id)
    worked, obstacles = worked_and_obstacles(workspace)
    loose_worked, loose_obstacles = ungrouped_answers(workspace)
    lines = [
        "## What worked and the obstacles",
        "",
        f"{counted(len(notes), 'note')} from {counted(len(people), 'person', 'people')} ({anonymous} anonymous, "
        f"{live} taken live in the meeting), grouped into {counted(workspace.count(Theme), 'theme')}; "
        f"{counted(loose, 'note stands', 'notes stand')} alone. "
        f"Votes: dots given, {workspace.pilot().dot_limit} per person.",
        "",
        "**What worked**",
        "",
        *_theme_table(worked, loose_worked),
        "**Obstacles**",
        "",
        *_theme_table(obstacles, loose_obstacles),
    ]
    return lines


def _raci(workspace: Workspace) -> list[str]:
    findings = raci_findings(workspace)
    lines = ["## RACI findings", ""]
    if not findings:
        return lines + ["Every stage of the pilot RACI has one accountable person and someone responsible.", ""]
    return (
        lines
        + [f"- {_line(f)}" for f in findings[:8]]
        + ([f"- … and {len(findings) - 8} more"] if len(findings) > 8 else [])
        + [""]
    )


def _fixes(workspace: Workspace) -> list[str]:
    actions = workspace.all(ActionItem)
    fixes = sorted(
        (a for a in actions if a.priority and a.status != "dropped"), key=lambda a: (a.due or "9999", a.title)
    )
    lines = ["## Priority fixes", ""]
    if not fixes:
        lines += ["_No priority fixes agreed yet._", ""]
    else:
        lines += ["| Fix | Owner | Deadline | Status |", "|---|---|---|---|"]
        for fix in fixes:
            status = fix.status + (" — **overdue**" if retro.is_overdue(fix) else "")
            owner = _cell(workspace.name_of(Person, fix.owner_id))
            lines.append(f"| {_cell(fix.title)} | {owner} | {fix.due or '—'} | {status} |")
        lines.append("")
    others = [a for a in actions if not a.priority and a.status in retro.ACTIVE_STATUSES]
    if others:
        lines += [f"Besides these, {counted(len(others), 'other action item is', 'other action items are')} open.", ""]
    follow_up = workspace.pilot().follow_up_date
    lines += [
        "## Follow-up",
        "",
        f"Follow-up check: **{follow_up}**." if follow_up else "Follow-up check: not scheduled yet.",
        "",
    ]
    return lines


def _fix_loop(workspace: Workspace, now: datetime) -> list[str]:
    """Did the previous fixes help? The linked stage's median time in stage before and after each fix's date."""
    rows = fix_loop.before_after(workspace, now)
    if not rows:
        return []
    lines = ["## Previous fixes: before and after", "",
             "Median days in the stage each fix changes, over the visits entered before the fix was agreed and since "
             "(visits in brackets).", "",
             "| Fix | Status | Stage | Before | After |", "|---|---|---|---|---|"]
    for row in rows:
        before = f"{_figure(row.before_days, ' d')} ({row.before_visits})"
        after = f"{_figure(row.after_days, ' d')} ({row.after_visits})"
        lines.append(f"| {_cell(row.fix.title)} | {row.fix.status} | {_cell(row.stage_name)} | {before} | {after} |")
    return lines + [""]


def _recommendations(workspace: Workspace) -> list[str]:
    lines = ["## Recommendations", ""]
    recommendations = workspace.all(Recommendation)
    if not recommendations:
        return lines + ["_None yet._", ""]
    for rec in recommendations:
        where = f" ({_line(workspace.name_of(Stage, rec.stage_id))})" if rec.stage_id else ""
        lines.append(f"- **{rec.kind.capitalize()}**{where}: {_line(rec.text)}")
    return lines + [""]


CONCLUSION_WORDS = {"roll out": "Roll out", "adjust and rerun": "Adjust and rerun", "stop": "Stop"}


def _conclusion(workspace: Workspace) -> list[str]:
    """The lead's recommendation and words, first: what leadership reads when it reads nothing else."""
    pilot = workspace.pilot()
    lead = workspace.name_of(Person, pilot.lead_id, "the pilot lead")
    lines = ["## The lead's conclusion", ""]
    if not pilot.conclusion:
        return lines + [f"_Not given yet: {_line(lead)} records it in Pilot setup (Overview, key s)._", ""]
    lines.append(f"**Recommendation: {CONCLUSION_WORDS[pilot.conclusion]}.** — {_line(lead)}")
    if pilot.conclusion_note.strip():
        lines += [""] + [paragraph.strip() for paragraph in pilot.conclusion_note.strip().splitlines()]
    return lines + [""]


def build_report(workspace: Workspace) -> str:
    """The whole report as Markdown; a control character from the file is written visibly (``␛``), never raw.

    Every figure is counted as of one moment, so the figures read each item's visits and flags once.
    """
    now = clock.now()
    pilot = workspace.pilot()
    parts: Iterable[str] = [
        f"# {_line(pilot.name)} — report for leadership",
        "",
        f"_As of {clock.today().isoformat()}._",
        "",
        *_conclusion(workspace),
        *_scope(workspace),
        *_figures(workspace, now),
        *_themes(workspace),
        *_raci(workspace),
        *_fixes(workspace),
        *_fix_loop(workspace, now),
        *_recommendations(workspace),
    ]
    return visible("\n".join(parts).rstrip() + "\n", allow_newlines=True)
