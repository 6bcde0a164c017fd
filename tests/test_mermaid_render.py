"""The Mermaid export drawn by Mermaid's own renderer in a headless chromium: every stage is there, as named.

The parser (tests/test_mermaid_valid.py) accepts diagrams whose nodes the
renderer then drops or garbles: a stage whose name holds "direction LR"
vanished with its line, a "#" next to "style" came out as "#35". So here each
diagram is rendered to SVG by ``mermaid.render`` — the code a Markdown viewer
runs — and every stage's name, lane title and handoff label is looked for in
the drawing, exactly.

Needs Mermaid (``npm install --prefix tests/mermaid``, as for the parser test),
chromium and the playwright package of the test extra; skipped with the reason
where one is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from gtm_tui.data.model import Handoff, Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import mermaid

MERMAID_JS = Path(__file__).parent / "mermaid" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed (pip install -e '.[test]')"
)
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(
        not MERMAID_JS.is_file(), reason="Mermaid is not installed (npm install --prefix tests/mermaid)"
    ),
]

# Render, then read back what a person sees: each node's, lane's and edge label's text.
RENDER = """async (text) => {
  const { svg } = await mermaid.render("diagram" + (window.drawn = (window.drawn || 0) + 1), text);
  const box = document.createElement("div");
  box.innerHTML = svg;
  const read = (selector) => [...box.querySelectorAll(selector)].map((el) => el.textContent);
  return { nodes: read("g.node"), lanes: read("g.cluster-label"), edges: read("g.edgeLabel") };
}"""

# Mermaid's keywords and statements, and text its preprocessing acts on.
TRICKY_NAMES = [
    "direction LR", "Direction tb now", "Redirection LR", "a_direction TB", "direction TBx", "go direction  RL",
    "TB", "BT", "LR", "RL", "TD", "end", "graph", "flowchart", "subgraph", "style", "click", "class", "classDef",
    "linkStyle", "default", "href", "call back()", "style s_x fill:#f00", "Lifestyle:#1 pick; now",
    "classDef x:#2;", "click s_a call alert()", "x --> y", "%% not a comment", "::: focus", "#1 launch",
    'He said "go" [now] | {x} & <b>y</b>',
]


@pytest.fixture(scope="module")
def draw() -> Iterator[Any]:
    """``draw(text)`` → {"nodes", "lanes", "edges"}: one browser for the module, Mermaid loaded once."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        page.evaluate("mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })")
        yield lambda text: page.evaluate(RENDER, text)
        browser.close()


def shown(name: str) -> str:
    """A name as the export labels it: on one line, runs of white space as one space."""
    return " ".join(name.split())


def process(workspace: Workspace, names: list[str], owners: list[Person | None]) -> list[Stage]:
    """Stages of these names in a row, owned in turn by ``owners``, each handing its files to the next."""
    stages = []
    for position, name in enumerate(names):
        owner = owners[position % len(owners)]
        stages.append(workspace.add(Stage(name=name, position=position, owner_id=owner.id if owner else None)))
    for a, b in pairwise(stages):
        workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id, what=f"{b.name} files"))
    return stages


def test_every_stage_is_drawn_with_its_name_whatever_it_is_called(workspace: Workspace, draw):
    stages = process(workspace, TRICKY_NAMES, [None])
    drawn = draw(mermaid.render(workspace))
    assert drawn["nodes"] == [shown(stage.name) for stage in stages]  # no owner, no days: the name alone
    assert sorted(drawn["edges"]) == sorted(shown(f"{b.name} files") for b in stages[1:])


def test_lanes_named_like_keywords_keep_their_stages(workspace: Workspace, draw):
    owners = [workspace.add(Person(name=name)) for name in ("end", "direction LR", "style:#1;", "subgraph")]
    stages = process(workspace, TRICKY_NAMES, list(owners))
    drawn = draw(mermaid.render(workspace, lanes=True))
    owner_of = {owner.id: owner.name for owner in owners}
    assert sorted(drawn["nodes"]) == sorted(shown(stage.name) + owner_of[stage.owner_id or ""] for stage in stages)
    assert sorted(drawn["lanes"]) == sorted(owner.name for owner in owners)


def test_a_hash_beside_style_is_drawn_as_a_hash(workspace: Workspace, draw):
    for position, name in enumerate(["style s_x fill:#f00", "Lifestyle:#1 pick; now", "classDef x:#2;"]):
        workspace.add(Stage(name=name, position=position))
    nodes = draw(mermaid.render(workspace))["nodes"]
    assert nodes == ["style s_x fill:#f00", "Lifestyle:#1 pick; now", "classDef x:#2;"]
    assert not any("#35" in node or "#59" in node for node in nodes)


def test_the_demo_is_drawn_in_full(demo: Workspace, draw):
    drawn = draw(mermaid.render(demo))
    stages = demo.all(Stage)
    assert len(drawn["nodes"]) == len(stages)
    assert all(node.startswith(stage.name) for node, stage in zip(drawn["nodes"], stages, strict=True))
    assert len(drawn["edges"]) == len(demo.all(Handoff))
    lanes = draw(mermaid.render(demo, lanes=True))
    assert sorted(lanes["nodes"]) == sorted(drawn["nodes"])
