"""Mermaid export: the process as a Mermaid ``flowchart`` (``gtm-tui export FILE --format mermaid``).

Stage names are user text, so every label is written quoted with the
characters Mermaid treats specially replaced by its entity codes (``#quot;``,
``#35;`` …): any stage name gives a valid diagram. Node ids are made from
record ids, never from names. Loops back for rework are dotted arrows; the
focus stages get the ``focus`` class and the focus handoff a thick styled link.
"""

from __future__ import annotations

from gtm_tui.model import Handoff, Person, Stage
from gtm_tui.workspace import Workspace

SUFFIX = ".mmd"

# Characters that would end a quoted label or be read as markup/entities by Mermaid.
_ENTITIES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    ";": "#59;",
    "\\": "#92;",
}
FOCUS_STYLE = "fill:#fde68a,stroke:#b45309,stroke-width:3px,color:#1f2937"
BOTTLENECK_STYLE = "stroke:#dc2626,stroke-width:2px,stroke-dasharray:4 3"


def escape(text: str) -> str:
    """``text`` made safe inside a double-quoted Mermaid label (new lines become spaces)."""
    cleaned = " ".join(str(text).split())
    return "".join(_ENTITIES.get(char, char) for char in cleaned)


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g} d"


def node_id(stage: Stage) -> str:
    return f"s_{stage.id}"


def render(workspace: Workspace, *, lanes: bool = False, **_options: object) -> str:
    """The flowchart of the workspace's stages and handoffs as Mermaid text.

    ``lanes`` (swimlanes by owner) is accepted for the CLI's ``--lanes`` and
    not drawn yet: the plain flowchart is written either way.
    """
    pilot = workspace.pilot()
    stages = workspace.all(Stage)
    index = {stage.id: i for i, stage in enumerate(stages)}
    lines = [f"%% {escape(pilot.name)}: the process from decision to live", "flowchart TD"]
    for stage in stages:
        owner = workspace.name_of(Person, stage.owner_id, "")
        detail = " · ".join(part for part in (owner, _days(stage.expected_days)) if part)
        label = escape(stage.name) + (f"<br/>{escape(detail)}" if detail else "")
        lines.append(f'    {node_id(stage)}["{label}"]')
    focus_pair = (pilot.focus_from_stage_id, pilot.focus_to_stage_id)
    focus_links: list[int] = []
    link_number = 0
    joined = [h for h in workspace.all(Handoff) if h.from_stage_id in index and h.to_stage_id in index]
    for handoff in sorted(joined, key=lambda h: (index[h.from_stage_id], index[h.to_stage_id])):
        source, target = stages[index[handoff.from_stage_id]], stages[index[handoff.to_stage_id]]
        back = index[target.id] < index[source.id]
        arrow = "-.->" if back else "-->"
        text = " · ".join(part for part in (handoff.what, _days(handoff.expected_days)) if part)
        label = f'|"{escape(text)}"|' if text else ""
        lines.append(f"    {node_id(source)} {arrow}{label} {node_id(target)}")
        if (handoff.from_stage_id, handoff.to_stage_id) == focus_pair:
            focus_links.append(link_number)
        link_number += 1
    lines.append(f"    classDef focus {FOCUS_STYLE}")
    lines.append(f"    classDef bottleneck {BOTTLENECK_STYLE}")
    bottlenecks = [node_id(s) for s in stages if s.bottleneck.strip() and s.id not in focus_pair]
    if bottlenecks:
        lines.append(f"    class {','.join(bottlenecks)} bottleneck")
    focus_nodes = [node_id(s) for s in stages if s.id in focus_pair]
    if focus_nodes:
        lines.append(f"    class {','.join(focus_nodes)} focus")
    for number in focus_links:
        lines.append(f"    linkStyle {number} stroke:#b45309,stroke-width:4px")
    return "\n".join(lines) + "\n"
