"""The server behind ``gtm-tui serve``: the team works on one workspace file from their browsers.

textual-serve runs a fresh ``gtm-tui FILE`` process for every browser session
and relays its screen over a websocket. Every session opens the same file, so
the workspace's lock and its field-by-field merge (storage.py, workspace.py)
keep teammates' edits from colliding, exactly as for two terminals.

The page gives whoever loads it full edit rights to the pilot, so it is never
open to anyone who merely reaches the port: the server listens on 127.0.0.1
unless told otherwise and every request needs a random access token.

* The app lives under a random path of its own (``/s-<random>/``), printed
  with the token in the URL (``…/s-<random>/?token=…``). The first request
  that carries the token gets an HttpOnly, SameSite=Strict cookie named after
  the port and scoped to that path, so the page's own websocket and static
  files pass (its script adds its own query to the websocket URL, so the token
  cannot ride there). Browsers send a cookie to every port of a host, but
  only for paths under its own: a page on another port of 127.0.0.1 would have
  to know the random path to be sent it. Anything else gets a 403.
* A download the app offers (an export) is fetched by the page at
  ``/download/<key>``: the key, random and valid once, is its ticket.
* Neither the token nor the path is ever logged: aiohttp's access lines are
  off, tracebacks carry no local variables, and every log line is redacted.
* At most ``max_sessions`` sessions run at once (each is two processes,
  ~45 MB); one more gets a page saying so (503).
* Every response forbids framing and carries a Content-Security-Policy: the
  page runs only its own script, talks only to this server.
* Each session's exports stay under a folder the server's owner chose
  (default: the workspace's folder), handed to it in ``GTM_TUI_EXPORT_FOLDER``.

This module imports textual-serve (aiohttp) but never Textual itself: the
session processes are where the app runs. The command line itself (options,
exit codes) is ``gtm_tui.cli.serve``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import secrets
import shlex
import socket
import sys
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web
from rich.logging import RichHandler

# textual_serve is aiohttp and imports no Textual (the app itself runs in child processes), so the
# core stays Textual-free; tests/test_architecture.py checks the real imports.
from textual_serve.server import Server, to_int

from gtm_tui.data.safe_text import visible
from gtm_tui.data.storage import WorkspaceFileError
from gtm_tui.data.workspace import Workspace
from gtm_tui.overview.sections import counted
from gtm_tui.sharing.sessions import SESSION_FOLDER_VARIABLE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 8
REFUSED = "gtm-tui: a missing or wrong access token; use the URL printed by gtm-tui serve\n"
WILDCARD_HOSTS = {"0.0.0.0", "::", ""}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    """A fresh access token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def new_base_path() -> str:
    """A fresh path the app is served under (``/s-`` and 16 random hex digits): the cookie is scoped to it."""
    return f"/s-{secrets.token_hex(8)}"


def cookie_name(port: int) -> str:
    """The token cookie's name: one a port, so two servers on one machine never overwrite each other's."""
    return f"gtm_tui_token_{port}"


def session_command(path: Path, exports: Path | None = None) -> str:
    """The shell command each browser session runs: this very Python, on the file's absolute path.

    textual-serve starts it through the shell, so every part is quoted: a
    file named ``pilot; rm -rf ~.json`` stays a file name. ``exports`` goes to
    the session as ``GTM_TUI_EXPORT_FOLDER``, the only folder it may export to.
    """
    command = shlex.join([sys.executable, "-m", "gtm_tui.cli", str(path.resolve())])
    if exports is None:
        return command
    return f"{SESSION_FOLDER_VARIABLE}={shlex.quote(str(exports.resolve()))} {command}"


def page_url(host: str, port: int, token: str, base: str = "") -> str:
    """The URL to hand to teammates (a wildcard host is shown as this machine's name)."""
    if host in WILDCARD_HOSTS:
        host = socket.gethostname()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}{base}/?token={token}"


def unusable_reason(path: Path) -> str | None:
    """Why ``path`` cannot be served (one clear line), or None when every session could open and save it.

    Checked before listening, so a typo fails at once in the terminal instead
    of in every teammate's browser.
    """
    if path.is_dir():
        return f"{path} is a folder; give the workspace file inside it"
    if not path.exists():
        return f"{path} does not exist; create it first (gtm-tui new {shlex.quote(str(path))})"
    try:
        Workspace.open(path)
    except WorkspaceFileError as error:
        return str(error)
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} is read-only for you; teammates' changes could not be saved"
    if not os.access(path.resolve().parent, os.W_OK | os.X_OK):
        return f"folder {path.resolve().parent} is read-only for you; the lock file and saves need to write there"
    return None


def token_matches(given: str | None, token: str) -> bool:
    """Compare in constant time, so the token cannot be guessed byte by byte from response times."""
    if not given:
        return False
    return secrets.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def same_origin(request: web.Request) -> bool:
    """True unless the request comes from a page on another site (a browser always sends Origin on websockets)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].rstrip("/") == request.host


class Redacted(logging.Filter):
    """Take secrets and control characters out of every log record, its traceback included (printed without locals)."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets_ if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info, record.exc_text = None, None
        for secret in self.secrets:
            message = message.replace(secret, "…")
        # visible: a request line cannot drive the owner's terminal either
        record.msg, record.args = visible(message, allow_newlines=True), ()
        return True


