"""Mermaid export: valid flowchart text for any stage name, focus styled, loops dotted."""

from __future__ import annotations

import re
from pathlib import Path

from gtm_tui.cli.main import main
from gtm_tui.data.model import Handoff, Stage
from gtm_tui.data.workspace import Workspace
from gtm_tui.io import EXPORTERS, exporter, mermaid

NODE = re.compile(
    r'^    (s_[0-9a-f]{12})\["([^"\[\]{}|<>`#;]*(?:#\w+;[^"\[\]{}|<>`#;]*)*'
    r'(?:<br/>[^"\[\]{}|<>`#;]*(?:#\w+;[^"\[\]{}|<>`#;]*)*)?)"\]$'
)
EDGE = re.compile(r'^    (s_[0-9a-f]{12}) (-->|-\.->)(\|"([^"|#;]*(?:#\w+;[^"|#;]*)*)"\|)? (s_[0-9a-f]{12})$')


def check_valid(text: str) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Every line is a known Mermaid statement with safe ids and quoted, escaped labels."""
    lines = text.splitlines()
    assert lines[1] == "flowchart TD" and lines[0].startswith("%% ")
    nodes, edges = set(), []
    for line in lines[2:]:
        if node := NODE.match(line):
            nodes.add(node[1])
        elif edge := EDGE.match(line):
            edges.append((edge[1], edge[2], edge[5]))
        else:
            assert re.match(r"^    (classDef \w+ [\w:#,.%() -]+|class [\w,]+ \w+|linkStyle \d+ [\w:#,.-]+)$", line), (
                line
            )
    assert all(a in nodes and b in nodes for a, _, b in edges)
    return nodes, edges


def test_registered_as_an_exporter():
    assert EXPORTERS["mermaid"] == "gtm_tui.io.mermaid" and exporter("mermaid") is mermaid


def test_the_demo_export_is_valid_with_focus_and_loops(demo: Workspace):
    text = mermaid.render(demo)
    nodes, edges = check_valid(text)
    assert len(nodes) == demo.count(Stage) and len(edges) == demo.count(Handoff)
    assert [kind for _, kind, _ in edges].count("-.->") == 1  # the rework loop
    pilot = demo.pilot()
    assert f"    class s_{pilot.focus_from_stage_id},s_{pilot.focus_to_stage_id} focus" in text
    assert "classDef focus " in text and re.search(r"linkStyle \d+ stroke", text)
    assert "Idea #amp; brief<br/>Daniel Okafor · 2 d" in text
    assert mermaid.render(demo, lanes=True)  # accepted for a later issue


def test_any_stage_name_is_escaped(workspace: Workspace):
    nasty = ['Say "hi" & <b>bye</b>', "Review [draft] {v2} | #1; `code`", "a\\b --> c", "end"]
    made = [workspace.add(Stage(name=name, position=i)) for i, name in enumerate(nasty)]
    workspace.add(Handoff(from_stage_id=made[0].id, to_stage_id=made[1].id, what='the "final" file | v2 ]'))
    text = mermaid.render(workspace)
    check_valid(text)
    assert "Say #quot;hi#quot; #amp; #lt;b#gt;bye#lt;/b#gt;" in text
    assert mermaid.escape("line\nbreak") == "line break"


def test_cli_writes_the_mermaid_file(demo_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "flow.mmd"
    assert main(["export", str(demo_file), "--format", "mermaid", "-o", str(out)]) == 0
    check_valid(out.read_text(encoding="utf-8"))
    assert main(["export", str(demo_file), "--format", "mermaid", "--lanes"]) == 0
    assert "flowchart TD" in capsys.readouterr().out
