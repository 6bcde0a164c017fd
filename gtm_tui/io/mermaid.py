"""Mermaid export: the process as a Mermaid ``flowchart`` (``gtm-tui export FILE --format mermaid``).

Stage names are user text, so every label is written quoted with the
characters Mermaid treats specially replaced by its entity codes (``#quot;``,
``#35;`` …): any stage name gives a valid diagram. Node ids are made from
record ids, never from names. Loops back for rework are dotted arrows; the
focus stages get the ``focus`` class and the focus handoff a thick styled link.

What was measured is drawn too (``metrics.stage_times`` / ``handoff_waits``):
a stage's label adds its median time in stage ("took 3.1 d"), an edge label
its median wait ("wait 0.5 d"); a stage over its expected days gets the
``over`` class and an over-expected wait ``linkStyle N stroke:#d33``.
With ``lanes`` (``--lanes``) the stages sit in one ``subgraph`` per stage
owner (a swimlane; stages with no owner in a "no owner" lane), in the order
the owners first appear in the process.
"""

from __future__ import annotations

import re

from gtm_tui.data import clock
from gtm_tui.data.model import Handoff, Person, Stage
from gtm_tui.data.safe_text import visible
from gtm_tui.data.workspace import Workspace
from gtm_tui.work import metrics

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
OVER_STYLE = "fill:#fee2e2,stroke:#d33,stroke-width:2px"
OVER_LINK = "stroke:#d33,stroke-width:2px"
FOCUS_LINK = "stroke:#b45309,stroke-width:4px"
FOCUS_OVER_LINK = "stroke:#d33,stroke-width:4px"


# Words Mermaid acts on inside a quoted label too; each loses its first letter to an entity (it reads the same):
# - its lexer takes ".*direction\s+LR[^\n]*" (TB, BT, RL, TD) for a direction statement anywhere on a line,
#   inside a word or a quoted label, and drops the whole line: the stage's node is gone;
# - before parsing, it takes a line holding "style" or "classDef", then ":", "#" and ";" for a style statement
#   and cuts the line's last ";": the "#35;" that stands for a "#" in a label comes out as "#35…".
_ACTED_ON = re.compile(r"d(?=irection\s+(?:TB|BT|LR|RL|TD))|s(?=tyle)|c(?=lassdef)", re.IGNORECASE)


def escape(text: str) -> str:
    """``text`` made safe in a double-quoted Mermaid label or a comment (one line, control characters visible)."""
    cleaned = visible(" ".join(str(text).split()))
    escaped = "".join(_ENTITIES.get(char, char) for char in cleaned)
    return _ACTED_ON.sub(lambda found: f"#{ord(found.group())};", escaped)


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:g} d"


def node_id(stage: Stage) -> str:
    return f"s_{stage.id}"


def _measured(days: float | None, verb: str) -> str:
    return "" if days is None else f"{verb} {days:.1f} d"


def lane_id(owner_id: str | None) -> str:
    return f"lane_{owner_id}" if owner_id else "lane_none"


def render(workspace: Workspace, *, lanes: bool = False, **_options: object) -> str:
    """The flowchart of the workspace's stages and handoffs, with what was measured, as Mermaid text."""
    pilot = workspace.pilot()
    stages = workspace.all(Stage)
    index = {stage.id: i for i, stage in enumerate(stages)}
    now = clock.now()
    times = metrics.stage_times(workspace, now)
    waits = metrics.handoff_waits(workspace, now)
    lines = [f"%% {escape(pilot.name)}: the process from decision to live", "flowchart TD"]
    nodes: dict[str, str] = {}
    for stage in stages:
        owner = workspace.name_of(Person, stage.owner_id, "")
        figure = times.get(stage.id)
        took = _measured(figure.median_days if figure else None, "took")
        detail = " · ".join(part for part in (owner, _days(stage.expected_days), took) if part)
        label = escape(stage.name) + (f"<br/>{escape(detail)}" if detail else "")
        nodes[stage.id] = f'{node_id(stage)}["{label}"]'
    if lanes:
        owner_order: list[str | None] = []
        for stage in stages:
            if stage.owner_id not in owner_order:
                owner_order.append(stage.owner_id)
        for owner_id in owner_order:
            name = workspace.name_of(Person, owner_id, "no owner") if owner_id else "no owner"
            lines.append(f'    subgraph {lane_id(owner_id)}["{escape(name)}"]')
            lines.extend(f"        {nodes[s.id]}" for s in stages if s.owner_id == owner_id)
            lines.append("    end")
    else:
        lines.extend(f"    {nodes[s.id]}" for s in stages)
    focus_pair = (pilot.focus_from_stage_id, pilot.focus_to_stage_id)
    link_styles: list[str] = []
    joined = [h for h in workspace.all(Handoff) if h.from_stage_id in index and h.to_stage_id in index]
    ordered = sorted(joined, key=lambda h: (index[h.from_stage_id], index[h.to_stage_id]))
    for link_number, handoff in enumerate(ordered):
        source, target = stages[index[handoff.from_stage_id]], stages[index[handoff.to_stage_id]]
        back = index[target.id] < index[source.id]
        arrow = "-.->" if back else "-->"
        measured = waits.get((handoff.from_stage_id, handoff.to_stage_id))
        wait = _measured(measured.median_days if measured else None, "wait")
        text = " · ".join(part for part in (handoff.what, _days(handoff.expected_days), wait) if part)
        label = f'|"{escape(text)}"|' if text else ""
        lines.append(f"    {node_id(source)} {arrow}{label} {node_id(target)}")
        focus = (handoff.from_stage_id, handoff.to_stage_id) == focus_pair
        over = bool(measured and measured.over_expected)
        if focus or over:
            style = FOCUS_OVER_LINK if focus and over else FOCUS_LINK if focus else OVER_LINK
            link_styles.append(f"    linkStyle {link_number} {style}")
    lines.append(f"    classDef focus {FOCUS_STYLE}")
    lines.append(f"    classDef bottleneck {BOTTLENECK_STYLE}")
    lines.append(f"    classDef over {OVER_STYLE}")
    bottlenecks = [node_id(s) for s in stages if s.bottleneck.strip() and s.id not in focus_pair]
    if bottlenecks:
        lines.append(f"    class {','.join(bottlenecks)} bottleneck")
    focus_nodes = [node_id(s) for s in stages if s.id in focus_pair]
    if focus_nodes:
        lines.append(f"    class {','.join(focus_nodes)} focus")
    over_nodes = [node_id(s) for s in stages if (f := times.get(s.id)) is not None and f.bottleneck]
    if over_nodes:
        lines.append(f"    class {','.join(over_nodes)} over")
    lines.extend(link_styles)
    return "\n".join(lines) + "\n"
