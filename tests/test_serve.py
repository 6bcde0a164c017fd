"""``gtm-tui serve`` without a browser: the access token, the session command, refusing bad files."""

from __future__ import annotations

import asyncio
import http.client
import http.cookiejar
import logging
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
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

    def __init__(self, path: Path, *options: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gtm_tui.cli", "serve", str(path), "--port", str(self.port), *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.output: list[str] = []
        self.url = ""
        try:
            self._read_url()
        except BaseException:
            self.stop()  # never leave a server behind when it did not come up as expected
            raise

    def _read_url(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if "?token=" in line:
                self.url = line.split()[-1]
                break
        assert self.url, f"no URL printed: {self.output}"
        self.token = parse_qs(urlsplit(self.url).query)["token"][0]
        self.base = urlsplit(self.url).path.rstrip("/")
        self.cookie = serve.cookie_name(self.port)
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

    def stop(self) -> str:
        """Stop the server; return everything it printed (stdout and stderr)."""
        self.process.terminate()
        try:
            out, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return "".join(self.output) + (out or "") + (err or "")


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
    assert (parts.scheme, parts.hostname, parts.port) == ("http", "127.0.0.1", served.port)
    assert parts.path.startswith("/s-") and parts.path.endswith("/") and len(parts.path) >= 20
    assert len(served.token) >= 40
    assert any("pilot.json" in line for line in served.output)


def test_a_request_without_the_token_is_refused(served: Served):
    for target in ("/", f"{served.base}/", f"/?token={served.token}"):
        status, _, body = served.get(target)
        assert status == 403, target
        assert "access token" in body
        assert "<html" not in body.lower()


def test_a_wrong_token_is_refused(served: Served):
    assert served.get(f"{served.base}/?token=not-the-token")[0] == 403
    assert served.get(f"{served.base}/?token=" + served.token[:-1])[0] == 403
    assert served.get(f"{served.base}/", {"Cookie": f"{served.cookie}=wrong"})[0] == 403


def test_the_right_token_serves_the_page_and_sets_the_cookie(served: Served):
    status, headers, body = served.get(f"{served.base}/?token={served.token}")
    assert status == 200
    assert "<html>" in body and 'id="terminal"' in body
    assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}{served.base}/ws"' in body
    assert "gtm-tui · pilot.json" in body
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{served.cookie}={served.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert f"Path={served.base}/" in cookie
    assert headers["Referrer-Policy"] == "no-referrer"


def test_static_files_and_the_websocket_need_the_token_too(served: Served):
    assert served.get(f"{served.base}/static/js/textual.js")[0] == 403
    assert served.get(f"{served.base}/ws")[0] == 403
    assert served.get(f"{served.base}/download/anything")[0] == 403
    cookie = {"Cookie": f"{served.cookie}={served.token}"}
    status, _, body = served.get(f"{served.base}/static/js/textual.js", cookie)
    assert status == 200 and "WebSocket" in body
    assert served.get("/static/js/textual.js", cookie)[0] == 403  # only under the server's own path


def test_a_websocket_from_another_site_is_refused_even_with_the_cookie(served: Served):
    headers = {
        "Cookie": f"{served.cookie}={served.token}",
        "Origin": "http://evil.example",
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    status, _, body = served.get(f"{served.base}/ws", headers)
    assert status == 403
    assert "another site" in body


# -- the pieces ---------------------------------------------------------------------


def test_each_session_runs_this_python_on_the_absolute_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    command = serve.session_command(Path("my pilot; rm x.json"))
    assert shlex.split(command) == [sys.executable, "-m", "gtm_tui.cli", str(tmp_path / "my pilot; rm x.json")]
    exports = tmp_path / "exports $(rm x)"
    command = serve.session_command(Path("p.json"), exports)
    expected = [f"GTM_TUI_EXPORT_FOLDER={exports}", sys.executable, "-m", "gtm_tui.cli", str(tmp_path / "p.json")]
    assert shlex.split(command) == expected
    assert command.startswith("GTM_TUI_EXPORT_FOLDER='")  # quoted after the =, so the shell still reads an assignment


def test_page_url_names_the_machine_for_a_wildcard_host_and_brackets_ipv6():
    assert serve.page_url("127.0.0.1", 8000, "abc") == "http://127.0.0.1:8000/?token=abc"
    assert serve.page_url("127.0.0.1", 8000, "abc", "/s-1234") == "http://127.0.0.1:8000/s-1234/?token=abc"
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


# -- what a local attacker or a crowd of tabs could do -------------------------------


def test_the_cookie_is_not_sent_to_another_port(served: Served):
    """Browsers send a host's cookies to all its ports; ours is scoped to a random path only this server serves."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(served.url, timeout=10) as response:
        assert response.status == 200
    assert [cookie.name for cookie in jar] == [served.cookie]
    other = free_port()
    for url in (
        f"http://127.0.0.1:{other}/",
        f"http://127.0.0.1:{other}/ws",
        f"http://127.0.0.1:{other}/static/js/textual.js",
        f"http://localhost:{other}/",
        f"http://127.0.0.1:{served.port}/",
    ):
        request = urllib.request.Request(url)
        jar.add_cookie_header(request)
        assert not request.has_header("Cookie"), url
    own = urllib.request.Request(f"http://127.0.0.1:{served.port}{served.base}/ws")
    jar.add_cookie_header(own)
    assert own.get_header("Cookie") == f"{served.cookie}={served.token}"


def test_every_answer_forbids_framing_and_allows_only_our_own_scripts(served: Served):
    for target, status in ((f"{served.base}/?token={served.token}", 200), ("/", 403), (f"{served.base}/ws", 403)):
        got, headers, _ = served.get(target)
        assert got == status
        assert headers["X-Frame-Options"] == "DENY"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'self' 'unsafe-hashes' 'sha256-" in policy
        assert "'unsafe-inline'" not in policy.split("style-src")[0]  # no inline script but the page's own
        assert f"connect-src 'self' ws://127.0.0.1:{served.port}" in policy


def test_a_download_is_fetched_by_its_one_time_key(served: Served):
    status, _, body = served.get("/download/0123456789abcdef0123456789abcdef")
    assert status == 404 and "not found" in body  # no token needed, and an unknown key serves nothing


def test_the_token_never_reaches_the_log(tmp_path: Path):
    """A request line holding the token that aiohttp logs as an error, with its traceback, is redacted."""
    path = tmp_path / "pilot.json"
    shutil.copy(DEMO, path)
    server = Served(path)
    try:
        for raw in (f"GET {server.base}/?token={server.token}\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
                    f"GET {server.base}/?token={server.token} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
                connection.sendall(raw.encode("latin-1"))
                assert connection.recv(100).startswith(b"HTTP/1.0 400")
        assert served_ok(server)
    finally:
        printed = server.stop()
    assert "Error handling request" in printed  # the errors were logged …
    assert printed.count(server.token) == 1  # … but the token only ever appears in the URL printed at start
    assert printed.count(server.base) == 1


def served_ok(server: Served) -> bool:
    return server.get(f"{server.base}/?token={server.token}")[0] == 200


def test_the_log_filter_redacts_messages_and_tracebacks_and_drops_locals():
    token = "secret-token-123"
    record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "bad %s", (f"/?token={token}",), None)
    try:
        raise ValueError(f"url /?token={token}\x1b]0;x\x07")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert serve.Redacted(token).filter(record)
    assert token not in record.getMessage() and "…" in record.getMessage()
    assert "ValueError" in record.getMessage() and "␛]0;x␇" in record.getMessage()
    assert record.exc_info is None  # no Rich traceback with local variables afterwards


async def test_sessions_past_the_limit_are_refused_with_a_clear_message(tmp_path: Path):
    path = tmp_path / "pilot.json"
    shutil.copy(DEMO, path)
    server = Served(path, "--max-sessions", "1")
    cookie = {server.cookie: server.token}
    ws_url = f"http://127.0.0.1:{server.port}{server.base}/ws"
    try:
        async with aiohttp.ClientSession(cookies=cookie) as client:
            async with client.ws_connect(ws_url) as first:
                assert not first.closed
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    async with client.ws_connect(ws_url):
                        pass
                assert refused.value.status == 503
                status, _, body = server.get(f"{server.base}/?token={server.token}")
                assert status == 503 and "the most this server allows (1)" in body and "--max-sessions" in body
            for _ in range(100):  # the first session's process is stopped once its tab is gone
                if served_ok(server):
                    break
                await asyncio.sleep(0.1)
            assert served_ok(server)
    finally:
        server.stop()


def test_an_export_folder_that_does_not_exist_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "pilot.json"
    shutil.copy(DEMO, path)
    assert main(["serve", str(path), "--exports", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["serve", str(path), "--max-sessions", "0"]) == 2
