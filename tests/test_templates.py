"""Templates: the seeds' built-in checklists, saving a stage's checklist, applying without duplicates."""

from __future__ import annotations

from datetime import UTC

import orjson
import pytest

from gtm_tui.checklists import templates
from gtm_tui.data.model import ChecklistTemplate, Stage, Step, ValidationError
from gtm_tui.data.workspace import Workspace


def stage_named(workspace: Workspace, name: str) -> Stage:
    return next(s for s in workspace.all(Stage) if s.name == name)


def texts(workspace: Workspace, stage: Stage) -> list[str]:
    return [i.text for i in workspace.all(Step) if i.stage_id == stage.id]


def test_the_social_post_template_carries_the_seeds_lines():
    lines = " ".join(templates.BUILT_IN["Social post"]).casefold()
    for phrase in ("idea comes from", "approves", "format", "graphic is made", "text must include",
                   "publishing days", "uploads"):
        assert phrase in lines
    assert {"Social post", "Newsletter", "Landing page", "Product launch"} <= set(templates.BUILT_IN)


def test_missing_lines_compares_normalised_text_and_never_repeats():
    assert templates.missing_lines(["Alt text.", "alt  TEXT", "Sizes"], ["ALT text"]) == ["Sizes"]


def test_applying_social_post_twice_adds_its_items_once(demo_file):
    workspace = Workspace.open(demo_file)
    stage = stage_named(workspace, "Publish")
    before = texts(workspace, stage)
    social = next(t for t in templates.available(workspace.all(ChecklistTemplate)) if t.name == "Social post")
    added = templates.apply(workspace, social, stage)
    assert [i.text for i in added] == list(templates.BUILT_IN["Social post"])
    assert all(i.source == "template: Social post" for i in added)
    assert templates.apply(workspace, social, stage) == []
    after = texts(Workspace.open(demo_file), stage)  # as saved
    assert after == before + list(templates.BUILT_IN["Social post"])
    # new items come after the existing ones, in the template's order
    positions = [i.position for i in workspace.all(Step) if i.stage_id == stage.id]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    # one undo step takes the whole application back
    workspace.undo()
    assert texts(workspace, stage) == before


def test_save_a_stage_as_a_template_and_apply_it_elsewhere(demo_file):
    workspace = Workspace.open(demo_file)
    design = stage_named(workspace, "Creative design")
    saved = templates.save_stage(workspace, design, "  Design handover ")
    assert saved.name == "Design handover" and saved.items == texts(workspace, design)
    stored = orjson.loads(demo_file.read_bytes())["templates"][saved.id]
    assert stored["items"] == saved.items
    offered = templates.available(workspace.all(ChecklistTemplate))
    assert offered[0].built_in and any(t.record_id == saved.id for t in offered)
    build = stage_named(workspace, "Build & upload")
    mine = next(t for t in offered if t.record_id == saved.id)
    assert len(templates.apply(workspace, mine, build)) == len(saved.items)


def test_save_refuses_empty_builtin_and_duplicate_names(demo_file):
    workspace = Workspace.open(demo_file)
    design = stage_named(workspace, "Creative design")
    for name, reason in (("", "must not be empty"), ("social POST", "built-in"), ("Webinar promo", "already exists")):
        with pytest.raises(ValidationError) as error:
            templates.save_stage(workspace, design, name)
        assert reason in str(error.value)
    empty = workspace.add(Stage(name="Empty stage", position=99))
    with pytest.raises(ValidationError, match="no steps"):
        templates.save_stage(workspace, empty, "Nothing")


def test_applied_template_lines_go_to_the_stages_r_in_every_run_started_after(demo):
    from datetime import datetime

    from gtm_tui.data.model import ChecklistItem, WorkItem
    from gtm_tui.raci.matrix import responsible_for
    from gtm_tui.work import moving

    stage = stage_named(demo, "Publish")
    social = next(t for t in templates.available(demo.all(ChecklistTemplate)) if t.name == "Social post")
    added = templates.apply(demo, social, stage)
    assert added and all(step.owner_id is None and step.owner_role == "R" for step in added)
    item = moving.add_item(demo, WorkItem(title="New post", stage_id=stage.id),
                           datetime(2026, 11, 18, 10, tzinfo=UTC))
    copies = [s for s in demo.all(ChecklistItem) if s.work_item_id == item.id and s.step_id in {a.id for a in added}]
    assert len(copies) == len(added)
    assert {s.owner_id for s in copies} == {responsible_for(demo, stage.id, "pilot")}
