"""The Mermaid export checked by Mermaid's own parser (tests/mermaid/), not only by our patterns.

Needs Node.js and ``npm install --prefix tests/mermaid`` (``.ci/run`` does it);
skipped with the reason where either is missing.
"""

from __future__ import annotations

import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from gtm_tui.data.model import Handoff, Person, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import mermaid

CHECKER = Path(__file__).parent / "mermaid"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="Node.js is not installed"),
    pytest.mark.skipif(
        not (CHECKER / "node_modules" / "mermaid").is_dir(),
        reason="Mermaid's parser is not installed (npm install --prefix tests/mermaid)",
    ),
]


def parse(tmp_path: Path, **texts: str) -> dict[str, str]:
    """Run the checker on each text; {name: "OK" or the parser's complaint}."""
    files = []
    for name, text in texts.items():
        path = tmp_path / f"{name}.mmd"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    run = subprocess.run([NODE, str(CHECKER / "check.mjs"), *files], capture_output=True, text=True, timeout=120)
    verdicts = {}
    for line in run.stdout.splitlines():
        verdict, _, rest = line.partition(" ")
        file, _, why = rest.partition(": ")
        verdicts[Path(file).stem] = "OK" if verdict == "OK" else why
    return verdicts


def test_the_demo_export_parses_plain_and_with_lanes(demo: Workspace, tmp_path: Path):
    verdicts = parse(tmp_path, plain=mermaid.render(demo), lanes=mermaid.render(demo, lanes=True))
    assert verdicts == {"plain": "OK", "lanes": "OK"}


def test_any_stage_name_stays_valid(workspace: Workspace, tmp_path: Path):
    owner = workspace.add(Person(name='Zoë "Z" <b>O\'Neil</b>'))
    names = ['He said "go" [now]', "#1 -> {launch} | 50% & more", "end", "A;B`C", "subgraph", "(x) <br/> y"]
    stages = [workspace.add(Stage(name=name, position=i, owner_id=owner.id)) for i, name in enumerate(names)]
    for a, b in pairwise(stages):
        workspace.add(Handoff(from_stage_id=a.id, to_stage_id=b.id, what='files "final" | v2 #3'))
    workspace.add(Handoff(from_stage_id=stages[-1].id, to_stage_id=stages[0].id, what="back; again"))
    verdicts = parse(tmp_path, plain=mermaid.render(workspace), lanes=mermaid.render(workspace, lanes=True))
    assert verdicts == {"plain": "OK", "lanes": "OK"}


def test_the_checker_does_reject_broken_mermaid(tmp_path: Path):
    assert parse(tmp_path, broken='flowchart TD\n    a["ok"] --> b{{broken\n')["broken"] != "OK"
