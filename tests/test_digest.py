"""The digest: what a stand-up needs, on the demo, in three formats, posted to a local test server only."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest

from gtm_tui.checklists import digest
from gtm_tui.checklists.runs import steps_to_work
from gtm_tui.cli.main import main
from gtm_tui.data import clock
from gtm_tui.data.model import ActionItem, ChecklistItem, Person
from gtm_tui.data.workspace import Workspace

LOOPBACK = "127.0.0.1"  # the only address these tests talk to


def person(workspace: Workspace, name: str) -> Person:
    return next(p for p in workspace.all(Person) if p.name == name)


def build(workspace: Workspace, **options) -> digest.Digest:
    return digest.build(workspace, clock.now(), clock.today(), **options)


def test_the_demo_digest_says_what_a_standup_needs(demo: Workspace):
    found = build(demo)
    by_name = {part.name: part for part in found.people}
    aisha = by_name["Aisha Karimi"]
    legal = next(i for i in demo.all(ChecklistItem) if i.blocked)
    assert any(entry.startswith(legal.text) and legal.blocked in entry for entry in by_name[
        demo.name_of(Person, legal.owner_id)].blocked)
    assert any("days late" in entry for entry in aisha.overdue)
    assert any(
        entry.startswith("Newsletter #3: customer tips — in Creative review — waiting ") for entry in aisha.waiting
    )
    # The open steps of the runs under way count; what an ended run left open is history.
    overdue_owned = [i for i in steps_to_work(demo) if not i.done and i.due and i.due < clock.today().isoformat()]
    assert sum(len(part.overdue) for part in found.people) == len(overdue_owned)
    fixes = [a for a in demo.all(ActionItem) if a.priority and a.status in ("open", "in progress")]
    assert len(found.fixes) == len(fixes) and all(" — " in fix for fix in found.fixes)
    assert found.follow_up == demo.pilot().follow_up_date
    assert found.next_checkin.startswith("Tuesday ")
    assert found.since is not None  # from the last check-in


def test_for_one_person_and_since_a_date(demo: Workspace):
    maya = person(demo, "Maya Thornton")
    found = build(demo, person_id=maya.id, since=date(2000, 1, 1))
    assert [part.name for part in found.people] == ["Maya Thornton"]
    done_by_maya = [i for i in demo.all(ChecklistItem) if i.done and (i.done_by or i.owner_id) == maya.id]
    assert len(found.people[0].done) == len(done_by_maya) > 0
    assert build(demo, person_id=maya.id, since=date(2100, 1, 1)).people[0].done == []


def test_three_formats_and_each_escapes_user_text(demo: Workspace):
    item = next(i for i in steps_to_work(demo) if not i.done and i.due and i.due < clock.today().isoformat())
    demo.update(item, text="Ship <@channel> & *bold* [x](http://evil)")
    found = build(demo)
    slack = digest.render(found, "slack")
    assert "Ship &lt;@channel&gt; &amp; *bold* [x](http://evil)" in slack
    assert "<@channel>" not in slack and slack.startswith("*Stand-up digest: ")
    md = digest.render(found, "md")
    assert "Ship \\<@channel\\> & \\*bold\\* \\[x\\](http://evil)" in md and md.startswith("# Stand-up digest")
    text = digest.render(found, "text")
    assert "Ship <@channel> & *bold* [x](http://evil)" in text and "Next check-in: Tuesday" in text
    with pytest.raises(ValueError):
        digest.render(found, "html")


def test_an_empty_pilot_has_a_short_digest(workspace: Workspace):
    text = digest.render(build(workspace), "text")
    assert "Nothing due, late, blocked or waiting." in text and "Open priority fixes: none" in text


def test_the_command_prints_it(demo_file: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["digest", str(demo_file), "--for", "maya thornton", "--format", "md", "--since", "2026-10-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Stand-up digest: Q4 product launch workflow pilot") and "## Maya Thornton" in out
    assert "Done since 2026-10-01" in out and "## Priya Raman" not in out
    assert main(["digest", str(demo_file), "--since", "2026-02-30"]) == 1
    assert "2026-02-30 is not a real date" in capsys.readouterr().err
    assert main(["digest", str(demo_file), "--for", "Nobody"]) == 1


# --------------------------------------------------------------------------
# Posting, to a server on the loopback address only


class Hook(http.server.BaseHTTPRequestHandler):
    status = 200
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append({"path": self.path, "type": self.headers["Content-Type"],
                                    "body": json.loads(self.rfile.read(length))})
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, type[Hook]]]:
    handler = type("TestHook", (Hook,), {"received": [], "status": 200})
    server = http.server.HTTPServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{LOOPBACK}:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def test_post_delivers_the_slack_digest(demo_file: Path, hook, capsys: pytest.CaptureFixture[str]):
    base, handler = hook
    assert main(["digest", str(demo_file), "--format", "slack", "--post", f"{base}/hook"]) == 0
    assert len(handler.received) == 1
    sent = handler.received[0]
    assert sent["path"] == "/hook" and sent["type"].startswith("application/json")
    expected = digest.render(build(Workspace.open(demo_file)), "slack")
    assert sent["body"] == {"text": expected}
    assert capsys.readouterr().err == f"Posted the digest to {base}\n"


def test_a_dead_url_gives_one_clear_line_and_exit_3(demo_file: Path, capsys: pytest.CaptureFixture[str]):
    port = free_port()
    assert (
        main(["digest", str(demo_file), "--format", "slack", "--post", f"http://{LOOPBACK}:{port}/secret-token"]) == 3
    )
    err = capsys.readouterr().err
    assert err.startswith(f"gtm-tui: the digest was not posted: could not reach http://{LOOPBACK}:{port}")
    assert err.count("\n") == 1 and "secret-token" not in err and "Traceback" not in err


def test_a_refusing_server_gives_exit_3(demo_file: Path, hook, capsys: pytest.CaptureFixture[str]):
    base, handler = hook
    handler.status = 403
    assert main(["digest", str(demo_file), "--post", f"{base}/hook"]) == 3
    assert "refused the message: HTTP 403" in capsys.readouterr().err


def test_post_without_url_uses_the_pilots_channel_when_it_is_a_webhook(demo_file: Path, hook,
                                                                        capsys: pytest.CaptureFixture[str]):
    base, handler = hook
    assert main(["digest", str(demo_file), "--post"]) == 1
    assert "the pilot's channel ('#gtm-pilot') is not a webhook URL" in capsys.readouterr().err
    workspace = Workspace.open(demo_file)
    workspace.update(workspace.pilot(), channel=f"{base}/team-channel")
    assert main(["digest", str(demo_file), "--post"]) == 0
    assert [r["path"] for r in handler.received] == ["/team-channel"]
    assert main(["digest", str(demo_file), "--post", "ftp://example/x"]) == 1
