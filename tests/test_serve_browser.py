"""Two teammates in real browsers on one ``gtm-tui serve``: both add a person, both are in the file.

Drives Debian's headless chromium through Playwright (its Python package and
bundled driver only; no browser is ever downloaded). Skipped, saying why, where
either is missing: ``.ci/run`` installs chromium when it can.

The terminal is drawn on a canvas, so the test reads what each app sends over
its websocket to know when a screen is up, and reads the saved file for the
outcome.
"""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_serve import DEMO, Served

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]  # plus a fresh --user-data-dir: Playwright's launch() makes one in a temp folder and refuses another
STEP_TIMEOUT = 20.0  # seconds for one screen to appear; the whole test takes ~10 s

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed (pip install -e '.[test]')"
)
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason=f"no chromium at {CHROMIUM} (apt-get install -y chromium; .ci/run does it as root)",
)


class Session:
    """One browser session on the served page, and the text its app has sent so far."""

    def __init__(self, browser: sync_api.Browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.received = ""
        self.page.on("websocket", self._watch)
        response = self.page.goto(url)
        assert response is not None and response.status == 200

    def _watch(self, websocket: sync_api.WebSocket) -> None:
        def on_frame(payload: str | bytes) -> None:
            self.received += payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload

        websocket.on("framereceived", on_frame)

    def wait_for(self, text: str) -> None:
        """Let the browser work until the app has drawn ``text``."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while text not in self.received:
            assert time.monotonic() < deadline, f"the app never showed {text!r}"
            self.page.wait_for_timeout(100)

    def press(self, key: str, then_shows: str) -> None:
        self.received = ""
        self.page.keyboard.press(key)
        self.wait_for(then_shows)

    def close(self) -> None:
        self.context.close()


def people_in(path: Path) -> set[str]:
    return {person["name"] for person in json.loads(path.read_text(encoding="utf-8"))["people"].values()}


def wait_until(condition: Callable[[], bool], what: str, pump: Session) -> None:
    deadline = time.monotonic() + STEP_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        pump.page.wait_for_timeout(100)


@pytest.fixture
def served_file(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    path = tmp_path / "team-pilot.json"
    shutil.copy(DEMO, path)
    server = Served(path)
    yield server, path
    server.stop()


def test_two_browser_sessions_add_people_to_one_file(served_file: tuple[Served, Path]):
    server, path = served_file
    before = people_in(path)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            first, second = Session(browser, server.url), Session(browser, server.url)
            for session in (first, second):
                session.wait_for("Northwind")
                session.page.click("#terminal")
                session.press("7", then_shows="External")
                session.press("a", then_shows="Dana Levi")  # the add-person form's example
            first.page.keyboard.type("Ines Browser")
            second.page.keyboard.type("Kofi Browser")
            first.page.keyboard.press("Control+s")
            wait_until(lambda: "Ines Browser" in people_in(path), "the first session's save", first)
            second.page.keyboard.press("Control+s")
            wait_until(lambda: "Kofi Browser" in people_in(path), "the second session's save", second)
            first.close()
            second.close()
        finally:
            browser.close()
    assert people_in(path) == before | {"Ines Browser", "Kofi Browser"}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Another local server, on another port of 127.0.0.1: it writes down the cookies the browser sends it."""

    cookies: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        Recorder.cookies.append(self.headers.get("Cookie") or "")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>another server</body></html>")

    def log_message(self, *args: object) -> None:
        pass


def test_the_browser_does_not_send_the_token_cookie_to_another_port(served_file: tuple[Served, Path]):
    server, _path = served_file
    other = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    Recorder.cookies = []
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                session = Session(browser, server.url)
                session.wait_for("Northwind")
                assert [c["name"] for c in session.context.cookies()] == [server.cookie]
                port = other.server_address[1]
                for target in ("/", "/ws", "/static/js/textual.js"):
                    assert session.page.goto(f"http://127.0.0.1:{port}{target}").status == 200
                session.close()
            finally:
                browser.close()
    finally:
        other.shutdown()
        other.server_close()
    assert len(Recorder.cookies) >= 3
    assert not any(server.token in cookie for cookie in Recorder.cookies), Recorder.cookies
