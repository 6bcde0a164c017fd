"""Checklist templates: the seeds' precise checklists, and the team's own.

The seeds insist a checklist says *where the idea comes from, who approves,
the format, where the graphic is made, what the text must include, which days
it goes out and how it reaches whoever uploads it* — not "write a post". The
built-in templates carry exactly that. Applying one adds its lines to a
stage's steps (what every piece goes through there); a team saves a stage's
steps as its own ``ChecklistTemplate``. Applying a template twice adds nothing
the second time: lines are compared by their normalised text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from gtm_tui.checklists.checklist_items import normalise
from gtm_tui.checklists.runs import stage_steps
from gtm_tui.data.model import ChecklistTemplate, Stage, Step, ValidationError
from gtm_tui.data.order import next_position
from gtm_tui.data.workspace import Workspace

BUILT_IN: dict[str, tuple[str, ...]] = {
    "Social post": (
        "Where the idea comes from: the content calendar or a logged request (link it)",
        "Who approves: name the approver and where the approval is recorded",
        "Format: channel, length limit and image size agreed",
        "Where the graphic is made: the design tool and board, with the final text attached",
        "What the text must include: hook, one key message, proof point, call to action with a tracked link",
        "Publishing days and times fixed in the calendar",
        "Handover to whoever uploads: final text and image in the 'Ready to publish' folder, uploader tagged",
    ),
    "Newsletter": (
        "Topic and lead story chosen from the content calendar",
        "Subject line and preview text written (two variants for testing)",
        "Every block has a link with UTM parameters",
        "Images sized for e-mail and alt text written",
        "Approver signed off the final draft",
        "Test send checked on desktop and mobile",
        "Send day and time scheduled; segment and suppression list checked",
    ),
    "Landing page": (
        "Goal and the one conversion action defined",
        "Copy approved: headline, benefits, proof, call to action",
        "Design approved at desktop and mobile sizes",
        "Meta title, description and social image set",
        "Form and tracking tested (UTM links, analytics events, thank-you page)",
        "Preview link shared for a last look before publishing",
    ),
    "Product launch": (
        "Launch messaging and proof points agreed with product marketing",
        "Launch date and time confirmed with sales and support",
        "Blog post, newsletter, social posts and landing page scheduled",
        "Product claims cleared with legal",
        "Sales and support briefed with the live links",
        "Numbers after 7 days logged and shared at the check-in",
    ),
}


@dataclass(frozen=True)
class Template:
    """A template as offered to the user: built in, or saved by the team (``record_id``)."""

    name: str
    lines: tuple[str, ...]
    record_id: str | None = None

    @property
    def built_in(self) -> bool:
        return self.record_id is None


def available(saved: Iterable[ChecklistTemplate]) -> list[Template]:
    """The built-in templates first, then the team's, by name."""
    result = [Template(name, lines) for name, lines in BUILT_IN.items()]
    result += sorted((Template(t.name, tuple(t.items), t.id) for t in saved), key=lambda t: t.name.casefold())
    return result


def missing_lines(lines: Sequence[str], existing_texts: Iterable[str]) -> list[str]:
    """The template lines a stage does not have yet (normalised comparison), without repeating any."""
    seen = {normalise(text) for text in existing_texts}
    result = []
    for line in lines:
        key = normalise(line)
        if key and key not in seen:
            seen.add(key)
            result.append(line.strip())
    return result


def plan(template: Template, stage_id: str, existing: Sequence[Step]) -> list[Step]:
    """The steps applying ``template`` to a stage holding ``existing`` steps would add, at the end (owned by its R)."""
    start = next_position(existing)
    lines = missing_lines(template.lines, (step.text for step in existing))
    return [
        Step(stage_id=stage_id, text=line, position=start + offset, source=f"template: {template.name}")
        for offset, line in enumerate(lines)
    ]


def apply(workspace: Workspace, template: Template, stage: Stage) -> list[Step]:
    """Add the template's missing lines to ``stage``'s steps as one save and one undo step; return what was added.

    The runs started from then on carry them; the runs under way are offered
    them by the screen (``steps.pending_offers``).
    """
    new_steps = plan(template, stage.id, stage_steps(workspace.all(Step), stage.id))
    if not new_steps:
        return []
    added = []
    with workspace.batch(f"apply template '{template.name}' to {stage.name}"):
        for step in new_steps:
            added.append(workspace.add(step))
    return added


def save_stage(workspace: Workspace, stage: Stage, name: str) -> ChecklistTemplate:
    """Save a stage's steps (their texts, in order) as a named template."""
    name = name.strip()
    if not name:
        raise ValidationError("name", "must not be empty (e.g. 'Webinar promo')")
    if normalise(name) in {normalise(built) for built in BUILT_IN}:
        raise ValidationError("name", f"'{name}' is a built-in template; choose another name")
    lines = [step.text for step in stage_steps(workspace.all(Step), stage.id)]
    if not lines:
        raise ValidationError("name", f"{stage.name} has no steps to save")
    return workspace.add(ChecklistTemplate(name=name, items=lines))