def inline_script_hashes(template: str) -> list[str]:
    """CSP sources for the page's own inline script and ``onClick`` handlers (nothing else inline may run)."""
    bodies = re.findall(r"<script>(.*?)</script>", template, re.DOTALL) + re.findall(r'on[A-Za-z]+="([^"]*)"', template)
    digests = (hashlib.sha256(body.encode()).digest() for body in dict.fromkeys(bodies))
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]


class TokenServer(Server):
    """textual-serve's Server under a random path, with the access token required on every route."""

    def __init__(
        self,
        path: Path,
        *,
        host: str,
        port: int,
        token: str,
        exports: Path | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
        base: str | None = None,
    ) -> None:
        self.exports = exports or path.resolve().parent
        super().__init__(session_command(path, self.exports), host=host, port=port, title=f"gtm-tui · {path.name}")
        self.path = path
        self.token = token
        self.base = base or new_base_path()
        self.cookie = cookie_name(port)
        self.max_sessions = max_sessions
        self.sessions = 0
        self.url = page_url(host, port, token, self.base)
        template = (Path(self.templates_path) / "app_index.html").read_text(encoding="utf-8")
        self.script_sources = " ".join(["'self'", "'unsafe-hashes'", *inline_script_hashes(template)])

    def initialize_logging(self) -> None:
        """textual-serve's log, but no access lines, no tracebacks with locals, and the secrets redacted."""
        handler = RichHandler(show_path=False, show_time=False, markup=False, console=self.console)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.addFilter(Redacted(self.token, self.base))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.DEBUG if self.debug else logging.INFO)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # each line would print the token

    async def _make_app(self) -> web.Application:
        site = await super()._make_app()
        site.middlewares.append(self.require_token)
        app = web.Application(middlewares=[self.security_headers, self.only_our_paths])
        app.add_subapp(self.base, site)
        app.router.add_get("/download/{key}", self.handle_download)  # where the page's script fetches downloads
        return app

    @web.middleware
    async def security_headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """No framing, only our own scripts, and connections only back to this server — on every answer."""
        try:
            response = await handler(request)
        except web.HTTPException as refusal:
            response = refusal
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src {self.script_sources}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self'; connect-src 'self' ws://{request.host} wss://{request.host}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
        if isinstance(response, web.HTTPException):
            raise response
        return response

    @web.middleware
    async def only_our_paths(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Outside our random path only a download's one-time URL is served; everything else is refused."""
        if request.path.startswith(self.base + "/") or request.path.startswith("/download/"):
            return await handler(request)
        raise web.HTTPForbidden(text=REFUSED)

    @web.middleware
    async def require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a missing or wrong token with 403; remember a right one in a cookie scoped to our path."""
        in_query = "token" in request.query
        given = request.query.get("token") if in_query else request.cookies.get(self.cookie)
        if not token_matches(given, self.token):
            raise web.HTTPForbidden(text=REFUSED)
        if not same_origin(request):
            raise web.HTTPForbidden(text="gtm-tui: a request from another site was refused\n")
        response = await handler(request)
        if in_query and not response.prepared:
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path=self.base + "/")
        return response

    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    def busy_text(self) -> str:
        return (
            f"gtm-tui: {counted(self.sessions, 'session is', 'sessions are')} open, "
            f"the most this server allows ({self.max_sessions}); "
            "close a tab that is no longer used, or ask whoever runs gtm-tui serve to raise --max-sessions\n"
        )

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page, with its websocket and static URLs on the address the browser used.

        textual-serve builds them from the listening host; behind 0.0.0.0 or
        "localhost" that would be another origin, and the token cookie would
        not follow the websocket. A full server says so instead of a page
        whose session would never start.
        """
        if self.full():
            raise web.HTTPServiceUnavailable(text=self.busy_text())
        base = f"{request.scheme}://{request.host}{self.base}"
        ws_scheme = "wss" if request.scheme == "https" else "ws"
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws_scheme}://{request.host}{self.base}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        # the URL holds the token: keep it out of caches and out of Referer headers
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser session, counted: past ``max_sessions`` the websocket is refused with 503."""
        if self.full():
            raise web.HTTPServiceUnavailable(text=self.busy_text())
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def on_startup(self, app: web.Application) -> None:
        print(f"gtm-tui is serving {self.path.resolve()}", flush=True)
        print(f"Open (and share with your team): {self.url}", flush=True)
        if self.host in WILDCARD_HOSTS or self.host not in {"127.0.0.1", "localhost", "::1"}:
            print(
                f"Listening on {self.host or 'every address'}: "
                "anyone on the network who has the token can edit the pilot.",
                flush=True,
            )
        print(f"Browser sessions export under {self.exports}; at most {self.max_sessions} at once.", flush=True)
        print("Each browser tab runs its own gtm-tui on the file. Press Ctrl+C to stop.", flush=True)
