"""``gtm-tui serve`` without a browser: the access token, the session command, refusing bad files."""

from __future__ import annotations

import http.client
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from gtm_tui.cli import serve as serve_verb
from gtm_tui.cli.main import command, main
from gtm_tui.sharing import serve

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_data" / "demo-pilot.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """A ``gtm-tui serve`` subprocess on a loopback port, and the URL it printed."""

    def __init__(self, path: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gtm_tui.cli", "serve", str(path), "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.output: list[str] = []
        self.url = ""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if "?token=" in line:
                self.url = line.split()[-1]
                break
        assert self.url, f"no URL printed: {self.output} {self.process.stderr.read() if self.process.stderr else ''}"
        self.token = parse_qs(urlsplit(self.url).query)["token"][0]
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gtm-tui serve did not start listening")

    def get(self, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", target, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path = tmp_path_factory.mktemp("serve") / "pilot.json"
    shutil.copy(DEMO, path)
    server = Served(path)
    yield server
    server.stop()


# -- the access token ---------------------------------------------------------------


def test_the_printed_url_is_on_loopback_with_a_long_random_token(served: Served):
    parts = urlsplit(served.url)
    assert (parts.scheme, parts.hostname, parts.port, parts.path) == ("http", "127.0.0.1", served.port, "/")
    assert len(served.token) >= 40
    assert any("pilot.json" in line for line in served.output)


def test_a_request_without_the_token_is_refused(served: Served):
    status, _, body = served.get("/")
    assert status == 403
    assert "access token" in body
    assert "<html" not in body.lower()


def test_a_wrong_token_is_refused(served: Served):
    assert served.get("/?token=not-the-token")[0] == 403
    assert served.get("/?token=" + served.token[:-1])[0] == 403
    assert served.get("/", {"Cookie": f"{serve.TOKEN_COOKIE}=wrong"})[0] == 403


def test_the_right_token_serves_the_page_and_sets_the_cookie(served: Served):
    status, headers, body = served.get(f"/?token={served.token}")
    assert status == 200
    assert "<html>" in body and 'id="terminal"' in body
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in body
    assert "gtm-tui · pilot.json" in body
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{serve.TOKEN_COOKIE}={served.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert headers["Referrer-Policy"] == "no-referrer"


def test_static_files_and_the_websocket_need_the_token_too(served: Served):
    assert served.get("/static/js/textual.js")[0] == 403
    assert served.get("/ws")[0] == 403
    assert served.get("/download/anything")[0] == 403
    cookie = {"Cookie": f"{serve.TOKEN_COOKIE}={served.token}"}
    status, _, body = served.get("/static/js/textual.js", cookie)
    assert status == 200 and "WebSocket" in body


def test_a_websocket_from_another_site_is_refused_even_with_the_cookie(served: Served):
    headers = {
        "Cookie": f"{serve.TOKEN_COOKIE}={served.token}",
        "Origin": "http://evil.example",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    status, _, body = served.get("/ws", headers)
    assert status == 403
    assert "another site" in body


# -- the pieces ---------------------------------------------------------------------


def test_each_session_runs_this_python_on_the_absolute_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    command = serve.session_command(Path("my pilot; rm x.json"))
    assert shlex.split(command) == [sys.executable, "-m", "gtm_tui.cli", str(tmp_path / "my pilot; rm x.json")]


def test_page_url_names_the_machine_for_a_wildcard_host_and_brackets_ipv6():
    assert serve.page_url("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/?token=abc"
    assert serve.page_url("0.0.0.0", 9000, "abc") == f"http://{socket.gethostname()}:9000/?token=abc"
    assert serve.page_url("::1", 8000, "abc") == "http://[::1]:8000/?token=abc"


def test_tokens_are_fresh_and_compared_exactly():
    first, second = serve.new_token(), serve.new_token()
    assert first != second and len(first) >= 40
    assert serve.token_matches(first, first)
    assert not serve.token_matches(second, first)
    assert not serve.token_matches("", first)
    assert not serve.token_matches(None, first)
    assert not serve.token_matches("é" * 10, first)


def test_serve_is_a_command():
    assert command("serve") is serve_verb.run


# -- refusing a file that cannot be served ------------------------------------------


def test_a_missing_file_is_refused_before_serving(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["serve", str(tmp_path / "nope.json")]) == 2
    error = capsys.readouterr().err
    assert "nope.json does not exist" in error and "gtm-tui new" in error


def test_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["serve", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "notes.json"
    path.write_text("this is not JSON", encoding="utf-8")
    assert main(["serve", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("gtm-tui: ") and "Traceback" not in error


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file, so a read-only file cannot be made here")
def test_a_read_only_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "pilot.json"
    shutil.copy(DEMO, path)
    path.chmod(0o444)
    assert main(["serve", str(path)]) == 2
    assert "read-only" in capsys.readouterr().err


def test_a_bad_port_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "pilot.json"
    shutil.copy(DEMO, path)
    assert main(["serve", str(path), "--port", "70000"]) == 2
    assert "not a port number" in capsys.readouterr().err
